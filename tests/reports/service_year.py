"""A programme year (2027) built only through the services, as users would build it on the pages.

Setup (the programme, its two budget lines and a published call) comes from factories, as an office would have
adopted and published them; from the offers on, every step is a service call: offers submitted, formal review,
commission appointed, declarations signed, cards scored, scoring closed, awards decided and published, a small
grant filed, published and awarded, agreements created (budget lines confirmed) and signed, tranches paid, reports
saved, submitted and accepted, refunds recorded. The clock is moved with time-machine, never by editing rows.

What happens, for the hand computation in test_reconciliation.py:

* call OK/2027/1 draws 30 000 zł on sport (art. 4 area 17) and 20 000 zł on tourism (area 19);
* a1 (sport club) 10 000 zł on sport, two tranches 6 000 + 4 000 paid; spends 9 000; returns 1 000 → performed;
* a2 (tourism society) 10 000 zł on tourism, paid; spends it all → performed;
* a3 (works in both areas) 10 000 zł split by the office 6 000 sport + 4 000 tourism, paid; no report yet;
* sg, a small grant of 6 000 zł to a tourism society (tourism by its area), paid; spends 5 500; returns 300 of 500.
"""

from datetime import date, datetime
from decimal import Decimal

import time_machine
from django.utils import timezone

from grants.models import Criterion, FormalReview, Offer, OpenCall, ScoreCard
from grants.services import agreements as agreement_services
from grants.services import awards as award_services
from grants.services import grant_reports as report_services
from grants.services import offers as offer_services
from grants.services import payments, scoring
from grants.services import small_grants as small_grant_services
from grants.services.budget_charges import Charge
from grants.services.calls import call_allocate, call_set_status
from grants.services.settlement import refund_record
from organisations.models import PublicTaskArea
from programmes.models import Programme
from tests.grants.factories import OpenCallFactory, complete_offer
from tests.grants.test_small_grants import draft_small_grant
from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.programmes.factories import ProgrammeFactory, add_budget

D = Decimal
TZ = timezone.get_current_timezone()


def at(*args):
    return time_machine.travel(datetime(*args, tzinfo=TZ), tick=False)


def _offeror(name: str, areas: list[str]):
    organisation = OrganisationFactory(name=name, areas=areas)
    return organisation, MembershipFactory(organisation=organisation).user


NOTHING = Decimal("0")


def _report(agreement, actor, staff, *, less: Decimal, own: str, personal: str, total_less: Decimal = NOTHING):
    """The final report: everything as agreed except ``less`` of grant unspent on the first line."""
    report = report_services.report_start(agreement=agreement, actor=actor)
    lines = {}
    for index, line in enumerate(agreement.cost_lines.order_by("order")):
        cut, cut_total = (less, total_less) if index == 0 else (D("0"), D("0"))
        lines[line.pk] = (line.total - cut_total, line.from_grant - cut)
    submit_and_accept(report, actor, staff, lines, own=own, personal=personal)


def submit_and_accept(report, actor, staff, lines: dict, *, own: str = "0", personal: str = "0"):
    """The organisation fills in, saves and submits the report; the office accepts it."""
    report_services.report_save(
        report=report,
        actor=actor,
        data={
            "results_description": "Rezultaty osiągnięte.",
            "activities_description": "Działania wykonane.",
            "beneficiaries": 50,
            "volunteers": 3,
            "own_financial": D(own),
            "personal_contribution": D(personal),
            "declarations_confirmed": True,
        },
        lines=lines,
        achieved={index: "60 dzieci" for index, _ in enumerate(report.results)},
    )
    report_services.report_submit(report=report, actor=actor)
    report_services.report_decide(report=report, actor=staff, accept=True)


def score_and_decide(call, offers, staff, decider, amounts):
    """After the deadline: formal review, a commission of three appointed and declared, cards scored, scoring
    closed, the awards decided and the results published – each through its service."""
    call.refresh_from_db()
    for status in (OpenCall.Status.SUBMISSION_CLOSED, OpenCall.Status.FORMAL_REVIEW):
        call = call_set_status(call=call, status=status, actor=staff)
    for offer in offers:
        offer_services.formal_review_decide(
            offer=offer,
            actor=staff,
            checklist=FormalReview.all_confirmed(),
            outcome=FormalReview.Outcome.PASSED,
            reasons="",
        )
    scoring.call_to_commission(call=call, actor=staff)
    commission = scoring.commission_create(call=call, actor=staff)
    members = [
        scoring.member_appoint(
            commission=commission,
            actor=staff,
            email=f"komisja{n}@example.pl",
            first_name="Członek",
            last_name=f"Nr {n}",
            capacity="authority",
            is_chair=n == 1,
        )
        for n in (1, 2, 3)
    ]
    for member in members:
        scoring.declaration_sign(member=member, actor=member.user, grounds=[])
    scoring.scoring_start(commission=commission, actor=staff)
    criteria = list(Criterion.objects.filter(call=call))
    for member in members:
        for card in ScoreCard.objects.filter(member=member):
            scoring.card_save(
                card=card,
                actor=member.user,
                points={c.pk: D("8") for c in criteria},
                justifications={c.pk: "Uzasadnienie." for c in criteria},
                remarks="Oferta spełnia kryteria.",
                proposed_amount=None,
                submit=True,
            )
    scoring.scoring_close(commission=commission, actor=members[0].user)
    for offer, amount in zip(offers, amounts, strict=True):
        award_services.award_decide(offer=offer, granted=True, amount=amount, actor=decider)
    award_services.results_publish(call=call, actor=decider)


