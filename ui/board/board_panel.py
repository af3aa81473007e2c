"""The lifecycle board: six stage columns of cards; dragging a card moves the work order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.board import FIRST_PAGE
from desktop.domain.enums import HoldReason, Stage, Status
from desktop.domain.lifecycle import STAGE_ENTRY, needs_hold_reason, targets_from
from desktop.services.shared.clock import utc_now
from ui.board.cards import CardDelegate, CardListModel, CardRole
from ui.i18n import show_number, tr
from ui.widgets.filter_bar import FilterBar
from ui.words import word

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from desktop.domain.board import BoardCard, BoardColumn
    from desktop.domain.search import SearchFilter
    from ui.context import AppContext

STAGE_TITLES = {
    Stage.REQUEST: QT_TR_NOOP("Request"),
    Stage.APPROVAL: QT_TR_NOOP("Approval"),
    Stage.SCHEDULE: QT_TR_NOOP("Scheduling"),
    Stage.EXECUTE: QT_TR_NOOP("Execution"),
    Stage.COMPLETE: QT_TR_NOOP("Completion"),
    Stage.REVIEW: QT_TR_NOOP("Review"),
}


class StageColumn(QFrame):
    """A header with the stage's count and a list of cards that accepts drops."""

    def __init__(self, stage: Stage, delegate: CardDelegate, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("stageColumn")
        self.stage = stage
        self.header = QLabel()
        self.header.setObjectName("stageHeader")
        # The header never widens its column: all six share the board's width equally.
        self.header.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.model = CardListModel(stage)
        self.view = QListView()
        self.view.setObjectName("stageCards")
        self.view.setModel(self.model)
        self.view.setItemDelegate(delegate)
        self.view.setUniformItemSizes(True)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setMinimumWidth(150)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.header)
        layout.addWidget(self.view)

    def show_column(self, column: BoardColumn, closed_hidden: bool) -> None:
        shown = len(column.cards)
        title = f"{tr(STAGE_TITLES[self.stage])}  ·  {show_number(column.total, 0)}"
        tip = tr("{count} work orders").format(count=show_number(column.total, 0))
        if shown < column.total:
            tip += tr(
                "; the {shown} most urgent are shown, narrow the filters to see others"
            ).format(shown=shown)
            title += " ▾"
        if self.stage is Stage.REVIEW and closed_hidden:
            tip = tr("Closed work orders are hidden: tick Show closed to see them")
        self.header.setText(title)
        self.header.setToolTip(tip)
        self.model.set_cards(column.cards)


