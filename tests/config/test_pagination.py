"""``page_by_ids`` gives what ``Paginator.get_page`` gives, in fewer and narrower queries."""

import pytest
from django.core.paginator import Paginator

from config.pagination import page_by_ids
from organisations.models import Organisation
from tests.helpers import count_queries
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _same(queryset, number, per_page=3):
    expected = Paginator(queryset, per_page).get_page(number)
    got = page_by_ids(queryset, per_page, number)
    assert (got.number, got.paginator.count, got.paginator.num_pages) == (
        expected.number,
        expected.paginator.count,
        expected.paginator.num_pages,
    ), number
    assert [o.pk for o in got.object_list] == [o.pk for o in expected.object_list], number
    assert (got.has_next(), got.has_previous(), got.start_index()) == (
        expected.has_next(),
        expected.has_previous(),
        expected.start_index(),
    )
    return got


def test_every_page_and_every_odd_number_is_what_paginator_gives():
    for name in "GFEDCBA":
        OrganisationFactory(name=f"Fundacja {name}")
    queryset = Organisation.objects.order_by("name", "pk")
    for number in (1, 2, 3, "2", 2.0, 4, 99, 0, -1, "x", None, 2.5, "3.0", "", "99999999999999999999", 2**63):
        _same(queryset, number)
    assert [o.name for o in _same(queryset, 3).object_list] == ["Fundacja G"]
    _same(queryset.none(), 1)
    _same(queryset.none(), 5)


def test_the_length_comes_with_the_ids_and_rows_may_be_read_as_dicts():
    for _ in range(5):
        OrganisationFactory()
    queryset = Organisation.objects.order_by("name", "pk")
    # The ids with the list's length, then the rows: two queries (Paginator: the count, then the page).
    assert count_queries(lambda: page_by_ids(queryset, 2, 2)) == 2
    # Past the last page: the ids (none), the count, the last page's ids, the rows.
    assert count_queries(lambda: page_by_ids(queryset, 2, 9)) == 4
    page = page_by_ids(queryset, 2, 3, rows=queryset.values("pk", "name"))
    assert page.object_list == list(queryset.values("pk", "name")[4:6])
