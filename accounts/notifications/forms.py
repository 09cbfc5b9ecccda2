from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import PublicTaskArea

from .models import Notification


class PreferencesForm(forms.Form):
    email = forms.ChoiceField(
        label=_("Kopie powiadomień wysyłane e-mailem"),
        choices=[
            (Notification.Email.IMMEDIATE, _("od razu – każde powiadomienie w osobnej wiadomości")),
            (Notification.Email.DIGEST, _("raz dziennie – jedno zestawienie wszystkich powiadomień z dnia")),
        ],
        widget=forms.RadioSelect,
    )


class SubscriptionForm(forms.Form):
    email = forms.EmailField(label=_("Adres e-mail"), max_length=254)
    calls = forms.BooleanField(label=_("nowe otwarte konkursy ofert"), required=False, initial=True)
    consultations = forms.BooleanField(label=_("nowe konsultacje"), required=False, initial=True)
    areas = forms.ModelMultipleChoiceField(
        label=_("Sfery zadań publicznych (art. 4 ust. 1 ustawy)"),
        queryset=PublicTaskArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Bez zaznaczenia – wszystkie sfery."),
    )
    # Left empty by people; filled by bots that fill every field.
    website = forms.CharField(required=False, label=_("Strona internetowa (nie wypełniaj)"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean(self):
        data = super().clean()
        if not data.get("calls") and not data.get("consultations"):
            self.add_error("calls", _("Zaznacz konkursy, konsultacje albo oba."))
        return data
