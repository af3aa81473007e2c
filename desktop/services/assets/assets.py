"""The site and its asset hierarchy."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from desktop.domain.enums import AssetLevel, AssetStatus, Criticality, Status
from desktop.domain.errors import NotFound, PermissionDenied, ValidationFailed
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Listing, Phrase
from desktop.domain.scanning import ScanKind
from desktop.domain.scanning import clean as clean_scan
from desktop.domain.scanning import parse as parse_scan
from desktop.services.shared import audit, revisions
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.models import Asset, Site, User, WorkOrder
from desktop.store.pm_models import PMSchedule

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from sqlalchemy import Row
    from sqlalchemy.orm import Session

    from desktop.store.database import Database

# A child sits exactly one ISO 14224 level below its parent; areas hang off the site.
_LEVEL_ORDER = list(AssetLevel)
# What scanners put around a code that asset codes themselves do not end or start with.
_SCANNER_PUNCTUATION = "#*~$%&!;,.|"


@dataclass(frozen=True)
class AssetRecord:
    id: int
    code: str
    name: str
    parent_code: str | None
    level: AssetLevel
    asset_class: str
    criticality: Criticality
    status: AssetStatus
    maker: str | None
    model: str | None
    serial: str | None
    location: str | None
    install_date: date | None
    replacement_value: float


@dataclass(frozen=True)
class NewAsset:
    code: str
    name: str
    level: AssetLevel
    asset_class: str
    criticality: Criticality
    parent_code: str | None = None
    status: AssetStatus = AssetStatus.IN_SERVICE
    maker: str | None = None
    model: str | None = None
    serial: str | None = None
    location: str | None = None
    install_date: date | None = None
    replacement_value: float = 0.0


@dataclass(frozen=True)
class AssetChanges:
    """What the asset form may change; the code stays (labels and sheets print it), the place
    in the hierarchy changes with `move`, retiring with `retire`."""

    name: str
    level: AssetLevel
    asset_class: str
    criticality: Criticality
    status: AssetStatus
    maker: str | None = None
    model: str | None = None
    serial: str | None = None
    location: str | None = None
    install_date: date | None = None
    replacement_value: float = 0.0


@dataclass(frozen=True)
class RetireResult:
    """What retiring an asset did: the assets decommissioned, the PM schedules paused."""

    retired: tuple[str, ...]
    paused_schedules: tuple[str, ...]


def asset_problems(new: NewAsset, parent_level: AssetLevel | None) -> dict[str, str]:
    """Field problems of a new asset given its parent's level (None: no parent)."""
    problems: dict[str, str] = {}
    if not new.code.strip() or len(new.code) > 64 or any(c.isspace() for c in new.code):
        problems["code"] = "1-64 characters without spaces"
    if not new.name.strip():
        problems["name"] = "required"
    if not new.asset_class.strip():
        problems["asset_class"] = "required (e.g. pump, motor, conveyor)"
    if not math.isfinite(new.replacement_value):
        problems["replacement_value"] = "must be a number"
    elif new.replacement_value < 0:
        problems["replacement_value"] = "must not be negative"
    if new.parent_code is None:
        if new.level is not AssetLevel.AREA:
            problems["parent"] = Phrase("{level} needs a parent asset", level=_a(new.level))
    elif parent_level is None:
        problems["parent"] = Phrase("no asset {parent_code}", parent_code=new.parent_code)
    elif _LEVEL_ORDER.index(new.level) <= _LEVEL_ORDER.index(parent_level):
        problems["level"] = Phrase(
            "{level} cannot sit under {parent_level}",
            level=_a(new.level),
            parent_level=_a(parent_level),
        )
    return problems


def _a(level: AssetLevel) -> Phrase:
    """The level with its article: "an equipment", "a system"."""
    if level.value[0] in "aeiou":
        return Phrase("an {level}", level=level)
    return Phrase("a {level}", level=level)


def to_record(asset: Asset, parent_code: str | None) -> AssetRecord:
    return AssetRecord(
        asset.id,
        asset.code,
        asset.name,
        parent_code,
        asset.level,
        asset.asset_class,
        asset.criticality,
        asset.status,
        asset.maker,
        asset.model,
        asset.serial,
        asset.location,
        asset.install_date,
        asset.replacement_value,
    )


