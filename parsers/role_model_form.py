"""Read the answers of the DOPA "อำเภอต้นแบบ (Role Model)" report form.

The form (แบบฟอร์มการคัดเลือกอำเภอต้นแบบ, sent with letter มท ๐๓๐๕.๑/๑๙๐๒๙ of
28 March 2564) has blanks for the zone (``เรียน ผู้ตรวจราชการกรมการปกครอง เขต.....``),
the province and district (``ที่ทำการปกครองจังหวัด.....ได้พิจารณาคัดเลือกอำเภอ.....``),
a narrative (``… ตามหลักเกณฑ์การคัดเลือกฯ คือ.....``), the reporter's signature
block and a coordinator with phone numbers.

People fill it in every possible way: typed over the dots, on the next line, in a
table, pasted into an email, with abbreviations and Thai or Arabic digits. So each
answer is looked for in several *windows* (the blank itself, the table row, the
lines around the sentence, the signature…), best first, and a window only counts
when the gazetteer confirms a name in it. What was found where is written to
``FormFields.confidence_notes``.

:func:`read_form` never raises for odd input. Telling a role-model submission
from a best-practice one and from everything else is :mod:`parsers.classify`.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from areaplan.core.gazetteer import CONFIDENT, Gazetteer, Match
from areaplan.core.thai_text import (
    THAI_NUMBER_WORD,
    ZERO_WIDTH,
    has_thai,
    parse_thai_number,
    strip_blanks,
    thai_digits_to_arabic,
    thai_number_word,
)

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class FormFields:
    """The answers read from one text. Text fields are as written, blanks removed; None if absent.

    ``province_code`` / ``district_code`` are what the gazetteer confirmed while
    reading (hints: the pipeline resolves ``province_text``/``district_text`` itself).
    ``district_code`` is None when more than one district is nominated.
    """

    is_form: bool = False
    province_text: str | None = None
    province_code: str | None = None
    district_text: str | None = None
    district_code: str | None = None
    districts_mentioned: list[str] = field(default_factory=list)
    zone_text: str | None = None
    zone_number: int | None = None
    narrative: str | None = None
    criteria: dict[int, str] = field(default_factory=dict)
    reporter_name: str | None = None
    reporter_position: str | None = None
    coordinator_name: str | None = None
    coordinator_position: str | None = None
    phones: list[str] = field(default_factory=list)
    confidence_notes: list[str] = field(default_factory=list)
    # Forms read from cells (``read_form_entries``): field name -> the cell it was read from
    # ("แบบฟอร์ม!C4"). Empty for forms read from running text.
    locations: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- patterns


def label_re(words: str) -> str:
    """Regex for a Thai label that tolerates the stray spaces PDF extraction puts inside words.

    A space in ``words`` matches any whitespace (or none); between other characters
    one optional whitespace character is allowed (a space, or a line break where a
    table cell wrapped the word: ``ผู้\\nรายงาน``).
    """
    parts = []
    for word in words.split():
        parts.append(r"\s?".join(re.escape(ch) for ch in word))
    return r"\s*".join(parts)


_FILL = r"[ \t.…_·⋯:：|]*"  # blanks and separators between a label and its answer
_EDGE = " \t\n:：|,;.…_·⋯-–—*•()[]\"'“”"

_PROV_LABEL = re.compile(
    "(?:"
    + "|".join(
        [
            label_re("ที่ทำการปกครองจังหวัด"),
            label_re("ที่ทำการปกครอง จ."),
            r"ท?ปค\.?\s?จ\.",
            label_re("ที่ทำการปกครอง"),  # Bangkok: "ที่ทำการปกครองกรุงเทพมหานคร"
        ]
    )
    + ")"
)
# Header cells of a table whose answers are in the row below ("| จังหวัด | อำเภอ… |").
_HEADER_CELLS: dict[str, re.Pattern[str]] = {
    "province": re.compile(r"(?:ชื่อ)?จังหวัด"),
    "district": re.compile(
        r"(?:ชื่อ)?อำเภอ(?:ที่ได้รับ(?:การ)?คัดเลือก|ที่คัดเลือก|ต้นแบบ(?:\(?RoleModel\)?)?)?",
        re.IGNORECASE,
    ),
    "zone": re.compile(r"เขต(?:ตรวจราชการ)?(?:ที่)?"),
}
SELECT_RE = re.compile(
    "(?:"
    + "|".join(
        [
            label_re("ได้ พิจารณา คัดเลือก"),
            label_re("ได้ คัดเลือก"),
            label_re("ได้ พิจารณา"),
            label_re("ขอ เสนอ"),
            label_re("ขอ รายงาน ผล การ คัดเลือก"),
        ]
    )
    + ")"
)
_DISTRICT_WORD = re.compile(
    r"^" + _FILL + r"(?:" + label_re("กิ่งอำเภอ") + "|" + label_re("อำเภอ") + r"|อ\.|เขต)"
)
_DIST_STOP = re.compile(
    "|".join(
        [
            label_re("เป็น อำเภอ ต้นแบบ"),
            label_re("เป็น เขต ต้นแบบ"),
            label_re("เป็น ต้นแบบ"),
            label_re("เป็น อำเภอ"),
            label_re("เป็น เขต"),
            r"\(?\s*Role\s*Model",
            label_re("ตาม โครงการ"),
            label_re("โดย มี ผล"),
        ]
    ),
    re.IGNORECASE,
)
_ROLE = re.compile(label_re("อำเภอ ต้นแบบ") + r"|role\s*-?\s*model", re.IGNORECASE)
_TABLE_HINT = re.compile(
    label_re("อำเภอ ที่ ได้ รับ") + r"(?:\s*การ)?\s*" + label_re("คัดเลือก") + "|" + label_re("อำเภอ ที่ คัดเลือก")
)
_FORM_TITLE = re.compile(label_re("แบบ") + r"\s*(?:ฟอร์ม|รายงาน)\s*" + label_re("การ คัดเลือก"))

_TABLE_PROVINCE = re.compile(
    r"^[ \t|]*(?:ชื่อ\s?)?(?:" + label_re("จังหวัด") + r"|จ\.)[ \t]*(?:[:：|\t]|\.{2,}|…)" + r"(?P<v>.*)$",
    re.MULTILINE,
)
_TABLE_DISTRICT = re.compile(
    r"^[ \t|]*(?:"
    + "|".join(
        [
            label_re("อำเภอ ที่ ได้ รับ") + r"(?:\s*การ)?\s*" + label_re("คัดเลือก"),
            label_re("อำเภอ ที่ คัดเลือก"),
            label_re("อำเภอ ต้นแบบ") + r"(?:\s*\(?Role\s*Model\)?)?",
            r"(?:ชื่อ\s?)?" + label_re("อำเภอ"),
            r"(?:ชื่อ\s?)?เขต",
            r"อ\.",
        ]
    )
    + r")[ \t]*(?:[:：|\t]|\.{2,}|…)(?P<v>.*)$",
    re.MULTILINE | re.IGNORECASE,
)
# A label and its answer on one line, separated only by spaces (tables read from PDFs).
_LINE_PROVINCE = re.compile(
    r"^[ \t|]*(?:"
    + "|".join([label_re("ที่ทำการปกครองจังหวัด"), label_re("ที่ทำการปกครอง จ."), r"(?:ชื่อ\s?)?จังหวัด"])
    + r")[ \t]+(?P<v>\S[^\n]*)$",
    re.MULTILINE,
)
_LINE_DISTRICT = re.compile(
    r"^[ \t|]*(?:"
    + "|".join(
        [
            label_re("อำเภอ ที่ ได้ รับ") + r"(?:\s*การ)?\s*" + label_re("คัดเลือก"),
            label_re("อำเภอ ที่ คัดเลือก"),
            r"ชื่อ\s?" + label_re("อำเภอ"),
        ]
    )
    + r")[ \t]+(?P<v>\S[^\n]*)$",
    re.MULTILINE,
)
_PROVINCE_WORD = re.compile(label_re("จังหวัด") + r"[ \t]?|(?<![ก-๙])จ\.[ \t]?")
_EN_PROVINCE = re.compile(r"\b(?:Province|Changwat)\s*[:：|]\s*(?P<v>[^\n|]+)", re.IGNORECASE)
_EN_DISTRICT = re.compile(r"\b(?:District|Amphoe|Amphur)\s*[:：|]\s*(?P<v>[^\n|]+)", re.IGNORECASE)
_SIGNATURE_PROVINCE = re.compile(
    r"(?:" + label_re("ปลัดจังหวัด") + "|" + label_re("ผู้ว่าราชการจังหวัด") + r")(?P<v>[^\n]{0,60})"
)

# The zone number may follow its blank on the next line ("ที่………\n๒"), but a list
# item ("๑. ให้…") is not a zone.
# A zone in words ("สาม", "สิบแปด") is read on the label's own line only and must end the word
# (a district on the next line may start like a number: สองพี่น้อง, สามพราน).
_ZONE_NUMBER = (
    r"(?:[ \t.…_·:：|]*(?:\n[ \t]*)?(?P<z>[0-9๐-๙]{1,2})(?![0-9๐-๙])(?![ \t]*[.)][ \t]*[^\s.…_])"
    r"|[ \t.…_·:：|]*(?P<zw>" + THAI_NUMBER_WORD + r")(?![\u0e01-\u0e4e]))"
)
_ZONE_PATTERNS = (
    re.compile(
        label_re("ผู้ตรวจราชการ")
        + r"[^\n]{0,40}?(?:\n[^\n]{0,40}?){0,2}"
        + label_re("เขต")
        + r"(?:\s?"
        + label_re("ตรวจราชการ")
        + r")?(?:\s?ที่)?"
        + _ZONE_NUMBER
    ),
    re.compile(label_re("เขตตรวจราชการ") + r"(?:\s?ที่)?" + _ZONE_NUMBER),
    re.compile(r"^[ \t|]*เขต(?:\s?ที่)?[ \t]*[:：|][ \t.…_·]*(?P<z>[0-9๐-๙]{1,2})(?![0-9๐-๙])", re.M),
    re.compile(
        r"\b(?:Inspection\s+)?(?:Zone|Region)\s*(?:No\.?)?\s*[:：#]?\s*(?P<z>\d{1,2})\b", re.I
    ),
)

_OUTSTANDING = re.compile(
    label_re("ผล การ ปฏิบัติ งาน ที่ โดดเด่น") + "|" + label_re("ผล การ ดำเนิน งาน ที่ โดดเด่น")
)
_CRITERIA_REF = re.compile(label_re("ตาม หลักเกณฑ์ การ คัดเลือก") + r"ฯ?[ \t:：|]*")
_INTRO_WORD = re.compile(r"\s*(?:คือ|ได้แก่|ดังนี้)")
_NARRATIVE_START = re.compile(r"(?:^|[\s.…_)ฯ])(?:คือ|ได้แก่|ดังนี้)")
_NARRATIVE_END = re.compile(
    "|".join(
        [
            label_re("จึง เรียน มา เพื่อ"),
            label_re("จึง เรียน มา"),
            label_re("ขอ แสดง ความ นับถือ"),
            r"\(?\s*" + label_re("ลงชื่อ"),
            r"\(\s*" + label_re("ผู้รายงาน"),
            r"(?:^|(?<=\n))[ \t]*" + label_re("ผู้ รายงาน"),  # a table row "ผู้รายงาน  นาย…"
            r"(?:^|(?<=\n))[ \t]*" + label_re("ผู้ ประสานงาน"),
            label_re("หมายเหตุ"),
        ]
    )
)
_SIGN = re.compile(r"\(?\s*" + label_re("ลงชื่อ") + "|" + label_re("ลง นาม"))
_REPORTER_LABEL = re.compile(r"(?:^|(?<=\n))[ \t]*" + label_re("ผู้ รายงาน") + r"(?![ \t]*\))")
_SIGN_HEAD = re.compile(
    r"\s*\(?\s*(?:" + label_re("ลงชื่อ") + "|" + label_re("ลง นาม") + "|" + label_re("ผู้ รายงาน") + r")"
    r"\s*[:：]?[ \t]*(?P<rest>[^\n]*)"
)
_COORD = re.compile(label_re("ผู้ประสานงาน"))
_POSITION = re.compile(label_re("ตำแหน่ง"))
_PHONE_LABEL = re.compile(
    label_re("หมายเลข โทรศัพท์")
    + "|"
    + label_re("โทรศัพท์")
    + "|"
    + label_re("โทรสาร")
    + r"|โทร\.?|เบอร์|tel\.?|mobile|fax",
    re.IGNORECASE,
)
_ROLE_WORDS = re.compile(r"^\(?\s*(?:ผู้รายงาน|ผู้ประสานงาน|ลายมือชื่อ|ลงชื่อ|ลงนาม|ผู้ลงนาม)\s*\)?$")

_TITLES = (
    r"(?:ว่าที่\s?(?:ร้อย|ร\.)\s?(?:ตรี|โท|เอก|ต\.|ท\.|อ\.)(?:\s?หญิง)?|นางสาว|น\.ส\.|นาง|นาย"
    r"|ดร\.|ผศ\.|รศ\.|ศ\.|ร\.ต\.|ร\.ท\.|ร\.อ\.|พ\.ต\.|พ\.ท\.|พ\.อ\.|จ\.ส\.อ\.|ส\.อ\."
    r"|Mr\.?|Mrs\.?|Ms\.?|Miss|Dr\.?)"
)
_NAME_WITH_TITLE = re.compile(
    r"^(?P<name>" + _TITLES + r"\s?\S+(?:\s+(?!ตำแหน่ง)\S+)?)(?P<rest>.*)$"
)
_POSITION_WORDS = re.compile(
    r"(?:ปลัด|เจ้าพนักงาน|นักวิเคราะห์|นักจัดการ|นักทรัพยากร|จ่าจังหวัด|เจ้าหน้าที่|พนักงาน"
    r"|ผู้ช่วย|หัวหน้า|นายอำเภอ|ผู้อำนวยการ|เสมียน)"
)

_PHONE = re.compile(
    r"(?<![\d+])(?:\+?66[ \-.]?(?:\(0\))?[ \-.]?|0[ \-.]?)"
    r"(?:[689](?:[ \-.]?\d){8}|[2-7](?:[ \-.]?\d){7})(?!\d)"
    r"(?:\s*(?:ต่อ|ext\.?|x)\s*\d{1,5})?",
    re.IGNORECASE,
)

_CRITERIA_HEADINGS: dict[int, re.Pattern[str]] = {
    1: re.compile(label_re("บทบาท") + r"\s*(?:ของ\s*)?" + label_re("นายอำเภอ")),
    2: re.compile(label_re("การ ดำเนิน การ จัดเก็บ ข้อมูล") + "|" + label_re("การ จัดเก็บ ข้อมูล")),
    3: re.compile(label_re("ผล การ ปฏิบัติ งาน ของ ลูกจ้าง") + "|" + label_re("ลูกจ้าง เหมา บริการ")),
    4: re.compile(label_re("การ บูรณาการ ความ ร่วมมือ")),
}
_CRITERION_MARK = re.compile(
    r"(?:(?<=\s)|^)(?:"
    r"ข้อ(?:\s?ที่)?\s*(?P<a>[1-4])(?![\d])\s*[.:：)]?"
    r"|\(\s*(?P<b>[1-4])\s*\)"
    r"|(?P<c>[1-4])\s*[.)](?!\d)"
    r")",
    re.MULTILINE,
)


# --------------------------------------------------------------------------- small helpers


def _prepare(text: str) -> str:
    """Text with reply quote marks removed and tabs/box bars made into ``|``.

    The input is already normalised (``parsers.thai_text.normalize``); only what
    the form reader relies on is repeated here, cheaply (NFC, ``\\n`` line ends,
    no zero-width characters), so a 2 MB text costs no second full normalisation.
    """
    text = unicodedata.normalize("NFC", text or "")
    text = _ZERO_WIDTH.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u00a0", " ").replace("\f", "\n").replace("│", "|").replace("┃", "|")
    text = text.replace("\t", " | ")
    text = re.sub(r"^[ \t]*(?:>[ \t]?)+", "", text, flags=re.MULTILINE)
    return text


_ZERO_WIDTH = re.compile(f"[{ZERO_WIDTH}]")


def _clean(text: str | None) -> str:
    """An answer as written: blanks, separators and extra spaces removed; one line."""
    if not text:
        return ""
    s = strip_blanks(text)
    s = re.sub(r"[.…_·⋯]{2,}|…", " ", s)
    s = s.replace("|", " ")
    s = re.sub(r"\s+", " ", s)
    return s.strip(_EDGE)


def _clean_block(text: str) -> str:
    """A multi-line answer: blanks removed, lines kept, runs of empty lines collapsed."""
    s = strip_blanks(text)
    s = re.sub(r"[.…_·⋯]{2,}|…", " ", s)
    lines = [re.sub(r"[ \t]+", " ", ln).strip(" \t|") for ln in s.split("\n")]
    s = "\n".join(lines)
    s = re.sub(r"\n{3,}", "\n\n", s)
    return s.strip(" \t\n:：|,;.…_·⋯")


def _line_at(text: str, pos: int) -> tuple[int, int]:
    """(start, end) of the line containing ``pos``."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end == -1 else end


