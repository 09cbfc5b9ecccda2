from datetime import timedelta
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.queries import sum_per_row

from ..limits import MIN_CALL_DAYS

MONEY = {"max_digits": 14, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]
PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Mode(models.TextChoices):
    """Art. 5 ust. 4 pkt 1–2 and art. 11 ust. 1."""

    SUPPORT = "support", _("wspieranie (dofinansowanie)")
    ENTRUST = "entrust", _("powierzanie (finansowanie)")


class OpenCallQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=OpenCall.Status.DRAFT)

    def open_for_submission(self, now=None):
        return self.filter(status=OpenCall.Status.PUBLISHED, submission_deadline__gte=now or timezone.now())

    def with_funds(self):
        """``funds_total``: the sum of the call's budget allocations, as a subquery per call (not a join and GROUP BY
        over every call, which made a page of 20 calls sort and group the whole installation's calls)."""
        money = models.DecimalField(**MONEY)
        allocations = sum_per_row(CallBudgetLine.objects.all(), "call", "amount", money)
        return self.annotate(funds_total=Coalesce(allocations, Value(Decimal("0")), output_field=money))

    def for_public_list(self):
        return (
            self.public()
            .select_related("programme")
            .with_funds()
            .prefetch_related("task_areas")
            .order_by("-submission_deadline", "number")
        )


