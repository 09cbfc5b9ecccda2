import itertools
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from organisations.models import PublicTaskArea
from programmes import rules, services
from programmes.models import BudgetLine, PriorityArea, Programme
from tests.accounts.factories import AuthorityFactory, AuthorityStaffFactory
from tests.helpers import assert_constant_queries, pdf_text, squash
from tests.programmes.factories import ProgrammeFactory, add_budget

pytestmark = pytest.mark.django_db

S0_LINES = [
    ("Kultura fizyczna", "100000.00"),
    ("Turystyka", "44000.00"),
    ("Integracja społeczna", "20000.00"),
    (
        "Tradycja narodowa, pielęgnowanie polskości, rozwój świadomości narodowej, obywatelskiej i kulturowej",
        "25000.00",
    ),
    ("Kultura, sztuka, ochrona dóbr kultury i dziedzictwa narodowego", "28000.00"),
    ("Ochrona środowiska", "10000.00"),
    ("Ratownictwo i ochrona ludności; Ochrona zdrowia", "10000.00"),
    ("Przeciwdziałanie uzależnieniom i patologiom społecznym", "120000.00"),
]


def test_the_programme_total_is_the_sum_of_its_budget_lines():
    programme = ProgrammeFactory()
    add_budget(programme, S0_LINES)
    assert rules.programme_total(programme) == Decimal("357000.00")
    assert Programme.objects.with_total().get(pk=programme.pk).planned_total == Decimal("357000.00")


def test_public_page_shows_s0_budget_table_in_polish_money_format(client):
    programme = ProgrammeFactory(public=True, small_grants_reserve=Decimal("50000"))
    add_budget(programme, S0_LINES)
    text = client.get(reverse("programmes:detail", args=[programme.pk])).text
    assert "100\xa0000,00\xa0zł" in text and "120\xa0000,00\xa0zł" in text
    assert "357\xa0000,00\xa0zł" in text
    assert "50\xa0000,00\xa0zł – 14,0% planowanych środków" in squash(text)


