"""Demo people, one per role, with known logins printed by ``manage.py demo_logins``."""

from django.db import transaction

from organisations.models import Membership, Organisation, PublicTaskArea
from programmes.models import Authority

from .models import User
from .services import staff_assign

DEMO_PASSWORD = "Demo-portal-2026"  # noqa: S105 - printed for the demo on purpose

DEMO_USERS = [
    # (email, first name, last name, role description)
    ("admin@portal.example.pl", "Adam", "Administrator", "superużytkownik (panel administracyjny)"),
    ("urzednik@portal.example.pl", "Urszula", "Nowakowska", "pracownik urzędu"),
    ("dyrektor@portal.example.pl", "Damian", "Kowalczyk", "rozstrzyga, administruje jednostką"),
    ("ngo.admin@portal.example.pl", "Natalia", "Wiśniewska", "administrator organizacji"),
    ("ngo.redaktor@portal.example.pl", "Rafał", "Zieliński", "redaktor organizacji"),
]

DEMO_AUTHORITY = {
    "name": "Gmina Kędzierzyn-Koźle",
    "slug": "kedzierzyn-kozle",
    "kind": Authority.Kind.CITY_COUNTY,
    "executive_title": Authority.ExecutiveTitle.MAYOR_OF_CITY,
    "council_name": "Rada Miasta Kędzierzyn-Koźle",
    "street": "ul. Grunwaldzka 6",
    "postal_code": "47-220",
    "city": "Kędzierzyn-Koźle",
    "email": "ngo@kedzierzynkozle.example.pl",
    "bip_url": "https://bip.kedzierzynkozle.example.pl/",
    "territory_county": "kędzierzyńsko-kozielski",
    "territory_voivodeship": "opolskie",
}

DEMO_ORGANISATION = {
    "name": "Stowarzyszenie Przyjaciół Ziemi Kozielskiej „Odra”",
    "legal_form": "association",
    "krs": "0000271822",
    "nip": "7492012307",
    "regon": "532489874",
    "street": "ul. Piastowska 17",
    "postal_code": "47-200",
    "city": "Kędzierzyn-Koźle",
    "email": "biuro@odra-kozle.example.pl",
    "phone": "+48 77 482 11 22",
    "bank_account": "PL61109010140000071219812874",
    "is_opp": False,
    "statutory_activity": "Ochrona dziedzictwa i tradycji regionu, turystyka i krajoznawstwo, praca z młodzieżą.",
    "seat_municipality": "Kędzierzyn-Koźle",
    "seat_county": "kędzierzyńsko-kozielski",
    "seat_voivodeship": "opolskie",
}


@transaction.atomic
def seed_people() -> Authority:
    authority, _ = Authority.objects.get_or_create(slug=DEMO_AUTHORITY["slug"], defaults=DEMO_AUTHORITY)
    users = {}
    for email, first, last, _role in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, first_name=first, last_name=last, is_active=True
            )
        users[email] = user
    admin = users["admin@portal.example.pl"]
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
    staff_assign(user=users["urzednik@portal.example.pl"], authority=authority, job_title="Wydział Spraw Społecznych")
    staff_assign(
        user=users["dyrektor@portal.example.pl"],
        authority=authority,
        can_decide=True,
        is_admin=True,
        job_title="Pełnomocnik Prezydenta ds. współpracy z organizacjami",
    )
    organisation = Organisation.objects.filter(krs=DEMO_ORGANISATION["krs"]).first()
    if organisation is None:
        organisation = Organisation.objects.create(**DEMO_ORGANISATION)
        organisation.areas.set(PublicTaskArea.objects.filter(code__in=["4", "15", "19"]))
    for email, role in (("ngo.admin@portal.example.pl", "admin"), ("ngo.redaktor@portal.example.pl", "editor")):
        Membership.objects.get_or_create(user=users[email], organisation=organisation, defaults={"role": role})
    return authority
