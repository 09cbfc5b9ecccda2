"""Offers outside calls: small grants (art. 19a, „małe granty”) and own-initiative offers (art. 12).

The offer itself is an ``Offer`` with ``kind`` SMALL_GRANT or OWN_INITIATIVE and no call; ``DirectOffer`` says to
which authority it is addressed. The four small-grant limits are dated configuration (``SmallGrantLimits``).
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..workdays import add_working_days
from .calls import MONEY
from .offers import Offer

# Art. 19a ust. 3: published within 7 working days of receipt, for 7 days; ust. 4: comments during those days.
PUBLICATION_WORKING_DAYS = 7
COMMENT_DAYS = 7
# Art. 12 ust. 2: the authority considers an own-initiative offer within one month.
OWN_INITIATIVE_MONTHS = 1


@dataclass(frozen=True)
class Limits:
    """The four values of art. 19a in force on a day."""

    valid_from: date | None
    max_grant: Decimal
    max_days: int
    max_per_organisation_year: Decimal
    max_share_pct: Decimal | None  # None: the act sets no cap on the share from that day
    legal_basis: str


# The law as in the consolidated text Dz.U. 2024 poz. 1491 (art. 19a ust. 1, 6, 7); used when no row is in force.
#
# The share cap, checked 2026-12-01 (issue 12 asked whether the 20% cap is still statutory). What the sources say:
# - art. 19a ust. 2 reads "(uchylony)" in the consolidated texts (Dz.U. 2023 poz. 571 as quoted by arslege.pl and
#   lexlege.pl, 23.05.2024): the old ust. 2 is gone, but it was never the share cap;
# - the share cap is ust. 7: "wysokość środków finansowych przyznanych przez organ wykonawczy jednostki samorządu
#   terytorialnego w trybie [ust. 1] nie może przekroczyć 20% dotacji planowanych w roku budżetowym na realizację
#   zadań publicznych przez organizacje pozarządowe" (quoted by BIP Mściwojów 2018 and BIP Wądroże Wielkie 2020);
# - in May 2025 the government's outline of an amendment proposed raising it "z 20 proc. do 30 proc." together with
#   10 000 → 20 000 zł and 20 000 → 40 000 zł (Gazeta Prawna, 2025-05, "Rząd chce ułatwić samorządom współpracę
#   z organizacjami pozarządowymi"), i.e. the 20% cap was in force then; no enacted amendment was found.
# So the 20% stays a dated statutory value here. The limits are dated rows: from the day an amendment changes or
# drops the cap, a superuser adds a row with the new value or with no share cap at all (``max_share_pct`` empty),
# and the programme's own cap (``Programme.small_grants_cap_pct``, as older programmes set one) still applies.
LEGAL_DEFAULTS = Limits(
    valid_from=None,
    max_grant=Decimal("10000.00"),
    max_days=90,
    max_per_organisation_year=Decimal("20000.00"),
    max_share_pct=Decimal("20.00"),
    legal_basis="art. 19a ust. 1, 6 i 7 ustawy (Dz.U. z 2024 r. poz. 1491)",
)


class SmallGrantLimitsQuerySet(models.QuerySet):
    def on(self, day: date) -> Limits:
        """The limits in force on ``day``: the latest row valid from that day or before, else the statute."""
        row = self.filter(valid_from__lte=day).order_by("-valid_from").first()
        if row is None:
            return LEGAL_DEFAULTS
        return Limits(
            valid_from=row.valid_from,
            max_grant=row.max_grant,
            max_days=row.max_days,
            max_per_organisation_year=row.max_per_organisation_year,
            max_share_pct=row.max_share_pct,
            legal_basis=row.legal_basis,
        )


class SmallGrantLimits(models.Model):
    """The small-grant limits from a date on (a change of the act): edited by superusers only."""

    valid_from = models.DateField(_("obowiązuje od"), unique=True)
    max_grant = models.DecimalField(
        _("maksymalna kwota małej dotacji"),
        **MONEY,
        default=LEGAL_DEFAULTS.max_grant,
        validators=[MinValueValidator(0)],
    )
    max_days = models.PositiveSmallIntegerField(
        _("maksymalny czas realizacji zadania (dni)"), default=LEGAL_DEFAULTS.max_days
    )
    max_per_organisation_year = models.DecimalField(
        _("limit dla jednej organizacji w roku kalendarzowym"),
        **MONEY,
        default=LEGAL_DEFAULTS.max_per_organisation_year,
        validators=[MinValueValidator(0)],
    )
    max_share_pct = models.DecimalField(
        _("limit udziału w dotacjach planowanych w roku budżetowym (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Puste: od tego dnia ustawa nie ogranicza udziału małych dotacji (limit może ustalić program)."),
        default=LEGAL_DEFAULTS.max_share_pct,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    legal_basis = models.CharField(_("podstawa prawna"), max_length=200, default=LEGAL_DEFAULTS.legal_basis)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SmallGrantLimitsQuerySet.as_manager()

    class Meta:
        verbose_name = _("limity małych dotacji (art. 19a)")
        verbose_name_plural = _("limity małych dotacji (art. 19a)")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"Limity art. 19a od {self.valid_from:%d.%m.%Y}"


def last_second_of(day: date) -> datetime:
    """23:59:59 of ``day`` in Warsaw: a time limit counted in days runs to the end of its last day."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=timezone.get_current_timezone())


