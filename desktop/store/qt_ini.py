"""Reads and updates the INI files Qt's QSettings writes, without Qt, for the engine and CLI.

The workstation settings file is one file shared by the desktop app (QSettings: window layout,
last user, connection settings) and headless commands such as the monitoring service. Qt's
INI dialect differs from configparser's: keys of a group go under `[group]`, top-level keys
under `[General]`, values are backslash-escaped, quoted when they hold `,` `;` `=`, and an
unquoted comma makes a list. Keys this module does not update are copied back unchanged
(a window geometry is a `@ByteArray(…)` only Qt should interpret).
"""

from __future__ import annotations

import os
import string
import tempfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

ROOT_SECTION = "General"
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_WRITE_ESCAPES = {v: k for k, v in _ESCAPES.items()}
_Sections = dict[str, dict[str, str]]


def _split_key(key: str) -> tuple[str, str]:
    """'display/pages' -> ('display', 'pages'); 'x' -> ('General', 'x')."""
    group, _, name = key.rpartition("/")
    return (group or ROOT_SECTION), name


def _parse_raw(text: str) -> _Sections:
    """Section -> key -> value text as written (still escaped)."""
    sections: _Sections = {}
    current = sections.setdefault(ROOT_SECTION, {})
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith((";", "#")):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            current = sections.setdefault(stripped[1:-1], {})
            continue
        key, sep, value = stripped.partition("=")
        if sep:
            current[key.strip()] = value.strip()
    return sections


def unescape(raw: str) -> str | list[str]:
    """A value as QSettings reads it: a string, or a list when unquoted commas split it."""
    items: list[str] = []
    current: list[str] = []
    quoted = False
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw):
            nxt = raw[i + 1]
            if nxt == "x":
                j = i + 2
                while j < len(raw) and raw[j] in "0123456789abcdefABCDEF":
                    j += 1
                current.append(chr(int(raw[i + 2 : j] or "0", 16)))
                i = j
                continue
            if nxt in "01234567":
                j = i + 1
                while j < len(raw) and j < i + 4 and raw[j] in "01234567":
                    j += 1
                current.append(chr(int(raw[i + 1 : j], 8)))
                i = j
                continue
            current.append(_ESCAPES.get(nxt, nxt))
            i += 2
            continue
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            items.append("".join(current).strip())
            current = []
        elif ch == ";" and not quoted:
            break
        else:
            current.append(ch)
        i += 1
    last = "".join(current)
    if not items:
        text = last if '"' in raw else last.strip()
        # "@@" marks a string that starts with "@"; a lone "@" starts a Qt type (@ByteArray).
        return text[1:] if text.startswith("@@") else text
    items.append(last.strip())
    return items


def escape(value: str) -> str:
    """A string as QSettings writes it, so Qt reads back exactly `value`."""
    out: list[str] = ["@" if value.startswith("@") else ""]
    after_hex = False  # a hex digit right after \xHH would be read as part of it
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in _WRITE_ESCAPES:
            out.append("\\" + _WRITE_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F or (after_hex and ch in string.hexdigits):
            out.append(f"\\x{ord(ch):x}")
            after_hex = True
            continue
        else:
            out.append(ch)
        after_hex = False
    text = "".join(out)
    if any(c in value for c in ",;=") or value != value.strip():
        return f'"{text}"'
    return text


def read(path: Path) -> dict[str, str | list[str]]:
    """Every key as 'group/name' (top-level keys without a group); missing file: empty."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    values: dict[str, str | list[str]] = {}
    for section, keys in _parse_raw(text).items():
        for key, raw in keys.items():
            name = key.replace("\\", "/")
            full = name if section == ROOT_SECTION else f"{section}/{name}"
            values[full] = unescape(raw)
    return values


def update(path: Path, changes: Mapping[str, str | None]) -> None:
    """Set (or, for None, remove) `changes`, keeping every other key as it was written.

    The new file replaces the old in one rename, so a crash never leaves half a file.
    """
    try:
        sections = _parse_raw(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        sections = {ROOT_SECTION: {}}
    for key, value in changes.items():
        section, name = _split_key(key)
        keys = sections.setdefault(section, {})
        if value is None:
            keys.pop(name, None)
        else:
            keys[name] = escape(value)
    blocks = [
        f"[{section}]\n" + "".join(f"{key}={raw}\n" for key, raw in keys.items())
        for section, keys in sections.items()
        if keys
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(blocks))
    os.replace(temporary, path)
