"""Officials finish two-factor sign-in before anything else when the setting requires it."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .two_factor import has_two_factor, two_factor_required

# Pages an official may open before finishing two-factor sign-in.
EXEMPT_NAMES = ("accounts:two-factor", "accounts:login-code", "accounts:logout")


class TwoFactorRequiredMiddleware:
    """After ``django_otp.middleware.OTPMiddleware``: an official whose session is not verified by a code goes to
    the code page (if they have an authenticator) or to set one up. Nobody else is affected."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt = None

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not self._is_exempt(request)
            and two_factor_required(request)
        ):
            target = "accounts:login-code" if has_two_factor(user) else "accounts:two-factor"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _is_exempt(self, request) -> bool:
        if self._exempt is None:
            self._exempt = tuple(reverse(name) for name in EXEMPT_NAMES)
        return request.path in self._exempt or request.path.startswith("/static/")
