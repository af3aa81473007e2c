"""Reading our PDFs back as a person would: the text on each page and the QR codes on it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import zxingcpp
from PIL import Image
from pypdf import PdfReader

PAGE_OF = re.compile(r"Page (\d+) of\s*(\d+)")


def page_texts(path: Path, pages: range | None = None) -> list[str]:
    reader = PdfReader(path)
    chosen = pages if pages is not None else range(len(reader.pages))
    return [reader.pages[i].extract_text() for i in chosen]


def poppler_pages(path: Path) -> list[str]:
    """Each page's text as poppler's pdftotext reads it (what a person copying from a viewer
    gets), whitespace squeezed to single spaces."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(page.split()) for page in out.split("\f") if page.strip()]


def outline(path: Path) -> list[tuple[int, str, int]]:
    """(level, title, zero-based page) of every bookmark, in document order."""
    reader = PdfReader(path)
    found: list[tuple[int, str, int]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def page_image(path: Path, page: int, tmp: Path, dpi: int = 150) -> Image.Image:
    """Page `page` (1-based) rendered by poppler's pdftoppm, as a printer driver would."""
    prefix = tmp / f"{path.stem}-{page}"
    pages = ["-f", str(page), "-l", str(page), "-singlefile"]
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), *pages, str(path), str(prefix)], check=True)
    return Image.open(prefix.with_suffix(".png"))


def qr_codes(image: Image.Image) -> list[str]:
    return [
        result.text
        for result in zxingcpp.read_barcodes(image)
        if result.format == zxingcpp.BarcodeFormat.QRCode
    ]


def squeeze(text: str) -> str:
    """Text without any whitespace, for values a table may have wrapped."""
    return re.sub(r"\s+", "", text)
