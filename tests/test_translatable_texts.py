"""Every text the office app shows goes through Qt's translation (issue 18, item 3).

A static check over `ui/`: a string literal with words in it, handed straight to a Qt call that
shows it (setText, QLabel(…), a message box, a form field's label, a column title …), fails the
test; it must be wrapped in `tr()` (or `QT_TR_NOOP` where it is kept in a constant and
translated where shown). The printed pages (`desktop/reports/`) are checked the same way, at
the calls that print (para, drawString, a table's headings …). A second check keeps the German
catalogue complete and compiled, so a new `tr()` text without its translation fails here too.

The engine's refusals and validation messages reach the same forms: every message written in
desktop/domain, desktop/services, desktop/store and desktop/plant (found by
tools/engine_texts.py) must be a literal or a
`Phrase` template, never a text built in code, and must have its German translation.
"""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tools import engine_texts

ROOT = Path(__file__).resolve().parents[1]
UI = ROOT / "ui"
REPORTS = ROOT / "desktop" / "reports"
"""The printed pages: Qt-free, their texts in the same catalogue (desktop/reports/wording.py)."""
I18N = ROOT / "resources" / "i18n"


SHOWN_BY_METHOD = {
    "setText", "setWindowTitle", "setToolTip", "setPlaceholderText", "setStatusTip", "setTitle",
    "setTabText", "addTab", "setHeaderLabels", "setHorizontalHeaderLabels", "addAction",
    "addRow", "showMessage", "setLabelText", "setWhatsThis", "setInformativeText", "addButton",
    "setSpecialValueText", "setSuffix", "setPrefix", "setItemText", "setCancelButtonText",
}  # fmt: skip
SHOWN_BY_CONSTRUCTOR = {
    "QLabel", "QPushButton", "QCheckBox", "QGroupBox", "QAction", "QRadioButton",
    "QToolButton", "QMenu", "QListWidgetItem", "QTableWidgetItem", "QCommandLinkButton",
    "read_only_table", "OptionalDateTime", "QStandardItem",
}  # fmt: skip
SHOWN_AT = {
    "RecordAction": 0, "Column": 0, "FormDialog": 0, "say": 0, "Section": 1, "Page": 1,
    "steps": 1,
}  # fmt: skip
"""The one argument these show (a title, a button, a banner); the others are keys, levels and
callables."""
MESSAGE_BOX = {"information", "warning", "critical", "question", "about"}
SHOWN_KEYWORDS = {
    "placeholder", "hint", "none_text", "suffix", "prefix", "ok_text", "question", "title",
    "tip", "tooltip", "text", "label",
}  # fmt: skip
CLASS_TEXTS = {"title", "singular", "plural"}
"""Class attributes of a record kind that name it on screen."""
WORDS = re.compile(r"[A-Za-z]{2,}")


