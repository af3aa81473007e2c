"""`python main.py ...` fed garbage: dates, numbers, unknown ids, long strings. Every run ends
with an exit code and a message, never a traceback, and a refused run changes nothing."""

from __future__ import annotations

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from desktop.cli import main as cli_main
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.stock.inventory import InventoryService
from tests.conftest import PASSWORD
from tests.integration.stock import ledger_matches, stock_room
from tests.integration.workflow import raise_order
from tests.reliability.conftest import fingerprint
from tests.reliability.fuzzing import FUZZ

NUMBERS = (
    st.sampled_from(
        [
            "nan",
            "NaN",
            "inf",
            "-inf",
            "1e999",
            "-1e999",
            "1e308",
            "5e-324",
            "0",
            "-0",
            "-1",
            "1",
            "2.5",
            "1,5",
            "0x10",
            "",
            " ",
            "abc",
            "9" * 400,
            "-9223372036854775809",
            "1_000",
        ]
    )
    | st.integers().map(str)
    | st.floats().map(str)
)
DATES = st.sampled_from(
    [
        "2026-03-02",
        "0001-01-01",
        "9999-12-31",
        "2026-02-30",
        "2026-13-01",
        "26-3-2",
        "yesterday",
        "",
        "2026-03-02T25:00",
        "+10000-01-01",
        "2026-W10-1",
        "20260302",
    ]
) | st.dates().map(str)
TEXTS = st.sampled_from(
    [
        "",
        "-",
        "--",
        "-x",
        "WO-2026-000001",
        "WO-0000-000000",
        "P-101",
        "NOPE",
        "P-1001",
        "A-12",
        "x" * 10_000,
        "'; DROP TABLE users; --",
        "%",
        "_",
        "Ωmega",
        "\u202e",
        "admin",
        "--help",
    ]
) | st.text(st.characters(exclude_characters="\x00"), max_size=60)
# The shell cannot pass NUL bytes in arguments, so neither does the fuzzer.


def _w(words: str) -> st.SearchStrategy[tuple[str, ...]]:
    return st.just(tuple(words.split()))


COMMANDS = st.one_of(
    st.tuples(
        _w("wo create --asset"),
        TEXTS,
        _w("--title"),
        TEXTS,
        _w("--priority"),
        NUMBERS,
        _w("--estimate"),
        NUMBERS,
    ),
    st.tuples(_w("wo list --limit"), NUMBERS, _w("--search"), TEXTS),
    st.tuples(_w("wo show"), TEXTS),
    st.tuples(_w("wo transition"), TEXTS, _w("--to"), TEXTS),
    st.tuples(_w("wo assign"), TEXTS, TEXTS),
    st.tuples(
        _w("wo labour"),
        TEXTS,
        _w("--technician"),
        TEXTS,
        _w("--hours"),
        NUMBERS,
        _w("--date"),
        DATES,
    ),
    st.tuples(
        _w("wo set"),
        TEXTS,
        st.sampled_from(
            ["title=", "estimate_hours=", "priority=", "due_at=", "asset_down=", "nope=", "="]
        ).flatmap(lambda k: (NUMBERS | TEXTS | DATES).map(lambda v: k + v)),
    ),
    st.tuples(
        _w("stock receive"),
        TEXTS,
        _w("--qty"),
        NUMBERS,
        _w("--bin"),
        TEXTS,
        _w("--cost"),
        NUMBERS,
    ),
    st.tuples(
        _w("stock issue"),
        TEXTS,
        _w("--qty"),
        NUMBERS,
        _w("--bin"),
        TEXTS,
        _w("--wo"),
        TEXTS,
    ),
    st.tuples(
        _w("stock adjust"),
        TEXTS,
        _w("--qty"),
        NUMBERS,
        _w("--bin"),
        TEXTS,
        _w("--reason"),
        TEXTS,
    ),
    st.tuples(
        _w("stock transfer"),
        TEXTS,
        _w("--qty"),
        NUMBERS,
        _w("--from"),
        TEXTS,
        _w("--to"),
        TEXTS,
    ),
    st.tuples(_w("stock ledger"), TEXTS, _w("--limit"), NUMBERS),
    st.tuples(_w("stock parts --search"), TEXTS),
    st.tuples(_w("kpi --from"), DATES, _w("--to"), DATES),
    st.tuples(_w("pm compliance --from"), DATES, _w("--to"), DATES),
    st.tuples(
        _w("pm add --code"),
        TEXTS,
        _w("--asset"),
        TEXTS,
        _w("--title"),
        TEXTS,
        _w("--every"),
        NUMBERS,
        _w("--unit months --lead-days"),
        NUMBERS,
    ),
    st.tuples(_w("meter read"), TEXTS, NUMBERS),
    st.tuples(_w("calendar show --from"), DATES, _w("--days"), NUMBERS),
    st.tuples(_w("calendar shutdown"), DATES, DATES, TEXTS),
    st.tuples(
        _w("plant rule-add --name"),
        TEXTS,
        _w("--tag"),
        TEXTS,
        _w("--limit"),
        NUMBERS,
        _w("--window"),
        NUMBERS,
        _w("--on-delay"),
        NUMBERS,
    ),
    st.tuples(_w("plant replay"), NUMBERS, _w("--days"), NUMBERS, _w("--limit"), NUMBERS),
    st.tuples(_w("plant ack"), NUMBERS),
    st.tuples(_w("po show"), TEXTS),
)


