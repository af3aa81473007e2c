"""Combo boxes that find an entry as you type any part of it (failure codes, assets)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from desktop.domain.failure_codes import code_lists
from ui.i18n import current_language

if TYPE_CHECKING:
    from collections.abc import Iterable

NONE_TEXT = "— none —"


class SearchableCombo(QComboBox):
    """An editable combo whose completer matches anywhere in "CODE — name"; never adds items.

    With `none_text` the first entry stands for "nothing chosen".
    """

    def __init__(
        self,
        entries: Iterable[tuple[str, str]],
        none_text: str | None = NONE_TEXT,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        if none_text is not None:
            self.addItem(none_text, None)
        for value, text in entries:
            self.addItem(text, value)
        completer = self.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.lineEdit().editingFinished.connect(self._on_line_edit_finished)

    def value(self) -> str | None:
        return self.currentData()

    def set_value(self, value: str | None) -> None:
        index = self.findData(value)
        self.setCurrentIndex(max(index, 0))

    def match(self, typed: str) -> int:
        """The entry meant by typed text: its full text, its code, or the only one containing
        it; -1 when the text names none (or several)."""
        typed = typed.strip()
        if not typed:
            return -1
        exact = self.findText(typed, Qt.MatchFlag.MatchFixedString)
        if exact >= 0:
            return exact
        folded = typed.casefold()
        codes = [i for i in range(self.count()) if str(self.itemData(i)).casefold() == folded]
        if codes:
            return codes[0]
        containing = [i for i in range(self.count()) if folded in self.itemText(i).casefold()]
        return containing[0] if len(containing) == 1 else -1

    def _on_line_edit_finished(self) -> None:
        # Typed text that names no single entry goes back to the chosen one, never kept as is.
        index = self.match(self.currentText())
        self.setCurrentIndex(index if index >= 0 else self.currentIndex())
        self.setEditText(self.itemText(self.currentIndex()))


class CodePicker(SearchableCombo):
    """One failure-code field (ISO 14224 lists shipped in resources/), shown as code — name."""

    def __init__(self, field: str, parent: QWidget | None = None) -> None:
        codes = code_lists()[field]
        language = current_language()
        super().__init__(
            ((c.code, f"{c.code} — {c.name(language)}") for c in codes), NONE_TEXT, parent
        )
        self.field = field
        self.setObjectName(f"code_{field}")