def add_month(day: date) -> date:
    """The same day a month later (the month's last day when it has no such day: 31.01 → 28/29.02)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class DirectOffer(models.Model):
    """An offer filed outside a call, addressed to an authority (section I.1 of the form)."""

    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="direct")
    authority = models.ForeignKey(
        "programmes.Authority", on_delete=models.PROTECT, related_name="direct_offers", verbose_name=_("adresat")
    )
    # The budget year of the task (its start), fixed at publication: the yearly limits of art. 19a count by it.
    year = models.PositiveSmallIntegerField(_("rok budżetowy"), null=True, blank=True)

    class Meta:
        verbose_name = _("oferta poza konkursem")
        verbose_name_plural = _("oferty poza konkursem")

    def __str__(self) -> str:
        return str(self.offer)


def received_on(offer: Offer) -> date | None:
    """The day the office received the offer: the day of its first submitted version (Europe/Warsaw)."""
    first = getattr(offer, "first_submitted_at", None)
    if first is None:
        version = offer.versions.order_by("number").first()
        first = version.submitted_at if version else None
    return timezone.localdate(first) if first else None


def publication_due(received: date) -> date:
    return add_working_days(received, PUBLICATION_WORKING_DAYS)


def answer_due(received: date) -> date:
    return add_month(received)


def office_due(offer: Offer, received: date) -> date:
    """The office's deadline for an offer received on ``received``: publication within 7 working days for a small
    grant (art. 19a ust. 3), the answer within a month for an own-initiative offer (art. 12 ust. 2)."""
    return publication_due(received) if offer.kind == Offer.Kind.SMALL_GRANT else answer_due(received)


class SmallGrantPublication(models.Model):
    """Art. 19a ust. 3–4: the offer published for 7 days; anyone may comment until ``comments_until``."""

    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="publication")
    published_at = models.DateTimeField(_("opublikowano"))
    comments_until = models.DateTimeField(_("uwagi do"))
    bip_url = models.URLField(_("adres BIP"), blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision_published_at = models.DateTimeField(_("rozstrzygnięcie opublikowano"), null=True, blank=True)

    class Meta:
        verbose_name = _("publikacja oferty (art. 19a)")
        verbose_name_plural = _("publikacje ofert (art. 19a)")
        ordering = ["-published_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(comments_until__gt=models.F("published_at")), name="publication_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"Publikacja: {self.offer}"

    @staticmethod
    def period_end(published_at: datetime) -> datetime:
        """The last second of the 7th day after publication (the day of publication does not count), in Warsaw."""
        return last_second_of(timezone.localdate(published_at) + timedelta(days=COMMENT_DAYS))

    def accepts_comments_at(self, now: datetime) -> bool:
        return self.published_at <= now <= self.comments_until


class PublicComment(models.Model):
    """Art. 19a ust. 4: a comment anyone may make on a published offer, and how the office considered it."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="public_comments")
    name = models.CharField(_("imię i nazwisko lub nazwa"), max_length=200)
    email = models.EmailField(_("adres e-mail"))
    text = models.TextField(_("treść uwagi"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    consideration = models.TextField(_("sposób rozpatrzenia uwagi"), blank=True, max_length=5000)
    considered_at = models.DateTimeField(null=True, blank=True)
    considered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("uwaga do oferty (art. 19a)")
        verbose_name_plural = _("uwagi do ofert (art. 19a)")
        ordering = ["offer", "created_at"]

    def __str__(self) -> str:
        return f"{self.name}: {self.text[:40]}"


class OwnInitiativeAssessment(models.Model):
    """Art. 12 ust. 2: whether the task is worthwhile and, if so, how it will be commissioned."""

    class Outcome(models.TextChoices):
        WORTHWHILE = "worthwhile", _("realizacja zadania jest celowa")
        NOT_WORTHWHILE = "not_worthwhile", _("realizacja zadania nie jest celowa")

    class CommissioningMode(models.TextChoices):
        OPEN_CALL = "open_call", _("otwarty konkurs ofert")
        SMALL_GRANT = "small_grant", _("tryb małych dotacji (art. 19a)")
        OTHER = "other", _("inny tryb przewidziany w ustawie")

    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="assessment")
    outcome = models.CharField(_("wynik"), max_length=20, choices=Outcome.choices)
    commissioning_mode = models.CharField(
        _("tryb zlecenia zadania"), max_length=20, choices=CommissioningMode.choices, blank=True
    )
    planned_call_date = models.DateField(_("planowany termin ogłoszenia konkursu"), null=True, blank=True)
    reasons = models.TextField(_("uzasadnienie"), max_length=5000)
    decided_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    informed_at = models.DateTimeField(_("oferenta poinformowano"), null=True, blank=True)

    class Meta:
        verbose_name = _("rozpatrzenie oferty z własnej inicjatywy")
        verbose_name_plural = _("rozpatrzenia ofert z własnej inicjatywy")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="not_worthwhile") | ~Q(commissioning_mode=""), name="assessment_worthwhile_has_mode"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer} – {self.get_outcome_display()}"
