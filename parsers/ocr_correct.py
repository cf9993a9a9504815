"""Correct what Thai OCR typically gets wrong, with local knowledge only (no network).

* **Dates**: a day outside 1-31 or a Buddhist-era year outside 2400-2600 (Common Era
  1900-2100 for a year in Arabic digits) next to a Thai month name, or in ``d/m/yyyy``,
  is read again through tesseract's digit confusions (๖↔๒, ๔↔๕, ๗↔๓, ๘/๙→๕); the
  one variant that becomes valid with the fewest changes is taken. Two equally good
  variants: left alone.
* **Vowel and tone confusions** (ี/ิ, ึ/ื, ้/่, a dropped ่ or ้): inside a run of Thai
  letters that PyThaiNLP's dictionary does not cover, one mark is changed only when the
  change turns the uncovered letters into dictionary words. A change that adds, removes
  or alters a gazetteer name (a province or district) is never made: names read by OCR
  are trusted only on an exact match, and a correction must not manufacture one.

:func:`correct` returns the text and the number of changes.
"""

from __future__ import annotations

import re
from functools import lru_cache

from areaplan.core.thai_text import THAI_MONTHS, THAI_MONTHS_SHORT

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
# what tesseract wrote -> what the page may have said
DIGIT_CONFUSIONS = {"๒": "๖", "๖": "๒", "๕": "๔๘๙", "๔": "๕", "๓": "๗", "๗": "๓", "๘": "๕", "๙": "๕",
                    "2": "6", "6": "2", "5": "468", "4": "5", "3": "7", "7": "3", "8": "5"}
MARK_SWAPS = {"\u0e35": "\u0e34", "\u0e34": "\u0e35", "\u0e36": "\u0e37", "\u0e37": "\u0e36",
              "\u0e49": "\u0e48", "\u0e48": "\u0e49"}  # ี ิ ึ ื ้ ่
DROPPED_TONES = "\u0e48\u0e49"
_CONSONANT = re.compile("[\u0e01-\u0e2e]")
_ABOVE_BELOW = set("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39")
_TONES = set("\u0e48\u0e49\u0e4a\u0e4b")
# a run of Thai letters between spaces; shorter runs are fragments OCR cut out of a word
# (``หม าย เลข``), where a changed mark makes some other short word (ห่ม) and proves nothing
_RE_THAI_RUN = re.compile("[\u0e01-\u0e3a\u0e40-\u0e4e]{4,60}")
MAX_VARIANTS = 120  # per run of letters

_MONTHS = "|".join(sorted({*THAI_MONTHS, *(m.replace(".", r"\.") for m in THAI_MONTHS_SHORT)}, key=len, reverse=True))
_D = f"[0-9{THAI_DIGITS}]"
_RE_NAMED_DATE = re.compile(
    rf"(?<!{_D})(?P<d>{_D}{{1,2}})\s*(?:{_MONTHS})\s*(?:พ\.\s?ศ\.\s?)?(?P<y>{_D}{{4}})(?!{_D})"
)
_RE_NUMERIC_DATE = re.compile(rf"(?<!{_D})(?P<d>{_D}{{1,2}})/(?P<m>{_D}{{1,2}})/(?P<y>{_D}{{4}})(?!{_D})")
_TO_INT = str.maketrans(THAI_DIGITS, "0123456789")


def correct(text: str) -> tuple[str, int]:
    """``text`` with date digits and dictionary-provable vowel/tone confusions corrected."""
    text, n_dates = fix_dates(text)
    lines = []
    n_words = 0
    for line in text.split("\n"):
        fixed, n = fix_marks(line)
        lines.append(fixed)
        n_words += n
    return "\n".join(lines), n_dates + n_words


# --------------------------------------------------------------------------- dates


def _value(digits: str) -> int:
    return int(digits.translate(_TO_INT))


def _year_ok(digits: str) -> bool:
    y = _value(digits)
    if digits[0] in THAI_DIGITS:
        return 2400 <= y <= 2600
    return 2400 <= y <= 2600 or 1900 <= y <= 2100


def _day_ok(digits: str) -> bool:
    return 1 <= _value(digits) <= 31


def _month_ok(digits: str) -> bool:
    return 1 <= _value(digits) <= 12


