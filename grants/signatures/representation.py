"""Whether the people who signed may represent the party, and in which manner (sposób reprezentacji).

The organisation's representatives come from its data (``Organisation.representatives``: one person a line, "Anna
Nowak – prezes zarządu"; the register's data where the organisation has it) and the manner from
``Organisation.joint_representation`` (how many of them sign together; one: each alone) or, where the register's
text of the manner is stored, from that text ("dwóch członków zarządu łącznie"). The office's side is the
agreement's list of who acts for the authority: each of them signs. Names are compared without case, diacritics or
word order, so "NOWAK Anna" is "Anna Nowak".
"""

import re
import unicodedata
from dataclasses import dataclass

from .models import SignedCopy

R = SignedCopy.Representation

NUMBERS = {
    "jeden": 1, "jedna": 1, "jednego": 1, "samodzielnie": 1, "jednoosobowo": 1, "dwóch": 2, "dwaj": 2, "dwie": 2,
    "dwu": 2, "dwoje": 2, "trzech": 3, "trzej": 3, "trzy": 3, "czterech": 4,
}  # fmt: skip


MANNER_PREFIX = "sposób reprezentacji"


def manner_in(text: str) -> str:
    """The "Sposób reprezentacji: …" line a representatives text may carry (as the register's extract writes it)."""
    for line in (text or "").splitlines():
        if line.strip().casefold().startswith(MANNER_PREFIX):
            return line.split(":", 1)[-1]
    return ""


def name_key(name: str) -> frozenset[str]:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return frozenset(re.findall(r"[a-z]+", text))


def representative_names(text: str) -> list[str]:
    """The people named in a representatives text: one a line (or separated by ";"), the name before a dash or
    comma that introduces the function."""
    names = []
    for line in re.split(r"[\n;]+", text or ""):
        if line.strip().casefold().startswith(MANNER_PREFIX):
            continue
        name = re.split(r"\s[–—-]\s|,|\(", line, maxsplit=1)[0].strip()
        if len(name_key(name)) >= 2:
            names.append(name)
    return names


def required_from_manner(text: str) -> int | None:
    """How many sign together, read from the register's words of the manner of representation, if they say it."""
    words = re.findall(r"\w+", (text or "").casefold())
    if not words:
        return None
    jointly = any(w.startswith("łączn") for w in words)
    for word in words:
        if word.isdigit() and jointly:
            return int(word)
        if word in NUMBERS and (jointly or NUMBERS[word] == 1):
            return NUMBERS[word]
    return None


def organisation_rule(organisation) -> tuple[list[str], int]:
    """The organisation's representatives and how many of them must sign together: from its latest KRS extract
    where the register answered (the board's members and the manner of representation), else as entered."""
    from organisations.models import RegisterExtract

    extract = RegisterExtract.objects.found().filter(krs=organisation.krs).first() if organisation.krs else None
    if extract is not None and extract.active_members:
        names = [m["name"] for m in extract.active_members if len(name_key(m.get("name", ""))) >= 2]
        manner = extract.representation_manner
    else:
        names = representative_names(organisation.representatives)
        manner = manner_in(organisation.representatives)
    required = required_from_manner(manner) or organisation.joint_representation or 1
    return names, min(required, len(names)) if names else required


@dataclass
class RepresentationResult:
    status: str
    note: str
    matched: list[str]


def check(signer_names: list[str], representatives: list[str], required: int, *, all_required=False):
    """Compare who signed with who may represent: complete, incomplete (who is missing) or an unknown signer."""
    if not representatives:
        return RepresentationResult(
            R.NOT_CHECKED, "Brak danych o osobach uprawnionych do reprezentacji – sprawdź sposób reprezentacji sam.", []
        )
    keys = {name_key(n): n for n in representatives}
    matched = [keys[name_key(s)] for s in signer_names if name_key(s) in keys]
    unknown = [s for s in signer_names if name_key(s) not in keys]
    needed = len(representatives) if all_required else required
    missing = [n for n in representatives if n not in matched]
    if len(set(matched)) >= needed:
        note = f"Podpisali: {', '.join(matched)} ({len(set(matched))} z wymaganych {needed})."
        if unknown:
            note += f" Podpisał(a) też osoba spoza reprezentantów: {', '.join(unknown)}."
        return RepresentationResult(R.COMPLETE, note, matched)
    if unknown and not matched:
        return RepresentationResult(
            R.UNKNOWN_SIGNER,
            f"{', '.join(unknown)} nie figuruje wśród osób uprawnionych do reprezentacji "
            f"({', '.join(representatives)}).",
            matched,
        )
    lacking = needed - len(set(matched))
    who = ", ".join(missing)
    note = f"Wymagane podpisy {needed} osób łącznie; brakuje {lacking}: " + (
        f"podpisu jednej z osób: {who}." if lacking < len(missing) else f"podpisu: {who}."
    )
    if unknown:
        note += f" Podpis osoby spoza reprezentantów ({', '.join(unknown)}) się nie liczy."
    return RepresentationResult(R.INCOMPLETE, note, matched)
