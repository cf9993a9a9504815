"""Sending digests to a real SMTP server (aiosmtpd on 127.0.0.1): who gets what, once, intact."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from digest_fixtures import (
    SmtpSink,
    add_submission,
    by_header,
    html_part,
    make_db,
    rows,
    sample_story,
    smtp_config_text,
    start_smtp,
    subprocess_env,
    text_part,
    write_config,
)

from areaplan.app.digest_job import digest_job, run_digest
from areaplan.core.config import ConfigError
from areaplan.digest.errors import SendFailed
from areaplan.digest.message import build_message
from areaplan.digest.render import Rendered
from areaplan.digest.settings import load_smtp_settings
from areaplan.store.digest_sends import sends_for

DAY = date(2021, 3, 29)
RECIPIENTS = {
    "1": ["inspector1@example.go.th", "deputy1@example.go.th"],
    "16": ["inspector16@example.go.th"],
    "national": ["planning@example.go.th"],
}


@pytest.fixture
def smtp():
    sink = SmtpSink()
    server = start_smtp(sink)
    yield sink, server
    server.stop()


@pytest.fixture
def world(tmp_path, smtp):
    """A store with the sample story and a config that sends to the test SMTP server."""
    sink, controller = smtp
    db = make_db(tmp_path)
    ids = sample_story(db)
    cfg = write_config(tmp_path / "config.toml", smtp_config_text(sink.port, RECIPIENTS), tmp_path / "areaplan.db")
    return db, cfg, sink, controller, ids


SUBJECTS = [
    "[areaplan] สรุปรายงานเขตตรวจราชการที่ 1 ประจำวันที่ ๒๙ มีนาคม ๒๕๖๔ ส่งแล้ว 4 จาก 6 จังหวัด ขาด 2 จังหวัด ต้องตรวจสอบ 1 รายการ",
    "ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model) จังหวัดพระนครศรีอยุธยา ฉบับแก้ไข ครั้งที่ 2  สองช่องว่าง",
    "a " * 40 + "ก ข ค ง",
    "เขต 1 · ส่งแล้ว 3 จาก 6 · ยังไม่ส่ง 3 · รอตรวจสอบ 1 · " * 4,
]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_long_thai_subject_survives_header_folding_word_for_word(subject):
    msg = build_message(Rendered("zone-01", subject, "x", "<p>x</p>"), sender="a@example.org",
                        sender_name="ระบบ", digest_date="2021-03-29")

    raw = msg.as_bytes()
    header_block = raw.split(b"\r\n\r\n", 1)[0]
    back = BytesParser(policy=policy.default).parsebytes(raw)

    assert back["Subject"] == subject
    assert header_block.isascii()
    assert max(len(line) for line in subject_lines(header_block)) <= 78


def subject_lines(header_block: bytes) -> list[bytes]:
    lines = header_block.split(b"\r\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(b"Subject:"))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith((b" ", b"\t"))), len(lines))
    return lines[start:end]


def test_a_long_thai_sender_name_survives_folding():
    name = "ระบบติดตามรายงาน กองวิชาการและแผนงาน กรมการปกครอง กระทรวงมหาดไทย"
    msg = build_message(Rendered("national", "s", "x", "<p>x</p>"), sender="dopa@example.org", sender_name=name,
                        to=["a@example.org", "b@example.org"], digest_date="2021-03-29")

    back = BytesParser(policy=policy.compat32).parsebytes(msg.as_bytes())

    assert str(make_header(decode_header(back["From"]))) == f"{name} <dopa@example.org>"
    assert [a.strip() for a in back["To"].split(",")] == ["a@example.org", "b@example.org"]


def test_each_zones_inspectors_and_the_planning_staff_get_their_digest(world):
    db, cfg, sink, _, _ = world

    result = run_digest(cfg, db, DAY)

    got = sorted((r.rcpt_tos[0], r.message["X-Areaplan-Digest"]) for r in sink.received)
    assert got == [
        ("deputy1@example.go.th", "2021-03-29 zone-01"),
        ("inspector16@example.go.th", "2021-03-29 zone-16"),
        ("inspector1@example.go.th", "2021-03-29 zone-01"),
        ("planning@example.go.th", "2021-03-29 national"),
    ]
    assert all(len(r.rcpt_tos) == 1 and r.envelope_from == "dopa.areaplan@example.org" for r in sink.received)
    assert result.ok and len(result.delivery.sent) == 4
    assert "16 digests have no recipients" in result.summary  # zones 2-15, 17, 18


def test_what_arrives_is_plain_text_and_html_with_the_zones_numbers(world):
    db, cfg, sink, _, _ = world

    run_digest(cfg, db, DAY)

    (zone1,) = [r.message for r in by_header(sink.received, "zone-01") if r.rcpt_tos == ["inspector1@example.go.th"]]
    assert zone1.get_content_type() == "multipart/alternative"
    assert zone1["To"] == "inspector1@example.go.th"
    assert zone1["Subject"].startswith("[areaplan] เขตตรวจราชการที่ 1 สรุปรายงานประจำวันที่ ๒๙ มีนาคม ๒๕๖๔")
    # counted per campaign period, never added across them (was "ส่งแล้ว 5 จาก 12")
    assert "อำเภอต้นแบบ ส่งแล้ว 3 จาก 6" in zone1["Subject"]
    assert "Best Practice เดือนมีนาคม ๒๕๖๔ ส่งแล้ว 2 จาก 6" in zone1["Subject"]
    assert "จาก 12" not in zone1["Subject"]
    assert zone1["Auto-Submitted"] == "auto-generated"
    text, html = text_part(zone1), html_part(zone1)
    assert "ส่งแล้ว 3/6 · ส่งช้า 0 · รอตรวจสอบ 1 · ยังไม่ส่ง 3" in text
    assert 'data-province="14" data-status="received"' in html
    assert 'data-province="18" data-status="needs_review"' in html


def test_html_and_script_from_a_province_arrive_inert(world):
    db, cfg, sink, _, _ = world

    run_digest(cfg, db, DAY)

    for r in sink.received:
        html = html_part(r.message)
        assert "<script" not in html.lower()
        assert "<img src=x" not in html
    zone1 = next(by_header(sink.received, "zone-01")).message
    national = next(by_header(sink.received, "national")).message
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_part(zone1)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html_part(national)


def test_a_second_run_the_same_day_sends_nothing_again(world):
    db, cfg, sink, _, _ = world
    run_digest(cfg, db, DAY)

    again = run_digest(cfg, db, DAY)

    assert len(sink.received) == 4
    assert again.delivery.sent == [] and len(again.delivery.skipped) == 4
    assert {r["status"] for r in sends_for(db, "2021-03-29")} == {"sent"}


def test_resend_sends_the_days_digest_again(world):
    db, cfg, sink, _, _ = world
    run_digest(cfg, db, DAY)

    run_digest(cfg, db, DAY, resend=True)

    assert len(sink.received) == 8
    assert {r["attempts"] for r in sends_for(db, "2021-03-29")} == {2}


def test_the_next_days_digest_is_sent_even_if_todays_was(world):
    db, cfg, sink, _, _ = world
    run_digest(cfg, db, DAY)

    run_digest(cfg, db, date(2021, 3, 30))

    assert len(sink.received) == 8


def test_a_refused_recipient_is_recorded_and_retried_by_the_next_run(world):
    db, cfg, sink, _, _ = world
    sink.refuse.add("deputy1@example.go.th")

    first = run_digest(cfg, db, DAY)

    assert first.delivery.failed == ["zone-01 deputy1@example.go.th"]
    assert not first.ok and len(sink.received) == 3
    failed = [r for r in sends_for(db, "2021-03-29") if r["status"] == "failed"]
    assert [(r["recipient"], r["attempts"]) for r in failed] == [("deputy1@example.go.th", 1)]
    assert "550" in failed[0]["error"]
    run = rows(db, "SELECT status, summary FROM runs WHERE kind = 'digest' ORDER BY id DESC LIMIT 1")[0]
    assert run["status"] == "partial" and "1 failed" in run["summary"]

    sink.refuse.clear()
    second = run_digest(cfg, db, DAY)

    assert second.delivery.sent == ["zone-01 deputy1@example.go.th"]
    assert [r.rcpt_tos for r in sink.received[3:]] == [["deputy1@example.go.th"]]


def test_an_smtp_server_that_is_down_fails_the_job_and_the_next_run_delivers(world):
    db, cfg, sink, controller, _ = world
    controller.stop()

    with pytest.raises(SendFailed, match="4 failed"):
        digest_job(cfg, db, DAY)

    assert {r["status"] for r in sends_for(db, "2021-03-29")} == {"failed"}
    assert "SMTP connection failed" in sends_for(db, "2021-03-29")[0]["error"]
    controller.start()
    assert "4 sent" in digest_job(cfg, db, DAY)
    assert len(sink.received) == 4


def test_dry_run_writes_files_and_sends_nothing(world, tmp_path):
    db, cfg, sink, _, _ = world

    result = run_digest(cfg, db, DAY, dry_run=True, outbox=tmp_path / "out")

    assert sink.received == []
    assert len(result.delivery.written) == 38
    assert sends_for(db, "2021-03-29") == []
    eml = BytesParser(policy=policy.default).parsebytes((tmp_path / "out" / "zone-01.eml").read_bytes())
    assert eml["To"] == "inspector1@example.go.th, deputy1@example.go.th"


def test_without_any_config_the_digests_are_written_to_the_outbox(tmp_path):
    db = make_db(tmp_path)
    sample_story(db)
    db.close()

    done = subprocess.run(
        [sys.executable, "-m", "areaplan", "--db", str(tmp_path / "areaplan.db"), "digest", "--date", "2021-03-29",
         "--outbox", str(tmp_path / "outbox")],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, env=subprocess_env(),
    )

    assert done.returncode == 0, done.stderr
    assert "wrote 19 digests" in done.stdout
    names = sorted(p.name for p in (tmp_path / "outbox").iterdir() if p.suffix != ".png")
    pictures = sorted(p.name for p in (tmp_path / "outbox").glob("*.png"))
    assert pictures and all(n.startswith("national-map-") for n in pictures)  # the map beside national.html
    assert all(n in (tmp_path / "outbox" / "national.html").read_text(encoding="utf-8") for n in pictures)
    assert names == sorted([f"zone-{n:02d}.{ext}" for n in range(1, 19) for ext in ("eml", "html")]
                           + ["national.eml", "national.html"])
    zone16 = BytesParser(policy=policy.default).parsebytes((tmp_path / "outbox" / "zone-16.eml").read_bytes())
    assert isinstance(zone16, EmailMessage) and "เขตตรวจราชการที่ 16" in zone16["Subject"]
    assert (tmp_path / "outbox" / "zone-16.html").read_text(encoding="utf-8") == html_part(zone16).replace("\r\n", "\n")


def test_the_smtp_password_comes_from_the_environment_and_is_never_logged(tmp_path):
    from aiosmtpd.smtp import AuthResult

    password = "s3cret-PASS-word"
    sink = SmtpSink()
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == password.encode(), handled=False)

    controller = start_smtp(sink, authenticator=authenticator, auth_require_tls=False)
    try:
        db = make_db(tmp_path)
        add_submission(db, "14", "2021-03-26T09:00:00+07:00")
        db.close()
        (tmp_path / "config.toml").write_text(
            smtp_config_text(sink.port, {"national": ["planning@example.go.th"]}).replace(
                'timeout = 10', 'timeout = 10\nusername = "dopa.areaplan"'), encoding="utf-8")
        env = subprocess_env(AREAPLAN_SMTP_PASSWORD=password)

        done = subprocess.run(
            [sys.executable, "-m", "areaplan", "-vv", "--config", str(tmp_path / "config.toml"),
             "--db", str(tmp_path / "areaplan.db"), "digest", "--date", "2021-03-29"],
            capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
        env["AREAPLAN_SMTP_PASSWORD"] = "wrong"
        refused = subprocess.run(
            [sys.executable, "-m", "areaplan", "--config", str(tmp_path / "config.toml"),
             "--db", str(tmp_path / "areaplan.db"), "digest", "--date", "2021-03-30"],
            capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    finally:
        controller.stop()

    assert done.returncode == 0, done.stderr
    assert logins[0] == (b"dopa.areaplan", password.encode())
    assert [r.rcpt_tos for r in sink.received] == [["planning@example.go.th"]]
    assert password not in done.stdout + done.stderr
    assert refused.returncode == 2
    assert "refused the login" in refused.stderr and "AREAPLAN_SMTP_PASSWORD" in refused.stderr
    assert "wrong" not in refused.stderr


def test_a_password_over_plain_smtp_to_another_host_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("AREAPLAN_SMTP_PASSWORD", "x")
    cfg = write_config(tmp_path / "c.toml", '[smtp]\nhost = "smtp.example.org"\nsecurity = "none"\nusername = "u"\n',
                       tmp_path / "a.db")

    with pytest.raises(ConfigError, match=r"smtp\.security.*starttls"):
        load_smtp_settings(cfg)


def test_a_username_without_a_password_says_where_to_put_it(tmp_path, monkeypatch):
    monkeypatch.delenv("AREAPLAN_SMTP_PASSWORD", raising=False)
    cfg = write_config(tmp_path / "c.toml", '[smtp]\nhost = "smtp.example.org"\nusername = "u"\n', tmp_path / "a.db")

    with pytest.raises(ConfigError, match="AREAPLAN_SMTP_PASSWORD"):
        load_smtp_settings(cfg)


def test_a_recipient_that_is_not_an_address_is_refused_naming_the_key(tmp_path):
    from areaplan.digest.settings import load_digest_settings

    cfg = write_config(tmp_path / "c.toml", '[digest.recipients]\n"3" = ["not an address"]\n', tmp_path / "a.db")

    with pytest.raises(ConfigError, match=r"digest\.recipients\.3\[0\]"):
        load_digest_settings(cfg)
