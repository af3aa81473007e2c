"""The engine's messages a person can read in the app, found in the source (issue 18, item 3).

    python tools/engine_texts.py        (tools/translations.py runs it first)

The services and the domain write refusals and validation messages in English: the CLI prints
them as they are, the desktop app shows them through `ui.i18n.say` in the user's language. This
module finds them where they are written — the arguments of a raised error, the values put into
a `problems` map or list, what a guard or a `*_problem` function returns — and every
`Phrase("template", …)` in `desktop/`, and writes their English texts into `ui/engine_texts.py`,
where `pyside6-lupdate` reads them into the catalogues. `tests/test_translatable_texts.py` uses
the same search: a message built with an f-string (which no catalogue can hold) or missing from
the German catalogue fails the suite.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[1]
ENGINE_FOLDERS = ("desktop/domain", "desktop/services", "desktop/store", "desktop/plant")
"""Where the messages of forms, dialogs and status lines come from (desktop/plant: the OPC UA
link's failures and sampling warnings in the status bar and on the Trends page); the printed
pages (desktop/reports) and the CLI (desktop/cli) have their own, the migrations none."""
LISTING = ROOT / "ui" / "engine_texts.py"
LINE_LENGTH = 100

ERROR_SUFFIXES = ("Error", "Refused", "Failed", "Denied", "NotFound", "Locked", "Stock")
ERROR_NAMES = {"NotFound", "ImportProblem", "SettleChanged", "ReadOnlyRecord", "CheckResult"}
"""Calls whose text arguments are messages although their names do not say so."""
MESSAGE_NAMES = ("problem", "refusal", "warning")
"""A variable, map or list whose name has one of these in it holds messages."""
MESSAGE_FUNCTIONS = ("problem", "refusal", "_needs_", "warning")
MESSAGE_ENUMS = {"Action"}
"""Enums whose values are words of a message ("tina (viewer) may not create work orders")."""
"""A function whose name has one of these in it returns messages."""


@dataclass(frozen=True)
class Message:
    """One place where the engine writes a text a person reads."""

    path: str
    line: int
    node: ast.expr

    @property
    def text(self) -> str | None:
        """The English text (a Phrase's template), or None when it is not a literal."""
        node = self.node
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if _is_phrase(node) and isinstance(node, ast.Call):
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                return first.value
        return None

    @property
    def built(self) -> bool:
        """A text put together in code (f-string, `+`, `.format`, `%`): no catalogue holds it."""
        node = self.node
        if isinstance(node, ast.JoinedStr):
            # f"{day:%Y-%m-%d}" only formats a value; words around values make it a sentence.
            return any(isinstance(v, ast.Constant) and _words(v) for v in node.values)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
            return any(
                isinstance(side, ast.Constant | ast.JoinedStr) and _words(side)
                for side in (node.left, node.right)
            )
        return (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and isinstance(node.func.value, ast.Constant)
        )


def _words(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value)
    return True


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript):
        return _name(node.value)
    if isinstance(node, ast.Call):
        return _name(node.func)
    return ""


def _is_phrase(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and _name(node.func) == "Phrase"


def _is_error(call: ast.Call) -> bool:
    name = _name(call.func)
    return (
        name in ERROR_NAMES
        or "refuse" in name
        or (name[:1].isupper() and name.endswith(ERROR_SUFFIXES))
    )


def _holds_messages(name: str) -> bool:
    return any(part in name.lower() for part in MESSAGE_NAMES)


def _spread(node: ast.expr | None) -> Iterator[ast.expr]:
    """The texts inside a message expression: both branches of `a if c else b`, the items of a
    list or map, the element of a comprehension; a Phrase's values are its own."""
    if node is None:
        return
    if isinstance(node, ast.IfExp):
        yield from _spread(node.body)
        yield from _spread(node.orelse)
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        for element in node.elts:
            yield from _spread(element)
    elif isinstance(node, ast.Dict):
        for value in node.values:
            yield from _spread(value)
    elif isinstance(node, ast.ListComp | ast.GeneratorExp | ast.SetComp):
        yield from _spread(node.elt)
    elif isinstance(node, ast.DictComp):
        yield from _spread(node.value)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _spread(value)
    elif isinstance(node, ast.Call) and _is_error(node):
        shown = node.args[-1:] if _name(node.func) == "ImportProblem" else node.args
        for argument in shown:
            yield from _spread(argument)
    elif isinstance(node, ast.Constant) and not isinstance(node.value, str):
        return
    else:
        yield node


def _in_messages(tree: ast.AST) -> Iterator[ast.expr]:
    """Every expression of `tree` that is, or holds, a message."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_error(node):
            # An import problem is (row, column, text): only the text is a message.
            shown = node.args[-1:] if _name(node.func) == "ImportProblem" else node.args
            for argument in shown:
                yield from _spread(argument)
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_holds_messages(_name(t)) for t in targets):
                yield from _spread(node.value)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"append", "extend", "add", "setdefault"}
            and _holds_messages(_name(node.func.value))
        ):
            for argument in node.args[-1:]:
                yield from _spread(argument)
        elif isinstance(node, ast.ClassDef) and node.name in MESSAGE_ENUMS:
            for item in node.body:
                if isinstance(item, ast.Assign):
                    yield from _spread(item.value)
        elif isinstance(node, ast.FunctionDef) and any(
            part in node.name for part in MESSAGE_FUNCTIONS
        ):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Return):
                    yield from _spread(inner.value)
        if _is_phrase(node):
            assert isinstance(node, ast.Call)
            yield node
            # A value written as an f-string with words is English no catalogue holds.
            yield from (k.value for k in node.keywords if isinstance(k.value, ast.JoinedStr))


def _sources() -> list[Path]:
    return sorted(
        p
        for folder in ENGINE_FOLDERS
        for p in (ROOT / folder).rglob("*.py")
        if "migrations" not in p.parts
    )


def found_in(source: str, path: str) -> list[Message]:
    """The messages one module writes, in line order."""
    found: dict[tuple[int, int], Message] = {}
    for node in _in_messages(ast.parse(source, path)):
        if isinstance(node, ast.Constant) and not _words(node):
            continue
        found[(node.lineno, node.col_offset)] = Message(path, node.lineno, node)
    return [found[key] for key in sorted(found)]


def messages() -> list[Message]:
    """Every place in the engine that writes a message, in file and line order."""
    return [
        message
        for path in _sources()
        for message in found_in(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]


def texts() -> list[str]:
    """The English texts to translate, each once, in the order they are first written."""
    return list(dict.fromkeys(m.text for m in messages() if m.text is not None))


def listing(found: list[str]) -> str:
    lines = [
        '"""The engine\'s messages (refusals, validation, lock-out, lifecycle guards) as the app',
        "shows them through `ui.i18n.say`, listed for `pyside6-lupdate`.",
        "",
        "Written by `python tools/engine_texts.py` from desktop/domain, services, store and plant;",
        "do not edit by hand.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from PySide6.QtCore import QT_TR_NOOP",
        "",
        "ENGINE_TEXTS = (",
    ]
    lines += [f"    QT_TR_NOOP({_literal(text)})," for text in found]
    lines += [")", ""]
    return "\n".join(lines)


def _quoted(text: str) -> str:
    """`text` as a literal in ruff's style: double quotes unless the text holds one."""
    literal = repr(text)
    if literal.startswith("'") and '"' not in text:
        literal = '"' + literal[1:-1].replace("\\'", "'") + '"'
    return literal


def _literal(text: str) -> str:
    """A Python literal of `text` laid out as `ruff format` leaves it in the listing: on the
    line of its QT_TR_NOOP, else on a line of its own, else split at spaces."""
    whole = _quoted(text)
    if len(f"    QT_TR_NOOP({whole}),") <= LINE_LENGTH:
        return whole
    if len(whole) + 8 <= LINE_LENGTH:
        return f"\n        {whole}\n    "
    limit = 80
    parts, current = [], ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if len(_quoted(candidate)) > limit and current:
            parts.append(current + " ")
            current = word
        else:
            current = candidate
    parts.append(current)
    return "\n        " + "\n        ".join(_quoted(p) for p in parts) + "\n    "


def write() -> Path:
    LISTING.write_text(listing(texts()), encoding="utf-8")
    return LISTING


def main() -> int:
    built = [m for m in messages() if m.built]
    for message in built:
        print(f"{message.path}:{message.line}: a message built in code; raise a Phrase")
    write()
    return 1 if built else 0


if __name__ == "__main__":
    sys.exit(main())
