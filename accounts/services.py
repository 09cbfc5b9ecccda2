"""State changes of accounts and roles. Each runs atomically and leaves an audit record."""

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .audit import acting_as
from .lockout import normalise_email
from .mail import send_templated_mail_on_commit
from .models import AuthorityStaff, User
from .tokens import email_confirmation_token


def confirmation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:confirm", args=[uid, email_confirmation_token.make_token(user)])


@transaction.atomic
def user_sign_up(*, email: str, password: str, first_name: str, last_name: str, site_url: str) -> User | None:
    """Create an inactive account and mail a confirmation link.

    An address that signed up but never confirmed is taken over by the new sign-up (new names, new password,
    new link; the old link stops working): only the mailbox's owner can follow the link, so nobody can squat
    an address by signing it up first. A confirmed address is left alone and its owner is told by e-mail.
    Every path hashes one password and sends one e-mail after commit, so neither the page nor its timing
    reveals which addresses are registered.
    """
    email = normalise_email(email)
    existing = User.objects.select_for_update().filter(email=email).first()
    if existing is not None and not existing.awaits_confirmation:
        make_password(password)  # the same work as the other paths: no timing oracle
        send_templated_mail_on_commit(
            template="accounts/email/already_registered",
            to=[existing.email],
            context={"user": existing, "site_url": site_url, "reset_path": reverse("accounts:password-reset")},
        )
        return None
    if existing is None:
        user = User.objects.create_user(
            email=email, password=password, first_name=first_name, last_name=last_name, is_active=False
        )
    else:
        user = existing
        user.first_name, user.last_name = first_name, last_name
        user.set_password(password)  # also invalidates the earlier confirmation link
        user.date_joined = timezone.now()
        user.save(update_fields=["first_name", "last_name", "password", "date_joined"])
    send_templated_mail_on_commit(
        template="accounts/email/confirm",
        to=[user.email],
        context={"user": user, "site_url": site_url, "confirm_path": confirmation_path(user)},
    )
    return user


@transaction.atomic
def user_confirm_email(*, user: User) -> None:
    """Activate the account whose owner followed the confirmation link (or set a password from a reset link)."""
    with acting_as(user):
        user.is_active = True
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["is_active", "email_confirmed_at"])


@transaction.atomic
def staff_assign(
    *, user: User, authority, can_decide: bool = False, job_title: str = "", is_admin: bool = False, actor=None
) -> AuthorityStaff:
    """Make ``user`` an office employee of ``authority`` (or update the rights). The portal's pages invite staff by
    e-mail (``accounts.services_staff``); this is for the shell, the demo and tests."""
    with acting_as(actor):
        staff, created = AuthorityStaff.objects.get_or_create(
            user=user,
            authority=authority,
            defaults={"can_decide": can_decide, "job_title": job_title, "is_admin": is_admin},
        )
        if not created and (staff.can_decide, staff.job_title, staff.is_admin) != (can_decide, job_title, is_admin):
            staff.can_decide, staff.job_title, staff.is_admin = can_decide, job_title, is_admin
            staff.save(update_fields=["can_decide", "job_title", "is_admin"])
    return staff


def invitation_mail_on_commit(invitation, *, template: str, accept_url_name: str, site_url: str) -> None:
    """E-mail an invitation (an organisation's or an office's) with its accept link, once the transaction commits."""
    send_templated_mail_on_commit(
        template=template,
        to=[invitation.email],
        context={
            "invitation": invitation,
            "site_url": site_url,
            "accept_path": reverse(accept_url_name, args=[invitation.token]),
            "sign_up_path": reverse("accounts:sign-up"),
        },
    )


def invitation_locked_for(invitation, user):
    """The invitation (an organisation's or an office's), locked, once it is shown to be still open and addressed
    to ``user``; anything else is refused in Polish. Call inside the accepting transaction."""
    invitation = type(invitation).objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at or invitation.expires_at <= timezone.now():
        raise ValidationError("To zaproszenie zostało już wykorzystane, wycofane albo wygasło.")
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            f"Zaproszenie wysłano na adres {invitation.email}. Zaloguj się na konto z tym adresem, aby je przyjąć."
        )
    return invitation