def _has_words(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return WORDS.search(node.value) is not None
    if isinstance(node, ast.JoinedStr):
        return any(_has_words(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.List | ast.Tuple):
        return any(_has_words(e) for e in node.elts)
    if isinstance(node, ast.IfExp):
        return _has_words(node.body) or _has_words(node.orelse)
    if isinstance(node, ast.BoolOp):
        return any(_has_words(v) for v in node.values)
    return False


def _shown_arguments(call: ast.Call) -> list[ast.expr]:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    owner = (
        func.value.id
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
        else ""
    )
    keywords = [k.value for k in call.keywords if k.arg in SHOWN_KEYWORDS]
    if name == "__init__" and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
        return list(call.args) + keywords  # super().__init__("title"): a QGroupBox, a QLabel
    if owner == "QMessageBox" and name in MESSAGE_BOX:
        return call.args[1:3] + keywords
    if owner == "f":  # ui.forms.fields: (key, label, …)
        return call.args[1:3] + keywords
    if name in SHOWN_AT:
        return call.args[SHOWN_AT[name] : SHOWN_AT[name] + 1] + keywords
    if name in SHOWN_BY_CONSTRUCTOR or (name in SHOWN_BY_METHOD and owner not in {"log", "logger"}):
        return list(call.args) + keywords
    return []


def untranslated(source: str, filename: str) -> list[str]:
    """`file:line: text` of every visible literal not passed through tr()/QT_TR_NOOP."""
    found = []
    tree = ast.parse(source, filename)
    for node in ast.walk(tree):
        shown: list[ast.expr] = []
        if isinstance(node, ast.Call):
            shown = _shown_arguments(node)
            # lupdate reads literals only: tr(f"…") never reaches the catalogue.
            if (
                getattr(node.func, "id", "") in {"tr", "QT_TR_NOOP"}
                and node.args
                and not isinstance(
                    node.args[0], ast.Constant | ast.Name | ast.Attribute | ast.Subscript
                )
            ):
                found.append(f"{filename}:{node.lineno}: tr() of a built text")
        elif isinstance(node, ast.ClassDef):
            shown = [
                item.value
                for item in node.body
                if isinstance(item, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id in CLASS_TEXTS for t in item.targets)
            ]
        found += [
            f"{filename}:{arg.lineno}: {ast.unparse(arg)[:70]}" for arg in shown if _has_words(arg)
        ]
    return found


def _ui_sources() -> list[Path]:
    return sorted(UI.rglob("*.py"))


def _translated_sources() -> list[Path]:
    return _ui_sources() + sorted(REPORTS.rglob("*.py"))


PRINTED_BY = {
    "para", "Paragraph", "_section", "_subheading", "_none", "_bars", "_title", "_heads",
    "drawString", "drawRightString", "drawCentredString", "setTitle", "String", "_block",
    "_table", "chunked_tables", "italic", "bold",
}  # fmt: skip
"""Report builders' calls whose texts are printed: a literal with words given to them must be
tr()'d (paragraph styles, table commands and markup go to other arguments or have no words)."""
NOT_PRINTED = {
    "body", "small", "tiny", "cell", "list", "cell_bold", "mono", "code", "label", "heading",
    "subheading", "h1", "h2", "title", "number", "subtitle", "head", "SHA-256",
}  # fmt: skip


def _printed_literals(node: ast.expr) -> list[ast.Constant]:
    """The literals with words in an argument of a printing call; a call's own arguments
    are checked where that call is visited, a tr()'d literal is fine."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        words = WORDS.search(node.value.replace("&nbsp;", "").replace("<br/>", ""))
        return [node] if words and node.value not in NOT_PRINTED else []
    if isinstance(node, ast.JoinedStr):
        return [v for v in node.values if _printed_literals(v)]
    if isinstance(node, ast.List | ast.Tuple):
        return [hit for element in node.elts for hit in _printed_literals(element)]
    if isinstance(node, ast.BinOp):
        return _printed_literals(node.left) + _printed_literals(node.right)
    if isinstance(node, ast.IfExp):
        return _printed_literals(node.body) + _printed_literals(node.orelse)
    return []


def untranslated_printed(source: str, filename: str) -> list[str]:
    """`file:line: text` of every printed literal of a report builder not passed through tr()."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in PRINTED_BY:
            found += [
                f"{filename}:{hit.lineno}: {ast.unparse(hit)[:70]}"
                for arg in node.args
                for hit in _printed_literals(arg)
            ]
    return found


def test_every_printed_text_is_translatable() -> None:
    found = [
        hit
        for path in sorted(REPORTS.rglob("*.py"))
        for hit in untranslated_printed(
            path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))
        )
    ]
    assert not found, "wrap these in tr() or QT_TR_NOOP (desktop.reports.wording):\n" + "\n".join(
        found
    )


@pytest.mark.parametrize(
    "source",
    [
        'para("No labour booked.", "body")',
        'canvas.drawString(0, 0, f"Page {page} of {pages}")',
        '_table(["Date", tr("Hours")], rows, widths)',
        'para(text(title) + " <i>(optional)</i>")',
    ],
)
def test_the_check_catches_an_untranslated_printed_text(source: str) -> None:
    assert untranslated_printed(source, "x.py")


@pytest.mark.parametrize(
    "source",
    [
        'para(text(tr("No labour booked.")), "body")',
        'para(f"<b>{text(code)}</b>", "cell")',
        '_table([tr("Date"), zoned(tr("When"))], rows, widths)',
        'para(italic(tr("Not signed off.")))',
    ],
)
def test_the_printed_check_passes_translated_texts(source: str) -> None:
    assert not untranslated_printed(source, "x.py")


def test_every_visible_text_of_the_office_app_is_translatable() -> None:
    found = [
        hit
        for path in _ui_sources()
        for hit in untranslated(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert not found, "wrap these in tr() or QT_TR_NOOP:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        'label = QLabel("Due date")',
        'button.setText(f"Open {number}")',
        'f.text("name", "&Name")',
        'QMessageBox.warning(self, "Wrenchbook", text)',
        'RecordAction("&Retire…", "retire", run)',
        'class UserKind:\n    title = "Users"',
        'label.setText(tr(f"Open {number}"))',
        'label.setText(text or f"No meters on {code}.")',
        'super().__init__("Meters and tags", parent)',
        'table = read_only_table(["From", "To"], stretch=1)',
        'self.start = OptionalDateTime("from")',
    ],
)
def test_the_check_catches_a_bare_visible_text(source: str) -> None:
    assert untranslated(source, "x.py")


