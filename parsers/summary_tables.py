"""A summary table in a document: one row per province (a zone office's round-up).

A zone office may send one table for all its provinces (``ลำดับ | จังหวัด | อำเภอ (ต้นแบบ) |
ผู้รายงาน | เบอร์โทร``), in a Word file, a PDF or an OpenDocument text. The readers give tables
as ``cell | cell`` lines; here each run of such lines becomes a grid (``parsers.cell_forms``),
with the lines just above it as its headings (the title, the zone), and each row of a table
whose header names จังหวัด and อำเภอ becomes a form of its own. Spreadsheets are read as
grids by their own reader already.

Only a table of two or more rows naming a place counts: one row is read as the document's
own form (as before), and a table of labels without answers is a blank template (one blank
form, so the message is ``other.blank_template``).
"""

from __future__ import annotations

from areaplan.core.records import LabelledValue
from areaplan.parsers.cell_forms import Sheet, header_table_forms

__all__ = ["summary_table_forms"]

MAX_ROWS = 1000  # table lines read per text
HEADING_LINES = 4  # lines above a table kept as its headings
_PLACES = {"province", "district"}


def _runs(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each run of table lines (two or more cells)."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, line in enumerate(lines + [""]):
        if line.count("|") >= 1 and len([c for c in line.split("|") if c.strip()]) >= 2:
            start = i if start is None else start
        elif start is not None:
            runs.append((start, i))
            start = None
    return runs


def _sheet(lines: list[str], start: int, end: int, n: int) -> Sheet:
    sheet = Sheet(f"ตาราง{n}")
    above = [ln for ln in lines[max(0, start - 2 * HEADING_LINES):start] if ln.strip()][-HEADING_LINES:]
    row = 0
    for ln in above:
        sheet.put(row, 0, ln)
        row += 1
    for ln in lines[start:end][:MAX_ROWS]:
        for col, cell in enumerate(ln.split("|")):
            sheet.put(row, col, cell)
        row += 1
    return sheet


def _named(form: tuple[LabelledValue, ...]) -> bool:
    return any(e.value for e in form if e.field in _PLACES)


def summary_table_forms(text: str) -> list[tuple[LabelledValue, ...]]:
    """The forms of the summary tables in ``text`` (one per row naming a place), or a single
    blank form for a table of labels only; [] when ``text`` holds no such table."""
    lines = (text or "").split("\n")
    found: list[tuple[LabelledValue, ...]] = []
    blank: list[tuple[LabelledValue, ...]] = []
    for n, (start, end) in enumerate(_runs(lines), start=1):
        forms = header_table_forms(_sheet(lines, start, end, n))
        named = [f for f in forms if _named(f)]
        if named:
            found += named
        elif forms and not blank:
            blank = forms[:1]
    if len(found) >= 2:
        return found
    return [] if found else blank
