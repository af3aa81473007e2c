"""Build a compliance audit pack PDF for a period, an asset subtree and chosen order types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportlab.platypus import Flowable, PageBreak
from sqlalchemy import select

from desktop.domain.permissions import Action, Actor, require
from desktop.reports.markup import italic, printed_in, text, when, zone_label
from desktop.reports.output import check_writable, written_whole
from desktop.reports.pack_document import Cancelled, Heading, PackDocument, contents
from desktop.reports.pack_figures import pack_figures
from desktop.reports.pack_logs import audit_trail, inspection_log, open_items, register, safety_log
from desktop.reports.pack_record import full_record, record_key, record_label
from desktop.reports.pack_records import PackRecords, load_pack_records
from desktop.reports.pack_summary import cover, summary
from desktop.reports.styles import para, styles
from desktop.reports.wording import ENGLISH, Wording, tr, worded
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.models import User

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from desktop.reports.pack_scope import PackRequest
    from desktop.reports.parts import PartsSource
    from desktop.store.database import Database

__all__ = ["Cancelled", "PackResult", "build_audit_pack"]

# Share of the progress bar for reading the records; laying out the pages takes the rest.
_LOAD_SHARE = 0.3


@dataclass(frozen=True)
class PackResult:
    path: Path
    orders: int
    pages: int
    chain_ok: bool
    final_hash: str
    anchor: str = ""
    """The chain's head as `SEQ:HASH`, for `verify-audit --expect` later."""


def build_audit_pack(
    db: Database,
    actor: Actor,
    request: PackRequest,
    out: Path,
    *,
    parts: PartsSource | None = None,
    clock: Clock = utc_now,
    progress: Callable[[float], None] | None = None,
    wording: Wording = ENGLISH,
) -> PackResult:
    """Write the pack to `out` in `wording`'s language and formats; `progress(fraction)` may
    raise Cancelled to stop it.

    The file appears only when the pack is complete: a cancelled or failed build leaves no
    half-written PDF behind.
    """
    require(actor, Action.READ)
    check_writable(out)
    report = progress or (lambda fraction: None)
    with worded(wording):  # the scope's words ("whole site") are chosen while reading
        records = load_pack_records(
            db,
            request,
            generated_by=_generated_by(db, actor),
            generated_at=clock(),
            parts=parts,
            progress=lambda done, total: report(_LOAD_SHARE * done / max(total, 1)),
        )
    with written_whole(out) as partial, printed_in(records.timezone, wording):
        pages = _write(records, partial, report)
    report(1.0)
    verification = records.verification
    return PackResult(
        out,
        len(records.orders),
        pages,
        verification.ok,
        verification.final_hash,
        str(verification.anchor),
    )


def _generated_by(db: Database, actor: Actor) -> str:
    with db.unit_of_work(write=False) as session:
        name = session.execute(select(User.full_name).where(User.id == actor.user_id)).scalar()
    return f"{name} ({actor.username})" if name else actor.username


def _write(records: PackRecords, path: Path, report: Callable[[float], None]) -> int:
    request = records.request
    figures = pack_figures(records)
    sections: list[tuple[str, str, Callable[[PackRecords, float], list[Flowable]]]] = [
        ("summary", tr("Summary"), lambda r, w: summary(figures, w)),
        ("register", tr("Work-order register"), register),
        ("records", tr("Work-order records"), _records),
        ("inspections", tr("Inspection log"), inspection_log),
        ("safety", tr("Safety checklist log (lock-out/tag-out)"), safety_log),
        ("open", tr("Open and overdue work orders at the end of the period"), open_items),
        ("audit", tr("Audit trail for the period and chain verification"), audit_trail),
    ]
    entries: list[tuple[int, str, str]] = []
    for key, title, _ in sections:
        entries.append((0, text(title), key))
        if key == "records":
            entries += [
                (1, text(record_label(d)), record_key(d.row.number)) for d in records.orders
            ]
    zone = zone_label()
    period = tr("{start} to {end}").format(start=when(request.start), end=when(request.end))
    header = " · ".join((tr("Audit pack"), records.site, f"{period} {zone}"))
    footer = tr("Generated {time} by {name}").format(
        time=f"{when(records.generated_at)} {zone}", name=records.generated_by
    )
    footer += " · Wrenchbook"
    doc = PackDocument(
        str(path),
        header=header,
        footer=footer,
        keys=[key for _, _, key in entries],
        progress=lambda done, total: report(_LOAD_SHARE + (1 - _LOAD_SHARE) * done / total),
    )
    body: list[Flowable] = [para(text(tr("Contents")), "h1"), *contents(entries, doc.width)]
    for key, title, build in sections:
        body.append(PageBreak())
        body.append(Heading(text(title), styles()["h1"], key, 0, title))
        body += build(records, doc.width)
    doc.build_story(cover(records, figures, doc.width), body)
    return int(doc.page)


def _records(records: PackRecords, width: float) -> list[Flowable]:
    if not records.orders:
        return [para(italic(tr("No work orders in this period and scope.")), "body")]
    story: list[Flowable] = []
    for detail in records.orders:
        story += full_record(records, detail, width)
    return story
