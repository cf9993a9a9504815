"""Thai OCR of one page picture with tesseract (``-l tha+eng``), never worse than tesseract alone.

:func:`ocr_page` reads the **prepared** page first (:mod:`parsers.ocr_preprocess`: the page cut
out of a photo and unwarped, quarter turn from tesseract's OSD when the page lies sideways,
light flattened, deskewed, small text upscaled, ruled lines and dotted leaders whited out;
read as one block of text, ``--psm 6``) and checks that reading against the page itself:

* tesseract's mean word confidence is at least :data:`SOUND_CONFIDENCE`, and
* its lines cover at least :data:`SOUND_COVERAGE` of the ink of the page's text rows
  (:func:`parsers.ocr_preprocess.text_bands`): a row with ink and no text read is text lost.

A reading that passes is kept: it costs one tesseract run and the preparation, not two runs.
One that fails gets the **safety net**: **bare** ``tesseract -l tha+eng`` on the picture exactly
as given (the anchor to beat) and, when rows of text were left unread (or the first reading
failed), the prepared page once more with ``--psm 4`` (a column of lines of varying size),
side by side; a reading that covers the rows and only doubts its words is weighed against bare
alone (one more run, not two). The best by :func:`reading_score` is kept (word
confidences weighted by how much of the Thai is dictionary words), so a page the preparation
spoiled reads at least as well as bare tesseract. Every word tesseract returns is kept,
whatever its confidence. The chosen text is then normalised (sara am composed, marks ordered)
and corrected by :mod:`parsers.ocr_correct`. On the prepared page, Latin-looking junk in Thai
lines is read again in Thai (:func:`reread_in_thai`) and Thai digits are checked against their
shapes (:mod:`parsers.thai_digits`: tesseract reads ๖ as ๒, ๔ ๘ ๙ as ๕).

tesseract runs as a subprocess (one thread: ``OMP_THREAD_LIMIT=1``) with a timeout taken from
the caller's deadline; nothing here raises for a bad picture.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from areaplan.core.thai_text import normalize
from areaplan.parsers import ocr_preprocess as prep
from areaplan.parsers import thai_digits
from areaplan.parsers.ocr_correct import correct, dictionary_chars

log = logging.getLogger(__name__)

LANGUAGES = "tha+eng"
FEW_ROWS = 6  # a page with fewer text rows than this is despeckled first (dust joins rows)
SOUND_CONFIDENCE = 90.0  # mean word confidence of a prepared reading kept without the safety net (Thai print: 92-95)
SOUND_COVERAGE = 0.92  # share of the text rows' ink its lines must cover (bench: sound pages 0.97-1.0)
REREAD_BELOW = 90.0  # a Latin-looking word in a Thai line below this confidence is read again in Thai
REREAD_BESIDE_LATIN_BELOW = 75.0  # the same for a word at the edge of a Latin phrase
MIN_REREAD_CONFIDENCE = 80.0  # the Thai reading of such a word replaces it only this sure (and surer than before)
_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # threads make tesseract ~7x slower on 2 cores
_LANG_LOCK = threading.Lock()
_LANGS: list[set[str]] = []
# tesseract writes sara am as nikhahit + sara aa, sometimes as two "words" with a space between
_RE_SPLIT_SARA_AM = re.compile("\u0e4d\\s*([\u0e48-\u0e4b]?)\\s*\u0e32")
_RE_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_RE_ORIENT_CONF = re.compile(r"Orientation confidence:\s*([\d.]+)")


class OcrUnavailable(Exception):
    """tesseract, or its Thai data (tesseract-ocr-tha), is not installed."""


@dataclass(frozen=True)
class Reading:
    """One tesseract reading of one picture."""

    name: str  # "bare", "prepared psm 4", ...
    text: str
    mean_confidence: float  # over words, 0-100 (0 if none)
    lines: int
    score: float
    seconds: float
    spans: tuple[tuple[int, int], ...] = ()  # (top, bottom) of each line, in the picture's pixels
    words: tuple[Word, ...] = ()


@dataclass
class PageText:
    """What :func:`ocr_page` made of a page: the chosen text and every reading tried."""

    text: str = ""
    chosen: str = ""  # name of the reading kept
    confidence: float = 0.0
    readings: list[Reading] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)  # preprocessing applied, for the method
    corrections: int = 0
    problems: list[str] = field(default_factory=list)
    coverage: float | None = None  # share of the text rows' ink the prepared reading covered
    safety_net: bool = False  # bare tesseract was read too (and psm 4 when rows were left unread)

    @property
    def method(self) -> str:
        return f"tesseract ({self.chosen})" if self.chosen else "tesseract"


# --------------------------------------------------------------------------- tesseract


def tesseract_path() -> str | None:
    """The tesseract executable if it is installed with Thai data, else None."""
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    with _LANG_LOCK:
        if not _LANGS:
            try:
                proc = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=20)
                out = (proc.stdout + proc.stderr).decode("utf-8", "replace").splitlines()
                _LANGS.append({ln.strip() for ln in out if not ln.startswith("List ")})
            except (OSError, subprocess.SubprocessError):
                _LANGS.append(set())
    return exe if "tha" in _LANGS[0] else None


def _png(grey: np.ndarray) -> bytes:
    """The page as a PGM (no compression: encoding is a copy; tesseract's leptonica reads it)."""
    cv2 = prep.opencv()
    ok, buf = cv2.imencode(".pgm", grey)
    if not ok:
        raise ValueError("could not encode the page for tesseract")
    return buf.tobytes()


def _run(args: list[str], data: bytes, deadline: float) -> str:
    exe = tesseract_path()
    if exe is None:
        raise OcrUnavailable("tesseract with Thai (tesseract-ocr-tha) is not installed")
    timeout = deadline - time.monotonic()
    if timeout < 0.5:
        raise TimeoutError("no time left for OCR")
    try:
        proc = subprocess.run([exe, "-", "-", *args], input=data, capture_output=True,
                              timeout=timeout, env=_ENV)
    except subprocess.TimeoutExpired:
        raise TimeoutError("OCR stopped at the time limit") from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise RuntimeError(f"tesseract failed: {' '.join(err)}")
    return proc.stdout.decode("utf-8", "replace")


@dataclass(frozen=True)
class Word:
    """One word (for Thai: one cluster) of tesseract's TSV, with its box in the picture."""

    line: tuple[str, str, str, str]  # page, block, paragraph, line numbers
    text: str
    conf: float
    left: int
    top: int
    width: int
    height: int


def read(name: str, data: bytes, psm: int, deadline: float, languages: str = LANGUAGES) -> Reading:
    """One tesseract run on an encoded picture (TSV output), as a :class:`Reading`."""
    started = time.monotonic()
    tsv = _run(["-l", languages, "--psm", str(psm), "tsv"], data, deadline)
    return reading_of(name, words_of(tsv), time.monotonic() - started)


def reading_of(name: str, words: list[Word], seconds: float) -> Reading:
    lines, confs, spans = _lines(words)
    flat = [c for cs in confs for c in cs]
    mean = float(np.mean(flat)) if flat else 0.0
    return Reading(name, "\n".join(lines), mean, len(lines), reading_score(lines, confs),
                   seconds, tuple(spans), tuple(words))


def words_of(tsv: str) -> list[Word]:
    """The words of tesseract's TSV output, in reading order (empty ones left out)."""
    out = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        try:
            out.append(Word((cols[1], cols[2], cols[3], cols[4]), cols[11].strip(), max(0.0, float(cols[10])),
                            int(cols[6]), int(cols[7]), int(cols[8]), int(cols[9])))
        except ValueError:
            continue
    return out


def _lines(words: list[Word]) -> tuple[list[str], list[list[float]], list[tuple[int, int]]]:
    """Lines of text, per line a confidence per character, and per line its (top, bottom).

    tesseract gives Thai as one "word" per cluster; words of a line are joined with a space only
    where the gap between their boxes is wider than a third of the line's height.
    """
    lines: list[str] = []
    confs: list[list[float]] = []
    spans: list[tuple[int, int]] = []
    line_key = None
    prev_right = line_height = 0
    for w in words:
        if w.line != line_key:
            lines.append(w.text)
            confs.append([])
            spans.append((w.top, w.top + w.height))
            line_height = w.height
        else:
            line_height = max(line_height, w.height)
            spans[-1] = (min(spans[-1][0], w.top), max(spans[-1][1], w.top + w.height))
            gap = " " if w.left - prev_right > 0.3 * max(line_height, 8) else ""
            lines[-1] += gap + w.text
        confs[-1].extend([w.conf] * len(w.text))
        line_key, prev_right = w.line, w.left + w.width
    return lines, confs, spans


_RE_WORDLIKE = re.compile(r"[A-Za-z]{3,}|[0-9]{2,}|[๐-๙]{2,}|[A-Za-z]+[.@][A-Za-z.]+")
LATIN_WEIGHT = 0.5  # a Latin word counts half a Thai dictionary word: stamps and rules read as Latin


def compose(text: str) -> str:
    """OCR text as a reader would type it: sara am composed (ํ + า → ำ, also across a space
    tesseract put between them), then :func:`core.thai_text.normalize` (mark order, NFC)."""
    return normalize(_RE_SPLIT_SARA_AM.sub(lambda m: m.group(1) + "\u0e33", text))


def line_value(line: str) -> float:
    """Characters of ``line`` that are text: Thai letters inside dictionary words of two or more
    letters (newmm), plus half the characters of Latin words and numbers.

    A row of a text line's marks read as a line of its own, the edge of a stamp, a ruled line
    read as ``_ — |`` are worth almost nothing; a line read whole is worth its length.
    """
    value = LATIN_WEIGHT * sum(len(m.group(0)) for m in _RE_WORDLIKE.finditer(line))
    if any("\u0e01" <= ch <= "\u0e4e" for ch in line):
        value += dictionary_chars(compose(line))
    return value


def line_weight(line: str) -> float:
    """0-1: the share of a line's visible characters that :func:`line_value` counts as text."""
    visible = sum(1 for ch in line if not ch.isspace())
    return min(1.0, line_value(line) / visible) if visible else 0.0


def reading_score(lines: list[str], confs: list[list[float]]) -> float:
    """How good a reading looks without the truth: Σ over lines of :func:`line_value` × (mean
    confidence / 100)². Dropped lines lose their words; junk adds little; a line tesseract
    doubts counts less."""
    total = 0.0
    for line, c in zip(lines, confs, strict=True):
        if c:
            total += line_value(line) * (float(np.mean(c)) / 100.0) ** 2
    return total


def orientation(grey: np.ndarray, deadline: float) -> tuple[int, float]:
    """Quarter turns (counter-clockwise) that make the page upright, and OSD's confidence."""
    cv2 = prep.opencv()
    h, w = grey.shape
    scale = min(1.0, 1600 / max(h, w))
    small = cv2.resize(grey, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    try:
        out = _run(["--psm", "0"], _png(small), deadline)
    except RuntimeError:  # "Too few characters": no verdict
        return 0, 0.0
    rot = _RE_ROTATE.search(out)
    conf = _RE_ORIENT_CONF.search(out)
    if rot is None:
        return 0, 0.0
    clockwise = int(rot.group(1)) % 360
    return (-clockwise // 90) % 4, float(conf.group(1)) if conf else 0.0


# --------------------------------------------------------------------------- the page


def prepare(grey: np.ndarray, deadline: float, steps: list[str]) -> tuple[np.ndarray, float | None, bool]:
    """The prepared picture, its text row pitch, and whether it is ruled (tables, rules).

    The picture stays grey (flattened, so tesseract's own Otsu threshold sees even paper): on
    the bench a grey page read better than our binarisation in 5 of 6 page kinds. The adaptive
    binary page only finds the rules and leaders, which are whited out of the grey one.
    """
    corners = prep.find_page(grey)
    if corners is not None:
        grey = prep.unwarp(grey, corners)
        steps.append("page unwarped")
    h, w = grey.shape
    if w > 1.15 * h:  # a portrait page photographed sideways (or a landscape page): ask OSD
        turns, conf = orientation(grey, deadline)
        if turns and conf >= 1.0:
            grey = prep.quarter_turns(grey, turns)
            steps.append(f"turned {90 * turns}°")
    grey = prep.flatten(grey)
    angle = prep.skew_angle(grey)
    if abs(angle) >= 0.1:
        grey = prep.rotate(grey, angle)
        steps.append(f"deskewed {angle:+.2f}°")
    if len(prep.text_bands(grey)) < FEW_ROWS:  # hardly any rows of text, upright: dust may join them
        grey, specks = prep.despeckle(grey)
        if specks:
            steps.append(f"{specks} specks removed")
    pitch = prep.line_pitch(grey)
    grey, factor = prep.scale_for_ocr(grey, prep.row_period(grey), pitch)
    if factor != 1:
        steps.append(f"scaled ×{factor:.2f}")
        pitch = pitch * factor if pitch else None
    gone, removed = prep.rules_mask(grey, pitch)
    ruled = removed > 0.002 * grey.size
    if removed:
        grey = prep.white_out(grey, gone)
        steps.append("rules and leaders removed")
    return grey, pitch, ruled


def ocr_page(original: bytes, deadline: float, grey: np.ndarray | None = None,
             thorough: bool = False) -> PageText:
    """OCR one page picture. ``original`` is the encoded picture tesseract alone would read;
    ``grey`` the decoded pixels if the caller has them already; ``thorough`` reads bare
    tesseract and psm 4 too whatever the first reading looks like (the benchmark's check of
    the rule). Problems are recorded, not raised.

    Raises :class:`OcrUnavailable` when tesseract with Thai is not installed.
    """
    if tesseract_path() is None:
        raise OcrUnavailable("tesseract with Thai (tesseract-ocr-tha) is not installed")
    result = PageText()
    readings: list[Reading] = []
    data = prepared = None
    try:
        if grey is None:
            grey = prep.decode(original)
        prepared, _pitch, _ruled = prepare(grey, deadline, result.steps)
        data = _png(prepared)
        first = read("prepared psm 6", data, 6, deadline)
        readings.append(first)
        result.coverage = coverage(first, prep.text_bands(prepared))
    except (TimeoutError, RuntimeError, ValueError) as exc:
        result.problems.append(f"OCR: {exc}")
    except MemoryError:
        result.problems.append("OCR: not enough memory for this picture")
    if thorough or not readings or not sound(readings[0], result.coverage):
        result.safety_net = True
        wanted = ("bare", "prepared psm 4") if thorough else net_readings(readings[0] if readings else None,
                                                                          result.coverage)
        readings.extend(_safety_net(original, data if "prepared psm 4" in wanted else None, deadline,
                                    result.problems))
    result.readings = readings
    if not readings:
        return result
    if any(r.text for r in readings):
        result.problems.clear()  # one reading failed, another read the page: nothing to report
    best = max(readings, key=lambda r: r.score)
    if prepared is not None and best.name.startswith("prepared"):
        try:
            best, reread = reread_in_thai(best, prepared, deadline)
        except (TimeoutError, RuntimeError, ValueError):
            reread = 0  # the first reading stands
        if reread:
            result.steps.append(f"{reread} Latin-looking words read again in Thai")
        best, redrawn = digits_by_shape(best, prepared, deadline)
        if redrawn:
            result.steps.append(f"{redrawn} Thai digits read again by their shape")
    text, n = correct(compose(best.text))
    result.text, result.chosen, result.confidence, result.corrections = text, best.name, best.mean_confidence, n
    if best.name != "bare" and result.steps:
        result.chosen += ", " + ", ".join(result.steps)
    log.debug("OCR readings: %s (coverage %s)", ", ".join(
        f"{r.name} {r.score:.0f} ({r.seconds:.1f} s)" for r in readings), result.coverage)
    return result


def net_readings(first: Reading | None, cover: float | None) -> tuple[str, ...]:
    """The readings the safety net adds to a first reading that is not :func:`sound`: bare
    tesseract always (the anchor to beat); ``--psm 4`` on the prepared page too when rows of
    text were left unread or nothing was read (a column of lines of any size may find them). A
    reading that covers the rows and only doubts its words costs one more run, not two."""
    if first is None or not first.text.strip() or (cover is not None and cover < SOUND_COVERAGE):
        return ("bare", "prepared psm 4")
    return ("bare",)


def _safety_net(original: bytes, data: bytes | None, deadline: float, problems: list[str]) -> list[Reading]:
    """Bare tesseract on the picture as given and, when a prepared page is given, ``--psm 4``
    on it, in two tesseract processes at once (one reading of wall time on two cores)."""
    out: list[Reading] = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ocr-bare") as pool:
        bare = pool.submit(read, "bare", original, 3, deadline)
        if data is not None:
            try:
                out.append(read("prepared psm 4", data, 4, deadline))
            except (TimeoutError, RuntimeError) as exc:
                problems.append(f"OCR (psm 4): {exc}")
        try:
            out.insert(0, bare.result())
        except (TimeoutError, RuntimeError, ValueError) as exc:
            problems.append(f"OCR (bare): {exc}")
    return out


def coverage(reading: Reading, bands: list[tuple[int, int, int]]) -> float | None:
    """Share of the ink of the page's text rows (``(top, bottom, ink)``, from
    :func:`parsers.ocr_preprocess.text_bands`) inside rows a line of ``reading`` overlaps by at
    least a third of the row's height; None when the page has no text rows."""
    total = sum(ink for _, _, ink in bands)
    if not total:
        return None
    covered = 0
    for top, bottom, ink in bands:
        need = max(1, (bottom - top) / 3)
        if any(min(bottom, b) - max(top, t) >= need for t, b in reading.spans):
            covered += ink
    return covered / total


def sound(reading: Reading, cover: float | None) -> bool:
    """A prepared reading that may be kept without the safety net: tesseract is sure of its
    words and its lines cover the page's text rows."""
    if not reading.text.strip() or reading.mean_confidence < SOUND_CONFIDENCE:
        return False
    return cover is None or cover >= SOUND_COVERAGE


def digits_by_shape(reading: Reading, picture: np.ndarray, deadline: float | None = None) -> tuple[Reading, int]:
    """``reading`` with the Thai digits whose ink on ``picture`` is plainly another digit
    replaced (:mod:`parsers.thai_digits`), and how many words changed."""
    changed = thai_digits.reread_digits(list(reading.words), picture, deadline)
    if not changed:
        return reading, 0
    words = [Word(w.line, changed[i], w.conf, w.left, w.top, w.width, w.height) if i in changed else w
             for i, w in enumerate(reading.words)]
    return reading_of(reading.name, words, reading.seconds), len(changed)


# --------------------------------------------------------------------------- Latin junk in Thai lines

_THAI_LETTER = re.compile("[\u0e01-\u0e4e]")
_THAI = re.compile("[\u0e01-\u0e4e\u0e50-\u0e59]")
_LATIN_OR_SYMBOL = re.compile("[A-Za-z@©®«»&$%#|~^*]")
_SYMBOLS_ONLY = re.compile("^[@©®«»&$%#|~^*]+$")


def suspicious(words: tuple[Word, ...] | list[Word], i: int) -> bool:
    """Whether ``words[i]`` is a word of a Thai line that tesseract's English model took for
    Latin letters or symbols (``fl`` for ที่, ``INS.`` for โทร., ``@`` for ๑): no Thai letter,
    some Latin letter or symbol, in a line with Thai, and tesseract doubts it (confidence under
    :data:`REREAD_BELOW`, or symbols only; beside one Latin word, under
    :data:`REREAD_BESIDE_LATIN_BELOW`). Latin words of five letters or more, words inside Latin phrases (Tambon Smart Team: confident Latin
    words on both sides), words read with confidence and Latin lines are left alone."""
    word = words[i]
    if _THAI_LETTER.search(word.text) or not _LATIN_OR_SYMBOL.search(word.text):
        return False
    if re.search("[A-Za-z]{5,}", word.text):
        return False  # a Latin word of five letters or more is a word (Tambon, Smart): junk is short
    line = [w for w in words if w.line == word.line]
    if sum(1 for w in line if _THAI.search(w.text)) < 2:
        return False  # a Thai line: two words or more with Thai letters or digits (ที่ any/๒๕๕๖)
    k = next(j for j, w in enumerate(line) if w is word)
    beside = line[max(0, k - 1):k] + line[k + 1:k + 2]
    latin_beside = sum(1 for w in beside if re.search("[A-Za-z]{2,}", w.text) and not _THAI_LETTER.search(w.text)
                       and w.conf >= REREAD_BELOW)  # a confident Latin word: doubted junk beside junk counts not
    if latin_beside == len(beside) or latin_beside == 2:
        return False  # inside a Latin phrase
    if latin_beside:  # at the edge of one (``Team) lagi``): only a word tesseract strongly doubts
        return word.conf < REREAD_BESIDE_LATIN_BELOW
    return word.conf < REREAD_BELOW or bool(_SYMBOLS_ONLY.match(word.text))


def reread_in_thai(reading: Reading, picture: np.ndarray, deadline: float) -> tuple[Reading, int]:
    """``reading`` with its :func:`suspicious` words read again with the Thai model alone, and
    how many were replaced. The words' boxes (the height of their line, with a margin) are cut
    out of ``picture`` and stacked in one strip, so this is one short tesseract run; a word's new
    reading replaces the old one only when it has Thai (letters or digits) and tesseract is
    surer of it (at least :data:`MIN_REREAD_CONFIDENCE`)."""
    spans: dict[tuple[str, str, str, str], tuple[int, int]] = {}
    for w in reading.words:
        top, bottom = spans.get(w.line, (w.top, w.top + w.height))
        spans[w.line] = (min(top, w.top), max(bottom, w.top + w.height))
    chosen = [i for i in range(len(reading.words)) if suspicious(reading.words, i)]
    if not chosen:
        return reading, 0
    h_img, w_img = picture.shape
    crops, places, own = [], [], []
    for i in chosen:
        w = reading.words[i]
        top, bottom = spans[w.line]
        pad = max(4, (bottom - top) // 4)
        left, right = max(0, w.left - pad), min(w_img, w.left + w.width + pad)
        # tesseract's box of a Thai "word" may reach over its neighbours: stop at theirs
        before = reading.words[i - 1] if i and reading.words[i - 1].line == w.line else None
        after = reading.words[i + 1] if i + 1 < len(reading.words) and reading.words[i + 1].line == w.line else None
        if before is not None and before.left + before.width < w.left + w.width // 2:
            left = max(left, before.left + before.width)
        if after is not None and after.left > w.left + w.width // 4:
            right = min(right, after.left)
        crops.append(picture[max(0, top - pad):min(h_img, bottom + pad), left:max(left + 1, right)])
        own.append((w.left - left - pad // 4, w.left + w.width - left + pad // 4))  # the word's own box in the crop
    gap = max(c.shape[0] for c in crops)
    width = max(c.shape[1] for c in crops) + 2 * gap
    height = sum(c.shape[0] for c in crops) + gap * (len(crops) + 1)
    strip = np.full((height, width), 255, dtype=np.uint8)
    y = gap
    for crop in crops:
        strip[y:y + crop.shape[0], gap:gap + crop.shape[1]] = crop
        places.append((y, y + crop.shape[0]))
        y += crop.shape[0] + gap
    again = words_of(_run(["-l", "tha", "--psm", "6", "tsv"], _png(strip), deadline))
    words = list(reading.words)
    replaced = 0
    for i, (top, bottom), (x0, x1) in zip(chosen, places, own, strict=True):
        # what lies in the margin round the word's box is a neighbour's edge (``|เพ.ศ.!``)
        found = [w for w in again if top <= w.top + w.height / 2 <= bottom
                 and gap + x0 <= w.left + w.width / 2 <= gap + x1]
        text = "".join(w.text for w in found)
        conf = float(np.mean([w.conf for w in found])) if found else 0.0
        if len(text) > max(4, 2 * len(words[i].text)):
            continue  # more than the box held: a neighbour's letters came with it
        if _THAI_LETTER.search(text) or re.search("[\u0e50-\u0e59]", text):
            if conf >= MIN_REREAD_CONFIDENCE and (conf >= words[i].conf or _SYMBOLS_ONLY.match(words[i].text)):
                words[i] = Word(words[i].line, text, conf, words[i].left, words[i].top, words[i].width, words[i].height)
                replaced += 1
    if not replaced:
        return reading, 0
    return reading_of(reading.name, words, reading.seconds), replaced
