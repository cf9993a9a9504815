"""The web desk as people meet it: a real `areaplan serve` on 127.0.0.1, real HTTP, real Chromium."""

from __future__ import annotations

import os
import re
import sqlite3
from email.message import EmailMessage
from pathlib import Path

import pytest
from desk_server import USERS, start
from ingest_helpers import run_cli

from areaplan.app.web.auth import hash_password

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "desk"
HOSTILE_SUBJECT = '<script>alert("subject")</script> ส่งแบบ Role Model จังหวัดอ่างทอง'
HOSTILE_FILE = '"><img src=x onerror=alert(1)>.txt'


def hostile_message(path: Path) -> Path:
    m = EmailMessage()
    m["From"] = '"<b>bold</b>" <angthong@example.org>'
    m["To"] = "dopa.areaplan@gmail.com"
    m["Subject"] = HOSTILE_SUBJECT
    m["Date"] = "Tue, 30 Mar 2021 10:00:00 +0700"
    m["Message-ID"] = "<hostile@example.org>"
    m.set_content("ขอส่งแบบคัดเลือกอำเภอต้นแบบ (Role Model) จังหวัดอ่างทอง")
    m.add_attachment(b"<script>alert(3)</script>", maintype="text", subtype="plain", filename=HOSTILE_FILE)
    path.write_bytes(bytes(m))
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("desk")
    db = base / "demo.db"
    assert run_cli("--db", str(db), "demo", "--outbox", str(base / "out0")).returncode == 0
    assert run_cli("--db", str(db), "import", str(hostile_message(base / "h.eml"))).returncode == 0
    srv = start(base, hash_password)
    yield srv
    srv.proc.terminate()
    srv.proc.wait(timeout=30)


def key_of(db: Path, subject_like: str) -> str:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT key FROM submissions WHERE subject LIKE ?", [subject_like]).fetchone()[0]


# ------------------------------------------------------------------------- who sees what

PAGES = {  # path -> the roles that may open it (inspector6 is Phuket's zone, inspector1 Ang Thong's)
    "/-/desk/board": {"staff", "analyst", "inspector6", "inspector1"},
    "/-/desk/review": {"staff", "analyst", "inspector6", "inspector1"},
    "/-/desk/history": {"staff", "analyst", "inspector6", "inspector1"},
    "/-/desk/submission/30": {"staff", "analyst", "inspector6"},
    "/-/desk/raw/30": {"staff", "analyst", "inspector6"},
    "/demo": {"staff", "analyst"},
    "/demo/submissions": {"staff", "analyst"},
    "/demo/province_status": {"staff", "analyst"},
    "/demo/review_items": {"staff", "analyst"},
    "/demo?sql=select+1": {"staff", "analyst"},
    "/": {"staff", "analyst"},
}


@pytest.mark.parametrize("user", [None, *USERS])
def test_every_page_as_every_role_and_as_nobody(server, user):
    c = server.client(user)
    for path, allowed in PAGES.items():
        r = c.get(path)
        if user is None:
            assert r.status_code == 302 and "/-/login" in r.headers["location"], path
        elif user in allowed:
            assert r.status_code == 200, (user, path, r.status_code)
        else:
            assert r.status_code == 403, (user, path, r.status_code)


def test_an_inspector_sees_only_their_own_zone_on_the_board_and_queue(server):
    c = server.client("inspector1")
    board = c.get("/-/desk/board?zone=6").text
    assert "เขต 1" in board and "ภูเก็ต" not in board
    assert "ภูเก็ต" not in c.get("/-/desk/review").text


def test_the_national_board_shows_the_country_map_coloured_like_the_status_view(server):
    import html as _html

    page = server.client("staff").get("/-/desk/board").text
    tiles = dict(re.findall(r'data-province="(\d+)" data-status="([a-z_]*)"', page))
    assert len(tiles) == 76
    with sqlite3.connect(server.db) as con:
        period = con.execute("SELECT period FROM campaign_periods WHERE campaign_id IN"
                             " (SELECT id FROM campaigns WHERE kind = 'role_model') ORDER BY period DESC").fetchone()[0]
        status = dict(con.execute("SELECT province_code, status FROM province_status WHERE period = ? AND"
                                  " campaign_id IN (SELECT id FROM campaigns WHERE kind = 'role_model')", [period]))
    assert status and {c: tiles[c] for c in status} == status
    assert "ภาพรวมประเทศ" in _html.unescape(page)
    assert "data-tile-map" not in server.client("inspector1").get("/-/desk/board?zone=1").text


def test_only_staff_may_decide(server):
    for user in ("analyst", "inspector6"):
        c = server.client(user)
        page = c.get("/-/desk/review").text
        assert 'action="/-/desk/decide/' not in page
        token = re.search(r'name="csrftoken" value="([^"]+)"', page).group(1)
        r = c.post("/-/desk/decide/30", data={"csrftoken": token, "action": "confirm"})
        assert r.status_code == 403
    with sqlite3.connect(server.db) as con:
        assert con.execute("SELECT COUNT(*) FROM decisions WHERE decided_by IN ('analyst', 'inspector6')"
                           ).fetchone()[0] == 0


