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

from areaplan.core.clock import end_of_day_utc
from areaplan.digest.atomic import atomic_path
from areaplan.store import campaigns
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


def export_tables(db: sqlite_utils.Database, on: date) -> list[Table]:
    """What an export contains, as of the end of the Thai day ``on``."""
    cutoff = end_of_day_utc(on)
    periods = [p for p in campaigns.all_periods(db) if p.opens_on <= on]
    status_rows = st.province_status_rows(db, cutoff, periods)
    return [
        _table("submissions", st.submissions_for_export(db)),
        _table("province_status", status_rows),
        _table("zone_summary", st.zone_summary_rows(db, cutoff, periods)),
        _table("review_queue", st.review_rows(db, cutoff)),
    ]


def _table(name: str, rows: list[dict[str, Any]]) -> Table:
    return Table(name, list(rows[0]) if rows else [], rows)


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
    db: sqlite_utils.Database, out_dir: Path, on: date, formats: tuple[str, ...] = ("csv", "xlsx")
) -> list[Path]:
    """Write the export into ``out_dir``; returns the files written."""
    tables = export_tables(db, on)
    paths: list[Path] = []
    if "csv" in formats:
        paths += write_csv(tables, out_dir)
    if "xlsx" in formats:
        paths.append(write_xlsx(tables, out_dir / f"areaplan-{on.isoformat()}.xlsx"))
    log.info("exported %d submissions to %s", len(tables[0].rows), out_dir)
    return paths
