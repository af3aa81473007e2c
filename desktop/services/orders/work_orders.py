"""Work-order use cases: raise, edit, move through the lifecycle, and document the work."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from desktop.domain.enums import (
    ChecklistItemKind,
    CheckResult,
    HoldReason,
    Priority,
    Role,
    Status,
    WorkOrderType,
)
from desktop.domain.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    ReadOnlyRecord,
    TransitionRefused,
    ValidationFailed,
)
from desktop.domain.failure_codes import FIELD_LISTS, code_problem
from desktop.domain.lifecycle import (
    COMMITTED_STATUSES,
    CREW_FIELDS,
    EDITABLE_FIELDS,
    OPEN_STATUSES,
    READ_ONLY_STATUSES,
    TransitionFacts,
    find_transition,
    targets_from,
)
from desktop.domain.lockout import release_problems, second_signer_problem, start_problems
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Listing, Phrase
from desktop.domain.scanning import ScanKind
from desktop.domain.scanning import parse as parse_scan
from desktop.domain.search import SearchFilter
from desktop.services.orders import verified_close
from desktop.services.orders.checklist_findings import raise_for_failed_item
from desktop.services.orders.lockout import LockoutService, Signer, isolation_states
from desktop.services.orders.work_order_records import (
    AddendumView,
    AssigneeView,
    ChecklistItemView,
    CreateResult,
    DowntimeView,
    DuplicateHint,
    HistoryView,
    LabourView,
    WorkOrderDetail,
    WorkOrderDraft,
    WorkOrderRow,
)
from desktop.services.shared import attachments, audit
from desktop.services.shared.attachments import AttachmentView
from desktop.services.shared.clock import Clock, utc_now
from desktop.services.shared.numbering import next_number
from desktop.services.stock import reservations
from desktop.store.models import (
    Addendum,
    Asset,
    Assignment,
    Attachment,
    ChecklistResult,
    ChecklistTemplate,
    DowntimePeriod,
    LabourEntry,
    StatusChange,
    User,
    WorkOrder,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from desktop.store.database import Database

MAX_TITLE = 200
# Completions tried again when the order's alarm or repair start changed between the signal's
# read (outside the write transaction) and the write.
SETTLE_ATTEMPTS = 3


SORT_COLUMNS = {
    "number": WorkOrder.id,
    "title": WorkOrder.title,
    "type": WorkOrder.type,
    "priority": WorkOrder.priority,
    "status": WorkOrder.status,
    "asset": Asset.code,
    "requested": WorkOrder.requested_at,
    "due": WorkOrder.due_at,
    "scheduled": WorkOrder.scheduled_start,
    "completed": WorkOrder.completed_at,
}


def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime | date) else value


def snapshot(wo: WorkOrder) -> dict[str, Any]:
    """The work order's own columns as plain JSON values, for the audit trail."""
    skip = {"id", "version", "updated_at", "updated_by_id"}
    return {
        column.key: _iso(getattr(wo, column.key))
        for column in WorkOrder.__table__.columns
        if column.key not in skip
    }


def _row(wo: WorkOrder) -> WorkOrderRow:
    return WorkOrderRow(
        wo.id,
        wo.number,
        wo.title,
        wo.type,
        Priority(wo.priority),
        wo.status,
        wo.asset.code,
        wo.asset.name,
        wo.requested_at,
        wo.due_at,
        wo.scheduled_start,
        wo.completed_at,
        wo.version,
    )


def default_is_failure(draft: WorkOrderDraft) -> bool:
    """KPIS.md: emergencies are failures; corrective work is when the asset lost its function."""
    if draft.is_failure is not None:
        return draft.is_failure
    if draft.type is WorkOrderType.EMERGENCY:
        return True
    return draft.type is WorkOrderType.CORRECTIVE and draft.asset_down


def draft_problems(draft: WorkOrderDraft) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not draft.title.strip():
        problems["title"] = "required"
    elif len(draft.title) > MAX_TITLE:
        problems["title"] = Phrase("at most {max_title} characters", max_title=MAX_TITLE)
    if draft.estimate_hours is not None and not 0 < draft.estimate_hours <= 10_000:
        problems["estimate_hours"] = "must be more than 0 and at most 10000"
    if draft.due_at is not None and draft.due_at.tzinfo is None:
        problems["due_at"] = "needs a time zone"
    return problems


