"""A second workstation watching the board, as a real OS process, for the multi-workstation test.

`python -m tests.integration.board_watcher DATA_DIR` opens the database named in
DATA_DIR/workstation.ini and runs the desktop app's own ChangeWatcher; each time it reports
a change, the board is read again and printed as one JSON line (number -> status).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from desktop.services.admin import workstation_settings
from desktop.services.orders.board import BoardService
from desktop.store.database import Database
from ui.change_watcher import ChangeWatcher
from ui.quit_signals import quit_on_signals


def main(data_dir: Path) -> int:
    settings = workstation_settings.load(data_dir)
    db = Database(workstation_settings.choose_database(None, data_dir, settings).url)
    board = BoardService(db)
    app = QCoreApplication([])
    quit_on_signals(app)  # the test stops it with SIGINT

    def show(sequence: int, _kinds: object = None) -> None:
        cards = {c.number: c.status.value for col in board.columns() for c in col.cards}
        print(json.dumps({"sequence": sequence, "board": cards}), flush=True)

    watcher = ChangeWatcher(db)  # the app's own polling interval
    watcher.sig_changed.connect(show)
    watcher.poll()  # the starting point, before the test makes any change
    show(watcher.last_sequence or 0)
    watcher.start()
    try:
        return app.exec()
    finally:
        watcher.stop()
        db.dispose()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
