"""Reads about calls that several pages share."""

from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from config.queries import sum_per_row

from .models import Agreement, Award, Offer, OpenCall


def same_type_tasks(call: OpenCall) -> list[OpenCall]:
    """Art. 13 ust. 2 pkt 7: tasks of the same type in the call's year and the year before, with their costs.

    "Same type" = a call of the same authority sharing an art. 4 area; the cost is the call's funds until its
    results are published, then the grants awarded to organisations (``awarded_total``).
    """
    # "W roku ogłoszenia otwartego konkursu ofert i w roku poprzednim": the year of the announcement.
    year = (call.last_publication or timezone.localdate()).year
    # A subquery, not a join: joining the areas would multiply the summed funds by the shared areas.
    sharing_an_area = OpenCall.objects.filter(task_areas__in=call.task_areas.all()).values("pk")
    money = DecimalField(max_digits=14, decimal_places=2)
    granted_sum = sum_per_row(Award.objects.filter(status=Award.Status.GRANTED), "call", "amount", money)
    # A call imported from earlier years has no awards in the portal: its grants are those of its agreements.
    imported_sum = sum_per_row(Agreement.objects.all(), "imported_call", "grant_amount", money)
    return list(
        OpenCall.objects.filter(
            authority=call.authority_id, delivery_start__year__in=[year - 1, year], pk__in=sharing_an_area
        )
        .exclude(pk=call.pk)
        .exclude(status__in=[OpenCall.Status.DRAFT, OpenCall.Status.ANNULLED])
        .with_funds()
        # A subquery again: a join on awards would multiply the funds by the awards.
        .annotate(awarded_total=Coalesce(granted_sum, imported_sum))
        .order_by("delivery_start", "number")
    )


def call_offer_totals(call: OpenCall) -> dict:
    """Counts and requested amounts of the call's submitted offers, for the dashboard header."""
    submitted = Offer.objects.filter(call=call).submitted()
    row = submitted.aggregate(
        count=Count("pk"),
        requested=Sum("current_version__grant_amount", default=Decimal("0")),
        accepted=Count("pk", filter=Q(status=Offer.Status.FORMALLY_ACCEPTED)),
    )
    return row


def call_results(call) -> dict:
    """Art. 15 ust. 2h: offeror, task and amount for every offer decided, with the total granted."""
    awards = list(
        Award.objects.filter(call=call)
        .exclude(status=Award.Status.PROPOSED)
        .select_related("offer__organisation")
        .order_by(F("amount").desc(nulls_last=True), "offer__organisation__search_name")
    )
    total = sum((a.amount for a in awards if a.status == Award.Status.GRANTED), start=Decimal("0"))
    return {"awards": awards, "total": total}
