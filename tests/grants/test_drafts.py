"""Drafts never lose anything: a save keeps everything typed, valid or not; only submission needs a valid form."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grants.checks import TYPED_INPUT_PROBLEM, offer_problems
from grants.models import GrantReport, Offer
from grants.services import grant_reports as report_services
from grants.services import offers as services
from tests.grants.agreement_factories import make_agreement
from tests.grants.factories import COSTS, OpenCallFactory, complete_offer
from tests.grants.test_offers_helpers import form_data

pytestmark = pytest.mark.django_db

MANY_COSTS = [{**row, "order": i + 1, "name": f"{row['name']} {i + 1}"} for i, row in enumerate(COSTS * 4)]


@pytest.fixture
def offer(authority, organisation, ngo_admin):
    call = OpenCallFactory(programme__authority=authority)
    return complete_offer(call, organisation, ngo_admin, costs=MANY_COSTS)


def _typed(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in ("revision", "csrfmiddlewaretoken", "autosave")}


@pytest.mark.parametrize("autosave", [False, True], ids=["button", "autosave"])
def test_a_bad_amount_in_one_cost_row_loses_nothing_else(client_for, offer, ngo_admin, autosave):
    client = client_for(ngo_admin)
    url = reverse("grants:offer-edit", args=[offer.pk])
    data = form_data(client.get(url).text)
    data = {k: v for k, v in data.items() if "__prefix__" not in k}  # the <template> row for new rows
    rows = {k.split("-")[1] for k in data if k.startswith("cost_items-") and k.endswith("-name")}
    assert len(rows) == 13  # twelve saved rows and the empty one to fill in
    # What someone types in one sitting: the title, a description, Polish amounts, and one slip in one row.
    data.update(
        {
            "title": "Wakacje z piłką 2027",
            "synopsis": "Zajęcia dla 80 dzieci, także w soboty.",
            "own_financial": "1 200,50",
            "cost_items-0-name": "Trener z licencją UEFA C",
            "cost_items-3-unit_cost": "1\u00a0250,00",
            "cost_items-7-unit_cost": "12,50 zł/h",  # the slip
            "cost_items-11-quantity": "3",
        }
    )
    if autosave:
        data["autosave"] = "1"
    response = client.post(url, data)
    if autosave:
        assert response.status_code == 200 and response.json()["to_correct"] is True
    else:
        assert response.status_code == 302
    offer.refresh_from_db()
    # The valid fields are saved in their places; the cost table keeps its saved rows until it is correct.
    assert offer.title == "Wakacje z piłką 2027" and offer.own_financial == Decimal("1200.50")
    assert offer.cost_items.count() == 12 and not offer.cost_items.filter(name__contains="UEFA").exists()
    # A reload shows every value exactly as typed, the slip with its error on its field.
    page = client.get(url)
    again = {k: v for k, v in form_data(page.text).items() if "__prefix__" not in k}
    assert {k: again.get(k) for k in _typed(data) if k != "autosave"} == {
        k: v for k, v in _typed(data).items() if k != "autosave"
    }
    assert page.context["cost_items"].forms[7].errors["unit_cost"][0].startswith("Wpisz liczbę")
    assert "Zapisaliśmy wszystko, co wpisano" in page.text
    # Submission needs a valid offer.
    assert TYPED_INPUT_PROBLEM in offer_problems(offer)["__all__"]
    with pytest.raises(ValidationError):
        services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    # Correcting the slip and saving stores the rows and clears the kept input.
    again = {k: v for k, v in again.items() if k != "autosave"}
    again["cost_items-7-unit_cost"] = "12,50"
    assert client.post(url, again).status_code == 302
    offer.refresh_from_db()
    assert offer.typed_input is None
    assert offer.cost_items.filter(name="Trener z licencją UEFA C").exists()
    assert offer.cost_items.get(name=data["cost_items-3-name"]).unit_cost == Decimal("1250.00")


def test_the_small_grant_form_keeps_what_was_typed(client_for, authority, organisation, ngo_admin):
    from grants.services import small_grants

    offer = small_grants.direct_offer_start(
        kind=Offer.Kind.SMALL_GRANT, authority=authority, organisation=organisation, actor=ngo_admin
    )
    client = client_for(ngo_admin)
    url = reverse("grants:small-grant-edit", args=[offer.pk])
    data = {
        "revision": offer.revision,
        "title": "Piknik sąsiedzki",
        "synopsis": "Piknik na boisku przy ul. Leśnej.",
        "own_financial": "500",
        "own_personal": "0",
        "own_in_kind": "0",
        "recipient_payments": "0",
        "costs-TOTAL_FORMS": "2",
        "costs-INITIAL_FORMS": "0",
        "costs-0-name": "Namiot",
        "costs-0-unit": "usługa",
        "costs-0-unit_cost": "2 000,00",
        "costs-0-quantity": "1",
        "costs-0-from_grant": "1 500",
        "costs-1-name": "Nagłośnienie",
        "costs-1-unit": "usługa",
        "costs-1-unit_cost": "tysiąc",
        "costs-1-quantity": "1",
    }
    assert client.post(url, data).status_code == 302
    offer.refresh_from_db()
    assert offer.title == "Piknik sąsiedzki" and offer.typed_input is not None
    page = client.get(url)
    assert 'value="tysiąc"' in page.text and 'value="Nagłośnienie"' in page.text and 'value="2 000,00"' in page.text
    assert page.context["costs"].forms[1].errors["unit_cost"]
    assert TYPED_INPUT_PROBLEM in offer_problems(offer)["__all__"]


def test_the_grant_report_draft_keeps_what_was_typed(client_for, organisation, ngo_admin):
    report = report_services.report_start(agreement=make_agreement(organisation=organisation), actor=ngo_admin)
    lines = list(report.lines.order_by("cost_line__order"))
    client = client_for(ngo_admin)
    url = reverse("grants:grant-report-edit", args=[report.pk])
    data = {
        "save": "1",
        "results_description": "62 dzieci ćwiczyło przez 9 miesięcy.",
        "activities_description": "Treningi dwa razy w tygodniu.",
        "beneficiaries": "1 062",
        "volunteers": "abc",
        "own_financial": "750,00",
        "personal_contribution": "0",
        "in_kind_contribution": "0",
        "recipient_payments": "0",
        "other_revenue": "0",
        "eu_funds": "0",
        f"total_{lines[0].cost_line_id}": "5 000,00",
        f"grant_{lines[0].cost_line_id}": "4 000,00",
        f"total_{lines[1].cost_line_id}": "100,00",
        f"grant_{lines[1].cost_line_id}": "100,01",  # more from the grant than spent: refused on its field
    }
    assert client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.results_description.startswith("62 dzieci") and report.beneficiaries == 1062
    assert report.lines.get(cost_line_id=lines[0].cost_line_id).actual_total == Decimal("5000.00")
    page = client.get(url)
    assert 'value="abc"' in page.text and 'value="100,01"' in page.text
    assert page.context["lines_form"].errors[f"grant_{lines[1].cost_line_id}"] == [
        "Wydatki z dotacji nie mogą przekraczać wydatków ogółem w danej pozycji."
    ]
    with pytest.raises(ValidationError):
        report_services.report_submit(report=report, actor=ngo_admin)
    assert GrantReport.objects.get(pk=report.pk).status == GrantReport.Status.DRAFT
