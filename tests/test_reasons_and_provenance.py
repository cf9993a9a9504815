"""Specs for reasons as data and per-field provenance, as analysts query them."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from ingest_helpers import run_cli
from test_submissions import BKK, import_files, submission


def _rows(db, sql, *args):
    with sqlite3.connect(db) as c:
        c.row_factory = sqlite3.Row
        return [dict(r) for r in c.execute(sql, args)]


def test_a_district_outside_the_province_is_a_coded_reason_on_the_submission(tmp_path):
    # สันทราย is a district of เชียงใหม่, not of น่าน
    raw = submission("น่าน", "สันทราย", "16", when=datetime(2021, 3, 20, 9, tzinfo=BKK),
                     msgid="wrong-district@example.go.th")
    db = import_files(tmp_path, raw)
    (s,) = _rows(db, "SELECT key, message, needs_review FROM submissions")
    reasons = _rows(db, "SELECT * FROM reasons WHERE submission_key = ?", s["key"])
    codes = {r["code"] for r in reasons}
    assert s["key"] == str(s["message"]) and s["needs_review"] == 1
    assert "district.not_in_province" in codes
    r = next(r for r in reasons if r["code"] == "district.not_in_province")
    assert r["field"] == "district" and r["severity"] == "review"
    assert "สันทราย" in r["evidence"] and "เชียงใหม่" in r["evidence"] and "สันทราย" in r["text_th"]


def test_a_clean_submission_has_no_review_reason_and_says_where_each_field_was_read(tmp_path):
    raw = submission("น่าน", "ปัว", "16", when=datetime(2021, 3, 20, 9, tzinfo=BKK),
                     msgid="clean@example.go.th")
    db = import_files(tmp_path, raw)
    (s,) = _rows(db, "SELECT key, province_code, district_code FROM submissions")
    assert _rows(db, "SELECT * FROM reasons WHERE severity = 'review'") == []
    prov = {r["field"]: r for r in _rows(db, "SELECT * FROM field_provenance WHERE submission_key = ?", s["key"])}
    assert prov["district"]["source"] == "attachment"
    assert prov["district"]["filename"] == "แบบรายงาน น่าน.docx"
    assert prov["district"]["value"] == s["district_code"]
    assert prov["province"]["value"] == s["province_code"]
    assert prov["zone"]["source"] == "derived"
    assert {"reporter_name", "narrative"} <= set(prov)


def test_reparse_is_a_recorded_run_and_keeps_reasons_and_provenance_the_same(tmp_path):
    raw = submission("น่าน", "สันทราย", "16", when=datetime(2021, 3, 20, 9, tzinfo=BKK),
                     msgid="again@example.go.th")
    db = import_files(tmp_path, raw)
    before = (_rows(db, "SELECT code, field, evidence FROM reasons ORDER BY code"),
              _rows(db, "SELECT * FROM field_provenance ORDER BY field"))
    result = run_cli("--db", str(db), "reparse", "--workers", "1")
    assert result.returncode == 0, result.stderr
    after = (_rows(db, "SELECT code, field, evidence FROM reasons ORDER BY code"),
             _rows(db, "SELECT * FROM field_provenance ORDER BY field"))
    assert after == before
    runs = _rows(db, "SELECT kind, status, parsed FROM runs WHERE kind = 'reparse'")
    assert runs == [{"kind": "reparse", "status": "ok", "parsed": 1}]
