"""The data of a submitted offer, frozen as JSON, and its checksum.

The snapshot is what staff review and what the PDF shows; it never changes once stored.
"""

import hashlib
import json
import re
from decimal import Decimal

from config.legal import offer_form_regulation
from config.polish import format_money, format_number

from .checks import sources_table
from .models import Offer


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def offer_snapshot(offer: Offer) -> dict:
    organisation = offer.organisation
    totals = offer.cost_totals()
    partners = list(offer.partners.select_related("organisation"))  # read once: sections II and V.C list them
    call = offer.call

    def org_data(org):
        return {
            "name": org.name,
            "legal_form": org.get_legal_form_display(),
            "registry": org.registry_number,
            "nip": org.nip,
            "regon": org.regon,
            "address": f"{org.street}, {org.postal_code} {org.city}",
            "email": org.email,
            "phone": org.phone,
            "website": org.website,
        }

    small_grant = offer.kind == Offer.Kind.SMALL_GRANT
    direct = getattr(offer, "direct", None) if call is None else None
    authority = call.authority if call else (direct.authority if direct else None)
    return {
        # Small grants (art. 19a) use the simplified offer; own-initiative offers (art. 12) the same short form.
        # The form of the regulation in force for the call's announcement (or the day a small grant is filed).
        "form": (
            "art. 12 ust. 1 ustawy: opis zadania i szacunkowa kalkulacja kosztów"
            if offer.kind == Offer.Kind.OWN_INITIATIVE
            else offer_form_regulation(
                (call.published_bip_on or call.created_at) if call else None, small_grant=small_grant
            ).form("offer")
        ),
        "kind": offer.kind,
        "joint": bool(partners),
        "I": {
            "authority": authority.executive_full_name if authority else "",
            "task_type": call.title if call else "",
            "call_number": call.number if call else "",
            "mode": offer.get_mode_display(),
        },
        "II": {
            "offerors": [org_data(organisation)] + [org_data(p.organisation) for p in partners],
            "contact": {"name": offer.contact_name, "phone": offer.contact_phone, "email": offer.contact_email},
        },
        "III": {
            "title": offer.title,
            "start_date": offer.start_date.isoformat() if offer.start_date else "",
            "end_date": offer.end_date.isoformat() if offer.end_date else "",
            "synopsis": offer.synopsis,
            "activities": [
                {
                    "number": a.number,
                    "name": a.name,
                    "description": a.description,
                    "target_group": a.target_group,
                    "period": a.period,
                    "subcontractor": a.subcontractor,
                }
                for a in offer.activities.all()
            ],
            "results_description": offer.results_description,
            "results": [
                {"number": r.number, "name": r.name, "target": r.target, "monitoring": r.monitoring}
                for r in offer.results.all()
            ],
        },
        "IV": {"previous_activity": offer.previous_activity, "resources": offer.resources},
        "V": {
            "A": [
                {
                    "category": c.category,
                    "activity": c.activity_number,
                    "order": c.order,
                    "name": c.name,
                    "unit": c.unit,
                    "unit_cost": _money(c.unit_cost),
                    "quantity": f"{c.quantity:.2f}",
                    "total": _money(c.total),
                    # Only the simplified form splits each cost; agreements then take the grant part as given.
                    **({"from_grant": _money(c.from_grant or Decimal("0"))} if small_grant else {}),
                }
                for c in offer.cost_items.all()
            ],
            "totals": {key: _money(value) for key, value in totals.items()},
            "B": [
                {"number": n, "label": label, "amount": _money(amount), "share": f"{share:.2f}"}
                for n, label, amount, share in sources_table(offer, totals)
            ],
            "C": [
                {
                    "name": organisation.name,
                    "amount": _money(totals["total"] - sum((p.cost_share for p in partners), start=Decimal("0"))),
                }
            ]
            + [{"name": p.organisation.name, "amount": _money(p.cost_share)} for p in partners],
            "grant": _money(offer.grant_amount),
        },
        "VI": {"payment": offer.get_payment_display(), "joint_roles": offer.joint_roles, "other": offer.other_info},
        "VII": {
            "tax_arrears": offer.get_tax_arrears_display(),
            "social_insurance_arrears": offer.get_social_insurance_arrears_display(),
            "confirmed": offer.declarations_confirmed,
        },
        "attachments": [
            {
                "name": a.original_name,
                "required": a.required.name if a.required_id else "",
                "sha256": a.sha256,
                "size": a.size,
            }
            for a in offer.attachments.select_related("required")
        ],
    }


