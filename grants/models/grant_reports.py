"""Sprawozdania z wykonania zadania (art. 18; Dz.U. 2018 poz. 2057 zał. 5), zwroty dotacji i kontrole (art. 17)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .agreements import Agreement, AgreementCostLine
from .calls import MONEY, NOT_NEGATIVE


class GrantReport(models.Model):
    """A partial or final report on one agreement: part I (results, activities), part II (expenses), part III."""

    class Kind(models.TextChoices):
        PARTIAL = "partial", _("sprawozdanie częściowe")
        FINAL = "final", _("sprawozdanie końcowe")

    class Status(models.TextChoices):
        DRAFT = "draft", _("wersja robocza")
        SUBMITTED = "submitted", _("złożone – w ocenie")
        RETURNED = "returned", _("zwrócone do poprawy")
        ACCEPTED = "accepted", _("przyjęte")

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="grant_reports")
    kind = models.CharField(_("rodzaj sprawozdania"), max_length=10, choices=Kind.choices, default=Kind.FINAL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    period_from = models.DateField(_("okres sprawozdawczy od"))
    period_to = models.DateField(_("okres sprawozdawczy do"))
    due_date = models.DateField(_("termin złożenia"))
    # Część I. Sprawozdanie merytoryczne
    results_description = models.TextField(
        _("opis osiągniętych rezultatów wraz z liczbowym określeniem skali działań"), blank=True, max_length=5000
    )
    results = models.JSONField(
        _("rezultaty: planowane i osiągnięte"),
        default=list,
        blank=True,
        help_text="Rows copied from the agreement's offer version (III.6): number, name, target, achieved.",
    )
    activities_description = models.TextField(
        _("szczegółowy opis wykonania poszczególnych działań"), blank=True, max_length=5000
    )
    beneficiaries = models.PositiveIntegerField(_("liczba odbiorców zadania"), default=0)
    volunteers = models.PositiveIntegerField(
        _("liczba osób świadczących pracę w ramach wkładu osobowego i wolontariatu"), default=0
    )
    # Część II. 2: rozliczenie ze względu na źródło finansowania (faktycznie)
    own_financial = models.DecimalField(
        _("wkład własny finansowy"), **MONEY, default=Decimal("0"), validators=NOT_NEGATIVE
    )
    personal_contribution = models.DecimalField(
        _("wkład osobowy (w tym świadczenia wolontariuszy i praca społeczna członków)"),
        **MONEY,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
    )
    in_kind_contribution = models.DecimalField(
        _("wkład rzeczowy"), **MONEY, default=Decimal("0"), validators=NOT_NEGATIVE
    )
    recipient_payments = models.DecimalField(
        _("świadczenia pieniężne od odbiorców zadania"), **MONEY, default=Decimal("0"), validators=NOT_NEGATIVE
    )
    other_revenue = models.DecimalField(
        _("inne przychody, w tym odsetki bankowe od dotacji"), **MONEY, default=Decimal("0"), validators=NOT_NEGATIVE
    )
    eu_funds = models.DecimalField(
        _("środki z funduszy Unii Europejskiej wykorzystane przy zadaniu"),
        **MONEY,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
    )
    # Część III. Dodatkowe informacje
    additional_info = models.TextField(_("dodatkowe informacje"), blank=True, max_length=3000)
    declarations_confirmed = models.BooleanField(_("oświadczenia"), default=False)
    # As Offer.typed_input: the whole form as typed when the last draft save had fields to correct.
    typed_input = models.JSONField(_("wpisane dane do poprawy"), null=True, blank=True, editable=False)

    requested_at = models.DateTimeField(_("wezwanie do złożenia sprawozdania częściowego"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("ostatnie przypomnienie"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("złożono"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("ocena urzędu"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_reasons = models.TextField(_("uwagi – powody zwrotu do poprawy"), blank=True, max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sprawozdanie z wykonania zadania")
        verbose_name_plural = _("sprawozdania z wykonania zadań")
        ordering = ["agreement", "period_to", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_to__gte=models.F("period_from")), name="grant_report_period"),
            # One final report per agreement; corrections edit it (returned → submitted again).
            models.UniqueConstraint(fields=["agreement"], condition=Q(kind="final"), name="grant_report_one_final"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.agreement}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class GrantReportLine(models.Model):
    """Part II.1: one agreement cost line, as agreed and as actually spent (of which from the grant)."""

    report = models.ForeignKey(GrantReport, on_delete=models.CASCADE, related_name="lines")
    cost_line = models.ForeignKey(AgreementCostLine, on_delete=models.PROTECT, related_name="report_lines")
    actual_total = models.DecimalField(
        _("faktycznie poniesione wydatki"), **MONEY, default=Decimal("0"), validators=NOT_NEGATIVE
    )
    actual_from_grant = models.DecimalField(
        _("w tym z dotacji"), **MONEY, default=Decimal("0"), validators=NOT_NEGATIVE
    )

    class Meta:
        ordering = ["report", "cost_line__order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "cost_line"], name="grant_report_line_unique"),
            models.CheckConstraint(
                condition=Q(actual_from_grant__lte=models.F("actual_total")), name="grant_report_line_grant_within"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cost_line} – {self.actual_total}"


class Refund(models.Model):
    """Zwrot dotacji: a payment back to the authority's account (UFP art. 251–252), with its kind."""

    class Kind(models.TextChoices):
        UNUSED = "unused", _("dotacja niewykorzystana (art. 251 UFP)")
        EXCESSIVE = "excessive", _("dotacja pobrana w nadmiernej wysokości (art. 252 UFP)")
        MISUSED = "misused", _("dotacja wykorzystana niezgodnie z przeznaczeniem (art. 252 UFP)")
        UNDUE = "undue", _("dotacja pobrana nienależnie (art. 252 UFP)")
        INTEREST = "interest", _("odsetki")

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="refunds")
    kind = models.CharField(_("tytuł zwrotu"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("kwota"), **MONEY, validators=NOT_NEGATIVE)
    paid_on = models.DateField(_("data wpływu na rachunek"))
    note = models.CharField(_("uwagi"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("zwrot dotacji")
        verbose_name_plural = _("zwroty dotacji")
        ordering = ["agreement", "paid_on", "pk"]
        constraints = [
            # 0,00 zł only as interest not charged (Ordynacja podatkowa art. 54 § 1 pkt 5), recorded with a reason.
            models.CheckConstraint(
                condition=Q(amount__gt=0) | Q(kind="interest", amount=0),
                name="refund_positive",
                violation_error_code="amount",
                violation_error_message=(
                    "Kwota zwrotu musi być większa od zera; 0,00 zł wpisuje się tylko jako odsetki, "
                    "których się nie pobiera."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount} zł"


class ControlPlan(models.Model):
    """Roczny plan kontroli (art. 17): the controls the authority plans for a year."""

    authority = models.ForeignKey("programmes.Authority", on_delete=models.PROTECT, related_name="control_plans")
    year = models.PositiveSmallIntegerField(_("rok"))
    adopted_on = models.DateField(_("data zatwierdzenia planu"), null=True, blank=True)
    notes = models.TextField(_("uwagi"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("plan kontroli")
        verbose_name_plural = _("plany kontroli")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["authority", "year"], name="control_plan_unique")]

    def __str__(self) -> str:
        return f"Plan kontroli na rok {self.year}"


class Control(models.Model):
    """A control of an agreement (art. 17): planned or ad hoc, with findings and the post-control statement."""

    class Type(models.TextChoices):
        DOCUMENTS = "documents", _("kontrola dokumentacji w urzędzie")
        PREMISES = "premises", _("kontrola w siedzibie zleceniobiorcy")
        ON_SITE = "on_site", _("kontrola w miejscu realizacji zadania")

    class Status(models.TextChoices):
        PLANNED = "planned", _("zaplanowana")
        DONE = "done", _("przeprowadzona")
        CANCELLED = "cancelled", _("odwołana")

    plan = models.ForeignKey(
        ControlPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="controls", verbose_name=_("plan")
    )
    authority = models.ForeignKey("programmes.Authority", on_delete=models.PROTECT, related_name="controls")
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="controls", verbose_name=_("umowa"), null=True, blank=True
    )
    type = models.CharField(_("rodzaj kontroli"), max_length=10, choices=Type.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    planned_for = models.DateField(_("planowany termin"), null=True, blank=True)
    started_on = models.DateField(_("rozpoczęcie kontroli"), null=True, blank=True)
    ended_on = models.DateField(_("zakończenie kontroli"), null=True, blank=True)
    scope = models.TextField(
        _("zakres kontroli"),
        blank=True,
        help_text=_(
            "Art. 17: stopień realizacji, efektywność, rzetelność i jakość, prawidłowość wykorzystania "
            "środków, dokumentacja."
        ),
        max_length=5000,
    )
    findings = models.TextField(_("ustalenia"), blank=True, max_length=10000)
    recommendations = models.TextField(_("wystąpienie pokontrolne – zalecenia"), blank=True, max_length=10000)
    recommendations_deadline = models.DateField(_("termin wykonania zaleceń"), null=True, blank=True)
    misused_amount = models.DecimalField(
        _("dotacja wykorzystana niezgodnie z przeznaczeniem (stwierdzona)"),
        **MONEY,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
    )
    follow_up = models.TextField(_("informacja o wykonaniu zaleceń"), blank=True, max_length=5000)
    follow_up_done_on = models.DateField(_("zalecenia wykonano"), null=True, blank=True)
    controller = models.CharField(_("kontrolujący"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kontrola")
        verbose_name_plural = _("kontrole")
        ordering = ["-planned_for", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="control_dates_ordered",
            ),
            models.CheckConstraint(condition=~Q(status="done") | Q(ended_on__isnull=False), name="control_done_ended"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} – {self.agreement or ''}".rstrip(" –")
