"""Umowa (art. 16, UFP art. 221 ust. 3): the agreement made from an award and the (updated) offer."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..limits import REPORT_DAYS, RETURN_DAYS
from .calls import MONEY, NOT_NEGATIVE
from .offers import CostItem, OfferVersion


class AgreementQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(status__in=[Agreement.Status.SIGNED, Agreement.Status.PERFORMED])


class Agreement(models.Model):
    """An agreement with its parties, dates, grant and tranches; cost lines are copied from the offer version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("projekt umowy")
        SIGNED = "signed", _("zawarta")
        PERFORMED = "performed", _("wykonana (rozliczona)")
        TERMINATED = "terminated", _("rozwiązana")

    authority = models.ForeignKey("programmes.Authority", on_delete=models.PROTECT, related_name="agreements")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("zleceniobiorca"),
    )
    # An agreement made in the portal comes from an award and an offer version; one imported from earlier years has
    # neither: its kind and call are recorded as they were (``import_batch`` says which import brought it).
    award = models.OneToOneField(
        "grants.Award", on_delete=models.PROTECT, related_name="agreement", null=True, blank=True
    )
    version = models.ForeignKey(OfferVersion, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zaimportowano"),
    )
    imported_kind = models.CharField(_("tryb (import)"), max_length=20, blank=True)
    imported_call = models.ForeignKey(
        "grants.OpenCall",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imported_agreements",
        verbose_name=_("konkurs (import)"),
    )
    imported_settled = models.DecimalField(
        _("rozliczono (import)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    number = models.CharField(_("numer umowy"), max_length=50)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    mode = models.CharField(_("forma"), max_length=10)
    title = models.CharField(_("tytuł zadania publicznego"), max_length=400)
    start_date = models.DateField(_("data rozpoczęcia"))
    end_date = models.DateField(_("data zakończenia"))
    grant_amount = models.DecimalField(_("kwota dotacji"), **MONEY, validators=NOT_NEGATIVE)
    own_financial = models.DecimalField(_("wkład własny finansowy"), **MONEY, default=Decimal("0"))
    own_non_financial = models.DecimalField(_("wkład własny niefinansowy"), **MONEY, default=Decimal("0"))
    recipient_payments = models.DecimalField(_("świadczenia od odbiorców"), **MONEY, default=Decimal("0"))
    total_cost = models.DecimalField(_("całkowity koszt zadania"), **MONEY)
    deviation_threshold_pct = models.DecimalField(
        _("dopuszczalne przesunięcie między pozycjami kosztorysu (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    bank_account = models.CharField(_("numer rachunku bankowego"), max_length=34, blank=True)
    authority_representatives = models.TextField(
        _("reprezentanci zleceniodawcy"),
        help_text=_("Imię, nazwisko i funkcja – po jednej osobie w wierszu."),
        max_length=5000,
    )
    organisation_representatives = models.TextField(
        _("reprezentanci zleceniobiorcy"),
        help_text=_("Imię, nazwisko i funkcja – po jednej osobie w wierszu."),
        max_length=5000,
    )
    # The authority's side as it stood when the agreement was drawn up: a later change of the authority's settings
    # (its executive, its additional clauses) does not change an agreement already made.
    authority_executive = models.CharField(
        _("organ wykonawczy zleceniodawcy"),
        max_length=200,
        blank=True,
        help_text=_("Pełna nazwa organu w dniu sporządzenia umowy, np. Zarząd Powiatu Kozielskiego."),
    )
    authority_clauses = models.TextField(
        _("postanowienia dodatkowe jednostki"),
        max_length=10000,
        blank=True,
        help_text=_("Postanowienia dodatkowe z ustawień jednostki w dniu sporządzenia umowy."),
    )
    place = models.CharField(_("miejsce zawarcia"), max_length=100)
    signed_on = models.DateField(_("data zawarcia"), null=True, blank=True)
    terminated_on = models.DateField(_("data rozwiązania"), null=True, blank=True)
    termination_reason = models.TextField(_("przyczyna rozwiązania"), blank=True, max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("umowa")
        verbose_name_plural = _("umowy")
        ordering = ["-created_at", "number"]
        # The office's list of agreements, newest first; an authority's organisations read from the index alone
        # (``Organisation.objects.dealing_with``; README, "Query plans").
        indexes = [
            models.Index(fields=["authority", "-created_at"], name="agreement_authority_newest"),
            models.Index(fields=["authority"], include=["organisation"], name="agreement_authority_org"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["authority", "number"], name="agreement_number_unique"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="agreement_dates"),
            models.CheckConstraint(condition=Q(grant_amount__gt=0), name="agreement_grant_positive"),
            models.CheckConstraint(
                condition=Q(import_batch__isnull=False) | Q(award__isnull=False, version__isnull=False),
                name="agreement_from_award_or_imported",
            ),
        ]

    def __str__(self) -> str:
        return f"Umowa nr {self.number}"

    @property
    def executive_name(self) -> str:
        """The authority's executive as the agreement names it (its own copy; the authority's for an older row)."""
        return self.authority_executive or self.authority.executive_full_name

    @property
    def authority_grammar(self):
        """How the agreement declines the authority and its executive (``reports.templatetags.formatting``)."""
        from config.polish import AuthorityGrammar

        authority = self.authority
        return AuthorityGrammar(authority.kind, authority.name, self.executive_name, authority.council_name)

    @property
    def represented_by_executive_alone(self) -> bool:
        """Whether the authority's representatives are just its executive (no persons acting for it)."""
        authority = self.authority
        text = self.authority_representatives.strip()
        return text in {"", self.executive_name, f"{authority.get_executive_title_display()} {authority.name}"}

    def take_authority_terms(self) -> None:
        """Copy the authority's current executive and additional clauses onto the agreement (when it is made)."""
        self.authority_executive = self.authority.executive_full_name[:200]
        self.authority_clauses = self.authority.agreement_clauses

    @property
    def is_imported(self) -> bool:
        return self.import_batch_id is not None

    @property
    def call(self):
        """The open call the agreement comes from (``None`` for small grants and own-initiative offers)."""
        if self.award_id:
            return self.award.call if self.award.call_id else None
        return self.imported_call

    @property
    def budget_years(self) -> list[int]:
        """The budget years the task falls in (a multi-year agreement, art. 16 ust. 3, has more than one)."""
        return list(range(self.start_date.year, self.end_date.year + 1))

    @property
    def report_due(self):
        """Art. 18 ust. 1: the final report within 30 days of the end of the task."""
        return self.end_date + timedelta(days=REPORT_DAYS)

    @property
    def use_deadline(self):
        """UFP art. 221 ust. 3 pkt 3: the grant is used by the end of the task, never after 31 December."""
        return min(self.end_date, self.end_date.replace(month=12, day=31))

    @property
    def return_deadline(self):
        """UFP art. 251: unused grant is returned by 31 January when used until the year end, else within 15 days."""
        end = self.use_deadline
        if (end.month, end.day) == (12, 31):
            return end.replace(year=end.year + 1, month=1, day=31)
        return end + timedelta(days=RETURN_DAYS)


class AgreementCostLine(models.Model):
    """A cost line of the agreement's calculation, with the part of it paid from the grant."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="cost_lines")
    order = models.PositiveSmallIntegerField(_("lp."))
    category = models.CharField(_("kategoria"), max_length=2, choices=CostItem.Category.choices)
    activity_number = models.PositiveSmallIntegerField(_("nr działania"), null=True, blank=True)
    name = models.CharField(_("rodzaj kosztu"), max_length=300)
    total = models.DecimalField(_("wartość"), **MONEY, validators=NOT_NEGATIVE)
    from_grant = models.DecimalField(_("w tym z dotacji"), **MONEY, validators=NOT_NEGATIVE)

    class Meta:
        ordering = ["agreement", "order"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "order"], name="agreement_cost_line_unique"),
            models.CheckConstraint(condition=Q(from_grant__lte=models.F("total")), name="cost_line_grant_within"),
        ]

    def __str__(self) -> str:
        return self.name


class AgreementBudgetLine(models.Model):
    """The part of the grant charged to one budget line of the programme in one budget year (domain.md §12.5).

    The office confirms or corrects the lines when preparing the agreement; for each budget year the parts add up
    exactly to what the agreement gives in that year (the whole grant for a task within one year).
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="budget_charges")
    budget_line = models.ForeignKey(
        "programmes.BudgetLine",
        on_delete=models.PROTECT,
        related_name="agreement_charges",
        verbose_name=_("pozycja budżetu programu"),
    )
    year = models.PositiveSmallIntegerField(_("rok budżetowy"))
    amount = models.DecimalField(_("kwota"), **MONEY, validators=NOT_NEGATIVE)

    class Meta:
        verbose_name = _("dotacja na pozycji budżetu")
        verbose_name_plural = _("dotacje na pozycjach budżetu")
        ordering = ["agreement", "year", "budget_line__number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "budget_line", "year"], name="agreement_budget_line_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="agreement_budget_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.budget_line} ({self.year}): {self.amount} zł"


class TrancheQuerySet(models.QuerySet):
    def paid(self):
        return self.filter(paid_on__isnull=False)

    def unpaid(self):
        return self.filter(paid_on__isnull=True)

    def for_payment_list(self):
        """The payments list and its exports: each tranche with its agreement, organisation and call (one query)."""
        return self.select_related(
            "agreement__organisation", "agreement__award__call", "agreement__authority", "agreement__imported_call"
        ).order_by("due_date", "agreement__number", "number")

    def payment_rows(self):
        """What a row of the payments list shows, as a dict per tranche: a page of a hundred tranches read as models
        was about 600 instances of five wide models (agreement, organisation, award, call …), most of the page's
        Python time. ``call_number`` is ``Agreement.call``'s number (the award's call, else the imported one)."""
        return self.values(
            "pk",
            "number",
            "amount",
            "due_date",
            "paid_on",
            "agreement_id",
            agreement_number=F("agreement__number"),
            agreement_status=F("agreement__status"),
            organisation_name=F("agreement__organisation__name"),
            call_number=Case(
                When(agreement__award__isnull=False, then=F("agreement__award__call__number")),
                default=F("agreement__imported_call__number"),
            ),
        )


class Tranche(models.Model):
    """A part of the grant due on a date; paid in full by one transfer (grants/services/payments.py) or not at all."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="tranches")
    number = models.PositiveSmallIntegerField(_("nr transzy"))
    amount = models.DecimalField(_("kwota"), **MONEY, validators=NOT_NEGATIVE)
    due_date = models.DateField(_("termin przekazania"))
    paid_on = models.DateField(_("przekazano"), null=True, blank=True)
    transfer_title = models.CharField(_("tytuł przelewu"), max_length=140, blank=True)
    paid_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_recorded_at = models.DateTimeField(_("przelew zapisano"), null=True, blank=True)

    objects = TrancheQuerySet.as_manager()

    class Meta:
        verbose_name = _("transza")
        verbose_name_plural = _("transze")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="tranche_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="tranche_positive"),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=False) | Q(transfer_title="", paid_recorded_at__isnull=True),
                name="tranche_transfer_only_when_paid",
            ),
        ]
        indexes = [models.Index(fields=["due_date"], name="tranche_due_date")]

    def __str__(self) -> str:
        return f"Transza {self.number}"

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None


class Annex(models.Model):
    """Aneks: a written change of the agreement (art. 16; the 2018 template's final provisions)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="annexes")
    number = models.PositiveSmallIntegerField(_("nr aneksu"))
    signed_on = models.DateField(_("data zawarcia"))
    subject = models.TextField(_("przedmiot zmiany"), max_length=5000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("aneks")
        verbose_name_plural = _("aneksy")
        ordering = ["agreement", "number"]
        constraints = [models.UniqueConstraint(fields=["agreement", "number"], name="annex_unique")]

    def __str__(self) -> str:
        return f"Aneks nr {self.number}"
