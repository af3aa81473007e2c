"""The asset hierarchy as a tree model, and the search filter that keeps a match's parents."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, QMimeData, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel

from desktop.domain.enums import AssetStatus
from ui.i18n import tr
from ui.words import word

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex

    from desktop.services.assets.assets import AssetRecord

AssetCodeRole = Qt.ItemDataRole.UserRole + 1
ASSET_MIME = "application/x-wrenchbook-asset"
HEADERS = (QT_TR_NOOP("Asset"), QT_TR_NOOP("Level"), QT_TR_NOOP("Crit."))
_RETIRED = QColor("#7f8c8d")


class AssetTreeModel(QStandardItemModel):
    """Assets under their parents: "code — name", level, criticality. UI thread only.

    A site holds a few hundred assets, so a QStandardItemModel rebuilt on refresh is enough.
    Dragging an asset onto another asks to move it there (`sig_move_requested`); the model
    never moves rows itself: the service decides, and the tree is rebuilt from its answer.
    """

    sig_move_requested = Signal(str, str)  # asset code, new parent's code

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self._records: dict[str, AssetRecord] = {}

    def set_assets(self, records: Sequence[AssetRecord]) -> None:
        """Rebuild from AssetService.list(); siblings keep its order (by code)."""
        self.removeRows(0, self.rowCount())
        self._records = {r.code: r for r in records}
        rows = {record.code: self._items(record) for record in records}
        tops: list[list[QStandardItem]] = []
        # Children go onto their detached parent first: the model then announces each
        # top-level subtree once instead of every asset one by one.
        for record in records:
            items = rows[record.code]
            parent = rows.get(record.parent_code) if record.parent_code else None
            if parent is None:
                tops.append(items)
            else:
                parent[0].appendRow(items)
        for items in tops:
            self.appendRow(items)

    def holds(self, records: Sequence[AssetRecord]) -> bool:
        """True when the tree shows exactly these assets already (nothing to rebuild)."""
        return list(self._records.values()) == list(records)

    def record(self, code: str) -> AssetRecord | None:
        return self._records.get(code)

    def mimeTypes(self) -> list[str]:
        return [ASSET_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        codes = {index.data(AssetCodeRole) for index in indexes}
        if len(codes) == 1:
            data.setData(ASSET_MIME, str(codes.pop()).encode())
        return data

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        return data.hasFormat(ASSET_MIME) and parent.isValid()

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        code = bytes(data.data(ASSET_MIME).data()).decode()
        target = parent.data(AssetCodeRole)
        if code and target and code != target:
            self.sig_move_requested.emit(code, target)
        return False

    @staticmethod
    def _items(record: AssetRecord) -> list[QStandardItem]:
        main = QStandardItem(f"{record.code} — {record.name}")
        main.setData(record.code, AssetCodeRole)
        main.setToolTip(f"{record.code} — {record.name} ({record.asset_class})")
        items = [
            main,
            QStandardItem(word(record.level.value)),
            QStandardItem(record.criticality.value),
        ]
        items[2].setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        retired = record.status in (AssetStatus.DECOMMISSIONED, AssetStatus.OUT_OF_SERVICE)
        for item in items:
            item.setEditable(False)
            item.setDragEnabled(True)
            item.setDropEnabled(True)
            item.setData(record.code, AssetCodeRole)
            if retired:
                # Out-of-service and decommissioned assets are greyed: they do not run.
                item.setForeground(_RETIRED)
        return items


class AssetFilterProxy(QSortFilterProxyModel):
    """Case-insensitive match on code and name; parents of a match stay visible."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(0)

    def set_search(self, text: str) -> None:
        self.setFilterFixedString(text.strip())
