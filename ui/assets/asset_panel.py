"""The asset panel: hierarchy tree on the left, the selected asset's full history on the right."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import NotFound
from desktop.domain.permissions import ALLOWED_ROLES, Action
from ui.assets.asset_forms import (
    AssetFilesDialog,
    SparePartsDialog,
    edit_asset_dialog,
    may_manage,
    move_asset_dialog,
    new_asset_dialog,
    retire_asset_dialog,
)
from ui.assets.asset_header import AssetHeader
from ui.assets.asset_tree import AssetCodeRole, AssetFilterProxy, AssetTreeModel
from ui.assets.history_table import (
    REQUESTED_COLUMN,
    AssetWorkOrderTableModel,
    WorkOrderHistoryView,
    WorkOrderNumberRole,
)
from ui.assets.kpi_tiles import KpiTiles
from ui.assets.labels import print_labels
from ui.assets.meters_box import MetersAndTagsBox
from ui.assets.pareto_chart import ParetoChart
from ui.background import Background, Failure
from ui.i18n import show_number, tr

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from desktop.services.analytics.asset_history import AssetHistory
    from desktop.services.assets.assets import AssetRecord
    from ui.background import Pool
    from ui.context import AppContext
    from ui.forms.form_dialog import FormDialog

_SETTINGS_GROUP = "asset_panel"


class AssetPanel(QWidget):
    """Browse the asset hierarchy and read what each asset (and its subtree) has cost.

    The main window connects ``sig_work_order_opened`` (a work-order number) to its editor,
    calls ``refresh()`` when the database changed elsewhere, and ``save_state`` /
    ``restore_state`` with its QSettings. UI thread only.
    """

    sig_work_order_opened = Signal(str)  # work-order number
    sig_request_started = Signal(str)  # asset code: a new work order on it
    sig_records_changed = Signal()  # an asset was created, changed, moved or retired
    sig_history_shown = Signal(str)  # asset code, once its history is on screen

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, pool: Pool | None = None
    ) -> None:
        """`pool` runs the history queries (default: Qt's global thread pool)."""
        super().__init__(parent)
        self._context = context
        self._assets = context.services.assets
        self._histories = context.services.asset_history
        self._background = Background(self, pool)
        self._code: str | None = None
        self.history: AssetHistory | None = None
        """What the right-hand side shows now (None: no asset selected)."""

        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search assets by code or name…"))
        self.search.setClearButtonEnabled(True)
        self.include_subtree = QCheckBox(tr("Include sub-assets"))
        self.include_subtree.setChecked(True)
        self.tree_model = AssetTreeModel(self)
        self.tree_proxy = AssetFilterProxy(self)
        self.tree_proxy.setSourceModel(self.tree_model)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setIndentation(14)
        if may_manage(context):
            self.tree.setDragEnabled(True)
            self.tree.setAcceptDrops(True)
            self.tree.setDropIndicatorShown(True)
            self.tree.setDragDropMode(QTreeView.DragDropMode.DragDrop)
            self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree_model.sig_move_requested.connect(self.move)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, self.tree.header().ResizeMode.Stretch)
        self.tree.ensurePolished()
        metrics = self.tree.fontMetrics()
        self.tree.header().resizeSection(1, metrics.horizontalAdvance("component") + 16)
        self.tree.header().resizeSection(2, metrics.horizontalAdvance(tr("Crit.")) + 16)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.new_button = QPushButton(tr("&New asset…"))
        self.new_button.setObjectName("new_asset")
        self.new_button.setToolTip(tr("A new asset under the selected one (or a new area)"))
        self.new_button.setEnabled(may_manage(context))
        self.new_button.clicked.connect(lambda: self.new_asset())
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.new_button)
        left_layout.addLayout(search_row)
        left_layout.addWidget(self.include_subtree)
        left_layout.addWidget(self.tree)

        self.header = AssetHeader()
        self.tiles = KpiTiles()
        self.pareto = ParetoChart()
        self.meters = MetersAndTagsBox(context.services)
        self.table_model = AssetWorkOrderTableModel(self)
        self.table = WorkOrderHistoryView()
        self.table.setModel(self.table_model)
        self.table.apply_default_widths()
        self.table.horizontalHeader().setSortIndicator(
            REQUESTED_COLUMN, Qt.SortOrder.DescendingOrder
        )
        self.table_caption = QLabel()

        self.chart_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.chart_splitter.addWidget(self.pareto)
        self.chart_splitter.addWidget(self.meters)
        self.chart_splitter.setStretchFactor(0, 3)
        self.chart_splitter.setStretchFactor(1, 1)
        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.table_caption)
        table_layout.addWidget(self.table)
        self.detail_splitter = QSplitter(Qt.Orientation.Vertical)
        self.detail_splitter.addWidget(self.chart_splitter)
        self.detail_splitter.addWidget(table_box)
        self.detail_splitter.setStretchFactor(0, 2)
        self.detail_splitter.setStretchFactor(1, 3)
        # Eight Pareto bars need about 230 px to stay legible; the table takes the rest.
        self.detail_splitter.setSizes([240, 460])

        self.request_button = QPushButton(tr("New &request…"))
        self.request_button.setObjectName("new_request")
        self.request_button.setToolTip(tr("Raise a work order on this asset"))
        self.request_button.clicked.connect(lambda: self.sig_request_started.emit(self._code))
        self.request_button.setEnabled(
            context.actor.role in ALLOWED_ROLES[Action.CREATE_WORK_ORDER]
        )
        self.labels_button = QPushButton(tr("Print &labels…"))
        self.labels_button.setObjectName("print_labels")
        self.labels_button.setToolTip(
            tr(
                "A sheet of QR labels for this asset and everything below it; scanning one opens "
                "the asset here and starts a request at the shop-floor kiosk"
            )
        )
        self.labels_button.clicked.connect(self._on_labels_button_clicked)
        self.form_dialog: QDialog | None = None
        self.actions = QHBoxLayout()
        self.actions.addWidget(self.request_button)
        self.action_buttons: dict[str, QPushButton] = {}
        for name, text, tip, start in (
            (
                "edit_asset",
                tr("&Edit…"),
                tr("Name plate: name, class, criticality, maker…"),
                self.edit,
            ),
            (
                "move_asset",
                tr("&Move…"),
                tr("Hang it under another parent (or drag it in the tree)"),
                self.move,
            ),
            (
                "retire_asset",
                tr("Re&tire…"),
                tr("Decommission it and everything below it"),
                self.retire,
            ),
            (
                "spare_parts",
                tr("Spare &parts…"),
                tr("What a repair of it may need"),
                self.spare_parts,
            ),
            ("asset_files", tr("&Files…"), tr("Manuals, drawings and photos"), self.files),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.setToolTip(tip)
            button.clicked.connect(lambda _checked=False, run=start: run())
            self.action_buttons[name] = button
            self.actions.addWidget(button)
        self.actions.addWidget(self.labels_button)
        self.actions.addStretch(1)
        manage = may_manage(context)
        for name in ("edit_asset", "move_asset", "retire_asset"):
            self.action_buttons[name].setEnabled(manage)

        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addLayout(self.actions)
        details_layout.addWidget(self.header)
        details_layout.addWidget(self.tiles)
        details_layout.addWidget(self.detail_splitter, 1)
        self.placeholder = QLabel(tr("Select an asset to see its work orders, costs and failures."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right = QStackedWidget()
        self.right.addWidget(self.placeholder)
        self.right.addWidget(details)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([380, 1020])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

        self.search.textChanged.connect(self._on_search_text_changed)
        self.include_subtree.toggled.connect(self._on_include_subtree_toggled)
        self.tree.selectionModel().selectionChanged.connect(self._on_tree_selection_changed)
        self.table.sig_work_order_opened.connect(self.sig_work_order_opened)
        self.setTabOrder(self.search, self.include_subtree)
        self.setTabOrder(self.include_subtree, self.tree)
        self.setTabOrder(self.tree, self.table)
        self.refresh()

    # -- what the main window calls ------------------------------------------------------

    def refresh(self) -> None:
        """Reload the tree and the selected asset's history (another process may have written).

        Called every few seconds while others work, so it keeps what the user set up: the
        tree is rebuilt only when the assets changed, with its branches open as they were,
        and the history table keeps its selected work order and scroll position.
        """
        records = self._assets.list()
        if not self.tree_model.holds(records):
            self._rebuild_tree(records)
        code = self._code
        if code is None or self.tree_model.record(code) is None:
            self._show(None)
            return
        self._load(code, self.include_subtree.isChecked())

    def select_asset(self, code: str) -> bool:
        """Select `code` in the tree (revealing it) and show its history; False if unknown."""
        source = self._source_index(code)
        if source is None:
            return False
        index = self.tree_proxy.mapFromSource(source)
        if not index.isValid():
            # Hidden by the search: clear it rather than show an asset the tree does not.
            self.search.clear()
            index = self.tree_proxy.mapFromSource(source)
        self.tree.scrollTo(index)
        if self.tree.currentIndex() == index and self._code == code:
            self._show(code)
        else:
            self.tree.setCurrentIndex(index)
        return True

    def focus_search(self) -> None:
        """Ctrl+F in the main window lands here."""
        self.search.setFocus()
        self.search.selectAll()

    def save_state(self, settings: QSettings) -> None:
        settings.beginGroup(_SETTINGS_GROUP)
        settings.setValue("splitter", self.splitter.saveState())
        settings.setValue("detail_splitter", self.detail_splitter.saveState())
        settings.setValue("chart_splitter", self.chart_splitter.saveState())
        settings.setValue("table_header", self.table.horizontalHeader().saveState())
        settings.setValue("include_subtree", self.include_subtree.isChecked())
        settings.endGroup()

    def restore_state(self, settings: QSettings) -> None:
        settings.beginGroup(_SETTINGS_GROUP)
        for key, splitter in (
            ("splitter", self.splitter),
            ("detail_splitter", self.detail_splitter),
            ("chart_splitter", self.chart_splitter),
        ):
            state = settings.value(key)
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
        header = self.table.horizontalHeader()
        state = settings.value("table_header")
        if isinstance(state, QByteArray) and header.restoreState(state):
            self.table.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        include = settings.value("include_subtree")
        if include is not None:
            self.include_subtree.setChecked(str(include).lower() in ("true", "1"))
        settings.endGroup()

    # -- slots ---------------------------------------------------------------------------

    def _on_search_text_changed(self, text: str) -> None:
        self.tree_proxy.set_search(text)
        if text.strip():
            self.tree.expandAll()
        else:
            self.tree.expandToDepth(0)
        current = self.tree.currentIndex()
        if current.isValid():
            self.tree.scrollTo(current)

    def _on_include_subtree_toggled(self, _checked: bool) -> None:
        if self._code is not None:
            self._show(self._code)

    def _on_tree_selection_changed(self, selected: QItemSelection, _old: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self._show(indexes[0].data(AssetCodeRole))

    # -- the asset forms -----------------------------------------------------------------

    def new_asset(self) -> QDialog:
        """A new asset under the selected one (or a new area when none is selected)."""
        return self._open(new_asset_dialog(self._context, self._code, self))

    def edit(self) -> QDialog | None:
        return (
            self._open(edit_asset_dialog(self._context, self._code, self)) if self._code else None
        )

    def move(self, code: str | None = None, target: str | None = None) -> QDialog | None:
        """Pick a new parent; a drag in the tree opens this with the drop target filled in."""
        code = code or self._code
        if code is None:
            return None
        return self._open(move_asset_dialog(self._context, code, target, self))

    def retire(self) -> QDialog | None:
        if self._code is None:
            return None
        return self._open(retire_asset_dialog(self._context, self._code, self))

    def spare_parts(self) -> QDialog | None:
        if self._code is None:
            return None
        dialog = SparePartsDialog(self._context, self._code, self)
        self.form_dialog = dialog
        dialog.open()
        return dialog

    def files(self) -> QDialog | None:
        if self._code is None:
            return None
        dialog = AssetFilesDialog(self._context, self._code, self)
        self.form_dialog = dialog
        dialog.open()
        return dialog

    def _open(self, dialog: FormDialog) -> FormDialog:
        dialog.sig_done.connect(self._on_form_done)
        self.form_dialog = dialog
        dialog.open()
        return dialog

    def _on_form_done(self, message: str) -> None:
        self.form_dialog = None
        created = message if self.tree_model.record(message) is None else None
        self.refresh()
        if created and self.tree_model.record(created) is not None:
            self.select_asset(created)
        self.sig_records_changed.emit()

    def _on_labels_button_clicked(self) -> None:
        if self._code is not None:
            print_labels(self._context, self._code, self)

    # -- helpers -------------------------------------------------------------------------

    def _rebuild_tree(self, records: list[AssetRecord]) -> None:
        first = self.tree_model.rowCount() == 0
        expanded = self._expanded_codes()
        self.tree_model.set_assets(records)
        if first:
            self.tree.expandToDepth(0)
        for code in expanded:
            source = self._source_index(code)
            if source is not None:
                self.tree.expand(self.tree_proxy.mapFromSource(source))
        source = self._source_index(self._code) if self._code else None
        if source is not None:
            # Put the selection back without treating it as a new choice (that clears the view).
            selection = self.tree.selectionModel()
            selection.blockSignals(True)
            self.tree.setCurrentIndex(self.tree_proxy.mapFromSource(source))
            selection.blockSignals(False)

    def _expanded_codes(self) -> list[str]:
        codes: list[str] = []
        pending = [QModelIndex()]
        while pending:
            parent = pending.pop()
            for row in range(self.tree_proxy.rowCount(parent)):
                index = self.tree_proxy.index(row, 0, parent)
                if self.tree.isExpanded(index):
                    codes.append(index.data(AssetCodeRole))
                    pending.append(index)
        return codes

    def _source_index(self, code: str) -> QModelIndex | None:
        found = self.tree_model.match(
            self.tree_model.index(0, 0),
            AssetCodeRole,
            code,
            1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        return found[0] if found else None

    def _show(self, code: str | None) -> None:
        record = self.tree_model.record(code) if code else None
        self.table_model.set_rows(())
        self.tiles.clear()
        self.history = None
        if record is None:
            self._code = None
            self._background.forget("history")
            self.meters.set_asset(None)
            self.right.setCurrentWidget(self.placeholder)
            return
        self._code = record.code
        include = self.include_subtree.isChecked()
        self.header.show_asset(record, include, None)
        self.meters.set_asset(record.code)
        self.table_caption.setText(tr("Loading the history of {code}…").format(code=record.code))
        self.right.setCurrentIndex(1)
        self._load(record.code, include)

    def _load(self, code: str, include_subtree: bool) -> None:
        """Only the newest request's answer is shown: clicking quickly down the tree starts
        several loads, and an older answer would overwrite the asset now selected."""
        self._background.run(
            lambda: self._histories.history(code, include_subtree),
            self._on_history_loaded,
            self._on_history_failed,
            key="history",
        )

    def _on_history_loaded(self, history: AssetHistory) -> None:
        record = self.tree_model.record(history.asset_code)
        if record is None:
            return
        # The same view reloaded (refresh) keeps the row the user is on and the scroll.
        previous = self.history
        same_view = previous is not None and (previous.asset_code, previous.include_subtree) == (
            history.asset_code,
            history.include_subtree,
        )
        current = self.table.currentIndex()
        number = current.siblingAtColumn(0).data(WorkOrderNumberRole) if same_view else None
        scroll = self.table.verticalScrollBar().value() if same_view else 0
        self.history = history
        self.header.show_asset(record, history.include_subtree, history.asset_count)
        self.tiles.show_history(history)
        self.pareto.set_bars(history.pareto)
        self.table_model.set_rows(history.work_orders)
        if number:
            row = self.table_model.row_of(number)
            if row is not None:
                self.table.setCurrentIndex(self.table_model.index(row, current.column()))
        self.table.verticalScrollBar().setValue(scroll)
        orders = len(history.work_orders)
        self.table_caption.setText(
            tr("{orders} work order{value} — double-click or Enter opens one").format(
                orders=show_number(orders, 0), value="s" if orders != 1 else ""
            )
        )
        self.sig_history_shown.emit(history.asset_code)

    def _on_history_failed(self, failure: Failure) -> None:
        if isinstance(failure.error, NotFound):
            # Deleted by another workstation since the tree was loaded.
            self.refresh()
            return
        self.table_caption.setText(
            tr("The history could not be loaded. {message}").format(message=failure.message)
        )
