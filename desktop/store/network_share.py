"""Tells whether a SQLite file would live on a network share, where SQLite must not be used.

SQLite relies on the file system's byte-range locks; over SMB and NFS those are unreliable
(sqlite.org/useovernet.html), so two workstations writing one file over a share can corrupt
it. A site with several workstations uses its PostgreSQL server instead.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.domain.phrases import Phrase

if TYPE_CHECKING:
    from collections.abc import Callable

ADVICE = Phrase(
    "SQLite's file locking is unreliable over SMB/NFS network shares and the database file "
    "can be corrupted when several computers use it. Keep the SQLite file on a local disk of "
    "this computer, or connect every workstation to the site's PostgreSQL server."
)

NETWORK_FILE_SYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb3",
        "smbfs",
        "ncpfs",
        "9p",
        "afs",
        "coda",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "beegfs",
        "davfs",
        "sshfs",
        "s3fs",
        "rclone",
        "davfs2",
        "gcsfuse",
        "cvmfs",
    }
)
"""Linux file-system types (and FUSE subtypes, after `fuse.`) that reach another computer."""

# GetDriveTypeW's answer for a mapped network drive.
DRIVE_REMOTE = 4

# Two separators, then a server name: \\server\share or //server/share. The Win32 prefixes
# \\?\C:\ and \\.\ name local paths and devices; \\?\UNC\server\share is a share again.
_UNC = re.compile(r"^(?:[\\/]{2}\?[\\/]UNC[\\/]|[\\/]{2}(?![?.][\\/]))[^\\/]+[\\/]", re.IGNORECASE)
_DRIVE = re.compile(r"^([A-Za-z]):")


@dataclass(frozen=True)
class Mount:
    point: str
    fs_type: str
    source: str


def is_unc(path: str) -> bool:
    return _UNC.match(path) is not None


def _unescape_mount_field(text: str) -> str:
    """mountinfo writes space, tab, newline and backslash as octal escapes (\\040 …)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), text)


def parse_mountinfo(text: str) -> list[Mount]:
    """The mounts of /proc/self/mountinfo (proc(5)): mount point is field 5, and after the
    lone "-" come the file-system type and the source."""
    mounts: list[Mount] = []
    for line in text.splitlines():
        fields = line.split()
        if "-" not in fields[6:]:
            continue
        dash = fields.index("-", 6)
        if len(fields) < dash + 3:
            continue
        mounts.append(Mount(_unescape_mount_field(fields[4]), fields[dash + 1], fields[dash + 2]))
    return mounts


def mount_of(path: str, mounts: list[Mount]) -> Mount | None:
    """The mount holding `path` (absolute, resolved): the longest mount point above it; the
    last one listed wins a tie, as it is the one stacked on top."""
    best: Mount | None = None
    for mount in mounts:
        point = mount.point.rstrip("/") or "/"
        inside = point == "/" or path == point or path.startswith(point + "/")
        if inside and (best is None or len(point) >= len(best.point.rstrip("/") or "/")):
            best = mount
    return best


def is_network_fs(fs_type: str) -> bool:
    kind = fs_type.lower()
    if kind.startswith("fuse."):
        kind = kind[len("fuse.") :]
    return kind in NETWORK_FILE_SYSTEMS


def _windows_drive_type(root: str) -> int:
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]


def _read_mountinfo() -> str:
    try:
        return Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def network_share_problem(
    path: str,
    *,
    platform: str = sys.platform,
    mountinfo: Callable[[], str] = _read_mountinfo,
    drive_type: Callable[[str], int] = _windows_drive_type,
) -> str | None:
    """Why `path` is on a network share (the sentence to show), or None for a local disk.

    `platform`, `mountinfo` and `drive_type` stand for the running system; tests give fake
    mount tables and drive answers through them.
    """
    if is_unc(path):
        return Phrase(
            "{path} is on a network share (a UNC path). {advice}", path=path, advice=ADVICE
        )
    if platform == "win32":
        # A relative path takes the current drive, which only the running Windows knows.
        local = os.path.abspath(path) if sys.platform == "win32" else path
        drive = _DRIVE.match(local)
        if drive is not None and drive_type(f"{drive.group(1).upper()}:\\") == DRIVE_REMOTE:
            return Phrase(
                "{path} is on the mapped network drive {drive}:. {advice}",
                path=path,
                drive=drive.group(1).upper(),
                advice=ADVICE,
            )
        return None
    if platform.startswith("linux"):
        mount = mount_of(os.path.realpath(path), parse_mountinfo(mountinfo()))
        if mount is not None and is_network_fs(mount.fs_type):
            return Phrase(
                "{path} is on the {fs_type} network mount {point} ({source}). {advice}",
                path=path,
                fs_type=mount.fs_type,
                point=mount.point,
                source=mount.source,
                advice=ADVICE,
            )
    return None
