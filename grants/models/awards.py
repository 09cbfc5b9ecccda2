"""Rozstrzygnięcie: awards, requests for justification, appeals and updated offers (aktualizacja)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .calls import MONEY, NOT_NEGATIVE, OpenCall
from .offers import Offer, OfferVersion


class Award(models.Model):
    """The executive's decision on one offer: the proposal (commission, staff), then the amount granted or a refusal.

    Used for call offers and small grants alike; ``call`` is empty for offers outside calls.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("propozycja")
        GRANTED = "granted", _("dotacja przyznana")
        REFUSED = "refused", _("dotacji nie przyznano")

    offer = models.OneToOneField(Offer, on_delete=models.PROTECT, related_name="award")
    call = models.ForeignKey(OpenCall, on_delete=models.PROTECT, related_name="awards", null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    requested_amount = models.DecimalField(_("wnioskowana kwota"), **MONEY)
    proposed_amount = models.DecimalField(
        _("proponowana kwota"), **MONEY, null=True, blank=True, validators=NOT_NEGATIVE
    )
    amount = models.DecimalField(_("przyznana kwota"), **MONEY, null=True, blank=True, validators=NOT_NEGATIVE)
    reasons = models.TextField(_("uzasadnienie"), blank=True, max_length=5000)
    decided_at = models.DateTimeField(_("data rozstrzygnięcia"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("rozstrzygnięcie")
        verbose_name_plural = _("rozstrzygnięcia")
        ordering = ["call", "offer"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="granted") | Q(amount__gt=0), name="award_granted_has_amount"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__lte=models.F("requested_amount")),
                name="award_not_above_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer} – {self.get_status_display()}"

    @property
    def is_lower(self) -> bool:
        return self.status == self.Status.GRANTED and self.amount < self.requested_amount


class OfferUpdate(models.Model):
    """Aktualizacja oferty: after a lower award the offeror adapts activities, costs and sources to the amount."""

    class Status(models.TextChoices):
        REQUIRED = "required", _("oczekuje na aktualizację")
        SUBMITTED = "submitted", _("aktualizacja złożona")
        RETURNED = "returned", _("zwrócona do poprawy")
        ACCEPTED = "accepted", _("aktualizacja przyjęta")
        WITHDRAWN = "withdrawn", _("oferent zrezygnował z realizacji")

    award = models.OneToOneField(Award, on_delete=models.CASCADE, related_name="offer_update")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUIRED)
    version = models.ForeignKey(OfferVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    remarks = models.TextField(_("uwagi urzędu"), blank=True, max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("aktualizacja oferty")
        verbose_name_plural = _("aktualizacje ofert")

    def __str__(self) -> str:
        return f"Aktualizacja: {self.award.offer}"


class JustificationRequest(models.Model):
    """Art. 15 ust. 2i: anyone may ask for the reasons for choosing or rejecting an offer within 30 days."""

    call = models.ForeignKey(OpenCall, on_delete=models.CASCADE, related_name="justification_requests")
    offer = models.ForeignKey(Offer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    name = models.CharField(_("imię i nazwisko lub nazwa"), max_length=200)
    email = models.EmailField(_("adres e-mail"))
    question = models.TextField(_("treść wniosku"), max_length=5000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("uzasadnienie"), blank=True, max_length=5000)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("wniosek o uzasadnienie")
        verbose_name_plural = _("wnioski o uzasadnienie")
        ordering = ["call", "requested_at"]

    def __str__(self) -> str:
        return f"{self.name} – {self.call.number}"


class Appeal(models.Model):
    """Odwołanie od wyników (a local rule, e.g. S4 § 12: 7 days to appeal, 14 to decide)."""

    class Status(models.TextChoices):
        FILED = "filed", _("złożone")
        RESCORING = "rescoring", _("skierowane do ponownej oceny komisji")
        UPHELD = "upheld", _("uwzględnione")
        DISMISSED = "dismissed", _("nieuwzględnione")

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="appeals")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.FILED)
    grounds = models.TextField(_("uzasadnienie odwołania"), max_length=5000)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(default=timezone.now)
    decision = models.TextField(_("rozstrzygnięcie odwołania"), blank=True, max_length=5000)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("odwołanie")
        verbose_name_plural = _("odwołania")
        ordering = ["filed_at"]
        constraints = [
            models.UniqueConstraint(fields=["offer"], name="appeal_one_per_offer"),
        ]

    def __str__(self) -> str:
        return f"Odwołanie: {self.offer}"

    @property
    def decision_due(self):
        """When the appeal must be decided (the programme's days from filing, e.g. 14 in S4 § 12)."""
        return self.filed_at + timedelta(days=self.offer.call.programme.appeal_decision_days)
