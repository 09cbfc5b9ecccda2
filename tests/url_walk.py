"""Walk every URL pattern of the portal as one signed-in role (or anonymously) and record every answer.

Reusable: the malformed-input walk (tests/config/test_url_walk.py) asks that nothing answers 5xx; a role × URL
permission walk can read the same ``Answer`` records (role, method, route, URL, status) and assert on statuses.

How the URLs are found:
1. ``routes()`` lists every pattern from the URL resolver (Django's admin left out), with its converters.
2. ``walk()`` first crawls as the role: it follows the links and form actions of the pages it reaches from the start
   pages (each page once), so that every route the role can reach gets a real object's URL and the names of the
   fields its forms post.
3. Then, for every route: POST with garbage in every field the page's forms have, once per submit button (with the
   button's own value, so that each branch of the view runs), (and a garbage query string on
   pages without ids), an unknown id and a non-numeric id; routes the crawl did not reach are filled with id 1,
   which in demo data is a real object too.
"""

import time
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.core.signals import got_request_exception
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, UUIDConverter

UNKNOWN_ID = 999_999_999
# Values no form expects: non-numeric ids, overflowing numbers, dates that do not exist, markup, a NUL byte.
GARBAGE_TEXT = "abc'\"<b>x</b>\x00"
GARBAGE_NUMBER = "99999999999999999999999999"
GARBAGE_QUERY = "?strona=-1&page=abc&rok=abc&status=zzz&q=%00&sort=__x&pokaz=nic&o=1e999"
# Never posted to: they would end the walker's session.
NO_POST = {"accounts:logout"}


@dataclass(frozen=True)
class Route:
    name: str  # "grants:offer-edit"
    pattern: str  # "konkursy/oferty/<int:pk>/"
    converters: tuple[tuple[str, type], ...]  # (kwarg, converter class)

    def url(self, value_for_int: int) -> str | None:
        kwargs = {}
        for kwarg, converter in self.converters:
            if issubclass(converter, IntConverter):
                kwargs[kwarg] = value_for_int
            elif issubclass(converter, UUIDConverter):
                kwargs[kwarg] = uuid.UUID(int=value_for_int)
            else:
                kwargs[kwarg] = "nieznane"
        try:
            return reverse(self.name, kwargs=kwargs)
        except NoReverseMatch:
            return None

    @property
    def has_ids(self) -> bool:
        return bool(self.converters)


@dataclass
class Answer:
    role: str
    method: str
    route: str
    url: str
    status: int
    error: str = ""
    seconds: float = 0.0
    response: object = field(default=None, repr=False, compare=False)


@dataclass
class Found:
    """What the crawl saw of one route: concrete URLs and the field names of forms posting to them."""

    urls: list[str] = field(default_factory=list)
    fields: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    buttons: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def routes(exclude_namespaces: Iterable[str] = ("admin",)) -> list[Route]:
    found: list[Route] = []

    def visit(patterns, prefix: str, namespace: str | None, converters: tuple):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or namespace
                if ns in exclude_namespaces:
                    continue
                visit(
                    entry.url_patterns,
                    prefix + str(entry.pattern),
                    ns,
                    converters + tuple(getattr(entry.pattern, "converters", {}).items()),
                )
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                own = tuple(getattr(entry.pattern, "converters", {}).items())
                found.append(Route(name, prefix + str(entry.pattern), tuple((k, type(c)) for k, c in converters + own)))

    visit(get_resolver().url_patterns, "", None, ())
    return found


class _PageParser(HTMLParser):
    """Links and forms of a page: each form's action and the names of its fields."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, set[str]]] = []
        self.buttons: dict[str, set[str]] = defaultdict(set)  # action URL → "name=value" of its submit buttons
        self._form: tuple[str, set[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = (attrs.get("action") or "", set())
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea", "button") and self._form is not None and attrs.get("name"):
            is_button = tag == "button" and attrs.get("type", "submit") == "submit" or attrs.get("type") == "submit"
            if is_button and attrs.get("value"):
                self.buttons[self._form[0]].add(f"{attrs['name']}={attrs['value']}")
            else:
                self._form[1].add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def _route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _local(href: str, base: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("#"):
        return None
    path = parts.path or base
    if not path.startswith("/") or path.startswith("/admin/") or path.startswith("/static/"):
        return None
    return path


GARBAGE_VALUES = [GARBAGE_TEXT, GARBAGE_NUMBER, "-1", "", "2026-02-30", "1e999"]


def garbage_body(names: set[str]) -> dict[str, str]:
    """Every field a value no form expects, the values rotating over the fields (sorted, so the walk repeats)."""
    names = sorted(names or {"pk", "id", "revision", "amount", "status", "action", "member"})
    return {name: GARBAGE_VALUES[index % len(GARBAGE_VALUES)] for index, name in enumerate(names)}


class Walker:
    """Requests through one client as one role, counting every answer and catching the exceptions behind 5xx."""

    def __init__(self, client: Client, role: str):
        self.client = client
        self.client.raise_request_exception = False
        self.role = role
        self.answers: list[Answer] = []
        self._error = ""

    def _record(self, sender, request=None, **kwargs):
        import sys

        exc = sys.exc_info()[1]
        self._error = f"{type(exc).__name__}: {exc}"[:300]

    def request(self, method: str, route: str, url: str, data: dict | None = None) -> Answer:
        self._error = ""
        started = time.perf_counter()
        got_request_exception.connect(self._record)
        try:
            response = self.client.get(url) if method == "GET" else self.client.post(url, data or {})
        finally:
            got_request_exception.disconnect(self._record)
        seconds = time.perf_counter() - started
        self.answers.append(Answer(self.role, method, route, url, response.status_code, self._error, seconds))
        return Answer(self.role, method, route, url, response.status_code, self._error, seconds, response)


def _crawl(walker: "Walker", start: Iterable[str], per_route: int) -> dict[str, Found]:
    """Follow links and form actions (GET only, each page once) from ``start``; keep up to ``per_route`` URLs per
    route. The GETs are recorded as the walk's answers for the real URLs."""
    found: dict[str, Found] = defaultdict(Found)
    queue = [(path, _route_of(path)) for path in start]
    seen: set[str] = set()
    while queue:
        path, route = queue.pop(0)
        if path in seen or route is None:
            continue
        seen.add(path)
        response = walker.request("GET", route, path).response
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _PageParser()
        parser.feed(response.content.decode(errors="replace"))
        targets = [(_local(action, path) if action else path, names, action) for action, names in parser.forms]
        targets += [(_local(href, path), None, None) for href in parser.links]
        for target, names, action in targets:
            target_route = target and _route_of(target)
            if not target_route:
                continue
            entry = found[target_route]
            if names is not None:
                entry.fields[target] |= names - {"csrfmiddlewaretoken"}
                entry.buttons[target] |= parser.buttons.get(action, set())
            if target not in entry.urls and len(entry.urls) < per_route:
                entry.urls.append(target)
                queue.append((target, target_route))
    return found


def walk(
    client: Client, role: str, start: Iterable[str], only: Iterable[Route] | None = None, per_route: int = 1
) -> list[Answer]:
    """Every route as ``role``: real URLs found by the crawl (GET, POST with garbage in every field of the page's
    forms; list pages also GET with a garbage query string), an unknown id and a non-numeric id (GET and POST).
    Returns every answer; the caller decides what is wrong."""
    walker = Walker(client, role)
    found = _crawl(walker, start, per_route)
    for route in only or routes():
        entry = found.get(route.name)
        real = list(entry.urls) if entry else []
        if not real:
            filled = route.url(1)
            real = [filled] if filled else []
            for url in real:
                walker.request("GET", route.name, url)
        for url in real:
            if not route.has_ids:
                walker.request("GET", route.name, url + GARBAGE_QUERY)
            if route.name not in NO_POST:
                fields = entry.fields.get(url, set()) if entry else set()
                # Garbage in every field, once per submit button the page offers (so each branch of the view runs).
                for button in sorted(entry.buttons.get(url, set()) if entry else set())[:4] or [""]:
                    name, _sep, value = button.partition("=")
                    walker.request("POST", route.name, url, garbage_body(fields) | ({name: value} if name else {}))
        if route.has_ids:
            unknown = route.url(UNKNOWN_ID)
            if unknown:
                walker.request("GET", route.name, unknown)
                if route.name not in NO_POST:
                    walker.request("POST", route.name, unknown, garbage_body(set()))
                walker.request("GET", route.name, unknown.replace(str(UNKNOWN_ID), "abc", 1))
    return walker.answers


def crawl(client: Client, role: str, start: Iterable[str], per_route: int = 1) -> tuple[dict[str, Found], list[Answer]]:
    """Only the crawl of ``walk``: what ``role`` reaches by following links (GET), with the forms' field names."""
    walker = Walker(client, role)
    return _crawl(walker, start, per_route), walker.answers
