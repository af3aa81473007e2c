"""The language and the local formats a printed page is written in (issue 18, item 3).

Why this design: a printed page should read like the screen it was printed from, and a text
should be translated once. So the pages' texts live in the app's one Qt catalogue
(`resources/i18n/wrenchbook_<lang>.ts`, context ""): they are marked here with `tr()` and
`QT_TR_NOOP`, the names `pyside6-lupdate` looks for (`tools/translations.py` reads
`desktop/reports/` too), and a text the screen already has ("Asset", the statuses) is the same
entry. `desktop/` stays free of Qt, so it does not ask Qt's translator: it reads the compiled
`.qm` file the app ships (a documented, stable format: a magic number, then tagged blocks) into
a plain dict. That serves the CLI (`--language de`) and the app alike; the app only passes the
workstation's language and its QLocale's separators and date order (`ui/reports/wording.py`),
so a Swiss workstation prints 1'234.5 as it shows it. No dependency such as Babel was needed for
four languages' dates and numbers, and its 30 MB of locale data would have gone into the bundle.

English, the default, prints as before: ISO dates (2026-12-05 14:30), 1,234.5. A text without a
translation (Polish and Turkish are only started) prints in English. Times are always on the
site's clock (`markup.printed_in`); the database keeps UTC.
"""

from __future__ import annotations

import math
import re
import struct
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from desktop.domain.failure_codes import RESOURCES_DIR

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from datetime import date
    from pathlib import Path

CATALOGUES = RESOURCES_DIR / "i18n"
SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class Formats:
    """How dates and numbers are written: a Qt-style date pattern (d, dd, M, MM, yy, yyyy) and
    the decimal and group separators."""

    date: str = "yyyy-MM-dd"
    decimal: str = "."
    group: str = ","


LANGUAGE_FORMATS = {
    "en": Formats(),
    "de": Formats("dd.MM.yyyy", ",", "."),
    "pl": Formats("dd.MM.yyyy", ",", "\u00a0"),
    "tr": Formats("dd.MM.yyyy", ",", "."),
}
"""Each shipped language's own conventions (as Qt's locale has them); English keeps ISO dates,
the app's format since its first release."""


@dataclass(frozen=True)
class Wording:
    """One language's printed texts and formats; build with `wording(language)`."""

    language: str = SOURCE_LANGUAGE
    formats: Formats = field(default_factory=Formats)
    catalogue: Mapping[tuple[str, str], str] = field(default_factory=dict, repr=False)
    """(English text, disambiguation) → translation."""

    def text(self, source: str, disambiguation: str | None = None) -> str:
        return self.catalogue.get((source, disambiguation or ""), source)

    def day(self, value: date) -> str:
        tokens = {
            "yyyy": f"{value.year:04d}",
            "yy": f"{value.year % 100:02d}",
            "MM": f"{value.month:02d}",
            "M": str(value.month),
            "dd": f"{value.day:02d}",
            "d": str(value.day),
        }
        return _DATE_TOKENS.sub(lambda m: tokens[m.group(0)], self.formats.date)

    def fixed(self, value: float, decimals: int, grouped: bool = True) -> str:
        """`value` with `decimals` places and group separators: 1,234.5 / 1.234,5. English
        leaves out the separators where `grouped` is False, as those figures always printed
        (1234.50); the other languages group as their locale does."""
        if not math.isfinite(value):
            return str(value)
        if not grouped and self.language == SOURCE_LANGUAGE:
            return f"{value:.{decimals}f}"
        return self._local(f"{value:,.{decimals}f}")

    def short(self, value: float) -> str:
        """As short as it goes (`:g`): 2.5, 12, 0.125; German 2,5 and 1.234,5. English keeps
        the ungrouped form the pages always printed."""
        if self.language == SOURCE_LANGUAGE or not math.isfinite(value):
            return f"{value:g}"
        return self._local(f"{value:,g}")

    def _local(self, english: str) -> str:
        swap = {",": self.formats.group, ".": self.formats.decimal}
        return "".join(swap.get(char, char) for char in english)


