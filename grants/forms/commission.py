"""Forms of the commission: rules, appointments, impartiality declaration, score card, proposed amounts."""

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import PolishDecimalField
from organisations.models import Organisation

from ..models import Commission, CommissionMember, ImpartialityDeclaration


class CommissionRulesForm(forms.ModelForm):
    min_score = PolishDecimalField(
        label=_("Minimalna średnia ocena uprawniająca do dotacji (pkt)"), min_value=0, max_digits=6, decimal_places=2
    )

    class Meta:
        model = Commission
        fields = ["min_authority_members", "max_ngo_members", "max_exclusions", "min_score"]
        labels = {
            "min_authority_members": _("Minimalna liczba przedstawicieli organu"),
            "max_ngo_members": _("Maksymalna liczba osób wskazanych przez organizacje"),
            "max_exclusions": _("Liczba wyłączeń, po której komisja wymaga nowego składu"),
        }


class AppointForm(forms.Form):
    email = forms.EmailField(
        label=_("Adres e-mail"),
        help_text=_(
            "Jeśli osoba ma konto w portalu, zostanie odnaleziona po adresie; jeśli nie – dostanie zaproszenie."
        ),
    )
    first_name = forms.CharField(label=_("Imię (dla nowej osoby)"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nazwisko (dla nowej osoby)"), max_length=150, required=False)
    capacity = forms.ChoiceField(label=_("Funkcja w komisji"), choices=CommissionMember.Capacity.choices)
    nominated_by = forms.ModelChoiceField(
        label=_("Organizacja wskazująca (dla osób zgłoszonych przez organizacje)"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    is_chair = forms.BooleanField(label=_("Przewodniczący komisji"), required=False)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominated_by"].queryset = (
            organisations if organisations is not None else Organisation.objects.active().order_by("name")
        )


class ChairForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Nowy przewodniczący"), queryset=CommissionMember.objects.none())

    def __init__(self, *args, commission=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            commission.members.active().filter(capacity=CommissionMember.Capacity.AUTHORITY).select_related("user")
        )
        self.fields["member"].label_from_instance = lambda m: m.user.get_full_name() or m.user.email


class ExcludeForm(forms.Form):
    reason = forms.CharField(label=_("Przyczyna wyłączenia"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class DeclarationForm(forms.Form):
    grounds = forms.MultipleChoiceField(
        label=_("Zaznacz przesłanki, które Cię dotyczą (jeśli żadna – nie zaznaczaj nic)"),
        choices=ImpartialityDeclaration.GROUNDS,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
    )
    explanation = forms.CharField(
        label=_("Wyjaśnienie (wymagane przy innych okolicznościach)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    confirm = forms.BooleanField(
        label=_(
            "Oświadczam, że powyższe informacje są zgodne z prawdą, i zobowiązuję się do zachowania w tajemnicy "
            "informacji o ofertach do czasu ogłoszenia wyników."
        ),
        error_messages={"required": _("Potwierdź oświadczenie.")},
    )


class ScoreCardForm(forms.Form):
    """Points and justification per criterion of the call, overall remarks and an optional lower amount."""

    remarks = forms.CharField(
        label=_("Uwagi i uzasadnienie oceny"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Trafia do protokołu i – bez nazwiska – do oferenta po ogłoszeniu wyników."),
        max_length=5000,
    )
    proposed_amount = PolishDecimalField(
        label=_("Proponowana niższa kwota dotacji (zł, opcjonalnie)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )

    def __init__(self, *args, criteria, card, **kwargs):
        scores = {score.criterion_id: score for score in card.scores.all()}
        initial = {"remarks": card.remarks, "proposed_amount": card.proposed_amount}
        for criterion in criteria:
            score = scores.get(criterion.pk)
            if score is not None:
                initial[f"points_{criterion.pk}"] = score.points
                initial[f"justification_{criterion.pk}"] = score.justification
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"points_{criterion.pk}"] = PolishDecimalField(
                label=_("Punkty (0–%(max)s)") % {"max": criterion.max_points},
                required=False,
                min_value=0,
                max_value=criterion.max_points,
                max_digits=6,
                decimal_places=2,
                error_messages={
                    "max_value": _("Liczba punktów od 0 do %(max)s.") % {"max": criterion.max_points},
                    "min_value": _("Liczba punktów od 0 do %(max)s.") % {"max": criterion.max_points},
                },
            )
            self.fields[f"justification_{criterion.pk}"] = forms.CharField(
                label=_("Uzasadnienie"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
            )
        if card.status == card.Status.SUBMITTED:
            for field in self.fields.values():
                field.disabled = True

    def rows(self):
        return [
            (criterion, self[f"points_{criterion.pk}"], self[f"justification_{criterion.pk}"])
            for criterion in self.criteria
        ]

    def points(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"points_{c.pk}") for c in self.criteria}

    def justifications(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"justification_{c.pk}", "") for c in self.criteria}


class ProposalForm(forms.Form):
    """One amount per ranked offer: ``amount_<offer id>``."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"amount_{row.offer.pk}"] = PolishDecimalField(
                label=_("Proponowana kwota dla: %(title)s") % {"title": row.title},
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                initial=row.proposed_amount,
            )

    def amounts(self) -> dict:
        return {row.offer.pk: self.cleaned_data.get(f"amount_{row.offer.pk}") for row in self.rows}

    def field_for(self, row):
        return self[f"amount_{row.offer.pk}"]
