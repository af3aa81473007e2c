"""An OPC UA password never crosses the plant network in clear text."""

from __future__ import annotations

from pathlib import Path

from desktop.plant.connection import Connection, Security


def test_login_over_security_mode_none_is_refused_with_the_fix():
    conn = Connection("opc.tcp://plc-gw:4840/ua", username="operator", password="s3cret-pw")
    assert "sign_and_encrypt" in conn.problems()["login"]


def test_login_over_sign_and_encrypt_is_accepted():
    conn = Connection(
        "opc.tcp://plc-gw:4840/ua",
        security=Security.SIGN_AND_ENCRYPT,
        pki_dir=Path("pki"),
        username="operator",
        password="s3cret-pw",
    )
    assert conn.problems() == {}


def test_anonymous_over_security_mode_none_stays_allowed():
    assert Connection("opc.tcp://plc-gw:4840/ua").problems() == {}
