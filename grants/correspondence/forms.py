from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import PlausibleDateField

from .services import MAX_FILES, MAX_TEXT


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); each is checked by content in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Treść wiadomości"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_TEXT,
        help_text=_("Najwyżej %(count)s znaków.") % {"count": MAX_TEXT},
    )
    files = MultipleFileField(
        label=_("Załączniki (PDF, JPG lub PNG, do 10 MB każdy)"),
        required=False,
        help_text=_("Najwyżej %(count)s plików.") % {"count": MAX_FILES},
    )


class OfficeMessageForm(MessageForm):
    official_request = forms.BooleanField(
        label=_("To jest wezwanie urzędu (organizacja ma odpowiedzieć w terminie)"), required=False
    )
    response_deadline = PlausibleDateField(label=_("Termin odpowiedzi"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("official_request") and not data.get("response_deadline"):
            self.add_error("response_deadline", _("Podaj termin odpowiedzi na wezwanie."))
        return data
