"""A SQLite file on a network share is recognised (UNC, mapped drive, network mount) and refused."""

from __future__ import annotations

import pytest

from desktop.cli import main
from desktop.store.database import Database, NetworkShareRefused
from desktop.store.network_share import mount_of, network_share_problem, parse_mountinfo

MOUNTINFO = "\n".join(
    (
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
        "30 22 0:40 / /mnt/maint rw,relatime shared:9 - cifs //fileserver/maint rw,vers=3.1.1",
        "31 30 8:2 / /mnt/maint/local rw,relatime - ext4 /dev/sdb1 rw",
        "32 22 0:41 / /srv/plant rw,relatime shared:10 master:3 - nfs4 nas:/export/plant rw",
        "33 22 0:42 / /home/ana/remote rw,nosuid - fuse.sshfs ana@host:/data rw",
        "34 22 0:43 / /mnt/my\\040share rw - smb3 //nas/my share rw",
        "35 22 0:44 / /mnt/wsl-c rw - 9p drvfs rw",
        "36 22 0:45 / /tmp rw - tmpfs tmpfs rw",
    )
)


def problem_on_linux(path: str) -> str | None:
    return network_share_problem(path, platform="linux", mountinfo=lambda: MOUNTINFO)


@pytest.mark.parametrize(
    "path",
    [
        r"\\fileserver\maint\wrenchbook.sqlite3",
        "//fileserver/maint/wrenchbook.sqlite3",
        r"\\?\UNC\fileserver\maint\wrenchbook.sqlite3",
        r"\\fileserver.plant.local\maint$\db\wb.sqlite3",
    ],
)
def test_unc_paths_are_refused_on_every_platform(path):
    for platform in ("win32", "linux", "darwin"):
        problem = network_share_problem(path, platform=platform, drive_type=lambda _r: 3)
        assert problem is not None
        assert "UNC" in problem
        assert "PostgreSQL" in problem


@pytest.mark.parametrize(
    "path", [r"C:\Wrenchbook\wrenchbook.sqlite3", r"\\?\C:\Wrenchbook\wb.sqlite3", r"D:\wb.db"]
)
def test_local_windows_paths_are_accepted(path):
    assert network_share_problem(path, platform="win32", drive_type=lambda _root: 3) is None


def test_a_mapped_network_drive_is_refused_by_its_drive_type():
    asked: list[str] = []

    def drive_type(root: str) -> int:
        asked.append(root)
        return 4 if root == "Z:\\" else 3  # DRIVE_REMOTE for Z: only

    problem = network_share_problem(r"z:\maint\wb.sqlite3", platform="win32", drive_type=drive_type)
    assert problem is not None
    assert "mapped network drive Z:" in problem
    assert network_share_problem(r"C:\wb.sqlite3", platform="win32", drive_type=drive_type) is None
    assert asked == ["Z:\\", "C:\\"]


@pytest.mark.parametrize(
    ("path", "fs_type"),
    [
        ("/mnt/maint/wrenchbook.sqlite3", "cifs"),
        ("/mnt/maint/sub/dir/wb.sqlite3", "cifs"),
        ("/srv/plant/wb.sqlite3", "nfs4"),
        ("/home/ana/remote/wb.sqlite3", "fuse.sshfs"),
        ("/mnt/my share/wb.sqlite3", "smb3"),
        ("/mnt/wsl-c/wb.sqlite3", "9p"),
    ],
)
def test_files_on_linux_network_mounts_are_refused(path, fs_type):
    problem = problem_on_linux(path)
    assert problem is not None
    assert fs_type in problem
    assert "corrupted" in problem


@pytest.mark.parametrize(
    "path",
    [
        "/home/ana/wrenchbook.sqlite3",
        "/mnt/maint/local/wb.sqlite3",  # a local disk mounted inside the share
        "/mnt/maintenance/wb.sqlite3",  # a sibling whose name only starts like the share
        "/tmp/wb.sqlite3",
        "/srv/plant-local/wb.sqlite3",
    ],
)
def test_files_on_local_linux_mounts_are_accepted(path):
    assert problem_on_linux(path) is None


def test_the_longest_mount_point_holds_a_path():
    mounts = parse_mountinfo(MOUNTINFO)
    assert mount_of("/mnt/maint/local/x", mounts).fs_type == "ext4"
    assert mount_of("/mnt/maint/x", mounts).fs_type == "cifs"
    assert mount_of("/mnt/my share/x", mounts).point == "/mnt/my share"
    assert mount_of("/etc/x", mounts).point == "/"


def test_this_machines_temporary_folder_is_local(tmp_path):
    assert network_share_problem(str(tmp_path / "wb.sqlite3")) is None


def test_the_engine_refuses_to_open_sqlite_on_a_share():
    with pytest.raises(NetworkShareRefused, match="network share"):
        Database("sqlite://///fileserver/maint/wrenchbook.sqlite3")


def test_the_cli_refuses_it_with_the_same_explanation(capsys, tmp_path):
    code = main(
        ["--data-dir", str(tmp_path), "--db", "sqlite://///nas/maint/wb.sqlite3", "wo", "list"]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "//nas/maint/wb.sqlite3 is on a network share" in err
    assert "unreliable over SMB/NFS" in err
