"""The commission's ranking of a call's offers: mean scores, places, proposed amounts against the call's funds.

``call_ranking(call)`` is the one entry point (the ranking page, the protocol and the decision page use it).
Its interface is stable:

    ranking = call_ranking(call)
    ranking.rows            # list[RankingRow], best first (ties share a place; unscored offers last)
    ranking.funds_total     # Decimal: the call's money (sum of its budget allocations)
    ranking.proposed_total  # Decimal: sum of proposed amounts of eligible rows
    ranking.commission      # Commission | None
    ranking.min_score       # Decimal: the commission's threshold (0 without a commission)

Each ``RankingRow`` has: ``offer`` (with ``organisation``, ``current_version`` – without its frozen ``data`` – and
``award`` loaded), ``organisation_name``, ``title``, ``requested`` (the current version's grant amount),
``mean_score`` (Decimal with 2 places, or ``None`` without counted cards), ``cards_counted``, ``cards_expected``
(voting members), ``eligible`` (mean ≥ min_score), ``place`` (1-based, ties share a place), ``tie``,
``proposed_amount`` (the Award's proposed amount if set, else the mean of the voting members' proposals, else the
request; never above the request), ``running_total`` (eligible rows only, in rank order) and ``within_funds``.

Rows are the call's offers that passed the formal review. Queries: four (five for a call read without
``with_funds``), whatever the number of offers.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count

from .models import Commission, Offer, OpenCall, Score, ScoreCard
from .services.scoring import scorable_offers

CENT = Decimal("0.01")


@dataclass(frozen=True)
class RankingRow:
    offer: Offer
    organisation_name: str
    title: str
    requested: Decimal
    mean_score: Decimal | None
    cards_counted: int
    cards_expected: int
    eligible: bool
    place: int | None
    tie: bool
    proposed_amount: Decimal
    running_total: Decimal | None
    within_funds: bool

    @property
    def award(self):
        return getattr(self.offer, "award", None)

    @property
    def is_lower(self) -> bool:
        return self.proposed_amount < self.requested


@dataclass(frozen=True)
class Ranking:
    call: OpenCall
    commission: Commission | None
    rows: list[RankingRow]
    funds_total: Decimal
    proposed_total: Decimal
    min_score: Decimal

    @property
    def eligible_rows(self) -> list[RankingRow]:
        return [row for row in self.rows if row.eligible]

    @property
    def remaining(self) -> Decimal:
        return self.funds_total - self.proposed_total


def _quantize(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def criterion_means(counted) -> dict[tuple[int, int], Decimal]:
    """Mean points per (offer id, criterion id) over the given counted cards (one query)."""
    return {
        (row["card__offer_id"], row["criterion_id"]): row["mean"]
        for row in Score.objects.filter(card__in=counted)
        .order_by()
        .values("card__offer_id", "criterion_id")
        .annotate(mean=Avg("points"))
    }


def call_ranking(call: OpenCall) -> Ranking:
    funds = getattr(call, "funds_total", None)
    if funds is None:
        funds = OpenCall.objects.with_funds().get(pk=call.pk).funds_total
    commission = Commission.objects.select_related("protocol_signed_by").filter(call=call).first()
    min_score = commission.min_score if commission else Decimal("0")
    expected = commission.members.voting().count() if commission else 0
    offers = list(
        scorable_offers(call)
        .select_related("organisation", "current_version", "award")
        .defer("current_version__data")  # the frozen offer (≈ 3 kB of JSON a row); the ranking reads its amount
        .order_by("organisation__name", "pk")
    )
    stats = {
        row["offer_id"]: row
        for row in ScoreCard.objects.counted()
        .filter(offer__call=call)
        .order_by()
        .values("offer_id")
        .annotate(mean=Avg("total"), count=Count("pk"), proposal=Avg("proposed_amount"))
    }
    scored = []
    for offer in offers:
        stat = stats.get(offer.pk, {})
        requested = offer.current_version.grant_amount if offer.current_version else Decimal("0")
        award = getattr(offer, "award", None)
        if award is not None and award.proposed_amount is not None:
            proposed = award.proposed_amount
        elif stat.get("proposal") is not None:
            proposed = _quantize(stat["proposal"])
        else:
            proposed = requested
        scored.append((offer, requested, _quantize(stat.get("mean")), stat.get("count", 0), min(proposed, requested)))
    # Best mean first; offers without counted cards last; ties in name order.
    scored.sort(key=lambda item: (item[2] is None, -(item[2] or 0)))
    means = [item[2] for item in scored if item[2] is not None]
    rows, running, proposed_total = [], Decimal("0"), Decimal("0")
    for offer, requested, mean, count, proposed in scored:
        place = None if mean is None else 1 + sum(1 for other in means if other > mean)
        eligible = mean is not None and commission is not None and mean >= min_score
        total = None
        if eligible:
            running += proposed
            proposed_total += proposed
            total = running
        rows.append(
            RankingRow(
                offer=offer,
                organisation_name=offer.organisation.name,
                title=offer.title,
                requested=requested,
                mean_score=mean,
                cards_counted=count,
                cards_expected=expected,
                eligible=eligible,
                place=place,
                tie=mean is not None and means.count(mean) > 1,
                proposed_amount=proposed,
                running_total=total,
                within_funds=eligible and total <= funds,
            )
        )
    return Ranking(
        call=call,
        commission=commission,
        rows=rows,
        funds_total=funds,
        proposed_total=proposed_total,
        min_score=min_score,
    )
