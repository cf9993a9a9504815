"""Read a PDF attachment: repaired Thai text, ruled tables, embedded images, OCR of scans.

Each page is first read with pypdfium2 (fast). Cheap detectors then look for the
damage real Thai PDFs carry (see tests/data/real-docs/SOURCES.md):

* Word "Save as PDF" writes SARA AM (ำ) as a zero-width space + SARA AA, and in a
  font whose SARA AA glyph was first used inside ำ, every า comes out as ำ. The
  repair works on characters (font, width, generated or not), never on plain text.
* TH SarabunIT๙ draws ASCII digits as Thai digits; they are given as shown (๒๕๔๘).
* LibreOffice draws some Thai marks left of the end of their base glyph's advance
  or far above it; pdfium then generates a space or a line break inside the word
  (เป็ นแบบอย่าง, ผ / ู้รายงาน). A generated break where the glyphs are set solid
  (:func:`generated_breaks_in_words`) is dropped; spaces the document contains
  are glyphs of their own and are kept.
* iText (the Royal Gazette) draws some tone marks and upper vowels as text of their
  own, after the line or a space (หนา ๒ ่เลม): each mark out of place goes after the
  consonant it is drawn on (:func:`_pdfium_mark_order`, ``mark_hosts``); LibreOffice
  sometimes sorts a mark into another word (ศักดิ ... ต์ำแหน่ง), fixed the same way.
* Acrobat's private-use glyphs, decomposed ำ, ำ followed by า and mark order are
  fixed by :func:`parsers.thai_text.normalize`.

The glyph-level repairs live in :mod:`parsers.thai_pdf_text`. A page with ruling
lines, or whose repaired pypdfium2 text still looks damaged and scores low on
:func:`parsers.thai_text.text_quality`, is also read with pdfplumber (same
character-level repair, ``/ActualText`` honoured so LibreOffice's ำ clusters do not
read ``ทำา``, marks joined to the glyph they are drawn on); the better-scoring text wins, and ruled tables come out as ``cell | cell`` lines. A page without a text
layer is OCR'd with tesseract when it is installed. Pages are separated by a form
feed line (``\\f``), as pdftotext does.

pdfium is not thread-safe: :func:`read_pdf` holds a module lock while it uses it.
"""

from __future__ import annotations

import io
import logging
import math
import re
import threading
import time
import zlib
from collections import Counter

from areaplan.core.thai_text import (
    COMBINING_MARKS,
    PUA_TO_THAI,
    count_misplaced_marks,
    normalize,
    text_quality,
)
from areaplan.parsers.errors import UnreadableAttachment
from areaplan.parsers.images import EXTENSIONS, sniff_image
from areaplan.parsers.thai_pdf_text import (
    TIGHT_GAP_EM,
    TIGHT_OVERLAP_EM,
    WORD_MARKER,
    GlyphBox,
    generated_breaks_in_words,
    join_marks,
    mark_hosts,
    plumber_actual_text,
    plumber_chars,
    plumber_mark_hosts,
    reordered,
    repair_with_trials,
)
from areaplan.parsers.types import ExtractedImage, ReadLimits, ReadResult

logger = logging.getLogger(__name__)

OCR_DPI = 300
OCR_MISSING = (
    "scanned PDF without a text layer: OCR needs tesseract-ocr-tha "
    "(apt-get install tesseract-ocr tesseract-ocr-tha)"
)
MIN_IMAGE_SIDE = 32  # px; smaller images (bullets, rules, logos' slivers) are skipped
MAX_IMAGE_PIXELS = 50_000_000  # an image claiming more is not decoded
MAX_RENDER_PIXELS = 80_000_000  # an OCR render is scaled down to this
MAX_PATH_OBJECTS = 3000  # ruling-line scan gives up on pages drawn with more paths
RETRY_BELOW = 0.9  # pypdfium2 text scoring below this is also read with pdfplumber
QUALITY_MARGIN = 0.005  # pdfplumber must beat pypdfium2 by this much to be chosen
PAGE_SEPARATOR = "\n\f\n"
DEFAULT_LIMITS = ReadLimits()  # frozen, so one shared default is safe

