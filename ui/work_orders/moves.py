"""Lifecycle moves from lists (board and table): the reason some moves need, and the call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QWidget

from desktop.domain.errors import WrenchbookError
from desktop.domain.lifecycle import find_transition, needs_note
from ui import messages

if TYPE_CHECKING:
    from collections.abc import Iterable

    from desktop.domain.enums import HoldReason, Status
    from desktop.services.orders.work_orders import WorkOrderService
    from ui.context import AppContext


def ask_reason(parent: QWidget, sources: Iterable[Status], target: Status, what: str) -> str | None:
    """The reason typed for a cancel or reopen ("" when no move needs one); None if backed out."""
    moves = [t for s in sources if needs_note(s, target) and (t := find_transition(s, target))]
    if not moves:
        return ""
    verb = moves[0].verb
    note, ok = QInputDialog.getText(parent, f"{verb.title()} {what}", f"Why {verb}?")
    return note if ok else None


def move(
    service: WorkOrderService,
    context: AppContext,
    number: str,
    version: int,
    target: Status,
    note: str = "",
    hold_reason: HoldReason | None = None,
) -> str | None:
    """Move one order through the service; None when done, else the refusal as a person reads it."""
    try:
        service.transition(
            context.actor,
            number,
            target,
            note=note,
            hold_reason=hold_reason,
            expected_version=version,
        )
    except WrenchbookError as exc:
        return messages.explain(exc)
    return None
