"""What a scanner or a person types is read as a work-order number, an asset label or text."""

from __future__ import annotations

import pytest

from desktop.domain.scanning import Scan, ScanKind, asset_label, parse, scanned_number


@pytest.mark.parametrize(
    "text",
    [
        "WO-2026-000001",
        "wo-2026-000001",
        "  Wo-2026-000001\r\n",
        "\x02WO-2026-000001\x03",  # STX/ETX framing of a serial wedge
        "]Q1WO-2026-000001",  # AIM symbology identifier of a QR code
        "]Q1wo-2026-000001\t",
        "SCAN:WO-2026-000001;",
    ],
)
def test_scanner_noise_and_case_give_the_stored_number(text):
    assert scanned_number(text) == "WO-2026-000001"


@pytest.mark.parametrize(
    "text",
    ["", "   \r", "pump", "WO-2026", "WO-2026-00001", "WO-2026-0000012", "PO-2026-000001"],
)
def test_text_without_a_whole_number_is_none(text):
    assert scanned_number(text) is None


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
