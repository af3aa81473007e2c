"""Backup and restore from the Setup page: a copy made, a change, the copy put back."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.services.admin.users import UserService
from ui.background import SynchronousPool
from ui.context import AppContext
from ui.setup.backup_page import BackupPanel


def test_a_backup_is_made_and_put_back_after_a_typed_confirmation(
    qtbot, app_context, actors, tmp_path
):
    admin = AppContext(app_context.db, actors["admin"], tmp_path, app_context.clock)
    panel = BackupPanel(admin, pool=SynchronousPool())
    qtbot.addWidget(panel)
    target = tmp_path / "before.wbk"

    panel.make_backup(target)

    assert target.exists()
    assert panel.banner.text().startswith(f"Backup written: {target}")
    users = UserService(app_context.db)
    users.set_pin(actors["admin"], "tom", "4719")
    assert users.account("tom").has_pin

    dialog = panel.start_restore(target)
    qtbot.keyClicks(dialog.form.inputs["confirm"], "restore please")
    assert not dialog.submit()
    assert dialog.form.errors.text("confirm") == "type RESTORE to replace everything"
    dialog.form.inputs["confirm"].clear()
    qtbot.keyClicks(dialog.form.inputs["confirm"], "RESTORE")
    with qtbot.waitSignal(panel.sig_saved):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert panel.banner.text().startswith("Restored ")
    assert not users.account("tom").has_pin


def test_only_an_administrator_may_restore_and_a_bad_file_is_refused(
    qtbot, app_context, actors, tmp_path
):
    planner = BackupPanel(app_context, pool=SynchronousPool())
    qtbot.addWidget(planner)
    assert not planner.restore_button.isEnabled()

    admin = AppContext(app_context.db, actors["admin"], tmp_path, app_context.clock)
    panel = BackupPanel(admin, pool=SynchronousPool())
    qtbot.addWidget(panel)
    junk = tmp_path / "junk.wbk"
    junk.write_bytes(b"not a database at all")
    dialog = panel.start_restore(junk)
    qtbot.keyClicks(dialog.form.inputs["confirm"], "RESTORE")
    assert dialog.submit()
    assert "junk.wbk" in panel.banner.text()
    assert panel.restore_button.isEnabled()
