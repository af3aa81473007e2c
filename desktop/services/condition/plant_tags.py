"""OPC UA tags mapped to assets, and the condition rules on them: import, list, edit."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.domain.condition import DataKind, RuleSpec, sampling_problem
from desktop.domain.enums import Priority
from desktop.domain.errors import NotFound, ValidationFailed
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Phrase
from desktop.domain.verified_close import DEFAULT_VERIFY_MINUTES
from desktop.services.shared import audit, revisions
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.condition_models import ConditionRule, Tag
from desktop.store.models import Asset

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.orm import Session

    from desktop.store.database import Database

TAG_COLUMNS = ("name", "asset", "namespace_uri", "node_id", "unit", "kind")
SAMPLING_COLUMN = "sampling_ms"
"""Optional: the tag's own sampling interval in ms; empty (or no such column) takes the
default of its class (desktop.plant.sampling)."""
_NODE_ID_PREFIXES = ("i=", "s=", "g=", "b=")


@dataclass(frozen=True)
class TagDraft:
    """One row of a mapping: the node (namespace URI + identifier) and the asset it belongs to."""

    name: str
    asset_code: str
    namespace_uri: str
    node_id: str
    unit: str = ""
    kind: DataKind = DataKind.ANALOG
    sampling_ms: int | None = None
    """Its own sampling interval; None: its class's default."""


@dataclass(frozen=True)
class TagView:
    id: int
    name: str
    asset_code: str
    namespace_uri: str
    node_id: str
    unit: str
    kind: DataKind
    active: bool
    sampling_ms: int | None = None
    """Its own sampling interval; None: its class's default."""


@dataclass(frozen=True)
class RuleDraft:
    name: str
    tag_name: str
    spec: RuleSpec
    priority: Priority = Priority.HIGH
    enabled: bool = True
    # Verified close: minutes in band after the repair before its order may complete.
    verify_minutes: int = DEFAULT_VERIFY_MINUTES


@dataclass(frozen=True)
class RuleView:
    id: int
    name: str
    tag_id: int
    tag_name: str
    asset_code: str
    unit: str
    spec: RuleSpec
    priority: Priority
    enabled: bool
    verify_minutes: int = DEFAULT_VERIFY_MINUTES


def draft_problems(draft: TagDraft) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not draft.name.strip():
        problems["name"] = "required"
    if not draft.namespace_uri.strip():
        problems["namespace_uri"] = "required (the namespace URI, not its index)"
    if not draft.node_id.startswith(_NODE_ID_PREFIXES):
        problems["node_id"] = "write it as i=…, s=…, g=… or b=… without ns="
    sampling = sampling_problem(draft.sampling_ms)
    if sampling:
        problems[SAMPLING_COLUMN] = sampling
    return problems


def _spec(rule: ConditionRule) -> RuleSpec:
    return RuleSpec(
        rule.kind,
        rule.limit,
        rule.direction,
        rule.hysteresis,
        rule.on_delay_s,
        rule.window_s,
        rule.horizon_s,
    )


def _rule_snapshot(rule: ConditionRule) -> dict[str, object]:
    return {
        "kind": rule.kind.value,
        "direction": rule.direction.value,
        "limit": rule.limit,
        "hysteresis": rule.hysteresis,
        "on_delay_s": rule.on_delay_s,
        "window_s": rule.window_s,
        "horizon_s": rule.horizon_s,
        "priority": rule.priority,
        "verify_minutes": rule.verify_minutes,
    }


