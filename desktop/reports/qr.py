"""A QR code flowable drawn as vectors, so it scans sharply at any print resolution."""

from __future__ import annotations

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing


def qr_drawing(value: str, size: float) -> Drawing:
    """A `size`-point square QR code holding `value`, quiet zone included.

    Level M survives a coffee ring or a crease on a shop-floor sheet; H would make the
    modules smaller than a phone camera reads reliably at this size.
    """
    widget = QrCodeWidget(value, barLevel="M", barBorder=4)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing
