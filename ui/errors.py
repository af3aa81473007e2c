"""Unexpected exceptions become a readable dialog and a log entry, never a bare traceback."""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from desktop.domain.errors import WrenchbookError
from ui.i18n import tr

if TYPE_CHECKING:
    from pathlib import Path
    from types import TracebackType

log = logging.getLogger("wrenchbook")

LOG_FILE_NAME = "wrenchbook.log"
_log_path: Path | None = None


def start_log(data_dir: Path) -> Path:
    """Log to a rotating file in the data folder, where support will look for it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOG_FILE_NAME
    handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    global _log_path  # one log per process, named in every error message
    _log_path = path
    return path


def describe_failure(error: BaseException, details: str = "") -> str:
    """What a person reads about `error`, which is logged here: a refusal (the person can act
    on it) as its explanation, a file problem as it is, anything else as an unexpected error
    with where its details were written."""
    if isinstance(error, WrenchbookError):
        from ui import messages  # QMessageBox's types cost the start ~15 ms: loaded when needed

        log.warning("refused: %s", error)
        return messages.explain(error)
    details = details or "".join(traceback.format_exception(error))
    if isinstance(error, OSError):
        log.warning("file or connection problem: %s", error)
        return str(error)
    log.error("unexpected error\n%s", details)
    where = (
        tr("were written to {path}").format(path=_log_path) if _log_path else tr("are in the log")
    )
    return tr(
        "Something went wrong: {kind}: {error}\n\n"
        "Nothing you saved before this is lost. The details {where}; please send that file "
        "to your administrator."
    ).format(kind=type(error).__name__, error=error, where=where)


def install_handler() -> None:
    """Route exceptions that escape a slot to the log and to a dialog the user can read."""

    def handle(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        details = "".join(traceback.format_exception(kind, error, tb))
        # A refusal the code path forgot to catch is still a message, not a crash report.
        text = describe_failure(error, details)
        if QApplication.instance() is not None:
            from PySide6.QtWidgets import QMessageBox

            from ui import messages

            parent = QApplication.activeWindow()
            messages.show(parent, tr("Wrenchbook"), text, QMessageBox.Icon.Critical, details)

    sys.excepthook = handle
