from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config import polish, territory
from config.numbering import validate_number_pattern
from reports import indicators as indicator_registry


class AuthorityQuerySet(models.QuerySet):
    def for_home(self):
        """The installation's home: every authority, counties before their gminas' names in Polish order."""
        return self.only("pk", "name", "slug", "kind", "city", "bip_url").order_by("name")

    def the_only_one(self) -> "Authority | None":
        """The authority when the installation serves exactly one, so the UI need not ask which."""
        authorities = list(self.all()[:2])
        return authorities[0] if len(authorities) == 1 else None


class Authority(models.Model):
    """The public body (gmina, miasto, powiat, województwo) whose executive runs the cooperation programme.

    Documents name it and its organs in every case through ``grammar`` (``config.polish``).
    """

    class Kind(models.TextChoices):
        URBAN = "urban", _("gmina miejska")
        URBAN_RURAL = "urban_rural", _("gmina miejsko-wiejska")
        RURAL = "rural", _("gmina wiejska")
        CITY_COUNTY = "city_county", _("miasto na prawach powiatu")
        COUNTY = "county", _("powiat")
        VOIVODESHIP = "voivodeship", _("województwo")

    class ExecutiveTitle(models.TextChoices):
        MAYOR_OF_CITY = "prezydent", _("Prezydent Miasta")
        MAYOR = "burmistrz", _("Burmistrz")
        VILLAGE_HEAD = "wojt", _("Wójt")
        COUNTY_BOARD = "zarzad_powiatu", _("Zarząd Powiatu")
        VOIVODESHIP_BOARD = "zarzad_wojewodztwa", _("Zarząd Województwa")

    name = models.CharField(
        _("nazwa"),
        max_length=200,
        unique=True,
        help_text=_("W mianowniku, od rodzaju jednostki: np. Gmina Zbójno, Miasto Białystok, Powiat Kozielski"),
    )
    slug = models.SlugField(_("skrót w adresach"), max_length=80, unique=True)
    kind = models.CharField(_("rodzaj jednostki"), max_length=20, choices=Kind.choices)
    executive_title = models.CharField(_("organ wykonawczy"), max_length=20, choices=ExecutiveTitle.choices)
    executive_name = models.CharField(
        _("pełna nazwa organu wykonawczego"),
        max_length=200,
        blank=True,
        help_text=_(
            "W mianowniku, jak w statucie, np. Burmistrz Gminy Konstancin-Jeziorna, Prezydent Miasta Białegostoku. "
            "Puste: utworzona z organu i nazwy jednostki."
        ),
    )
    council_name = models.CharField(
        _("organ stanowiący"),
        max_length=200,
        help_text=_("W mianowniku, np. Rada Gminy Zbójno, Rada Miejska w Łomiankach, Rada Powiatu Kozielskiego"),
    )
    street = models.CharField(_("ulica i numer"), max_length=200)
    postal_code = models.CharField(_("kod pocztowy"), max_length=6)
    city = models.CharField(_("miejscowość"), max_length=100)
    email = models.EmailField(_("e-mail urzędu"), blank=True)
    bip_url = models.URLField(_("adres BIP"), blank=True)
    website = models.URLField(_("strona internetowa"), blank=True)
    call_number_pattern = models.CharField(
        _("wzór numeru ogłoszenia konkursu"),
        max_length=40,
        default="OK/{rok}/{nr}",
        validators=[validate_number_pattern],
        help_text=_("{rok} – rok, {nr} – kolejny numer w roku, {nr:3} – numer z zerami (001). Np. OK/{rok}/{nr}."),
    )
    agreement_number_pattern = models.CharField(
        _("wzór numeru umowy"),
        max_length=40,
        default="UM/{rok}/{nr:3}",
        validators=[validate_number_pattern],
        help_text=_("{rok} – rok, {nr} – kolejny numer w roku, {nr:3} – numer z zerami (001). Np. UM/{rok}/{nr:3}."),
    )
    # Its territory (config/territory.py): which organisations' seats lie in it.
    territory_municipality = models.CharField(
        _("gmina (obszar)"), max_length=100, blank=True, help_text=_("Nazwa gminy jak w rejestrze TERYT, np. Zbójno")
    )
    territory_county = models.CharField(
        _("powiat (obszar)"),
        max_length=100,
        blank=True,
        help_text=_(
            "Nazwa powiatu jak w rejestrze TERYT, np. kędzierzyńsko-kozielski; miasto na prawach powiatu: jego nazwa"
        ),
    )
    territory_voivodeship = models.CharField(
        _("województwo (obszar)"), max_length=30, blank=True, choices=territory.Voivodeship.choices
    )
    logo = models.FileField(_("herb lub logo"), upload_to="authorities/", blank=True)
    default_representatives = models.TextField(
        _("domyślni reprezentanci w umowach"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Kto zwykle podpisuje umowy w imieniu jednostki, np. „Zastępca Burmistrza – Jan Nowak, z kontrasygnatą "
            "Skarbnika”. Puste: organ wykonawczy."
        ),
    )
    agreement_clauses = models.TextField(
        _("postanowienia dodatkowe umów"),
        max_length=10000,
        blank=True,
        help_text=_("Dodawane do każdej umowy o realizację zadania publicznego (§ postanowienia końcowe)."),
    )
    seals_agreements = models.BooleanField(
        _("umowy zawierane pieczęcią elektroniczną urzędu"),
        default=False,
        help_text=_(
            "Gdy organ upoważnił do tego urząd: umowę podpisaną elektronicznie przez organizację urząd zawiera, "
            "nakładając w portalu pieczęć elektroniczną (zamiast przesyłać kopię podpisaną przez reprezentantów)."
        ),
    )

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        verbose_name = _("jednostka samorządu")
        verbose_name_plural = _("jednostki samorządu")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = polish.check_authority_names(
            kind=self.kind,
            executive_title=self.executive_title,
            name=self.name,
            executive_name=self.executive_name,
            council_name=self.council_name,
        )
        if errors:
            raise ValidationError(errors)

    @property
    def executive_full_name(self) -> str:
        """ "Wójt Gminy Zbójno", "Zarząd Powiatu Kozielskiego": as entered, or made from the title and the name."""
        return self.executive_name or polish.default_executive_name(self.kind, self.executive_title, self.name)

    @property
    def territory_parts(self) -> dict[str, str]:
        """The seat an organisation in this authority's territory has; empty while the territory is not recorded."""
        return territory.territory_parts(
            self.kind, self.territory_municipality, self.territory_county, self.territory_voivodeship
        )

    @property
    def grammar(self) -> polish.AuthorityGrammar:
        return polish.AuthorityGrammar(self.kind, self.name, self.executive_full_name, self.council_name)

    @property
    def council_genitive(self) -> str:
        """ "Uchwała nr … Rady Miejskiej w …": council names are stored in the nominative."""
        return self.grammar.council(polish.Case.GEN)

    @property
    def executive_dative(self) -> str:
        """ "Wykonanie uchwały powierza się …" needs the dative case: "Wójtowi Gminy Zbójno"."""
        return self.grammar.executive(polish.Case.DAT)


