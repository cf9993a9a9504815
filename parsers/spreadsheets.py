"""Read spreadsheets: Excel .xlsx (its XML streamed with lxml) and .xls (xlrd), CSV/TSV text.

Each sheet becomes a :class:`parsers.cell_forms.Sheet` (its non-empty cells and merged
ranges), bounded: at most ``MAX_SHEETS`` sheets, ``MAX_ROWS`` rows and ``MAX_COLS`` columns
of each, ``MAX_CELLS`` cells in all, ``MAX_CELL_CHARS`` characters a cell. What is past a
bound is not read and said in ``problems`` (so a person looks). Before openpyxl opens an
.xlsx, the ZIP is checked like a DOCX (entry count, inflated size, ratios, DTD/entity
declarations) and its shared-strings part, which is held in memory, must be under
``MAX_SHARED_STRINGS_BYTES``. (openpyxl's read-only mode was not used: it reads a whole
sheet part to size it when the part has no ``<dimension>``, 40 s for a sheet of 1e6 rows.)

:func:`workbook_result` turns the sheets into a ``ReadResult``: ``text`` is every sheet as
``cell | cell`` rows (what people see and search), ``cell_forms`` the forms found in the
cells (``parsers.cell_forms``), ``sections`` their canonical texts, one per form.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import time
import zipfile
import zlib

from areaplan.core.records import LabelledValue
from areaplan.parsers.archive import open_zip_checked
from areaplan.parsers.cell_forms import Sheet, grid_text, sheet_forms
from areaplan.parsers.errors import UnreadableAttachment
from areaplan.parsers.role_model_form import form_text, mentions_role_model
from areaplan.parsers.types import ReadLimits, ReadResult

log = logging.getLogger(__name__)

DEFAULT_LIMITS = ReadLimits()
MAX_SHEETS = 50
MAX_ROWS = 1000  # a form is a few dozen rows; a table of provinces under 100
MAX_COLS = 60
MAX_CELLS = 50_000
MAX_CELL_CHARS = 20_000
MAX_MERGES = 2_000
MAX_FORMS = 200
MAX_SHARED_STRINGS_BYTES = 16 * 2**20
MAX_XLS_BYTES = 16 * 2**20  # xlrd reads a whole .xls into memory
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z]{1,3})(\d{1,7}):([A-Za-z]{1,3})(\d{1,7})\"")


class CellBudget:
    """What is left of the cell budget for one file, and what was cut."""

    def __init__(self, limits: ReadLimits):
        self.deadline = time.monotonic() + limits.max_seconds
        self.cells_left = MAX_CELLS
        self.problems: list[str] = []
        self.limits = limits

    def out_of_time(self) -> bool:
        if time.monotonic() > self.deadline:
            self.problems.append(f"stopped after {self.limits.max_seconds:.0f} s: the sheets are incomplete")
            return True
        return False


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)[:MAX_CELL_CHARS]


def _put_row(sheet: Sheet, row: int, values, bounds: CellBudget) -> bool:
    """Put one row's values; False once the cell budget is used up."""
    for col, value in enumerate(values):
        if col >= MAX_COLS:
            break
        text = _cell_text(value)
        if text.strip():
            if bounds.cells_left <= 0:
                bounds.problems.append(f"more than {MAX_CELLS} filled cells: the rest not read")
                return False
            bounds.cells_left -= 1
            sheet.put(row, col, text)
    return True


# --------------------------------------------------------------------------- xlsx


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n - 1


def _xlsx_merges(zf: zipfile.ZipFile, path: str, bounds: CellBudget) -> dict[tuple[int, int], tuple[int, int]]:
    """Merged ranges of one sheet part, scanned as bytes (they follow the cells)."""
    merges: dict[tuple[int, int], tuple[int, int]] = {}
    try:
        with zf.open(path.lstrip("/")) as stream:
            tail = b""
            while chunk := stream.read(1 << 20):
                window = tail + chunk
                for m in (_MERGE.finditer(window) if b"mergeCell" in window else ()):
                    c0, r0, c1, r1 = _col_index(m.group(1)), int(m.group(2)) - 1, _col_index(m.group(3)), int(m.group(4)) - 1
                    if r0 < MAX_ROWS and c0 < MAX_COLS:
                        merges[(r0, c0)] = (min(r1, MAX_ROWS), min(c1, MAX_COLS))
                    if len(merges) >= MAX_MERGES:
                        return merges
                tail = window[-300:]
                if time.monotonic() > bounds.deadline:
                    return merges
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        log.info("merged cells of %s not read: %s", path, exc)
    return merges


