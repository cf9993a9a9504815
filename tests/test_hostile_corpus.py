"""A corpus of hostile kinds, generated here (tests/hostile_kinds.py), through the real pipeline.

Each kind is stored in a real SQLite store and parsed by the application's job
(``app.parse_job``: bounded worker processes). What must hold for every one: the raw bytes
are kept as given, the message gets a parsed row, what went wrong is a recorded reason
with a code, and the messages after it are parsed too. Hang guards (pytest-timeout) are
generous; nothing asserts a speed.
"""

from __future__ import annotations

import io
import multiprocessing
import zipfile
from dataclasses import replace

import docx
import hostile_kinds as kinds
import pytest
from ingest_helpers import make_message

from areaplan.app.parse_job import parse_messages, parse_pending, reparse
from areaplan.parsers.types import ParseSettings
from areaplan.store.db import open_db
from areaplan.store.messages import Location, save_message
from areaplan.store.tx import transaction

pytestmark = pytest.mark.timeout(900)


def _docx(text: str) -> bytes:
    d = docx.Document()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _utf32_dtd_docx() -> bytes:
    xml = '<?xml version="1.0" encoding="UTF-32"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'
    return kinds.docx_member_replaced(_docx("รายงาน"), "docProps/app.xml", xml.encode("utf-32"))


# kind -> (raw message, a reason code that must be recorded on it, or None)
def corpus() -> dict[str, tuple[bytes, str | None]]:
    form = _docx("แบบรายงาน จังหวัดน่าน " * 50)
    return {
        "absurd Date year": (kinds.absurd_date_mail(), None),
        "200k-line folded Subject": (kinds.folded_header_mail(), None),
        "20k tone-mark pairs": (kinds.tone_mark_mail(), None),
        "wide ZIP (1000 entries, one member)": (
            kinds.mail("แนบ", "ไฟล์", attachments=[("wide.zip", kinds.wide_zip(form))]), "attachment.too_many"),
        "PDF inflating to 1 GiB": (
            kinds.mail("แนบ", "ไฟล์", attachments=[("bomb.pdf", kinds.pdf_inflating_to())]), "attachment.unreadable"),
        "DOCX with a UTF-32 DTD": (
            kinds.mail("แนบ", "ไฟล์", attachments=[("laughs.docx", _utf32_dtd_docx())]), "attachment.unreadable"),
        "50 MB attachment": (kinds.big_attachment_mail(), "attachment.unreadable"),
        "a file of NULs": (b"\0" * 5000, None),
        "a JPEG given as mail": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 20, None),
        "UTF-16 text": ("From: ก\nรายงาน".encode("utf-16"), None),
        "no blank line after the headers": (b"From: a@example.go.th\r\nSubject: x\r\nbody without separator", None),
    }


def _store(tmp_path, raws: list[bytes]):
    db = open_db(tmp_path / "a.db")
    ids = []
    with transaction(db):
        for i, raw in enumerate(raws):
            ids.append(save_message(db, raw, Location("eml", path=f"/hostile/{i}.eml")).message)
    return db, ids


def _codes(db, message: int) -> set[str]:
    return {r[0] for r in db.execute("SELECT code FROM reasons WHERE message = ?", [message])}


def test_every_hostile_kind_is_kept_parsed_and_given_its_reason(tmp_path):
    cases = corpus()
    raws = [raw for raw, _code in cases.values()] + [make_message(1)]
    db, ids = _store(tmp_path, raws)
    assert len(set(ids)) == len(raws)  # none merged with another

    parsed, _review = parse_pending(db, ParseSettings())

    assert parsed == len(raws)
    for (kind, (raw, code)), message in zip(cases.items(), ids, strict=False):
        stored = db.execute("SELECT r.raw FROM messages m JOIN raw_messages r ON r.sha256 = m.sha256 "
                            "WHERE m.id = ?", [message]).fetchone()[0]
        assert bytes(stored) == raw, kind
        assert db.execute("SELECT count(*) FROM parsed_messages WHERE message = ?", [message]).fetchone()[0] == 1, kind
        if code:
            assert code in _codes(db, message), (kind, _codes(db, message))
    last = db.execute("SELECT status FROM parsed_messages WHERE message = ?", [ids[-1]]).fetchone()[0]
    assert last in ("submission", "review", "other")


def test_an_absurd_date_does_not_stop_pending_parsing_or_reparse(tmp_path):
    db, ids = _store(tmp_path, [make_message(1), kinds.absurd_date_mail(), make_message(2)])

    parsed, _review = parse_pending(db, ParseSettings())

    assert parsed == 3
    assert db.execute("SELECT count(*) FROM parsed_messages").fetchone()[0] == 3
    poison_arrived = db.execute("SELECT received_at FROM parsed_messages WHERE message = ?", [ids[1]]).fetchone()[0]
    first_seen = db.execute("SELECT first_seen FROM messages WHERE id = ?", [ids[1]]).fetchone()[0]
    assert poison_arrived == first_seen  # the unreadable Date is not used

    assert reparse(db, ParseSettings(), workers=2)[0] == 3