class CooperationForm(models.TextChoices):
    """Forms of cooperation, art. 5 ust. 2."""

    COMMISSIONING = "commissioning", _("zlecanie organizacjom realizacji zadań publicznych")
    INFORMATION = "information", _("wzajemne informowanie się o planowanych kierunkach działalności")
    CONSULTING_NGOS = "consulting_ngos", _("konsultowanie z organizacjami projektów aktów normatywnych")
    CONSULTING_COUNCILS = (
        "consulting_councils",
        _("konsultowanie projektów aktów z radami działalności pożytku publicznego"),
    )
    JOINT_TEAMS = "joint_teams", _("tworzenie wspólnych zespołów o charakterze doradczym i inicjatywnym")
    LOCAL_INITIATIVE = "local_initiative", _("umowa o wykonanie inicjatywy lokalnej")
    PARTNERSHIP = "partnership", _("umowy partnerskie")


PRINCIPLES = "pomocniczości, suwerenności stron, partnerstwa, efektywności, uczciwej konkurencji i jawności"


class ProgrammeQuerySet(models.QuerySet):
    def public(self):
        """What anyone may read: everything past the internal draft."""
        return self.exclude(status=Programme.Status.DRAFT)

    def with_total(self):
        return self.annotate(planned_total=models.Sum("budget_lines__planned_amount", default=Decimal("0")))