_PDFIUM_LOCK = threading.RLock()
_MARKS = frozenset(COMBINING_MARKS) | {chr(cp) for cp, ch in PUA_TO_THAI.items() if ch in COMBINING_MARKS}
_RE_CID = re.compile(r"\(cid:\d+\)")
# private-use glyphs, lost glyphs, Thai TIS-620 bytes read as Latin-1 (legacy fonts)
_RE_DAMAGE = re.compile("[\ue000-\uf8ff\ufffd]|\\(cid:\\d+\\)|[\u00c0-\u00fb]{3}")
_RE_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def read_pdf(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> ReadResult:
    """Read ``data`` as a PDF within ``limits``.

    Raises :class:`UnreadableAttachment` for a file over ``limits.max_bytes``, an
    encrypted PDF or one PDFium cannot open. Everything else that goes wrong on a
    page (time limit, page limit, OCR missing or failing, unmapped glyphs) is
    reported in ``ReadResult.problems``.
    """
    if len(data) > limits.max_bytes:
        raise UnreadableAttachment(
            f"PDF is {len(data):,} bytes, over the {limits.max_bytes:,}-byte limit; not opened"
        )
    check_stream_sizes(data)
    with _PDFIUM_LOCK:
        return _PdfReader(data, limits).read()


# --------------------------------------------------------------------------- inflation bombs

MAX_STREAM_INFLATED = 32 * 2**20  # a page's content (or any non-image stream) inflated
MAX_IMAGE_STREAM_INFLATED = 128 * 2**20  # one Flate image (a 600 dpi A4 RGB scan is ~100 MB)
MAX_PDF_INFLATED = 512 * 2**20  # all Flate streams of one PDF together
_RE_STREAM = re.compile(rb"\bstream\r?\n")
_INFLATE_CHUNK = 1 << 16


def _inflated_size(data: bytes, start: int, cap: int) -> int:
    """Bytes the zlib stream at ``data[start:]`` inflates to, counting stops past ``cap``.

    Memory stays at one chunk whatever the stream holds; a damaged stream counts what
    inflated before the damage.
    """
    d = zlib.decompressobj()
    total, pos = 0, start
    try:
        while pos < len(data) and not d.eof and total <= cap:
            chunk = d.decompress(data[pos : pos + _INFLATE_CHUNK], _INFLATE_CHUNK)
            total += len(chunk)
            pos += _INFLATE_CHUNK
            while d.unconsumed_tail and not d.eof and total <= cap:  # output capped: drain it
                out = d.decompress(d.unconsumed_tail, _INFLATE_CHUNK)
                if not out:
                    break
                total += len(out)
    except zlib.error:
        pass
    return total


def check_stream_sizes(data: bytes) -> None:
    """Refuse a PDF whose Flate streams inflate past the limits (a decompression bomb).

    pdfium and pdfminer inflate a whole stream into memory: a 1 MB stream of zeros becomes
    1 GiB. Each stream is inflated here first, in bounded memory, only to count its bytes.
    """
    total = 0
    for m in _RE_STREAM.finditer(data):
        head = data[max(0, m.start() - 2048) : m.start()]
        head = head[head.rfind(b"obj") + 1 :] if b"obj" in head else head
        if b"/Fl" not in head:  # /FlateDecode (or the abbreviation /Fl)
            continue
        image = b"/Image" in head
        cap = MAX_IMAGE_STREAM_INFLATED if image else MAX_STREAM_INFLATED
        size = _inflated_size(data, m.end(), cap)
        if size > cap:
            what = "an image" if image else "a stream"
            raise UnreadableAttachment(
                f"{what} in the PDF inflates to more than {cap // 2**20} MB "
                "(decompression bomb?); not opened"
            )
        total += size
        if total > MAX_PDF_INFLATED:
            raise UnreadableAttachment(
                f"the PDF's streams inflate to more than {MAX_PDF_INFLATED // 2**20} MB "
                "(decompression bomb?); not opened"
            )


# --------------------------------------------------------------------------- the reader


class _PdfReader:
    """One read of one PDF: the pdfium document, a lazy pdfplumber one, the result."""

    def __init__(self, data: bytes, limits: ReadLimits):
        self.data = data
        self.limits = limits
        self.deadline = time.monotonic() + limits.max_seconds
        self.result = ReadResult(kind="pdf")
        self.word_doc = False  # a Word SARA AM marker was seen on some page
        self._plumber: object | None = None
        self._plumber_pages: list[object] = []
        self._plumber_iter: object | None = None
        self._plumber_failed = False
        self._images_full = False
        self._unloadable: list[int] = []  # page numbers PDFium could not load

    # ----------------------------------------------------------------- driver

    def read(self) -> ReadResult:
        import pypdfium2 as pdfium

        try:
            doc = pdfium.PdfDocument(self.data)
        except pdfium.PdfiumError as exc:
            raise UnreadableAttachment(_open_error(exc, self.data)) from None
        res = self.result
        try:
            n_pages = len(doc)
            res.pages = n_pages
            if n_pages == 0:
                res.problems.append("PDF has no pages")
            to_read = min(n_pages, self.limits.max_pages)
            if n_pages > to_read:
                res.problems.append(f"PDF has {n_pages} pages; only the first {to_read} were read")
            texts: list[str] = []
            methods: list[str] = []
            no_ocr: list[int] = []
            for i in range(to_read):
                if time.monotonic() > self.deadline:
                    res.problems.append(
                        f"time limit ({self.limits.max_seconds:g} s) reached: "
                        f"read {i} of {n_pages} pages"
                    )
                    break
                text, method = self._read_page_safely(doc, i, no_ocr)
                texts.append(text)
                methods.append(method)
            if no_ocr:
                res.problems.append(f"{OCR_MISSING}; pages without text: {_ranges(no_ocr)}")
            if self._unloadable:
                res.problems.append(f"pages {_ranges(self._unloadable)} could not be loaded")
            res.method = _describe_methods(methods)
            joined = PAGE_SEPARATOR.join(texts)  # empty pages keep their place
            res.text = joined if joined.strip() else ""
            if not res.text and not res.problems:
                res.problems.append("no text found in the PDF")
            if len(res.text) > self.limits.max_text_chars:
                res.problems.append(
                    f"text cut to {self.limits.max_text_chars:,} of {len(res.text):,} characters"
                )
                res.text = res.text[: self.limits.max_text_chars]
        finally:
            doc.close()
            if self._plumber is not None:
                self._plumber.close()
        return res

    def _read_page_safely(self, doc, i: int, no_ocr: list[int]) -> tuple[str, str]:
        """Read page ``i``; a failure becomes a problem, not an exception."""
        import pypdfium2 as pdfium

        try:
            page = doc[i]
        except pdfium.PdfiumError:
            self._unloadable.append(i + 1)
            return "", "none"
        try:
            return self._read_page(page, i, no_ocr)
        except Exception as exc:  # hostile content must not escape as a traceback
            logger.warning("page %d of PDF failed", i + 1, exc_info=True)
            self.result.problems.append(f"page {i + 1} could not be read: {exc}")
            return "", "none"
        finally:
            page.close()

    def _read_page(self, page, i: int, no_ocr: list[int]) -> tuple[str, str]:
        """Text and method of one page (images are collected on the way)."""
        has_image = self._collect_images(page, i)
        textpage = page.get_textpage()
        try:
            raw = textpage.get_text_range()
            if not raw.strip() or (has_image and is_watermark_only(raw)):
                if not has_image:
                    return "", "pypdfium2"
                if raw.strip():
                    self.result.notes.append(
                        f"page {i + 1}: only a scanner app's text layer ({raw.strip()[:60]!r}); OCR'd"
                    )
                return self._ocr(page, i, no_ocr)
            text, repaired = self._pdfium_text(textpage, raw)
        finally:
            textpage.close()
        method = "pypdfium2+word-repair" if repaired else "pypdfium2"
        ruled = _has_ruling_lines(page)
        if ruled or _looks_damaged(text):
            quality = text_quality(text)
            if ruled or quality < RETRY_BELOW:
                text, method = self._better_of(i, text, method, quality)
        return self._report_glyph_loss(text, i), method

    def _better_of(self, i: int, text: str, method: str, quality: float) -> tuple[str, str]:
        """pdfplumber's text of page ``i`` if it scores better (or has tables), else ``text``."""
        plumber = self._plumber_text(i)
        if plumber is None:
            return text, method
        p_text, p_method, tables = plumber
        p_quality = text_quality(p_text)
        logger.debug("page %d: pypdfium2 %.3f, pdfplumber %.3f", i + 1, quality, p_quality)
        if (tables and p_quality >= quality - 0.05) or p_quality > quality + QUALITY_MARGIN:
            return p_text, p_method
        return text, method

    # ----------------------------------------------------------------- pypdfium2

    def _pdfium_text(self, textpage, raw: str) -> tuple[str, bool]:
        """pypdfium2 text with the character-level repairs; (normalised text, Word repair?)."""
        import ctypes

        import pypdfium2.raw as pdfium_c

        if len(raw) != textpage.count_chars():  # indices no longer match glyphs: text only
            return normalize(_RE_CONTROL.sub("", raw)), False
        tp = textpage.raw
        dropped = generated_breaks_in_words(tp, raw)
        order = _pdfium_mark_order(tp, raw, dropped)

        def render(texts: list[str]) -> str:
            kept = (texts[k] for k in order if k not in dropped)
            return _RE_CONTROL.sub("", "".join(kept))

        if not (self.word_doc or WORD_MARKER.search(raw) or re.search("[0-9]", raw)):
            return normalize(render(list(raw))), False
        buf = ctypes.create_string_buffer(256)
        flags = ctypes.c_int()
        fonts: dict[int, str] = {}

        def font_of(i: int) -> str:
            if i not in fonts:
                n = pdfium_c.FPDFText_GetFontInfo(tp, i, buf, len(buf), ctypes.byref(flags))
                if n > len(buf):  # too small: pdfium copied nothing, the buffer holds stale bytes
                    fonts[i] = ""
                else:
                    fonts[i] = buf.raw[: max(n - 1, 0)].split(b"\0", 1)[0].decode("utf-8", "replace")
            return fonts[i]

        def origin(i: int) -> tuple[float, float]:
            x, y = ctypes.c_double(), ctypes.c_double()
            pdfium_c.FPDFText_GetCharOrigin(tp, i, ctypes.byref(x), ctypes.byref(y))
            return x.value, y.value

        def space_kind(i: int) -> str:
            if pdfium_c.FPDFText_IsGenerated(tp, i) == 1:
                return "spurious"  # pdfium's guess at a word gap
            (x0, y0), (x1, y1) = origin(i), origin(i + 1)
            if i and x0 < origin(i - 1)[0] - 0.01:
                return "spurious"  # a word space drawn elsewhere (LibreOffice), sorted in here
            size = pdfium_c.FPDFText_GetFontSize(tp, i) or 12.0
            return "marker" if math.hypot(x1 - x0, y1 - y0) < 0.15 * size else "real"

        text, rep = repair_with_trials(list(raw), font_of, space_kind, render, self.word_doc)
        self.word_doc = self.word_doc or rep.markers > 0
        return text, bool(rep.markers or rep.flipped)

    # ----------------------------------------------------------------- pdfplumber

    def _plumber_page(self, i: int):
        """pdfplumber's page ``i`` (0-based), opening the document lazily; None if it fails."""
        if self._plumber_failed:
            return None
        try:
            if self._plumber is None:
                import pdfplumber
                from pdfminer.pdfpage import PDFPage

                self._plumber = pdfplumber.open(io.BytesIO(self.data))
                self._plumber_iter = PDFPage.create_pages(self._plumber.doc)
            from pdfplumber.page import Page

            while len(self._plumber_pages) <= i:
                page_obj = next(self._plumber_iter)
                n = len(self._plumber_pages) + 1
                self._plumber_pages.append(Page(self._plumber, page_obj, page_number=n))
            return self._plumber_pages[i]
        except Exception as exc:  # pdfminer is stricter than PDFium on damaged files
            logger.info("pdfplumber cannot read page %d: %s", i + 1, exc)
            self._plumber_failed = True
            return None

    def _plumber_text(self, i: int) -> tuple[str, str, bool] | None:
        """(text, method, has tables) of page ``i`` via pdfplumber chars; None if unreadable."""
        page = self._plumber_page(i)
        if page is None:
            return None
        try:
            chars = plumber_actual_text(plumber_chars(page))
            if not chars:
                return None
            tables = _find_tables(page, chars)
            texts = [c["text"] for c in chars]

            def space_kind(k: int) -> str:
                return "marker" if chars[k]["x1"] - chars[k]["x0"] < 0.01 else "real"

            def render(new_texts: list[str]) -> str:
                hosts = plumber_mark_hosts(chars, new_texts)
                return _layout(join_marks(chars, new_texts, hosts), tables)

            text, rep = repair_with_trials(
                texts, lambda k: chars[k].get("fontname", ""), space_kind, render, self.word_doc
            )
            self.word_doc = self.word_doc or rep.markers > 0
        except Exception as exc:
            logger.info("pdfplumber failed on page %d: %s", i + 1, exc)
            return None
        finally:
            page.close()
        method = "pdfplumber+word-repair" if rep.markers or rep.flipped else "pdfplumber"
        if tables:
            method += "+tables"
        return text, method, bool(tables)

    # ----------------------------------------------------------------- images and OCR

    def _collect_images(self, page, i: int) -> bool:
        """Add the page's images to the result (bounded); True if the page has any image."""
        import pypdfium2.raw as pdfium_c

        found = False
        for k, obj in enumerate(
            page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2)
        ):
            found = True
            if self._images_full:
                break
            if len(self.result.images) >= self.limits.max_images:
                self._images_full = True
                self.result.notes.append(
                    f"only the first {self.limits.max_images} images were kept"
                )
                break
            try:
                width, height = obj.get_px_size()
                if min(width, height) < MIN_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
                    continue
                buf = io.BytesIO()
                obj.extract(buf, fb_format="png")
            except Exception as exc:
                logger.info("image %d on page %d not extracted: %s", k + 1, i + 1, exc)
                continue
            data = buf.getvalue()
            mime, ext = _sniff_image(data)
            self.result.images.append(
                ExtractedImage(
                    data=data,
                    filename=f"page{i + 1}-image{k + 1}.{ext}",
                    mime_type=mime,
                    width=width,
                    height=height,
                    source=f"pdf page {i + 1}",
                )
            )
        return found

    def _ocr(self, page, i: int, no_ocr: list[int]) -> tuple[str, str]:
        """OCR a page without a text layer (:func:`parsers.ocr.ocr_page`), if tesseract has Thai."""
        from areaplan.parsers import ocr

        if ocr.tesseract_path() is None:
            no_ocr.append(i + 1)
            return "", "none"
        width, height = page.get_size()
        scale = OCR_DPI / 72
        if width * height * scale * scale > MAX_RENDER_PIXELS:
            scale = math.sqrt(MAX_RENDER_PIXELS / (width * height))
        image = page.render(scale=scale, grayscale=True).to_pil()
        png = io.BytesIO()
        image.save(png, format="PNG")
        if self.deadline - time.monotonic() < 1:
            self.result.problems.append(f"page {i + 1}: no time left for OCR")
            return "", "none"
        import numpy as np

        grey = np.asarray(image.convert("L"), dtype=np.uint8)
        _PDFIUM_LOCK.release()  # let other threads use pdfium while tesseract runs
        try:
            read = ocr.ocr_page(png.getvalue(), self.deadline, grey)
        finally:
            _PDFIUM_LOCK.acquire()
        self.result.problems.extend(f"page {i + 1}: {p}" for p in read.problems)
        if not read.text:
            return "", "tesseract"
        self.result.ocr = True
        self.result.notes.append(f"page {i + 1}: OCR reading {read.chosen} "
                                 f"(confidence {read.confidence:.0f})")
        return read.text.strip("\n\f"), "tesseract"

    def _report_glyph_loss(self, text: str, i: int) -> str:
        """Drop ``(cid:N)`` placeholders and U+FFFD, and say how many glyphs were lost."""
        lost = len(_RE_CID.findall(text)) + text.count("\ufffd")
        if lost:
            self.result.problems.append(
                f"page {i + 1}: {lost} glyphs have no Unicode mapping; text may be incomplete"
            )
            text = _RE_CID.sub("", text).replace("\ufffd", "")
        return text


