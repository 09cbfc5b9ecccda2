"""A page of a list whose rows are wide joins: the page's ids are chosen first, then only those rows are read.

Sorting and cutting a page out of a query that joins four or five tables makes PostgreSQL join every row before
the sort; ordering the bare ids (joining only what the order and the filters need) and then reading the page's
rows by id keeps the wide join at one page whatever the list's length (README, "Query plans")."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def page_by_ids(queryset: QuerySet, per_page: int, number, rows: QuerySet | None = None) -> Page:
    """``Paginator(queryset, per_page).get_page(number)`` with the same rows in the same order, in two narrow steps.

    ``rows``, if given, is a ``values()`` query with ``"pk"`` that the page's rows are read from instead, as dicts
    (what a long table shows, without a model instance for every joined table of every row)."""
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    if rows is None:
        found = queryset.order_by().in_bulk(ids)
    else:
        found = {row["pk"]: row for row in rows.order_by().filter(pk__in=ids)} if ids else {}
    page.object_list = [found[pk] for pk in ids]
    return page