def test_a_message_past_its_time_budget_gets_parse_timeout_and_the_run_goes_on(tmp_path):
    slow = kinds.mail("ใหญ่", "แนบ", attachments=[("big.docx", kinds.docx_with_paragraphs(1_000_000))])
    db, ids = _store(tmp_path, [slow, make_message(1), make_message(2)])

    parse_messages(db, ids[:1], replace(ParseSettings(), seconds_per_message=0.3))
    parse_messages(db, ids[1:], ParseSettings())

    assert "parse.timeout" in _codes(db, ids[0])
    statuses = dict(db.execute("SELECT message, status FROM parsed_messages"))
    assert statuses[ids[0]] == "review" and len(statuses) == 3


def test_a_message_past_its_memory_budget_gets_parse_memory(tmp_path):
    big = kinds.mail("ใหญ่", "แนบ", attachments=[("big.docx", kinds.docx_with_paragraphs(1_000_000))])
    db, ids = _store(tmp_path, [big, make_message(3)])

    parse_messages(db, ids, replace(ParseSettings(), memory_per_message=64 << 20))  # the docx needs ~100 MB

    assert "parse.memory" in _codes(db, ids[0])
    assert db.execute("SELECT count(*) FROM parsed_messages").fetchone()[0] == 2


def _open(path, barrier, results):
    from areaplan.store.db import open_db as opener

    barrier.wait()
    try:
        opener(path).execute("SELECT count(*) FROM messages").fetchone()
        results.put("ok")
    except BaseException as err:  # noqa: BLE001 - reported to the test
        results.put(f"{type(err).__name__}: {err}")


def test_processes_opening_a_brand_new_database_at_once_all_succeed(tmp_path):
    ctx = multiprocessing.get_context("fork")
    for trial in range(5):
        path = tmp_path / f"new{trial}.db"
        barrier, results = ctx.Barrier(4), ctx.Queue()
        procs = [ctx.Process(target=_open, args=(path, barrier, results)) for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(120)
        assert [results.get(timeout=5) for _ in procs] == ["ok"] * 4


def test_the_wide_zip_reads_its_one_member_once():
    from areaplan.parsers.mime import parse_message
    from areaplan.parsers.pipeline import read_attachments

    form = _docx("แบบรายงาน จังหวัดน่าน")
    mime = parse_message(kinds.mail("แนบ", "x", attachments=[("wide.zip", kinds.wide_zip(form))]))
    records = read_attachments(mime.attachments, ParseSettings())
    read = [r for r in records if r.kind == "docx" and r.text]
    assert len(read) == 1 and "จังหวัดน่าน" in read[0].text
    assert sum("read once" in " ".join(r.notes) for r in records) == len(records) - 2
    assert zipfile.is_zipfile(io.BytesIO(kinds.wide_zip(form)))


def test_a_docx_too_large_for_a_tree_is_read_paragraph_by_paragraph():
    from areaplan.parsers.docx import MAX_TREE_BYTES, read_docx
    from areaplan.parsers.types import ReadLimits

    data = kinds.docx_with_paragraphs(200_000)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size > MAX_TREE_BYTES

    r = read_docx(data, ReadLimits(max_text_chars=10_000_000))

    assert r.method == "docx-stream" and any("paragraph by paragraph" in n for n in r.notes)
    lines = r.text.split("\n")
    assert lines[0] == "ข้อ 0" and lines[-1] == "ข้อ 199999" and len(lines) == 200_000


def test_a_pdf_stream_bomb_is_refused_before_pdfium_and_a_normal_stream_is_read():
    import zlib

    from areaplan.parsers.errors import UnreadableAttachment
    from areaplan.parsers.pdf import read_pdf

    with pytest.raises(UnreadableAttachment, match="decompression bomb"):
        read_pdf(kinds.pdf_inflating_to(kinds.GIB))
    ok = read_pdf(kinds.pdf_with_content(zlib.compress(b"BT /F1 12 Tf 72 700 Td (report 2564) Tj ET")))
    assert "report 2564" in ok.text


def test_a_docx_with_a_dtd_in_a_utf32_part_is_refused():
    from areaplan.parsers.docx import read_docx
    from areaplan.parsers.errors import UnreadableAttachment

    with pytest.raises(UnreadableAttachment, match="DTD"):
        read_docx(_utf32_dtd_docx())
