import pytest
from django.template import Context, Template

from config.polish import format_money, polish_plural
from organisations.search import search_key
from reports.exports import csv_lines, neutralise


@pytest.mark.parametrize(
    ("text", "key"),
    [("Łódź", "lodz"), ("ŻÓŁĆ gęślą", "zolc gesla"), ("  Stowarzyszenie   ŚWIT ", "stowarzyszenie swit")],
)
def test_search_key_ignores_case_and_polish_diacritics(text, key):
    assert search_key(text) == key


@pytest.mark.parametrize(
    ("amount", "shown"),
    [("357000", "357\xa0000,00\xa0zł"), ("0.5", "0,50\xa0zł"), ("1234567.891", "1\xa0234\xa0567,89\xa0zł")],
)
def test_money_is_shown_the_polish_way(amount, shown):
    assert format_money(amount) == shown


def test_dates_use_the_polish_day_month_year_format():
    import datetime

    rendered = Template("{{ day|date }}").render(Context({"day": datetime.date(2026, 5, 31)}))
    assert rendered == "31.05.2026"


@pytest.mark.parametrize(
    ("count", "word"),
    [
        (1, "organizacja"),
        (2, "organizacje"),
        (5, "organizacji"),
        (12, "organizacji"),
        (22, "organizacje"),
        (1038, "organizacji"),
        (0, "organizacji"),
    ],
)
def test_polish_plural_forms(count, word):
    assert polish_plural(count, "organizacja", "organizacje", "organizacji") == word


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://zlo.example")', '\'=HYPERLINK("http://zlo.example")'),
        ("+48 500 600 700", "'+48 500 600 700"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("Fundacja Zwykła", "Fundacja Zwykła"),
        (42, "42"),
    ],
)
def test_csv_cells_cannot_start_a_formula(cell, safe):
    assert neutralise(cell) == safe


def test_csv_starts_with_a_bom_and_uses_semicolons():
    lines = list(csv_lines(["Nazwa", "Miejscowość"], [["=1+1", "Łódź"]]))
    assert lines[0] == "\ufeffNazwa;Miejscowość\r\n"
    assert lines[1] == "'=1+1;Łódź\r\n"
