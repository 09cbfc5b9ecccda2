import django_filters
from django.utils.translation import gettext_lazy as _

from grants.filters import YearFilter

from .models import Programme


class StaffProgrammeFilter(django_filters.FilterSet):
    """The office's programmes: those in force in a year (a multi-year one in each of its years), the stage."""

    rok = YearFilter(label=_("Rok"), method="filter_year")
    status = django_filters.ChoiceFilter(
        choices=Programme.Status.choices, label=_("Status"), empty_label=_("wszystkie")
    )

    class Meta:
        model = Programme
        fields = ["rok", "status"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(year_from__lte=value, year_to__gte=value)
