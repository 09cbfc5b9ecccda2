"""State changes of accounts and roles. Each runs atomically and leaves an audit record."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .audit import acting_as
from .mail import send_templated_mail_on_commit
from .models import AuthorityStaff, User
from .tokens import email_confirmation_token


def confirmation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:confirm", args=[uid, email_confirmation_token.make_token(user)])


@transaction.atomic
def user_sign_up(*, email: str, password: str, first_name: str, last_name: str, site_url: str) -> User | None:
    """Create an inactive account and mail a confirmation link.

    If the address already has an account, nothing is created and its owner is told by e-mail,
    so the form never reveals which addresses are registered.
    """
    email = User.objects.normalize_email(email).lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        send_templated_mail_on_commit(
            template="accounts/email/already_registered",
            to=[existing.email],
            context={"user": existing, "site_url": site_url, "reset_path": reverse("accounts:password-reset")},
        )
        return None
    user = User.objects.create_user(
        email=email, password=password, first_name=first_name, last_name=last_name, is_active=False
    )
    send_templated_mail_on_commit(
        template="accounts/email/confirm",
        to=[user.email],
        context={"user": user, "site_url": site_url, "confirm_path": confirmation_path(user)},
    )
    return user


@transaction.atomic
def user_confirm_email(*, user: User) -> None:
    """Activate the account whose owner followed the confirmation link."""
    with acting_as(user):
        user.is_active = True
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["is_active", "email_confirmed_at"])


@transaction.atomic
def staff_assign(*, user: User, authority, can_decide: bool = False, job_title: str = "", actor=None) -> AuthorityStaff:
    """Make ``user`` an office employee of ``authority`` (or update the right to decide)."""
    with acting_as(actor):
        staff, created = AuthorityStaff.objects.get_or_create(
            user=user, authority=authority, defaults={"can_decide": can_decide, "job_title": job_title}
        )
        if not created and (staff.can_decide, staff.job_title) != (can_decide, job_title):
            staff.can_decide, staff.job_title = can_decide, job_title
            staff.save(update_fields=["can_decide", "job_title"])
    return staff
