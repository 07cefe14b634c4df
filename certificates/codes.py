"""Verification codes: 80 random bits in Crockford's base32, read aloud in groups of four.

Crockford's alphabet leaves out I, L, O and U, so a code read over the phone cannot be
mistaken: input is upper-cased, spaces and dashes are dropped, O is read as 0 and I/L as 1.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16  # 16 symbols x 5 bits = 80 random bits
GROUP = 4
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def code_generate() -> str:
    """A fresh code in its stored form (no dashes), from the OS's secure random source."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def code_normalise(raw: str) -> str | None:
    """The stored form of a code a person typed, or None when it cannot be a code."""
    cleaned = "".join((raw or "").split()).replace("-", "").upper().translate(_CONFUSABLE)
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def code_format(code: str) -> str:
    """ABCDEFGHJKMNPQRS -> ABCD-EFGH-JKMN-PQRS."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
