"""One document holding several report forms (a zone office's compilation): split it per form.

A form is anchored by the sentence naming the province office and the district it selected
(``ที่ทำการปกครองจังหวัด ... ได้พิจารณาคัดเลือกอำเภอ ...``) or, in the table layout, by its
province row. When a text holds two or more anchors far enough apart, it is cut before each
later form's title (``แบบฟอร์ม/แบบรายงานการคัดเลือก``), or its salutation line, or its own
anchor line; each piece is read as a form of its own. One anchor: the text is one form.
"""

from __future__ import annotations

import re

from areaplan.parsers.role_model_form import SELECT_RE, label_re

_OFFICE = re.compile(
    "(?:" + "|".join([label_re("ที่ทำการปกครองจังหวัด"), label_re("ที่ทำการปกครอง จ."), r"ท?ปค\.?\s?จ\."]) + ")"
)
_TABLE_PROVINCE_ROW = re.compile(
    r"^[ \t|]*(?:" + label_re("ที่ทำการปกครองจังหวัด") + r"|(?:ชื่อ\s?)?" + label_re("จังหวัด") + r")[ \t]*[:：|\t]",
    re.MULTILINE,
)
_TITLE = re.compile(
    r"^[ \t|]*" + label_re("แบบ") + r"\s*(?:ฟอร์ม|รายงาน)\s*" + label_re("การ คัดเลือก"), re.MULTILINE
)
_SALUTATION = re.compile(r"^[ \t|]*" + label_re("เรียน") + r"\s*" + label_re("ผู้ตรวจราชการ"), re.MULTILINE)
_BLANK = re.compile(r"[\s.…_·⋯:：|\-]+")
MIN_GAP = 200  # characters between two anchors for them to be two forms
MAX_FORMS = 80  # more than every province: the rest stays in the last piece


def _anchors(text: str) -> list[int]:
    """Line starts of each form's province answer, in order."""
    found: list[int] = []
    for m in _OFFICE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        after = "\n".join(text[m.end(): m.end() + 300].split("\n")[:3])
        again = _OFFICE.search(after)
        after = after[: again.start()] if again else after
        sel = SELECT_RE.search(after)
        if sel and _BLANK.sub("", after[: sel.start()]):  # a province written in the blank
            found.append(line_start)
    if len(found) < 2:
        found = [m.start() for m in _TABLE_PROVINCE_ROW.finditer(text)]
    anchors: list[int] = []
    for pos in sorted(set(found)):
        if not anchors or pos - anchors[-1] >= MIN_GAP:
            anchors.append(pos)
    return anchors[:MAX_FORMS]


def split_forms(text: str) -> list[str]:
    """The text of each form in ``text`` (one element when it holds at most one form)."""
    anchors = _anchors(text or "")
    if len(anchors) < 2:
        return [text]
    cuts = [0]
    for prev, pos in zip(anchors, anchors[1:], strict=False):
        window_start = prev + 1
        starts = [m.start() for p in (_TITLE, _SALUTATION) for m in p.finditer(text, window_start, pos)]
        cuts.append(min(starts) if starts else pos)
    cuts.append(len(text))
    return [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if text[a:b].strip()]