def _repair(digits: str, ok) -> str | None:
    """The unique variant of ``digits`` (fewest confusions changed) that ``ok`` accepts."""
    if ok(digits):
        return digits
    for changes in (1, 2):
        found = {v for v in _variants(digits, changes) if ok(v)}
        if len(found) == 1:
            return found.pop()
        if found:
            return None  # ambiguous: leave it to a person
    return None


def _variants(digits: str, changes: int):
    if changes == 0:
        yield digits
        return
    for i, ch in enumerate(digits):
        for alt in DIGIT_CONFUSIONS.get(ch, ""):
            for rest in _variants(digits[i + 1:], changes - 1):
                yield digits[:i] + alt + rest


def fix_dates(text: str) -> tuple[str, int]:
    """Days and years of dates made valid through the digit confusions (see module doc)."""
    count = 0

    def fix(m: re.Match[str], parts: tuple[tuple[str, object], ...]) -> str:
        nonlocal count
        s = m.group(0)
        start = m.start()
        pieces = []
        last = 0
        for name, ok in parts:
            a, b = m.start(name) - start, m.end(name) - start
            repaired = _repair(m.group(name), ok)
            pieces.append(s[last:a])
            if repaired is None or repaired == m.group(name):
                pieces.append(m.group(name))
            else:
                pieces.append(repaired)
                count += 1
            last = b
        pieces.append(s[last:])
        return "".join(pieces)

    text = _RE_NAMED_DATE.sub(lambda m: fix(m, (("d", _day_ok), ("y", _year_ok))), text)
    text = _RE_NUMERIC_DATE.sub(lambda m: fix(m, (("d", _day_ok), ("m", _month_ok), ("y", _year_ok))), text)
    return text, count


# --------------------------------------------------------------------------- vowels and tones


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


@lru_cache(maxsize=1)
def _place_names() -> tuple[str, ...]:
    """Province and district names (Thai), longest first, without their อำเภอ/จังหวัด prefix."""
    from areaplan.core.gazetteer import Gazetteer

    gaz = Gazetteer.load()
    names = {p.name_th for p in gaz.provinces} | {d.name_th for d in gaz.districts}
    names = {n.removeprefix("อำเภอ").removeprefix("เขต").strip() for n in names}
    return tuple(sorted((n for n in names if len(n) >= 3), key=len, reverse=True))


def _names_in(text: str) -> frozenset[str]:
    return frozenset(n for n in _place_names() if n in text)


@lru_cache(maxsize=4096)
def _uncovered(run: str) -> int:
    """Thai letters of ``run`` outside dictionary words (newmm segmentation)."""
    from pythainlp.tokenize import word_tokenize

    words = _words()
    return sum(len(tok) for tok in word_tokenize(run, engine="newmm") if tok not in words)


def dictionary_chars(text: str) -> int:
    """Thai letters of ``text`` inside dictionary words of two or more letters (newmm)."""
    from pythainlp.tokenize import word_tokenize

    words = _words()
    return sum(len(tok) for tok in word_tokenize(text, engine="newmm", keep_whitespace=False)
               if len(tok) > 1 and tok in words)


def _mark_variants(run: str):
    """Every run with one confusable mark swapped, or one dropped ่/้ put back."""
    for i, ch in enumerate(run):
        for alt in MARK_SWAPS.get(ch, ""):
            yield run[:i] + alt + run[i + 1:]
        if _CONSONANT.match(ch) or ch in _ABOVE_BELOW:
            nxt = run[i + 1] if i + 1 < len(run) else ""
            if nxt in _TONES or (ch not in _ABOVE_BELOW and nxt in _ABOVE_BELOW):
                continue
            for tone in DROPPED_TONES:
                yield run[:i + 1] + tone + run[i + 1:]


def fix_marks(line: str) -> tuple[str, int]:
    """Vowel/tone confusions in ``line`` corrected where only the dictionary can tell (module doc)."""
    count = 0

    def fix(m: re.Match[str]) -> str:
        nonlocal count
        run = m.group(0)
        bad = _uncovered(run)
        if not bad:
            return run
        names = _names_in(run)
        best, best_bad = run, bad
        for k, variant in enumerate(_mark_variants(run)):
            if k >= MAX_VARIANTS:
                break
            v_bad = _uncovered(variant)
            if v_bad < best_bad:
                best, best_bad = variant, v_bad
        if best is run or best_bad > 0 and bad - best_bad < 3 or _names_in(best) != names:
            return run
        count += 1
        return best

    return _RE_THAI_RUN.sub(fix, line), count
