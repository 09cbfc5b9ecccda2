"""Payments of tranches and the settlement built on them: the boundaries of the money rules."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from grants.models import Agreement, Refund, Tranche
from grants.services import grant_reports as report_services
from grants.services import payments, settlement
from grants.services.payments import Payment
from tests.grants.agreement_factories import make_agreement

D = Decimal
pytestmark = pytest.mark.django_db
SPENT_ALL = [(D("8000.00"), D("7000.00")), (D("2250.00"), D("2000.00")), (D("1000.00"), D("1000.00"))]


def _two_tranches(organisation, **kwargs):
    return make_agreement(organisation=organisation, tranches=[("6000.00", None), ("4000.00", None)], **kwargs)


def _report(agreement, ngo_admin, staff_user, actuals, accept=True):
    report = report_services.report_start(agreement=agreement, actor=ngo_admin)
    lines = {line.cost_line_id: a for line, a in zip(report.lines.order_by("cost_line__order"), actuals, strict=True)}
    report_services.report_save(
        report=report,
        actor=ngo_admin,
        data={
            "results_description": "60 dzieci ćwiczyło.",
            "activities_description": "Treningi.",
            "beneficiaries": 60,
            "declarations_confirmed": True,
        },
        lines=lines,
        achieved={0: "60 dzieci", 1: "4 turnieje"},
    )
    report_services.report_submit(report=report, actor=ngo_admin)
    if accept:
        report_services.report_decide(report=report, actor=staff_user, accept=True)
    return report


def test_a_tranche_is_paid_in_full_or_refused_with_the_amounts_named(organisation, staff_user):
    agreement = _two_tranches(organisation)
    first = agreement.tranches.get(number=1)
    with pytest.raises(ValidationError) as error:
        payments.tranche_pay(tranche=first, actor=staff_user, paid_on=date(2025, 3, 2), amount=D("5999.99"))
    assert error.value.message_dict["amount"] == [
        "Kwota przelewu (5\xa0999,99\xa0zł) różni się od kwoty transzy nr 1 (6\xa0000,00\xa0zł): "
        "transzę przekazuje się w całości, jednym przelewem."
    ]
    first.refresh_from_db()
    assert first.paid_on is None
    paid = payments.tranche_pay(tranche=first, actor=staff_user, paid_on=date(2025, 3, 2), amount=D("6000.00"))
    assert (paid.paid_on, paid.paid_recorded_by) == (date(2025, 3, 2), staff_user)
    assert paid.transfer_title == f"Dotacja – umowa nr {agreement.number}, transza 1"
    # The second time is refused, naming the day of the first transfer.
    with pytest.raises(ValidationError) as error:
        payments.tranche_pay(tranche=first, actor=staff_user, paid_on=date(2025, 3, 3), amount=D("6000.00"))
    assert "została już przekazana 02.03.2025" in error.value.message_dict["amount"][0]


def test_paying_an_unsigned_agreement_is_refused(organisation, staff_user):
    agreement = make_agreement(organisation=organisation, status=Agreement.Status.DRAFT, tranches=[("10000.00", None)])
    tranche = agreement.tranches.get()
    with pytest.raises(ValidationError) as error:
        payments.tranche_pay(tranche=tranche, actor=staff_user, paid_on=timezone.localdate(), amount=D("10000.00"))
    assert "nie została jeszcze zawarta" in error.value.message_dict["amount"][0]
    tranche.refresh_from_db()
    assert tranche.paid_on is None


def test_payment_dates_are_bounded_by_the_signature_and_today(organisation, staff_user):
    agreement = _two_tranches(organisation)  # signed 15.02.2025
    tranche = agreement.tranches.get(number=1)
    tomorrow = timezone.localdate() + timedelta(days=1)
    for day, message in [
        (tomorrow, "Data przelewu nie może przypadać w przyszłości."),
        (date(2025, 2, 14), "Przelew nie może poprzedzać zawarcia umowy (15.02.2025)."),
        (date(1, 1, 1), "Przelew nie może poprzedzać zawarcia umowy (15.02.2025)."),
    ]:
        with pytest.raises(ValidationError) as error:
            payments.tranche_pay(tranche=tranche, actor=staff_user, paid_on=day, amount=D("6000.00"))
        assert error.value.message_dict["paid_on"] == [message]
    payments.tranche_pay(tranche=tranche, actor=staff_user, paid_on=date(2025, 2, 15), amount=D("6000.00"))


def test_a_batch_with_one_wrong_amount_saves_nothing(organisation, staff_user):
    agreements = [_two_tranches(organisation) for _ in range(2)]
    tranches = [t for a in agreements for t in a.tranches.all()]
    batch = [Payment(t, date(2025, 3, 5), t.amount) for t in tranches]
    batch[-1] = Payment(tranches[-1], date(2025, 3, 5), tranches[-1].amount + D("0.01"))
    with pytest.raises(ValidationError) as error:
        payments.tranches_pay(payments=batch, actor=staff_user)
    assert len(error.value.messages) == 1
    assert error.value.messages[0].startswith(f"Umowa nr {agreements[1].number}, transza 2: Kwota przelewu")
    assert not Tranche.objects.filter(paid_on__isnull=False).exists()
    batch[-1] = Payment(tranches[-1], date(2025, 3, 5), tranches[-1].amount)
    assert len(payments.tranches_pay(payments=batch, actor=staff_user)) == 4
    assert Tranche.objects.filter(paid_on=date(2025, 3, 5)).count() == 4


def test_transferred_is_what_was_paid_never_the_whole_grant(organisation, ngo_admin, staff_user):
    agreement = _two_tranches(organisation)
    _report(agreement, ngo_admin, staff_user, SPENT_ALL)
    result = settlement.agreement_settlement(agreement)
    assert result.transferred == D("0.00")
    agreement.refresh_from_db()
    # Report accepted, nothing spent beyond the plan, but nothing paid: not performed.
    assert agreement.status == Agreement.Status.SIGNED
    first, second = agreement.tranches.all()
    payments.tranche_pay(tranche=first, actor=staff_user, paid_on=date(2025, 3, 1), amount=D("6000.00"))
    assert settlement.agreement_settlement(agreement).transferred == D("6000.00")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    # The last tranche paid with the report accepted and nothing owed: performed.
    payments.tranche_pay(tranche=second, actor=staff_user, paid_on=date(2025, 6, 1), amount=D("4000.00"))
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.PERFORMED


def test_refund_of_exactly_what_is_owed_closes_one_grosz_more_is_refused(organisation, ngo_admin, staff_user):
    agreement = make_agreement(organisation=organisation)  # 10 000,00 paid 01.03.2025, use until 30.11.2025
    # 250,00 zł of the grant unused (trener 6 750 of 7 000)
    _report(agreement, ngo_admin, staff_user, [(D("7750.00"), D("6750.00"))] + SPENT_ALL[1:])
    result = settlement.agreement_settlement(agreement)
    assert (result.transferred, result.unused, result.outstanding) == (D("10000.00"), D("250.00"), D("250.00"))
    with pytest.raises(ValidationError) as error:
        settlement.refund_record(
            agreement=agreement,
            actor=staff_user,
            kind=Refund.Kind.UNUSED,
            amount=D("250.01"),
            paid_on=date(2025, 12, 10),
        )
    assert "Do zwrotu pozostało 250,00\xa0zł" in error.value.message_dict["amount"][0]
    assert not agreement.refunds.exists()
    settlement.refund_record(
        agreement=agreement, actor=staff_user, kind=Refund.Kind.UNUSED, amount=D("250.00"), paid_on=date(2025, 12, 10)
    )
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.PERFORMED


def test_refund_before_any_settlement_never_exceeds_what_was_transferred(organisation, staff_user):
    agreement = _two_tranches(organisation)
    with pytest.raises(ValidationError) as error:
        settlement.refund_record(
            agreement=agreement, actor=staff_user, kind=Refund.Kind.UNUSED, amount=D("0.01"), paid_on=date(2025, 5, 1)
        )
    assert "nie ma nic do zwrotu" in error.value.message_dict["amount"][0]
    first = agreement.tranches.get(number=1)
    payments.tranche_pay(tranche=first, actor=staff_user, paid_on=date(2025, 3, 1), amount=D("6000.00"))
    settlement.refund_record(
        agreement=agreement, actor=staff_user, kind=Refund.Kind.UNUSED, amount=D("5000.00"), paid_on=date(2025, 5, 1)
    )
    with pytest.raises(ValidationError) as error:
        settlement.refund_record(
            agreement=agreement,
            actor=staff_user,
            kind=Refund.Kind.UNUSED,
            amount=D("1000.01"),
            paid_on=date(2025, 5, 2),
        )
    assert "Do zwrotu pozostało 1\xa0000,00\xa0zł" in error.value.message_dict["amount"][0]
    settlement.refund_record(
        agreement=agreement, actor=staff_user, kind=Refund.Kind.UNUSED, amount=D("1000.00"), paid_on=date(2025, 5, 2)
    )


def test_a_late_refund_keeps_the_agreement_open_until_interest_is_recorded(organisation, ngo_admin, staff_user):
    agreement = make_agreement(organisation=organisation)  # use ends 30.11.2025: unused back by 15.12.2025
    _report(agreement, ngo_admin, staff_user, [(D("7750.00"), D("6750.00"))] + SPENT_ALL[1:])
    settlement.refund_record(
        agreement=agreement, actor=staff_user, kind=Refund.Kind.UNUSED, amount=D("250.00"), paid_on=date(2025, 12, 16)
    )
    result = settlement.agreement_settlement(agreement)
    assert result.outstanding == D("0.00")
    assert [(due.kind, since, on) for due, since, on in result.interest] == [
        ("unused", date(2025, 12, 16), date(2025, 12, 16))
    ]
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    settlement.refund_record(
        agreement=agreement, actor=staff_user, kind=Refund.Kind.INTEREST, amount=D("0.08"), paid_on=date(2025, 12, 16)
    )
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.PERFORMED


def test_a_transfer_recorded_by_mistake_is_undone_until_the_settlement(organisation, ngo_admin, staff_user):
    agreement = make_agreement(organisation=organisation, tranches=[("10000.00", None)])
    tranche = agreement.tranches.get()
    payments.tranche_pay(tranche=tranche, actor=staff_user, paid_on=date(2025, 3, 1), amount=D("10000.00"))
    settlement.refund_record(
        agreement=agreement, actor=staff_user, kind=Refund.Kind.UNUSED, amount=D("1.00"), paid_on=date(2025, 5, 1)
    )
    # Undoing the only transfer would leave a refund of money never paid.
    with pytest.raises(ValidationError) as error:
        payments.tranche_payment_cancel(tranche=tranche, actor=staff_user)
    assert "przekraczałyby przekazaną dotację" in error.value.messages[0]
    Refund.objects.all().delete()
    payments.tranche_payment_cancel(tranche=tranche, actor=staff_user)
    tranche.refresh_from_db()
    assert (tranche.paid_on, tranche.transfer_title, tranche.paid_recorded_by) == (None, "", None)
    with pytest.raises(ValidationError):
        payments.tranche_payment_cancel(tranche=tranche, actor=staff_user)
    # Once performed, the record stays.
    payments.tranche_pay(tranche=tranche, actor=staff_user, paid_on=date(2025, 3, 2), amount=D("10000.00"))
    _report(agreement, ngo_admin, staff_user, SPENT_ALL)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.PERFORMED
    with pytest.raises(ValidationError) as error:
        payments.tranche_payment_cancel(tranche=tranche, actor=staff_user)
    assert "wykonana (rozliczona)" in error.value.messages[0]


def test_interest_not_charged_is_recorded_as_zero_with_its_reason_and_settles(organisation, ngo_admin, staff_user):
    """A refund one day late on 250 zł bears 0,08 zł of interest, below the threshold under which the tax ordinance
    charges none: the office records 0,00 zł with the reason, and only then is the agreement performed."""
    agreement = make_agreement(organisation=organisation)
    _report(agreement, ngo_admin, staff_user, [(D("7750.00"), D("6750.00"))] + SPENT_ALL[1:])
    settlement.refund_record(
        agreement=agreement, actor=staff_user, kind=Refund.Kind.UNUSED, amount=D("250.00"), paid_on=date(2025, 12, 16)
    )
    assert settlement.agreement_settlement(agreement).interest_owed
    with pytest.raises(ValidationError) as error:
        settlement.refund_record(
            agreement=agreement, actor=staff_user, kind=Refund.Kind.INTEREST, amount=D("0"), paid_on=date(2025, 12, 16)
        )
    assert "dlaczego odsetki nie należą się" in error.value.message_dict["note"][0]
    with pytest.raises(ValidationError) as error:
        settlement.refund_record(
            agreement=agreement, actor=staff_user, kind=Refund.Kind.UNUSED, amount=D("0"), paid_on=date(2025, 12, 16)
        )
    assert "większa od zera" in error.value.message_dict["amount"][0]
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    settlement.refund_record(
        agreement=agreement,
        actor=staff_user,
        kind=Refund.Kind.INTEREST,
        amount=D("0"),
        paid_on=date(2025, 12, 16),
        note="Odsetki 0,08 zł – poniżej progu, nie pobiera się.",
    )
    assert not settlement.agreement_settlement(agreement).interest_owed
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.PERFORMED


def test_the_refund_form_puts_a_zero_amount_error_in_polish(organisation, staff_user, client_for):
    from django.urls import reverse

    agreement = make_agreement(organisation=organisation, authority=staff_user.staff_roles.get().authority)
    response = client_for(staff_user).post(
        reverse("grants:settlement", args=[agreement.pk]),
        {"action": "refund", "refund-kind": "unused", "refund-amount": "0,00", "refund-paid_on": "2025-12-16"},
    )
    assert response.status_code == 200
    assert "większa od zera" in response.text
    assert not agreement.refunds.exists()
