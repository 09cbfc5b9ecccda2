"""E-mail leaves the portal only here, in the background worker (``manage.py db_worker``), never in a request.

Each task is safe to run twice: a notification or digest is marked as e-mailed in the same transaction, under the
row lock, in which it is sent, so a second worker (or a retried task) finds nothing left to send.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from .models import Notification

logger = logging.getLogger(__name__)


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


@task()
def email_send(subject: str, body: str, to: list[str], headers: dict | None = None) -> int:
    """One e-mail to plain addresses (an organisation's mailbox, someone without an account)."""
    if not to:
        return 0
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to, headers=headers or None).send()


@task()
def notification_email(notification_id: int) -> bool:
    """The e-mail copy of one notification, to its recipient, once."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True, email=Notification.Email.IMMEDIATE)
            .first()
        )
        if notification is None or not notification.recipient.email:
            return False
        body = render_to_string("notifications/email/notification.txt", {"notification": notification, "site": _site()})
        EmailMessage(notification.subject, body, settings.DEFAULT_FROM_EMAIL, [notification.recipient.email]).send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


@task()
def digest_send(user_id: int) -> int:
    """One e-mail with everything waiting for this person's daily digest, grouped by kind; 0 if nothing waits."""
    with transaction.atomic():
        pending = list(
            Notification.objects.digest_due()
            .select_for_update(of=("self",))
            .filter(recipient_id=user_id)
            .select_related("recipient")
            .order_by("kind", "created_at", "pk")
        )
        if not pending or not pending[0].recipient.email:
            return 0
        groups: dict[str, list[Notification]] = {}
        for notification in pending:
            groups.setdefault(notification.get_kind_display(), []).append(notification)
        context = {"groups": sorted(groups.items()), "count": len(pending), "site": _site()}
        subject = " ".join(render_to_string("notifications/email/digest_subject.txt", context).split())
        body = render_to_string("notifications/email/digest.txt", context)
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [pending[0].recipient.email]).send()
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
    return len(pending)
