"""A search key that ignores case and Polish diacritics, so that "lodz" finds "Łódź"."""

import unicodedata

# Letters that Unicode does not decompose into a base letter plus a combining mark.
_NON_DECOMPOSING = str.maketrans({"ł": "l", "Ł": "l", "đ": "d", "ø": "o", "ß": "ss"})


def search_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_NON_DECOMPOSING))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
