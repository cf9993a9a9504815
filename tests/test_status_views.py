"""The status views: one row per province and campaign period, what counts as late, what needs a person."""

from __future__ import annotations

from datetime import date

import pytest
from digest_fixtures import (
    ZONE1,
    add_review_message,
    add_submission,
    district_code,
    empty_config,
    make_db,
    rows,
    sample_story,
    write_config,
)

from areaplan.app.digest_job import prepare_store
from areaplan.core.config import ConfigError
from areaplan.digest.model import build_digests
from areaplan.digest.settings import load_campaigns
from areaplan.store.gazetteer import ensure_gazetteer_loaded


def status_of(db, province: str, campaign_id: str = "role_model_2021", period: str = "2021") -> dict:
    (row,) = rows(db, "SELECT * FROM province_status WHERE campaign_id = ? AND period = ? AND province_code = ?",
                  [campaign_id, period, province])
    return row


def test_every_province_in_a_zone_has_one_row_per_campaign_period(tmp_path):
    db = make_db(tmp_path)

    per_period = rows(db, "SELECT campaign_id, period, COUNT(*) AS n, COUNT(DISTINCT province_code) AS d"
                          " FROM province_status GROUP BY campaign_id, period")

    assert per_period, "no campaign periods were stored"
    assert {(r["n"], r["d"]) for r in per_period} == {(76, 76)}
    assert rows(db, "SELECT * FROM province_status WHERE province_code = '10'") == []  # Bangkok: no zone


def test_a_province_that_sent_nothing_is_missing_whether_or_not_the_deadline_passed(tmp_path):
    db = make_db(tmp_path)

    assert status_of(db, "15")["status"] == "missing"
    assert status_of(db, "15", "best_practice", "2021-12")["status"] == "missing"
    assert status_of(db, "15")["submissions"] == 0


def test_a_selection_sent_late_in_the_evening_of_the_deadline_is_on_time(tmp_path):
    db = make_db(tmp_path)
    add_submission(db, "90", "2021-03-31T16:50:00+00:00")  # 23:50 in Bangkok

    row = status_of(db, "90")

    assert row["status"] == "received"
    assert row["late"] == 0
    assert row["received_on"] == "2021-03-31"


def test_a_selection_first_sent_after_the_deadline_is_late(tmp_path):
    db = make_db(tmp_path)
    add_submission(db, "17", "2021-03-31T17:10:00+00:00")  # 00:10 on 1 April in Bangkok

    row = status_of(db, "17")

    assert row["status"] == "late"
    assert row["late"] == 1
    assert row["first_received_on"] == "2021-04-01"


def test_a_correction_is_counted_and_the_newest_version_is_shown(tmp_path):
    db = make_db(tmp_path)
    add_submission(db, "16", "2021-03-25T10:00:00+07:00", district=district_code(db, "16", "โคกสำโรง"))
    add_submission(db, "16", "2021-03-29T16:40:00+07:00", district=district_code(db, "16", "เมืองลพบุรี"),
                   reporter="นางสาวสุดา มีสุข", image_count=4)

    row = status_of(db, "16")

    assert row["status"] == "received"
    assert (row["submissions"], row["corrections"]) == (2, 1)
    assert (row["district_name_th"], row["reporter_name"], row["image_count"]) == ("เมืองลพบุรี", "นางสาวสุดา มีสุข", 4)


def test_a_correction_after_the_deadline_does_not_make_an_on_time_province_late(tmp_path):
    db = make_db(tmp_path)
    add_submission(db, "14", "2021-03-30T09:00:00+07:00")
    add_submission(db, "14", "2021-04-03T09:00:00+07:00")

    row = status_of(db, "14")

    assert (row["status"], row["late"], row["corrections"]) == ("received", 0, 1)


def test_a_submission_that_needs_review_shows_that_status_with_its_reasons(tmp_path):
    db = make_db(tmp_path)
    add_submission(db, "18", "2021-03-28T13:30:00+07:00", needs_review=True,
                   review_reasons="ไม่พบชื่ออำเภอในแบบรายงาน\nไฟล์แนบ PDF อ่านไม่ได้")

    row = status_of(db, "18")

    assert row["status"] == "needs_review"
    assert row["review_reasons"].splitlines() == ["ไม่พบชื่ออำเภอในแบบรายงาน", "ไฟล์แนบ PDF อ่านไม่ได้"]


