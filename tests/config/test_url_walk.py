"""No URL answers 5xx to malformed input: every pattern, as every role, with real objects of the demo data,
unknown and non-numeric ids, garbage query strings and garbage in every field of every form."""

import logging
import time

import pytest
from django.core.management import call_command

from accounts.models import User
from tests.url_walk import routes, walk

pytestmark = pytest.mark.django_db

ROLES = {
    "anonymous": None,
    "NGO admin": "ngo.admin@portal.example.pl",
    "staff": "urzednik@portal.example.pl",
    "decider": "dyrektor@portal.example.pl",
    "commission member": "komisja@portal.example.pl",
}


class _StubHTML:
    """WeasyPrint's layout is slow and not under test here; the PDF's template still renders."""

    def __init__(self, *args, **kwargs):
        pass

    def write_pdf(self, *args, **kwargs):
        return b"%PDF-1.4\n%%EOF\n"


def test_no_url_answers_5xx_to_malformed_input(client, monkeypatch):
    monkeypatch.setattr("reports.pdf.HTML", _StubHTML)
    # Thousands of expected 403/404/405 answers would each log a line (and a traceback); failures are listed below.
    monkeypatch.setattr(logging.getLogger("django.request"), "disabled", True)
    started = time.monotonic()
    call_command("seed_demo", "--scale", "small", verbosity=0)
    print(f"\nURL walk: demo data in {time.monotonic() - started:.1f} s", flush=True)
    all_routes = routes()
    start = [route.url(1) for route in all_routes if not route.has_ids]
    answers = []
    for role, email in ROLES.items():
        client.logout()
        if email:
            client.force_login(User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend")
        started = time.monotonic()
        answers += walk(client, role, start, all_routes)
        print(f"URL walk: {role}: {len(answers)} requests so far, {time.monotonic() - started:.1f} s", flush=True)
    failures = [answer for answer in answers if answer.status >= 500]
    print(f"\nURL walk: {len(all_routes)} patterns, {len(answers)} requests, {len(failures)} responses ≥ 500")
    by_route: dict[str, float] = {}
    for answer in answers:
        by_route[answer.route] = by_route.get(answer.route, 0.0) + answer.seconds
    slowest = sorted(by_route.items(), key=lambda item: -item[1])[:5]
    print("URL walk: most time in " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in slowest))
    reached = {answer.route for answer in answers if answer.status == 200}
    print(f"URL walk: {len(reached)} patterns answered 200 to some role")
    assert not failures, "\n".join(f"{a.role} {a.method} {a.url} → {a.status} {a.error}" for a in failures[:40])
