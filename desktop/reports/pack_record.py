"""One work order's full record in the audit pack, everything an auditor asks to see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table, TableStyle

from desktop.domain.enums import ChecklistItemKind, CheckResult, Status
from desktop.domain.failure_codes import code_lists
from desktop.reports.fonts import SANS
from desktop.reports.markup import day, fixed, italic, limits, number, text, when, zoned
from desktop.reports.pack_document import Heading
from desktop.reports.styles import RULE, flowing, grid, para, styles
from desktop.reports.wording import QT_TR_NOOP, current, result_word, tr, word

if TYPE_CHECKING:
    from collections.abc import Mapping

    from desktop.reports.pack_records import PackRecords
    from desktop.reports.parts import PartLine
    from desktop.services.orders.work_order_records import ChecklistItemView, WorkOrderDetail

_CODE_LABELS = (
    ("failure_impact", QT_TR_NOOP("Impact")),
    ("failure_mode", QT_TR_NOOP("Mode")),
    ("failure_mechanism", QT_TR_NOOP("Mechanism")),
    ("failure_cause", QT_TR_NOOP("Cause")),
    ("detection_method", QT_TR_NOOP("Detection")),
    ("activity", QT_TR_NOOP("Activity")),
)


def record_key(number: str) -> str:
    return f"wo-{number}"


def record_label(detail: WorkOrderDetail) -> str:
    title = detail.row.title if len(detail.row.title) <= 70 else detail.row.title[:69] + "…"
    return f"{detail.row.number}  {title}"


def full_record(records: PackRecords, detail: WorkOrderDetail, width: float) -> list[Flowable]:
    row = detail.row
    number_ = row.number
    story: list[Flowable] = [
        CondPageBreak(70 * mm),
        Heading(
            text(f"{number_} — {row.title}"),
            styles()["h2"],
            record_key(number_),
            1,
            record_label(detail),
            number_,
        ),
        _facts(records, detail, width),
    ]
    if detail.description:
        story += _block(tr("Description"), detail.description)
    story.append(_subheading(tr("Status history")))
    story.append(
        _table(
            [tr("From"), tr("To"), zoned(tr("When")), tr("Who"), tr("Note")],
            [
                [
                    word(h.from_status.value) if h.from_status else "—",
                    word(h.to_status.value),
                    when(h.at),
                    h.username,
                    para(text(h.note)) if h.note else "",
                ]
                for h in detail.history
            ],
            [22 * mm, 22 * mm, 28 * mm, 28 * mm, width - 100 * mm],
        )
    )
    story += labour_table(detail, width)
    story += parts_table(records.parts.get(number_, []), width)
    story += checklist_results(detail, records.answered_by, width)
    story += failure_and_downtime(detail, width)
    story += sign_offs(detail, width)
    story += _attachments(detail, width)
    story += addenda(detail, width)
    story.append(Spacer(1, 4 * mm))
    return story


def addenda(detail: WorkOrderDetail, width: float) -> list[Flowable]:
    """Notes added after closing: the record is read-only, so corrections come as addenda."""
    if not detail.addenda:
        return []
    return [
        _subheading(tr("Addenda")),
        _table(
            [zoned(tr("When")), tr("Who"), tr("Text")],
            [[when(a.at), para(text(a.username)), para(text(a.text))] for a in detail.addenda],
            [28 * mm, 28 * mm, width - 56 * mm],
        ),
    ]


def _subheading(title: str) -> Flowable:
    return para(text(title), "subheading")


def _table(header: list[object], rows: list[list[object]], widths: list[float]) -> Table:
    # Headings as paragraphs, so a longer word in another language wraps inside its column.
    heads = [para(text(h), "cell_bold") if isinstance(h, str) else h for h in header]
    table = Table([heads, *rows], colWidths=widths, repeatRows=1)
    table.setStyle(grid())
    return table


def _block(label: str, value: str) -> list[Flowable]:
    """A labelled free text that flows across pages, however long it is."""
    return [para(text(label), "label"), *flowing(value, "cell")]


def _facts(records: PackRecords, detail: WorkOrderDetail, width: float) -> Table:
    row = detail.row
    place = records.places.get(row.asset_code)
    path = " › ".join(place.path) if place else row.asset_code
    assignees = ", ".join(
        f"{a.full_name} ({a.username})" + (", " + tr("lead") if a.is_lead else "")
        for a in detail.assignees
    )
    cancel = f" — {detail.cancel_reason}" if detail.cancel_reason else ""
    yes, no = tr("yes"), tr("no")
    requested = tr("{time} by {name}").format(time=when(row.requested_at), name=detail.requester)
    pairs = [
        (QT_TR_NOOP("Type"), word(row.type.value)),
        (QT_TR_NOOP("Priority"), f"{int(row.priority)} ({word(row.priority.name.lower())})"),
        (
            QT_TR_NOOP("Status"),
            word(row.status.value)
            + (f" ({word(detail.hold_reason.value)})" if detail.hold_reason else ""),
        ),
        (QT_TR_NOOP("Origin"), word(detail.origin.label)),
        (QT_TR_NOOP("Asset"), f"{row.asset_code} — {row.asset_name}"),
        (QT_TR_NOOP("Asset path"), path),
        (QT_TR_NOOP("Requested"), requested),
        (QT_TR_NOOP("Due"), when(row.due_at)),
        (QT_TR_NOOP("Approved"), when(detail.approved_at)),
        (QT_TR_NOOP("Scheduled"), when(row.scheduled_start)),
        (QT_TR_NOOP("Started"), when(detail.started_at)),
        (QT_TR_NOOP("Completed"), when(row.completed_at)),
        (QT_TR_NOOP("Closed"), when(detail.closed_at)),
        (QT_TR_NOOP("Cancelled"), when(detail.cancelled_at) + cancel),
        (
            QT_TR_NOOP("Estimate"),
            f"{number(detail.estimate_hours)} h" if detail.estimate_hours else "",
        ),
        (QT_TR_NOOP("Failure"), yes if detail.is_failure else no),
        (QT_TR_NOOP("Assignees"), assignees),
        (QT_TR_NOOP("Asset down"), yes if detail.asset_down else no),
    ]
    # Short values go in as plain strings: a Paragraph per cell costs a markup parse and a
    # line-break pass, and a thousand-order pack has tens of thousands of cells.
    wrapping = {"Asset", "Asset path", "Requested", "Cancelled", "Assignees", "Status"}
    cells = [
        [tr(label), para(text(value or "—")) if label in wrapping else (value or "—")]
        for label, value in pairs
    ]
    rows = [cells[i] + cells[i + 1] for i in range(0, len(cells), 2)]
    label, value = 20 * mm, (width - 40 * mm) / 2
    table = Table(rows, colWidths=[label, value, label, value])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SANS, 7.5),
                ("FONT", (0, 0), (0, -1), SANS, 6.5),
                ("FONT", (2, 0), (2, -1), SANS, 6.5),
                ("TEXTCOLOR", (0, 0), (0, -1), RULE),
                ("TEXTCOLOR", (2, 0), (2, -1), RULE),
                ("BOX", (0, 0), (-1, -1), 0.5, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def labour_table(detail: WorkOrderDetail, width: float) -> list[Flowable]:
    if not detail.labour:
        return [_subheading(tr("Labour")), para(italic(tr("No labour booked.")))]
    rows: list[list[object]] = [
        [
            day(e.work_date),
            e.technician,
            number(e.hours),
            fixed(e.rate, 2, grouped=False),
            fixed(e.hours * e.rate, 2, grouped=False),
            para(text(e.note)) if e.note else "",
        ]
        for e in detail.labour
    ]
    cost = sum(e.hours * e.rate for e in detail.labour)
    total = [
        tr("Total"),
        "",
        number(round(detail.labour_hours, 2)),
        "",
        fixed(cost, 2, grouped=False),
        "",
    ]
    rows.append(total)
    return [
        _subheading(tr("Labour")),
        _table(
            [tr("Date"), tr("Technician"), tr("Hours"), tr("Rate"), tr("Cost"), tr("Note")],
            rows,
            [22 * mm, 30 * mm, 16 * mm, 14 * mm, 18 * mm, width - 100 * mm],
        ),
    ]


def parts_table(lines: list[PartLine], width: float) -> list[Flowable]:
    if not lines:
        return [_subheading(tr("Parts")), para(italic(tr("No parts issued.")))]
    rows: list[list[object]] = [
        [
            para(text(p.part_number)),
            para(text(p.description)),
            f"{number(p.quantity)} {p.unit}",
            number(p.issued),
            "" if p.unit_cost is None else fixed(p.unit_cost, 2, grouped=False),
            para(text(p.bin)),
        ]
        for p in lines
    ]
    return [
        _subheading(tr("Parts")),
        _table(
            [
                tr("Part"),
                tr("Description"),
                tr("Planned"),
                tr("Issued"),
                tr("Unit cost"),
                tr("Bin"),
            ],
            rows,
            [28 * mm, width - 106 * mm, 20 * mm, 16 * mm, 18 * mm, 24 * mm],
        ),
    ]


def answer(item: ChecklistItemView) -> str:
    if item.kind is ChecklistItemKind.MEASUREMENT and item.value is not None:
        return f"{number(item.value)} {item.unit or ''}".strip()
    if item.kind in (ChecklistItemKind.TEXT, ChecklistItemKind.SIGNATURE):
        return item.text_value or ""
    return ""


def checklist_results(
    detail: WorkOrderDetail, answered_by: Mapping[tuple[str, int], str], width: float
) -> list[Flowable]:
    """Every item with what was measured or entered, the result, and who answered it when."""
    if not detail.checklist:
        return []
    rows: list[list[object]] = []
    for item in detail.checklist:
        result = result_word(item.result.value) if item.result else ""
        if item.result is CheckResult.FAIL:
            result = f"<b>{text(result)}</b>"
        label = text(item.text) + (" " + italic(tr("(safety)")) if item.safety else "")
        by = answered_by.get((detail.row.number, item.position), "")
        entered = answer(item)
        unanswered = "—" if item.answered else tr("unanswered")
        rows.append(
            [
                str(item.position),
                para(label),
                limits(item.low, item.high, item.unit),
                para(text(entered)) if len(entered) > 18 else entered,
                para(result) if item.result is CheckResult.FAIL else (result or unanswered),
                f"{when(item.answered_at)} {by}".strip(),
            ]
        )
    return [
        _subheading(tr("Checklist results")),
        _table(
            [
                "#",
                tr("Item"),
                tr("Limits"),
                tr("Measured / entered"),
                tr("Result"),
                zoned(tr("Answered, by")),
            ],
            rows,
            [8 * mm, width - 126 * mm, 24 * mm, 30 * mm, 22 * mm, 42 * mm],
        ),
    ]


def failure_and_downtime(detail: WorkOrderDetail, width: float) -> list[Flowable]:
    story: list[Flowable] = []
    codes = {k: v for k, v in detail.failure_codes.items() if v}
    if codes:
        lists = code_lists()
        parts = []
        language = current().language
        for name, label in _CODE_LABELS:
            code = codes.get(name)
            if code:
                meaning = next((c.name(language) for c in lists[name] if c.code == code), "")
                parts.append(f"<b>{text(tr(label))}</b> {text(code)} {text(meaning)}")
        story += [_subheading(tr("Failure codes")), para(" · ".join(parts))]
    if detail.downtime:
        rows: list[list[object]] = []
        for p in detail.downtime:
            hours = (p.end - p.start).total_seconds() / 3600 if p.end else None
            rows.append(
                [
                    when(p.start),
                    when(p.end) or tr("still down"),
                    "" if hours is None else fixed(hours, 2, grouped=False),
                    tr("planned") if p.planned else tr("unplanned"),
                    para(text(p.reason_code)),
                ]
            )
        story += [
            _subheading(tr("Downtime")),
            _table(
                [
                    zoned(tr("Start", "time")),
                    zoned(tr("End")),
                    tr("Hours"),
                    tr("Kind"),
                    tr("Reason"),
                ],
                rows,
                [30 * mm, 30 * mm, 16 * mm, 20 * mm, width - 96 * mm],
            ),
        ]
    if detail.resolution:
        story += _block(tr("Resolution"), detail.resolution)
    return story


def sign_offs(detail: WorkOrderDetail, width: float) -> list[Flowable]:
    """Who signed the work off: completion, supervisor review, and signature items."""
    rows: list[list[object]] = []
    meaning = {Status.COMPLETED: tr("work completed"), Status.CLOSED: tr("reviewed and closed")}
    for h in detail.history:
        if h.to_status in meaning:
            rows.append([meaning[h.to_status], h.username, when(h.at)])
    for item in detail.checklist:
        if item.kind is ChecklistItemKind.SIGNATURE and item.answered:
            rows.append(
                [para(text(item.text)), para(text(item.text_value)), when(item.answered_at)]
            )
    if not rows:
        return [_subheading(tr("Sign-offs")), para(italic(tr("Not signed off.")))]
    return [
        _subheading(tr("Sign-offs")),
        _table(
            [tr("Sign-off"), tr("By"), zoned(tr("When"))], rows, [60 * mm, width - 90 * mm, 30 * mm]
        ),
    ]


def _attachments(detail: WorkOrderDetail, width: float) -> list[Flowable]:
    if not detail.attachments:
        return []
    rows: list[list[object]] = [
        [
            para(text(a.filename)),
            fixed(a.size, 0),
            text(a.created_by),
            when(a.created_at),
            para(text(a.sha256), "mono"),
        ]
        for a in detail.attachments
    ]
    return [
        _subheading(tr("Attachments")),
        _table(
            [tr("File"), tr("Bytes"), tr("Added by"), zoned(tr("Added")), "SHA-256"],
            rows,
            [width - 150 * mm, 16 * mm, 16 * mm, 26 * mm, 92 * mm],
        ),
    ]


def attachments_list(detail: WorkOrderDetail, width: float) -> list[Flowable]:
    """The files kept with the order, for its printed record: what they are and who added
    them when (the pack's record adds each file's SHA-256)."""
    if not detail.attachments:
        return [_subheading(tr("Attachments")), para(italic(tr("No files attached.")))]
    rows: list[list[object]] = [
        [
            para(text(a.filename)),
            text(a.mime_type),
            file_size(a.size),
            text(a.created_by),
            when(a.created_at),
        ]
        for a in detail.attachments
    ]
    return [
        _subheading(tr("Attachments")),
        _table(
            [tr("File"), tr("Type"), tr("Size"), tr("Added by"), zoned(tr("Added"))],
            rows,
            [width - 122 * mm, 44 * mm, 18 * mm, 28 * mm, 32 * mm],
        ),
    ]


def file_size(size: int) -> str:
    """Bytes as a reader takes them in: 512 B, 14 KB, 2.3 MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{fixed(size / 1024, 0, grouped=False)} KB"
    return f"{fixed(size / (1024 * 1024), 1, grouped=False)} MB"
