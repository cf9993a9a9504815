"""Zone selection in the store: scores per criterion and scorer, the choice, the lock at the deadline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from selection_fixtures import CRITERIA_TEXT, DEADLINE, selection_db, stage

from areaplan.core.campaigns import KINDS
from areaplan.core.config import ConfigError
from areaplan.digest.settings import load_campaigns
from areaplan.store import selection as sel

ON = date(2021, 4, 10)


@pytest.fixture
def store(tmp_path):
    db, config = selection_db(tmp_path)
    return db, stage(config)


def test_zone_selection_is_a_kind_counted_per_zone():
    assert KINDS["zone_selection"].unit == "zone"


def test_a_zone_selection_campaign_adds_no_province_periods(store):
    db, campaign = store
    kinds = {r[0] for r in db.execute("SELECT DISTINCT kind FROM campaign_periods")}
    assert "zone_selection" not in kinds
    assert db.execute("SELECT deadline FROM campaigns WHERE id = ?", [campaign.id]).fetchone()[0] == "2021-04-30"


def test_the_nominees_of_a_zone_are_its_provinces_current_nominations_with_criteria(store):
    db, campaign = store
    noms = sel.nominees(db, campaign, 1)
    assert [n.province_code for n in noms] == ["14", "16", "19"]
    assert [n.district_th for n in noms] == ["บางปะอิน", "เมืองลพบุรี", "แก่งคอย"]
    assert noms[1].criteria == CRITERIA_TEXT["16"]
    assert [n.province_code for n in sel.nominees(db, campaign, 2)] == ["12"]


def test_each_scorers_sheet_is_kept_and_totals_weigh_criteria_equally(store):
    db, campaign = store
    sel.record_scores(db, campaign, 1, "14", "insp-a", {1: 5, 2: 4, 3: 3, 4: 2}, ON, note="เด่นด้านข้อมูล")
    sel.record_scores(db, campaign, 1, "14", "insp-b", {1: 1, 2: 1, 3: 1, 4: 1}, ON)
    sel.record_scores(db, campaign, 1, "16", "insp-a", {1: 5, 2: 5, 3: 5, 4: 5}, ON)
    sheet = sel.zone_sheet(db, campaign, 1, ON)
    assert sheet.total("14", "insp-a") == 14
    assert sheet.total("14", "insp-b") == 4
    assert sheet.total("14") == 18
    assert sheet.criterion_total("14", 1) == 6
    assert sheet.max_total == 20
    assert sheet.notes == {"insp-a": {"14": "เด่นด้านข้อมูล"}}
    # a scorer changing a score replaces only that score on that scorer's sheet
    sel.record_scores(db, campaign, 1, "14", "insp-b", {2: 3}, ON)
    assert sel.zone_sheet(db, campaign, 1, ON).total("14", "insp-b") == 6
    assert sel.zone_sheet(db, campaign, 1, ON).total("14", "insp-a") == 14


@pytest.mark.parametrize("scores", [{1: 6}, {1: -1}, {5: 1}])
def test_a_score_outside_the_scale_or_criteria_is_refused(store, scores):
    db, campaign = store
    with pytest.raises(sel.SelectionError) as err:
        sel.record_scores(db, campaign, 1, "14", "insp-a", scores, ON)
    assert err.value.th
    assert db.execute("SELECT COUNT(*) FROM selection_scores").fetchone()[0] == 0


def test_a_province_of_another_zone_cannot_be_scored_or_chosen(store):
    db, campaign = store
    with pytest.raises(sel.SelectionError):
        sel.record_scores(db, campaign, 1, "12", "insp-a", {1: 3}, ON)
    with pytest.raises(sel.SelectionError):
        sel.choose(db, campaign, 1, "12", "insp-a", ON)


def test_the_choice_is_recorded_with_who_and_when_and_can_change_before_the_deadline(store):
    db, campaign = store
    sel.choose(db, campaign, 1, "14", "insp-a", ON)
    choice = sel.choose(db, campaign, 1, "16", "insp-b", DEADLINE)
    assert (choice.province_code, choice.district_th, choice.chosen_by) == ("16", "เมืองลพบุรี", "insp-b")
    assert choice.chosen_at
    events = [(e["action"], e["province_code"], e["actor"]) for e in sel.history(db, campaign, 1)]
    assert events == [("choose", "14", "insp-a"), ("choose", "16", "insp-b")]


def test_after_the_deadline_the_zone_is_locked_until_staff_reopen_it(store):
    db, campaign = store
    sel.choose(db, campaign, 1, "14", "insp-a", DEADLINE)
    after = DEADLINE + timedelta(days=1)
    assert sel.is_locked(db, campaign, 1, after)
    with pytest.raises(sel.SelectionError):
        sel.choose(db, campaign, 1, "16", "insp-a", after)
    with pytest.raises(sel.SelectionError):
        sel.record_scores(db, campaign, 1, "16", "insp-a", {1: 1}, after)
    assert sel.zone_sheet(db, campaign, 1, after).choice.province_code == "14"
    sel.reopen(db, campaign, 1, "planning-staff", until=after + timedelta(days=2))
    assert not sel.is_locked(db, campaign, 1, after)
    assert sel.choose(db, campaign, 1, "16", "insp-a", after).province_code == "16"
    assert sel.is_locked(db, campaign, 1, after + timedelta(days=3))
    assert sel.is_locked(db, campaign, 2, after)  # reopening one zone leaves the others locked


def test_the_national_view_lists_18_zones_and_which_have_not_chosen(store):
    db, campaign = store
    sel.choose(db, campaign, 2, "12", "insp-c", ON)
    choices = sel.national_choices(db, campaign)
    assert [c.zone for c in choices] == list(range(1, 19))
    assert [c.zone for c in choices if c.province_code] == [2]
    assert choices[1].district_th == "ปากเกร็ด"


def test_a_zone_selection_must_name_a_role_model_campaign(tmp_path):
    from digest_fixtures import write_config

    config = write_config(tmp_path / "c.toml", """
