"""The office's one search box: organisations (name, NIP, KRS, REGON), calls, offers (receipt numbers, titles),
small grants and agreements, each kind in its own group, only what the person's authorities hold.

One query per group whatever the data (each group limited to ``LIMIT`` rows, one more to know there are more).
Text is matched in any word order without diacritics (``organisations.search``); numbers (receipt, call and
agreement numbers) by the part typed.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from config.queries import ids_in
from organisations.models import Organisation
from organisations.search import identifier_digits, identifier_q, text_q
from programmes.permissions import managed_authority_ids

from .models import Agreement, DirectOffer, Offer, OfferVersion, OpenCall

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


def _take_joined(found, rows, group: Group) -> Group:
    """``_take`` for rows shown with their related objects (``rows``): the first rows' ids chosen by ``found``'s
    filter and order in a subquery, so that only those rows are joined. Joined before the ``LIMIT``, PostgreSQL
    hashed the whole organisations table (all authorities') to join the hundred-odd matching offers (README,
    "Query plans")."""
    first = found.values("pk")[: LIMIT + 1]
    return _take(rows.filter(pk__in=first).order_by(*found.query.order_by), group)


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


def _found_by(model, text: str, organisations, number_q: Q | None = None) -> Q:
    """A row of ``model`` whose organisation matches, whose number matches (``number_q``) or whose title has the
    words. The title is matched as ``pk IN`` the ids its full-text index finds, not on each row: the row's text
    vector would be computed for every row of the authority (README, "Query plans")."""
    condition = Q(organisation__in=organisations)
    if number_q is not None:
        condition |= number_q
    if (word_q := text_q("title", text)) is not None:
        condition |= Q(pk__in=model.objects.filter(word_q).values("pk"))
    return condition


def staff_search(request, text: str) -> list[Group]:
    """The groups of results for ``text`` (empty when the query is too short).

    Each group starts from the rows of the person's authorities, by the index on the authority (its calls, direct
    offers and agreements), and never reads another authority's rows (README, "Query plans"). Each group loads only
    the columns its table shows."""
    text = (text or "").strip()[:200]
    if len(text) < MIN_LENGTH:
        return []
    ids = managed_authority_ids(request)
    groups = []

    organisations = Organisation.objects.active()
    if ids is not None:
        organisations = organisations.dealing_with(ids)
    organisations = organisations.search(text).only("name", "krs", "other_register", "nip", "regon", "city")
    groups.append(_take(organisations.polish_order(sort_found=True), Group("organisations", "Organizacje")))

    calls = OpenCall.objects.filter(_text_or_number(text, "title", "number"))
    if ids is not None:
        calls = calls.filter(authority__in=ids)
    calls = calls.only("number", "title", "delivery_start", "delivery_end", "status")
    groups.append(_take(calls.order_by("-delivery_start", "number"), Group("calls", "Konkursy")))

    matching = _matching_organisations(text, identifier_digits(text))
    receipts = OfferVersion.objects.filter(receipt_number__icontains=text).values("offer_id")
    offers = Offer.objects.exclude(status=Offer.Status.DRAFT)
    if ids is not None:
        own_calls = OpenCall.objects.filter(authority__in=ids).values("pk")
        own_direct = DirectOffer.objects.filter(authority__in=ids).values("offer_id")
        offers = offers.filter(Q(ids_in("call_id", own_calls)) | Q(ids_in("pk", own_direct)))
    offers = offers.filter(_found_by(Offer, text, matching, Q(pk__in=receipts))).order_by("-created_at", "-pk")
    rows = Offer.objects.select_related("organisation", "call", "current_version").only(
        "kind", "status", "title", "organisation__name", "call__number", "current_version__receipt_number"
    )
    groups.append(_take_joined(offers, rows, Group("offers", "Oferty i małe granty")))

    agreements = Agreement.objects.filter(_found_by(Agreement, text, matching, Q(number__icontains=text)))
    if ids is not None:
        agreements = agreements.filter(authority__in=ids)
    rows = Agreement.objects.select_related("organisation").only(
        "number", "title", "grant_amount", "status", "organisation__name"
    )
    groups.append(_take_joined(agreements.order_by("-start_date", "number"), rows, Group("agreements", "Umowy")))
    return groups
