"""The office's one search box: organisations (name, NIP, KRS, REGON), calls, offers (receipt numbers, titles),
small grants and agreements, each kind in its own group, only what the person's authorities hold.

One query per group whatever the data (each group limited to ``LIMIT`` rows, one more to know there are more).
Text is matched in any word order without diacritics (``organisations.search``); numbers (receipt, call and
agreement numbers) by the part typed.

Each group is a ``config.prepared.Prepared`` query: the ORM builds and compiles it once per shape (scoped to
authorities or not and to how many, words or an identifier typed), and a request only runs it with what was
typed. Built afresh for every request, the four groups and their subqueries were about two thirds of the page's
work (README, "Region scale"). Rows are dicts, as ``values()`` names them (``{% search_rows %}`` writes them).
"""

from dataclasses import dataclass, field

from django.db.models import Q

from config.prepared import Prepared
from organisations.models import Organisation, authority_seats, dealing_q
from organisations.search import identifier_digits, identifiers_q, krs_of, terms_q, text_terms
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


def _text_or_number(text: str, terms, title: str, *numbers: str) -> Q:
    """The title by its words, or any of the number fields by the part typed."""
    condition = Q()
    for number in numbers:
        condition |= Q(**{f"{number}__icontains": text})
    word_q = terms_q(title, terms)
    if word_q is not None:
        condition |= word_q
    return condition


def _matching_organisations(terms, digits: str | None, krs: str | None):
    """Organisations whose name has every word (the full-text index), or with this KRS, NIP or REGON."""
    condition = Q(pk__in=[])
    if (word_q := terms_q("name", terms, key_field="search_name")) is not None:
        condition |= word_q
    if digits is not None:
        condition |= identifiers_q(digits, krs)
    return Organisation.objects.filter(condition).values("pk")


def _found_by(model, terms, organisations, number_q: Q) -> Q:
    """A row of ``model`` whose organisation matches, whose number matches (``number_q``) or whose title has the
    words. The title is matched as ``pk IN`` the ids its full-text index finds, not on each row: the row's text
    vector would be computed for every row of the authority (README, "Query plans")."""
    condition = Q(organisation__in=organisations) | number_q
    if (word_q := terms_q("title", terms)) is not None:
        condition |= Q(pk__in=model.objects.filter(word_q).values("pk"))
    return condition


def _first(found, model, *columns: str):
    """The first rows ``found`` gives, with ``columns`` (related ones too): their ids chosen by ``found``'s filter
    and order in a subquery, so that only those rows are joined. Joined before the ``LIMIT``, PostgreSQL hashed
    the whole organisations table (all authorities') to join the hundred-odd matching offers (README, "Query
    plans")."""
    order = found.query.order_by
    first = found.values("pk")[: LIMIT + 1]
    return model.objects.filter(pk__in=first).order_by(*order).values(*columns)[: LIMIT + 1]


# Each ``build(shape, **values)`` of a group: ``shape`` is the seats' lookups per authority (None: unscoped);
# the values those of ``_values``.
def _organisations(shape, *, authority_ids=None, seats=(), terms=None, digits=None, krs=None, **_):
    organisations = Organisation.objects.active()
    if authority_ids is not None:
        values = iter(seats)
        lookups = [{lookup: next(values) for lookup in seat} for seat in shape]
        organisations = organisations.filter(dealing_q(authority_ids, lookups))
    organisations = organisations.matching(terms, digits, krs).polish_order(sort_found=True)
    return organisations.values("pk", "name", "krs", "other_register", "nip", "regon", "city")[: LIMIT + 1]


def _calls(shape, *, text, terms=None, authority_ids=None, **_):
    calls = OpenCall.objects.filter(_text_or_number(text, terms, "title", "number"))
    if authority_ids is not None:
        calls = calls.filter(authority__in=authority_ids)
    calls = calls.order_by("-delivery_start", "number")
    return calls.values("pk", "number", "title", "delivery_start", "delivery_end", "status")[: LIMIT + 1]


def _offers(shape, *, text, terms=None, digits=None, krs=None, authority_ids=None, **_):
    receipts = OfferVersion.objects.filter(receipt_number__icontains=text).values("offer_id")
    offers = Offer.objects.exclude(status=Offer.Status.DRAFT)
    if authority_ids is not None:
        offers = offers.of_authorities(authority_ids)
    matching = _matching_organisations(terms, digits, krs)
    offers = offers.filter(_found_by(Offer, terms, matching, Q(pk__in=receipts))).order_by("-created_at", "-pk")
    columns = ("kind", "status", "title", "call_id", "organisation__name", "call__number")
    return _first(offers, Offer, "pk", *columns, "current_version__receipt_number")


def _agreements(shape, *, text, terms=None, digits=None, krs=None, authority_ids=None, **_):
    matching = _matching_organisations(terms, digits, krs)
    agreements = Agreement.objects.filter(_found_by(Agreement, terms, matching, Q(number__icontains=text)))
    if authority_ids is not None:
        agreements = agreements.filter(authority__in=authority_ids)
    agreements = agreements.order_by("-start_date", "number")
    return _first(agreements, Agreement, "pk", "number", "title", "grant_amount", "status", "organisation__name")


GROUPS = (
    ("organisations", "Organizacje", Prepared(_organisations)),
    ("calls", "Konkursy", Prepared(_calls)),
    ("offers", "Oferty i małe granty", Prepared(_offers)),
    ("agreements", "Umowy", Prepared(_agreements)),
)


def _values(text: str, authority_ids) -> tuple[tuple, dict]:
    """The shape and the values of the groups' queries for ``text`` and the person's authorities (None: all)."""
    values = {"text": text}
    if (terms := text_terms(text)) is not None:
        values["terms"] = terms
    if (digits := identifier_digits(text)) is not None:
        values["digits"] = digits
        if (krs := krs_of(digits)) is not None:
            values["krs"] = krs
    if authority_ids is None:
        return (), values
    values["authority_ids"] = sorted(authority_ids)
    seats = authority_seats(values["authority_ids"]) if values["authority_ids"] else []
    values["seats"] = [value for seat in seats for value in seat.values()]
    return tuple(tuple(seat) for seat in seats), values


def staff_search(request, text: str) -> list[Group]:
    """The groups of results for ``text`` (empty when the query is too short).

    Each group starts from the rows of the person's authorities, by the index on the authority (its calls, direct
    offers and agreements), and never reads another authority's rows (README, "Query plans"). Each group loads only
    the columns its table shows."""
    text = (text or "").strip()[:200]
    if len(text) < MIN_LENGTH:
        return []
    shape, values = _values(text, managed_authority_ids(request))
    groups = []
    for key, title, query in GROUPS:
        rows = query.rows(shape, **values)
        groups.append(Group(key, title, rows[:LIMIT], len(rows) > LIMIT))
    return groups