def _check_xlsx_package(data: bytes, limits: ReadLimits, deadline: float) -> None:
    from areaplan.parsers.docx import refuse_dtds  # the shared DTD/entity and encoding check

    zf = open_zip_checked(data, limits, "Excel workbook")
    with zf:
        refuse_dtds(zf, limits, deadline, "Excel workbook")
        for info in zf.infolist():
            if info.filename.lower().endswith("sharedstrings.xml") and info.file_size > MAX_SHARED_STRINGS_BYTES:
                raise UnreadableAttachment(
                    f"Excel workbook's shared strings ({info.filename}) inflate to "
                    f"{info.file_size / 2**20:.0f} MB, over the {MAX_SHARED_STRINGS_BYTES // 2**20} MB "
                    "a form can need; not opened"
                )


_SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_ROW, _C, _V, _IS, _T, _RPH = (f"{{{_SML}}}{n}" for n in ("row", "c", "v", "is", "t", "rPh"))
_DATE_FORMAT_IDS = set(range(14, 23)) | {45, 46, 47}
_REF = re.compile(r"([A-Za-z]{1,3})(\d{1,7})")
_SMALL_PART = 4 * 2**20  # workbook, relationships, styles: read as trees, at most this big


def _xml(zf: zipfile.ZipFile, name: str):
    from lxml import etree

    from areaplan.parsers.archive import read_member

    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    raw = read_member(zf, info, _SMALL_PART)
    if raw is None:
        raise UnreadableAttachment(f"Excel workbook part {name} is over {_SMALL_PART // 2**20} MB; not opened")
    try:
        return etree.fromstring(raw, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except etree.XMLSyntaxError as exc:
        raise UnreadableAttachment(f"Excel workbook part {name} is damaged ({str(exc)[:120]})") from None


def _sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path) in workbook order, through workbook.xml and its relationships."""
    import posixpath

    book = "xl/workbook.xml"
    rels = _xml(zf, "_rels/.rels")
    if rels is not None:
        for rel in rels.iter(f"{{{_PKG_REL}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                book = rel.get("Target", book).lstrip("/")
    root = _xml(zf, book)
    if root is None or root.tag != f"{{{_SML}}}workbook":
        raise UnreadableAttachment("not an Excel workbook (no workbook part)")
    base = posixpath.dirname(book)
    book_rels = _xml(zf, posixpath.join(base, "_rels", posixpath.basename(book) + ".rels"))
    targets = {}
    if book_rels is not None:
        for rel in book_rels.iter(f"{{{_PKG_REL}}}Relationship"):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            targets[rel.get("Id")] = path
    sheets = [(sh.get("name") or f"Sheet{i + 1}", targets.get(sh.get(f"{{{_REL}}}id"), ""))
              for i, sh in enumerate(root.iter(f"{{{_SML}}}sheet"))]
    if not sheets:
        raise UnreadableAttachment("Excel workbook without sheets")
    return sheets


def _date_styles(zf: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell styles that show a number as a date."""
    root = _xml(zf, "xl/styles.xml")
    if root is None:
        return set()
    custom = {int(f.get("numFmtId", "0")): f.get("formatCode", "") for f in root.iter(f"{{{_SML}}}numFmt")
              if (f.get("numFmtId") or "").isdigit()}
    dates = {fid for fid, code in custom.items()
             if re.search(r"[dmy]", re.sub(r'"[^"]*"|\[[^]]*\]', "", code.lower())) and "general" not in code.lower()}
    xfs = root.find(f"{{{_SML}}}cellXfs")
    out = set()
    for i, xf in enumerate(xfs if xfs is not None else []):
        fid = xf.get("numFmtId", "0")
        if fid.isdigit() and (int(fid) in _DATE_FORMAT_IDS or int(fid) in dates):
            out.add(i)
    return out


