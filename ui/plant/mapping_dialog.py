"""Browse an OPC UA server, review the proposed tag-to-asset mapping, and map what is ticked."""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import WrenchbookError
from desktop.services.condition.plant_tags import TagDraft
from ui import messages
from ui.i18n import say_error, tr

if TYPE_CHECKING:
    from desktop.plant.browse import BrowsedVariable
    from ui.context import AppContext

COLUMNS = (
    QT_TR_NOOP("Map"),
    QT_TR_NOOP("Tag name"),
    QT_TR_NOOP("Asset"),
    QT_TR_NOOP("Node"),
    QT_TR_NOOP("Unit"),
    QT_TR_NOOP("Kind"),
    QT_TR_NOOP("Sampling ms"),
)
NAME, ASSET, SAMPLING = 1, 2, 6


class _Browser(QObject):
    """Browses on its own thread (asyncua needs a loop); answers on the UI thread."""

    sig_found = Signal(list)
    sig_failed = Signal(str)

    def start(self, context: AppContext, endpoint: str) -> None:
        threading.Thread(target=self._run, args=(context, endpoint), daemon=True).start()

    def _run(self, context: AppContext, endpoint: str) -> None:
        """Runs on the browse thread."""
        from desktop.plant.browse import browse
        from desktop.plant.connection import Connection

        try:
            found = asyncio.run(browse(Connection(endpoint, pki_dir=context.data_dir / "pki")))
        except Exception as exc:  # noqa: BLE001  a server's failure is shown, never a crash
            self.sig_failed.emit(
                tr("Cannot browse {endpoint}: {error}").format(
                    endpoint=endpoint, error=say_error(exc)
                )
            )
            return
        self.sig_found.emit(found)


class TagMappingDialog(QDialog):
    """Numeric variables of the server with the asset each belongs to, proposed where the
    browse path names an asset code; already mapped nodes are shown but cannot be ticked."""

    def __init__(self, context: AppContext, endpoint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Map OPC UA tags to assets"))
        self._context = context
        self._tags = context.services.plant_tags
        self.endpoint = QLineEdit(endpoint)
        self.browse_button = QPushButton(tr("Browse"))
        self.status = QLabel(tr("Browse the server to list its variables."))
        self.status.setObjectName("hint")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(title) for title in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((50, 300, 170, 300, 60, 70)):
            self.table.setColumnWidth(column, width)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.map_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.map_button.setText(tr("Map ticked tags"))
        self.map_button.setEnabled(False)
        self.buttons.accepted.connect(self.map_ticked)
        self.buttons.rejected.connect(self.reject)
        self.last_message = None
        self.mapped: list[str] = []
        self._variables: list[BrowsedVariable] = []
        self._browser = _Browser(self)
        self._browser.sig_found.connect(self._on_browser_found)
        self._browser.sig_failed.connect(self._on_browser_failed)
        self.browse_button.clicked.connect(self.browse)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Server")))
        top.addWidget(self.endpoint, 1)
        top.addWidget(self.browse_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(1100, 650)

    def browse(self) -> None:
        self.browse_button.setEnabled(False)
        self.status.setText(tr("Browsing {value} …").format(value=self.endpoint.text()))
        self._browser.start(self._context, self.endpoint.text().strip())

    def _on_browser_failed(self, message: str) -> None:
        self.browse_button.setEnabled(True)
        self.status.setText(message)

    def _on_browser_found(self, variables: list[BrowsedVariable]) -> None:
        from desktop.plant.browse import data_kind, propose_mapping
        from desktop.plant.sampling import sampling_ms

        self.browse_button.setEnabled(True)
        numeric = [v for v in variables if v.numeric]
        codes = {a.code for a in self._context.services.assets.list()}
        proposed = {(d.namespace_uri, d.node_id): d for d in propose_mapping(numeric, codes)}
        mapped = {(t.namespace_uri, t.node_id) for t in self._tags.tags(active_only=False)}
        self._variables = numeric
        self.table.setRowCount(len(numeric))
        for row, var in enumerate(numeric):
            key = (var.namespace_uri, var.node_id)
            draft = proposed.get(key)
            tick = QTableWidgetItem()
            if key in mapped:
                tick.setFlags(Qt.ItemFlag.NoItemFlags)
                tick.setToolTip(tr("already mapped"))
            else:
                tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                # Proposed by structure (no asset of that code yet): offered, not ticked.
                ticked = draft is not None and draft.asset_code in codes
                tick.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            name = draft.name if draft else ".".join(var.path[-2:])
            sampling = QTableWidgetItem(str(sampling_ms(data_kind(var), name)))
            sampling.setToolTip(tr("How often the server samples it; the tag class's default"))
            cells = (
                tick,
                QTableWidgetItem(name),
                QTableWidgetItem(draft.asset_code if draft else ""),
                _read_only(f"{var.namespace_uri} {var.node_id}"),
                _read_only(var.unit),
                _read_only(data_kind(var).value),
                sampling,
            )
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, cell)
        matched = sum(1 for d in proposed.values() if d.asset_code in codes)
        unmappable = len(variables) - len(numeric)
        self.status.setText(
            tr(
                "{value} numeric variables ({unmappable} arrays, structures or texts cannot be "
                "tags); {matched} matched to assets by their path, {value2} already mapped. Tick "
                "rows, fill in the asset where it is empty, then map."
            ).format(
                value=len(numeric),
                unmappable=unmappable,
                matched=matched,
                value2=sum(1 for v in numeric if (v.namespace_uri, v.node_id) in mapped),
            )
        )
        self.map_button.setEnabled(bool(numeric))

    def map_ticked(self) -> bool:
        """Import the ticked rows, all or nothing; problems are named by row."""
        from desktop.plant.browse import data_kind
        from desktop.plant.sampling import sampling_ms

        drafts = []
        for row, var in enumerate(self._variables):
            if self.table.item(row, 0).checkState() != Qt.CheckState.Checked:
                continue
            name, kind = self.table.item(row, NAME).text().strip(), data_kind(var)
            typed = self.table.item(row, SAMPLING).text().strip()
            if typed and not typed.isdigit():
                self.last_message = messages.show(
                    self,
                    tr("Not mapped"),
                    tr("Row {0}: the sampling is a whole number of milliseconds.").format(row + 1),
                )
                return False
            # The class's default is not stored: the tag follows it if the default changes.
            own = int(typed) if typed and int(typed) != sampling_ms(kind, name) else None
            drafts.append(
                TagDraft(
                    name,
                    self.table.item(row, ASSET).text().strip(),
                    var.namespace_uri,
                    var.node_id,
                    var.unit,
                    kind,
                    own,
                )
            )
        if not drafts:
            self.last_message = messages.show(
                self, tr("Nothing ticked"), tr("Tick the tags to map.")
            )
            return False
        try:
            self._tags.import_tags(self._context.actor, drafts)
        except WrenchbookError as exc:
            self.last_message = messages.show(self, tr("Not mapped"), messages.explain(exc))
            return False
        self.mapped = [d.name for d in drafts]
        self.accept()
        return True


def _read_only(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item
