"""Local initiative through HTTP: a group of residents without an organisation to a completed initiative; who may
open what; the lists' query counts pinned at two sizes."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import LocalInitiativeAgreement, LocalInitiativeRequest
from grants.services import local_initiative as li
from organisations.models import PublicTaskArea
from tests.accounts.factories import UserFactory
from tests.grants.local_initiative_factories import adopt_rules, make_agreement, make_request, reserve_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(db):
    return UserFactory(email="mieszkanka@example.pl", first_name="Anna", last_name="Sąsiedzka")


def _request_post(area_code="18", **overrides):
    data = {
        "initiator_name": "Anna Sąsiedzka",
        "initiator_address": "ul. Lipowa 3",
        "initiator_email": "anna@example.pl",
        "title": "Skwer przy ul. Lipowej",
        "task_area": PublicTaskArea.objects.get(code=area_code).pk,
        "description": "Urządzimy skwer.",
        "place": "ul. Lipowa",
        "start_date": "2026-05-01",
        "end_date": "2026-09-30",
        "schedule": "maj–wrzesień",
        "total_cost": "18 000,00",
        "social_work_hours": "240",
        "in_kind_value": "1 500",
        "financial_contribution": "500,00",
        "requested_materials": "sadzonki, ławki",
        "requested_amount": "8 800,00",
        "popierajacy-TOTAL_FORMS": "3",
        "popierajacy-INITIAL_FORMS": "0",
        "popierajacy-0-full_name": "Jan Lipowy",
        "popierajacy-0-address": "ul. Lipowa 5",
        "popierajacy-0-consent": "on",
        "popierajacy-1-full_name": "Ewa Lipowa",
        "popierajacy-1-address": "ul. Lipowa 7",
        "popierajacy-1-consent": "on",
    }
    data.update(overrides)
    return data


def test_residents_group_to_completed_initiative(client_for, authority, staff_user, decider, resident):
    adopt_rules(authority, staff_user)
    line = reserve_line(authority, staff_user)
    client = client_for(resident)
    response = client.post(reverse("grants:li-start"), {"applicant_kind": "residents", "authority": authority.pk})
    li_request = LocalInitiativeRequest.objects.get()
    assert response.url == reverse("grants:li-edit", args=[li_request.pk])
    assert li_request.organisation is None
    response = client.post(reverse("grants:li-edit", args=[li_request.pk]), _request_post())
    assert response.status_code == 302, response.content.decode()[:2000]
    li_request.refresh_from_db()
    assert li_request.total_cost == Decimal("18000.00") and li_request.supporters.count() == 2
    submit_url = reverse("grants:li-submit", args=[li_request.pk])
    page = client.post(submit_url, {"revision": li_request.revision})
    assert "Potwierdzam: Złóż wniosek" in page.content.decode()
    response = client.post(submit_url, {"revision": li_request.revision, "potwierdzenie": "1"})
    assert response.url == reverse("grants:li-receipt", args=[li_request.pk])
    li_request.refresh_from_db()
    assert li_request.status == "submitted"

    # The office scores on the council's criteria.
    criteria = list(li_request.rules.criteria.all())
    client = client_for(staff_user)
    case_url = reverse("grants:li-case", args=[li_request.pk])
    scores = {"action": "score"}
    for criterion in criteria:
        scores[f"points_{criterion.pk}"] = str(criterion.max_points)
        scores[f"justification_{criterion.pk}"] = "Uzasadnienie."
    assert client.post(case_url, scores).status_code == 302
    # Staff without the right to decide cannot decide.
    assert client.post(case_url, {"action": "decide", "decision": "accept", "reasons": "x"}).status_code == 403

    client = client_for(decider)
    decision = {"action": "decide", "decision": "accept", "reasons": "Zadanie celowe dla osiedla."}
    assert "Potwierdzam" in client.post(case_url, decision).content.decode()
    assert client.post(case_url, {**decision, "potwierdzenie": "1"}).status_code == 302
    li_request.refresh_from_db()
    assert li_request.status == "accepted"
    public = client_for(None).get(reverse("grants:li-public")).content.decode()
    assert "Zadanie celowe dla osiedla." in public

    agreement_post = {
        "action": "agreement",
        "number": "IL/1/2026",
        "budget_line": line.pk,
        "start_date": "2026-05-01",
        "end_date": "2026-09-30",
        "spending_cap": "9 000,00",
        "authority_provides": "sadzonki, ławki",
        "residents_provide": "praca społeczna",
        "equipment_lent": "kontener",
        "results_ownership": "Własność gminy.",
        "authority_representatives": "Burmistrz",
        "applicant_representatives": "Anna Sąsiedzka",
        "place": "Konstancin-Jeziorna",
    }
    client_for(staff_user).post(case_url, agreement_post)
    agreement = LocalInitiativeAgreement.objects.get()
    agreement_url = reverse("grants:li-agreement", args=[agreement.pk])
    client = client_for(decider)
    assert client.post(agreement_url, {"action": "sign", "signed_on": "2026-04-20"}).status_code == 302
    expense = {
        "action": "expense",
        "spent_on_day": "2026-05-10",
        "document": "FV 1",
        "supplier": "Ogrody",
        "description": "sadzonki",
    }
    assert client.post(agreement_url, {**expense, "amount": "8 000,00"}).status_code == 302
    page = client.post(agreement_url, {**expense, "amount": "1 000,01"}).content.decode()
    assert "przekracza limit umowy" in page
    assert 'value="FV 1"' in page  # what was typed stays

    pdf = client_for(resident).get(reverse("grants:li-agreement-pdf", args=[agreement.pk]))
    assert pdf["Content-Type"] == "application/pdf"

    report = {
        "social_work_hours": "250",
        "volunteers": "12",
        "in_kind_value": "1 500",
        "financial_value": "500",
        "results": "Skwer urządzony.",
    }
    assert client_for(resident).post(reverse("grants:li-report", args=[agreement.pk]), report).status_code == 302
    assert client_for(staff_user).post(agreement_url, {"action": "review", "decision": "accept"}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "completed"


def test_a_request_outside_the_areas_cannot_be_chosen(client_for, authority, staff_user, resident):
    adopt_rules(authority, staff_user)
    li_request = li.request_create(authority=authority, actor=resident, applicant_kind="residents")
    response = client_for(resident).post(reverse("grants:li-edit", args=[li_request.pk]), _request_post(area_code="6"))
    assert response.status_code == 200
    assert "task_area" in response.context["form"].errors
    li_request.refresh_from_db()
    assert li_request.task_area is None


def test_criteria_without_social_work_refused_on_the_form(client_for, authority, staff_user):
    data = {
        "action": "rules",
        "resolution_number": "X/1/2026",
        "resolution_date": "2026-01-10",
        "valid_from": "2026-02-01",
        "procedure": "Tryb.",
        "social_work_hour_rate": "35,00",
        "min_residents": "3",
        "kryteria-TOTAL_FORMS": "2",
        "kryteria-INITIAL_FORMS": "0",
        "kryteria-0-name": "Celowość",
        "kryteria-0-max_points": "10",
        "kryteria-0-weight": "60",
        "kryteria-1-name": "Koszt",
        "kryteria-1-max_points": "10",
        "kryteria-1-weight": "40",
    }
    response = client_for(staff_user).post(reverse("grants:li-rules"), data)
    assert response.status_code == 200
    assert "wkład pracy społecznej" in response.content.decode()
    assert not authority.local_initiative_rules.exists()
    data["kryteria-1-is_social_work"] = "on"
    data["kryteria-0-weight"], data["kryteria-1-weight"] = "40", "60"
    assert client_for(staff_user).post(reverse("grants:li-rules"), data).status_code == 302
    assert authority.local_initiative_rules.get().criteria.filter(is_social_work=True).count() == 1


def test_others_cannot_reach_a_residents_request(client_for, authority, staff_user, resident, other_ngo_admin):
    adopt_rules(authority, staff_user)
    li_request = make_request(authority, resident)
    for user in (other_ngo_admin, UserFactory()):
        assert client_for(user).get(reverse("grants:li-edit", args=[li_request.pk])).status_code == 404
    assert client_for(resident).get(reverse("grants:li-case", args=[li_request.pk])).status_code == 403
    # Staff of another authority: not their request.
    from tests.accounts.factories import AuthorityFactory, AuthorityStaffFactory

    other = AuthorityStaffFactory(authority=AuthorityFactory(name="Gmina Obca", slug="obca")).user
    assert client_for(other).get(reverse("grants:li-case", args=[li_request.pk])).status_code == 404


def _grow(authority, staff_user, decider, line, count):
    for _n in range(count):
        resident = UserFactory()
        make_agreement(authority, staff_user, decider, resident, line, cap="100.00")


@pytest.mark.parametrize("url_name", ["grants:li-staff-list", "grants:li-public"])
def test_list_queries_do_not_grow(client_for, authority, staff_user, decider, django_assert_max_num_queries, url_name):
    adopt_rules(authority, staff_user)
    line = reserve_line(authority, staff_user)
    client = client_for(staff_user)
    _grow(authority, staff_user, decider, line, 1)
    with django_assert_max_num_queries(12) as small:
        assert client.get(reverse(url_name)).status_code == 200
    _grow(authority, staff_user, decider, line, 4)
    with django_assert_max_num_queries(12) as large:
        assert client.get(reverse(url_name)).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_my_list_queries_do_not_grow(
    client_for, authority, staff_user, decider, resident, django_assert_max_num_queries
):
    adopt_rules(authority, staff_user)
    line = reserve_line(authority, staff_user)
    make_agreement(authority, staff_user, decider, resident, line, cap="100.00")
    client = client_for(resident)
    with django_assert_max_num_queries(10) as small:
        client.get(reverse("grants:li-mine"))
    for _ in range(3):
        make_agreement(authority, staff_user, decider, resident, line, cap="100.00")
    with django_assert_max_num_queries(10) as large:
        client.get(reverse("grants:li-mine"))
    assert len(large.captured_queries) == len(small.captured_queries)
