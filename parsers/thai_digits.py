"""Thai digits read again by their shape, where tesseract's Thai model confuses them.

tesseract reads TH Sarabun's ๖ as ๒ or ๐, ๔ ๘ ๙ as ๕, ๗ as ๓: on the real pages of the
benchmark more than half of all OCR errors were digits, so years (๒๕๖๒ read ๒๕๒๒), order
numbers and dates came out wrong while the letters round them were right. The shapes are not
alike at all to the eye: a Thai digit is one stroke, and ๔ and ๕ differ by the tail a reader
sees at once. So every run of digits tesseract reads in a line is looked at again:

1. the ink of the run's place on the page (its words' boxes, widened by half a digit each side:
   tesseract's boxes of Thai characters are a character off at times) is cut out and split
   into connected pieces;
2. each piece is compared with the digits ๐-๙ drawn in eleven Thai fonts
   (``digit_glyphs/thai_digits.npz``, written by ``scripts/make_digit_glyphs.py``): the piece
   is cut to its ink, centred in a square, reduced to 24×24 and blurred, and its correlation
   with each drawing, less a penalty for a different height-to-width ratio, is its similarity;
3. the pieces that look like digits (:data:`DIGIT_LIKE`) are paired in order with the digits
   tesseract read, by an edit distance that also weighs where tesseract put each one (so a
   digit it read twice or missed does not shift the others; a piece farther than
   :data:`FARTHEST` digit heights is not paired), and a digit is replaced only when its piece
   is very like another digit (:data:`MIN_SIMILARITY`) and clearly more like it than like any
   other (:data:`MIN_MARGIN`). Digits are replaced, never added or deleted.

Pieces that are broken, touching or not there (a scan's 1-bit noise, a stamp over the date)
leave tesseract's reading as it is: this can only change a digit it sees plainly. Arabic
digits are changed only inside a run that has Thai digits too (``๒9`` for ๒๙); a number
written in Arabic digits is left alone.
"""

from __future__ import annotations

import functools
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

DIGITS = "๐๑๒๓๔๕๖๗๘๙"
SIZE = 24  # side of the square a digit's shape is reduced to
MIN_SIMILARITY = 0.85  # a digit is replaced only when its shape is this like another digit's (real TH Sarabun: ≥ 0.92, a 1-bit scan 0.86-0.96)
MIN_MARGIN = 0.10  # ... and this much more like it than like any other digit (real pages: 95 % of digits ≥ 0.13)
FARTHEST = 0.8  # a piece farther than this many digit heights from where tesseract read a digit is not that digit
DIGIT_LIKE = 0.80  # a piece of ink this like some digit counts as a digit when pairing pieces with characters
TOUCHING = 1.3  # a piece this many times wider than tall may be two digits touching (or a slash and a digit)
LONGEST_RUN = 40  # digits in a run looked at (a date, an order or phone number; not a table of figures read as one line)
ASPECT_WEIGHT = 0.5  # similarity lost per unit of |log(height/width)| difference
GLYPHS = Path(__file__).with_name("digit_glyphs") / "thai_digits.npz"
_RUN = re.compile(f"[0-9{DIGITS}]+")


class Boxed(Protocol):
    """A word of a tesseract reading: its text, line key and box (``parsers.ocr.Word``)."""

    line: tuple
    text: str
    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True)
class Guess:
    digit: str
    similarity: float
    margin: float


