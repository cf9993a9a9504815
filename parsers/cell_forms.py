"""Forms laid out in cells: pair the form's label cells with their answers, sheet by sheet.

A spreadsheet reader (``parsers.spreadsheets``, ``parsers.odf``) fills a :class:`Sheet` (its
non-empty cells and merged ranges) and hands it here. The labels are the report form's own
(``role_model_form.cell_label_field``); an answer is found

* in the label's own cell (``จังหวัด: ขอนแก่น``, ``จังหวัด……ขอนแก่น``);
* to the right of the label (the next non-empty cell of the row, past the label's merged
  range), or else under it (the next rows, within the label's columns);
* in a table: a header row of labels (``จังหวัด | อำเภอ | ผู้รายงาน``) and one row per
  form under it. Each filled row is a form of its own (a zone office listing its provinces);
  the answers outside the table (a reporter signing for all rows) go with every row.

A value made only of blanks (``......``) is no answer: a sheet of labels without answers is a
blank form (every entry's value empty). Cells that are neither labels nor answers are the
sheet's headings (``title`` entries): they carry the form's title (อำเภอต้นแบบ …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from areaplan.core.records import LabelledValue
from areaplan.core.thai_text import strip_blanks
from areaplan.parsers.role_model_form import cell_label_field, split_label_value

MAX_LOOK_RIGHT = 8  # columns searched for a label's answer
MAX_LOOK_DOWN = 3  # rows searched under a label for its answer
MAX_TITLES = 12  # heading cells kept per sheet
MAX_TABLE_FORMS = 200  # rows of a table read as forms (more than every province)
MAX_COVERED = 200_000  # cells inside merged ranges that are mapped to their range's top-left
_PLACE_FIELDS = {"province", "district", "zone"}
_BLANK = re.compile(r"^[\s.…_·⋯\-–—:：|/()]*$")


@dataclass
class Sheet:
    """The non-empty cells of one sheet, by (row, column) from 0, and its merged ranges."""

    name: str
    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # top-left -> bottom-right

    def put(self, row: int, col: int, text: str) -> None:
        text = (text or "").strip()
        if text:
            self.cells[(row, col)] = text


def column_name(col: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


def _where(sheet: Sheet, row: int, col: int) -> str:
    return f"{sheet.name}!{column_name(col)}{row + 1}"


def is_blank_value(text: str) -> bool:
    """True for an empty answer: nothing but dotted leaders, dashes and separators."""
    return bool(_BLANK.match(strip_blanks(text or "")))


def _answer(text: str) -> str:
    return "" if is_blank_value(text) else strip_blanks(text).strip()


class _Pairing:
    """One pass over one sheet."""

    def __init__(self, sheet: Sheet):
        self.sheet = sheet
        self.labels: dict[tuple[int, int], str] = {}
        self.inline: dict[tuple[int, int], tuple[str, str, str]] = {}
        for pos, text in sheet.cells.items():
            kind = cell_label_field(text)
            if kind:
                self.labels[pos] = kind
                continue
            pair = split_label_value(text)
            if pair:
                self.inline[pos] = pair
        self.used: set[tuple[int, int]] = set()
        self.last_row = max(r for r, _c in sheet.cells)
        self.label_columns: dict[int, list[int]] = {}
        for r, c in self.labels:
            self.label_columns.setdefault(r, []).append(c)
        self.covered: dict[tuple[int, int], tuple[int, int]] = {}  # cell inside a merge -> its top-left
        budget = MAX_COVERED
        for (r0, c0), (r1, c1) in sheet.merges.items():
            area = (r1 - r0 + 1) * (c1 - c0 + 1)
            if (r0, c0) not in sheet.cells or area > budget:
                continue
            budget -= area
            for rr in range(r0, r1 + 1):
                for cc in range(c0, c1 + 1):
                    self.covered.setdefault((rr, cc), (r0, c0))

    def span(self, pos: tuple[int, int]) -> tuple[int, int]:
        return self.sheet.merges.get(pos, pos)

    def covering(self, row: int, col: int) -> tuple[int, int] | None:
        """The cell holding the text at (row, col): itself, or the top-left of its merge."""
        if (row, col) in self.sheet.cells:
            return row, col
        return self.covered.get((row, col))

    # ---- tables: a header row of labels, one form per row under it
    def header_rows(self) -> list[int]:
        """Rows of two or more labels (one of them จังหวัด or อำเภอ) with (almost) no answers."""
        kinds: dict[int, list[str]] = {}
        values: dict[int, int] = {}
        for pos in self.sheet.cells:
            if pos in self.labels:
                kinds.setdefault(pos[0], []).append(self.labels[pos])
            else:
                values[pos[0]] = values.get(pos[0], 0) + 1
        return [r for r, found in sorted(kinds.items())
                if len(found) >= 2 and {"province", "district"} & set(found) and values.get(r, 0) <= len(found) // 2]

    def table(self, header: int) -> list[list[LabelledValue]]:
        columns = sorted((c, self.labels[(header, c)]) for c in self.label_columns.get(header, ()))
        last_row = self.last_row
        rows: list[list[LabelledValue]] = []
        empty_run = 0
        row = self.span((header, columns[0][0]))[0] + 1
        while row <= last_row and len(rows) < MAX_TABLE_FORMS:
            if any((row, c) in self.labels for c, _ in columns):
                break
            entries = []
            for c, kind in columns:
                pos = self.covering(row, c)
                text = self.sheet.cells.get(pos, "") if pos else ""
                entries.append(LabelledValue(kind, self.sheet.cells[(header, c)], _answer(text),
                                             _where(self.sheet, *(pos or (row, c)))))
                if pos:
                    self.used.add(pos)
            if any(e.value for e in entries if e.field in _PLACE_FIELDS):  # a row naming no place is no form
                rows.append(entries)
                empty_run = 0
            else:
                empty_run += 1
                if empty_run >= 2:
                    break
            row += 1
        for c, _kind in columns:
            self.used.add((header, c))
        if not rows:  # a table of labels only: one blank form
            rows.append([LabelledValue(kind, self.sheet.cells[(header, c)], "", _where(self.sheet, header, c))
                         for c, kind in columns])
        return rows

    # ---- a label and its answer beside or under it
    def value_for(self, pos: tuple[int, int]) -> tuple[str, tuple[int, int]] | None:
        r, c = pos
        r_end, c_end = self.span(pos)
        for col in range(c_end + 1, c_end + 1 + MAX_LOOK_RIGHT):
            other = (r, col)
            if other in self.labels:
                break
            if other in self.sheet.cells and other not in self.used:
                return self.sheet.cells[other], other
        for row in range(r_end + 1, r_end + 1 + MAX_LOOK_DOWN):
            for col in range(c, min(c_end, c + MAX_LOOK_RIGHT) + 1):
                other = self.covering(row, col)
                if other is None:
                    continue
                if other in self.labels or other in self.inline:
                    return None
                if other not in self.used:
                    return self.sheet.cells[other], other
        return None

    def singles(self) -> list[LabelledValue]:
        entries: list[LabelledValue] = []
        for pos in sorted(set(self.labels) | set(self.inline)):
            if pos in self.used:
                continue
            self.used.add(pos)
            if pos in self.inline:
                kind, label, value = self.inline[pos]
                entries.append(LabelledValue(kind, label, _answer(value), _where(self.sheet, *pos)))
                continue
            found = self.value_for(pos)
            if found is None:
                entries.append(LabelledValue(self.labels[pos], self.sheet.cells[pos], "", _where(self.sheet, *pos)))
                continue
            text, where = found
            self.used.add(where)
            entries.append(LabelledValue(self.labels[pos], self.sheet.cells[pos], _answer(text),
                                         _where(self.sheet, *where)))
        return entries

    def titles(self) -> list[LabelledValue]:
        out = []
        for pos in sorted(self.sheet.cells):
            if pos not in self.used and len(out) < MAX_TITLES:
                out.append(LabelledValue("title", "", self.sheet.cells[pos], _where(self.sheet, *pos)))
        return out


def sheet_forms(sheet: Sheet) -> list[tuple[LabelledValue, ...]]:
    """The forms of one sheet (each a tuple of entries, headings first); [] when it has no labels."""
    if not sheet.cells:
        return []
    pairing = _Pairing(sheet)
    if not pairing.labels and not pairing.inline:
        return []
    table_rows: list[list[LabelledValue]] = []
    for header in pairing.header_rows():
        if (header, min(pairing.label_columns[header])) not in pairing.used:
            table_rows += pairing.table(header)
            if len(table_rows) >= MAX_TABLE_FORMS:
                break
    singles = pairing.singles()
    titles = pairing.titles()
    if not table_rows:
        return [tuple(titles + singles)] if any(e.field in _PLACE_FIELDS for e in singles) else []
    shared = [e for e in singles if e.field not in _PLACE_FIELDS]
    return [tuple(titles + row + shared) for row in table_rows]


def header_table_forms(sheet: Sheet) -> list[tuple[LabelledValue, ...]]:
    """The forms of the sheet's tables only (a header row of labels, ``จังหวัด | อำเภอ | ...``,
    one form per row under it), each with the sheet's headings; [] when it has no such table.

    A table of labels without answers gives one blank form.
    """
    if not sheet.cells:
        return []
    pairing = _Pairing(sheet)
    rows: list[list[LabelledValue]] = []
    for header in pairing.header_rows():
        if (header, min(pairing.label_columns[header])) not in pairing.used:
            rows += pairing.table(header)
            if len(rows) >= MAX_TABLE_FORMS:
                break
    if not rows:
        return []
    titles = pairing.titles()
    return [tuple(titles + row) for row in rows[:MAX_TABLE_FORMS]]


def grid_text(sheet: Sheet, max_chars: int, named: bool = True) -> str:
    """The sheet as text for people and search: its name (``[แผ่นงาน]``), then ``cell | cell``
    per row."""
    lines = [f"[{sheet.name}]"] if named else []
    total = 0
    rows: dict[int, list[tuple[int, str]]] = {}
    for (r, c), text in sheet.cells.items():
        rows.setdefault(r, []).append((c, text))
    for r in sorted(rows):
        line = " | ".join(t.replace("\n", " ") for _c, t in sorted(rows[r]))
        total += len(line) + 1
        if total > max_chars:
            break
        lines.append(line)
    return "\n".join(lines)
