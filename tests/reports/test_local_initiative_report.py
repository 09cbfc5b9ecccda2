"""Local initiative as its own mode in the year-end report, and in the indicator counting modes (Q4)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.services import local_initiative as li
from organisations.models import PublicTaskArea
from reports import computations, local_initiative
from reports.annual import annual_report
from reports.data import gather
from tests.accounts.factories import UserFactory
from tests.grants.local_initiative_factories import REQUEST_DATA, SUPPORTERS, adopt_rules, make_agreement, reserve_line

pytestmark = pytest.mark.django_db


def test_year_end_report_counts_local_initiative(client_for, authority, staff_user, decider, ngo_admin, organisation):
    adopt_rules(authority, staff_user)
    line = reserve_line(authority, staff_user)
    resident = UserFactory()
    done = make_agreement(authority, staff_user, decider, resident, line, cap="9000.00")
    li.expense_record(
        agreement=done,
        actor=staff_user,
        spent_on_day=date(2026, 5, 10),
        document="FV 1",
        supplier="Ogrody",
        description="sadzonki",
        amount=Decimal("8500.00"),
    )
    report = li.report_submit(
        agreement=done,
        actor=resident,
        data={
            "social_work_hours": Decimal("300"),
            "volunteers": 15,
            "in_kind_value": Decimal("1000"),
            "financial_value": Decimal("200"),
            "results": "Skwer.",
        },
    )
    li.report_review(report=report, actor=staff_user, accept=True)
    running = make_agreement(authority, staff_user, decider, UserFactory(), line, cap="2000.00")
    li.expense_record(
        agreement=running,
        actor=staff_user,
        spent_on_day=date(2026, 6, 1),
        document="FV 2",
        supplier="Tartak",
        description="deski",
        amount=Decimal("1500.00"),
    )
    # An organisation files on residents' behalf: it counts in Q4 like an offer under art. 19a.
    by_org = li.request_create(
        authority=authority, actor=ngo_admin, applicant_kind="organisation", organisation=organisation
    )
    li.request_save(
        li_request=by_org,
        actor=ngo_admin,
        data={**REQUEST_DATA, "task_area": PublicTaskArea.objects.get(code="16")},
        supporters=SUPPORTERS,
    )
    by_org.refresh_from_db()
    li.request_submit(li_request=by_org, actor=ngo_admin, revision=by_org.revision)

    programme = line.programme
    programme.status = programme.Status.IN_FORCE
    programme.save(update_fields=["status"])
    summary = annual_report(programme)["local_initiative"]
    assert summary["requests"] == 3 and summary["from_residents"] == 2 and summary["accepted"] == 2
    assert (summary["agreements"], summary["completed"], summary["in_progress"]) == (2, 1, 1)
    assert summary["spent"] == Decimal("10000.00")
    assert summary["caps"] == Decimal("11000.00")
    # Reported: 300 h × 30,00 zł + 1 000 + 200; declared for the one still running: 240 h × 30 + 1 500 + 500.
    assert summary["hours"] == Decimal("300") and summary["contribution"] == Decimal("10200.00")
    assert summary["contribution_declared"] == Decimal("9200.00")

    data = gather(programme)
    assert organisation.pk in local_initiative.organisations_requesting(data, 2026)
    value = computations.q4_commissioning_reach(data, 2026)
    assert value is not None and value > 0

    page = client_for(staff_user).get(reverse("reports:annual", args=[programme.pk])).content.decode()
    assert "Inicjatywa lokalna (art. 19b–19h)" in page
    assert "10\xa0000,00\xa0zł" in page
