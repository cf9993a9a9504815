"""The digests on a phone: every zone's digest and the national one fit a 390 px wide screen
(no sideways scrolling, measured in headless Chromium); what they say is Thai; the subject counts
each campaign period on its own."""

from __future__ import annotations

import re
from datetime import date
from html import escape

import pytest
from digest_fixtures import (
    add_submission,
    chromium,
    chromium_or_skip,
    district_code,
    make_db,
    rows,
    sample_story,
)

from areaplan.core.reasons import REASONS
from areaplan.digest.model import build_digests
from areaplan.digest.render import render_national, render_zone
from areaplan.digest.settings import DigestSettings

DAY = date(2021, 3, 29)
SETTINGS = DigestSettings(desk_base_url="https://desk.example.org")
PHONE = 390
# Headless Chromium's window is at least 500 px wide, so the digest is laid out in a 390 px
# iframe (srcdoc: same origin, so the page can read the frame's width once it has loaded).
FRAME = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="phone" style="width:{w}px;height:2400px;border:0" srcdoc="{doc}"></iframe>
<script>
document.getElementById('phone').addEventListener('load', function () {{
  var d = this.contentDocument.documentElement;
  document.body.setAttribute('data-frame-width', String(d.clientWidth));
  document.body.setAttribute('data-scroll-width', String(d.scrollWidth));
}});
</script></body></html>"""


@pytest.fixture
def story(tmp_path):
    db = make_db(tmp_path)
    sample_story(db)
    # the widest things a row can hold: a long name and position, a long district, many corrections
    add_submission(db, "19", "2021-03-28T10:00:00+07:00", district=district_code(db, "19", "เฉลิมพระเกียรติ"),
                   reporter="ว่าที่ร้อยตรีหญิงพิมพ์ชนกานต์ ศรีสวัสดิ์วงศ์ไทยสกุล", image_count=12)
    return db


def scroll_width(binary: str, html: str, tmp_path, name: str) -> int:
    page = tmp_path / f"{name}.html"
    page.write_text(FRAME.format(w=PHONE, doc=escape(html, quote=True)), encoding="utf-8")
    dom = chromium(binary, tmp_path / f"profile-{name}", "--window-size=800,2400", "--dump-dom",
                   page.as_uri()).decode()
    m = re.search(r'data-frame-width="(\d+)" data-scroll-width="(\d+)"', dom)
    assert m, f"{name}: the page did not finish loading"
    assert int(m.group(1)) == PHONE  # the frame really is a phone's width
    return int(m.group(2))


def test_every_zone_digest_and_the_national_one_fit_a_390_px_phone(story, tmp_path):
    binary = chromium_or_skip()
    zone_digests, national = build_digests(story, DAY)

    widths = {zd.audience: scroll_width(binary, render_zone(zd, SETTINGS).html, tmp_path, zd.audience)
              for zd in zone_digests}
    widths["national"] = scroll_width(binary, render_national(national, SETTINGS).html, tmp_path, "national")

    assert {k: w for k, w in widths.items() if w > PHONE} == {}


def zone_of_four(db) -> tuple[int, list[str]]:
    zone, codes = next((z, c.split(",")) for z, c in db.execute(
        "SELECT zone, group_concat(code) FROM provinces WHERE zone IS NOT NULL GROUP BY zone"
        " HAVING count(*) = 4 ORDER BY zone"))
    return zone, sorted(codes)


def test_the_subject_of_a_zone_of_four_counts_each_campaign_out_of_four(tmp_path):
    db = make_db(tmp_path)
    zone, codes = zone_of_four(db)
    add_submission(db, codes[0], "2021-03-26T09:00:00+07:00")  # a role-model nomination
    add_submission(db, codes[1], "2021-03-20T09:00:00+07:00", campaign="best_practice", district=None)

    zd = build_digests(db, DAY)[0][zone - 1]
    subject = render_zone(zd, SETTINGS).subject

    assert "อำเภอต้นแบบ ส่งแล้ว 1 จาก 4 ยังไม่ส่ง 3" in subject
    assert "Best Practice เดือนมีนาคม ๒๕๖๔ ส่งแล้ว 1 จาก 4 ยังไม่ส่ง 3" in subject
    assert "จาก 8" not in subject and "ส่งแล้ว 2" not in subject


def test_review_reasons_in_the_digest_are_the_registrys_thai_without_english_detail(tmp_path):
    from email.message import EmailMessage

    from areaplan.app.jobs import import_job
    from areaplan.core.config import load_config

    m = EmailMessage()
    m["Subject"] = "ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model) จังหวัดน่าน"
    m["From"] = "ปกครองจังหวัดน่าน <nan@example.go.th>"
    m["To"] = "dopa.areaplan@gmail.com"
    m["Date"] = "Fri, 26 Mar 2021 09:00:00 +0700"
    m["Message-ID"] = "<nan-broken-pdf@example.go.th>"
    m.set_content("เรียน กองวิชาการและแผนงาน\nจังหวัดน่าน ขอส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ ตามไฟล์แนบ")
    m.add_attachment(b"%PDF-1.4\n" + bytes(range(256)) * 40, maintype="application", subtype="pdf",
                     filename="form.pdf")
    eml = tmp_path / "broken.eml"
    eml.write_bytes(m.as_bytes())
    db = make_db(tmp_path)
    import_job(load_config(None, str(tmp_path / "areaplan.db")), [eml], db)
    stored = rows(db, "SELECT code, evidence FROM reasons WHERE severity = 'review' AND code = 'attachment.unreadable'")
    assert stored and re.search(r"[A-Za-z]{4}", stored[0]["evidence"].replace("form.pdf", ""))  # English detail

    _, national = build_digests(db, DAY)
    (item,) = [it for it in national.review if it.province_code == "55"]

    expected = REASONS["attachment.unreadable"].th.replace("{evidence}", "form.pdf")
    assert expected in item.reasons
    assert all(not re.search(r"[A-Za-z]{3,}", line.replace("form.pdf", "")) for line in item.reasons), item.reasons
    assert expected in render_national(national, SETTINGS).html