def build_year(authority, staff, decider) -> Programme:
    with at(2026, 12, 1, 9):
        programme = ProgrammeFactory(authority=authority, year_from=2027, status=Programme.Status.IN_FORCE)
        sport, tourism = add_budget(programme, [("Kultura fizyczna", "100000.00"), ("Turystyka", "50000.00")])
        sport.priority_area.task_areas.set(PublicTaskArea.objects.filter(code="17"))
        tourism.priority_area.task_areas.set(PublicTaskArea.objects.filter(code="19"))
        Programme.objects.filter(pk=programme.pk).update(small_grants_reserve=D("20000.00"))
        call = OpenCallFactory(programme=programme, number="OK/2027/1")
        call.task_areas.set(PublicTaskArea.objects.filter(code__in=["17", "19"]))
        # The office sets the call's funds through the service (the factory drew on the first line).
        call_allocate(call=call, allocations={sport.pk: D("30000.00"), tourism.pk: D("20000.00")}, actor=staff)
        org1, ngo1 = _offeror("Klub Sportowy Orzeł", ["17"])
        org2, ngo2 = _offeror("Towarzystwo Turystyczne", ["19"])
        org3, ngo3 = _offeror("Stowarzyszenie Aktywni", ["17", "19"])
        offers = []
        for organisation, actor in ((org1, ngo1), (org2, ngo2), (org3, ngo3)):
            offer = complete_offer(call, organisation, actor)
            offer_services.offer_submit(offer=offer, actor=actor, revision=offer.revision)
            offers.append(offer)
        org4, ngo4 = _offeror("Towarzystwo Miłośników Przylesia", ["19"])
        small = draft_small_grant(authority, org4, ngo4, "6000")
        offer_services.offer_submit(offer=small, actor=ngo4, revision=small.revision)
        small_grant_services.small_grant_publish(offer=small, actor=staff)

    with at(2027, 1, 5, 9):
        score_and_decide(call, offers, staff, decider, [D("10000.00")] * 3)
        small_grant_services.small_grant_award(offer=small, amount=D("6000.00"), actor=decider)

    with at(2027, 2, 20, 9):
        a1, a2, a3 = (Offer.objects.get(pk=o.pk).award for o in offers)
        a1 = agreement_services.agreement_create(
            award=a1,
            actor=staff,
            tranches=[(D("6000.00"), date(2027, 3, 1)), (D("4000.00"), date(2027, 7, 1))],
        )
        a2 = agreement_services.agreement_create(award=a2, actor=staff)
        a3 = agreement_services.agreement_create(
            award=a3,
            actor=staff,
            budget_lines=[Charge(sport.pk, 2027, D("6000.00")), Charge(tourism.pk, 2027, D("4000.00"))],
        )
        sg = agreement_services.agreement_create(award=Offer.objects.get(pk=small.pk).award, actor=staff)
        for agreement in (a1, a2, a3, sg):
            agreement_services.agreement_sign(agreement=agreement, signed_on=date(2027, 2, 20), actor=staff)

    with at(2027, 3, 1, 12):
        for agreement in (a1, a2, a3, sg):
            first = agreement.tranches.order_by("number").first()
            payments.tranche_pay(tranche=first, actor=staff, paid_on=date(2027, 3, 1), amount=first.amount)
    with at(2027, 7, 1, 12):
        second = a1.tranches.get(number=2)
        payments.tranche_pay(tranche=second, actor=staff, paid_on=date(2027, 7, 1), amount=second.amount)

    with at(2027, 6, 5, 12):
        _report(sg, ngo4, staff, less=D("500.00"), own="500.00", personal="0", total_less=D("500.00"))
    with at(2027, 6, 10, 12):
        refund_record(agreement=sg, actor=staff, kind="unused", amount=D("300.00"), paid_on=date(2027, 6, 10))

    with at(2027, 12, 5, 12):
        _report(a1, ngo1, staff, less=D("1000.00"), own="750.00", personal="500.00", total_less=D("1000.00"))
        _report(a2, ngo2, staff, less=D("0"), own="750.00", personal="500.00")
    with at(2027, 12, 10, 12):
        refund_record(agreement=a1, actor=staff, kind="unused", amount=D("1000.00"), paid_on=date(2027, 12, 10))
    return programme