class BoardPanel(QWidget):
    """Filters on top, the six stages below; every move goes through the work-order service.

    At start the board can show before the services exist (`first_page`, read with the bare
    DBAPI): it scrolls, selects and takes filter input at once, and what needs a service
    (opening an order, a move, a new search) waits in a queue, with "loading…" beside the
    count, until `attach` brings the services and runs it.
    """

    sig_work_order_opened = Signal(str)

    def __init__(
        self,
        context: AppContext | None,
        parent: QWidget | None = None,
        first_page: Sequence[BoardColumn] = (),
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._ready = context is not None
        self._queued: dict[str, Callable[[], object]] = {}  # by what the user is told
        self._refresh_queued = False
        self.last_message = None
        self.filters = FilterBar(context, with_status=False)
        self.filters.sig_number_entered.connect(self.sig_work_order_opened)
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self._delegate = CardDelegate(utc_now if context is None else context.clock)
        self.columns = {stage: StageColumn(stage, self._delegate) for stage in Stage}
        lanes = QHBoxLayout()
        lanes.setSpacing(6)
        for column in self.columns.values():
            lanes.addWidget(column, 1)
            column.model.sig_card_dropped.connect(self._on_card_dropped)
            column.view.doubleClicked.connect(self._on_card_activated)
            column.view.activated.connect(self._on_card_activated)
            column.view.customContextMenuRequested.connect(
                lambda pos, c=column: self._on_context_menu(c, pos)
            )
        title = QLabel(tr("Work-order board"))
        title.setObjectName("panelTitle")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addLayout(lanes, 1)
        self.filters.sig_filter_changed.connect(self.refresh)
        if context is None:
            self._show(first_page, FIRST_PAGE)
        else:
            self.refresh()

    @property
    def ready(self) -> bool:
        """Whether the board has its services and was read through them (`attach`)."""
        return self._ready

    @property
    def waiting(self) -> bool:
        """Whether something the user asked for waits for the services (`attach`)."""
        return bool(self._queued) or self._refresh_queued

    def attach(self, context: AppContext) -> None:
        """The services are loaded: read the board through them on a worker thread (60 ms over
        100k orders, during which the first page keeps taking input), show it (the first
        page's cards stay where they are, more of them join below, selection and scroll kept),
        then do what the user asked for meanwhile, in order."""
        from ui.background import Background

        self._context = context
        self._delegate.set_clock(context.clock)
        self.filters.attach(context)
        criteria = self.filters.criteria()
        Background(self).run(
            lambda: context.services.board.columns(criteria),
            lambda columns: self._on_services_read(columns, criteria),
            lambda _failure: self._on_services_read(None, criteria),  # read again, here
        )

    def _on_services_read(
        self, columns: Sequence[BoardColumn] | None, criteria: SearchFilter
    ) -> None:
        self._ready = True
        if columns is None or self._refresh_queued or self.filters.criteria() != criteria:
            self._refresh_queued = False
            self.refresh()  # the filters changed meanwhile (or the read failed: its error here)
        else:
            self._show(columns, criteria)
        queued, self._queued = self._queued, {}
        self.unsetCursor()
        for action in queued.values():
            action()

    def _when_ready(self, action: Callable[[], object], what: str) -> None:
        """Do `action` now, or once the services are there, saying so meanwhile (once: a
        double-click also activates the card, and asking twice is still one request)."""
        if self._ready:
            action()
            return
        self._queued.setdefault(what, action)
        self._show_waiting(what)

    def _show_waiting(self, what: str) -> None:
        self.summary.setText(tr("Loading… {what} follows").format(what=what))
        self.setCursor(Qt.CursorShape.BusyCursor)

    def print_sheets(self, numbers: list[str]) -> None:
        # ReportLab and qrcode load when a sheet is printed, not when the panel is built.
        from ui.reports.sheets import print_sheets

        assert self._context is not None, "printing waits for the services"
        print_sheets(self._context, numbers, self)

    def focus_search(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    def refresh(self) -> None:
        """Read the board again with the current filters (cheap: counts plus first cards)."""
        if not self._ready:  # a filter changed before the services were there
            self._refresh_queued = True
            self._show_waiting(tr("the search"))
            return
        assert self._context is not None
        criteria = self.filters.criteria()
        self._show(self._context.services.board.columns(criteria), criteria)

    def _show(self, columns: Sequence[BoardColumn], criteria: SearchFilter) -> None:
        for column in columns:
            self.columns[column.stage].show_column(column, not criteria.include_closed)
        total = sum(c.total for c in columns)
        self.summary.setText(tr("{total} work orders match").format(total=show_number(total, 0)))

    def reload_choices(self) -> None:
        if self._ready:
            self.filters.load_choices()

    def card(self, number: str) -> BoardCard | None:
        """The card of `number` if it is on the board now (for tests and keyboard actions)."""
        for column in self.columns.values():
            for card in column.model.cards:
                if card.number == number:
                    return card
        return None

    def stage_of(self, number: str) -> Stage | None:
        for stage, column in self.columns.items():
            if any(card.number == number for card in column.model.cards):
                return stage
        return None

    def _on_card_activated(self, index: object) -> None:
        card = index.data(CardRole)  # type: ignore[attr-defined]
        if card is not None:
            self.open(card.number)

    def open(self, number: str) -> None:
        """Open the order's editor, once the services are there."""
        self._when_ready(
            lambda: self.sig_work_order_opened.emit(number),
            tr("opening {number}").format(number=number),
        )

    def _on_card_dropped(self, number: str, version: int, stage: int) -> None:
        card = self.card(number)
        if card is None:
            return
        self.request_move(card, STAGE_ENTRY[Stage(stage)])

    def request_move(
        self, card: BoardCard, target: Status, hold_reason: HoldReason | None = None
    ) -> None:
        """`move`, once the services are there (a drop or a menu pick during the start)."""
        self._when_ready(
            lambda: self.move(card, target, hold_reason),
            tr("moving {number}").format(number=card.number),
        )

    def move(self, card: BoardCard, target: Status, hold_reason: HoldReason | None = None) -> bool:
        """Ask the service to move `card`; a refusal is shown and the board stays as it was."""
        assert self._context is not None, "moves wait for the services (request_move)"
        # Loaded with the first move: their message boxes cost the start ~15 ms.
        from ui import messages
        from ui.work_orders import moves

        note = moves.ask_reason(self, [card.status], target, card.number)
        if note is None:
            return False
        refusal = moves.move(
            self._context.services.work_orders,
            self._context,
            card.number,
            card.version,
            target,
            note,
            hold_reason,
        )
        if refusal is not None:
            self.last_message = messages.show(self, tr("Move refused"), refusal)
        self.refresh()
        return refusal is None

    def _on_context_menu(self, column: StageColumn, pos: QPoint) -> None:
        index = column.view.indexAt(pos)
        if not index.isValid():
            return
        card: BoardCard = index.data(CardRole)
        menu = QMenu(self)
        menu.addAction(tr("Open"), lambda: self.open(card.number))
        menu.addAction(
            tr("Print sheet…"),
            lambda: self._when_ready(
                lambda: self.print_sheets([card.number]),
                tr("printing {number}").format(number=card.number),
            ),
        )
        move_to = menu.addMenu("Move to")
        for target in targets_from(card.status):
            if needs_hold_reason(target):
                hold = move_to.addMenu(word(target.value))
                for reason in HoldReason:
                    hold.addAction(
                        word(reason.value),
                        lambda r=reason, t=target: self.request_move(card, t, hold_reason=r),
                    )
                continue
            move_to.addAction(word(target.value), lambda t=target: self.request_move(card, t))
        menu.popup(column.view.viewport().mapToGlobal(pos))
