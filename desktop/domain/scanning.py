"""What a barcode or QR scanner typed, reduced to the work-order number it carries."""

from __future__ import annotations

import re

# The sheet's QR code holds the bare number (desktop/reports/sheet.py); a scanner may add an
# AIM symbology prefix (e.g. "]Q1"), a configured prefix or suffix, Tab/CR/LF, or send the
# letters in lower case when Caps Lock is on. Numbers are handed out as WO-YYYY-NNNNNN.
_NUMBER = re.compile(r"WO-(\d{4})-(\d{6})(?!\d)", re.IGNORECASE)


def scanned_number(text: str) -> str | None:
    """The work-order number in `text` in its stored upper-case form, or None if it has none.

    Control characters are dropped rather than treated as separators, because some keyboard
    wedges interleave them with the characters of the payload.
    """
    cleaned = "".join(ch for ch in text if ch.isprintable())
    match = _NUMBER.search(cleaned)
    return f"WO-{match.group(1)}-{match.group(2)}" if match else None
