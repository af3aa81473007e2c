"""Lock-out/tag-out: isolation points per asset, and each order's locks applied, verified and
removed by named people who re-enter their own password or PIN."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from desktop.domain.errors import AuthenticationFailed, NotFound, ValidationFailed
from desktop.domain.lifecycle import FINISHED_STATUSES
from desktop.domain.lockout import IsolationState, energised
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Amount, Phrase, message_of
from desktop.services.admin.users import UserService
from desktop.services.shared import audit
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.condition_models import Tag
from desktop.store.lockout_models import IsolationPoint, LockoutAlarm, WorkOrderIsolation
from desktop.store.models import Asset, User, WorkOrder

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from desktop.store.database import Database

RECORD_LOOKBACK = timedelta(days=1)
"""How long after a lock's removal its alarm is still put on the record if no monitor ran
in between (a monitor restarted the next morning still records the night's alarm)."""

TagReader = Callable[[str, str], float]
"""Reads a tag's live value now: (namespace URI, node identifier) -> value. Blocks; it talks to
the plant (desktop.plant.live_read), so the service only receives it."""


@dataclass(frozen=True)
class Signer:
    """Who does the step, proven by their own secret: a password, or the operator PIN."""

    username: str
    secret: str
    pin: bool = False


@dataclass(frozen=True)
class IsolationView:
    position: int
    energy_source: str
    device: str
    lock_point: str
    tag_name: str | None
    zero_max: float
    lock_number: str | None = None
    applied_by: str | None = None
    applied_at: datetime | None = None
    verified_by: str | None = None
    verified_at: datetime | None = None
    verified_reading: float | None = None
    removed_by: str | None = None
    removed_at: datetime | None = None
    reenergised_at: datetime | None = None
    """When the point's tag first read energised while this lock was on and verified (a
    safety alarm, issue 16), with the reading; None while it has read zero throughout."""
    reenergised_reading: float | None = None
    alarm_recorded: bool = False
    """Whether the alarm is on the record (`lockout_alarms`, audited); until the monitoring
    side's next check it is known from the historian only."""
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    acknowledged_with: str | None = None
    """"PIN" or "password": how the person who acknowledged the alarm proved who they are."""

    @property
    def safety_alarm(self) -> str:
        """The alarm in words, empty when there is none."""
        if self.reenergised_at is None or self.reenergised_reading is None:
            return ""
        state = "still locked" if self.removed_at is None else "while it was locked"
        return (
            f"SAFETY ALARM: {self.tag_name} read {self.reenergised_reading:g} (zero is at most "
            f"{self.zero_max:g}) at {self.reenergised_at:%Y-%m-%d %H:%M} UTC, "
            f"{state} out at {self.lock_point}"
        )

    @property
    def acknowledgement(self) -> str:
        """Who acknowledged the safety alarm and when, or that nobody has yet."""
        if self.acknowledged_at is None:
            return "not acknowledged"
        return (
            f"acknowledged by {self.acknowledged_by} ({self.acknowledged_with}) at "
            f"{self.acknowledged_at:%Y-%m-%d %H:%M} UTC"
        )


def isolation_states(session: Session, wo: WorkOrder) -> tuple[IsolationState, ...]:
    """The order's asset's isolation points with this order's locks on them (lifecycle facts)."""
    rows = session.execute(
        select(IsolationPoint, WorkOrderIsolation)
        .outerjoin(
            WorkOrderIsolation,
            (WorkOrderIsolation.isolation_point_id == IsolationPoint.id)
            & (WorkOrderIsolation.work_order_id == wo.id),
        )
        .where(IsolationPoint.asset_id == wo.asset_id)
        .order_by(IsolationPoint.position)
    ).all()
    return tuple(
        IsolationState(
            point.position,
            point.energy_source,
            point.lock_point,
            applied=lock is not None,
            verified=lock is not None and lock.verified_at is not None,
            removed=lock is not None and lock.removed_at is not None,
        )
        for point, lock in rows
    )


class LockoutService:
    def __init__(
        self, db: Database, clock: Clock = utc_now, read_tag: TagReader | None = None
    ) -> None:
        self._db = db
        self._clock = clock
        self._read_tag = read_tag

    def add_point(
        self,
        actor: Actor,
        asset_code: str,
        energy_source: str,
        device: str,
        lock_point: str,
        tag_name: str | None = None,
        zero_max: float = 0.0,
    ) -> IsolationView:
        """Record where one energy source of an asset is isolated (planner's job)."""
        require(actor, Action.MANAGE_ASSETS)
        problems = {
            name: "required"
            for name, value in (
                ("energy_source", energy_source),
                ("device", device),
                ("lock_point", lock_point),
            )
            if not value.strip()
        }
        if problems:
            raise ValidationFailed(problems)
        with self._db.unit_of_work() as session:
            asset = session.execute(
                select(Asset).where(Asset.code == asset_code)
            ).scalar_one_or_none()
            if asset is None:
                raise NotFound(Phrase("no asset {asset_code}", asset_code=asset_code))
            tag_id = None
            if tag_name:
                tag_id = session.execute(select(Tag.id).where(Tag.name == tag_name)).scalar()
                if tag_id is None:
                    raise NotFound(Phrase("no tag {tag_name}", tag_name=tag_name))
            last = session.execute(
                select(func.max(IsolationPoint.position)).where(IsolationPoint.asset_id == asset.id)
            ).scalar()
            point = IsolationPoint(
                asset_id=asset.id,
                position=(last or 0) + 1,
                energy_source=energy_source.strip(),
                device=device.strip(),
                lock_point=lock_point.strip(),
                tag_id=tag_id,
                zero_max=zero_max,
            )
            session.add(point)
            session.flush()
            after = {
                "asset": asset_code,
                "position": point.position,
                "energy_source": point.energy_source,
                "device": point.device,
                "lock_point": point.lock_point,
                "tag": tag_name,
                "zero_max": zero_max,
            }
            audit.record(
                session, actor, "add", "isolation_point", point.id, None, after, self._clock()
            )
            position = point.position
        return next(p for p in self.points(asset_code) if p.position == position)

    def points(self, asset_code: str) -> list[IsolationView]:
        with self._db.unit_of_work(write=False) as session:
            rows = session.execute(
                select(IsolationPoint, Tag.name)
                .join(Asset, Asset.id == IsolationPoint.asset_id)
                .outerjoin(Tag, Tag.id == IsolationPoint.tag_id)
                .where(Asset.code == asset_code)
                .order_by(IsolationPoint.position)
            ).all()
            return [_point_view(p, tag) for p, tag in rows]

    def isolations(self, number: str) -> list[IsolationView]:
        """The order's isolation steps in order, with who locked, verified and released."""
        return self.isolations_many([number]).get(number, [])

    def isolations_many(self, numbers: list[str]) -> dict[str, list[IsolationView]]:
        """Isolation steps of many orders (printing); orders without any are left out."""
        found: dict[str, list[IsolationView]] = {}
        with self._db.unit_of_work(write=False) as session:
            names = dict(session.execute(select(User.id, User.full_name)).all())
            for start in range(0, len(numbers), 500):
                alarms = _stored_alarms(session, numbers[start : start + 500])
                chunk = numbers[start : start + 500]
                rows = session.execute(
                    select(WorkOrder.number, IsolationPoint, Tag.name, WorkOrderIsolation)
                    .join(IsolationPoint, IsolationPoint.asset_id == WorkOrder.asset_id)
                    .outerjoin(Tag, Tag.id == IsolationPoint.tag_id)
                    .outerjoin(
                        WorkOrderIsolation,
                        (WorkOrderIsolation.isolation_point_id == IsolationPoint.id)
                        & (WorkOrderIsolation.work_order_id == WorkOrder.id),
                    )
                    .where(WorkOrder.number.in_(chunk))
                    .order_by(WorkOrder.number, IsolationPoint.position)
                ).all()
                for number, point, tag, lock in rows:
                    view = _lock_view(point, tag, lock, names)
                    stored = _alarm_of(alarms.get((number, point.id), []), lock)
                    if stored is not None:
                        view = _with_alarm(view, stored, names)
                    if lock is not None and point.tag_id is not None:
                        view = _with_reenergised(self._db, view, point, lock, stored, self._clock())
                    found.setdefault(number, []).append(view)
            if len(numbers) == 1 and not found:
                _order(session, numbers[0])
        return found

    def apply(
        self, actor: Actor, number: str, position: int, lock_number: str, signer: Signer
    ) -> IsolationView:
        """`signer` hangs their own lock numbered `lock_number` on the point."""
        require(actor, Action.LOG_WORK)
        if not lock_number.strip():
            raise ValidationFailed({"lock_number": "write the number of the lock you hung"})
        person = self.authenticate(signer)
        now = self._clock()
        with self._db.unit_of_work() as session:
            wo, point, lock = self._step(session, number, position)
            if lock is not None and lock.removed_at is None:
                raise ValidationFailed({f"isolation {position}": "already locked"})
            if lock is not None:
                session.delete(lock)
                session.flush()
            lock = WorkOrderIsolation(
                work_order_id=wo.id,
                isolation_point_id=point.id,
                lock_number=lock_number.strip(),
                applied_by_id=person.user_id,
                applied_at=now,
            )
            session.add(lock)
            session.flush()
            after = {"position": position, "lock_number": lock.lock_number, "by": person.username}
            audit.record(session, actor, "apply lock", "work_order", number, None, after, now)
        return self._view(number, position)

    def verify(self, actor: Actor, number: str, position: int, signer: Signer) -> IsolationView:
        """Zero energy verified by `signer`; where the point has a tag, its live value must
        read zero: a running machine is refused, with the reading in the message."""
        require(actor, Action.LOG_WORK)
        person = self.authenticate(signer)
        with self._db.unit_of_work(write=False) as session:
            _, point, lock = self._step(session, number, position)
            if lock is None or lock.removed_at is not None:
                raise ValidationFailed({f"isolation {position}": "lock it before verifying"})
            tag = session.get(Tag, point.tag_id) if point.tag_id is not None else None
            source = (tag.name, tag.namespace_uri, tag.node_id) if tag is not None else None
            zero_max = point.zero_max
        reading = None
        if source is not None:
            name, namespace, node = source
            if self._read_tag is None:
                raise ValidationFailed(
                    {
                        f"isolation {position}": Phrase(
                            "tag {name} proves zero energy but the plant connection is not "
                            "available: connect to the plant and verify again",
                            name=name,
                        )
                    }
                )
            reading = self._read_tag(namespace, node)
            if energised(reading, zero_max):
                raise ValidationFailed(
                    {
                        f"isolation {position}": Phrase(
                            "{name} reads {reading} (zero is at most {zero_max}): the machine is "
                            "energised; verification refused",
                            name=name,
                            reading=Amount(reading, None),
                            zero_max=Amount(zero_max, None),
                        )
                    }
                )
        now = self._clock()
        with self._db.unit_of_work() as session:
            _, point, lock = self._step(session, number, position)
            assert lock is not None
            lock.verified_by_id = person.user_id
            lock.verified_at = now
            lock.verified_reading = reading
            after = {"position": position, "reading": reading, "by": person.username}
            audit.record(session, actor, "verify isolation", "work_order", number, None, after, now)
        return self._view(number, position)

    def remove(self, actor: Actor, number: str, position: int, signer: Signer) -> IsolationView:
        """The lock comes off, recorded with who took it off, before the order may complete."""
        require(actor, Action.LOG_WORK)
        person = self.authenticate(signer)
        now = self._clock()
        with self._db.unit_of_work() as session:
            _, _, lock = self._step(session, number, position)
            if lock is None or lock.removed_at is not None:
                raise ValidationFailed({f"isolation {position}": "no lock on it to remove"})
            lock.removed_by_id = person.user_id
            lock.removed_at = now
            after = {"position": position, "lock_number": lock.lock_number, "by": person.username}
            audit.record(session, actor, "remove lock", "work_order", number, None, after, now)
        return self._view(number, position)

    def record_safety_alarms(self, actor: Actor) -> list[tuple[str, IsolationView]]:
        """Put on the record, once each, the locks whose machine has read energised since
        their verification (the historian's samples): one row and one audit entry on the
        order per alarm. The monitoring side calls this every few seconds; several monitors
        at once record each alarm once (a unique key). Returns what this call recorded, as
        (work-order number, step)."""
        require(actor, Action.CREATE_WORK_ORDER)
        recorded = []
        for number, step in self._unrecorded_alarms():
            try:
                self._record_alarm(actor, number, step.position)
            except IntegrityError:
                continue  # another monitor recorded it a moment ago
            recorded.append((number, self._view(number, step.position)))
        return recorded

    def acknowledge_safety_alarm(
        self, actor: Actor, number: str, position: int, with_pin: bool
    ) -> IsolationView:
        """`actor`, who has just re-entered their PIN (`with_pin`) or password, has seen the
        re-energised machine: stored with who and when, and audited on the order. An alarm
        not yet on the record is recorded first, in the same transaction."""
        require(actor, Action.ACKNOWLEDGE_ALARMS)
        step = next((v for v in self.isolations(number) if v.position == position), None)
        if step is None or step.reenergised_at is None:
            raise NotFound(
                Phrase(
                    "no safety alarm on {number} isolation {position}",
                    number=number,
                    position=position,
                )
            )
        if step.acknowledged_at is not None:
            raise ValidationFailed(
                {
                    f"isolation {position}": Phrase(
                        "already {acknowledgement}", acknowledgement=step.acknowledgement
                    )
                }
            )
        now = self._clock()
        with self._db.unit_of_work() as session:
            alarm = self._stored(session, number, step) or self._insert_alarm(
                session, actor, number, step, now
            )
            alarm.acknowledged_by_id = actor.user_id
            alarm.acknowledged_at = now
            alarm.acknowledged_with = "PIN" if with_pin else "password"
            after = {
                "position": position,
                "raised_at": alarm.raised_at.isoformat(),
                "by": actor.username,
                "with": alarm.acknowledged_with,
            }
            audit.record(
                session, actor, "acknowledge safety alarm", "work_order", number, None, after, now
            )
        return self._view(number, position)

    def _unrecorded_alarms(self) -> list[tuple[str, IsolationView]]:
        """Verified locks with a tag, on now or taken off within the last day (a lock removed
        between two checks still had its alarm), whose alarm is not yet on the record."""
        since = self._clock() - RECORD_LOOKBACK
        with self._db.unit_of_work(write=False) as session:
            numbers = (
                session.execute(
                    select(WorkOrder.number)
                    .join(WorkOrderIsolation, WorkOrderIsolation.work_order_id == WorkOrder.id)
                    .join(
                        IsolationPoint,
                        IsolationPoint.id == WorkOrderIsolation.isolation_point_id,
                    )
                    .where(
                        WorkOrderIsolation.verified_at.is_not(None),
                        IsolationPoint.tag_id.is_not(None),
                        (WorkOrderIsolation.removed_at.is_(None))
                        | (WorkOrderIsolation.removed_at >= since),
                    )
                    .distinct()
                )
                .scalars()
                .all()
            )
        if not numbers:
            return []
        found = self.isolations_many(sorted(numbers))
        return [
            (number, step)
            for number in sorted(found)
            for step in found[number]
            if step.reenergised_at is not None and not step.alarm_recorded
        ]

    def _record_alarm(self, actor: Actor, number: str, position: int) -> None:
        now = self._clock()
        step = self._view(number, position)
        with self._db.unit_of_work() as session:
            if self._stored(session, number, step) is None:
                self._insert_alarm(session, actor, number, step, now)

    @staticmethod
    def _stored(session: Session, number: str, step: IsolationView) -> LockoutAlarm | None:
        wo = _order(session, number)
        return session.execute(
            select(LockoutAlarm)
            .join(IsolationPoint, IsolationPoint.id == LockoutAlarm.isolation_point_id)
            .where(
                LockoutAlarm.work_order_id == wo.id,
                IsolationPoint.position == step.position,
                LockoutAlarm.raised_at == step.reenergised_at,
            )
        ).scalar_one_or_none()

    @staticmethod
    def _insert_alarm(
        session: Session, actor: Actor, number: str, step: IsolationView, now: datetime
    ) -> LockoutAlarm:
        """The firing as a row and an audit entry on the order (what the tag read, when)."""
        assert step.reenergised_at is not None
        assert step.reenergised_reading is not None
        wo = _order(session, number)
        point_id = session.execute(
            select(IsolationPoint.id).where(
                IsolationPoint.asset_id == wo.asset_id, IsolationPoint.position == step.position
            )
        ).scalar_one()
        alarm = LockoutAlarm(
            work_order_id=wo.id,
            isolation_point_id=point_id,
            lock_number=step.lock_number or "",
            raised_at=step.reenergised_at,
            reading=step.reenergised_reading,
            recorded_at=now,
        )
        session.add(alarm)
        session.flush()
        after = {
            "position": step.position,
            "lock_number": step.lock_number,
            "tag": step.tag_name,
            "reading": step.reenergised_reading,
            "zero_max": step.zero_max,
            "raised_at": step.reenergised_at.isoformat(),
        }
        audit.record(session, actor, "safety alarm", "work_order", number, None, after, now)
        return alarm

    def authenticate(self, signer: Signer) -> Actor:
        """The signer's own account, proven by their secret (a lock is personal)."""
        users = UserService(self._db, self._clock)
        try:
            if signer.pin:
                return users.authenticate_pin(signer.username, signer.secret)
            return users.authenticate(signer.username, signer.secret)
        except AuthenticationFailed as exc:
            raise type(exc)(
                Phrase("{username}: {problem}", username=signer.username, problem=message_of(exc))
            ) from exc

    @staticmethod
    def _step(
        session: Session, number: str, position: int
    ) -> tuple[WorkOrder, IsolationPoint, WorkOrderIsolation | None]:
        wo = _order(session, number)
        if wo.status in FINISHED_STATUSES:
            raise ValidationFailed(
                {"status": Phrase("{number} is {status}", number=number, status=wo.status)}
            )
        point = session.execute(
            select(IsolationPoint).where(
                IsolationPoint.asset_id == wo.asset_id, IsolationPoint.position == position
            )
        ).scalar_one_or_none()
        if point is None:
            raise NotFound(
                Phrase(
                    "{number}'s asset has no isolation point {position}",
                    number=number,
                    position=position,
                )
            )
        lock = session.execute(
            select(WorkOrderIsolation).where(
                WorkOrderIsolation.work_order_id == wo.id,
                WorkOrderIsolation.isolation_point_id == point.id,
            )
        ).scalar_one_or_none()
        return wo, point, lock

    def _view(self, number: str, position: int) -> IsolationView:
        return next(v for v in self.isolations(number) if v.position == position)


def _order(session: Session, number: str) -> WorkOrder:
    wo = session.execute(select(WorkOrder).where(WorkOrder.number == number)).scalar_one_or_none()
    if wo is None:
        raise NotFound(Phrase("no work order {number}", number=number))
    return wo


def _lock_view(
    point: IsolationPoint,
    tag: str | None,
    lock: WorkOrderIsolation | None,
    names: dict[int, str],
) -> IsolationView:
    view = _point_view(point, tag)
    if lock is None:
        return view
    return replace(
        view,
        lock_number=lock.lock_number,
        applied_by=names.get(lock.applied_by_id),
        applied_at=lock.applied_at,
        verified_by=names.get(lock.verified_by_id) if lock.verified_by_id else None,
        verified_at=lock.verified_at,
        verified_reading=lock.verified_reading,
        removed_by=names.get(lock.removed_by_id) if lock.removed_by_id else None,
        removed_at=lock.removed_at,
    )


def _stored_alarms(
    session: Session, numbers: list[str]
) -> dict[tuple[str, int], list[LockoutAlarm]]:
    """The recorded safety alarms of these orders by (number, isolation point id)."""
    rows = session.execute(
        select(WorkOrder.number, LockoutAlarm)
        .join(LockoutAlarm, LockoutAlarm.work_order_id == WorkOrder.id)
        .where(WorkOrder.number.in_(numbers))
        .order_by(LockoutAlarm.raised_at)
    ).all()
    found: dict[tuple[str, int], list[LockoutAlarm]] = {}
    for number, alarm in rows:
        found.setdefault((number, alarm.isolation_point_id), []).append(alarm)
    return found


def _alarm_of(alarms: list[LockoutAlarm], lock: WorkOrderIsolation | None) -> LockoutAlarm | None:
    """The newest recorded alarm of the point's current lock (a lock re-applied after its
    removal starts afresh; the earlier alarms stay in `lockout_alarms` and the audit trail)."""
    if lock is None:
        return None
    return next((a for a in reversed(alarms) if a.raised_at >= lock.applied_at), None)


def _with_alarm(view: IsolationView, alarm: LockoutAlarm, names: dict[int, str]) -> IsolationView:
    return replace(
        view,
        reenergised_at=alarm.raised_at,
        reenergised_reading=alarm.reading,
        alarm_recorded=True,
        acknowledged_by=names.get(alarm.acknowledged_by_id) if alarm.acknowledged_by_id else None,
        acknowledged_at=alarm.acknowledged_at,
        acknowledged_with=alarm.acknowledged_with,
    )


def _with_reenergised(
    db: Database,
    view: IsolationView,
    point: IsolationPoint,
    lock: WorkOrderIsolation,
    stored: LockoutAlarm | None,
    now: datetime,
) -> IsolationView:
    """A new alarm from the historian, if the point's tag read energised behind the lock
    (between the verification and the lock's removal, or now) where no recorded alarm covers it.

    The machine coming back to life behind a verified lock is what lock-out exists to prevent.
    Without a recorded alarm, the first energised sample is the alarm. Once the alarm is
    acknowledged, the machine coming back again (zero, then energised after the
    acknowledgement) is a new alarm with its own banner; while it is not, the banner is up."""
    if lock.verified_at is None or (stored is not None and stored.acknowledged_at is None):
        return view
    assert point.tag_id is not None
    from desktop.store.history import history_store  # numpy: not at start-up

    since = lock.verified_at if stored is None else stored.raised_at
    start, end = since.timestamp(), (lock.removed_at or now).timestamp()
    acknowledged = None if stored is None else stored.acknowledged_at
    # A running tag is a state: the store keeps every change, so a rising edge is the moment
    # it came back. The first sample after the recorded alarm is energised: no edge yet.
    was_zero = stored is None
    kept = history_store(db).points(point.tag_id, start, end).between(start, end)
    for ts, value in zip(kept.ts.tolist(), kept.values.tolist(), strict=True):
        if math.isnan(value):
            continue
        live = energised(value, point.zero_max)
        at = datetime.fromtimestamp(ts, UTC)
        if live and was_zero and (acknowledged is None or at > acknowledged):
            return replace(
                view,
                reenergised_at=at,
                reenergised_reading=value,
                alarm_recorded=False,
                acknowledged_by=None,
                acknowledged_at=None,
                acknowledged_with=None,
            )
        was_zero = not live
    return view


def safety_alarms(db: Database, clock: Clock = utc_now) -> list[tuple[str, str, IsolationView]]:
    """Locks on now whose machine has re-energised behind them, as (work-order number, asset
    code, step): what the control-room display raises until the lock is taken off."""
    with db.unit_of_work(write=False) as session:
        rows = session.execute(
            select(WorkOrder.number, Asset.code)
            .join(Asset, Asset.id == WorkOrder.asset_id)
            .join(WorkOrderIsolation, WorkOrderIsolation.work_order_id == WorkOrder.id)
            .join(IsolationPoint, IsolationPoint.id == WorkOrderIsolation.isolation_point_id)
            .where(
                WorkOrderIsolation.removed_at.is_(None),
                WorkOrderIsolation.verified_at.is_not(None),
                IsolationPoint.tag_id.is_not(None),
            )
            .distinct()
        ).all()
    if not rows:
        return []
    assets = dict(rows)
    found = LockoutService(db, clock).isolations_many(sorted(assets))
    return [
        (number, assets[number], step)
        for number in sorted(found)
        for step in found[number]
        if step.removed_at is None and step.reenergised_at is not None
    ]


def _point_view(point: IsolationPoint, tag: str | None) -> IsolationView:
    return IsolationView(
        point.position, point.energy_source, point.device, point.lock_point, tag, point.zero_max
    )
