"""The compliance audit pack: every record as stored, the period and scope honoured, and the
audit-chain verdict an auditor can check."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from desktop.domain.enums import CheckResult, Role, Status, WorkOrderType
from desktop.domain.errors import NotFound, ValidationFailed
from desktop.domain.failure_codes import code_lists
from desktop.reports.audit_pack import Cancelled, build_audit_pack
from desktop.reports.pack_scope import PackRequest
from desktop.reports.wording import wording
from desktop.services.admin.users import NewUser, UserService
from desktop.services.orders.lockout import Signer
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared import audit
from desktop.store.models import AuditEntry
from tests.conftest import PASSWORD
from tests.integration.pdf_pages import PAGE_OF, outline, page_texts, squeeze
from tests.integration.workflow import PATHS, prepare
from tests.tamper import tamper

PAGE_OF_DE = re.compile(r"Seite (\d+) von\s*(\d+)")
BERLIN = ZoneInfo("Europe/Berlin")  # the test site's zone: every printed time is on its clock
APRIL = PackRequest(datetime(2026, 4, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC))
TRICKY_TITLE = "<b>Pompa</b> & Größe — şaft İğne Łożysko"
# A PNG signature (attachments are checked by content) and then bytes with a known hash.
PHOTO = b"\x89PNG\r\n\x1a\n not really a picture, but bytes with a known hash"


def _raise(service, actor, title, asset="P-101", wo_type=WorkOrderType.CORRECTIVE, **fields):
    draft = WorkOrderDraft(title=title, asset_code=asset, type=wo_type, **fields)
    return service.create(actor, draft).work_order.number


def _drive(service, admin, number, target, clock):
    for step in PATHS[target]:
        prepare(service, admin, number, step, clock)
        clock.advance(minutes=30)
        service.transition(admin, number, step, note=f"to {step.value} & on")


@pytest.fixture
def plant(db, clock, actors):
    """March: one order raised and cancelled. April: a repair closed, an inspection left open."""
    admin = actors["admin"]
    UserService(db, clock).create(
        admin, NewUser("lukasz", "Łukasz Żółć-Güneş", Role.TECHNICIAN, PASSWORD, "mech", 40, 40)
    )
    service = WorkOrderService(db, clock)
    march = _raise(service, admin, "Raised in March, cancelled")
    service.transition(admin, march, Status.CANCELLED, note="duplicate")
    clock.now = datetime(2026, 4, 6, 7, 0, tzinfo=UTC)
    repair = _raise(
        service, admin, TRICKY_TITLE, checklist_codes=("CL-LOTO", "CL-PUMP"), is_failure=True
    )
    _drive(service, admin, repair, Status.IN_PROGRESS, clock)
    service.assign(admin, repair, service.get(repair).row.version, ["lukasz", "tom"])
    service.add_attachment(admin, repair, "seal <old>.png", PHOTO)
    start = clock.advance(minutes=10)
    service.add_downtime(admin, repair, start - timedelta(hours=3), start, False, "seal leak")
    clock.advance(hours=1)
    for step in (Status.COMPLETED, Status.CLOSED):
        prepare(service, admin, repair, step, clock)
        clock.advance(hours=1)
        service.transition(admin, repair, step)
    inspection = _raise(service, admin, "Belt check", "C-201", WorkOrderType.INSPECTION)
    clock.now = datetime(2026, 5, 20, tzinfo=UTC)
    return {"march": march, "repair": repair, "inspection": inspection}


@pytest.fixture
def folder(tmp_path):
    """Where the packs go: apart from the test database, so leftovers are easy to see."""
    path = tmp_path / "reports"
    path.mkdir()
    return path


def _build(db, actors, folder: Path, request=APRIL, name="pack.pdf", **options):
    out = folder / name
    result = build_audit_pack(db, actors["paula"], request, out, **options)
    return result, page_texts(out)


def test_pack_text_matches_the_records(db, clock, actors, plant, folder):
    result, pages = _build(db, actors, folder, clock=clock)
    text = "\n".join(pages)
    repair = WorkOrderService(db).get(plant["repair"])

    assert result.orders == 2
    assert "Test plant (TST)" in pages[0]
    assert "2026-04-01 02:00 to 2026-05-01 02:00 Europe/Berlin" in pages[0]
    assert "Paula (paula)" in pages[0]
    for number, page in enumerate(pages, start=1):
        assert PAGE_OF.search(page).groups() == (str(number), str(len(pages)))
    assert plant["repair"] in text
    assert plant["inspection"] in text
    assert plant["march"] not in text
    for change in repair.history:
        at = change.at.astimezone(BERLIN)
        line = f"{change.to_status.value}\n{at:%Y-%m-%d %H:%M}\n{change.username}"
        assert line in text
    assert "Łukasz Żółć-Güneş (lukasz), lead" in text
    for entry in repair.labour:
        assert f"{entry.work_date}\n{entry.technician}\n{entry.hours:g}" in text
    assert "bearing temperature" in text
    assert "10 – 80 °C\n20 °C\nPASS" in text
    mode = next(c.label for c in code_lists()["failure_mode"] if c.code == "ELP")
    assert f"Mode ELP {mode}" in text
    assert "unplanned\nseal leak" in text
    assert "seal <old>.png" in text
    assert hashlib.sha256(PHOTO).hexdigest() in squeeze(text)
    assert "work completed\nadmin" in text
    assert "reviewed and closed\nadmin" in text
    verdict = audit.verify(db)
    assert result.chain_ok
    assert result.final_hash == verdict.final_hash
    assert "Chain verified: intact." in text
    assert verdict.final_hash in squeeze(text)


def test_sections_list_the_logs_and_open_work(db, clock, actors, plant, folder):
    _, pages = _build(db, actors, folder, clock=clock)
    out = folder / "pack.pdf"
    marks = outline(out)
    top = {title: page for level, title, page in marks if level == 0}
    assert list(top) == [
        "Summary",
        "Work-order register",
        "Work-order records",
        "Inspection log",
        "Safety checklist log (lock-out/tag-out)",
        "Open and overdue work orders at the end of the period",
        "Audit trail for the period and chain verification",
    ]
    records = [title for level, title, _ in marks if level == 1]
    assert records == [f"{plant['repair']}  {TRICKY_TITLE}", f"{plant['inspection']}  Belt check"]
    contents = pages[1]
    for title, page in top.items():
        assert f"{title}\n{page + 1}" in contents
    inspection_log = pages[top["Inspection log"]]
    assert plant["inspection"] in inspection_log
    safety = pages[top["Safety checklist log (lock-out/tag-out)"]]
    assert f"{plant['repair']}\nP-101\nisolator locked\nPASS" in safety
    open_items = pages[top["Open and overdue work orders at the end of the period"]]
    assert "1 work orders were open at the end of the period, 1 of them overdue" in open_items
    assert plant["inspection"] in open_items
    summary = pages[top["Summary"]]
    assert "Failure repairs completed\n1" in summary
    # Failed at the unplanned downtime start, restored at its end, three hours later.
    assert "MTTR (SMRP 3.5.2, failures completed in the period)\n3.0 h" in summary


def test_area_and_type_narrow_the_pack_and_its_audit_excerpt(db, clock, actors, plant, folder):
    by_area = PackRequest(APRIL.start, APRIL.end, area="C-201")
    result, pages = _build(db, actors, folder, by_area, "area.pdf", clock=clock)
    text = "\n".join(pages)
    assert result.orders == 1
    assert plant["inspection"] in text
    assert plant["repair"] not in text
    assert "C-201 — Conveyor and everything below it" in pages[0]

    by_type = PackRequest(APRIL.start, APRIL.end, types=(WorkOrderType.CORRECTIVE,))
    result, pages = _build(db, actors, folder, by_type, "type.pdf", clock=clock)
    assert result.orders == 1
    assert plant["inspection"] not in "\n".join(pages)


def test_bad_requests_are_refused_with_what_to_fix(db, actors, folder):
    backwards = PackRequest(APRIL.end, APRIL.start)
    with pytest.raises(ValidationFailed, match="must be after the start"):
        _build(db, actors, folder, backwards)
    with pytest.raises(NotFound, match="no asset NOPE"):
        _build(db, actors, folder, PackRequest(APRIL.start, APRIL.end, area="NOPE"))
    assert not list(folder.iterdir())


def test_tampered_audit_trail_is_reported_on_the_cover(db, clock, actors, plant, folder):
    tamper(db, "UPDATE audit_log SET username = 'mallory' WHERE seq = 5")

    result, pages = _build(db, actors, folder, clock=clock)

    assert not result.chain_ok
    assert "BROKEN at entry 5" in pages[0]
    assert "CHAIN BROKEN at entry 5: its content was altered" in "\n".join(pages)


def test_cancelled_pack_leaves_no_file(db, clock, actors, plant, folder):
    seen: list[float] = []

    def cancel_midway(fraction: float) -> None:
        seen.append(fraction)
        if fraction > 0.3:
            raise Cancelled

    with pytest.raises(Cancelled):
        build_audit_pack(db, actors["paula"], APRIL, folder / "pack.pdf", progress=cancel_midway)
    assert list(folder.iterdir()) == []
    assert seen == sorted(seen)


def test_escaped_text_survives_in_every_section(db, clock, actors, plant, folder):
    _, pages = _build(db, actors, folder, clock=clock)
    text = "\n".join(pages)
    assert TRICKY_TITLE in text
    trail = next(i for i, page in enumerate(pages) if "Chain verified" in page)
    before_trail = "\n".join(pages[:trail])
    # Contents, register (wrapped in its narrow column) and the record's heading.
    assert squeeze(before_trail).count(squeeze(TRICKY_TITLE)) == 3
    # The audit trail prints the stored values too, as typed (JSON keeps them unescaped).
    assert squeeze(TRICKY_TITLE) in squeeze("\n".join(pages[trail:]))
    assert "to approved & on" in text


LONG_TEXT = "\n".join(
    f"Step {n}: isolate, lock, drain, check the seal faces and log the reading." for n in range(200)
)[:10_000]


def _signed_lockout_template(db) -> None:
    from desktop.domain.enums import ChecklistItemKind
    from desktop.store.models import ChecklistTemplate, ChecklistTemplateItem

    with db.unit_of_work() as session:
        session.add(
            ChecklistTemplate(
                code="CL-LOTO-SIGN",
                name="Lock-out with sign-off",
                safety=True,
                items=[
                    ChecklistTemplateItem(
                        position=1, kind=ChecklistItemKind.TEXT, text="lock numbers"
                    ),
                    ChecklistTemplateItem(
                        position=2, kind=ChecklistItemKind.SIGNATURE, text="shift leader sign-off"
                    ),
                ],
            )
        )


def test_long_texts_flow_and_answered_sign_offs_print_what_was_entered(db, clock, actors, folder):
    """Issue 16: a 10,000-character description and resolution stopped the pack; the lock-out
    log printed answered sign-offs as UNANSWERED; the inspection log's Open counted answers."""
    import subprocess

    _signed_lockout_template(db)
    admin = actors["admin"]
    service = WorkOrderService(db, clock)
    clock.now = datetime(2026, 4, 6, 7, 0, tzinfo=UTC)
    number = _raise(
        service,
        admin,
        "Overhaul",
        checklist_codes=("CL-LOTO-SIGN",),
        description=LONG_TEXT,
        is_failure=True,
    )
    service.answer_checklist_item(admin, number, 1, text="L-17, L-18")
    service.answer_checklist_item(admin, number, 2, signer=Signer("admin", PASSWORD))
    service.update(admin, number, service.get(number).row.version, {"resolution": LONG_TEXT})
    inspection = _raise(
        service, admin, "Pump round", wo_type=WorkOrderType.INSPECTION, checklist_codes=("CL-PUMP",)
    )
    for item in service.get(inspection).checklist[:2]:
        service.answer_checklist_item(
            admin, inspection, item.position, result=CheckResult.PASS, value=20.0, text="ok"
        )
    clock.now = datetime(2026, 5, 20, tzinfo=UTC)

    result, _ = _build(db, actors, folder, clock=clock)
    out = folder / "pack.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[: result.pages]

    trail_at = next(i for i, p in enumerate(pages) if "Chain verified" in p)
    flat = " ".join("".join(pages[:trail_at]).split())
    assert flat.count("Step 0: isolate") == 2
    assert flat.count(LONG_TEXT.splitlines()[-1][:40]) == 2
    log = next(p for p in pages if "Safety checklist log" in p and "lock numbers" in p)
    assert "UNANSWERED" not in log
    assert "L-17, L-18" in log
    assert "Ada Admin" in log  # a signature item records who signed
    inspections = next(p for p in pages if "Failed items" in p)
    row = next(line for line in inspections.splitlines() if line.startswith(inspection))
    assert row.split()[3:7] == ["2", "0", "0", "2"]  # pass, fail, n/a, open of four items
    for number_, page in enumerate(pages, start=1):
        assert f"Page {number_} of {len(pages)}" in page