class WorkOrderService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    # -- raising and editing -------------------------------------------------------------

    def create(self, actor: Actor, draft: WorkOrderDraft) -> CreateResult:
        """Raise a work order in `requested`; warns when the asset has open work of its type."""
        with self._db.unit_of_work() as session:
            return self.create_in(session, actor, draft)

    def create_in(self, session: Session, actor: Actor, draft: WorkOrderDraft) -> CreateResult:
        """Raise a work order inside the caller's unit of work (PM generator, findings)."""
        require(actor, Action.CREATE_WORK_ORDER)
        return self.insert_in(session, actor, draft)

    def insert_in(self, session: Session, actor: Actor, draft: WorkOrderDraft) -> CreateResult:
        """`create_in` for callers that checked their own permission (breakdown requests)."""
        problems = draft_problems(draft)
        now = self._clock()
        asset = session.execute(
            select(Asset).where(Asset.code == draft.asset_code)
        ).scalar_one_or_none()
        if asset is None:
            problems["asset"] = Phrase("no asset {asset_code}", asset_code=draft.asset_code)
        templates = self._templates(session, draft.checklist_codes, problems)
        if problems:
            raise ValidationFailed(problems)
        assert asset is not None
        duplicates = session.execute(
            select(WorkOrder.number, WorkOrder.title, WorkOrder.status)
            .where(
                WorkOrder.asset_id == asset.id,
                WorkOrder.type == draft.type,
                WorkOrder.status.in_(OPEN_STATUSES),
            )
            .order_by(WorkOrder.id)
        ).all()
        wo = WorkOrder(
            number=next_number(session, "WO", now.year),
            title=draft.title.strip(),
            description=draft.description,
            type=draft.type,
            priority=int(draft.priority),
            status=Status.REQUESTED,
            origin=draft.origin,
            asset=asset,
            requester_id=actor.user_id,
            requested_at=now,
            due_at=draft.due_at or now + draft.priority.default_due_in,
            estimate_hours=draft.estimate_hours,
            asset_down=draft.asset_down,
            is_failure=default_is_failure(draft),
            resolution="",
            updated_at=now,
            updated_by_id=actor.user_id,
        )
        session.add(wo)
        session.flush()
        session.add(
            StatusChange(
                work_order_id=wo.id, to_status=Status.REQUESTED, at=now, user_id=actor.user_id
            )
        )
        if draft.asset_down:
            # The asset is down from the moment it is reported until someone ends the period.
            session.add(
                DowntimePeriod(
                    work_order_id=wo.id, asset_id=asset.id, start=now, reason_code="reported"
                )
            )
        for template in templates:
            self._copy_checklist(session, wo, template)
        audit.record(session, actor, "create", "work_order", wo.number, None, snapshot(wo), now)
        hints = tuple(DuplicateHint(n, t, s) for n, t, s in duplicates)
        return CreateResult(_row(wo), hints)

    def update(
        self, actor: Actor, number: str, expected_version: int, changes: dict[str, Any]
    ) -> WorkOrderRow:
        """Save edited fields; refused with who changed it when `expected_version` is stale."""
        unknown = set(changes) - EDITABLE_FIELDS
        if unknown:
            raise ValidationFailed(dict.fromkeys(sorted(unknown), "cannot be edited here"))
        if not set(changes) <= CREW_FIELDS:
            require(actor, Action.EDIT_WORK_ORDER)
        require(actor, Action.LOG_WORK)
        if "is_failure" in changes:
            require(actor, Action.SET_FAILURE_FLAG)
        problems = self._change_problems(changes)
        if problems:
            raise ValidationFailed(problems)
        with self._db.unit_of_work() as session:
            wo = self._load_for_change(session, number, expected_version)
            before = snapshot(wo)
            for name, value in changes.items():
                setattr(wo, name, int(value) if name == "priority" else value)
            return self._save(session, actor, wo, "update", before)

    def _change_problems(self, changes: dict[str, Any]) -> dict[str, str]:
        problems: dict[str, str] = {}
        for name in FIELD_LISTS:
            value = changes.get(name)
            if value is not None and not isinstance(value, str):
                problems[name] = "must be a code (text) or empty"
            elif value:
                problem = code_problem(name, value)
                if problem:
                    problems[name] = problem
        # Callers beyond the form (scripts, the CLI) may hand over any type: refuse, not crash.
        for name in ("title", "description", "resolution"):
            if name in changes and not isinstance(changes[name], str):
                problems[name] = "must be text"
        for name in ("asset_down", "is_failure"):
            if name in changes and not isinstance(changes[name], bool):
                problems[name] = "must be yes or no (true/false)"
        title = changes.get("title")
        if isinstance(title, str) and (not title.strip() or len(title) > MAX_TITLE):
            problems["title"] = Phrase(
                "required, at most {max_title} characters", max_title=MAX_TITLE
            )
        priority = changes.get("priority")
        if "priority" in changes and (isinstance(priority, bool) or priority not in set(Priority)):
            problems["priority"] = "1 (emergency) to 4 (low)"
        estimate = changes.get("estimate_hours")
        if estimate is not None and not (
            isinstance(estimate, int | float)
            and not isinstance(estimate, bool)
            and 0 < estimate <= 10_000
        ):
            problems["estimate_hours"] = "must be a number of hours, more than 0 and at most 10000"
        for name in ("due_at", "scheduled_start", "scheduled_end"):
            value = changes.get(name)
            if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
                problems[name] = "needs a date and time with a time zone"
        start, end = changes.get("scheduled_start"), changes.get("scheduled_end")
        if isinstance(start, datetime) and isinstance(end, datetime) and end <= start:
            problems["scheduled_end"] = "must be after the scheduled start"
        return problems

    def assign(
        self,
        actor: Actor,
        number: str,
        expected_version: int,
        usernames: Sequence[str],
        lead: str | None = None,
    ) -> list[str]:
        """Set the assignees (the lead first by default); returns booking warnings."""
        require(actor, Action.ASSIGN)
        lead = lead or (usernames[0] if usernames else None)
        if lead is not None and lead not in usernames:
            raise ValidationFailed({"lead": Phrase("{lead} is not among the assignees", lead=lead)})
        with self._db.unit_of_work() as session:
            wo = self._load_for_change(session, number, expected_version)
            users = session.execute(select(User).where(User.username.in_(usernames))).scalars()
            by_name = {u.username: u for u in users}
            missing = [
                name for name in usernames if name not in by_name or not by_name[name].active
            ]
            if missing:
                raise ValidationFailed(
                    {"assignees": Phrase("no active user {missing}", missing=", ".join(missing))}
                )
            not_crew = [n for n in usernames if by_name[n].role is Role.VIEWER]
            if not_crew:
                raise ValidationFailed(
                    {"assignees": Phrase("{not_crew} cannot do work", not_crew=", ".join(not_crew))}
                )
            before = snapshot(wo) | {"assignees": [a.user.username for a in wo.assignees]}
            wo.assignees = [
                Assignment(user_id=by_name[name].id, is_lead=name == lead) for name in usernames
            ]
            self._save(session, actor, wo, "assign", before, {"assignees": list(usernames)})
            return self._booking_warnings(session, wo, [by_name[n] for n in usernames])

    def _booking_warnings(self, session: Session, wo: WorkOrder, users: list[User]) -> list[str]:
        """Technicians already on other open work whose planned time overlaps this order's."""
        if wo.scheduled_start is None or wo.scheduled_end is None or not users:
            return []
        clashes = session.execute(
            select(User.username, WorkOrder.number)
            .join(Assignment, Assignment.user_id == User.id)
            .join(WorkOrder, WorkOrder.id == Assignment.work_order_id)
            .where(
                User.id.in_([u.id for u in users]),
                WorkOrder.id != wo.id,
                WorkOrder.status.in_(COMMITTED_STATUSES),
                WorkOrder.scheduled_start < wo.scheduled_end,
                WorkOrder.scheduled_end > wo.scheduled_start,
            )
            .order_by(User.username, WorkOrder.number)
        ).all()
        return [
            Phrase("{user} is already booked on {other} at that time", user=user, other=other)
            for user, other in clashes
        ]

    # -- the lifecycle -------------------------------------------------------------------

    def transition(
        self,
        actor: Actor,
        number: str,
        target: Status,
        note: str = "",
        hold_reason: HoldReason | None = None,
        expected_version: int | None = None,
    ) -> WorkOrderRow:
        """Move a work order along the lifecycle table, or say everything that stops it.

        Completing an alarm's order first reads the signal and draws its trend outside the
        write transaction (`verified_close.prepare`); should the order's alarm or repair start
        change before the write, that is done again.
        """
        for _ in range(SETTLE_ATTEMPTS):
            now = self._clock()
            prepared = None
            if target is Status.COMPLETED:
                prepared = verified_close.prepare(self._db, number, now)
            try:
                return self._transition(
                    actor, number, target, note, hold_reason, expected_version, now, prepared
                )
            except verified_close.SettleChanged:
                continue
        problem = "its alarm or repair start kept changing while the signal was read; try again"
        raise TransitionRefused(number, Phrase("move to {status}", status=target), [problem])

    def _transition(
        self,
        actor: Actor,
        number: str,
        target: Status,
        note: str,
        hold_reason: HoldReason | None,
        expected_version: int | None,
        now: datetime,
        prepared: verified_close.PreparedSettle | None,
    ) -> WorkOrderRow:
        """One attempt of `transition`, in one short write transaction."""
        with self._db.unit_of_work() as session:
            wo = self._load(session, number)
            if expected_version is not None:
                self._check_version(wo, expected_version)
            move = find_transition(wo.status, target)
            if move is None:
                allowed = Listing(tuple(targets_from(wo.status))) or Phrase("nothing")
                raise TransitionRefused(
                    number,
                    Phrase("move to {status}", status=target),
                    [
                        Phrase(
                            "it is {status}, which can move to {allowed}",
                            status=wo.status,
                            allowed=allowed,
                        )
                    ],
                )
            if actor.role not in move.roles:
                roles = ", ".join(sorted(r.value for r in move.roles))
                raise PermissionDenied(
                    Phrase(
                        "cannot {verb} {number}: {username} is a {role}; needs {roles}",
                        verb=move.verb,
                        number=number,
                        username=actor.username,
                        role=actor.role,
                        roles=roles,
                    )
                )
            facts = self._facts(session, wo, note, hold_reason)
            if target is Status.COMPLETED:
                verified_close.confirm(session, wo, prepared)
                check = prepared.window.check if prepared else None
                facts = replace(facts, signal_check=check)
            problems = move.problems(facts)
            if problems:
                raise TransitionRefused(number, move.verb, problems)
            before = snapshot(wo)
            # Parts are reserved or released in the same unit of work as the move.
            reservations.on_transition(session, actor, wo, target, now)
            self._stamp(session, actor, wo, target, now, note, hold_reason)
            session.add(
                StatusChange(
                    work_order_id=wo.id,
                    from_status=wo.status,
                    to_status=target,
                    at=now,
                    user_id=actor.user_id,
                    note=note,
                )
            )
            wo.status = target
            if prepared is not None:
                verified_close.attach_after_trend(session, actor, wo, prepared, now)
            return self._save(session, actor, wo, move.verb, before)

    def _stamp(
        self,
        session: Session,
        actor: Actor,
        wo: WorkOrder,
        target: Status,
        now: datetime,
        note: str,
        hold_reason: HoldReason | None,
    ) -> None:
        """Set the timestamps and fields a move implies (KPIS.md needs each of them)."""
        if target is Status.APPROVED and wo.status is Status.REQUESTED:
            wo.approved_at = now
        elif target is Status.SCHEDULED:
            wo.scheduled_at = now
        elif target is Status.IN_PROGRESS:
            if wo.status is Status.REQUESTED:
                # Emergency fast path: starting the job is its acknowledgement.
                wo.approved_at = wo.approved_at or now
                if not wo.assignees and actor.role is not Role.VIEWER:
                    wo.assignees.append(Assignment(user_id=actor.user_id, is_lead=True))
            if wo.status is Status.COMPLETED:
                wo.completed_at = None
            wo.started_at = wo.started_at or now
            wo.hold_reason = None
        elif target is Status.ON_HOLD:
            wo.hold_reason = hold_reason
        elif target is Status.COMPLETED:
            wo.completed_at = now
        elif target is Status.CLOSED:
            wo.closed_at = now
        elif target is Status.CANCELLED:
            wo.cancelled_at = now
            wo.cancel_reason = note.strip()
            for period in wo.downtime:
                period.end = period.end or now

    def _facts(
        self, session: Session, wo: WorkOrder, note: str, hold_reason: HoldReason | None
    ) -> TransitionFacts:
        hours = session.execute(
            select(func.coalesce(func.sum(LabourEntry.hours), 0.0)).where(
                LabourEntry.work_order_id == wo.id
            )
        ).scalar_one()
        unanswered = tuple(
            (item.position, item.text)
            for item in wo.checklist
            if (item.required or item.safety) and item.answered_at is None
        )
        isolations = isolation_states(session, wo)
        # The lock-out checklist is done before work starts, not found unanswered at the end.
        unlocked = tuple(
            f'safety item {item.position} "{item.text}" unanswered'
            for item in wo.checklist
            if item.safety
            and item.kind is not ChecklistItemKind.SIGNATURE
            and item.answered_at is None
        )
        return TransitionFacts(
            isolation_problems=(*unlocked, *start_problems(isolations)),
            release_problems=tuple(release_problems(isolations)),
            number=wo.number,
            type=wo.type,
            assignee_count=len(wo.assignees),
            has_scheduled_start=wo.scheduled_start is not None,
            has_estimate=wo.estimate_hours is not None,
            labour_hours=float(hours),
            unanswered_items=unanswered,
            failure_codes={name: getattr(wo, name) for name in FIELD_LISTS},
            asset_down=wo.asset_down,
            downtime_periods=len(wo.downtime),
            open_downtime_periods=sum(1 for p in wo.downtime if p.end is None),
            note=note,
            hold_reason=hold_reason,
        )

    # -- documenting the work ------------------------------------------------------------

    def log_labour(
        self,
        actor: Actor,
        number: str,
        technician: str,
        work_date: date,
        hours: float,
        note: str = "",
    ) -> LabourView:
        """Book hours at the technician's current rate (the rate is kept with the entry)."""
        require(actor, Action.LOG_WORK)
        if actor.role is Role.TECHNICIAN and technician != actor.username:
            raise PermissionDenied(
                Phrase("{username} may only log their own hours", username=actor.username)
            )
        problems: dict[str, str] = {}
        if not 0 < hours <= 24:
            problems["hours"] = "more than 0 and at most 24 per entry"
        if work_date > self._clock().date():
            problems["work_date"] = "cannot be in the future"
        with self._db.unit_of_work() as session:
            wo = self._load_open(session, number)
            tech = session.execute(
                select(User).where(User.username == technician)
            ).scalar_one_or_none()
            if tech is None or not tech.active or tech.role is Role.VIEWER:
                problems["technician"] = Phrase(
                    "no active technician {technician}", technician=technician
                )
            if problems:
                raise ValidationFailed(problems)
            assert tech is not None
            entry = LabourEntry(
                work_order_id=wo.id,
                technician_id=tech.id,
                work_date=work_date,
                hours=hours,
                rate=tech.hourly_rate,
                note=note,
                created_at=self._clock(),
            )
            session.add(entry)
            session.flush()
            after = {"technician": technician, "work_date": work_date.isoformat(), "hours": hours}
            self._audit(session, actor, "log labour", wo, None, after)
            return LabourView(entry.id, technician, work_date, hours, entry.rate, note)

    def add_downtime(
        self,
        actor: Actor,
        number: str,
        start: datetime,
        end: datetime | None,
        planned: bool,
        reason_code: str,
    ) -> DowntimeView:
        require(actor, Action.LOG_WORK)
        problems: dict[str, str] = {}
        if start.tzinfo is None or (end is not None and end.tzinfo is None):
            problems["start"] = "start and end need a time zone"
        elif end is not None and end <= start:
            problems["end"] = "must be after the start"
        elif start > self._clock():
            problems["start"] = "cannot be in the future"
        if problems:
            raise ValidationFailed(problems)
        with self._db.unit_of_work() as session:
            wo = self._load_open(session, number)
            period = DowntimePeriod(
                work_order_id=wo.id,
                asset_id=wo.asset_id,
                start=start,
                end=end,
                planned=planned,
                reason_code=reason_code,
            )
            session.add(period)
            if not wo.asset_down:
                wo.asset_down = True
            session.flush()
            view = DowntimeView(period.id, start, end, planned, reason_code)
            self._audit(session, actor, "add downtime", wo, None, _downtime_json(view))
            return view

    def end_downtime(self, actor: Actor, number: str, end: datetime) -> int:
        """Close every open downtime period of the order at `end`; returns how many."""
        require(actor, Action.LOG_WORK)
        with self._db.unit_of_work() as session:
            wo = self._load_open(session, number)
            open_periods = [p for p in wo.downtime if p.end is None]
            for period in open_periods:
                if end <= period.start:
                    raise ValidationFailed(
                        {
                            "end": Phrase(
                                "must be after the start {start}", start=f"{period.start:%c}"
                            )
                        }
                    )
                period.end = end
            self._audit(session, actor, "end downtime", wo, None, {"end": end.isoformat()})
            return len(open_periods)

    def add_checklist(self, actor: Actor, number: str, template_code: str) -> None:
        require(actor, Action.EDIT_WORK_ORDER)
        problems: dict[str, str] = {}
        with self._db.unit_of_work() as session:
            wo = self._load_open(session, number)
            templates = self._templates(session, (template_code,), problems)
            if problems:
                raise ValidationFailed(problems)
            self._copy_checklist(session, wo, templates[0])
            self._audit(session, actor, "add checklist", wo, None, {"template": template_code})

    def answer_checklist_item(
        self,
        actor: Actor,
        number: str,
        position: int,
        *,
        result: CheckResult | None = None,
        value: float | None = None,
        text: str | None = None,
        signer: Signer | None = None,
    ) -> ChecklistItemView:
        """Record one answer; a measurement outside its limits is marked failed by itself.

        A safety sign-off is signed by `signer`, who re-enters their own password or PIN here;
        two sign-offs on one order need two different people (the two-person rule)."""
        require(actor, Action.LOG_WORK)
        person = LockoutService(self._db, self._clock).authenticate(signer) if signer else None
        with self._db.unit_of_work() as session:
            wo = self._load_open(session, number)
            item = next((i for i in wo.checklist if i.position == position), None)
            if item is None:
                raise NotFound(
                    Phrase(
                        "{number} has no checklist item {position}",
                        number=number,
                        position=position,
                    )
                )
            before = _item_json(item)
            if item.safety and item.kind is ChecklistItemKind.SIGNATURE:
                if person is None:
                    raise ValidationFailed(
                        {f"item {position}": "a safety sign-off needs the signer's own password"}
                    )
                signed = {
                    i.answered_by_id
                    for i in wo.checklist
                    if i.safety
                    and i.kind is ChecklistItemKind.SIGNATURE
                    and i.answered_at is not None
                    and i is not item
                    and i.answered_by_id is not None
                }
                problem = second_signer_problem(signed, person.user_id, person.username)
                if problem:
                    raise ValidationFailed({f"item {position}": problem})
            signing = person or actor
            answer_problem = self._apply_answer(session, signing, item, result, value, text)
            if answer_problem:
                raise ValidationFailed({f"item {position}": answer_problem})
            item.answered_at = self._clock()
            item.answered_by_id = signing.user_id
            session.flush()
            corrective = raise_for_failed_item(session, self, actor, wo, item, item.answered_at)
            after = _item_json(item) | ({"corrective_order": corrective} if corrective else {})
            self._audit(session, actor, "answer checklist", wo, before, after)
            return replace(_item_view(item), corrective_order=corrective)

    def _apply_answer(
        self,
        session: Session,
        actor: Actor,
        item: ChecklistResult,
        result: CheckResult | None,
        value: float | None,
        text: str | None,
    ) -> str | None:
        """Put the answer on the item; returns what is wrong with it instead, if anything."""
        if item.kind is ChecklistItemKind.CHECK:
            if result is None:
                return "answer pass, fail or n/a"
            item.result = result
        elif item.kind is ChecklistItemKind.MEASUREMENT:
            if result is CheckResult.NOT_APPLICABLE:
                item.result, item.value = result, None
                return None
            if value is None:
                return f"enter the measured value in {item.unit or 'its unit'}"
            low_ok = item.low is None or value >= item.low
            high_ok = item.high is None or value <= item.high
            item.value = value
            item.result = CheckResult.PASS if low_ok and high_ok else CheckResult.FAIL
        elif item.kind is ChecklistItemKind.TEXT:
            if not (text or "").strip():
                return "enter a text"
            item.text_value = text
        else:
            # A signature records the signer's name; the time is answered_at.
            user = session.get(User, actor.user_id)
            item.text_value = user.full_name if user else actor.username
        return None

    def add_attachment(
        self, actor: Actor, number: str, filename: str, content: bytes
    ) -> AttachmentView:
        """Keep a file with an open order; its type is decided from the content, not the name."""
        require(actor, Action.LOG_WORK)
        with self._db.unit_of_work() as session:
            wo = self._load_open(session, number)
            return attachments.store(session, actor, wo, filename, content, self._clock())

    def attach_file(self, actor: Actor, number: str, path: Path) -> AttachmentView:
        """Attach a file from disk, refused by size and type before it is read whole."""
        require(actor, Action.LOG_WORK)
        return self.add_attachment(actor, number, path.name, attachments.read_file(path))

    def add_addendum(self, actor: Actor, number: str, text: str) -> AddendumView:
        """A note on a closed or cancelled order: the only change such a record accepts."""
        require(actor, Action.ADD_ADDENDUM)
        if not text.strip():
            raise ValidationFailed({"text": "required"})
        now = self._clock()
        with self._db.unit_of_work() as session:
            wo = self._load(session, number)
            session.add(Addendum(work_order_id=wo.id, at=now, user_id=actor.user_id, text=text))
            self._audit(session, actor, "addendum", wo, None, {"text": text})
            return AddendumView(now, actor.username, text)

    # -- reading -------------------------------------------------------------------------

    def get(self, number: str) -> WorkOrderDetail:
        with self._db.unit_of_work(write=False) as session:
            wo = session.execute(
                _with_detail(select(WorkOrder).where(WorkOrder.number == number))
            ).scalar_one_or_none()
            if wo is None:
                raise NotFound(Phrase("no work order {number}", number=number))
            return self._detail(session, wo)

    def find_number(self, text: str) -> str | None:
        """The stored number a scan or a typed entry means, closed and cancelled orders too;
        None if none.

        `get` stays exact; this is for people and scanners. Case, a scanner's prefix or suffix
        and unpadded digits do not matter (`wo-2026-123` is WO-2026-000123); bare digits mean
        the newest order with that serial. The exact form is tried first so the common case
        uses the index, the case-insensitive match only when that misses.
        """
        scan = parse_scan(text)
        candidate = scan.value
        if not candidate:
            return None
        with self._db.unit_of_work(write=False) as session:
            if scan.kind is ScanKind.TEXT and candidate.isascii() and candidate.isdigit():
                if len(candidate) > 6:
                    return None
                serial = WorkOrder.number.like(f"WO-%-{int(candidate):06d}")
                query = select(WorkOrder.number).where(serial).order_by(WorkOrder.number.desc())
                return session.execute(query.limit(1)).scalars().first()
            exact = WorkOrder.number == candidate
            for match in (exact, func.upper(WorkOrder.number) == candidate.upper()):
                found = session.execute(select(WorkOrder.number).where(match)).scalars().first()
                if found is not None:
                    return found
        return None

    def get_many(self, numbers: Sequence[str], chunk: int = 500) -> list[WorkOrderDetail]:
        """Many full records in the order given, in one session (reports of a thousand orders)."""
        found: dict[str, WorkOrderDetail] = {}
        with self._db.unit_of_work(write=False) as session:
            for start in range(0, len(numbers), chunk):
                part = numbers[start : start + chunk]
                query = _with_detail(select(WorkOrder).where(WorkOrder.number.in_(part)))
                for wo in session.execute(query).scalars():
                    found[wo.number] = self._detail(session, wo)
        missing = [number for number in numbers if number not in found]
        if missing:
            raise NotFound(Phrase("no work order {missing}", missing=", ".join(missing)))
        return [found[number] for number in numbers]

    def _detail(self, session: Session, wo: WorkOrder) -> WorkOrderDetail:
        attachments = session.execute(
            select(
                Attachment.id,
                Attachment.filename,
                Attachment.mime_type,
                Attachment.size,
                Attachment.sha256,
                Attachment.created_at,
                User.username,
            )
            .join(User, User.id == Attachment.created_by_id)
            .where(Attachment.work_order_id == wo.id)
            .order_by(Attachment.id)
        ).all()
        addenda = session.execute(
            select(Addendum.at, User.username, Addendum.text)
            .join(User, User.id == Addendum.user_id)
            .where(Addendum.work_order_id == wo.id)
            .order_by(Addendum.id)
        ).all()
        return WorkOrderDetail(
            row=_row(wo),
            description=wo.description,
            origin=wo.origin,
            requester=wo.requester.username,
            approved_at=wo.approved_at,
            scheduled_at=wo.scheduled_at,
            started_at=wo.started_at,
            closed_at=wo.closed_at,
            cancelled_at=wo.cancelled_at,
            scheduled_end=wo.scheduled_end,
            estimate_hours=wo.estimate_hours,
            asset_down=wo.asset_down,
            is_failure=wo.is_failure,
            failure_codes={name: getattr(wo, name) for name in FIELD_LISTS},
            resolution=wo.resolution,
            hold_reason=wo.hold_reason,
            cancel_reason=wo.cancel_reason,
            updated_at=wo.updated_at,
            updated_by=wo.updated_by.username,
            assignees=tuple(
                AssigneeView(a.user.username, a.user.full_name, a.is_lead)
                for a in sorted(wo.assignees, key=lambda a: (not a.is_lead, a.user.username))
            ),
            history=tuple(
                HistoryView(h.from_status, h.to_status, h.at, h.user.username, h.note)
                for h in wo.history
            ),
            labour=tuple(
                LabourView(e.id, e.technician.username, e.work_date, e.hours, e.rate, e.note)
                for e in wo.labour
            ),
            downtime=tuple(
                DowntimeView(p.id, p.start, p.end, p.planned, p.reason_code) for p in wo.downtime
            ),
            checklist=tuple(_item_view(item) for item in wo.checklist),
            attachments=tuple(AttachmentView(*a) for a in attachments),
            addenda=tuple(AddendumView(*a) for a in addenda),
        )

    def search(
        self,
        criteria: SearchFilter = SearchFilter(),
        *,
        sort: str = "number",
        descending: bool = True,
        limit: int = 500,
        offset: int = 0,
    ) -> list[WorkOrderRow]:
        """One page of work orders, filtered and sorted in SQL (fast on large tables)."""
        query = filter_query(_LIST_ROWS, criteria)
        column = SORT_COLUMNS.get(sort)
        if column is None:
            raise ValidationFailed(
                {"sort": Phrase("one of {sort_columns}", sort_columns=", ".join(SORT_COLUMNS))}
            )
        order = column.desc() if descending else column.asc()
        query = query.order_by(order, WorkOrder.id.desc()).limit(limit).offset(offset)
        with self._db.unit_of_work(write=False) as session:
            return [
                WorkOrderRow(r[0], r[1], r[2], r[3], _PRIORITIES[r[4]], *r[5:])
                for r in session.connection().execute(query).all()
            ]

    def count(self, criteria: SearchFilter = SearchFilter()) -> int:
        query = filter_query(
            select(func.count(WorkOrder.id)).join(Asset, Asset.id == WorkOrder.asset_id), criteria
        )
        with self._db.unit_of_work(write=False) as session:
            return session.execute(query).scalar_one()

    # -- helpers -------------------------------------------------------------------------

    def _load(self, session: Session, number: str) -> WorkOrder:
        wo = session.execute(
            select(WorkOrder).where(WorkOrder.number == number)
        ).scalar_one_or_none()
        if wo is None:
            raise NotFound(Phrase("no work order {number}", number=number))
        return wo

    def _load_open(self, session: Session, number: str) -> WorkOrder:
        wo = self._load(session, number)
        self._refuse_final(wo)
        return wo

    def _load_for_change(self, session: Session, number: str, expected_version: int) -> WorkOrder:
        wo = self._load_open(session, number)
        self._check_version(wo, expected_version)
        return wo

    @staticmethod
    def _refuse_final(wo: WorkOrder) -> None:
        if wo.status in READ_ONLY_STATUSES:
            raise ReadOnlyRecord(
                Phrase(
                    "{number} is {status} and read-only; add an addendum instead",
                    number=wo.number,
                    status=wo.status,
                )
            )

    @staticmethod
    def _check_version(wo: WorkOrder, expected_version: int) -> None:
        if wo.version != expected_version:
            raise ConflictError(wo.number, wo.updated_by.username, wo.updated_at, wo.version)

    def _save(
        self,
        session: Session,
        actor: Actor,
        wo: WorkOrder,
        action: str,
        before: dict[str, Any],
        extra_after: dict[str, Any] | None = None,
    ) -> WorkOrderRow:
        """Flush under the version check, stamp who changed the row, then write the audit entry.

        The flush comes first: the audit append locks the chain head, and a stale row must be
        reported as a conflict before anything else is written.
        """
        now = self._clock()
        wo.updated_at = now
        wo.updated_by_id = actor.user_id
        try:
            session.flush()
        except StaleDataError:
            # Another process saved between our read and this write.
            session.rollback()
            with self._db.unit_of_work(write=False) as fresh:
                current = self._load(fresh, wo.number)
                raise ConflictError(
                    current.number, current.updated_by.username, current.updated_at, current.version
                ) from None
        after = snapshot(wo) | (extra_after or {})
        audit.record(session, actor, action, "work_order", wo.number, before, after, now)
        return _row(wo)

    def _audit(
        self,
        session: Session,
        actor: Actor,
        action: str,
        wo: WorkOrder,
        before: dict[str, Any] | None,
        after: dict[str, Any],
    ) -> None:
        audit.record(session, actor, action, "work_order", wo.number, before, after, self._clock())

    @staticmethod
    def _templates(
        session: Session, codes: Sequence[str], problems: dict[str, str]
    ) -> list[ChecklistTemplate]:
        if not codes:
            return []
        found = {
            t.code: t
            for t in session.execute(
                select(ChecklistTemplate)
                .where(ChecklistTemplate.code.in_(codes), ChecklistTemplate.active.is_(True))
                .options(selectinload(ChecklistTemplate.items))
            ).scalars()
        }
        missing = [code for code in codes if code not in found]
        if missing:
            problems["checklist"] = Phrase(
                "no active checklist template {missing}", missing=", ".join(missing)
            )
        return [found[code] for code in codes if code in found]

    @staticmethod
    def _copy_checklist(session: Session, wo: WorkOrder, template: ChecklistTemplate) -> None:
        start = max((item.position for item in wo.checklist), default=0)
        for offset, item in enumerate(template.items, start=1):
            wo.checklist.append(
                ChecklistResult(
                    template_code=template.code,
                    position=start + offset,
                    kind=item.kind,
                    text=item.text,
                    unit=item.unit,
                    low=item.low,
                    high=item.high,
                    required=item.required,
                    safety=template.safety,
                )
            )


