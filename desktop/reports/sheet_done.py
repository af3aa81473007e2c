"""The body of a sheet for finished work: what was done, as recorded, instead of blank lines.

A completed, closed or cancelled order printed as a blank job card looked like work still to
do and hid the record (issue 16). Its sheet reads like the pack's record of the same order:
labour booked, parts drawn, checklist answers with who gave them, failure codes, downtime,
resolution, sign-offs and the files attached. The sections are the pack's own, so the two
never disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from desktop.domain.enums import Status
from desktop.reports.fonts import SANS_BOLD
from desktop.reports.markup import text, when
from desktop.reports.pack_record import (
    addenda,
    attachments_list,
    checklist_results,
    failure_and_downtime,
    labour_table,
    parts_table,
    sign_offs,
)
from desktop.reports.styles import RULE, para
from desktop.reports.wording import QT_TR_NOOP, tr

if TYPE_CHECKING:
    from desktop.reports.sheet_records import SheetRecord

RECORD_LABEL = {
    Status.COMPLETED: QT_TR_NOOP("WORK-ORDER RECORD — completed, awaiting review"),
    Status.CLOSED: QT_TR_NOOP("WORK-ORDER RECORD — closed"),
    Status.CANCELLED: QT_TR_NOOP("WORK-ORDER RECORD — cancelled"),
}


def record_banner(record: SheetRecord) -> str:
    """The line above the number that says this sheet is a record, not a job to do."""
    return tr(RECORD_LABEL.get(record.detail.row.status, QT_TR_NOOP("WORK ORDER")))


def done_body(record: SheetRecord, width: float) -> list[Flowable]:
    """Everything recorded on the order after the instructions, in the order it happened."""
    detail = record.detail
    story: list[Flowable] = []
    if detail.row.status is Status.CANCELLED:
        reason = detail.cancel_reason or tr("no reason given")
        cancelled = text(tr("Cancelled")).join(("<b>", "</b>"))
        story.append(para(f"{cancelled} {when(detail.cancelled_at)}: {text(reason)}", "body"))
    story += labour_table(detail, width)
    story += parts_table(list(record.parts), width)
    story += checklist_results(detail, record.answered_by, width)
    story += failure_and_downtime(detail, width)
    story += sign_offs(detail, width)
    story += attachments_list(detail, width)
    story += addenda(detail, width)
    if detail.row.status is Status.COMPLETED:
        # Completed work still needs the supervisor's review (lifecycle stage 6).
        story += [Spacer(1, 3 * mm), KeepTogether([_review_line(width)])]
    return story


def _review_line(width: float) -> Table:
    table = Table(
        [[tr("Reviewed and closed by supervisor: name, signature"), tr("Date / time")], ["", ""]],
        colWidths=[width * 0.7, width * 0.3],
        rowHeights=[None, 8 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SANS_BOLD, 6.5),
                ("TEXTCOLOR", (0, 0), (-1, -1), RULE),
                ("LINEBELOW", (0, 1), (0, 1), 0.8, RULE),
                ("LINEBELOW", (1, 1), (1, 1), 0.8, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table
