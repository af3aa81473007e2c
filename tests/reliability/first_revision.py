"""A database at the first schema revision (0001), full of what the first release recorded.

The rows go in through SQL on the tables revision 0001 created, with the keys and sequences
a running install would have left behind, and an audit chain hashed as that release did.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from alembic import command
from sqlalchemy import Column, MetaData, String, Table, inspect

from desktop.services.admin.users import hash_password
from desktop.services.shared.audit import GENESIS_HASH, canonical_json, entry_hash
from desktop.store.copying import reset_sequences
from desktop.store.database import Database
from desktop.store.migrate import _config
from desktop.store.models import Base

PASSWORD = "first-release-1"
FIRST_TABLES = (
    "audit_head",
    "audit_log",
    "checklist_templates",
    "number_counters",
    "sites",
    "users",
    "assets",
    "checklist_template_items",
    "work_orders",
    "attachments",
    "downtime_periods",
    "labour_entries",
    "status_changes",
    "work_order_addenda",
    "work_order_assignees",
    "work_order_checklist_items",
)
START = datetime(2024, 1, 8, 6, 30, 0, 123456, tzinfo=UTC)
CLOSED_FLOW = ("requested", "approved", "scheduled", "in_progress", "completed", "closed")


# Columns later revisions added to the first release's tables.
ADDED_SINCE = {
    "users": {"pin_hash", "failed_logins", "locked_until", "email", "digest", "deactivated_at"},
    "downtime_periods": {"stop_reason", "coded_by_id", "coded_at"},
}
RENAMED_SINCE = {"work_orders": {"origin": "source"}}
"""Columns renamed since 0001: the newest name and the one 0001 gave it (plain text there)."""


def first_tables(*, renamed: bool = False) -> list[Table]:
    """The tables of revision 0001 with their 0001 columns, in insert order; `renamed` names
    the renamed columns as the newest schema does, to read an upgraded database."""
    shape = MetaData()
    return [
        Table(
            table.name,
            shape,
            *(
                _first_column(table.name, column, renamed)
                for column in table.columns
                if column.name not in ADDED_SINCE.get(table.name, ())
            ),
        )
        for table in Base.metadata.sorted_tables
        if table.name in FIRST_TABLES
    ]


def _first_column(table: str, column: Column[Any], renamed: bool) -> Column[Any]:
    old = RENAMED_SINCE.get(table, {}).get(column.name)
    if old is None:
        return Column(column.name, column.type, primary_key=column.primary_key)
    return Column(column.name if renamed else old, String(32))


def as_upgraded(rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """A first-release fingerprint as the newest schema holds it: 0008 renamed work_orders'
    source to origin, and the hand-raised orders ("manual") are requests now. Compare with a
    fingerprint read through `first_tables(renamed=True)`."""
    names = [c.name for c in next(t for t in first_tables() if t.name == "work_orders").columns]
    at = names.index("source")
    orders = [
        (*row[:at], "request", *row[at + 1 :]) if row[at] == "manual" else row
        for row in rows["work_orders"]
    ]
    return {**rows, "work_orders": orders}


def create_at_first_revision(url: str) -> Database:
    db = Database(url)
    config = _config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    with db.engine.connect() as conn:
        found = inspect(conn)
        for table in first_tables():
            columns = {column["name"] for column in found.get_columns(table.name)}
            assert columns == set(table.columns.keys()), table.name
    return db


class _Rows:
    """Rows per table, ids handed out as the first release's sequences would have."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in FIRST_TABLES}
        self.audit: list[dict[str, Any]] = []

    def add(self, table: str, **values: Any) -> int:
        rows = self.rows[table]
        if "id" not in values and table != "work_order_assignees":
            values["id"] = len(rows) + 1
        rows.append(values)
        return int(values.get("id", 0))

    def audited(
        self,
        at: datetime,
        user: tuple[int, str],
        action: str,
        kind: str,
        key: str,
        before: Any,
        after: Any,
    ) -> None:
        self.audit.append(
            {
                "at": at,
                "user_id": user[0],
                "username": user[1],
                "action": action,
                "entity_type": kind,
                "entity_id": key,
                "before_json": canonical_json(before),
                "after_json": canonical_json(after),
            }
        )