def test_programme_pdf_carries_the_budget_table_and_page_numbers(client):
    programme = ProgrammeFactory(public=True, resolution_number="655/VII/40/2017", resolution_date=date(2017, 11, 22))
    add_budget(programme, S0_LINES)
    response = client.get(reverse("programmes:pdf", args=[programme.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, layout=True)
    assert "UCHWAŁA NR 655/VII/40/2017" in text
    assert "RADY MIEJSKIEJ W KONSTANCINIE-JEZIORNIE" in text
    assert "w sprawie przyjęcia Programu współpracy" in text
    assert "Przeciwdziałanie uzależnieniom i patologiom społecznym" in text
    assert "357 000,00 zł" in text.replace("\xa0", " ")
    assert "Strona 1 z" in text


def test_drafts_are_not_public(client):
    programme = ProgrammeFactory()
    assert client.get(reverse("programmes:detail", args=[programme.pk])).status_code == 404
    assert client.get(reverse("programmes:pdf", args=[programme.pk])).status_code == 404
    assert programme.title not in client.get(reverse("programmes:list")).text


def test_amendments_are_numbered_versions_and_need_an_adopted_programme(staff_user):
    programme = ProgrammeFactory()
    with pytest.raises(ValidationError):
        services.programme_amend(
            programme=programme,
            resolution_number="A",
            resolution_date=date(2026, 3, 1),
            description="x",
            actor=staff_user,
        )
    programme.status, programme.resolution_date = Programme.Status.ADOPTED, date(2025, 11, 20)
    programme.save()
    first = services.programme_amend(
        programme=programme,
        resolution_number="XX/1/26",
        resolution_date=date(2026, 3, 1),
        description="Zwiększenie środków",
        actor=staff_user,
    )
    second = services.programme_amend(
        programme=programme,
        resolution_number="XX/2/26",
        resolution_date=date(2026, 6, 1),
        description="Nowy obszar",
        actor=staff_user,
    )
    assert (first.version, second.version) == (2, 3)


def test_a_status_cannot_skip_the_workflow(staff_user):
    programme = ProgrammeFactory()
    with pytest.raises(ValidationError) as error:
        services.programme_set_status(programme=programme, status=Programme.Status.REPORTED, actor=staff_user)
    assert error.value.messages == ["Nie można zmienić statusu z „projekt” na „rozliczony sprawozdaniem”."]


def test_adopted_text_is_changed_only_by_amendment(client_for, authority, staff_user):
    programme = ProgrammeFactory(authority=authority, status=Programme.Status.ADOPTED)
    response = client_for(staff_user).get(reverse("programmes:edit", args=[programme.pk]), follow=True)
    assert "uchwałą zmieniającą" in response.text


def test_staff_edit_the_budget_in_a_formset(client_for, authority, staff_user):
    programme = ProgrammeFactory(authority=authority)
    (line,) = add_budget(programme, [("Sport", "1000.00")])
    data = {
        "budget_lines-TOTAL_FORMS": "2",
        "budget_lines-INITIAL_FORMS": "1",
        "budget_lines-MIN_NUM_FORMS": "0",
        "budget_lines-MAX_NUM_FORMS": "1000",
        "budget_lines-0-id": str(line.pk),
        "budget_lines-0-number": "1",
        "budget_lines-0-priority_area": str(line.priority_area_id),
        "budget_lines-0-name": "Sport",
        "budget_lines-0-planned_amount": "100000,50",
        "budget_lines-1-number": "2",
        "budget_lines-1-priority_area": str(line.priority_area_id),
        "budget_lines-1-name": "Turystyka",
        "budget_lines-1-planned_amount": "-5",
    }
    response = client_for(staff_user).post(reverse("programmes:budget", args=[programme.pk]), data)
    assert response.status_code == 200  # the negative amount is refused on its row
    assert "Upewnij się, że ta wartość jest większa lub równa 0." in response.text
    assert 'value="Turystyka"' in response.text
    amount_input = re.search(r'<input[^>]*name="budget_lines-1-planned_amount"[^>]*>', response.text).group(0)
    assert 'class="form-control text-end is-invalid"' in amount_input  # Bootstrap's box, not a bare input
    data["budget_lines-1-planned_amount"] = "44000"
    response = client_for(staff_user).post(reverse("programmes:budget", args=[programme.pk]), data)
    assert response.status_code == 302
    assert rules.programme_total(programme) == Decimal("144000.50")


@pytest.mark.parametrize(
    "name",
    [
        "programmes:staff-detail",
        "programmes:edit",
        "programmes:budget",
        "programmes:indicators",
        "programmes:priority-areas",
    ],
)
def test_office_pages_are_for_the_authoritys_staff_only(client_for, authority, plain_user, ngo_admin, name):
    programme = ProgrammeFactory(authority=authority)
    other_staff = AuthorityStaffFactory(authority=AuthorityFactory(name="Gmina Inna", slug="inna")).user
    url = reverse(name, args=[programme.pk])
    assert client_for(None).get(url).status_code == 302
    assert client_for(plain_user).get(url).status_code == 403
    assert client_for(ngo_admin).get(url).status_code == 403
    assert client_for(other_staff).get(url).status_code == 404


def test_other_authoritys_staff_cannot_adopt(client_for, authority):
    programme = ProgrammeFactory(authority=authority)
    other_staff = AuthorityStaffFactory(authority=AuthorityFactory(name="Gmina Inna", slug="inna")).user
    response = client_for(other_staff).post(
        reverse("programmes:adopt", args=[programme.pk]), {"resolution_number": "X", "resolution_date": "2025-11-01"}
    )
    assert response.status_code == 404
    programme.refresh_from_db()
    assert programme.status == Programme.Status.DRAFT


def test_public_programme_page_and_pdf_use_a_fixed_number_of_queries(client):
    programme = ProgrammeFactory(public=True)
    add_budget(programme, S0_LINES[:2])

    numbers = itertools.count(50)

    def grow():
        for _ in range(10):
            number = next(numbers)
            area = PriorityArea.objects.create(programme=programme, number=number, name=f"Obszar {number}")
            area.task_areas.set(PublicTaskArea.objects.all()[:3])
            BudgetLine.objects.create(
                programme=programme, priority_area=area, number=number, name=area.name, planned_amount=Decimal("1000")
            )

    url = reverse("programmes:detail", args=[programme.pk])
    assert_constant_queries(lambda: client.get(url), grow, budget=9)
    assert_constant_queries(lambda: client.get(reverse("programmes:pdf", args=[programme.pk])), grow, budget=9)
    assert_constant_queries(
        lambda: client.get(reverse("programmes:list")), lambda: ProgrammeFactory(public=True, year_from=2030), budget=2
    )


def test_cooperation_log_is_kept_by_staff(client_for, authority, staff_user, ngo_admin, organisation):
    url = reverse("programmes:cooperation-log")
    assert client_for(ngo_admin).get(url).status_code == 403
    response = client_for(staff_user).post(
        url,
        {
            "kind": "training",
            "date": "2026-03-10",
            "title": "Szkolenie z małych grantów",
            "initiator": "authority",
            "organisations": [organisation.pk],
            "organisation_count": "12",
            "participant_count": "20",
        },
        follow=True,
    )
    assert "Dodano działanie" in response.text
    activity = authority.cooperation_activities.get()
    assert activity.kind == "training" and list(activity.organisations.all()) == [organisation]
