"""Automatic numbers of calls and agreements, per authority and year, by the authority's pattern.

``number_next`` locks the authority's row, so two calls (or agreements) saved at the same moment never get the same
number: the second waits for the first to commit and then reads its counter. A number already taken (typed by hand,
or made by an earlier pattern) is skipped. The database's unique constraints (authority, number) back this up.
"""

from django.db import transaction

from config.numbering import format_number
from programmes.models import Authority

from ..models import Agreement, NumberSequence, OpenCall

MODELS = {NumberSequence.Kind.CALL: OpenCall, NumberSequence.Kind.AGREEMENT: Agreement}


def pattern_of(authority: Authority, kind: str) -> str:
    return authority.call_number_pattern if kind == NumberSequence.Kind.CALL else authority.agreement_number_pattern


@transaction.atomic
def number_next(*, authority: Authority, kind: str, year: int) -> str:
    """Take the next free number of ``kind`` for ``authority`` in ``year`` (call inside the saving transaction)."""
    authority = Authority.objects.select_for_update().get(pk=authority.pk)
    sequence, _created = NumberSequence.objects.select_for_update().get_or_create(
        authority=authority, kind=kind, year=year
    )
    n, number = _free(authority, kind, year, sequence.last)
    sequence.last = n
    sequence.save(update_fields=["last"])
    return number


def number_preview(*, authority: Authority, kind: str, year: int) -> str:
    """The number the next one would get (shown on the form; not reserved)."""
    sequence = NumberSequence.objects.filter(authority=authority, kind=kind, year=year).first()
    return _free(authority, kind, year, sequence.last if sequence else 0)[1]


def _free(authority: Authority, kind: str, year: int, last: int) -> tuple[int, str]:
    """The first number after ``last`` that the authority has not used yet (two queries at most)."""
    pattern = pattern_of(authority, kind)
    taken = set(MODELS[kind].objects.filter(authority=authority).values_list("number", flat=True))
    n = last + 1
    while (number := format_number(pattern, year=year, n=n)) in taken:
        n += 1
    return n, number