class AssetService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    def ensure_site(self, actor: Actor | None, code: str, name: str, timezone: str) -> int:
        """The site's id, creating it on first use (a database holds one site).

        Without an actor only the set-up of a new database may call it, before any user exists.
        """
        if actor is not None:
            require(actor, Action.MANAGE_ASSETS)
        with self._db.unit_of_work() as session:
            if actor is None and session.execute(select(User.id).limit(1)).first():
                raise PermissionDenied("the site is set up by an admin once users exist")
            site = session.execute(select(Site)).scalars().first()
            if site is not None:
                return site.id
            site = Site(code=code, name=name, timezone=timezone)
            session.add(site)
            session.flush()
            after = {"code": code, "name": name, "timezone": timezone}
            audit.record(session, actor, "create", "site", site.id, None, after, self._clock())
            return site.id

    def create(self, actor: Actor, new: NewAsset) -> AssetRecord:
        require(actor, Action.MANAGE_ASSETS)
        with self._db.unit_of_work() as session:
            return self.insert(session, actor, new)

    def insert(self, session: Session, actor: Actor | None, new: NewAsset) -> AssetRecord:
        """Validate and add one asset in the caller's unit of work (imports add many)."""
        parent = None
        if new.parent_code is not None:
            parent = session.execute(
                select(Asset).where(Asset.code == new.parent_code)
            ).scalar_one_or_none()
        problems = asset_problems(new, parent.level if parent else None)
        if (
            "code" not in problems
            and session.execute(select(Asset.id).where(Asset.code == new.code)).first()
        ):
            problems["code"] = Phrase("{code} exists already", code=new.code)
        site = session.execute(select(Site)).scalars().first()
        if site is None:
            problems["site"] = "no site yet: run `init` first"
        if problems:
            raise ValidationFailed(problems)
        assert site is not None
        fields = asdict(new)
        del fields["parent_code"]
        asset = Asset(site_id=site.id, parent_id=parent.id if parent else None, **fields)
        session.add(asset)
        session.flush()
        record = to_record(asset, new.parent_code)
        audit.record(
            session, actor, "create", "asset", asset.code, None, asdict(record), self._clock()
        )
        return record

    def revisions(self) -> dict[str, int]:
        """Each asset's revision (its newest audit entry), for the asset form's stale check."""
        with self._db.unit_of_work(write=False) as session:
            codes = session.execute(select(Asset.code)).scalars().all()
            return revisions.revisions(session, "asset", codes)

    def update(self, actor: Actor, code: str, revision: int, changes: AssetChanges) -> AssetRecord:
        """Save the asset form; refused when somebody saved the asset since it was loaded."""
        require(actor, Action.MANAGE_ASSETS)
        with self._db.unit_of_work() as session:
            asset = self._locked(session, code)
            revisions.check(session, "asset", asset.code, revision, asset.code)
            retiring = changes.status is AssetStatus.DECOMMISSIONED
            if retiring and asset.status is not AssetStatus.DECOMMISSIONED:
                raise ValidationFailed({"status": "use Retire: it checks the open work first"})
            parent_code = asset.parent.code if asset.parent else None
            draft = NewAsset(
                asset.code,
                changes.name,
                changes.level,
                changes.asset_class,
                changes.criticality,
                parent_code,
                replacement_value=changes.replacement_value,
            )
            problems = asset_problems(draft, asset.parent.level if asset.parent else None)
            problems |= _child_level_problems(session, asset, changes.level)
            problems |= _text_problems(changes)
            if problems:
                raise ValidationFailed(problems)
            before = asdict(to_record(asset, parent_code))
            for name, value in asdict(changes).items():
                setattr(asset, name, value.strip() if isinstance(value, str) else value)
            asset.name = changes.name.strip()
            record = to_record(asset, parent_code)
            audit.record(
                session, actor, "update", "asset", asset.code, before, asdict(record), self._clock()
            )
            return record

    def move(self, actor: Actor, code: str, revision: int, parent_code: str | None) -> AssetRecord:
        """Hang the asset (with everything below it) under another parent in the hierarchy."""
        require(actor, Action.MANAGE_ASSETS)
        with self._db.unit_of_work() as session:
            asset = self._locked(session, code)
            revisions.check(session, "asset", asset.code, revision, asset.code)
            parent = None
            if parent_code:
                parent = session.execute(
                    select(Asset).where(Asset.code == parent_code)
                ).scalar_one_or_none()
                if parent is None:
                    raise ValidationFailed(
                        {"parent": Phrase("no asset {parent_code}", parent_code=parent_code)}
                    )
                if parent.id in subtree_ids(session, asset.code):
                    raise ValidationFailed(
                        {
                            "parent": Phrase(
                                "{parent_code} is {asset_code} itself or below it",
                                parent_code=parent.code,
                                asset_code=asset.code,
                            )
                        }
                    )
            draft = NewAsset(
                asset.code,
                asset.name,
                asset.level,
                asset.asset_class,
                asset.criticality,
                parent.code if parent else None,
            )
            problems = asset_problems(draft, parent.level if parent else None)
            if problems:
                raise ValidationFailed(
                    {"parent": problems.get("level") or problems.get("parent") or ""}
                )
            old_parent = asset.parent.code if asset.parent else None
            if old_parent == (parent.code if parent else None):
                return to_record(asset, old_parent)
            asset.parent_id = parent.id if parent else None
            record = to_record(asset, parent.code if parent else None)
            audit.record(
                session,
                actor,
                "move",
                "asset",
                asset.code,
                {"parent": old_parent},
                {"parent": record.parent_code},
                self._clock(),
            )
            return record

    def open_work(self, code: str) -> list[str]:
        """Open work orders on the asset and everything below it (what stops retiring it)."""
        with self._db.unit_of_work(write=False) as session:
            return _open_work(session, subtree_ids(session, code))

    def retire(self, actor: Actor, code: str, revision: int, reason: str) -> RetireResult:
        """Decommission the asset and everything below it, and pause their PM schedules.

        Refused, naming every order, while work is open anywhere in the subtree: the orders are
        finished or cancelled first, so nothing is left hanging on a machine that is gone.
        """
        require(actor, Action.MANAGE_ASSETS)
        if not reason.strip():
            raise ValidationFailed({"reason": "say why (sold, scrapped, replaced by ...)"})
        with self._db.unit_of_work() as session:
            asset = self._locked(session, code)
            revisions.check(session, "asset", asset.code, revision, asset.code)
            ids = subtree_ids(session, asset.code)
            still_open = _open_work(session, ids)
            if still_open:
                raise ValidationFailed(
                    {
                        "reason": Phrase(
                            "finish or cancel its open work first: {orders}",
                            orders=Listing(tuple(still_open)),
                        )
                    }
                )
            now = self._clock()
            retired: list[str] = []
            assets = session.execute(select(Asset).where(Asset.id.in_(ids))).scalars().all()
            for each in sorted(assets, key=lambda a: a.code):
                if each.status is AssetStatus.DECOMMISSIONED:
                    continue
                before = {"status": each.status.value}
                each.status = AssetStatus.DECOMMISSIONED
                retired.append(each.code)
                after = {"status": each.status.value, "reason": reason.strip()}
                audit.record(session, actor, "retire", "asset", each.code, before, after, now)
            paused = []
            schedules = session.execute(
                select(PMSchedule).where(PMSchedule.asset_id.in_(ids), PMSchedule.active.is_(True))
            ).scalars()
            for schedule in sorted(schedules, key=lambda s: s.code):
                schedule.active = False
                schedule.updated_at = now
                schedule.updated_by_id = actor.user_id
                paused.append(schedule.code)
                audit.record(
                    session,
                    actor,
                    "pause",
                    "pm_schedule",
                    schedule.code,
                    {"active": True},
                    {"active": False, "reason": f"{asset.code} retired"},
                    now,
                )
            return RetireResult(tuple(retired), tuple(paused))

    @staticmethod
    def _locked(session: Session, code: str) -> Asset:
        asset = session.execute(
            select(Asset).where(Asset.code == code).with_for_update()
        ).scalar_one_or_none()
        if asset is None:
            raise NotFound(Phrase("no asset {code}", code=code))
        return asset

    def find_code(self, text: str) -> AssetRecord:
        """The asset a scanned label (`wrenchbook:asset:CODE`) or a typed code names.

        Case does not matter; a scanner's suffix such as `#` after the code is tolerated.
        """
        scan = parse_scan(text)
        code = scan.value if scan.kind is ScanKind.ASSET else clean_scan(text)
        candidates = dict.fromkeys(c.upper() for c in (code, code.strip(_SCANNER_PUNCTUATION)) if c)
        with self._db.unit_of_work(write=False) as session:
            for candidate in candidates:
                asset = session.execute(
                    select(Asset).where(func.upper(Asset.code) == candidate)
                ).scalar_one_or_none()
                if asset is not None:
                    return to_record(asset, asset.parent.code if asset.parent else None)
        raise NotFound(Phrase("no asset {code}", code=code))

    def list(self) -> list[AssetRecord]:
        """Every asset, parents before children, ordered by code."""
        with self._db.unit_of_work(write=False) as session:
            codes = dict(session.execute(select(Asset.id, Asset.code)).all())
            assets = session.execute(select(Asset).order_by(Asset.code)).scalars().all()
            return [to_record(a, codes.get(a.parent_id) if a.parent_id else None) for a in assets]

    def subtree_ids(self, code: str) -> list[int]:
        """Ids of the asset `code` and everything below it."""
        with self._db.unit_of_work(write=False) as session:
            return subtree_ids(session, code)

    def subtrees(self) -> dict[str, tuple[int, ...]]:
        with self._db.unit_of_work(write=False) as session:
            return all_subtrees(session)


