"""A printable sheet of asset labels: one QR code per asset, on standard self-adhesive sheets.

Each QR code holds `wrenchbook:asset:CODE` (desktop.domain.scanning): the office app opens the
asset when it is scanned, the shop-floor kiosk starts a request for it, and the code printed
beside it still reads when the label is too dirty to scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from desktop.domain.enums import AssetStatus
from desktop.domain.errors import NotFound
from desktop.domain.scanning import asset_label
from desktop.reports.fonts import SANS, SANS_BOLD, register_fonts
from desktop.reports.output import check_writable, written_whole
from desktop.reports.qr import QrCode
from desktop.reports.wording import ENGLISH, QT_TR_NOOP, Wording
from desktop.services.assets.assets import AssetService

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from desktop.services.assets.assets import AssetRecord
    from desktop.store.database import Database


@dataclass(frozen=True)
class LabelSheet:
    """A sheet of labels: page, label size, grid, first label's corner, gaps between labels."""

    page: tuple[float, float]
    width: float
    height: float
    columns: int
    rows: int
    left: float
    top: float
    gap_x: float
    gap_y: float


# Avery L7160 (A4, 21 per sheet) and Avery 5160 (US Letter, 30 per sheet): the sheets an office
# supplies cupboard holds; measurements from the makers' templates.
SHEETS = {
    "a4": LabelSheet(A4, 63.5 * mm, 38.1 * mm, 3, 7, 7.2 * mm, 15.15 * mm, 2.5 * mm, 0),
    "letter": LabelSheet(LETTER, 66.7 * mm, 25.4 * mm, 3, 10, 4.8 * mm, 12.7 * mm, 3.2 * mm, 0),
}
PADDING = 2 * mm


@dataclass(frozen=True)
class LabelResult:
    path: Path
    labels: int
    pages: int


def labelled_assets(db: Database, under: str | None = None) -> list[AssetRecord]:
    """The assets to label: all, or one asset and everything below it; never decommissioned."""
    service = AssetService(db)
    records = service.list()
    if under is not None:
        wanted = set(service.subtree_ids(service.find_code(under).code))
        records = [r for r in records if r.id in wanted]
    return [r for r in records if r.status is not AssetStatus.DECOMMISSIONED]


def print_asset_labels(
    db: Database,
    out: Path,
    *,
    under: str | None = None,
    codes: Sequence[str] = (),
    paper: str = "a4",
    wording: Wording = ENGLISH,
) -> LabelResult:
    """Write labels for `codes` (in that order), else for `under`'s subtree, else every asset.
    A label carries codes and names only; `wording` names the file (its title) in the
    workstation's language."""
    if paper not in SHEETS:
        raise ValueError(f"paper must be one of {', '.join(SHEETS)}")
    records = labelled_assets(db, under)
    if codes:
        by_code = {r.code: r for r in AssetService(db).list()}
        missing = [c for c in codes if c not in by_code]
        if missing:
            raise NotFound(f"no asset {', '.join(missing)}")
        records = [by_code[c] for c in codes]
    check_writable(out)
    register_fonts()
    sheet = SHEETS[paper]
    per_page = sheet.columns * sheet.rows
    with written_whole(out) as partial:
        canvas = Canvas(str(partial), pagesize=sheet.page)
        canvas.setTitle(wording.text(QT_TR_NOOP("Asset labels")))
        canvas.setAuthor("Wrenchbook")
        pages = 0
        for start in range(0, len(records), per_page):
            if start:
                canvas.showPage()
            pages += 1
            for slot, record in enumerate(records[start : start + per_page]):
                row, column = divmod(slot, sheet.columns)
                x = sheet.left + column * (sheet.width + sheet.gap_x)
                y = sheet.page[1] - sheet.top - (row + 1) * sheet.height - row * sheet.gap_y
                _label(canvas, record, x, y, sheet)
        canvas.save()
    return LabelResult(out, len(records), pages)


def _label(canvas: Canvas, record: AssetRecord, x: float, y: float, sheet: LabelSheet) -> None:
    qr_size = sheet.height - 2 * PADDING
    qr = QrCode(asset_label(record.code), qr_size)
    qr.drawOn(canvas, x + PADDING, y + PADDING)
    text_x = x + 2 * PADDING + qr_size
    room = x + sheet.width - PADDING - text_x
    top = y + sheet.height - PADDING
    size = _fitting(record.code, SANS_BOLD, 11, room)
    canvas.setFont(SANS_BOLD, size)
    canvas.drawString(text_x, top - size, record.code)
    lines = _wrapped(record.name, SANS, 7.5, room, 3 if sheet.height > 30 * mm else 2)
    line_y = top - size - 3 - 7.5
    canvas.setFont(SANS, 7.5)
    for line in lines:
        canvas.drawString(text_x, line_y, line)
        line_y -= 9
    canvas.setFont(SANS, 6)
    canvas.drawString(
        text_x, y + PADDING + 1, f"{record.asset_class} · {record.criticality.value}"[:60]
    )


def _fitting(value: str, font: str, size: float, room: float) -> float:
    """The largest size up to `size` (down to 6 pt) at which `value` fits in `room`."""
    while size > 6 and stringWidth(value, font, size) > room:
        size -= 0.5
    return size


def _wrapped(value: str, font: str, size: float, room: float, max_lines: int) -> list[str]:
    """Words onto at most `max_lines` lines; the last one ends in an ellipsis if cut."""
    lines: list[str] = []
    current = ""
    for word in value.split():
        candidate = f"{current} {word}".strip()
        if stringWidth(candidate, font, size) <= room or not current:
            current = candidate
            continue
        lines.append(current)
        current = word
    if current:
        lines.append(current)
    cut = len(lines) > max_lines
    lines = lines[:max_lines]
    for index, line in enumerate(lines):
        cut_here = cut and index == len(lines) - 1
        if cut_here or stringWidth(line, font, size) > room:
            while line and stringWidth(line + "…", font, size) > room:
                line = line[:-1]
            lines[index] = line + "…"
    return lines
