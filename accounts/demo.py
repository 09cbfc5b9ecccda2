"""Demo people, one per role, with known logins printed by ``manage.py demo_logins``.

The demo's own authority (Kędzierzyn-Koźle) is the first of the region's sites; ``seed_demo --scale region`` adds nine
more authorities of the opolskie region (a powiat and eight gminas), each with its own office staff, commission,
residents and organisations seated in its territory (outside Kędzierzyn-Koźle's, so the first authority's data is
the same at city and region scale).
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
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


def _region_authority(name, slug, kind, title, council, street, postal_code, city, county, municipality=""):
    return {
        "name": name,
        "slug": slug,
        "kind": kind,
        "executive_title": title,
        "council_name": council,
        "street": street,
        "postal_code": postal_code,
        "city": city,
        "email": f"ngo@{slug}.example.pl",
        "bip_url": f"https://bip.{slug}.example.pl/",
        "territory_municipality": municipality,
        "territory_county": county,
        "territory_voivodeship": "opolskie",
    }


K, T = Authority.Kind, Authority.ExecutiveTitle
# The region's other nine authorities: powiat strzelecki, six of its gminas and two gminas of powiat krapkowicki.
REGION_AUTHORITIES = [
    _region_authority(
        "Powiat Strzelecki",
        "powiat-strzelecki",
        K.COUNTY,
        T.COUNTY_BOARD,
        "Rada Powiatu Strzeleckiego",
        "ul. Jordanowska 2",
        "47-100",
        "Strzelce Opolskie",
        "strzelecki",
    ),
    _region_authority(
        "Gmina Strzelce Opolskie",
        "strzelce-opolskie",
        K.URBAN_RURAL,
        T.MAYOR,
        "Rada Miejska w Strzelcach Opolskich",
        "pl. Żeromskiego 13",
        "47-100",
        "Strzelce Opolskie",
        "strzelecki",
        "Strzelce Opolskie",
    ),
    _region_authority(
        "Gmina Leśnica",
        "lesnica",
        K.URBAN_RURAL,
        T.MAYOR,
        "Rada Miejska w Leśnicy",
        "ul. Powstańców Śląskich 2a",
        "47-150",
        "Leśnica",
        "strzelecki",
        "Leśnica",
    ),
    _region_authority(
        "Gmina Ujazd",
        "ujazd",
        K.URBAN_RURAL,
        T.MAYOR,
        "Rada Miejska w Ujeździe",
        "ul. Sławięcicka 6",
        "47-143",
        "Ujazd",
        "strzelecki",
        "Ujazd",
    ),
    _region_authority(
        "Gmina Zawadzkie",
        "zawadzkie",
        K.URBAN_RURAL,
        T.MAYOR,
        "Rada Miejska w Zawadzkiem",
        "ul. Dębowa 13",
        "47-120",
        "Zawadzkie",
        "strzelecki",
        "Zawadzkie",
    ),
    _region_authority(
        "Gmina Izbicko",
        "izbicko",
        K.RURAL,
        T.VILLAGE_HEAD,
        "Rada Gminy Izbicko",
        "ul. Powstańców Śląskich 2",
        "47-180",
        "Izbicko",
        "strzelecki",
        "Izbicko",
    ),
    _region_authority(
        "Gmina Jemielnica",
        "jemielnica",
        K.RURAL,
        T.VILLAGE_HEAD,
        "Rada Gminy Jemielnica",
        "ul. Strzelecka 67",
        "47-133",
        "Jemielnica",
        "strzelecki",
        "Jemielnica",
    ),
    _region_authority(
        "Gmina Krapkowice",
        "krapkowice",
        K.URBAN_RURAL,
        T.MAYOR,
        "Rada Miejska w Krapkowicach",
        "ul. 3 Maja 17",
        "47-300",
        "Krapkowice",
        "krapkowicki",
        "Krapkowice",
    ),
    _region_authority(
        "Gmina Gogolin",
        "gogolin",
        K.URBAN_RURAL,
        T.MAYOR,
        "Rada Miejska w Gogolinie",
        "ul. Krapkowicka 6",
        "47-320",
        "Gogolin",
        "krapkowicki",
        "Gogolin",
    ),
]


@dataclass(frozen=True)
class DemoSite:
    """One authority of the demo and the people and organisations seeded for it.

    Site 0 is the demo's own authority with the logins printed by ``demo_logins``; the other sites' people have the
    same names before the ``@`` and the authority's slug after it (``urzednik@gogolin.portal.example.pl``).
    """

    number: int
    authority: dict

    @property
    def first(self) -> bool:
        return self.number == 0

    @property
    def slug(self) -> str:
        return self.authority["slug"]

    def email(self, address: str) -> str:
        if self.first:
            return address
        return f"{address.split('@')[0]}@{self.slug}.portal.example.pl"

    @property
    def seat(self) -> tuple[str, str, tuple[str, str, str]]:
        """Postal code, town and seat (gmina, powiat, województwo) of the organisations seeded for this site."""
        a = self.authority
        return a["postal_code"], a["city"], (a["city"], a["territory_county"], a["territory_voivodeship"])


DEMO_SITES = [DemoSite(0, DEMO_AUTHORITY)] + [DemoSite(n, a) for n, a in enumerate(REGION_AUTHORITIES, start=1)]
FIRST_SITE = DEMO_SITES[0]


def demo_password_hash() -> str:
    """The demo password hashed once (the configured hasher): every demo login is made with this hash, so seeding
    hundreds of people does not hash the same password hundreds of times. ``demo_logins`` sign in with it as usual."""
    global _HASH
    if _HASH is None:
        _HASH = make_password(DEMO_PASSWORD)
    return _HASH


_HASH = None


def demo_user(email: str, first_name: str, last_name: str, **fields) -> User:
    """The demo person with this address, made (with the demo password) if missing."""
    user = User.objects.filter(email=email).first()
    if user is None:
        # The manager normalises the address; the password is the demo password's hash made once (above).
        user = User.objects.create_user(
            email=email, password=None, first_name=first_name, last_name=last_name, **fields
        )
        User.objects.filter(pk=user.pk).update(password=demo_password_hash())
        user.password = demo_password_hash()
    return user


@transaction.atomic
def seed_people(site: DemoSite = FIRST_SITE) -> Authority:
    authority, _ = Authority.objects.get_or_create(slug=site.slug, defaults=site.authority)
    users = {}
    for email, first, last, _role in DEMO_USERS:
        if not site.first and email.startswith(("admin@", "ngo.")):
            continue  # one superuser and one demo NGO for the whole installation
        users[email] = demo_user(site.email(email), first, last, is_active=True)
    if site.first:
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
        job_title="Pełnomocnik Prezydenta ds. współpracy z organizacjami"
        if site.first
        else "Pełnomocnik ds. współpracy z organizacjami",
    )
    if not site.first:
        return authority
    organisation = Organisation.objects.filter(krs=DEMO_ORGANISATION["krs"]).first()
    if organisation is None:
        organisation = Organisation.objects.create(**DEMO_ORGANISATION)
        organisation.areas.set(PublicTaskArea.objects.filter(code__in=["4", "15", "19"]))
    for email, role in (("ngo.admin@portal.example.pl", "admin"), ("ngo.redaktor@portal.example.pl", "editor")):
        Membership.objects.get_or_create(user=users[email], organisation=organisation, defaults={"role": role})
    return authority


def localise(text: str, authority: Authority) -> str:
    """The demo's texts name Kędzierzyn-Koźle and its organs; for a region site, the site's own."""
    if authority.slug == DEMO_AUTHORITY["slug"]:
        return text
    head = authority.get_executive_title_display().split()[0]
    for old, new in (
        ("Prezydenta Miasta Kędzierzyn-Koźle", authority.grammar.executive("gen")),
        ("Rady Miasta Kędzierzyn-Koźle", authority.council_genitive),
        ("Gminy Kędzierzyn-Koźle", authority.grammar.name("gen")),
        ("47-220 Kędzierzyn-Koźle", f"{authority.postal_code} {authority.city}"),
        ("Prezydent ", f"{head} "),
        ("Prezydenta ", f"{authority.grammar.executive('gen').split()[0]} "),
    ):
        text = text.replace(old, new)
    return text


def demo_email(address: str, site: DemoSite | None = None) -> str:
    """A demo person's address on ``site`` (the demo's own addresses on the first site)."""
    return (site or FIRST_SITE).email(address)