def _flatten(parts: tuple[tuple[str, ...] | str, ...]) -> list[str]:
    """Fixed words (tuples) as a shell splits them; each generated value one argument."""
    argv: list[str] = []
    for part in parts:
        argv += list(part) if isinstance(part, tuple) else [part]
    return argv


@pytest.fixture
def cli_db(db, db_url, actors, monkeypatch):
    monkeypatch.setenv("WRENCHBOOK_USER", "admin")
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", PASSWORD)
    stock_room(InventoryService(db), actors["admin"])
    raise_order(WorkOrderService(db), actors["admin"])
    return db_url


def run(capsys, argv: list[str]) -> tuple[int, str, str]:
    try:
        code = cli_main(argv)
    except SystemExit as done:  # argparse: --help, or a usage error
        code = done.code if isinstance(done.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@FUZZ
@given(argv=COMMANDS.map(_flatten))
@example(argv=["stock", "receive", "P-1001", "--qty", "inf", "--bin", "A-12", "--cost", "1"])
@example(argv=["stock", "receive", "P-1001", "--qty", "1", "--bin", "A-12", "--cost", "nan"])
@example(argv=["stock", "adjust", "P-1001", "--qty", "nan", "--bin", "A-12", "--reason", "count"])
@example(argv=["stock", "ledger", "P-1001", "--limit", "-5"])
@example(argv=["calendar", "show", "--from", "2199-12-31", "--days", "30"])
@example(argv=["kpi", "--from", "1900-01-01", "--to", "2026-03-02"])
@example(argv=["kpi", "--to", "0001-01-01"])
@example(argv=["pm", "compliance", "--from", "2026-01-01", "--to", "9999-12-31"])
@example(argv=["plant", "rule-add", "--name", "r", "--tag", "T", "--limit", "1", "--window", "nan"])
@example(argv=["plant", "replay", "1", "--days", "inf", "--limit", "1"])
@example(argv=["wo", "set", "WO-2026-000001", "estimate_hours=abc"])
@example(argv=["meter", "read", "NOPE", "nan"])
@example(argv=["plant", "ack", "99999999999999999999"])
@example(argv=["wo", "show", "\udcff"])
@example(argv=["wo", "list", "--limit", "9" * 400])  # an undecodable byte, as Python passes it on
@example(argv=["stock", "return", "P-1001", "--qty", "1e-244", "--bin", "A-12", "--wo", "W"])
def test_cli_arguments(db, cli_db, capsys, argv):
    argv = [*argv, "--db", cli_db]
    before = fingerprint(db)
    code, out, err = run(capsys, argv)
    event(f"{' '.join(argv[:2])}: exit {code}")
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err + out
    if code != 0:
        assert err.strip(), f"{argv} failed without saying why"
        assert fingerprint(db) == before, (argv, err)
    assert ledger_matches(db) == []
