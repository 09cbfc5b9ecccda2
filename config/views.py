"""Portal-wide pages: the landing page, the accessibility statement and Polish error pages."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from config.tenancy import authority_space_url, current_authority
from organisations.models import Organisation
from programmes.models import Authority, Programme

from .home import public_home


def home(request):
    """The public front page: open calls, consultations and small grants taking comments, the latest results; with
    more than one authority it lists them too. Inside an authority's space (config/tenancy.py) the home is the
    authority's own."""
    if current_authority(request) is not None:
        return authority_home(request, current_authority(request))
    authorities = list(Authority.objects.order_by("name").only("pk", "name", "slug", "kind", "city", "bip_url"))
    context = {
        "authority": authorities[0] if len(authorities) == 1 else None,
        "authorities": [(a, authority_space_url(request, a)) for a in authorities] if len(authorities) > 1 else [],
        "organisation_count": Organisation.objects.active().count(),
        **public_home(),
    }
    return render(request, "home.html", context)


def authority_home(request, authority):
    """An authority's public space: its programmes, calls, small grants, consultations and year-end reports."""
    from consultations.models import Consultation
    from grants.models import Offer, OpenCall
    from reports.models import AnnualReport

    programmes = list(Programme.objects.public().filter(authority=authority).order_by("-year_from")[:5])
    context = {
        "authority": authority,
        "programmes": programmes,
        "calls": list(OpenCall.objects.for_public_list().filter(authority=authority)[:10]),
        "small_grants": list(
            Offer.objects.filter(kind=Offer.Kind.SMALL_GRANT, publication__isnull=False, direct__authority=authority)
            .select_related("organisation", "publication", "current_version")
            .order_by("-publication__published_at")[:5]
        ),
        "consultations": list(Consultation.objects.public().filter(authority=authority).order_by("-starts_at")[:5]),
        "reports": list(
            AnnualReport.objects.filter(programme__in=programmes, published_at__isnull=False).select_related(
                "programme"
            )
        ),
        "organisation_count": Organisation.objects.active().in_territory_of(authority).count(),
    }
    return render(request, "authority_home.html", context)


def _the_authority(request):
    return current_authority(request) or Authority.objects.the_only_one()


def accessibility_statement(request):
    return render(request, "accessibility.html", {"authority": _the_authority(request)})


def privacy(request):
    return render(request, "privacy.html", {"authority": _the_authority(request)})


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@requires_csrf_token
def server_error(request):
    # No context processors: the database may be the reason for the error.
    return HttpResponseServerError(loader.get_template("errors/500.html").render({}))
