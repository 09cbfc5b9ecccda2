"""Portal-wide pages: the landing page, the accessibility statement and Polish error pages."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from organisations.models import Organisation
from programmes.models import Authority

from .home import public_home


def home(request):
    """The public front page: open calls, consultations and small grants taking comments, the latest results."""
    context = {
        "authority": Authority.objects.the_only_one(),
        "organisation_count": Organisation.objects.active().count(),
        **public_home(),
    }
    return render(request, "home.html", context)


def accessibility_statement(request):
    return render(request, "accessibility.html", {"authority": Authority.objects.the_only_one()})


def privacy(request):
    return render(request, "privacy.html", {"authority": Authority.objects.the_only_one()})


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@requires_csrf_token
def server_error(request):
    # No context processors: the database may be the reason for the error.
    return HttpResponseServerError(loader.get_template("errors/500.html").render({}))
