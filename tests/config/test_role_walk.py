"""Role × URL permission walk (issue 14 item 7): every URL pattern, with real objects of the demo data, as every
role that must not get it.

Each owner (NGO admin and editor, office staff and decider, commission member) crawls the portal by its links;
every object URL (a pattern with an id) it opens, and every POST-only action its pages' forms post to (patterns no
crawl reaches: with id 1, a real demo object too), is then requested by every outsider: anonymous, the admin of another
organisation, the organisation's editor (for what only its admin opens), a commission member of another call and
office staff of another authority. An outsider must get no 200 (GET or POST) on a URL outside ``PUBLIC`` and outside
what its own crawl reaches, and its POSTs must change nothing (no audit record). A new view without a permission check
is opened by some owner, so it fails here.

A small extra set covers the authorities' spaces (config/tenancy.py, issue 16): one opened URL of each object pattern
under another authority's prefix (``/obca/…``), as that authority's staff and as the demo authority's own decider:
a 404 every time (POST-only actions posted to, changing nothing).
"""

import logging
import time

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls.converters import IntConverter, UUIDConverter

from accounts.models import User
from accounts.services import staff_assign
from organisations.models import Membership
from tests.accounts.factories import AuthorityFactory, UserFactory
from tests.config.test_url_walk import _StubHTML
from tests.grants.commission_factories import A, make_commission, review_call
from tests.organisations.factories import MembershipFactory
from tests.url_walk import NO_POST, Walker, crawl, garbage_body, routes

pytestmark = pytest.mark.django_db

OWNERS = {
    "NGO admin": "ngo.admin@portal.example.pl",
    "NGO editor": "ngo.redaktor@portal.example.pl",
    "staff": "urzednik@portal.example.pl",
    "decider": "dyrektor@portal.example.pl",
    "commission member": "komisja@portal.example.pl",
    "resident (local initiative, no organisation)": "mieszkanka@portal.example.pl",
}
# Whose object URLs each outsider tries.
OUTSIDERS = {
    "anonymous": list(OWNERS),
    "NGO of another organisation": ["NGO admin", "NGO editor", "resident (local initiative, no organisation)"],
    "editor (admin's pages)": ["NGO admin"],
    "commission member of another call": ["commission member", "staff", "decider"],
    "staff of another authority": [
        "staff",
        "decider",
        "commission member",
        "NGO admin",
        "resident (local initiative, no organisation)",
    ],
}
# Object pages anyone may open (the public face of the portal); everything else needs a role.
PUBLIC = {
    "accounts:password-reset-confirm",  # guarded by its token: a wrong one shows "the link is invalid" to anyone
    "consultations:detail",
    "consultations:report",
    "consultations:report-pdf",
    "grants:call-detail",
    "grants:call-pdf",
    "grants:justification-request",  # art. 15 ust. 2i: anyone may ask for the reasons (reached from the home page)
    "grants:results-pdf",  # published results (art. 15 ust. 2h), linked from the public home page's latest results
    "grants:small-grant-public",
    "grants:small-grant-public-pdf",
    "notifications:subscription-confirm",  # guarded by its signed token: a wrong one confirms nothing
    "notifications:unsubscribe",  # guarded by its signed token: a wrong one says "not subscribed"
    "organisations:detail",
    "programmes:detail",
    "programmes:pdf",
    "reports:annual",
    "reports:annual-pdf",
    "reports:publication",
    "reports:publication-pdf",
}


OTHER_AUTHORITY_SLUG = "obca"
# An organisation's own memberships belong to no authority: its POST-only member actions answer 403 to anyone but
# the organisation's admin, in any space (tests/organisations/test_rights.py), and are left out of the space set.
NOT_AUTHORITY_OBJECTS = {"organisations:member-remove", "organisations:member-role"}


def sign_in(client, user):
    client.logout()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def outsiders() -> dict[str, User | None]:
    other_org_admin = UserFactory(email="obca.organizacja@example.pl")
    MembershipFactory(user=other_org_admin)
    other_authority = AuthorityFactory(name="Gmina Obca", slug=OTHER_AUTHORITY_SLUG, city="Obca Wieś")
    other_staff = UserFactory(email="obcy.urzednik@example.pl")
    staff_assign(user=other_staff, authority=other_authority, can_decide=True)
    _commission, [seat] = make_commission(review_call(offers=1, authority=other_authority), seats=[(A, True)])
    return {
        "anonymous": None,
        "NGO of another organisation": other_org_admin,
        "editor (admin's pages)": User.objects.get(email=OWNERS["NGO editor"]),
        "commission member of another call": seat.user,
        "staff of another authority": other_staff,
    }


