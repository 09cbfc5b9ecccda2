"""Which text of the act and of the form regulations a document cites: the one in force on the document's date.

A document cites the Public Benefit Act by the latest consolidated text (tekst jednolity) published before its date,
and the offer and report forms by the regulation that applied to its call. ``source`` says where each reference was
checked; the comments above the table say which positions and days are confirmed and which are approximate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone


@dataclass(frozen=True)
class JournalReference:
    """A position in the Dziennik Ustaw and the day it was published (from which a document cites it)."""

    year: int
    position: int
    published: date
    source: str
    number: int | None = None  # "Nr 234" in volumes before 2012

    def __str__(self) -> str:
        if self.number:
            return f"Dz. U. z {self.year} r. Nr {self.number}, poz. {self.position}"
        return f"Dz. U. z {self.year} r. poz. {self.position}"

    @property
    def short(self) -> str:
        """ "Dz.U. 2018 poz. 2057", as form headers and offer snapshots name it."""
        return f"Dz.U. {self.year} poz. {self.position}"


_ELI = "obwieszczenie Marszałka Sejmu, api.sejm.gov.pl/eli/acts/DU/{}/{} (promulgation date)"

# Consolidated texts of the ustawa z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego i o wolontariacie.
# Each obwieszczenie names the previous text, which is how the chain below was checked.
#
# Checked again (2026-12) with the search tool: the positions marked [P] are confirmed by documents of their time
# citing that text as the one in force; [D] marks a publication day that is approximate (within days, not checked
# against the journal itself: a document dated in those days may cite the previous text). Found missing and added:
# the 2016 text poz. 239 (cited as "t.j. Dz.U. z 2016 r. poz. 239" by calls and notices of 2016–2017, before poz.
# 1817 replaced it). Not confirmed by any source the search reached: the 2019 text poz. 688 (kept on the strength of
# prawo.pl/akty/dz-u-2019-688-t-j and of the 2020 text naming its predecessor; its day [D]).
PUBLIC_BENEFIT_ACT_TEXTS: tuple[JournalReference, ...] = (
    # [P] cited by statutes of 2003–2010 (e.g. "Dz.U. z 2003 r. Nr 96, poz. 873"); in force 29.06.2003, one month
    # after publication (dlajurysty.pl), so published 29.05.2003.
    JournalReference(2003, 873, date(2003, 5, 29), "the act as passed, Dz. U. Nr 96, poz. 873", number=96),
    # [P] "Dz.U.2010.234.1536" (tekst jednolity; zanotowane.pl copy, rewal.pl notice); day [D].
    JournalReference(2010, 1536, date(2010, 12, 17), "previous text named by the 2014 obwieszczenie; day [D]", 234),
    # [P] the 2015 Sejm committee bill amends the act "(Dz. U. z 2014 r., poz. 1118, 1138 i 1146)"; day [D].
    JournalReference(2014, 1118, date(2014, 8, 22), "obwieszczenie of 14.07.2014 (Kancelaria Sejmu PDF); day [D]"),
    # [P] rops.pomorskie.eu (call of spring 2016), mazovia.pl (6.09.2017): "t.j. Dz.U. z 2016 r. poz. 239"; day [D].
    JournalReference(2016, 239, date(2016, 2, 25), "cited as in force in 2016–2017 (rops.pomorskie.eu); day [D]"),
    # [P] gasawa.pl (art. 19a notice): "Dz. U. z 2016 r. poz. 1817"; day [D].
    JournalReference(2016, 1817, date(2016, 11, 10), "cited as in force (gasawa.pl); day [D]"),
    # [P] niedzwiada.pl small-grant notice: "(tj. Dz. U. z 2018 r. poz. 450)"; day [D].
    JournalReference(2018, 450, date(2018, 2, 22), "cited as in force by gov.pl/web/pozytek (27.08.2019); day [D]"),
    # Not confirmed by the search (see above); day [D].
    JournalReference(2019, 688, date(2019, 4, 12), "prawo.pl/akty/dz-u-2019-688-t-j; day [D]"),
    # [P] the C.H. Beck commentary and a 2020 gmina resolution cite "t.j. Dz.U. z 2020 r. poz. 1057"; day [D].
    JournalReference(2020, 1057, date(2020, 6, 16), "named as the previous text by the 2022 obwieszczenie; day [D]"),
    JournalReference(2022, 1327, date(2022, 6, 24), _ELI.format(2022, 1327)),
    # [P] arslege.pl reproduces art. 19a from "Dz.U.2023.0.571 t.j.".
    JournalReference(2023, 571, date(2023, 3, 27), _ELI.format(2023, 571)),
    # [P] epedagogika.pl: "tekst jedn. Dz.U. z 2024 r. poz. 1491".
    JournalReference(2024, 1491, date(2024, 10, 8), _ELI.format(2024, 1491)),
    JournalReference(2025, 1338, date(2025, 10, 3), _ELI.format(2025, 1338)),
)

ACT_TITLE = "ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego i o wolontariacie"


def _day(on: date | datetime | None) -> date:
    if on is None:
        return timezone.localdate()
    if isinstance(on, datetime):
        return timezone.localtime(on).date() if timezone.is_aware(on) else on.date()
    return on


def in_force(table: tuple, on: date | datetime | None):
    """The last entry of ``table`` published on or before ``on`` (today when None); the first one before that."""
    day = _day(on)
    current = table[0]
    for entry in table:
        if entry.published <= day:
            current = entry
    return current


def public_benefit_act(on: date | datetime | None = None) -> JournalReference:
    """The consolidated text of the act a document dated ``on`` cites."""
    return in_force(PUBLIC_BENEFIT_ACT_TEXTS, on)


def act_citation(on: date | datetime | None = None) -> str:
    """ "ustawy z dnia 24 kwietnia 2003 r. o działalności … (Dz. U. z 2025 r. poz. 1338)" for a document of ``on``."""
    return f"{ACT_TITLE} ({public_benefit_act(on)})"


@dataclass(frozen=True)
class FormRegulation:
    """A regulation setting the offer, agreement and report forms, and from which day calls use it."""

    applies_from: date
    title: str
    reference: JournalReference
    offer_annex: int | None = None  # numbers checked only for the 2018 regulations
    report_annex: int | None = None

    def form(self, what: str = "offer") -> str:
        """ "Dz.U. 2018 poz. 2057, załącznik nr 5" — the annex number only where it was checked."""
        annex = self.report_annex if what == "report" else self.offer_annex
        return self.reference.short + (f", załącznik nr {annex}" if annex else "")

    @property
    def published(self) -> date:  # so that in_force() can pick one by date
        return self.applies_from

    def __str__(self) -> str:
        return f"{self.title} ({self.reference})"


# Forms for open calls (art. 19). The 2018 regulation applies to calls announced from 1 March 2019; calls announced
# before keep the 2016 forms (§ 6 of the 2018 regulation; ngo.slaskie.pl, rowop.pl). The 2016 forms replaced the 2010
# ones from 3 September 2016 (published 19.08.2016, in force after 14 days; ngo.siemiatycze.pl).
OFFER_FORM_REGULATIONS: tuple[FormRegulation, ...] = (
    FormRegulation(
        date(2011, 1, 1),
        "rozporządzenie Ministra Pracy i Polityki Społecznej z dnia 15 grudnia 2010 r. w sprawie wzoru oferty "
        "i ramowego wzoru umowy dotyczących realizacji zadania publicznego oraz wzoru sprawozdania z wykonania tego "
        "zadania",
        JournalReference(2011, 25, date(2011, 1, 12), "ngo.siemiatycze.pl (2016)", number=6),
    ),
    FormRegulation(
        date(2016, 9, 3),
        "rozporządzenie Ministra Rodziny, Pracy i Polityki Społecznej z dnia 17 sierpnia 2016 r. w sprawie wzorów "
        "ofert i ramowych wzorów umów dotyczących realizacji zadań publicznych oraz wzorów sprawozdań z wykonania "
        "tych zadań",
        JournalReference(2016, 1300, date(2016, 8, 19), "ngo.siemiatycze.pl, rowop.pl"),
    ),
    FormRegulation(
        date(2019, 3, 1),
        "rozporządzenie Przewodniczącego Komitetu do spraw Pożytku Publicznego z dnia 24 października 2018 r. "
        "w sprawie wzorów ofert i ramowych wzorów umów dotyczących realizacji zadań publicznych oraz wzorów "
        "sprawozdań z wykonania tych zadań",
        JournalReference(2018, 2057, date(2018, 10, 29), "ngo.slaskie.pl, rowop.pl"),
        offer_annex=1,
        report_annex=5,
    ),
)

# Simplified forms for small grants (art. 19a ust. 7d): the 2018 regulation for offers filed from 1 March 2019,
# the 2016 one before (gov.pl/web/pozytek, 27.08.2019).
SMALL_GRANT_FORM_REGULATIONS: tuple[FormRegulation, ...] = (
    FormRegulation(
        date(2016, 5, 1),
        "rozporządzenie Ministra Rodziny, Pracy i Polityki Społecznej z dnia 14 kwietnia 2016 r. w sprawie "
        "uproszczonego wzoru oferty i uproszczonego wzoru sprawozdania z realizacji zadania publicznego",
        JournalReference(2016, 570, date(2016, 4, 26), "gov.pl/web/pozytek (27.08.2019)"),
    ),
    FormRegulation(
        date(2019, 3, 1),
        "rozporządzenie Przewodniczącego Komitetu do spraw Pożytku Publicznego z dnia 24 października 2018 r. "
        "w sprawie uproszczonego wzoru oferty i uproszczonego wzoru sprawozdania z realizacji zadania publicznego",
        JournalReference(2018, 2055, date(2018, 10, 29), "gov.pl/web/pozytek (27.08.2019), ngo.slaskie.pl"),
        offer_annex=1,
        report_annex=2,
    ),
)


def offer_form_regulation(on: date | datetime | None = None, *, small_grant: bool = False) -> FormRegulation:
    """The regulation whose forms apply to a call announced (or a small-grant offer filed) on ``on``."""
    return in_force(SMALL_GRANT_FORM_REGULATIONS if small_grant else OFFER_FORM_REGULATIONS, on)
