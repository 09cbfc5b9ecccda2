"""Demo programmes: 2024 with S0's budget table, 2025 modelled on S2, and a 2027 draft under consultation."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from organisations.models import Membership, PublicTaskArea
from reports.indicators import S2_CODES

from .models import Authority, BudgetLine, CooperationActivity, CooperationForm, Indicator, PriorityArea, Programme

# S0 (Konstancin-Jeziorna 2018): eight lines summing exactly to 357 000,00 zł, with their art. 4 codes.
S0_LINES = [
    ("Kultura fizyczna", ["17"], "100000.00"),
    ("Turystyka", ["19"], "44000.00"),
    ("Integracja społeczna", ["2"], "20000.00"),
    (
        "Tradycja narodowa, pielęgnowanie polskości, rozwój świadomości narodowej, obywatelskiej i kulturowej",
        ["4"],
        "25000.00",
    ),
    ("Kultura, sztuka, ochrona dóbr kultury i dziedzictwa narodowego", ["16"], "28000.00"),
    ("Ochrona środowiska", ["18"], "10000.00"),
    ("Ratownictwo i ochrona ludności; Ochrona zdrowia", ["23", "6"], "10000.00"),
    ("Przeciwdziałanie uzależnieniom i patologiom społecznym", ["32"], "120000.00"),
]

# S2 § 6 (Kędzierzyn-Koźle 2025): twelve priority areas and their art. 4 codes (domain.md §12.6).
S2_AREAS = [
    ("Ochrona i promocja zdrowia", ["6", "32"], "200000.00"),
    ("Pomoc społeczna", ["1", "2", "7", "10", "31"], "180000.00"),
    ("Nauka, edukacja, oświata i wychowanie", ["14", "15"], "90000.00"),
    ("Kultura, sztuka, ochrona dóbr kultury i tradycji", ["16", "4", "5"], "120000.00"),
    ("Kultura fizyczna, turystyka i krajoznawstwo", ["17", "19"], "250000.00"),
    ("Ekologia i ochrona zwierząt oraz ochrona dziedzictwa przyrodniczego", ["18"], "40000.00"),
    ("Integracja europejska", ["26"], "10000.00"),
    ("Promocja i organizacja wolontariatu", ["27"], "20000.00"),
    ("Rozwój gospodarczy i przedsiębiorczość", ["11"], "10000.00"),
    ("Porządek i bezpieczeństwo publiczne, ratownictwo i ochrona ludności", ["20", "23"], "30000.00"),
    ("Wolności i prawa człowieka, rozwój demokracji", ["22"], "10000.00"),
    ("Rewitalizacja", ["32a"], "40000.00"),
]
S2_TARGETS = {
    "Q1": "100%",
    "Q2": "95–100%",
    "Q3": "100%",
    "Q4": "10%",
    "Q5": "100%",
    "Q6": "0–20%",
    "Q7": "100%",
    "Q8": "100%",
}
PLANNING_VALUE = "wartość wykorzystywana przy planowaniu"


def _sections(year: int) -> dict[str, str]:
    return {
        "goals": "§ 2. 1. Celem głównym Programu jest zapewnienie efektywnego wykonywania zadań publicznych Gminy "
        "poprzez włączenie w ich realizację organizacji pozarządowych.\n"
        "2. Celami szczegółowymi Programu są: budowanie społeczeństwa obywatelskiego, poprawa jakości życia "
        "mieszkańców, integracja podmiotów realizujących zadania publiczne.",
        "principles_text": "§ 3. 1. Współpraca odbywa się na zasadach pomocniczości, suwerenności stron, "
        "partnerstwa, efektywności, uczciwej konkurencji i jawności.",
        "scope": "§ 4. Przedmiotem współpracy jest realizacja zadań publicznych z art. 4 ust. 1 ustawy.",
        "forms_text": "§ 5. Współpraca ma charakter finansowy (zlecanie zadań publicznych) i pozafinansowy "
        "(informowanie, konsultowanie, wspólne zespoły, umowy partnerskie).",
        "priorities_text": "§ 6. Zadania priorytetowe określa wykaz obszarów priorytetowych programu.",
        "period_text": f"§ 8. 1. Program realizowany będzie od 1 stycznia do 31 grudnia {year} r.",
        "implementation": "§ 7. 1. Zlecanie zadań odbywa się w otwartych konkursach ofert; termin składania ofert nie "
        "może być krótszy niż 21 dni od ostatniego ogłoszenia.\n"
        "2. Prezydent może zlecić zadanie z pominięciem konkursu na zasadach art. 19a ustawy.",
        "funding_text": "§ 9. 1. Planowaną wysokość środków określa tabela budżetu programu.\n"
        f"2. Szczegółowe kwoty określi uchwała budżetowa na rok {year}.",
        "evaluation": "§ 10. 1. Do oceny realizacji programu stosowane są wskaźniki określone w tabeli wskaźników.\n"
        "2. Bieżący monitoring realizacji programu prowadzi Prezydent.",
        "consultation_text": "§ 11. 1. Program opracowano po konsultacjach przeprowadzonych na podstawie uchwały "
        "Nr LXIII/701/10 Rady Miasta Kędzierzyn-Koźle z dnia 9 listopada 2010 r.",
        "commissions_text": "§ 12. 1. Prezydent po ogłoszeniu każdego otwartego konkursu ofert powołuje komisję.\n"
        "2. W skład komisji wchodzą co najmniej trzej przedstawiciele Prezydenta.",
    }


def _programme(authority, year, title, lines, status, resolution=("", None), reserve="0", cap=None):
    from accounts.demo import localise

    programme, created = Programme.objects.get_or_create(
        authority=authority,
        year_from=year,
        year_to=year,
        defaults={
            "title": localise(title, authority),
            "status": status,
            "resolution_number": resolution[0],
            "resolution_date": resolution[1],
            "small_grants_reserve": Decimal(reserve),
            "small_grants_cap_pct": Decimal(cap) if cap else None,
            "report_deadline": date(year + 1, 5, 31),
            "cooperation_forms": [c.value for c in CooperationForm],
            **{key: localise(text, authority) for key, text in _sections(year).items()},
        },
    )
    if not created:
        return programme
    codes = dict(PublicTaskArea.objects.values_list("code", "pk"))
    for number, (name, area_codes, amount) in enumerate(lines, start=1):
        area = PriorityArea.objects.create(programme=programme, number=number, name=name)
        area.task_areas.set([codes[c] for c in area_codes])
        BudgetLine.objects.create(
            programme=programme, priority_area=area, number=number, name=name, planned_amount=Decimal(amount)
        )
    return programme


def _consultation(programme, *, starts: date, ends: date, order: str, reported: bool, comments: list, site=None):
    from accounts.demo import localise
    from consultations.models import Consultation, ConsultationComment
    from consultations.services import consultation_create
    from organisations.demo import site_organisations

    existing = programme.consultations.first()
    if existing:
        return existing
    from .services import programme_draft_text

    zone = timezone.get_current_timezone()
    consultation = consultation_create(
        actor=None,
        authority=programme.authority,
        programme=programme,
        data={
            "title": f"Projekt uchwały w sprawie przyjęcia {programme.title_genitive}",
            "draft_text": programme_draft_text(programme),
            "basis_resolution": localise(
                "uchwała Nr LXIII/701/10 Rady Miasta Kędzierzyn-Koźle z dnia 9 listopada 2010 r.", programme.authority
            ),
            "opening_order": localise(order, programme.authority),
            "starts_at": datetime.combine(starts, time.min, tzinfo=zone),
            "ends_at": datetime.combine(ends, time(23, 59, 59), tzinfo=zone),
            "channels": "formularz w portalu; e-mail; pismo złożone w Urzędzie Miasta",
            "status": Consultation.Status.REPORTED if reported else Consultation.Status.ANNOUNCED,
            "report_published_at": datetime.combine(ends + timedelta(days=5), time(12), tzinfo=zone)
            if reported
            else None,
            "summary": "Uwagi zgłoszono przez portal. Projekt omówiono na spotkaniu z organizacjami."
            if reported
            else "",
        },
    )
    provisions = list(consultation.provisions.all())
    site_orgs = site_organisations(site)
    organisations = list(site_orgs.filter(memberships__isnull=False).distinct()[:1]) or list(site_orgs[:1])
    for index, (provision_index, wording, reason, decision, response) in enumerate(comments):
        organisation = organisations[0] if index % 2 == 0 else site_orgs.order_by("pk")[index + 3]
        author = Membership.objects.filter(organisation=organisation).first()
        ConsultationComment.objects.create(
            consultation=consultation,
            provision=provisions[provision_index % len(provisions)],
            organisation=organisation,
            author=author.user if author else programme.authority.staff.first().user,
            proposed_wording=wording,
            justification=reason,
            status=ConsultationComment.Status.SUBMITTED,
            submitted_at=consultation.starts_at + timedelta(days=2 + index),
            decision=decision if reported else "",
            response=response if reported else "",
        )
    if reported:
        _publish(programme.authority, consultation)  # the report as published, frozen
    return consultation


S2_COMMENTS = [
    (
        7,
        "Dodać do zadań w zakresie kultury fizycznej organizację zajęć dla seniorów.",
        "W gminie rośnie liczba seniorów, a oferta sportowa dla nich jest skromna.",
        "accepted",
        "Uwzględniono – zadanie dopisano do obszaru kultury fizycznej.",
    ),
    (
        9,
        "Podnieść planowaną kwotę na realizację programu do 1 200 000 zł.",
        "Potrzeby organizacji przekraczają kwotę z projektu.",
        "rejected",
        "Nie uwzględniono – wysokość środków określa uchwała budżetowa; program wskazuje kwotę minimalną.",
    ),
    (
        12,
        "Wprowadzić co najmniej dwa spotkania informacyjne z organizacjami w roku.",
        "Organizacje potrzebują regularnej informacji o konkursach.",
        "partly",
        "Uwzględniono częściowo – spotkania będą organizowane w miarę potrzeb, nie rzadziej niż raz w roku.",
    ),
]


def _publish_adopted(authority: Authority, programmes: list[Programme]) -> None:
    """The programmes in force were adopted before the demo begins: their text as adopted is frozen and public."""
    from reports.models import Publication

    for programme in programmes:
        if not Publication.objects.filter(kind=Publication.Kind.PROGRAMME, object_id=programme.pk).exists():
            _publish(authority, programme)


def _publish(authority: Authority, document) -> None:
    from reports.publications import publication_publish

    staff = authority.staff.select_related("user").order_by("pk").first()
    if staff is not None:
        publication_publish(actor=staff.user, document=document)


@transaction.atomic
def seed_programmes(authority: Authority, site=None) -> list[Programme]:
    from accounts.demo import localise

    today = timezone.localdate()
    past = _programme(
        authority,
        2024,
        "Program współpracy Gminy Kędzierzyn-Koźle z organizacjami pozarządowymi na rok 2024",
        S0_LINES,
        Programme.Status.IN_FORCE,
        ("LXXI/735/23", date(2023, 11, 23)),
        reserve="50000.00",
        cap="20",  # an older programme restating the small-grant share cap as its own rule
    )
    current = _programme(
        authority,
        2025,
        "Program współpracy Gminy Kędzierzyn-Koźle z organizacjami pozarządowymi na rok 2025",
        S2_AREAS,
        Programme.Status.IN_FORCE,
        ("XI/119/24", date(2024, 10, 24)),
        reserve="150000.00",
    )
    draft = _programme(
        authority,
        2027,
        "Program współpracy Gminy Kędzierzyn-Koźle z organizacjami pozarządowymi na rok 2027",
        S2_AREAS,
        Programme.Status.IN_CONSULTATION,
        reserve="150000.00",
    )
    for programme in (past, current, draft):
        if not programme.indicators.exists():
            Indicator.objects.bulk_create(
                Indicator(programme=programme, code=code, order=order, target=S2_TARGETS.get(code, PLANNING_VALUE))
                for order, code in enumerate(S2_CODES, start=1)
            )
    _publish_adopted(authority, [past, current])
    _consultation(
        current,
        starts=date(2024, 7, 24),
        ends=date(2024, 8, 7),
        order="zarządzenie nr 64/Or/2024 Prezydenta Miasta Kędzierzyn-Koźle z dnia 23 lipca 2024 r.",
        reported=True,
        comments=S2_COMMENTS,
        site=site,
    )
    _consultation(
        draft,
        starts=today - timedelta(days=7),
        ends=today + timedelta(days=7),
        order=f"zarządzenie nr 71/Or/{today.year} Prezydenta Miasta Kędzierzyn-Koźle",
        reported=False,
        comments=S2_COMMENTS[:1],
        site=site,
    )
    if not CooperationActivity.objects.filter(authority=authority).exists():
        for days, kind, title, initiator, orgs, people in [
            (300, "training", "Szkolenie: inicjatywa lokalna i małe granty", "authority", 18, 31),
            (250, "meeting", "Spotkanie informacyjne o konkursach na 2025 r.", "authority", 42, 60),
            (200, "premises", "Lokal przy ul. Piastowskiej 17 dla stowarzyszenia seniorów", "authority", 1, 0),
            (150, "partnership", "Umowa partnerska: Tydzień Wolontariatu", "joint", 5, 12),
            (100, "patronage", "Patronat Prezydenta nad Biegiem Niepodległości", "ngo", 1, 400),
        ]:
            CooperationActivity.objects.create(
                authority=authority,
                kind=kind,
                date=today - timedelta(days=days),
                title=localise(title, authority),
                initiator=initiator,
                organisation_count=orgs,
                participant_count=people,
            )
    return [past, current, draft]
