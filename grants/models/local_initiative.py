"""Local initiative (inicjatywa lokalna, art. 2 pkt 4 and chapter 2a, art. 19b–19h of the Public Benefit Act).

A form of cooperation of the authority with its residents (art. 5 ust. 2 pkt 6: „umowy o wykonanie inicjatywy
lokalnej”) that differs from commissioning: the applicants may be a group of residents without any organisation
(art. 19b ust. 1: „mieszkańcy … bezpośrednio lub za pośrednictwem organizacji pozarządowych”), the authority
transfers no grant but carries the task out together with them (buys services and materials, lends equipment and
space), and the residents' own contribution – social work, in kind or money – is what the council's criteria weigh
most (art. 19c ust. 1).

- ``LocalInitiativeRules``: the council resolution (art. 19c ust. 1) with its criteria (``LocalInitiativeCriterion``).
- ``LocalInitiativeReserve``: the part of a budget line of the programme set aside for local initiative.
- ``LocalInitiativeRequest``: the request (wniosek, art. 19b ust. 1) with its supporting residents.
- ``LocalInitiativeScore``: the office's score of a request on one criterion (art. 19c ust. 2).
- ``LocalInitiativeAgreement``: the agreement on execution, for a fixed term, with its annexes, the authority's
  spending (``LocalInitiativeExpense``) and the residents' report (``LocalInitiativeReport``).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .calls import MONEY, NOT_NEGATIVE

# Art. 19b ust. 1: the spheres of art. 4 ust. 1 in which a local initiative may be requested. Pkt 13 covers in
# particular building, extending or repairing roads, sewerage, water mains, buildings and small architecture;
# pkt 18 includes greenery. Codes as in ``organisations.PublicTaskArea``.
ALLOWED_AREA_CODES = ("13", "3", "4", "5", "16", "27", "14", "17", "19", "18", "20", "32a")
ALLOWED_AREAS_CITATION = "art. 19b ust. 1 ustawy"


class LocalInitiativeRules(models.Model):
    """The council resolution on the procedure and the detailed criteria (art. 19c ust. 1).

    The statute says the criteria „powinny uwzględniać przede wszystkim wkład pracy społecznej”: the services refuse
    a criteria set without a social-work criterion, or with another criterion weighing more.
    """

    authority = models.ForeignKey(
        "programmes.Authority", on_delete=models.PROTECT, related_name="local_initiative_rules"
    )
    resolution_number = models.CharField(_("numer uchwały rady"), max_length=100)
    resolution_date = models.DateField(_("data uchwały"))
    valid_from = models.DateField(_("obowiązuje od"))
    procedure = models.TextField(_("tryb oceny wniosków"), max_length=10000)
    social_work_hour_rate = models.DecimalField(
        _("wartość godziny pracy społecznej"),
        **MONEY,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Stawka, po której urząd wycenia godzinę pracy społecznej mieszkańców (zł)."),
    )
    min_residents = models.PositiveSmallIntegerField(
        _("najmniejsza liczba mieszkańców popierających wniosek grupy"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("zasady inicjatywy lokalnej (uchwała rady)")
        verbose_name_plural = _("zasady inicjatywy lokalnej (uchwały rady)")
        ordering = ["authority", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "valid_from"], name="li_rules_one_per_day"),
            models.CheckConstraint(condition=Q(social_work_hour_rate__gt=0), name="li_rules_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"Uchwała nr {self.resolution_number} z {self.resolution_date:%d.%m.%Y}"


class LocalInitiativeCriterion(models.Model):
    """A detailed criterion of the council's resolution: its scale (0 … ``max_points``) and weight."""

    rules = models.ForeignKey(LocalInitiativeRules, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("lp."))
    name = models.CharField(_("kryterium"), max_length=300)
    description = models.TextField(_("opis skali"), blank=True, max_length=2000)
    max_points = models.PositiveSmallIntegerField(
        _("skala: najwyżej punktów"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    weight = models.DecimalField(
        _("waga (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    is_social_work = models.BooleanField(_("wkład pracy społecznej mieszkańców"), default=False)

    class Meta:
        verbose_name = _("kryterium oceny wniosku")
        verbose_name_plural = _("kryteria oceny wniosków")
        ordering = ["rules", "order"]
        constraints = [
            models.UniqueConstraint(fields=["rules", "order"], name="li_criterion_order_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=100), name="li_criterion_weight_range"),
            models.CheckConstraint(condition=Q(max_points__gte=1), name="li_criterion_scale_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class LocalInitiativeReserve(models.Model):
    """The part of a programme's budget line reserved for local initiative (a „rezerwa celowa”)."""

    budget_line = models.OneToOneField(
        "programmes.BudgetLine", on_delete=models.PROTECT, related_name="local_initiative_reserve"
    )
    amount = models.DecimalField(_("rezerwa na inicjatywę lokalną"), **MONEY, validators=NOT_NEGATIVE)

    class Meta:
        verbose_name = _("rezerwa na inicjatywę lokalną")
        verbose_name_plural = _("rezerwy na inicjatywę lokalną")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="li_reserve_not_negative")]

    def __str__(self) -> str:
        return f"Rezerwa: {self.budget_line}"


class LocalInitiativeRequestQuerySet(models.QuerySet):
    def of_applicant(self, user, organisation_ids=()):
        """A resident's own requests (those they started) and their organisations' requests."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(Q(created_by=user) | Q(organisation_id__in=list(organisation_ids)))

    def decided_publicly(self):
        """Decisions anyone may read: accepted or refused requests."""
        return self.filter(status__in=[LocalInitiativeRequest.Status.ACCEPTED, LocalInitiativeRequest.Status.REFUSED])

    def for_staff_list(self):
        return self.select_related("authority", "organisation", "task_area").annotate(
            supporter_count=models.Count("supporters", distinct=True),
            score_count=models.Count("scores", distinct=True),
        )


class LocalInitiativeRequest(models.Model):
    """A request for a public task carried out as a local initiative (art. 19b ust. 1)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("wersja robocza")
        SUBMITTED = "submitted", _("złożony – w ocenie")
        COMPLETION = "completion", _("do uzupełnienia")
        ACCEPTED = "accepted", _("przyjęty do realizacji")
        REFUSED = "refused", _("nieprzyjęty")
        WITHDRAWN = "withdrawn", _("wycofany")

    class ApplicantKind(models.TextChoices):
        RESIDENTS = "residents", _("grupa mieszkańców")
        ORGANISATION = "organisation", _("organizacja w imieniu mieszkańców")

    authority = models.ForeignKey(
        "programmes.Authority",
        on_delete=models.PROTECT,
        related_name="local_initiative_requests",
        verbose_name=_("adresat wniosku"),
    )
    rules = models.ForeignKey(
        LocalInitiativeRules, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    applicant_kind = models.CharField(_("wnioskodawca"), max_length=20, choices=ApplicantKind.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_initiative_requests",
        verbose_name=_("organizacja"),
    )
    initiator_name = models.CharField(_("imię i nazwisko inicjatora"), max_length=200)
    initiator_address = models.CharField(_("adres zamieszkania inicjatora"), max_length=300)
    initiator_email = models.EmailField(_("e-mail inicjatora"))
    initiator_phone = models.CharField(_("telefon inicjatora"), max_length=30, blank=True)
    title = models.CharField(_("nazwa inicjatywy"), max_length=300)
    task_area = models.ForeignKey(
        "organisations.PublicTaskArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sfera zadań publicznych"),
    )
    description = models.TextField(_("opis zadania i jego celowość dla społeczności lokalnej"), max_length=10000)
    place = models.CharField(_("miejsce realizacji"), max_length=300)
    start_date = models.DateField(_("początek realizacji"), null=True, blank=True)
    end_date = models.DateField(_("koniec realizacji"), null=True, blank=True)
    schedule = models.TextField(_("harmonogram"), max_length=5000)
    total_cost = models.DecimalField(_("szacunkowy koszt całego zadania"), **MONEY, validators=NOT_NEGATIVE)
    social_work_hours = models.DecimalField(
        _("praca społeczna (godziny)"), max_digits=10, decimal_places=2, default=0, validators=NOT_NEGATIVE
    )
    social_work_description = models.TextField(_("na czym polega praca społeczna"), blank=True, max_length=3000)
    in_kind_value = models.DecimalField(
        _("wkład rzeczowy (wartość)"), **MONEY, default=Decimal("0"), validators=NOT_NEGATIVE
    )
    in_kind_description = models.TextField(_("wkład rzeczowy (opis)"), blank=True, max_length=3000)
    financial_contribution = models.DecimalField(
        _("wkład finansowy"), **MONEY, default=Decimal("0"), validators=NOT_NEGATIVE
    )
    requested_services = models.TextField(_("usługi, które ma kupić urząd"), blank=True, max_length=3000)
    requested_materials = models.TextField(_("materiały, które ma kupić urząd"), blank=True, max_length=3000)
    requested_equipment = models.TextField(_("sprzęt do użyczenia"), blank=True, max_length=3000)
    requested_space = models.TextField(_("pomieszczenia lub teren do udostępnienia"), blank=True, max_length=3000)
    requested_amount = models.DecimalField(
        _("szacunkowy koszt po stronie urzędu"), **MONEY, default=Decimal("0"), validators=NOT_NEGATIVE
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(default=0)
    # Submission: frozen data, its SHA-256 and the receipt number (as for offers).
    receipt_number = models.CharField(_("numer potwierdzenia"), max_length=40, blank=True)
    submitted_at = models.DateTimeField(_("złożono"), null=True, blank=True)
    submitted_data = models.JSONField(default=dict, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    submission_count = models.PositiveSmallIntegerField(default=0)
    completion_note = models.TextField(_("co uzupełnić"), blank=True, max_length=5000)
    completion_requested_at = models.DateTimeField(null=True, blank=True)
    # Decision of the executive (art. 19c ust. 2: the criteria and the purposefulness for the local community).
    decided_at = models.DateTimeField(_("rozstrzygnięto"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reasons = models.TextField(_("uzasadnienie rozstrzygnięcia"), blank=True, max_length=5000)
    weighted_score = models.DecimalField(
        _("ocena ważona (pkt na 100)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = LocalInitiativeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("wniosek o realizację inicjatywy lokalnej")
        verbose_name_plural = _("wnioski o realizację inicjatywy lokalnej")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applicant_kind="residents", organisation__isnull=True)
                | Q(applicant_kind="organisation", organisation__isnull=False),
                name="li_request_applicant_consistent",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="li_request_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def social_work_rate(self) -> Decimal:
        return self.rules.social_work_hour_rate if self.rules_id else Decimal("0")

    @property
    def social_work_value(self) -> Decimal:
        """Art. 19e: social work valued at the rate the council's rules set (hours × rate)."""
        return (self.social_work_hours * self.social_work_rate).quantize(Decimal("0.01"))

    @property
    def residents_contribution(self) -> Decimal:
        return self.social_work_value + self.in_kind_value + self.financial_contribution

    @property
    def applicant_label(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        return f"Grupa mieszkańców (inicjator: {self.initiator_name})"


class LocalInitiativeSupporter(models.Model):
    """A resident supporting a group's request, who consented to the processing of their data."""

    request = models.ForeignKey(LocalInitiativeRequest, on_delete=models.CASCADE, related_name="supporters")
    order = models.PositiveSmallIntegerField(_("lp."))
    full_name = models.CharField(_("imię i nazwisko"), max_length=200)
    address = models.CharField(_("adres zamieszkania"), max_length=300)
    consent = models.BooleanField(_("zgoda na przetwarzanie danych osobowych"))
    consent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mieszkaniec popierający wniosek")
        verbose_name_plural = _("mieszkańcy popierający wniosek")
        ordering = ["request", "order"]
        constraints = [
            models.UniqueConstraint(fields=["request", "order"], name="li_supporter_order_unique"),
            models.CheckConstraint(condition=Q(consent=True), name="li_supporter_consented"),
        ]

    def __str__(self) -> str:
        return self.full_name


class LocalInitiativeScore(models.Model):
    """The office's points for a request on one criterion of the council's resolution, with a justification."""

    request = models.ForeignKey(LocalInitiativeRequest, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(LocalInitiativeCriterion, on_delete=models.PROTECT, related_name="scores")
    points = models.DecimalField(_("punkty"), max_digits=5, decimal_places=1, validators=NOT_NEGATIVE)
    justification = models.TextField(_("uzasadnienie"), max_length=3000)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ocena wniosku w kryterium")
        verbose_name_plural = _("oceny wniosków w kryteriach")
        ordering = ["request", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["request", "criterion"], name="li_score_one_per_criterion"),
            models.CheckConstraint(condition=Q(points__gte=0), name="li_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"


class LocalInitiativeAgreementQuerySet(models.QuerySet):
    def for_staff_list(self):
        return self.select_related("request", "request__organisation", "budget_line").annotate(
            spent=models.Sum("expenses__amount", default=Decimal("0"))
        )


class LocalInitiativeAgreement(models.Model):
    """Umowa o wykonanie inicjatywy lokalnej: concluded by the executive for a fixed term after the request is
    considered (chapter 2a of the act); the authority's share is its spending, capped here, never a grant."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("projekt umowy")
        SIGNED = "signed", _("zawarta – w realizacji")
        COMPLETED = "completed", _("wykonana i rozliczona")
        TERMINATED = "terminated", _("rozwiązana")

    request = models.OneToOneField(LocalInitiativeRequest, on_delete=models.PROTECT, related_name="agreement")
    authority = models.ForeignKey(
        "programmes.Authority", on_delete=models.PROTECT, related_name="local_initiative_agreements"
    )
    budget_line = models.ForeignKey(
        "programmes.BudgetLine",
        on_delete=models.PROTECT,
        related_name="local_initiative_agreements",
        verbose_name=_("pozycja budżetu programu"),
    )
    number = models.CharField(_("numer umowy"), max_length=50)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    start_date = models.DateField(_("data rozpoczęcia"))
    end_date = models.DateField(_("data zakończenia"))
    spending_cap = models.DecimalField(
        _("najwyższa kwota wydatków urzędu"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    authority_provides = models.TextField(_("co zapewnia urząd (usługi, materiały)"), max_length=5000)
    residents_provide = models.TextField(_("co zapewniają wnioskodawcy"), max_length=5000)
    equipment_lent = models.TextField(_("rzeczy użyczone przez urząd i zasady ich zwrotu"), blank=True, max_length=5000)
    results_ownership = models.TextField(_("do kogo należą efekty (np. wykonane obiekty)"), max_length=3000)
    authority_representatives = models.TextField(_("reprezentanci urzędu"), max_length=2000)
    applicant_representatives = models.TextField(_("reprezentanci wnioskodawców"), max_length=2000)
    place = models.CharField(_("miejsce zawarcia"), max_length=100)
    signed_on = models.DateField(_("data zawarcia"), null=True, blank=True)
    terminated_on = models.DateField(_("data rozwiązania"), null=True, blank=True)
    termination_reason = models.TextField(_("przyczyna rozwiązania"), blank=True, max_length=5000)
    completed_at = models.DateTimeField(_("rozliczono"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = LocalInitiativeAgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("umowa o wykonanie inicjatywy lokalnej")
        verbose_name_plural = _("umowy o wykonanie inicjatywy lokalnej")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "number"], name="li_agreement_number_unique"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="li_agreement_dates"),
            models.CheckConstraint(condition=Q(spending_cap__gt=0), name="li_agreement_cap_positive"),
        ]

    def __str__(self) -> str:
        return f"Umowa nr {self.number}"


class LocalInitiativeAnnex(models.Model):
    """A change of a signed agreement: the term or the spending cap, in writing."""

    agreement = models.ForeignKey(LocalInitiativeAgreement, on_delete=models.CASCADE, related_name="annexes")
    number = models.PositiveSmallIntegerField(_("nr aneksu"))
    signed_on = models.DateField(_("data aneksu"))
    description = models.TextField(_("zakres zmian"), max_length=5000)
    new_end_date = models.DateField(_("nowa data zakończenia"), null=True, blank=True)
    new_spending_cap = models.DecimalField(
        _("nowa najwyższa kwota wydatków urzędu"), **MONEY, null=True, blank=True, validators=NOT_NEGATIVE
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("aneks do umowy o wykonanie inicjatywy lokalnej")
        verbose_name_plural = _("aneksy do umów o wykonanie inicjatywy lokalnej")
        ordering = ["agreement", "number"]
        constraints = [models.UniqueConstraint(fields=["agreement", "number"], name="li_annex_number_unique")]

    def __str__(self) -> str:
        return f"Aneks nr {self.number}"


class LocalInitiativeExpense(models.Model):
    """What the authority spent on the initiative (an invoice, a purchase), charged to the agreement's cap and to
    the reserve of its budget line."""

    agreement = models.ForeignKey(LocalInitiativeAgreement, on_delete=models.PROTECT, related_name="expenses")
    spent_on = models.DateField(_("data wydatku"))
    document = models.CharField(_("dokument (np. nr faktury)"), max_length=100)
    supplier = models.CharField(_("dostawca lub wykonawca"), max_length=300)
    description = models.CharField(_("co kupiono"), max_length=500)
    amount = models.DecimalField(_("kwota"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("wydatek urzędu na inicjatywę lokalną")
        verbose_name_plural = _("wydatki urzędu na inicjatywy lokalne")
        ordering = ["agreement", "spent_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="li_expense_positive")]

    def __str__(self) -> str:
        return f"{self.document}: {self.amount}"


class LocalInitiativeReport(models.Model):
    """The applicants' report: the contribution actually given and the results; the office accepts it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("złożone")
        RETURNED = "returned", _("zwrócone do poprawy")
        ACCEPTED = "accepted", _("przyjęte")

    agreement = models.OneToOneField(LocalInitiativeAgreement, on_delete=models.CASCADE, related_name="report")
    social_work_hours = models.DecimalField(
        _("przepracowane godziny pracy społecznej"), max_digits=10, decimal_places=2, validators=NOT_NEGATIVE
    )
    volunteers = models.PositiveIntegerField(_("liczba mieszkańców, którzy pracowali społecznie"), default=0)
    in_kind_value = models.DecimalField(_("wkład rzeczowy (wartość)"), **MONEY, validators=NOT_NEGATIVE)
    financial_value = models.DecimalField(_("wkład finansowy"), **MONEY, validators=NOT_NEGATIVE)
    results = models.TextField(_("co zrobiono – efekty"), max_length=5000)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    return_note = models.TextField(_("co poprawić"), blank=True, max_length=3000)
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("sprawozdanie z inicjatywy lokalnej")
        verbose_name_plural = _("sprawozdania z inicjatyw lokalnych")

    def __str__(self) -> str:
        return f"Sprawozdanie: {self.agreement}"

    def social_work_value(self, rate: Decimal) -> Decimal:
        return (self.social_work_hours * rate).quantize(Decimal("0.01"))
