"""Attachments are checked by their content and size, the same way on every path that stores
one, and a refused file leaves the work order exactly as it was."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import UTC, datetime

import openpyxl
import pytest
from sqlalchemy import func, select

from desktop.domain.condition import Direction, RuleKind, RuleSpec
from desktop.domain.errors import ValidationFailed
from desktop.services.condition.alarms import AlarmService, Evidence
from desktop.services.condition.plant_tags import PlantTagService, RuleDraft, TagDraft
from desktop.services.orders.work_orders import SearchFilter, WorkOrderService
from desktop.services.shared import attachments, audit
from desktop.store.models import Attachment, WorkOrder
from tests.integration.workflow import raise_order

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60
OLD_EXCEL = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 500


def workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["bearing", "temperature"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def word_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


def archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as bundle:
        bundle.writestr("readme.txt", "hello")
    return out.getvalue()


ACCEPTED = [
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "application/pdf"),
    ("seal.png", PNG, "image/png"),
    ("seal.JPG", JPEG, "image/jpeg"),
    ("spark.gif", b"GIF89a" + b"\x00" * 20, "image/gif"),
    ("phone.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20, "image/webp"),
    ("notes.txt", "Lager läuft rau, 4,2 mm/s\r\n".encode(), "text/plain"),
    ("plc.log", b"2026-03-02 08:00 E-STOP\n", "text/plain"),
    ("readings.csv", b"time,value\n08:00,4.2\n", "text/csv"),
    ("readings.xlsx", workbook(), attachments._XLSX.mime_type),
    ("procedure.docx", word_document(), attachments._DOCX.mime_type),
]

REFUSED = [
    ("photo.exe", PROGRAM, "photo.exe is a Windows program; attach PDF, PNG, JPEG"),
    ("photo.jpg", PROGRAM, "photo.jpg is a Windows program; attach PDF, PNG, JPEG"),
    ("report.pdf", PNG, "report.pdf is a PNG picture by its content, not .pdf; rename it .png"),
    ("run.sh", b"#!/bin/sh\nrm -rf /\n", "run.sh: .sh files are not accepted; it is a text file"),
    ("photos.zip", archive(), "photos.zip is a ZIP archive; attach"),
    ("budget.xls", OLD_EXCEL, "budget.xls is an old Office file (.doc, .xls or .ppt): save it as"),
    ("seal", PNG, "seal: a file without an extension is not accepted; it is a PNG picture"),
    ("empty.txt", b"", "empty.txt is empty"),
    ("dump.txt", b"\x00\x01\x02binary", "dump.txt is a file of unknown type; attach"),
]


@pytest.mark.parametrize(("name", "content", "mime"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_accepted_kinds_are_recognised_by_their_content(name, content, mime) -> None:
    assert attachments.attachment_problem(name, len(content), content) is None
    assert attachments.kind_of(name, content).mime_type == mime


@pytest.mark.parametrize(("name", "content", "says"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refusals_say_what_to_fix(name, content, says) -> None:
    problem = attachments.attachment_problem(name, len(content), content)
    assert problem is not None
    assert problem.startswith(says)


def test_the_size_cap_is_checked_before_the_file_is_read(tmp_path) -> None:
    """A 4 GiB sparse file: reading it would take seconds and gigabytes; refusing it does not."""
    video = tmp_path / "walkround.png"
    with video.open("wb") as stream:
        stream.write(PNG)
        stream.truncate(4 * 1024**3)
    started = time.perf_counter()
    with pytest.raises(ValidationFailed, match=r"walkround.png is 4096.0 MiB, larger than 25 MiB"):
        attachments.read_file(video)
    assert time.perf_counter() - started < 5, "the file was read before its size was checked"


def test_a_file_is_stored_under_its_own_name_only() -> None:
    assert attachments.base_name(r"C:\Users\tom\Desktop\seal.png") == "seal.png"
    assert attachments.base_name("/home/tom/seal.png") == "seal.png"


def fingerprint(db, number: str) -> tuple[object, ...]:
    with db.unit_of_work(write=False) as session:
        wo = session.execute(select(WorkOrder).where(WorkOrder.number == number)).scalar_one()
        count = session.execute(select(func.count(Attachment.id))).scalar_one()
        return (wo.version, wo.updated_at, count)


@pytest.mark.parametrize(("name", "content", "says"), REFUSED[:3], ids=[r[0] for r in REFUSED[:3]])
def test_a_refused_file_leaves_the_order_unchanged(db, actors, name, content, says) -> None:
    service = WorkOrderService(db)
    number = raise_order(service, actors["tom"]).number
    before, seq = fingerprint(db, number), audit.latest_sequence(db)
    with pytest.raises(ValidationFailed) as refused:
        service.add_attachment(actors["tom"], number, name, content)
    assert refused.value.problems["file"].startswith(says)
    assert fingerprint(db, number) == before
    assert audit.latest_sequence(db) == seq
    assert service.get(number).attachments == ()


@pytest.mark.both_engines
def test_an_accepted_file_keeps_the_type_its_content_shows(db, actors, tmp_path, clock) -> None:
    service = WorkOrderService(db, clock)
    number = raise_order(service, actors["tom"]).number
    path = tmp_path / "readings.xlsx"
    path.write_bytes(workbook())
    view = service.attach_file(actors["tom"], number, path)
    assert (view.filename, view.mime_type) == ("readings.xlsx", attachments._XLSX.mime_type)
    assert [e.action for e in audit.entries_for(db, "work_order", number)][-1] == "attach"


def test_alarm_evidence_goes_through_the_same_check_and_a_bad_picture_raises_nothing(
    db, actors
) -> None:
    tags = PlantTagService(db)
    tags.import_tags(actors["paula"], [TagDraft("P-101.Vib", "P-101", "urn:x", "s=P-101.Vib")])
    spec = RuleSpec(RuleKind.THRESHOLD, 7.1, Direction.ABOVE, hysteresis=0.5)
    rule = tags.add_rule(actors["paula"], RuleDraft("vibration", "P-101.Vib", spec))
    alarms = AlarmService(db)
    seq = audit.latest_sequence(db)
    at = datetime(2026, 3, 2, 9, tzinfo=UTC)
    with pytest.raises(ValidationFailed, match=r"\.png is a Windows program"):
        alarms.raise_alarm(actors["tom"], rule.id, at, 7.4, "high", Evidence(b"t,v\n", PROGRAM))
    assert alarms.alarms() == []
    assert WorkOrderService(db).search(SearchFilter()) == []
    assert audit.latest_sequence(db) == seq
    alarm = alarms.raise_alarm(actors["tom"], rule.id, at, 7.4, "high", Evidence(b"t,v\n", PNG))
    assert alarm is not None
    evidence = WorkOrderService(db).get(alarm.work_order_number).attachments
    assert sorted(a.mime_type for a in evidence) == ["image/png", "text/csv"]
