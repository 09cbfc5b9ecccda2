"""Who the signed-in person is to the portal: office staff, NGO member, superuser.

Computed at most once per request (two small queries) and shared by the navigation and views.
"""

from dataclasses import dataclass, field

from django.db.models import Value
from django.http import HttpRequest


@dataclass(frozen=True)
class Roles:
    authenticated: bool = False
    superuser: bool = False
    staff_authority_ids: frozenset[int] = field(default_factory=frozenset)
    decider_authority_ids: frozenset[int] = field(default_factory=frozenset)
    admin_authority_ids: frozenset[int] = field(default_factory=frozenset)
    memberships: tuple = ()
    has_commission_seat: bool = False

    @property
    def is_authority_staff(self) -> bool:
        return bool(self.staff_authority_ids) or self.superuser

    @property
    def is_ngo_member(self) -> bool:
        return bool(self.memberships)

    @property
    def organisation_ids(self) -> frozenset[int]:
        return frozenset(m.organisation_id for m in self.memberships)

    def admin_of(self, organisation_id: int) -> bool:
        return any(m.organisation_id == organisation_id and m.role == "admin" for m in self.memberships)


ANONYMOUS = Roles()


def compute_roles(user) -> Roles:
    if not user.is_authenticated:
        return ANONYMOUS
    # One query for both: active office roles, plus a row (0, …) if the person sits on any call's commission.
    rows = list(
        user.staff_roles.active()
        .order_by()
        .values_list("authority_id", "can_decide", "is_admin")
        .union(user.commission_seats.order_by().values_list(Value(0), Value(False), Value(False)))
    )
    staff = [row for row in rows if row[0] != 0]
    memberships = tuple(user.memberships.select_related("organisation").order_by("organisation__name"))
    return Roles(
        authenticated=True,
        superuser=user.is_superuser,
        staff_authority_ids=frozenset(a for a, _decides, _admin in staff),
        decider_authority_ids=frozenset(a for a, decides, _admin in staff if decides),
        admin_authority_ids=frozenset(a for a, _decides, admin in staff if admin),
        memberships=memberships,
        has_commission_seat=len(staff) < len(rows),
    )


def roles_of(request: HttpRequest) -> Roles:
    cached = getattr(request, "_portal_roles", None)
    if cached is None or cached[0] != getattr(request.user, "pk", None):
        cached = (getattr(request.user, "pk", None), compute_roles(request.user))
        request._portal_roles = cached
    return cached[1]
