"""The audit pack's lists: register, inspection log, safety log, open items, audit trail."""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from desktop.domain.enums import CheckResult, WorkOrderType
from desktop.reports.markup import bold, fixed, number, text, when, zone_label, zoned
from desktop.reports.pack_record import answer
from desktop.reports.styles import RULE, chunked_tables, para
from desktop.reports.wording import result_word, tr, word

if TYPE_CHECKING:
    from desktop.reports.pack_records import PackRecords
    from desktop.services.orders.lockout import IsolationView
    from desktop.services.orders.work_order_records import ChecklistItemView, WorkOrderDetail


def _none(message: str) -> list[Flowable]:
    return [para(f"<i>{text(message)}</i>", "body")]


def register(records: PackRecords, width: float) -> list[Flowable]:
    if not records.orders:
        return _none(tr("No work orders in this period and scope."))
    rows: list[list[object]] = [
        [
            d.row.number,
            word(d.row.type.value),
            str(int(d.row.priority)),
            word(d.row.status.value),
            para(text(d.row.asset_code), "list"),
            para(text(d.row.title), "list"),
            when(d.row.requested_at),
            when(d.row.completed_at),
            number(round(d.labour_hours, 2)),
        ]
        for d in records.orders
    ]
    return list(
        chunked_tables(
            [
                tr("Number"),
                tr("Type"),
                tr("P", "priority, one letter"),
                tr("Status"),
                tr("Asset"),
                tr("Title"),
                zoned(tr("Requested")),
                zoned(tr("Completed")),
                tr("Hours", "short column heading"),
            ],
            rows,
            [
                24 * mm,
                16 * mm,
                4 * mm,
                16 * mm,
                30 * mm,
                width - 146 * mm,
                23 * mm,
                23 * mm,
                10 * mm,
            ],
        )
    )


def _inspector(detail: WorkOrderDetail) -> str:
    lead = next((a for a in detail.assignees if a.is_lead), None)
    return lead.username if lead else (detail.assignees[0].username if detail.assignees else "")


def inspection_log(records: PackRecords, width: float) -> list[Flowable]:
    inspections = [d for d in records.orders if d.row.type is WorkOrderType.INSPECTION]
    if not inspections:
        return _none(tr("No inspection work orders in this period and scope."))
    rows: list[list[object]] = []
    for d in inspections:
        results = [item.result for item in d.checklist if not item.safety]
        failed = [
            f"{item.position} {item.text}"
            for item in d.checklist
            if item.result is CheckResult.FAIL
        ]
        rows.append(
            [
                d.row.number,
                para(text(d.row.asset_code), "list"),
                when(d.row.completed_at) or word(d.row.status.value),
                str(results.count(CheckResult.PASS)),
                str(results.count(CheckResult.FAIL)),
                str(results.count(CheckResult.NOT_APPLICABLE)),
                str(sum(1 for item in d.checklist if not item.safety and not item.answered)),
                para(text("; ".join(failed)), "list") if failed else "",
                _inspector(d),
            ]
        )
    return list(
        chunked_tables(
            [
                tr("Number"),
                tr("Asset"),
                tr("Completed"),
                tr("Pass"),
                tr("Fail"),
                tr("N/A"),
                tr("Not answered"),
                tr("Failed items"),
                tr("By"),
            ],
            rows,
            # Room for the German "n. i. O." and "Entfällt" over the four counts.
            [24 * mm, 30 * mm, 23 * mm, *[13 * mm] * 4, width - 151 * mm, 22 * mm],
        )
    )


def alarm_acknowledgement(step: IsolationView) -> str:
    """Who acknowledged a lock-out safety alarm, how and when (site time), or that nobody did."""
    if step.acknowledged_at is None:
        return tr("not acknowledged")
    return tr("acknowledged by {name} ({means}) {time}").format(
        name=step.acknowledged_by, means=step.acknowledged_with, time=when(step.acknowledged_at)
    )