def _next_lines(text: str, pos: int, count: int = 2) -> str:
    """Up to ``count`` non-empty lines after the line containing ``pos``."""
    _, end = _line_at(text, pos)
    lines: list[str] = []
    while end < len(text) and len(lines) < count:
        nxt = text.find("\n", end + 1)
        nxt = len(text) if nxt == -1 else nxt
        line = text[end:nxt].strip("\n")
        if _clean(line):
            lines.append(line)
        end = nxt
    return "\n".join(lines)


def _previous_line(text: str, pos: int) -> str:
    """The nearest non-empty line before the line containing ``pos``."""
    start, _ = _line_at(text, pos)
    end = start - 1
    while end > 0:
        begin = text.rfind("\n", 0, end) + 1
        line = text[begin:end]
        if _clean(line):
            return line
        end = begin - 1
    return ""


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in items if not (x in seen or seen.add(x))]


# --------------------------------------------------------------------------- reader


@dataclass
class _Window:
    """A piece of text that may hold an answer, and where it came from (for the notes)."""

    text: str
    where: str
    primary: bool = False  # the answer's own blank/row/label: abbreviations and fuzzy hits count


class _FormReader:
    """One read of one text; :func:`read_form` is the public entry point."""

    def __init__(self, text: str, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self.text = _prepare(text)
        self.arabic = thai_digits_to_arabic(self.text)  # same length, same offsets
        self.notes: list[str] = []
        self.answered = False  # a province/district came from one of the form's own fields
        self.select = self._find_select()
        self.prov_seg, self.dist_seg = self._sentence_segments()
        self.table = self._table_below_headers()

    # ---- the selection sentence
    def _find_select(self) -> re.Match[str] | None:
        """The "…ได้พิจารณาคัดเลือก…" of the answer sentence (preferring one after a province label)."""
        best = None
        for m in SELECT_RE.finditer(self.text):
            if self._province_label_before(m.start()) is not None:
                return m
            if best is None and "คัดเลือก" in re.sub(r"\s", "", m.group(0)):
                best = m
        return best

    def _province_label_before(self, pos: int) -> re.Match[str] | None:
        labels = [m for m in _PROV_LABEL.finditer(self.text, max(0, pos - 250), pos)]
        return labels[-1] if labels else None

    def _sentence_segments(self) -> tuple[str | None, str | None]:
        """Raw text of the province blank and the district blank of the answer sentence."""
        if self.select is None:
            return None, None
        label = self._province_label_before(self.select.start())
        prov = self.text[label.end() : self.select.start()] if label else None
        rest = self.text[self.select.end() :]
        head = _DISTRICT_WORD.match(rest)
        offset = head.end() if head else 0
        stop = _DIST_STOP.search(rest, offset, offset + 300)
        if stop:
            dist = rest[offset : stop.start()]
        else:
            end = rest.find("\n", offset)
            dist = rest[offset : end if end != -1 else len(rest)]
        return prov, dist

    # ---- tables with a header row
    def _table_below_headers(self) -> dict[str, str]:
        """Answers in the row under a header row: {"province": …, "district": …, "zone": …}."""
        lines = self.text.split("\n")
        for i, line in enumerate(lines):
            if line.count("|") < 1:
                continue
            headers = _cells(line)
            columns = {
                key: k
                for k, cell in enumerate(headers)
                for key, pattern in _HEADER_CELLS.items()
                if pattern.fullmatch(re.sub(r"\s", "", cell))
            }
            if not {"province", "district"} & set(columns):
                continue
            for below in lines[i + 1 : i + 4]:
                values = _cells(below)
                if len(values) == len(headers) and any(_clean(v) for v in values):
                    return {key: values[k] for key, k in columns.items()}
        return {}

    # ---- province
    def _province_windows(self) -> Iterator[_Window]:
        if self.prov_seg is not None:
            yield _Window(self.prov_seg, "the province blank of the form", primary=True)
        for m in _TABLE_PROVINCE.finditer(self.text):
            value = m.group("v") if _clean(m.group("v")) else _next_lines(self.text, m.start(), 1)
            yield _Window(value, "the จังหวัด row", primary=True)
        for m in _LINE_PROVINCE.finditer(self.text):
            yield _Window(m.group("v"), "the จังหวัด line", primary=True)
        for m in _EN_PROVINCE.finditer(self.text):
            yield _Window(m.group("v"), "the Province field", primary=True)
        if "province" in self.table:
            yield _Window(self.table["province"], "the จังหวัด column", primary=True)
        if self.dist_seg is not None:
            yield _Window(self.dist_seg, "the district blank of the form")
        if self.select is not None:
            yield _Window(_next_lines(self.text, self.select.start(), 2), "the line under the form")
            yield _Window(_previous_line(self.text, self.select.start()), "the line above the form")
        for m in _SIGNATURE_PROVINCE.finditer(self.text):
            yield _Window(m.group("v"), "the signature (ปลัดจังหวัด…)", primary=True)

    def _province_in(self, window: _Window) -> tuple[Match, str] | None:
        """A confirmed province in one window, and the text to report for it."""
        cleaned = _clean(window.text)
        if not cleaned:
            return None
        whole = self.gaz.resolve_province(cleaned)
        exact = ("exact", "exact_en", "alias", "abbr") if window.primary else ("exact", "alias")
        if whole and whole.method in exact:
            return whole, cleaned
        hits = _trusted(self.gaz.find_provinces_in(cleaned), cleaned, window)
        if hits and whole and whole.method == "fuzzy" and whole.code == hits[0].code:
            # the resolver saw a misspelt full name around an alias ("สุราษฎร์ธานนี")
            self._fuzzy_note("province", cleaned, window, whole)
            return whole, cleaned
        if hits:
            codes = Counter(m.code for m in hits)
            if len(codes) > 1:
                self.notes.append(
                    f"{window.where} names several provinces: " + ", ".join(m.name_th for m in hits)
                )
            return hits[0], hits[0].matched_text
        if not window.primary:
            return None
        if whole and whole.confidence >= 0.75 and len(cleaned) <= 40:
            self._fuzzy_note("province", cleaned, window, whole)
            return whole, cleaned
        start = self.gaz.province_at_start(cleaned)
        if start is not None:
            if start.method == "fuzzy_prefix":
                self._fuzzy_note("province", cleaned, window, start)
            return start, cleaned.split(" ", 1)[0] if start.method == "fuzzy_prefix" else cleaned
        return None

    def _fuzzy_note(self, what: str, text: str, window: _Window, match: Match) -> None:
        self.notes.append(
            f"{what} “{text}” in {window.where} read as {match.name_th} by a fuzzy match "
            f"({match.confidence:.2f})"
        )

    def province(self) -> tuple[str | None, Match | None]:
        for window in self._province_windows():
            found = self._province_in(window)
            if found:
                match, text = found
                if window.primary and "signature" not in window.where:
                    self.answered = True
                if window.where != "the province blank of the form":
                    self.notes.append(f"province {match.name_th} taken from {window.where}")
                return text, match
        return self._province_from_mentions()

    def _province_from_mentions(self) -> tuple[str | None, Match | None]:
        """Last resort: the province most often written as จังหวัดX / จ.X in the text
        (exact names first, then names with a typo, which are noted)."""
        hits = [m for m in self.gaz.find_provinces_in(self.text) if m.method == "prefixed"]
        if not hits:
            hits = self._misspelt_mentions()
        if not hits:
            return None, None
        code, _ = Counter(m.code for m in hits).most_common(1)[0]
        match = next(m for m in hits if m.code == code)
        how = "a misspelt mention" if match.method == "fuzzy_prefix" else "a mention"
        self.notes.append(
            f"province {match.name_th} inferred from {how} in the text (“{match.matched_text}”), "
            "not from the blank"
        )
        return match.matched_text, match

    def _misspelt_mentions(self) -> list[Match]:
        """Provinces written with a typo after จังหวัด / จ. (``จังหวัดชุมภร``)."""
        out = []
        for i, m in enumerate(_PROVINCE_WORD.finditer(self.text)):
            if i >= 60:
                break
            following = self.text[m.end() : m.end() + 40]
            found = self.gaz.province_at_start(following)
            if found is not None:
                out.append(dataclasses.replace(found, matched_text=following.split()[0]))
        return out

    def signature_province(self) -> Match | None:
        for m in _SIGNATURE_PROVINCE.finditer(self.text):
            found = self._province_in(_Window(m.group("v"), "the signature", primary=True))
            if found:
                return found[0]
        return None

    # ---- district
    def _district_windows(self) -> Iterator[_Window]:
        if self.dist_seg is not None:
            # The blank's own line is the answer; lines below it (up to "เป็นอำเภอต้นแบบ")
            # may be an answer typed under the dots, or anything else.
            same_line, _, below = self.dist_seg.partition("\n")
            yield _Window(same_line, "the district blank of the form", primary=True)
            yield _Window(below, "the district blank of the form")
        for m in _TABLE_DISTRICT.finditer(self.text):
            value = m.group("v") if _clean(m.group("v")) else _next_lines(self.text, m.start(), 1)
            yield _Window(value, "the อำเภอ row", primary=True)
        for m in _LINE_DISTRICT.finditer(self.text):
            yield _Window(m.group("v"), "the อำเภอ line", primary=True)
        for m in _EN_DISTRICT.finditer(self.text):
            yield _Window(m.group("v"), "the District field", primary=True)
        if "district" in self.table:
            yield _Window(self.table["district"], "the อำเภอ column", primary=True)
        if self.select is not None:
            yield _Window(_next_lines(self.text, self.select.start(), 2), "the line under the form")
            yield _Window(_previous_line(self.text, self.select.start()), "the line above the form")

    def _districts_in(self, window: _Window, pcode: str | None) -> tuple[list[Match], str]:
        """Districts confirmed in one window (in order, one per code) and the answer text."""
        cleaned = _clean(window.text)
        if not cleaned:
            return [], ""
        if pcode:
            whole = self.gaz.resolve_district(cleaned, pcode)
            if whole and whole.confidence >= 1.0:
                return [whole], cleaned
            hits = self._drop_province_echo(self.gaz.scan_districts(cleaned, pcode), pcode)
            hits = _trusted(hits, cleaned, window)
            if hits:
                hits = _unique_codes(hits)
                return hits, hits[0].matched_text
            if whole and whole.confidence >= 0.75 and len(cleaned) <= 40 and window.primary:
                self.notes.append(
                    f"district “{cleaned}” read as {whole.name_th} by a fuzzy match ({whole.confidence:.2f})"
                )
                return [whole], cleaned
            return [], cleaned
        found = self.gaz.find_districts_anywhere(cleaned)
        if found and found[0].confidence >= CONFIDENT:
            return found, cleaned
        hits = _trusted(self.gaz.scan_districts(cleaned), cleaned, window)
        return hits, (hits[0].matched_text if hits else cleaned)

    def _drop_province_echo(self, hits: list[Match], pcode: str) -> list[Match]:
        """Drop a hit that is just the province's own name (1401) when other districts are named."""
        pname = self.gaz.province(pcode).name_th
        others = [m for m in hits if m.name_th != pname]
        return others if others and len(others) < len(hits) else hits

    def district(self, pcode: str | None) -> tuple[str | None, list[Match]]:
        for window in self._district_windows():
            matches, text = self._districts_in(window, pcode)
            if matches:
                if window.primary:
                    self.answered = True
                if window.where != "the district blank of the form":
                    self.notes.append(f"district taken from {window.where}")
                return text, matches
        mentioned = self._district_from_narrative(pcode)
        if mentioned:
            return mentioned.matched_text, [mentioned]
        blank = _clean(self.dist_seg)
        if blank:
            self.notes.append(f"district “{blank}” not confirmed by the gazetteer")
            return blank, []
        return None, []

    def _district_from_narrative(self, pcode: str | None) -> Match | None:
        """The district most often written as อำเภอX / อ.X in the text (when no blank held one).

        Without a province, names found in several provinces are ignored.
        """
        hits = self.gaz.scan_districts(self.text, pcode, require_prefix=True)
        hits = [m for m in hits if m.method != "scan_ambiguous"]
        if not hits:
            return None
        code, _ = Counter(m.code for m in hits).most_common(1)[0]
        match = next(m for m in hits if m.code == code)
        self.notes.append(
            f"district {match.name_th} inferred from the narrative (not from the blank)"
        )
        return match

    # ---- zone
    def zone(self) -> tuple[str | None, int | None]:
        written = None
        for pattern in _ZONE_PATTERNS:
            m = pattern.search(self.text)
            if m:
                written = m.group("z") or m.groupdict().get("zw")
                break
        if written is None and _clean(self.table.get("zone")):
            written = _clean(self.table["zone"])
        if written is None:
            return None, None
        number = parse_thai_number(written)
        if number is None:
            number = thai_number_word(written)
        if number is not None and not 1 <= number <= 18:
            self.notes.append(f"zone “{written}” is not one of the 18 inspection zones")
        return written, number

    # ---- narrative and criteria
    def _narrative_start(self) -> int:
        """Where the narrative answer starts, or -1 when the text has no narrative blank.

        After the form's sentence: after "ตามหลักเกณฑ์การคัดเลือกฯ" and an optional
        "คือ/ดังนี้/ได้แก่" (else after the first of those). In a table: after the
        "ผลการปฏิบัติงานที่โดดเด่น" label.
        """
        label_end = None
        if self.select is not None:
            stop = _DIST_STOP.search(self.text, self.select.end())
            base = stop.start() if stop else self.select.end()
        else:
            m = _OUTSTANDING.search(self.text)
            if m is None:
                return -1
            base = label_end = m.end()
        ref = _CRITERIA_REF.search(self.text, base, base + 400)
        if ref is not None:
            word = _INTRO_WORD.match(self.text, ref.end())
            return word.end() if word else ref.end()
        word = _NARRATIVE_START.search(self.text, base, base + (40 if label_end else 400))
        if word is not None:
            return word.end()
        return label_end if label_end is not None else _line_at(self.text, base)[1]

    def narrative(self) -> tuple[str | None, int]:
        """The answer after "คือ" up to the closing formula; and where it starts (or -1)."""
        start = self._narrative_start()
        if start < 0:
            return None, -1
        end_m = _NARRATIVE_END.search(self.text, start)
        raw = self.text[start : end_m.start() if end_m else len(self.text)]
        body = _clean_block(raw)
        return (body or None), start

    def criteria(self, narrative: str | None) -> dict[int, str]:
        if not narrative:
            return {}
        text = thai_digits_to_arabic(narrative)
        parts = _split_numbered(text, narrative)
        if parts:
            return parts
        parts = _split_by_headings(narrative)
        if parts:
            self.notes.append("criteria split by their headings (no ๑-๔ numbering)")
        return parts

    # ---- signature block
    def _sign_start(self, after: int) -> int:
        m = _SIGN.search(self.text, max(0, after))
        if m:
            return m.start()
        m = _NARRATIVE_END.search(self.text, max(0, after))
        return m.start() if m else -1

    def sign_start(self, after: int) -> int:
        """Where the signature block starts (phones are read from there on)."""
        start = self._sign_start(after)
        return start if start >= 0 else max(after, 0)

    def reporter(self, after: int) -> tuple[str | None, str | None, int]:
        """(name, position, where the block ends) of the reporter under "ลงชื่อ"."""
        start = self._sign_start(after)
        label = _REPORTER_LABEL.search(self.text, max(0, after))
        if label is not None and (start < 0 or label.start() < start):
            start = label.start()
        if start < 0:
            return None, None, -1
        coord = _COORD.search(self.text, start)
        block_end = coord.start() if coord else min(len(self.text), start + 600)
        block = self.text[start:block_end]
        name, name_end = _reporter_name(block)
        position = self._reporter_position(block, name_end)
        return name, position, block_end

    def _reporter_position(self, block: str, name_end: int) -> str | None:
        m = _POSITION.search(block, name_end)
        if m:
            value = _clean(block[m.end() :].split("\n", 1)[0])
            following = _next_lines(block, m.start(), 1)
            if not value:
                value = _clean(following)
            elif value.endswith(("จังหวัด", "อำเภอ")) and self.gaz.province_at_start(following):
                value = value + _clean(following)  # "ปลัดจังหวัด………\nลพบุรี"
            return self._join_place(value) or None
        for line in block[name_end:].split("\n"):
            value = _clean(line)
            if value and _POSITION_WORDS.match(value):
                return self._join_place(value)
        return None

    def _join_place(self, value: str) -> str:
        """``ปลัดจังหวัด เชียงใหม่`` → ``ปลัดจังหวัดเชียงใหม่`` (only before a real place name)."""

        def join(m: re.Match[str]) -> str:
            following = value[m.end() :].split(" ", 1)[0]
            prov = self.gaz.resolve_province(following)
            if prov and prov.method in ("exact", "alias"):
                return m.group(1)
            return m.group(0)

        return re.sub(r"(จังหวัด|อำเภอ)\s+", join, value)

    def coordinator(self, after: int) -> tuple[str | None, str | None]:
        m = _COORD.search(self.text, max(0, after))
        if not m:
            return None, None
        line_end = self.text.find("\n", m.end())
        same_line = self.text[m.end() : line_end if line_end != -1 else len(self.text)]
        name, position = _name_and_position(same_line)
        if name or position:
            if position is None:
                position = self._position_on_next_line(m.end())
            elif line_end != -1:
                position += _continuation(self.text, line_end)
            return name, position
        below = _next_lines(self.text, m.start(), 1)
        if below and not _PHONE_LABEL.match(_clean(below)):
            return _name_and_position(below)
        return None, None

    def _position_on_next_line(self, pos: int) -> str | None:
        below = _next_lines(self.text, pos, 1)
        m = _POSITION.match(_clean(below))
        if m:
            value = _PHONE_LABEL.split(_clean(below)[m.end() :], 1)[0]
            return _clean(value) or None
        return None

    def phones(self, after: int) -> list[str]:
        region = self.arabic[after:] if after >= 0 else self.arabic
        found = [_clean_phone(m.group(0)) for m in _PHONE.finditer(region)]
        return _dedupe(found)

    # ---- form detection
    def is_form(self) -> bool:
        """Role-model wording plus the form's sentence, its table labels, or its title with
        a signature block or answers read from the form's own fields."""
        if not _ROLE.search(self.text):
            return False
        sentence = (
            self.select is not None and self._province_label_before(self.select.start()) is not None
        )
        table = bool(_TABLE_HINT.search(self.text))
        signed = bool(_SIGN.search(self.text)) and "ผู้รายงาน" in self.text
        titled = bool(_FORM_TITLE.search(self.text))
        return sentence or table or (titled and (signed or self.answered))


_LABEL_LINE = re.compile(
    r"^\s*(?:"
    + "|".join(
        [
            label_re("หมายเลข"),
            r"โทร",
            label_re("ผู้ ประสาน"),
            label_re("ผู้ รายงาน"),
            label_re("ตำแหน่ง"),
            label_re("หมายเหตุ"),
            label_re("ลงชื่อ"),
            label_re("จึง เรียน"),
            r"[(\d๐-๙]",
        ]
    )
    + ")"
)


def _continuation(text: str, line_end: int) -> str:
    """The next line when it continues a value wrapped by a table cell ("ตำแหน่ง นัก" +
    "วิเคราะห์นโยบาย…"): a short line of words that is no label and holds no number."""
    nxt = text.find("\n", line_end + 1)
    line = text[line_end + 1 : nxt if nxt != -1 else len(text)]
    value = _clean(line)
    if (
        not value
        or len(value) > 60
        or _LABEL_LINE.match(value)
        or re.search(r"\d|[๐-๙]", value)
        or not has_thai(value[:1])
        or text[line_end - 1 : line_end].isspace()
    ):
        return ""
    return value


def _trusted(hits: list[Match], text: str, window: _Window) -> list[Match]:
    """Names found in a window: all of them in an answer's own window; elsewhere (lines
    around the sentence) only prefixed ones (จังหวัด…/อำเภอ…) or whole words, so that
    ``สังคม`` in ``ภาคประชาสังคม`` is not read as the district สังคม."""
    if window.primary:
        return hits
    return [m for m in hits if m.confidence >= 1.0 or _stands_alone(m.matched_text, text)]


def _stands_alone(name: str, text: str) -> bool:
    """True when ``name`` occurs in ``text`` with no Thai letter touching it on either side."""
    pattern = r"(?<![\u0e01-\u0e4e])" + re.escape(name) + r"(?![\u0e01-\u0e4e])"
    return re.search(pattern, text) is not None


def _cells(line: str) -> list[str]:
    """The cells of a ``|``-separated table line (outer bars ignored)."""
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _unique_codes(matches: list[Match]) -> list[Match]:
    seen: set[str] = set()
    return [m for m in matches if not (m.code in seen or seen.add(m.code))]


def _split_numbered(text: str, original: str) -> dict[int, str]:
    """Split at 1-4 markers (``๑.``, ``(1)``, ``ข้อ ๑``, ``1)``), taken in increasing order."""
    marks = list(_CRITERION_MARK.finditer(text))
    line_start = [m for m in marks if m.start() == 0 or text[m.start() - 1] == "\n"]
    for candidates in (line_start, marks):
        chosen: list[tuple[int, re.Match[str]]] = []
        for m in candidates:
            number = int(next(g for g in m.groups() if g))
            if not chosen or number > chosen[-1][0]:
                if chosen and _mark_style(m) != _mark_style(chosen[0][1]):
                    continue
                chosen.append((number, m))
        if len(chosen) >= 2:
            out: dict[int, str] = {}
            for i, (number, m) in enumerate(chosen):
                end = chosen[i + 1][1].start() if i + 1 < len(chosen) else len(text)
                body = _clean_block(original[m.end() : end])
                if body:
                    out[number] = body
            return out
    return {}


def _mark_style(m: re.Match[str]) -> str:
    return next(name for name in "abc" if m.group(name))


def _split_by_headings(text: str) -> dict[int, str]:
    """Split at lines starting with the criteria's own headings (บทบาทของนายอำเภอ…)."""
    starts: list[tuple[int, int]] = []
    for number, pattern in _CRITERIA_HEADINGS.items():
        for m in pattern.finditer(text):
            if m.start() == 0 or text[m.start() - 1] == "\n":
                starts.append((m.start(), number))
                break
    starts.sort()
    if len(starts) < 2:
        return {}
    out = {}
    for i, (pos, number) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        out[number] = _clean_block(text[pos:end])
    return out


def _without_phone(value: str) -> str:
    """A name line with the phone number that follows it cut off ("นางสาวสุดา มีสุข โทร. 081-234-5678",
    "นายสมชาย ใจดี 0812345678"): from a phone label followed by digits, or from a run of 9+ digits."""
    for m in _PHONE_LABEL.finditer(value):
        if re.match(r"[\s:：.]*[0-9๐-๙(+]", value[m.end():]):
            return value[: m.start()]
    bare = re.search(r"(?<![0-9๐-๙])[0-9๐-๙+(][0-9๐-๙()\s\-]{8,}", value)
    if bare and len(re.sub(r"[^0-9๐-๙]", "", bare.group())) >= 9:
        return value[: bare.start()]
    return value


def _reporter_name(block: str) -> tuple[str | None, int]:
    """The name in parentheses under "ลงชื่อ" (or written after it); and where it ends."""
    for m in re.finditer(r"\(([^()\n]{0,120})\)", block):
        value = _clean(_without_phone(m.group(1)))
        if value and not _ROLE_WORDS.match(value) and re.search(r"[ก-ฮA-Za-z]{2}", value):
            return value, m.end()
    head = _SIGN_HEAD.match(block)
    if head is None:
        return None, 0
    inline = re.sub(r"\(?\s*ผู้\s?รายงาน\s*\)?", "", head.group("rest"))
    value = _clean(_without_phone(_POSITION.split(inline, 1)[0]))
    if value and re.match(_TITLES, value):
        return value, head.end("rest")
    return None, 0


def _name_and_position(text: str) -> tuple[str | None, str | None]:
    """Split "นางสาวสมศรี มีสุข ตำแหน่ง เจ้าพนักงาน…" (labels optional) into name and position."""
    text = _PHONE_LABEL.split(text, 1)[0]
    m = _POSITION.search(text)
    if m:
        name = _clean(text[: m.start()])
        position = _clean(text[m.end() :])
        return name or None, position or None
    value = _clean(text)
    if not value:
        return None, None
    titled = _NAME_WITH_TITLE.match(value)
    if titled:
        return _clean(titled.group("name")), _clean(titled.group("rest")) or None
    pos = _POSITION_WORDS.search(value)
    if pos and pos.start() > 0:
        return _clean(value[: pos.start()]) or None, _clean(value[pos.start() :])
    return value, None


def _clean_phone(raw: str) -> str:
    s = re.sub(r"\s+", " ", raw.strip())
    return s.strip(" -.")


# --------------------------------------------------------------------------- public API


def read_form(text: str, gazetteer: Gazetteer | None = None) -> FormFields:
    """Read the report form's answers from already-normalised text (PDF, DOCX or email body).

    Never raises for unexpected text: whatever is missing stays None/empty and
    ``confidence_notes`` says what was guessed.
    """
    gaz = gazetteer or Gazetteer.load()
    try:
        return _read(text or "", gaz)
    except Exception:  # noqa: BLE001 - a reader bug must not lose the message
        logger.exception("read_form failed")
        return FormFields(confidence_notes=["the form reader failed on this text; read it by hand"])


@dataclass
class _Places:
    """Province and district answers after reconciling them with each other."""

    province_text: str | None
    pcode: str | None
    district_text: str | None
    district_code: str | None
    names: list[str]


def _places(r: _FormReader, gaz: Gazetteer) -> _Places:
    """Province first, then the district within it; a unique district name supplies a
    missing province; the signature is cross-checked; several districts are listed."""
    province_text, province = r.province()
    pcode = province.code if province else None
    district_text, districts = r.district(pcode)
    if pcode is None and districts:
        codes = {m.code[:2] for m in districts}
        if len(codes) == 1 and len({m.name_th for m in districts}) == len(districts):
            pcode = districts[0].code[:2]
            r.notes.append(
                f"province {gaz.province(pcode).name_th} inferred from the district name"
            )
    if pcode is None and len(districts) > 1 and len({m.name_th for m in districts}) == 1:
        r.notes.append(
            f"district {districts[0].name_th} exists in several provinces; the province is missing"
        )
        districts = districts[:1]
    signature = r.signature_province()
    if province and signature and signature.code != province.code:
        r.notes.append(
            f"the form names จังหวัด{province.name_th} but the signature names จังหวัด{signature.name_th}"
        )
    names = _dedupe([m.name_th for m in districts])
    district_code = districts[0].code if len(districts) == 1 and pcode else None
    if len(names) > 1:
        r.notes.append("more than one district nominated: " + ", ".join(names))
        district_text = districts[0].matched_text
    return _Places(province_text or None, pcode, district_text or None, district_code, names)


def _read(text: str, gaz: Gazetteer) -> FormFields:
    r = _FormReader(text, gaz)
    places = _places(r, gaz)
    zone_text, zone_number = r.zone()
    narrative, narrative_start = r.narrative()
    reporter_name, reporter_position, block_end = r.reporter(narrative_start)
    coordinator_name, coordinator_position = r.coordinator(
        block_end if block_end >= 0 else narrative_start
    )
    is_form = r.is_form()
    if is_form and not places.province_text and not places.district_text and not narrative:
        r.notes.append("the form is blank (no province, district or narrative filled in)")
    phones_from = r.sign_start(narrative_start)
    return FormFields(
        is_form=is_form,
        province_text=places.province_text,
        province_code=places.pcode,
        district_text=places.district_text,
        district_code=places.district_code,
        districts_mentioned=places.names if len(places.names) > 1 else [],
        zone_text=zone_text,
        zone_number=zone_number,
        narrative=narrative,
        criteria=r.criteria(narrative),
        reporter_name=reporter_name,
        reporter_position=reporter_position,
        coordinator_name=coordinator_name,
        coordinator_position=coordinator_position,
        phones=r.phones(phones_from),
        confidence_notes=_dedupe(r.notes),
    )


# --------------------------------------------------------------------------- forms in cells
#
# A spreadsheet (or any grid) holds the form as label cells and value cells. The grid
# reader (``parsers.cell_forms``) pairs them using the labels below and hands the pairs
# over as ``LabelledValue`` values; :func:`read_form_entries` reads them into the same
# ``FormFields`` as the text path, through the same gazetteer logic, with each answer's
# cell in ``locations``.

_CELL_LABELS: tuple[tuple[str, str], ...] = (
    # (field, regex over the label with all whitespace removed), most specific first
    ("coordinator_position", r"ตำแหน่ง(?:ของ)?ผู้ประสานงาน"),
    ("district", r"(?:ได้)?(?:พิจารณา)?คัดเลือก(?:กิ่ง)?อำเภอ|(?:ชื่อ)?(?:กิ่ง)?อำเภอ(?:/เขต)?(?:ที่ได้รับ(?:การ)?คัดเลือก|ที่คัดเลือก|ที่เสนอ|\(?ต้นแบบ\)?"
                 r"(?:\(?rolemodel\)?)?)?(?:\(?rolemodel\)?)?|อ\.|เขต/อำเภอ|district|amphoe|amphur"),
    ("province", r"(?:ชื่อ)?จังหวัด|(?:ที่ทำการ)?ปกครองจังหวัด|ที่ทำการปกครองจ\.|จ\.|province|changwat"),
    ("zone", r"เขต(?:ตรวจราชการ)?(?:กรมการปกครอง)?(?:ที่)?|(?:inspection)?zone"),
    ("reporter", r"(?:ชื่อ)?(?:-?สกุล)?ผู้รายงาน|ลงชื่อ(?:ผู้รายงาน)?|ชื่อ-?(?:นาม)?สกุล(?:ผู้รายงาน)?|reporter"),
    ("position", r"ตำแหน่ง(?:ผู้รายงาน)?|position"),
    ("coordinator", r"(?:ชื่อ)?(?:-?สกุล)?ผู้ประสานงาน|coordinator|contact(?:person)?"),
    ("phone", r"(?:หมายเลข|เบอร์)?(?:โทรศัพท์|โทร\.?)(?:มือถือ|เคลื่อนที่)?(?:/โทรสาร)?|เบอร์|มือถือ|โทรสาร"
              r"|tel\.?|phone|mobile|fax"),
)
_CELL_LABEL_RES = tuple((name, re.compile(rx, re.IGNORECASE)) for name, rx in _CELL_LABELS)
# Long labels: the narrative's and each criterion's heading, matched at the start of a cell.
_NARRATIVE_LABEL = re.compile(
    r"(?:(?:โดยมี)?ผลการ(?:ปฏิบัติ|ดำเนิน)งาน(?:ที่)?โดดเด่น|ผลงานที่โดดเด่น|รายละเอียดผลการ(?:ปฏิบัติ|ดำเนิน)งาน"
    r"|รายละเอียด|narrative)"
)
_CELL_NUMBERING = re.compile(r"^(?:ข้อ(?:ที่)?)?[(]?[0-9๐-๙]{1,2}[.)]?")
_LABEL_TAIL = " \t\n:：.…_·⋯*"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "").strip(_LABEL_TAIL)


