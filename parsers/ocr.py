"""Thai OCR of one page picture with tesseract (``-l tha+eng``), never worse than tesseract alone.

:func:`ocr_page` reads the page two ways and keeps the better reading:

* **bare** - the picture exactly as given, ``tesseract -l tha+eng`` (the anchor to beat);
* **prepared** - :mod:`parsers.ocr_preprocess`: the page cut out of a photo and unwarped,
  quarter turn from tesseract's OSD when the page lies sideways, light flattened, deskewed,
  small text upscaled, ruled lines and dotted leaders (found on an adaptive binarisation)
  whited out; read as one block of text (``--psm 6``).

When the better reading is still weak (low word confidence, or far fewer text lines than the
page's row pitch promises) the prepared picture is read once more with ``--psm 4`` (a
column of lines of varying size). Readings are compared by :func:`reading_score`: word confidences weighted by how much
of the Thai is dictionary words. Every word tesseract returns is kept, whatever its
confidence. The chosen text is then normalised (sara am composed, marks ordered) and
corrected by :mod:`parsers.ocr_correct`.

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
from areaplan.parsers.ocr_correct import correct, dictionary_chars

log = logging.getLogger(__name__)

LANGUAGES = "tha+eng"
WEAK_CONFIDENCE = 70.0  # mean word confidence below this: try another segmentation mode
MIN_ROWS_SHARE = 0.6  # fewer lines than this share of the rows the pitch predicts: retry
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


def read(name: str, data: bytes, psm: int, deadline: float) -> Reading:
    """One tesseract run on an encoded picture (TSV output), as a :class:`Reading`."""
    started = time.monotonic()
    tsv = _run(["-l", LANGUAGES, "--psm", str(psm), "tsv"], data, deadline)
    lines, confs = _from_tsv(tsv)
    flat = [c for cs in confs for c in cs]
    mean = float(np.mean(flat)) if flat else 0.0
    return Reading(name, "\n".join(lines), mean, len(lines), reading_score(lines, confs),
                   time.monotonic() - started)


def _from_tsv(tsv: str) -> tuple[list[str], list[list[float]]]:
    """Lines of text and, per line, a confidence per character, from tesseract's TSV.

    tesseract gives Thai as one "word" per cluster; words of a line are joined with a space only
    where the gap between their boxes is wider than a third of the line's height.
    """
    lines: list[str] = []
    confs: list[list[float]] = []
    line_key = None
    prev_right = line_height = 0
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        word = cols[11].strip()
        if not word:
            continue
        key = (cols[1], cols[2], cols[3], cols[4])
        try:
            left, width, height = int(cols[6]), int(cols[8]), int(cols[9])
            conf = max(0.0, float(cols[10]))
        except ValueError:
            continue
        if key != line_key:
            lines.append(word)
            confs.append([])
            line_height = height
        else:
            line_height = max(line_height, height)
            gap = " " if left - prev_right > 0.3 * max(line_height, 8) else ""
            lines[-1] += gap + word
        confs[-1].extend([conf] * len(word))
        line_key, prev_right = key, left + width
    return lines, confs


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
    pitch = prep.line_pitch(grey)
    grey, factor = prep.scale_for_ocr(grey, pitch)
    if factor != 1:
        steps.append(f"scaled ×{factor:.2f}")
        pitch = pitch * factor if pitch else None
    gone, removed = prep.rules_mask(grey, pitch)
    ruled = removed > 0.002 * grey.size
    if removed:
        grey = prep.white_out(grey, gone)
        steps.append("rules and leaders removed")
    return grey, pitch, ruled


def ocr_page(original: bytes, deadline: float, grey: np.ndarray | None = None) -> PageText:
    """OCR one page picture. ``original`` is the encoded picture tesseract alone would read;
    ``grey`` the decoded pixels if the caller has them already. Problems are recorded, not raised.

    The bare reading runs in its own tesseract process while the page is prepared and read,
    so a page costs about one reading of wall time more than bare tesseract when a second
    core is free (and two readings of CPU).

    Raises :class:`OcrUnavailable` when tesseract with Thai is not installed.
    """
    if tesseract_path() is None:
        raise OcrUnavailable("tesseract with Thai (tesseract-ocr-tha) is not installed")
    result = PageText()
    readings: list[Reading] = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ocr-bare") as pool:
        bare = pool.submit(read, "bare", original, 3, deadline)
        try:
            if grey is None:
                grey = prep.decode(original)
            prepared, pitch, _ruled = prepare(grey, deadline, result.steps)
            data = _png(prepared)
            readings.append(read("prepared psm 6", data, 6, deadline))
        except (TimeoutError, RuntimeError, ValueError) as exc:
            result.problems.append(f"OCR: {exc}")
            prepared = data = None
        except MemoryError:
            result.problems.append("OCR: not enough memory for this picture")
            prepared = data = None
        try:
            readings.append(bare.result())
        except (TimeoutError, RuntimeError, ValueError) as exc:
            result.problems.append(f"OCR (bare): {exc}")
    if readings and data is not None and _weak(max(readings, key=lambda r: r.score), prepared, pitch):
        try:
            readings.append(read("prepared psm 4", data, 4, deadline))
        except (TimeoutError, RuntimeError) as exc:
            result.problems.append(f"OCR (retry): {exc}")
    result.readings = readings
    if not readings:
        return result
    if any(r.text for r in readings):
        result.problems.clear()  # one reading failed, another read the page: nothing to report
    best = max(readings, key=lambda r: r.score)
    text, n = correct(compose(best.text))
    result.text, result.chosen, result.confidence, result.corrections = text, best.name, best.mean_confidence, n
    if best.name != "bare" and result.steps:
        result.chosen += ", " + ", ".join(result.steps)
    log.debug("OCR readings: %s", ", ".join(f"{r.name} {r.score:.0f} ({r.seconds:.1f} s)" for r in readings))
    return result


def _weak(best: Reading, prepared: np.ndarray, pitch: float | None) -> bool:
    """A reading worth retrying in another segmentation mode: tesseract doubts it, or it has far
    fewer lines than the page's rows (a block of text lost)."""
    expected_rows = prepared.shape[0] * 0.8 / pitch if pitch else 0
    return best.mean_confidence < WEAK_CONFIDENCE or best.lines < MIN_ROWS_SHARE * 0.5 * expected_rows
