"""The zone stage on the web desk: a real `areaplan serve`, real HTTP, real Chromium (Playwright).

Two inspectors of zone 1 score and choose; an inspector of zone 2 sees only zone 2; after the
deadline the zone is locked until planning staff reopen it.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from ingest_helpers import areaplan_cmd, cli_env, run_cli
from province_mail_fixtures import at, form_mail

from areaplan.app.web.auth import hash_password
from areaplan.core.clock import today_bangkok

PASSWORD = "ทดสอบ-คัดเลือก-2564"
USERS = {"insp1a": ("inspector", 1), "insp1b": ("inspector", 1), "insp2": ("inspector", 2), "staff": ("staff", None)}
NOMINATIONS = (("พระนครศรีอยุธยา", "บางปะอิน", 1), ("ลพบุรี", "เมืองลพบุรี", 1), ("สระบุรี", "แก่งคอย", 1),
               ("นนทบุรี", "ปากเกร็ด", 2))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Desk:
    def __init__(self, base: Path, deadline) -> None:  # noqa: ANN001
        base.mkdir(parents=True, exist_ok=True)
        secrets = base / "secrets.toml"
        lines = []
        for name, (role, zone) in USERS.items():
            lines += [f"[desk.users.{name}]", f'password_hash = "{hash_password(PASSWORD)}"', f'role = "{role}"']
            lines += [f"zone = {zone}"] if zone else []
        secrets.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.chmod(secrets, 0o600)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db = base / "desk.db"
        self.config = base / "config.toml"
        self.config.write_text(f"""[store]
db = "desk.db"
[secrets]
file = "{secrets}"
[desk]
port = {self.port}

[[campaigns]]
id = "role_model_2021"
kind = "role_model"
title_th = "การคัดเลือกอำเภอต้นแบบ (Role Model)"
deadline = 2021-03-31

[[campaigns]]
id = "zone_2021"
kind = "zone_selection"
title_th = "การคัดเลือกอำเภอต้นแบบ ระดับเขตตรวจราชการ"
nominations = "role_model_2021"
deadline = {deadline.isoformat()}
scale = 5
""", encoding="utf-8")
        mails = [form_mail(base, f"office{i}@province.example.go.th", p, d, at(26 + i), zone=z)[0]
                 for i, (p, d, z) in enumerate(NOMINATIONS)]
        done = run_cli("--config", str(self.config), "import", *map(str, mails))
        assert done.returncode == 0, done.stderr
        self.proc = subprocess.Popen(areaplan_cmd("--config", str(self.config), "serve"), env=cli_env(None),
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline_s = time.monotonic() + 90
        while True:
            try:
                httpx.get(self.url + "/-/login", timeout=5)
                break
            except httpx.HTTPError:
                if self.proc.poll() is not None or time.monotonic() > deadline_s:
                    self.proc.kill()
                    raise RuntimeError("areaplan serve did not start: " + (self.proc.stdout.read() or "")) from None
                time.sleep(0.3)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)

    def rows(self, sql: str):  # noqa: ANN201
        with sqlite3.connect(self.db) as c:
            return c.execute(sql).fetchall()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=os.environ.get("AREAPLAN_CHROMIUM", "/usr/bin/chromium"),
                              args=["--no-sandbox"])
        yield b
        b.close()


def login(browser, desk: Desk, user: str, path: str):  # noqa: ANN001, ANN201
    page = browser.new_context().new_page()
    page.goto(desk.url + path)
    if "/-/login" in page.url:
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
    return page


def csrftoken(page) -> str:  # noqa: ANN001
    """The page's CSRF token (every desk page has one in its logout form)."""
    return page.locator('form[action="/-/logout"] input[name=csrftoken]').get_attribute("value")


def score(page, province: str, values: tuple[int, int, int, int], note: str = "") -> None:  # noqa: ANN001
    card = page.locator(f"#nominee-{province}")
    for i, v in enumerate(values, start=1):
        card.locator(f"input[name=c{i}]").fill(str(v))
    card.locator("input[name=note]").fill(note)
    card.locator("form.score button").click()
    page.wait_for_load_state()


@pytest.fixture
def open_desk(tmp_path):
    desk = Desk(tmp_path / "open", today_bangkok() + timedelta(days=30))
    yield desk
    desk.stop()


