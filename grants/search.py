"""The office's one search box: organisations (name, NIP, KRS, REGON), calls, offers (receipt numbers, titles),
small grants and agreements, each kind in its own group, only what the person's authorities hold.

One query per group whatever the data (each group limited to ``LIMIT`` rows, one more to know there are more).
Text is matched in any word order without diacritics (``organisations.search``); numbers (receipt, call and
agreement numbers) by the part typed.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from organisations.models import Organisation
from organisations.search import identifier_digits, identifier_q, text_q
from programmes.permissions import managed_authority_ids

from .models import Agreement, Offer, OpenCall

LIMIT = 20
MIN_LENGTH = 2


@dataclass
class Group:
    key: str
    title: str
    rows: list = field(default_factory=list)
    more: bool = False


def _take(queryset, group: Group) -> Group:
    rows = list(queryset[: LIMIT + 1])
    group.rows, group.more = rows[:LIMIT], len(rows) > LIMIT
    return group


def _restrict(queryset, ids, *lookups):
    if ids is None:
        return queryset
    condition = Q()
    for lookup in lookups:
        condition |= Q(**{f"{lookup}__in": ids})
    return queryset.filter(condition)


def _text_or_number(text: str, title: str, *numbers: str, organisation: bool = False) -> Q:
    """The title by its words (and the organisation's name, for offers and agreements), or any of the number
    fields by the part typed."""
    cleaned = text.strip()
    condition = Q()
    for number in numbers:
        condition |= Q(**{f"{number}__icontains": cleaned})
    words = [text_q(title, cleaned)]
    if organisation:
        words.append(text_q("organisation__name", cleaned, key_field="organisation__search_name"))
    for word_q in words:
        if word_q is not None:
            condition |= word_q
    return condition


def staff_search(request, text: str) -> list[Group]:
    """The groups of results for ``text`` (empty when the query is too short)."""
    text = (text or "").strip()[:200]
    if len(text) < MIN_LENGTH:
        return []
    ids = managed_authority_ids(request)
    groups = []

    organisations = Organisation.objects.active()
    if ids is not None:
        organisations = organisations.dealing_with(ids)
    groups.append(_take(organisations.search(text).polish_order(), Group("organisations", "Organizacje")))

    calls = _restrict(OpenCall.objects.all(), ids, "authority_id")
    calls = calls.filter(_text_or_number(text, "title", "number")).order_by("-delivery_start", "number")
    groups.append(_take(calls, Group("calls", "Konkursy")))

    offers = _restrict(
        Offer.objects.exclude(status=Offer.Status.DRAFT), ids, "call__authority_id", "direct__authority_id"
    )
    digits = identifier_digits(text)
    offer_q = _text_or_number(text, "title", "versions__receipt_number", organisation=True)
    if digits:
        offer_q |= identifier_q(digits, "organisation__")
    offers = (
        offers.filter(pk__in=offers.filter(offer_q).values("pk"))
        .select_related("organisation", "call", "current_version")
        .order_by("-created_at", "-pk")
    )
    groups.append(_take(offers, Group("offers", "Oferty i małe granty")))

    agreement_q = _text_or_number(text, "title", "number", organisation=True)
    if digits:
        agreement_q |= identifier_q(digits, "organisation__")
    agreements = _restrict(Agreement.objects.all(), ids, "authority_id").filter(agreement_q)
    agreements = agreements.select_related("organisation").order_by("-start_date", "number")
    groups.append(_take(agreements, Group("agreements", "Umowy")))
    return groups
