"""Submissions and status for spreadsheets: CSV (UTF-8 with BOM, so Excel reads Thai) and XLSX.

The sheets are the store's own views (``province_status``, ``zone_summary``,
``review_queue``) and every submission with its province, zone and district names,
so a spreadsheet shows the numbers the digest shows. Text that came from an email
and starts like a formula (``=``, ``+``, ``-``, ``@``) is written as text, never as a
formula (CSV: prefixed with ``'``; XLSX: stored as a string cell).
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from areaplan.core.campaigns import Campaign, CampaignPeriod
from areaplan.core.clock import end_of_day_utc
from areaplan.digest.atomic import atomic_path
from areaplan.store import campaigns
from areaplan.store import selection as sel
from areaplan.store import status as st

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    name: str  # file stem and sheet name
    columns: list[str]
    rows: list[dict[str, Any]]


def current_periods(periods: list[CampaignPeriod], on: date) -> list[CampaignPeriod]:
    """The periods open on ``on`` (as the digest shows them) and, per campaign, the last one already
    due (the month that just closed): what an export holds unless every period is asked for."""
    started = [p for p in periods if p.opens_on <= on]
    last_due: dict[str, CampaignPeriod] = {}
    for p in started:
        if p.due_on < on and (p.campaign_id not in last_due or p.due_on > last_due[p.campaign_id].due_on):
            last_due[p.campaign_id] = p
    keep = {id(p) for p in last_due.values()}
    return [p for p in started if p.visible_until >= on or id(p) in keep]


def export_tables(db: sqlite_utils.Database, on: date, stages: tuple[Campaign, ...] = (),
                  all_periods: bool = False) -> list[Table]:
    """What an export contains, as of the end of the Thai day ``on``: the status of the periods
    open or just closed on that day (``all_periods``: every period opened by then).

    For each zone_selection campaign in ``stages``: every scorer's sheet and the results
    per nominee (Thai column names), as ``selection_scores`` / ``selection_results``
    (suffixed with the campaign id when there are several).
    """
    cutoff = end_of_day_utc(on)
    periods = [p for p in campaigns.all_periods(db) if p.opens_on <= on]
    if not all_periods:
        periods = current_periods(periods, on)
    status_rows = st.province_status_rows(db, cutoff, periods)
    return [
        _table("submissions", st.submissions_for_export(db)),
        _table("province_status", status_rows),
        _table("zone_summary", st.zone_summary_rows(db, cutoff, periods)),
        _table("review_queue", st.review_rows(db, cutoff)),
    ] + selection_tables(db, on, stages)


def selection_tables(db: sqlite_utils.Database, on: date, stages: tuple[Campaign, ...]) -> list[Table]:
    zone_stages = [c for c in stages if c.kind == "zone_selection"]
    out = []
    for c in zone_stages:
        suffix = f"_{c.id}" if len(zone_stages) > 1 else ""
        out.append(_table(f"selection_scores{suffix}", sel.score_rows(db, c), score_columns(c)))
        out.append(_table(f"selection_results{suffix}", sel.result_rows(db, c, on), RESULT_COLUMNS))
    return out


def score_columns(c: Campaign) -> list[str]:
    return ["เขตตรวจราชการ", "ผู้ให้คะแนน", "จังหวัด", "อำเภอ", *(f"หลักเกณฑ์ที่ {n}" for n in sel.CRITERIA),
            "รวม", f"คะแนนเต็ม (ข้อละ {c.scale})", "หมายเหตุ", "บันทึกเมื่อ (เวลาไทย)"]


RESULT_COLUMNS = ["เขตตรวจราชการ", "จังหวัด", "อำเภอที่เสนอ", *(f"หลักเกณฑ์ที่ {n} (รวม)" for n in sel.CRITERIA),
                  "คะแนนรวม", "จำนวนผู้ให้คะแนน", "คะแนนเฉลี่ย", "ได้รับคัดเลือก", "ผู้บันทึกการคัดเลือก",
                  "บันทึกเมื่อ (เวลาไทย)"]


def _table(name: str, rows: list[dict[str, Any]], columns: list[str] | None = None) -> Table:
    return Table(name, columns if columns is not None else (list(rows[0]) if rows else []), rows)


def _safe_text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(tables: list[Table], out_dir: Path) -> list[Path]:
    """One ``<name>.csv`` per table, UTF-8 with a byte-order mark."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for t in tables:
        path = out_dir / f"{t.name}.csv"
        with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(t.columns)
            for row in t.rows:
                writer.writerow([_safe_text(row[c]) for c in t.columns])
        paths.append(path)
    return paths


def write_xlsx(tables: list[Table], path: Path) -> Path:
    """One workbook, a sheet per table, header row bold and frozen."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for t in tables:
        ws = wb.create_sheet(t.name)
        ws.freeze_panes = "A2"
        for i, col in enumerate(t.columns):
            width = max([len(col)] + [len(str(r[col] or "")) for r in t.rows[:200]])
            ws.column_dimensions[_column_letter(i)].width = min(60, max(8, width + 2))
        header = []
        for col in t.columns:
            cell = WriteOnlyCell(ws, value=col)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in t.rows:
            ws.append([_xlsx_cell(ws, row[c], WriteOnlyCell) for c in t.columns])
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def _xlsx_cell(ws: Any, value: Any, cell_class: Any) -> Any:
    if isinstance(value, str) and value.startswith("="):
        cell = cell_class(ws, value=value)
        cell.data_type = "s"  # a string, not a formula
        return cell
    return value


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def export(
    db: sqlite_utils.Database, out_dir: Path, on: date, formats: tuple[str, ...] = ("csv", "xlsx"),
    stages: tuple[Campaign, ...] = (), all_periods: bool = False,
) -> list[Path]:
    """Write the export into ``out_dir``; returns the files written."""
    tables = export_tables(db, on, stages, all_periods)
    paths: list[Path] = []
    if "csv" in formats:
        paths += write_csv(tables, out_dir)
    if "xlsx" in formats:
        paths.append(write_xlsx(tables, out_dir / f"areaplan-{on.isoformat()}.xlsx"))
    log.info("exported %d submissions to %s", len(tables[0].rows), out_dir)
    return paths
