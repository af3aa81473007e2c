"""A QR code flowable drawn as vectors, so it scans sharply at any print resolution."""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.platypus import Flowable


class QrCode(Flowable):
    """A `size`-point square QR code holding `value`, quiet zone included.

    Level M survives a coffee ring or a crease on a shop-floor sheet; H would make the modules
    smaller than a phone camera reads reliably at this size. The modules are encoded by the
    `qrcode` package and drawn as one filled path of horizontal runs: ReportLab's own QR widget
    encodes twice per drawing and draws a shape per module, which was 40 % of a sheet's time.
    """

    def __init__(self, value: str, size: float) -> None:
        super().__init__()
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
        code.add_data(value)
        code.make(fit=True)
        self.matrix: list[list[bool]] = code.get_matrix()
        self.width = self.height = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        modules = len(self.matrix)
        step = self.width / modules
        path = self.canv.beginPath()
        for row, line in enumerate(self.matrix):
            y = self.height - (row + 1) * step
            column = 0
            while column < modules:
                if not line[column]:
                    column += 1
                    continue
                start = column
                while column < modules and line[column]:
                    column += 1
                path.rect(start * step, y, (column - start) * step, step)
        self.canv.saveState()
        self.canv.setFillColorRGB(0, 0, 0)
        self.canv.drawPath(path, stroke=0, fill=1)
        self.canv.restoreState()
