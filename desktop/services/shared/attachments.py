"""Files kept with a work order: checked by content and size, stored in the caller's unit of work.

Every attachment path goes through `store` (the work-order tab, alarm evidence, the verified-close
trend), so a renamed program or an oversized file is refused the same way everywhere.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath, PureWindowsPath
from typing import TYPE_CHECKING

import filetype

from desktop.domain.errors import ValidationFailed
from desktop.domain.phrases import Amount, Phrase
from desktop.services.shared import audit
from desktop.store.models import Attachment

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from sqlalchemy.orm import Session

    from desktop.domain.permissions import Actor
    from desktop.store.asset_models import AssetAttachment
    from desktop.store.models import WorkOrder

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
"""25 MiB. Attachments live inside the database (one row, held whole in memory while it is
saved and read, and copied into every backup); a phone photo is 3-12 MB and a scanned
multi-page service report rarely passes 20 MB, so anything larger is a video or an archive that
belongs on the file server, with its path in the description."""

_SNIFF_BYTES = 8192
"""How much of a file decides its type: filetype reads no more than this either."""

ACCEPTED = "PDF, PNG, JPEG, GIF, WEBP, text/CSV or Excel/Word (.xlsx, .docx) files"


@dataclass(frozen=True)
class AttachmentView:
    """A stored file as lists show it (the content stays in the database)."""

    id: int
    filename: str
    mime_type: str
    size: int
    sha256: str
    created_at: datetime
    created_by: str = ""
    """The user name of who attached it (a closed order's record names them)."""


@dataclass(frozen=True)
class FileKind:
    label: str
    mime_type: str
    extensions: tuple[str, ...]


_PDF = FileKind("a PDF document", "application/pdf", (".pdf",))
_PNG = FileKind("a PNG picture", "image/png", (".png",))
_JPEG = FileKind("a JPEG picture", "image/jpeg", (".jpg", ".jpeg", ".jpe"))
_GIF = FileKind("a GIF picture", "image/gif", (".gif",))
_WEBP = FileKind("a WEBP picture", "image/webp", (".webp",))
_XLSX = FileKind(
    "an Excel workbook",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx", ".xlsm"),
)
_DOCX = FileKind(
    "a Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
_TEXT = FileKind("a text file", "text/plain", (".txt", ".log"))
_CSV = FileKind("a CSV table", "text/csv", (".csv", ".tsv"))
_ALL_EXTENSIONS = frozenset(
    ext
    for kind in (_PDF, _PNG, _JPEG, _GIF, _WEBP, _XLSX, _DOCX, _TEXT, _CSV)
    for ext in kind.extensions
)

# filetype's name for the content -> what we accept it as.
_BY_SIGNATURE = {
    "pdf": _PDF,
    "png": _PNG,
    "apng": _PNG,
    "jpg": _JPEG,
    "gif": _GIF,
    "webp": _WEBP,
    "xlsx": _XLSX,
    "docx": _DOCX,
}
# Word 97-2003 and Excel 97-2003 files share this container; filetype needs more than a
# header to tell them apart, and the advice is the same for both.
_OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")
_OLD_OFFICE = "an old Office file (.doc, .xls or .ppt): save it as .docx or .xlsx first"
# Refused kinds worth naming in words rather than by their MIME type.
_REFUSED_LABELS = {
    "exe": "a Windows program",
    "elf": "a Linux program",
    "zip": "a ZIP archive",
    "rar": "a RAR archive",
    "7z": "a 7-Zip archive",
    "gz": "a compressed (gzip) file",
    "doc": _OLD_OFFICE,
    "xls": _OLD_OFFICE,
    "ppt": _OLD_OFFICE,
    "sqlite": "a database file",
}
# Control bytes that never occur in text files (tab, line feed, form feed, return do).
_BINARY_BYTES = frozenset(range(32)) - {9, 10, 12, 13} | {127}


def base_name(filename: str) -> str:
    """The file's own name, without any folder (Windows or POSIX) a caller may have sent."""
    return PureWindowsPath(PurePath(filename).name).name.strip()


def _is_text(head: bytes) -> bool:
    return not any(byte in _BINARY_BYTES for byte in head)


def identify(head: bytes) -> tuple[FileKind | None, str]:
    """What the content is (the accepted kind, or None) and how to name it in a refusal."""
    guess = filetype.guess(head)
    if guess is not None:
        kind = _BY_SIGNATURE.get(guess.extension)
        return kind, kind.label if kind else _REFUSED_LABELS.get(
            guess.extension, f"a .{guess.extension} file ({guess.mime})"
        )
    if head.startswith(_OLE2):
        return None, _OLD_OFFICE
    if _is_text(head):
        return _TEXT, _TEXT.label
    return None, "a file of unknown type"


def attachment_problem(filename: str, size: int, head: bytes) -> str | None:
    """Why this file may not be attached, saying what to do instead; None when it may."""
    name = base_name(filename)
    if not name:
        return "the file needs a name"
    if len(name) > 255:
        return Phrase("{name}… has a name longer than 255 characters; shorten it", name=name[:40])
    if size > MAX_ATTACHMENT_BYTES:
        mib = MAX_ATTACHMENT_BYTES // (1024 * 1024)
        return Phrase(
            "{name} is {value} MiB, larger than {mib} MiB; shrink or split it, or "
            "put it on the file server and note its path",
            name=name,
            value=Amount(size / (1024 * 1024), 1, grouped=False),
            mib=mib,
        )
    if size == 0:
        return Phrase("{name} is empty", name=name)
    kind, label = identify(head)
    if kind is None:
        return Phrase(
            "{name} is {label}; attach {accepted}", name=name, label=label, accepted=ACCEPTED
        )
    suffix = PurePath(name).suffix.lower()
    if kind is _TEXT and suffix in _CSV.extensions:
        return None
    if suffix not in kind.extensions:
        expected = " or ".join(kind.extensions)
        if suffix in _ALL_EXTENSIONS:
            return Phrase(
                "{name} is {label} by its content, not {suffix}; rename it {expected}",
                name=name,
                label=label,
                suffix=suffix,
                expected=expected,
            )
        shown = f"{suffix} files are" if suffix else "a file without an extension is"
        return Phrase(
            "{name}: {shown} not accepted; it is {label}, so name it {expected}",
            name=name,
            shown=shown,
            label=label,
            expected=expected,
        )
    return None


def kind_of(filename: str, head: bytes) -> FileKind:
    """The accepted kind of a checked file (CSV by its name once the content is text)."""
    kind, _ = identify(head)
    assert kind is not None
    if kind is _TEXT and PurePath(base_name(filename)).suffix.lower() in _CSV.extensions:
        return _CSV
    return kind


def read_file(path: Path) -> bytes:
    """A file's bytes for attaching. Size and type are judged from the directory entry and the
    first few kilobytes before the rest is read, and never more than the cap (plus one byte,
    to notice a file that grew meanwhile) is read."""
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            problem = attachment_problem(path.name, size, stream.read(_SNIFF_BYTES))
            if problem:
                raise ValidationFailed({"file": problem})
            stream.seek(0)
            content = stream.read(MAX_ATTACHMENT_BYTES + 1)
    except OSError as exc:
        raise ValidationFailed(
            {
                "file": Phrase(
                    "cannot read {name}: {strerror}", name=path.name, strerror=exc.strerror
                )
            }
        ) from None
    return content


@dataclass(frozen=True)
class CheckedFile:
    """A file as it will be kept: its base name, the type its content shows, size and hash."""

    name: str
    mime_type: str
    size: int
    sha256: str


def checked(filename: str, content: bytes) -> CheckedFile:
    """The file checked by its content and size (work orders and assets alike); a refused
    file raises ValidationFailed naming what is wrong."""
    problem = attachment_problem(filename, len(content), content[:_SNIFF_BYTES])
    if problem:
        raise ValidationFailed({"file": problem})
    name = base_name(filename)
    mime_type = kind_of(name, content[:_SNIFF_BYTES]).mime_type
    return CheckedFile(name, mime_type, len(content), hashlib.sha256(content).hexdigest())


def store(
    session: Session,
    actor: Actor,
    wo: WorkOrder,
    filename: str,
    content: bytes,
    now: datetime,
) -> AttachmentView:
    """Check the file by its content and size, keep it with the order, and audit it, all in
    the caller's unit of work: a refused file leaves the order as it was."""
    audited_as = ("work_order", wo.number)
    owner = {"work_order_id": wo.id}
    return keep(session, actor, Attachment, owner, audited_as, filename, content, now)


def keep(
    session: Session,
    actor: Actor,
    model: type[Attachment] | type[AssetAttachment],
    owner: dict[str, int],
    audited_as: tuple[str, str],
    filename: str,
    content: bytes,
    now: datetime,
) -> AttachmentView:
    """One way to keep a file with any record (an order's `Attachment`, an asset's
    `AssetAttachment`): checked the same way, audited the same way, in the caller's unit of
    work."""
    file = checked(filename, content)
    row = model(
        **owner,
        filename=file.name,
        mime_type=file.mime_type,
        size=file.size,
        sha256=file.sha256,
        content=content,
        created_at=now,
        created_by_id=actor.user_id,
    )
    session.add(row)
    session.flush()
    after = {"filename": file.name, "size": file.size, "sha256": file.sha256}
    entity, key = audited_as
    audit.record(session, actor, "attach", entity, key, None, after, now)
    return AttachmentView(
        row.id, file.name, file.mime_type, file.size, file.sha256, now, actor.username
    )
