"""The one way the portal tells people something: a notification in the portal and its e-mail copy.

``notify`` is called by the service that changes the state (inside its transaction): it writes one notification per
person who must act, and queues, once the transaction commits, the e-mail copies of those who want them at once;
the others wait for the daily digest (``digests_enqueue``). Addresses that belong to no account (an organisation's
own mailbox, an offer's contact person, someone who asked for a justification) get the same text by e-mail only.
Nothing is sent inside a request: every e-mail is a task for the background worker (``notifications/tasks.py``).
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Notification, OutgoingEmail
from .tasks import digest_send, notification_email, outgoing_email_send

User = get_user_model()


def render_email(template: str, context: dict) -> tuple[str, str]:
    """``<template>_subject.txt`` (one line) and ``<template>.txt``."""
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    return subject, render_to_string(f"{template}.txt", context)


def email_on_commit(*, subject: str, body: str, to: Iterable[str], headers: dict | None = None) -> None:
    """Record one e-mail to plain addresses in the surrounding transaction and queue it for the worker once that
    commits (a rolled-back act sends nothing; a failed send is retried, see ``tasks.py``)."""
    addresses = sorted({address.strip() for address in to if address and address.strip()})
    if addresses:
        email = OutgoingEmail.objects.create(subject=subject[:300], body=body, to=addresses, headers=headers or {})
        transaction.on_commit(lambda: outgoing_email_send.enqueue(email.pk))


def organisation_members(organisation_id: int):
    """Active accounts of an organisation's members (admins and editors): they act for it."""
    return User.objects.filter(memberships__organisation_id=organisation_id, is_active=True).distinct()


def authority_staff(authority_id: int | None, *, deciders: bool = False):
    """Active office staff of an authority (with ``deciders``, only those who may decide)."""
    if authority_id is None:
        return User.objects.none()
    users = User.objects.filter(staff_roles__authority_id=authority_id, is_active=True)
    if deciders:
        users = users.filter(staff_roles__can_decide=True)
    return users.distinct()


def notify(
    *,
    kind: str,
    recipients: Iterable,
    template: str | None = None,
    context: dict | None = None,
    subject: str = "",
    body: str = "",
    url: str = "",
    key: str = "",
    emails: Iterable[str] = (),
) -> list[Notification]:
    """Tell ``recipients`` (accounts) about an event, and e-mail the same text to ``emails`` that are no account's.

    The text is ``template`` rendered with ``context`` (``<template>_subject.txt`` and ``<template>.txt``), or
    ``subject`` and ``body`` as given. With ``key``, each person gets the notification at most once, ever (a
    reminder run twice reminds once). Returns the notifications created."""
    if template:
        subject, body = render_email(template, context or {})
    people = {user.pk: user for user in recipients if user.is_active}
    own = {user.email.lower() for user in people.values()}
    created: list[Notification] = []
    with transaction.atomic():
        if key:
            already = set(
                Notification.objects.filter(recipient_id__in=people, key=key).values_list("recipient_id", flat=True)
            )
            people = {pk: user for pk, user in people.items() if pk not in already}
        for user in people.values():
            notification = Notification(
                recipient=user,
                kind=kind,
                subject=subject[:300],
                body=body,
                url=url,
                key=key,
                email=Notification.Email.DIGEST
                if user.notification_email == Notification.Email.DIGEST
                else Notification.Email.IMMEDIATE,
            )
            try:
                with transaction.atomic():
                    notification.save()
            except IntegrityError:  # the same reminder written at this moment by another run
                continue
            created.append(notification)
        if created:
            User.objects.filter(pk__in=[n.recipient_id for n in created]).update(
                unread_notifications=F("unread_notifications") + 1
            )
        immediate = [n.pk for n in created if n.email == Notification.Email.IMMEDIATE]
        transaction.on_commit(lambda: [notification_email.enqueue(pk) for pk in immediate])
        others = [address for address in emails if address and address.strip().lower() not in own]
        if key:
            others = []  # reminders go to the people who act, never again and again to a shared mailbox
        email_on_commit(subject=subject, body=body, to=others)
    return created


def _recount(user_id: int) -> None:
    unread = Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()
    User.objects.filter(pk=user_id).update(unread_notifications=unread)


@transaction.atomic
def notification_open(*, notification: Notification, actor) -> str:
    """Mark the person's own notification read and return where it leads."""
    if notification.recipient_id != actor.pk:
        raise PermissionError
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
        _recount(actor.pk)
    return notification.url


@transaction.atomic
def notifications_mark_all_read(*, actor) -> int:
    marked = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
    _recount(actor.pk)
    return marked


@transaction.atomic
def notification_preferences_set(*, actor, email: str) -> None:
    """Immediately or once a day; what already waits for a digest goes with the next one either way."""
    if email not in (Notification.Email.IMMEDIATE, Notification.Email.DIGEST):
        raise ValueError(email)
    User.objects.filter(pk=actor.pk).update(notification_email=email)
    actor.notification_email = email


def digests_enqueue() -> int:
    """Queue one digest per person with notifications waiting for it (run daily; a second run finds none)."""
    users = list(Notification.objects.digest_due().order_by().values_list("recipient_id", flat=True).distinct())
    for user_id in users:
        digest_send.enqueue(user_id)
    return len(users)