def mentions_role_model(text: str) -> bool:
    """True when ``text`` uses the campaign's own words (อำเภอต้นแบบ, Role Model)."""
    return bool(_ROLE.search(text or ""))


def cell_label_field(text: str) -> str | None:
    """What a cell asks for, when the whole cell is one of the form's labels; else None.

    ``"จังหวัด :"`` -> "province", ``"อำเภอที่ได้รับการคัดเลือก"`` -> "district",
    ``"๒. การดำเนินการจัดเก็บข้อมูล"`` -> "criterion2"; ``"ขอนแก่น"`` -> None.
    """
    squashed = _squash(text)
    if not squashed or len(squashed) > 120:
        return None
    for name, pattern in _CELL_LABEL_RES:
        if pattern.fullmatch(squashed):
            return name
    if len(squashed) <= 90:
        if _NARRATIVE_LABEL.match(squashed) and _narrative_inline(text) is None:
            return "narrative"
        bare = _CELL_NUMBERING.sub("", squashed)
        for number, pattern in _CRITERIA_HEADINGS.items():
            m = pattern.match(bare)
            if m and len(bare) - m.end() <= 30:
                return f"criterion{number}"
    return None


_INLINE_SEP = r"(?:\s*[:：]\s*|\s*[.…_·⋯]{2,}\s*|\s*…\s*|\s+)"


