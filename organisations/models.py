import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import Q
from django.db.models.functions import Collate, Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.prepared import Prepared
from config.queries import ids_in, unindexed
from config.territory import Voivodeship, seat_filter, seat_or_town, territory_parts

from .search import identifier_digits, identifiers_q, krs_of, search_key, terms_q, text_terms
from .validators import normalise_bank_account, normalise_krs, normalise_nip, normalise_regon


class PublicTaskArea(models.Model):
    """A sphere of public tasks from art. 4 ust. 1 of the Public Benefit Act (reference data)."""

    code = models.CharField(_("punkt"), max_length=8, unique=True, help_text=_("np. 1a, 17, 32a"))
    number = models.PositiveSmallIntegerField(_("numer punktu"))
    suffix = models.CharField(_("litera"), max_length=4, blank=True)
    text = models.TextField(_("brzmienie"), max_length=2000)
    source = models.CharField(_("podstawa"), max_length=100, default="Dz.U. 2024 poz. 1491")
    valid_from = models.DateField(_("obowiązuje od"))

    class Meta:
        verbose_name = _("sfera zadań publicznych")
        verbose_name_plural = _("sfery zadań publicznych")
        # "1" < "1a" < "1aa" < "1b" < "2": the empty suffix sorts first, then letters in order.
        ordering = ["number", "suffix"]
        constraints = [models.UniqueConstraint(fields=["number", "suffix"], name="task_area_number_suffix_unique")]

    def __str__(self) -> str:
        return f"{self.code}) {self.short_text}"

    @property
    def short_text(self) -> str:
        """The area without its trailing semicolon or full stop, for lists and filters."""
        return self.text.rstrip(";.")


class LegalForm(models.TextChoices):
    """Entities that may receive grants (art. 3 ust. 2–3), in the groups S3 counts them by."""

    FOUNDATION = "foundation", _("fundacja")
    ASSOCIATION = "association", _("stowarzyszenie")
    ASSOCIATION_BRANCH = "association_branch", _("terenowa jednostka stowarzyszenia (oddział)")
    ORDINARY_ASSOCIATION = "ordinary_association", _("stowarzyszenie zwykłe")
    SPORTS_CLUB = "sports_club", _("klub sportowy / uczniowski klub sportowy")
    CHURCH_ENTITY = "church_entity", _("kościelna osoba prawna lub jednostka organizacyjna")
    LOCAL_GOVERNMENT_ASSOCIATION = "lg_association", _("stowarzyszenie jednostek samorządu terytorialnego")
    SOCIAL_COOPERATIVE = "social_cooperative", _("spółdzielnia socjalna")
    NON_PROFIT_COMPANY = "non_profit_company", _("spółka non-profit (akcyjna lub z o.o.)")
    RURAL_HOUSEWIVES_CIRCLE = "rural_housewives_circle", _("koło gospodyń wiejskich")

    @classmethod
    def requiring_krs(cls) -> frozenset[str]:
        """Forms that exist only by their KRS entry; the others are kept in other registers."""
        return frozenset(
            {
                cls.FOUNDATION,
                cls.ASSOCIATION,
                cls.SOCIAL_COOPERATIVE,
                cls.NON_PROFIT_COMPANY,
                cls.LOCAL_GOVERNMENT_ASSOCIATION,
            }
        )


