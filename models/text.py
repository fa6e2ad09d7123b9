"""Text helpers for search: fold Vietnamese to plain lowercase ASCII ("Nguyễn" -> "nguyen")."""

import re
import unicodedata

_NUMBER = re.compile(r"[0-9]{1,9}")
# Terminal escape sequences (ESC [ ... letter) and the characters that reorder or hide text:
# bidi embeddings, overrides and isolates, direction marks, zero-width space, BOM.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]?")
# The control characters (Unicode's category Cc: C0, DEL, C1) but line feed and tab.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_HIDDEN = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                                 "\u200e\u200f\u061c\u200b\ufeff"))


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(stripped.lower().split())


def clean(text: str) -> str:
    """What a person sent, without what no one means to send: NUL and other control characters
    (line breaks and tabs stay), terminal escapes, bidi overrides, zero-width characters."""
    return _CONTROLS.sub("", _ESCAPES.sub("", text).translate(_HIDDEN))


def tidy(text: str) -> str:
    """Collapse runs of spaces and normalise to NFC, as people type on phones."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def number(text: str) -> int | None:
    """A list or register number as people type it: ASCII digits, at most nine of them.

    Anything else is not a number here ("²" and "٣" pass str.isdigit, 2**63 overflows the
    database), so it never reaches int() or a query."""
    cleaned = text.strip()
    return int(cleaned) if _NUMBER.fullmatch(cleaned) else None


_RANGE_WORD = re.compile(r"\s*(?:-|–|\bđến\b|\bden\b|\btới\b|\btoi\b)\s*")
_LIST_PART = re.compile(r"([0-9]{1,9})(?:-([0-9]{1,9}))?")


def number_list(text: str, *, most: int = 50) -> list[int] | None:
    """Several register numbers as people type them: "3, 4, 7", "3 4 7", "3-7", "3 đến 5, 9";
    in the order typed, each once. None when the text is no such list, names more than `most`,
    or names a single number (that is a number, not a list)."""
    parts = [p for p in re.split(r"[,;\s]+", _RANGE_WORD.sub("-", text.strip().lower())) if p]
    numbers: list[int] = []
    for part in parts:
        match = _LIST_PART.fullmatch(part)
        if not match:
            return None
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) else first
        if last < first or last - first >= most:
            return None
        numbers += [n for n in range(first, last + 1) if n not in numbers]
        if len(numbers) > most:
            return None
    return numbers if len(numbers) >= 2 else None


def page_number(text: str) -> int:
    """The page asked for ("/ds 2"); the first page for anything that is not a page number."""
    return max(number(text) or 1, 1)


_PAIR = re.compile(r"([0-9]{1,9})\s*(?:[:=]\s*|\s+)(\S.*)")


def number_pairs(text: str) -> list[tuple[int, str]] | None:
    """Register numbers each with its own words, as typed in one message: "5: CN-0301; 12: CN-0302"
    (or "5 CN-0301", one pair a line or after a comma or semicolon). None when a part is no such pair."""
    parts = [p.strip() for p in re.split(r"[,;\n]+", text) if p.strip()]
    pairs = []
    for part in parts:
        match = _PAIR.fullmatch(part)
        if not match:
            return None
        pairs.append((int(match.group(1)), " ".join(match.group(2).split())))
    return pairs or None
