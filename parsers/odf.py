"""Read an OpenDocument spreadsheet (.ods): content.xml streamed with lxml, cells into sheets.

The package is checked like a DOCX first (``archive.open_zip_checked``: entries, inflated
size, ratios; ``docx.refuse_dtds``: DTD/entity declarations, odd encodings). content.xml is
then read as a stream (``iterparse``): each cell is taken and dropped at once, so a sheet of
a million rows or a row of a million cells costs bounded memory, and the same row/column/
cell budgets as an Excel workbook apply (``parsers.spreadsheets``). Repeated rows and
columns (``number-rows-repeated``, ``number-columns-repeated``: how LibreOffice writes empty
space) are counted, never expanded; spanned cells become merged ranges. Comments
(``office:annotation``) are not cell text.
"""

from __future__ import annotations

import time
import zipfile
import zlib

from lxml import etree

from areaplan.parsers.archive import open_zip_checked
from areaplan.parsers.cell_forms import Sheet
from areaplan.parsers.errors import UnreadableAttachment
from areaplan.parsers.spreadsheets import (
    MAX_COLS,
    MAX_ROWS,
    MAX_SHEETS,
    CellBudget,
    workbook_result,
)
from areaplan.parsers.types import ReadLimits, ReadResult

DEFAULT_LIMITS = ReadLimits()
MAX_REPEAT_EXPANDED = 200  # a non-empty row or cell repeated N times is expanded at most this often

_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE, ROW = f"{{{_TABLE_NS}}}table", f"{{{_TABLE_NS}}}table-row"
CELL, COVERED = f"{{{_TABLE_NS}}}table-cell", f"{{{_TABLE_NS}}}covered-table-cell"
P, H, S, TAB, BREAK = (f"{{{_TEXT_NS}}}{n}" for n in ("p", "h", "s", "tab", "line-break"))
ANNOTATION = f"{{{_OFFICE_NS}}}annotation"


def _int(value: str | None, default: int = 1) -> int:
    try:
        return max(int(value or default), 0)
    except ValueError:
        return default


def _inline(el: etree._Element, depth: int = 0) -> str:
    parts = [el.text or ""]
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and tag != ANNOTATION and depth < 50:
            if tag == S:
                parts.append(" " * min(_int(child.get(f"{{{_TEXT_NS}}}c")), 100))
            elif tag == TAB:
                parts.append("\t")
            elif tag == BREAK:
                parts.append("\n")
            else:
                parts.append(_inline(child, depth + 1))
        parts.append(child.tail or "")
    return "".join(parts)


def _cell_text(cell: etree._Element) -> str:
    lines = [_inline(p) for p in cell if p.tag in (P, H)]
    return "\n".join(lines).strip()


def _drop_done(el: etree._Element) -> None:
    """Free what was read: the element's content and the siblings before it."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


class _OdsReader:
    def __init__(self, bounds: CellBudget):
        self.bounds = bounds
        self.sheets: list[Sheet] = []
        self.sheet: Sheet | None = None
        self.row = 0
        self.col = 0
        self.row_cells: list[tuple[int, str, int, int]] = []  # col, text, rows spanned, cols spanned
        self.stopped = False

    def start_table(self, el: etree._Element) -> None:
        if len(self.sheets) >= MAX_SHEETS:
            self.bounds.problems.append(f"more than {MAX_SHEETS} sheets: the rest not read")
            self.stopped = True
            return
        self.sheet = Sheet(el.get(f"{{{_TABLE_NS}}}name") or f"Sheet{len(self.sheets) + 1}")
        self.sheets.append(self.sheet)
        self.row = 0

    def cell(self, el: etree._Element) -> None:
        repeat = _int(el.get(f"{{{_TABLE_NS}}}number-columns-repeated"))
        if self.col < MAX_COLS and el.tag == CELL:
            text = _cell_text(el)
            if text:
                spans = (_int(el.get(f"{{{_TABLE_NS}}}number-rows-spanned")),
                         _int(el.get(f"{{{_TABLE_NS}}}number-columns-spanned")))
                for k in range(min(repeat, MAX_REPEAT_EXPANDED, MAX_COLS - self.col)):
                    self.row_cells.append((self.col + k, text, *spans))
        self.col += repeat
        _drop_done(el)

    def end_row(self, el: etree._Element) -> None:
        repeat = _int(el.get(f"{{{_TABLE_NS}}}number-rows-repeated"))
        sheet, bounds = self.sheet, self.bounds
        if sheet is not None and self.row_cells:
            for k in range(min(repeat, MAX_REPEAT_EXPANDED)):
                row = self.row + k
                if row >= MAX_ROWS:
                    bounds.problems.append(f"sheet {sheet.name}: more than {MAX_ROWS} rows; only the first "
                                           f"{MAX_ROWS} read")
                    self.stopped = True
                    break
                for col, text, rows, cols in self.row_cells:
                    if bounds.cells_left <= 0:
                        bounds.problems.append("too many filled cells: the rest not read")
                        self.stopped = True
                        break
                    bounds.cells_left -= 1
                    sheet.put(row, col, text)
                    if rows > 1 or cols > 1:
                        sheet.merges[(row, col)] = (row + rows - 1, col + cols - 1)
        self.row += repeat
        self.col = 0
        self.row_cells = []
        _drop_done(el)


def read_ods(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> ReadResult:
    """Read an .ods spreadsheet: kind "ods". Raises UnreadableAttachment for hostile files."""
    from areaplan.parsers.docx import refuse_dtds  # shared DTD/entity check

    bounds = CellBudget(limits)
    zf = open_zip_checked(data, limits, "OpenDocument spreadsheet")
    with zf:
        refuse_dtds(zf, limits, bounds.deadline, "OpenDocument spreadsheet")
        try:
            info = zf.getinfo("content.xml")
        except KeyError:
            raise UnreadableAttachment("OpenDocument spreadsheet without content.xml") from None
        reader = _OdsReader(bounds)
        try:
            with zf.open(info) as stream:
                _stream(stream, reader, bounds)
        except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
            bounds.problems.append(f"spreadsheet content damaged; read up to the damage ({str(exc)[:200]})")
    return workbook_result("ods", "ods-xml", reader.sheets, bounds, limits)


def _stream(stream, reader: _OdsReader, bounds: CellBudget) -> None:
    events = etree.iterparse(stream, events=("start", "end"), tag=(TABLE, ROW, CELL, COVERED),
                             resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    depth = 0  # tables inside a cell (sub-tables) are read as the cell's text only
    count = 0
    for event, el in events:
        count += 1
        if count % 2000 == 0 and time.monotonic() > bounds.deadline:
            bounds.problems.append(f"stopped after {bounds.limits.max_seconds:.0f} s: the sheets are incomplete")
            return
        if el.tag == TABLE:
            depth += 1 if event == "start" else -1
            if event == "start" and depth == 1:
                reader.start_table(el)
            elif event == "end" and depth == 0:
                _drop_done(el)
        elif event == "end" and depth == 1:
            if el.tag == ROW:
                reader.end_row(el)
            else:
                reader.cell(el)
        if reader.stopped:
            return
