"""The printed work-order sheet a technician works from: one order per page, many per file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as canvas_module
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from desktop.domain.enums import ChecklistItemKind, WorkOrderType
from desktop.domain.failure_codes import code_lists
from desktop.reports.fonts import SANS, SANS_BOLD
from desktop.reports.markup import (
    day,
    italic,
    limits,
    number,
    printed_in,
    text,
    when,
    zone_label,
)
from desktop.reports.output import check_writable, written_whole
from desktop.reports.pack_logs import alarm_acknowledgement
from desktop.reports.qr import QrCode
from desktop.reports.sheet_done import done_body, record_banner
from desktop.reports.sheet_records import SheetRecord, load_sheet_records
from desktop.reports.styles import RULE, SHADE, flowing, grid, para
from desktop.reports.wording import ENGLISH, QT_TR_NOOP, Wording, current, tr, word
from desktop.services.shared.clock import Clock, utc_now

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from reportlab.pdfgen.canvas import Canvas

    from desktop.reports.parts import PartsSource
    from desktop.services.orders.lockout import IsolationView
    from desktop.services.orders.work_order_records import ChecklistItemView
    from desktop.store.database import Database

PAPERS = {"a4": A4, "letter": LETTER}
MARGIN = 12 * mm
FOOTER = 7 * mm
QR_SIZE = 30 * mm
LABEL = 14 * mm
BOX = "☐"
# Blank rows to write in: (labour, parts, remarks lines), roomy and for long checklists.
ROOMY = (4, 2, 2)
COMPACT = (3, 1, 1)
LONG_CHECKLIST = 12
_FAILURE_BOXES = (
    ("failure_impact", QT_TR_NOOP("Impact")),
    ("failure_mode", QT_TR_NOOP("Failure mode")),
    ("failure_mechanism", QT_TR_NOOP("Mechanism")),
    ("failure_cause", QT_TR_NOOP("Cause")),
    ("detection_method", QT_TR_NOOP("Detected by")),
    ("activity", QT_TR_NOOP("Activity")),
)
# Failure codes are required to complete these types (lifecycle guard), so the sheet asks.
_FAILURE_TYPES = (WorkOrderType.CORRECTIVE, WorkOrderType.EMERGENCY, WorkOrderType.PREDICTIVE)


@dataclass(frozen=True)
class SheetResult:
    path: Path
    orders: int
    pages: int


def print_sheets(
    db: Database,
    numbers: Sequence[str],
    out: Path,
    *,
    paper: str = "a4",
    parts: PartsSource | None = None,
    clock: Clock = utc_now,
    wording: Wording = ENGLISH,
) -> SheetResult:
    """Write one sheet per work order to `out`, in the order the numbers are given, in
    `wording`'s language and formats."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}")
    check_writable(out)
    records = load_sheet_records(db, numbers, parts)
    timezone = records[0].timezone if records else "UTC"
    with written_whole(out) as partial, printed_in(timezone, wording) as zone:
        doc = _SheetDocument(str(partial), PAPERS[paper], printed=f"{when(clock())} {zone}")
        story: list[Flowable] = []
        for index, record in enumerate(records):
            if index:
                story.append(PageBreak())
            story += _sheet(record, doc.width)
        doc.build(story, canvasmaker=_FooterCanvas)
    return SheetResult(out, len(records), doc.page)


class _OrderMark(Flowable):
    """Zero-size marker telling the page footer which order the page belongs to."""

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        doc: Any = self.canv._doctemplate  # type: ignore[attr-defined]
        if doc.order != self.number:
            doc.order, doc.order_page = self.number, 0


