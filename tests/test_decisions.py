"""People's decisions: original data, applied over what the parser read, kept across reparses."""

from __future__ import annotations

import shutil
import sqlite3
from email.message import EmailMessage
from pathlib import Path

import pytest
from ingest_helpers import run_cli

from areaplan.app.context import AppContext
from areaplan.app.digest_job import prepare_store
from areaplan.app.jobs import import_job, reparse_job
from areaplan.core.config import load_config
from areaplan.store import decisions
from areaplan.store.db import open_db
from areaplan.store.decisions import DecisionError

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "mailbox" / "sample.mbox"


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> Path:
    """The bundled sample mailbox imported and parsed once (copied per test)."""
    base = tmp_path_factory.mktemp("demo")
    cfg = load_config(None, str(base / "demo.db"))
    app = AppContext(None, str(base / "demo.db"))
    db = app.db()
    import_job(cfg, [SAMPLE], db)
    prepare_store(db, cfg)
    db.conn.close()  # WAL folded into demo.db now, not when the connection is collected mid-copy
    return base


@pytest.fixture
def store(demo_store, tmp_path):
    for p in demo_store.iterdir():
        (shutil.copytree if p.is_dir() else shutil.copy)(p, tmp_path / p.name)
    cfg = load_config(None, str(tmp_path / "demo.db"))
    return cfg, AppContext(None, str(tmp_path / "demo.db")).db()


def one(db, sql, params=()):
    return db.execute(sql, list(params)).fetchone()


def phuket_status(db):
    return one(db, "SELECT status, district_name_th FROM province_status WHERE province_code = '83'"
                   " AND campaign = 'role_model'")


def test_correcting_a_district_shows_the_decided_value_and_keeps_the_machines(store):
    cfg, db = store
    assert phuket_status(db)[0] == "needs_review"

    d = decisions.decide(db, "30", "set", field="district", value="ถลาง", by="สมชาย", note="ดูจากแบบฟอร์ม")

    assert (d.field, d.value, d.decided_by, d.note) == ("district", "8303", "สมชาย", "ดูจากแบบฟอร์ม")
    status, district = phuket_status(db)
    assert district == "ถลาง" and status in ("received", "late")
    assert [r["key"] for r in decisions.queue(db)] == []
    sub = decisions.item(db, "30")["submission"]
    assert sub["district_code"] == "8303" and sub["machine_values"]["district"] is None


def test_a_reparse_keeps_every_decision_and_applies_it_again(store):
    cfg, db = store
    decisions.decide(db, "30", "set", field="district", value="8303", by="สมชาย")

    reparse_job(cfg, db, workers=1)

    assert one(db, "SELECT COUNT(*) FROM decisions")[0] == 1
    assert one(db, "SELECT district_code, needs_review FROM submissions WHERE key = '30'") == ("8303", 0)
    assert decisions.effects(db, "30")[0]["status"] == "applied"


def test_a_reparse_counts_to_review_only_what_still_waits_for_a_person(store):
    cfg, db = store
    waiting = len(decisions.queue(db))
    assert waiting >= 1
    before = reparse_job(cfg, db, workers=1)
    decisions.decide(db, "30", "set", field="district", value="8303", by="สมชาย")

    after = reparse_job(cfg, db, workers=1)

    assert f"{waiting} to review" in before
    assert f"{len(decisions.queue(db))} to review" in after and len(decisions.queue(db)) == waiting - 1


def test_every_change_of_a_decision_is_a_new_row_and_the_newest_counts(store):
    cfg, db = store
    decisions.decide(db, "30", "set", field="district", value="8301", by="a")
    decisions.decide(db, "30", "set", field="district", value="8303", by="b", note="แก้ไขอีกครั้ง")

    rows = decisions.history(db, "30")
    assert [(d.value, d.decided_by) for d in rows] == [("8303", "b"), ("8301", "a")]
    assert one(db, "SELECT district_code FROM submissions WHERE key = '30'")[0] == "8303"


def test_dismissing_a_reason_by_its_code_takes_the_item_off_the_queue(store):
    cfg, db = store
    assert decisions.queue(db, reason="district")[0]["key"] == "30"

    decisions.decide(db, "30", "dismiss", field="district.not_in_province", by="สมชาย")

    assert decisions.queue(db) == []
    assert one(db, "SELECT needs_review, district_code FROM submissions WHERE key = '30'") == (0, None)


def test_not_a_submission_leaves_the_views_the_export_and_the_search(store):
    cfg, db = store
    row = one(db, "SELECT key, province_code FROM submissions WHERE is_current = 1 AND needs_review = 0"
                  " AND campaign = 'role_model' ORDER BY id LIMIT 1")
    key, province = row

    decisions.decide(db, key, "not_submission", by="สมชาย", note="เป็นหนังสือสอบถาม")

    assert one(db, "SELECT status FROM province_status WHERE province_code = ? AND campaign = 'role_model'",
               [province])[0] == "missing"
    from areaplan.store.status import submissions_for_export
    assert key not in {str(r["id"]) for r in submissions_for_export(db)}


