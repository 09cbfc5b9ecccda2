"""Budget lines by what was funded: each agreement is charged to the lines of the areas its offer serves."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grants.models import CallBudgetLine
from grants.services import agreements as agreement_services
from grants.services.budget_charges import Charge, agreement_budget_lines_set
from organisations.models import PublicTaskArea
from programmes.models import BudgetLine, PriorityArea
from reports.annual import funds_by_budget_line, funds_by_mode
from reports.data import gather
from tests.grants.award_factories import call_ready_for_decision, decide_and_publish
from tests.helpers import squash

pytestmark = pytest.mark.django_db
D = Decimal


def two_line_call(authority, staff_user, offers=2):
    """A call drawing on two lines of its programme: sport (art. 4 area 17) and tourism (area 19).

    The offerors work in area 17 only, so their offers serve sport.
    """
    call, made = call_ready_for_decision(authority, staff_user, offers=offers, funds="60000.00")
    programme = call.programme
    sport = programme.budget_lines.get()
    tourism_area = PriorityArea.objects.create(programme=programme, number=2, name="Turystyka")
    tourism = BudgetLine.objects.create(
        programme=programme, priority_area=tourism_area, number=2, name="Turystyka", planned_amount=D("50000.00")
    )
    sport.priority_area.task_areas.set([PublicTaskArea.objects.get(code="17")])
    tourism_area.task_areas.set([PublicTaskArea.objects.get(code="19")])
    CallBudgetLine.objects.create(call=call, budget_line=tourism, amount=D("40000.00"))
    call.task_areas.set(PublicTaskArea.objects.filter(code__in=["17", "19"]))
    return call, made, sport, tourism


def charges_of(agreement):
    return [(c.budget_line.name, c.year, c.amount) for c in agreement.budget_charges.select_related("budget_line")]


def test_a_call_with_one_line_charges_it_the_whole_grant(authority, staff_user, decider):
    call, [(offer, _), _] = call_ready_for_decision(authority, staff_user, offers=2)
    decide_and_publish(call, decider, [D("10000.00"), None])
    agreement = agreement_services.agreement_create(award=offer.award, actor=staff_user)
    line = call.budget_allocations.get().budget_line
    assert charges_of(agreement) == [(line.name, agreement.start_date.year, D("10000.00"))]


def test_a_call_with_two_lines_charges_the_line_of_the_offers_area_not_a_proportion(authority, staff_user, decider):
    call, [(offer, _), (other, _)], sport, tourism = two_line_call(authority, staff_user)
    decide_and_publish(call, decider, [D("10000.00"), D("10000.00")])
    first = agreement_services.agreement_create(award=offer.award, actor=staff_user)
    year = first.start_date.year
    assert charges_of(first) == [("Kultura fizyczna", year, D("10000.00"))]
    # The office corrects the second: a tourism task after all, with a part on sport; the parts add up exactly.
    second = agreement_services.agreement_create(
        award=other.award,
        actor=staff_user,
        budget_lines=[Charge(tourism.pk, year, D("7000.00")), Charge(sport.pk, year, D("3000.00"))],
    )
    assert sorted(charges_of(second)) == [("Kultura fizyczna", year, D("3000.00")), ("Turystyka", year, D("7000.00"))]
    for agreement in (first, second):
        agreement_services.agreement_sign(agreement=agreement, signed_on=agreement.created_at.date(), actor=staff_user)
    # The year-end table: 13 000 on sport and 7 000 on tourism (proportional to the call's 60/40 it would be 12/8).
    programme = call.programme
    data = gather(programme)
    rows, total = funds_by_budget_line(data, year)
    assert [(r.name, r.awarded) for r in rows] == [("Kultura fizyczna", D("13000.00")), ("Turystyka", D("7000.00"))]
    _, mode_total = funds_by_mode(data, year)
    assert total.awarded == mode_total["awarded"] == D("20000.00")


def test_the_split_must_add_up_to_the_grant_and_an_ambiguous_offer_needs_the_offices_choice(
    authority, staff_user, decider
):
    call, [(offer, _)], sport, tourism = two_line_call(authority, staff_user, offers=1)
    offer.organisation.areas.add(PublicTaskArea.objects.get(code="19"))  # now it works in both areas
    decide_and_publish(call, decider, [D("10000.00")])
    with pytest.raises(ValidationError) as none_chosen:
        agreement_services.agreement_create(award=offer.award, actor=staff_user)
    year = offer.current_version.start_date.year
    assert none_chosen.value.message_dict["budget_lines"] == [
        f"Wskaż pozycję budżetu programu, z której finansowana jest dotacja w roku {year}."
    ]
    with pytest.raises(ValidationError) as short:
        agreement_services.agreement_create(
            award=offer.award,
            actor=staff_user,
            budget_lines=[Charge(sport.pk, year, D("6000.00")), Charge(tourism.pk, year, D("3999.99"))],
        )
    assert short.value.message_dict["budget_lines"] == [
        f"Kwoty na pozycjach budżetu w roku {year} muszą dać w sumie 10\xa0000,00\xa0zł (wpisano 9\xa0999,99\xa0zł)."
    ]
    other_programme_line = BudgetLine.objects.exclude(programme=call.programme).first()
    if other_programme_line is not None:
        with pytest.raises(ValidationError):
            agreement_services.agreement_create(
                award=offer.award, actor=staff_user, budget_lines=[Charge(other_programme_line.pk, year, D("10000"))]
            )
    agreement = agreement_services.agreement_create(
        award=offer.award,
        actor=staff_user,
        budget_lines=[Charge(sport.pk, year, D("6000.00")), Charge(tourism.pk, year, D("4000.00"))],
    )
    # Corrected later: all on tourism.
    agreement_budget_lines_set(agreement=agreement, actor=staff_user, charges=[Charge(tourism.pk, year, D("10000"))])
    assert charges_of(agreement) == [("Turystyka", year, D("10000.00"))]


def test_the_agreement_form_offers_the_default_keeps_what_was_typed_and_the_page_shows_the_lines(
    authority, staff_user, decider, client_for, ngo_admin
):
    call, [(offer, admin), _], sport, tourism = two_line_call(authority, staff_user)
    decide_and_publish(call, decider, [D("10000.00"), None])
    year = offer.current_version.start_date.year
    client = client_for(staff_user)
    url = reverse("grants:agreement-create", args=[offer.award.pk])
    page = squash(client.get(url).content.decode())
    assert "Pozycje budżetu programu" in page
    sport_field, tourism_field = f"line_{year}_{sport.pk}", f"line_{year}_{tourism.pk}"
    assert f'name="{sport_field}" value="10' in page
    data = {
        "place": "Kędzierzyn-Koźle",
        "authority_representatives": "Prezydent Miasta",
        "organisation_representatives": "Anna Prezes",
        "bank_account": "",
        "deviation_threshold_pct": "10",
        "tranches": "1",
        sport_field: "6 000,00",
        tourism_field: "3 000,00",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    page = squash(response.content.decode())
    assert "muszą dać w sumie 10\xa0000,00\xa0zł (wpisano 9\xa0000,00\xa0zł)" in page
    assert "Anna Prezes</textarea>" in page
    assert f'name="{tourism_field}" value="3' in page
    data[tourism_field] = "4 000,00"
    response = client.post(url, data)
    assert response.status_code == 302
    agreement = offer.award.agreement
    detail = squash(client.get(reverse("grants:agreement-detail", args=[agreement.pk])).content.decode())
    assert "Turystyka" in detail and "4\xa0000,00\xa0zł" in detail
    edit = reverse("grants:agreement-budget-lines", args=[agreement.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {sport_field: "10 000,00", tourism_field: ""})
    assert response.status_code == 302
    assert charges_of(agreement) == [("Kultura fizyczna", year, D("10000.00"))]
    # The organisation sees its agreement's lines but cannot change them.
    assert client_for(admin).get(edit).status_code in (403, 404)
    assert client_for(ngo_admin).get(edit).status_code in (403, 404)


def test_a_multi_year_task_gets_one_tranche_per_budget_year_in_proportion_to_its_days():
    from datetime import date

    from grants.services.budget_charges import year_parts

    # 1.03–31.12.2027 is 306 days, 1.01–30.06.2028 (a leap year) 182: 10 000 × 306 / 488 = 6 270,49.
    tranches = agreement_services.default_tranches(D("10000.00"), 1, date(2027, 3, 1), date(2028, 6, 30))
    assert tranches == [(D("6270.49"), date(2027, 3, 1)), (D("3729.51"), date(2028, 1, 1))]
    assert year_parts(date(2027, 3, 1), date(2028, 6, 30), D("10000.00"), tranches) == {
        2027: D("6270.49"),
        2028: D("3729.51"),
    }
    # Within one year the grant is the year's whole part, whatever the tranches.
    assert year_parts(date(2027, 3, 1), date(2027, 6, 30), D("10000.00"), []) == {2027: D("10000.00")}


def test_agreements_made_before_keep_the_calls_proportional_lines(authority):
    import importlib

    from django.apps import apps

    from tests.grants.agreement_factories import make_agreement
    from tests.grants.factories import OpenCallFactory
    from tests.organisations.factories import OrganisationFactory

    migration = importlib.import_module("grants.migrations.0014_charge_existing_agreements_to_budget_lines")
    call = OpenCallFactory(programme__authority=authority)
    first = call.budget_allocations.get()
    first.amount = D("20000.00")
    first.save()
    second_line = BudgetLine.objects.create(
        programme=call.programme,
        priority_area=first.budget_line.priority_area,
        number=2,
        name="Turystyka",
        planned_amount=D("10000.00"),
    )
    CallBudgetLine.objects.create(call=call, budget_line=second_line, amount=D("10000.00"))
    old = make_agreement(organisation=OrganisationFactory(), call=call, charges=[], grant=D("1000.00"))
    migration.charge(apps, None)
    # 2/3 and 1/3 of 1 000,00: 666,66 + 333,33, the grosz left over on the larger share.
    assert sorted(charges_of(old)) == [("Kultura fizyczna", 2025, D("666.67")), ("Turystyka", 2025, D("333.33"))]