class OpenCall(models.Model):
    """Otwarty konkurs ofert (art. 11–15): the announcement and its rules."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("projekt ogłoszenia")
        PUBLISHED = "published", _("ogłoszony – nabór ofert")
        SUBMISSION_CLOSED = "submission_closed", _("nabór zakończony")
        FORMAL_REVIEW = "formal_review", _("ocena formalna")
        COMMISSION_REVIEW = "commission_review", _("ocena merytoryczna komisji")
        DECIDED = "decided", _("rozstrzygnięty")
        FINISHED = "finished", _("zakończony")
        ANNULLED = "annulled", _("unieważniony")

    authority = models.ForeignKey("programmes.Authority", on_delete=models.PROTECT, related_name="open_calls")
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="open_calls", verbose_name=_("program")
    )
    number = models.CharField(_("numer ogłoszenia"), max_length=50)
    title = models.CharField(_("rodzaj zadania publicznego"), max_length=400)
    task_description = models.TextField(_("opis zadania"), max_length=10000)
    task_areas = models.ManyToManyField(
        "organisations.PublicTaskArea", related_name="open_calls", verbose_name=_("sfery z art. 4 ust. 1")
    )
    mode = models.CharField(_("forma zlecenia"), max_length=10, choices=Mode.choices, default=Mode.SUPPORT)
    award_rules = models.TextField(_("zasady przyznawania dotacji"), max_length=5000)
    delivery_terms = models.TextField(_("terminy i warunki realizacji zadania"), max_length=5000)
    delivery_start = models.DateField(_("realizacja najwcześniej od"))
    delivery_end = models.DateField(_("realizacja najpóźniej do"))
    selection_procedure = models.TextField(_("tryb i kryteria wyboru ofert"), max_length=5000)
    decision_date = models.DateField(_("termin dokonania wyboru ofert"))
    min_grant = models.DecimalField(
        _("minimalna kwota dotacji"), **MONEY, default=Decimal("0"), validators=NOT_NEGATIVE
    )
    max_grant = models.DecimalField(_("maksymalna kwota dotacji"), **MONEY, validators=NOT_NEGATIVE)
    min_own_contribution_pct = models.DecimalField(
        _("minimalny wkład własny (% kosztów)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=PERCENT,
    )
    admin_cost_cap_pct = models.DecimalField(
        _("limit kosztów administracyjnych (% kosztów)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=PERCENT,
    )
    published_bip_on = models.DateField(_("publikacja w BIP"), null=True, blank=True)
    published_board_on = models.DateField(_("publikacja na tablicy ogłoszeń"), null=True, blank=True)
    published_website_on = models.DateField(_("publikacja na stronie internetowej"), null=True, blank=True)
    submission_deadline = models.DateTimeField(_("termin składania ofert"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    annulment_reason = models.TextField(_("przyczyna unieważnienia"), blank=True, max_length=5000)
    results_published_at = models.DateTimeField(_("ogłoszenie wyników"), null=True, blank=True)
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zaimportowano"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = OpenCallQuerySet.as_manager()

    class Meta:
        verbose_name = _("otwarty konkurs ofert")
        verbose_name_plural = _("otwarte konkursy ofert")
        ordering = ["-submission_deadline", "number"]
        # The lists' order: a page of calls is read from the index, at any number of calls and authorities.
        indexes = [
            models.Index(fields=["-submission_deadline", "number"], name="call_newest_deadline"),
            models.Index(fields=["authority", "-submission_deadline", "number"], name="call_authority_deadline"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["authority", "number"], name="call_number_unique"),
            models.CheckConstraint(condition=Q(delivery_end__gte=models.F("delivery_start")), name="call_window"),
            models.CheckConstraint(condition=Q(max_grant__gte=models.F("min_grant")), name="call_grant_range"),
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.title}"

    @property
    def last_publication(self):
        dates = [d for d in (self.published_bip_on, self.published_board_on, self.published_website_on) if d]
        return max(dates) if dates else None

    @property
    def earliest_deadline_date(self):
        """Art. 13 ust. 1: at least 21 days from the last announcement."""
        last = self.last_publication
        return last + timedelta(days=MIN_CALL_DAYS) if last else None

    def accepts_offers_at(self, moment) -> bool:
        return self.status == self.Status.PUBLISHED and moment <= self.submission_deadline


class CallBudgetLine(models.Model):
    """How much of a programme budget line the call draws on."""

    call = models.ForeignKey(OpenCall, on_delete=models.CASCADE, related_name="budget_allocations")
    budget_line = models.ForeignKey(
        "programmes.BudgetLine",
        on_delete=models.PROTECT,
        related_name="call_allocations",
        verbose_name=_("pozycja budżetu programu"),
    )
    amount = models.DecimalField(_("kwota"), **MONEY, validators=NOT_NEGATIVE)

    class Meta:
        verbose_name = _("środki konkursu z pozycji budżetu")
        verbose_name_plural = _("środki konkursu z pozycji budżetu")
        constraints = [
            models.UniqueConstraint(fields=["call", "budget_line"], name="call_budget_line_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="call_budget_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.budget_line} – {self.amount} zł"


class Criterion(models.Model):
    """An evaluation criterion with its maximum points, tied to an art. 15 ust. 1 dimension."""

    class Dimension(models.IntegerChoices):
        CAPACITY = 1, _("możliwość realizacji zadania przez oferenta (art. 15 ust. 1 pkt 1)")
        COSTS = 2, _("kalkulacja kosztów, w tym w odniesieniu do zakresu rzeczowego (pkt 2)")
        QUALITY = 3, _("jakość wykonania i kwalifikacje osób (pkt 3)")
        OWN_FUNDS = 4, _("udział środków finansowych własnych lub z innych źródeł – wspieranie (pkt 4)")
        CONTRIBUTION = 5, _("wkład rzeczowy, osobowy, w tym świadczenia wolontariuszy (pkt 5)")
        TRACK_RECORD = 6, _("rzetelność i terminowość realizacji wcześniej zleconych zadań (pkt 6)")

    call = models.ForeignKey(OpenCall, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("lp."), default=1)
    name = models.CharField(_("kryterium"), max_length=300)
    dimension = models.PositiveSmallIntegerField(_("art. 15 ust. 1"), choices=Dimension.choices)
    max_points = models.PositiveSmallIntegerField(_("maks. punktów"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("kryterium oceny")
        verbose_name_plural = _("kryteria oceny")
        ordering = ["call", "order"]

    def __str__(self) -> str:
        return self.name


class RequiredAttachment(models.Model):
    call = models.ForeignKey(OpenCall, on_delete=models.CASCADE, related_name="required_attachments")
    name = models.CharField(_("wymagany załącznik"), max_length=300)

    class Meta:
        verbose_name = _("wymagany załącznik")
        verbose_name_plural = _("wymagane załączniki")
        ordering = ["call", "pk"]

    def __str__(self) -> str:
        return self.name
