"""Every indicator of the registry against the hand-computed year in fixtures.year_2025, and S2 Q6–Q8 boundaries."""

from datetime import date
from decimal import Decimal

import pytest

from grants.models import Agreement, Offer
from reports import computations, indicators
from reports.computations import IndicatorValue, compute, target_met
from reports.data import AgreementRow, ReportData, gather
from tests.reports.fixtures import year_2025

D = Decimal

EXPECTED = {
    # Q1: settled 10 000 + 9 000 of 38 000 transferred (a4's tranche unpaid counts 0)
    "Q1": D(19000) / D(38000),
    "Q2": D(2) / D(3),  # two of three planned controls done; the ad hoc control is not counted
    "Q3": D(1) / D(6),  # one performed of six signed (one of them terminated)
    "Q4": D(4) / D(5),  # four organisations applied; five active in the base (one inactive left out)
    "Q5": D(4) / D(5),  # 2 calls (one without offers) + 3 small-grant procedures; 4 with offers
    "Q6": D(25000) / D(48000),
    "Q7": D(1),  # org3 exactly 20 000,00 zł in the year: still within the limit
    "Q8": D(1),  # org3's grants exactly 10 000,00 zł each: within
    "N1": 1,  # the draft consultation is not counted
    "N2": 2,  # a meeting and a training by the office; the NGO's meeting is not
    "N3": 1,
    "N4": D(19000) / D(21500),  # settled ÷ actual total costs 11 250 + 10 250
    "N5": D(19000) / D(22000),  # settled ÷ (settled + own financial 2 500 + recipients 500)
    "N6": 1,
    "N7": 6,
    "N8": D("500.00"),
    "L1": 2,
    "L2": 3,
    "L3": 6,
    "L4": 3,
    "L5": 100,
    "L6": D("38000.00"),
    "L7": 1,
    "L8": (D(62) / D(60) + 1 + D("0.5") + D("0.5")) / 4,
    "LP1": 0,  # the programme was adopted in 2024
    "LP2": 1,
    "LR1": D("45000.00"),  # in force: the terminated agreement left out
    "LR2": D("1000.00"),
    "B1": {"stowarzyszenie": 4, "fundacja": 1},
    "B2": 1,
    "C1": 4,  # org1–org4 offered or hold agreements; the organisation without offers and the inactive one do not
}


@pytest.mark.django_db
def test_every_registry_indicator_has_a_computation_and_matches_the_hand_computed_year():
    data = gather(year_2025())
    assert set(computations.COMPUTATIONS) == {d.code for d in indicators.REGISTRY} == set(EXPECTED)
    for code, expected in EXPECTED.items():
        value = compute(data, code, 2025)
        assert value.unit == indicators.BY_CODE[code].unit
        assert value.value == expected, code
        assert computations.READINGS[code]
    assert compute(data, "Q5", 2025).alternative == D(4) / D(6)  # the literal reading
    assert compute(data, "LP1", 2024).value == 1


def _small(org: int, amount: str) -> AgreementRow:
    return AgreementRow(
        id=org * 100 + int(D(amount)) % 97,
        number="x",
        title="x",
        status=Agreement.Status.SIGNED,
        year=2025,
        signed_on=date(2025, 3, 1),
        start_date=date(2025, 3, 1),
        end_date=date(2025, 5, 1),
        grant_amount=D(amount),
        threshold=D(10),
        mode="support",
        kind=Offer.Kind.SMALL_GRANT,
        organisation_id=org,
        organisation_name="o",
        call_id=None,
    )


def _call(amount: str) -> AgreementRow:
    row = _small(99, amount)
    row.kind, row.call_id = Offer.Kind.OPEN_CALL, 1
    return row


def _data(rows) -> ReportData:
    return ReportData(None, [], [2025], [], [], rows, [], [], [], [], [], [], [])


@pytest.mark.parametrize(
    ("small", "other", "share", "met"),
    [
        ("20000.00", "80000.00", D("0.2"), True),
        ("20000.01", "79999.99", D("0.2000001"), False),
        ("0", "100.00", D(0), True),
    ],
)
def test_q6_share_at_the_20_percent_boundary(small, other, share, met):
    rows = [_call(other)] + ([_small(1, small)] if D(small) else [])
    value = compute(_data(rows), "Q6", 2025)
    assert value.value == share
    assert target_met(value, "0–20%") is met


@pytest.mark.parametrize(
    ("amounts", "expected"),
    [(["10000.00", "10000.00"], D(1)), (["10000.00", "10000.01"], D(0)), (["20000.00"], D(1))],
)
def test_q7_year_limit_per_organisation_at_20000(amounts, expected):
    value = compute(_data([_small(1, a) for a in amounts]), "Q7", 2025)
    assert value.value == expected
    assert target_met(value, "100%") is (expected == 1)


@pytest.mark.parametrize(("amount", "expected"), [("10000.00", D(1)), ("10000.01", D(0)), ("9999.99", D(1))])
def test_q8_single_grant_limit_at_10000(amount, expected):
    rows = [_small(1, amount), _small(2, "5000.00")]
    value = compute(_data(rows), "Q8", 2025)
    assert value.value == (D(1) + expected) / 2


def test_q7_q8_with_two_organisations_one_over():
    rows = [_small(1, "10000.00"), _small(1, "10000.00"), _small(2, "10000.00"), _small(2, "10000.01")]
    data = _data(rows)
    assert compute(data, "Q7", 2025).value == D("0.5")
    assert compute(data, "Q8", 2025).value == D("0.5")


def test_no_data_is_no_value_not_zero():
    data = _data([])
    for code in ("Q1", "Q2", "Q3", "Q6", "Q7", "Q8", "N4", "L8"):
        assert compute(data, code, 2025).value is None, code
    assert computations.format_value(IndicatorValue("Q1", None, "%")) == "brak danych"


def test_targets_are_read_as_ranges_or_minimums():
    value = IndicatorValue("Q2", D("0.95"), "%")
    assert target_met(value, "95–100%") is True
    assert target_met(IndicatorValue("Q2", D("0.9499"), "%"), "95–100%") is False
    assert target_met(IndicatorValue("Q4", D("0.1"), "%"), "10%") is True
    assert target_met(IndicatorValue("N1", 3, "szt."), "wartość wykorzystywana przy planowaniu") is None