# --------------------------------------------------------------------------- helpers

# What phone-scanner apps write as a page's only text: their name, in small Latin type.
_RE_SCANNER_APP = re.compile(
    r"(?i)\b(?:scanned\s+(?:with|by)|cam\s*scanner|office\s*lens|microsoft\s+lens|adobe\s+scan|"
    r"genius\s+scan|tap\s*scanner|tiny\s*scanner|clear\s*scan|simple\s*scan|notebloc|intsig|"
    r"created\s+(?:with|by)|powered\s+by)\b"
)
WATERMARK_MAX_CHARS = 80  # a page's whole text layer no longer than this may be a watermark


def is_watermark_only(raw: str) -> bool:
    """True when a page's whole text layer is a scanner app's watermark, not the page's text.

    Short (at most :data:`WATERMARK_MAX_CHARS` visible characters), without Thai letters, and
    naming a scanner app or made of Latin words only (a form is Thai: a page image whose only
    text is a few Latin words is a scan with a stamp of the app).
    """
    text = raw.strip()
    visible = sum(1 for ch in text if not ch.isspace())
    if not text or visible > WATERMARK_MAX_CHARS or re.search("[\u0e01-\u0e4e]", text):
        return False
    return bool(_RE_SCANNER_APP.search(text)) or visible <= 40



