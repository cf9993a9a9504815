"""Character-level repairs of Thai PDF text layers: glyph sequences with their geometry.

The PDF reader (:mod:`parsers.pdf`) gives these functions one string per glyph, in
drawing order, with callbacks for each glyph's font, box or kind of space; they
return new texts, an order or indices to drop, never text that was already right
changed (each repair is idempotent: it needs the damage to act).

* Word "Save as PDF" SARA AM (:func:`repair_glyphs`, :func:`repair_with_trials`):
  a zero-width NIKHAHIT read as a space before SARA AA, and fonts where every SARA AA
  reads SARA AM; TH SarabunIT๙ ASCII digits drawn as Thai digits.
* LibreOffice marks that make pdfium generate a break inside a word
  (:func:`generated_breaks_in_words`).
* LibreOffice clusters (ActualText): ำ drawn as NIKHAHIT + SARA AA glyphs, each
  with its own ToUnicode entry, reads ``ำา`` in an extractor that ignores
  ``/ActualText`` (pdfminer); :func:`plumber_actual_text` gives pdfplumber's chars
  the span's text, and :func:`parsers.thai_text.normalize` folds a ``ำา`` that is left.
* Marks placed by coordinates (iText, the Royal Gazette): a tone mark or upper
  vowel emitted after a space, at a line end or after another glyph
  (``หนา ๒ ่เลม``); :func:`mark_hosts` finds the base glyph each one is drawn on.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from areaplan.core.thai_text import (
    ABOVE_VOWELS,
    BELOW_VOWELS,
    COMBINING_MARKS,
    PUA_TO_THAI,
    SARA_AA,
    SARA_AM,
    THAI_CONSONANTS,
    TONE_MARKS,
    dictionary_share,
    normalize,
)

logger = logging.getLogger(__name__)

_THAI = "\u0e01-\u0e4e"
_AA_AM = "\u0e32\u0e33"  # า ำ
WORD_MARKER = re.compile(f"(?<=[{_THAI}]) (?=[{TONE_MARKS}]?[{_AA_AM}])")
"""A space before [tone +] SARA AA/AM: where Word's zero-width NIKHAHIT reads as a space."""
_RE_THAI_BREAK = re.compile(f"(?<=[{_THAI}])(?: |\r\n)(?=[{_THAI}])")
TIGHT_GAP_EM = 0.05  # a generated break where the next glyph starts closer than this
TIGHT_OVERLAP_EM = 0.15  # (or overlaps by less than this) is inside a word
TRIAL_MARGIN = 0.005  # a font flip must raise the dictionary share by this much
_RE_IT9_FONT = re.compile(r"IT(?:๙|9|\u00e0\u00b9\u0099)", re.IGNORECASE)  # TH SarabunIT๙ & co
_ASCII_TO_THAI_DIGIT = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_MARKS = frozenset(COMBINING_MARKS)
_CONSONANTS = frozenset(THAI_CONSONANTS)


# --------------------------------------------------------------------------- Word SARA AM repair


@dataclass
class Repair:
    """Result of :func:`repair_glyphs`: new text per glyph and what was found."""

    texts: list[str]
    markers: int = 0  # Word NIKHAHIT markers turned into ำ
    flipped: int = 0  # lone ำ turned back into า
    bug_fonts: set[str] = field(default_factory=set)  # fonts where every า reads ำ
    unproven_fonts: set[str] = field(default_factory=set)  # other fonts with a lone ำ


def repair_glyphs(
    texts: Sequence[str],
    font_of: Callable[[int], str],
    space_kind: Callable[[int], str],
    flip_fonts: frozenset[str] = frozenset(),
) -> Repair:
    """Undo Word's SARA AM encoding and TH SarabunIT๙ digits on a glyph sequence.

    ``texts`` holds one string per glyph in drawing order. ``space_kind(i)`` tells
    what the space at ``i`` is: ``"marker"`` (a real zero-width glyph: Word's
    NIKHAHIT), ``"spurious"`` (inserted by the extractor) or ``"real"``.

    1. marker [+ tone] + า/ำ -> [tone] + ำ; when the glyph read ำ, its font maps
       every SARA AA to ำ (a "bug font"); a spurious space there is dropped;
    2. in a bug font (or one of ``flip_fonts``), a lone ำ -> า;
    3. ASCII digits in an IT๙ font -> Thai digits, as the page shows them.
    """
    out = list(texts)
    rep = Repair(out)
    kept_am: set[int] = set()
    joined = "".join(t if len(t) == 1 else "\ufffc" for t in texts)  # keep indices aligned
    for m in WORD_MARKER.finditer(joined):
        i = m.start()
        kind = space_kind(i)
        if kind == "real":
            continue
        out[i] = ""
        if kind == "spurious":
            continue
        j = i + 1 if joined[i + 1] in _AA_AM else i + 2
        if joined[j] == SARA_AM:
            rep.bug_fonts.add(font_of(j))
        out[j] = SARA_AM
        kept_am.add(j)
        rep.markers += 1
    flip = rep.bug_fonts | flip_fonts
    for i, t in enumerate(texts):
        if t == SARA_AM and i not in kept_am:
            font = font_of(i)
            if font in flip:
                out[i] = SARA_AA
                rep.flipped += 1
            else:
                rep.unproven_fonts.add(font)
        elif len(t) == 1 and "0" <= t <= "9" and _RE_IT9_FONT.search(font_of(i)):
            out[i] = t.translate(_ASCII_TO_THAI_DIGIT)
    return rep


