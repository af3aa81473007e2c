"""Update the translation catalogues from the code and compile them (issue 18, item 3).

    python tools/translations.py

Lists the engine's messages for the translators first (`tools/engine_texts.py` writes
`ui/engine_texts.py`), then runs `pyside6-lupdate` over every module of `ui/` and of the
printed pages (`desktop/reports/`, Qt-free: see desktop/reports/wording.py) into
`resources/i18n/wrenchbook_<lang>.ts` (new texts arrive unfinished, texts gone from the code
are dropped) and `pyside6-lrelease` into the `.qm` files the app loads. Translate in Qt
Linguist (`pyside6-linguist`) or in the .ts itself, then run this again; the test suite fails
while a German text is unfinished.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from engine_texts import write as list_engine_texts

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "resources" / "i18n"
SOURCES = ("ui", "desktop/reports")
"""Where texts are shown: the app's screens and its printed pages."""
LANGUAGES = ("de", "pl", "tr")
"""English is the source language: it has no catalogue."""


def catalogue(language: str) -> Path:
    return I18N / f"wrenchbook_{language}.ts"


def update() -> None:
    list_engine_texts()
    sources = [
        str(p.relative_to(ROOT))
        for folder in SOURCES
        for p in sorted((ROOT / folder).rglob("*.py"))
    ]
    I18N.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        target = str(catalogue(language).relative_to(ROOT))
        subprocess.run(
            ["pyside6-lupdate", "-no-obsolete", "-locations", "none", *sources, "-ts", target],
            cwd=ROOT,
            check=True,
        )


def compile_all() -> None:
    for language in LANGUAGES:
        subprocess.run(
            ["pyside6-lrelease", "-silent", str(catalogue(language))], cwd=ROOT, check=True
        )


def main(argv: list[str]) -> int:
    if "--compile-only" not in argv:
        update()
    compile_all()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
