"""Tells the person that someone else saved the work order first, and what to do about it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.i18n import say, tr
from ui.work_orders.form_widgets import show_time

if TYPE_CHECKING:
    from collections.abc import Iterable

    from desktop.domain.errors import ConflictError


class ConflictDialog(QDialog):
    """Finishes with RELOAD (keep the typed edits on the newer record) or DISCARD."""

    RELOAD = 1
    DISCARD = 2

    def __init__(
        self, error: ConflictError, edited_fields: Iterable[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_dialog")
        self.setWindowTitle(tr("{what} was changed by someone else").format(what=say(error.what)))
        edited = ", ".join(name.replace("_", " ") for name in edited_fields) or "none"
        self.message = QLabel(
            tr(
                "<b>{what} was changed by {changed_by} at {value}</b> after you opened it, so "
                "your save was not made and nothing was overwritten.<br><br>Your unsaved edits: "
                "{edited}.<br><br><i>Reload and keep my edits</i> shows their version with your "
                "edits typed on top; check it and save again. <i>Discard my edits</i> shows "
                "their version only."
            ).format(
                what=say(error.what),
                changed_by=say(error.changed_by),
                value=show_time(error.changed_at),
                edited=edited,
            )
        )
        self.message.setWordWrap(True)
        self.reload_button = QPushButton(tr("&Reload and keep my edits"))
        self.reload_button.setObjectName("reload_keep")
        self.discard_button = QPushButton(tr("&Discard my edits"))
        self.discard_button.setObjectName("discard")
        self.reload_button.clicked.connect(lambda: self.done(self.RELOAD))
        self.discard_button.clicked.connect(lambda: self.done(self.DISCARD))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.discard_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumWidth(480)
        self.reload_button.setDefault(True)


def outcome_message(error: ConflictError, kept_edits: bool) -> tuple[str, str]:
    """The banner's text and level after the conflict: the newer version was reloaded with
    the person's edits on top, or shown without them."""
    when = show_time(error.changed_at)
    if kept_edits:
        return (
            tr(
                "Reloaded the version {changed_by} saved at {when}; your edits are kept on "
                "top. Check them and save again."
            ).format(changed_by=say(error.changed_by), when=when),
            "warning",
        )
    return (
        tr("Your edits were discarded; showing the version {changed_by} saved at {when}.").format(
            changed_by=say(error.changed_by), when=when
        ),
        "info",
    )
