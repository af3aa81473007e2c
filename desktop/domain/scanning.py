"""What a barcode scanner or a person typed: a work-order number, an asset label, or neither.

One reader for the whole app: `parse` for the go-to box, the scan listener, the kiosk and the
asset lookup; `scanned_number` for the places that want a whole printed number only (a search
field's Enter, `wo show`).

A keyboard-wedge scanner types what the code holds and usually an Enter; many add a prefix or
suffix of their own (an AIM symbology identifier such as `]Q1`, STX/ETX, a configured `#`). A
scanner set up for a US keyboard on a German Windows layout types `ß` where the code has `-`,
and Caps Lock turns letters round. None of that may stop the order from opening.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

ASSET_LABEL_PREFIX = "wrenchbook:asset:"
"""What an asset's printed label holds before the asset code (the kiosk reads the same)."""

# The sheet's QR code holds the bare number (desktop/reports/sheet.py), handed out as
# WO-YYYY-NNNNNN. It is found anywhere in the text: `-` may come through as `ß` (US scanner on
# a German layout), `_`, `/` or a space, and the digits may be unpadded.
_WORK_ORDER = re.compile(
    r"(?<![A-Z0-9])WO[-ß_/ ]?(?P<year>(?:19|2[01])\d\d)[-ß_/ ]?(?P<serial>\d{1,6})(?!\d)",
    re.IGNORECASE,
)
# Asset labels: `wrenchbook:asset:CODE`, `asset:CODE` or a link ending in `/asset/CODE`.
_ASSET = re.compile(r"(?:wrenchbook:)?asset[:/](?P<code>[^\s/]+)\s*$", re.IGNORECASE)
# What an AIM symbology identifier looks like: `]` plus a letter and a digit (`]Q1` for QR).
_SYMBOLOGY = re.compile(r"^\][A-Za-z][0-9]")
# A scanner typing US key positions into a German layout: the keys of `-` `/` `_` `:` `;` give
# `ß` `-` `?` `Ö` `ö`, and Y and Z swap places. `ß` or `Ö` in a scan is the tell-tale sign.
_US_ON_GERMAN = str.maketrans("ß-?ÖözyZY", "-/_:;yzYZ")


class ScanKind(StrEnum):
    WORK_ORDER = "work order"
    ASSET = "asset"
    TEXT = "text"


@dataclass(frozen=True)
class Scan:
    """`value` is the normalised work-order number, the asset code, or the cleaned text.

    `whole` is True for a work-order number with all six digits of its serial, as printed.
    """

    kind: ScanKind
    value: str
    whole: bool = field(default=False, compare=False)


def clean(text: str) -> str:
    """The printable part of what was typed, without a symbology identifier or padding."""
    printable = "".join(ch for ch in text if ch.isprintable()).strip()
    return _SYMBOLOGY.sub("", printable).strip()


def work_order_number(year: int | str, serial: int | str) -> str:
    """The canonical spelling of a work-order number (numbering.next_number makes the same)."""
    return f"WO-{int(year)}-{int(serial):06d}"


def parse(text: str) -> Scan:
    """Read a scan or a typed entry; a work-order number wins over an asset label."""
    cleaned = clean(text)
    found = _read(cleaned)
    if found is None and ("ß" in cleaned or "Ö" in cleaned):
        found = _read(cleaned.translate(_US_ON_GERMAN))
    return found or Scan(ScanKind.TEXT, cleaned)


def _read(cleaned: str) -> Scan | None:
    match = _WORK_ORDER.search(cleaned)
    if match:
        number = work_order_number(match["year"], match["serial"])
        return Scan(ScanKind.WORK_ORDER, number, whole=len(match["serial"]) == 6)
    asset = _ASSET.search(cleaned)
    if asset:
        return Scan(ScanKind.ASSET, asset["code"])
    return None


def scanned_number(text: str) -> str | None:
    """The work-order number in `text` in its stored upper-case form, or None if it has none.

    Only a whole printed number counts (six serial digits): a code the scanner read in part
    must not open another order. Control characters are dropped rather than treated as
    separators, because some keyboard wedges interleave them with the characters of the payload.
    """
    scan = parse(text)
    return scan.value if scan.kind is ScanKind.WORK_ORDER and scan.whole else None


def asset_label(code: str) -> str:
    """What an asset's QR label holds."""
    return f"{ASSET_LABEL_PREFIX}{code}"


def looks_like_scan(text: str) -> bool:
    """Whether the text names an order or an asset label (the scan listener's test)."""
    return parse(text).kind is not ScanKind.TEXT