_DATE_TOKENS = re.compile("yyyy|yy|MM|M|dd|d")
ENGLISH = Wording()


def wording(language: str, formats: Formats | None = None) -> Wording:
    """The printed wording of `language` (en, de, pl, tr; anything else English), with the
    language's own formats unless `formats` (the workstation's locale) says otherwise."""
    if language not in LANGUAGE_FORMATS:
        language = SOURCE_LANGUAGE
    catalogue = {} if language == SOURCE_LANGUAGE else _catalogue(language)
    return Wording(language, formats or LANGUAGE_FORMATS[language], catalogue)


@cache
def _catalogue(language: str) -> Mapping[tuple[str, str], str]:
    path = CATALOGUES / f"wrenchbook_{language}.qm"
    return read_qm(path) if path.exists() else {}


_QM_MAGIC = bytes.fromhex("3cb86418caef9c95cd211cbf60a1bddd")
_MESSAGES = 0x69
_END, _SOURCE16, _TRANSLATION, _SOURCE, _CONTEXT, _COMMENT = 1, 2, 3, 6, 7, 8


def read_qm(path: Path) -> dict[tuple[str, str], str]:
    """The translations of the app's context ("") in a Qt `.qm` file: (source, disambiguation)
    → translation (the first form of a plural). Unfinished texts are not in a .qm file."""
    data = path.read_bytes()
    if not data.startswith(_QM_MAGIC):
        return {}
    messages = b""
    at = len(_QM_MAGIC)
    while at + 5 <= len(data):
        tag, length = data[at], struct.unpack_from(">I", data, at + 1)[0]
        if tag == _MESSAGES:
            messages = data[at + 5 : at + 5 + length]
        at += 5 + length
    found: dict[tuple[str, str], str] = {}
    fields: dict[int, bytes] = {}
    at = 0
    while at < len(messages):
        tag = messages[at]
        at += 1
        if tag == _END:
            source = fields.get(_SOURCE)
            translation = fields.get(_TRANSLATION)
            if source is not None and translation is not None and not fields.get(_CONTEXT):
                key = (source.decode("utf-8"), fields.get(_COMMENT, b"").decode("utf-8"))
                found[key] = translation.decode("utf-16-be")
            fields = {}
            continue
        length = struct.unpack_from(">I", messages, at)[0]
        at += 4
        if length == 0xFFFFFFFF:  # a null string
            continue
        # Only a plural's first form is kept: the pages print no counted nouns through tr().
        fields.setdefault(tag, messages[at : at + length])
        at += length
    return found


_CURRENT: ContextVar[Wording] = ContextVar("printed_wording", default=ENGLISH)


@contextmanager
def worded(chosen: Wording) -> Iterator[Wording]:
    """Write every text and figure inside the block in `chosen`'s language. A context variable,
    like the printed time zone: one report has one language, and each builds in one thread."""
    token = _CURRENT.set(chosen)
    try:
        yield chosen
    finally:
        _CURRENT.reset(token)


def current() -> Wording:
    return _CURRENT.get()


def tr(text: str, disambiguation: str | None = None) -> str:
    """`text` in the language of the page being built (English when it has no translation)."""
    return _CURRENT.get().text(text, disambiguation)


def QT_TR_NOOP(text: str) -> str:  # noqa: N802 (the name pyside6-lupdate looks for)
    """Marks a text kept in a constant for the catalogue; `tr()` it where it is printed."""
    return text


def word(value: str) -> str:
    """A stored enum value as printed: in English as stored (`in_progress`, as the pages always
    printed it and auditors search for it), in another language the screen's word for it
    (`in Arbeit`; ui/words.py marks them)."""
    chosen = _CURRENT.get()
    if chosen.language == SOURCE_LANGUAGE:
        return value
    return chosen.text(value.replace("_", " "))


def result_word(value: str) -> str:
    """A checklist result where it must stand out: PASS and FAIL in capitals, as the English
    pages always printed them; other languages' words as they are written ("i. O.")."""
    printed = word(value)
    return printed.upper() if _CURRENT.get().language == SOURCE_LANGUAGE else printed
