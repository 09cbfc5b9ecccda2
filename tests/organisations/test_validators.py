"""Registry numbers: real valid numbers pass, one-digit typos fail with a Polish message."""

import pytest
from django.core.exceptions import ValidationError

from organisations.validators import (
    format_bank_account,
    normalise_bank_account,
    normalise_krs,
    normalise_nip,
    normalise_regon,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0000030897", "0000030897"),  # Fundacja Wielka Orkiestra Świątecznej Pomocy
        ("0000 030 897", "0000030897"),
        ("0000271822", "0000271822"),
    ],
)
def test_krs_accepts_ten_digits(typed, stored):
    assert normalise_krs(typed) == stored


@pytest.mark.parametrize("typed", ["30897", "00000308971", "0000O30897", "0000000000", ""])
def test_krs_refuses_anything_but_ten_digits(typed):
    with pytest.raises(ValidationError) as error:
        normalise_krs(typed)
    assert "KRS" in error.value.messages[0]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("774-00-01-454", "7740001454"),  # PKN Orlen
        ("PL 526 104 08 28", "5261040828"),  # Główny Urząd Statystyczny
        ("5260250274", "5260250274"),
    ],
)
def test_nip_accepts_real_numbers_in_any_common_spelling(typed, stored):
    assert normalise_nip(typed) == stored


def test_nip_with_a_typo_fails_on_the_checksum():
    with pytest.raises(ValidationError) as error:
        normalise_nip("7740001455")
    assert error.value.messages == ["Ten NIP ma błędną cyfrę kontrolną – sprawdź, czy nie ma literówki."]


def test_nip_of_wrong_length_says_how_long_it_is():
    with pytest.raises(ValidationError) as error:
        normalise_nip("774000145")
    assert "10 cyfr" in error.value.messages[0]


@pytest.mark.parametrize("typed", ["610188201", "000331501", "12345678512347"])
def test_regon_accepts_9_and_14_digit_numbers(typed):
    assert normalise_regon(typed) == typed


@pytest.mark.parametrize(
    ("typed", "message"),
    [("610188202", "cyfrę kontrolną"), ("61018820", "9 lub 14 cyfr"), ("12345678512348", "cyfrę kontrolną")],
)
def test_regon_refuses_typos_and_wrong_lengths(typed, message):
    with pytest.raises(ValidationError) as error:
        normalise_regon(typed)
    assert message in error.value.messages[0]


@pytest.mark.parametrize(
    "typed",
    ["61 1090 1014 0000 0712 1981 2874", "PL61109010140000071219812874", "pl61 1090 1014 0000 0712 1981 2874"],
)
def test_bank_account_is_stored_as_polish_iban(typed):
    assert normalise_bank_account(typed) == "PL61109010140000071219812874"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("61 1090 1014 0000 0712 1981 2875", "cyfry kontrolne"),
        ("DE89370400440532013000", "polskiego rachunku"),
        ("61 1090 1014 0000 0712 1981", "26 cyfr"),
    ],
)
def test_bank_account_refuses_typos_and_foreign_accounts(typed, message):
    with pytest.raises(ValidationError) as error:
        normalise_bank_account(typed)
    assert message in error.value.messages[0]


def test_bank_account_is_shown_grouped_as_on_an_invoice():
    assert format_bank_account("PL61109010140000071219812874") == "61 1090 1014 0000 0712 1981 2874"
