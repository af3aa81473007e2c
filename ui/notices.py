"""Desktop notifications for the logged-in user, and the outbox to look into.

A thread collects new events (so a site without a notification service still gets them) and
takes this user's desktop notices every few seconds; the database hands each notice to one
workstation only. The window shows them in the tray where the system has one (a toast on
Windows), else in the status bar. Mail goes through `notify run` on a server, where the relay
password is kept.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from desktop.domain.errors import WrenchbookError
from desktop.services.admin.notifications import Notice
from ui.background import Poller
from ui.i18n import tr

if TYPE_CHECKING:
    from desktop.services.admin.notifications import Notice
    from ui.context import AppContext

log = logging.getLogger(__name__)

POLL_SECONDS = 20.0
SHOWN_ONE_BY_ONE = 3


def summary(notices: list[Notice]) -> tuple[str, str]:
    """Title and text of one tray message: a few are listed, many are counted by kind."""
    if len(notices) <= SHOWN_ONE_BY_ONE:
        title = notices[0].subject if len(notices) == 1 else f"{len(notices)} notifications"
        return title, "\n".join(n.subject for n in notices)
    kinds = Counter(n.kind.label for n in notices)
    text = ", ".join(f"{count} {label}" for label, count in kinds.most_common())
    return f"{len(notices)} notifications", text


class NoticeWatcher(QObject):
    """Emits ``sig_notices_arrived`` on the UI thread with this user's new notices."""

    sig_notices_arrived = Signal(list)

    def __init__(self, context: AppContext, interval: float = POLL_SECONDS) -> None:
        super().__init__()
        self._service = context.services.notifications
        self._user_id = context.actor.user_id
        self._poller = Poller("notices", self.poll, interval)

    def start(self) -> None:
        """Poll on the notices thread, first after one interval; Qt queues the signal."""
        self._poller.start(first_after=self._poller.interval)

    def stop(self) -> None:
        self._poller.stop()

    def poll(self) -> None:
        try:
            self._service.collect()
            notices = self._service.take_desktop(self._user_id)
        except (SQLAlchemyError, WrenchbookError) as exc:
            # The change watcher reports an unreachable database; the next round retries.
            log.warning("notifications not read: %s", exc)
            return
        if notices:
            self.sig_notices_arrived.emit(notices)


class OutboxDialog(QDialog):
    """The outbox: every notification with its channel, attempts and last error."""

    COLUMNS = ("Created", "To", "Channel", "Event", "Subject", "Attempts", "Sent", "Error")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Notifications — outbox"))
        rows = context.services.notifications.outbox(limit=500)
        self.table = QTableWidget(len(rows), len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(rows):
            values = (
                f"{row.created_at:%Y-%m-%d %H:%M}",
                row.username + (f" <{row.address}>" if row.address else ""),
                row.channel + (" (digest)" if row.digest else ""),
                row.kind,
                row.subject,
                str(row.attempts),
                f"{row.sent_at:%Y-%m-%d %H:%M}" if row.sent_at else "waiting",
                row.last_error or "",
            )
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(1100, 500)