class PlantTagService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    def import_tags(self, actor: Actor, drafts: list[TagDraft]) -> int:
        """Add or update tags by name, all or nothing; problems are named by row and column."""
        require(actor, Action.MANAGE_TAGS)
        with self._db.unit_of_work() as session:
            return self.insert_tags(session, actor, drafts)

    def insert_tags(self, session: Session, actor: Actor, drafts: list[TagDraft]) -> int:
        """Validate and add or update tags in the caller's unit of work (discovery adds its
        assets in the same one)."""
        problems: dict[str, str] = {}
        names: set[str] = set()
        for row, draft in enumerate(drafts, start=2):
            for column, problem in draft_problems(draft).items():
                problems[f"row {row} {column}"] = problem
            if draft.name in names:
                problems[f"row {row} name"] = Phrase("{name} appears twice", name=draft.name)
            names.add(draft.name)
        now = self._clock()
        codes = {d.asset_code for d in drafts}
        assets = dict(
            session.execute(select(Asset.code, Asset.id).where(Asset.code.in_(codes))).all()
        )
        for row, draft in enumerate(drafts, start=2):
            if draft.asset_code not in assets:
                problems[f"row {row} asset"] = Phrase(
                    "no asset {asset_code}", asset_code=draft.asset_code
                )
        if problems:
            raise ValidationFailed(problems)
        existing = {
            t.name: t for t in session.execute(select(Tag).where(Tag.name.in_(names))).scalars()
        }
        for draft in drafts:
            tag = existing.get(draft.name) or Tag(name=draft.name, active=True)
            before = None if tag.id is None else _tag_json(tag)
            tag.asset_id = assets[draft.asset_code]
            tag.namespace_uri = draft.namespace_uri.strip()
            tag.node_id = draft.node_id.strip()
            tag.unit = draft.unit
            tag.kind = draft.kind
            tag.sampling_ms = draft.sampling_ms
            session.add(tag)
            session.flush()
            audit.record(session, actor, "map", "plant_tag", tag.name, before, _tag_json(tag), now)
        return len(drafts)

    def import_file(self, actor: Actor, path: Path) -> int:
        """A CSV mapping with the columns of TAG_COLUMNS (the header row names them)."""
        # The role first: a user who may not map tags is told so, not what is wrong with the file.
        require(actor, Action.MANAGE_TAGS)
        return self.import_tags(actor, read_mapping_csv(path.read_text(encoding="utf-8-sig")))

    def tags(self, active_only: bool = True) -> list[TagView]:
        with self._db.unit_of_work(write=False) as session:
            query = select(Tag, Asset.code).join(Asset, Asset.id == Tag.asset_id).order_by(Tag.id)
            if active_only:
                query = query.where(Tag.active.is_(True))
            return [
                TagView(
                    t.id,
                    t.name,
                    code,
                    t.namespace_uri,
                    t.node_id,
                    t.unit,
                    t.kind,
                    t.active,
                    t.sampling_ms,
                )
                for t, code in session.execute(query)
            ]

    def set_sampling(self, actor: Actor, tag_name: str, sampling_ms: int | None) -> TagView:
        """Give one tag its own sampling interval (None: back to its class's default); the
        client asks for it at its next connection."""
        require(actor, Action.MANAGE_TAGS)
        problem = sampling_problem(sampling_ms)
        if problem:
            raise ValidationFailed({SAMPLING_COLUMN: problem})
        with self._db.unit_of_work() as session:
            tag = session.execute(select(Tag).where(Tag.name == tag_name)).scalar_one_or_none()
            if tag is None:
                raise NotFound(Phrase("no tag {tag_name}", tag_name=tag_name))
            before = {"sampling_ms": tag.sampling_ms}
            tag.sampling_ms = sampling_ms
            after = {"sampling_ms": sampling_ms}
            audit.record(
                session, actor, "set sampling", "plant_tag", tag_name, before, after, self._clock()
            )
        return next(t for t in self.tags(active_only=False) if t.name == tag_name)

    def add_rule(self, actor: Actor, draft: RuleDraft) -> RuleView:
        require(actor, Action.MANAGE_TAGS)
        problems = draft.spec.problems()
        if not draft.name.strip():
            problems["name"] = "required"
        if draft.verify_minutes < 0:
            problems["verify_minutes"] = "must be zero (no check) or more minutes"
        now = self._clock()
        with self._db.unit_of_work() as session:
            tag = session.execute(
                select(Tag).where(Tag.name == draft.tag_name)
            ).scalar_one_or_none()
            if tag is None:
                problems["tag"] = Phrase("no tag {tag_name}", tag_name=draft.tag_name)
            clash = session.execute(
                select(ConditionRule.id).where(ConditionRule.name == draft.name)
            ).first()
            if clash:
                problems["name"] = Phrase("a rule named {name} exists", name=draft.name)
            if problems:
                raise ValidationFailed(problems)
            assert tag is not None
            spec = draft.spec
            rule = ConditionRule(
                name=draft.name.strip(),
                tag_id=tag.id,
                kind=spec.kind,
                direction=spec.direction,
                limit=spec.limit,
                hysteresis=spec.hysteresis,
                on_delay_s=spec.on_delay_s,
                window_s=spec.window_s,
                horizon_s=spec.horizon_s,
                priority=int(draft.priority),
                enabled=draft.enabled,
                verify_minutes=draft.verify_minutes,
            )
            session.add(rule)
            session.flush()
            after = {"tag": tag.name, "priority": rule.priority, "enabled": rule.enabled}
            after["verify_minutes"] = rule.verify_minutes
            after |= {k: str(v) for k, v in asdict(spec).items()}
            audit.record(session, actor, "create", "condition_rule", rule.name, None, after, now)
        return self.rule(rule.id)

    def set_rule_enabled(self, actor: Actor, rule_id: int, enabled: bool) -> None:
        require(actor, Action.MANAGE_TAGS)
        with self._db.unit_of_work() as session:
            rule = session.get(ConditionRule, rule_id)
            if rule is None:
                raise NotFound(Phrase("no rule {rule_id}", rule_id=rule_id))
            before = {"enabled": rule.enabled}
            rule.enabled = enabled
            audit.record(
                session,
                actor,
                "enable" if enabled else "disable",
                "condition_rule",
                rule.name,
                before,
                {"enabled": enabled},
                self._clock(),
            )

    def update_rule(self, actor: Actor, rule_id: int, revision: int, draft: RuleDraft) -> RuleView:
        """Save a rule's parameters, priority and verify minutes; name and tag stay. A stale
        form (somebody changed the rule since it was loaded) is refused."""
        require(actor, Action.MANAGE_TAGS)
        problems = draft.spec.problems()
        if draft.verify_minutes < 0:
            problems["verify_minutes"] = "must be zero (no check) or more minutes"
        if problems:
            raise ValidationFailed(problems)
        with self._db.unit_of_work() as session:
            rule = session.get(ConditionRule, rule_id, with_for_update=True)
            if rule is None:
                raise NotFound(Phrase("no rule {rule_id}", rule_id=rule_id))
            revisions.check(session, "condition_rule", rule.name, revision, rule.name)
            before = _rule_snapshot(rule)
            spec = draft.spec
            rule.kind = spec.kind
            rule.direction = spec.direction
            rule.limit = spec.limit
            rule.hysteresis = spec.hysteresis
            rule.on_delay_s = spec.on_delay_s
            rule.window_s = spec.window_s
            rule.horizon_s = spec.horizon_s
            rule.priority = int(draft.priority)
            rule.verify_minutes = draft.verify_minutes
            after = _rule_snapshot(rule)
            now = self._clock()
            audit.record(session, actor, "update", "condition_rule", rule.name, before, after, now)
        return self.rule(rule_id)

    def rule_revisions(self) -> dict[str, int]:
        """Each rule's revision by name, for the rule form's stale-save check."""
        with self._db.unit_of_work(write=False) as session:
            names = session.execute(select(ConditionRule.name)).scalars().all()
            return revisions.revisions(session, "condition_rule", names)

    def set_rule_verify_minutes(self, actor: Actor, rule_id: int, minutes: int) -> None:
        """How long the rule's signal must stay in band after a repair (0: no check)."""
        require(actor, Action.MANAGE_TAGS)
        if minutes < 0:
            raise ValidationFailed({"verify_minutes": "must be zero (no check) or more minutes"})
        with self._db.unit_of_work() as session:
            rule = session.get(ConditionRule, rule_id)
            if rule is None:
                raise NotFound(Phrase("no rule {rule_id}", rule_id=rule_id))
            before = {"verify_minutes": rule.verify_minutes}
            rule.verify_minutes = minutes
            after = {"verify_minutes": minutes}
            now = self._clock()
            audit.record(session, actor, "update", "condition_rule", rule.name, before, after, now)

    def rules(self, enabled_only: bool = False) -> list[RuleView]:
        with self._db.unit_of_work(write=False) as session:
            query = (
                select(ConditionRule, Tag, Asset.code)
                .join(Tag, Tag.id == ConditionRule.tag_id)
                .join(Asset, Asset.id == Tag.asset_id)
                .order_by(ConditionRule.id)
            )
            if enabled_only:
                query = query.where(ConditionRule.enabled.is_(True))
            return [
                RuleView(
                    r.id,
                    r.name,
                    t.id,
                    t.name,
                    code,
                    t.unit,
                    _spec(r),
                    Priority(r.priority),
                    r.enabled,
                    r.verify_minutes,
                )
                for r, t, code in session.execute(query)
            ]

    def rule(self, rule_id: int) -> RuleView:
        for view in self.rules():
            if view.id == rule_id:
                return view
        raise NotFound(Phrase("no rule {rule_id}", rule_id=rule_id))


