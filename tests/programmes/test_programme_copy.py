"""A new programme from last year's: areas, budget lines, indicators and texts, as a draft to consult and adopt."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from organisations.models import PublicTaskArea
from programmes import rules
from programmes.models import Indicator, Programme
from programmes.services import programme_copy
from tests.programmes.factories import ProgrammeFactory, add_budget

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_year(authority):
    programme = ProgrammeFactory(
        authority=authority,
        year_from=2026,
        title="Roczny program współpracy Gminy na rok 2026",
        status=Programme.Status.REPORTED,
        resolution_number="XII/100/2025",
        resolution_date=date(2025, 11, 20),
        cooperation_forms=["commissioning", "information"],
        small_grants_reserve=Decimal("20000.00"),
        appeal_days=7,
        evaluation="Ocena według wskaźników.",
    )
    lines = add_budget(programme, [("Kultura", "100000.00"), ("Sport", "200000.00")])
    lines[0].priority_area.task_areas.set([PublicTaskArea.objects.get(code="16")])
    Indicator.objects.create(programme=programme, code=Indicator._meta.get_field("code").choices[0][0], target="100%")
    return programme


def test_the_copy_is_a_draft_with_everything_but_the_resolution(last_year, staff_user):
    copy = programme_copy(source=last_year, year_from=2027, actor=staff_user)
    assert copy.status == Programme.Status.DRAFT
    assert (copy.year_from, copy.year_to) == (2027, 2027)
    assert copy.title == "Roczny program współpracy Gminy na rok 2027"
    assert copy.resolution_number == "" and copy.resolution_date is None and copy.adopted_by is None
    assert copy.evaluation == "Ocena według wskaźników." and copy.cooperation_forms == ["commissioning", "information"]
    assert copy.small_grants_reserve == Decimal("20000.00") and copy.appeal_days == 7
    lines = list(copy.budget_lines.select_related("priority_area"))
    assert [(line.name, line.planned_amount, line.priority_area.name) for line in lines] == [
        ("Kultura", Decimal("100000.00"), "Kultura"),
        ("Sport", Decimal("200000.00"), "Sport"),
    ]
    assert lines[0].priority_area.programme == copy
    assert list(lines[0].priority_area.task_areas.values_list("code", flat=True)) == ["16"]
    assert copy.indicators.count() == 1
    # The source is untouched and the copy is subject to the adoption rules: no consultation yet.
    assert last_year.budget_lines.count() == 2
    assert rules.adoption_problems(copy, date(2026, 11, 20))


def test_one_programme_per_period(last_year, staff_user):
    with pytest.raises(ValidationError) as error:
        programme_copy(source=last_year, year_from=2026, actor=staff_user)
    assert "ma już program na ten okres" in error.value.message_dict["year_from"][0]


def test_the_staff_page_makes_the_copy_and_shows_errors_on_the_field(client_for, staff_user, last_year):
    client = client_for(staff_user)
    url = reverse("programmes:copy", args=[last_year.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'value="2027"' in page.text
    assert "2 pozycje budżetu" in page.text
    response = client.post(url, {"year_from": "2026"})
    assert response.status_code == 200
    assert "ma już program na ten okres" in response.context["form"].errors["year_from"][0]
    response = client.post(url, {"year_from": "2027"})
    copy = Programme.objects.get(year_from=2027)
    assert response.status_code == 302 and response["Location"] == reverse("programmes:staff-detail", args=[copy.pk])


def test_other_offices_cannot_copy(client_for, last_year, ngo_admin):
    assert client_for(ngo_admin).get(reverse("programmes:copy", args=[last_year.pk])).status_code in (403, 404)
