"""The KRS register in the portal's flows: look-ups kept as ``RegisterExtract``, the prefill of the registration form,
the differences between typed data and the register, and the check before an agreement."""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from config.territory import Voivodeship

from . import krs
from .models import LegalForm, Organisation, RegisterExtract

# Organisation field → how it is read from an extract (and compared).
COMPARED = [
    ("name", "nazwa"),
    ("legal_form", "forma prawna"),
    ("nip", "NIP"),
    ("regon", "REGON"),
    ("street", "ulica i numer"),
    ("postal_code", "kod pocztowy"),
    ("city", "miejscowość"),
    ("representatives", "osoby uprawnione do reprezentacji"),
]


def register_lookup(*, krs_number: str, actor=None, session=None) -> RegisterExtract:
    """Ask the register about ``krs_number`` and keep its answer, whatever it is (found, not found, unavailable)."""
    extract = RegisterExtract(krs=krs_number, fetched_by=actor if getattr(actor, "is_authenticated", False) else None)
    try:
        entry, raw = krs.fetch(krs_number, session=session)
    except krs.RegisterError as error:
        extract.outcome = error.outcome
    else:
        extract.outcome = RegisterExtract.Outcome.FOUND
        extract.raw = raw
        extract.register = entry.register
        for name in ("name", "legal_form_text", "street", "postal_code", "city", "nip", "regon", "is_opp"):
            setattr(extract, name, getattr(entry, name))
        extract.name = extract.name[:600]
        extract.state_date = entry.state_date
        extract.body_name = entry.body_name[:200]
        extract.members = entry.members_as_dicts()
        extract.representation_manner = entry.representation_manner[:5000]
    extract.save()
    return extract


def fresh_extract(*, krs_number: str, actor=None) -> RegisterExtract | None:
    """A recent answer found in the register (``KRS_REFRESH_HOURS``), else a new look-up; ``None`` without a number."""
    if not krs_number:
        return None
    since = timezone.now() - timedelta(hours=settings.KRS_REFRESH_HOURS)
    recent = RegisterExtract.objects.found().filter(krs=krs_number, fetched_at__gte=since).first()
    return recent or register_lookup(krs_number=krs_number, actor=actor)


def register_values(extract: RegisterExtract) -> dict[str, object]:
    """The organisation's fields as the register gives them (only those it gives)."""
    values = {
        "name": extract.name,
        "legal_form": krs.legal_form_of(extract.legal_form_text),
        "nip": extract.nip,
        "regon": extract.regon,
        "street": extract.street,
        "postal_code": extract.postal_code,
        "city": extract.city,
        "representatives": extract.representation_text(),
        **_seat(extract),
    }
    return {key: value for key, value in values.items() if value}


def _seat(extract: RegisterExtract) -> dict[str, str]:
    """The seat (gmina, powiat, województwo: config/territory.py) from the stored document's ``siedziba``."""
    try:
        seat = extract.raw["odpis"]["dane"]["dzial1"]["siedzibaIAdres"]["siedziba"]
    except (KeyError, TypeError):
        return {}
    if not isinstance(seat, dict):
        return {}
    voivodeship = str(seat.get("wojewodztwo") or "").strip().lower()
    return {
        "seat_municipality": krs._title(str(seat.get("gmina") or "")),
        "seat_county": str(seat.get("powiat") or "").strip().lower(),
        "seat_voivodeship": voivodeship if voivodeship in Voivodeship.values else "",
    }


def _comparable(field: str, value) -> str:
    text = str(value or "")
    if field in ("nip", "regon"):
        return re.sub(r"\D", "", text)
    # Case, quotes, dashes and spacing are not differences: the register writes in capitals.
    text = re.sub(r"[„”\"'«»]", "", text).replace("–", "-").lower()
    return " ".join(text.split())


@dataclass
class Difference:
    field: str
    label: str
    typed: str
    register: str


def _display(field: str, value) -> str:
    if field == "legal_form":
        return str(LegalForm(value).label) if value in LegalForm.values else str(value or "")
    return str(value or "")


def differences(typed: dict, extract: RegisterExtract | None) -> list[Difference]:
    """Fields typed (non-empty) that differ from what the register says."""
    if extract is None or not extract.is_found:
        return []
    register = register_values(extract)
    found = []
    for field, label in COMPARED:
        if field not in register or not typed.get(field):
            continue
        if _comparable(field, typed[field]) != _comparable(field, register[field]):
            found.append(Difference(field, label, _display(field, typed[field]), _display(field, register[field])))
    return found


def organisation_differences(organisation: Organisation, extract: RegisterExtract | None) -> list[Difference]:
    return differences({field: getattr(organisation, field) for field, _ in COMPARED}, extract)


def prefill(typed: dict, extract: RegisterExtract) -> dict:
    """``typed`` with every empty field the register gives filled in from it (typed values are kept)."""
    merged = dict(typed)
    for field, value in register_values(extract).items():
        if not merged.get(field):
            merged[field] = value
    if extract.is_opp and not merged.get("is_opp"):
        merged["is_opp"] = True
    return merged