def fill(db: Database, orders: int = 3000, seed: int = 11) -> dict[str, int]:
    """Write a site's worth of history; returns the rows written per table."""
    rng = random.Random(seed)
    rows = _Rows()
    password = hash_password(PASSWORD)
    rows.add("sites", code="OLD", name="Plant of the first release", timezone="Europe/Vienna")
    roles = ["admin", "planner", "planner", "supervisor", "viewer"] + ["technician"] * 20
    people: list[tuple[int, str, str]] = []
    for n, role in enumerate(roles):
        name = "admin" if n == 0 else f"user{n:02d}"
        uid = rows.add(
            "users",
            username=name,
            full_name=f"Person Número {n} Ærø",
            role=role,
            craft="mechanical" if role == "technician" else None,
            hourly_rate=35.0 + n * 0.75 if role == "technician" else 0.0,
            weekly_hours=40.0 if role == "technician" else 0.0,
            password_hash=password,
            active=n != 7,
            created_at=START + timedelta(minutes=n),
        )
        people.append((uid, name, role))
        rows.audited(
            START + timedelta(minutes=n),
            (1, "admin"),
            "create",
            "user",
            name,
            None,
            {"username": name, "role": role},
        )
    techs = [p for p in people if p[2] == "technician"]
    admin = (1, "admin")
    parents: list[int] = []
    equipment: list[int] = []
    for level, count in (("area", 4), ("system", 16), ("equipment", 120), ("component", 200)):
        made = []
        for n in range(count):
            parent = rng.choice(parents) if parents else None
            code = f"{level[:2].upper()}-{n:03d}"
            aid = rows.add(
                "assets",
                site_id=1,
                parent_id=parent,
                code=code,
                name=f"{level} {n} «ß»",
                level=level,
                asset_class=rng.choice(("pump", "motor", "conveyor", "fan")),
                criticality=rng.choice("ABC"),
                status=rng.choice(("in_service", "in_service", "standby", "out_of_service")),
                maker=rng.choice(("KSB", "Grundfos", None)),
                model=None,
                serial=f"S{n:06d}",
                location=f"Hall {n % 3}",
                install_date=date(2015, 1, 1) + timedelta(days=n * 9),
                replacement_value=round(rng.uniform(500, 250_000), 2),
            )
            rows.audited(START, admin, "create", "asset", code, None, {"code": code})
            made.append(aid)
        parents = made
        if level == "equipment":
            equipment = made
    for n in range(5):
        tid = rows.add(
            "checklist_templates",
            code=f"CL-{n}",
            name=f"Checklist {n}",
            asset_class=None,
            safety=n == 0,
            active=True,
        )
        for position in range(1, 5):
            rows.add(
                "checklist_template_items",
                template_id=tid,
                position=position,
                kind=("check", "measurement", "text", "signature")[position - 1],
                text=f"step {position}",
                unit="°C" if position == 2 else None,
                low=10.0 if position == 2 else None,
                high=80.5 if position == 2 else None,
                required=True,
            )
    for n in range(orders):
        _order(rows, rng, n, equipment, techs, people)
    rows.add("number_counters", series="WO-2024", last=orders)
    return _write(db, rows)