@pytest.mark.parametrize(
    "source",
    [
        'label = QLabel(tr("Due date"))',
        'f.text("name", tr("&Name"))',
        'RecordAction(tr("&Retire…"), "retire", run)',
        'class UserKind:\n    title = QT_TR_NOOP("Users")',
        'log.warning("database unreachable: %s", exc)',
        'label.setText("—")',
        "header = tr(COLUMNS[section].title)",
    ],
)
def test_the_check_passes_translated_texts_and_non_words(source: str) -> None:
    assert not untranslated(source, "x.py")


def _messages(language: str) -> dict[str, ET.Element]:
    tree = ET.parse(I18N / f"wrenchbook_{language}.ts")
    return {
        message.findtext("source") or "": message
        for message in tree.iter("message")
        if (message.find("translation") is not None)
        and message.find("translation").get("type") not in {"vanished", "obsolete"}  # type: ignore[union-attr]
    }


def _tr_texts() -> set[str]:
    """Every literal given to tr() or QT_TR_NOOP in the office app and its printed pages."""
    texts = set()
    for path in _translated_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") in {"tr", "QT_TR_NOOP"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                texts.add(str(node.args[0].value))
    return texts


def test_german_translates_every_text_and_is_compiled() -> None:
    messages = _messages("de")
    missing = sorted(t for t in _tr_texts() if t not in messages)
    assert not missing, "run python tools/translations.py; not in wrenchbook_de.ts: " + repr(
        missing[:10]
    )
    unfinished = sorted(
        source
        for source, message in messages.items()
        if message.find("translation").get("type") == "unfinished"  # type: ignore[union-attr]
    )
    assert not unfinished, f"{len(unfinished)} German texts untranslated, e.g. {unfinished[:10]}"
    compiled = I18N / "wrenchbook_de.qm"
    assert compiled.exists()
    assert compiled.stat().st_mtime >= (I18N / "wrenchbook_de.ts").stat().st_mtime - 1


def test_the_engine_builds_no_message_in_code() -> None:
    built = [f"{m.path}:{m.line}" for m in engine_texts.messages() if m.built]
    assert not built, "raise these as Phrase(template, **values):\n" + "\n".join(built)


@pytest.mark.parametrize(
    "source",
    [
        'raise NotFound(f"no asset {code}")',
        'raise ValidationFailed({"code": f"{code} exists already"})',
        'problems["title"] = f"at most {MAX_TITLE} characters"',
        'problems.append("needs " + " and ".join(rules))',
        'raise InsufficientStock("issue", part, 3, 1, "A-1") if x else ValueError(f"{x} bad")',
        'def _needs_labour(facts):\n    return [f"{facts.hours} h logged"]',
        'raise PermissionDenied("cannot {verb}".format(verb=verb))',
        'raise NotFound(Phrase("no {what}", what=f"asset called {name}"))',
    ],
)
def test_the_engine_check_catches_a_built_message(source: str) -> None:
    assert any(m.built for m in engine_texts.found_in(source, "x.py"))


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ('raise NotFound(Phrase("no asset {code}", code=code))', "no asset {code}"),
        ('problems["name"] = "required"', "required"),
        ('raise ValidationFailed({"reason": "say why"})', "say why"),
        ('refusal = Phrase("{who} is locked", who=name)', "{who} is locked"),
        ('def start_problems(s):\n    return ["not locked"]', "not locked"),
        ('raise ValueError(Phrase("late on {day}", day=f"{d:%Y-%m-%d}"))', "late on {day}"),
    ],
)
def test_the_engine_check_finds_each_message(source: str, text: str) -> None:
    found = engine_texts.found_in(source, "x.py")
    assert [m.text for m in found if m.text is not None] == [text]
    assert not any(m.built for m in found)


def test_german_translates_every_engine_message() -> None:
    messages = _messages("de")
    missing = sorted(t for t in engine_texts.texts() if t not in messages)
    assert not missing, "run python tools/translations.py; not in wrenchbook_de.ts: " + repr(
        missing[:10]
    )
    unfinished = sorted(
        text
        for text in engine_texts.texts()
        if messages[text].find("translation").get("type") == "unfinished"  # type: ignore[union-attr]
        or not messages[text].findtext("translation")
    )
    assert not unfinished, f"{len(unfinished)} engine messages without German: {unfinished[:10]}"


def test_the_engine_messages_are_listed_for_lupdate() -> None:
    listed = engine_texts.LISTING.read_text(encoding="utf-8")
    assert listed == engine_texts.listing(engine_texts.texts()), "run python tools/translations.py"


def test_german_engine_messages_name_only_the_values_the_engine_gives() -> None:
    """`say` fills the German template with the Phrase's values: a placeholder the English
    does not have would fail on screen."""
    messages = _messages("de")
    placeholder = re.compile(r"\{(\w*)\}")
    wrong = [
        text
        for text in engine_texts.texts()
        if not set(placeholder.findall(messages[text].findtext("translation") or ""))
        <= set(placeholder.findall(text))
    ]
    assert not wrong, wrong
