"""Condition rules: threshold, rate of change or trend forecast on a mapped OPC UA tag. A new
rule starts disabled; enabling it first replays it over the stored history, so the planner
sees how many alarms and orders it would have raised."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP

from desktop.domain.condition import Direction, RuleKind, RuleSpec
from desktop.domain.enums import Priority
from desktop.domain.permissions import ALLOWED_ROLES, Action
from desktop.domain.verified_close import DEFAULT_VERIFY_MINUTES
from desktop.plant.replay import replay
from desktop.services.condition.plant_tags import RuleDraft, RuleView
from ui.alarms.replay_job import REPLAY_DAYS
from ui.forms import fields as f
from ui.forms.record_page import RecordAction, RecordKind
from ui.i18n import show_amount, show_number, show_time, tr
from ui.inventory.models import Column
from ui.work_orders.details_tab import PRIORITY_TEXT

if TYPE_CHECKING:
    from ui.context import AppContext

KINDS = [
    (RuleKind.THRESHOLD, QT_TR_NOOP("threshold: beyond the limit")),
    (RuleKind.RATE_OF_CHANGE, QT_TR_NOOP("rate of change: slope per minute beyond the limit")),
    (RuleKind.FORECAST, QT_TR_NOOP("trend forecast: the limit will be crossed within the horizon")),
]
DIRECTIONS = [(Direction.ABOVE, QT_TR_NOOP("above")), (Direction.BELOW, QT_TR_NOOP("below"))]
SHOWN_ALARMS = 8


def _stamp(ts: float) -> str:
    return show_time(datetime.fromtimestamp(ts, UTC))


class RuleRecordKind(RecordKind[RuleView]):
    title = QT_TR_NOOP("Condition rules")
    singular = QT_TR_NOOP("rule")
    plural = QT_TR_NOOP("rules")
    columns = (
        Column(QT_TR_NOOP("Rule"), lambda r: r.name),
        Column(QT_TR_NOOP("Tag"), lambda r: r.tag_name),
        Column(QT_TR_NOOP("Asset"), lambda r: r.asset_code),
        Column(QT_TR_NOOP("Kind"), lambda r: r.spec.kind.value.replace("_", " ")),
        Column(
            QT_TR_NOOP("Limit"),
            lambda r: f"{r.spec.direction.value} {show_amount(r.spec.limit)} {r.unit}".strip(),
        ),
        Column(QT_TR_NOOP("State"), lambda r: "enabled" if r.enabled else "disabled"),
    )

    def __init__(self, context: AppContext) -> None:
        self._context = context
        self._service = context.services.plant_tags
        self._revisions: dict[str, int] = {}
        self.fields = (
            f.text("name", tr("&Name"), new_only=True),
            f.searchable("tag", tr("&Tag"), self._tags, none_text=None, new_only=True),
            f.choice("kind", tr("&Kind"), KINDS),
            f.choice("direction", tr("&Direction"), DIRECTIONS),
            f.number("limit", tr("&Limit"), minimum=-1e12, maximum=1e12, decimals=3),
            f.number(
                "hysteresis",
                tr("&Hysteresis"),
                maximum=1e9,
                decimals=3,
                hint=tr("How far back past the limit the value must come before it clears"),
            ),
            f.number(
                "on_delay_s",
                tr("On-&delay"),
                maximum=86_400,
                decimals=0,
                suffix=" s",
                hint=tr("How long the value must stay beyond the limit"),
            ),
            f.number(
                "window_s",
                tr("&Window"),
                maximum=30 * 86_400,
                decimals=0,
                suffix=" s",
                hint=tr("The fit's window (rate of change and forecast)"),
            ),
            f.number(
                "horizon_s",
                tr("Hori&zon"),
                maximum=365 * 86_400,
                decimals=0,
                suffix=" s",
                hint=tr("Alarm when the forecast crossing is nearer than this"),
            ),
            f.choice("priority", tr("&Priority"), list(PRIORITY_TEXT.items())),
            f.integer(
                "verify_minutes",
                tr("&Verify after repair"),
                maximum=7 * 24 * 60,
                suffix=tr(" min"),
                hint=tr("Minutes back in band before its predictive order may complete"),
            ),
        )
        self.actions = (
            RecordAction(
                tr("&Enable…"),
                "enable",
                lambda r, _v: self._enable(r, True),
                question=lambda r: tr("Replay of {name} over the last {REPLAY_DAYS} days:").format(
                    name=r.name, REPLAY_DAYS=REPLAY_DAYS
                ),
                slow_question=self._replay_text,
                enabled=lambda r: not r.enabled,
            ),
            RecordAction(
                tr("&Disable"),
                "disable",
                lambda r, _v: self._enable(r, False),
                question=lambda r: tr("{name} raises no alarm while disabled.").format(name=r.name),
                enabled=lambda r: r.enabled,
            ),
        )

    def _tags(self) -> list[tuple[str, str]]:
        return [(t.name, f"{t.name} ({t.asset_code})") for t in self._service.tags()]

    def _replay_text(self, row: RuleView) -> str:
        """Runs on a pool thread: the replay reads up to two weeks of raw samples."""
        end = self._context.clock().timestamp()
        result = replay(self._context.db, row.tag_id, row.spec, end - REPLAY_DAYS * 86_400.0, end)
        if not result.samples:
            return tr("no stored samples of its tag yet, so nothing to replay.")
        times = ", ".join(_stamp(ts) for ts in result.raised_at[:SHOWN_ALARMS])
        more = " …" if result.alarms > SHOWN_ALARMS else ""
        counted = tr(
            "{alarms} alarms and at most {orders} predictive orders over {samples} samples"
        )
        return counted.format(
            alarms=result.alarms,
            orders=result.work_orders,
            samples=show_number(result.samples, 0),
        ) + (f": {times}{more}" if times else ".")

    def rows(self) -> list[RuleView]:
        self._revisions = self._service.rule_revisions()
        return self._service.rules()

    def key(self, row: RuleView) -> str:
        return row.name

    def revision(self, row: RuleView) -> int:
        return self._revisions.get(row.name, 0)

    def describe(self, row: RuleView) -> str:
        state = tr("enabled") if row.enabled else tr("disabled")
        return (
            tr("{rule} — {tag} on {asset}").format(
                rule=row.name, tag=row.tag_name, asset=row.asset_code
            )
            + f"  ·  {state}"
        )

    def may_edit(self) -> bool:
        return self._context.actor.role in ALLOWED_ROLES[Action.MANAGE_TAGS]

    def values(self, row: RuleView) -> dict[str, Any]:
        spec = row.spec
        return {
            "name": row.name,
            "tag": row.tag_name,
            "kind": spec.kind,
            "direction": spec.direction,
            "limit": spec.limit,
            "hysteresis": spec.hysteresis,
            "on_delay_s": spec.on_delay_s,
            "window_s": spec.window_s,
            "horizon_s": spec.horizon_s,
            "priority": int(row.priority),
            "verify_minutes": row.verify_minutes,
        }

    def blank(self) -> dict[str, Any]:
        spec = RuleSpec(RuleKind.THRESHOLD, 0.0)
        return {
            "kind": spec.kind,
            "direction": spec.direction,
            "window_s": spec.window_s,
            "horizon_s": spec.horizon_s,
            "priority": int(Priority.HIGH),
            "verify_minutes": DEFAULT_VERIFY_MINUTES,
        }

    def _draft(self, values: dict[str, Any], enabled: bool) -> RuleDraft:
        spec = RuleSpec(
            values["kind"],
            values["limit"],
            values["direction"],
            values["hysteresis"],
            values["on_delay_s"],
            values["window_s"],
            values["horizon_s"],
        )
        return RuleDraft(
            values["name"],
            values["tag"] or "",
            spec,
            Priority(values["priority"]),
            enabled,
            values["verify_minutes"],
        )

    def create(self, values: dict[str, Any]) -> str:
        """A new rule starts disabled: Enable replays it first."""
        return self._service.add_rule(self._context.actor, self._draft(values, False)).name

    def save(self, row: RuleView, revision: int, values: dict[str, Any]) -> None:
        draft = self._draft(values | {"name": row.name, "tag": row.tag_name}, row.enabled)
        self._service.update_rule(self._context.actor, row.id, revision, draft)

    def _enable(self, row: RuleView, enabled: bool) -> str:
        self._service.set_rule_enabled(self._context.actor, row.id, enabled)
        done = tr("{name} is enabled.") if enabled else tr("{name} is disabled.")
        return done.format(name=row.name)