def test_no_role_gets_what_it_must_not(client, monkeypatch):
    monkeypatch.setattr("reports.pdf.HTML", _StubHTML)
    monkeypatch.setattr(logging.getLogger("django.request"), "disabled", True)
    started = time.monotonic()
    call_command("seed_demo", "--scale", "small", verbosity=0)
    assert Membership.objects.filter(user__email=OWNERS["NGO editor"], role=Membership.Role.EDITOR).exists()
    all_routes = {route.name: route for route in routes()}
    start = [route.url(1) for route in all_routes.values() if not route.has_ids]
    requests = 0
    opened: dict[str, dict[str, set[str]]] = {}  # owner → route → URLs it opened (200)
    fields: dict[str, set[str]] = {}
    for owner, email in OWNERS.items():
        sign_in(client, User.objects.get(email=email))
        found, answers = crawl(client, owner, start, per_route=2)
        requests += len(answers)
        opened[owner] = {}
        # Pages it opens (200) and the POST-only actions its pages' forms post to (a GET answers 405).
        for answer in answers:
            if answer.status in (200, 405) and all_routes[answer.route].has_ids:
                opened[owner].setdefault(answer.route, set()).add(answer.url)
        for entry in found.values():
            for url, names in entry.fields.items():
                fields.setdefault(url, set()).update(names)
    covered = {route for routes_ in opened.values() for route in routes_}
    uncovered = sorted(r.name for r in all_routes.values() if r.has_ids and r.name not in covered)
    leaks, probed_routes = [], set()
    people = outsiders()
    for role, user in people.items():
        sign_in(client, user)
        own: set[str] = set()
        if user is not None:
            _found, answers = crawl(client, role, start, per_route=2)
            requests += len(answers)
            own = {answer.url for answer in answers if answer.status in (200, 405)}
        walker = Walker(client, role)
        targets = {
            (route, url)
            for owner in OUTSIDERS[role]
            for route, urls in opened[owner].items()
            for url in urls
            if route not in PUBLIC and url not in own
        }
        # Patterns no owner's crawl reached are tried with id 1, which in the demo data is a real object too.
        targets |= {(name, all_routes[name].url(1)) for name in uncovered if name not in PUBLIC}
        targets = {(route, url) for route, url in targets if url and url not in own}
        for route, url in sorted(targets):
            probed_routes.add(route)
            if walker.request("GET", route, url).status == 200:  # a POST-only URL answers 405
                leaks.append(f"{role}: GET {url} ({route}) → 200")
            if route in NO_POST:
                continue
            before = LogEntry.objects.count()
            status = walker.request("POST", route, url, garbage_body(fields.get(url, set()))).status
            if status == 200 or LogEntry.objects.count() != before:
                added = LogEntry.objects.count() - before
                leaks.append(f"{role}: POST {url} ({route}) → {status}, audit records +{added}")
        requests += len(walker.answers)
    # Prefixed URLs (config/tenancy.py), a small extra set: one opened URL per object pattern, inside the other
    # authority's space (/obca/…). Neither that authority's staff nor the demo authority's own decider reaches the
    # demo's objects there, public ones included: every GET is a 404, and so is every POST to a POST-only action.
    candidates: dict[str, set[str]] = {}
    for routes_ in opened.values():
        for route, urls in routes_.items():
            if route not in NOT_AUTHORITY_OBJECTS and any(
                issubclass(kind, (IntConverter, UUIDConverter)) for _k, kind in all_routes[route].converters
            ):
                candidates.setdefault(route, set()).update(urls)
    prefixed = {route: min(urls, key=lambda url: (len(url), url)) for route, urls in candidates.items()}
    space = f"/{OTHER_AUTHORITY_SLUG}"
    for role, user in (
        ("staff of another authority, in its space", people["staff of another authority"]),
        ("decider, in another authority's space", User.objects.get(email=OWNERS["decider"])),
    ):
        sign_in(client, user)
        walker = Walker(client, role)
        for route, url in sorted(prefixed.items()):
            status = walker.request("GET", route, space + url).status
            if status == 405 and route not in NO_POST:  # a POST-only action
                before = LogEntry.objects.count()
                status = walker.request("POST", route, space + url, garbage_body(fields.get(url, set()))).status
                if LogEntry.objects.count() != before:
                    leaks.append(f"{role}: POST {space}{url} ({route}) changed something")
            if status != 404:
                leaks.append(f"{role}: {space}{url} ({route}) → {status}, not 404")
        requests += len(walker.answers)
    print(
        f"\nRole walk: {requests} requests, {len(OWNERS)} owners × {len(OUTSIDERS)} outsider roles, "
        f"{len(covered)} object patterns opened by owners ({len(probed_routes)} probed, {len(PUBLIC)} public; "
        f"{len(prefixed)} also in another authority's space) "
        f"of {sum(r.has_ids for r in all_routes.values())}, {len(leaks)} leaks, {time.monotonic() - started:.0f} s"
        f"\nRole walk: object patterns no owner's crawl reached (tried with id 1): {' '.join(uncovered)}"
    )
    leaked_routes = sorted({leak.split("(")[-1].split(")")[0] for leak in leaks})
    assert not leaks, "\n".join(leaks[:60] + ["Routes: " + " ".join(leaked_routes)])
