"""The main window: navigation, the panels, the status bar, shortcuts and live refresh."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QSystemTrayIcon,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import NotFound
from desktop.domain.scanning import ScanKind
from desktop.domain.scanning import parse as parse_scan
from ui import theme
from ui.i18n import say_error, tr
from ui.pending_panel import PendingPanel
from ui.scan import GoToBox, ScanListener
from ui.widgets.elided_label import ElidedLabel
from ui.words import word

# Nothing above imports SQLAlchemy or a service: the window shows as a shell before the
# database layer loads (about half a second), and `attach` fills it once somebody logged in.
if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.services.admin.notifications import Notice
    from ui.change_watcher import ChangeWatcher
    from ui.context import AppContext
    from ui.notices import NoticeWatcher
    from ui.plant_link import PlantLink
    from ui.pm.generator_timer import GeneratorTimer

GEOMETRY_KEY = "main_window/geometry"
STATE_KEY = "main_window/state"
PAGE_KEY = "main_window/page"
UNACKNOWLEDGED_SHOWN = 100
"""The navigation counts unacknowledged alarms up to this many ("100+" beyond)."""


def _board(context: AppContext) -> QWidget:
    from ui.board.board_panel import BoardPanel

    return BoardPanel(context)


def _work_orders(context: AppContext) -> QWidget:
    from ui.work_orders.table_panel import WorkOrderTablePanel

    return WorkOrderTablePanel(context)


def _assets(context: AppContext) -> QWidget:
    from ui.assets.asset_panel import AssetPanel

    return AssetPanel(context)


def _inventory(context: AppContext) -> QWidget:
    from ui.inventory.panel import InventoryPanel

    return InventoryPanel(context)


def _pm(context: AppContext) -> QWidget:
    from ui.pm.planning_panel import PlanningPanel

    return PlanningPanel(context)


def _reports(context: AppContext) -> QWidget:
    from ui.reports.panel import ReportsPanel

    return ReportsPanel(context)


def _dashboard(context: AppContext) -> QWidget:
    from ui.dashboard.panel import DashboardPanel

    return DashboardPanel(context)


def _trends(context: AppContext) -> QWidget:
    from ui.trends.panel import TrendsPanel

    return TrendsPanel(context)


def _alarms(context: AppContext) -> QWidget:
    from ui.alarms.panel import AlarmsPanel

    return AlarmsPanel(context)


def _setup(context: AppContext) -> QWidget:
    from ui.setup.panel import SetupPanel

    return SetupPanel(context)


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    icon: str
    build: Callable[[AppContext], QWidget]
    shows: frozenset[str] | None = None
    """The kinds of record (audit entity types) the page shows; None: it sums up everything.
    Another workstation's write of other kinds leaves the page as it is."""

    def shows_any(self, kinds: frozenset[str] | None) -> bool:
        return kinds is None or self.shows is None or bool(kinds & (self.shows | EVERY_PAGE))


# A restore or demo load replaces the whole database; sites and users are named everywhere.
EVERY_PAGE = frozenset({"database", "site", "user"})
_ORDERS = frozenset({"work_order", "asset", "downtime", "isolation_point"})
_STOCK = frozenset(
    {"part", "stock", "stock_movement", "bin", "vendor", "requisition", "purchase_order"}
)
_PLANT = frozenset({"plant_tag", "condition_rule", "alarm", "asset", "meter"})

PAGES = (
    Page("board", QT_TR_NOOP("Board"), "board", _board, _ORDERS),
    Page("work_orders", QT_TR_NOOP("Work orders"), "work_orders", _work_orders, _ORDERS),
    Page("assets", QT_TR_NOOP("Assets"), "assets", _assets, _ORDERS | _PLANT | {"stock_movement"}),
    Page("inventory", QT_TR_NOOP("Inventory"), "inventory", _inventory, _STOCK | {"work_order"}),
    Page(
        "pm",
        QT_TR_NOOP("Preventive"),
        "pm",
        _pm,
        _ORDERS | {"pm_schedule", "meter", "checklist", "site_calendar"},
    ),
    Page("trends", QT_TR_NOOP("Trends"), "trends", _trends, _PLANT),
    Page("alarms", QT_TR_NOOP("Alarms"), "alarms", _alarms, _PLANT | {"work_order"}),
    Page("dashboard", QT_TR_NOOP("Dashboard"), "dashboard", _dashboard),
    Page("reports", QT_TR_NOOP("Reports"), "reports", _reports),
    Page("setup", QT_TR_NOOP("Setup"), "settings", _setup),
)


