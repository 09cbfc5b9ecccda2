"""Grant reports and settlement: arithmetic at the boundaries, the workflow, permissions."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from grants.models import Agreement, GrantReport, Refund
from grants.services import grant_reports as services
from grants.services import settlement
from grants.services.settlement import compute_settlement, line_excess, unused_deadline
from tests.grants.agreement_factories import make_agreement
from tests.helpers import pdf_text

D = Decimal


# --- arithmetic ----------------------------------------------------------------------------------------------


def test_deviation_exactly_at_threshold_is_compliant_and_one_grosz_over_is_excess():
    # planned 1 000,00 zł from the grant, threshold 10%: 1 100,00 zł allowed.
    assert line_excess(D("1000.00"), D("1100.00"), D("10")) == D("0.00")
    assert line_excess(D("1000.00"), D("1100.01"), D("10")) == D("0.01")
    # an awkward threshold: 7 000,00 × 1,15 = 8 050,00
    assert line_excess(D("7000.00"), D("8050.00"), D("15")) == D("0.00")
    assert line_excess(D("7000.00"), D("8050.01"), D("15")) == D("0.01")
    # zero threshold: any grosz over the plan is excessive
    assert line_excess(D("333.33"), D("333.34"), D("0")) == D("0.01")


def test_unused_and_excessive_grant_with_their_deadlines_and_interest():
    result = compute_settlement(
        transferred=D("10000.00"),
        threshold_pct=D("10"),
        lines=[
            (1, "trener", D("7000.00"), D("7800.00")),
            (2, "sprzęt", D("2000.00"), D("1000.00")),
            (3, "księgowość", D("1000.00"), D("900.00")),
        ],
        use_deadline=date(2025, 11, 30),
        found_on=date(2026, 1, 10),
    )
    # spent 9 700,00 of 10 000,00: 300,00 unused; line 1 over 7 700,00 by 100,00: excessive.
    assert result.spent_from_grant == D("9700.00")
    assert result.unused == D("300.00")
    assert result.excessive == D("100.00")
    assert result.to_return == D("400.00")
    assert result.settled == D("9600.00")
    unused, excessive = result.dues
    # use ended 30.11 (before the year end): 15 days → 15.12.2025, interest from 16.12.2025
    assert (unused.kind, unused.deadline, unused.interest_from) == ("unused", date(2025, 12, 15), date(2025, 12, 16))
    # excessive: 15 days from the finding (10.01.2026) → 25.01.2026
    assert (excessive.deadline, excessive.interest_from) == (date(2026, 1, 25), date(2026, 1, 26))
    assert [line.cost_line_id for line in result.deviating_lines] == [1]


def test_unused_deadline_is_31_january_after_a_year_end_use_and_15_days_otherwise():
    assert unused_deadline(date(2025, 12, 31)) == date(2026, 1, 31)
    assert unused_deadline(date(2025, 12, 30)) == date(2026, 1, 14)
    assert unused_deadline(date(2025, 6, 30)) == date(2025, 7, 15)


def test_misused_grant_found_in_a_control_bears_interest_from_the_transfer():
    result = compute_settlement(
        transferred=D("5000.00"),
        threshold_pct=D("10"),
        lines=[(1, "a", D("5000.00"), D("5000.00"))],
        use_deadline=date(2025, 12, 31),
        found_on=date(2026, 1, 20),
        misused=[(D("700.00"), date(2026, 3, 2))],
        transfer_date=date(2025, 2, 20),
    )
    (due,) = result.dues
    assert (due.kind, due.amount, due.deadline, due.interest_from) == (
        "misused",
        D("700.00"),
        date(2026, 3, 17),
        date(2025, 2, 20),
    )


def test_refunds_reduce_what_is_outstanding():
    result = compute_settlement(
        transferred=D("1000.00"),
        threshold_pct=D("10"),
        lines=[(1, "a", D("1000.00"), D("600.00"))],
        use_deadline=date(2025, 12, 31),
        found_on=date(2026, 1, 5),
        refunded=D("150.00"),
    )
    assert (result.to_return, result.outstanding) == (D("400.00"), D("250.00"))


# --- workflow ------------------------------------------------------------------------------------------------


def _filled(agreement, actor, actuals):
    report = services.report_start(agreement=agreement, actor=actor)
    lines = {
        line.cost_line_id: actual
        for line, actual in zip(report.lines.order_by("cost_line__order"), actuals, strict=True)
    }
    services.report_save(
        report=report,
        actor=actor,
        data={
            "results_description": "60 dzieci ćwiczyło przez 9 miesięcy.",
            "activities_description": "Treningi dwa razy w tygodniu.",
            "beneficiaries": 60,
            "volunteers": 4,
            "personal_contribution": D("500.00"),
            "declarations_confirmed": True,
        },
        lines=lines,
        achieved={0: "62 dzieci", 1: "4 turnieje"},
    )
    return report


@pytest.mark.django_db
def test_final_report_accepted_with_nothing_owed_makes_the_agreement_performed(
    organisation, ngo_admin, staff_user, committed, mailoutbox
):
    agreement = make_agreement(organisation=organisation)
    report = _filled(
        agreement, ngo_admin, [(D("8000.00"), D("7000.00")), (D("2250.00"), D("2000.00")), (D("1000.00"), D("1000.00"))]
    )
    assert report.due_date == date(2025, 12, 30)
    services.report_submit(report=report, actor=ngo_admin)
    with committed():
        services.report_decide(report=report, actor=staff_user, accept=True)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.PERFORMED
    assert "przyjęte" in mailoutbox[0].subject


@pytest.mark.django_db
def test_overspent_line_keeps_the_agreement_open_until_the_refund(organisation, ngo_admin, staff_user):
    agreement = make_agreement(organisation=organisation)
    # trener: 7 000 planned from grant, 7 800 spent (allowed 7 700): 100,00 excessive; 10 000 transferred, 10 000 spent
    report = _filled(
        agreement, ngo_admin, [(D("8800.00"), D("7800.00")), (D("2250.00"), D("1200.00")), (D("1000.00"), D("1000.00"))]
    )
    services.report_submit(report=report, actor=ngo_admin)
    services.report_decide(report=report, actor=staff_user, accept=True)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    result = settlement.agreement_settlement(agreement)
    assert (result.unused, result.excessive, result.outstanding) == (D("0.00"), D("100.00"), D("100.00"))
    settlement.refund_record(
        agreement=agreement, actor=staff_user, kind=Refund.Kind.EXCESSIVE, amount=D("60.00"), paid_on=date(2026, 1, 2)
    )
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    # More than the 40,00 still owed is not a refund of the grant.
    with pytest.raises(ValidationError) as error:
        settlement.refund_record(
            agreement=agreement,
            actor=staff_user,
            kind=Refund.Kind.EXCESSIVE,
            amount=D("40.01"),
            paid_on=date(2026, 1, 3),
        )
    assert "Do zwrotu pozostało 40,00\xa0zł" in error.value.message_dict["amount"][0]
    settlement.refund_record(
        agreement=agreement, actor=staff_user, kind=Refund.Kind.EXCESSIVE, amount=D("40.00"), paid_on=date(2026, 1, 3)
    )
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.PERFORMED


@pytest.mark.django_db
def test_return_for_correction_needs_reasons_and_e_mails_them(
    organisation, ngo_admin, staff_user, committed, mailoutbox
):
    agreement = make_agreement(organisation=organisation)
    report = _filled(agreement, ngo_admin, [(D("8000.00"), D("7000.00"))] * 3)
    services.report_submit(report=report, actor=ngo_admin)
    with pytest.raises(ValidationError):
        services.report_decide(report=report, actor=staff_user, accept=False, reasons=" ")
    with committed():
        services.report_decide(report=report, actor=staff_user, accept=False, reasons="Brak opisu turniejów.")
    report.refresh_from_db()
    assert report.status == GrantReport.Status.RETURNED
    assert "Brak opisu turniejów." in mailoutbox[0].body
    # the organisation corrects and submits again
    services.report_submit(report=report, actor=ngo_admin)


@pytest.mark.django_db
def test_incomplete_report_cannot_be_submitted_and_grant_above_total_is_refused(organisation, ngo_admin):
    agreement = make_agreement(organisation=organisation)
    report = services.report_start(agreement=agreement, actor=ngo_admin)
    with pytest.raises(ValidationError) as error:
        services.report_submit(report=report, actor=ngo_admin)
    assert "Opisz osiągnięte rezultaty (część I pkt 1)." in error.value.messages
    line = report.lines.first()
    with pytest.raises(ValidationError):
        services.report_save(
            report=report, actor=ngo_admin, data={}, lines={line.cost_line_id: (D("10.00"), D("10.01"))}, achieved={}
        )


@pytest.mark.django_db
def test_another_organisation_cannot_see_or_submit_the_report(organisation, ngo_admin, other_ngo_admin, client_for):
    agreement = make_agreement(organisation=organisation)
    report = services.report_start(agreement=agreement, actor=ngo_admin)
    with pytest.raises(ValidationError):
        services.report_start(agreement=agreement, actor=other_ngo_admin)
    client = client_for(other_ngo_admin)
    assert client.get(reverse("grants:grant-report-edit", args=[report.pk])).status_code == 404
    assert client.post(reverse("grants:grant-report-edit", args=[report.pk]), {"submit": "1"}).status_code == 404
    assert client.post(reverse("grants:grant-report-start", args=[agreement.pk])).status_code == 404
    assert client.get(reverse("grants:my-grant-reports")).status_code == 200
    own = client_for(ngo_admin)
    assert own.get(reverse("grants:grant-report-edit", args=[report.pk])).status_code == 200
    # The report on the 2018 template as a PDF: for the organisation, never for another one.
    pdf_url = reverse("grants:grant-report-pdf", args=[report.pk])
    assert client_for(other_ngo_admin).get(pdf_url).status_code == 404
    text = pdf_text(client_for(ngo_admin).get(pdf_url).content)
    assert "SPRAWOZDANIE KOŃCOWE Z WYKONANIA ZADANIA PUBLICZNEGO" in text and agreement.number in text
    assert "Faktycznie poniesione wydatki" in text


@pytest.mark.django_db
def test_staff_of_another_authority_get_404_and_ngo_gets_403_on_staff_pages(organisation, ngo_admin, client_for):
    from tests.accounts.factories import AuthorityFactory, AuthorityStaffFactory
    from tests.grants.factories import OpenCallFactory

    call = OpenCallFactory()
    agreement = make_agreement(organisation=organisation, call=call)
    stranger = AuthorityStaffFactory(authority=AuthorityFactory(name="Gmina Inna", slug="inna")).user
    url = reverse("grants:settlement", args=[agreement.pk])
    assert client_for(stranger).get(url).status_code == 404
    assert client_for(ngo_admin).get(url).status_code == 403
    report = services.report_start(agreement=agreement, actor=ngo_admin)
    assert client_for(stranger).get(reverse("grants:grant-report-pdf", args=[report.pk])).status_code == 404


@pytest.mark.django_db
def test_overdue_list_and_reminders(organisation, ngo_admin, committed, mailoutbox):
    late = make_agreement(organisation=organisation, end=date(2025, 9, 30))
    make_agreement(organisation=organisation, end=date(2025, 11, 30))
    today = date(2025, 11, 10)
    assert [a.pk for a in services.reports_overdue(Agreement.objects.all(), today=today)] == [late.pk]
    with committed():
        sent = services.send_reminders(today=today, days_before=7)
    assert sent == 1
    assert "Minął termin" in mailoutbox[0].subject
    assert late.report_due == date(2025, 10, 30)
    assert today - timedelta(days=11) == date(2025, 10, 30)


@pytest.mark.django_db
def test_late_mark_on_the_staff_list_agrees_with_the_overdue_list(organisation, ngo_admin):
    late = make_agreement(organisation=organisation, end=date(2025, 9, 30))
    reported = make_agreement(organisation=organisation, end=date(2025, 9, 30))
    GrantReport.objects.create(
        agreement=reported,
        kind=GrantReport.Kind.FINAL,
        status=GrantReport.Status.SUBMITTED,
        period_from=reported.start_date,
        period_to=reported.end_date,
        due_date=reported.report_due,
    )
    make_agreement(organisation=organisation, end=date(2025, 11, 30))
    today = date(2025, 11, 10)
    agreements = Agreement.objects.prefetch_related("grant_reports")
    assert [a.pk for a in agreements if services.final_report_late(a, today)] == [late.pk]
    assert [a.pk for a in services.reports_overdue(Agreement.objects.all(), today=today)] == [late.pk]


@pytest.mark.django_db
def test_staff_record_a_control_plan_and_a_control_with_findings(staff_user, organisation, client_for):
    from grants.models import Control, ControlPlan
    from tests.grants.factories import OpenCallFactory

    authority = staff_user.staff_roles.get().authority
    call = OpenCallFactory(programme__authority=authority)
    agreement = make_agreement(organisation=organisation, call=call)
    client = client_for(staff_user)
    assert client.post(reverse("grants:controls"), {"year": "2025"}).status_code == 302
    plan = ControlPlan.objects.get(authority=authority, year=2025)
    data = {"plan": plan.pk, "agreement": agreement.pk, "type": "documents", "status": "done"}
    response = client.post(reverse("grants:control-create"), data)
    assert "Podaj datę zakończenia przeprowadzonej kontroli." in response.content.decode()
    data |= {
        "started_on": "2025-10-01",
        "ended_on": "2025-10-02",
        "findings": "Braki w opisie faktur.",
        "recommendations": "Uzupełnić opisy.",
        "misused_amount": "250,00",
    }
    assert client.post(reverse("grants:control-create"), data).status_code == 302
    control = Control.objects.get()
    assert (control.authority, control.misused_amount) == (authority, D("250.00"))
    page = client.get(reverse("grants:controls")).content.decode()
    assert "Uzupełnić opisy." in page
    assert client.get(reverse("grants:control-edit", args=[control.pk])).status_code == 200


@pytest.mark.django_db
def test_misused_grant_found_in_a_control_is_owed_in_the_settlement(organisation, ngo_admin, staff_user):
    from grants.models import Control

    agreement = make_agreement(organisation=organisation, tranches=[("10000.00", date(2025, 3, 1))])
    report = _filled(
        agreement, ngo_admin, [(D("8000.00"), D("7000.00")), (D("2250.00"), D("2000.00")), (D("1000.00"), D("1000.00"))]
    )
    services.report_submit(report=report, actor=ngo_admin)
    Control.objects.create(
        authority=agreement.authority,
        agreement=agreement,
        type="documents",
        status="done",
        started_on=date(2026, 1, 5),
        ended_on=date(2026, 1, 6),
        misused_amount=D("300.00"),
    )
    services.report_decide(report=report, actor=staff_user, accept=True)
    result = settlement.agreement_settlement(agreement)
    (due,) = result.dues
    assert (due.kind, due.amount, due.deadline, due.interest_from) == (
        "misused",
        D("300.00"),
        date(2026, 1, 21),
        date(2025, 3, 1),
    )
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED


@pytest.mark.django_db
def test_partial_report_on_demand_is_filed_and_accepted(
    staff_user, organisation, ngo_admin, client_for, committed, mailoutbox
):
    from tests.grants.factories import OpenCallFactory

    call = OpenCallFactory(programme__authority=staff_user.staff_roles.get().authority)
    agreement = make_agreement(organisation=organisation, call=call)
    office = client_for(staff_user)
    url = reverse("grants:settlement", args=[agreement.pk])
    response = office.post(url, {"action": "partial", "partial-period_to": "2025-06-30", "partial-days": "20"})
    assert "Upewnij się, że ta wartość jest większa lub równa 30." in response.content.decode()
    with committed():
        office.post(url, {"action": "partial", "partial-period_to": "2025-06-30", "partial-days": "30"})
    partial = agreement.grant_reports.get(kind=GrantReport.Kind.PARTIAL)
    assert partial.due_date == timezone.localdate() + timedelta(days=30)
    assert "sprawozdania częściowego" in mailoutbox[0].subject
    services.report_save(
        report=partial,
        actor=ngo_admin,
        data={
            "results_description": "Półmetek.",
            "activities_description": "Treningi.",
            "declarations_confirmed": True,
        },
        lines={},
        achieved={0: "30 dzieci", 1: "2 turnieje"},
    )
    services.report_submit(report=partial, actor=ngo_admin)
    office.post(url, {"action": "decide", "report": partial.pk, "decision-decision": "accept"})
    partial.refresh_from_db()
    assert partial.status == GrantReport.Status.ACCEPTED
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED  # a partial report never closes the agreement
