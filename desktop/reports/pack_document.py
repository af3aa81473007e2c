"""The audit pack's page frame in one layout pass: running header and footer, Page X of Y,
contents with page numbers, and a PDF outline.

Page numbers that are only known at the end (the total, each section's page) are drawn as PDF
form XObjects referenced where they appear and defined after the last page. That keeps the
build to one pass; ReportLab's multiBuild would lay out a thousand-order pack two or three
times over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from desktop.reports.fonts import SANS, SANS_BOLD
from desktop.reports.styles import RULE, styles
from desktop.reports.wording import tr

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas

MARGIN = 16 * mm
BAND = 9 * mm
TOTAL_FORM = "wb-pages-total"
PAGE_NUMBER_WIDTH = 14 * mm


class Cancelled(Exception):
    """Raised from a progress callback to stop a report; the partial file is removed."""


def page_form(key: str) -> str:
    return f"wb-page-{key}"


class Heading(Paragraph):
    """A section or record title that becomes a contents line, an outline entry and a target."""

    def __init__(
        self,
        markup: str,
        style: ParagraphStyle,
        key: str,
        level: int,
        label: str,
        order: str = "",
    ):
        super().__init__(markup, style)
        self.key = key
        self.level = level
        self.label = label
        self.order = order
        """The work order a record heading opens: named in the header of its every page."""


class _FormNumber(Flowable):
    """A right-aligned page number that is filled in when the document ends."""

    def __init__(self, form: str, width: float, font_size: float) -> None:
        super().__init__()
        self.form = form
        self.width = width
        self.height = font_size * 1.2

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.saveState()
        # Up by the font's descent, onto the baseline of the title beside it.
        self.canv.translate(self.width, self.height * 0.25)
        self.canv.doForm(self.form)
        self.canv.restoreState()


def contents(entries: Sequence[tuple[int, str, str]], width: float) -> list[Flowable]:
    """The contents pages from (level, label, key) entries known before layout, in chunks."""
    style = styles()
    rows: list[list[object]] = []
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("TOPPADDING", (0, 0), (-1, -1), 0.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.2, RULE),
    ]
    for level, label, key in entries:
        name = "cell_bold" if level == 0 else "cell"
        indent = "" if level == 0 else "&nbsp;" * 6
        rows.append(
            [Paragraph(indent + label, style[name]), _FormNumber(page_form(key), 12 * mm, 7.5)]
        )
    tables: list[Flowable] = []
    for start in range(0, len(rows), 60):
        table = Table(rows[start : start + 60], colWidths=[width - 14 * mm, 14 * mm])
        table.setStyle(TableStyle(commands))
        tables.append(table)
    return tables


class _DefineForms(Flowable):
    """The last flowable: writes the numbers every page-number form stands for."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        doc: PackDocument = self.canv._doctemplate  # type: ignore[attr-defined]
        canvas = self.canv
        numbers = {TOTAL_FORM: doc.page, **{page_form(k): p for k, p in doc.targets.items()}}
        for form in doc.pending_forms:
            numbers.setdefault(form, 0)
        for form, value in numbers.items():
            # Contents numbers are right-aligned on their form's origin, the total left-aligned.
            left = 0 if form == TOTAL_FORM else -PAGE_NUMBER_WIDTH
            canvas.beginForm(
                form, lowerx=left, lowery=-3, upperx=left + PAGE_NUMBER_WIDTH, uppery=12
            )
            canvas.setFont(SANS, 7.5)
            if form == TOTAL_FORM:
                canvas.drawString(0, 0, str(value))
            else:
                canvas.drawRightString(0, 0, str(value) if value else "—")
            canvas.endForm()


class PackDocument(BaseDocTemplate):
    def __init__(
        self,
        filename: str,
        *,
        header: str,
        footer: str,
        keys: Sequence[str],
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        super().__init__(
            filename,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + BAND,
            bottomMargin=MARGIN + BAND,
            title=header,
            author="Wrenchbook",
        )
        self.header = header
        self.footer = footer
        self.targets: dict[str, int] = {}
        self.pending_forms = [page_form(key) for key in keys]
        self._progress = progress
        self._flowables_done = 0
        self._flowables_total = 0
        # The record running over from the page before, and the orders on this page, so a
        # page torn out of the pack still says whose record it is (issue 16).
        self._running_order = ""
        self._page_orders: list[str] = []
        body = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates(
            [
                PageTemplate("cover", [body], onPageEnd=self._cover_band),
                PageTemplate("body", [body], onPage=self._page_begins, onPageEnd=self._bands),
            ]
        )

    def build_story(self, cover: list[Flowable], body: list[Flowable]) -> None:
        self._flowables_total = len(cover) + len(body)
        self.build([*cover, NextPageTemplate("body"), PageBreak(), *body, _DefineForms()])

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (ReportLab hook)
        self._flowables_done += 1
        if isinstance(flowable, Heading):
            if flowable.order:
                self._page_orders.append(flowable.order)
            self._running_order = flowable.order
            self.targets[flowable.key] = self.page
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(flowable.label, flowable.key, level=flowable.level)
        if self._progress is not None and self._flowables_done % 25 == 0:
            self._progress(self._flowables_done, self._flowables_total)

    def _page_number(self, canvas: Canvas) -> None:
        # "Page X of " ends where the total (a form, known only at the end) begins.
        start = self.leftMargin + self.width - PAGE_NUMBER_WIDTH
        label = tr("Page {page} of ").format(page=self.page)
        canvas.setFont(SANS, 7.5)
        canvas.drawRightString(start, MARGIN, label)
        canvas.saveState()
        canvas.translate(start, MARGIN)
        canvas.doForm(TOTAL_FORM)
        canvas.restoreState()

    def _page_begins(self, canvas: Canvas, doc: Any) -> None:
        self._page_orders = [self._running_order] if self._running_order else []

    def _orders_on_page(self) -> str:
        orders = self._page_orders
        if not orders:
            return ""
        label = tr("Work order") if len(orders) == 1 else tr("Work orders")
        shown = orders[0] if len(orders) == 1 else f"{orders[0]} … {orders[-1]}"
        return f"{label} {shown}"

    def _cover_band(self, canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        self._page_number(canvas)
        canvas.restoreState()

    def _bands(self, canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        top = self.pagesize[1] - MARGIN
        right = self.leftMargin + self.width
        canvas.setFont(SANS_BOLD, 7.5)
        canvas.drawString(self.leftMargin, top - 8, self.header)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(self.leftMargin, top - 11, right, top - 11)
        # Under the rule, not beside the header: a long site name fills that line.
        canvas.drawRightString(right, top - 19, self._orders_on_page())
        canvas.line(self.leftMargin, MARGIN + 9, right, MARGIN + 9)
        canvas.setFont(SANS, 7)
        canvas.drawString(self.leftMargin, MARGIN, self.footer)
        self._page_number(canvas)
        canvas.restoreState()
