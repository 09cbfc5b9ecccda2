"""Server time of the main pages at city scale, beside a bare-Django floor page of the same size.

Run with ``make bench``. Uses its own SQLite file under var/ (or DATABASE_URL) and builds the city-scale demo
data once. Times are measured through Django's test client, i.e. the whole request cycle minus the network.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
os.environ["DEBUG"] = "False"
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "40"))


def measure(client: Client, url: str) -> tuple[list[float], int, int]:
    client.get(url)  # warm caches and templates
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connections["default"].execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return times, len(response.content), len(executed)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main() -> None:
    call_command("migrate", verbosity=0)
    from grants.models import Offer, OpenCall

    if OpenCall.objects.count() < 40:
        print("Budowanie danych w skali miasta (jednorazowo)…", flush=True)
        call_command("seed_demo", "--scale", "city", verbosity=0)
    call = max(OpenCall.objects.all(), key=lambda c: c.offers.count())
    open_call = OpenCall.objects.filter(status=OpenCall.Status.PUBLISHED).first()
    offer = Offer.objects.filter(call=call).exclude(current_version=None).select_related("organisation").first()
    from accounts.models import User

    staff = User.objects.get(email="urzednik@portal.example.pl")
    ngo_user = offer.organisation.memberships.first().user

    anonymous, office, ngo = Client(), Client(), Client()
    office.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    ngo.force_login(ngo_user, backend="django.contrib.auth.backends.ModelBackend")
    from grants.models import Agreement, CommissionMember

    decided = (
        OpenCall.objects.filter(results_published_at__isnull=False).order_by("-number").first()
        or OpenCall.objects.filter(status=OpenCall.Status.DECIDED).first()
    )
    decider, member_client = Client(), Client()
    decider.force_login(
        User.objects.get(email="dyrektor@portal.example.pl"), backend="django.contrib.auth.backends.ModelBackend"
    )
    seat = CommissionMember.objects.filter(commission__call__status=OpenCall.Status.COMMISSION_REVIEW).first()
    member_client.force_login(seat.user, backend="django.contrib.auth.backends.ModelBackend")
    agreement = Agreement.objects.order_by("pk").first()
    pages = [
        ("publiczna lista konkursów", anonymous, "/konkursy/"),
        ("strona konkursu", anonymous, f"/konkursy/{open_call.pk}/"),
        ("baza organizacji", anonymous, "/organizacje/"),
        ("formularz oferty (NGO)", ngo, f"/konkursy/oferty/{offer.pk}/"),
        ("panel konkursu (urząd)", office, f"/konkursy/urzad/{call.pk}/"),
        ("wyniki konkursu (publiczne)", anonymous, f"/konkursy/{decided.pk}/"),
        ("ranking komisji (urząd)", office, f"/konkursy/urzad/komisje/{decided.pk}/ranking/"),
        ("rozstrzygnięcie (urząd)", decider, f"/konkursy/urzad/{decided.pk}/rozstrzygniecie/"),
        ("moja komisja (członek)", member_client, "/konkursy/komisja/"),
        ("lista umów (urząd)", office, "/konkursy/urzad/umowy/"),
        ("umowa (urząd)", office, f"/konkursy/umowy/{agreement.pk}/"),
        ("płatności transz (urząd)", office, "/konkursy/urzad/platnosci/?status="),
    ]
    print(
        f"\nBaza: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}; oferty: {Offer.objects.count()}, "
        f"w panelu konkursu: {call.offers.count()}; powtórzeń: {REPEAT}\n"
    )
    header = f"{'strona':32} {'bajty':>8} {'zapytania':>9} {'mediana ms':>11} {'p95 ms':>8} {'podłoga ms':>11} {'×':>5}"
    print(header)
    print("-" * len(header))
    with override_settings(ROOT_URLCONF="tests.benchmarks.urls"):
        for name, client, url in pages:
            times, size, queries = measure(client, url)
            floor_times, _, _ = measure(anonymous, f"/__floor__/{size}/")
            median, floor = statistics.median(times), statistics.median(floor_times)
            print(
                f"{name:32} {size:8d} {queries:9d} {median:11.1f} {p95(times):8.1f} {floor:11.1f} {median / floor:5.1f}"
            )
    print("\nCel (quality.md): mediana ≤ 50 ms, p95 ≤ 150 ms, najlepiej ≤ 3× podłogi.")


if __name__ == "__main__":
    main()
