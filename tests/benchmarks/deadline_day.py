"""Deadline day on loopback: 200 organisations submit their offers in the last minute before the deadline.

Starts gunicorn (2 workers x 4 threads) and the background task workers (``manage.py db_worker``) on 127.0.0.1
against its own database, fires the submissions from 200 client threads (a fifth of them double-click; every tenth
offer has every free-text field at its maximum length), and checks what must hold: no 5xx, no lost and no
duplicated submission, and every offer's PDFs and receipt e-mail made by the workers. Prints one summary line:

    deadline-day: submitters=200 window=60s versions=200 lost=0 duplicated=0 errors_5xx=0 p50=… p95=… ms
    pdfs_ready_after=… s      (on one line)

``pdfs_ready_after`` counts from the last submission's answer to the moment the last version's documents are ready.
Run with ``make loadtest`` (the burst: 60 s) or ``make loadtest LOADTEST_ARGS=--spread`` (the last 10 minutes);
use PostgreSQL (``DATABASE_URL=postgres://…``): the database named there is emptied first.
"""

import argparse
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

BURST, SPREAD = 60, 600  # seconds: the goal's burst, and the last ten minutes
arguments = argparse.ArgumentParser(description="Deadline-day load test")
arguments.add_argument("--spread", action="store_true", help=f"arrivals over the last {SPREAD} s instead of {BURST} s")
arguments.add_argument("--window", type=float, help="arrivals over this many seconds (overrides --spread)")
options = arguments.parse_args()
# The submissions arrive spread over this many seconds before the deadline (0 = all at once).
WINDOW = (
    options.window
    if options.window is not None
    else float(
        os.environ.get("LOADTEST_WINDOW") or (SPREAD if options.spread or os.environ.get("LOADTEST_SPREAD") else BURST)
    )
)

import django  # noqa: E402

django.setup()

from datetime import timedelta  # noqa: E402

from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

PORT = int(os.environ.get("LOADTEST_PORT", "8765"))
OFFERS = int(os.environ.get("LOADTEST_OFFERS", "200"))
TASK_WORKERS = int(os.environ.get("LOADTEST_TASK_WORKERS", "2"))
PDF_TIMEOUT = float(os.environ.get("LOADTEST_PDF_TIMEOUT", "900"))
BASE = f"http://127.0.0.1:{PORT}"
# Free-text fields without a maximum on the form yet are filled with this many characters.
DEFAULT_TEXT_LIMIT = 3000


def longest_texts() -> dict:
    """Every free-text field of the offer (and of its rows) at the longest the forms accept."""
    from grants.forms import ActivityFormSet, OfferForm, ResultFormSet
    from tests.grants.factories import ACTIVITIES, RESULTS

    def fill(fields, names):
        out = {}
        for name in names:
            limit = getattr(fields[name], "max_length", None) or DEFAULT_TEXT_LIMIT
            out[name] = ("Zajęcia sportowe dla dzieci z osiedla Przylesie, prowadzone przez trenerów. " * 200)[:limit]
        return out

    offer_fields = OfferForm.base_fields
    texts = ["title", "synopsis", "results_description", "previous_activity", "resources", "joint_roles", "other_info"]
    activity = ActivityFormSet.form.base_fields
    result = ResultFormSet.form.base_fields
    return {
        "data": fill(offer_fields, [name for name in texts if name in offer_fields]),
        "activities": [{**ACTIVITIES[0], **fill(activity, ["name", "description", "target_group", "period"])}],
        "results": [{**RESULTS[0], **fill(result, ["name", "target", "monitoring"])}],
    }


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
    longest = longest_texts()
    for number in range(OFFERS):
        organisation = OrganisationFactory(areas=["17"])
        user = MembershipFactory(organisation=organisation).user
        offer = complete_offer(call, organisation, user, **(longest if number % 10 == 3 else {}))
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


def start(command: list[str], niceness: int = 0) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    return subprocess.Popen(
        [sys.executable, *command], cwd=ROOT, env=env, preexec_fn=(lambda: os.nice(niceness)) if niceness else None
    )


def wait_for_documents(versions, timeout: float) -> float | None:
    """Seconds until every version's documents are made (ready or given up), or None after ``timeout``."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if not versions.filter(documents=versions.model.Documents.PENDING).exists():
            return time.perf_counter() - started
        time.sleep(0.5)
    return None


def main():
    from grants.models import OfferVersion

    call, sessions, Offer = prepare()
    # The deadline falls just after the last planned arrival, whatever the preparation took.
    type(call).objects.filter(pk=call.pk).update(submission_deadline=timezone.now() + timedelta(seconds=WINDOW + 30))
    server = start(
        [
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
        ]
    )
    # On one shared machine the web answers first: the workers yield the CPU to gunicorn (as separate worker
    # machines would leave it alone).
    workers = [
        start(["manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.5", "-v", "0"], 10)
        for _ in range(TASK_WORKERS)
    ]
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
        versions = OfferVersion.objects.filter(offer__call=call)
        ready_after = wait_for_documents(versions, PDF_TIMEOUT)
    finally:
        for process in [server, *workers]:
            process.terminate()
        for process in [server, *workers]:
            process.wait(timeout=30)
    responses = [r for group in results for r in group]
    statuses = [status for status, _ in responses]
    times = sorted(ms for _, ms in responses)
    counts = {pk: Offer.objects.get(pk=pk).versions.count() for pk, _ in sessions}
    server_errors = sum(1 for status in statuses if status >= 500)
    lost = sum(1 for n in counts.values() if n == 0)
    duplicated = sum(1 for n in counts.values() if n > 1)
    failed = versions.exclude(documents=OfferVersion.Documents.READY).count()
    p50, p95 = statistics.median(times), times[int(0.95 * (len(times) - 1))]
    print(
        f"\nOferty: {OFFERS} w ciągu {WINDOW:.0f} s, żądania złożenia: {len(responses)} (co piąta organizacja klika "
        f"dwa razy, co dziesiąta oferta ma najdłuższe teksty), czas: {elapsed:.1f} s; baza: "
        f"{connection_vendor()}; workery zadań: {TASK_WORKERS}; statusy: {sorted(set(statuses))}; "
        f"wersje bez gotowych dokumentów: {failed}"
    )
    print(
        f"deadline-day: submitters={OFFERS} window={WINDOW:.0f}s versions={versions.count()} lost={lost} "
        f"duplicated={duplicated} errors_5xx={server_errors} p50={p50:.0f} p95={p95:.0f} ms "
        f"pdfs_ready_after={'never' if ready_after is None else f'{ready_after:.0f}'} s"
    )
    ok = server_errors == 0 and lost == 0 and duplicated == 0 and failed == 0 and ready_after is not None
    sys.exit(0 if ok else 1)


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


if __name__ == "__main__":
    main()