class DataSource(models.TextChoices):
    REGISTER = "register", _("pobrane z KRS")
    MANUAL = "manual", _("wpisane ręcznie")


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def polish_order(self, *, sort_found: bool = False):
        """Alphabetical order as a Polish reader expects it (Ł after L, not after Z).

        On PostgreSQL the index ``organisation_polish_order`` (migration 0010) holds this order for the active
        organisations, so that a page of the directory reads its 25 rows, not all of them. After a search by name
        pass ``sort_found``: the organisations found are then sorted, never looked for by walking that index and
        testing every name on the way (``config.queries.unindexed``)."""
        if connection.vendor == "postgresql":
            name = unindexed("name") if sort_found else "name"
            return self.order_by(Collate(name, "pl-x-icu"), "pk")
        # SQLite has no ICU collation; the diacritic-free key is the closest order it can give.
        return self.order_by("search_name", "name", "pk")

    def search(self, text: str):
        """By name in any word order and without diacritics, or by KRS, NIP or REGON (``organisations.search``)."""
        digits = identifier_digits(text)
        return self.matching(text_terms(text), digits, krs_of(digits) if digits else None)

    def matching(self, terms, digits: str | None, krs: str | None):
        """``search`` for what ``organisations.search`` made of the text: by KRS, NIP or REGON when digits were
        typed, else by the words (``terms``; all organisations when there are none)."""
        if digits is not None:
            return self.filter(identifiers_q(digits, krs))
        condition = terms_q("name", terms, key_field="search_name")
        return self.filter(condition) if condition is not None else self

    def for_directory(self):
        """Everything the public directory table shows, in a fixed number of queries."""
        return self.active().prefetch_related("areas").polish_order()

    def editable_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)

    def dealing_with(self, authority_ids):
        """Organisations an authority's office deals with: they offered to it, hold its agreement or are based in
        its seat. Its staff verify these and see their private data; the public directory stays public to all."""
        authority_ids = list(authority_ids)
        return self.filter(dealing_q(authority_ids, authority_seats(authority_ids)))

    def in_space_of(self, authority):
        """The organisations an authority's public space lists (config/tenancy.py): seated in its territory (before
        it records its territory, in its town), working with it by their own word or the office's import
        (``authorities``), or cooperating with it (an offer past the draft, an agreement, a recorded activity)."""
        # ``pk IN`` each link, never a join on ``authorities`` (whose duplicates made this a ``pk IN`` of the whole
        # condition, probed once per organisation of the installation: 51 ms at region scale; README, "Query plans").
        linked = Organisation.authorities.through.objects.filter(authority=authority).values("organisation_id")
        condition = Q(pk__in=linked) | _cooperating_with(authority)
        condition |= Q(**seat_or_town(authority.territory_parts, authority.city))
        return self.filter(condition)

    def in_territory_of(self, authority):
        """Organisations seated in the authority's territory (a powiat's holds its gminas'); the registry figures
        of its reports count these. Until the authority records its territory: every organisation on the
        installation, as before there were territories."""
        parts = authority.territory_parts
        return self.filter(seat_filter(parts)) if parts else self.all()

    def cooperating_with(self, authority, year: int | None = None):
        """Distinct organisations with an offer to the authority (past the draft), an agreement with it or a
        cooperation activity it recorded with them; in ``year`` when given (the year the task or activity runs)."""
        return self.filter(_cooperating_with(authority, year))


def _cooperating_with(authority, year: int | None = None) -> Q:
    """``Organisation.objects.cooperating_with`` as a condition on the organisation's id."""
    from grants.models import Agreement, Offer
    from programmes.models import CooperationActivity

    offers = Offer.objects.of_authorities([authority.pk]).submitted()
    agreements = Agreement.objects.filter(authority=authority)
    activities = CooperationActivity.objects.filter(authority=authority)
    if year is not None:
        offers = offers.filter(Q(call__delivery_start__year=year) | Q(call__isnull=True, start_date__year=year))
        agreements = agreements.filter(start_date__year__lte=year, end_date__year__gte=year)
        activities = activities.filter(date__year=year)
    return (
        Q(pk__in=offers.values("organisation_id"))
        | Q(pk__in=agreements.values("organisation_id"))
        | Q(pk__in=activities.values("organisations"))
    )


