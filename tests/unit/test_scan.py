"""Reading what a barcode scanner or a person typed: order numbers and asset labels."""

from __future__ import annotations

import pytest

from desktop.domain.scan import Scan, ScanKind, asset_label, parse


@pytest.mark.parametrize(
    "typed",
    [
        "WO-2026-000123",
        "wo-2026-000123",
        "Wo-2026-123",
        "WO-2026-000123\r",
        "\x02WO-2026-000123\x03",  # STX/ETX framing
        "]Q1WO-2026-000123",  # AIM symbology identifier of a QR code
        "#WO-2026-000123#",  # a configured prefix and suffix
        "  WO 2026 123  ",
        "WOß2026ß000123",  # US scanner layout on a German Windows keyboard
    ],
)
def test_reads_an_order_number_however_the_scanner_typed_it(typed):
    assert parse(typed) == Scan(ScanKind.WORK_ORDER, "WO-2026-000123")


@pytest.mark.parametrize(
    "typed",
    [
        asset_label("BOT-SYR-SUG-P1"),
        "WRENCHBOOK:ASSET:BOT-SYR-SUG-P1",
        "asset:BOT-SYR-SUG-P1\r\n",
        "https://plant.example/asset/BOT-SYR-SUG-P1",
        "wrenchbookÖassetÖBOTßSZRßSUGßP1",  # US scanner layout on a German keyboard
    ],
)
def test_reads_an_asset_label(typed):
    assert parse(typed) == Scan(ScanKind.ASSET, "BOT-SYR-SUG-P1")


@pytest.mark.parametrize("typed", ["pump", "WO-2026-0001234", "XWO-2026-1", "123", ""])
def test_anything_else_stays_text(typed):
    assert parse(typed).kind is ScanKind.TEXT
