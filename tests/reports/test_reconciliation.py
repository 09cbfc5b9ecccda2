"""The year's figures agree: a year built through the services, every table and money indicator by hand."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reports.annual import annual_report
from reports.computations import compute
from reports.data import gather
from tests.helpers import pdf_text
from tests.reports.service_year import build_year

D = Decimal
pytestmark = pytest.mark.django_db


def test_the_tables_by_line_mode_call_and_the_annex_reconcile_to_the_grosz(authority, staff_user, decider, client):
    programme = build_year(authority, staff_user, decider)
    report = annual_report(programme)

    # By budget line (charged by what was funded): sport a1 10 000 + a3 6 000; tourism a2 10 000 + a3 4 000 + sg.
    lines = [(r.name, r.planned, r.awarded, r.settled) for r in report["funds_rows"]]
    assert lines == [
        ("Kultura fizyczna", D("100000.00"), D("16000.00"), D("9000.00")),  # a1 settled 9 000; a3 not yet
        ("Turystyka", D("50000.00"), D("20000.00"), D("15500.00")),  # a2 10 000 + sg 5 500
    ]
    total = report["funds_total"]
    assert (total.planned, total.awarded, total.settled) == (D("150000.00"), D("36000.00"), D("24500.00"))

    # By mode: three call agreements and one small grant.
    modes = {r["key"]: r for r in report["mode_rows"]}
    expected = {
        "call_support": (3, D("30000.00"), D("30000.00"), D("19000.00"), D("1000.00")),
        "small_grant": (1, D("6000.00"), D("6000.00"), D("5500.00"), D("300.00")),
    }
    for key, (count, awarded, transferred, settled, returned) in expected.items():
        row = modes[key]
        assert (row["count"], row["awarded"], row["transferred"], row["settled"], row["returned"]) == (
            count,
            awarded,
            transferred,
            settled,
            returned,
        ), key
    mode_total = report["mode_total"]
    money = (mode_total["awarded"], mode_total["transferred"], mode_total["settled"], mode_total["returned"])
    assert money == (D("36000.00"), D("36000.00"), D("24500.00"), D("1300.00"))

    # By call, plus the small grants: the same awarded total.
    assert [(c["number"], c["agreements"], c["awarded"]) for c in report["calls"]] == [("OK/2027/1", 3, D("30000.00"))]
    assert report["calls_total"]["awarded"] + report["small_grants"]["awarded"] == D("36000.00")
    assert report["small_grants"]["settled"] == D("5500.00")

    # The annex: each agreement once, and its totals equal the tables'.
    annex = report["agreement_list"]
    assert len(annex) == 4
    assert report["agreement_total"] == {
        "awarded": D("36000.00"),
        "transferred": D("36000.00"),
        "settled": D("24500.00"),
        "returned": D("1300.00"),
    }

    # The summary of agreements and their settlement.
    summary = report["agreements"]
    counts = ("signed", "performed", "in_progress", "reports_accepted")
    assert [summary[key] for key in counts] == [4, 2, 2, 3]
    assert summary["transferred"] == D("36000.00")
    assert summary["unused"] == summary["returned_due"] == D("1500.00")  # a1 1 000 + sg 500
    assert summary["refunded"] == D("1300.00")

    # Every money indicator against the hand computation.
    data = gather(programme)
    codes = ("Q1", "Q3", "Q6", "N4", "N5", "N8", "L6", "LR1", "LR2")
    values = {code: compute(data, code, 2027).value for code in codes}
    assert values["Q1"] == D("24500") / D("36000")  # settled ÷ transferred
    assert values["Q3"] == D("0.5")  # 2 performed of 4 signed
    assert values["Q6"] == D("6000") / D("36000")  # small grants ÷ all grants
    # N4: settled ÷ actual total costs of the accepted reports: a1 10 250 + a2 11 250 + sg 6 000.
    assert values["N4"] == D("24500") / D("27500")
    # N5: settled ÷ (settled + own financial 750 + 750 + 500 + recipients' payments 0).
    assert values["N5"] == D("24500") / D("26500")
    assert values["N8"] == D("1000.00")  # personal contribution 500 + 500
    assert values["L6"] == values["LR1"] == D("36000.00")
    assert values["LR2"] == D("0.00")

    # The PDF shows the same totals.
    client.force_login(staff_user)
    text = pdf_text(client.get(reverse("reports:annual-pdf", args=[programme.pk])).content).replace("\xa0", " ")
    for amount in ("36 000,00 zł", "24 500,00 zł", "1 300,00 zł", "16 000,00 zł", "20 000,00 zł"):
        assert amount in text, amount

    # The PDF's annex lists every agreement once, with its year's amounts, and the totals.
    from config.polish import format_money

    annex_text = " ".join(text.split("Załącznik. Wykaz umów", 1)[1].split())
    for position, row in enumerate(annex, start=1):
        assert annex_text.count(f" {row['number']} ") == 1, row["number"]
        assert f"{position}. {row['number']}" in annex_text
        assert f"przekazano {format_money(row['transferred'])}".replace("\xa0", " ") in annex_text, row["number"]
    assert "Razem: 4 umowy" in annex_text
