from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import services
from .lockout import normalise_email
from .models import User


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Adres e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )

    error_messages = {
        "invalid_login": _("Nieprawidłowy adres e-mail lub hasło. Wielkość liter w haśle ma znaczenie."),
        "inactive": _("To konto nie jest jeszcze aktywne – kliknij link z wiadomości potwierdzającej adres e-mail."),
    }


class SignUpForm(forms.Form):
    """Not a ModelForm: a taken address must not be reported (the service handles it without telling)."""

    first_name = forms.CharField(
        label=_("Imię"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Nazwisko"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(label=_("Adres e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(
        label=_("Hasło"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Co najmniej 10 znaków; nie same cyfry i nie popularne hasło."),
    )
    password2 = forms.CharField(
        label=_("Powtórz hasło"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    privacy_accepted = forms.BooleanField(
        label=_("Zapoznałem(-am) się z klauzulą informacyjną o przetwarzaniu danych osobowych."),
        error_messages={"required": _("Zaznacz, że znasz klauzulę informacyjną – bez tego nie założymy konta.")},
    )

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Hasła nie są takie same."))
        if p1:
            candidate = User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Also reaches an account that signed up but never confirmed: setting a password from the link proves
    the mailbox as well as the confirmation link would. Deactivated accounts still get nothing."""

    def get_users(self, email):
        candidates = User.objects.filter(email=normalise_email(email)).filter(
            Q(is_active=True) | Q(email_confirmed_at__isnull=True)
        )
        return (user for user in candidates if user.has_usable_password())


class SetPasswordForm(auth_forms.SetPasswordForm):
    """The new password from a reset link; an unconfirmed account is confirmed by it."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit and user.awaits_confirmation:
            services.user_confirm_email(user=user)
        return user
