"""The filters shared by the board and the work-order table: search as you type and pickers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from desktop.domain.enums import Priority, Role, Status, WorkOrderType
from desktop.domain.lifecycle import READ_ONLY_STATUSES
from desktop.domain.scanning import scanned_number
from desktop.domain.search import SearchFilter
from desktop.services.shared.clock import utc_now
from ui.i18n import tr
from ui.widgets.flow_layout import FlowLayout
from ui.words import word

if TYPE_CHECKING:
    from datetime import datetime

    from ui.context import AppContext

ANY = "any"


def _label(value: str) -> str:
    return word(value)


class FilterBar(QWidget):
    """Emits ``sig_filter_changed`` on every keystroke or pick; the panels query in SQL."""

    sig_filter_changed = Signal()
    sig_number_entered = Signal(str)  # Enter on a search that names an order, closed ones too

    def __init__(
        self, context: AppContext | None, *, with_status: bool, parent: QWidget | None = None
    ) -> None:
        """Without a context (the board's first page at start, before the services load) the
        asset and assignee pickers stay empty until `attach`."""
        super().__init__(parent)
        self._context = context
        self._returned_early = False  # Enter pressed before `attach`: answered by it
        self._subtrees: dict[str, tuple[int, ...]] = {}
        self.numbers: tuple[str, ...] = ()  # set by "show the orders behind this figure"
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search number, title or asset  (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        # Wide enough for its hint in every language: the row wraps rather than clip it.
        hint = self.search.fontMetrics().horizontalAdvance(self.search.placeholderText())
        self.search.setMinimumWidth(max(220, hint + 48))
        self.type = self._combo(tr("Type: any"), [(_label(t.value), t) for t in WorkOrderType])
        self.priority = self._combo(
            tr("Priority: any"), [(f"{p.value} {word(p.name.lower())}", p) for p in Priority]
        )
        self.status = self._combo(
            tr("Status: all but closed"), [(_label(s.value), s) for s in Status]
        )
        self.status.setVisible(with_status)
        self.asset = QComboBox()
        self.asset.setEditable(True)
        self.asset.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.asset.setMinimumContentsLength(14)
        self.asset.setMaximumWidth(340)
        self.asset.lineEdit().setPlaceholderText(tr("Asset: all"))
        self.assignee = QComboBox()
        self.overdue = QCheckBox(tr("Overdue only"))
        self.closed = QCheckBox(tr("Show closed"))
        # One line on a wide screen; two on a laptop or with German's longer labels.
        layout = FlowLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.search,
            self.type,
            self.priority,
            self.status,
            self.asset,
            self.assignee,
            self.overdue,
            self.closed,
        ):
            layout.addWidget(widget)
        if context is not None:
            self.load_choices()
        else:
            self.assignee.addItem(tr("Assignee: anyone"), None)
        self.search.textChanged.connect(self.sig_filter_changed)
        self.search.returnPressed.connect(self._on_search_returned)
        for combo in (self.type, self.priority, self.status, self.assignee):
            combo.currentIndexChanged.connect(self.sig_filter_changed)
        self.asset.currentIndexChanged.connect(self.sig_filter_changed)
        self.asset.lineEdit().editingFinished.connect(self._on_asset_edited)
        self.overdue.toggled.connect(self.sig_filter_changed)
        self.closed.toggled.connect(self.sig_filter_changed)

    @staticmethod
    def _combo(any_text: str, items: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(any_text, None)
        for text, value in items:
            combo.addItem(text, value)
        return combo

    def attach(self, context: AppContext) -> None:
        """The services are there: fill the pickers, and open the number entered meanwhile."""
        self._context = context
        self.load_choices()
        if self._returned_early:
            self._returned_early = False
            self._on_search_returned()

    def load_choices(self) -> None:
        """Assets (with their subtrees) and technicians, read again after imports or edits."""
        assert self._context is not None
        service = self._context.services.assets
        assets = service.list()
        self._subtrees = service.subtrees()
        current_asset = self.asset.currentData()
        self.asset.blockSignals(True)
        self.asset.clear()
        self.asset.addItem("", None)
        for a in assets:
            self.asset.addItem(f"{a.code} — {a.name}", a.code)
        index = self.asset.findData(current_asset)
        self.asset.setCurrentIndex(max(index, 0))
        self.asset.blockSignals(False)
        current_user = self.assignee.currentData()
        self.assignee.blockSignals(True)
        self.assignee.clear()
        self.assignee.addItem(tr("Assignee: anyone"), None)
        for user in self._context.services.users.list():
            if user.role is not Role.VIEWER:
                self.assignee.addItem(user.full_name, user.username)
        self.assignee.setCurrentIndex(max(self.assignee.findData(current_user), 0))
        self.assignee.blockSignals(False)

    def _on_search_returned(self) -> None:
        """A scanned sheet or a typed number opens that order, even one the filters hide.

        The field is cleared afterwards so the next scan starts from nothing; any other text
        stays a plain search.
        """
        text = self.search.text()
        if scanned_number(text) is None:
            return
        if self._context is None:
            self._returned_early = True
            return
        number = self._context.services.work_orders.find_number(text)
        if number is not None:
            self.search.clear()
            self.sig_number_entered.emit(number)

    def _on_asset_edited(self) -> None:
        text = self.asset.currentText().strip()
        if not text:
            self.asset.setCurrentIndex(0)
            return
        code = text.split(" — ")[0].upper()
        index = self.asset.findData(code)
        if index >= 0:
            self.asset.setCurrentIndex(index)

    def _clock(self) -> datetime:
        return utc_now() if self._context is None else self._context.clock()

    def criteria(self, now: datetime | None = None) -> SearchFilter:
        """The filter as the service takes it; open work only unless a status or closed is asked."""
        status = self.status.currentData()
        statuses: tuple[Status, ...] = ()
        if status is not None:
            statuses = (status,)
        elif not self.closed.isChecked() and not self.numbers:
            statuses = tuple(s for s in Status if s not in READ_ONLY_STATUSES)
        asset_code = self.asset.currentData()
        return SearchFilter(
            statuses=statuses,
            text=self.search.text(),
            types=(self.type.currentData(),) if self.type.currentData() else (),
            priorities=(self.priority.currentData(),) if self.priority.currentData() else (),
            asset_ids=self._subtrees.get(asset_code, ()) if asset_code else (),
            assignee=self.assignee.currentData(),
            overdue_at=(now or self._clock()) if self.overdue.isChecked() else None,
            include_closed=self.closed.isChecked(),
            numbers=self.numbers,
        )