def test_same_as_makes_a_submission_a_version_of_another(store):
    cfg, db = store
    other = one(db, "SELECT key, province_code FROM submissions WHERE needs_review = 0 AND key != '30'"
                    " AND campaign = 'role_model' ORDER BY id LIMIT 1")

    decisions.decide(db, "30", "same_as", value=f"#{other[0]}", by="สมชาย")

    assert one(db, "SELECT province_code, needs_review FROM submissions WHERE key = '30'") == (other[1], 0)


@pytest.mark.parametrize("action,field,value,message", [
    ("set", "province", "ไม่มีจังหวัดนี้", "no province"),
    ("set", "district", "ไม่มีอำเภอนี้", "no district"),
    ("set", "image_count", "สาม", "whole number"),
    ("set", "colour", "x", "cannot set"),
    ("dismiss", "no.such_code", None, "unknown reason code"),
    ("dismiss", "province.fuzzy", None, "has no reason"),
    ("same_as", None, "30", "no other submission"),
])
def test_a_decision_that_cannot_be_true_is_refused_and_not_recorded(store, action, field, value, message):
    cfg, db = store
    with pytest.raises(DecisionError, match=message):
        decisions.decide(db, "30", action, field=field, value=value, by="สมชาย")
    assert one(db, "SELECT COUNT(*) FROM decisions")[0] == 0


def test_a_decision_needs_a_person(store):
    cfg, db = store
    with pytest.raises(DecisionError, match="who decides"):
        decisions.decide(db, "30", "confirm", by=" ")


def _sender_message(tmp_path: Path) -> Path:
    m = EmailMessage()
    m["From"] = "Amphoe <amphoe.x@example.org>"
    m["To"] = "dopa.areaplan@gmail.com"
    m["Subject"] = "ส่งแบบคัดเลือกอำเภอต้นแบบ (Role Model)"
    m["Date"] = "Mon, 29 Mar 2021 09:00:00 +0700"
    m["Message-ID"] = "<sender-only@example.org>"
    m.set_content("เรียน กองวิชาการและแผนงาน\nขอส่งแบบการคัดเลือกอำเภอต้นแบบ (Role Model) อำเภอเมือง\n")
    path = tmp_path / "m.eml"
    path.write_bytes(bytes(m))
    return path


def test_a_decision_whose_basis_changed_is_shown_for_a_second_look_not_applied(tmp_path):
    """The province came from [senders]; the mapping changes; the reparse reads another province."""
    eml = _sender_message(tmp_path)
    (tmp_path / "a.toml").write_text('[store]\ndb = "s.db"\n[senders]\n"amphoe.x@example.org" = "55"\n')
    (tmp_path / "b.toml").write_text('[store]\ndb = "s.db"\n[senders]\n"amphoe.x@example.org" = "56"\n')
    cfg_a = load_config(tmp_path / "a.toml")
    db = open_db(cfg_a.db)
    from areaplan.store.gazetteer import ensure_gazetteer_loaded
    ensure_gazetteer_loaded(db)
    import_job(cfg_a, [eml], db)
    key = one(db, "SELECT key FROM submissions")[0]
    decisions.decide(db, key, "set", field="district", value="เมืองน่าน", by="สมชาย")
    assert one(db, "SELECT district_code, needs_review FROM submissions")[0] == "5501"

    reparse_job(load_config(tmp_path / "b.toml"), db, workers=1)

    district, needs_review, reasons = one(db, "SELECT district_code, needs_review, review_reasons FROM submissions")
    assert (district, needs_review) == (None, 1)
    assert "ตรวจอีกครั้ง" in reasons
    (look,) = decisions.second_looks(db)
    assert look["field"] == "district" and look["basis"] == "55/None"
    assert "decision.basis_changed" in (decisions.queue(db)[0]["codes"] or "")


def test_the_cli_decides_and_shows_the_history(store, tmp_path):
    cfg, db = store
    path = str(cfg.db)
    db.close()

    done = run_cli("--db", path, "review", "decide", "30", "set", "district=ถลาง", "--by", "สมชาย",
                   "--note", "ตามแบบฟอร์ม")
    shown = run_cli("--db", path, "review", "show", "30")
    listed = run_cli("--db", path, "review", "--zone", "8")
    refused = run_cli("--db", path, "review", "decide", "30", "set", "district=ไม่มี", "--by", "x")

    assert done.returncode == 0, done.stderr
    assert "สมชาย: set district=8303" in shown.stdout and "ตามแบบฟอร์ม" in shown.stdout
    assert "nothing to review" in listed.stdout
    assert refused.returncode == 2 and "no district" in refused.stderr
    with sqlite3.connect(path) as c:
        assert c.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 1
