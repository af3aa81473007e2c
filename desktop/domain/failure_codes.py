"""The ISO 14224-style failure-code lists shipped in `resources/`, as the default choices.

Each entry has its code, its English `label` and its name in other languages under the
language's code ("de"); the stored value is always the code."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from desktop.domain.phrases import Phrase

RESOURCES_DIR = Path(__file__).resolve().parents[2] / "resources"
CODES_FILE = RESOURCES_DIR / "iso14224_codes.json"

# Work-order field -> list name in the codes file.
FIELD_LISTS = {
    "failure_impact": "failure_impact",
    "failure_mode": "failure_mode",
    "failure_mechanism": "failure_mechanism",
    "failure_cause": "failure_cause",
    "detection_method": "detection_method",
    "activity": "maintenance_activity",
}


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    """The English name, as stored lists and the machine exports know it."""
    names: tuple[tuple[str, str], ...] = ()
    """(language, name) for the other languages: the names travel with the codes in the one
    file a site may extend, rather than in the UI's catalogue, which only code reaches."""

    def name(self, language: str) -> str:
        """The name in `language` (de), English where the file has none (pl, tr for now)."""
        return dict(self.names).get(language, self.label)


@cache
def code_lists() -> dict[str, tuple[Code, ...]]:
    """Each work-order failure-code field with its allowed codes, in file order."""
    raw = json.loads(CODES_FILE.read_text(encoding="utf-8"))
    return {
        field: tuple(
            Code(
                item["code"],
                item["label"],
                tuple((k, v) for k, v in item.items() if k not in {"code", "label"}),
            )
            for item in raw[name]
        )
        for field, name in FIELD_LISTS.items()
    }


def code_problem(field: str, code: str) -> str | None:
    """Why `code` is not allowed in `field`, or None when it is."""
    allowed = code_lists()[field]
    if any(c.code == code for c in allowed):
        return None
    return Phrase(
        "unknown code {code}; use one of {codes}",
        code=repr(code),
        codes=", ".join(c.code for c in allowed),
    )
