"""Receive, adjust and transfer dialogs: each calls one InventoryService method.

A refused movement keeps the dialog open and shows the service's message (e.g. "only 3 of 5
available in bin A-12"), so the user can correct the quantity without typing it all again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import WrenchbookError
from ui.i18n import say_error, tr

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop.domain.permissions import Actor
    from desktop.services.stock.inventory import InventoryService

MAX_QTY = 1_000_000.0


def _quantity(minimum: float = 0.0) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setDecimals(3)
    box.setRange(minimum if minimum else -MAX_QTY, MAX_QTY)
    box.setValue(1.0)
    return box


def _bins(codes: Sequence[str], current: str | None) -> QComboBox:
    box = QComboBox()
    box.setEditable(True)
    box.addItems(list(codes))
    if current:
        box.setCurrentText(current)
    return box


class _MovementDialog(QDialog):
    """Form, error line and OK/Cancel; subclasses say what OK does."""

    def __init__(
        self,
        title: str,
        service: InventoryService,
        actor: Actor,
        part: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{title} {part}")
        self._service = service
        self._actor = actor
        self._part = part
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Part <b>{part}</b>").format(part=part)))
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _on_buttons_accepted(self) -> None:
        try:
            self._apply()
        except WrenchbookError as exc:
            self.error.setText(say_error(exc))
            return
        self.accept()

    def _apply(self) -> None:
        raise NotImplementedError


class ReceiveDialog(_MovementDialog):
    """Goods into a bin, at a unit cost or against a purchase-order line."""

    def __init__(
        self,
        service: InventoryService,
        actor: Actor,
        part: str,
        bins: Sequence[str],
        current_bin: str | None = None,
        unit_cost: float = 0.0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("Receive"), service, actor, part, parent)
        self.bin = _bins(bins, current_bin)
        self.quantity = _quantity(0.001)
        self.unit_cost = QDoubleSpinBox()
        self.unit_cost.setDecimals(2)
        self.unit_cost.setRange(0.0, 10_000_000.0)
        self.unit_cost.setValue(unit_cost)
        self.po = QLineEdit()
        self.po.setPlaceholderText(tr("optional, e.g. PO-2026-000012 (its price is used)"))
        self.reason = QLineEdit()
        self.form.addRow(tr("Bin"), self.bin)
        self.form.addRow(tr("Quantity"), self.quantity)
        self.form.addRow(tr("Unit cost"), self.unit_cost)
        self.form.addRow(tr("Purchase order"), self.po)
        self.form.addRow(tr("Note"), self.reason)

    def _apply(self) -> None:
        po = self.po.text().strip() or None
        self._service.receive(
            self._actor,
            self._part,
            self.quantity.value(),
            self.bin.currentText().strip(),
            unit_cost=None if po else self.unit_cost.value(),
            po_number=po,
            reason=self.reason.text(),
        )


class AdjustDialog(_MovementDialog):
    """A signed correction after a count; the reason is required by the service."""

    def __init__(
        self,
        service: InventoryService,
        actor: Actor,
        part: str,
        bins: Sequence[str],
        current_bin: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("Adjust"), service, actor, part, parent)
        self.bin = _bins(bins, current_bin)
        self.change = _quantity()
        self.change.setValue(-1.0)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("stock count, damaged, found …"))
        self.form.addRow(tr("Bin"), self.bin)
        self.form.addRow(tr("Change (+/−)"), self.change)
        self.form.addRow(tr("Reason"), self.reason)

    def _apply(self) -> None:
        self._service.adjust(
            self._actor,
            self._part,
            self.bin.currentText().strip(),
            self.change.value(),
            self.reason.text(),
        )


class TransferDialog(_MovementDialog):
    def __init__(
        self,
        service: InventoryService,
        actor: Actor,
        part: str,
        bins: Sequence[str],
        current_bin: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("Transfer"), service, actor, part, parent)
        self.from_bin = _bins(bins, current_bin)
        self.to_bin = _bins(bins, None)
        self.quantity = _quantity(0.001)
        self.form.addRow(tr("From bin"), self.from_bin)
        self.form.addRow(tr("To bin"), self.to_bin)
        self.form.addRow(tr("Quantity"), self.quantity)

    def _apply(self) -> None:
        self._service.transfer(
            self._actor,
            self._part,
            self.quantity.value(),
            self.from_bin.currentText().strip(),
            self.to_bin.currentText().strip(),
        )
