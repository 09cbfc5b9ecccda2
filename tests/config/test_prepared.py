"""Prepared queries (``config.prepared``): the SQL the ORM compiles once per shape, run with each request's values,
is exactly what the ORM compiles for those values; LIKE values stay escaped; a value inlined into the SQL is refused."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Q

from config.prepared import Prepared, _compiled
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


def test_every_search_group_runs_the_sql_the_orm_compiles_for_the_values(authority):
    recorded = AuthorityFactory(
        name="Powiat Strzelecki",
        slug="strzelecki",
        kind="county",
        territory_county="strzelecki",
        territory_voivodeship="opolskie",
    )
    gmina = AuthorityFactory(
        name="Gmina Leśnica",
        slug="lesnica",
        kind="urban_rural",
        territory_municipality="Leśnica",
        territory_county="strzelecki",
        territory_voivodeship="opolskie",
    )
    compared = 0
    for scope in (None, [], [authority.pk], [authority.pk, recorded.pk], [gmina.pk, recorded.pk, authority.pk]):
        for text in TEXTS:
            shape, values = _values(text, scope)
            for key, _title, query in GROUPS:
                sql, params = query.sql_with_params(shape, **values)
                assert (sql, params) == _compiled(query.build(shape, **values), "default"), (key, text, scope)
                compared += 1
    assert compared == 5 * len(TEXTS) * 4
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
    assert len(builds) == 2  # four requests, one shape: built with stand-ins, and once to check the plan
    assert query.rows(number="OK", authority_ids=[authority.pk, authority.pk + 1000]) != []
    assert query.rows(number="OK", authority_ids=[]) == []  # the ORM knows it matches nothing: no query at all
    assert len(builds) == 6  # two more shapes
    assert sum("\x1e" in str(values["number"]) for values in builds) == 3  # one plan each


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


def test_a_plan_that_would_differ_from_the_orms_is_refused(authority):
    """Checked once, when the plan is made: a value a field converts (an int for a text column) or one outside its
    field's range (where Django drops the condition) would otherwise be frozen into every later request's query."""
    from grants.models import CostItem

    def converted(shape, *, number):
        return OpenCall.objects.filter(number=number).values("pk")

    with pytest.raises(ValueError, match="does not give what the ORM compiles"):
        Prepared(converted).rows(number=15)

    def small(shape, *, order):
        return CostItem.objects.filter(order__gte=order).values("pk")  # a small integer field

    if connection.ops.integer_field_range("PositiveSmallIntegerField")[1] < 2_000_000_000:  # PostgreSQL
        with pytest.raises(ValueError, match="does not give what the ORM compiles"):
            Prepared(small).rows(order=3)
    else:  # SQLite's integers are all 64-bit: the stand-in is in range and the plan is sound
        assert Prepared(small).rows(order=3) == []
    assert Prepared(converted).rows(number="15") == []  # passed as the field's type: fine


def test_two_queries_never_share_a_plan(authority):
    first = OpenCallFactory(programme__authority=authority, number="OK/1")
    by_number = Prepared(lambda shape, *, text: OpenCall.objects.filter(number=text).values("pk"))
    by_title = Prepared(lambda shape, *, text: OpenCall.objects.filter(title=text).values("pk"))
    assert by_number.rows(text="OK/1") == [{"pk": first.pk}]
    assert by_title.rows(text="OK/1") == []  # same module and name ("<lambda>"), same shape: its own plan
