"""TLS to PostgreSQL: certificates checked by default off this computer, and a refusal says why."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from desktop.cli import main
from desktop.store.database import postgres_tls


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql+psycopg://tom@db.plant.example/wrenchbook", {"sslmode": "verify-full"}),
        ("postgresql+psycopg://tom@10.0.0.5:5432/wrenchbook", {"sslmode": "verify-full"}),
        ("postgresql+psycopg://tom@db.plant.example/wb?sslmode=require", {}),
        ("postgresql+psycopg://tom@127.0.0.1/wrenchbook", {}),
        ("postgresql+psycopg://tom@localhost/wrenchbook", {}),
        ("postgresql+psycopg://tom@/wrenchbook?host=/run/postgresql", {}),
    ],
)
def test_server_certificate_is_checked_by_default_for_other_computers(url, expected):
    assert postgres_tls(url) == expected


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_server_without_tls_is_refused_with_the_setting_to_change(db_url, capsys):
    # The test server speaks no TLS: what a workstation sees when the certificate check fails.
    strict = make_url(db_url).update_query_dict({"sslmode": "verify-full"})
    code = main(["verify-audit", "--db", strict.render_as_string(hide_password=False)])
    err = capsys.readouterr().err
    assert code != 0
    assert "sslmode is verify-full" in err
    assert "sslrootcert" in err
