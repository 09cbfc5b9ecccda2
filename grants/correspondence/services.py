"""Sending and reading messages of a case. Every message tells the other side (notification and e-mail)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import acting_as
from accounts.notifications.models import Notification
from accounts.notifications.services import authority_staff, notify, organisation_members
from config.polish import format_date
from grants.services.offers import attachment_check

from .models import Message, MessageAttachment, MessageRead, Side
from .threads import Thread

MAX_FILES = 5
MAX_TEXT = 5000


@transaction.atomic
def message_send(
    *,
    thread: Thread,
    actor,
    side: str,
    text: str,
    files=(),
    official_request: bool = False,
    response_deadline: date | None = None,
) -> Message:
    """Add a message to the case's thread. The office may make it an official request with a deadline; the
    organisation's message answers the open requests of the thread."""
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = "Wpisz treść wiadomości."
    elif len(text) > MAX_TEXT:
        errors["text"] = f"Wiadomość może mieć najwyżej {MAX_TEXT} znaków (ma {len(text)})."
    if official_request and side != Side.OFFICE:
        errors["official_request"] = "Wezwanie może wysłać tylko urząd."
    if official_request and response_deadline is None:
        errors["response_deadline"] = "Podaj termin odpowiedzi na wezwanie."
    elif official_request and response_deadline <= timezone.localdate():
        errors["response_deadline"] = "Termin odpowiedzi musi przypadać po dniu dzisiejszym."
    files = list(files)
    if len(files) > MAX_FILES:
        errors["files"] = f"Do wiadomości można dołączyć najwyżej {MAX_FILES} plików."
    checked = []
    if "files" not in errors:
        for upload in files:
            try:
                checked.append((upload, *attachment_check(upload, field="files")))
            except ValidationError as error:
                errors["files"] = f"{upload.name}: " + " ".join(error.messages)
                break
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with acting_as(actor):
        message = Message.objects.create(
            **{thread.field: thread.obj},
            organisation=thread.organisation,
            authority_id=thread.authority_id,
            author=actor,
            side=side,
            text=text,
            sent_at=now,
            official_request=official_request,
            response_deadline=response_deadline if official_request else None,
        )
        for upload, mime, sha256, name in checked:
            attachment = MessageAttachment(
                message=message, original_name=name, content_type=mime, size=upload.size, sha256=sha256
            )
            attachment.file.save(name, upload, save=False)
            attachment.save()
        if side == Side.ORGANISATION:
            Message.objects.in_thread(thread).open_requests().update(answered_at=now, answered_by=message)
    _tell_other_side(thread=thread, message=message)
    return message


def _tell_other_side(*, thread: Thread, message: Message) -> None:
    if message.side == Side.OFFICE:
        recipients = organisation_members(thread.organisation.pk)
    else:
        recipients = authority_staff(thread.authority_id)
    if message.official_request:
        subject = f"Wezwanie urzędu (odpowiedź do {format_date(message.response_deadline)}): {thread.label}"
    else:
        subject = f"Nowa wiadomość od {'urzędu' if message.side == Side.OFFICE else 'organizacji'}: {thread.label}"
    sender = message.author.get_full_name() or message.author.email
    if message.side == Side.ORGANISATION:
        sender += f" ({thread.organisation.name})"
    attachments = message.attachments.count()
    body = f"{subject}\n\nOd: {sender}\n\n{message.text}\n" + (f"\nZałączniki: {attachments}\n" if attachments else "")
    notify(
        kind=Notification.Kind.MESSAGE,
        recipients=recipients,
        subject=subject,
        body=body,
        url=thread.url() + f"#wiadomosc-{message.pk}",
    )


def thread_mark_read(*, thread: Thread, actor, side: str) -> int:
    """Read receipts for the other side's messages the person has now seen."""
    unread = list(
        Message.objects.in_thread(thread).exclude(side=side).exclude(reads__user=actor).values_list("pk", flat=True)
    )
    MessageRead.objects.bulk_create([MessageRead(message_id=pk, user=actor) for pk in unread], ignore_conflicts=True)
    return len(unread)