[[campaigns]]
id = "z"
kind = "zone_selection"
title_th = "x"
nominations = "nothing"
deadline = 2021-04-30
""", tmp_path / "a.db")
    with pytest.raises(ConfigError, match="nominations"):
        load_campaigns(config)


def test_export_writes_each_scorers_sheet_and_the_results_with_thai_headers(store, tmp_path):
    from openpyxl import load_workbook

    from areaplan.digest.export import export

    db, campaign = store
    sel.record_scores(db, campaign, 1, "14", "insp-a", {1: 5, 2: 4, 3: 3, 4: 2}, ON, note="=SUM(A1)")
    sel.record_scores(db, campaign, 1, "14", "insp-b", {1: 1, 2: 2, 3: 1, 4: 1}, ON)
    sel.choose(db, campaign, 1, "14", "insp-a", ON)
    (path,) = export(db, tmp_path / "out", ON, ("xlsx",), (campaign,))
    wb = load_workbook(path)
    scores = list(wb["selection_scores"].values)
    assert scores[0][:5] == ("เขตตรวจราชการ", "ผู้ให้คะแนน", "จังหวัด", "อำเภอ", "หลักเกณฑ์ที่ 1")
    by_scorer = {r[1]: dict(zip(scores[0], r, strict=True)) for r in scores[1:]}
    assert set(by_scorer) == {"insp-a", "insp-b"}
    assert by_scorer["insp-a"]["รวม"] == 14 and by_scorer["insp-b"]["รวม"] == 5
    assert by_scorer["insp-a"]["จังหวัด"] == "พระนครศรีอยุธยา"
    assert by_scorer["insp-a"]["หมายเหตุ"] == "=SUM(A1)"  # stored as text, never a formula
    results = list(wb["selection_results"].values)
    rows = [dict(zip(results[0], r, strict=True)) for r in results[1:]]
    ayutthaya = next(r for r in rows if r["จังหวัด"] == "พระนครศรีอยุธยา")
    assert (ayutthaya["คะแนนรวม"], ayutthaya["จำนวนผู้ให้คะแนน"], ayutthaya["ได้รับคัดเลือก"]) == (19, 2, "ใช่")
    assert ayutthaya["คะแนนเฉลี่ย"] == 9.5
    assert {r["เขตตรวจราชการ"] for r in rows} == {1, 2}
    assert sum(1 for r in rows if r["ได้รับคัดเลือก"] == "ใช่") == 1


def test_the_command_line_scores_chooses_and_refuses_after_the_deadline(tmp_path):
    from click.testing import CliRunner

    from areaplan.app.cli import main

    selection_db(tmp_path)
    base = ["--config", str(tmp_path / "config.toml"), "--db", str(tmp_path / "areaplan.db"), "selection"]
    run = CliRunner().invoke
    ok = run(main, [*base, "score", "--zone", "1", "--province", "16", "--by", "insp-a", "--date", "2021-04-10",
                    "5", "4", "5", "4"])
    assert ok.exit_code == 0, ok.output
    ok = run(main, [*base, "choose", "--zone", "1", "--province", "16", "--by", "insp-a", "--date", "2021-04-10"])
    assert ok.exit_code == 0 and "เมืองลพบุรี" in ok.output
    late = run(main, [*base, "choose", "--zone", "1", "--province", "14", "--by", "insp-a", "--date", "2021-05-01"])
    assert late.exit_code == 2 and "locked" in late.output
    shown = run(main, [*base, "show", "--date", "2021-05-01"])
    assert "ลพบุรี / อำเภอเมืองลพบุรี (insp-a)" in shown.output
    assert shown.output.count("ยังไม่ได้เลือก") == 17


def test_a_nominees_history_lists_every_version_the_province_sent(store):
    from digest_fixtures import add_submission, district_code

    db, campaign = store
    add_submission(db, "16", "2021-03-31T08:00:00+07:00", district=district_code(db, "16", "โคกสำโรง"))
    versions = sel.nominee_versions(db, campaign, "16")
    assert [v["district_th"] for v in versions] == ["เมืองลพบุรี", "โคกสำโรง"]
    assert [v["is_current"] for v in versions] == [0, 1]
    (lopburi,) = [n for n in sel.nominees(db, campaign, 1) if n.province_code == "16"]
    assert (lopburi.district_th, lopburi.versions) == ("โคกสำโรง", 2)


def test_a_score_keeps_the_district_it_was_given_for(store):
    from digest_fixtures import add_submission, district_code, rows

    db, campaign = store
    sel.record_scores(db, campaign, 1, "16", "insp-a", {1: 4}, ON)
    add_submission(db, "16", "2021-03-31T08:00:00+07:00", district=district_code(db, "16", "โคกสำโรง"))
    (row,) = rows(db, "SELECT district_code FROM selection_scores")
    assert row["district_code"] == district_code(db, "16", "เมืองลพบุรี")
    assert sel.nominees(db, campaign, 1)[1].district_code == district_code(db, "16", "โคกสำโรง")


def test_a_nominees_photos_are_those_of_its_current_submission(store):
    db, campaign = store
    (ayutthaya,) = [n for n in sel.nominees(db, campaign, 1) if n.province_code == "14"]
    message = db.execute("SELECT message FROM submissions WHERE id = ?", [ayutthaya.submission_id]).fetchone()[0]
    for i in range(2):
        sha = f"{i:064x}"
        db.execute("INSERT INTO images (sha256, mime_type, width, height, size, path) VALUES (?, 'image/jpeg',"
                   " 640, 480, 1000, ?)", [sha, f"images/{sha[:2]}/{sha}.jpg"])
        db.execute("INSERT INTO message_images (message, image, filename, source) VALUES (?, ?, ?, 'attachment')",
                   [message, sha, f"photo{i}.jpg"])
    photos = sel.nominee_photos(db, ayutthaya)
    assert [p["filename"] for p in photos] == ["photo0.jpg", "photo1.jpg"]
    (lopburi,) = [n for n in sel.nominees(db, campaign, 1) if n.province_code == "16"]
    assert sel.nominee_photos(db, lopburi) == []
