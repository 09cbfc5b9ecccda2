"""Patterns of document numbers an authority sets: ``OK/{rok}/{nr}`` → ``OK/2027/1``, ``UM/{rok}/{nr:3}`` →
``UM/2027/001``. Placeholders: ``{rok}`` (the year), ``{nr}`` (the next number), ``{nr:N}`` (zero-padded to N digits).
"""

import re

from django.core.exceptions import ValidationError

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
NUMBER = re.compile(r"nr(?::([1-9]))?")
MAX_LENGTH = 40


def format_number(pattern: str, *, year: int, n: int) -> str:
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name == "rok":
            return str(year)
        number = NUMBER.fullmatch(name)
        width = int(number.group(1) or 1)
        return f"{n:0{width}d}"

    return PLACEHOLDER.sub(replace, pattern)


def validate_number_pattern(pattern: str) -> None:
    """A pattern holds ``{nr}`` (or ``{nr:N}``) exactly once, may hold ``{rok}``, and nothing else in braces."""
    names = PLACEHOLDER.findall(pattern)
    unknown = [name for name in names if name != "rok" and not NUMBER.fullmatch(name)]
    if unknown or pattern.count("{") != len(names) or pattern.count("}") != len(names):
        raise ValidationError(
            "Wzór może zawierać tylko {rok}, {nr} albo {nr:3} (numer uzupełniony zerami do 3 cyfr).", code="pattern"
        )
    if sum(1 for name in names if NUMBER.fullmatch(name)) != 1:
        raise ValidationError("Wzór musi zawierać numer kolejny {nr} dokładnie raz, np. OK/{rok}/{nr}.", code="pattern")
    if len(format_number(pattern, year=2000, n=99999)) > 50:
        raise ValidationError("Numer według tego wzoru byłby dłuższy niż 50 znaków.", code="pattern")