def repair_with_trials(
    texts: Sequence[str],
    font_of: Callable[[int], str],
    space_kind: Callable[[int], str],
    render: Callable[[list[str]], str],
    word_doc: bool,
) -> tuple[str, Repair]:
    """Repair; in a Word document also flip fonts with no proof when the words say so.

    A page can use a bug font without showing the marker that proves it. For each
    such font, the words around its lone ำ are scored (dictionary share) as they
    are and with ำ -> า; the flip is kept when it scores better.
    Returns the normalised text and the repair that made it.
    """
    rep = repair_glyphs(texts, font_of, space_kind)
    if (word_doc or rep.markers) and rep.unproven_fonts:
        flips: frozenset[str] = frozenset()
        for font in sorted(rep.unproven_fonts):
            trial = repair_glyphs(texts, font_of, space_kind, flips | {font})
            spans = [
                _word_span(texts, i)
                for i, t in enumerate(texts)
                if t == SARA_AM and trial.texts[i] == SARA_AA and font_of(i) == font
            ]
            before = dictionary_share(normalize(_spans_text(rep.texts, spans)))
            after = dictionary_share(normalize(_spans_text(trial.texts, spans)))
            if after > before + TRIAL_MARGIN:
                flips, rep = flips | {font}, trial
                logger.debug(
                    "font %s: every SARA AA reads SARA AM (%.2f > %.2f)", font, after, before
                )
    return normalize(render(rep.texts)), rep


def _word_span(texts: Sequence[str], i: int, reach: int = 15) -> tuple[int, int]:
    """Glyph range of the run of non-space glyphs around ``i`` (at most ``reach`` each way)."""
    start = i
    while start > 0 and i - start < reach and texts[start - 1].strip():
        start -= 1
    end = i + 1
    while end < len(texts) and end - i < reach and texts[end].strip():
        end += 1
    return start, end


def _spans_text(texts: Sequence[str], spans: list[tuple[int, int]]) -> str:
    return " ".join("".join(texts[a:b]) for a, b in spans)


# --------------------------------------------------------------------------- LibreOffice breaks


