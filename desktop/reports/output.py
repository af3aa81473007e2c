"""Where a report goes: checked before the build, written whole or not at all."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from typing import TYPE_CHECKING

from reportlab.platypus.doctemplate import LayoutError

from desktop.domain.errors import ReportFailed

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


def check_writable(out: Path) -> None:
    """Refuse a target that cannot be written before minutes of layout are spent on it."""
    if out.is_dir():
        raise ReportFailed(f"cannot write {out}: it is a folder; give a file name")
    target = out.parent
    if not target.is_dir():
        raise ReportFailed(f"cannot write {out}: the folder {target} does not exist")
    try:
        with tempfile.NamedTemporaryFile(dir=target, prefix=".wrenchbook-", delete=True):
            pass
    except OSError as exc:
        raise ReportFailed(f"cannot write {out}: {exc.strerror or exc}") from exc
    if out.exists() and not os.access(out, os.W_OK):
        raise ReportFailed(f"cannot write {out}: the file is read-only")


@contextmanager
def written_whole(out: Path) -> Iterator[Path]:
    """Yield a hidden partial file next to `out`; move it into place only on success, so a
    failed or cancelled build leaves no half-written PDF. Layout and file errors come out as
    ReportFailed with a message instead of a ReportLab traceback."""
    partial = out.with_name(f".{out.name}.part")
    try:
        yield partial
        os.replace(partial, out)
    except LayoutError as exc:
        raise ReportFailed(
            f"cannot lay out {out.name}: a block does not fit on a page ({exc})"
        ) from exc
    except OSError as exc:
        raise ReportFailed(f"cannot write {out}: {exc.strerror or exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