def test_audit_trail_prints_before_after_and_both_hashes_and_the_chain_head(
    db, clock, actors, plant, folder
):
    """Issue 16: the printed trail had no before/after values and no previous hash, so it could
    not be checked by hand; the pack now ends with the chain head and the command to check it."""
    import json

    result, pages = _build(db, actors, folder, clock=clock)
    trail = "".join(pages[next(i for i, p in enumerate(pages) if "Chain verified" in p) :])
    flat = "".join(trail.split())
    with db.unit_of_work(write=False) as session:
        entries = (
            session.query(AuditEntry)
            .filter(AuditEntry.at >= APRIL.start, AuditEntry.at < APRIL.end)
            .order_by(AuditEntry.seq)
            .all()
        )
        assert entries
        for entry in entries:
            assert f"previoushash:{entry.prev_hash}hash:{entry.hash}" in flat
            expected = audit.entry_hash(
                entry.prev_hash,
                seq=entry.seq,
                at=entry.at,
                user_id=entry.user_id,
                username=entry.username,
                action=entry.action,
                entity_type=entry.entity_type,
                entity_id=entry.entity_id,
                before_json=entry.before_json,
                after_json=entry.after_json,
            )
            assert expected == entry.hash
        moved = next(e for e in entries if '"status"' in e.after_json)
        assert "".join(f"after:{moved.after_json}".split()) in flat
        assert json.loads(moved.after_json)["status"]
    assert "".join(f"Chain head at the end of this pack: {result.final_hash}".split()) in flat
    assert "pythonmain.pyverify-audit--dbURL" in flat