def checksum(data: dict) -> str:
    """SHA-256 of the canonical JSON: any change of any field changes it; the same data gives the same sum."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def diff(old: dict, new: dict, path: str = "") -> list[tuple[str, object, object]]:
    """What changed between two snapshots, as (path, before, after) rows for the reviewer."""
    changes = []
    keys = sorted(set(old) | set(new)) if isinstance(old, dict) and isinstance(new, dict) else None
    if keys is not None:
        for key in keys:
            changes += diff(old.get(key), new.get(key), f"{path}.{key}" if path else str(key))
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            changes += diff(a, b, f"{path}[{index + 1}]")
    elif old != new:
        changes.append((path, old, new))
    return changes


# What a reviewer reads instead of the snapshot's paths: the form's section numbers and field names.
SECTIONS = {
    "I": "I.",
    "II.offerors": "II.1 Oferent",
    "II.contact": "II.2 Osoba do kontaktu",
    "III.title": "III.1 Tytuł zadania",
    "III.start_date": "III.2 Data rozpoczęcia",
    "III.end_date": "III.2 Data zakończenia",
    "III.synopsis": "III.3 Syntetyczny opis zadania",
    "III.activities": "III.4 Działanie",
    "III.results_description": "III.5 Opis zakładanych rezultatów",
    "III.results": "III.6 Rezultat",
    "IV.previous_activity": "IV.1 Wcześniejsza działalność",
    "IV.resources": "IV.2 Zasoby",
    "V.A": "V.A Pozycja kosztorysu",
    "V.B": "V.B Źródło finansowania, wiersz",
    "V.C": "V.C Oferent",
    "V.grant": "V.B Wnioskowana dotacja",
    "V.totals.total": "V.A Suma wszystkich kosztów",
    "V.totals.delivery": "V.A Suma kosztów realizacji działań",
    "V.totals.admin": "V.A Suma kosztów administracyjnych",
    "VI.payment": "VI.1 Odpłatność",
    "VI.joint_roles": "VI.2 Podział działań między oferentów",
    "VI.other": "VI.3 Inne informacje",
    "VII": "VII. Oświadczenia",
    "attachments": "Załącznik",
}
FIELDS = {
    "name": "nazwa",
    "description": "opis",
    "target_group": "grupa docelowa",
    "period": "termin",
    "subcontractor": "podmiot niebędący stroną umowy",
    "target": "wartość docelowa",
    "monitoring": "sposób monitorowania",
    "category": "kategoria",
    "activity": "nr działania",
    "unit": "rodzaj miary",
    "unit_cost": "koszt jednostkowy",
    "quantity": "liczba jednostek",
    "total": "wartość",
    "from_grant": "z dotacji",
    "amount": "wartość",
    "share": "udział %",
    "label": "nazwa",
    "number": "lp.",
    "phone": "telefon",
    "email": "e-mail",
    "address": "adres",
    "website": "strona internetowa",
    "registry": "rejestr",
    "legal_form": "forma prawna",
    "nip": "NIP",
    "regon": "REGON",
    "authority": "organ",
    "task_type": "rodzaj zadania",
    "call_number": "numer konkursu",
    "mode": "forma",
    "tax_arrears": "zaległości podatkowe",
    "social_insurance_arrears": "zaległości wobec ZUS",
    "confirmed": "oświadczenia złożone",
    "required": "wymagany załącznik",
    "size": "rozmiar",
    "sha256": "suma kontrolna",
}
SOURCE_ROWS = ["1", "2", "3", "3.1", "3.2", "4"]
MONEY_KEYS = {"unit_cost", "total", "from_grant", "amount", "grant", "delivery", "admin"}
_STEP = re.compile(r"^(?P<base>.*?)\[(?P<index>\d+)\](?:\.(?P<field>\w+))?$")


def _label(path: str) -> str:
    step = _STEP.match(path)
    if step:
        base, index, field = step["base"], step["index"], step["field"]
        if base == "V.B" and int(index) <= len(SOURCE_ROWS):
            index = SOURCE_ROWS[int(index) - 1]  # the rows are numbered 1, 2, 3, 3.1, 3.2, 4 on the form
        head = SECTIONS.get(base, base)
        return f"{head} {index}" + (f" – {FIELDS.get(field, field)}" if field else "")
    for prefix in sorted(SECTIONS, key=len, reverse=True):
        if path == prefix or path.startswith(prefix + "."):
            rest = path[len(prefix) + 1 :]
            return SECTIONS[prefix] + (f" – {FIELDS.get(rest, rest)}" if rest else "")
    return path


def _value(path: str, value):
    key = path.rsplit(".", 1)[-1].split("[")[0]
    if isinstance(value, str) and key in MONEY_KEYS:
        try:
            return format_money(Decimal(value))
        except ArithmeticError:
            return value
    if isinstance(value, str) and key in {"quantity", "share"}:
        try:
            return format_number(Decimal(value), 2)
        except ArithmeticError:
            return value
    return value


def readable_diff(old: dict, new: dict) -> list[tuple[str, object, object]]:
    """``diff`` with the form's section names and Polish-formatted amounts, for the review pages."""
    return [(_label(path), _value(path, before), _value(path, after)) for path, before, after in diff(old, new)]
