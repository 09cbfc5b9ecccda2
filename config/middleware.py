"""Refuse an oversized request before anything reads its body."""

from django.conf import settings
from django.http import HttpResponse
from django.template import loader


class RequestSizeLimitMiddleware:
    """``Content-Length`` above ``MAX_REQUEST_BYTES`` gets 413 at once, so a 200 MB upload is never read
    (Django would otherwise spool it to disk before any form could check the file's size)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            # Rendered without context processors: nothing about the visitor is needed (nor read) here.
            body = loader.get_template("errors/413.html").render({"limit_mb": settings.MAX_REQUEST_BYTES // 2**20})
            response = HttpResponse(body, status=413)
            response["Connection"] = "close"
            return response
        return self.get_response(request)
