"""Pages of two-factor sign-in: setting up the authenticator, the code step of signing in, backup codes."""

import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token

from . import two_factor
from .reauth import reauthentication_required

PENDING_KEY = "two_factor_pending"
PENDING_SECONDS = 5 * 60
MAX_CODE_ATTEMPTS = 5


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Kod z aplikacji albo kod zapasowy",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].replace(" ", "").strip()


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if allowed else fallback


def begin_code_step(request, user, next_url: str):
    """Called by the login page once the password is right for someone with an authenticator: nobody is signed
    in yet; the code page finishes the sign-in within five minutes."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "at": int(time.time()),
        "attempts": 0,
    }
    return redirect("accounts:login-code")


@require_http_methods(["GET", "POST"])
def login_code(request):
    """The second step of signing in (or of verifying a session that started without a code)."""
    pending = request.session.get(PENDING_KEY)
    if request.user.is_authenticated:
        user, next_url = request.user, _safe_next(request, reverse("accounts:home"))
        if request.user.is_verified():
            return redirect(next_url)
    elif pending and time.time() - pending["at"] <= PENDING_SECONDS:
        user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
        next_url = pending["next"]
        if user is None:
            return redirect("accounts:login")
    else:
        request.session.pop(PENDING_KEY, None)
        messages.info(request, "Zaloguj się ponownie: kod trzeba podać w ciągu 5 minut od wpisania hasła.")
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            if not request.user.is_authenticated:
                request.session.pop(PENDING_KEY, None)
                login(request, user, backend=pending["backend"])
            otp_login(request, device)
            if device.persistent_id.startswith("otp_static"):
                messages.warning(request, "Użyto kodu zapasowego – każdy działa tylko raz. Sprawdź, ile zostało.")
            return redirect(next_url)
        form.add_error("code", "Nieprawidłowy kod. Wpisz sześć cyfr, które aplikacja pokazuje teraz.")
        if pending and not request.user.is_authenticated:
            pending["attempts"] += 1
            if pending["attempts"] >= MAX_CODE_ATTEMPTS:
                request.session.pop(PENDING_KEY, None)
                messages.error(request, "Zbyt wiele błędnych kodów. Zaloguj się ponownie.")
                return redirect("accounts:login")
            request.session[PENDING_KEY] = pending
    return render(request, "accounts/login_code.html", {"form": form, "next": next_url})


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Status of two-factor sign-in; without an authenticator, the QR code to scan and the first code to type."""
    user = request.user
    required = two_factor.two_factor_required(request)
    if two_factor.has_two_factor(user) and request.method == "GET":
        return render(
            request,
            "accounts/two_factor.html",
            {"enabled": True, "required": required, "codes_left": len(two_factor.backup_codes(user))},
        )
    device = two_factor.pending_app_device(user)
    form = CodeForm(request.POST or None)
    form.fields["code"].label = "Kod z aplikacji (sześć cyfr)"
    if request.method == "POST" and form.is_valid():
        codes = two_factor.two_factor_confirm(user=user, device=device, token=form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            request.session["fresh_backup_codes"] = True
            messages.success(request, "Logowanie dwuetapowe jest włączone.")
            return redirect("accounts:two-factor-backup-codes")
        form.add_error("code", "Ten kod się nie zgadza. Sprawdź, czy zegar telefonu jest dokładny, i wpisz nowy kod.")
    context = {
        "enabled": False,
        "required": required,
        "form": form,
        "qr": two_factor.qr_svg(device),
        "secret": two_factor.secret_for_typing(device),
        "issuer": settings.OTP_TOTP_ISSUER,
        "next": _safe_next(request, ""),
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@reauthentication_required
def backup_codes(request):
    if not two_factor.has_two_factor(request.user):
        return redirect("accounts:two-factor")
    if request.method == "POST":
        two_factor.backup_codes_renew(user=request.user)
        messages.success(request, "Wygenerowano nowe kody zapasowe; poprzednie przestały działać.")
        return redirect("accounts:two-factor-backup-codes")
    fresh = request.session.pop("fresh_backup_codes", False)
    return render(
        request, "accounts/backup_codes.html", {"codes": two_factor.backup_codes(request.user), "fresh": fresh}
    )


@login_required
@require_POST
@reauthentication_required
def disable(request):
    if two_factor.two_factor_required(request):
        raise PermissionDenied
    two_factor.two_factor_disable(user=request.user)
    messages.success(request, "Logowanie dwuetapowe jest wyłączone.")
    return redirect("accounts:two-factor")