def _order(
    rows: _Rows,
    rng: random.Random,
    n: int,
    equipment: list[int],
    techs: list[tuple[int, str, str]],
    people: list[tuple[int, str, str]],
) -> None:
    at = START + timedelta(hours=2.9 * n, microseconds=rng.randrange(1_000_000))
    number = f"WO-2024-{n + 1:06d}"
    kind = rng.choice(("preventive", "corrective", "emergency", "predictive", "inspection"))
    flow = CLOSED_FLOW[: rng.choice((1, 2, 3, 4, 5, 6, 6, 6, 6, 6))]
    cancelled = rng.random() < 0.04
    stamps = {s: at + timedelta(hours=3 * i, minutes=rng.randrange(60)) for i, s in enumerate(flow)}
    requester = rng.choice(people)
    tech = rng.choice(techs)
    down = kind in ("corrective", "emergency") and rng.random() < 0.5
    wo = rows.add(
        "work_orders",
        number=number,
        title=f"Job {n}: {kind} — Lager prüfen",
        description="x" * rng.randrange(0, 400),
        type=kind,
        priority=rng.randint(1, 4),
        status="cancelled" if cancelled else flow[-1],
        source="manual",
        asset_id=rng.choice(equipment),
        requester_id=requester[0],
        requested_at=at,
        approved_at=stamps.get("approved"),
        scheduled_at=stamps.get("scheduled"),
        started_at=stamps.get("in_progress"),
        completed_at=stamps.get("completed"),
        closed_at=stamps.get("closed"),
        cancelled_at=at + timedelta(hours=1) if cancelled else None,
        due_at=at + timedelta(days=7),
        scheduled_start=stamps.get("scheduled"),
        scheduled_end=stamps["scheduled"] + timedelta(hours=4) if "scheduled" in stamps else None,
        estimate_hours=rng.choice((None, 1.5, 2.0, 8.0)),
        asset_down=down,
        is_failure=down,
        failure_impact=None,
        failure_mode="ELP" if "completed" in stamps else None,
        failure_mechanism="1.1" if "completed" in stamps else None,
        failure_cause="3.2" if "completed" in stamps else None,
        detection_method=None,
        activity="2" if "completed" in stamps else None,
        resolution="replaced seal" if "completed" in stamps else "",
        hold_reason=None,
        cancel_reason="duplicate" if cancelled else None,
        version=len(flow) + (1 if cancelled else 0),
        updated_at=at + timedelta(days=1),
        updated_by_id=1,
    )
    user = (requester[0], requester[1])
    rows.audited(at, user, "create", "work_order", number, None, {"number": number})
    previous = None
    for status, when in stamps.items():
        rows.add(
            "status_changes",
            work_order_id=wo,
            from_status=previous,
            to_status=status,
            at=when,
            user_id=1,
            note="",
        )
        if previous:
            rows.audited(
                when,
                (1, "admin"),
                "move",
                "work_order",
                number,
                {"status": previous},
                {"status": status},
            )
        previous = status
    if cancelled:
        rows.add(
            "status_changes",
            work_order_id=wo,
            from_status=previous,
            to_status="cancelled",
            at=at + timedelta(hours=1),
            user_id=1,
            note="duplicate",
        )
    if "scheduled" in stamps:
        rows.add("work_order_assignees", work_order_id=wo, user_id=tech[0], is_lead=True)
    if "in_progress" in stamps:
        for k in range(rng.randint(1, 3)):
            rows.add(
                "labour_entries",
                work_order_id=wo,
                technician_id=tech[0],
                work_date=stamps["in_progress"].date(),
                hours=0.25 * rng.randint(1, 32),
                rate=35.0 + k,
                note="",
                created_at=stamps["in_progress"],
            )
    if down:
        start = at + timedelta(minutes=rng.randrange(30))
        end = stamps.get("completed")
        rows.add(
            "downtime_periods",
            work_order_id=wo,
            asset_id=rows.rows["work_orders"][-1]["asset_id"],
            start=start,
            end=end,
            planned=False,
            reason_code="breakdown",
        )
    if kind in ("preventive", "inspection"):
        done = "completed" in stamps
        for position in range(1, 4):
            rows.add(
                "work_order_checklist_items",
                work_order_id=wo,
                template_code="CL-1",
                position=position,
                kind=("check", "measurement", "text")[position - 1],
                text=f"step {position}",
                unit=None,
                low=None,
                high=None,
                required=True,
                safety=False,
                result="pass" if done else None,
                value=42.5 if done and position == 2 else None,
                text_value="ok" if done and position == 3 else None,
                answered_at=stamps.get("completed"),
                answered_by_id=tech[0] if done else None,
            )
    if n % 7 == 0:
        content = rng.randbytes(rng.randrange(64, 4096))
        rows.add(
            "attachments",
            work_order_id=wo,
            filename=f"photo {n}.jpg",
            mime_type="image/jpeg",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            created_at=at,
            created_by_id=user[0],
        )
    if "closed" in stamps and n % 11 == 0:
        rows.add(
            "work_order_addenda",
            work_order_id=wo,
            at=stamps["closed"],
            user_id=1,
            text="addendum after closing",
        )


def _write(db: Database, rows: _Rows) -> dict[str, int]:
    previous = GENESIS_HASH
    for seq, entry in enumerate(sorted(rows.audit, key=lambda e: e["at"]), start=1):
        entry["seq"], entry["prev_hash"] = seq, previous
        entry["hash"] = previous = entry_hash(
            previous,
            seq=seq,
            at=entry["at"],
            user_id=entry["user_id"],
            username=entry["username"],
            action=entry["action"],
            entity_type=entry["entity_type"],
            entity_id=entry["entity_id"],
            before_json=entry["before_json"],
            after_json=entry["after_json"],
        )
        rows.rows["audit_log"].append(entry)
    tables = first_tables()
    with db.engine.begin() as conn:
        for table in tables:
            if table.name == "audit_head":
                conn.execute(table.update().values(seq=len(rows.audit), hash=previous))
            elif rows.rows[table.name]:
                conn.execute(table.insert(), rows.rows[table.name])
        if conn.dialect.name == "postgresql":
            reset_sequences(conn, tables)
    return {name: len(values) for name, values in rows.rows.items()} | {"audit_head": 1}
