"""Komisja konkursowa (art. 15 ust. 2a–2f): members, impartiality declarations and score cards."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .calls import Criterion, OpenCall
from .offers import Offer


class Commission(models.Model):
    """The commission giving opinions on the offers of one call, with its composition rules (S2 § 12 defaults)."""

    class Status(models.TextChoices):
        COMPOSING = "composing", _("skład w przygotowaniu")
        SCORING = "scoring", _("ocena merytoryczna trwa")
        RECOMPOSE = "recompose", _("posiedzenie zamknięte – wymagany nowy skład")
        CLOSED = "closed", _("ocena zakończona")

    call = models.OneToOneField(OpenCall, on_delete=models.CASCADE, related_name="commission")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.COMPOSING)
    min_authority_members = models.PositiveSmallIntegerField(
        _("minimalna liczba przedstawicieli organu"), default=3, validators=[MinValueValidator(1)]
    )
    max_ngo_members = models.PositiveSmallIntegerField(_("maksymalna liczba przedstawicieli organizacji"), default=2)
    max_exclusions = models.PositiveSmallIntegerField(
        _("liczba wyłączeń zamykająca posiedzenie"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Zasady komisji w programie współpracy: przy tylu wyłączonych członkach komisja wymaga nowego składu."
        ),
    )
    min_score = models.DecimalField(
        _("minimalna średnia ocena uprawniająca do dotacji"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    scoring_started_at = models.DateTimeField(_("początek oceny"), null=True, blank=True)
    closed_at = models.DateTimeField(_("zakończenie oceny"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    protocol_signed_at = models.DateTimeField(_("protokół podpisany"), null=True, blank=True)
    protocol_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("komisja konkursowa")
        verbose_name_plural = _("komisje konkursowe")

    def __str__(self) -> str:
        return f"Komisja – {self.call.number}"


class CommissionMemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(excluded_at__isnull=True)

    def voting(self):
        """Members whose cards count towards the mean: not excluded and not advisory experts."""
        return self.active().exclude(capacity=CommissionMember.Capacity.EXPERT)


class CommissionMember(models.Model):
    class Capacity(models.TextChoices):
        AUTHORITY = "authority", _("przedstawiciel organu wykonawczego")
        NGO = "ngo", _("osoba wskazana przez organizacje pozarządowe")
        COUNCIL = "council", _("przedstawiciel rady działalności pożytku publicznego")
        EXPERT = "expert", _("ekspert (głos doradczy)")

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commission_seats")
    capacity = models.CharField(_("funkcja w komisji"), max_length=10, choices=Capacity.choices)
    nominated_by = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organizacja wskazująca"),
    )
    is_chair = models.BooleanField(_("przewodniczący"), default=False)
    appointed_at = models.DateTimeField(default=timezone.now)
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    excluded_at = models.DateTimeField(_("wyłączony"), null=True, blank=True)
    exclusion_reason = models.TextField(_("przyczyna wyłączenia"), blank=True, max_length=5000)

    objects = CommissionMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("członek komisji")
        verbose_name_plural = _("członkowie komisji")
        ordering = ["commission", "-is_chair", "capacity", "user__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "user"], name="commission_member_unique"),
            models.UniqueConstraint(fields=["commission"], condition=Q(is_chair=True), name="commission_one_chair"),
            models.CheckConstraint(
                condition=Q(is_chair=False) | Q(excluded_at__isnull=True), name="commission_chair_not_excluded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name()} ({self.get_capacity_display()})"

    @property
    def is_excluded(self) -> bool:
        return self.excluded_at is not None

    @property
    def is_voting(self) -> bool:
        return not self.is_excluded and self.capacity != self.Capacity.EXPERT


class ConflictNotice(models.Model):
    """A conflict of interest the portal found for a commission member, and when the chair and the office were
    told by e-mail: one row per member, organisation and reason, so each conflict is announced once however often
    the check runs again (``grants.tasks.commission_conflicts_check``)."""

    member = models.ForeignKey(CommissionMember, on_delete=models.CASCADE, related_name="conflict_notices")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20)  # "membership" or "nominated_by", as detect_conflicts names them
    text = models.CharField(max_length=500)
    notified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("powiadomienie o konflikcie interesów")
        verbose_name_plural = _("powiadomienia o konfliktach interesów")
        constraints = [
            models.UniqueConstraint(fields=["member", "organisation", "reason"], name="conflict_notice_once"),
        ]

    def __str__(self) -> str:
        return self.text


class ImpartialityDeclaration(models.Model):
    """Oświadczenie o bezstronności: KPA art. 24 § 1 pkt 1–7, § 3 and membership of a participating organisation."""

    GROUNDS = [
        (
            "party",
            _(
                "jestem stroną albo pozostaję z oferentem w takim stosunku prawnym, że wynik oceny może "
                "oddziaływać na moje prawa lub obowiązki (art. 24 § 1 pkt 1 KPA)"
            ),
        ),
        (
            "relative",
            _(
                "oferentem lub osobą reprezentującą oferenta jest mój małżonek, krewny lub powinowaty do "
                "drugiego stopnia (pkt 2)"
            ),
        ),
        (
            "adoption",
            _(
                "jestem związany(-a) z oferentem lub jego reprezentantem z tytułu przysposobienia, opieki lub "
                "kurateli (pkt 3)"
            ),
        ),
        (
            "representative",
            _(
                "byłem(-am) świadkiem, biegłym lub przedstawicielem oferenta albo przedstawicielem "
                "oferenta jest osoba wymieniona w pkt 2–3 (pkt 4)"
            ),
        ),
        ("prior_decision", _("brałem(-am) udział w wydaniu zaskarżonego rozstrzygnięcia (pkt 5)")),
        (
            "proceedings",
            _(
                "z powodu oferenta wszczęto przeciwko mnie dochodzenie służbowe, postępowanie "
                "dyscyplinarne lub karne (pkt 6)"
            ),
        ),
        ("superior", _("oferent jest moim przełożonym służbowym (pkt 7)")),
        (
            "member_of_applicant",
            _(
                "jestem członkiem, pracownikiem lub osobą wskazaną przez organizację, która "
                "złożyła ofertę w konkursie (art. 15 ust. 2d ustawy)"
            ),
        ),
        (
            "other_doubt",
            _("zachodzą inne okoliczności, które mogą wywołać wątpliwość co do mojej bezstronności (art. 24 § 3 KPA)"),
        ),
    ]

    member = models.OneToOneField(CommissionMember, on_delete=models.CASCADE, related_name="declaration")
    grounds = models.JSONField(_("zaznaczone przesłanki"), default=list)
    detected = models.JSONField(
        _("konflikty wykryte przez portal"), default=list, help_text="Organisations the member belongs to."
    )
    explanation = models.TextField(_("wyjaśnienie"), blank=True, max_length=5000)
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("oświadczenie o bezstronności")
        verbose_name_plural = _("oświadczenia o bezstronności")

    def __str__(self) -> str:
        return f"Oświadczenie: {self.member}"

    @property
    def conflicted(self) -> bool:
        return bool(self.grounds or self.detected)

    def ground_labels(self) -> list[str]:
        labels = dict(self.GROUNDS)
        return [str(labels[code]) for code in self.grounds if code in labels]


class ScoreCardQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=ScoreCard.Status.SUBMITTED)

    def counted(self):
        """Cards that make up an offer's score: submitted, by members still voting."""
        return self.submitted().filter(member__in=CommissionMember.objects.voting())


