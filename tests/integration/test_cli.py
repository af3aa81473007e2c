"""The command line as a script or an office user would drive it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.cli import main
from desktop.domain.condition import Quality, Sample
from desktop.plant.historian import Historian, write_samples
from desktop.services.admin.users import UserService
from desktop.services.condition.plant_tags import PlantTagService, TagDraft
from desktop.store.database import Database
from desktop.store.history import blocks_table, points_table
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def as_user(monkeypatch):
    def login(name: str) -> None:
        monkeypatch.setenv("WRENCHBOOK_USER", name)
        monkeypatch.setenv("WRENCHBOOK_PASSWORD", PASSWORD)

    return login


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_work_order_round_trip(db_url, capsys, as_user):
    as_user("paula")
    code, out, _ = run(
        capsys, "wo", "create", "--db", db_url, "--asset", "P-101", "--title", "Gland leak"
    )
    assert code == 0
    number = out.strip().split()[-1]
    assert number.startswith("WO-")
    assert run(capsys, "wo", "transition", number, "--to", "approved", "--db", db_url)[:2] == (
        0,
        f"{number} is now approved\n",
    )
    code, out, _ = run(
        capsys, "wo", "list", "--db", db_url, "--status", "approved", "--format", "csv"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "number,status,type,priority,asset,title,due,requested"
    assert lines[1].startswith(f"{number},approved,corrective,3,P-101,Gland leak,")
    code, out, _ = run(capsys, "wo", "show", number, "--db", db_url)
    assert "requested -> approved by paula" in out


def test_refused_transition_exits_1_with_what_is_missing(db_url, capsys, as_user):
    as_user("paula")
    _, out, _ = run(capsys, "wo", "create", "--db", db_url, "--asset", "P-101", "--title", "x")
    number = out.split()[-1]
    run(capsys, "wo", "transition", number, "--to", "approved", "--db", db_url)
    code, _, err = run(capsys, "wo", "transition", number, "--to", "scheduled", "--db", db_url)
    assert code == 1
    assert err == (
        f"error: cannot schedule {number}: no technician assigned; no scheduled start; "
        "no estimate hours\n"
    )


def test_writes_need_a_user_and_the_right_password(db_url, capsys, monkeypatch):
    monkeypatch.delenv("WRENCHBOOK_USER", raising=False)
    code, _, err = run(capsys, "wo", "create", "--db", db_url, "--asset", "P-101", "--title", "x")
    assert (code, err) == (
        1,
        "error: changes need a user: give --user NAME or set WRENCHBOOK_USER\n",
    )
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", "wrong-password-9")
    args = ("wo", "create", "--db", db_url, "--user", "paula", "--asset", "P-101", "--title", "x")
    assert run(capsys, *args)[2] == "error: unknown user or wrong password\n"


def test_json_listing_and_show(db_url, capsys, as_user):
    import json

    as_user("tom")
    _, out, _ = run(capsys, "wo", "create", "--db", db_url, "--asset", "C-201", "--title", "Belt")
    number = out.split()[-1]
    code, out, _ = run(capsys, "wo", "list", "--db", db_url, "--format", "json", "--asset", "LINE")
    assert code == 0
    listed = json.loads(out)
    assert [(r["number"], r["asset"], r["status"]) for r in listed] == [
        (number, "C-201", "requested")
    ]
    _, out, _ = run(capsys, "wo", "show", number, "--db", db_url, "--format", "json")
    assert json.loads(out)["requester"] == "tom"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["wo", "list", "--status", "done"], "invalid choice: 'done'"),
        (["wo", "list", "--limit", "0"], "must be a positive whole number"),
        (["wo", "transition", "WO-1"], "the following arguments are required: --to"),
        (["nonsense"], "invalid choice: 'nonsense'"),
    ],
)
def test_bad_arguments_exit_2_with_usage(db_url, capsys, argv, message):
    with pytest.raises(SystemExit) as done:
        main([*argv, "--db", db_url])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "usage:" in err
    assert message in err


def test_unknown_things_are_named(db_url, capsys, as_user):
    as_user("paula")
    assert run(capsys, "wo", "show", "WO-2026-999999", "--db", db_url)[2] == (
        "error: no work order WO-2026-999999\n"
    )
    assert (
        run(capsys, "wo", "list", "--asset", "NOPE", "--db", db_url)[2] == "error: no asset NOPE\n"
    )
    code, _, err = run(capsys, "wo", "set", "WO-1", "due_at=tomorrow", "--db", db_url)
    assert code == 1
    assert "due_at: cannot read 'tomorrow'" in err


@pytest.mark.both_engines
def test_verify_audit_exits_nonzero_when_tampered(db_url, capsys):
    from desktop.store.database import Database
    from tests.tamper import tamper

    assert run(capsys, "verify-audit", "--db", db_url)[0] == 0
    db = Database(db_url)
    tamper(db, "UPDATE audit_log SET action = 'forged' WHERE seq = 3")
    db.dispose()
    code, out, _ = run(capsys, "verify-audit", "--db", db_url)
    assert code == 1
    assert out.startswith("audit chain broken at entry 3: its content was altered")


def test_init_creates_admin_without_default_password(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("WRENCHBOOK_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("WRENCHBOOK_DB", raising=False)
    data = str(tmp_path / "data")
    code, _, err = run(capsys, "init", "--data-dir", data)
    assert code == 1
    assert "set WRENCHBOOK_ADMIN_PASSWORD or run in a terminal" in err
    monkeypatch.setenv("WRENCHBOOK_ADMIN_PASSWORD", "short")
    assert "password: needs at least 10 characters" in run(capsys, "init", "--data-dir", data)[2]
    monkeypatch.setenv("WRENCHBOOK_ADMIN_PASSWORD", "a-long-secret-1")
    code, out, _ = run(capsys, "init", "--data-dir", data, "--site-code", "BOT")
    assert code == 0
    assert "with admin user admin" in out
    assert (tmp_path / "data" / "wrenchbook.sqlite3").exists()
    assert "is ready" in run(capsys, "init", "--data-dir", data)[1]


@pytest.mark.both_engines
def test_backup_is_a_working_copy(db_url, tmp_path, capsys):
    target = tmp_path / "copy.bin"
    code, _, _ = run(capsys, "backup", "--db", db_url, "--out", str(target))
    assert code == 0
    assert target.stat().st_size > 0
    if db_url.startswith("sqlite"):
        assert run(capsys, "verify-audit", "--db", f"sqlite:///{target}")[0] == 0
    assert run(capsys, "backup", "--db", db_url, "--out", str(target))[2].endswith(
        "exists already: choose a new file name\n"
    )


@pytest.mark.both_engines
def test_sensor_history_has_its_own_backup_and_stays_out_of_the_records_backup(
    db_url, tmp_path, capsys
):
    db = Database(db_url)
    PlantTagService(db).import_tags(
        UserService(db).actor_for("paula"),
        [TagDraft("P-101.Vibration", "P-101", "urn:example:plant", "s=V", "mm/s")],
    )
    (tag,) = PlantTagService(db).tags()
    t0 = 1_772_438_400.0
    write_samples(db, [Sample(tag.id, t0 + i, (i % 7) * 1.0, Quality.GOOD) for i in range(3000)])
    history, records = tmp_path / "history.sqlite3", tmp_path / "records.sqlite3"
    code, out, _ = run(capsys, "backup-history", "--db", db_url, "--out", str(history))
    assert code == 0
    assert "backed up the sensor history" in out
    assert run(capsys, "backup", "--db", db_url, "--out", str(records))[0] == 0
    copy = Database(f"sqlite:///{history}")
    with copy.engine.connect() as conn:
        blocks = conn.execute(select(func.sum(blocks_table.c.n))).scalar_one()
        loose = conn.execute(select(func.count()).select_from(points_table)).scalar_one()
    copy.dispose()
    assert blocks + loose == Historian(db).count(tag.id)
    with sqlite3.connect(records) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert not any(name.startswith("hist_") for name in names)
    db.dispose()


def test_main_py_runs_as_a_script_and_unreachable_db_is_explained(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "wo",
            "list",
            "--db",
            "postgresql+psycopg://nobody@127.0.0.1:1/none",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("error: cannot use the database postgresql+psycopg://")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("foo", "cannot read the database URL 'foo'"),
        ("sqlite:///:memory:", "in-memory SQLite is not supported"),
        ("mysql://x@y/z", "unsupported database 'mysql'"),
    ],
)
def test_bad_database_urls_are_explained(capsys, url, message):
    code, _, err = run(capsys, "wo", "list", "--db", url)
    assert code == 1
    assert err.startswith(f"error: {message}")


@pytest.mark.parametrize(
    "typed",
    ["lower", "]Q1{number}\r\n"],
    ids=["lower-case", "qr-payload-with-scanner-prefix"],
)
def test_show_takes_a_typed_or_scanned_number(db_url, capsys, as_user, typed):
    as_user("paula")
    _, out, _ = run(capsys, "wo", "create", "--db", db_url, "--asset", "P-101", "--title", "Seal")
    number = out.split()[-1]
    argument = number.lower() if typed == "lower" else typed.format(number=number)
    code, out, _ = run(capsys, "wo", "show", argument, "--db", db_url)
    assert code == 0
    assert out.startswith(f"{number}  Seal\n")
    missing = run(capsys, "wo", "show", "wo-1999-000001", "--db", db_url)
    assert missing[0::2] == (1, "error: no work order wo-1999-000001\n")
