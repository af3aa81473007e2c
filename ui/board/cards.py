"""One stage column's cards: a list model that drags work-order numbers, and its painter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ui import theme
from ui.i18n import show_time, show_weekday, tr
from ui.words import word

if TYPE_CHECKING:
    from datetime import datetime

    from desktop.domain.board import BoardCard
    from desktop.domain.enums import Stage

CARD_MIME = "application/x-wrenchbook-work-order"
CardRole = Qt.ItemDataRole.UserRole + 1
CARD_HEIGHT = 74
_EDGE, _SELECTED_EDGE = QColor("#d0d7de"), QColor("#3fa7d6")
_WHITE, _SELECTED_FILL = QColor("#ffffff"), QColor("#eef7fc")
_CREW = QColor("#5d6d7e")
_Index = QModelIndex | QPersistentModelIndex


class CardListModel(QAbstractListModel):
    """The cards of one stage; a drop emits ``sig_card_dropped`` and leaves moving to the panel.

    The drop never moves a row itself: the panel asks the service, and after a refusal the card
    is simply still where it was; after a success the whole board is read again.
    """

    sig_card_dropped = Signal(str, int, int)  # number, version, target stage

    def __init__(self, stage: Stage) -> None:
        super().__init__()
        self.stage = stage
        self.cards: tuple[BoardCard, ...] = ()

    def set_cards(self, cards: tuple[BoardCard, ...]) -> None:
        """Show `cards`; more of the same below (the start's first page followed by the
        services' read) are added as rows, so what the user selected and scrolled to stays."""
        if cards == self.cards:
            return
        shown = len(self.cards)
        if shown and cards[:shown] == self.cards:
            self.beginInsertRows(QModelIndex(), shown, len(cards) - 1)
            self.cards = cards
            self.endInsertRows()
            return
        self.beginResetModel()
        self.cards = cards
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.cards)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        card = self.cards[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{card.number} {card.title}"
        if role == CardRole:
            return card
        if role == Qt.ItemDataRole.ToolTipRole:
            crew = ", ".join(card.assignee_initials) or tr("nobody")
            facts = tr("{type} on {asset}, priority {priority}, {status}, assigned: {crew}").format(
                type=word(card.type.value),
                asset=card.asset_code,
                priority=int(card.priority),
                status=word(card.status.value),
                crew=crew,
            )
            return f"{card.number}: {card.title}\n{_due_text(card)}\n{facts}"
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        return (
            base
            | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | (Qt.ItemFlag.ItemIsDragEnabled)
        )

    def mimeTypes(self) -> list[str]:
        return [CARD_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        card = self.cards[indexes[0].row()]
        mime.setData(CARD_MIME, f"{card.number}\t{card.version}".encode())
        return mime

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index
    ) -> bool:
        return data.hasFormat(CARD_MIME)

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index
    ) -> bool:
        if not data.hasFormat(CARD_MIME):
            return False
        number, version = bytes(data.data(CARD_MIME).data()).decode().split("\t")
        if any(card.number == number for card in self.cards):
            return False  # dropped back onto its own column
        self.sig_card_dropped.emit(number, int(version), int(self.stage))
        return False


def _due_text(card: BoardCard) -> str:
    if card.due_at is None:
        return tr("no due date")
    return tr("due {when}").format(when=show_time(card.due_at))


def _due_badge(card: BoardCard, now: datetime) -> tuple[str, QColor | None]:
    if card.due_at is None or not card.status.is_open:
        return "", None
    if card.due_at < now:
        days = (now - card.due_at).days
        # A red chip means late; the tooltip spells it out. Short, so the number stays whole.
        return (tr("{days}d").format(days=days) if days else tr("late")), theme.OVERDUE
    return show_weekday(card.due_at, "dd MMM"), None


