import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from config.forms import PolishIntegerField
from config.territory import normalise_name

from .models import Invitation, LegalForm, Organisation, PublicTaskArea
from .services import ADMIN_FIELDS, duplicate_registration_errors
from .validators import normalise_bank_account, normalise_krs, normalise_nip, normalise_regon

POSTAL_CODE = re.compile(r"^\d{2}-\d{3}$")

# Art. 3 ust. 3a and art. 20: these entities cannot hold public-benefit (OPP) status.
NO_OPP_FORMS = {LegalForm.SOCIAL_COOPERATIVE, LegalForm.LOCAL_GOVERNMENT_ASSOCIATION, LegalForm.RURAL_HOUSEWIVES_CIRCLE}


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: PublicTaskArea) -> str:
        return f"{obj.code}) {obj.short_text}"


class OrganisationForm(forms.ModelForm):
    areas = AreaChoiceField(
        queryset=PublicTaskArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Sfery działalności pożytku publicznego (art. 4 ust. 1 ustawy)"),
        error_messages={"required": _("Zaznacz co najmniej jedną sferę, w której organizacja działa statutowo.")},
    )

    website = forms.URLField(label=_("Strona internetowa"), required=False, assume_scheme="https")
    # People type registry numbers with spaces and dashes; the length is checked after normalising.
    krs = forms.CharField(label=_("Numer KRS"), required=False, max_length=40)
    nip = forms.CharField(label=_("NIP"), required=False, max_length=40)
    regon = forms.CharField(label=_("REGON"), required=False, max_length=40)
    bank_account = forms.CharField(label=_("Numer rachunku bankowego"), required=False, max_length=60)
    # The manner of representation: how many of the representatives sign together (empty: each alone).
    joint_representation = PolishIntegerField(
        label=_("Ile osób podpisuje łącznie"),
        required=False,
        min_value=1,
        max_value=9,
        help_text=Organisation._meta.get_field("joint_representation").help_text,
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "legal_form",
            "krs",
            "other_register",
            "nip",
            "regon",
            "street",
            "postal_code",
            "city",
            "email",
            "phone",
            "website",
            "bank_account",
            "representatives",
            "joint_representation",
            "is_opp",
            "opp_since",
            "areas",
            "statutory_activity",
            "seat_municipality",
            "seat_county",
            "seat_voivodeship",
            "authorities",
        ]
        widgets = {
            "authorities": forms.CheckboxSelectMultiple,
            "opp_since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "statutory_activity": forms.Textarea(attrs={"rows": 5}),
            "representatives": forms.Textarea(attrs={"rows": 2}),
            "postal_code": forms.TextInput(attrs={"placeholder": "00-000", "inputmode": "numeric"}),
            "krs": forms.TextInput(attrs={"inputmode": "numeric"}),
            "nip": forms.TextInput(attrs={"inputmode": "numeric"}),
            "regon": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        help_texts = {
            "krs": _("10 cyfr. Wymagany dla fundacji, stowarzyszeń, spółdzielni socjalnych i spółek."),
            "bank_account": _("26 cyfr; na ten rachunek urząd przekaże dotację."),
        }

    def __init__(self, *args, admin: bool = True, register_button: bool = False, **kwargs):
        """``admin=False`` (an editor): bank account, e-mail and representatives are not offered.

        ``register_button``: a "fetch from KRS" button under the KRS number (registration)."""
        super().__init__(*args, **kwargs)
        if not admin:
            for name in ADMIN_FIELDS:
                del self.fields[name]
        # The seat decides which authority's registry figures count the organisation (config/territory.py).
        for name in ("seat_municipality", "seat_county", "seat_voivodeship"):
            self.fields[name].required = True
        authorities = self.fields["authorities"].queryset.order_by("name")
        if len(authorities) < 2:
            # One authority on the installation: nothing to choose.
            del self.fields["authorities"]
        else:
            self.fields["authorities"].queryset = authorities
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Dane rejestrowe"),
                "name",
                "legal_form",
                Div(Div("krs", css_class="col-md-4"), Div("other_register", css_class="col-md-8"), css_class="row"),
                *(
                    [
                        HTML(
                            '<p class="mb-3"><button type="submit" name="action" value="krs" formnovalidate '
                            'class="btn btn-outline-primary btn-sm">Pobierz dane z KRS</button> '
                            '<span class="form-text">Uzupełni puste pola danymi z Krajowego Rejestru Sądowego i '
                            "pokaże, czym wpisane dane różnią się od rejestru. Nic nie zostanie zapisane.</span></p>"
                        )
                    ]
                    if register_button
                    else []
                ),
                Div(Div("nip", css_class="col-md-4"), Div("regon", css_class="col-md-4"), css_class="row"),
            ),
            Fieldset(
                _("Adres i kontakt"),
                "street",
                Div(Div("postal_code", css_class="col-md-3"), Div("city", css_class="col-md-9"), css_class="row"),
                Div(
                    *(Div(name, css_class="col-md-6") for name in ("email", "phone") if name in self.fields),
                    css_class="row",
                ),
                *(
                    name
                    for name in ("website", "bank_account", "representatives", "joint_representation")
                    if name in self.fields
                ),
            ),
            Fieldset(
                _("Siedziba i urzędy, z którymi organizacja współpracuje"),
                Div(
                    Div("seat_municipality", css_class="col-md-4"),
                    Div("seat_county", css_class="col-md-4"),
                    Div("seat_voivodeship", css_class="col-md-4"),
                    css_class="row",
                ),
                *(["authorities"] if "authorities" in self.fields else []),
            ),
            Fieldset(
                _("Status i działalność"),
                Div(Div("is_opp", css_class="col-md-6"), Div("opp_since", css_class="col-md-6"), css_class="row"),
                Div("areas", css_class="area-checkboxes mb-3"),
                "statutory_activity",
            ),
        )

    def _normalised(self, field: str, normalise) -> str:
        value = self.cleaned_data.get(field, "")
        return normalise(value) if value else ""

    def clean_joint_representation(self) -> int:
        return self.cleaned_data.get("joint_representation") or 1

    def clean_krs(self) -> str:
        return self._normalised("krs", normalise_krs)

    def clean_nip(self) -> str:
        return self._normalised("nip", normalise_nip)

    def clean_regon(self) -> str:
        return self._normalised("regon", normalise_regon)

    def clean_bank_account(self) -> str:
        return self._normalised("bank_account", normalise_bank_account)

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"].strip()
        if not POSTAL_CODE.match(value):
            raise ValidationError(_("Kod pocztowy ma postać 00-000."))
        return value

    def validate_unique(self) -> None:
        # KRS and NIP clashes get a message that says whom to contact (see clean()).
        pass

    def clean(self):
        cleaned = super().clean()
        legal_form = cleaned.get("legal_form")
        if legal_form in LegalForm.requiring_krs() and not cleaned.get("krs") and "krs" not in self.errors:
            self.add_error("krs", _("Ta forma prawna jest wpisana do KRS – podaj numer KRS."))
        needs_other_register = legal_form and legal_form not in LegalForm.requiring_krs()
        if needs_other_register and not cleaned.get("krs") and not cleaned.get("other_register"):
            self.add_error(
                "other_register",
                _("Podaj numer KRS albo nazwę i numer innej ewidencji, w której jest organizacja."),
            )
        if cleaned.get("is_opp"):
            if legal_form in NO_OPP_FORMS:
                self.add_error("is_opp", _("Ta forma prawna nie może mieć statusu organizacji pożytku publicznego."))
            if not cleaned.get("opp_since") and "opp_since" not in self.errors:
                self.add_error("opp_since", _("Podaj datę wpisu statusu OPP do KRS."))
        elif cleaned.get("opp_since"):
            self.add_error("opp_since", _("Datę podaj tylko wtedy, gdy organizacja ma status OPP."))
        duplicates = duplicate_registration_errors(
            krs=cleaned.get("krs", ""), nip=cleaned.get("nip", ""), exclude_pk=self.instance.pk
        )
        for field, message in duplicates.items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def clean_seat_municipality(self) -> str:
        return normalise_name(self.cleaned_data.get("seat_municipality", ""))

    def clean_seat_county(self) -> str:
        return normalise_name(self.cleaned_data.get("seat_county", ""))

    def service_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name not in ("areas", "authorities")}

    def authorities(self):
        """The authorities ticked, or ``None`` when the form does not ask (one authority on the installation)."""
        return self.cleaned_data.get("authorities") if "authorities" in self.fields else None


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "role"]
        labels = {"email": _("Adres e-mail osoby zapraszanej")}
        help_texts = {
            "role": _("Administrator zarządza danymi i członkami konta; redaktor przygotowuje oferty i sprawozdania.")
        }

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class VerificationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decyzja"),
        widget=forms.RadioSelect,
        choices=[
            ("verify", _("Dane zgodne z rejestrem – zweryfikuj")),
            ("reject", _("Dane niezgodne – odrzuć z uwagami")),
        ],
        error_messages={"required": _("Wybierz: zweryfikuj albo odrzuć.")},
    )
    note = forms.CharField(
        label=_("Uwagi urzędu"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Przy odrzuceniu obowiązkowe: co się nie zgadza i co organizacja ma poprawić."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("note", "").strip():
            self.add_error("note", _("Napisz, co się nie zgadza i co organizacja ma poprawić."))
        return cleaned