def split_label_value(text: str) -> tuple[str, str, str] | None:
    """(field, label, value) of a cell holding a label and its answer ("จังหวัด: ขอนแก่น").

    The answer must follow a separator (a colon, dotted leader or space); a cell that is
    only a label, or a name that merely starts like one (``อำเภอเมืองขอนแก่น``), gives None.
    """
    value_text = (text or "").strip()
    if not value_text:
        return None
    narrative = _narrative_inline(value_text)
    if narrative or cell_label_field(value_text):
        return narrative
    first_line = value_text.split("\n", 1)[0]
    for name, pattern in _inline_patterns():
        m = pattern.match(first_line)
        if m and _clean(m.group("value")):
            rest = value_text[len(first_line):]
            return name, m.group("label").strip(), (m.group("value") + rest).strip()
    return _narrative_inline(value_text)


def _narrative_inline(text: str) -> tuple[str, str, str] | None:
    """("narrative", label, answer) of a cell "ผลการปฏิบัติงานที่โดดเด่น … คือ <answer>"."""
    m = re.match(r"^\s*(?P<label>" + _NARRATIVE_LABEL.pattern + r")[^\n:：]{0,60}?(?:[:：]|\s?(?:คือ|ได้แก่|ดังนี้))"
                 r"(?P<value>.+)$", text or "", re.DOTALL)
    if m and len(_clean(m.group("value"))) >= 5:
        return "narrative", m.group("label"), m.group("value").strip()
    return None


