"""Notifications in the portal, their e-mail copies, and subscriptions to new calls and consultations.

A ``Notification`` is one event one person must know about (an offer to review, a defect notice, a report due).
It is shown in the portal until read, and e-mailed by the background worker either at once or in the person's daily
digest (``User.notification_email``). A ``key`` makes a reminder unique per person: the reminder run may be repeated
any number of times a day and still sends each reminder once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def for_list(self, user):
        return self.filter(recipient=user).order_by("-created_at", "-pk")

    def unread(self):
        return self.filter(read_at__isnull=True)

    def digest_due(self):
        """Notifications waiting for a daily digest."""
        return self.filter(email=Notification.Email.DIGEST, emailed_at__isnull=True)


class Notification(models.Model):
    class Kind(models.TextChoices):
        OFFER_SUBMITTED = "offer_submitted", _("złożona oferta do rozpatrzenia")
        OFFER_REVIEW = "offer_review", _("ocena formalna oferty")
        RESULTS = "results", _("wyniki konkursu")
        OFFER_UPDATE = "offer_update", _("aktualizacja oferty")
        APPEAL = "appeal", _("odwołanie")
        AGREEMENT = "agreement", _("umowa")
        REPORT = "report", _("sprawozdanie")
        SMALL_GRANT = "small_grant", _("mała dotacja / oferta z art. 12")
        JOINT_OFFER = "joint_offer", _("oferta wspólna")
        COMMISSION = "commission", _("komisja konkursowa")
        MESSAGE = "message", _("wiadomość")
        REMINDER = "reminder", _("przypomnienie o terminie")
        ORGANISATION = "organisation", _("dane organizacji")

    class Email(models.TextChoices):
        NONE = "none", _("bez e-maila")
        IMMEDIATE = "immediate", _("e-mail od razu")
        DIGEST = "daily", _("w zestawieniu dziennym")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("odbiorca")
    )
    kind = models.CharField(_("rodzaj"), max_length=20, choices=Kind.choices)
    subject = models.CharField(_("temat"), max_length=300)
    body = models.TextField(_("treść"), max_length=10000)
    url = models.CharField(_("adres w portalu"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("utworzone"), default=timezone.now)
    read_at = models.DateTimeField(_("przeczytane"), null=True, blank=True)
    email = models.CharField(max_length=10, choices=Email.choices, default=Email.IMMEDIATE)
    emailed_at = models.DateTimeField(_("wysłane e-mailem"), null=True, blank=True)
    # Failed sends of the e-mail copy: retried (tasks.py) until it is sent or MAX_EMAIL_ATTEMPTS is reached.
    email_attempts = models.PositiveSmallIntegerField(_("nieudane próby wysłania"), default=0)
    email_error = models.CharField(_("ostatni błąd wysyłki"), max_length=500, blank=True)
    # A reminder's identity (what it reminds of, and of which deadline): at most one per person.
    key = models.CharField(max_length=200, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("powiadomienie")
        verbose_name_plural = _("powiadomienia")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~Q(key=""), name="notification_key_once_per_recipient"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
            models.Index(fields=["email", "emailed_at"], name="notification_email_idx"),
        ]

    def __str__(self) -> str:
        return self.subject


class OutgoingEmail(models.Model):
    """One e-mail to plain addresses (an organisation's mailbox, someone without an account), recorded in the
    transaction of the act that sends it and sent by the worker; a failed send is recorded and retried."""

    subject = models.CharField(_("temat"), max_length=300)
    body = models.TextField(_("treść"))
    to = models.JSONField(_("adresaci"), default=list)
    headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("utworzone"), default=timezone.now)
    sent_at = models.DateTimeField(_("wysłane"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("nieudane próby wysłania"), default=0)
    last_error = models.CharField(_("ostatni błąd wysyłki"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("wiadomość e-mail")
        verbose_name_plural = _("wiadomości e-mail")
        indexes = [models.Index(fields=["sent_at", "created_at"], name="outgoing_email_unsent_idx")]

    def __str__(self) -> str:
        return self.subject


class Subscription(models.Model):
    """A mailbox that wants to hear of new calls and/or consultations in chosen areas of art. 4 ust. 1.

    Confirmed at once for a signed-in person with a confirmed address, otherwise by the link sent to the mailbox
    (double opt-in): until then nothing is sent there except that one link."""

    email = models.EmailField(_("adres e-mail"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    areas = models.ManyToManyField(
        "organisations.PublicTaskArea", related_name="+", blank=True, verbose_name=_("sfery zadań publicznych")
    )
    calls = models.BooleanField(_("nowe otwarte konkursy ofert"), default=True)
    consultations = models.BooleanField(_("nowe konsultacje"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(_("potwierdzona"), null=True, blank=True)

    class Meta:
        verbose_name = _("subskrypcja")
        verbose_name_plural = _("subskrypcje")

    def __str__(self) -> str:
        return self.email


class SubscriptionDelivery(models.Model):
    """One announcement sent to one subscription: sending the same call or consultation again sends nothing."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    key = models.CharField(max_length=100)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "key"], name="subscription_delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.subscription} – {self.key}"