def _with_detail(query: Select[Any]) -> Select[Any]:
    """Load everything a full record shows with the work orders, not one query per order."""
    return query.options(
        selectinload(WorkOrder.assignees).selectinload(Assignment.user),
        selectinload(WorkOrder.history).selectinload(StatusChange.user),
        selectinload(WorkOrder.labour).selectinload(LabourEntry.technician),
        selectinload(WorkOrder.downtime),
        selectinload(WorkOrder.checklist),
        selectinload(WorkOrder.requester),
        selectinload(WorkOrder.updated_by),
        selectinload(WorkOrder.asset),
    )


def _item_view(item: ChecklistResult) -> ChecklistItemView:
    return ChecklistItemView(
        item.position,
        item.kind,
        item.text,
        item.unit,
        item.low,
        item.high,
        item.required,
        item.safety,
        item.result,
        item.value,
        item.text_value,
        item.answered_at,
    )


def _item_json(item: ChecklistResult) -> dict[str, Any]:
    return {
        "position": item.position,
        "text": item.text,
        "result": item.result.value if item.result else None,
        "value": item.value,
        "text_value": item.text_value,
    }


def _downtime_json(view: DowntimeView) -> dict[str, Any]:
    return {
        "start": view.start.isoformat(),
        "end": view.end.isoformat() if view.end else None,
        "planned": view.planned,
        "reason": view.reason_code,
    }


