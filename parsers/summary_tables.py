"""A summary table in a document: one row per province (a zone office's round-up).

A zone office may send one table for all its provinces (``ลำดับ | จังหวัด | อำเภอ (ต้นแบบ) |
ผู้รายงาน | เบอร์โทร``), in a Word file, a PDF or an OpenDocument text. The readers give tables
as ``cell | cell`` lines; here each run of such lines becomes a grid (``parsers.cell_forms``),
with the lines just above it as its headings (the title, the zone), and each row of a table
whose header names จังหวัด and อำเภอ becomes a form of its own. Spreadsheets are read as
grids by their own reader already.

Only a table of two or more rows naming a place counts: one row is read as the document's
own form (as before), and a header with rows under it that name no place is a blank
template (one blank form, so the message is ``other.blank_template``). A summary table
pasted into the mail itself (an HTML table) is read the same way.
"""

from __future__ import annotations

from areaplan.core.records import LabelledValue
from areaplan.parsers.cell_forms import Sheet, header_table_forms

__all__ = ["summary_table_forms"]

MAX_ROWS = 1000  # table lines read per text
HEADING_LINES = 4  # lines above a table kept as its headings
_PLACES = {"province", "district"}


def _is_row(line: str) -> bool:
    """A line of a table: cells joined by ``|`` (a row of an empty form may fill only its number)."""
    return "|" in line and any(c.strip() for c in line.split("|"))


def _runs(lines: list[str]) -> list[list[int]]:
    """The table lines of each table, by index; blank lines between rows
    (as an HTML table gives) do not end a table."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, line in enumerate(lines):
        if _is_row(line):
            current.append(i)
        elif line.strip() and current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _sheet(lines: list[str], rows: list[int], n: int) -> Sheet:
    sheet = Sheet(f"ตาราง{n}")
    start = rows[0]
    above = [ln for ln in lines[max(0, start - 2 * HEADING_LINES):start] if ln.strip()][-HEADING_LINES:]
    row = 0
    for ln in above:
        sheet.put(row, 0, ln)
        row += 1
    for i in rows[:MAX_ROWS]:
        for col, cell in enumerate(lines[i].split("|")):
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
    for n, rows in enumerate(_runs(lines), start=1):
        forms = header_table_forms(_sheet(lines, rows, n))
        named = [f for f in forms if _named(f)]
        if named:
            found += named
        elif forms and len(rows) >= 2 and not blank:  # a header and empty rows under it
            blank = forms[:1]
    if len(found) >= 2:
        return found
    return [] if found else blank