class Organisation(models.Model):
    """An NGO or an art. 3 ust. 3 entity that cooperates with the authority."""

    name = models.CharField(_("nazwa"), max_length=300)
    search_name = models.CharField(max_length=300, editable=False, db_index=True)
    legal_form = models.CharField(_("forma prawna"), max_length=30, choices=LegalForm.choices)
    krs = models.CharField(_("numer KRS"), max_length=10, blank=True, validators=[normalise_krs])
    other_register = models.CharField(
        _("numer w innej ewidencji"),
        max_length=200,
        blank=True,
        help_text=_("Dla organizacji spoza KRS, np. „ewidencja stowarzyszeń zwykłych Starosty, nr 45”."),
    )
    nip = models.CharField(_("NIP"), max_length=10, blank=True, validators=[normalise_nip])
    regon = models.CharField(_("REGON"), max_length=14, blank=True, validators=[normalise_regon])
    street = models.CharField(_("ulica i numer"), max_length=200)
    postal_code = models.CharField(_("kod pocztowy"), max_length=6)
    city = models.CharField(_("miejscowość"), max_length=100)
    email = models.EmailField(_("e-mail organizacji"))
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    website = models.URLField(_("strona internetowa"), blank=True)
    bank_account = models.CharField(
        _("numer rachunku bankowego"), max_length=28, blank=True, validators=[normalise_bank_account]
    )
    representatives = models.TextField(
        _("osoby uprawnione do reprezentacji"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Imiona, nazwiska i funkcje osób, które według KRS lub statutu podpisują umowy w imieniu organizacji."
        ),
    )
    joint_representation = models.PositiveSmallIntegerField(
        _("ile osób podpisuje łącznie"),
        default=1,
        help_text=_(
            "Sposób reprezentacji według KRS lub statutu: 1 – każda z osób wyżej samodzielnie; 2 – dwie z nich "
            "łącznie (np. „dwóch członków zarządu działających łącznie”) itd. Portal sprawdza według tego podpisy "
            "elektroniczne pod ofertą, sprawozdaniem i umową."
        ),
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    is_opp = models.BooleanField(_("status organizacji pożytku publicznego (OPP)"), default=False)
    opp_since = models.DateField(_("OPP od"), null=True, blank=True)
    areas = models.ManyToManyField(
        PublicTaskArea, related_name="organisations", verbose_name=_("sfery działalności pożytku publicznego")
    )
    statutory_activity = models.TextField(
        _("działalność statutowa"),
        help_text=_(
            "Cele i działania ze statutu, na podstawie których organizacja prowadzi działalność pożytku publicznego."
        ),
        max_length=5000,
    )
    is_active = models.BooleanField(_("aktywna"), default=True)
    verified_at = models.DateTimeField(_("zweryfikowana"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zweryfikował(a)"),
    )
    rejected_at = models.DateTimeField(_("dane odrzucone"), null=True, blank=True)
    verification_note = models.TextField(
        _("uwagi urzędu z weryfikacji"),
        max_length=5000,
        blank=True,
        help_text=_("Co urząd sprawdził, a przy odrzuceniu – co organizacja ma poprawić."),
    )
    data_source = models.CharField(
        _("źródło danych"), max_length=10, choices=DataSource.choices, default=DataSource.MANUAL
    )
    register_extract = models.ForeignKey(
        "organisations.RegisterExtract",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("odpis z KRS"),
    )
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zaimportowano"),
    )
    created_at = models.DateTimeField(_("zarejestrowana w portalu"), default=timezone.now)
    # The seat (config/territory.py): which authorities' territory the organisation is registered in.
    seat_municipality = models.CharField(_("gmina siedziby"), max_length=100, blank=True)
    seat_county = models.CharField(
        _("powiat siedziby"), max_length=100, blank=True, help_text=_("Miasto na prawach powiatu: jego nazwa.")
    )
    seat_voivodeship = models.CharField(
        _("województwo siedziby"), max_length=30, blank=True, choices=Voivodeship.choices
    )
    authorities = models.ManyToManyField(
        "programmes.Authority",
        blank=True,
        related_name="declared_organisations",
        verbose_name=_("jednostki samorządu, z którymi współpracuje"),
        help_text=_("Urzędy w portalu, z którymi organizacja współpracuje lub chce współpracować."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organizacja")
        verbose_name_plural = _("organizacje")
        ordering = ["search_name", "pk"]
        indexes = [
            # The seat as ``seat_filter`` compares it (``iexact``: ``UPPER(seat_county) = UPPER(…)`` on PostgreSQL):
            # the organisations seated in an authority's territory found by index, as one set an office's list or
            # search probes, not compared row by row (``dealing_q``; README, "Region scale").
            models.Index(Upper("seat_county"), Upper("seat_voivodeship"), name="organisation_seat_upper"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["krs"], condition=~Q(krs=""), name="organisation_krs_unique"),
            models.UniqueConstraint(fields=["nip"], condition=~Q(nip=""), name="organisation_nip_unique"),
            models.CheckConstraint(
                condition=Q(is_opp=False) | Q(opp_since__isnull=False), name="organisation_opp_has_since"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The search key is a copy of the name in another spelling; keep the two together.
        self.search_name = search_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_rejected(self) -> bool:
        return self.verified_at is None and self.rejected_at is not None

    @property
    def registry_number(self) -> str:
        return self.registry_label(self.krs, self.other_register)

    @staticmethod
    def registry_label(krs: str, other_register: str) -> str:
        """ "KRS 0000123456", or the other register's entry (for rows read as dicts too)."""
        return f"KRS {krs}" if krs else other_register


def authority_seats(authority_ids) -> list[dict[str, str]]:
    """Per authority (by name), the lookups of an organisation seated in its territory: its territory's parts
    (``seat_county__iexact``…), or its town (``city``) while it has not recorded its territory. One query."""
    seats = []
    for row in _AUTHORITY_SEATS.rows(authority_ids=list(authority_ids)):
        parts = territory_parts(
            row["kind"], row["territory_municipality"], row["territory_county"], row["territory_voivodeship"]
        )
        seats.append(seat_or_town(parts, row["city"]))
    return seats


def _authority_seats(shape, authority_ids):
    from programmes.models import Authority

    return (
        Authority.objects.filter(pk__in=authority_ids)
        .order_by("name")
        .values("kind", "city", "territory_municipality", "territory_county", "territory_voivodeship")
    )


_AUTHORITY_SEATS = Prepared(_authority_seats)


def dealing_q(authority_ids, seats: list[dict[str, str]]) -> Q:
    """The condition of ``dealing_with``, for the authorities' seats (``authority_seats``) already read."""
    from grants.models import Agreement, DirectOffer, Offer, OpenCall

    # Each link as ``pk IN`` the organisations of the authority's own rows, and no join on ``authorities`` (a
    # join needed DISTINCT over every column). The offers are found by the authority's calls and direct offers
    # (``ids_in``: those ids first, then the offers by index), never by a join that reads every authority's
    # offers. Not as ``EXISTS``: PostgreSQL costed those per organisation, and above its JIT threshold it spent
    # 0.6 s compiling the office's list of organisations at region scale (README, "Query plans").
    calls = OpenCall.objects.filter(authority__in=authority_ids).values("pk")
    direct = DirectOffer.objects.filter(authority__in=authority_ids).values("offer_id")
    offered_in_calls = Offer.objects.filter(ids_in("call_id", calls)).values("organisation_id")
    offered_direct = Offer.objects.filter(ids_in("pk", direct)).values("organisation_id")
    agreed = Agreement.objects.filter(authority__in=authority_ids).values("organisation_id")
    linked = Organisation.authorities.through.objects.filter(authority__in=authority_ids).values("organisation_id")
    condition = Q(pk__in=offered_in_calls) | Q(pk__in=offered_direct) | Q(pk__in=agreed) | Q(pk__in=linked)
    # Seated in its territory (before the authority records its territory, in its town): as ``pk IN`` the
    # organisations the seat index finds, not a comparison of every candidate's seat (1 161 names found by a
    # common word at region scale, 1.1 µs each).
    for seat in seats:
        condition |= Q(pk__in=Organisation.objects.filter(**seat).values("pk"))
    return condition


class Membership(models.Model):
    """A person acting for an organisation in the portal."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("administrator")
        EDITOR = "editor", _("redaktor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("osoba")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organizacja")
    )
    role = models.CharField(_("rola"), max_length=10, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(_("od"), default=timezone.now)

    class Meta:
        verbose_name = _("członkostwo w organizacji")
        verbose_name_plural = _("członkostwa w organizacjach")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An e-mail invitation to join an organisation's account."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("adres e-mail"))
    role = models.CharField(_("rola"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.EDITOR)
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("zaproszenie")
        verbose_name_plural = _("zaproszenia")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"


class RegisterExtractQuerySet(models.QuerySet):
    def found(self):
        return self.filter(outcome=RegisterExtract.Outcome.FOUND)

    def latest_for(self, krs: str):
        """The newest answer of the register about ``krs`` (found or not), or ``None``."""
        return self.filter(krs=krs).order_by("-fetched_at", "-pk").first() if krs else None


class RegisterExtract(models.Model):
    """What the KRS register answered about one number and when: the raw document and the fields the portal reads.

    Every look-up is kept (also "not found" and "unavailable"), so the office sees on what its verification and the
    agreement's representatives rest."""

    class Outcome(models.TextChoices):
        FOUND = "found", _("znaleziono w KRS")
        NOT_FOUND = "not_found", _("brak w KRS")
        UNAVAILABLE = "unavailable", _("rejestr niedostępny")
        MALFORMED = "malformed", _("nieczytelna odpowiedź rejestru")

    krs = models.CharField(_("numer KRS"), max_length=10, db_index=True)
    outcome = models.CharField(_("wynik"), max_length=12, choices=Outcome.choices)
    fetched_at = models.DateTimeField(_("pobrano"), default=timezone.now)
    fetched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    register = models.CharField(_("rejestr"), max_length=1, blank=True)
    raw = models.JSONField(_("odpowiedź rejestru"), null=True, blank=True)
    name = models.CharField(_("nazwa"), max_length=600, blank=True)
    legal_form_text = models.CharField(_("forma prawna w KRS"), max_length=200, blank=True)
    street = models.CharField(_("ulica i numer"), max_length=200, blank=True)
    postal_code = models.CharField(_("kod pocztowy"), max_length=10, blank=True)
    city = models.CharField(_("miejscowość"), max_length=100, blank=True)
    nip = models.CharField(_("NIP"), max_length=10, blank=True)
    regon = models.CharField(_("REGON"), max_length=14, blank=True)
    is_opp = models.BooleanField(_("status OPP"), default=False)
    state_date = models.CharField(_("stan na dzień"), max_length=20, blank=True)
    body_name = models.CharField(_("organ reprezentacji"), max_length=200, blank=True)
    members = models.JSONField(_("skład organu reprezentacji"), default=list, blank=True)
    representation_manner = models.TextField(_("sposób reprezentacji"), max_length=5000, blank=True)

    objects = RegisterExtractQuerySet.as_manager()

    class Meta:
        verbose_name = _("odpis z KRS")
        verbose_name_plural = _("odpisy z KRS")
        ordering = ["-fetched_at", "-pk"]

    def __str__(self) -> str:
        return f"KRS {self.krs} ({self.get_outcome_display()}, {self.fetched_at:%d.%m.%Y %H:%M})"

    @property
    def is_found(self) -> bool:
        return self.outcome == self.Outcome.FOUND

    @property
    def active_members(self) -> list[dict]:
        return [m for m in self.members if not m.get("suspended")]

    def representation_text(self) -> str:
        """Who represents the organisation, one person a line, then the manner of representation – as the agreement
        names the NGO's side."""
        lines = [f"{m['name']} – {m['function']}" if m.get("function") else m["name"] for m in self.active_members]
        if self.representation_manner:
            lines.append(f"Sposób reprezentacji: {self.representation_manner}")
        return "\n".join(lines)