def isolation_progress(step: IsolationView) -> str:
    """One isolation step as an auditor reads it: lock, verification with the reading, release."""
    if step.applied_at is None:
        return tr("NOT LOCKED")
    parts = [tr("lock {lock}").format(lock=step.lock_number)]
    if step.verified_at is not None:
        reading = (
            ", " + tr("read {value}").format(value=number(step.verified_reading))
            if step.verified_reading is not None
            else ""
        )
        verified = tr("zero energy verified by {name} {time}").format(
            name=step.verified_by, time=when(step.verified_at)
        )
        parts.append(verified + reading)
    else:
        parts.append(tr("NOT VERIFIED"))
    if step.removed_at is not None:
        parts.append(
            tr("removed by {name} {time}").format(name=step.removed_by, time=when(step.removed_at))
        )
    else:
        parts.append(tr("STILL LOCKED"))
    if step.reenergised_at is not None and step.reenergised_reading is not None:
        alarm = tr("SAFETY ALARM: {tag} read {value} at {time} while locked out").format(
            tag=step.tag_name,
            value=number(step.reenergised_reading),
            time=when(step.reenergised_at),
        )
        parts.append(f"{alarm}, {alarm_acknowledgement(step)}")
    return "; ".join(parts)


def _safety_answer(item: ChecklistItemView) -> str:
    """What was entered: a sign-off's name or a reading counts as an answer, not only a
    pass/fail (the log printed every answered sign-off as UNANSWERED, issue 16)."""
    if not item.answered:
        return tr("UNANSWERED")
    entered = answer(item)
    if item.result is not None:
        return f"{result_word(item.result.value)} {entered}".strip()
    return entered or tr("DONE")


def safety_log(records: PackRecords, width: float) -> list[Flowable]:
    rows: list[list[object]] = []
    for d in records.orders:
        for item in d.checklist:
            if not item.safety:
                continue
            by = records.answered_by.get((d.row.number, item.position), "")
            result = _safety_answer(item)
            rows.append(
                [
                    d.row.number,
                    para(text(d.row.asset_code), "list"),
                    para(text(item.text), "list"),
                    para(text(result), "list"),
                    when(item.answered_at),
                    by,
                ]
            )
        for step in records.isolations.get(d.row.number, []):
            rows.append(
                [
                    d.row.number,
                    para(text(d.row.asset_code), "list"),
                    para(
                        text(
                            tr("Isolation {position}: {source} — {device} at {point}").format(
                                position=step.position,
                                source=step.energy_source,
                                device=step.device,
                                point=step.lock_point,
                            )
                        ),
                        "list",
                    ),
                    para(text(isolation_progress(step)), "list"),
                    when(step.applied_at),
                    step.applied_by or "",
                ]
            )
    if not rows:
        return _none(tr("No lock-out/tag-out checklists on the work orders of this pack."))
    return list(
        chunked_tables(
            [
                tr("Number"),
                tr("Asset"),
                tr("Safety item"),
                tr("Result"),
                zoned(tr("Answered")),
                tr("By"),
            ],
            rows,
            # The result carries a lock's whole story (lock, verification, release): room for it.
            [23 * mm, 20 * mm, width - 135 * mm, 48 * mm, 23 * mm, 21 * mm],
        )
    )


def open_items(records: PackRecords, width: float) -> list[Flowable]:
    end = records.request.end
    if not records.open_at_end:
        return _none(tr("No work order was open at the end of the period."))
    rows: list[list[object]] = []
    for item in records.open_at_end:
        late = item.overdue_days(end)
        rows.append(
            [
                item.number,
                word(item.type.value),
                str(int(item.priority)),
                word(item.status.value),
                para(text(item.asset_code), "list"),
                para(text(item.title), "list"),
                when(item.due_at),
                para(bold(tr("{days} d").format(days=fixed(late, 0, grouped=False))), "list")
                if late is not None
                else "",
            ]
        )
    overdue = sum(1 for i in records.open_at_end if i.overdue_days(end) is not None)
    intro = para(
        text(
            tr(
                "{count} work orders were open at the end of the period, {overdue} of them "
                "overdue (status as it is now; late = days past due at the end)."
            ).format(count=fixed(len(records.open_at_end), 0), overdue=fixed(overdue, 0))
        ),
        "body",
    )
    tables = chunked_tables(
        [
            tr("Number"),
            tr("Type"),
            tr("P", "priority, one letter"),
            tr("Status now"),
            tr("Asset"),
            tr("Title"),
            zoned(tr("Due")),
            tr("Late"),
        ],
        rows,
        [24 * mm, 16 * mm, 4 * mm, 17 * mm, 30 * mm, width - 126 * mm, 23 * mm, 12 * mm],
    )
    return [intro, Spacer(1, 2 * mm), *tables]


