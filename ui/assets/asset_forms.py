"""The asset register's forms: new, edit, move, retire, spare parts and files of an asset.

Each is a FormDialog (or a small list dialog) over one service call; the Assets page opens
them from its buttons, its tree's context menu and a drag in the tree. All service calls of
these forms are here.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import AssetLevel, AssetStatus, Criticality
from desktop.domain.errors import ValidationFailed, WrenchbookError
from desktop.domain.permissions import ALLOWED_ROLES, Action
from desktop.services.assets.assets import AssetChanges, NewAsset
from ui.forms import fields as f
from ui.forms.form_dialog import FormDialog
from ui.i18n import say, say_error, show_amount, show_date, show_number, tr
from ui.inventory.models import Column, RowTableModel
from ui.widgets.read_only_table import read_only_table
from ui.words import word
from ui.work_orders.form_widgets import Banner

if TYPE_CHECKING:
    from desktop.services.assets.asset_parts import SparePartView
    from desktop.services.assets.assets import AssetRecord, RetireResult
    from desktop.services.shared.attachments import AttachmentView
    from ui.context import AppContext

LEVELS = [(level, level.value) for level in AssetLevel]
CRITICALITY = [
    (Criticality.A, QT_TR_NOOP("A — critical to production or safety")),
    (Criticality.B, QT_TR_NOOP("B — important")),
    (Criticality.C, QT_TR_NOOP("C — run to failure acceptable")),
]
# Decommissioned is reached through Retire, which checks the open work first.
STATUSES = [
    (s, s.value.replace("_", " ")) for s in AssetStatus if s is not AssetStatus.DECOMMISSIONED
]


def may_manage(context: AppContext) -> bool:
    return context.actor.role in ALLOWED_ROLES[Action.MANAGE_ASSETS]


def _asset_entries(context: AppContext) -> list[tuple[str, str]]:
    return [
        (a.code, f"{a.code} — {a.name}")
        for a in context.services.assets.list()
        if a.status is not AssetStatus.DECOMMISSIONED
    ]


def asset_fields(context: AppContext) -> tuple[f.FormField, ...]:
    return (
        f.text(
            "code",
            tr("&Code"),
            max_length=64,
            new_only=True,
            hint=tr("Printed on labels and sheets; it cannot change later"),
        ),
        f.text("name", tr("&Name")),
        f.searchable(
            "parent",
            tr("&Parent"),
            lambda: _asset_entries(context),
            new_only=True,
            none_text=tr("— none (an area of the site) —"),
        ),
        f.choice("level", tr("&Level"), LEVELS),
        f.text(
            "asset_class", tr("Cl&ass"), max_length=64, placeholder=tr("pump, motor, conveyor…")
        ),
        f.choice("criticality", tr("C&riticality"), CRITICALITY),
        f.choice("status", tr("&Status"), STATUSES),
        f.optional_text("maker", tr("Ma&ker"), max_length=120),
        f.optional_text("model", tr("M&odel"), max_length=120),
        f.optional_text("serial", tr("S&erial"), max_length=120),
        f.optional_text("location", tr("Locat&ion"), max_length=200),
        f.day("install_date", tr("&Installed")),
        f.number("replacement_value", tr("Replacement &value"), maximum=1e10, step=100.0),
    )


def _values(record: AssetRecord) -> dict[str, Any]:
    return {
        "code": record.code,
        "name": record.name,
        "parent": record.parent_code,
        "level": record.level,
        "asset_class": record.asset_class,
        "criticality": record.criticality,
        "status": record.status,
        "maker": record.maker,
        "model": record.model,
        "serial": record.serial,
        "location": record.location,
        "install_date": record.install_date,
        "replacement_value": record.replacement_value,
    }


def _record(context: AppContext, code: str) -> AssetRecord:
    return next(r for r in context.services.assets.list() if r.code == code)


def _next_level(level: AssetLevel) -> AssetLevel:
    levels = list(AssetLevel)
    return levels[min(levels.index(level) + 1, len(levels) - 1)]


def new_asset_dialog(
    context: AppContext, parent_code: str | None, parent: QWidget | None = None
) -> FormDialog:
    """A new asset, under `parent_code` (one level below it) when one is chosen."""
    service = context.services.assets
    start: dict[str, Any] = {"level": AssetLevel.AREA, "criticality": Criticality.B}
    if parent_code:
        above = _record(context, parent_code)
        start = {
            "parent": parent_code,
            "level": _next_level(above.level),
            "criticality": above.criticality,
            "location": above.location,
        }

    def submit(values: dict[str, Any]) -> str:
        new = NewAsset(
            values["code"].strip(),
            values["name"],
            values["level"],
            values["asset_class"],
            values["criticality"],
            values["parent"],
            values["status"],
            values["maker"],
            values["model"],
            values["serial"],
            values["location"],
            values["install_date"],
            values["replacement_value"],
        )
        return service.create(context.actor, new).code

    return FormDialog(
        tr("New asset"),
        asset_fields(context),
        submit,
        values=start,
        ok_text=tr("Create"),
        parent=parent,
    )


def edit_asset_dialog(context: AppContext, code: str, parent: QWidget | None = None) -> FormDialog:
    """The asset's name plate; a save over somebody else's newer save is refused."""
    service = context.services.assets
    base = {"revision": service.revisions()[code]}

    def reload() -> dict[str, Any]:
        base["revision"] = service.revisions()[code]
        return _values(_record(context, code))

    def submit(values: dict[str, Any]) -> str:
        changes = AssetChanges(
            values["name"],
            values["level"],
            values["asset_class"],
            values["criticality"],
            values["status"],
            values["maker"],
            values["model"],
            values["serial"],
            values["location"],
            values["install_date"],
            values["replacement_value"],
        )
        service.update(context.actor, code, base["revision"], changes)
        return code

    return FormDialog(
        tr("Edit {code}").format(code=code),
        asset_fields(context),
        submit,
        values=_values(_record(context, code)),
        ok_text=tr("Save"),
        new=False,
        reload=reload,
        parent=parent,
    )


def move_asset_dialog(
    context: AppContext, code: str, target: str | None = None, parent: QWidget | None = None
) -> FormDialog:
    """Hang the asset and its sub-assets under another parent (picked, or dropped on)."""
    service = context.services.assets
    revision = service.revisions()[code]
    record = _record(context, code)

    def submit(values: dict[str, Any]) -> str:
        moved = service.move(context.actor, code, revision, values["parent"])
        return tr("{code} now sits under {parent}.").format(
            code=code, parent=moved.parent_code or tr("the site")
        )

    fields = (
        f.searchable(
            "parent",
            tr("New &parent"),
            lambda: _asset_entries(context),
            none_text=tr("— none (an area of the site) —"),
        ),
    )
    question = (
        tr("Move {code} — {name} (a {level}) and everything below it. It sits under {parent} now.")
    ).format(
        code=code,
        name=record.name,
        level=word(record.level.value),
        parent=record.parent_code or tr("the site"),
    )
    return FormDialog(
        tr("Move {code}").format(code=code),
        fields,
        submit,
        question=question,
        values={"parent": target if target is not None else record.parent_code},
        ok_text=tr("Move"),
        parent=parent,
    )


def retire_asset_dialog(
    context: AppContext, code: str, parent: QWidget | None = None
) -> FormDialog:
    """Decommission the asset and its branch; names the open work that stops it."""
    service = context.services.assets
    revision = service.revisions()[code]
    still_open = service.open_work(code)
    if still_open:
        question = tr(
            "{code} and everything below it still have open work: {work}. "
            "Finish or cancel it first; retiring is refused until then."
        ).format(code=code, work=", ".join(still_open))
    else:
        question = tr(
            "{code} and everything below it will be decommissioned and their PM schedules "
            "paused. Their history stays."
        ).format(code=code)

    def submit(values: dict[str, Any]) -> str:
        result: RetireResult = service.retire(context.actor, code, revision, values["reason"])
        text = tr("Retired {codes}.").format(codes=", ".join(result.retired) or tr("nothing new"))
        if result.paused_schedules:
            text += " " + tr("PM schedules paused: {codes}.").format(
                codes=", ".join(result.paused_schedules)
            )
        return text

    return FormDialog(
        tr("Retire {code}").format(code=code),
        (f.text("reason", tr("&Why"), placeholder=tr("scrapped, sold, replaced by …")),),
        submit,
        question=question,
        ok_text=tr("Retire"),
        parent=parent,
    )


SPARE_COLUMNS: tuple[Column[SparePartView], ...] = (
    Column(QT_TR_NOOP("Part"), lambda p: p.part_number),
    Column(QT_TR_NOOP("Description"), lambda p: p.description),
    Column(QT_TR_NOOP("Qty"), lambda p: f"{show_amount(p.quantity)} {p.unit}", True),
    Column(QT_TR_NOOP("Note"), lambda p: p.note),
)
WHERE_USED_COLUMNS: tuple[Column[SparePartView], ...] = (
    Column(QT_TR_NOOP("Asset"), lambda p: p.asset_code),
    Column(QT_TR_NOOP("Name"), lambda p: p.asset_name),
    Column(QT_TR_NOOP("Qty"), lambda p: f"{show_amount(p.quantity)} {p.unit}", True),
    Column(QT_TR_NOOP("Note"), lambda p: p.note),
)


class SparePartsDialog(QDialog):
    """The asset's spare-parts list: add or change a line, remove one."""

    sig_changed = Signal()

    def __init__(self, context: AppContext, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spare_parts")
        self.setWindowTitle(tr("Spare parts of {code}").format(code=code))
        self._context = context
        self._code = code
        self._service = context.services.asset_parts
        self.dialog: FormDialog | None = None
        self.banner = Banner()
        self.model: RowTableModel[SparePartView] = RowTableModel(SPARE_COLUMNS, self)
        self.table = read_only_table(self.model)
        self.add_button = QPushButton(tr("&Add or change…"))
        self.add_button.setObjectName("add")
        self.remove_button = QPushButton(tr("&Remove"))
        self.remove_button.setObjectName("remove")
        close = QPushButton(tr("Close"))
        close.clicked.connect(self.accept)
        editable = may_manage(context)
        self.add_button.setEnabled(editable)
        self.remove_button.setEnabled(editable)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(tr("What one repair of this asset may need; PM kits start from this list."))
        )
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self.start_add())
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.doubleClicked.connect(
            lambda index: self.start_add(self.model.row_at(index.row()))
        )
        self.resize(640, 380)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(self._service.parts_of(self._code))

    def start_add(self, line: SparePartView | None = None) -> FormDialog:
        parts = self._context.services.inventory.parts()
        fields = (
            f.searchable(
                "part",
                tr("&Part"),
                lambda: [(p.number, f"{p.number} — {p.description}") for p in parts],
                none_text=None,
            ),
            f.number("quantity", tr("&Quantity"), minimum=0, maximum=100_000, decimals=3),
            f.text("note", tr("N&ote"), placeholder=tr("where it goes, e.g. drive end")),
        )
        start = {"quantity": 1.0}
        if line is not None:
            start = {"part": line.part_number, "quantity": line.quantity, "note": line.note}

        def submit(values: dict[str, Any]) -> str:
            saved = self._service.set_part(
                self._context.actor,
                self._code,
                values["part"] or "",
                values["quantity"],
                values["note"],
            )
            return f"{saved.part_number}: {show_amount(saved.quantity)} {saved.unit}"

        dialog = FormDialog(
            tr("Spare part of {code}").format(code=self._code),
            fields,
            submit,
            values=start,
            ok_text=tr("Save"),
            parent=self,
        )
        dialog.sig_done.connect(self._on_done)
        self.dialog = dialog
        dialog.open()
        return dialog

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.banner.say(tr("Select the line to remove."), "info")
            return
        line = self.model.row_at(rows[0].row())
        try:
            self._service.remove_part(self._context.actor, self._code, line.part_number)
        except WrenchbookError as exc:
            self.banner.say(say_error(exc), "error")
            return
        self._on_done(tr("Removed {part}.").format(part=line.part_number))

    def _on_done(self, message: str) -> None:
        self.dialog = None
        self.refresh()
        self.banner.say(message, "info")
        self.sig_changed.emit()


