"""Client of the public KRS API of the Ministry of Justice: the current extract (odpis aktualny) by KRS number.

``GET {KRS_API_URL}/OdpisAktualny/{krs}?rejestr=S&format=json`` answers 200 with a JSON document
``{"odpis": {"rodzaj": "Aktualny", "naglowekA": {"rejestr", "numerKRS", "stanZDnia", …}, "dane": {"dzial1": …,
"dzial2": …}}}`` or 404 when the register holds no such entity. Associations, foundations and the other NGOs are in
the register of associations (``rejestr=S``); a non-profit company is only in the register of entrepreneurs
(``rejestr=P``), so a 404 from S is asked again of P.

What the portal reads (and nothing else):

* ``dzial1.danePodmiotu``: ``nazwa``, ``formaPrawna``, ``identyfikatory.nip`` / ``.regon`` (REGON padded to 14
  digits), ``czyPosiadaStatusOPP``;
* ``dzial1.siedzibaIAdres.adres``: ``ulica``, ``nrDomu``, ``nrLokalu``, ``kodPocztowy``, ``miejscowosc``;
* ``dzial2.reprezentacja``: ``nazwaOrganu`` (the representation body, e.g. ZARZĄD), ``sposobReprezentacji`` (who
  signs, jointly or alone) and ``sklad`` (members: ``nazwisko.nazwiskoICzlon`` / ``nazwiskoIICzlon``, ``imiona.imie``
  / ``imieDrugie``, ``funkcjaWOrganie``, ``czyZawieszona``).

Everything the register writes in capitals is shown as a Polish reader expects it ("Jan Kowalski – prezes zarządu").
The client never raises anything but the three errors below, so a page can always fall back to manual entry.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import requests
from django.conf import settings

from .models import LegalForm


class RegisterError(Exception):
    """The register could not give an extract; the message is Polish, for the person at the form."""

    outcome = "unavailable"


class RegisterUnavailable(RegisterError):
    outcome = "unavailable"


class RegisterNotFound(RegisterError):
    outcome = "not_found"


class RegisterMalformed(RegisterError):
    outcome = "malformed"


@dataclass
class RegisterPerson:
    name: str
    function: str
    suspended: bool = False


@dataclass
class RegisterEntry:
    krs: str
    register: str
    name: str
    legal_form_text: str
    legal_form: str
    street: str
    postal_code: str
    city: str
    nip: str
    regon: str
    is_opp: bool
    state_date: str
    body_name: str
    representation_manner: str
    members: list[RegisterPerson] = field(default_factory=list)

    def members_as_dicts(self) -> list[dict]:
        return [asdict(member) for member in self.members]


# The register's legal forms, by the start of their text, mapped to the portal's groups (LegalForm).
LEGAL_FORMS = [
    ("UCZNIOWSKI KLUB SPORTOWY", LegalForm.SPORTS_CLUB),
    ("KLUB SPORTOWY", LegalForm.SPORTS_CLUB),
    ("STOWARZYSZENIE KULTURY FIZYCZNEJ", LegalForm.SPORTS_CLUB),
    ("TERENOWA JEDNOSTKA", LegalForm.ASSOCIATION_BRANCH),
    ("ODDZIAŁ", LegalForm.ASSOCIATION_BRANCH),
    ("STOWARZYSZENIE JEDNOSTEK SAMORZĄDU", LegalForm.LOCAL_GOVERNMENT_ASSOCIATION),
    ("ZWIĄZEK STOWARZYSZEŃ", LegalForm.ASSOCIATION),
    ("STOWARZYSZENIE", LegalForm.ASSOCIATION),
    ("FUNDACJA", LegalForm.FOUNDATION),
    ("SPÓŁDZIELNIA SOCJALNA", LegalForm.SOCIAL_COOPERATIVE),
    ("SPÓŁKA", LegalForm.NON_PROFIT_COMPANY),
    ("KOŁO GOSPODYŃ WIEJSKICH", LegalForm.RURAL_HOUSEWIVES_CIRCLE),
]
_SMALL_WORDS = {"ul.", "al.", "pl.", "os.", "i", "w", "z", "na", "im.", "ks.", "św.", "gen.", "we", "ze", "do", "pod"}


def legal_form_of(text: str) -> str:
    upper = (text or "").upper().strip()
    for prefix, form in LEGAL_FORMS:
        if upper.startswith(prefix):
            return str(form)
    return ""


def _title(text: str) -> str:
    """ "UL. JANA PAWŁA II" → "ul. Jana Pawła II"; Roman numerals and one-letter words keep their case."""
    words = []
    for word in (text or "").split():
        lower = word.lower()
        if lower in _SMALL_WORDS and words:
            words.append(lower)
        elif lower in _SMALL_WORDS:
            words.append(lower if lower.endswith(".") else lower.capitalize())
        elif re.fullmatch(r"[IVXLC]+", word):
            words.append(word)
        else:
            words.append("-".join(part.capitalize() for part in lower.split("-")))
    return " ".join(words)


def _sentence(text: str) -> str:
    text = " ".join((text or "").split()).lower()
    return text[:1].upper() + text[1:]


def _regon(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    # A nine-digit REGON is given padded with five zeros to the fourteen digits of a local unit's number.
    return digits[:9] if len(digits) == 14 and digits.endswith("00000") else digits


def _person(member: dict) -> RegisterPerson:
    surname = member.get("nazwisko") or {}
    names = member.get("imiona") or {}
    last = "-".join(part for part in (surname.get("nazwiskoICzlon"), surname.get("nazwiskoIICzlon")) if part)
    first = " ".join(part for part in (names.get("imie"), names.get("imieDrugie")) if part)
    return RegisterPerson(
        name=_title(f"{first} {last}"),
        function=" ".join((member.get("funkcjaWOrganie") or "").split()).lower(),
        suspended=bool(member.get("czyZawieszona")),
    )


def parse_extract(document: dict, krs: str) -> RegisterEntry:
    """The fields the portal uses, from an ``OdpisAktualny`` document; ``RegisterMalformed`` if it is not one."""
    try:
        extract = document["odpis"]
        header = extract.get("naglowekA") or {}
        data = extract["dane"]
        entity = data["dzial1"]["danePodmiotu"]
        address = (data["dzial1"].get("siedzibaIAdres") or {}).get("adres") or {}
        representation = (data.get("dzial2") or {}).get("reprezentacja") or {}
        name = entity["nazwa"]
        if not isinstance(name, str) or not name.strip():
            raise KeyError("nazwa")
        identifiers = entity.get("identyfikatory") or {}
        street = " ".join(part for part in (address.get("ulica"), address.get("nrDomu")) if part)
        if address.get("nrLokalu"):
            street += f"/{address['nrLokalu']}"
        members = [_person(m) for m in representation.get("sklad") or [] if isinstance(m, dict)]
        register = "P" if header.get("rejestr") == "RejP" else "S"
        return RegisterEntry(
            krs=str(header.get("numerKRS") or krs),
            register=register,
            name=" ".join(name.split()),
            legal_form_text=entity.get("formaPrawna") or "",
            legal_form=legal_form_of(entity.get("formaPrawna") or ""),
            street=_title(street),
            postal_code=(address.get("kodPocztowy") or "").strip(),
            city=_title(address.get("miejscowosc") or ""),
            nip=re.sub(r"\D", "", identifiers.get("nip") or ""),
            regon=_regon(identifiers.get("regon") or ""),
            is_opp=bool(entity.get("czyPosiadaStatusOPP")),
            state_date=header.get("stanZDnia") or "",
            body_name=_sentence(representation.get("nazwaOrganu") or ""),
            representation_manner=_sentence(representation.get("sposobReprezentacji") or ""),
            members=members,
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise RegisterMalformed(
            "Rejestr KRS odpowiedział w nieoczekiwanej postaci – wpisz dane ręcznie, urząd sprawdzi je z rejestrem."
        ) from error


UNAVAILABLE = "Rejestr KRS nie odpowiada – wpisz dane ręcznie; urząd sprawdzi je z rejestrem, gdy będzie dostępny."


def fetch(krs: str, *, session: requests.Session | None = None) -> tuple[RegisterEntry, dict]:
    """The current extract of ``krs`` (ten digits) and the raw document, from the register of associations and then
    of entrepreneurs. Raises ``RegisterNotFound``, ``RegisterUnavailable`` or ``RegisterMalformed``."""
    http = session or requests.Session()
    for register in ("S", "P"):
        url = f"{settings.KRS_API_URL}/OdpisAktualny/{krs}"
        try:
            response = http.get(
                url,
                params={"rejestr": register, "format": "json"},
                timeout=settings.KRS_API_TIMEOUT,
                headers={"Accept": "application/json"},
                allow_redirects=False,
            )
        except requests.RequestException as error:
            raise RegisterUnavailable(UNAVAILABLE) from error
        if response.status_code == 404:
            continue
        if response.status_code != 200:
            raise RegisterUnavailable(UNAVAILABLE)
        try:
            document = response.json()
        except ValueError as error:
            raise RegisterMalformed(
                "Rejestr KRS odpowiedział w nieoczekiwanej postaci – wpisz dane ręcznie, urząd sprawdzi je z rejestrem."
            ) from error
        if not isinstance(document, dict):
            raise RegisterMalformed("Rejestr KRS odpowiedział w nieoczekiwanej postaci – wpisz dane ręcznie.")
        return parse_extract(document, krs), document
    raise RegisterNotFound(f"W Krajowym Rejestrze Sądowym nie ma podmiotu o numerze KRS {krs} – sprawdź numer.")
