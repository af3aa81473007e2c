"""Workstation settings: the file format, the rules, the passwords and what a start uses."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.cli import main
from desktop.domain.errors import ValidationFailed
from desktop.plant.connection import Security
from desktop.services.admin import credentials
from desktop.services.admin import workstation_settings as ws
from desktop.store import qt_ini
from desktop.store.database import redact_url
from tests.credential_store import credential_store

PG = "postgresql+psycopg://wrench@db1.plant.local/wrenchbook"


def test_security_modes_are_the_clients():
    assert tuple(s.value for s in Security) == ws.SECURITY_MODES


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_text_survives_the_ini_escaping(text):
    assert qt_ini.unescape(qt_ini.escape(text)) == text


def test_settings_round_trip_through_the_file_and_keep_foreign_keys(tmp_path):
    path = tmp_path / ws.SETTINGS_FILE
    path.write_text(
        "[General]\nlooks=dense\n\n[main_window]\ngeometry=@ByteArray(\\x1\\x2,;=)\n",
        encoding="utf-8",
    )
    settings = ws.WorkstationSettings(
        r"sqlite:///C:\Wrenchbook\wb, main.sqlite3",
        ws.OpcUaSettings(
            ws.PlantMode.SERVER, "opc.tcp://plc-gw:4840/ua;x=1", "sign", username="op"
        ),
        45,
        ("board", "kpis", "trends"),
    )
    ws.save(tmp_path, settings)
    assert ws.load(tmp_path) == settings
    text = path.read_text(encoding="utf-8")
    assert "geometry=@ByteArray(\\x1\\x2,;=)" in text
    assert "looks=dense" in text
    assert "[display]\n" in text
    assert "rotate_seconds=45\n" in text
    assert 'pages="board,kpis,trends"' in text


def test_a_hand_edited_file_is_read_leniently(tmp_path):
    (tmp_path / ws.SETTINGS_FILE).write_text(
        "[display]\nrotate_seconds=soon\npages=board, kpis\n[opcua]\nmode=telepathy\n",
        encoding="utf-8",
    )
    loaded = ws.load(tmp_path)
    assert loaded.rotate_seconds == ws.DEFAULT_ROTATE_SECONDS
    assert loaded.pages == ("board", "kpis")
    assert loaded.opcua.mode is ws.PlantMode.DEMO
    assert ws.load(tmp_path / "nowhere") == ws.WorkstationSettings()


@pytest.mark.parametrize(
    ("settings", "complaint"),
    [
        (ws.WorkstationSettings("postgresql+psycopg://wrench:s3cret@db1/wb"), "password"),
        (ws.WorkstationSettings("sqlite://///fileserver/maint/wb.sqlite3"), "network share"),
        (ws.WorkstationSettings("sqlite:///:memory:"), "in-memory"),
        (ws.WorkstationSettings("mysql://db1/wb"), "unsupported"),
        (ws.WorkstationSettings("postgresql+psycopg:///wb"), "host"),
        (ws.WorkstationSettings("not a url"), "cannot read"),
        (
            ws.WorkstationSettings(opcua=ws.OpcUaSettings(ws.PlantMode.SERVER, "http://x")),
            "opc.tcp",
        ),
        (ws.WorkstationSettings(opcua=ws.OpcUaSettings(security="paranoid")), "security"),
        (ws.WorkstationSettings(opcua=ws.OpcUaSettings(certificate="c.der")), "both"),
        (ws.WorkstationSettings(rotate_seconds=1), "rotation"),
        (ws.WorkstationSettings(pages=("Board!",)), "has no page Board!"),
    ],
)
def test_bad_settings_are_refused_naming_what_to_fix(tmp_path, settings, complaint):
    problems = ws.problems(settings)
    assert any(complaint in p for p in problems), problems
    with pytest.raises(ValidationFailed):
        ws.save(tmp_path, settings)
    assert not (tmp_path / ws.SETTINGS_FILE).exists()


def test_redaction_hides_the_password_only():
    assert redact_url("postgresql+psycopg://wrench:s3cret@db1:5433/wb") == (
        "postgresql+psycopg://wrench:***@db1:5433/wb"
    )
    assert redact_url(PG) == PG
    assert ws.without_password("") == ("", None)
    assert ws.without_password("postgresql+psycopg://wrench:s3cret@db1/wb") == (
        "postgresql+psycopg://wrench@db1/wb",
        "s3cret",
    )


def test_the_database_comes_from_command_line_environment_file_then_default(tmp_path):
    from_file = ws.WorkstationSettings(PG)
    default = f"sqlite:///{tmp_path / 'wrenchbook.sqlite3'}"
    env = {"WRENCHBOOK_DB": "postgresql+psycopg://env@db2/wb"}
    with credential_store(available=False):
        assert (
            ws.choose_database("sqlite:///x.db", tmp_path, from_file, env).url == "sqlite:///x.db"
        )
        assert ws.choose_database(None, tmp_path, from_file, env).url == env["WRENCHBOOK_DB"]
        chosen = ws.choose_database(None, tmp_path, from_file, {})
        assert chosen.url == PG
        assert str(ws.settings_path(tmp_path)) in chosen.source
        assert ws.choose_database(None, tmp_path, ws.WorkstationSettings(), {}).url == default


def test_a_saved_database_password_is_added_at_connect_time_only(tmp_path):
    with credential_store() as store:
        credentials.put(credentials.DATABASE, ws.database_account(PG), "s3cret")
        assert store.passwords == {
            ("Wrenchbook database", "wrench@db1.plant.local:5432/wrenchbook"): "s3cret"
        }
        url = ws.choose_database(None, tmp_path, ws.WorkstationSettings(PG), {}).url
        assert url == "postgresql+psycopg://wrench:s3cret@db1.plant.local/wrenchbook"
        ws.save(tmp_path, ws.WorkstationSettings(PG))
    assert "s3cret" not in (tmp_path / ws.SETTINGS_FILE).read_text(encoding="utf-8")


def test_without_a_credential_store_passwords_come_from_the_environment(tmp_path):
    with credential_store(available=False):
        assert not credentials.store_available()
        with pytest.raises(Exception, match="PGPASSWORD"):
            credentials.put(credentials.DATABASE, "wrench@db1:5432/wb", "s3cret")
        assert ws.choose_database(None, tmp_path, ws.WorkstationSettings(PG), {}).url == PG
        server = ws.OpcUaSettings(ws.PlantMode.SERVER, "opc.tcp://plc:4840", username="op")
        choice = ws.choose_plant(
            None, False, ws.WorkstationSettings(opcua=server), {"WRENCHBOOK_OPC_PASSWORD": "pw"}
        )
        assert (choice.username, choice.password) == ("op", "pw")


def test_the_plant_comes_from_command_line_then_file_then_the_simulator():
    server = ws.OpcUaSettings(
        ws.PlantMode.SERVER,
        "opc.tcp://plc:4840",
        "sign",
        username="op",
        certificate="c.der",
        private_key="k.pem",
    )
    settings = ws.WorkstationSettings(opcua=server)
    with credential_store() as store:
        store.set_password(credentials.OPCUA, ws.opcua_account(server), "pw")
        assert ws.choose_plant(None, True, settings, {}).mode is ws.PlantMode.OFF
        given_endpoint = ws.choose_plant("opc.tcp://other:4841", False, settings, {})
        assert (given_endpoint.endpoint, given_endpoint.security) == (
            "opc.tcp://other:4841",
            "sign",
        )
        chosen = ws.choose_plant(None, False, settings, {})
        assert chosen == ws.PlantChoice(
            ws.PlantMode.SERVER,
            "opc.tcp://plc:4840",
            "sign",
            "op",
            "pw",
            Path("c.der"),
            Path("k.pem"),
        )
    assert ws.choose_plant(None, False, ws.WorkstationSettings(), {}).mode is ws.PlantMode.DEMO


def test_the_settings_command_writes_the_file_a_headless_service_reads(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.delenv("WRENCHBOOK_DB", raising=False)
    folder = str(tmp_path)
    url = f"sqlite:///{tmp_path / 'plant.sqlite3'}"
    assert main(["settings", "set", "--data-dir", folder, f"database/url={url}"]) == 0
    assert main(["settings", "set", "--data-dir", folder, "display/pages=board,kpis"]) == 0
    assert ws.load(tmp_path) == ws.WorkstationSettings(url, pages=("board", "kpis"))
    capsys.readouterr()
    assert main(["settings", "show", "--data-dir", folder]) == 0
    assert f"database in use: {url} (from the settings file" in capsys.readouterr().out


def test_the_settings_command_keeps_no_password_it_cannot_store(tmp_path, capsys):
    with credential_store(available=False):
        code = main(
            [
                "settings",
                "set",
                "--data-dir",
                str(tmp_path),
                "database/url=postgresql+psycopg://wrench:s3cret@db1/wrenchbook",
            ]
        )
    assert code == 1
    assert "PGPASSWORD" in capsys.readouterr().err
    assert not (tmp_path / ws.SETTINGS_FILE).exists()
    with credential_store() as store:
        assert (
            main(
                [
                    "settings",
                    "set",
                    "--data-dir",
                    str(tmp_path),
                    "database/url=postgresql+psycopg://wrench:s3cret@db1/wrenchbook",
                ]
            )
            == 0
        )
    assert store.passwords == {(credentials.DATABASE, "wrench@db1:5432/wrenchbook"): "s3cret"}
    text = (tmp_path / ws.SETTINGS_FILE).read_text(encoding="utf-8")
    assert "url=postgresql+psycopg://wrench@db1/wrenchbook" in text
    assert "s3cret" not in text