def _looks_damaged(text: str) -> bool:
    """Cheap signs that extracted (already repaired and normalised) text is still broken."""
    return bool(_RE_DAMAGE.search(text) or WORD_MARKER.search(text) or count_misplaced_marks(text))


def _pdfium_mark_order(tp, raw: str, dropped: set[int]) -> range | list[int]:
    """Reading order of the glyphs of ``raw``: marks placed by coordinates on their base.

    iText (the Royal Gazette) draws some tone marks and upper vowels as text of their
    own, after a space or at the end of the line (``หนา ๒ ่เลม``); each one goes
    after the consonant whose box holds it (:func:`parsers.thai_pdf_text.mark_hosts`).
    A space or line break pdfium generated next to a moved mark is dropped (added to
    ``dropped``) when the glyphs either side of it are set solid.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    left, right, bottom, top = (ctypes.c_double() for _ in range(4))

    loose = pdfium_c.FS_RECTF()

    def box_of(i: int) -> GlyphBox | None:
        """A mark's ink box; any other glyph's advance (its loose box), and the baseline."""
        if abs(pdfium_c.FPDFText_GetCharAngle(tp, i)) > 0.01:  # rotated text, or no glyph
            return None
        if raw[i] in _MARKS:
            if not pdfium_c.FPDFText_GetCharBox(
                tp, i, *(ctypes.byref(v) for v in (left, right, bottom, top))
            ):
                return None
        elif pdfium_c.FPDFText_GetLooseCharBox(tp, i, ctypes.byref(loose)):
            left.value, right.value = loose.left, loose.right
        else:
            return None
        x, y = ctypes.c_double(), ctypes.c_double()
        pdfium_c.FPDFText_GetCharOrigin(tp, i, ctypes.byref(x), ctypes.byref(y))
        size = pdfium_c.FPDFText_GetFontSize(tp, i) or 12.0
        return GlyphBox(left.value, right.value, y.value, size)

    hosts = mark_hosts(raw, box_of)
    if not hosts:
        return range(len(raw))
    for mark in hosts:
        for step in (-1, 1):
            run, k = [], mark + step
            while 0 <= k < len(raw) and abs(k - mark) < 64 and (k in hosts or raw[k] in " \r\n"):
                if k not in hosts:
                    run.append(k)
                k += step
            if run and all(_solid_around(tp, raw, r, hosts) for r in run):
                dropped.update(run)
    logger.debug("%d marks placed by coordinates moved to their base", len(hosts))
    return reordered(raw, hosts)


def _solid_around(tp, raw: str, k: int, moved: dict[int, int]) -> bool:
    """True when pdfium generated the break at ``k`` between glyphs set solid.

    The glyphs either side are the nearest ones that are not whitespace nor moved marks
    (nor, before it, marks);
    they are set solid when the next one's origin or box starts within
    ``-TIGHT_OVERLAP_EM .. TIGHT_GAP_EM`` of the end of the previous one's advance,
    on the same line.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    if pdfium_c.FPDFText_IsGenerated(tp, k) != 1:
        return False
    a, b = k - 1, k + 1
    while a >= 0 and (a in moved or raw[a] in " \r\n" or raw[a] in _MARKS):
        a -= 1  # back to the base glyph: a mark's box is not where its advance ends
    while b < len(raw) and (b in moved or raw[b] in " \r\n"):
        b += 1
    if a < 0 or b >= len(raw):
        return False
    ra, rb = pdfium_c.FS_RECTF(), pdfium_c.FS_RECTF()
    if not (
        pdfium_c.FPDFText_GetLooseCharBox(tp, a, ctypes.byref(ra))
        and pdfium_c.FPDFText_GetLooseCharBox(tp, b, ctypes.byref(rb))
    ):
        return False
    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(tp, b, ctypes.byref(x), ctypes.byref(y))
    em = pdfium_c.FPDFText_GetFontSize(tp, b) or 12.0
    if abs(ra.bottom - rb.bottom) >= TIGHT_OVERLAP_EM * em:  # another line
        return False
    low, high = ra.right - TIGHT_OVERLAP_EM * em, ra.right + TIGHT_GAP_EM * em
    return low < x.value < high or low < rb.left < high


