"""Text helpers for search: fold Vietnamese to plain lowercase ASCII ("Nguyễn" -> "nguyen")."""

import unicodedata


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(stripped.lower().split())


def tidy(text: str) -> str:
    """Collapse runs of spaces and normalise to NFC, as people type on phones."""
    return " ".join(unicodedata.normalize("NFC", text).split())
