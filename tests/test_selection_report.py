"""The zone's selection report: the letter's form filled from the store, as DOCX and PDF."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from docx import Document
from selection_fixtures import selection_db, stage

from areaplan.core.campaigns import CRITERIA_TH
from areaplan.core.thai_text import arabic_digits_to_thai
from areaplan.digest.selection_report import (
    NOT_CHOSEN,
    to_pdf,
    write_docx,
    write_reports,
    zone_report,
)
from areaplan.store import selection as sel

ON = date(2021, 4, 10)


@pytest.fixture
def chosen(tmp_path):
    db, config = selection_db(tmp_path)
    campaign = stage(config)
    sel.record_scores(db, campaign, 1, "14", "insp-a", {1: 2, 2: 2, 3: 2, 4: 2}, ON)
    sel.record_scores(db, campaign, 1, "16", "insp-a", {1: 5, 2: 4, 3: 5, 4: 4}, ON)
    sel.record_scores(db, campaign, 1, "16", "insp-b", {1: 3, 2: 3, 3: 3, 4: 3}, ON)
    sel.choose(db, campaign, 1, "16", "insp-b", ON)
    return db, campaign


def paragraphs(path):
    return [p.text for p in Document(str(path)).paragraphs]


def test_the_report_fills_the_letters_form_from_the_store(chosen, tmp_path):
    db, campaign = chosen
    path = write_docx(zone_report(db, campaign, 1, ON), tmp_path / "z1.docx")
    text = paragraphs(path)
    sheet = sel.zone_sheet(db, campaign, 1, ON)
    nominee = sheet.nominee(sheet.choice.province_code)
    assert "แบบฟอร์มการคัดเลือก" in text
    assert "เรียน ผู้ตรวจราชการกรมการปกครอง เขต ๑" in text
    body = next(t for t in text if t.startswith("ที่ทำการปกครองจังหวัด"))
    assert body.startswith(f"ที่ทำการปกครองจังหวัด{nominee.province_th} ได้พิจารณาคัดเลือกอำเภอ{nominee.district_th} ")
    assert nominee.district_th == "เมืองลพบุรี"
    for n in range(1, 5):
        line = next(t for t in text if t.startswith(f"{arabic_digits_to_thai(str(n))}. "))
        assert CRITERIA_TH[n] in line and line.endswith(nominee.criteria[n])
    assert f"ตำแหน่ง {nominee.reporter_position}{nominee.province_th}" in text
    assert any(t.startswith(f"บันทึกการคัดเลือกโดย {sheet.choice.chosen_by} เมื่อ") for t in text)


def test_the_scoring_table_matches_every_scorers_totals(chosen, tmp_path):
    db, campaign = chosen
    path = write_docx(zone_report(db, campaign, 1, ON), tmp_path / "z1.docx")
    (table,) = Document(str(path)).tables
    rows = [[c.text for c in r.cells] for r in table.rows]
    sheet = sel.zone_sheet(db, campaign, 1, ON)
    assert [r[0] for r in rows[1:]] == [n.province_th for n in sheet.nominees]
    for n, row in zip(sheet.nominees, rows[1:], strict=True):
        assert row[2:6] == [str(sheet.criterion_total(n.province_code, k)) for k in range(1, 5)]
        assert row[6] == str(sheet.total(n.province_code))
        assert (row[7] == "✓") == (n.province_code == "16")
    assert rows[2][6] == "30"  # Lop Buri: 18 + 12 over two inspectors


def test_a_zone_that_has_not_chosen_says_so(chosen, tmp_path):
    db, campaign = chosen
    text = paragraphs(write_docx(zone_report(db, campaign, 2, ON), tmp_path / "z2.docx"))
    assert NOT_CHOSEN in text
    assert not any(t.startswith("ที่ทำการปกครองจังหวัด") for t in text)


def test_the_pdf_is_made_by_libreoffice_and_carries_the_thai_text(chosen, tmp_path):
    db, campaign = chosen
    paths = write_reports(db, campaign, tmp_path / "out", ON, zones=[1])
    assert [p.suffix for p in paths] == [".docx", ".pdf"]
    text = subprocess.run(["pdftotext", str(paths[1]), "-"], capture_output=True, text=True, check=True).stdout
    assert "เมืองลพบุรี" in text.replace(" ", "") or "เมืองลพบุรี" in text
    assert to_pdf(paths[0], tmp_path / "again").read_bytes().startswith(b"%PDF")
