"""E-mail leaves the portal only here, in the background worker (``manage.py db_worker``), never in a request.

Each task is safe to run twice: a notification, digest or outgoing e-mail is marked as sent in the same transaction,
under the row lock, in which it is sent, so a second worker (or a retried task) finds nothing left to send.

A send that fails (mail server down, refused connection) is recorded on the row (attempts, last error) and tried
again: after a growing delay where the task queue can wait (the database queue), and by every run of
``manage.py send_notifications`` (``emails_retry``), up to ``MAX_EMAIL_ATTEMPTS`` and for ``RETRY_WITHIN`` after
the event; what is still unsent after that stays in the portal and in the admin's list, with its error.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from .models import Notification, OutgoingEmail

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5
# An e-mail about an event older than this is no longer worth sending late (the notification stays in the portal).
RETRY_WITHIN = timedelta(days=3)
# The daily run leaves alone what its first task may still be sending.
RETRY_AFTER = timedelta(minutes=10)


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def _error_text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:500]


def retry_delay(attempts: int) -> timedelta:
    """2, 4, 8, 16 minutes after the 1st–4th failure: a passing fault of the mail server has time to clear."""
    return timedelta(minutes=2**attempts)


def _enqueue_later(queued, object_id: int, attempts: int) -> None:
    """Retry after a delay where the queue can wait; elsewhere (the immediate backend) the daily run retries."""
    if attempts < MAX_EMAIL_ATTEMPTS and queued.get_backend().supports_defer:
        queued.using(run_after=timezone.now() + retry_delay(attempts)).enqueue(object_id)


@task()
def email_send(subject: str, body: str, to: list[str], headers: dict | None = None) -> int:
    """Kept for tasks queued before e-mails to plain addresses were recorded (``outgoing_email_send``)."""
    if not to:
        return 0
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to, headers=headers or None).send()


@task()
def outgoing_email_send(email_id: int) -> bool:
    """One recorded e-mail to plain addresses (an organisation's mailbox, someone without an account), once."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id, sent_at__isnull=True).first()
        if email is None:
            return False
        try:
            EmailMessage(
                email.subject, email.body, settings.DEFAULT_FROM_EMAIL, email.to, headers=email.headers or None
            ).send()
        except Exception as error:  # the mail server's fault, whatever its class: recorded and retried
            email.attempts += 1
            email.last_error = _error_text(error)
            email.save(update_fields=["attempts", "last_error"])
            logger.warning("E-mail %s not sent (attempt %s): %r", email_id, email.attempts, error)
            attempts = email.attempts
        else:
            email.sent_at = timezone.now()
            email.save(update_fields=["sent_at"])
            return True
    _enqueue_later(outgoing_email_send, email_id, attempts)
    return False


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
        try:
            EmailMessage(notification.subject, body, settings.DEFAULT_FROM_EMAIL, [notification.recipient.email]).send()
        except Exception as error:  # recorded and retried, see the module's docstring
            notification.email_attempts += 1
            notification.email_error = _error_text(error)
            notification.save(update_fields=["email_attempts", "email_error"])
            logger.warning(
                "Notification %s not e-mailed (attempt %s): %r", notification_id, notification.email_attempts, error
            )
            attempts = notification.email_attempts
        else:
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
            return True
    _enqueue_later(notification_email, notification_id, attempts)
    return False


@task()
def digest_send(user_id: int) -> int:
    """One e-mail with everything waiting for this person's daily digest, grouped by kind; 0 if nothing waits.
    A failed send leaves the notifications waiting (with the error): the next daily run sends them."""
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
        waiting = Notification.objects.filter(pk__in=[n.pk for n in pending])
        try:
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [pending[0].recipient.email]).send()
        except Exception as error:
            waiting.update(email_attempts=F("email_attempts") + 1, email_error=_error_text(error))
            logger.warning("Digest of user %s not sent: %r", user_id, error)
            return 0
        waiting.update(emailed_at=timezone.now())
    return len(pending)


def emails_retry(now=None) -> int:
    """Queue again every e-mail whose send failed or never ran (a worker stopped, a task lost), from the last
    ``RETRY_WITHIN``, each until ``MAX_EMAIL_ATTEMPTS``; returns how many. A copy still sending elsewhere is not
    duplicated: each task sends under the row lock only what is not yet marked as sent."""
    now = now or timezone.now()
    window = {"created_at__gte": now - RETRY_WITHIN, "created_at__lte": now - RETRY_AFTER}
    notifications = list(
        Notification.objects.filter(
            email=Notification.Email.IMMEDIATE,
            emailed_at__isnull=True,
            email_attempts__lt=MAX_EMAIL_ATTEMPTS,
            recipient__is_active=True,
            **window,
        )
        .exclude(recipient__email="")
        .values_list("pk", flat=True)
    )
    emails = list(
        OutgoingEmail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_EMAIL_ATTEMPTS, **window).values_list(
            "pk", flat=True
        )
    )
    for pk in notifications:
        notification_email.enqueue(pk)
    for pk in emails:
        outgoing_email_send.enqueue(pk)
    return len(notifications) + len(emails)
