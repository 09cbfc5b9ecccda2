"""An authority's office staff in the portal: invited by e-mail, given the right to decide or to administer the
authority, deactivated. Only the authority's administrators (and the superuser) do this; every change is audited.

The right to decide (``can_decide``) stands for the executive's authorisation to decide awards; the authority
administrator (``is_admin``) edits the authority's data and its staff. An authority keeps at least one active
administrator once it has one, so it never locks itself out.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .audit import acting_as
from .models import AuthorityStaff, StaffInvitation
from .services import invitation_locked_for, invitation_mail_on_commit

INVITATION_VALIDITY = timedelta(days=14)
LAST_ADMIN = "Jednostka musi mieć co najmniej jednego aktywnego administratora – najpierw nadaj tę rolę innej osobie."


def may_administer(user, authority) -> bool:
    """The superuser, or an active administrator of the authority."""
    if user.is_superuser:
        return True
    return AuthorityStaff.objects.active().filter(user=user, authority=authority, is_admin=True).exists()


def _check_admin(actor, authority) -> None:
    if not may_administer(actor, authority):
        raise PermissionDenied("Pracownikami jednostki zarządza jej administrator.")


@transaction.atomic
def staff_invite(
    *, authority, email: str, actor, site_url: str, job_title: str = "", can_decide=False, is_admin=False
) -> StaffInvitation:
    """Invite a person by e-mail to the authority's office, with the rights the invitation carries."""
    _check_admin(actor, authority)
    email = email.strip().lower()
    if AuthorityStaff.objects.active().filter(authority=authority, user__email__iexact=email).exists():
        raise ValidationError({"email": "Ta osoba już pracuje w portalu dla tej jednostki."})
    with acting_as(actor):
        StaffInvitation.objects.pending().filter(authority=authority, email__iexact=email).update(
            revoked_at=timezone.now()
        )
        invitation = StaffInvitation.objects.create(
            authority=authority,
            email=email,
            job_title=job_title.strip(),
            can_decide=can_decide,
            is_admin=is_admin,
            invited_by=actor,
            expires_at=timezone.now() + INVITATION_VALIDITY,
        )
    invitation_mail_on_commit(
        invitation,
        template="accounts/email/staff_invitation",
        accept_url_name="accounts:staff-invitation-accept",
        site_url=site_url,
    )
    return invitation


@transaction.atomic
def staff_invitation_accept(*, invitation: StaffInvitation, user) -> AuthorityStaff:
    """Join the authority's office; only the person the invitation was addressed to may accept it."""
    invitation = invitation_locked_for(invitation, user)
    with acting_as(user):
        staff, created = AuthorityStaff.objects.get_or_create(
            user=user,
            authority=invitation.authority,
            defaults={
                "job_title": invitation.job_title,
                "can_decide": invitation.can_decide,
                "is_admin": invitation.is_admin,
            },
        )
        if not created:
            staff.job_title = invitation.job_title or staff.job_title
            staff.can_decide, staff.is_admin, staff.deactivated_at = invitation.can_decide, invitation.is_admin, None
            staff.save(update_fields=["job_title", "can_decide", "is_admin", "deactivated_at"])
        invitation.accepted_at, invitation.accepted_by = timezone.now(), user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return staff


@transaction.atomic
def staff_invitation_revoke(*, invitation: StaffInvitation, actor) -> None:
    _check_admin(actor, invitation.authority)
    invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError("To zaproszenie zostało już przyjęte albo wycofane.")
    with acting_as(actor):
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


def _locked_staff(authority, staff_pk: int) -> tuple[AuthorityStaff, int]:
    """The row to change and how many other active administrators the authority has, under a lock (two
    administrators demoting each other at once leave one)."""
    rows = list(AuthorityStaff.objects.select_for_update().filter(authority=authority).order_by("pk"))
    staff = next((row for row in rows if row.pk == staff_pk), None)
    if staff is None:
        raise ValidationError("Ta osoba nie pracuje już dla tej jednostki.")
    others = sum(1 for row in rows if row.is_admin and row.deactivated_at is None and row.pk != staff_pk)
    return staff, others


@transaction.atomic
def staff_update(*, staff: AuthorityStaff, actor, job_title: str, can_decide: bool, is_admin: bool) -> AuthorityStaff:
    """Change a person's post and rights: the right to decide and the authority administrator's role."""
    _check_admin(actor, staff.authority)
    staff, other_admins = _locked_staff(staff.authority, staff.pk)
    if staff.is_admin and not is_admin and not other_admins and staff.deactivated_at is None:
        raise ValidationError({"is_admin": LAST_ADMIN})
    with acting_as(actor):
        staff.job_title, staff.can_decide, staff.is_admin = job_title.strip(), can_decide, is_admin
        staff.save(update_fields=["job_title", "can_decide", "is_admin"])
    return staff


@transaction.atomic
def staff_deactivate(*, staff: AuthorityStaff, actor) -> AuthorityStaff:
    """The person no longer works for the authority in the portal: every office right ends at once; what they did
    stays in the records and the audit log under their name."""
    _check_admin(actor, staff.authority)
    staff, other_admins = _locked_staff(staff.authority, staff.pk)
    if staff.deactivated_at is not None:
        raise ValidationError("Ta osoba jest już dezaktywowana.")
    if staff.is_admin and not other_admins:
        raise ValidationError(LAST_ADMIN)
    with acting_as(actor):
        staff.deactivated_at = timezone.now()
        staff.save(update_fields=["deactivated_at"])
    return staff


@transaction.atomic
def staff_reactivate(*, staff: AuthorityStaff, actor) -> AuthorityStaff:
    _check_admin(actor, staff.authority)
    staff, _others = _locked_staff(staff.authority, staff.pk)
    if staff.deactivated_at is None:
        raise ValidationError("Ta osoba jest aktywna.")
    with acting_as(actor):
        staff.deactivated_at = None
        staff.save(update_fields=["deactivated_at"])
    return staff