def generated_breaks_in_words(tp, raw: str) -> set[int]:
    """Indices of the spaces and line breaks pdfium made up inside Thai words.

    ``raw`` is the page's text (one character per pdfium index). pdfium generates
    a space (FPDFText_IsGenerated) where a glyph starts well after the end of the
    previous one, and a line break where a glyph's box does not overlap the
    previous one vertically. LibreOffice draws Thai marks as zero-advance glyphs
    that fool both tests:

    * some upper marks (ป็ พื้ ปั ป่ ปิ) have their origin left of the end of their
      base glyph; measured from the mark, the next glyph seems a word gap away,
      though it starts exactly where the base glyph's advance ends (เป็ น);
    * a mark drawn high above or below its base (ผู้) seems to be on another
      line (ผ / ู้รายงาน).

    A generated space or ``\\r\\n`` between Thai characters is dropped when the
    next character is on the baseline of the base glyph before it (marks and
    breaks already dropped are skipped) and the text is set solid: a next mark's
    origin lies on the base glyph, a next glyph's origin and box start within
    ``-TIGHT_OVERLAP_EM .. TIGHT_GAP_EM`` of the end of the base glyph's advance.
    Kept: spaces the document draws as glyphs, any real gap (Word writes no space
    glyphs; its narrowest justified word gaps measure about 0.13 em), real line
    ends, rotated text, and a break after a non-Thai character.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    dropped: set[int] = set()
    rect = pdfium_c.FS_RECTF()
    x0, y0, x1, y1 = (ctypes.c_double() for _ in range(4))
    for m in _RE_THAI_BREAK.finditer(raw):
        start, nxt = m.start(), m.end()
        if any(pdfium_c.FPDFText_IsGenerated(tp, k) != 1 for k in range(start, nxt)):
            continue
        base = start - 1
        while base > 0 and (raw[base] in _MARKS or base in dropped):
            base -= 1
        if raw[base] in _MARKS or not "\u0e01" <= raw[base] <= "\u0e4e":
            continue
        if not (
            pdfium_c.FPDFText_GetCharOrigin(tp, base, ctypes.byref(x0), ctypes.byref(y0))
            and pdfium_c.FPDFText_GetCharOrigin(tp, nxt, ctypes.byref(x1), ctypes.byref(y1))
            and pdfium_c.FPDFText_GetLooseCharBox(tp, base, ctypes.byref(rect))
        ):
            continue
        advance_end = rect.right  # a loose box spans the glyph's advance
        em = pdfium_c.FPDFText_GetFontSize(tp, nxt) or 12.0
        if abs(y1.value - y0.value) >= TIGHT_OVERLAP_EM * em:
            continue
        low, high = advance_end - TIGHT_OVERLAP_EM * em, advance_end + TIGHT_GAP_EM * em
        if raw[nxt] in _MARKS:
            solid = x0.value - 0.01 <= x1.value < high
        else:
            solid = (
                low < x1.value < high
                and pdfium_c.FPDFText_GetLooseCharBox(tp, nxt, ctypes.byref(rect))
                and low < rect.left < high
            )
        if solid:
            dropped.update(range(start, nxt))
    return dropped


# --------------------------------------------------------------------------- marks placed by coordinates

FLOAT_TOLERANCE_EM = 0.1  # a mark this close to its base in text order is drawn on it
HOST_TOLERANCE_EM = 0.05  # a floating mark's anchor lies this close to the host's box
LINE_TOLERANCE_EM = 0.6  # a floating mark's baseline lies this close to its host's
ZERO_WIDTH_EM = 0.05  # a glyph box narrower than this is a zero-advance mark's origin
ORIGIN_LEFT_EM = 0.15  # a zero-advance mark is drawn this far left of its origin
_BUCKET = 8.0  # pt; host candidates are looked up by x and baseline bucket
MAX_FLOATING = 5_000  # more marks out of place than this on a page: nothing is moved
MAX_PER_CELL = 16  # consonants kept per bucket (glyphs stacked on one spot: hostile)


@dataclass(frozen=True)
class GlyphBox:
    """A glyph's horizontal extent and baseline (in the extractor's own direction)."""

    x0: float
    x1: float
    baseline: float
    size: float

    def anchor(self) -> float:
        """The x where a combining mark is drawn (left of the origin of a zero-advance one)."""
        if self.x1 - self.x0 < ZERO_WIDTH_EM * self.size:
            return self.x0 - ORIGIN_LEFT_EM * self.size
        return (self.x0 + self.x1) / 2

    def drawn_on(self, base: GlyphBox, tolerance_em: float = FLOAT_TOLERANCE_EM) -> bool:
        """True when this mark's box puts it on ``base`` (within ``tolerance_em``).

        A zero-advance mark's origin lies after the start of its base glyph and at
        most at the end of its advance (a mark at the start of a glyph belongs to the
        glyph before); any other mark's centre lies on the base glyph's box.
        """
        tol = tolerance_em * self.size
        if self.x1 - self.x0 < ZERO_WIDTH_EM * self.size:
            return base.x0 + 0.01 * self.size < self.x0 <= base.x1 + tol
        return base.x_distance(self.anchor()) <= tol

    def x_distance(self, x: float) -> float:
        return max(self.x0 - x, x - self.x1, 0.0)


def thai_char(text: str) -> str:
    """The Thai character a one-glyph text stands for (private-use variants mapped)."""
    if len(text) != 1:
        return ""
    return PUA_TO_THAI.get(ord(text), text)


def mark_hosts(texts: Sequence[str], box_of: Callable[[int], GlyphBox | None]) -> dict[int, int]:
    """Combining marks out of place -> index of the consonant glyph they are drawn on.

    A mark is in place when, going back in text order over other marks, a consonant
    comes before any space or other glyph and the mark is drawn on it
    (:meth:`GlyphBox.drawn_on`).
    Any other mark (after a space, at a line start, on a glyph it is not drawn on)
    goes to the consonant on the same line whose box holds its anchor; a mark with
    no such consonant is left where it is. Text that is in order comes back as ``{}``.
    """
    chars = [thai_char(t) for t in texts]
    floating: list[int] = []
    text_base: dict[int, int] = {}  # mark -> the consonant before it in text order
    b = -1  # the last glyph before i that is not a mark (linear in a run of marks)
    for i, ch in enumerate(chars):
        if ch not in _MARKS:
            if texts[i]:
                b = i
            continue
        if b < 0 or chars[b] not in _CONSONANTS:
            floating.append(i)
            continue
        text_base[i] = b
        mark, base = box_of(i), box_of(b)
        if mark is None or base is None:
            continue
        if not mark.drawn_on(base, 0.0):
            floating.append(i)  # maybe: moved only to a consonant it is closer to
    if not floating:
        return {}
    if len(floating) > MAX_FLOATING:  # not a page of text (hostile or broken): leave it
        return {}
    buckets: dict[tuple[int, int], list[tuple[int, GlyphBox]]] = {}
    for j, ch in enumerate(chars):
        if ch in _CONSONANTS and (box := box_of(j)) is not None:
            line = int(box.baseline // _BUCKET)
            for k in range(int(box.x0 // _BUCKET), int(box.x1 // _BUCKET) + 1):
                cell = buckets.setdefault((k, line), [])
                if len(cell) < MAX_PER_CELL:
                    cell.append((j, box))
    hosts: dict[int, int] = {}
    for i in floating:
        mark = box_of(i)
        if mark is None:
            continue
        x = mark.anchor()
        best: tuple[float, float, int] | None = None
        tol = HOST_TOLERANCE_EM * mark.size
        dy_max = LINE_TOLERANCE_EM * mark.size
        lines = range(
            int((mark.baseline - dy_max) // _BUCKET), int((mark.baseline + dy_max) // _BUCKET) + 1
        )
        near = {
            jb
            for k in range(int((x - tol) // _BUCKET), int((x + tol) // _BUCKET) + 1)
            for ln in lines
            for jb in buckets.get((k, ln), [])
        }
        for j, box in sorted(near):
            dx, dy = box.x_distance(x), abs(box.baseline - mark.baseline)
            if dx <= tol and dy <= dy_max:
                if best is None or (dy, dx) < best[:2]:
                    best = (dy, dx, j)
        if best is None or best[2] == text_base.get(i):
            continue
        own = text_base.get(i)
        if own is not None and (own_box := box_of(own)) is not None:
            if mark.drawn_on(own_box) and own_box.x_distance(x) <= best[1]:
                continue  # on its own base within the tolerance, and no closer elsewhere
        hosts[i] = best[2]
    return hosts


_MARK_CLASS = {
    **{ch: 0 for ch in ABOVE_VOWELS + BELOW_VOWELS},
    **{ch: 1 for ch in TONE_MARKS},
}  # signs (์ ํ ๎) sort last


def reordered(texts: Sequence[str], hosts: dict[int, int]) -> list[int]:
    """Glyph indices in reading order: each mark of ``hosts`` right after its consonant.

    The moved marks follow the consonant's own marks, vowels before tone marks
    before signs (as :func:`parsers.thai_text.normalize` orders them).
    """
    extra: dict[int, list[int]] = {}
    for mark, host in hosts.items():
        extra.setdefault(host, []).append(mark)
    order: list[int] = []
    pending: list[int] = []
    for i, text in enumerate(texts):
        if i in hosts:
            continue
        if pending and thai_char(text) not in _MARKS:
            order.extend(pending)
            pending = []
        order.append(i)
        if i in extra:
            pending = sorted(extra[i], key=lambda k: _MARK_CLASS.get(thai_char(texts[k]), 2))
    order.extend(pending)
    return order


def join_marks(
    chars: list[dict], texts: list[str], hosts: dict[int, int] | None = None
) -> list[dict]:
    """pdfplumber chars with repaired ``texts``; combining marks joined to their base.

    Zero-width marks sit a hair left of their base glyph, so pdfplumber's x-sort
    puts them in the wrong order or in a word of their own; joined, they cannot move.
    A mark of ``hosts`` (see :func:`plumber_mark_hosts`) joins the glyph it is drawn on.
    """
    hosts = hosts or {}
    out: list[dict] = []
    slot: dict[int, int] = {}  # char index -> index in out
    late: list[tuple[int, int]] = []
    for k, (char, text) in enumerate(zip(chars, texts, strict=True)):
        if not text:
            continue
        if k in hosts:
            late.append((hosts[k], k))
            continue
        if (
            out
            and all(ch in _MARKS for ch in text)
            and abs(out[-1]["top"] - char["top"]) < char["size"] / 2
        ):
            out[-1]["text"] += text
            continue
        slot[k] = len(out)
        out.append({**char, "text": text})
    for host, k in sorted(
        late, key=lambda hk: (hk[0], _MARK_CLASS.get(thai_char(texts[hk[1]]), 2))
    ):
        if host in slot:
            out[slot[host]]["text"] += texts[k]
        else:  # its host left no char of its own: the mark stays a char
            out.append({**chars[k], "text": texts[k]})
    return out


def plumber_box(char: dict) -> GlyphBox:
    """A pdfplumber char's box: its advance, and the bottom of its font box as baseline."""
    return GlyphBox(char["x0"], char["x1"], char["bottom"], char["size"] or 12.0)


