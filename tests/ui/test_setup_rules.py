"""Condition rules through the Setup form: made disabled, replayed before enabling, changed."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.domain.condition import Direction, Quality, RuleKind, Sample
from desktop.plant.historian import write_samples
from desktop.services.condition.plant_tags import PlantTagService, TagDraft
from ui.background import SynchronousPool
from ui.forms.record_page import RecordPage
from ui.setup.rules import RuleRecordKind

NS = "urn:example:plant"


def type_into(qtbot, widget, text):
    widget.clear()
    qtbot.keyClicks(widget, text)


def test_a_rule_is_replayed_before_it_is_enabled(qtbot, app_context, actors, clock):
    tags = PlantTagService(app_context.db)
    tags.import_tags(
        actors["paula"], [TagDraft("P-101.Vibration", "P-101", NS, "s=P-101.Vibration", "mm/s")]
    )
    (tag,) = tags.tags()
    start = clock().timestamp() - 3600
    values = [2.0] * 40 + [8.0] * 30 + [2.0] * 40
    write_samples(
        app_context.db,
        [Sample(tag.id, start + i, v, Quality.GOOD) for i, v in enumerate(values)],
    )
    page = RecordPage(RuleRecordKind(app_context), pool=SynchronousPool())
    qtbot.addWidget(page)
    page.start_new()
    inputs = page.form.inputs
    type_into(qtbot, inputs["name"], "P-101 vibration high")
    inputs["tag"].set_value("P-101.Vibration")
    inputs["limit"].setValue(7.1)
    inputs["hysteresis"].setValue(0.5)
    inputs["window_s"].setValue(0)
    inputs["kind"].setCurrentIndex(1)  # rate of change: needs a window
    assert not page.save()
    assert page.form.errors.text("window_s") == "must be more than 0 seconds"
    inputs["kind"].setCurrentIndex(0)
    assert page.save()
    (rule,) = tags.rules()
    assert (rule.enabled, rule.spec.kind, rule.spec.direction, rule.spec.limit) == (
        False,
        RuleKind.THRESHOLD,
        Direction.ABOVE,
        7.1,
    )

    qtbot.mouseClick(page.action_buttons["enable"], Qt.MouseButton.LeftButton)
    question = page.dialog.question.text()
    assert "1 alarms and at most 1 predictive orders over 110 samples" in question
    assert page.dialog.ok_button.isEnabled()
    qtbot.mouseClick(page.dialog.ok_button, Qt.MouseButton.LeftButton)
    assert tags.rules()[0].enabled

    inputs["limit"].setValue(9.0)
    assert page.save()
    assert tags.rules()[0].spec.limit == 9.0
