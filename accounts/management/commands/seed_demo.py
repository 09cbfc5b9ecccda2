import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from accounts.demo import DEMO_SITES, seed_people
from accounts.models import User
from grants.correspondence.demo import seed_correspondence
from grants.demo import seed_calls
from grants.demo_awards import seed_awards
from grants.demo_commission import seed_commissions
from grants.demo_local_initiative import seed_local_initiative, seed_local_initiative_reserves
from grants.demo_payments import seed_payments
from grants.demo_small_grants import seed_small_grants
from organisations.demo import seed_organisations
from programmes.demo import seed_programmes
from reports.demo import seed_reports

SCALES = {"small": 24 / 1038, "city": 1.0}
# ``region``: ten authorities (the demo's own and nine of the opolskie region), each at city scale.
REGION_AUTHORITIES = 10

# Each authority's steps, with the share of its seeding time each takes at city scale (for the progress line).
STEPS = [
    ("urząd i konta", 1, lambda a, s, site: seed_people(site)),
    ("program współpracy", 2, lambda a, s, site: seed_programmes(a, site)),
    # before the calls, which may not draw on the local-initiative reserves
    ("rezerwy na inicjatywę lokalną", 1, lambda a, s, site: seed_local_initiative_reserves(a, s)),
    ("konkursy i oferty", 30, lambda a, s, site: seed_calls(a, s, site)),
    ("komisje i oceny", 10, lambda a, s, site: seed_commissions(a, s, site)),
    ("rozstrzygnięcia i umowy", 15, lambda a, s, site: seed_awards(a, s)),
    ("małe granty", 8, lambda a, s, site: seed_small_grants(a, s, site)),
    ("inicjatywa lokalna", 8, lambda a, s, site: seed_local_initiative(a, s, site)),
    ("sprawozdania i rozliczenia", 20, lambda a, s, site: seed_reports(a, s, site)),
    ("przelewy transz", 5, lambda a, s, site: seed_payments(a)),
    ("korespondencja", 1, lambda a, s, site: seed_correspondence(a)),
]


def _progress(text: str, started: float, verbose: bool) -> None:
    if verbose:
        print(f"{text} ({(time.monotonic() - started) / 60:.1f} min)", flush=True)


def _seed_site(site, base: str, count: int, started: float, verbose: bool) -> tuple[int, int]:
    """All the steps for one authority (in this process or a worker); returns the offers and agreements made."""
    total = sum(weight for _, weight, _ in STEPS)
    authority, done, offers, agreements = None, 0, 0, 0
    for label, weight, step in STEPS:
        result = step(authority, base, site)
        if authority is None:
            authority = result
        elif label == "konkursy i oferty":
            offers = result
        elif label == "rozstrzygnięcia i umowy":
            agreements = result
        done += weight
        name = site.authority["name"]
        _progress(f"[{site.number + 1}/{count}] {name}: {label} – {100 * done // total}%", started, verbose)
    return offers, agreements


def _seed_site_in_worker(*args) -> tuple[int, int]:
    try:
        return _seed_site(*args)
    finally:
        connections.close_all()


class Command(BaseCommand):
    help = (
        "Wczytuje dane demonstracyjne (idempotentnie): --scale small (kilka), city (ok. 1000 organizacji) albo "
        "region (10 jednostek samorządu, każda w skali miasta)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=[*sorted(SCALES), "region"], default="small")
        parser.add_argument(
            "--authorities",
            type=int,
            default=None,
            help=f"Ile jednostek samorządu (domyślnie 1, w skali region {REGION_AUTHORITIES}); każda w skali "
            "small albo city.",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="Ile procesów wczytuje jednostki równolegle (domyślnie 2 przy kilku jednostkach w skali city; "
            "na SQLite zawsze 1).",
        )
        parser.add_argument(
            "--only",
            default="",
            help="Tylko te jednostki (numery od 1, np. 9,10), np. by dokończyć je w osobnym procesie.",
        )
        parser.add_argument("--if-empty", action="store_true", help="Nic nie rób, jeśli baza ma już użytkowników.")

    def progress(self, text: str) -> None:
        _progress(text, self.started, self.verbose)

    def handle(
        self, *args, scale: str, authorities: int | None, jobs: int | None, only: str, if_empty: bool, **options
    ):
        if if_empty and User.objects.exists():
            self.stdout.write("Baza zawiera już dane – pomijam wczytywanie danych demonstracyjnych.")
            return
        count = authorities or (REGION_AUTHORITIES if scale == "region" else 1)
        if not 1 <= count <= len(DEMO_SITES):
            raise CommandError(f"--authorities: od 1 do {len(DEMO_SITES)}.")
        base = "city" if scale in ("city", "region") else "small"
        sites = DEMO_SITES[:count]
        jobs = max(1, min(jobs or (2 if count > 1 and base == "city" else 1), count))
        if connection.vendor == "sqlite":
            jobs = 1  # one writer at a time
        self.verbose = options.get("verbosity", 1) >= 1
        self.started = time.monotonic()
        # The demo's own organisation (seed_people) and all organisations first, the first authority's before the
        # others', so that the first authority's data is the same at every number of authorities.
        seed_people(sites[0])
        added = sum(seed_organisations(SCALES[base], site) for site in sites)
        offers = agreements = 0
        if only:
            sites = [site for site in sites if str(site.number + 1) in only.split(",")]
        if jobs == 1:
            for site in sites:
                made = _seed_site(site, base, count, self.started, self.verbose)
                offers, agreements = offers + made[0], agreements + made[1]
        else:
            # Authorities are independent of each other: ``jobs`` processes seed them side by side, each through the
            # same services (each process has its own database connection).
            connections.close_all()
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                args = (base, count, self.started, self.verbose)
                futures = [pool.submit(_seed_site_in_worker, site, *args) for site in sites]
                for finished, future in enumerate(as_completed(futures), start=1):
                    made = future.result()
                    offers, agreements = offers + made[0], agreements + made[1]
                    self.progress(f"ukończono {finished} z {count} jednostek")
        names = ", ".join(site.authority["name"] for site in sites)
        self.stdout.write(
            self.style.SUCCESS(
                f"Dane demonstracyjne ({scale}) dla: {names}. Nowe organizacje: {added}, nowe oferty: {offers}, "
                f"nowe umowy: {agreements} ({(time.monotonic() - self.started) / 60:.1f} min)."
            )
        )
