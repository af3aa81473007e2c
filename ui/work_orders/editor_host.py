"""What the editor's tabs need from the editor: the service, who acts, and error handling."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.domain.permissions import Action, Actor
    from desktop.services.orders.work_orders import WorkOrderService
    from ui.context import AppContext
    from ui.work_orders.form_widgets import FieldErrors

T = TypeVar("T")


class EditorHost(Protocol):
    context: AppContext
    service: WorkOrderService

    @property
    def actor(self) -> Actor: ...

    @property
    def number(self) -> str: ...

    @property
    def version(self) -> int: ...

    def may(self, action: Action) -> bool: ...

    def run(self, call: Callable[[], T], errors: FieldErrors | None = None) -> T | None:
        """Call a service; on a refusal show it (beside fields when it names them), return None."""
        ...

    def after_action(self, versioned: bool) -> None:
        """Reload what an immediate action changed, keeping unsaved edits."""
        ...


def read_only_table(headers: list[str], stretch: int | None = None) -> QTableWidget:
    """A dense table of facts: whole-row selection, no editing, the `stretch` column fills."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def fill_table(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            table.setItem(r, c, item)