def test_two_inspectors_of_a_zone_score_and_choose_and_another_zone_sees_none_of_it(open_desk, browser):
    desk = open_desk
    a = login(browser, desk, "insp1a", "/-/desk/selection")
    a.wait_for_url("**/-/desk/selection/zone/1")
    assert a.locator(".nominee").count() == 3
    lopburi = a.locator("#nominee-16")
    assert "เมืองลพบุรี" in lopburi.inner_text()
    assert "นำประชุมทุกเดือน" in lopburi.locator('[data-criterion="1"]').inner_text()
    score(a, "16", (5, 4, 5, 4), note="เด่นด้านข้อมูล")
    assert "บันทึกคะแนนแล้ว" in a.inner_text("main")
    a.locator("#nominee-16 form.choose button").click()
    a.wait_for_load_state()
    assert "อำเภอเมืองลพบุรี จังหวัดลพบุรี" in a.inner_text("#choice")

    b = login(browser, desk, "insp1b", "/-/desk/selection/zone/1")
    score(b, "16", (3, 3, 3, 3))
    card = b.locator("#nominee-16")
    assert card.locator('tr[data-scorer="insp1a"]').inner_text().split()[-1] == "18"
    assert card.locator('tr[data-scorer="insp1b"]').inner_text().split()[-1] == "12"
    assert card.locator("th.total").inner_text() == "30"
    assert "insp1a" in b.inner_text("#choice")

    other = login(browser, desk, "insp2", "/-/desk/selection")
    other.wait_for_url("**/-/desk/selection/zone/2")
    assert [other.locator(".nominee h2").nth(i).inner_text() for i in range(other.locator(".nominee").count())] \
        == ["จังหวัดนนทบุรี"]
    assert "ลพบุรี" not in other.inner_text("main")
    assert other.goto(desk.url + "/-/desk/selection/zone/1").status == 403
    refused = other.request.post(desk.url + "/-/desk/selection/zone/1/choose",
                                 form={"province": "14", "csrftoken": csrftoken(other)}, max_redirects=0)
    assert refused.status == 403

    staff = login(browser, desk, "staff", "/-/desk/selection")
    row = staff.locator('#choices tr[data-zone="1"]')
    assert "อำเภอเมืองลพบุรี จังหวัดลพบุรี" in row.inner_text()
    assert staff.locator('#choices td.st-missing').count() == 17
    assert staff.locator("[data-tile-map] td[data-province]").count() == 76

    assert sorted(desk.rows("SELECT scorer, SUM(score) FROM selection_scores GROUP BY scorer")) == \
        [("insp1a", 18), ("insp1b", 12)]
    assert desk.rows("SELECT zone, province_code, chosen_by FROM selection_choices") == [(1, "16", "insp1a")]


def test_after_the_deadline_the_zone_is_locked_until_staff_reopen_it(tmp_path, browser):
    desk = Desk(tmp_path / "locked", today_bangkok() - timedelta(days=1))
    try:
        a = login(browser, desk, "insp1a", "/-/desk/selection/zone/1")
        assert a.locator("#locked").count() == 1
        assert a.locator("form.score").count() == 0 and a.locator("form.choose").count() == 0
        forged = a.request.post(desk.url + "/-/desk/selection/zone/1/choose",
                                form={"province": "16", "csrftoken": csrftoken(a)}, max_redirects=0)
        assert forged.status == 302 and desk.rows("SELECT * FROM selection_choices") == []  # the store's lock
        staff = login(browser, desk, "staff", "/-/desk/selection/zone/1")
        staff.fill("#reopen input[name=until]", today_bangkok().isoformat())
        staff.click("#reopen button")
        staff.wait_for_load_state()
        assert "เปิดให้แก้ไขถึงวันที่" in staff.inner_text("main")
        a.reload()
        assert a.locator("#locked").count() == 0
        a.locator("#nominee-14 form.choose button").click()
        a.wait_for_load_state()
        assert "บางปะอิน" in a.inner_text("#choice")
        events = desk.rows("SELECT action, actor FROM selection_events ORDER BY id")
        assert events == [("reopen", "staff"), ("choose", "insp1a")]
    finally:
        desk.stop()
