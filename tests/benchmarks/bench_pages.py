"""Server time of the main pages of one authority at city and at region scale, beside a bare-Django floor page.

Run with ``make bench``. Each scale has its own database, built once with ``seed_demo`` when it is empty:

- city: ``BENCH_CITY_DATABASE_URL`` (default: SQLite ``var/bench-city.sqlite3``), ``seed_demo --scale city``;
- region: ``BENCH_REGION_DATABASE_URL`` (default: SQLite ``var/bench-region.sqlite3``), ``seed_demo --scale region``
  (ten authorities, each at city scale; 6–10 minutes to build on this machine with `--jobs 2`, see README).

``BENCH_SCALES=city`` (or ``region``) measures one scale only. The pages are those of the demo's own authority
(Kędzierzyn-Koźle), whose data is the same at both scales, so the ratio region/city shows what the other nine
authorities' data costs it. Each scale runs in its own process (one database each); times are measured through
Django's test client, i.e. the whole request cycle minus the network.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# 60 requests a page and scale, from 5 processes per scale: one process can run every page 10–15 % faster or slower
# than the next on this machine (README, "Region scale"), so the ratio region/city wants several of each.
REPEAT = int(os.environ.get("BENCH_REPEAT", "12"))  # requests per page and round
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SCALES = {
    "city": os.environ.get("BENCH_CITY_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-city.sqlite3'}"),
    "region": os.environ.get("BENCH_REGION_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-region.sqlite3'}"),
}
# Goals (issue 19): the same query count and at most 1.3× the city median at region scale, a median of 25 ms at most
# on a quiet machine and at most 80× the bare-Django floor of the same size.
GOAL_RATIO, GOAL_MEDIAN, GOAL_FLOOR = 1.3, 25.0, 80.0


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def measure_scale(scale: str) -> dict:
    """In a process of its own (the database is the scale's): seed if empty, then time every page."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0)
    import gc

    gc.freeze()  # as the server does after start-up (config/wsgi.py)
    from accounts.demo import DEMO_AUTHORITY
    from accounts.models import User
    from grants.models import Agreement, CommissionMember, Offer, OpenCall
    from organisations.models import Organisation
    from programmes.models import Authority

    if not Authority.objects.filter(slug=DEMO_AUTHORITY["slug"]).exists() or OpenCall.objects.count() < 40:
        print(f"Budowanie danych w skali {scale} (jednorazowo)…", file=sys.stderr, flush=True)
        call_command("seed_demo", "--scale", scale, verbosity=1, stdout=sys.stderr)
    authority = Authority.objects.get(slug=DEMO_AUTHORITY["slug"])
    calls = OpenCall.objects.filter(authority=authority)
    # The same objects at both scales, found by what identifies them in the first authority (never by key).
    call = max(calls.order_by("number"), key=lambda c: c.offers.count())
    open_call = calls.filter(status=OpenCall.Status.PUBLISHED).order_by("number").first()
    offer = (
        Offer.objects.filter(call=call)
        .exclude(current_version=None)
        .select_related("organisation")
        .order_by("organisation__nip")
        .first()
    )
    staff = User.objects.get(email="urzednik@portal.example.pl")
    ngo_user = offer.organisation.memberships.order_by("user__email").first().user

    def client(user=None):
        made = Client()
        if user is not None:
            made.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return made

    anonymous, office, ngo = client(), client(staff), client(ngo_user)
    decided = (
        calls.filter(results_published_at__isnull=False).order_by("-number").first()
        or calls.filter(status=OpenCall.Status.DECIDED).order_by("number").first()
    )
    decider = client(User.objects.get(email="dyrektor@portal.example.pl"))
    seat = (
        CommissionMember.objects.filter(
            commission__call__authority=authority, commission__call__status=OpenCall.Status.COMMISSION_REVIEW
        )
        .order_by("commission__call__number", "user__email")
        .first()
    )
    member_client = client(seat.user)
    # By organisation and amount: seeds made before grants/demo_awards.py ordered its calls numbered the same
    # agreements differently at the two scales.
    agreement = (
        Agreement.objects.filter(authority=authority).order_by("organisation__nip", "grant_amount", "pk").first()
    )
    pages = [
        ("publiczna lista konkursów", anonymous, "/konkursy/"),
        ("strona konkursu", anonymous, f"/konkursy/{open_call.pk}/"),
        ("baza organizacji", anonymous, "/organizacje/"),
        ("baza organizacji: szukaj", anonymous, "/organizacje/?q=fundacja"),
        ("formularz oferty (NGO)", ngo, f"/konkursy/oferty/{offer.pk}/"),
        ("panel konkursu (urząd)", office, f"/konkursy/urzad/{call.pk}/"),
        ("ocena oferty (urząd)", office, f"/konkursy/urzad/oferty/{offer.pk}/"),
        ("wyszukiwarka urzędu", office, "/konkursy/urzad/szukaj/?q=sportowy"),
        ("wyniki konkursu (publiczne)", anonymous, f"/konkursy/{decided.pk}/"),
        ("ranking komisji (urząd)", office, f"/konkursy/urzad/komisje/{decided.pk}/ranking/"),
        ("rozstrzygnięcie (urząd)", decider, f"/konkursy/urzad/{decided.pk}/rozstrzygniecie/"),
        ("moja komisja (członek)", member_client, "/konkursy/komisja/"),
        ("lista umów (urząd)", office, "/konkursy/urzad/umowy/"),
        ("umowa (urząd)", office, f"/konkursy/umowy/{agreement.pk}/"),
        ("płatności transz (urząd)", office, "/konkursy/urzad/platnosci/?status="),
    ]

    def measure(who: Client, url: str) -> dict:
        who.get(url)  # warm caches and templates
        executed = []

        def count(execute, sql, params, many, context):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(count):
            response = who.get(url)
        assert response.status_code == 200, (url, response.status_code)
        floor_url = f"/__floor__/{len(response.content)}/"
        anonymous.get(floor_url)
        times, floor_times = [], []
        for _ in range(REPEAT):  # the page and its floor in turn, so that both see the same load
            start = time.perf_counter()
            who.get(url)
            middle = time.perf_counter()
            anonymous.get(floor_url)
            floor_times.append((time.perf_counter() - middle) * 1000)
            times.append((middle - start) * 1000)
        return {"bytes": len(response.content), "queries": len(executed), "times": times, "floor": floor_times}

    rows = []
    with override_settings(ROOT_URLCONF="tests.benchmarks.urls"):
        for name, who, url in pages:
            rows.append({"page": name, "url": url, **measure(who, url)})
    return {
        "scale": scale,
        "engine": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "database": settings.DATABASES["default"]["NAME"],
        "authorities": Authority.objects.count(),
        "organisations": Organisation.objects.count(),
        "offers": Offer.objects.count(),
        "agreements": Agreement.objects.count(),
        "panel_offers": call.offers.count(),
        "rows": rows,
    }


def run_scale(scale: str) -> dict:
    env = {**os.environ, "DATABASE_URL": SCALES[scale]}
    done = subprocess.run(
        [sys.executable, __file__, "--scale", scale], env=env, check=True, stdout=subprocess.PIPE, text=True
    )
    return json.loads(done.stdout)


def summarise(result: dict) -> dict:
    for row in result["rows"]:
        row["median"], row["p95"] = statistics.median(row["times"]), p95(row["times"])
        row["floor_median"] = statistics.median(row["floor"])
    return result


def report(results: dict[str, dict]) -> None:
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"\nŻądań na stronę: {REPEAT * ROUNDS} ({ROUNDS} × {REPEAT}, skale na zmianę); obciążenie maszyny "
        f"(load average 1/5/15 min) po pomiarze: {load}"
    )
    for result in results.values():
        print(
            f"  {result['scale']:6}: {result['engine']} {result['database']}; jednostek {result['authorities']}, "
            f"organizacji {result['organisations']}, ofert {result['offers']}, umów {result['agreements']}; "
            f"w panelu konkursu: {result['panel_offers']} ofert"
        )
    city, region = results.get("city"), results.get("region")
    both = city and region
    print("\nStrony jednej jednostki (Kędzierzyn-Koźle); czasy w ms (mediana, p95), × podłogi = mediana / podłoga.\n")
    header = (
        f"{'strona':30} {'zapytania':>11} {'med. miasto':>11} {'med. region':>11} {'region/miasto':>13} "
        f"{'p95 m.':>7} {'p95 r.':>7} {'podłoga':>8} {'× podł.':>8}"
    )
    print(header)
    print("-" * len(header))
    failing = []
    base = city or region
    for index, row in enumerate(base["rows"]):
        c = city["rows"][index] if city else None
        r = region["rows"][index] if region else None
        queries = f"{c['queries']}/{r['queries']}" if both else str(row["queries"])
        ratio = r["median"] / c["median"] if both else None
        worst = r or c
        floor_ratio = worst["median"] / worst["floor_median"]

        def ms(values, key):
            return f"{values[key]:.1f}" if values else "–"

        print(
            f"{row['page']:30} {queries:>11} {ms(c, 'median'):>11} {ms(r, 'median'):>11} "
            f"{(f'{ratio:.2f}' if ratio else '–'):>13} {ms(c, 'p95'):>7} {ms(r, 'p95'):>7} "
            f"{worst['floor_median']:8.2f} {floor_ratio:8.1f}"
        )
        problems = []
        if both and c["queries"] != r["queries"]:
            problems.append("zapytania rosną z danymi")
        if ratio and ratio > GOAL_RATIO:
            problems.append(f"region/miasto {ratio:.2f} > {GOAL_RATIO}")
        if worst["median"] > GOAL_MEDIAN:
            problems.append(f"mediana {worst['median']:.1f} ms > {GOAL_MEDIAN:.0f} ms")
        if floor_ratio > GOAL_FLOOR:
            problems.append(f"{floor_ratio:.0f}× podłogi > {GOAL_FLOOR:.0f}×")
        if problems:
            failing.append(f"  {row['page']}: " + "; ".join(problems))
    print(
        f"\nCel (zgłoszenie 19): te same zapytania i mediana ≤ {GOAL_RATIO}× miasta w skali regionu, mediana "
        f"≤ {GOAL_MEDIAN:.0f} ms (na spokojnej maszynie), ≤ {GOAL_FLOOR:.0f}× podłogi (× podł. liczone dla "
        f"{'regionu' if region else 'miasta'})."
    )
    print("Poza celem:" if failing else "Wszystkie strony w celu.")
    for line in failing:
        print(line)


def main() -> None:
    if "--scale" in sys.argv:
        result = measure_scale(sys.argv[sys.argv.index("--scale") + 1])
        sys.stdout.write(json.dumps(result))
        return
    wanted = os.environ.get("BENCH_SCALES", "city,region").split(",")
    (ROOT / "var").mkdir(exist_ok=True)
    results = {}
    # The scales in turn, ROUNDS times (REPEAT requests a page each time), first one then the other first: load that
    # changes during the run falls on both alike.
    for round_number in range(1, ROUNDS + 1):
        for scale in list(SCALES)[:: 1 if round_number % 2 else -1]:
            if scale in wanted:
                print(f"Pomiar {round_number}/{ROUNDS} w skali {scale}: {SCALES[scale].split('@')[-1]}…", flush=True)
                result = run_scale(scale)
                if scale not in results:
                    results[scale] = result
                    continue
                for row, more in zip(results[scale]["rows"], result["rows"], strict=True):
                    row["times"] += more["times"]
                    row["floor"] += more["floor"]
    report({scale: summarise(result) for scale, result in results.items()})


if __name__ == "__main__":
    main()