class ScoreCard(models.Model):
    """Karta oceny merytorycznej: one member's points for one offer, criterion by criterion."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("wersja robocza")
        SUBMITTED = "submitted", _("złożona")

    member = models.ForeignKey(CommissionMember, on_delete=models.CASCADE, related_name="cards")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="score_cards")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    total = models.DecimalField(_("suma punktów"), max_digits=7, decimal_places=2, default=Decimal("0"))
    proposed_amount = models.DecimalField(
        _("proponowana kwota dotacji"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    remarks = models.TextField(_("uwagi i uzasadnienie oceny"), blank=True, max_length=5000)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(_("złożono"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(default=0)

    objects = ScoreCardQuerySet.as_manager()

    class Meta:
        verbose_name = _("karta oceny merytorycznej")
        verbose_name_plural = _("karty oceny merytorycznej")
        ordering = ["offer", "member"]
        constraints = [
            models.UniqueConstraint(fields=["member", "offer"], name="score_card_unique"),
            models.CheckConstraint(
                condition=Q(proposed_amount__isnull=True) | Q(proposed_amount__gte=0), name="score_card_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"Karta: {self.offer} – {self.member}"


class Score(models.Model):
    """Points for one criterion on a card, with their justification."""

    card = models.ForeignKey(ScoreCard, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("punkty"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    justification = models.TextField(_("uzasadnienie"), blank=True, max_length=5000)

    class Meta:
        ordering = ["card", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["card", "criterion"], name="score_unique"),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"