def plumber_mark_hosts(chars: list[dict], texts: Sequence[str]) -> dict[int, int]:
    """:func:`mark_hosts` over pdfplumber chars (their boxes are the glyphs' advances)."""
    return mark_hosts(
        texts, lambda k: plumber_box(chars[k]) if texts[k] and chars[k].get("upright") else None
    )


# --------------------------------------------------------------------------- ActualText


def plumber_actual_text(chars: list[dict]) -> list[dict]:
    """pdfplumber ``chars`` with ``/ActualText`` spans honoured.

    The chars must come from :func:`plumber_chars` (each carries ``actual_text``, the
    span's id and text, or None). The first glyph of a span reads the span's text and
    spans the span's glyphs; the others read nothing. LibreOffice writes ำ as
    NIKHAHIT + SARA AA glyphs in one span, and may leave the SARA AA glyph without a
    ToUnicode entry (``(cid:3)``) or map it to า (``ทำา``).
    """
    out = [dict(c) for c in chars]
    first: dict[int, dict] = {}
    for char in out:
        span = char.get("actual_text")
        if span is None:
            continue
        head = first.get(span[0])
        if head is None:
            first[span[0]] = char
            char["text"] = span[1]
        elif abs(head["top"] - char["top"]) < head["size"]:
            head["x0"], head["x1"] = min(head["x0"], char["x0"]), max(head["x1"], char["x1"])
            char["text"] = ""
        else:
            char["text"] = ""
    return out


