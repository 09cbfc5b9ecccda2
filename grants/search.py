"""The office's one search box: organisations (name, NIP, KRS, REGON), calls, offers (receipt numbers, titles),
small grants and agreements, each kind in its own group, only what the person's authorities hold.

One query per group whatever the data (each group limited to ``LIMIT`` rows, one more to know there are more).
Text is matched in any word order without diacritics (``organisations.search``); numbers (receipt, call and
agreement numbers) by the part typed.
"""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from organisations.models import Organisation
from organisations.search import identifier_digits, identifier_q, text_q
from programmes.permissions import managed_authority_ids

from .models import Agreement, Offer, OfferVersion, OpenCall

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


def _take_by_ids(queryset, group: Group, *related: str) -> Group:
    """``_take`` for a wide join: the ids of the rows shown first (joining only what the filter and the order need),
    then those rows by id alone with their ``related`` objects. A word common in organisations' names matched some
    hundred offers, each joined with its version, call and organisation before the sort (README, "Query plans")."""
    ids = list(queryset.values_list("pk", flat=True)[: LIMIT + 1])
    found = queryset.model.objects.select_related(*related).in_bulk(ids[:LIMIT])
    group.rows, group.more = [found[pk] for pk in ids[:LIMIT]], len(ids) > LIMIT
    return group


def _restrict(queryset, ids, *lookups):
    if ids is None:
        return queryset
    condition = Q()
    for lookup in lookups:
        condition |= Q(**{f"{lookup}__in": ids})
    return queryset.filter(condition)


def _text_or_number(text: str, title: str, *numbers: str) -> Q:
    """The title by its words, or any of the number fields by the part typed."""
    cleaned = text.strip()
    condition = Q()
    for number in numbers:
        condition |= Q(**{f"{number}__icontains": cleaned})
    word_q = text_q(title, cleaned)
    if word_q is not None:
        condition |= word_q
    return condition


def _matching_organisations(text: str, digits: str | None):
    """Organisations whose name has every word of ``text`` (the full-text index), or with this KRS, NIP or REGON."""
    condition = Q(pk__in=[])
    if (word_q := text_q("name", text, key_field="search_name")) is not None:
        condition |= word_q
    if digits:
        condition |= identifier_q(digits)
    return Organisation.objects.filter(condition).values("pk")


def _matching_pks(model, text: str, number_q: Q, organisations) -> QuerySet:
    """Ids of ``model`` rows found by title, number or organisation, as a UNION of three queries.

    One query with the three conditions joined by OR made PostgreSQL read every row of the table and of the
    organisations (and compute each title's text vector) for every search; each part of the UNION uses its own
    index (README, "Query plans")."""
    parts = [model.objects.filter(number_q), model.objects.filter(organisation__in=organisations)]
    if (word_q := text_q("title", text)) is not None:
        parts.append(model.objects.filter(word_q))
    first, *rest = [part.order_by().values("pk") for part in parts]
    return first.union(*rest)


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

    digits = identifier_digits(text)
    organisations = _matching_organisations(text, digits)
    cleaned = text.strip()
    receipts = OfferVersion.objects.filter(receipt_number__icontains=cleaned).values("offer_id")
    offers = _restrict(
        Offer.objects.exclude(status=Offer.Status.DRAFT), ids, "call__authority_id", "direct__authority_id"
    )
    offers = offers.filter(pk__in=_matching_pks(Offer, text, Q(pk__in=receipts), organisations)).order_by(
        "-created_at", "-pk"
    )
    groups.append(
        _take_by_ids(offers, Group("offers", "Oferty i małe granty"), "organisation", "call", "current_version")
    )

    agreements = _restrict(Agreement.objects.all(), ids, "authority_id")
    agreements = agreements.filter(pk__in=_matching_pks(Agreement, text, Q(number__icontains=cleaned), organisations))
    agreements = agreements.select_related("organisation").order_by("-start_date", "number")
    groups.append(_take(agreements, Group("agreements", "Umowy")))
    return groups
