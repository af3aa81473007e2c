"""`report` on the command line: sheets and audit packs as an office script would ask for them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from desktop.cli import main
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from tests.conftest import PASSWORD
from tests.integration.pdf_pages import page_texts


@pytest.fixture
def order(db, clock, actors):
    """A work order raised on 2026-03-02 08:00 UTC (the test clock)."""
    draft = WorkOrderDraft(title="Gland leak", asset_code="P-101")
    return WorkOrderService(db, clock).create(actors["paula"], draft).work_order.number


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_sheets_for_numbers_on_letter_paper(db_url, order, capsys, tmp_path):
    out = tmp_path / "sheets.pdf"
    code, printed, _ = run(
        capsys, "report", "sheets", order, "--paper", "letter", "--db", db_url, "--out", str(out)
    )
    assert (code, printed) == (0, f"wrote {out}: 1 sheets on 1 pages (letter)\n")
    assert float(PdfReader(out).pages[0].mediabox.height) == 792
    assert order in page_texts(out)[0]


def test_audit_pack_includes_the_day_given_as_the_end(db_url, order, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("WRENCHBOOK_USER", "sam")
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", PASSWORD)
    out = tmp_path / "pack.pdf"
    args = ("report", "audit-pack", "--db", db_url, "--out", str(out), "--from", "2026-03-01")

    code, printed, _ = run(capsys, *args, "--to", "2026-03-02", "--types", "corrective")

    assert code == 0
    assert printed.startswith(f"wrote {out}: ")
    assert "1 work orders; audit chain intact, final hash " in printed
    text = "\n".join(page_texts(out))
    assert order in text
    assert "Sam (sam)" in text
    code, printed, _ = run(capsys, *args, "--to", "2026-03-01")
    assert code == 0
    assert "0 work orders" in printed


def test_audit_pack_names_who_made_it_so_it_needs_a_user(db_url, capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("WRENCHBOOK_USER", raising=False)
    out = tmp_path / "pack.pdf"
    code, _, err = run(
        capsys, "report", "audit-pack", "--db", db_url, "--from", "2026-03-01", "--to",
        "2026-03-31", "--out", str(out),
    )  # fmt: skip
    assert (code, err) == (
        1,
        "error: changes need a user: give --user NAME or set WRENCHBOOK_USER\n",
    )
    assert not out.exists()


def test_unreadable_dates_are_a_usage_error(capsys, tmp_path):
    with pytest.raises(SystemExit) as stop:
        main(["report", "audit-pack", "--from", "1.3.2026", "--to", "2026-03-31", "--out", "x"])
    assert stop.value.code == 2
    assert "cannot read '1.3.2026': write YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["sheets", "audit-pack"])
def test_unwritable_out_is_refused_in_words_before_building(
    db_url, order, capsys, tmp_path, monkeypatch, command
):
    """Issue 16: an unwritable --out gave a traceback after the whole pack was built."""
    monkeypatch.setenv("WRENCHBOOK_USER", "sam")
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", PASSWORD)
    missing = tmp_path / "no such folder" / "out.pdf"
    extra = [order] if command == "sheets" else ["--from", "2026-03-01", "--to", "2026-03-02"]

    code, printed, err = run(
        capsys, "report", command, *extra, "--db", db_url, "--out", str(missing)
    )

    assert code != 0
    assert printed == ""
    assert err == f"error: cannot write {missing}: the folder {missing.parent} does not exist\n"
    code, _, err = run(capsys, "report", command, *extra, "--db", db_url, "--out", str(tmp_path))
    assert code != 0
    assert err == f"error: cannot write {tmp_path}: it is a folder; give a file name\n"
    assert "Traceback" not in err


def test_audit_pack_prints_the_anchor_verify_audit_accepts(db_url, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("WRENCHBOOK_USER", "sam")
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", PASSWORD)
    out = tmp_path / "pack.pdf"
    args = ["report", "audit-pack", "--from", "2026-01-01", "--to", "2026-12-31"]
    assert main([*args, "--out", str(out), "--db", db_url]) == 0
    anchor = capsys.readouterr().out.strip().splitlines()[-1].split()[-1]
    assert main(["verify-audit", "--expect", anchor, "--db", db_url]) == 0
    assert "1 anchor(s) matched" in capsys.readouterr().out


def test_audit_pack_days_are_the_site_s_days(
    db_url, db, clock, actors, capsys, tmp_path, monkeypatch
):
    """A day on the command line is a day on the site's clock (Europe/Berlin here): an order
    raised at 23:30 UTC on 1 March was raised on 2 March in Berlin, and the pack says so."""
    monkeypatch.setenv("WRENCHBOOK_USER", "sam")
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", PASSWORD)
    clock.now = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    draft = WorkOrderDraft(title="Night shift leak", asset_code="P-101")
    late = WorkOrderService(db, clock).create(actors["paula"], draft).work_order.number
    out = tmp_path / "pack.pdf"
    args = ("report", "audit-pack", "--db", db_url, "--out", str(out))

    code, printed, _ = run(capsys, *args, "--from", "2026-03-01", "--to", "2026-03-01")
    assert code == 0
    assert "0 work orders" in printed
    code, printed, _ = run(capsys, *args, "--from", "2026-03-02", "--to", "2026-03-02")
    assert code == 0
    text = "\n".join(page_texts(out))
    assert late in text
    assert "2026-03-02 00:00 to 2026-03-03 00:00 Europe/Berlin" in text
    assert "2026-03-02 00:30 by" in text


def test_sheets_print_in_the_language_asked_for(db_url, order, capsys, tmp_path):
    out = tmp_path / "de.pdf"

    code, _, _ = run(
        capsys, "report", "sheets", order, "--language", "de", "--db", db_url, "--out", str(out)
    )

    assert code == 0
    text = page_texts(out)[0]
    assert "Anweisungen" in text
    assert "Angefordert 02.03.2026 09:00" in text  # 08:00 UTC on the Berlin site's clock
    code, _, _ = run(capsys, "report", "sheets", order, "--db", db_url, "--out", str(out))
    assert "Requested 2026-03-02 09:00" in page_texts(out)[0]


def test_an_unknown_language_is_refused(db_url, order, capsys, tmp_path):
    out = tmp_path / "xx.pdf"
    with pytest.raises(SystemExit):
        main(["report", "sheets", order, "--language", "xx", "--db", db_url, "--out", str(out)])
    assert "--language" in capsys.readouterr().err
    assert not out.exists()