class Programme(models.Model):
    """The cooperation programme (art. 5a): annual or multi-year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("projekt")
        IN_CONSULTATION = "in_consultation", _("w konsultacjach")
        CONSULTED = "consulted", _("po konsultacjach")
        ADOPTED = "adopted", _("uchwalony")
        IN_FORCE = "in_force", _("w realizacji")
        REPORTED = "reported", _("rozliczony sprawozdaniem")

    # The eleven mandatory sections of art. 5a ust. 4, in S2's chapter order.
    SECTIONS = [
        ("goals", "Cel główny i cele szczegółowe programu"),
        ("principles_text", "Zasady współpracy"),
        ("scope", "Zakres przedmiotowy"),
        ("forms_text", "Formy współpracy"),
        ("priorities_text", "Priorytetowe zadania publiczne"),
        ("period_text", "Okres realizacji programu"),
        ("implementation", "Sposób realizacji programu"),
        ("funding_text", "Wysokość środków planowanych na realizację programu"),
        ("evaluation", "Sposób oceny realizacji programu"),
        ("consultation_text", "Informacja o sposobie tworzenia programu oraz o przebiegu konsultacji"),
        ("commissions_text", "Tryb powoływania i zasady działania komisji konkursowych do opiniowania ofert"),
    ]

    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("jednostka")
    )
    title = models.CharField(_("tytuł"), max_length=400)
    year_from = models.PositiveSmallIntegerField(_("od roku"))
    year_to = models.PositiveSmallIntegerField(_("do roku"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    cooperation_forms = models.JSONField(_("formy współpracy (art. 5 ust. 2)"), default=list, blank=True)
    small_grants_reserve = models.DecimalField(
        _("środki zarezerwowane na małe granty (art. 19a)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    small_grants_cap_pct = models.DecimalField(
        _("limit udziału małych grantów (% planowanych środków)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_(
            "Własna zasada programu, np. „20” – małe granty najwyżej 20% planowanych środków. Puste: program nie "
            "ustala własnego limitu (obowiązują limity ustawowe art. 19a)."
        ),
    )
    goals = models.TextField(_("cel główny i cele szczegółowe"), blank=True, max_length=20000)
    principles_text = models.TextField(_("zasady współpracy"), blank=True, max_length=20000)
    scope = models.TextField(_("zakres przedmiotowy"), blank=True, max_length=20000)
    forms_text = models.TextField(_("formy współpracy"), blank=True, max_length=20000)
    priorities_text = models.TextField(_("priorytetowe zadania publiczne"), blank=True, max_length=20000)
    period_text = models.TextField(_("okres realizacji"), blank=True, max_length=20000)
    implementation = models.TextField(_("sposób realizacji"), blank=True, max_length=20000)
    funding_text = models.TextField(_("wysokość środków planowanych"), blank=True, max_length=20000)
    evaluation = models.TextField(_("sposób oceny realizacji"), blank=True, max_length=20000)
    consultation_text = models.TextField(
        _("sposób tworzenia programu i przebieg konsultacji"), blank=True, max_length=20000
    )
    commissions_text = models.TextField(
        _("tryb powoływania i zasady działania komisji konkursowych"), blank=True, max_length=20000
    )
    resolution_number = models.CharField(_("numer uchwały"), max_length=100, blank=True)
    resolution_date = models.DateField(_("data uchwały"), null=True, blank=True)
    report_deadline = models.DateField(
        _("termin sprawozdania dla rady"),
        null=True,
        blank=True,
        help_text=_("Ustawowo do 31 maja roku następnego; program może przewidywać termin wcześniejszy."),
    )
    appeal_days = models.PositiveSmallIntegerField(
        _("termin na odwołanie od wyników konkursu (dni)"),
        null=True,
        blank=True,
        help_text=_("Puste: program nie przewiduje odwołań (ustawa ich nie przewiduje; programy ustalają np. 7 dni)."),
    )
    appeal_decision_days = models.PositiveSmallIntegerField(_("termin rozpatrzenia odwołania (dni)"), default=14)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uchwalenie zapisał(a)"),
    )
    adopted_recorded_at = models.DateTimeField(_("uchwalenie zapisano"), null=True, blank=True)
    adoption_confirmed_warnings = models.JSONField(
        _("ostrzeżenia potwierdzone przy uchwaleniu"), default=list, blank=True
    )
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zaimportowano"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("program współpracy")
        verbose_name_plural = _("programy współpracy")
        ordering = ["-year_from", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(year_to__gte=F("year_from")), name="programme_years_ordered"),
            models.CheckConstraint(condition=Q(small_grants_reserve__gte=0), name="programme_reserve_not_negative"),
            # One programme per authority and period: a change of an adopted programme is an amendment of it.
            models.UniqueConstraint(fields=["authority", "year_from"], name="programme_one_per_authority_period"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_multiannual(self) -> bool:
        return self.year_to > self.year_from

    @property
    def period_label(self) -> str:
        return str(self.year_from) if not self.is_multiannual else f"{self.year_from}–{self.year_to}"

    @property
    def adoption_deadline(self) -> date:
        """Art. 5a ust. 1: adopted by 30 November of the year before the programme starts."""
        return date(self.year_from - 1, 11, 30)

    @property
    def title_genitive(self) -> str:
        """For "w sprawie przyjęcia …": "Roczny Program Współpracy …" → "Rocznego Programu Współpracy …"."""
        return polish.programme_title_genitive(self.title)

    def sections(self) -> list[tuple[str, str]]:
        return [(title, getattr(self, field)) for field, title in self.SECTIONS]

    def cooperation_form_labels(self) -> list[str]:
        labels = dict(CooperationForm.choices)
        return [labels[code] for code in self.cooperation_forms if code in labels]


class ProgrammeAmendment(models.Model):
    """A later resolution changing an adopted programme (same form as adoption, S2 § 13)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="amendments")
    version = models.PositiveSmallIntegerField(_("wersja"))
    resolution_number = models.CharField(_("numer uchwały zmieniającej"), max_length=100)
    resolution_date = models.DateField(_("data uchwały zmieniającej"))
    description = models.TextField(_("zakres zmian"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("zmiana programu")
        verbose_name_plural = _("zmiany programu")
        ordering = ["programme", "version"]
        constraints = [models.UniqueConstraint(fields=["programme", "version"], name="amendment_version_unique")]

    def __str__(self) -> str:
        return f"{self.programme} – zmiana {self.version}"


class PriorityArea(models.Model):
    """A local priority area of the programme (S2 § 6), mapped to art. 4 ust. 1 areas."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="priority_areas")
    number = models.PositiveSmallIntegerField(_("lp."))
    name = models.CharField(_("nazwa obszaru"), max_length=300)
    tasks = models.TextField(_("zadania priorytetowe"), blank=True, max_length=5000)
    task_areas = models.ManyToManyField(
        "organisations.PublicTaskArea", related_name="priority_areas", verbose_name=_("sfery z art. 4 ust. 1")
    )

    class Meta:
        verbose_name = _("obszar priorytetowy")
        verbose_name_plural = _("obszary priorytetowe")
        ordering = ["programme", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="priority_area_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class BudgetLine(models.Model):
    """Funds planned for one scope of tasks (S0's table rows); calls draw on them."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budget_lines")
    priority_area = models.ForeignKey(
        PriorityArea, on_delete=models.PROTECT, related_name="budget_lines", verbose_name=_("obszar priorytetowy")
    )
    number = models.PositiveSmallIntegerField(_("lp."))
    name = models.CharField(_("zakres (nazwa w budżecie)"), max_length=300)
    planned_amount = models.DecimalField(
        _("kwota planowana"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        verbose_name = _("pozycja budżetu programu")
        verbose_name_plural = _("pozycje budżetu programu")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="budget_line_number_unique"),
            models.CheckConstraint(condition=Q(planned_amount__gte=0), name="budget_line_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Indicator(models.Model):
    """An indicator the programme will be judged by, with its target (S2 § 10, S4 § 10 ust. 3)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("wskaźnik"), max_length=10, choices=indicator_registry.CHOICES)
    order = models.PositiveSmallIntegerField(_("lp."), default=0)
    target = models.CharField(
        _("wartość docelowa"), max_length=100, help_text=_("np. „100%”, „95–100%”, „0–20%” albo opis słowny")
    )

    class Meta:
        verbose_name = _("wskaźnik programu")
        verbose_name_plural = _("wskaźniki programu")
        ordering = ["programme", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="indicator_code_unique")]

    def __str__(self) -> str:
        return self.definition.name

    @property
    def definition(self) -> indicator_registry.IndicatorDefinition:
        return indicator_registry.BY_CODE[self.code]


class CooperationActivity(models.Model):
    """Non-financial cooperation (S0's non-financial section; S2 N2, N3, N6 are counted from it)."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("spotkanie informacyjne")
        TRAINING = "training", _("szkolenie")
        PREMISES = "premises", _("udostępnienie lokalu na preferencyjnych warunkach")
        PATRONAGE = "patronage", _("patronat")
        PARTNERSHIP = "partnership", _("umowa partnerska")
        JOINT_TEAM = "joint_team", _("wspólny zespół doradczy lub inicjatywny")
        PROMOTION = "promotion", _("informacja i promocja")

    class Initiator(models.TextChoices):
        AUTHORITY = "authority", _("urząd")
        NGO = "ngo", _("organizacje")
        JOINT = "joint", _("wspólnie")

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="cooperation_activities")
    kind = models.CharField(_("rodzaj"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("data"))
    title = models.CharField(_("tytuł"), max_length=300)
    description = models.TextField(_("opis"), blank=True, max_length=5000)
    initiator = models.CharField(_("z inicjatywy"), max_length=10, choices=Initiator.choices)
    organisations = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="cooperation_activities",
        verbose_name=_("organizacje z bazy"),
    )
    organisation_count = models.PositiveIntegerField(
        _("liczba organizacji"), default=0, help_text=_("Łącznie, także spoza bazy portalu.")
    )
    participant_count = models.PositiveIntegerField(_("liczba uczestników"), default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("działanie pozafinansowe")
        verbose_name_plural = _("współpraca pozafinansowa")
        ordering = ["-date", "title"]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.title}"