def _shared_strings(zf: zipfile.ZipFile, bounds: CellBudget) -> list[str]:
    from lxml import etree

    name = next((i.filename for i in zf.infolist() if i.filename.lower() == "xl/sharedstrings.xml"), None)
    if name is None:
        return []
    out: list[str] = []
    with zf.open(name) as stream:
        for _event, si in etree.iterparse(stream, tag=f"{{{_SML}}}si", resolve_entities=False, no_network=True,
                                          load_dtd=False, huge_tree=False):
            out.append("".join(t.text or "" for t in si.iter(_T) if _RPH not in {a.tag for a in t.iterancestors()})
                       [:MAX_CELL_CHARS])
            si.clear(keep_tail=False)
            while si.getprevious() is not None:
                del si.getparent()[0]
            if len(out) % 5000 == 0 and time.monotonic() > bounds.deadline:
                raise UnreadableAttachment("Excel workbook's shared strings took too long to read")
    return out


def _serial_date(value: float) -> dt.date | dt.datetime:
    moment = dt.datetime(1899, 12, 30) + dt.timedelta(days=value)
    return moment.date() if moment.time() == dt.time() else moment


def _cell_value(c, strings: list[str], dates: set[int]) -> object:
    kind = c.get("t", "n")
    if kind == "inlineStr":
        inline = c.find(_IS)
        return "".join(t.text or "" for t in inline.iter(_T)) if inline is not None else None
    v = c.find(_V)
    text = v.text if v is not None else None
    if text is None:
        return None
    if kind == "s":
        return strings[int(text)] if text.isdigit() and int(text) < len(strings) else None
    if kind in ("str", "e"):
        return text if kind == "str" else None
    if kind == "b":
        return text in ("1", "true")
    try:
        number = float(text)
    except ValueError:
        return text
    style = c.get("s", "0")
    if style.isdigit() and int(style) in dates and 0 < number < 2_958_466:
        return _serial_date(number)
    return number


def _xlsx_sheet(zf: zipfile.ZipFile, name: str, path: str, strings: list[str], dates: set[int],
                bounds: CellBudget) -> tuple[Sheet, bool]:
    """One sheet part streamed row by row (at most MAX_ROWS); (sheet, go on with the next)."""
    from lxml import etree

    sheet = Sheet(name)
    with zf.open(path) as stream:
        index = -1
        for _event, row in etree.iterparse(stream, tag=_ROW, resolve_entities=False, no_network=True,
                                           load_dtd=False, huge_tree=False):
            r = row.get("r", "")
            index = int(r) - 1 if r.isdigit() else index + 1
            if index >= MAX_ROWS:
                if len(row):
                    bounds.problems.append(f"sheet {name}: more than {MAX_ROWS} rows; only the first {MAX_ROWS} read")
                break
            values: list[object] = []
            for c in row.iterchildren(_C):
                ref = _REF.match(c.get("r", ""))
                col = _col_index(ref.group(1).encode()) if ref else len(values)
                if col >= MAX_COLS:
                    break
                values.extend([None] * (col - len(values)))
                values.append(_cell_value(c, strings, dates))
            row.clear(keep_tail=False)
            while row.getprevious() is not None:
                del row.getparent()[0]
            if not _put_row(sheet, index, values, bounds):
                return sheet, False
            if index % 100 == 0 and bounds.out_of_time():
                return sheet, False
    sheet.merges = _xlsx_merges(zf, path, bounds)
    return sheet, True


