"""The shop-floor kiosk: anyone picks an asset and raises a request, nothing else.

`python main.py --kiosk` opens it full screen on a touch panel by the line. Three steps, each
with buttons a gloved finger can hit: choose the asset (type, pick from the list, or scan its
label: a scanner types the code and Enter), say what is wrong (machine stopped, a photo or a
file), then say who you are (user name and PIN, or just a name as a guest). The request goes
to the planners' queue in `requested`; nobody stays logged in.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import WrenchbookError
from desktop.domain.scanning import ScanKind
from desktop.domain.scanning import clean as clean_scan
from desktop.domain.scanning import parse as parse_scan
from desktop.services.assets.assets import AssetService
from desktop.services.orders.breakdown_requests import BreakdownRequest, BreakdownRequestService
from desktop.services.shared import attachments
from ui.display.style import px
from ui.i18n import tr

if TYPE_CHECKING:
    from desktop.services.shared.clock import Clock
    from desktop.store.database import Database

log = logging.getLogger("wrenchbook")

AssetCodeRole = Qt.ItemDataRole.UserRole + 1
SHOWN_MATCHES = 60
CONFIRMATION_MS = 8000


def scanned_code(text: str) -> str:
    """The asset code in what a scanner or a person typed (labels: desktop.domain.scanning)."""
    scan = parse_scan(text)
    return scan.value if scan.kind is ScanKind.ASSET else clean_scan(text)


def kiosk_style(height: int) -> str:
    return f"""
        QWidget {{ background: #14191f; color: #e8edf2; font-size: {px("body", height)}px; }}
        QLabel#kioskTitle {{ font-size: {px("big", height)}px; font-weight: bold; }}
        QLabel#kioskError {{ color: #ff8a80; }}
        QLabel#kioskDone {{ font-size: {px("big", height)}px; color: #7ee081; }}
        QLineEdit, QPlainTextEdit, QListWidget {{
            background: #1f2730; border: {px("rule", height)}px solid #3a4a5a;
            border-radius: {px("radius", height)}px; padding: {px("pad", height)}px; }}
        QListWidget::item {{ min-height: {px("touch", height)}px; }}
        QListWidget::item:selected {{ background: #2d5f8a; }}
        QPushButton {{ min-height: {px("touch", height)}px; padding: 0 {px("gap", height)}px;
            background: #2d5f8a; border-radius: {px("radius", height)}px; }}
        QPushButton#plain {{ background: #34404c; }}
        QCheckBox::indicator {{ width: {px("touch", height)}px; height: {px("touch", height)}px; }}
    """


def _label(text: str, name: str = "") -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(True)
    if name:
        widget.setObjectName(name)
    return widget


class KioskWindow(QWidget):
    """UI thread only. `kiosk_account` is the viewer account guest requests are filed under."""

    sig_request_raised = Signal(str)

    def __init__(
        self, db: Database, kiosk_account: str, clock: Clock | None = None, height: int = 1080
    ) -> None:
        super().__init__()
        self.setWindowTitle(tr("Wrenchbook — report a problem"))
        self._db = db
        self._kiosk_account = kiosk_account
        self._requests = (
            BreakdownRequestService(db, clock) if clock else BreakdownRequestService(db)
        )
        self._assets = [(a.code, a.name) for a in AssetService(db).list()]
        self._asset: tuple[str, str] | None = None
        self._files: list[tuple[str, bytes]] = []
        self.setStyleSheet(kiosk_style(height))
        self.pages = QStackedWidget()
        self.pages.addWidget(self._choose_page())
        self.pages.addWidget(self._describe_page())
        self.pages.addWidget(self._who_page())
        self.pages.addWidget(self._done_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self._back_timer = QTimer(self, singleShot=True, interval=CONFIRMATION_MS)
        self._back_timer.timeout.connect(self.start_over)
        self._on_search_edited("")

    # --- step 1: the asset ------------------------------------------------------------------

    def _choose_page(self) -> QWidget:
        page = QWidget()
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Scan the asset's label, or type its code or name"))
        self.search.textEdited.connect(self._on_search_edited)
        self.search.returnPressed.connect(self._on_search_returned)
        self.matches = QListWidget()
        self.matches.itemClicked.connect(self._on_matches_clicked)
        self.choose_error = _label("", "kioskError")
        box = QVBoxLayout(page)
        box.addWidget(_label(tr("Report a problem with a machine"), "kioskTitle"))
        box.addWidget(self.search)
        box.addWidget(self.matches, 1)
        box.addWidget(self.choose_error)
        return page

    def _on_search_edited(self, text: str) -> None:
        needle = scanned_code(text).lower()
        self.matches.clear()
        shown = [
            (code, name)
            for code, name in self._assets
            if needle in code.lower() or needle in name.lower()
        ][:SHOWN_MATCHES]
        for code, name in shown:
            item = QListWidgetItem(f"{code}   {name}")
            item.setData(AssetCodeRole, code)
            self.matches.addItem(item)
        self.choose_error.setText(
            "" if shown or not needle else tr("No asset matches “{text}”.").format(text=text)
        )

    def _on_search_returned(self) -> None:
        """A scanner ends with Enter: an exact code opens at once, else the only match."""
        code = scanned_code(self.search.text()).lower()
        exact = [a for a in self._assets if a[0].lower() == code]
        if exact:
            self.choose_asset(exact[0][0])
        elif self.matches.count() == 1:
            self.choose_asset(self.matches.item(0).data(AssetCodeRole))

    def _on_matches_clicked(self, item: QListWidgetItem) -> None:
        self.choose_asset(item.data(AssetCodeRole))

    def choose_asset(self, code: str) -> None:
        self._asset = next(a for a in self._assets if a[0] == code)
        self.asset_label.setText(f"{self._asset[0]}   {self._asset[1]}")
        self.who_asset_label.setText(f"{self._asset[0]}   {self._asset[1]}")
        self.pages.setCurrentIndex(1)
        self.note.setFocus()

    # --- step 2: what is wrong --------------------------------------------------------------

    def _describe_page(self) -> QWidget:
        page = QWidget()
        self.asset_label = _label("", "kioskTitle")
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(tr("What is wrong? (noise, leak, jam, what you saw)"))
        self.stopped = QCheckBox(tr("The machine has stopped"))
        self.add_file_button = QPushButton(tr("Add a photo or file…"))
        self.add_file_button.setObjectName("plain")
        self.add_file_button.clicked.connect(self._on_add_file_clicked)
        self.files_label = _label("")
        self.describe_error = _label("", "kioskError")
        cancel = QPushButton(tr("Cancel"))
        cancel.setObjectName("plain")
        cancel.clicked.connect(self.start_over)
        self.next_button = QPushButton(tr("Next"))
        self.next_button.clicked.connect(self._on_next_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        box = QVBoxLayout(page)
        box.addWidget(self.asset_label)
        box.addWidget(self.note, 1)
        box.addWidget(self.stopped)
        row = QHBoxLayout()
        row.addWidget(self.add_file_button)
        row.addWidget(self.files_label, 1)
        box.addLayout(row)
        box.addWidget(self.describe_error)
        box.addLayout(buttons)
        return page

    def _on_add_file_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            tr("Add a photo or file"),
            "",
            tr("Photos and documents") + " (*.jpg *.jpeg *.png *.pdf)",
        )
        if path:
            self.add_file(Path(path))

    def add_file(self, path: Path) -> None:
        """Checked at once (type, size), so a refused file is named before the request."""
        try:
            content = attachments.read_file(path)
        except WrenchbookError as exc:
            self.describe_error.setText(str(exc))
            return
        self.describe_error.setText("")
        self._files.append((path.name, content))
        self.files_label.setText(", ".join(name for name, _ in self._files))

    def _on_next_clicked(self) -> None:
        if not self.note.toPlainText().strip() and not self.stopped.isChecked():
            self.describe_error.setText(tr("Say what is wrong, or tick “The machine has stopped”."))
            return
        self.describe_error.setText("")
        self.pages.setCurrentIndex(2)
        self.username.setFocus()

    # --- step 3: who ------------------------------------------------------------------------

    def _who_page(self) -> QWidget:
        page = QWidget()
        self.who_asset_label = _label("", "kioskTitle")
        self.username = QLineEdit()
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.guest = QLineEdit()
        self.guest.setPlaceholderText(tr("No account? Your name"))
        self.who_error = _label("", "kioskError")
        back = QPushButton(tr("Back"))
        back.setObjectName("plain")
        back.clicked.connect(lambda: self.pages.setCurrentIndex(1))
        self.send_button = QPushButton(tr("Send request"))
        self.send_button.clicked.connect(self._on_send_clicked)
        self.pin.returnPressed.connect(self._on_send_clicked)
        self.guest.returnPressed.connect(self._on_send_clicked)
        form = QGridLayout()
        form.addWidget(_label(tr("User")), 0, 0)
        form.addWidget(self.username, 0, 1)
        form.addWidget(_label(tr("PIN")), 1, 0)
        form.addWidget(self.pin, 1, 1)
        form.addWidget(_label(tr("or as a guest")), 2, 0)
        form.addWidget(self.guest, 2, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(self.send_button)
        box = QVBoxLayout(page)
        box.addWidget(self.who_asset_label)
        box.addWidget(_label(tr("Who reports it?")))
        box.addLayout(form)
        box.addWidget(self.who_error)
        box.addStretch(1)
        box.addLayout(buttons)
        return page

    def _on_send_clicked(self) -> None:
        assert self._asset is not None
        request = BreakdownRequest(
            self._asset[0],
            machine_stopped=self.stopped.isChecked(),
            note=self.note.toPlainText(),
            files=tuple(self._files),
            where="the shop-floor kiosk",
        )
        username, pin, guest = self.username.text().strip(), self.pin.text(), self.guest.text()
        try:
            if username:
                created = self._requests.raise_request(username, pin, request)
            elif guest.strip():
                created = self._requests.raise_guest_request(self._kiosk_account, guest, request)
            else:
                self.who_error.setText(tr("Give your user name and PIN, or your name as a guest."))
                return
        except WrenchbookError as exc:
            self.who_error.setText(str(exc))
            self.pin.clear()
            return
        number = created.work_order.number
        log.info("kiosk request %s for %s", number, self._asset[0])
        self.done_label.setText(
            tr("Thank you. Request {order} is with the maintenance planners.").format(order=number)
            + f"\n{self._asset[0]} {self._asset[1]}"
        )
        self.pages.setCurrentIndex(3)
        self._back_timer.start()
        self.sig_request_raised.emit(number)

    # --- done -------------------------------------------------------------------------------

    def _done_page(self) -> QWidget:
        page = QWidget()
        self.done_label = _label("", "kioskDone")
        self.done_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        again = QPushButton(tr("Report another problem"))
        again.clicked.connect(self.start_over)
        box = QVBoxLayout(page)
        box.addStretch(1)
        box.addWidget(self.done_label)
        box.addWidget(again)
        box.addStretch(1)
        return page

    def start_over(self) -> None:
        """Back to the first step with nothing of the last person left on screen."""
        self._back_timer.stop()
        self._asset = None
        self._files = []
        for field in (self.search, self.username, self.pin, self.guest):
            field.clear()
        self.note.clear()
        self.stopped.setChecked(False)
        for text in (self.files_label, self.describe_error, self.who_error, self.choose_error):
            text.setText("")
        self._on_search_edited("")
        self.pages.setCurrentIndex(0)
        self.search.setFocus()