def test_a_clean_correction_takes_a_province_out_of_review(tmp_path):
    db = make_db(tmp_path)
    add_submission(db, "18", "2021-03-28T13:30:00+07:00", needs_review=True, review_reasons="อ่านไม่ได้")
    add_submission(db, "18", "2021-03-29T08:00:00+07:00")

    assert status_of(db, "18")["status"] == "received"
    assert rows(db, "SELECT * FROM review_queue WHERE province_code = '18'") == []


def test_a_monthly_report_counts_for_the_month_it_arrived_and_is_late_after_the_due_day(tmp_path):
    db = make_db(tmp_path)
    add_submission(db, "14", "2021-03-25T23:00:00+07:00", campaign="best_practice")
    add_submission(db, "15", "2021-03-26T08:00:00+07:00", campaign="best_practice")

    assert status_of(db, "14", "best_practice", "2021-03")["status"] == "received"
    assert status_of(db, "15", "best_practice", "2021-03")["status"] == "late"
    assert status_of(db, "15", "best_practice", "2021-04")["status"] == "missing"


def test_zone_summary_counts_each_zones_provinces_by_status(tmp_path):
    db = make_db(tmp_path)
    sample_story(db)

    (zone1,) = rows(db, "SELECT * FROM zone_summary WHERE campaign_id = 'role_model_2021' AND zone = 1")
    totals = rows(db, "SELECT SUM(provinces) AS provinces, COUNT(*) AS zones FROM zone_summary"
                      " WHERE campaign_id = 'role_model_2021'")[0]

    assert zone1["provinces"] == len(ZONE1)
    assert {k: zone1[k] for k in ("received", "late", "needs_review", "missing", "corrected", "submitted")} == {
        "received": 2, "late": 1, "needs_review": 1, "missing": 2, "corrected": 1, "submitted": 4}
    assert totals == {"provinces": 76, "zones": 18}


def test_the_review_queue_lists_everything_a_person_must_look_at_with_reasons(tmp_path):
    db = make_db(tmp_path)
    ids = sample_story(db)

    queue = {(r["item"], r["submission_id"] or r["message"]): r for r in rows(db, "SELECT * FROM review_queue")}

    assert set(queue) == {("submission", ids["chainat_review"]), ("submission", ids["unknown"]),
                          ("submission", ids["bangkok"]), ("message", ids["review_message"])}
    assert "ไฟล์แนบ PDF อ่านไม่ได้" in queue[("submission", ids["chainat_review"])]["reasons"]
    assert "province not identified" in queue[("submission", ids["unknown"])]["reasons"]
    assert "province in no inspection zone" in queue[("submission", ids["bangkok"])]["reasons"]
    assert queue[("message", ids["review_message"])]["reasons"] == "ไม่ใช่แบบรายงาน: ต้องมีคนอ่าน"
    assert queue[("submission", ids["chainat_review"])]["zone"] == 1


def test_a_submission_for_a_period_no_campaign_has_goes_to_review(tmp_path):
    db = make_db(tmp_path)
    sid = add_submission(db, "14", "2020-12-10T10:00:00+07:00", campaign="best_practice")  # before 2021-01

    (item,) = rows(db, "SELECT * FROM review_queue WHERE submission_id = ?", [sid])

    assert "no configured campaign period" in item["reasons"]


def test_campaigns_come_from_the_config_and_replace_the_defaults(tmp_path):
    cfg = write_config(tmp_path / "config.toml", """
[[campaigns]]
id = "rm2022"
kind = "role_model"
title_th = "อำเภอต้นแบบ ปี 2565"
deadline = 2022-03-31
overdue_days = 10

[[campaigns]]
id = "bp"
kind = "best_practice"
title_th = "Best Practice"
due_day = 20
start = "2022-01"
end = "2022-03"
""", tmp_path / "a.db")
    db = make_db(tmp_path, "a.db")

    prepare_store(db, cfg, through=date(2022, 6, 1))

    periods = rows(db, "SELECT campaign_id, period, opens_on, due_on, visible_until FROM campaign_periods"
                       " ORDER BY due_on")
    assert periods == [
        {"campaign_id": "bp", "period": "2022-01", "opens_on": "2022-01-01", "due_on": "2022-01-20",
         "visible_until": "2022-01-31"},
        {"campaign_id": "bp", "period": "2022-02", "opens_on": "2022-02-01", "due_on": "2022-02-20",
         "visible_until": "2022-02-28"},
        {"campaign_id": "bp", "period": "2022-03", "opens_on": "2022-03-01", "due_on": "2022-03-20",
         "visible_until": "2022-03-31"},
        {"campaign_id": "rm2022", "period": "2022", "opens_on": "2022-03-01", "due_on": "2022-03-31",
         "visible_until": "2022-04-10"},
    ]