def plumber_chars(page) -> list[dict]:
    """pdfplumber ``page.chars``, each with ``actual_text``: (span id, text) or None.

    pdfminer ignores marked content; the page is laid out again with a device that
    records the ``/ActualText`` of the innermost ``BDC`` span around each glyph.
    """
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfminer.psparser import PSLiteral
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    class _Device(PDFPageAggregatorWithMarkedContent):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.spans: list[tuple[int, str] | None] = []
            self.next_id = 0

        def begin_tag(self, tag: PSLiteral, props=None) -> None:
            super().begin_tag(tag, props)
            text = props.get("ActualText") if isinstance(props, dict) else None
            if isinstance(text, bytes):
                text = _pdf_text_string(text)
            if isinstance(text, str):
                self.next_id += 1
                self.spans.append((self.next_id, text))
            else:
                self.spans.append(self.spans[-1] if self.spans else None)

        def end_tag(self) -> None:
            super().end_tag()
            if self.spans:
                self.spans.pop()

        def tag_cur_item(self) -> None:
            super().tag_cur_item()
            if self.cur_item._objs:
                self.cur_item._objs[-1].actual_text = self.spans[-1] if self.spans else None

    if not getattr(page, "_layout_has_actual_text", False):  # laid out by pdfplumber, or not yet
        device = _Device(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
        PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
        page._layout = device.get_result()
        page._layout_has_actual_text = True
        page.__dict__.pop("_objects", None)  # pdfplumber's chars of an earlier layout
    spans = [getattr(obj, "actual_text", None) for obj in _layout_chars(page._layout)]
    chars = list(page.chars)
    if len(spans) != len(chars):  # pdfplumber laid the page out another way: no spans
        return chars
    return [{**c, "actual_text": s} for c, s in zip(chars, spans, strict=True)]


def _layout_chars(layout) -> list:
    from pdfminer.layout import LTChar, LTContainer

    found = []
    stack = [iter(layout)]
    while stack:
        obj = next(stack[-1], None)
        if obj is None:
            stack.pop()
        elif isinstance(obj, LTChar):
            found.append(obj)
        elif isinstance(obj, LTContainer):
            stack.append(iter(obj))
    return found


def _pdf_text_string(raw: bytes) -> str:
    """A PDF text string: UTF-16BE with a BOM, else PDFDocEncoding (close to Latin-1)."""
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    return raw.decode("latin-1")
