"""The shift handover as a printed page: figures, the outgoing notes, the acknowledgement.

Times are printed in the site's time zone, the one the crews work by. Notes flow across pages
as paragraphs, so a long note never stops the build.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from desktop.domain.stop_reasons import BY_CODE
from desktop.reports import markup
from desktop.reports.fonts import SANS
from desktop.reports.styles import chunked_tables, para, styles
from desktop.reports.wording import ENGLISH, Wording, tr, word

if TYPE_CHECKING:
    from pathlib import Path

    from reportlab.pdfgen.canvas import Canvas

    from desktop.services.orders.shift_handover import HandoverView

WIDTH = A4[0] - 30 * mm


def _local(value: datetime | str | None) -> str:
    """A stored instant (or its ISO text, as the handover's figures keep it) on the site's
    clock, in the page's date format."""
    if value is None:
        return ""
    return markup.when(datetime.fromisoformat(value) if isinstance(value, str) else value)


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


def write_handover(
    view: HandoverView, site: str, timezone: str, out: Path, wording: Wording = ENGLISH
) -> None:
    """Write one handover to `out` (A4) in `wording`'s language, on the site's clock."""
    with markup.printed_in(timezone, wording):
        _write(view, site, timezone, out)


def _write(view: HandoverView, site: str, timezone: str, out: Path) -> None:
    f = view.figures
    story: list[object] = [
        Paragraph(markup.text(tr("Shift handover — {site}").format(site=site)), styles()["h1"]),
        para(
            markup.text(
                tr("Shift {start} – {end} ({zone}); drafted {drafted} from the records").format(
                    start=_local(view.shift_start),
                    end=_local(view.shift_end),
                    zone=timezone,
                    drafted=_local(view.drafted_at),
                )
            ),
            "body",
        ),
        Spacer(1, 4 * mm),
    ]
    stops = tr("Machine stops ({count}, {minutes} min in the shift)").format(
        count=len(f.stops), minutes=markup.number(f.stopped_minutes)
    )
    story += _section(
        stops,
        [tr("Asset"), tr("Stopped"), tr("Running again"), tr("Minutes"), tr("Reason"), tr("Order")],
        [
            [
                s.asset,
                _local(s.start),
                _local(s.end) or tr("still stopped"),
                markup.number(s.minutes),
                tr(BY_CODE[s.reason].label) if s.reason in BY_CODE else s.reason or tr("not coded"),
                s.work_order or tr("none"),
            ]
            for s in f.stops
        ],
        [0.22, 0.16, 0.16, 0.1, 0.18, 0.18],
        tr("No machine stopped."),
    )
    story += _section(
        tr("Alarms ({count})").format(count=len(f.alarms)),
        [tr("Raised"), tr("Asset"), tr("Rule"), tr("Message"), tr("Order")],
        [[_local(a.at), a.asset, a.rule, a.message, a.work_order or ""] for a in f.alarms],
        [0.15, 0.18, 0.17, 0.35, 0.15],
        tr("No alarms."),
    )
    orders = [tr("Order"), tr("Title"), tr("Asset"), tr("Status")]
    story += _section(
        tr("Emergencies still open ({count})").format(count=len(f.emergencies_open)),
        orders,
        [[o.number, o.title, o.asset, word(o.status)] for o in f.emergencies_open],
        [0.18, 0.44, 0.22, 0.16],
        tr("None."),
    )
    story += _section(
        tr("On hold for parts ({count})").format(count=len(f.on_hold_for_parts)),
        orders,
        [[o.number, o.title, o.asset, word(o.status)] for o in f.on_hold_for_parts],
        [0.18, 0.44, 0.22, 0.16],
        tr("None."),
    )
    story += _section(
        tr("Parts drawn ({count})").format(count=len(f.parts_drawn)),
        [tr("Part"), tr("Description"), tr("Quantity"), tr("Order")],
        [
            [p.part, p.description, markup.number(p.quantity), p.work_order or ""]
            for p in f.parts_drawn
        ],
        [0.2, 0.5, 0.12, 0.18],
        tr("No parts drawn."),
    )
    story.append(Paragraph(markup.text(tr("Notes of the outgoing shift")), styles()["h2"]))
    story.append(para(markup.text(view.notes or tr("(none)")), "body"))
    if view.notes_by:
        story.append(para(markup.text(f"— {view.notes_by}, {_local(view.notes_at)}"), "small"))
    story.append(Paragraph(markup.text(tr("Acknowledged by the incoming shift")), styles()["h2"]))
    story.append(
        para(
            markup.text(
                tr("{name}, {time} (with their PIN)").format(
                    name=view.acknowledged_by, time=_local(view.acknowledged_at)
                )
                if view.acknowledged_by
                else tr("Not yet acknowledged. Signature: ______________________  Time: ________")
            ),
            "body",
        )
    )
    title = tr("Shift handover {label}").format(label=view.label)
    page = tr("page {page}")

    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(SANS, 7)
        canvas.drawString(15 * mm, 10 * mm, title)
        canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, page.format(page=doc.page))
        canvas.restoreState()

    doc = SimpleDocTemplate(
        str(out),
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=title,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