def test_an_order_with_only_activity_in_the_period_is_in_the_pack(db, clock, actors, folder):
    """Issue 16: a lock-out applied in the period on an order raised before it was missing."""
    from tests.integration.workflow import drive_to

    admin = actors["admin"]
    service = WorkOrderService(db, clock)
    clock.now = datetime(2026, 3, 20, tzinfo=UTC)
    quiet = _raise(service, admin, "Raised in March, untouched in April")
    busy = _raise(
        service, admin, "Raised in March, locked out in April", checklist_codes=("CL-LOTO",)
    )
    drive_to(service, admin, busy, Status.SCHEDULED, clock)
    clock.now = datetime(2026, 4, 10, tzinfo=UTC)
    service.answer_checklist_item(admin, busy, 1, result=CheckResult.PASS)
    clock.now = datetime(2026, 5, 20, tzinfo=UTC)

    result, pages = _build(db, actors, folder, clock=clock)

    register = next(p for p in pages if "Work-order register" in p and "Requested" in p)
    assert busy in register
    assert quiet not in register
    assert result.orders == 1


# Headings and fixed words of the pack that must not stay English in a German pack.
ENGLISH_PACK_WORDS = (
    "Maintenance compliance audit pack",
    "Contents",
    "Summary",
    "Work-order register",
    "Work-order records",
    "Inspection log",
    "Status history",
    "Checklist results",
    "Failure codes",
    "Sign-offs",
    "Attachments",
    "Downtime",
    "Generated",
    "Page ",
    "Period",
    "Work orders in this pack",
    "Chain verified",
    "work completed",
    "reviewed and closed",
    "unplanned",
    " to ",
)


