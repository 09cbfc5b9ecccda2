"""Multi-year agreements (art. 16 ust. 3): tranches, reports and settlement per budget year, in each year's report."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grants.checks import offer_problems
from grants.models import Agreement
from grants.services import agreements as agreement_services
from grants.services import multi_year, payments
from grants.services import offers as offer_services
from grants.services.settlement import refund_record
from programmes.models import Programme
from reports.annual import annual_report
from tests.grants.factories import OpenCallFactory, complete_offer
from tests.helpers import pdf_text, squash
from tests.programmes.factories import ProgrammeFactory, add_budget
from tests.reports.service_year import _offeror, at, score_and_decide, submit_and_accept

D = Decimal
CENT = D("0.01")
pytestmark = pytest.mark.django_db
TWO_YEARS = {"start_date": date(2027, 3, 1), "end_date": date(2028, 6, 30)}


def _share(agreement, share: Decimal, less: Decimal = CENT * 0) -> dict:
    """Report lines spending ``share`` of each line's grant, less ``less`` on the first line."""
    lines = {}
    for index, line in enumerate(agreement.cost_lines.order_by("order")):
        spent = (line.from_grant * share).quantize(CENT, rounding=ROUND_HALF_UP) - (less if index == 0 else 0)
        lines[line.pk] = (spent, spent)
    return lines


def test_a_task_longer_than_a_year_needs_a_call_for_one(authority, staff_user):
    with at(2026, 12, 1, 9):
        one_year = OpenCallFactory(programme__authority=authority)
        organisation, admin = _offeror("Klub", ["17"])
        offer = complete_offer(one_year, organisation, admin, data=TWO_YEARS)
        assert "Dotację wykorzystuje się w roku budżetowym" in " ".join(offer_problems(offer)["end_date"])
        longer = OpenCallFactory(
            programme__authority=authority, delivery_start=date(2027, 2, 1), delivery_end=date(2028, 12, 15)
        )
        offer = complete_offer(longer, organisation, admin, data=TWO_YEARS)
        assert "end_date" not in offer_problems(offer)


def test_a_two_year_agreement_appears_with_the_right_amounts_in_both_years_reports(
    authority, staff_user, decider, client
):
    with at(2026, 12, 1, 9):
        first = ProgrammeFactory(authority=authority, year_from=2027, status=Programme.Status.IN_FORCE)
        second = ProgrammeFactory(authority=authority, year_from=2028, status=Programme.Status.IN_FORCE)
        (line_2027,) = add_budget(first, [("Kultura fizyczna", "100000.00")])
        (line_2028,) = add_budget(second, [("Kultura fizyczna", "120000.00")])
        call = OpenCallFactory(
            programme=first, number="OK/2027/W", delivery_start=date(2027, 2, 1), delivery_end=date(2028, 12, 15)
        )
        organisation, ngo = _offeror("Klub Sportowy Orzeł", ["17"])
        offer = complete_offer(call, organisation, ngo, data=TWO_YEARS)
        offer_services.offer_submit(offer=offer, actor=ngo, revision=offer.revision)

    with at(2027, 1, 5, 9):
        score_and_decide(call, [offer], staff_user, decider, [D("10000.00")])

    with at(2027, 2, 20, 9):
        offer.refresh_from_db()
        agreement = agreement_services.agreement_create(
            award=offer.award,
            actor=staff_user,
            tranches=[(D("6000.00"), date(2027, 3, 1)), (D("4000.00"), date(2028, 1, 10))],
        )
        # Each budget year is charged to that year's programme: 6 000 in 2027, 4 000 in 2028.
        charges = [(c.budget_line_id, c.year, c.amount) for c in agreement.budget_charges.order_by("year")]
        assert charges == [(line_2027.pk, 2027, D("6000.00")), (line_2028.pk, 2028, D("4000.00"))]
        agreement_services.agreement_sign(agreement=agreement, signed_on=date(2027, 2, 20), actor=staff_user)
        with pytest.raises(ValidationError):  # the last year is the final report's
            multi_year.report_start_year(agreement=agreement, actor=ngo, year=2028)

    with at(2027, 3, 1, 12):
        tranche = agreement.tranches.get(number=1)
        payments.tranche_pay(tranche=tranche, actor=staff_user, paid_on=date(2027, 3, 1), amount=tranche.amount)

    with at(2028, 1, 10, 12):
        tranche = agreement.tranches.get(number=2)
        payments.tranche_pay(tranche=tranche, actor=staff_user, paid_on=date(2028, 1, 10), amount=tranche.amount)
        # The organisation is offered a report for 2027 beside the final one (which covers 2028).
        client.force_login(ngo)
        mine = squash(client.get(reverse("grants:my-grant-reports")).content.decode())
        assert 'name="rok" value="2027"' in mine and 'value="2028"' not in mine
        # The 2027 report: 6 000 planned for the year (60% of each line), 200 of it unspent.
        report = multi_year.report_start_year(agreement=agreement, actor=ngo, year=2027)
        assert (report.period_from, report.period_to, report.due_date) == (
            date(2027, 3, 1),
            date(2027, 12, 31),
            date(2028, 1, 30),
        )
        submit_and_accept(report, ngo, staff_user, _share(agreement, D("0.6"), less=D("200.00")))
        assert multi_year.agreement_year_settlements(agreement)[2027].unused == D("200.00")

    with at(2028, 1, 25, 12):
        refund_record(
            agreement=agreement, actor=staff_user, kind="unused", amount=D("200.00"), paid_on=date(2028, 1, 25)
        )

    with at(2028, 7, 10, 12):
        from grants.services import grant_reports

        final = grant_reports.report_start(agreement=agreement, actor=ngo)
        assert final.period_from == date(2028, 1, 1)
        submit_and_accept(final, ngo, staff_user, _share(agreement, D("0.4")))
        agreement.refresh_from_db()
        assert agreement.status == Agreement.Status.PERFORMED

        for programme, year, expected in (
            (first, 2027, (D("6000.00"), D("6000.00"), D("5800.00"), D("200.00"))),
            (second, 2028, (D("4000.00"), D("4000.00"), D("4000.00"), D("0.00"))),
        ):
            report = annual_report(programme)
            [row] = report["agreement_list"]
            assert row["number"] == agreement.number and row["years"] == "2027–2028"
            assert (row["awarded"], row["transferred"], row["settled"], row["returned"]) == expected, year
            total = report["mode_total"]
            assert (total["awarded"], total["transferred"], total["settled"], total["returned"]) == expected, year
            assert [(r.awarded, r.settled) for r in report["funds_rows"]] == [expected[:1] + expected[2:3]]
            assert report["funds_total"].awarded == expected[0]
            assert report["agreements"]["transferred"] == expected[1]
        client.force_login(staff_user)
        page = squash(client.get(reverse("grants:settlement", args=[agreement.pk])).content.decode())
        assert "Rozliczenie według lat budżetowych" in page
        row_2027 = '<th scope="row">2027</th><td class="num">6\xa0000,00\xa0zł</td>'
        assert row_2027 in page and "częściowe – przyjęte" in page and "końcowe – przyjęte" in page
        client.force_login(staff_user)
        text = pdf_text(client.get(reverse("reports:annual-pdf", args=[second.pk])).content).replace("\xa0", " ")
        assert "2027–2028" in text and "z 10 000,00 zł" in text
