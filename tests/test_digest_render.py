"""What a digest says and how it looks: per-zone and national content, Thai dates, escaping, Chromium."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser

import pytest
from digest_fixtures import (
    ZONE1,
    add_review_message,
    artifacts_dir,
    chromium,
    chromium_or_skip,
    make_db,
    png_size,
    sample_story,
)

from areaplan.digest.model import build_digests
from areaplan.digest.render import render_national, render_zone
from areaplan.digest.settings import DigestSettings

DAY = date(2021, 3, 29)  # two days before the role-model deadline
SETTINGS = DigestSettings()


@pytest.fixture
def story(tmp_path):
    db = make_db(tmp_path)
    ids = sample_story(db)
    zone_digests, national = build_digests(db, DAY)
    return db, ids, zone_digests, national


def role_model_block(zd):
    (block,) = [b for b in zd.periods if b.period.kind == "role_model"]
    return block


class RowText(HTMLParser):
    """Visible text of each ``<tr data-province>`` and whether any ``<script>`` element exists."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self.current: str | None = None
        self.scripts = 0
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "tr" and "data-province" in a:
            self.current = a["data-province"]
            self.rows.setdefault(self.current, [])
        for key in ("src", "href"):
            if a.get(key):
                self.external.append(a[key])

    def handle_endtag(self, tag):
        if tag == "tr":
            self.current = None

    def handle_data(self, data):
        if self.current and data.strip():
            self.rows[self.current].append(data.strip())


def parse(html: str) -> RowText:
    p = RowText()
    p.feed(html)
    return p


def test_a_zone_digest_lists_every_province_of_its_zone_with_district_reporter_photos_and_status(story):
    _, _, zone_digests, _ = story
    html = render_zone(zone_digests[0], SETTINGS).html

    block = role_model_block(zone_digests[0])
    by_code = {p.code: p for p in block.provinces}
    assert set(by_code) == set(ZONE1)
    assert by_code["14"].status == "received"
    assert (by_code["14"].district, by_code["14"].reporter, by_code["14"].image_count) == (
        "บางปะอิน", "นายสมชาย ใจดี", 5)
    assert by_code["16"].corrections == 1 and by_code["16"].district == "เมืองลพบุรี"
    assert by_code["18"].status == "needs_review"
    assert by_code["15"].status == "missing"
    rows = parse(html).rows
    assert "พระนครศรีอยุธยา" in rows["14"] and "บางปะอิน" in rows["14"] and "ส่งแล้ว" in rows["14"]
    assert "ส่งแก้ไข 1 ครั้ง" in rows["16"]
    assert "รอตรวจสอบ" in rows["18"]


def test_mail_received_after_the_digest_day_is_not_counted(story):
    _, _, zone_digests, _ = story

    by_code = {p.code: p for p in role_model_block(zone_digests[0]).provinces}

    assert by_code["17"].status == "missing"  # Sing Buri's selection came on 2 April


def test_missing_provinces_show_days_left_before_the_deadline(story):
    _, _, zone_digests, _ = story
    rendered = render_zone(zone_digests[0], SETTINGS)

    missing = {p.code: p for p in role_model_block(zone_digests[0]).missing}

    assert set(missing) == {"15", "17", "19"}
    assert {p.days_left for p in missing.values()} == {2}
    assert "เหลือ 2 วัน" in parse(rendered.html).rows["15"]
    assert "อ่างทอง (เหลือ 2 วัน)" in rendered.text


def test_after_the_deadline_missing_provinces_show_days_late_and_late_ones_how_late(tmp_path):
    db = make_db(tmp_path)
    sample_story(db)

    zone_digests, _ = build_digests(db, date(2021, 4, 5))
    block = role_model_block(zone_digests[0])
    by_code = {p.code: p for p in block.provinces}
    html_rows = parse(render_zone(zone_digests[0], SETTINGS).html).rows

    assert (by_code["15"].status, by_code["15"].days_late) == ("missing", 5)
    assert (by_code["17"].status, by_code["17"].days_late) == ("late", 2)
    assert "เลยกำหนด 5 วัน" in html_rows["15"]
    assert "ช้า 2 วัน" in html_rows["17"]
    assert block.days_to_due == -5


