"""Deadline day on loopback: 200 organisations submit their offers in the last minutes before the deadline.

Starts gunicorn on 127.0.0.1 against its own database, fires the submissions from 200 client threads (a fifth
of them double-click), and checks what must hold: no 5xx, no lost and no duplicated submission. Prints p50/p95
of the submission request. Run with ``make loadtest`` (PostgreSQL when DATABASE_URL is set).
"""

import concurrent.futures
import http.cookiejar
import os
import random
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'loadtest.sqlite3'}")
os.environ.update(
    DEBUG="False",
    ALLOWED_HOSTS="127.0.0.1",
    AXES_FAILURE_LIMIT="1000",
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)
# The submissions arrive spread over this many seconds before the deadline (0 = all at once).
WINDOW = float(os.environ.get("LOADTEST_WINDOW", "120"))

import django  # noqa: E402

django.setup()

from datetime import timedelta  # noqa: E402

from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

PORT = int(os.environ.get("LOADTEST_PORT", "8765"))
OFFERS = int(os.environ.get("LOADTEST_OFFERS", "200"))
BASE = f"http://127.0.0.1:{PORT}"


def prepare():
    """A published call closing in a few minutes and OFFERS complete drafts, each with a signed-in person."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from grants.models import Offer
    from tests.grants.factories import OpenCallFactory, complete_offer
    from tests.organisations.factories import MembershipFactory, OrganisationFactory

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call = OpenCallFactory(submission_deadline=timezone.now() + timedelta(minutes=10))
    sessions = []
    for _ in range(OFFERS):
        organisation = OrganisationFactory(areas=["17"])
        user = MembershipFactory(organisation=organisation).user
        offer = complete_offer(call, organisation, user)
        session = SessionStore()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append((offer.pk, session.session_key))
    return call, sessions, Offer


def submit(offer_pk: int, session_key: str, double: bool, delay: float) -> list[tuple[int, float]]:
    time.sleep(delay)
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("Cookie", f"sessionid={session_key}")]
    url = f"{BASE}/konkursy/oferty/{offer_pk}/zlozenie/"
    page = opener.open(url).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    token = next(c.value for c in jar if c.name == "csrftoken")
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "revision": revision}).encode()

    def post():
        request = urllib.request.Request(
            url, data=body, headers={"Cookie": f"sessionid={session_key}; csrftoken={token}", "Referer": url}
        )
        start = time.perf_counter()
        try:
            status = urllib.request.build_opener(NoRedirect).open(request).status
        except urllib.error.HTTPError as error:
            status = error.code
        return status, (time.perf_counter() - start) * 1000

    if not double:
        return [post()]
    with concurrent.futures.ThreadPoolExecutor(2) as pair:
        return list(pair.map(lambda _: post(), range(2)))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main():
    call, sessions, Offer = prepare()
    # The deadline falls just after the last planned arrival, whatever the preparation took.
    type(call).objects.filter(pk=call.pk).update(submission_deadline=timezone.now() + timedelta(seconds=WINDOW + 30))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            "2",
            "--threads",
            "4",
            "--env",
            "DJANGO_SETTINGS_MODULE=config.settings.local",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"{BASE}/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        started = time.perf_counter()
        rng = random.Random(10)
        delays = sorted(rng.uniform(0, WINDOW) for _ in sessions)
        with concurrent.futures.ThreadPoolExecutor(len(sessions)) as pool:
            results = list(
                pool.map(
                    lambda item: submit(item[1][0], item[1][1], item[0] % 5 == 0, delays[item[0]]), enumerate(sessions)
                )
            )
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
    responses = [r for group in results for r in group]
    statuses = [status for status, _ in responses]
    times = sorted(ms for _, ms in responses)
    versions = {pk: Offer.objects.get(pk=pk).versions.count() for pk, _ in sessions}
    server_errors = sum(1 for status in statuses if status >= 500)
    print(
        f"\nOferty: {OFFERS} w ciągu {WINDOW:.0f} s, żądania złożenia: {len(responses)} (co piąta organizacja klika "
        f"dwa razy), czas: {elapsed:.1f} s"
    )
    print(f"Odpowiedzi 5xx: {server_errors}; statusy: {sorted(set(statuses))}")
    print(
        f"Oferty z dokładnie jedną wersją: {sum(1 for n in versions.values() if n == 1)} / {OFFERS}; "
        f"bez wersji: {sum(1 for n in versions.values() if n == 0)}; z dwiema lub więcej: "
        f"{sum(1 for n in versions.values() if n > 1)}"
    )
    print(
        f"Czas złożenia: mediana {statistics.median(times):.0f} ms, p95 {times[int(0.95 * (len(times) - 1))]:.0f} ms "
        f"(cel: p95 ≤ 1000 ms)"
    )
    ok = server_errors == 0 and all(n == 1 for n in versions.values())
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
