"""A digest send that failed is retried by the next digest run (within [digest].retry_days),
marked late in Thai; older failures and sends that went out are left alone."""

from __future__ import annotations

from datetime import date

import pytest
from digest_fixtures import (
    SmtpSink,
    by_header,
    html_part,
    make_db,
    sample_story,
    smtp_config_text,
    start_smtp,
    text_part,
    write_config,
)

from areaplan.app.digest_job import run_digest
from areaplan.store.digest_sends import sends_for

RECIPIENTS = {"1": ["inspector1@example.go.th"], "national": ["planning@example.go.th"]}


@pytest.fixture
def world(tmp_path):
    sink = SmtpSink()
    server = start_smtp(sink)
    db = make_db(tmp_path)
    sample_story(db)

    def config(extra: str = ""):
        return write_config(tmp_path / "config.toml", smtp_config_text(sink.port, RECIPIENTS, extra),
                            tmp_path / "areaplan.db")

    yield db, config, sink
    server.stop()


def test_a_digest_that_failed_yesterday_is_resent_by_todays_run_marked_late(world):
    db, config, sink = world
    cfg = config()
    sink.refuse.add("inspector1@example.go.th")
    first = run_digest(cfg, db, date(2021, 3, 29))
    assert first.delivery.failed == ["zone-01 inspector1@example.go.th"]
    sink.refuse.clear()
    sink.received.clear()

    second = run_digest(cfg, db, date(2021, 3, 30))

    got = sorted((r.rcpt_tos[0], r.message["X-Areaplan-Digest"]) for r in sink.received)
    assert got == [("inspector1@example.go.th", "2021-03-29 zone-01"),
                   ("inspector1@example.go.th", "2021-03-30 zone-01"),
                   ("planning@example.go.th", "2021-03-30 national")]
    late = next(r.message for r in by_header(sink.received, "2021-03-29 zone-01"))
    assert late["Subject"].startswith("[areaplan] (ส่งล่าช้า) เขตตรวจราชการที่ 1 สรุปรายงานประจำวันที่ ๒๙ มีนาคม ๒๕๖๔")
    assert text_part(late).startswith("ฉบับส่งล่าช้า: สรุปของวันที่ ๒๙ มีนาคม ๒๕๖๔ ส่งไม่สำเร็จในวันนั้น "
                                      "ระบบจึงส่งอีกครั้งเมื่อวันที่ ๓๐ มีนาคม ๒๕๖๔")
    assert 'data-late="2021-03-30"' in html_part(late)
    ontime = next(r.message for r in by_header(sink.received, "2021-03-30 zone-01"))
    assert "ส่งล่าช้า" not in ontime["Subject"] and "ฉบับส่งล่าช้า" not in text_part(ontime)
    assert {(r["recipient"], r["status"], r["attempts"]) for r in sends_for(db, "2021-03-29")} == {
        ("inspector1@example.go.th", "sent", 2), ("planning@example.go.th", "sent", 1)}
    assert second.ok and "1 late digest(s) of 2021-03-29 sent" in second.summary


def test_a_late_digest_is_sent_once_and_not_again_by_the_run_after(world):
    db, config, sink = world
    cfg = config()
    sink.refuse.add("planning@example.go.th")
    run_digest(cfg, db, date(2021, 3, 29))
    sink.refuse.clear()
    run_digest(cfg, db, date(2021, 3, 30))
    sink.received.clear()

    third = run_digest(cfg, db, date(2021, 3, 31))

    assert sorted(r.message["X-Areaplan-Digest"] for r in sink.received) == ["2021-03-31 national",
                                                                           "2021-03-31 zone-01"]
    assert third.delivery.late == []


def test_a_failure_older_than_retry_days_is_not_retried(world):
    db, config, sink = world
    cfg = config("")  # default retry_days = 3
    sink.refuse.add("inspector1@example.go.th")
    run_digest(cfg, db, date(2021, 3, 25))
    sink.refuse.clear()
    sink.received.clear()

    run_digest(cfg, db, date(2021, 3, 29))  # 4 days later

    assert sorted(r.message["X-Areaplan-Digest"] for r in sink.received) == ["2021-03-29 national",
                                                                           "2021-03-29 zone-01"]
    assert [r["status"] for r in sends_for(db, "2021-03-25") if r["audience"] == "zone-01"] == ["failed"]


def test_retry_days_zero_retries_only_when_that_date_is_run_again(world):
    db, config, sink = world
    cfg = config("")
    cfg = write_config(cfg.path, cfg.path.read_text(encoding="utf-8").replace(
        '[digest]\n', '[digest]\nretry_days = 0\n'), cfg.db)
    sink.refuse.add("inspector1@example.go.th")
    run_digest(cfg, db, date(2021, 3, 29))
    sink.refuse.clear()
    sink.received.clear()

    run_digest(cfg, db, date(2021, 3, 30))
    assert "2021-03-29 zone-01" not in {r.message["X-Areaplan-Digest"] for r in sink.received}

    again = run_digest(cfg, db, date(2021, 3, 29))
    assert again.delivery.sent == ["zone-01 inspector1@example.go.th"]


def test_a_recipient_added_after_a_failed_day_does_not_get_that_days_digest_late(world):
    db, config, sink = world
    cfg = config()
    sink.refuse.add("inspector1@example.go.th")
    run_digest(cfg, db, date(2021, 3, 29))
    sink.refuse.clear()
    cfg = write_config(cfg.path, cfg.path.read_text(encoding="utf-8").replace(
        '"1" = ["inspector1@example.go.th"]', '"1" = ["inspector1@example.go.th", "deputy1@example.go.th"]'), cfg.db)
    sink.received.clear()

    run_digest(cfg, db, date(2021, 3, 30))

    late = [r.rcpt_tos[0] for r in by_header(sink.received, "2021-03-29 zone-01")]
    assert late == ["inspector1@example.go.th"]