def _find_tables(page, chars: list[dict]) -> list:
    """pdfplumber's ruled tables with 2+ rows and 2+ columns holding text.

    A page frame or a box around a paragraph is a one-column "table"; it is not one.
    """
    found = []
    for table in page.find_tables():
        rows = [row.cells for row in table.rows]
        if len(rows) < 2 or max(len(r) for r in rows) < 2:
            continue
        inked = [c for c in chars if c["text"].strip() and _inside(c, table.bbox)]
        columns = set()
        for cells in rows:
            for j, bbox in enumerate(cells):
                if bbox is not None and j not in columns and any(_inside(c, bbox) for c in inked):
                    columns.add(j)
        if len(columns) >= 2:
            found.append(table)
    return found


def _inside(char: dict, bbox: tuple[float, float, float, float]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _chars_text(chars: list[dict]) -> list[tuple[float, str]]:
    """(top, text) of the lines pdfplumber makes of ``chars``."""
    from pdfplumber.utils.text import chars_to_textmap

    if not chars:
        return []
    lines = chars_to_textmap(chars).extract_text_lines(return_chars=False)
    return [(line["top"], line["text"]) for line in lines]


def _table_lines(table, chars: list[dict]) -> list[str]:
    """Rows of ``table`` as ``a | b | c``, columns empty in every row (merged cells) dropped."""
    inside = [c for c in chars if _inside(c, table.bbox)]
    grid: list[list[str | None]] = []
    for row in table.rows:
        cells: list[str | None] = []
        for bbox in row.cells:
            if bbox is None:
                cells.append(None)
                continue
            lines = _chars_text([c for c in inside if _inside(c, bbox)])
            cells.append(" ".join(text for _, text in lines).strip())
        grid.append(cells)
    width = max(len(r) for r in grid)
    used = [any(j < len(r) and r[j] for r in grid) for j in range(width)]
    out = []
    for cells in grid:
        kept = [c for j, c in enumerate(cells) if used[j] and c is not None]
        if any(kept):
            out.append(" | ".join(kept))
    return out


def _layout(chars: list[dict], tables: list) -> str:
    """Page text: lines outside tables and table rows (``a | b``), top to bottom."""
    blocks = [(t.bbox[1], "\n".join(_table_lines(t, chars))) for t in tables]
    outside = [c for c in chars if not any(_inside(c, t.bbox) for t in tables)]
    blocks += _chars_text(outside)
    blocks.sort(key=lambda b: b[0])
    return "\n".join(text for _, text in blocks if text)


def _has_ruling_lines(page) -> bool:
    """Cheap pdfium check for a ruled table: 3+ row and 3+ column rules, each shared.

    Straight paths (thin lines and rectangles) give their x and y edges; an edge
    counts when two or more paths share it (to the nearest point), as table rules
    and cell borders do. A page frame, a footer box or an underline does not pass.
    """
    import pypdfium2.raw as pdfium_c

    xs: Counter[int] = Counter()
    ys: Counter[int] = Counter()
    for k, obj in enumerate(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2)):
        if k >= MAX_PATH_OBJECTS:
            return False
        left, bottom, right, top = obj.get_bounds()
        w, h = right - left, top - bottom
        if h <= 2 and w >= 10:
            ys[round(bottom)] += 1
        elif w <= 2 and h >= 10:
            xs[round(left)] += 1
        elif w >= 10 and h >= 10 and pdfium_c.FPDFPath_CountSegments(obj.raw) <= 5:
            xs.update((round(left), round(right)))
            ys.update((round(bottom), round(top)))
    return sum(n >= 2 for n in xs.values()) >= 3 and sum(n >= 2 for n in ys.values()) >= 3