def _open_work(session: Session, asset_ids: Sequence[int]) -> list[str]:
    open_statuses = [status for status in Status if status.is_open]
    return list(
        session.execute(
            select(WorkOrder.number)
            .where(WorkOrder.asset_id.in_(asset_ids), WorkOrder.status.in_(open_statuses))
            .order_by(WorkOrder.number)
        ).scalars()
    )


def _child_level_problems(session: Session, asset: Asset, level: AssetLevel) -> dict[str, str]:
    """A new level must stay above every child's level."""
    children = session.execute(select(Asset.level).where(Asset.parent_id == asset.id)).scalars()
    lowest = min((_LEVEL_ORDER.index(child) for child in children), default=len(_LEVEL_ORDER))
    if _LEVEL_ORDER.index(level) >= lowest:
        below = _LEVEL_ORDER[lowest].value
        return {
            "level": Phrase(
                "its sub-assets include a {below}; it must stay above that level", below=below
            )
        }
    return {}


def _text_problems(changes: AssetChanges) -> dict[str, str]:
    problems = {}
    for name in ("maker", "model", "serial"):
        value = getattr(changes, name)
        if value is not None and len(value) > 120:
            problems[name] = "at most 120 characters"
    if changes.location is not None and len(changes.location) > 200:
        problems["location"] = "at most 200 characters"
    if len(changes.name) > 200:
        problems["name"] = "at most 200 characters"
    return problems


def subtree_ids(session: Session, code: str) -> list[int]:
    links = session.execute(select(Asset.id, Asset.parent_id, Asset.code)).all()
    root = next((row.id for row in links if row.code == code), None)
    if root is None:
        raise NotFound(Phrase("no asset {code}", code=code))
    return _walk(_children(links), root)


def all_subtrees(session: Session) -> dict[str, tuple[int, ...]]:
    """Every asset's code → its own id and all ids below it (the filter pickers' choices)."""
    links = session.execute(select(Asset.id, Asset.parent_id, Asset.code)).all()
    children = _children(links)
    return {row.code: tuple(_walk(children, row.id)) for row in links}


def _children(links: Sequence[Row[tuple[int, int | None, str]]]) -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for row in links:
        if row.parent_id is not None:
            children.setdefault(row.parent_id, []).append(row.id)
    return children


def _walk(children: dict[int, list[int]], root: int) -> list[int]:
    found, stack = [], [root]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, ()))
    return found
