from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.forms import DateInput

from .models import ConsultationComment, Provision

MAX_DRAFT_UPLOAD = 2 * 1024 * 1024


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Przedmiot konsultacji"), max_length=400)
    basis_resolution = forms.CharField(
        label=_("Uchwała w sprawie sposobu konsultowania"),
        max_length=400,
        help_text=_("np. uchwała Nr LXIII/701/10 Rady Miasta Kędzierzyn-Koźle z dnia 9 listopada 2010 r."),
    )
    opening_order = forms.CharField(
        label=_("Zarządzenie o przeprowadzeniu konsultacji"),
        max_length=400,
        help_text=_("np. zarządzenie nr 64/Or/2024 Prezydenta Miasta z dnia 23 lipca 2024 r."),
    )
    start_date = forms.DateField(label=_("Pierwszy dzień konsultacji"), widget=DateInput())
    end_date = forms.DateField(
        label=_("Ostatni dzień konsultacji"),
        widget=DateInput(),
        help_text=_("Uwagi przyjmujemy do godz. 23:59:59 tego dnia (czas polski)."),
    )
    channels = forms.CharField(
        label=_("Formy konsultacji"),
        initial="formularz w portalu; e-mail; pismo złożone w urzędzie",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )
    draft_text = forms.CharField(
        label=_("Treść projektu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Rozdziały, paragrafy (§) i ustępy są numerowane automatycznie do zgłaszania uwag."),
        max_length=200000,
    )
    draft_file = forms.FileField(
        label=_("…albo plik z treścią projektu (.txt lub .md, UTF-8)"),
        required=False,
    )

    def __init__(self, *args, programme_draft: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if programme_draft is not None:
            # The draft of a programme comes from the programme itself.
            del self.fields["draft_text"], self.fields["draft_file"]
        self.programme_draft = programme_draft

    def clean_draft_file(self):
        upload = self.cleaned_data.get("draft_file")
        if not upload:
            return ""
        if upload.size > MAX_DRAFT_UPLOAD:
            raise forms.ValidationError(_("Plik jest większy niż 2 MB."))
        raw = upload.read()
        if b"\x00" in raw:
            raise forms.ValidationError(_("To nie jest plik tekstowy. Wklej treść projektu albo dodaj plik .txt."))
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Plik musi być zapisany w kodowaniu UTF-8.")) from None

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Konsultacje nie mogą skończyć się przed ich rozpoczęciem."))
        if self.programme_draft is None and not (cleaned.get("draft_text") or cleaned.get("draft_file")):
            self.add_error("draft_text", _("Wklej treść projektu albo dodaj plik z jego treścią."))
        return cleaned

    def service_data(self) -> dict:
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        return {
            "title": data["title"],
            "basis_resolution": data["basis_resolution"],
            "opening_order": data["opening_order"],
            "channels": data["channels"],
            "starts_at": datetime.combine(data["start_date"], time.min, tzinfo=zone),
            "ends_at": datetime.combine(data["end_date"], time(23, 59, 59), tzinfo=zone),
            "draft_text": self.programme_draft or data.get("draft_file") or data.get("draft_text"),
        }


class ProvisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Provision) -> str:
        return f"{obj.label}: {obj.text[:70]}{'…' if len(obj.text) > 70 else ''}"


class CommentForm(forms.ModelForm):
    provision = ProvisionChoiceField(
        queryset=Provision.objects.none(),
        required=False,
        label=_("Przepis projektu"),
        empty_label=_("uwaga ogólna do całego projektu"),
    )

    class Meta:
        model = ConsultationComment
        fields = ["organisation", "provision", "proposed_wording", "justification"]
        widgets = {
            "proposed_wording": forms.Textarea(attrs={"rows": 4}),
            "justification": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, consultation, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provision"].queryset = consultation.provisions.all()
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None


class ResponseForm(forms.Form):
    decision = forms.ChoiceField(label=_("Stanowisko"), choices=[("", "—")] + ConsultationComment.Decision.choices)
    response = forms.CharField(
        label=_("Uzasadnienie stanowiska"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class ReportForm(forms.Form):
    rdpp_opinion = forms.CharField(
        label=_("Opinia rady działalności pożytku publicznego"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Jeśli rada wydała opinię (art. 5a ust. 2a ustawy)."),
        max_length=5000,
    )
    summary = forms.CharField(
        label=_("Podsumowanie przebiegu konsultacji"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("np. liczba uczestników, spotkania, opinia rady działalności pożytku publicznego"),
        max_length=5000,
    )
