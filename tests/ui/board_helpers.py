"""Drag a board card as the mouse would deliver it: enter, move and drop on the target list."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from desktop.domain.enums import Stage
from ui.board.board_panel import BoardPanel


def drag_card(board: BoardPanel, number: str, target: Stage) -> None:
    source = board.columns[board.stage_of(number)]
    row = [card.number for card in source.model.cards].index(number)
    mime = source.model.mimeData([source.model.index(row)])
    viewport = board.columns[target].view.viewport()
    point = QPoint(viewport.width() // 2, max(viewport.height() - 5, 1))
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    move = Qt.DropAction.MoveAction
    QApplication.sendEvent(viewport, QDragEnterEvent(point, move, mime, buttons, modifiers))
    QApplication.sendEvent(viewport, QDragMoveEvent(point, move, mime, buttons, modifiers))
    QApplication.sendEvent(viewport, QDropEvent(QPointF(point), move, mime, buttons, modifiers))