# Built once: a list page is read on every keystroke and header click.
_LIST_ROWS = select(
    WorkOrder.id,
    WorkOrder.number,
    WorkOrder.title,
    WorkOrder.type,
    WorkOrder.priority,
    WorkOrder.status,
    Asset.code,
    Asset.name,
    WorkOrder.requested_at,
    WorkOrder.due_at,
    WorkOrder.scheduled_start,
    WorkOrder.completed_at,
    WorkOrder.version,
).join(Asset, Asset.id == WorkOrder.asset_id)
_PRIORITIES = {int(p): p for p in Priority}


def filter_query(query: Select[Any], criteria: SearchFilter) -> Select[Any]:
    """Narrow a work-order query (joined to Asset) to `criteria`; shared by lists and the board."""
    if criteria.statuses:
        query = query.where(WorkOrder.status.in_(criteria.statuses))
    elif not criteria.include_closed:
        query = query.where(WorkOrder.status != Status.CLOSED)
    if criteria.numbers:
        query = query.where(WorkOrder.number.in_(criteria.numbers))
    if criteria.types:
        query = query.where(WorkOrder.type.in_(criteria.types))
    if criteria.priorities:
        query = query.where(WorkOrder.priority.in_([int(p) for p in criteria.priorities]))
    if criteria.asset_ids:
        query = query.where(WorkOrder.asset_id.in_(criteria.asset_ids))
    if criteria.overdue_at is not None:
        query = query.where(
            WorkOrder.status.in_(OPEN_STATUSES),
            WorkOrder.due_at < criteria.overdue_at,
        )
    if criteria.assignee:
        query = query.where(
            WorkOrder.id.in_(
                select(Assignment.work_order_id)
                .join(User, User.id == Assignment.user_id)
                .where(User.username == criteria.assignee)
            )
        )
    text = criteria.text.strip()
    if text:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(
            or_(
                WorkOrder.number.ilike(pattern, escape="\\"),
                WorkOrder.title.ilike(pattern, escape="\\"),
                Asset.code.ilike(pattern, escape="\\"),
            )
        )
    return query
