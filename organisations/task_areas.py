"""The 41 spheres of public tasks of art. 4 ust. 1, verbatim from Dz.U. 2024 poz. 1491.

Kept as plain data so that the data migration that loads them stays reproducible even if the
model changes later.
"""

import re

SOURCE = "Dz.U. 2024 poz. 1491"
# The date of the Marshal of the Sejm's announcement of the consolidated text.
VALID_FROM = "2024-09-26"

AREAS: list[tuple[str, str]] = [
    (
        "1",
        "pomocy społecznej, w tym pomocy rodzinom i osobom w trudnej sytuacji życiowej oraz wyrównywania szans tych rodzin i osób;",
    ),
    ("1a", "wspierania rodziny i systemu pieczy zastępczej;"),
    ("1aa", "tworzenia warunków do zaspokajania potrzeb mieszkaniowych wspólnoty samorządowej;"),
    ("1b", "udzielania nieodpłatnej pomocy prawnej oraz zwiększania świadomości prawnej społeczeństwa;"),
    (
        "2",
        "działalności na rzecz integracji i reintegracji zawodowej i społecznej osób zagrożonych wykluczeniem społecznym;",
    ),
    ("3", "działalności charytatywnej;"),
    (
        "4",
        "podtrzymywania i upowszechniania tradycji narodowej, pielęgnowania polskości oraz rozwoju świadomości narodowej, obywatelskiej i kulturowej;",
    ),
    ("5", "działalności na rzecz mniejszości narodowych i etnicznych oraz języka regionalnego;"),
    ("5a", "działalności na rzecz integracji cudzoziemców;"),
    (
        "6",
        "ochrony i promocji zdrowia, w tym działalności leczniczej w rozumieniu ustawy z dnia 15 kwietnia 2011 r. o działalności leczniczej (Dz. U. z 2024 r. poz. 799);",
    ),
    ("7", "działalności na rzecz osób niepełnosprawnych;"),
    (
        "8",
        "promocji zatrudnienia i aktywizacji zawodowej osób pozostających bez pracy i zagrożonych zwolnieniem z pracy;",
    ),
    ("9", "działalności na rzecz równych praw kobiet i mężczyzn;"),
    ("10", "działalności na rzecz osób w wieku emerytalnym;"),
    ("11", "działalności wspomagającej rozwój gospodarczy, w tym rozwój przedsiębiorczości;"),
    (
        "12",
        "działalności wspomagającej rozwój techniki, wynalazczości i innowacyjności oraz rozpowszechnianie i wdrażanie nowych rozwiązań technicznych w praktyce gospodarczej;",
    ),
    ("13", "działalności wspomagającej rozwój wspólnot i społeczności lokalnych;"),
    ("14", "nauki, szkolnictwa wyższego, edukacji, oświaty i wychowania;"),
    ("15", "działalności na rzecz dzieci i młodzieży, w tym wypoczynku dzieci i młodzieży;"),
    ("16", "kultury, sztuki, ochrony dóbr kultury i dziedzictwa narodowego;"),
    ("17", "wspierania i upowszechniania kultury fizycznej;"),
    ("18", "ekologii i ochrony zwierząt oraz ochrony dziedzictwa przyrodniczego;"),
    ("19", "turystyki i krajoznawstwa;"),
    ("20", "porządku i bezpieczeństwa publicznego;"),
    ("21", "obronności państwa i działalności Sił Zbrojnych Rzeczypospolitej Polskiej;"),
    (
        "22",
        "upowszechniania i ochrony wolności i praw człowieka oraz swobód obywatelskich, a także działań wspomagających rozwój demokracji;",
    ),
    ("22a", "udzielania nieodpłatnego poradnictwa obywatelskiego;"),
    ("23", "ratownictwa i ochrony ludności;"),
    ("24", "pomocy ofiarom katastrof, klęsk żywiołowych, konfliktów zbrojnych i wojen w kraju i za granicą;"),
    ("25", "upowszechniania i ochrony praw konsumentów;"),
    (
        "26",
        "działalności na rzecz integracji europejskiej oraz rozwijania kontaktów i współpracy między społeczeństwami;",
    ),
    ("27", "promocji i organizacji wolontariatu;"),
    ("28", "pomocy Polonii i Polakom za granicą;"),
    ("29", "działalności na rzecz kombatantów i osób represjonowanych;"),
    (
        "29a",
        "działalności na rzecz weteranów i weteranów poszkodowanych w rozumieniu ustawy z dnia 19 sierpnia 2011 r. o weteranach działań poza granicami państwa (Dz. U. z 2023 r. poz. 2112);",
    ),
    ("30", "promocji Rzeczypospolitej Polskiej za granicą;"),
    ("31", "działalności na rzecz rodziny, macierzyństwa, rodzicielstwa, upowszechniania i ochrony praw dziecka;"),
    ("32", "przeciwdziałania uzależnieniom i patologiom społecznym;"),
    ("32a", "rewitalizacji;"),
    (
        "33",
        "działalności na rzecz organizacji pozarządowych oraz podmiotów wymienionych w art. 3 ust. 3, w zakresie określonym w pkt 1–32a;",
    ),
    (
        "34",
        "działalności na rzecz podmiotów ekonomii społecznej i przedsiębiorstw społecznych, o których mowa w ustawie z dnia 5 sierpnia 2022 r. o ekonomii społecznej (Dz. U. z 2024 r. poz. 113).",
    ),
]


def load_areas(public_task_area_model) -> None:
    """Write the spheres above into ``public_task_area_model`` (the model, or its historical twin in a migration)."""
    for code, text in AREAS:
        number, suffix = re.fullmatch(r"(\d+)([a-z]*)", code).groups()
        public_task_area_model.objects.update_or_create(
            code=code,
            defaults={
                "number": int(number),
                "suffix": suffix,
                "text": text,
                "source": SOURCE,
                "valid_from": VALID_FROM,
            },
        )


def restore_after_flush(sender, using="default", plan=None, **kwargs) -> None:
    """post_migrate: reference data outlive a flush (a transactional test, ``manage.py flush``) as they outlive migrate.

    The data migration loads the spheres once; flush empties every table and then sends post_migrate, so the
    spheres come back here. ``migrate`` (which passes its plan) is left to the migrations, so that migrating
    backwards past the data migration leaves the table empty as it should.
    """
    if plan is not None:
        return
    from django.db import connections

    from .models import PublicTaskArea

    if PublicTaskArea._meta.db_table not in connections[using].introspection.table_names():
        return
    if not PublicTaskArea.objects.using(using).exists():
        load_areas(PublicTaskArea)
