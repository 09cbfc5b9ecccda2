import django_filters
from django.utils.translation import gettext_lazy as _

from grants.filters import YearFilter

from .models import Consultation


class StaffConsultationFilter(django_filters.FilterSet):
    """The office's consultations: the year they started, their stage."""

    rok = YearFilter(field_name="starts_at__year", label=_("Rok"))
    status = django_filters.ChoiceFilter(
        choices=Consultation.Status.choices, label=_("Status"), empty_label=_("wszystkie")
    )

    class Meta:
        model = Consultation
        fields = ["rok", "status"]