def test_a_german_pack_has_german_headings_dates_and_numbers(db, clock, actors, plant, folder):
    result, pages = _build(db, actors, folder, clock=clock, wording=wording("de"))
    text = "\n".join(pages)

    assert result.chain_ok
    for german in (
        "Auditpaket Instandhaltung",
        "Inhalt",
        "Übersicht",
        "Auftragsverzeichnis",
        "Auftragsnachweise",
        "Statusverlauf",
        "Checklistenergebnisse",
        "Abzeichnungen",
        "Kette geprüft: intakt.",
        "Arbeit abgeschlossen",
        "geprüft und geschlossen",
    ):
        assert german in text, german
    # The site's clock (Berlin, summer time) in the German date format.
    assert "01.04.2026 02:00 bis 01.05.2026 02:00 Europe/Berlin" in pages[0]
    assert PAGE_OF_DE.search(pages[0]).groups() == ("1", str(len(pages)))
    repair = WorkOrderService(db).get(plant["repair"])
    for change in repair.history:
        assert f"{change.at.astimezone(BERLIN):%d.%m.%Y %H:%M}" in text
    # Figures with a decimal comma, the failure code by its German name.
    assert "MTTR (SMRP 3.5.2, im Zeitraum abgeschlossene Störungen)\n3,0 h" in text
    mode = next(c for c in code_lists()["failure_mode"] if c.code == "ELP")
    assert f"Art ELP {mode.name('de')}" in text
    assert mode.name("de") != mode.label
    assert "in Arbeit" in text  # the statuses are the screen's German words
    found = [word for word in ENGLISH_PACK_WORDS if word in text]
    assert not found, f"English left in the German pack: {found}"


def test_a_large_figure_prints_with_german_separators(db, clock, actors, plant, folder):
    service = WorkOrderService(db, clock)
    clock.now = datetime(2026, 4, 20, 6, 0, tzinfo=UTC)
    big = _raise(service, actors["admin"], "Overhaul", estimate_hours=1234.5)
    clock.now = datetime(2026, 5, 20, tzinfo=UTC)

    _, pages = _build(db, actors, folder, clock=clock, wording=wording("de"))
    text = "\n".join(pages)

    assert big in text
    assert "1.234,5 h" in text
    _, english = _build(db, actors, folder, name="en.pdf", clock=clock)
    assert "1234.5 h" in "\n".join(english)
