"""What a barcode scanner or a person typed: a work-order number, an asset label, or neither.

A keyboard-wedge scanner types what the code holds and usually an Enter; many add a prefix or
suffix of their own (an AIM symbology identifier such as `]Q1`, STX/ETX, a configured `#`). A
scanner set up for a US keyboard on a German Windows layout types `ß` where the code has `-`,
and Caps Lock turns letters round. None of that may stop the order from opening.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

ASSET_LABEL_PREFIX = "wrenchbook:asset:"
"""What an asset's printed label holds before the asset code (the kiosk reads the same)."""

# The number of a work order, WO-2026-000123, anywhere in the text: `-` may come through as
# `ß` (US scanner on a German layout), `_`, `/` or a space, and the digits may be unpadded.
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
    """`value` is the normalised work-order number, the asset code, or the cleaned text."""

    kind: ScanKind
    value: str


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
        return Scan(ScanKind.WORK_ORDER, work_order_number(match["year"], match["serial"]))
    asset = _ASSET.search(cleaned)
    if asset:
        return Scan(ScanKind.ASSET, asset["code"])
    return None


def asset_label(code: str) -> str:
    """What an asset's QR label holds."""
    return f"{ASSET_LABEL_PREFIX}{code}"


def looks_like_scan(text: str) -> bool:
    """Whether the text names an order or an asset label (the scan listener's test)."""
    return parse(text).kind is not ScanKind.TEXT
