"""The site and its asset hierarchy."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from desktop.domain.enums import AssetLevel, AssetStatus, Criticality
from desktop.domain.errors import NotFound, PermissionDenied, ValidationFailed
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.scan import ScanKind
from desktop.domain.scan import clean as clean_scan
from desktop.domain.scan import parse as parse_scan
from desktop.services import audit
from desktop.services.clock import Clock, utc_now
from desktop.store.models import Asset, Site, User

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
            problems["parent"] = f"a {new.level.value} needs a parent asset"
    elif parent_level is None:
        problems["parent"] = f"no asset {new.parent_code}"
    elif _LEVEL_ORDER.index(new.level) <= _LEVEL_ORDER.index(parent_level):
        article = "an" if parent_level.value[0] in "aeiou" else "a"
        problems["level"] = f"a {new.level.value} cannot sit under {article} {parent_level.value}"
    return problems


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
            problems["code"] = f"{new.code} exists already"
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
        raise NotFound(f"no asset {code}")

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


def subtree_ids(session: Session, code: str) -> list[int]:
    links = session.execute(select(Asset.id, Asset.parent_id, Asset.code)).all()
    root = next((row.id for row in links if row.code == code), None)
    if root is None:
        raise NotFound(f"no asset {code}")
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
