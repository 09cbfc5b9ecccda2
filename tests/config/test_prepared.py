"""Prepared queries (``config.prepared``): the SQL the ORM compiles once per shape, run with each request's values,
is exactly what the ORM compiles for those values; LIKE values stay escaped; a value inlined into the SQL is refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import EmptyResultSet
from django.db.models import Q

from config.prepared import Prepared
from grants.models import Agreement, OpenCall
from grants.search import GROUPS, _values
from tests.accounts.factories import AuthorityFactory
from tests.grants.agreement_factories import make_agreement
from tests.grants.factories import OpenCallFactory
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TEXTS = [
    "sportowy",
    "klub sportowy",
    "Łódź  SPORT młodzież",
    "OK/2025/1",
    "50%_zniżki \\ a",
    "123-456-32-18",
    "0000123456",
    "12345678901234",
    "--",
    "ab",
    "\x1e1_\x1e",  # what a stand-in looks like, typed: still only a value
]


def _compiled(queryset) -> tuple[str | None, list]:
    """What the ORM compiles for a queryset; (None, []) when it knows the queryset matches nothing."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return None, []
    return sql, list(params)


def test_every_search_group_runs_the_sql_the_orm_compiles_for_the_values(authority):
    recorded = AuthorityFactory(
        name="Powiat Strzelecki",
        slug="strzelecki",
        kind="county",
        territory_county="strzelecki",
        territory_voivodeship="opolskie",
    )
    compared = 0
    for scope in (None, [], [authority.pk], [authority.pk, recorded.pk]):
        for text in TEXTS:
            shape, values = _values(text, scope)
            for key, _title, query in GROUPS:
                sql, params = query.sql_with_params(shape, **values)
                assert (sql, params) == _compiled(query.build(shape, **values)), (key, text, scope)
                compared += 1
    assert compared == 4 * len(TEXTS) * 4
    # The county's territory is in the organisations' query; the gmina without one, its town.
    shape, values = _values("klub", [authority.pk, recorded.pk])
    assert sorted(shape) == [("city",), ("seat_voivodeship__iexact", "seat_county__iexact")]
    assert set(values["seats"]) == {"Konstancin-Jeziorna", "opolskie", "strzelecki"}


def _calls_by_number(shape, *, number, authority_ids):
    return OpenCall.objects.filter(number__icontains=number, authority__in=authority_ids).values("pk", "number")


def test_one_compilation_per_shape_and_each_values_own_rows(authority, django_assert_num_queries):
    first = OpenCallFactory(programme__authority=authority, number="OK/2027/1_a")
    second = OpenCallFactory(programme__authority=authority, number="OK/2027/1xa")
    builds = []

    def build(shape, **values):
        builds.append(values)
        return _calls_by_number(shape, **values)

    query = Prepared(build)
    ids = [authority.pk]
    assert [row["pk"] for row in query.rows(number="1_a", authority_ids=ids)] == [first.pk]  # "_" is not a wildcard
    with django_assert_num_queries(1):
        assert [row["pk"] for row in query.rows(number="1XA", authority_ids=ids)] == [second.pk]
    assert query.rows(number="50%", authority_ids=ids) == []
    assert {row["number"] for row in query.rows(number="ok/2027", authority_ids=ids)} == {first.number, second.number}
    assert len(builds) == 1  # four requests, one shape
    assert query.rows(number="OK", authority_ids=[authority.pk, authority.pk + 1000]) != []
    assert query.rows(number="OK", authority_ids=[]) == []  # the ORM knows it matches nothing: no query at all
    assert len(builds) == 3


def test_rows_get_the_orms_conversions(authority):
    agreement = make_agreement(organisation=OrganisationFactory(), authority=authority, grant=Decimal("1200.50"))

    def amounts(shape, *, number):
        return Agreement.objects.filter(Q(number=number)).values("grant_amount", "start_date")

    rows = Prepared(amounts).rows(number=agreement.number)
    assert rows == [{"grant_amount": Decimal("1200.50"), "start_date": agreement.start_date}]
    assert isinstance(rows[0]["grant_amount"], Decimal)


def test_a_value_written_into_the_sql_is_refused(authority):
    def inlined(shape, *, number):
        return OpenCall.objects.extra(where=[f"number = '{number}'"]).values("pk")  # noqa: S610 - the test's point

    with pytest.raises(ValueError, match="written into the SQL"):
        Prepared(inlined).rows(number="OK/1")

    def models(shape, *, number):
        return OpenCall.objects.filter(number=number)

    with pytest.raises(TypeError, match="values"):
        Prepared(models).rows(number="OK/1")
