"""A page of a list whose rows are wide joins: the page's ids are chosen first, then only those rows are read.

Sorting and cutting a page out of a query that joins four or five tables makes PostgreSQL join every row before
the sort; ordering the bare ids (joining only what the order and the filters need) and then reading the page's
rows by id keeps the wide join at one page whatever the list's length (README, "Query plans"). The ids come with
the length of the whole list (``COUNT(*) OVER ()``), so the list's filters and joins run once, not once for the
count and again for the page."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window


def _requested(number) -> int:
    """The page asked for as ``Paginator.validate_number`` reads it; 1 for anything that is not a whole number."""
    try:
        if isinstance(number, float) and not number.is_integer():
            raise ValueError
        return int(number)
    except (TypeError, ValueError):
        return 1


def _ids_and_count(queryset: QuerySet, number: int, per_page: int) -> tuple[list, int | None]:
    bottom = (number - 1) * per_page
    found = list(
        queryset.annotate(list_length=Window(Count("pk"))).values_list("pk", "list_length")[bottom : bottom + per_page]
    )
    return [pk for pk, _ in found], (found[0][1] if found else None)


def page_by_ids(queryset: QuerySet, per_page: int, number, rows: QuerySet | None = None) -> Page:
    """``Paginator(queryset, per_page).get_page(number)`` with the same rows in the same order, in two narrow steps
    (one query more only for a page past the end, which shows the last page as ``get_page`` does).

    ``rows``, if given, is a ``values()`` query with ``"pk"`` that the page's rows are read from instead, as dicts
    (what a long table shows, without a model instance for every joined table of every row)."""
    paginator = Paginator(queryset.values_list("pk", flat=True), per_page)
    number = _requested(number)
    # A number no list reaches (its offset would not fit the database's integers) is past the end, as for get_page.
    reachable = number >= 1 and (number - 1) * per_page < 2**62
    ids, count = _ids_and_count(queryset, number, per_page) if reachable else ([], None)
    if count is None:  # an empty list, or a page before the first or past the last one
        number = paginator.num_pages  # counts
        if paginator.count:
            ids, count = _ids_and_count(queryset, number, per_page)
    else:
        paginator.count = count  # what Paginator would ask the database for
    page = paginator.page(number)
    if rows is None:
        found = queryset.order_by().in_bulk(ids)
    else:
        found = {row["pk"]: row for row in rows.order_by().filter(pk__in=ids)} if ids else {}
    page.object_list = [found[pk] for pk in ids]
    return page
