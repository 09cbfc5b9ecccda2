"""Who the signed-in person is to the portal: office staff, NGO member, superuser.

Computed at most once per request (one small query; the person's memberships, with their organisations, only when
a page asks for them) and shared by the navigation and views. Inside an authority's
space (config/tenancy.py) the office rights are those for that authority only: staff of another authority reach
none of its objects there (404), whichever check a view makes, while still counting as office staff (their office
pages open, narrowed to the space's authority: empty).
"""

from dataclasses import dataclass, field, replace
from functools import cached_property

from django.db import connection
from django.http import HttpRequest


@dataclass(frozen=True)
class Roles:
    authenticated: bool = False
    superuser: bool = False
    staff_authority_ids: frozenset[int] = field(default_factory=frozenset)
    decider_authority_ids: frozenset[int] = field(default_factory=frozenset)
    admin_authority_ids: frozenset[int] = field(default_factory=frozenset)
    user_id: int | None = None
    is_ngo_member: bool = False  # a member of at least one organisation
    has_commission_seat: bool = False
    staff_elsewhere: bool = False  # office staff of an authority other than the space's (``in_space``)

    @property
    def is_authority_staff(self) -> bool:
        return bool(self.staff_authority_ids) or self.superuser or self.staff_elsewhere

    def in_space(self, authority_id: int) -> "Roles":
        """These roles inside the space of ``authority_id``: office rights for that authority only."""
        only = frozenset({authority_id})
        return replace(
            self,
            staff_authority_ids=self.staff_authority_ids & only,
            decider_authority_ids=self.decider_authority_ids & only,
            admin_authority_ids=self.admin_authority_ids & only,
            staff_elsewhere=bool(self.staff_authority_ids - only),
        )

    @cached_property
    def memberships(self) -> tuple:
        """The person's memberships, each with its organisation, by the organisation's name (read when first asked
        for: most staff pages never ask, and the query cost about 2 800 Python calls even when it found nothing)."""
        if not self.is_ngo_member:
            return ()
        from organisations.models import Membership

        found = Membership.objects.filter(user_id=self.user_id).select_related("organisation")
        return tuple(found.order_by("organisation__name"))

    @property
    def organisation_ids(self) -> frozenset[int]:
        return frozenset(m.organisation_id for m in self.memberships)

    def admin_of(self, organisation_id: int) -> bool:
        return any(m.organisation_id == organisation_id and m.role == "admin" for m in self.memberships)


ANONYMOUS = Roles()


def compute_roles(user) -> Roles:
    if not user.is_authenticated:
        return ANONYMOUS
    rows = _office_rows(user.pk)
    staff = [row for row in rows if row[0] > 0]
    return Roles(
        authenticated=True,
        superuser=user.is_superuser,
        staff_authority_ids=frozenset(a for a, _decides, _admin in staff),
        decider_authority_ids=frozenset(a for a, decides, _admin in staff if decides),
        admin_authority_ids=frozenset(a for a, _decides, admin in staff if admin),
        user_id=user.pk,
        is_ngo_member=any(row[0] == _MEMBER for row in rows),
        has_commission_seat=any(row[0] == _SEAT for row in rows),
    )


_SEAT, _MEMBER = 0, -1


def _office_rows(user_id: int) -> list[tuple]:
    """One query for all three: the person's active office roles, plus a row (0, …) if they sit on any call's
    commission and a row (-1, …) if they are a member of any organisation.

    Written as SQL because it runs on every signed-in request: built by the ORM (a ``union`` of two querysets) it
    cost about 2 500 Python calls, a tenth of a simple page's work."""
    from accounts.models import AuthorityStaff
    from grants.models import CommissionMember
    from organisations.models import Membership

    quote = connection.ops.quote_name
    staff, seats = quote(AuthorityStaff._meta.db_table), quote(CommissionMember._meta.db_table)
    members = quote(Membership._meta.db_table)
    # The table names are the models', the values parameters.
    sql = (
        f"SELECT authority_id, can_decide, is_admin FROM {staff} "  # noqa: S608
        "WHERE user_id = %s AND deactivated_at IS NULL "
        f"UNION ALL SELECT {_SEAT}, 0 = 1, 0 = 1 FROM (SELECT 1 FROM {seats} WHERE user_id = %s LIMIT 1) seat "
        f"UNION ALL SELECT {_MEMBER}, 0 = 1, 0 = 1 FROM (SELECT 1 FROM {members} WHERE user_id = %s LIMIT 1) member"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, user_id, user_id])
        return cursor.fetchall()


def roles_of(request: HttpRequest) -> Roles:
    space = getattr(request, "authority", None)
    key = (getattr(request.user, "pk", None), space.pk if space is not None else None)
    cached = getattr(request, "_portal_roles", None)
    if cached is None or cached[0] != key:
        roles = compute_roles(request.user)
        cached = (key, roles if space is None else roles.in_space(space.pk))
        request._portal_roles = cached
    return cached[1]