class CardDelegate(QStyledItemDelegate):
    """Paints a card: priority bar, number, due badge, title, asset, crew and a parts flag."""

    def __init__(self, now: object) -> None:
        super().__init__()
        self._now = now  # a Clock: the board's notion of now (a FakeClock in tests)
        self._fonts: tuple[QFont, QFont, QFont] | None = None  # view's, small, small bold

    def _fonts_for(self, font: QFont) -> tuple[QFont, QFont]:
        """The small and the bold small font beside `font`, made once per view font: every
        card painted (each scroll step, the start's first page) used to build both again."""
        if self._fonts is None or self._fonts[0] != font:
            small = QFont(font)
            small.setPointSizeF(max(font.pointSizeF() - 1, 7))
            bold = QFont(small)  # the number: small enough to share its line with the due badge
            bold.setBold(True)
            self._fonts = (QFont(font), small, bold)
        return self._fonts[1], self._fonts[2]

    def set_clock(self, now: object) -> None:
        """The context's clock, once the board has one (it starts on the wall clock)."""
        self._now = now

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(option.rect.width(), CARD_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        card: BoardCard = index.data(CardRole)
        now: datetime = self._now()  # type: ignore[operator]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = option.rect.adjusted(4, 3, -4, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(_SELECTED_EDGE if selected else _EDGE)
        painter.setBrush(_SELECTED_FILL if selected else _WHITE)
        painter.drawRoundedRect(box, 5, 5)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.PRIORITY_COLOURS[card.priority])
        painter.drawRoundedRect(QRect(box.left(), box.top(), 5, box.height()), 2, 2)
        inner = box.adjusted(11, 5, -7, -5)
        text_colour = option.palette.color(QPalette.ColorRole.Text)
        small, bold = self._fonts_for(option.font)
        line = inner.height() // 3
        # Line 1: the number, whole; the due badge on its right, or on the title's line when
        # a narrow column (six stages at 1280 px) leaves no room beside the number.
        badge, badge_colour = _due_badge(card, now)
        left_middle = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.setFont(bold)
        painter.setPen(text_colour)
        number_width = painter.fontMetrics().horizontalAdvance(card.number)
        head = QRect(inner.left(), inner.top(), inner.width(), line)
        painter.drawText(head, left_middle, card.number)
        painter.setFont(small)
        badge_width = painter.fontMetrics().horizontalAdvance(badge) + 10 if badge else 0
        badge_row = 0 if number_width + 4 + badge_width <= inner.width() else 1
        if badge:
            top = inner.top() + badge_row * line
            badge_rect = QRect(inner.right() - badge_width, top, badge_width, line - 2)
            if badge_colour is not None:
                painter.setBrush(badge_colour)
                painter.drawRoundedRect(badge_rect, 3, 3)
                painter.setPen(_WHITE)
            else:
                painter.setPen(theme.MUTED)
            painter.drawText(badge_rect, Qt.AlignmentFlag.AlignCenter, badge)
        # Line 2: the title, elided (beside the badge when it moved down).
        painter.setFont(option.font)
        painter.setPen(text_colour)
        beside = badge_width + 4 if badge_row == 1 and badge else 0
        title_rect = QRect(inner.left(), inner.top() + line, inner.width() - beside, line)
        title = painter.fontMetrics().elidedText(
            card.title, Qt.TextElideMode.ElideRight, title_rect.width()
        )
        painter.drawText(title_rect, left_middle, title)
        # Line 3: asset on the left; parts flag and crew initials on the right.
        painter.setFont(small)
        bottom = QRect(inner.left(), inner.top() + 2 * line, inner.width(), line)
        right = bottom.right()
        metrics = painter.fontMetrics()
        for initials in reversed(card.assignee_initials[:3]):
            size = line - 2
            circle = QRect(right - size, bottom.top() + 1, size, size)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_CREW)
            painter.drawEllipse(circle)
            painter.setPen(_WHITE)
            painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, initials)
            right -= size + 3
        if card.waiting_for_parts:
            flag = tr("waiting for parts")
            width = metrics.horizontalAdvance(flag) + 10
            flag_rect = QRect(right - width, bottom.top() + 1, width, line - 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.WARNING)
            painter.drawRoundedRect(flag_rect, 3, 3)
            painter.setPen(_WHITE)
            painter.drawText(flag_rect, Qt.AlignmentFlag.AlignCenter, flag)
            right -= width + 4
        painter.setPen(theme.MUTED)
        asset_rect = QRect(bottom.left(), bottom.top(), right - bottom.left() - 4, line)
        asset_text = f"{card.asset_code} · {word(card.type.value)}"
        if card.status.value == "on_hold":
            asset_text += " · " + word("on_hold")
        painter.drawText(
            asset_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(asset_text, Qt.TextElideMode.ElideRight, asset_rect.width()),
        )
        painter.restore()