def test_a_form_without_the_csrf_token_is_refused(server):
    c = server.client("staff")
    r = c.post("/-/desk/decide/30", data={"action": "confirm"})
    assert r.status_code == 403
    with sqlite3.connect(server.db) as con:
        assert con.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 0


def test_a_wrong_password_does_not_log_in(server):
    import httpx
    c = httpx.Client(base_url=server.url)
    token = re.search(r'name="csrftoken" value="([^"]+)"', c.get("/-/login").text).group(1)
    r = c.post("/-/login", data={"csrftoken": token, "username": "staff", "password": "wrong"})
    assert r.status_code == 401 and "ds_actor" not in c.cookies


def test_sql_pages_cannot_write(server):
    c = server.client("staff")
    r = c.get("/demo", params={"sql": "DELETE FROM decisions"})
    assert r.status_code in (400, 403)
    r = c.get("/demo", params={"sql": "select 1; insert into decisions values (1)"})
    assert r.status_code in (400, 403)


def test_hostile_subjects_and_file_names_are_escaped(server):
    key = key_of(server.db, "%alert%")
    c = server.client("staff")
    for path in ("/-/desk/review", f"/-/desk/submission/{key}", "/demo/submissions"):
        html = c.get(path).text
        assert "<script>alert" not in html, path
        assert "<img src=x onerror" not in html, path
    assert "&lt;script&gt;alert" in c.get(f"/-/desk/submission/{key}").text


def test_the_thai_search_finds_unsegmented_words(server):
    c = server.client("analyst")
    html = c.get("/demo/submissions", params={"_search": "คนละครึ่ง"}).text
    assert re.search(r"[1-9][0-9]* rows? where search", html), html[:500]


def test_province_codes_show_their_names(server):
    html = server.client("analyst").get("/demo/submissions", params={"province_code": "83"}).text
    assert '<a href="/demo/provinces/83">ภูเก็ต</a>' in html


# ------------------------------------------------------------------------- the browser path

def _digest(server, outbox: Path) -> str:
    r = server.cli("digest", "--date", "2021-03-31", "--outbox", str(outbox))
    assert r.returncode == 0, r.stderr
    return (outbox / "national.html").read_text(encoding="utf-8") + (outbox / "zone-06.html").read_text(
        encoding="utf-8")


@pytest.mark.slow
def test_staff_correct_a_district_in_chromium_and_the_board_digest_and_reparse_follow(server, tmp_path):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    before = _digest(server, tmp_path / "before")
    assert "ตะกั่วทุ่ง" in before and f"{server.url}/-/desk/submission/30" in before
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("AREAPLAN_CHROMIUM", "/usr/bin/chromium"),
                                    args=["--no-sandbox"])
        for width, name in ((390, "phone"), (1280, "desktop")):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(server.url + "/-/desk/review")
            if "/-/login" in page.url:
                page.fill("input[name=username]", "staff")
                page.fill("input[name=password]", "ทดสอบ-desk-2564")
                page.click("button[type=submit]")
            page.wait_for_url("**/-/desk/review")
            if name == "phone":
                item = page.locator("#item-30")
                assert "ภูเก็ต" in item.inner_text()
                page.screenshot(path=str(ARTIFACTS / f"review-form-{name}.png"), full_page=True)
                item.locator("select[name=action]").select_option("set")
                item.locator("select[name=field]").select_option("district")
                item.locator("input[name=value]").fill("ถลาง")
                item.locator("input[name=note]").fill("แบบฟอร์มระบุอำเภอถลาง")
                item.locator("button[type=submit]").click()
                page.wait_for_url("**/-/desk/review")
                assert "บันทึกคำตัดสิน" in page.inner_text("main")
                assert page.locator("#item-30").count() == 0
            else:
                page.screenshot(path=str(ARTIFACTS / f"review-form-{name}.png"), full_page=True)
            page.goto(server.url + "/-/desk/board?zone=6")
            row = page.locator("#provinces tr", has_text="ภูเก็ต")
            assert "ถลาง" in row.inner_text() and "รอตรวจสอบ" not in row.inner_text()
            page.screenshot(path=str(ARTIFACTS / f"zone-board-{name}.png"), full_page=True)
            page.goto(server.url + "/-/desk/submission/30")
            assert "ถลาง" in page.inner_text("#fields")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(ARTIFACTS / f"submission-{name}.png"), full_page=True)
            page.close()
        browser.close()

    after = _digest(server, tmp_path / "after")
    assert after != before and "ตะกั่วทุ่ง" not in after and "ถลาง" in after
    assert f'href="{server.url}/-/desk/submission/30"' in after  # the province row links to its desk page

    r = server.cli("reparse", "--workers", "1")
    assert r.returncode == 0, r.stderr
    with sqlite3.connect(server.db) as con:
        assert con.execute("SELECT district_code, needs_review FROM submissions WHERE key = '30'"
                           ).fetchone() == ("8303", 0)
    board = server.client("staff").get("/-/desk/board?zone=6").text
    assert "ถลาง" in board
