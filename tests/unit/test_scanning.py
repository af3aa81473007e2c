"""What a scanner or a person types in front of a work-order number is read as that number."""

from __future__ import annotations

import pytest

from desktop.domain.scanning import scanned_number


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