FILE_COLUMNS: tuple[Column[AttachmentView], ...] = (
    Column(QT_TR_NOOP("File"), lambda a: a.filename),
    Column(QT_TR_NOOP("Type"), lambda a: a.mime_type),
    Column(QT_TR_NOOP("Size"), lambda a: f"{show_number(a.size / 1024, 0)} KiB", True),
    Column(QT_TR_NOOP("Added"), lambda a: show_date(a.created_at)),
)


class AssetFilesDialog(QDialog):
    """Manuals, drawings and photos of the asset: add one, open one."""

    def __init__(self, context: AppContext, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("asset_files")
        self.setWindowTitle(tr("Files of {code}").format(code=code))
        self._context = context
        self._code = code
        self._service = context.services.asset_files
        self.banner = Banner()
        self.model: RowTableModel[AttachmentView] = RowTableModel(FILE_COLUMNS, self)
        self.table = read_only_table(self.model)
        self.add_button = QPushButton(tr("&Add file…"))
        self.add_button.setObjectName("add")
        self.add_button.setEnabled(may_manage(context))
        self.open_button = QPushButton(tr("&Open"))
        self.open_button.setObjectName("open")
        close = QPushButton(tr("Close"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.open_button.clicked.connect(lambda: self.open_selected())
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.resize(600, 340)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(self._service.files(self._code))

    def add(self, path: Path) -> bool:
        try:
            kept = self._service.add_file(self._context.actor, self._code, path)
        except ValidationFailed as exc:
            self.banner.say(
                tr("Not added: {value}").format(
                    value=say(exc.problems.get("file", "")) or say_error(exc)
                ),
                "error",
            )
            return False
        except WrenchbookError as exc:
            self.banner.say(tr("Not added: {exc}").format(exc=say_error(exc)), "error")
            return False
        self.refresh()
        self.banner.say(tr("Added {filename}.").format(filename=kept.filename), "info")
        return True

    def open_selected(self, *, viewer: bool = True) -> Path | None:
        """Write the chosen file to the data folder and open it with its program."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.banner.say(tr("Select the file to open."), "info")
            return None
        name, content = self._service.content(self.model.row_at(rows[0].row()).id)
        folder = self._context.data_dir / "opened" / self._code
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        with contextlib.suppress(OSError):
            target.write_bytes(content)
        if viewer:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        return target

    def _on_add_button_clicked(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, tr("Add a file to {code}").format(code=self._code)
        )
        if chosen:
            self.add(Path(chosen))
