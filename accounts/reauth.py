"""Re-authentication before sensitive acts: changing a bank account, deciding awards, publishing results,
signing. The person must have typed their password (or a two-factor code) within the last
``settings.REAUTHENTICATION_MAX_AGE`` seconds; signing in counts.

``@reauthentication_required`` guards a function view (``ReauthenticationRequiredMixin`` a class-based one).
Only unsafe requests (POST) are guarded, and a stale one is not lost: the page asking for the password carries
everything that was posted in hidden fields and posts it back to the same address with the password, so the
act is carried out in the same step once the password is right.
"""

import time
from functools import wraps

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import render
from django_otp import match_token

from .two_factor import has_two_factor

SESSION_KEY = "reauthenticated_at"
PASSWORD_FIELD = "reauth_password"  # noqa: S105 - a field name
CODE_FIELD = "reauth_code"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def mark_reauthenticated(request) -> None:
    request.session[SESSION_KEY] = int(time.time())


@receiver(user_logged_in)
def _signed_in_just_now(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_reauthenticated(request)


def recently_authenticated(request) -> bool:
    at = request.session.get(SESSION_KEY)
    return at is not None and time.time() - at <= settings.REAUTHENTICATION_MAX_AGE


def _check(request) -> str | None:
    """Verify the password or code posted with the act; return an error message, or ``None`` when it is right."""
    password = request.POST.get(PASSWORD_FIELD, "")
    code = request.POST.get(CODE_FIELD, "").replace(" ", "")
    if not password and not code:
        return None if PASSWORD_FIELD not in request.POST else "Wpisz hasło albo kod z aplikacji."
    user = request.user
    if password:
        # Through the backends, so that django-axes counts wrong passwords and locks out as on the login page.
        verified = authenticate(request, username=user.email, password=password)
        if verified is None or verified.pk != user.pk:
            return "Nieprawidłowe hasło."
    elif match_token(user, code) is None:
        return "Nieprawidłowy kod."
    mark_reauthenticated(request)
    return None


def _without_reauth_fields(request):
    data = request.POST.copy()
    for field in (PASSWORD_FIELD, CODE_FIELD):
        data.pop(field, None)
    data._mutable = False
    return data


def _ask(request, error: str | None):
    replay = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in (PASSWORD_FIELD, CODE_FIELD)
        for value in values
    ]
    context = {
        "replay": replay,
        "error": error,
        "offer_code": has_two_factor(request.user),
        "minutes": settings.REAUTHENTICATION_MAX_AGE // 60,
        "action": request.get_full_path(),
    }
    return render(request, "accounts/reauth.html", context, status=403 if error else 200)


def guard(request, proceed):
    """Run ``proceed()`` if the person authenticated recently (or just now, with the posted password)."""
    if request.method in SAFE_METHODS or not request.user.is_authenticated:
        return proceed()
    if PASSWORD_FIELD in request.POST or CODE_FIELD in request.POST:
        error = _check(request)
        if error is None and recently_authenticated(request):
            request.POST = _without_reauth_fields(request)
            return proceed()
        return _ask(request, error or "Wpisz hasło albo kod z aplikacji.")
    if recently_authenticated(request):
        return proceed()
    return _ask(request, None)


def reauthentication_required(view=None, *, when=None):
    """Guard a view; ``when(request, *args, **kwargs)`` (the view's own arguments) narrows it to some of the
    view's POSTs (one action of several, or a change of one field)."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            def proceed():
                return view(request, *args, **kwargs)

            if when is not None and request.method not in SAFE_METHODS and not when(request, *args, **kwargs):
                return proceed()
            return guard(request, proceed)

        return wrapped

    return decorate(view) if view is not None else decorate


class ReauthenticationRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        return guard(request, lambda: super(ReauthenticationRequiredMixin, self).dispatch(request, *args, **kwargs))
