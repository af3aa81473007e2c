"""Renders resources/icons/wrenchbook.svg into the committed app icons: a multi-size .ico for
Windows (exe, installer, shortcuts) and a 256 px .png (Linux desktop entries, README).

Run it again after the SVG changes: `python installer/make_icon.py`.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "wrenchbook.svg"
ICO = Path(__file__).with_name("wrenchbook.ico")
PNG = Path(__file__).with_name("wrenchbook.png")
# What Windows asks an .ico for: list views, taskbar, Explorer's large and extra-large icons.
SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)


def render(size: int) -> Image.Image:
    """The SVG drawn at `size` pixels by Qt, so each size is sharp rather than scaled down."""
    from PySide6.QtCore import QBuffer, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(SVG)).render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGBA")


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication([])
    images = {size: render(size) for size in SIZES}
    largest = images[max(SIZES)]
    largest.save(PNG)
    others = [images[size] for size in SIZES if size != max(SIZES)]
    largest.save(ICO, sizes=[(s, s) for s in SIZES], append_images=others)
    app.quit()
    print(f"wrote {ICO} ({', '.join(map(str, SIZES))} px) and {PNG}")


if __name__ == "__main__":
    main()
