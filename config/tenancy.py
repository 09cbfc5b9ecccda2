"""Authorities as tenants: each authority's public space at ``/<its slug>/…`` (or at a host name of its own).

The whole portal answers under the prefix: ``/powiat-kozielski/konkursy/`` is the call list of that authority,
``/powiat-kozielski/`` its home. The middleware strips the prefix before URL resolution and makes it the script
prefix for the request, so every link a page makes (``{% url %}``, ``reverse``, redirects) stays inside the space;
``request.authority`` tells the views which authority it is. Public lists show only its objects, a public object of
another authority is a 404 there, and office pages under the prefix narrow the person's authorities to it.

Without a prefix (``/konkursy/``) nothing changes: ``request.authority`` is ``None`` and the pages show the whole
installation, as they did when it served one authority. A host name maps to an authority through the
``AUTHORITY_HOSTS`` setting (``{"ngo.powiat-kozielski.pl": "powiat-kozielski"}``); then there is no prefix at all.
"""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.urls import get_script_prefix, set_script_prefix

# First path segments that are the portal's own; an authority's slug may not be one of them.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "static",
        "media",
        "konto",
        "organizacje",
        "programy",
        "konsultacje",
        "konkursy",
        "sprawozdania",
        "jednostki",
        "deklaracja-dostepnosci",
        "klauzula-informacyjna",
        "favicon.ico",
        "robots.txt",
    }
)


def _authority_by_slug(slug: str):
    from programmes.models import Authority

    return Authority.objects.filter(slug=slug).first()


class AuthorityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.authority = None
        request.portal_root = get_script_prefix()
        host_slug = getattr(settings, "AUTHORITY_HOSTS", {}).get(request.get_host().split(":")[0].lower())
        if host_slug:
            request.authority = _authority_by_slug(host_slug)
            return self.get_response(request)
        segment, slash, rest = request.path_info.lstrip("/").partition("/")
        if not segment or segment in RESERVED_SLUGS or "." in segment:
            return self.get_response(request)
        authority = _authority_by_slug(segment)
        if authority is None:
            return self.get_response(request)
        if not slash:  # "/powiat-kozielski" → "/powiat-kozielski/"
            return HttpResponsePermanentRedirect(f"{request.portal_root}{segment}/")
        request.authority = authority
        request.path_info = "/" + rest
        set_script_prefix(f"{request.portal_root}{segment}/")
        try:
            return self.get_response(request)
        finally:
            set_script_prefix(request.portal_root)


def current_authority(request):
    """The authority whose space the request is in, or ``None`` on the installation's own pages."""
    return getattr(request, "authority", None)


def scoped(request, queryset, lookup: str = "authority"):
    """``queryset`` narrowed to the authority whose space the request is in (unchanged outside any space)."""
    authority = current_authority(request)
    return queryset if authority is None else queryset.filter(**{lookup: authority})


def portal_root(request) -> str:
    """The installation's own home, whichever space the request is in."""
    return getattr(request, "portal_root", None) or "/"


def authority_space_url(request, authority) -> str:
    """Where an authority's public space starts (its host name when it has one)."""
    for host, slug in getattr(settings, "AUTHORITY_HOSTS", {}).items():
        if slug == authority.slug:
            return f"https://{host}/"
    return f"{portal_root(request)}{authority.slug}/"


def context(request) -> dict:
    """Templates: ``space`` (the authority whose space this is, or ``None``) and ``portal_root``."""
    return {"space": current_authority(request), "portal_root": portal_root(request)}
