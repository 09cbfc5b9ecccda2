"""A small year (2025) computed by hand: every indicator of the registry has a known value (see test_indicators)."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from consultations.models import Consultation
from grants.models import Agreement, Control, ControlPlan, GrantReport, GrantReportLine, Offer
from programmes.models import CooperationActivity, Indicator, Programme
from tests.consultations.factories import make_consultation
from tests.grants.agreement_factories import make_agreement
from tests.grants.factories import OpenCallFactory
from tests.organisations.factories import OrganisationFactory
from tests.programmes.factories import ProgrammeFactory, add_budget, warsaw

D = Decimal
SMALL = [("I", "Koszt zadania", "10000.00", "10000.00")]


def accepted_report(
    agreement, *, actuals, beneficiaries, volunteers, personal="0", own="0", recipients="0", eu="0", achieved=("", "")
):
    report = GrantReport.objects.create(
        agreement=agreement,
        kind=GrantReport.Kind.FINAL,
        status=GrantReport.Status.ACCEPTED,
        period_from=agreement.start_date,
        period_to=agreement.end_date,
        due_date=agreement.report_due,
        results_description="Rezultaty osiągnięte.",
        activities_description="Działania wykonane.",
        results=[
            {"number": 1, "name": "Uczestnicy zajęć", "target": "60 dzieci", "achieved": achieved[0]},
            {"number": 2, "name": "Turnieje", "target": "4 turnieje", "achieved": achieved[1]},
        ],
        beneficiaries=beneficiaries,
        volunteers=volunteers,
        personal_contribution=D(personal),
        own_financial=D(own),
        recipient_payments=D(recipients),
        eu_funds=D(eu),
        declarations_confirmed=True,
        submitted_at=timezone.make_aware(datetime(2026, 1, 5, 10)),
        decided_at=timezone.make_aware(datetime(2026, 1, 20, 10)),
    )
    for line, (total, grant) in zip(agreement.cost_lines.order_by("order"), actuals, strict=True):
        GrantReportLine.objects.create(report=report, cost_line=line, actual_total=D(total), actual_from_grant=D(grant))
    return report


def year_2025():
    """Programme 2025 (two budget lines), two calls, six agreements, controls, consultations and the log."""
    programme = ProgrammeFactory(
        year_from=2025,
        status=Programme.Status.IN_FORCE,
        resolution_number="XI/1/24",
        resolution_date=date(2024, 11, 20),
    )
    authority = programme.authority
    add_budget(programme, [("Kultura fizyczna", "100000.00"), ("Turystyka", "44000.00")])
    for order, (code, target) in enumerate([("Q1", "100%"), ("Q2", "95–100%"), ("Q6", "0–20%"), ("N1", "—")], 1):
        Indicator.objects.create(programme=programme, code=code, order=order, target=target)
    window = {"delivery_start": date(2025, 2, 1), "delivery_end": date(2025, 12, 15)}
    call = OpenCallFactory(programme=programme, number="OK/2025/1", **window)
    OpenCallFactory(programme=programme, number="OK/2025/2", **window)  # no offers
    org1 = OrganisationFactory(name="Klub Sportowy Orzeł", opp=True)
    org2 = OrganisationFactory(name="Fundacja Dzieciom", legal_form="foundation")
    org3 = OrganisationFactory(name="Stowarzyszenie Seniorów")
    org4 = OrganisationFactory(name="Stowarzyszenie Turystyczne")
    OrganisationFactory(name="Stowarzyszenie Bez Ofert")
    OrganisationFactory(name="Stowarzyszenie Nieaktywne", is_active=False)

    a1 = make_agreement(
        organisation=org1, call=call, status=Agreement.Status.PERFORMED, tranches=[("10000.00", date(2025, 3, 1))]
    )
    accepted_report(
        a1,
        actuals=[("8000.00", "7000.00"), ("2250.00", "2000.00"), ("1000.00", "1000.00")],
        beneficiaries=60,
        volunteers=4,
        personal="500.00",
        own="1250.00",
        eu="1000.00",
        achieved=("62 dzieci", "4 turnieje"),
    )
    a2 = make_agreement(organisation=org2, call=call)
    accepted_report(
        a2,
        actuals=[("7000.00", "6000.00"), ("2250.00", "2000.00"), ("1000.00", "1000.00")],
        beneficiaries=40,
        volunteers=2,
        own="1250.00",
        recipients="500.00",
        achieved=("30 dzieci", "2 turnieje"),
    )
    make_agreement(
        organisation=org3,
        kind=Offer.Kind.SMALL_GRANT,
        lines=SMALL,
        authority=authority,
        tranches=[("10000.00", date(2025, 3, 1))],
    )
    make_agreement(
        organisation=org3, kind=Offer.Kind.SMALL_GRANT, lines=SMALL, authority=authority, tranches=[("10000.00", None)]
    )
    make_agreement(
        organisation=org4,
        kind=Offer.Kind.SMALL_GRANT,
        authority=authority,
        lines=[("I", "Koszt zadania", "5000.00", "5000.00")],
    )
    make_agreement(
        organisation=org1, call=call, status=Agreement.Status.TERMINATED, lines=[("I", "Koszt", "3000.00", "3000.00")]
    )

    plan = ControlPlan.objects.create(authority=authority, year=2025)
    for status in ("done", "done", "planned"):
        Control.objects.create(
            plan=plan,
            authority=authority,
            agreement=a1,
            type="documents",
            status=status,
            started_on=date(2025, 10, 1) if status == "done" else None,
            ended_on=date(2025, 10, 2) if status == "done" else None,
        )
    Control.objects.create(
        authority=authority,
        agreement=a2,
        type="on_site",
        status="done",
        started_on=date(2025, 6, 1),
        ended_on=date(2025, 6, 1),
    )

    make_consultation(authority, starts=warsaw(2025, 3, 1, 0, 0, 0), ends=warsaw(2025, 3, 15, 23, 59, 59))
    make_consultation(
        authority,
        status=Consultation.Status.DRAFT,
        starts=warsaw(2025, 4, 1, 0, 0, 0),
        ends=warsaw(2025, 4, 15, 23, 59, 59),
    )
    for kind, initiator in [
        ("meeting", "authority"),
        ("training", "authority"),
        ("meeting", "ngo"),
        ("premises", "authority"),
        ("partnership", "joint"),
    ]:
        CooperationActivity.objects.create(
            authority=authority,
            kind=kind,
            initiator=initiator,
            date=date(2025, 5, 5),
            title=f"{kind} 2025",
            organisation_count=3,
            participant_count=20,
        )
    CooperationActivity.objects.create(
        authority=authority, kind="meeting", initiator="authority", date=date(2024, 5, 5), title="Spotkanie 2024"
    )
    return programme
