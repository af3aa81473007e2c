"""Breakdown requests raised from the control-room display with an operator PIN.

An operator at the display sees an alarm or a machine stop and reports it in one touch. The
request is a work order in `requested`, the queue a planner approves from, pre-filled with
the asset, the alarm and the current values of the asset's tags, so nobody has to retype what
the display already knew. Any role may raise one (plant operators are viewers); the PIN says
who did, and the audit trail keeps the readings as reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.domain.enums import Origin, Priority, WorkOrderType
from desktop.domain.errors import NotFound, ValidationFailed
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Phrase
from desktop.services.admin.users import UserService
from desktop.services.orders.machine_downtime import MachineDowntimeService
from desktop.services.orders.work_order_records import CreateResult, WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared import attachments, audit
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.condition_models import Alarm, ConditionRule, Tag
from desktop.store.models import Asset, WorkOrder

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sqlalchemy.orm import Session

    from desktop.store.database import Database

DEFAULT_PRIORITY = Priority.HIGH
"""A breakdown reported without an alarm: the asset still runs, but someone saw it fail."""


@dataclass(frozen=True)
class BreakdownRequest:
    """What the display knows when the operator touches "Report breakdown".

    `live_values` are the newest values the display's OPC UA feed holds, by tag id; a mapped
    tag missing from it gets its newest stored sample instead.
    """

    asset_code: str
    alarm_id: int | None = None
    live_values: Mapping[int, float] | None = None
    machine_stopped: bool = False
    note: str = ""
    stop_id: int | None = None
    """A recorded machine stop with no order yet (issue 19): the request takes its period over
    instead of opening a second one from the moment of the report."""
    files: tuple[tuple[str, bytes], ...] = ()
    """Photos or documents (name, content), checked and attached like any attachment."""
    where: str = "the control-room display"


@dataclass(frozen=True)
class TagReading:
    tag_name: str
    value: float | None
    unit: str
    source: str
    """"live" (the display's feed), "stored" (the historian) or "none"."""

    def text(self) -> str:
        if self.value is None:
            return f"{self.tag_name}: no value"
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.tag_name}: {self.value:.4g}{unit} ({self.source})"


@dataclass(frozen=True)
class BreakdownDraft:
    """The work order the request becomes, shown to the operator before the PIN."""

    asset_code: str
    asset_name: str
    title: str
    type: WorkOrderType
    priority: Priority
    alarm_text: str | None
    readings: tuple[TagReading, ...]
    description: str