def read_xlsx(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> ReadResult:
    """Read an .xlsx/.xlsm workbook: kind "xlsx". Raises UnreadableAttachment for hostile files.

    The parts are streamed with lxml (not built as trees): a sheet of a million rows costs
    its first MAX_ROWS rows, whatever its size record says or lacks.
    """
    from lxml import etree

    bounds = CellBudget(limits)
    _check_xlsx_package(data, limits, bounds.deadline)
    sheets: list[Sheet] = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = _sheet_parts(zf)
        if len(parts) > MAX_SHEETS:
            bounds.problems.append(f"{len(parts)} sheets: only the first {MAX_SHEETS} read")
        try:
            strings = _shared_strings(zf, bounds)
            dates = _date_styles(zf)
            for name, path in parts[:MAX_SHEETS]:
                if path not in zf.namelist():
                    bounds.problems.append(f"sheet {name}: its part {path or '?'} is missing")
                    continue
                sheet, go_on = _xlsx_sheet(zf, name, path, strings, dates, bounds)
                sheets.append(sheet)
                if not go_on:
                    break
        except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError, KeyError) as exc:
            bounds.problems.append(f"Excel workbook damaged; read up to the damage ({str(exc)[:200]})")
    return workbook_result("xlsx", "xlsx-xml", sheets, bounds, limits)


# --------------------------------------------------------------------------- xls


def read_xls(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> ReadResult:
    """Read an Excel 97-2003 .xls workbook (xlrd): kind "xls"."""
    try:
        import xlrd
    except ImportError:
        from areaplan.parsers.errors import MissingTool

        raise MissingTool("xlrd", "python3-xlrd (or pip install xlrd)", "an Excel 97-2003 workbook") from None
    if len(data) > MAX_XLS_BYTES:
        raise UnreadableAttachment(
            f"Excel 97-2003 workbook of {len(data) / 2**20:.0f} MB, over the {MAX_XLS_BYTES // 2**20} MB "
            "a form can need; not opened"
        )
    bounds = CellBudget(limits)
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True,
                                  logfile=io.StringIO(), ragged_rows=True)
    except Exception as exc:  # noqa: BLE001 - xlrd raises many types on bad input
        text = str(exc)[:200]
        if "encrypt" in text.lower():
            raise UnreadableAttachment("password-protected Excel workbook; ask for an unprotected copy") from None
        raise UnreadableAttachment(f"not a valid Excel 97-2003 workbook ({type(exc).__name__}: {text})") from None
    sheets: list[Sheet] = []
    try:
        names = book.sheet_names()
        if len(names) > MAX_SHEETS:
            bounds.problems.append(f"{len(names)} sheets: only the first {MAX_SHEETS} read")
        for i in range(min(len(names), MAX_SHEETS)):
            sh = book.sheet_by_index(i)
            sheet = Sheet(sh.name)
            sheets.append(sheet)
            if not _xls_rows(xlrd, book, sh, sheet, bounds):
                break
            for rlo, rhi, clo, chi in sh.merged_cells[:MAX_MERGES]:
                if rlo < MAX_ROWS and clo < MAX_COLS:
                    sheet.merges[(rlo, clo)] = (rhi - 1, chi - 1)
            book.unload_sheet(i)
    except Exception as exc:  # noqa: BLE001 - a damaged sheet
        bounds.problems.append(f"Excel 97-2003 workbook damaged; read up to the damage ({type(exc).__name__})")
    finally:
        book.release_resources()
    return workbook_result("xls", "xlrd", sheets, bounds, limits)


def _xls_rows(xlrd, book, sh, sheet: Sheet, bounds: CellBudget) -> bool:
    if sh.nrows > MAX_ROWS:
        bounds.problems.append(f"sheet {sh.name}: {sh.nrows} rows; only the first {MAX_ROWS} read")
    for r in range(min(sh.nrows, MAX_ROWS)):
        values = []
        for c in range(min(sh.row_len(r), MAX_COLS)):
            cell = sh.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    values.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    values.append(cell.value)
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                values.append(None)
            else:
                values.append(cell.value)
        if not _put_row(sheet, r, values, bounds):
            return False
        if r % 100 == 0 and bounds.out_of_time():
            return False
    return True