def test_dates_are_written_in_the_thai_calendar_in_the_configured_style(story):
    _, _, zone_digests, _ = story

    long_thai = render_zone(zone_digests[0], SETTINGS)
    short = render_zone(zone_digests[0], replace(SETTINGS, date_style="short", thai_digits=False))

    assert "๒๙ มีนาคม ๒๕๖๔" in long_thai.subject
    assert "กำหนดส่ง ๓๑ มีนาคม ๒๕๖๔" in long_thai.html
    assert "๒๖ มีนาคม ๒๕๖๔" in parse(long_thai.html).rows["14"]
    assert "29 มี.ค. 2564" in short.subject
    assert "26 มี.ค. 2564" in parse(short.html).rows["14"]
    assert "2021" not in short.text.split("--")[0].replace("2021-", "")


def test_zone_and_province_names_come_from_the_gazetteer(story):
    _, _, zone_digests, _ = story

    zd = zone_digests[15]
    rendered = render_zone(zd, SETTINGS)

    assert zd.name == "เขตตรวจราชการที่ 16"
    assert "กลุ่มจังหวัดภาคเหนือตอนบน 2" in rendered.html
    assert {p.name for p in role_model_block(zd).provinces} == {"พะเยา", "แพร่", "น่าน", "เชียงราย"}


def test_values_from_email_arrive_inert_in_the_html_and_unchanged_in_the_text(story):
    db, _, zone_digests, national = story

    zone = render_zone(zone_digests[0], SETTINGS)
    nat = render_national(national, SETTINGS)

    for html in (zone.html, nat.html):
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x" not in html
        assert parse(html).scripts == 0
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in zone.html
    assert "&lt;img src=x onerror=alert(1)&gt;" in nat.html
    assert "รายงานอำเภอต้นแบบ <script>alert(1)</script>" in zone.text


def test_the_review_items_of_a_zone_are_listed_with_their_reasons(story):
    _, ids, zone_digests, _ = story

    (item,) = zone_digests[0].review
    html = render_zone(zone_digests[0], SETTINGS).html

    assert item.submission_id == ids["chainat_review"]
    assert item.reasons == ("ไม่พบชื่ออำเภอในแบบรายงาน", "ไฟล์แนบ PDF อ่านไม่ได้")
    assert "<li>ไฟล์แนบ PDF อ่านไม่ได้</li>" in html
    assert zone_digests[1].review == ()


def test_the_subject_says_the_zone_the_day_and_what_is_outstanding(story):
    _, _, zone_digests, _ = story

    subject = render_zone(zone_digests[0], SETTINGS).subject

    assert subject.startswith("[areaplan] เขตตรวจราชการที่ 1 ")
    assert "ยังไม่ส่ง" in subject and "รอตรวจสอบ 1" in subject


def test_the_national_digest_shows_all_18_zones_with_totals(story):
    _, _, _, national = story
    html = render_national(national, SETTINGS).html

    rm = next(p for p in national.periods if p.period.kind == "role_model")

    assert [z.zone for z in rm.zones] == list(range(1, 19))
    assert (rm.totals.provinces, rm.totals.submitted, rm.totals.needs_review) == (76, 3, 1)
    assert all(f'data-zone="{n}"' in html for n in range(1, 19))
    assert "รวมทั้งประเทศ" in html and "3/76" in html


