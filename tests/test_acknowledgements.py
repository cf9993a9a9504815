"""Acknowledgements: one threaded Thai reply per stored message, through a real SMTP server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from digest_fixtures import SmtpSink, smtp_config_text, start_smtp, text_part, write_config
from province_mail_fixtures import at, form_mail

from areaplan.app.jobs import import_job
from areaplan.app.province_mail_job import run_acknowledgements
from areaplan.store.db import open_db
from areaplan.store.province_mail import ledger

SINCE = datetime(2021, 1, 1, tzinfo=UTC)
LOPBURI = "lopburi.office@province.example.go.th"
AYUTTHAYA = "ayutthaya.office@province.example.go.th"

CAMPAIGNS = """
[[campaigns]]
id = "role_model_2021"
kind = "role_model"
title_th = "การคัดเลือกอำเภอต้นแบบ (Role Model)"
deadline = 2021-03-31
{switch}

[provinces]
"16" = ["{lopburi}"]
"14" = {{ email = ["{ayutthaya}"] }}
"""


@pytest.fixture
def smtp():
    sink = SmtpSink()
    server = start_smtp(sink)
    yield sink
    server.stop()


def setup(tmp_path, sink, switch="acknowledge = true"):
    text = smtp_config_text(sink.port, {}, CAMPAIGNS.format(switch=switch, lopburi=LOPBURI, ayutthaya=AYUTTHAYA))
    config = write_config(tmp_path / "config.toml", text, tmp_path / "areaplan.db")
    return config, open_db(config.db)


def store(config, db, *paths):
    import_job(config, [p for p, _ in paths], db)


def acks(sink):
    return [r.message for r in sink.received if r.message["X-Areaplan-Ack"]]


def test_a_stored_form_gets_one_threaded_thai_reply_saying_what_was_read(tmp_path, smtp):
    config, db = setup(tmp_path, smtp)
    mail = form_mail(tmp_path, f"ปกครองจังหวัดลพบุรี <{LOPBURI}>", "ลพบุรี", "เมืองลพบุรี", at(29, 16, 40),
                     references="<earlier@province.example.go.th>")
    store(config, db, mail)

    run_acknowledgements(config, db, since=SINCE)

    (msg,) = acks(smtp)
    assert msg["To"].addresses[0].addr_spec == LOPBURI
    assert msg["In-Reply-To"] == f"<{mail[1]}>"
    assert msg["References"].split() == ["<earlier@province.example.go.th>", f"<{mail[1]}>"]
    assert msg["Subject"].startswith("Re: ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ")
    assert msg["Auto-Submitted"] == "auto-replied"
    body = text_part(msg)
    assert "เรียน ที่ทำการปกครองจังหวัดลพบุรี" in body
    assert "- จังหวัด: ลพบุรี" in body and "- อำเภอที่เสนอ: เมืองลพบุรี" in body
    assert "- จำนวนภาพประกอบ: ๐ ภาพ" in body
    assert "๒๙ มีนาคม ๒๕๖๔ ๑๖:๔๐ น." in body  # received time, Thai calendar and time
    assert "หากข้อมูลข้างต้นไม่ถูกต้อง" in body
    assert "เจ้าหน้าที่จะตรวจสอบ" not in body


def test_reruns_send_nothing_twice_and_a_new_message_gets_its_own_reply(tmp_path, smtp):
    config, db = setup(tmp_path, smtp)
    store(config, db, form_mail(tmp_path, LOPBURI, "ลพบุรี", "เมืองลพบุรี", at(29)))
    run_acknowledgements(config, db, since=SINCE)
    run_acknowledgements(config, db, since=SINCE)
    assert len(acks(smtp)) == 1
    second = form_mail(tmp_path, AYUTTHAYA, "พระนครศรีอยุธยา", "บางปะอิน", at(30))
    store(config, db, second)
    result = run_acknowledgements(config, db, since=SINCE)
    assert len(result.sent) == 1
    assert [m["In-Reply-To"] for m in acks(smtp)][1] == f"<{second[1]}>"
    assert [r["status"] for r in ledger(db, "ack")] == ["sent", "sent"]


def test_a_form_that_went_to_review_says_a_person_will_check_it(tmp_path, smtp):
    config, db = setup(tmp_path, smtp)
    store(config, db, form_mail(tmp_path, LOPBURI, "ลพบุรี", "", at(29)))  # no district named
    run_acknowledgements(config, db, since=SINCE)
    (msg,) = acks(smtp)
    body = text_part(msg)
    assert "เจ้าหน้าที่จะตรวจสอบอีกครั้ง" in body
    assert "- อำเภอที่เสนอ: ระบบระบุอำเภอไม่ได้" in body


@pytest.mark.parametrize("sender, headers, reason", [
    (LOPBURI, (("Auto-Submitted", "auto-replied"),), "auto-submitted"),
    (LOPBURI, (("Precedence", "bulk"),), "precedence"),
    (LOPBURI, (("X-Autoreply", "yes"),), "auto-reply"),
    (LOPBURI, (("Return-Path", "<>"),), "bounce"),
    ("Mail Delivery Subsystem <MAILER-DAEMON@province.example.go.th>", (), "bounce"),
    ("stranger@example.net", (), "unknown-sender"),
])
def test_no_reply_to_automatic_mail_bounces_or_unknown_senders(tmp_path, smtp, sender, headers, reason):
    config, db = setup(tmp_path, smtp)
    store(config, db, form_mail(tmp_path, sender, "ลพบุรี", "เมืองลพบุรี", at(29), headers=headers))
    stored = db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    run_acknowledgements(config, db, since=SINCE)
    run_acknowledgements(config, db, since=SINCE)
    assert acks(smtp) == []
    # the parser keeps some automatic mail out of the submissions; what it stores is suppressed here
    assert [(r["status"], r["reason"]) for r in ledger(db, "ack")] == [("suppressed", reason)] * stored


@pytest.mark.parametrize("header, reason", [
    (b"From: a@x.go.th\r\nAuto-Submitted: auto-generated", "auto-submitted"),
    (b"From: a@x.go.th\r\nPrecedence: junk", "precedence"),
    (b"From: a@x.go.th\r\nX-Auto-Response-Suppress: All", "auto-reply"),
    (b"From: a@x.go.th\r\nList-Id: <news.x.go.th>", "list"),
    (b"From: a@x.go.th\r\nReturn-Path: < >", "bounce"),
    (b"From: postmaster@x.go.th", "bounce"),
    (b"From: noreply@x.go.th", "bounce"),
    (b"From: a@x.go.th\r\nContent-Type: multipart/report; report-type=delivery-status", "bounce"),
    (b"Subject: no sender", "no-sender"),
    (b"From: a@x.go.th\r\nAuto-Submitted: no\r\nReturn-Path: <a@x.go.th>", None),
])
def test_automatic_mail_is_recognised_from_its_headers(header, reason):
    from areaplan.core.rfc822 import automatic_mail

    assert automatic_mail(header) == reason


def test_acknowledgements_are_off_unless_the_campaign_asks(tmp_path, smtp):
    config, db = setup(tmp_path, smtp, switch="")
    store(config, db, form_mail(tmp_path, LOPBURI, "ลพบุรี", "เมืองลพบุรี", at(29)))
    run_acknowledgements(config, db, since=SINCE)
    assert smtp.received == [] and ledger(db) == []


def test_a_dry_run_writes_the_reply_to_the_outbox_and_the_real_run_still_sends_it(tmp_path, smtp):
    config, db = setup(tmp_path, smtp)
    store(config, db, form_mail(tmp_path, LOPBURI, "ลพบุรี", "เมืองลพบุรี", at(29)))
    dry = run_acknowledgements(config, db, since=SINCE, dry_run=True)
    (path,) = dry.written
    assert path.read_bytes().count(b"In-Reply-To:") == 1 and smtp.received == []
    run_acknowledgements(config, db, since=SINCE)
    assert len(acks(smtp)) == 1


def test_old_mail_is_not_answered_when_acknowledgements_are_switched_on(tmp_path, smtp):
    config, db = setup(tmp_path, smtp)
    store(config, db, form_mail(tmp_path, LOPBURI, "ลพบุรี", "เมืองลพบุรี", at(29)))
    run_acknowledgements(config, db)  # default: the last 7 days only
    assert smtp.received == []


def test_the_daemon_schedules_province_mail_only_when_a_campaign_asks_and_its_job_sends(tmp_path, smtp):
    from areaplan.app.daemon import build_scheduler, default_province_mail

    config, db = setup(tmp_path, smtp)
    (tmp_path / "off").mkdir()
    off, _ = setup(tmp_path / "off", smtp, switch="")
    never = lambda cfg: "never"  # noqa: E731
    assert "province-mail" in {j.id for j in build_scheduler(config, poll=never, digest=never).get_jobs()}
    assert "province-mail" not in {j.id for j in build_scheduler(off, poll=never, digest=never).get_jobs()}
    now = datetime.now(UTC).astimezone()
    store(config, db, form_mail(tmp_path, LOPBURI, "ลพบุรี", "เมืองลพบุรี", now))
    summary = default_province_mail(config)
    assert summary.startswith("acknowledge: 1 sent") and len(acks(smtp)) == 1
    assert default_province_mail(config).startswith("acknowledge: 0 sent")


def test_a_message_that_could_not_be_read_gets_a_reply_that_a_person_will_check(tmp_path, smtp):
    from province_mail_fixtures import unreadable_mail

    config, db = setup(tmp_path, smtp)
    mail = unreadable_mail(tmp_path, LOPBURI, at(29))
    store(config, db, mail)
    assert db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 0
    run_acknowledgements(config, db, since=SINCE)
    run_acknowledgements(config, db, since=SINCE)
    (msg,) = acks(smtp)
    assert msg["In-Reply-To"] == f"<{mail[1]}>"
    body = text_part(msg)
    assert "ระบบยังอ่านไม่ได้ว่าเป็นแบบรายงานของจังหวัดใด เจ้าหน้าที่จะตรวจสอบอีกครั้ง" in body
    assert "report.pdf" in body


def test_an_unreadable_message_from_an_unknown_sender_gets_nothing(tmp_path, smtp):
    from province_mail_fixtures import unreadable_mail

    config, db = setup(tmp_path, smtp)
    store(config, db, unreadable_mail(tmp_path, "someone@example.net", at(29)))
    run_acknowledgements(config, db, since=SINCE)
    assert acks(smtp) == []
    assert [r["reason"] for r in ledger(db, "ack")] == ["unknown-sender"]


def test_a_refused_reply_is_recorded_failed_and_the_next_run_sends_it_once(tmp_path, smtp):
    config, db = setup(tmp_path, smtp)
    store(config, db, form_mail(tmp_path, LOPBURI, "ลพบุรี", "เมืองลพบุรี", at(29)))
    smtp.refuse.add(LOPBURI)
    first = run_acknowledgements(config, db, since=SINCE)
    assert first.failed and acks(smtp) == []
    assert ledger(db, "ack")[0]["status"] == "failed"
    smtp.refuse.clear()
    run_acknowledgements(config, db, since=SINCE)
    run_acknowledgements(config, db, since=SINCE)
    assert len(acks(smtp)) == 1 and ledger(db, "ack")[0]["attempts"] == 2


def test_an_smtp_server_that_is_down_leaves_the_reply_for_the_next_run(tmp_path):
    from digest_fixtures import SmtpServer

    sink = SmtpSink()
    server = SmtpServer(sink)  # not started: the port refuses connections
    config, db = setup(tmp_path, sink)
    store(config, db, form_mail(tmp_path, LOPBURI, "ลพบุรี", "เมืองลพบุรี", at(29)))
    assert run_acknowledgements(config, db, since=SINCE).failed
    server.start()
    try:
        assert len(run_acknowledgements(config, db, since=SINCE).sent) == 1
    finally:
        server.stop()
    assert len(acks(sink)) == 1


# --------------------------------------------------------------------------- after a decision

DECISIONS = "acknowledge = true\nacknowledge_decisions = true"


def notices(sink):
    return [r.message for r in sink.received if r.message["X-Areaplan-Decided"]]


def only_submission(db):
    (key,) = [r[0] for r in db.execute("SELECT key FROM submissions")]
    return key


def test_a_settled_review_item_gets_one_notice_in_the_thread_saying_what_was_decided(tmp_path, smtp):
    from areaplan.store.decisions import decide

    config, db = setup(tmp_path, smtp, switch=DECISIONS)
    mail = form_mail(tmp_path, LOPBURI, "ลพบุรี", "", at(29))  # no district: review
    store(config, db, mail)
    run_acknowledgements(config, db, since=SINCE)
    (ack,) = acks(smtp)
    key = only_submission(db)
    run_acknowledgements(config, db, since=SINCE)
    assert notices(smtp) == []  # nothing decided yet

    decide(db, key, "set", by="สมศรี", field="district", value="อำเภอโคกสำโรง")
    decide(db, key, "confirm", by="สมศรี")
    run_acknowledgements(config, db, since=SINCE)
    run_acknowledgements(config, db, since=SINCE)

    (notice,) = notices(smtp)
    assert notice["To"].addresses[0].addr_spec == LOPBURI
    assert notice["In-Reply-To"] == f"<{mail[1]}>"
    assert notice["References"].split()[-2:] == [f"<{mail[1]}>", ack["Message-ID"]]
    body = text_part(notice)
    assert "- อำเภอที่เสนอ: โคกสำโรง" in body and "- จังหวัด: ลพบุรี" in body
    assert "แก้ไขข้อมูลต่อไปนี้ให้ถูกต้อง: อำเภอที่เสนอ" in body
    assert [r["status"] for r in ledger(db, "decided")] == ["sent"]


def test_a_submission_decided_not_to_be_one_is_told_so(tmp_path, smtp):
    from areaplan.store.decisions import decide

    config, db = setup(tmp_path, smtp, switch=DECISIONS)
    store(config, db, form_mail(tmp_path, LOPBURI, "ลพบุรี", "", at(29)))
    run_acknowledgements(config, db, since=SINCE)
    decide(db, only_submission(db), "not_submission", by="สมศรี", note="เป็นหนังสือสอบถาม")
    run_acknowledgements(config, db, since=SINCE)
    (notice,) = notices(smtp)
    assert "ไม่ใช่แบบรายงาน จึงไม่นับเป็นการส่งรายงาน" in text_part(notice)


def test_no_notice_while_the_item_is_still_in_review_or_when_the_campaign_does_not_ask(tmp_path, smtp):
    from areaplan.store.decisions import decide

    sent = []
    for folder, switch in (("asks", DECISIONS), ("not", "acknowledge = true")):
        before = len(notices(smtp))
        (tmp_path / folder).mkdir()
        config, db = setup(tmp_path / folder, smtp, switch=switch)
        store(config, db, form_mail(tmp_path / folder, LOPBURI, "ลพบุรี", "", at(29)))
        run_acknowledgements(config, db, since=SINCE)
        key = only_submission(db)
        decide(db, key, "set", by="สมศรี", field="reporter", value="นายสมชาย ใจดี")  # still no district
        run_acknowledgements(config, db, since=SINCE)
        assert len(notices(smtp)) == before  # still in review: nothing to tell
        decide(db, key, "set", by="สมศรี", field="district", value="โคกสำโรง")
        decide(db, key, "confirm", by="สมศรี")
        run_acknowledgements(config, db, since=SINCE)
        sent.append(len(notices(smtp)) - before)
    assert sent == [1, 0]  # only the campaign that asks


def test_no_notice_without_an_acknowledgement_sent_first(tmp_path, smtp):
    from areaplan.store.decisions import decide

    config, db = setup(tmp_path, smtp, switch=DECISIONS)
    store(config, db, form_mail(tmp_path, "stranger@example.net", "ลพบุรี", "", at(29)))
    run_acknowledgements(config, db, since=SINCE)  # unknown sender: suppressed
    decide(db, only_submission(db), "set", by="สมศรี", field="district", value="โคกสำโรง")
    decide(db, only_submission(db), "confirm", by="สมศรี")
    run_acknowledgements(config, db, since=SINCE)
    assert smtp.received == [] and ledger(db, "decided") == []


def test_acknowledge_decisions_without_acknowledge_is_a_configuration_error(tmp_path, smtp):
    from areaplan.core.errors import ConfigError

    with pytest.raises(ConfigError, match="acknowledge_decisions needs"):
        config, db = setup(tmp_path, smtp, switch="acknowledge_decisions = true")
        run_acknowledgements(config, db, since=SINCE)