@pytest.mark.parametrize(
    ("toml", "names"),
    [
        ('[[campaigns]]\nid = "x"\nkind = "monthly"\ntitle_th = "x"\n', "campaigns.x.kind"),
        ('[[campaigns]]\nid = "x"\nkind = "role_model"\ntitle_th = "x"\ndeadline = 2564-03-31\n',
         "campaigns.x.deadline"),
        ('[[campaigns]]\nid = "x"\nkind = "role_model"\ntitle_th = "x"\n', "campaigns.x.deadline is required"),
        ('[[campaigns]]\nid = "x"\nkind = "best_practice"\ntitle_th = "x"\nstart = "March"\n', "campaigns.x.start"),
        ('[[campaigns]]\nid = "x"\nkind = "best_practice"\ntitle_th = "x"\nstart = "2021-01"\ndue_day = 40\n',
         "campaigns.x.due_day"),
    ],
)
def test_a_wrong_campaign_is_refused_naming_the_key(tmp_path, toml, names):
    cfg = write_config(tmp_path / "config.toml", toml, tmp_path / "a.db")

    with pytest.raises(ConfigError, match=names.replace(".", r"\.")):
        load_campaigns(cfg)


def test_zone_overrides_from_the_config_move_a_province(tmp_path):
    db = make_db(tmp_path)

    ensure_gazetteer_loaded(db, {"14": 2})

    assert rows(db, "SELECT zone FROM province_status WHERE province_code = '14' LIMIT 1") == [{"zone": 2}]
    assert rows(db, "SELECT COUNT(DISTINCT province_code) AS n FROM province_status WHERE zone = 1") == [{"n": 5}]


def test_the_gazetteer_is_loaded_only_into_empty_tables(tmp_path):
    db = make_db(tmp_path)

    assert ensure_gazetteer_loaded(db) is False
    assert rows(db, "SELECT COUNT(*) AS n FROM provinces") == [{"n": 77}]
    assert rows(db, "SELECT COUNT(*) AS n FROM districts") == [{"n": 928}]
    assert rows(db, "SELECT COUNT(*) AS n FROM zones") == [{"n": 18}]


def test_the_digest_shows_the_numbers_the_views_show(tmp_path):
    db = make_db(tmp_path)
    sample_story(db)
    add_review_message(db, "later", ["x"], "2021-04-20T10:00:00+07:00")
    prepare_store(db, empty_config(tmp_path / "areaplan.db"), through=date(2021, 4, 25))

    zone_digests, national = build_digests(db, date(2021, 4, 25))

    view = {(r["campaign_id"], r["period"], r["zone"]): r for r in rows(db, "SELECT * FROM zone_summary")}
    assert national.periods, "no period is visible on 25 April 2021"
    for np in national.periods:
        for z in np.zones:
            v = view[(np.period.campaign_id, np.period.period, z.zone)]
            assert (z.counts.provinces, z.counts.submitted, z.counts.received, z.counts.late,
                    z.counts.needs_review, z.counts.missing, z.counts.corrected) == (
                v["provinces"], v["submitted"], v["received"], v["late"], v["needs_review"], v["missing"],
                v["corrected"])
    assert national.review_total == rows(db, "SELECT COUNT(*) AS n FROM review_queue")[0]["n"]


def test_removing_a_zone_override_puts_the_province_back(tmp_path):
    db = make_db(tmp_path)
    ensure_gazetteer_loaded(db, {"14": 2})

    ensure_gazetteer_loaded(db, {})

    assert rows(db, "SELECT zone FROM provinces WHERE code = '14'") == [{"zone": 1}]