def test_the_national_digest_shows_the_review_queue_and_the_pollers_health(story):
    _, ids, _, national = story

    rendered = render_national(national, SETTINGS)

    assert national.review_total == 4
    assert {it.submission_id or it.message for it in national.review} == {
        ids["chainat_review"], ids["unknown"], ids["bangkok"], ids["review_message"]}
    assert national.poll.last_ok_at == "2021-03-29T00:10:00+00:00"
    assert national.poll.failures_since == 1
    assert 'data-poll-failures="1"' in rendered.html
    assert "ดึงอีเมลล้มเหลว 1 ครั้ง" in rendered.html
    assert "๐๗:๑๐ น." in rendered.html  # 00:10 UTC is 07:10 in Bangkok
    assert "ImapError: connection refused" in rendered.text


def test_a_long_review_queue_is_cut_with_a_count_of_the_rest(tmp_path):
    db = make_db(tmp_path)
    for i in range(7):
        add_review_message(db, f"เรื่อง {i}", ["อ่านไม่ได้"], f"2021-03-2{i}T10:00:00+07:00")

    _, national = build_digests(db, DAY, max_review_items=5)
    html = render_national(national, SETTINGS).html

    assert (len(national.review), national.review_total) == (5, 7)
    assert "และอีก 2 รายการ" in html
    assert national.review[0].subject == "เรื่อง 6"  # newest first


def test_a_day_with_no_open_period_says_so(tmp_path):
    db = make_db(tmp_path)

    zone_digests, national = build_digests(db, date(2020, 6, 1))

    assert national.periods == ()
    assert "ไม่มีรอบรายงานที่ต้องติดตามในวันนี้" in render_zone(zone_digests[0], SETTINGS).text


def test_the_html_is_made_for_mail_clients(story):
    _, _, zone_digests, national = story

    for rendered in (render_zone(zone_digests[0], SETTINGS), render_national(national, SETTINGS)):
        html = rendered.html
        p = parse(html)
        assert p.scripts == 0 and p.external == []
        assert "<style" not in html and "<link" not in html and "url(" not in html
        assert 'role="presentation"' in html
        assert re.search(r"<td[^>]*style=", html)
        assert '<meta charset="utf-8">' in html


def test_chromium_shows_the_zone_digest_with_its_province_rows(story, tmp_path):
    binary = chromium_or_skip()
    _, _, zone_digests, _ = story
    page = tmp_path / "zone-01.html"
    page.write_text(render_zone(zone_digests[0], SETTINGS).html, encoding="utf-8")
    png = artifacts_dir() / "digest-zone-01.png"

    chromium(binary, tmp_path / "profile1", f"--screenshot={png}", "--window-size=800,2200", page.as_uri())
    dom = chromium(binary, tmp_path / "profile2", "--dump-dom", page.as_uri()).decode()

    assert png_size(png) == (800, 2200)
    assert png.stat().st_size > 20_000  # a rendered page, not a blank one
    rows = parse(dom).rows
    assert set(rows) == set(ZONE1)
    assert "บางปะอิน" in rows["14"] and "ส่งแล้ว" in rows["14"]
    assert "ยังไม่ส่ง" in rows["15"]
    assert parse(dom).scripts == 0
    assert "<script>alert(1)</script>" in dom.replace("&lt;", "<").replace("&gt;", ">")  # shown as text


def test_chromium_shows_the_national_digest_with_every_zone(story, tmp_path):
    binary = chromium_or_skip()
    _, _, _, national = story
    page = tmp_path / "national.html"
    page.write_text(render_national(national, SETTINGS).html, encoding="utf-8")
    png = artifacts_dir() / "digest-national.png"

    chromium(binary, tmp_path / "profile1", f"--screenshot={png}", "--window-size=800,3000", page.as_uri())
    dom = chromium(binary, tmp_path / "profile2", "--dump-dom", page.as_uri()).decode()

    assert png_size(png) == (800, 3000)
    assert all(f"เขตตรวจราชการที่ {n}<" in dom for n in range(1, 19))
    assert "รวมทั้งประเทศ" in dom
    assert parse(dom).scripts == 0
