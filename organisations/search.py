"""Searching names and titles: in any word order, without Polish diacritics, and by KRS, NIP or REGON.

On PostgreSQL, text is matched by full-text search in the ``portal_unaccent`` configuration (the ``simple``
dictionary behind ``unaccent``, made by migration ``organisations.0005``), each word as a prefix: "lodz sport"
finds "Sportowy Klub Łódź". GIN indexes on the same expression keep it fast. Elsewhere (SQLite in development)
each word must occur in the text: the same results for whole words and prefixes, without an index.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q

SEARCH_CONFIG = "portal_unaccent"
MAX_WORDS = 8
# Letters that Unicode does not decompose into a base letter plus a combining mark.
_NON_DECOMPOSING = str.maketrans({"ł": "l", "Ł": "l", "đ": "d", "ø": "o", "ß": "ss"})
_WORD = re.compile(r"[^\W_]+")
_IDENTIFIER = re.compile(r"[\d\s\-]+")


def search_key(text: str) -> str:
    """Lower case without diacritics and with single spaces: "Łódź  Sport" → "lodz sport"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_NON_DECOMPOSING))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def search_words(text: str) -> list[str]:
    """The words of a query, without diacritics and punctuation (at most ``MAX_WORDS``)."""
    return _WORD.findall(search_key(text))[:MAX_WORDS]


def identifier_digits(text: str) -> str | None:
    """The digits of a typed KRS, NIP or REGON ("123-456-32-18", "0000 123 456"), else None."""
    text = (text or "").strip()
    if not text or not _IDENTIFIER.fullmatch(text):
        return None
    digits = re.sub(r"\D", "", text)
    return digits if 5 <= len(digits) <= 14 else None


def identifier_q(digits: str, prefix: str = "") -> Q:
    """KRS (zeros in front may be left out), NIP or REGON equal to ``digits``."""
    return identifiers_q(digits, krs_of(digits), prefix)


def krs_of(digits: str) -> str | None:
    """The KRS number ``digits`` can be, zeros in front put back; None when too long for one."""
    return digits.zfill(10) if len(digits) <= 10 else None


def identifiers_q(digits: str, krs: str | None, prefix: str = "") -> Q:
    """The condition of ``identifier_q`` for its KRS already made (``krs_of``)."""
    q = Q(**{f"{prefix}nip": digits}) | Q(**{f"{prefix}regon": digits})
    if krs is not None:
        q |= Q(**{f"{prefix}krs": krs})
    return q


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def full_text_index(model, field: str):
    """The GIN index on the expression ``text_q`` searches (PostgreSQL only; created by the migrations)."""
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    return GinIndex(SearchVector(field, config=SEARCH_CONFIG), name=f"{model._meta.db_table[:18]}_{field}_fts")


def text_q(field: str, text: str, *, key_field: str | None = None) -> Q | None:
    """A condition matching ``field`` to every word of ``text`` in any order; None when there is no word.

    ``key_field`` is a stored diacritic-free copy of the field (``search_name``) for the fallback."""
    return terms_q(field, text_terms(text), key_field=key_field)


def text_terms(text: str) -> str | list[str] | None:
    """What ``terms_q`` matches for ``text``: on PostgreSQL one full-text query, every word a prefix ("lodz:* &
    sport:*"); elsewhere the words. None when there is no word. (Apart so that a prepared query, ``config.prepared``,
    can take the terms as a value.)"""
    words = search_words(text)
    if not words:
        return None
    if uses_full_text():
        return " & ".join(f"{word}:*" for word in words)
    return words


def terms_q(field: str, terms: str | list[str] | None, *, key_field: str | None = None) -> Q | None:
    """The condition of ``text_q`` for terms made by ``text_terms``."""
    if terms is None:
        return None
    if isinstance(terms, str):
        return Q(**{f"{field}__search": SearchQuery(terms, config=SEARCH_CONFIG, search_type="raw")})
    q = Q()
    for word in terms:
        q &= Q(**{f"{key_field}__contains": word}) if key_field else Q(**{f"{field}__icontains": word})
    return q
