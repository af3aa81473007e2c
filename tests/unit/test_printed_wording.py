"""The printed pages' language: the catalogue read without Qt, the local formats and the
failure codes' names (issue 18, item 3)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from desktop.domain.failure_codes import code_lists
from desktop.reports.wording import (
    CATALOGUES,
    ENGLISH,
    Formats,
    current,
    read_qm,
    tr,
    word,
    worded,
    wording,
)


def _compiled(language: str) -> dict[tuple[str, str], str]:
    """The texts of a .ts catalogue that lrelease compiles: every one with a translation (an
    unfinished one too, when lupdate filled it in from the same English text)."""
    found = {}
    for message in ET.parse(CATALOGUES / f"wrenchbook_{language}.ts").iter("message"):
        translation = message.find("translation")
        if translation is None or translation.get("type") in {"vanished", "obsolete"}:
            continue
        forms = translation.findall("numerusform")
        text = forms[0].text if forms else translation.text
        if text:
            key = (message.findtext("source") or "", message.findtext("comment") or "")
            found[key] = text
    return found


@pytest.mark.parametrize("language", ["de", "pl", "tr"])
def test_the_compiled_catalogue_reads_as_its_source(language: str) -> None:
    assert read_qm(CATALOGUES / f"wrenchbook_{language}.qm") == _compiled(language)


def test_a_file_that_is_no_catalogue_gives_no_translations(tmp_path: Path) -> None:
    junk = tmp_path / "junk.qm"
    junk.write_bytes(b"not a catalogue")

    assert read_qm(junk) == {}


def test_german_dates_and_numbers() -> None:
    german = wording("de")

    assert german.day(date(2026, 12, 5)) == "05.12.2026"
    assert german.fixed(1234.5, 1) == "1.234,5"
    assert german.short(2.5) == "2,5"
    assert german.short(1234.5) == "1.234,5"


def test_english_keeps_iso_dates_and_its_numbers() -> None:
    assert wording("en") == ENGLISH
    assert ENGLISH.day(date(2026, 12, 5)) == "2026-12-05"
    assert ENGLISH.fixed(1234.5, 1) == "1,234.5"
    assert ENGLISH.fixed(1234.5, 2, grouped=False) == "1234.50"
    assert wording("de").fixed(1234.5, 2, grouped=False) == "1.234,50"
    assert ENGLISH.short(1234.5) == "1234.5"


def test_the_workstation_locale_overrides_the_language_formats() -> None:
    swiss = wording("de", Formats("dd.MM.yyyy", ".", "’"))

    assert swiss.fixed(1234.5, 1) == "1’234.5"
    assert swiss.text("Instructions") == "Anweisungen"
    assert wording("en", Formats("d/M/yy")).day(date(2026, 3, 2)) == "2/3/26"


def test_an_unknown_language_prints_english() -> None:
    assert wording("ja") == ENGLISH


def test_polish_falls_back_to_english_where_it_has_no_translation() -> None:
    polish = wording("pl")

    assert polish.text("Work done / remarks") == "Work done / remarks"
    assert polish.day(date(2026, 12, 5)) == "05.12.2026"
    assert polish.fixed(1234.5, 1) == "1\u00a0234,5"


def test_a_page_is_worded_only_inside_its_block() -> None:
    with worded(wording("de")):
        assert tr("Instructions") == "Anweisungen"
        assert tr("Start", "time") == "Beginn"
        assert word("in_progress") == "in Arbeit"
    assert current() == ENGLISH
    assert tr("Instructions") == "Instructions"
    assert word("in_progress") == "in_progress"


def test_every_failure_code_has_a_german_name() -> None:
    missing = [
        (field, code.code)
        for field, codes in code_lists().items()
        for code in codes
        if code.name("de") == code.label and code.label not in {"Vibration", "Erosion"}
    ]
    assert not missing
    breakdown = next(c for c in code_lists()["failure_mode"] if c.code == "BRD")
    assert (breakdown.name("de"), breakdown.name("pl"), breakdown.label) == (
        "Ausfall",
        "Breakdown",
        "Breakdown",
    )
