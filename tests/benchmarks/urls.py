"""The portal's URLs plus a bare Django view: the floor the real pages are compared with."""

from django.http import HttpResponse
from django.urls import include, path


def floor(request, size: int):
    """No database, no template: the cheapest Django can answer with a page of ``size`` bytes."""
    return HttpResponse("x" * size, content_type="text/html; charset=utf-8")


urlpatterns = [path("__floor__/<int:size>/", floor), path("", include("config.urls"))]