def shape_of(ink: np.ndarray) -> tuple[np.ndarray, float]:
    """A piece of ink (boolean mask) as a :data:`SIZE`² grey square (0-1) and log(height/width)."""
    import cv2

    ys, xs = np.nonzero(ink)
    if not len(ys):
        raise ValueError("no ink")
    cut = ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1].astype(np.float32)
    h, w = cut.shape
    side = max(h, w)
    square = np.zeros((side, side), np.float32)
    square[(side - h) // 2:(side - h) // 2 + h, (side - w) // 2:(side - w) // 2 + w] = cut
    return cv2.resize(square, (SIZE, SIZE), interpolation=cv2.INTER_AREA), float(np.log(h / w))


def _feature(square: np.ndarray) -> np.ndarray:
    import cv2

    f = cv2.GaussianBlur(square.astype(np.float32), (0, 0), 1.0).ravel()
    f = f - f.mean()
    return f / (np.linalg.norm(f) + 1e-9)


@functools.cache
def _templates() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The drawings' features and log aspects, sorted by digit, and where each digit's start."""
    with np.load(GLYPHS) as z:
        shapes, aspects, labels = z["shapes"], z["aspects"], z["labels"]
    order = np.argsort(labels, kind="stable")
    features = np.stack([_feature(shapes[i].astype(np.float32) / 255.0) for i in order])
    starts = np.searchsorted(labels[order], np.arange(len(DIGITS)))
    return features, aspects[order].astype(np.float32), starts


def classify_all(pieces: list[np.ndarray]) -> list[Guess]:
    """:func:`classify` of several pieces at once (one matrix product)."""
    if not pieces:
        return []
    features, aspects, starts = _templates()
    shapes = [shape_of(p) for p in pieces]
    mine = np.stack([_feature(sq) for sq, _ in shapes])
    sim = mine @ features.T - ASPECT_WEIGHT * np.abs(aspects[None, :] - np.array([a for _, a in shapes])[:, None])
    best = np.maximum.reduceat(sim, starts, axis=1)
    out = []
    for row in best:
        first, second = np.argsort(-row)[:2]
        out.append(Guess(DIGITS[first], float(row[first]), float(row[first] - row[second])))
    return out


def classify(ink: np.ndarray) -> Guess:
    """The digit a piece of ink looks most like, how much (best drawing's similarity), and
    by how much more than the next digit."""
    return classify_all([ink])[0]


def _runs(words: list[Boxed]) -> list[list[int]]:
    """Indexes of consecutive words of a line that are all digits, with a Thai digit among them."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, w in enumerate(words):
        if _RUN.fullmatch(w.text) and (not current or words[current[-1]].line == w.line):
            current.append(i)
            continue
        if current:
            runs.append(current)
        current = [i] if _RUN.fullmatch(w.text) else []
    if current:
        runs.append(current)
    return [r for r in runs if any(ch in DIGITS for i in r for ch in words[i].text)]


def _pieces(picture: np.ndarray, words: list[Boxed], run: list[int]) -> list[tuple[float, Guess]]:
    """The digit-like pieces of ink at a run's place, left to right, with their middles (x)."""
    import cv2

    heights = sorted(words[i].height for i in run)
    h = max(8, heights[len(heights) // 2])
    top = min(words[i].top for i in run) - h // 5
    bottom = max(words[i].top + words[i].height for i in run) + h // 5
    left = min(words[i].left for i in run) - h // 2
    right = max(words[i].left + words[i].width for i in run) + h // 2
    y0, x0 = max(0, top - h), max(0, left - h)  # cut wider than the place: pieces reaching out stay whole
    cut = picture[y0:min(picture.shape[0], bottom + h), x0:min(picture.shape[1], right + h)]
    if cut.size == 0 or int(cut.max()) - int(cut.min()) < 40:
        return []
    _, ink = cv2.threshold(cut, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, labels, stats, centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    found = []
    for k in range(1, n):
        cx, cy = centres[k][0] + x0, centres[k][1] + y0
        ph = stats[k, cv2.CC_STAT_HEIGHT]
        if not (left <= cx <= right and top <= cy <= bottom) or ph < h / 3 or stats[k, cv2.CC_STAT_AREA] < 12:
            continue
        x, y, w_, h_ = (stats[k, c] for c in (cv2.CC_STAT_LEFT, cv2.CC_STAT_TOP, cv2.CC_STAT_WIDTH, cv2.CC_STAT_HEIGHT))
        piece = labels[y:y + h_, x:x + w_] == k
        guess = classify(piece)
        if guess.similarity >= DIGIT_LIKE:
            found.append((cx, guess))
            continue
        if w_ >= TOUCHING * h_:
            found += [(x0 + x + w_ * (k_ + 1) / 3, g) for k_, g in enumerate(_split(piece))]
    return sorted(found, key=lambda p: p[0])


def _split(piece: np.ndarray) -> list[Guess]:
    """The digits in a piece too wide for one (two digits touching in bold print or a dark
    scan, a slash joined to a digit): the cut between 30 % and 70 % of its width after which
    most halves look like digits, and those most alike; the halves that look like digits."""
    w = piece.shape[1]
    cuts = [c for c in range(int(0.3 * w), int(0.7 * w) + 1, max(1, w // 24))
            if piece[:, :c].any() and piece[:, c:].any()]
    if not cuts:
        return []
    guesses = classify_all([half for c in cuts for half in (piece[:, :c], piece[:, c:])])
    best: tuple[int, float, list[Guess]] = (0, 0.0, [])
    for k in range(len(cuts)):
        digits = [g for g in guesses[2 * k:2 * k + 2] if g.similarity >= DIGIT_LIKE]
        key = (len(digits), min((g.similarity for g in digits), default=0.0))
        if key > best[:2]:
            best = (*key, digits)
    return best[2]


def _pair(chars: list[tuple[str, float]], pieces: list[tuple[float, Guess]], h: float) -> list[tuple[int, float, Guess]]:
    """tesseract's characters of a run (each with the middle of its share of its word's box)
    paired in order with the pieces of ink found there: an edit distance where a piece costs
    nothing for the digit tesseract read, 0.6 for another one, plus up to 0.4 for being a
    digit's height or more from where tesseract put it, and a character or piece left over
    costs 0.5; so a digit tesseract read twice or missed does not shift the others."""
    n, m = len(chars), len(pieces)

    def pairing(i: int, j: int) -> float:
        (ch, x), (cx, guess) = chars[i], pieces[j]
        return (0.0 if ch == guess.digit else 0.6) + min(0.4, 0.4 * abs(x - cx) / h)

    cost = np.zeros((n + 1, m + 1))
    cost[:, 0] = 0.5 * np.arange(n + 1)
    cost[0, :] = 0.5 * np.arange(m + 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i, j] = min(cost[i - 1, j - 1] + pairing(i - 1, j - 1), cost[i - 1, j] + 0.5, cost[i, j - 1] + 0.5)
    pairs = []
    i, j = n, m
    while i and j:
        if np.isclose(cost[i, j], cost[i - 1, j - 1] + pairing(i - 1, j - 1)):
            pairs.append((i - 1, *pieces[j - 1]))
            i, j = i - 1, j - 1
        elif np.isclose(cost[i, j], cost[i - 1, j] + 0.5):
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def reread_digits(words: list[Boxed], picture: np.ndarray, deadline: float | None = None) -> dict[int, str]:
    """New texts for words (by index) whose digits the page's ink shows to be other digits;
    runs not reached by ``deadline`` (``time.monotonic()``) stay as tesseract read them."""
    changed: dict[int, str] = {}
    for run in _runs(words):
        chars = [(i, j) for i in run for j in range(len(words[i].text))]
        if len(chars) > LONGEST_RUN or (deadline is not None and time.monotonic() > deadline):
            continue
        pieces = _pieces(picture, words, run)
        texts = {i: list(words[i].text) for i in run}
        places = [(ch, words[i].left + words[i].width * (j + 0.5) / len(words[i].text))
                  for i in run for j, ch in enumerate(words[i].text)]
        height = sorted(words[i].height for i in run)[len(run) // 2]
        pairs = _pair(places, pieces, max(8, height))
        near = [(k, g) for k, x, g in pairs if abs(x - places[k][1]) <= FARTHEST * height]  # farther: a neighbour's
        for k, guess in near:
            i, j = chars[k]
            if guess.digit != texts[i][j] and guess.similarity >= MIN_SIMILARITY and guess.margin >= MIN_MARGIN:
                texts[i][j] = guess.digit
        for i in run:
            if "".join(texts[i]) != words[i].text:
                changed[i] = "".join(texts[i])
    return changed
