"""Polish registry numbers: KRS, NIP, REGON and bank accounts (IBAN), with messages in Polish.

Each ``normalise_*`` returns the compact form that is stored; each raises ``ValidationError``
with a message that tells the person what is wrong with what they typed.
"""

import re

from django.core.exceptions import ValidationError
from stdnum import iban
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import nip, regon

_SEPARATORS = re.compile(r"[\s\-.]")


def _compact(value: str) -> str:
    return _SEPARATORS.sub("", value or "").upper()


def normalise_krs(value: str) -> str:
    """KRS numbers are exactly ten digits (leading zeros included); the register has no checksum."""
    compact = _compact(value)
    if not compact.isdigit() or len(compact) != 10:
        raise ValidationError(
            "Numer KRS składa się z 10 cyfr (razem z zerami na początku), np. 0000123456.", code="krs_format"
        )
    if int(compact) == 0:
        raise ValidationError("Numer KRS nie może składać się z samych zer.", code="krs_format")
    return compact


def normalise_nip(value: str) -> str:
    compact = _compact(value)
    if compact.startswith("PL"):
        compact = compact[2:]
    try:
        return nip.validate(compact)
    except InvalidChecksum:
        raise ValidationError(
            "Ten NIP ma błędną cyfrę kontrolną – sprawdź, czy nie ma literówki.", code="nip_checksum"
        ) from None
    except (InvalidLength, InvalidFormat):
        raise ValidationError("NIP składa się z 10 cyfr, np. 123-456-32-18.", code="nip_format") from None
    except StdnumError:
        raise ValidationError("To nie jest prawidłowy NIP.", code="nip_invalid") from None


def normalise_regon(value: str) -> str:
    compact = _compact(value)
    try:
        return regon.validate(compact)
    except InvalidChecksum:
        raise ValidationError(
            "Ten REGON ma błędną cyfrę kontrolną – sprawdź, czy nie ma literówki.", code="regon_checksum"
        ) from None
    except (InvalidLength, InvalidFormat):
        raise ValidationError("REGON składa się z 9 lub 14 cyfr.", code="regon_format") from None
    except StdnumError:
        raise ValidationError("To nie jest prawidłowy REGON.", code="regon_invalid") from None


def normalise_bank_account(value: str) -> str:
    """A Polish account number (NRB, 26 digits) or IBAN (PL + 26 digits), stored as the IBAN."""
    compact = _compact(value)
    if compact.isdigit() and len(compact) == 26:
        compact = "PL" + compact
    if not compact.startswith("PL"):
        raise ValidationError("Podaj numer polskiego rachunku bankowego (26 cyfr).", code="iban_country")
    if len(compact) != 28 or not compact[2:].isdigit():
        raise ValidationError("Numer rachunku składa się z 26 cyfr.", code="iban_format")
    try:
        return iban.validate(compact)
    except StdnumError:
        raise ValidationError(
            "Ten numer rachunku ma błędne cyfry kontrolne – sprawdź, czy nie ma literówki.", code="iban_checksum"
        ) from None


def format_bank_account(value: str) -> str:
    """``PL61109010140000071219812874`` → ``61 1090 1014 0000 0712 1981 2874`` as on a Polish invoice."""
    digits = value[2:] if value.startswith("PL") else value
    return " ".join([digits[:2]] + [digits[i : i + 4] for i in range(2, len(digits), 4)])
