"""The shift handover as a printed page: figures, the outgoing notes, the acknowledgement.

Times are printed in the site's time zone, the one the crews work by. Notes flow across pages
as paragraphs, so a long note never stops the build.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from desktop.reports import markup
from desktop.reports.fonts import SANS
from desktop.reports.styles import chunked_tables, para, styles

if TYPE_CHECKING:
    from pathlib import Path

    from reportlab.pdfgen.canvas import Canvas

    from desktop.services.orders.shift_handover import HandoverView

WIDTH = A4[0] - 30 * mm


def _local(value: datetime | str | None, zone: ZoneInfo) -> str:
    if value is None:
        return ""
    instant = datetime.fromisoformat(value) if isinstance(value, str) else value
    return f"{instant.astimezone(zone):%Y-%m-%d %H:%M}"


def _section(
    title: str, header: list[str], rows: list[list[object]], widths: list[float], empty: str
) -> list[object]:
    flow: list[object] = [Paragraph(markup.text(title), styles()["h2"])]
    if not rows:
        return [*flow, para(markup.text(empty), "body")]
    cells = [[para(markup.text(v)) for v in row] for row in rows]
    return [
        *flow,
        *chunked_tables(
            [para(f"<b>{markup.text(h)}</b>") for h in header], cells, [w * WIDTH for w in widths]
        ),
    ]


def write_handover(view: HandoverView, site: str, timezone: str, out: Path) -> None:
    """Write one handover to `out` (A4)."""
    zone = ZoneInfo(timezone)
    f = view.figures
    story: list[object] = [
        Paragraph(markup.text(f"Shift handover — {site}"), styles()["h1"]),
        para(
            markup.text(
                f"Shift {_local(view.shift_start, zone)} – {_local(view.shift_end, zone)} "
                f"({timezone}); drafted {_local(view.drafted_at, zone)} from the records"
            ),
            "body",
        ),
        Spacer(1, 4 * mm),
    ]
    story += _section(
        f"Machine stops ({len(f.stops)}, {f.stopped_minutes:g} min in the shift)",
        ["Asset", "Stopped", "Running again", "Minutes", "Reason", "Order"],
        [
            [
                s.asset,
                _local(s.start, zone),
                _local(s.end, zone) or "still stopped",
                f"{s.minutes:g}",
                s.reason or "not coded",
                s.work_order or "none",
            ]
            for s in f.stops
        ],
        [0.22, 0.16, 0.16, 0.1, 0.18, 0.18],
        "No machine stopped.",
    )
    story += _section(
        f"Alarms ({len(f.alarms)})",
        ["Raised", "Asset", "Rule", "Message", "Order"],
        [[_local(a.at, zone), a.asset, a.rule, a.message, a.work_order or ""] for a in f.alarms],
        [0.15, 0.18, 0.17, 0.35, 0.15],
        "No alarms.",
    )
    story += _section(
        f"Emergencies still open ({len(f.emergencies_open)})",
        ["Order", "Title", "Asset", "Status"],
        [[o.number, o.title, o.asset, o.status] for o in f.emergencies_open],
        [0.18, 0.44, 0.22, 0.16],
        "None.",
    )
    story += _section(
        f"On hold for parts ({len(f.on_hold_for_parts)})",
        ["Order", "Title", "Asset", "Status"],
        [[o.number, o.title, o.asset, o.status] for o in f.on_hold_for_parts],
        [0.18, 0.44, 0.22, 0.16],
        "None.",
    )
    story += _section(
        f"Parts drawn ({len(f.parts_drawn)})",
        ["Part", "Description", "Quantity", "Order"],
        [[p.part, p.description, f"{p.quantity:g}", p.work_order or ""] for p in f.parts_drawn],
        [0.2, 0.5, 0.12, 0.18],
        "No parts drawn.",
    )
    story.append(Paragraph("Notes of the outgoing shift", styles()["h2"]))
    story.append(para(markup.text(view.notes or "(none)"), "body"))
    if view.notes_by:
        story.append(
            para(markup.text(f"— {view.notes_by}, {_local(view.notes_at, zone)}"), "small")
        )
    story.append(Paragraph("Acknowledged by the incoming shift", styles()["h2"]))
    story.append(
        para(
            markup.text(
                f"{view.acknowledged_by}, {_local(view.acknowledged_at, zone)} (with their PIN)"
                if view.acknowledged_by
                else "Not yet acknowledged. Signature: ______________________  Time: ________"
            ),
            "body",
        )
    )

    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(SANS, 7)
        canvas.drawString(15 * mm, 10 * mm, f"Shift handover {view.label}")
        canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, f"page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        str(out),
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=f"Shift handover {view.label}",
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