def _sniff_image(data: bytes) -> tuple[str, str]:
    """(MIME type, extension) from an image's first bytes (``images.sniff_image``)."""
    mime = sniff_image(data)
    return (mime, EXTENSIONS.get(mime, "bin")) if mime else ("application/octet-stream", "bin")


def _open_error(exc: Exception, data: bytes) -> str:
    """A reason a person can act on, for a PDF PDFium cannot open."""
    import pypdfium2.raw as pdfium_c

    code = getattr(exc, "err_code", None)
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return "PDF is encrypted with a password; ask the sender for an unprotected copy"
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return "PDF uses an unsupported encryption scheme; ask the sender for an unprotected copy"
    if b"%PDF" not in data[:1024]:
        return "not a PDF file (no %PDF header)"
    return f"PDF is damaged and cannot be opened ({exc})"


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> "1-3, 5"."""
    parts: list[str] = []
    for n in numbers:
        if parts and parts[-1][1] == n - 1:
            parts[-1] = (parts[-1][0], n)
        else:
            parts.append((n, n))
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in parts)


def _describe_methods(methods: list[str]) -> str:
    """One method, or "mixed: p1 pypdfium2, p2-3 pdfplumber+word-repair"."""
    distinct = [m for m in dict.fromkeys(methods) if m != "none"]
    if len(distinct) <= 1:
        return distinct[0] if distinct else "none"
    runs: list[tuple[int, int, str]] = []
    for n, m in enumerate(methods, 1):
        if runs and runs[-1][2] == m:
            runs[-1] = (runs[-1][0], n, m)
        else:
            runs.append((n, n, m))
    return "mixed: " + ", ".join(f"p{a} {m}" if a == b else f"p{a}-{b} {m}" for a, b, m in runs)
