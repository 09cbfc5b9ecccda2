import uuid
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.queries import ids_in

from .calls import MONEY, NOT_NEGATIVE, Mode, OpenCall

CENT = Decimal("0.01")

# A cost line's value is rounded to the grosz before it is summed, exactly as the form shows it.
LINE_TOTAL = Round(
    ExpressionWrapper(F("unit_cost") * F("quantity"), output_field=DecimalField(max_digits=16, decimal_places=4)),
    2,
    output_field=DecimalField(max_digits=16, decimal_places=2),
)


class OfferQuerySet(models.QuerySet):
    def visible_to_organisations(self, organisation_ids):
        """An NGO sees only its own offers (as lead or joint offeror).

        The joint offers come as a subquery, not a join: a join needs DISTINCT over every selected column, which
        PostgreSQL took 12–19 ms to plan on each page of an offer (README, "Query plans")."""
        joint = JointOfferor.objects.filter(organisation_id__in=organisation_ids).values("offer_id")
        return self.filter(Q(organisation_id__in=organisation_ids) | Q(pk__in=joint))

    def submitted(self):
        return self.exclude(status__in=[Offer.Status.DRAFT, Offer.Status.WITHDRAWN])

    def of_authorities(self, authority_ids):
        """The offers to these authorities: in their calls or made to them directly (small grants, local
        initiative). By the calls' and direct offers' ids first (``config.queries.ids_in``), then the offers by
        index: never a join that reads every authority's offers (README, "Query plans")."""
        from .small_grants import DirectOffer  # small_grants imports this module

        calls = OpenCall.objects.filter(authority__in=authority_ids).values("pk")
        direct = DirectOffer.objects.filter(authority__in=authority_ids).values("offer_id")
        return self.filter(Q(ids_in("call_id", calls)) | Q(ids_in("pk", direct)))

    def for_call_table(self, call):
        """The staff dashboard and its export: every offer of the call with its organisation, current version and
        award, read with only the columns they show (an offer holds its whole working copy and a version its frozen
        data: most of a row's bytes, never shown there)."""
        return (
            self.filter(call=call)
            .select_related("organisation", "current_version", "award")
            .only(
                "call_id",
                "status",
                "title",
                "organisation__name",
                "organisation__nip",
                "current_version__receipt_number",
                "current_version__grant_amount",
                "current_version__total_cost",
                "current_version__submitted_at",
                "award__status",
            )
            .order_by("organisation__search_name", "pk")
        )


