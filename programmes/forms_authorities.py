"""Forms of an authority's settings page, the superuser's new-authority page and the staff pages."""

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import AuthorityStaff, StaffInvitation
from config.tenancy import RESERVED_SLUGS

from .models import Authority
from .services_authorities import SETTINGS_FIELDS

MAX_LOGO_BYTES = 512 * 1024
LOGO_TYPES = {"image/png", "image/jpeg"}


class AuthoritySettingsForm(forms.ModelForm):
    bip_url = forms.URLField(label=_("Adres BIP"), required=False, assume_scheme="https")
    website = forms.URLField(label=_("Strona internetowa"), required=False, assume_scheme="https")

    class Meta:
        model = Authority
        fields = list(SETTINGS_FIELDS)
        widgets = {
            "default_representatives": forms.Textarea(attrs={"rows": 2}),
            "agreement_clauses": forms.Textarea(attrs={"rows": 5}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
        }
        help_texts = {"logo": _("PNG lub JPG, do 512 KB; pokazywany na stronie jednostki w portalu.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The territory decides which organisations the registry figures of the reports count.
        self.fields["territory_voivodeship"].required = True

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or not hasattr(logo, "content_type"):  # unchanged or cleared
            return logo
        if logo.size > MAX_LOGO_BYTES:
            raise ValidationError(_("Plik jest za duży: dopuszczalne 512 KB."))
        head = logo.read(2048)
        logo.seek(0)
        kind = filetype.guess(head)
        if kind is None or kind.mime not in LOGO_TYPES:
            raise ValidationError(_("Herb lub logo musi być plikiem PNG albo JPG (sprawdzamy zawartość pliku)."))
        return logo

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in ("urban", "urban_rural", "rural") and not cleaned.get("territory_municipality"):
            self.add_error("territory_municipality", _("Gmina: podaj nazwę gminy, której obszar obejmuje."))
        if kind in ("urban", "urban_rural", "rural", "city_county", "county") and not cleaned.get("territory_county"):
            self.add_error("territory_county", _("Podaj nazwę powiatu, na którego obszarze leży jednostka."))
        return cleaned


class AuthorityCreateForm(AuthoritySettingsForm):
    first_admin_email = forms.EmailField(
        label=_("E-mail pierwszego administratora jednostki"),
        required=False,
        help_text=_("Dostanie zaproszenie; jako administrator jednostki zaprosi pozostałych pracowników urzędu."),
    )

    class Meta(AuthoritySettingsForm.Meta):
        fields = ["slug", *SETTINGS_FIELDS]
        help_texts = {
            **AuthoritySettingsForm.Meta.help_texts,
            "slug": _(
                "Adres strony jednostki w portalu: /skrót/, np. powiat-kozielski. Małe litery, cyfry i łączniki."
            ),
        }

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip().lower()
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("Ten skrót jest zajęty przez stronę portalu – wybierz inny."))
        return slug


class StaffInviteForm(forms.ModelForm):
    class Meta:
        model = StaffInvitation
        fields = ["email", "job_title", "can_decide", "is_admin"]
        labels = {"email": _("Adres e-mail osoby zapraszanej")}
        help_texts = {
            "can_decide": _("Upoważnienie organu wykonawczego do rozstrzygania konkursów i małych grantów."),
            "is_admin": _("Zmienia dane jednostki, zaprasza pracowników i nadaje uprawnienia."),
        }

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class StaffRightsForm(forms.ModelForm):
    class Meta:
        model = AuthorityStaff
        fields = ["job_title", "can_decide", "is_admin"]