class BreakdownRequestService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    def prefill(self, request: BreakdownRequest) -> BreakdownDraft:
        """The pre-filled request, for the display's confirmation screen (reads only)."""
        with self._db.unit_of_work(write=False) as session:
            return self._compose(session, request, None)

    def raise_request(self, username: str, pin: str, request: BreakdownRequest) -> CreateResult:
        """Check the operator's PIN and file the request for approval, all or nothing."""
        actor = UserService(self._db, self._clock).authenticate_pin(username, pin)
        return self._file(actor, request, None)

    def raise_guest_request(
        self, kiosk_account: str, guest_name: str, request: BreakdownRequest
    ) -> CreateResult:
        """A request from someone without an account, at a kiosk: filed under the kiosk's own
        (viewer) account with the name the guest gave, for a planner to approve or turn down."""
        name = " ".join(guest_name.split())
        if not 2 <= len(name) <= 100:
            raise ValidationFailed({"guest": "give your name (2 to 100 characters)"})
        try:
            actor = UserService(self._db, self._clock).actor_for(kiosk_account)
        except NotFound:
            raise ValidationFailed(
                {
                    "kiosk": Phrase(
                        "this kiosk's account {kiosk_account} does not exist or is inactive: an "
                        "administrator creates it (a viewer) or sets kiosk/account",
                        kiosk_account=repr(kiosk_account),
                    )
                }
            ) from None
        return self._file(actor, request, name)

    def _file(self, actor: Actor, request: BreakdownRequest, guest: str | None) -> CreateResult:
        require(actor, Action.RAISE_BREAKDOWN_REQUEST)
        with self._db.unit_of_work() as session:
            draft = self._compose(session, request, actor, guest)
            created = WorkOrderService(self._db, self._clock).insert_in(
                session,
                actor,
                WorkOrderDraft(
                    title=draft.title,
                    asset_code=draft.asset_code,
                    type=draft.type,
                    priority=draft.priority,
                    description=draft.description,
                    asset_down=request.machine_stopped and request.stop_id is None,
                    is_failure=True,
                    origin=Origin.BREAKDOWN_REPORT,
                ),
            )
            wo = session.get(WorkOrder, created.work_order.id)
            assert wo is not None
            if request.stop_id is not None:
                MachineDowntimeService(self._db, self._clock).link_to_order(
                    session, request.stop_id, wo
                )
            for filename, content in request.files:
                attachments.store(session, actor, wo, filename, content, self._clock())
            after = {
                "work_order": created.work_order.number,
                "asset": draft.asset_code,
                "alarm_id": request.alarm_id,
                "machine_stopped": request.machine_stopped,
                "stop_id": request.stop_id,
                "guest": guest,
                "files": [name for name, _ in request.files],
                "readings": [
                    {"tag": r.tag_name, "value": r.value, "unit": r.unit, "source": r.source}
                    for r in draft.readings
                ],
                "via": request.where,
            }
            audit.record(
                session,
                actor,
                "raise breakdown request",
                "work_order",
                created.work_order.number,
                None,
                after,
                self._clock(),
            )
            return created

    def _compose(
        self,
        session: Session,
        request: BreakdownRequest,
        actor: Actor | None,
        guest: str | None = None,
    ) -> BreakdownDraft:
        asset = session.execute(
            select(Asset).where(Asset.code == request.asset_code)
        ).scalar_one_or_none()
        if asset is None:
            raise ValidationFailed(
                {"asset": Phrase("no asset {asset_code}", asset_code=request.asset_code)}
            )
        alarm_text = None
        priority = DEFAULT_PRIORITY
        if request.alarm_id is not None:
            found = session.execute(
                select(Alarm, ConditionRule, Tag)
                .join(ConditionRule, ConditionRule.id == Alarm.rule_id)
                .join(Tag, Tag.id == ConditionRule.tag_id)
                .where(Alarm.id == request.alarm_id)
            ).one_or_none()
            if found is None:
                raise ValidationFailed(
                    {"alarm": Phrase("no alarm {alarm_id}", alarm_id=request.alarm_id)}
                )
            alarm, rule, tag = found
            if tag.asset_id != asset.id:
                raise ValidationFailed(
                    {
                        "alarm": Phrase(
                            "alarm {id} is on another asset than {code}",
                            id=alarm.id,
                            code=asset.code,
                        )
                    }
                )
            priority = Priority(rule.priority)
            alarm_text = (
                f"{rule.name} on {tag.name}: {alarm.message} "
                f"(raised {alarm.raised_at:%Y-%m-%d %H:%M} UTC)"
            )
        if request.machine_stopped:
            priority = Priority.EMERGENCY
        # DESIGN.md: an emergency is a breakdown; anything less is corrective work.
        kind = (
            WorkOrderType.EMERGENCY if priority is Priority.EMERGENCY else WorkOrderType.CORRECTIVE
        )
        readings = self._readings(session, asset.id, request.live_values or {})
        reported = "machine stopped" if request.machine_stopped else "breakdown reported"
        title = f"{asset.code}: {reported}"
        if alarm_text is not None:
            title += f" - {alarm_text.split(' (raised')[0]}"
        who = f" by {actor.username}" if actor is not None else ""
        if guest is not None:
            who = f" by guest {guest}"
        lines = [
            f"Raised at {request.where}{who} at {self._clock():%Y-%m-%d %H:%M} UTC.",
            f"Asset: {asset.code} {asset.name}.",
        ]
        if request.machine_stopped:
            lines.append("The operator reports that the machine has stopped.")
        if alarm_text is not None:
            lines.append(f"Active alarm: {alarm_text}.")
        if readings:
            lines.append("Tag values when reported:")
            lines += [f"  {r.text()}" for r in readings]
        if request.note.strip():
            lines.append(f"Operator's note: {request.note.strip()}")
        return BreakdownDraft(
            asset.code,
            asset.name,
            title[:200],
            kind,
            priority,
            alarm_text,
            readings,
            "\n".join(lines),
        )

    def _readings(
        self, session: Session, asset_id: int, live: Mapping[int, float]
    ) -> tuple[TagReading, ...]:
        from desktop.store.history import history_store  # numpy: not at start-up

        history = history_store(self._db)
        tags = session.execute(
            select(Tag).where(Tag.asset_id == asset_id, Tag.active.is_(True)).order_by(Tag.name)
        ).scalars()
        readings = []
        for tag in tags:
            if tag.id in live:
                readings.append(TagReading(tag.name, float(live[tag.id]), tag.unit, "live"))
                continue
            newest = history.latest(tag.id)
            if newest is None:
                readings.append(TagReading(tag.name, None, tag.unit, "none"))
            else:
                at = datetime.fromtimestamp(newest[0], UTC)
                readings.append(
                    TagReading(tag.name, newest[1], tag.unit, f"stored {at:%H:%M:%S} UTC")
                )
        return tuple(readings)