class _SheetDocument(BaseDocTemplate):
    def __init__(self, filename: str, pagesize: tuple[float, float], printed: str) -> None:
        super().__init__(
            filename,
            pagesize=pagesize,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + FOOTER,
            title=tr("Work-order sheets"),
            author="Wrenchbook",
        )
        self.printed = printed
        # The footer is drawn after the build, outside the language's block: keep its words.
        self.wording = current()
        self.order = ""
        self.order_page = 0
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates(PageTemplate("sheet", [frame], onPageEnd=self._footer))

    def _footer(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        # The totals are known only at the end: _FooterCanvas draws the line on save.
        self.order_page += 1
        canvas.wb_footer = (  # type: ignore[attr-defined]
            self.order,
            self.order_page,
            self.printed,
            self.wording,
            self.leftMargin,
            self.width,
        )


class _FooterCanvas(canvas_module.Canvas):
    """Holds every page back until the end so each footer can say "Page x of y" of its order."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab API)
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        totals: dict[str, int] = {}
        for state in self._held:
            order, page, *_ = state.get("wb_footer", ("", 0))
            totals[order] = max(totals.get(order, 0), page)
        for state in self._held:
            self.__dict__.update(state)
            order, page, printed, wording, left, width = state["wb_footer"]
            pages = wording.text(QT_TR_NOOP("Page {page} of {pages}")).format(
                page=page, pages=totals.get(order, page)
            )
            self.saveState()
            self.setFont(SANS, 7)
            self.drawString(left, MARGIN, f"{order}  ·  {pages}")
            self.drawRightString(
                left + width,
                MARGIN,
                wording.text(QT_TR_NOOP("Printed {time} by Wrenchbook")).format(time=printed),
            )
            self.restoreState()
            super().showPage()
        super().save()


def _sheet(record: SheetRecord, width: float) -> list[Flowable]:
    """Open work: a job card with room to write. Finished work: the record (sheet_done)."""
    detail = record.detail
    head: list[Flowable] = [
        _OrderMark(detail.row.number),
        _header(record, width),
        Spacer(1, 2 * mm),
        _asset(record, width),
        Spacer(1, 2 * mm),
        _safety(record, width),
        _section(tr("Instructions")),
        *_instructions(record),
    ]
    if record.finished:
        return [*head, *done_body(record, width)]
    checklist = [item for item in detail.checklist if not item.safety]
    # A long checklist gives up blank rows so the sheet still fits its one page.
    labour_rows, part_rows, remark_lines = (
        COMPACT if len(detail.checklist) > LONG_CHECKLIST else ROOMY
    )
    story = head
    if checklist:
        story += [_section(tr("Checklist")), _checklist(checklist, width)]
    story += [
        _section(tr("Parts to draw")),
        _parts(record, width, part_rows),
        *_spares(record),
        _section(tr("Labour")),
        _labour(record, width, labour_rows),
        _section(tr("Failure codes and downtime")),
        _failure(record, width),
        KeepTogether(
            [
                _section(tr("Work done / remarks")),
                _lines(width, remark_lines),
                Spacer(1, 1 * mm),
                _sign_off(width),
            ]
        ),
    ]
    return story


def _section(title: str) -> Flowable:
    return para(text(title), "heading")


def _header(record: SheetRecord, width: float) -> Table:
    row = record.detail.row
    facts = "  ·  ".join(
        (
            text(word(row.type.value).capitalize()),
            text(
                tr("priority {number} ({name})").format(
                    number=int(row.priority), name=word(row.priority.name.lower())
                )
            ),
            text(tr("status {status}").format(status=word(row.status.value))),
        )
    )
    dates = "  ·  ".join(
        (
            text(tr("Requested {time}").format(time=when(row.requested_at))),
            text(tr("Due {time}")).replace("{time}", f"<b>{when(row.due_at) or '—'}</b>"),
            text(tr("Scheduled {time}").format(time=when(row.scheduled_start) or "—")),
        )
    )
    left = [
        para(text(record_banner(record)), "label"),
        para(text(row.number), "number"),
        para(text(row.title), "subtitle"),
        Spacer(1, 1.5 * mm),
        para(facts, "body"),
        para(f"{dates} ({text(zone_label())})", "body"),
        para(text(tr("Site: {site}").format(site=record.site)), "small"),
    ]
    right = [QrCode(row.number, QR_SIZE), para(text(row.number), "tiny")]
    table = Table([[left, right]], colWidths=[width - QR_SIZE - 8, QR_SIZE + 8])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _asset(record: SheetRecord, width: float) -> Table:
    place = record.place
    kind = f"{text(place.asset_class)}  ·  " + text(
        tr("criticality {level}").format(level=place.criticality)
    )
    if place.maker_model:
        kind += f"  ·  {text(place.maker_model)}"
    if place.serial:
        kind += "  ·  " + text(tr("s/n {serial}").format(serial=place.serial))
    half = (width - 2 * LABEL) / 2
    rows = [
        [
            para(text(tr("Asset")), "label"),
            para(f"<b>{text(place.code)}</b> — {text(place.name)}", "body"),
            para(text(tr("Location")), "label"),
            para(text(place.location or "—"), "body"),
        ],
        [
            para(text(tr("Path")), "label"),
            para(text(" › ".join(place.path)), "body"),
            para(text(tr("Class")), "label"),
            para(kind, "body"),
        ],
    ]
    table = Table(rows, colWidths=[LABEL, half, LABEL, half])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def _safety(record: SheetRecord, width: float) -> Table:
    """The lock-out box: the order's safety checklist, then isolation and release lines."""
    items = [item for item in record.detail.checklist if item.safety]
    content: list[Flowable] = [para(text(tr("⚠  SAFETY / LOCK-OUT — TAG-OUT")), "subtitle")]
    size = "small" if len(items) > 6 else "body"
    ticks = [para(_safety_line(record, item), size) for item in items]
    if len(ticks) > 3:
        # Two columns: a full lock-out list otherwise pushes the sign-off onto a second page.
        half = (len(ticks) + 1) // 2
        pairs = [[ticks[i], ticks[i + half] if i + half < len(ticks) else ""] for i in range(half)]
        columns = Table(pairs, colWidths=[(width - 10) / 2] * 2)
        columns.setStyle(
            TableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        content.append(columns)
    else:
        content += ticks
    if not items and not record.isolations and record.finished:
        content.append(para(italic(tr("No lock-out steps were recorded on this order.")), "body"))
    elif not items and not record.isolations:
        content.append(
            para(
                text(
                    tr("{box} Lock-out needed   {box} Not needed (reason: ____________________)")
                ).format(box=BOX)
            )
        )
    content.append(Spacer(1, 1 * mm))
    if record.isolations:
        content += [_isolation_step(step) for step in record.isolations]
    elif not record.finished:
        content += [
            para(
                text(
                    tr(
                        "Isolation points: ______________________________  "
                        "Lock / tag no.: __________   {box} Zero energy verified"
                    )
                ).format(box=BOX),
                "body",
            ),
            para(
                text(
                    tr(
                        "Locked by: ________________________  Time: ________      "
                        "Released by: ________________________  Time: ________"
                    )
                ),
                "body",
            ),
        ]
    table = Table([[content]], colWidths=[width])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 2, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _safety_line(record: SheetRecord, item: ChecklistItemView) -> str:
    """A numbered safety step with the input it asks for: a box to tick, a line for the
    reading with its limits, or name and time for a sign-off; once answered, what was entered,
    by whom and when."""
    head = f"<b>{item.position}.</b> {text(item.text)}"
    if item.answered:
        by = record.answered_by.get((record.detail.row.number, item.position), "")
        who = f" — {text(by)} {when(item.answered_at)}".rstrip()
        return f"☑ {head}{_recorded(item)}<i>{who}</i>"
    if item.kind is ChecklistItemKind.MEASUREMENT:
        bounds = limits(item.low, item.high, item.unit)
        return f"{BOX} {head}: ________ {text(item.unit or '')}" + (
            f" ({text(bounds)})" if bounds else ""
        )
    if item.kind is ChecklistItemKind.SIGNATURE:
        return f"{BOX} {head}:<br/>&nbsp;&nbsp;&nbsp;" + text(
            tr("name ________________ time ________")
        )
    if item.kind is ChecklistItemKind.TEXT:
        return f"{BOX} {head}: ________________________"
    return f"{BOX} {head}"


def _isolation_step(step: IsolationView) -> Flowable:
    """One numbered isolation step with its inputs: what was recorded, else lines to write on."""
    proof = (
        "; "
        + text(
            tr("{tag} must read ≤ {limit}").format(tag=step.tag_name, limit=number(step.zero_max))
        )
        if step.tag_name
        else ""
    )
    head = f"<b>{step.position}.</b> " + text(tr("{source} — {device} at {point}")).format(
        source=text(step.energy_source),
        device=text(step.device),
        point=f"<b>{text(step.lock_point)}</b>",
    )
    head += proof
    blank = text(tr("name ________________ time ______"))
    lock = text(step.lock_number) if step.lock_number else "__________"
    locked = f"{text(step.applied_by)} {when(step.applied_at)}" if step.applied_at else blank
    if step.verified_at:
        reading = (
            " " + text(tr("(read {value})").format(value=number(step.verified_reading)))
            if step.verified_reading is not None
            else ""
        )
        verified = "☑ " + text(
            tr("verified by {name} {time}").format(
                name=step.verified_by, time=when(step.verified_at)
            )
        )
        verified += reading
    else:
        verified = f"{BOX} " + text(tr("zero energy verified: name ________________ time ______"))
    released = f"{text(step.removed_by)} {when(step.removed_at)}" if step.removed_at else blank
    alarm = (
        "<br/>&nbsp;&nbsp;&nbsp;<b>"
        + text(
            tr("⚠ SAFETY ALARM: {tag} read {value} at {time} while locked out").format(
                tag=step.tag_name,
                value=number(step.reenergised_reading),
                time=when(step.reenergised_at),
            )
        )
        + f"</b>; {text(alarm_acknowledgement(step))}"
        if step.reenergised_at is not None and step.reenergised_reading is not None
        else ""
    )
    lock_line = text(tr("Lock no. {lock}   Locked by {locked}   {verified}")).format(
        lock=lock, locked=locked, verified=verified
    )
    released_line = text(tr("Released by {released}")).format(released=released)
    return para(
        f"{head}<br/>&nbsp;&nbsp;&nbsp;{lock_line}<br/>&nbsp;&nbsp;&nbsp;{released_line}{alarm}",
        "small",
    )


def _instructions(record: SheetRecord) -> list[Flowable]:
    """The description as flowing lines: a long procedure continues on the next page."""
    detail = record.detail
    lead = " — " + tr("lead")
    crew = ", ".join(
        f"{a.full_name} ({a.username})" + (lead if a.is_lead else "") for a in detail.assignees
    )
    estimate = f"{number(detail.estimate_hours)} h" if detail.estimate_hours else "—"
    lines: list[Flowable] = (
        list(flowing(detail.description, "body"))
        if detail.description
        else [para(italic(tr("No instructions written.")), "body")]
    )
    summary = tr("Crew: {crew}   ·   Estimate: {estimate}").format(
        crew=crew or "—", estimate=estimate
    )
    return [*lines, para(text(summary), "small")]


def _recorded(item: ChecklistItemView) -> str:
    """An answer already keyed in, shown so nobody measures twice."""
    if not item.answered:
        return ""
    if item.value is not None:
        answer = f"{number(item.value)} {item.unit or ''}".strip()
    else:
        answer = word(item.result.value) if item.result else item.text_value or tr("done")
    return "  " + italic(tr("(recorded: {answer})").format(answer=answer))


def _checklist(items: Sequence[ChecklistItemView], width: float) -> Table:
    rows: list[list[object]] = [_heads("#", tr("Check"), tr("Limits"), tr("Result"))]
    optional = " " + italic(tr("(optional)"))
    for item in items:
        label = text(item.text) + ("" if item.required else optional)
        if item.kind is ChecklistItemKind.MEASUREMENT:
            result = f"__________ {text(item.unit or '')}   {BOX} {text(word('n/a'))}"
        elif item.kind is ChecklistItemKind.CHECK:
            result = "   ".join(f"{BOX} {text(word(w))}" for w in ("pass", "fail", "n/a"))
        elif item.kind is ChecklistItemKind.SIGNATURE:
            result = text(tr("sign: ______________________"))
        else:
            result = "_________________________________"
        rows.append(
            [
                str(item.position),
                para(label + _recorded(item)),
                para(text(limits(item.low, item.high, item.unit))),
                para(result),
            ]
        )
    table = Table(
        rows, colWidths=[8 * mm, width - 8 * mm - 30 * mm - 62 * mm, 30 * mm, 62 * mm], repeatRows=1
    )
    table.setStyle(grid())
    return table


def _heads(*titles: str) -> list[object]:
    """Column headings that wrap in their column: German words are longer than English."""
    return [para(text(title), "cell_bold") for title in titles]


def _parts(record: SheetRecord, width: float, blank_rows: int) -> Table:
    rows: list[list[object]] = [
        _heads(tr("Part"), tr("Description"), tr("Qty"), tr("Bin"), tr("Drawn"))
    ]
    for line in record.parts:
        rows.append(
            [
                para(text(line.part_number)),
                para(text(line.description)),
                f"{number(line.quantity)} {line.unit}",
                para(text(line.bin)),
                BOX,
            ]
        )
    if not record.parts:
        none = text(tr("No parts reserved: write down any part used."))
        rows.append(["", para(f"<i>{none}</i>"), "", "", ""])
    rows += [["", "", "", "", ""] for _ in range(blank_rows)]
    fixed = 32 * mm + 18 * mm + 28 * mm + 12 * mm
    table = Table(
        rows,
        colWidths=[32 * mm, width - fixed, 18 * mm, 28 * mm, 12 * mm],
        rowHeights=[None] * (len(rows) - blank_rows) + [5 * mm] * blank_rows,
    )
    table.setStyle(grid())
    return table


def _spares(record: SheetRecord) -> list[Flowable]:
    """The asset's spare-parts list in one line under the parts table, so the technician
    knows what to bring when the diagnosis needs a part nobody reserved."""
    if not record.spares:
        return []
    listed = "; ".join(
        f"{s.part_number} {s.description} × {number(s.quantity)}"
        + (f" ({s.note})" if s.note else "")
        for s in record.spares
    )
    heading = text(tr("Spare parts of this asset:"))
    return [Spacer(1, 1 * mm), para(f"<i>{heading}</i> {text(listed)}", "small")]


def _labour(record: SheetRecord, width: float, blank_rows: int) -> Table:
    """Hours already booked on work in progress (so nobody books them twice), then lines."""
    rows: list[list[object]] = [
        _heads(
            tr("Date"),
            tr("Technician"),
            tr("Start", "time"),
            tr("End"),
            tr("Hours"),
            tr("Initials"),
        )
    ]
    booked = record.detail.labour
    rows += [
        [day(e.work_date), para(text(e.technician)), "", "", number(e.hours), tr("booked")]
        for e in booked
    ]
    rows += [["", "", "", "", "", ""] for _ in range(blank_rows)]
    fixed = 25 * mm + 4 * 20 * mm
    table = Table(
        rows,
        colWidths=[25 * mm, width - fixed, 20 * mm, 20 * mm, 20 * mm, 20 * mm],
        rowHeights=[None] * (1 + len(booked)) + [5.5 * mm] * blank_rows,
    )
    table.setStyle(grid())
    return table


def _failure(record: SheetRecord, width: float) -> Table:
    detail = record.detail
    needed = detail.row.type in _FAILURE_TYPES
    labels = [para(text(tr(label)), "label") for _, label in _FAILURE_BOXES]
    values = [
        para(f"<b>{text(detail.failure_codes.get(name) or '')}</b>", "body")
        for name, _ in _FAILURE_BOXES
    ]
    modes = " ".join(code.code for code in code_lists()["failure_mode"])
    note = tr("required to complete this order") if needed else tr("if a fault was found")
    span = len(_FAILURE_BOXES) - 1
    rows = [
        labels,
        values,
        [
            para(
                text(tr("Failure modes ({note}): {modes}").format(note=note, modes=modes)), "tiny"
            ),
            *[""] * span,
        ],
        [
            para(
                text(
                    tr(
                        "{box} Asset was down   from ____________ to ____________   "
                        "{box} planned   {box} unplanned"
                    )
                ).format(box=BOX),
                "body",
            ),
            *[""] * span,
        ],
    ]
    column = width / len(_FAILURE_BOXES)
    table = Table(
        rows, colWidths=[column] * len(_FAILURE_BOXES), rowHeights=[None, 8 * mm, None, None]
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, 1), 0.6, RULE),
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("SPAN", (0, 2), (-1, 2)),
                ("SPAN", (0, 3), (-1, 3)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _lines(width: float, count: int) -> Table:
    table = Table([[""] for _ in range(count)], colWidths=[width], rowHeights=[6 * mm] * count)
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)]))
    return table


def _sign_off(width: float) -> Table:
    """Technician and supervisor side by side: name and signature over a line, then the time."""
    labels = [
        tr("Work done by: name, signature"),
        tr("Date / time"),
        tr("Reviewed by supervisor: name, signature"),
        tr("Date / time"),
    ]
    widths = [width * 0.32, width * 0.16, width * 0.36, width * 0.16]
    table = Table([labels, [""] * 4], colWidths=widths, rowHeights=[None, 8 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SANS_BOLD, 6.5),
                ("TEXTCOLOR", (0, 0), (-1, -1), RULE),
                ("LINEBELOW", (0, 1), (1, 1), 0.8, RULE),
                ("LINEBELOW", (2, 1), (3, 1), 0.8, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table