@functools.cache
def _inline_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Per field, "label, separator, answer" (labels longest first, single spaces allowed)."""
    out = []
    for name, rx in _CELL_LABELS:
        spaced = "|".join(_spaced(alt) for alt in _alternatives(rx))
        out.append((name, re.compile(r"^\s*(?P<label>" + spaced + ")" + _INLINE_SEP + r"(?P<value>\S.*)$",
                                     re.IGNORECASE | re.DOTALL)))
    return tuple(out)


def _alternatives(rx: str) -> list[str]:
    """The top-level alternatives of a label regex (split on ``|`` outside groups)."""
    out, depth, cur = [], 0, ""
    for i, ch in enumerate(rx):
        if ch == "(" and rx[i - 1 : i] != "\\":
            depth += 1
        elif ch == ")" and rx[i - 1 : i] != "\\":
            depth -= 1
        if ch == "|" and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return sorted(out, key=len, reverse=True)


def _spaced(alt: str) -> str:
    """A squashed-label regex made tolerant of single spaces between its Thai letters."""
    return re.sub(r"([ก-๙])(?=[ก-๙])", r"\1 ?", alt)


# The label each field is written with in the canonical text of a cell form: the labels the
# text path knows best, so both paths read a value the same way.
_CANONICAL_LABEL = {
    "zone": "เขตตรวจราชการที่",
    "province": "จังหวัด:",
    "district": "อำเภอที่ได้รับการคัดเลือก:",
    "narrative": "ผลการปฏิบัติงานที่โดดเด่น ตามหลักเกณฑ์การคัดเลือกฯ คือ",
    "reporter": "ผู้รายงาน:",
    "position": "ตำแหน่ง",
    "coordinator": "ผู้ประสานงาน",
    "coordinator_position": "ตำแหน่ง",
    "phone": "หมายเลขโทรศัพท์",
}
_FIELD_ORDER = ("title", "zone", "province", "district", "narrative", "criterion1", "criterion2",
                "criterion3", "criterion4", "reporter", "position", "coordinator", "coordinator_position",
                "phone")


def form_text(entries) -> str:
    """The canonical text of a cell form: its headings, then one ``label value`` line per answer.

    This is the text people see for the form and the text the text path reads.
    """
    lines: list[str] = []
    ordered = sorted(entries, key=lambda e: _FIELD_ORDER.index(e.field) if e.field in _FIELD_ORDER else 99)
    for e in ordered:
        value = (e.value or "").strip()
        if e.field == "title":
            lines.append(value or e.label)
        elif e.field.startswith("criterion"):
            number = e.field[-1]
            lines.append(f"{number}. {_squash(_CELL_NUMBERING.sub('', e.label.strip()))} {value}".rstrip())
        else:
            lines.append(f"{_CANONICAL_LABEL.get(e.field, e.label)} {value}".rstrip())
    return "\n".join(lines)


def _cell_value(text: str) -> str:
    return _clean(text.replace("\n", " "))


def _cell_phones(values: list[str]) -> list[str]:
    found: list[str] = []
    for value in values:
        arabic = thai_digits_to_arabic(value)
        hits = [_clean_phone(m.group(0)) for m in _PHONE.finditer(arabic)]
        if not hits:
            digits = re.sub(r"\D", "", arabic)
            if re.fullmatch(r"[689]\d{8}|[2-7]\d{7}", digits):  # a number cell lost its leading 0
                hits = ["0" + digits]
        found += hits
    return _dedupe(found)


def _people(entries) -> dict[str, tuple[str, str]]:
    """reporter/coordinator name and their positions, each with its cell; a bare ตำแหน่ง
    belongs to the person label before it."""
    out: dict[str, tuple[str, str]] = {}
    person = "reporter"
    for e in entries:
        value = _cell_value(e.value)
        if e.field in ("reporter", "coordinator"):
            person = e.field
            if value and e.field not in out:
                name, position = _name_and_position(value)
                if name:
                    out[e.field] = (name, e.location)
                if position:
                    out.setdefault(f"{e.field}_position", (position, e.location))
        elif e.field in ("position", "coordinator_position") and value:
            key = "coordinator_position" if e.field == "coordinator_position" else f"{person}_position"
            out[key] = (value, e.location)
    return out


def _where_read(entries, fieldname: str, text: str | None) -> str | None:
    """The cell whose value holds ``text`` (the entry of ``fieldname`` first)."""
    if not text:
        return None
    needle = re.sub(r"\s", "", text)
    for wanted in (True, False):
        for e in entries:
            if (e.field == fieldname) == wanted and needle and needle in re.sub(r"\s", "", e.value or ""):
                return e.location
    return None


def read_form_entries(entries, gazetteer: Gazetteer | None = None) -> FormFields:
    """Read a form laid out in cells: ``entries`` are ``LabelledValue`` pairs (label, value, cell).

    Province, district and zone go through the text path on the form's canonical text (the same
    gazetteer rules, fuzzy matches noted); the people, phones and narrative are taken from their
    own cells. ``locations`` names the cell of each answer. Never raises for odd input.
    """
    entries = list(entries or ())
    gaz = gazetteer or Gazetteer.load()
    try:
        return _read_entries(entries, gaz)
    except Exception:  # noqa: BLE001 - a reader bug must not lose the message
        logger.exception("read_form_entries failed")
        return FormFields(confidence_notes=["the form reader failed on this sheet; read it by hand"])


def _unconfirmed_places(base: FormFields, filled: list) -> FormFields:
    """A province or district cell the gazetteer does not confirm is still the form's answer
    (so the resolver says why: not in the gazetteer, not in that province), never dropped."""
    written = {e.field: _cell_value(e.value) for e in reversed(filled) if e.field in ("province", "district")}
    changes = {}
    if not base.province_text and written.get("province"):
        changes["province_text"] = written["province"]
    if not base.district_text and written.get("district"):
        changes["district_text"] = written["district"]
    return dataclasses.replace(base, **changes) if changes else base


def _read_entries(entries, gaz: Gazetteer) -> FormFields:
    base = _read(form_text(entries), gaz)
    filled = [e for e in entries if e.field != "title" and _cell_value(e.value)]
    base = _unconfirmed_places(base, filled)
    people = _people(entries)
    narrative_cells = [e for e in filled if e.field == "narrative"]
    criteria_cells = {int(e.field[-1]): _clean_block(e.value) for e in filled if e.field.startswith("criterion")}
    narrative = "\n".join(_clean_block(e.value) for e in narrative_cells) or None
    if criteria_cells and not narrative:
        narrative = "\n".join(f"{n}. {v}" for n, v in sorted(criteria_cells.items()))
    criteria = criteria_cells or (_split_numbered(thai_digits_to_arabic(narrative), narrative) if narrative else {})
    if narrative and not criteria:
        criteria = _split_by_headings(narrative)
    phone_cells = [e for e in filled if e.field == "phone"]
    phones = _cell_phones([e.value for e in phone_cells]) or base.phones
    locations = {
        name: loc
        for name, loc in (
            ("province", _where_read(entries, "province", base.province_text)),
            ("district", _where_read(entries, "district", base.district_text)),
            ("zone", _where_read(entries, "zone", base.zone_text)),
            ("narrative", narrative_cells[0].location if narrative_cells else None),
            ("criteria", next((e.location for e in filled if e.field.startswith("criterion")), None)
             or (narrative_cells[0].location if narrative_cells and criteria else None)),
            ("reporter_name", people.get("reporter", (None, None))[1]),
            ("reporter_position", people.get("reporter_position", (None, None))[1]),
            ("coordinator", people.get("coordinator", (None, None))[1]),
            ("phones", phone_cells[0].location if phone_cells else None),
        )
        if loc
    }
    if not filled and any(e.field != "title" for e in entries):
        notes = base.confidence_notes + ["the form is blank (labels without answers)"]
    else:
        notes = base.confidence_notes
    return dataclasses.replace(
        base,
        narrative=narrative or base.narrative,
        criteria=criteria or base.criteria,
        reporter_name=people.get("reporter", (base.reporter_name,))[0],
        reporter_position=people.get("reporter_position", (base.reporter_position,))[0],
        coordinator_name=people.get("coordinator", (base.coordinator_name,))[0],
        coordinator_position=people.get("coordinator_position", (base.coordinator_position,))[0],
        phones=phones,
        confidence_notes=_dedupe(notes),
        locations=locations,
    )
