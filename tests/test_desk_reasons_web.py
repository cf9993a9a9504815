"""The review desk in Chromium: staff read every reason in Thai; English is only beside it.

A real ``areaplan serve`` over a demo store into which two generated messages are imported: a
Role Model submission whose PDF cannot be opened (the reader's English explanation is in the
reason's evidence) and a mail that may or may not be a submission (no campaign word, an
attachment). What is asserted is what a person sees in the browser: the Thai line, visible; the
English detail smaller and grey, or in the line's tooltip; never inside the Thai line.
"""

from __future__ import annotations

import os
import re
import sqlite3
from email.message import EmailMessage
from pathlib import Path

import pytest
from desk_server import PASSWORD, start
from ingest_helpers import run_cli

from areaplan.app.web.auth import hash_password

PDF_NAME = "แบบรายงาน น่าน.pdf"
UNCLEAR_SUBJECT = "ส่งเอกสารครับ"


def _mail(path: Path, subject: str, body: str, filename: str, data: bytes, msgid: str) -> Path:
    m = EmailMessage()
    m["From"] = "ที่ทำการปกครองจังหวัดน่าน <dopa.p55@example.go.th>"
    m["To"] = "dopa.areaplan@gmail.com"
    m["Subject"] = subject
    m["Date"] = "Tue, 30 Mar 2021 10:00:00 +0700"
    m["Message-ID"] = msgid
    m.set_content(body)
    m.add_attachment(data, maintype="application", subtype="pdf", filename=filename)
    path.write_bytes(bytes(m))
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("desk-reasons")
    db = base / "demo.db"
    assert run_cli("--db", str(db), "demo", "--outbox", str(base / "out0")).returncode == 0
    damaged = _mail(base / "damaged.eml", "ส่งแบบรายงานอำเภอต้นแบบ (Role Model) จังหวัดน่าน",
                    "ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ จังหวัดน่าน อำเภอปัว ตามไฟล์แนบ",
                    PDF_NAME, b"%PDF-1.4\n1 0 obj\n<<", "<damaged-pdf@example.go.th>")
    unclear = _mail(base / "unclear.eml", UNCLEAR_SUBJECT, "ตามไฟล์แนบครับ", "scan.pdf", b"%PDF-1.4\n",
                    "<unclear@example.go.th>")
    for path in (damaged, unclear):
        result = run_cli("--db", str(db), "import", str(path))
        assert result.returncode == 0, result.stderr
    srv = start(base, hash_password)
    yield srv
    srv.proc.terminate()
    srv.proc.wait(timeout=30)


def _keys(db: Path) -> tuple[str, str]:
    """The desk keys of the two imported messages (found by the file they came from)."""
    with sqlite3.connect(db) as c:
        def message(name: str) -> int:
            return c.execute("SELECT message FROM message_locations WHERE path LIKE ?", [f"%{name}"]).fetchone()[0]
        (damaged,) = c.execute("SELECT key FROM submissions WHERE message = ?", [message("damaged.eml")]).fetchone()
        return damaged, str(message("unclear.eml"))


def _font_px(locator) -> float:
    return float(locator.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px"))


@pytest.mark.slow
def test_the_review_desk_shows_each_reason_in_thai_with_the_english_detail_only_beside_it(server):
    from playwright.sync_api import sync_playwright

    damaged, unclear = _keys(server.db)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("AREAPLAN_CHROMIUM", "/usr/bin/chromium"),
                                    args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(server.url + "/-/desk/review")
        if "/-/login" in page.url:
            page.fill("input[name=username]", "staff")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
        page.wait_for_url("**/-/desk/review")

        item = page.locator(f'[id="item-{damaged}"]')
        line = item.locator("li", has_text=f"ไฟล์แนบ {PDF_NAME} อ่านไม่ได้")
        thai, english = line.locator(".reason-th"), line.locator(".reason-en")
        assert thai.is_visible() and f"ไฟล์แนบ {PDF_NAME} อ่านไม่ได้" in thai.inner_text()
        assert not re.search(r"[A-Za-z]{3,}", thai.inner_text().replace(PDF_NAME, "")), thai.inner_text()
        assert "PDF" in english.inner_text() and "unreadable" in (line.get_attribute("title") or "")
        assert _font_px(english) < _font_px(thai)

        message_item = page.locator(f'[id="item-{unclear}"]')
        unsure = message_item.locator(".reason-th", has_text="ไม่แน่ใจว่าเป็นการส่งแบบรายงานหรือไม่")
        assert unsure.is_visible() and UNCLEAR_SUBJECT in unsure.inner_text()

        page.goto(server.url + f"/-/desk/submission/{damaged}")
        shown = page.locator(".reasons .reason-th", has_text=f"ไฟล์แนบ {PDF_NAME} อ่านไม่ได้")
        assert shown.is_visible() and "unreadable" not in shown.inner_text()
        page.close()
        browser.close()


def test_a_reason_stored_with_english_in_its_thai_line_still_reads_in_thai_on_the_desk():
    from areaplan.app.web.reason_lines import queue_lines
    from areaplan.core.reasons import REASONS
    from areaplan.store.status import REASON_NO_PROVINCE

    old = {"code": "attachment.unreadable", "severity": "review", "source": "x.pdf",
           "evidence": "x.pdf (ไฟล์ x.pdf: unreadable PDF (damaged))", "detail": "unreadable PDF (damaged)",
           "text_th": "ไฟล์แนบ x.pdf (ไฟล์ x.pdf: unreadable PDF (damaged)) อ่านไม่ได้หรืออ่านได้ไม่ครบ"}
    retired = {"code": "attachment.gone", "severity": "review", "text_th": "รหัสเหตุผลที่เลิกใช้แล้ว"}
    text = "\n".join([old["text_th"], REASON_NO_PROVINCE, retired["text_th"]])
    pdf, province, gone = queue_lines(text, [old, retired])
    assert pdf.th == REASONS["attachment.unreadable"].th.replace("{evidence}", "x.pdf")
    assert "unreadable PDF" in pdf.en and "unreadable" not in pdf.th
    assert (province.th, province.en) == ("ระบุจังหวัดผู้ส่งไม่ได้", "province not identified")
    assert gone.th == "รหัสเหตุผลที่เลิกใช้แล้ว"
