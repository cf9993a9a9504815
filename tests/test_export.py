"""For people at a terminal or a spreadsheet: ``areaplan status`` and ``areaplan export``."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest
from click.testing import CliRunner
from digest_fixtures import add_submission, make_db, rows, sample_story
from openpyxl import load_workbook

from areaplan.app.cli import main
from areaplan.digest.export import export


@pytest.fixture
def story_db(tmp_path):
    db = make_db(tmp_path)
    sample_story(db)
    add_submission(db, "19", "2021-03-30T10:00:00+07:00", narrative="=HYPERLINK(\"http://x\",\"คลิก\")",
                   reporter="+66 81 234 5678")
    return db


def cli(tmp_path, *args: str):
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "areaplan.db"), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} has no UTF-8 byte-order mark"
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))


def test_the_csv_files_have_a_bom_and_thai_intact(story_db, tmp_path):
    paths = export(story_db, tmp_path / "out", date(2021, 4, 5), ("csv",))

    assert sorted(p.name for p in paths) == ["province_status.csv", "review_queue.csv", "submissions.csv",
                                             "zone_summary.csv"]
    subs = read_csv(tmp_path / "out" / "submissions.csv")
    ayutthaya = next(r for r in subs if r["province_code"] == "14" and r["campaign"] == "role_model")
    assert (ayutthaya["province_name_th"], ayutthaya["district_name_th"], ayutthaya["reporter_name"]) == (
        "พระนครศรีอยุธยา", "บางปะอิน", "นายสมชาย ใจดี")
    assert ayutthaya["zone_name_th"] == "เขตตรวจราชการที่ 1"
    assert len(subs) == rows(story_db, "SELECT COUNT(*) AS n FROM submissions")[0]["n"]


def test_the_zone_status_in_the_export_is_the_views(story_db, tmp_path):
    export(story_db, tmp_path / "out", date(2021, 4, 5), ("csv",))

    exported = [r for r in read_csv(tmp_path / "out" / "zone_summary.csv") if r["campaign_id"] == "role_model_2021"]
    view = rows(story_db, "SELECT * FROM zone_summary WHERE campaign_id = 'role_model_2021' ORDER BY zone")

    assert [(int(r["zone"]), int(r["submitted"]), int(r["late"]), int(r["missing"])) for r in exported] == [
        (v["zone"], v["submitted"], v["late"], v["missing"]) for v in view]
    status = [r for r in read_csv(tmp_path / "out" / "province_status.csv") if r["period"] == "2021"]
    assert len(status) == 76
    assert {r["province_code"]: r["status"] for r in status if r["zone"] == "1"} == {
        "14": "received", "15": "missing", "16": "received", "17": "late", "18": "needs_review", "19": "received"}


def test_the_workbook_has_a_sheet_per_table_with_thai_intact(story_db, tmp_path):
    (path,) = export(story_db, tmp_path / "out", date(2021, 4, 5), ("xlsx",))

    wb = load_workbook(path)

    assert path.name == "areaplan-2021-04-05.xlsx"
    assert wb.sheetnames == ["submissions", "province_status", "zone_summary", "review_queue"]
    ws = wb["province_status"]
    header = [c.value for c in ws[1]]
    values = [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=2)]
    chainat = next(v for v in values if v["province_code"] == "18" and v["period"] == "2021")
    assert chainat["province_name_th"] == "ชัยนาท" and chainat["status"] == "needs_review"
    assert "ไฟล์แนบ PDF อ่านไม่ได้" in chainat["review_reasons"]
    assert ws.freeze_panes == "A2"


def test_text_from_an_email_that_looks_like_a_formula_stays_text(story_db, tmp_path):
    paths = export(story_db, tmp_path / "out", date(2021, 4, 5))

    subs = read_csv(tmp_path / "out" / "submissions.csv")
    saraburi = next(r for r in subs if r["province_code"] == "19")
    ws = load_workbook(next(p for p in paths if p.suffix == ".xlsx"))["submissions"]
    header = [c.value for c in ws[1]]
    cell = next(row[header.index("narrative")] for row in ws.iter_rows(min_row=2)
                if row[header.index("province_code")].value == "19")

    assert saraburi["narrative"] == "'=HYPERLINK(\"http://x\",\"คลิก\")"
    assert saraburi["reporter_name"] == "'+66 81 234 5678"
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"http://x\",\"คลิก\")"


def test_areaplan_export_writes_csv_and_xlsx(story_db, tmp_path):
    story_db.close()

    output = cli(tmp_path, "export", "--out", str(tmp_path / "x"), "--date", "2021-04-05")

    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == [
        "areaplan-2021-04-05.xlsx", "province_status.csv", "review_queue.csv", "submissions.csv",
        "zone_summary.csv"]
    assert "submissions.csv" in output


def test_areaplan_status_prints_each_zones_counts(story_db, tmp_path):
    story_db.close()

    output = cli(tmp_path, "status", "--date", "2021-03-29")

    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("การคัดเลือกอำเภอต้นแบบ"))
    zone1 = lines[header + 2].split()
    total = next(line for line in lines[header:] if line.startswith("รวม")).split()
    assert zone1[:6] == ["1", "3/6", "0", "1", "3", "1"]
    assert total[:2] == ["รวม", "3/76"]
    assert "รอตรวจสอบ (review queue): 4" in output


def test_areaplan_status_json_has_the_same_numbers_and_a_zones_provinces(story_db, tmp_path):
    story_db.close()

    data = json.loads(cli(tmp_path, "status", "--date", "2021-03-29", "--json", "--zone", "1"))

    rm = next(p for p in data["periods"] if p["campaign"] == "role_model")
    (zone1,) = rm["zones"]
    assert (rm["period"], rm["due_on"], rm["days_to_due"]) == ("2021", "2021-03-31", 2)
    assert (zone1["submitted"], zone1["needs_review"], zone1["missing"]) == (3, 1, 3)
    assert {p["code"]: p["status"] for p in zone1["provinces"]}["18"] == "needs_review"
    assert data["review_total"] == 4
    assert data["poll"]["failures_since"] == 1


def test_areaplan_status_for_one_zone_lists_its_provinces(story_db, tmp_path):
    story_db.close()

    output = cli(tmp_path, "status", "--date", "2021-03-29", "--zone", "1")

    assert output.startswith("เขตตรวจราชการที่ 1 · กลุ่มจังหวัดภาคกลางตอนบน")
    assert "ลพบุรี" in output and "เมืองลพบุรี (แก้ไข 1)" in output


@pytest.mark.parametrize("command", ["digest", "status", "export", "run"])
def test_every_command_has_help_with_an_example(command):
    result = CliRunner().invoke(main, [command, "--help"])

    assert result.exit_code == 0
    assert "Example:" in result.output
