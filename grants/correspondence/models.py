"""Messages between an organisation and the office, one thread per offer, agreement or grant report.

A message is part of the case record: it is never edited or deleted, it appears in the case's history and in the
correspondence PDF. The office may mark its message as an official request (wezwanie) with a deadline for the answer;
the organisation's next message in the thread answers it, and a reminder goes out a few days before the deadline.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Side(models.TextChoices):
    ORGANISATION = "organisation", _("organizacja")
    OFFICE = "office", _("urząd")


class MessageQuerySet(models.QuerySet):
    def in_thread(self, thread):
        return self.filter(**{thread.field: thread.obj.pk})

    def with_read_by(self, user):
        return self.annotate(read_by_me=Exists(MessageRead.objects.filter(message=OuterRef("pk"), user=user.pk)))

    def visible_to(self, roles):
        """Messages of the person's organisations' threads and, for office staff, of their authorities'."""
        if roles.superuser:
            return self.all()
        return self.filter(
            Q(organisation_id__in=roles.organisation_ids) | Q(authority_id__in=roles.staff_authority_ids)
        )

    def open_requests(self):
        return self.filter(official_request=True, answered_at__isnull=True)


class Message(models.Model):
    offer = models.ForeignKey("grants.Offer", on_delete=models.PROTECT, null=True, blank=True, related_name="messages")
    agreement = models.ForeignKey(
        "grants.Agreement", on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    grant_report = models.ForeignKey(
        "grants.GrantReport", on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    # The two parties of the case, kept on each message so visibility is one indexed filter.
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    authority = models.ForeignKey("programmes.Authority", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("nadawca"), max_length=15, choices=Side.choices)
    text = models.TextField(_("treść"), max_length=5000)
    sent_at = models.DateTimeField(_("wysłano"), default=timezone.now)
    official_request = models.BooleanField(_("wezwanie urzędu"), default=False)
    response_deadline = models.DateField(_("termin odpowiedzi"), null=True, blank=True)
    answered_at = models.DateTimeField(_("odpowiedziano"), null=True, blank=True)
    answered_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("odpowiedź")
    )

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("wiadomość")
        verbose_name_plural = _("wiadomości")
        ordering = ["sent_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(offer__isnull=False, agreement__isnull=True, grant_report__isnull=True)
                    | Q(offer__isnull=True, agreement__isnull=False, grant_report__isnull=True)
                    | Q(offer__isnull=True, agreement__isnull=True, grant_report__isnull=False)
                ),
                name="message_in_exactly_one_thread",
            ),
            models.CheckConstraint(
                condition=Q(official_request=False, response_deadline__isnull=True)
                | Q(official_request=True, response_deadline__isnull=False, side="office"),
                name="message_official_request_by_office_with_deadline",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-sent_at"], name="message_organisation_idx"),
            models.Index(fields=["authority", "-sent_at"], name="message_authority_idx"),
        ]

    def __str__(self) -> str:
        # What the history of the case shows of the message (auditlog keeps it as the entry's name).
        text = self.text if len(self.text) <= 120 else self.text[:119].rstrip() + "…"
        if self.official_request and self.response_deadline:
            return f"wezwanie urzędu (odpowiedź do {self.response_deadline:%d.%m.%Y}): {text}"
        return f"{self.get_side_display()}: {text}"


def message_attachment_path(instance, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return f"messages/{uuid.uuid4().hex}{suffix if suffix in ('.pdf', '.jpg', '.png') else ''}"


class MessageAttachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=message_attachment_path)
    original_name = models.CharField(_("nazwa pliku"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["message", "pk"]

    def __str__(self) -> str:
        return self.original_name


class MessageRead(models.Model):
    """A read receipt: this person opened the thread with this message in it."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["read_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="message_read_once")]

    def __str__(self) -> str:
        return f"{self.user} {self.read_at:%d.%m.%Y %H:%M}"