def read_mapping_csv(text: str) -> list[TagDraft]:
    """Rows of a mapping CSV; a missing column or an unknown kind is named, with its row."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in TAG_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationFailed(
            {"header": Phrase("missing column(s) {missing}", missing=", ".join(missing))}
        )
    drafts: list[TagDraft] = []
    problems: dict[str, str] = {}
    kinds = {k.value for k in DataKind}
    for row, line in enumerate(reader, start=2):
        kind = (line["kind"] or "analog").strip()
        if kind not in kinds:
            problems[f"row {row} kind"] = Phrase("one of {kinds}", kinds=", ".join(sorted(kinds)))
            continue
        sampling = (line.get(SAMPLING_COLUMN) or "").strip()
        if sampling and not sampling.isdigit():
            problems[f"row {row} {SAMPLING_COLUMN}"] = (
                "a whole number of milliseconds, or empty for the tag class's default"
            )
            continue
        drafts.append(
            TagDraft(
                line["name"].strip(),
                line["asset"].strip(),
                line["namespace_uri"].strip(),
                line["node_id"].strip(),
                (line["unit"] or "").strip(),
                DataKind(kind),
                int(sampling) if sampling else None,
            )
        )
    if problems:
        raise ValidationFailed(problems)
    return drafts


def write_mapping_csv(drafts: list[TagDraft]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*TAG_COLUMNS, SAMPLING_COLUMN))
    for d in drafts:
        sampling = "" if d.sampling_ms is None else str(d.sampling_ms)
        writer.writerow(
            (d.name, d.asset_code, d.namespace_uri, d.node_id, d.unit, d.kind.value, sampling)
        )
    return out.getvalue()


def _tag_json(tag: Tag) -> dict[str, object]:
    return {
        "asset_id": tag.asset_id,
        "namespace_uri": tag.namespace_uri,
        "node_id": tag.node_id,
        "unit": tag.unit,
        "kind": tag.kind.value,
        "sampling_ms": tag.sampling_ms,
    }
