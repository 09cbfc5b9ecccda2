"""Forms of small grants (art. 19a) and own-initiative offers (art. 12), for NGOs, staff and anyone commenting."""

from decimal import Decimal

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from config.forms import PolishDecimalField, polish_formfield, state_text_limits
from programmes.forms import DateInput

from ..models import CostItem, Offer, OwnInitiativeAssessment, PublicComment
from . import offers as offer_forms

# What the open-call form asks for and these shorter forms leave out.
OPEN_CALL_ONLY = {"grant_amount", "previous_activity", "resources", "payment", "joint_roles", "other_info"}
# An own-initiative offer (art. 12) is a proposal: who to ask, what task and why.
OWN_INITIATIVE_FIELDS = {"contact_name", "contact_phone", "contact_email", "title", "synopsis"}


class DirectOfferStartForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Rodzaj oferty"),
        widget=forms.RadioSelect,
        choices=[
            (Offer.Kind.SMALL_GRANT, _("mała dotacja z pominięciem konkursu (art. 19a): do 10 000 zł, do 90 dni")),
            (Offer.Kind.OWN_INITIATIVE, _("oferta z własnej inicjatywy (art. 12): propozycja zadania dla urzędu")),
        ],
    )
    organisation = forms.TypedChoiceField(label=_("W imieniu organizacji"), coerce=int)
    authority = forms.ModelChoiceField(label=_("Adresat oferty"), queryset=None, empty_label=None)

    def __init__(self, *args, organisations, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["authority"].queryset = authorities


class SimplifiedOfferForm(offer_forms.OfferWorkingCopyForm):
    """The working copy of a simplified (art. 19a) or own-initiative (art. 12) offer; the grant is summed from costs."""

    class Meta:
        model = Offer
        fields = [name for name in offer_forms.OfferForm.Meta.fields if name not in OPEN_CALL_ONLY]
        formfield_callback = polish_formfield
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "synopsis": forms.Textarea(attrs={"rows": 4}),
            "results_description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "synopsis": _("Syntetyczny opis zadania (zakres rzeczowy)"),
            "declarations_confirmed": _("Składam oświadczenia z części V oferty (wzór Dz.U. 2018 poz. 2055)"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.kind == Offer.Kind.OWN_INITIATIVE:
            for name in self._meta.fields:
                if name not in OWN_INITIATIVE_FIELDS:
                    del self.fields[name]
            self.fields["synopsis"].label = _("Opis zadania publicznego")
            self.fields["synopsis"].help_text = _("Co, dla kogo, gdzie i dlaczego warto to zrobić (art. 12 ust. 1).")
            state_text_limits(self, only=["synopsis"])


class SimplifiedCostForm(forms.Form):
    """One line of the cost estimate; in a small grant it says how much of it the grant covers."""

    name = forms.CharField(label=_("Rodzaj kosztu"), max_length=300)
    unit = forms.CharField(label=_("Rodzaj miary"), max_length=50)
    unit_cost = PolishDecimalField(label=_("Koszt jednostkowy [zł]"), max_digits=14, decimal_places=2, min_value=0)
    quantity = PolishDecimalField(label=_("Liczba jednostek"), max_digits=10, decimal_places=2, min_value=0)
    from_grant = PolishDecimalField(
        label=_("W tym z dotacji [zł]"), max_digits=14, decimal_places=2, min_value=0, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


CostFormSet = formset_factory(SimplifiedCostForm, extra=2, can_delete=True)


def cost_rows(formset, small_grant: bool) -> list[dict]:
    """The cost lines to save from a valid formset: filled in, not removed; all in category I, numbered."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not form.has_changed() or not data or data.get("DELETE"):
            continue
        rows.append(
            {
                "category": CostItem.Category.DELIVERY,
                "activity_number": None,
                "order": len(rows) + 1,
                "name": data["name"],
                "unit": data["unit"],
                "unit_cost": data["unit_cost"],
                "quantity": data["quantity"],
                "from_grant": (data.get("from_grant") or Decimal("0")) if small_grant else None,
            }
        )
    return rows


class PublicCommentForm(forms.ModelForm):
    # A field people never see (hidden with CSS and from assistive technology): bots fill it in.
    website = forms.CharField(required=False, label=_("Strona internetowa (nie wypełniaj)"), max_length=200)

    class Meta:
        model = PublicComment
        fields = ["name", "email", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["email"].help_text = _("Nie publikujemy go; urząd może odpowiedzieć na ten adres.")

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class ConsiderationForm(forms.Form):
    comment = forms.IntegerField(widget=forms.HiddenInput)
    consideration = forms.CharField(
        label=_("Sposób rozpatrzenia uwagi"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class AwardForm(forms.Form):
    amount = PolishDecimalField(label=_("Przyznana kwota dotacji [zł]"), max_digits=14, decimal_places=2, min_value=0)


class RefusalForm(forms.Form):
    reasons = forms.CharField(label=_("Uzasadnienie odmowy"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label=_("Uzasadnienie odwołania"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class AppealDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("Rozstrzygnięcie"),
        coerce=lambda value: value == "1",
        choices=[("1", _("odwołanie uwzględnione – ponowna decyzja")), ("0", _("odwołanie nieuwzględnione"))],
        widget=forms.RadioSelect,
    )
    decision = forms.CharField(label=_("Stanowisko"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = OwnInitiativeAssessment
        fields = ["outcome", "commissioning_mode", "planned_call_date", "reasons"]
        widgets = {
            "outcome": forms.RadioSelect,
            "planned_call_date": DateInput(),
            "reasons": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "reasons": _(
                "Zgodność z priorytetami programu, jakość oferty, dostępne środki, korzyści (art. 12 ust. 2)."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = OwnInitiativeAssessment.Outcome.choices  # radios without an empty choice
