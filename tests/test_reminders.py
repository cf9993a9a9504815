"""Reminders: one polite Thai mail per province not yet sent, before and after a deadline, once each."""

from __future__ import annotations

from datetime import date

import pytest
from digest_fixtures import (
    SmtpSink,
    add_submission,
    district_code,
    smtp_config_text,
    start_smtp,
    text_part,
    write_config,
)

from areaplan.app.digest_job import prepare_store
from areaplan.app.province_mail_job import run_reminders
from areaplan.store.db import open_db
from areaplan.store.province_mail import ledger

LOPBURI = "lopburi.office@province.example.go.th"
ANGTHONG = "angthong.office@province.example.go.th"
INSPECTOR = "inspector1@example.go.th"

CAMPAIGNS = """
[[campaigns]]
id = "role_model_2021"
kind = "role_model"
title_th = "การคัดเลือกอำเภอต้นแบบ (Role Model)"
deadline = 2021-03-31
{switch}

[provinces]
"16" = ["{lopburi}"]
"15" = ["{angthong}"]

[reminders]
cc_zone_inspectors = {cc}
"""


@pytest.fixture
def smtp():
    sink = SmtpSink()
    server = start_smtp(sink)
    yield sink
    server.stop()


def setup(tmp_path, sink, switch="remind_days_before = 3\nremind_after = true", cc="true"):
    text = smtp_config_text(sink.port, {"1": [INSPECTOR]},
                            CAMPAIGNS.format(switch=switch, lopburi=LOPBURI, angthong=ANGTHONG, cc=cc))
    config = write_config(tmp_path / "config.toml", text, tmp_path / "areaplan.db")
    db = open_db(config.db)
    prepare_store(db, config, through=date(2021, 12, 31))
    # Ayutthaya has sent; Sing Buri sent once before, from its own address (a past submission)
    add_submission(db, "14", "2021-03-26T09:15:00+07:00", district=district_code(db, "14", "บางปะอิน"))
    add_submission(db, "17", "2020-03-20T09:00:00+07:00", campaign="best_practice", period="2020-03",
                   sender="สิงห์บุรี <singburi@province.example.go.th>")
    return config, db


def reminders(sink):
    return [r for r in sink.received if r.message["X-Areaplan-Reminder"]]


def test_three_days_before_each_addressed_province_not_yet_sent_gets_one_reminder(tmp_path, smtp):
    config, db = setup(tmp_path, smtp)
    run_reminders(config, db, date(2021, 3, 28))
    got = {r.message["To"].addresses[0].addr_spec: r for r in reminders(smtp)}
    assert set(got) == {LOPBURI, ANGTHONG, "singburi@province.example.go.th"}  # never Ayutthaya: it sent
    lopburi = got[LOPBURI]
    assert lopburi.rcpt_tos == [LOPBURI, INSPECTOR]
    assert [a.addr_spec for a in lopburi.message["Cc"].addresses] == [INSPECTOR]
    body = text_part(lopburi.message)
    assert "เรียน ที่ทำการปกครองจังหวัดลพบุรี" in body
    assert "ขอความอนุเคราะห์จังหวัดส่งรายงานภายในวันที่ ๓๑ มีนาคม ๒๕๖๔" in body
    assert lopburi.message["X-Areaplan-Reminder"] == "role_model_2021/2021/16/before"
    assert lopburi.message["Auto-Submitted"] == "auto-generated"


def test_a_province_without_a_known_address_is_recorded_never_guessed(tmp_path, smtp):
    config, db = setup(tmp_path, smtp)
    run_reminders(config, db, date(2021, 3, 28))
    rows = {r["province_code"]: r for r in ledger(db, "reminder")}
    assert (rows["18"]["status"], rows["18"]["reason"]) == ("suppressed", "no-address")
    assert len(rows) == 75  # 76 provinces in zones, less Ayutthaya
    assert sum(r["status"] == "sent" for r in rows.values()) == 3


def test_reruns_and_later_days_before_the_deadline_send_nothing_again(tmp_path, smtp):
    config, db = setup(tmp_path, smtp)
    for day in (28, 28, 29, 31):
        run_reminders(config, db, date(2021, 3, day))
    assert len(reminders(smtp)) == 3


def test_the_day_after_the_deadline_a_second_reminder_goes_to_those_still_missing(tmp_path, smtp):
    config, db = setup(tmp_path, smtp)
    run_reminders(config, db, date(2021, 3, 28))
    add_submission(db, "16", "2021-03-31T10:00:00+07:00", district=district_code(db, "16", "เมืองลพบุรี"))
    run_reminders(config, db, date(2021, 4, 1))
    run_reminders(config, db, date(2021, 4, 2))
    after = [r for r in reminders(smtp) if r.message["X-Areaplan-Reminder"].endswith("/after")]
    assert {r.message["To"].addresses[0].addr_spec for r in after} == {ANGTHONG, "singburi@province.example.go.th"}
    assert "พ้นกำหนดส่งเมื่อวันที่ ๓๑ มีนาคม ๒๕๖๔" in text_part(after[0].message)


def test_no_reminder_before_the_window_opens(tmp_path, smtp):
    config, db = setup(tmp_path, smtp)
    run_reminders(config, db, date(2021, 3, 27))
    assert reminders(smtp) == [] and ledger(db) == []


def test_reminders_are_off_unless_the_campaign_asks(tmp_path, smtp):
    config, db = setup(tmp_path, smtp, switch="")
    run_reminders(config, db, date(2021, 3, 28))
    assert reminders(smtp) == [] and ledger(db) == []


def test_without_cc_the_inspector_gets_nothing(tmp_path, smtp):
    config, db = setup(tmp_path, smtp, cc="false")
    run_reminders(config, db, date(2021, 3, 28))
    assert all(r.rcpt_tos == [r.message["To"].addresses[0].addr_spec] for r in reminders(smtp))


def test_a_dry_run_writes_the_reminders_to_the_outbox_and_sends_none(tmp_path, smtp):
    config, db = setup(tmp_path, smtp)
    result = run_reminders(config, db, date(2021, 3, 28), outbox=tmp_path / "outbox")
    assert len(result.written) == 3 and smtp.received == []
    assert all(p.parent == tmp_path / "outbox" / "province-mail" for p in result.written)
    run_reminders(config, db, date(2021, 3, 28))
    assert len(reminders(smtp)) == 3
