import django_filters
from django.utils.translation import gettext_lazy as _

from .models import LegalForm, Organisation, PublicTaskArea


class AreaSelectField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj: PublicTaskArea) -> str:
        return f"{obj.code}) {obj.short_text}"


class AreaFilter(django_filters.ModelChoiceFilter):
    field_class = AreaSelectField


class DirectoryFilter(django_filters.FilterSet):
    """Filters of the public organisation directory (baza organizacji)."""

    q = django_filters.CharFilter(label=_("Nazwa, KRS lub NIP"), method="filter_name")
    area = AreaFilter(
        field_name="areas",
        queryset=PublicTaskArea.objects.all(),
        label=_("Sfera działalności"),
        empty_label=_("wszystkie sfery"),
    )
    legal_form = django_filters.ChoiceFilter(
        choices=LegalForm.choices, label=_("Forma prawna"), empty_label=_("wszystkie formy")
    )
    opp = django_filters.ChoiceFilter(
        field_name="is_opp",
        choices=[("1", _("tylko OPP")), ("0", _("bez statusu OPP"))],
        label=_("Status OPP"),
        empty_label=_("wszystkie"),
        method="filter_opp",
    )

    class Meta:
        model = Organisation
        fields = ["q", "area", "legal_form", "opp"]

    @property
    def searches_text(self) -> bool:
        """A name, KRS or NIP was typed (and the filters are valid)."""
        return self.is_bound and self.is_valid() and bool(self.form.cleaned_data.get("q"))

    def filter_name(self, queryset, name, value):
        return queryset.search(value).polish_order(sort_found=True)

    def filter_opp(self, queryset, name, value):
        return queryset.filter(is_opp=value == "1")