# --------------------------------------------------------------------------- csv / tsv

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def decode_table_text(data: bytes, charset: str | None) -> tuple[str, list[str]]:
    """Text of a CSV/TSV file: a BOM first (Excel's "Unicode text" is UTF-16 with one), then
    UTF-16 without a BOM (every other byte NUL), then the declared charset, UTF-8, TIS-620."""
    from areaplan.parsers.charsets import decode_text

    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, "replace"), []
    head = data[:4096]
    if len(head) >= 8:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > 0.4 * len(head) / 2 and even < 0.05 * len(head) / 2:
            return data.decode("utf-16-le", "replace"), ["UTF-16 text without a byte-order mark, read as UTF-16LE"]
        if even > 0.4 * len(head) / 2 and odd < 0.05 * len(head) / 2:
            return data.decode("utf-16-be", "replace"), ["UTF-16 text without a byte-order mark, read as UTF-16BE"]
    return decode_text(data, charset, "table file")


def _delimiter(text: str) -> str:
    sample = text[:20_000].split("\n")[:50]
    counts = {d: sum(line.count(d) for line in sample) for d in ("\t", ",", ";", "|")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def read_csv(data: bytes, name: str = "", charset: str | None = None,
             limits: ReadLimits = DEFAULT_LIMITS) -> ReadResult:
    """Read a CSV/TSV file as one sheet: kind "csv"."""
    bounds = CellBudget(limits)
    text, defects = decode_table_text(data, charset)
    sheet = Sheet(name.rsplit("/", 1)[-1] or "csv")
    reader = csv.reader(io.StringIO(text[: limits.max_text_chars]), delimiter=_delimiter(text))
    row = 0
    try:
        for values in reader:
            if row >= MAX_ROWS:
                bounds.problems.append(f"more than {MAX_ROWS} rows; only the first {MAX_ROWS} read")
                break
            if not _put_row(sheet, row, values, bounds) or (row % 100 == 0 and bounds.out_of_time()):
                break
            row += 1
    except csv.Error as exc:
        bounds.problems.append(f"table file damaged at row {row + 1} ({exc}); read up to there")
    result = workbook_result("csv", "csv", [sheet], bounds, limits)
    result.notes[:0] = [d for d in defects]
    return result


# --------------------------------------------------------------------------- result


def _with_title(form: tuple[LabelledValue, ...], title: LabelledValue | None) -> tuple[LabelledValue, ...]:
    """A form whose sheet has no heading in the campaign's words gets the workbook's."""
    if title is None or any(e.field == "title" and mentions_role_model(e.value) for e in form):
        return form
    return (title,) + form


def workbook_result(kind: str, method: str, sheets: list[Sheet], bounds: CellBudget,
                    limits: ReadLimits) -> ReadResult:
    """The ReadResult of a workbook: text of every sheet, its forms and their canonical texts."""
    result = ReadResult(kind=kind, method=method, pages=len(sheets) or None)
    result.problems.extend(dict.fromkeys(bounds.problems))
    forms: list[tuple[LabelledValue, ...]] = []
    for sheet in sheets:
        forms.extend(sheet_forms(sheet))
    if len(forms) > MAX_FORMS:
        result.problems.append(f"{len(forms)} forms in the cells; only the first {MAX_FORMS} read")
        forms = forms[:MAX_FORMS]
    title = next((e for f in forms for e in f if e.field == "title" and mentions_role_model(e.value)), None)
    if title is None:  # a heading of a sheet without labels (a cover sheet)
        for sheet in sheets:
            heading = next((t for t in sheet.cells.values() if mentions_role_model(t)), None)
            if heading:
                title = LabelledValue("title", "", heading, sheet.name)
                break
    result.cell_forms = [_with_title(f, title) for f in forms]
    result.sections = [form_text(f) for f in result.cell_forms]
    text = "\n\n".join(grid_text(s, limits.max_text_chars, named=kind != "csv") for s in sheets if s.cells)
    from areaplan.core.thai_text import normalize  # lazy: another module owner

    result.text = normalize(text)[: limits.max_text_chars]
    if not any(s.cells for s in sheets):
        result.notes.append("the workbook has no filled cells")
    elif len(result.cell_forms) > 1:
        result.notes.append(f"{len(result.cell_forms)} forms read from the cells")
    return result
