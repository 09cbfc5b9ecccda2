from django import forms
from django.forms import formset_factory, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from config.forms import CheapFieldCopies, PolishDecimalField, polish_formfield, state_text_limits
from organisations.forms import AreaChoiceField
from organisations.models import Organisation, PublicTaskArea
from organisations.search import search_key
from programmes.forms import DateInput, TableRowForm
from programmes.models import BudgetLine

from ..models import CallBudgetLine, CostItem, Criterion, FormalReview, Offer, OpenCall, RequiredAttachment
from ..services.calls import deadline_errors


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M:%S", attrs={"step": "1"}, **kwargs)


class OpenCallForm(forms.ModelForm):
    task_areas = AreaChoiceField(
        queryset=PublicTaskArea.objects.all(),
        label=_("Sfery z art. 4 ust. 1 (działalność statutowa oferentów)"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = OpenCall
        fields = [
            "programme",
            "number",
            "title",
            "task_description",
            "task_areas",
            "mode",
            "award_rules",
            "delivery_terms",
            "delivery_start",
            "delivery_end",
            "selection_procedure",
            "decision_date",
            "min_grant",
            "max_grant",
            "min_own_contribution_pct",
            "admin_cost_cap_pct",
            "published_bip_on",
            "published_board_on",
            "published_website_on",
            "submission_deadline",
        ]
        formfield_callback = polish_formfield
        widgets = {
            "task_description": forms.Textarea(attrs={"rows": 4}),
            "award_rules": forms.Textarea(attrs={"rows": 3}),
            "delivery_terms": forms.Textarea(attrs={"rows": 3}),
            "selection_procedure": forms.Textarea(attrs={"rows": 3}),
            "delivery_start": DateInput(),
            "delivery_end": DateInput(),
            "decision_date": DateInput(),
            "published_bip_on": DateInput(),
            "published_board_on": DateInput(),
            "published_website_on": DateInput(),
            "submission_deadline": DateTimeInput(),
        }
        help_texts = {
            "submission_deadline": _("Co najmniej 21 dni od ostatniej publikacji ogłoszenia (art. 13 ust. 1)."),
        }

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        if self.instance.pk is None:
            self.fields["number"].required = False
            self.fields["number"].help_text = _(
                "Puste: portal nada kolejny numer według wzoru urzędu (np. OK/2027/1) przy zapisie."
            )
        self.fields["submission_deadline"].input_formats = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("submission_deadline"):
            probe = OpenCall(
                submission_deadline=cleaned["submission_deadline"],
                published_bip_on=cleaned.get("published_bip_on"),
                published_board_on=cleaned.get("published_board_on"),
                published_website_on=cleaned.get("published_website_on"),
            )
            if probe.last_publication is not None:
                for field, message in deadline_errors(probe).items():
                    self.add_error(field, message)
        start, end = cleaned.get("delivery_start"), cleaned.get("delivery_end")
        if start and end and end < start:
            self.add_error("delivery_end", _("Koniec okresu realizacji nie może poprzedzać jego początku."))
        low, high = cleaned.get("min_grant"), cleaned.get("max_grant")
        if low is not None and high is not None and high < low:
            self.add_error("max_grant", _("Kwota maksymalna nie może być niższa niż minimalna."))
        programme, number = cleaned.get("programme"), cleaned.get("number")
        if programme and number and number_taken(programme.authority_id, number, self.instance.pk):
            self.add_error("number", duplicate_number_message(number))
        return cleaned


def number_taken(authority_id: int, number: str, exclude_pk: int | None = None) -> bool:
    """Call numbers are unique per authority (a database constraint backs this up)."""
    return OpenCall.objects.filter(authority_id=authority_id, number=number).exclude(pk=exclude_pk).exists()


def duplicate_number_message(number: str) -> str:
    return f"Ten organ ma już konkurs o numerze {number} – podaj inny numer ogłoszenia."


class AllocationForm(TableRowForm):
    class Meta:
        model = CallBudgetLine
        fields = ["budget_line", "amount"]
        formfield_callback = polish_formfield

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = BudgetLine.objects.filter(programme=programme)


AllocationFormSet = inlineformset_factory(OpenCall, CallBudgetLine, form=AllocationForm, extra=1, can_delete=True)


class CriterionForm(TableRowForm):
    class Meta:
        model = Criterion
        fields = ["order", "name", "dimension", "max_points"]


CriterionFormSet = inlineformset_factory(OpenCall, Criterion, form=CriterionForm, extra=1, can_delete=True)


class RequiredAttachmentForm(TableRowForm):
    class Meta:
        model = RequiredAttachment
        fields = ["name"]


RequiredAttachmentFormSet = inlineformset_factory(
    OpenCall, RequiredAttachment, form=RequiredAttachmentForm, extra=1, can_delete=True
)


# --- the offer form ------------------------------------------------------------------------------------------

MONEY_FIELDS = ["grant_amount", "own_financial", "own_personal", "own_in_kind", "recipient_payments"]


class OfferWorkingCopyForm(CheapFieldCopies, forms.ModelForm):
    """An offer's working copy: carries the revision it was read at and gives the service the rest."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["revision"] = self.instance.revision
        state_text_limits(self)

    def service_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "revision"}


class OfferForm(OfferWorkingCopyForm):
    class Meta:
        model = Offer
        fields = [
            "contact_name",
            "contact_phone",
            "contact_email",
            "title",
            "start_date",
            "end_date",
            "synopsis",
            "results_description",
            "previous_activity",
            "resources",
            *MONEY_FIELDS,
            "payment",
            "joint_roles",
            "other_info",
            "tax_arrears",
            "social_insurance_arrears",
            "declarations_confirmed",
        ]
        formfield_callback = polish_formfield
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "synopsis": forms.Textarea(attrs={"rows": 5}),
            "results_description": forms.Textarea(attrs={"rows": 4}),
            "previous_activity": forms.Textarea(attrs={"rows": 4}),
            "resources": forms.Textarea(attrs={"rows": 4}),
            "joint_roles": forms.Textarea(attrs={"rows": 2}),
            "other_info": forms.Textarea(attrs={"rows": 3}),
            "tax_arrears": forms.RadioSelect,
            "social_insurance_arrears": forms.RadioSelect,
        }
        labels = {
            "declarations_confirmed": _(
                "Oświadczam(-my), że: 1) zadanie mieści się w zakresie działalności pożytku publicznego oferenta; "
                "2) świadczenia pieniężne pobieramy wyłącznie w ramach działalności odpłatnej; 3) dane w części II są "
                "zgodne z KRS lub inną ewidencją; 4) wszystkie informacje są prawdziwe i aktualne; 5) uzyskaliśmy "
                "zgody osób, których dane osobowe podajemy (RODO)."
            ),
            "tax_arrears": _("Oferent(-ci) wobec urzędu skarbowego"),
            "social_insurance_arrears": _("Oferent(-ci) wobec ZUS"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in MONEY_FIELDS:
            self.fields[name].widget.attrs.update({"class": "text-end", "inputmode": "decimal"})
        for name in ("tax_arrears", "social_insurance_arrears"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
            self.fields[name].required = False


class RowForm(CheapFieldCopies, forms.Form):
    """A row of the offer's tables; an untouched extra row is skipped (empty_permitted)."""

    static_rows = True  # fixed fields and choices: the table's empty row is made once ({% formset_table %})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif name in ("number", "order", "activity_number"):
                widget.attrs.setdefault("class", "form-control form-control-narrow")
            elif name in ("unit_cost", "quantity", "cost_share"):
                widget.attrs.update({"class": "form-control text-end", "inputmode": "decimal"})
            else:
                widget.attrs.setdefault("class", "form-control")


class ActivityForm(RowForm):
    number = forms.IntegerField(label=_("Lp."), min_value=1)
    name = forms.CharField(label=_("Nazwa działania"), max_length=300)
    description = forms.CharField(
        label=_("Opis"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )
    target_group = forms.CharField(label=_("Grupa docelowa"), max_length=300, required=False)
    period = forms.CharField(label=_("Planowany termin realizacji"), max_length=100, required=False)
    subcontractor = forms.CharField(
        label=_("Zakres realizowany przez podmiot niebędący stroną umowy"), max_length=300, required=False
    )


class ResultForm(RowForm):
    number = forms.IntegerField(label=_("Lp."), min_value=1)
    name = forms.CharField(label=_("Nazwa rezultatu"), max_length=300)
    target = forms.CharField(label=_("Planowany poziom osiągnięcia (wartość docelowa)"), max_length=200)
    monitoring = forms.CharField(label=_("Sposób monitorowania, źródło informacji"), max_length=300, required=False)


class CostItemForm(RowForm):
    # The initial value makes an untouched extra row count as empty (a select always posts a value).
    category = forms.ChoiceField(
        label=_("Kategoria"), choices=CostItem.Category.choices, initial=CostItem.Category.DELIVERY
    )
    activity_number = forms.IntegerField(label=_("Nr działania"), min_value=1, required=False)
    order = forms.IntegerField(label=_("Lp."), min_value=1)
    name = forms.CharField(label=_("Rodzaj kosztu"), max_length=300)
    unit = forms.CharField(label=_("Rodzaj miary"), max_length=50)
    unit_cost = PolishDecimalField(label=_("Koszt jednostkowy [zł]"), max_digits=14, decimal_places=2, min_value=0)
    quantity = PolishDecimalField(label=_("Liczba jednostek"), max_digits=10, decimal_places=2, min_value=0)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("category") == CostItem.Category.DELIVERY and not cleaned.get("activity_number"):
            self.add_error("activity_number", _("Koszt realizacji działań wskazuje numer działania z III.4."))
        if cleaned.get("category") == CostItem.Category.ADMIN:
            cleaned["activity_number"] = None
        return cleaned


class PartnerForm(RowForm):
    identifier = forms.CharField(label=_("KRS lub NIP partnera"), max_length=20)
    cost_share = PolishDecimalField(
        label=_("Koszty po stronie partnera (V.C) [zł]"), max_digits=14, decimal_places=2, min_value=0
    )

    def clean_identifier(self):
        compact = search_key(self.cleaned_data["identifier"]).replace("-", "").replace(" ", "")
        organisation = (
            Organisation.objects.filter(krs=compact).first() or Organisation.objects.filter(nip=compact).first()
        )
        if organisation is None:
            raise forms.ValidationError(
                _("Nie ma w portalu organizacji o tym numerze KRS ani NIP. Partner oferty wspólnej musi mieć konto.")
            )
        self.cleaned_data["organisation"] = organisation
        return self.cleaned_data["identifier"]


# "Usuń" removes a row on the next save; new rows are added on the page (static/js/formset.js).
ActivityFormSet = formset_factory(ActivityForm, extra=1, can_delete=True)
ResultFormSet = formset_factory(ResultForm, extra=1, can_delete=True)
CostItemFormSet = formset_factory(CostItemForm, extra=1, can_delete=True)
PartnerFormSet = formset_factory(PartnerForm, extra=1, can_delete=True)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Plik (PDF, JPG lub PNG, do 10 MB)"))
    required = forms.ModelChoiceField(
        queryset=RequiredAttachment.objects.none(),
        required=False,
        label=_("Który to załącznik?"),
        empty_label=_("inny załącznik"),
    )

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        if call is not None:
            self.fields["required"].queryset = call.required_attachments.order_by("pk")  # no join: one call's


class FormalReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Wynik oceny formalnej"), choices=FormalReview.Outcome.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("Uzasadnienie / braki do uzupełnienia"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    deadline = forms.DateTimeField(
        label=_("Termin uzupełnienia braków"),
        required=False,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in FormalReview.CHECKLIST:
            self.fields[f"check_{key}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"note_{key}"] = forms.CharField(
                label=_("Dlaczego nie potwierdzono"), required=False, max_length=500
            )

    def checklist(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(f"check_{key}")) for key, _label in FormalReview.CHECKLIST}

    def unconfirmed_reasons(self) -> dict[str, str]:
        return {
            key: self.cleaned_data.get(f"note_{key}", "").strip()
            for key, _label in FormalReview.CHECKLIST
            if self.cleaned_data.get(f"note_{key}", "").strip()
        }

    def items(self):
        """(checkbox, reason field) per checklist item, for the template."""
        return [(self[f"check_{key}"], self[f"note_{key}"]) for key, _label in FormalReview.CHECKLIST]
