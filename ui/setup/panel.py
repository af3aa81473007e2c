"""The Setup page: a list of record kinds on the left, the chosen kind's page on the right."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QStackedWidget, QWidget

from ui.forms.record_page import RecordPage
from ui.i18n import tr

if TYPE_CHECKING:
    from collections.abc import Callable

    from ui.context import AppContext


def _users(context: AppContext) -> QWidget:
    from ui.setup.users import UserKind

    return RecordPage(UserKind(context))


def _checklists(context: AppContext) -> QWidget:
    from ui.setup.checklists import ChecklistKind

    return RecordPage(ChecklistKind(context))


def _rules(context: AppContext) -> QWidget:
    from ui.setup.rules import RuleRecordKind

    return RecordPage(RuleRecordKind(context))


def _calendar(context: AppContext) -> QWidget:
    from ui.setup.calendar import CalendarKind

    page = RecordPage(CalendarKind(context))
    page.select(page.kind.key(page.model.row_at(0)))
    return page


def _backup(context: AppContext) -> QWidget:
    from ui.setup.backup_page import BackupPanel

    return BackupPanel(context)


def _pm(kind: str) -> Callable[[AppContext], QWidget]:
    def build(context: AppContext) -> QWidget:
        from ui.setup import pm

        return RecordPage(getattr(pm, kind)(context))

    return build


def _store(kind: str) -> Callable[[AppContext], QWidget]:
    def build(context: AppContext) -> QWidget:
        from ui.setup import inventory

        return RecordPage(getattr(inventory, kind)(context))

    return build


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    build: Callable[[AppContext], QWidget]


SECTIONS: tuple[Section, ...] = (
    Section("users", QT_TR_NOOP("Users"), _users),
    Section("pm", QT_TR_NOOP("PM schedules"), _pm("ScheduleKind")),
    Section("meters", QT_TR_NOOP("Meters and readings"), _pm("MeterRecordKind")),
    Section("checklists", QT_TR_NOOP("Checklists"), _checklists),
    Section("rules", QT_TR_NOOP("Condition rules"), _rules),
    Section("calendar", QT_TR_NOOP("Site calendar"), _calendar),
    Section("parts", QT_TR_NOOP("Parts"), _store("PartKind")),
    Section("vendors", QT_TR_NOOP("Vendors"), _store("VendorKind")),
    Section("store_rooms", QT_TR_NOOP("Store rooms"), _store("StoreRoomKind")),
    Section("bins", QT_TR_NOOP("Bins"), _store("BinKind")),
    Section("backup", QT_TR_NOOP("Backup and restore"), _backup),
)


class SetupPanel(QWidget):
    """Builds each section when it is first shown. The main window calls `refresh()`."""

    sig_records_changed = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.sections = QListWidget()
        self.sections.setObjectName("setup_sections")
        self.sections.setFixedWidth(190)
        self.sections.setStyleSheet("QListWidget::item { padding: 5px 8px; }")
        for section in SECTIONS:
            self.sections.addItem(tr(section.title))
        # Wide enough for the longest title in the language shown ("Sicherung und …").
        self.sections.setFixedWidth(max(190, self.sections.sizeHintForColumn(0) + 24))
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sections)
        layout.addWidget(self.stack, 1)
        self.sections.currentRowChanged.connect(self._on_sections_current_row_changed)
        self.sections.setCurrentRow(0)

    def show_section(self, key: str) -> QWidget:
        """Switch to the section `key`, building it on first use."""
        row = next(i for i, section in enumerate(SECTIONS) if section.key == key)
        self.sections.setCurrentRow(row)
        return self.pages[key]

    def refresh(self) -> None:
        current = self.stack.currentWidget()
        refresh = getattr(current, "refresh", None)
        if refresh is not None:
            refresh()

    def _on_sections_current_row_changed(self, row: int) -> None:
        section = SECTIONS[row]
        page = self.pages.get(section.key)
        if page is None:
            page = section.build(self.context)
            saved = getattr(page, "sig_saved", None)
            if saved is not None:
                saved.connect(lambda _key: self.sig_records_changed.emit())
            self.pages[section.key] = page
            self.stack.addWidget(page)
        else:
            refresh = getattr(page, "refresh", None)
            if refresh is not None:
                refresh()
        self.stack.setCurrentWidget(page)