class Offer(models.Model):
    """An offer on the official form (Dz.U. 2018 poz. 2057, zał. 1); fields hold the working copy.

    What counts is the last submitted ``OfferVersion``: staff review versions, never the working copy.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("wersja robocza")
        SUBMITTED = "submitted", _("złożona")
        WITHDRAWN = "withdrawn", _("wycofana")
        DEFECT_NOTICE = "defect_notice", _("wezwanie do uzupełnienia braków")
        FORMALLY_ACCEPTED = "formally_accepted", _("poprawna formalnie")
        FORMALLY_REJECTED = "formally_rejected", _("odrzucona z przyczyn formalnych")

    class Kind(models.TextChoices):
        OPEN_CALL = "open_call", _("otwarty konkurs ofert")
        SMALL_GRANT = "small_grant", _("mała dotacja (art. 19a)")
        OWN_INITIATIVE = "own_initiative", _("z własnej inicjatywy (art. 12)")

    class Payment(models.TextChoices):
        FREE = "free", _("nieodpłatnie")
        PAID = "paid", _("odpłatnie")
        BOTH = "both", _("odpłatnie i nieodpłatnie")

    class Arrears(models.TextChoices):
        NONE = "none", _("nie zalega(-ją)")
        SOME = "some", _("zalega(-ją)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OPEN_CALL)
    call = models.ForeignKey(OpenCall, on_delete=models.PROTECT, related_name="offers", null=True, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="offers", verbose_name=_("oferent")
    )
    mode = models.CharField(_("forma"), max_length=10, choices=Mode.choices, default=Mode.SUPPORT)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(default=1, help_text="Grows with every saved change of the working copy.")
    current_version = models.ForeignKey(
        "OfferVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    # II.2 contact person
    contact_name = models.CharField(_("osoba do kontaktu (imię i nazwisko)"), max_length=200, blank=True)
    contact_phone = models.CharField(_("telefon"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    # III
    title = models.CharField(_("tytuł zadania publicznego"), max_length=400, blank=True)
    start_date = models.DateField(_("data rozpoczęcia"), null=True, blank=True)
    end_date = models.DateField(_("data zakończenia"), null=True, blank=True)
    synopsis = models.TextField(
        _("syntetyczny opis zadania"),
        blank=True,
        help_text=_("Miejsce realizacji, grupa docelowa, sposób rozwiązywania jej problemów, komplementarność."),
        max_length=3000,
    )
    results_description = models.TextField(
        _("opis zakładanych rezultatów"),
        blank=True,
        help_text=_("Co będzie bezpośrednim efektem, jaka zmiana społeczna nastąpi, czy rezultaty będą trwałe."),
        max_length=3000,
    )
    # IV
    previous_activity = models.TextField(_("wcześniejsza działalność oferenta"), blank=True, max_length=3000)
    resources = models.TextField(_("zasoby kadrowe, rzeczowe i finansowe"), blank=True, max_length=3000)
    # V.B
    grant_amount = models.DecimalField(
        _("wnioskowana kwota dotacji"), **MONEY, default=Decimal("0"), validators=NOT_NEGATIVE
    )
    own_financial = models.DecimalField(
        _("wkład własny finansowy"), **MONEY, default=Decimal("0"), validators=NOT_NEGATIVE
    )
    own_personal = models.DecimalField(
        _("wkład własny osobowy"), **MONEY, default=Decimal("0"), validators=NOT_NEGATIVE
    )
    own_in_kind = models.DecimalField(
        _("wkład własny rzeczowy"), **MONEY, default=Decimal("0"), validators=NOT_NEGATIVE
    )
    recipient_payments = models.DecimalField(
        _("świadczenia pieniężne od odbiorców zadania"), **MONEY, default=Decimal("0"), validators=NOT_NEGATIVE
    )
    # VI
    payment = models.CharField(
        _("deklaracja odpłatności"), max_length=10, choices=Payment.choices, default=Payment.FREE
    )
    joint_roles = models.TextField(
        _("podział działań między oferentów i sposób reprezentacji"), blank=True, max_length=2000
    )
    other_info = models.TextField(_("inne informacje"), blank=True, max_length=3000)
    # VII
    tax_arrears = models.CharField(_("zaległości podatkowe"), max_length=5, choices=Arrears.choices, blank=True)
    social_insurance_arrears = models.CharField(
        _("zaległości wobec ZUS"), max_length=5, choices=Arrears.choices, blank=True
    )
    declarations_confirmed = models.BooleanField(_("oświadczenia z części VII"), default=False)
    # The last save of the working copy that had fields to correct keeps the whole form here, exactly as typed
    # (names → lists of values, as posted); the page shows it again with its errors until a clean save clears it.
    typed_input = models.JSONField(_("wpisane dane do poprawy"), null=True, blank=True, editable=False)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("oferta")
        verbose_name_plural = _("oferty")
        ordering = ["-created_at"]
        # An authority's offers by its calls, with their organisations read from the index alone (the office's
        # search and ``Organisation.objects.dealing_with``, README, "Query plans"). PostgreSQL only; elsewhere an
        # index on the call.
        indexes = [models.Index(fields=["call"], include=["organisation"], name="offer_call_organisation")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="open_call", call__isnull=False) | ~Q(kind="open_call"), name="offer_in_call_has_call"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"Oferta {self.organisation}"

    @property
    def recipients(self) -> list[str]:
        """Where the office writes about the offer: the organisation and the offer's contact person."""
        return sorted({address for address in (self.organisation.email, self.contact_email) if address})

    @property
    def own_contribution(self) -> Decimal:
        return self.own_financial + self.own_personal + self.own_in_kind

    @property
    def sources_total(self) -> Decimal:
        return self.grant_amount + self.own_contribution + self.recipient_payments

    def cost_totals(self) -> dict[str, Decimal]:
        """V.A totals by category (I delivery, II administrative) and overall, computed in the database."""
        rows = self.cost_items.order_by().values("category").annotate(total=Sum(LINE_TOTAL))
        totals = {row["category"]: (row["total"] or Decimal("0")).quantize(CENT) for row in rows}
        delivery, admin = (
            totals.get(CostItem.Category.DELIVERY, Decimal("0")),
            totals.get(CostItem.Category.ADMIN, Decimal("0")),
        )
        return {"delivery": delivery, "admin": admin, "total": delivery + admin}


class JointOfferorQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class JointOfferor(models.Model):
    """Another organisation in a joint offer (art. 14 ust. 2), with its share of costs (V.C).

    The organisation takes part only once its admin confirms it in the portal (``confirmed_at``): until then the
    offer cannot be submitted and the organisation is not a participant of the call for the commission's rules.
    """

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    cost_share = models.DecimalField(
        _("koszty po stronie oferenta"), **MONEY, default=Decimal("0"), validators=NOT_NEGATIVE
    )
    confirmed_at = models.DateTimeField(_("udział potwierdzony"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = JointOfferorQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["offer", "organisation"], name="joint_offeror_unique")]

    def __str__(self) -> str:
        return str(self.organisation)


class Activity(models.Model):
    """III.4: an activity of the plan and schedule."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="activities")
    number = models.PositiveSmallIntegerField(_("lp."))
    name = models.CharField(_("nazwa działania"), max_length=300)
    description = models.TextField(_("opis"), blank=True, max_length=1000)
    target_group = models.CharField(_("grupa docelowa"), max_length=300, blank=True)
    period = models.CharField(_("planowany termin realizacji"), max_length=100, blank=True)
    subcontractor = models.CharField(
        _("zakres realizowany przez podmiot niebędący stroną umowy"), max_length=300, blank=True
    )

    class Meta:
        ordering = ["offer", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Result(models.Model):
    """III.6: an expected result with its target level."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="results")
    number = models.PositiveSmallIntegerField(_("lp."))
    name = models.CharField(_("nazwa rezultatu"), max_length=300)
    target = models.CharField(_("planowany poziom osiągnięcia (wartość docelowa)"), max_length=200)
    monitoring = models.CharField(_("sposób monitorowania, źródło informacji"), max_length=300, blank=True)

    class Meta:
        ordering = ["offer", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class CostItem(models.Model):
    """V.A: a cost line; category I belongs to an activity of III.4, category II is administrative."""

    class Category(models.TextChoices):
        DELIVERY = "I", _("I. Koszty realizacji działań")
        ADMIN = "II", _("II. Koszty administracyjne")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="cost_items")
    category = models.CharField(_("kategoria"), max_length=2, choices=Category.choices, default=Category.DELIVERY)
    activity_number = models.PositiveSmallIntegerField(_("nr działania"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("lp."), default=1)
    name = models.CharField(_("rodzaj kosztu"), max_length=300)
    unit = models.CharField(_("rodzaj miary"), max_length=50)
    unit_cost = models.DecimalField(_("koszt jednostkowy"), **MONEY, validators=NOT_NEGATIVE)
    quantity = models.DecimalField(
        _("liczba jednostek"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    # The simplified offer (art. 19a, Dz.U. 2018 poz. 2055) says how much of each cost line the grant covers.
    from_grant = models.DecimalField(
        _("z dotacji"), **MONEY, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        ordering = ["offer", "category", "activity_number", "order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def total(self) -> Decimal:
        return (self.unit_cost * self.quantity).quantize(CENT, rounding=ROUND_HALF_UP)


def attachment_path(instance, filename: str) -> str:
    # The user's file name is kept as data only; the path is a random name with the extension of the type
    # found in the content (the service names the file after it).
    suffix = PurePath(filename).suffix.lower()
    return f"offers/{instance.offer.public_id}/{uuid.uuid4().hex}{suffix if suffix in ('.pdf', '.jpg', '.png') else ''}"


class OfferAttachment(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="attachments")
    required = models.ForeignKey(
        "RequiredAttachment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wymagany załącznik"),
    )
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(_("nazwa pliku"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["offer", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


def version_pdf_path(instance, filename: str) -> str:
    return f"versions/{instance.offer.public_id}/{uuid.uuid4().hex}.pdf"


class OfferVersion(models.Model):
    """An immutable submitted version: all data as JSON (with its SHA-256 checksum) and its PDF."""

    class Documents(models.TextChoices):
        ON_DEMAND = "", _("tworzone na żądanie")
        PENDING = "pending", _("w przygotowaniu")
        READY = "ready", _("gotowe")
        FAILED = "failed", _("nie udało się przygotować")

    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("złożenie oferty")
        CORRECTION = "correction", _("uzupełnienie braków")
        UPDATE = "update", _("aktualizacja oferty")

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("wersja"))
    revision = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SUBMISSION)
    data = models.JSONField()
    sha256 = models.CharField(max_length=64)
    # The offer PDF and the receipt PDF are made by a background worker from the frozen data after submission
    # (grants/tasks.py); bulk-loaded demo versions have none and render the offer from ``data`` when asked.
    documents = models.CharField(
        _("dokumenty"), max_length=8, choices=Documents.choices, default=Documents.ON_DEMAND, blank=True
    )
    documents_attempts = models.PositiveSmallIntegerField(default=0)
    documents_ready_at = models.DateTimeField(null=True, blank=True)
    offer_pdf = models.FileField(upload_to=version_pdf_path, blank=True)
    offer_pdf_sha256 = models.CharField(max_length=64, blank=True)
    receipt_pdf = models.FileField(upload_to=version_pdf_path, blank=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)
    grant_amount = models.DecimalField(_("wnioskowana dotacja"), **MONEY)
    total_cost = models.DecimalField(_("koszt całkowity"), **MONEY)
    receipt_number = models.CharField(_("numer potwierdzenia"), max_length=40, unique=True)
    submitted_at = models.DateTimeField(_("złożono"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["offer", "number"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "number"], name="offer_version_number_unique"),
            # The same working copy is never submitted twice (double clicks, retries).
            models.UniqueConstraint(fields=["offer", "revision"], name="offer_version_revision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_number} (wersja {self.number})"

    @property
    def start_date(self) -> date:
        """III.2 of the frozen data: the task's first day as submitted."""
        return date.fromisoformat(self.data["III"]["start_date"])

    @property
    def end_date(self) -> date:
        return date.fromisoformat(self.data["III"]["end_date"])


class FormalReview(models.Model):
    """The formal check of a submitted version by office staff."""

    class Outcome(models.TextChoices):
        PASSED = "passed", _("oferta poprawna formalnie")
        REJECTED = "rejected", _("oferta odrzucona z przyczyn formalnych")
        DEFECTS = "defects", _("wezwanie do uzupełnienia braków")

    CHECKLIST = [
        ("on_time", _("oferta złożona w terminie")),
        ("eligible_entity", _("oferent jest uprawniony (art. 3 ust. 2–3 ustawy)")),
        ("statutory_area", _("działalność statutowa w dziedzinie zadania")),
        ("complete_form", _("formularz kompletny, sumy się zgadzają")),
        ("signatories", _("podpisana przez osoby upoważnione do reprezentacji")),
        ("attachments", _("komplet wymaganych załączników")),
    ]

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="formal_reviews")
    version = models.ForeignKey(OfferVersion, on_delete=models.PROTECT, related_name="+")
    checklist = models.JSONField(default=dict)
    # Why an item was not confirmed, per checklist key: a pass needs one for every unconfirmed item.
    unconfirmed_reasons = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(_("wynik"), max_length=10, choices=Outcome.choices)
    reasons = models.TextField(_("uzasadnienie / wskazanie braków"), blank=True, max_length=5000)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["offer", "decided_at"]

    def __str__(self) -> str:
        return f"{self.offer} – {self.get_outcome_display()}"

    @classmethod
    def all_confirmed(cls) -> dict[str, bool]:
        return {key: True for key, _label in cls.CHECKLIST}

    def items(self) -> list[tuple[str, bool, str]]:
        """Each checklist item as (label, confirmed, reason it was not confirmed)."""
        return [
            (label, bool(self.checklist.get(key)), self.unconfirmed_reasons.get(key, ""))
            for key, label in self.CHECKLIST
        ]


class DefectNotice(models.Model):
    """Wezwanie do uzupełnienia braków formalnych, with the correction deadline."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="defect_notices")
    review = models.OneToOneField(FormalReview, on_delete=models.CASCADE, related_name="notice")
    deadline = models.DateTimeField(_("termin uzupełnienia"))
    resolved_by = models.ForeignKey(OfferVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["offer", "deadline"]

    def __str__(self) -> str:
        return f"Wezwanie: {self.offer} (do {self.deadline:%d.%m.%Y})"