def _hashed(key: str, value: str) -> Flowable:
    """A field of an audit entry under its key in the hashed JSON, untranslated in every
    language: the reader recomputes the hash from exactly these names and values."""
    return para(f"{key}: {text(value)}", "code")


def audit_trail(records: PackRecords, width: float) -> list[Flowable]:
    verification = records.verification
    outcome = (
        bold(tr("Chain verified: intact."))
        + " "
        + text(
            tr("{count} entries recomputed from the first; final hash:").format(
                count=fixed(verification.entries, 0)
            )
        )
        if verification.ok
        else "<b>"
        + text(tr("CHAIN BROKEN at entry {entry}:").format(entry=verification.first_broken))
        + f"</b> {text(verification.reason)}. "
        + text(tr("Hash of the last intact link:"))
    )
    command = f"verify-audit --expect {verification.anchor}"  # the same in every language
    box = Table(
        [
            [para(outcome, "body")],
            [para(text(verification.final_hash), "mono")],
            *(
                [
                    [
                        para(
                            text(
                                tr(
                                    "Anchor, to check later that nothing before it was "
                                    "rewritten or cut:"
                                )
                            )
                            + " "
                            + bold(command),
                            "body",
                        )
                    ]
                ]
                if verification.ok
                else []
            ),
        ],
        colWidths=[width],
    )
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, RULE)]))
    recorded = (
        tr("{count} audit entries recorded in the period about the work orders of this pack.")
        if records.request.area or records.request.types
        else tr("{count} audit entries recorded in the period.")
    )
    intro = para(
        text(recorded.format(count=fixed(len(records.audit_lines), 0)))
        + " "
        + text(tr("Each hash covers the entry and the hash of the entry before it.")),
        "body",
    )
    story: list[Flowable] = [box, Spacer(1, 3 * mm), intro, Spacer(1, 2 * mm)]
    story.append(
        para(
            text(
                tr(
                    "To check an entry by hand: hash = SHA-256 of the previous hash, a line "
                    "break, and the canonical JSON (keys sorted, no spaces) of seq, at (as "
                    "printed, UTC), user_id, username, action, entity_type, entity_id, before "
                    "and after as printed."
                )
            ),
            "small",
        )
    )
    # Each entry as flowing paragraphs, not a table row: before/after of a 10,000-character
    # description must be able to run over a page.
    user_id = tr("user id {id}")
    hashes = text(tr("previous hash: {previous}")) + "<br/>" + text(tr("hash: {hash}"))
    for line in records.audit_lines:
        story += [
            Spacer(1, 1.5 * mm),
            para(
                f"<b>#{line.seq}</b>  {when(line.at)} {zone_label()}  {text(line.username)} "
                f"({text(user_id.format(id=line.user_id if line.user_id is not None else '—'))})  "
                f"<b>{text(line.action)}</b>  {text(line.entity_type)} {text(line.entity_id)}",
                "list",
            ),
            # The instant exactly as hashed, so the entry can be recomputed from the page.
            _hashed("at", line.at.astimezone(UTC).isoformat(timespec="microseconds")),
            _hashed("before", line.before_json),
            _hashed("after", line.after_json),
            para(hashes.format(previous=line.prev_hash, hash=line.hash), "mono"),
        ]
    story += [
        Spacer(1, 4 * mm),
        para(
            bold(tr("Chain head at the end of this pack:")) + " "
            f"{text(verification.final_hash)} "
            + text(
                tr(
                    "({count} entries). Check it against the database with {command}: it "
                    "recomputes every link from the first and prints the final hash."
                )
            ).format(
                count=fixed(verification.entries, 0),
                command="<b>python main.py verify-audit --db URL</b>",
            ),
            "body",
        ),
    ]
    return story
