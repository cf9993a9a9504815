"""The review desk (a real ``areaplan serve``) on several-form mail and follow-ups."""

from __future__ import annotations

import re
import sqlite3

import pytest
from desk_server import start
from ingest_helpers import run_cli

from areaplan.app.web.auth import hash_password
from areaplan.samples import shapes
from areaplan.samples.generate import load_gazetteer


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("desk-shapes")
    gz = load_gazetteer()
    cases = [shapes.several_attachments(gz), *shapes.followup_pair(gz, 5, "5505", thread=True)]
    for case in cases:
        (base / case.name).write_bytes(case.bytes())
        result = run_cli("--db", str(base / "demo.db"), "import", str(base / case.name))
        assert result.returncode == 0, result.stderr
    srv = start(base, hash_password)
    yield srv
    srv.proc.terminate()
    srv.proc.wait(timeout=30)


def _keys(server, path_like: str) -> list[str]:
    with sqlite3.connect(server.db) as c:
        return [r[0] for r in c.execute("SELECT s.key FROM submissions s JOIN message_locations l"
                                        " ON l.message = s.message WHERE l.path LIKE ? ORDER BY s.province_code",
                                        [f"%{path_like}"])]


def test_each_form_of_a_several_form_mail_has_its_own_desk_page_for_its_zone(server):
    keys = _keys(server, "s01-several-attachments.eml")
    assert len(keys) == 3 and all("." in k for k in keys[1:])
    inspector = server.client("inspector1")  # zone 1: ลพบุรี, สิงห์บุรี, สระบุรี
    for key, district in zip(keys, ("โคกสำโรง", "บางระจัน", "วิหารแดง"), strict=True):
        page = inspector.get(f"/-/desk/submission/{key}")
        assert page.status_code == 200, (key, page.status_code)
        assert district in page.text
    assert server.client("inspector6").get(f"/-/desk/submission/{keys[2]}").status_code == 403


def test_staff_decide_on_a_further_form_by_its_key(server):
    key = _keys(server, "s01-several-attachments.eml")[1]
    staff = server.client("staff")
    pages = (staff.get(f"/-/desk/submission/{key}").text, staff.get("/-/desk/review").text)
    token = next(m.group(1) for text in pages for m in [re.search(r'name="csrftoken" value="([^"]+)"', text)] if m)
    r = staff.post(f"/-/desk/decide/{key}", data={"csrftoken": token, "action": "confirm", "note": "ตรวจแล้ว"})
    assert r.status_code in (200, 302, 303), r.text[:300]
    with sqlite3.connect(server.db) as c:
        assert c.execute("SELECT action FROM decisions WHERE submission_key = ?", [key]).fetchall() == [("confirm",)]


def test_the_photos_of_a_follow_up_show_on_the_earlier_submissions_page(server):
    (key,) = _keys(server, "s05a-followup-base.eml")
    page = server.client("staff").get(f"/-/desk/submission/{key}")
    thumbs = re.findall(r'src="/-/desk/image/([0-9a-f]{64})"', page.text)
    assert len(set(thumbs)) == 4  # its own photo and the three sent 40 minutes later
    for sha in thumbs:
        assert server.client("staff").get(f"/-/desk/image/{sha}").status_code == 200
