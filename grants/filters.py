import django_filters
from django.utils.translation import gettext_lazy as _

from organisations.filters import AreaFilter
from organisations.models import PublicTaskArea

from .models import Offer, OpenCall

PUBLIC_STATUS_GROUPS = {
    "otwarte": [OpenCall.Status.PUBLISHED],
    "zamkniete": [OpenCall.Status.SUBMISSION_CLOSED, OpenCall.Status.FORMAL_REVIEW, OpenCall.Status.COMMISSION_REVIEW],
    "rozstrzygniete": [OpenCall.Status.DECIDED, OpenCall.Status.FINISHED],
    "uniewaznione": [OpenCall.Status.ANNULLED],
}


class PublicCallFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Etap"),
        method="filter_status",
        empty_label=_("wszystkie"),
        choices=[
            ("otwarte", _("nabór trwa")),
            ("zamkniete", _("nabór zakończony – ocena")),
            ("rozstrzygniete", _("rozstrzygnięte")),
            ("uniewaznione", _("unieważnione")),
        ],
    )
    area = AreaFilter(
        field_name="task_areas",
        queryset=PublicTaskArea.objects.all(),
        label=_("Sfera"),
        empty_label=_("wszystkie sfery"),
    )

    class Meta:
        model = OpenCall
        fields = ["status", "area"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(status__in=PUBLIC_STATUS_GROUPS[value])


class CallOfferFilter(django_filters.FilterSet):
    """Filters of the staff call dashboard."""

    status = django_filters.ChoiceFilter(choices=Offer.Status.choices, label=_("Status"), empty_label=_("wszystkie"))
    q = django_filters.CharFilter(label=_("Oferent lub tytuł"), method="filter_q")

    class Meta:
        model = Offer
        fields = ["status", "q"]

    def filter_q(self, queryset, name, value):
        from organisations.search import search_key

        return queryset.filter(organisation__search_name__contains=search_key(value)) | queryset.filter(
            title__icontains=value
        )
