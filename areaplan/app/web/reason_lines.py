"""The reasons of a review item as staff read them: the Thai line first, English only beside it.

Every line comes from the REASONS registry (``core.reasons.staff_th``, the same Thai the digests
send), whatever the stored text says: a row stored before a rewording, or with the reader's
English in its evidence, still reads in Thai. The English (``staff_en``: what the code means and
the technical detail) is secondary: the desk shows it small and grey, and as the line's tooltip.
The review queue's own lines (no province, unknown province, ...) are worded by
``store.status.QUEUE_REASONS_TH``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from areaplan.core.reasons import REASONS, REVIEW, staff_en, staff_th
from areaplan.store.status import QUEUE_REASONS_TH

_GLOSS = re.compile(r"\s*\(([^()\u0e00-\u0e7f]*)\)\s*$")  # "Thai (english gloss)" -> the gloss


@dataclass(frozen=True)
class ReasonLine:
    th: str  # what staff read
    en: str = ""  # secondary: English, for analysts and logs
    code: str = ""
    severity: str = REVIEW


def reason_line(row: Mapping[str, Any]) -> ReasonLine:
    """One stored reason row (code, evidence, source, detail, text_th, severity) for staff."""
    code, evidence, source = row["code"], row.get("evidence") or "", row.get("source") or ""
    if code not in REASONS:  # a code retired since the row was stored: its stored Thai stays readable
        return ReasonLine(row.get("text_th") or code, "", code, row.get("severity") or REVIEW)
    return ReasonLine(staff_th(code, evidence, source), staff_en(code, evidence, row.get("detail") or ""),
                      code, row.get("severity") or REASONS[code].severity)


def queue_lines(text: str | None, rows: Iterable[Mapping[str, Any]]) -> list[ReasonLine]:
    """The lines of a ``review_queue.reasons`` text, each matched to its stored reason row."""
    by_text: dict[str, Mapping[str, Any]] = {}
    for r in rows:
        by_text.setdefault(r.get("text_th") or "", r)
    out: list[ReasonLine] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if line in by_text:
            out.append(reason_line(by_text[line]))
        elif line in QUEUE_REASONS_TH:
            gloss = _GLOSS.search(line)
            out.append(ReasonLine(QUEUE_REASONS_TH[line], gloss.group(1) if gloss else ""))
        else:
            out.append(ReasonLine(line))
    return list(dict.fromkeys(out))
