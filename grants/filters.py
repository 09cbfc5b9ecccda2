import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisations.filters import AreaFilter
from organisations.models import PublicTaskArea

from .models import Agreement, GrantReport, Offer, OpenCall

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


# --- staff lists: a year and a status on every list (and an export that follows them) ---------------------------


def year_choices():
    """The years a list can be narrowed to: five back, one ahead (a call for next year is prepared in autumn)."""
    from django.utils import timezone

    this_year = timezone.localdate().year
    return [(str(year), str(year)) for year in range(this_year + 1, this_year - 6, -1)]


class YearFilter(django_filters.ChoiceFilter):
    """``?rok=2026``: the rows of that year (each list says which date makes the year)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Rok"))
        kwargs.setdefault("empty_label", _("wszystkie lata"))
        super().__init__(*args, choices=year_choices, **kwargs)


class StaffCallFilter(django_filters.FilterSet):
    """The office's calls: the year the task is carried out in, the stage."""

    rok = YearFilter(field_name="delivery_start__year", label=_("Rok realizacji"))
    status = django_filters.ChoiceFilter(choices=OpenCall.Status.choices, label=_("Status"), empty_label=_("wszystkie"))

    class Meta:
        model = OpenCall
        fields = ["rok", "status"]


class AgreementFilter(django_filters.FilterSet):
    """The office's agreements: the year the task starts in, the agreement's state, the call (or art. 19a)."""

    rok = YearFilter(field_name="start_date__year", label=_("Rok realizacji"))
    status = django_filters.ChoiceFilter(
        choices=Agreement.Status.choices, label=_("Status umowy"), empty_label=_("wszystkie")
    )

    class Meta:
        model = Agreement
        fields = ["rok", "status"]


class GrantReportFilter(django_filters.FilterSet):
    """The reports list (one row per agreement): the agreement's year and status, the state of its reports."""

    rok = YearFilter(field_name="start_date__year", label=_("Rok realizacji"))
    status = django_filters.ChoiceFilter(
        choices=Agreement.Status.choices, label=_("Status umowy"), empty_label=_("wszystkie")
    )
    sprawozdanie = django_filters.ChoiceFilter(
        label=_("Sprawozdanie"),
        method="filter_report",
        empty_label=_("wszystkie"),
        choices=[("brak", _("nie rozpoczęte")), *GrantReport.Status.choices],
    )

    class Meta:
        model = Agreement
        fields = ["rok", "status", "sprawozdanie"]

    def filter_report(self, queryset, name, value):
        if value == "brak":
            return queryset.filter(grant_reports__isnull=True)
        return queryset.filter(grant_reports__status=value).distinct()


SMALL_GRANT_STAGES = {
    "do-publikacji": Q(kind=Offer.Kind.SMALL_GRANT, publication__isnull=True) & ~Q(status=Offer.Status.DRAFT),
    "opublikowane": Q(publication__isnull=False, award__isnull=True),
    "przyznane": Q(award__status="granted"),
    "odmowy": Q(award__status="refused"),
    "art-12": Q(kind=Offer.Kind.OWN_INITIATIVE),
    "wycofane": Q(status=Offer.Status.WITHDRAWN),
}


class SmallGrantFilter(django_filters.FilterSet):
    """The office's small grants and art. 12 offers: budget year, stage."""

    rok = YearFilter(label=_("Rok budżetowy"), method="filter_year")
    etap = django_filters.ChoiceFilter(
        label=_("Etap"),
        method="filter_stage",
        empty_label=_("wszystkie"),
        choices=[
            ("do-publikacji", _("czekają na publikację")),
            ("opublikowane", _("opublikowane, bez rozstrzygnięcia")),
            ("przyznane", _("dotacja przyznana")),
            ("odmowy", _("odmowa")),
            ("art-12", _("z własnej inicjatywy (art. 12)")),
            ("wycofane", _("wycofane")),
        ],
    )

    class Meta:
        model = Offer
        fields = ["rok", "etap"]

    def filter_year(self, queryset, name, value):
        # The budget year is fixed at publication; until then it is the year the task starts.
        return queryset.filter(Q(direct__year=value) | Q(direct__year__isnull=True, start_date__year=value))

    def filter_stage(self, queryset, name, value):
        return queryset.filter(SMALL_GRANT_STAGES[value])