STATUS_MAX_WIDTH = 360
"""The most the plant's state takes of the status bar, in pixels."""


class MainWindow(QMainWindow):
    """Builds each panel when it is first shown, so start-up loads only the board.

    Without a context it is the shell the start shows at once: the navigation, an empty page
    saying what is happening and the status bar, all before the database layer is imported.
    `attach` fills it for the user who logged in; a window built with a context is filled
    from the start.
    """

    context: AppContext
    """Whose window it is; set by `attach` (the shell has none yet)."""

    def __init__(
        self,
        context: AppContext | None,
        settings: QSettings,
        where: str = "",
        watch: bool = True,
        plant: PlantLink | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.setWindowTitle(tr("Wrenchbook"))
        self.setWindowIcon(theme.icon("wrenchbook"))
        self.panels: dict[str, QWidget] = {}
        self._stale: set[str] = set()
        # The audit sequence the panels were last refreshed after: the watcher's report of a
        # change at or below it is this window's own write, already on screen.
        self._seen_sequence: int | None = None
        self._editors: list[QWidget] = []
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setIconSize(QSize(20, 20))
        self.navigation.setFixedWidth(170)
        for page in PAGES:
            item = QListWidgetItem(theme.icon(page.icon), tr(page.title))
            item.setData(Qt.ItemDataRole.UserRole, page.key)
            self.navigation.addItem(item)
        self.go_to = GoToBox(self.open_scanned)
        self.go_to.setFixedWidth(170)
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(0)
        side.addWidget(self.go_to)
        side.addWidget(self.navigation, 1)
        self.stack = QStackedWidget()
        self.loading = PendingPanel(tr("Work-order board"), tr("Opening the database…"))
        self.stack.addWidget(self.loading)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(side)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        # The database path gives way (ending in "…") when the window is narrow.
        self.db_label = ElidedLabel(where, "databaseStatus")
        self.db_label.setToolTip(where)
        self.user_label = QLabel()
        self.connection_label = QLabel()
        self.plant_label = QLabel()
        for label in (self.plant_label, self.user_label, self.connection_label):
            label.setContentsMargins(6, 0, 6, 0)  # apart even when the bar is squeezed
        bar = self.statusBar()
        bar.addWidget(self.db_label, 1)
        bar.addPermanentWidget(self.plant_label)
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.connection_label)
        settings_action = QAction(theme.icon("settings"), tr("Settings…"), self)
        settings_action.setShortcut(QKeySequence("Ctrl+,"))
        settings_action.triggered.connect(self.open_settings)
        self.settings_button = QToolButton()
        self.settings_button.setDefaultAction(settings_action)
        self.settings_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.settings_button.setAutoRaise(True)
        bar.addPermanentWidget(self.settings_button)
        outbox_action = QAction(tr("Notifications…"), self)
        outbox_action.triggered.connect(self.open_outbox)
        self.outbox_button = QToolButton()
        self.outbox_button.setDefaultAction(outbox_action)
        self.outbox_button.setAutoRaise(True)
        bar.addPermanentWidget(self.outbox_button)
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(self.windowIcon(), self)
            self.tray.show()
        # A scanner types into whichever window has the focus, editors included.
        self.scan_listener = ScanListener(parent=self)
        self._restore_geometry()
        self.plant: PlantLink | None = None
        self.watcher: ChangeWatcher | None = None
        self.notices: NoticeWatcher | None = None
        self.pm_generator: GeneratorTimer | None = None
        if context is None:
            for part in (self.navigation, self.go_to, self.outbox_button):
                part.setEnabled(False)
        else:
            self.attach(context, where)
            self.start_background(watch, plant)

    def show_loading(self, text: str) -> None:
        """What the shell's empty page says while the start goes on (the database, the login)."""
        self.loading.set_text(text)

    def show_first_page(self, board: QWidget) -> None:
        """The board with its first page in the shell, before the services are loaded: it takes
        input at once; `attach` gives it the services and the rest of the window."""
        self.panels["board"] = board
        self.stack.addWidget(board)
        self.stack.setCurrentWidget(board)
        self.navigation.setCurrentRow(0)  # the board's row; the navigation waits for `attach`

    def attach(self, context: AppContext, where: str) -> None:
        """Fill the shell for `context`'s user: the status bar and the board, its first page
        read here (or, shown by `show_first_page` already, given its services and doing what
        was asked of it meanwhile). Nothing else waits for it: `start_background` follows."""
        from ui.change_watcher import ChangeWatcher

        self.context = context
        self.db_label.setText(where)
        self.db_label.setToolTip(where)
        actor = context.actor
        self.user_label.setText(f"{actor.username} ({word(actor.role.value)})")
        self.connection_label.setText(tr("connected"))
        for part in (self.navigation, self.go_to, self.outbox_button):
            part.setEnabled(True)
        self.watcher = ChangeWatcher(context.db)
        self.watcher.sig_changed.connect(self._on_watcher_changed)
        self.watcher.sig_connection_changed.connect(self._on_watcher_connection_changed)
        QShortcut(QKeySequence.StandardKey.New, self, lambda: self.open_work_order(None))
        QShortcut(QKeySequence.StandardKey.Find, self, self._on_find_pressed)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh_all)
        QShortcut(QKeySequence("Ctrl+G"), self, self.go_to.focus)
        self.scan_listener.sig_scanned.connect(self._on_scan_listener_scanned)
        QApplication.instance().installEventFilter(self.scan_listener)
        self.navigation.currentRowChanged.connect(self._on_navigation_changed)
        board = self.panels.get("board")
        if board is not None:  # shown with its first page before the services loaded
            self._connect(PAGES[0], board)  # first: what was asked meanwhile opens editors
            board.attach(context)  # type: ignore[attr-defined]
        key = str(self.settings.value(PAGE_KEY, "board"))
        self.show_page(key if any(p.key == key for p in PAGES) else "board")
        self.stack.removeWidget(self.loading)
        self.loading.deleteLater()

    def start_background(self, watch: bool = True, plant: PlantLink | None = None) -> None:
        """What runs beside the panels: the navigation's counts, the notices, the PM generator,
        the plant link and, in a real session (`watch`), the polling of all of them.

        Separate from `attach` so that the start shows the board first: these load the alarm,
        notification and PM services (about 0.1 s of imports, more with the plant) which the
        board's first page does not need.
        """
        from ui.notices import NoticeWatcher
        from ui.pm.generator_timer import GeneratorTimer

        context = self.context
        self.plant = plant
        # Set after the status bar was laid out: the label widens to its text, as on changes.
        self._on_plant_status_changed(
            tr("OPC UA: not configured") if plant is None else tr("OPC UA: starting")
        )
        if plant is not None:
            plant.sig_status_changed.connect(self._on_plant_status_changed)
            plant.sig_failed.connect(self._on_plant_status_changed)
            trends = self.panels.get("trends")
            if trends is not None:  # the page the window was left on last time
                plant.attach(trends)  # type: ignore[arg-type]
        self.notices = NoticeWatcher(context)
        self.notices.sig_notices_arrived.connect(self.show_notices)
        self.update_low_stock()
        self.update_alarms()
        # Background work only in a real session; tests drive these parts themselves.
        self.pm_generator = GeneratorTimer(context, parent=self)
        self.pm_generator.sig_generated.connect(self._on_pm_generated)
        if watch:
            self.watcher.start()  # type: ignore[union-attr]
            self.notices.start()
            self.pm_generator.start()
            if plant is not None:
                plant.start()

    def _on_plant_status_changed(self, text: str) -> None:
        """The plant's state as wide as its text needs, up to a limit: a long failure with its
        fix (a certificate's file, a shortfall's tags) ends in "…" with the whole text as the
        tooltip, instead of widening the window past a laptop's screen."""
        metrics = self.plant_label.fontMetrics()
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, STATUS_MAX_WIDTH)
        self.plant_label.setText(shown)
        self.plant_label.setToolTip(text if shown != text else "")
        self.plant_label.setMinimumWidth(self.plant_label.sizeHint().width())

    # -- pages ---------------------------------------------------------------------------

    def show_page(self, key: str) -> QWidget:
        """Switch to the page `key`, building its panel on first use."""
        row = next(i for i, page in enumerate(PAGES) if page.key == key)
        self.navigation.setCurrentRow(row)
        return self.panels[key]

    def current_panel(self) -> QWidget:
        return self.stack.currentWidget()

    def _on_navigation_changed(self, row: int) -> None:
        page = PAGES[row]
        panel = self.panels.get(page.key)
        if panel is None:
            panel = page.build(self.context)
            self.panels[page.key] = panel
            self.stack.addWidget(panel)
            self._connect(page, panel)
        elif page.key in self._stale:
            self._refresh(panel)
        self._stale.discard(page.key)
        self.stack.setCurrentWidget(panel)
        self.settings.setValue(PAGE_KEY, page.key)

    def _connect(self, page: Page, panel: QWidget) -> None:
        """Wire a newly built panel's signals to the window, and give it its saved state."""
        if page.key == "trends":
            if self.plant is not None:
                self.plant.attach(panel)  # type: ignore[arg-type]
            panel.sig_mapping_requested.connect(self.map_tags)  # type: ignore[attr-defined]
        behind = getattr(panel, "sig_work_orders_requested", None)
        if behind is not None:
            behind.connect(self.list_work_orders)
        alarms = getattr(panel, "sig_alarms_changed", None)
        if alarms is not None:
            alarms.connect(self.update_alarms)
        stock = getattr(panel, "sig_stock_changed", None)
        if stock is not None:
            stock.connect(self.update_low_stock)
        opened = getattr(panel, "sig_work_order_opened", None)
        if opened is not None:
            opened.connect(self.open_work_order)
        records = getattr(panel, "sig_records_changed", None)
        if records is not None:
            records.connect(self.refresh_all)
        request = getattr(panel, "sig_request_started", None)
        if request is not None:
            request.connect(lambda code: self.open_work_order(None, code))
        restore = getattr(panel, "restore_state", None)
        if restore is not None:
            restore(self.settings)

    # -- work orders ---------------------------------------------------------------------

    def open_work_order(self, number: str | None, asset_code: str | None = None) -> QWidget:
        """The editor for `number`, or for a new work order (on `asset_code`) when it is None.

        An order already open in an editor is brought to the front instead of opened twice.
        """
        from ui.work_orders.editor import WorkOrderEditor

        for open_editor in self._editors:
            detail = getattr(open_editor, "detail", None)
            if number and detail is not None and detail.row.number == number:
                open_editor.raise_()
                open_editor.activateWindow()
                return open_editor
        editor = WorkOrderEditor(self.context, number or None, self, asset_code=asset_code)
        editor.sig_work_order_saved.connect(lambda _number: self.refresh_all())
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.destroyed.connect(lambda: self._editors.remove(editor))
        self._editors.append(editor)
        editor.show()
        return editor

    def open_scanned(self, text: str) -> str:
        """Open what a scan or a typed entry names: a work order (closed ones too) or an asset.

        Returns "" when something opened, else the reason, which the status bar shows as well.
        """
        scan = parse_scan(text)
        try:
            if scan.kind is ScanKind.ASSET:
                code = self.context.services.assets.find_code(text).code
                assets = self.show_page("assets")
                assets.select_asset(code)  # type: ignore[attr-defined]
                self.statusBar().showMessage(tr("Asset {code}").format(code=code), 10_000)
                return ""
            number = self.context.services.work_orders.find_number(text)
            if number is None:
                raise NotFound(
                    tr("no work order {number}").format(number=scan.value or text.strip())
                )
        except NotFound as exc:
            said = say_error(exc)
            problem = f"{said[:1].upper()}{said[1:]}."
            self.statusBar().showMessage(problem, 15_000)
            return problem
        self.open_work_order(number)
        return ""

    def _on_scan_listener_scanned(self, text: str) -> None:
        if self.isActiveWindow() or any(e.isActiveWindow() for e in self._editors):
            self.open_scanned(text)

    # -- refresh -------------------------------------------------------------------------

    def map_tags(self) -> QWidget:
        """The tag-mapping dialog on the monitored server; the Trends page reloads after it."""
        from ui.plant.mapping_dialog import TagMappingDialog

        endpoint = self.plant.endpoint if self.plant is not None else ""
        dialog = TagMappingDialog(self.context, endpoint, self)
        dialog.accepted.connect(self.refresh_all)
        dialog.open()
        return dialog

    def open_settings(self) -> QWidget:
        """This workstation's settings; new connections take effect at the next start."""
        from ui.settings.dialog import SettingsDialog

        sampling = self.plant.sampling if self.plant is not None else ()
        dialog = SettingsDialog(self.settings, self, sampling=sampling)
        dialog.sig_settings_saved.connect(self._on_settings_saved)
        dialog.open()
        return dialog

    def _on_settings_saved(self, changed: bool) -> None:
        restart = (
            tr(" Restart Wrenchbook to use the new database or OPC UA server.") if changed else ""
        )
        self.statusBar().showMessage(tr("Settings saved.{restart}").format(restart=restart), 20_000)

    def list_work_orders(self, numbers: list[str]) -> None:
        """Open the work-order table on just these orders (a dashboard figure's)."""
        table = self.show_page("work_orders")
        table.show_numbers(numbers, tr("the dashboard figure"))  # type: ignore[attr-defined]

    def update_low_stock(self) -> int:
        """The navigation shows how many parts are at or below their minimum."""
        count = self.context.services.inventory.low_stock_count()
        item = self.navigation.item(next(i for i, p in enumerate(PAGES) if p.key == "inventory"))
        item.setText(tr("Inventory  ({count})").format(count=count) if count else tr("Inventory"))
        item.setToolTip(
            tr("{count} parts at or below their minimum stock").format(count=count) if count else ""
        )
        return count

    def update_alarms(self) -> int:
        """The navigation shows how many alarms nobody has acknowledged yet."""
        count = len(self.context.services.alarms.alarms(True, UNACKNOWLEDGED_SHOWN))
        shown = f"{count}+" if count >= UNACKNOWLEDGED_SHOWN else str(count)
        item = self.navigation.item(next(i for i, p in enumerate(PAGES) if p.key == "alarms"))
        item.setText(tr("Alarms  ({shown})").format(shown=shown) if count else tr("Alarms"))
        item.setToolTip(tr("{shown} alarms not acknowledged").format(shown=shown) if count else "")
        return count

    def refresh_all(self, kinds: frozenset[str] | None = None) -> None:
        """F5 and every save (`kinds` None: anything may have changed), or another
        workstation's write of `kinds`: the visible panel now if it shows any of them, the
        others when they are next shown."""
        from sqlalchemy.exc import SQLAlchemyError

        from desktop.services.shared import audit

        try:
            self._seen_sequence = audit.latest_sequence(self.context.db)
        except SQLAlchemyError:
            self._seen_sequence = None  # unreachable: the watcher says so; refresh on its report
        pages = {page.key: page for page in PAGES}
        if pages["inventory"].shows_any(kinds):
            self.update_low_stock()
        if pages["alarms"].shows_any(kinds):
            self.update_alarms()
        current = self.current_panel()
        if pages["work_orders"].shows_any(kinds):
            for editor in self._editors:
                editor.refresh()  # keeps what the user typed; shows others' changes beside it
        for key, panel in self.panels.items():
            if not pages[key].shows_any(kinds):
                continue
            if panel is current:
                self._refresh(panel)
            else:
                self._stale.add(key)

    @staticmethod
    def _refresh(panel: QWidget) -> None:
        refresh = getattr(panel, "refresh", None)
        if refresh is not None:
            refresh()

    def _on_watcher_changed(self, sequence: int, kinds: frozenset[str] | None) -> None:
        if self._seen_sequence is not None and sequence <= self._seen_sequence:
            return  # this window's own write, refreshed when it was saved
        self.refresh_all(kinds)

    def _on_watcher_connection_changed(self, connected: bool, reason: str) -> None:
        if connected:
            self.connection_label.setText(tr("connected"))
            self.connection_label.setStyleSheet("")
            self.refresh_all()
        else:
            self.connection_label.setText(tr("database unreachable — retrying"))
            self.connection_label.setToolTip(reason)
            self.connection_label.setStyleSheet("color: #b03a2e; font-weight: 600;")

    def _on_pm_generated(self, created: int, _skipped: int) -> None:
        if created:
            self.statusBar().showMessage(
                tr("{created} preventive work orders generated").format(created=created), 10_000
            )
            self.refresh_all()

    def _on_find_pressed(self) -> None:
        focus = getattr(self.current_panel(), "focus_search", None)
        if focus is not None:
            focus()

    # -- remembered layout ---------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self.settings.value(GEOMETRY_KEY)
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 880)
        state = self.settings.value(STATE_KEY)
        if state is not None:
            self.restoreState(state)

    def save_layout(self) -> None:
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self.settings.setValue(STATE_KEY, self.saveState())
        for panel in self.panels.values():
            save = getattr(panel, "save_state", None)
            if save is not None:
                save(self.settings)
        self.settings.sync()

    def show_notices(self, notices: list[Notice]) -> None:
        """A toast where the system has a tray (Windows), else the status bar."""
        from ui.notices import summary

        title, text = summary(notices)
        if self.tray is not None:
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 10_000)
        self.statusBar().showMessage(f"{title}: {text}".replace("\n", "; "), 30_000)

    def open_outbox(self) -> None:
        from ui.notices import OutboxDialog

        OutboxDialog(self.context, self).exec()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        for part in (self.watcher, self.notices, self.pm_generator):
            if part is not None:  # None: a shell that was never filled, nothing runs yet
                part.stop()
        if self.watcher is not None:
            QApplication.instance().removeEventFilter(self.scan_listener)
        if self.plant is not None:
            self.plant.stop()
        for editor in list(self._editors):
            editor.close()
        super().closeEvent(event)
