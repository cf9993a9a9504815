"""Make a picture of a page readable for Thai OCR (OpenCV, numpy): what tesseract cannot do itself.

Each step is a small function on a greyscale ``numpy`` array (uint8, white paper):

* :func:`decode` - bytes to grey pixels within a pixel budget (EXIF orientation applied;
  HEIC through pillow-heif; JPEGs decoded at reduced size by the DCT when that is enough).
* :func:`find_page` / :func:`unwarp` - the page photographed on a table: the largest
  four-cornered contour, warped to a flat rectangle.
* :func:`flatten` - shadows and uneven light divided out (background estimated by a large
  morphological closing on a reduced copy).
* :func:`skew_angle` / :func:`rotate` - deskew by the angle whose row profile is sharpest.
* :func:`scale_for_ocr` - small text (a screenshot, a page photographed from afar) upscaled so
  its lines are as far apart as 16 pt print at 300 dpi.
* :func:`binarise` - adaptive (local mean) threshold that survives what flattening left.
* :func:`remove_rules`, :func:`rules_mask`, :func:`white_out` - ruled table lines and dotted
  leaders found on a (half-size) binary copy and whited out of the grey page.
* :func:`looks_like_document` - cheap test, on a ~800 px copy, whether a photo shows a page of
  text at all (rows of letter-sized marks on bright low-saturation paper).

Nothing here runs tesseract (that is :mod:`parsers.ocr`).
"""

from __future__ import annotations

import io
import logging
import math
from dataclasses import dataclass

import numpy as np

from areaplan.parsers.heif import ensure_heif_opener

log = logging.getLogger(__name__)

MAX_OCR_PIXELS = 16_000_000  # a picture is OCR'd at most this large (A4 at 400 dpi; a 48 MP photo is reduced)
TARGET_LINE_PX = 75  # line-to-line distance small text is upscaled to: TH Sarabun 16 pt at 300 dpi
MIN_LINE_PX = 40  # lines closer than this (a 96 dpi screenshot: ~25; a 200 dpi scan is ~50) are upscaled
MIN_ROW_REPEAT = 0.2  # autocorrelation a line-to-line distance must reach to count (text pages: 0.5-0.8)
MAX_LINE_PX = 160  # above it (a poster-size page) reduced
MAX_UPSCALE = 2.0
MIN_SPECKS = 1000  # fewer specks than this: the page is left as it is
TALLEST_TEXT_ROW = 2.5  # a band of ink taller than this many typical rows is not a text row


def opencv():
    """The cv2 module, set to one thread (imported on first use: OpenCV is heavy)."""
    import cv2

    cv2.setNumThreads(1)  # the machine is shared; tesseract runs beside us
    return cv2


# --------------------------------------------------------------------------- decoding


def decode(data: bytes, max_pixels: int = MAX_OCR_PIXELS, reduce_to: int | None = None) -> np.ndarray:
    """Grey pixels of an image file, EXIF orientation applied; ``reduce_to`` caps the long side.

    Raises ``ValueError`` when the bytes are not an image Pillow can decode.
    """
    from PIL import Image, ImageOps


    ensure_heif_opener()
    try:
        im = Image.open(io.BytesIO(data))
        if reduce_to and im.format == "JPEG":
            im.draft("L", (reduce_to, reduce_to))  # DCT-domain scaling: fast and small
        w, h = im.size
        if w * h > 2 * max_pixels:  # images.py refuses bombs; this is belt and braces
            raise ValueError(f"image of {w}×{h} pixels is too large to OCR")
        im = ImageOps.exif_transpose(im)
        if im.mode in ("RGBA", "LA", "P", "PA"):
            im = im.convert("RGBA")
            white = Image.new("RGBA", im.size, (255, 255, 255, 255))
            im = Image.alpha_composite(white, im)
        grey = im.convert("L")
    except (OSError, SyntaxError, EOFError) as exc:
        raise ValueError(f"not a decodable image ({exc})") from None
    long_side = max(grey.size)
    limit = reduce_to or long_side
    scale = min(1.0, limit / long_side, math.sqrt(max_pixels / (grey.width * grey.height)))
    if scale < 1.0:
        grey = grey.resize((max(1, round(grey.width * scale)), max(1, round(grey.height * scale))),
                           Image.Resampling.LANCZOS if scale > 0.3 else Image.Resampling.BILINEAR)
    return np.asarray(grey, dtype=np.uint8)


def _small_copy(data: bytes, side: int) -> tuple[np.ndarray, float]:
    """A grey copy about ``side`` pixels long (one decode, JPEG scaled in the DCT) and the mean
    HSV saturation (0-1) of the picture: paper and ink are grey, fields and crowds are not."""
    from PIL import Image, ImageOps

    cv2 = opencv()
    ensure_heif_opener()
    try:
        im = Image.open(io.BytesIO(data))
        if im.format == "JPEG":
            im.draft("RGB", (side, side))
        rgb = np.asarray(ImageOps.exif_transpose(im).convert("RGB"))
    except (OSError, SyntaxError, EOFError) as exc:
        raise ValueError(f"not a decodable image ({exc})") from None
    h, w = rgb.shape[:2]
    if max(h, w) > 1.4 * side:
        f = side / max(h, w)
        rgb = cv2.resize(rgb, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)
    step = max(1, max(rgb.shape[:2]) // 200)
    hsv = cv2.cvtColor(np.ascontiguousarray(rgb[::step, ::step]), cv2.COLOR_RGB2HSV)
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), float(hsv[..., 1].mean() / 255.0)


# --------------------------------------------------------------------------- the page in a photo


def find_page(grey: np.ndarray) -> np.ndarray | None:
    """Corners (4×2, clockwise from top-left) of a paper page lying on a darker surface, or None.

    The page must cover 20-97 % of the picture: a scan (page = whole picture) returns None.
    """
    cv2 = opencv()
    h, w = grey.shape
    scale = 800 / max(h, w)
    small = cv2.resize(grey, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    blur = cv2.GaussianBlur(small, (5, 5), 0)
    _, bright = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    area = small.shape[0] * small.shape[1]
    best = None
    for c in sorted(contours, key=cv2.contourArea, reverse=True)[:3]:
        a = cv2.contourArea(c)
        if not 0.2 * area <= a <= 0.97 * area:
            continue
        hull = cv2.convexHull(c)
        peri = cv2.arcLength(hull, True)
        for eps in (0.02, 0.03, 0.05):
            approx = cv2.approxPolyDP(hull, eps * peri, True)
            if len(approx) == 4 and _page_like(approx.reshape(4, 2).astype(np.float32), a):
                best = approx.reshape(4, 2).astype(np.float32) / scale
                break
        if best is not None:
            break
    if best is None:
        return None
    return _order_corners(best)


def _page_like(quad: np.ndarray, contour_area: float) -> bool:
    """A sheet seen at an angle: corners of 60-120°, and the bright region fills the quadrilateral
    (a page merged with a bright patch of table makes a quadrilateral the region does not fill)."""
    cv2 = opencv()
    q = _order_corners(quad)
    quad_area = cv2.contourArea(q)
    if quad_area <= 0 or not 0.9 <= contour_area / quad_area <= 1.1:
        return False
    for k in range(4):
        a, b, c = q[k - 1], q[k], q[(k + 1) % 4]
        u, v = a - b, c - b
        cos = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v) + 1e-9))
        if abs(cos) > 0.5:  # outside 60-120°
            return False
    return True


def _order_corners(pts: np.ndarray) -> np.ndarray:
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], np.float32)


def unwarp(grey: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """The quadrilateral ``corners`` warped to an upright rectangle of the same size."""
    cv2 = opencv()
    tl, tr, br, bl = corners
    width = round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    dst = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    m = cv2.getPerspectiveTransform(corners, dst)
    return cv2.warpPerspective(grey, m, (width, height), flags=cv2.INTER_CUBIC, borderValue=255)


# --------------------------------------------------------------------------- light, skew, size


def flatten(grey: np.ndarray) -> np.ndarray:
    """Divide out the paper's brightness (shadow, vignetting): paper ~255, ink keeps its contrast."""
    cv2 = opencv()
    h, w = grey.shape
    scale = 600 / max(h, w)
    small = cv2.resize(grey, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    k = max(7, round(max(small.shape) / 40) | 1)
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    bg = cv2.GaussianBlur(bg, (0, 0), k / 2)
    bg = np.maximum(cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR), 1)
    return cv2.divide(grey, bg, scale=255)  # uint8 all the way: no float copy of a large page


def despeckle(grey: np.ndarray) -> tuple[np.ndarray, int]:
    """Salt-and-pepper specks of a dusty or noisy scan whited out; (image, specks removed).

    A speck is a dark component of at most (letter height / 8)² pixels (letter height: the
    median height of the page's components 8 px or taller), far smaller than a tone mark or a
    full stop of the same text, and more than a third of a letter height away from any letter
    (a dot beside a letter may be a piece of its mark). A page with fewer than
    :data:`MIN_SPECKS` of them is left as it is (a clean page; its few dots may be text)."""
    cv2 = opencv()
    ink = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= MIN_SPECKS:
        return grey, 0
    heights, areas = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_AREA]
    letters = heights[heights >= 8]
    if len(letters) < 50:
        return grey, 0
    limit = max(4.0, (float(np.median(letters)) / 8) ** 2)
    speck = np.zeros(n, dtype=bool)
    speck[1:] = areas <= limit
    count = int(speck.sum())
    if count < MIN_SPECKS:
        return grey, 0
    # only specks clear of the letters: a dot beside a letter may be a broken mark of it
    letters_ink = (~speck[labels]) & (labels > 0)
    reach = max(3, round(float(np.median(letters)) / 3)) | 1
    near = cv2.dilate(letters_ink.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (reach, reach)))
    gone = speck[labels] & (near == 0)
    count = int(cv2.connectedComponents(gone.astype(np.uint8), connectivity=8)[0]) - 1
    if count < MIN_SPECKS:
        return grey, 0
    out = grey.copy()
    out[gone] = 255
    return out, count


def skew_angle(grey: np.ndarray, max_degrees: float = 6.0) -> float:
    """The rotation (degrees, counter-clockwise positive) that makes text rows horizontal."""
    cv2 = opencv()
    h, w = grey.shape
    scale = min(1.0, 1000 / max(h, w))
    small = cv2.resize(grey, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    ink = cv2.adaptiveThreshold(small, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    sh, sw = ink.shape
    centre = (sw / 2, sh / 2)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rot = cv2.warpAffine(ink, m, (sw, sh), flags=cv2.INTER_NEAREST, borderValue=0)
        rows = rot.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(rows)).sum())

    best, best_score = 0.0, sharpness(0.0)
    step = 0.5
    for k in range(1, int(max_degrees / step) + 1):
        for a in (k * step, -k * step):
            s = sharpness(a)
            if s > best_score:
                best, best_score = a, s
    for a in (best - 0.25, best + 0.25, best - 0.125, best + 0.125):
        s = sharpness(a)
        if s > best_score:
            best, best_score = a, s
    return best


def rotate(grey: np.ndarray, angle: float) -> np.ndarray:
    """``grey`` rotated by ``angle`` degrees about its centre, corners filled with white."""
    if abs(angle) < 0.05:
        return grey
    cv2 = opencv()
    h, w = grey.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def quarter_turns(grey: np.ndarray, turns: int) -> np.ndarray:
    """``grey`` turned ``turns`` × 90° counter-clockwise."""
    return np.ascontiguousarray(np.rot90(grey, turns % 4))


def line_pitch(grey: np.ndarray) -> float | None:
    """Typical distance in pixels between the tops of text rows (see :func:`text_rows`)."""
    cv2 = opencv()
    ink = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 31, 15)
    rows = text_rows(ink)
    if len(rows) < 3:
        return None
    starts = np.diff([s for s, _ in rows])
    med = float(np.median(starts))
    close = starts[starts <= 1.5 * med]
    return float(np.median(close)) if len(close) else med


def text_bands(grey: np.ndarray) -> list[tuple[int, int, int]]:
    """The page's text rows as (top, bottom, ink pixels), found on a half-size binary copy
    (:func:`text_rows`); a row of specks under a third of the typical row's ink is left out,
    and so is a band taller than :data:`TALLEST_TEXT_ROW` typical rows (the Garuda emblem of
    an order, a signature, a stamp, a photo: ink that is not a line of text).

    :mod:`parsers.ocr` checks a reading against them: a row with ink that no line of the
    reading covers is text tesseract lost.
    """
    cv2 = opencv()
    h, w = grey.shape
    small = cv2.resize(grey, (max(1, w // 2), max(1, h // 2)), interpolation=cv2.INTER_AREA)
    ink = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 31, 15)
    dark = ink < 128
    bands = [(2 * s, 2 * e, int(dark[s:e].sum()) * 4) for s, e in text_rows(ink)]
    if not bands:
        return []
    typical = float(np.median([b[2] for b in bands]))
    height = float(np.median([e - s for s, e, _ in bands]))
    return [b for b in bands if b[2] >= typical / 3 and b[1] - b[0] <= TALLEST_TEXT_ROW * height]


def row_period(grey: np.ndarray) -> float | None:
    """Distance in pixels from one text line to the next: the strongest repeat (autocorrelation
    peak, at least :data:`MIN_ROW_REPEAT`) of the page's ink per pixel row, between 10 pixels
    and a quarter of the page's height; None when nothing repeats (a photo, a blank page).

    Unlike :func:`line_pitch` it is not misled by a line's tone marks and upper vowels standing
    apart from its letters: TH Sarabun at 300 dpi repeats every ~75 pixels, where bands of ink
    start ~27 apart (marks, letters, marks, ...).
    """
    cv2 = opencv()
    ink = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 31, 15)
    profile = (ink < 128).sum(axis=1).astype(np.float64)
    profile -= profile.mean()
    n = len(profile)
    if n < 60 or not profile.any():
        return None
    spectrum = np.fft.rfft(profile, 2 * n)
    ac = np.fft.irfft(spectrum * np.conj(spectrum))[:n]
    ac /= ac[0]
    lo, hi = 10, n // 4
    seg = ac[lo:hi]
    if len(seg) < 3:
        return None
    peaks = np.nonzero((seg[1:-1] >= seg[:-2]) & (seg[1:-1] >= seg[2:]) & (seg[1:-1] >= MIN_ROW_REPEAT))[0] + 1
    if not len(peaks):
        return None
    return float(lo + peaks[np.argmax(seg[peaks])])


def scale_for_ocr(grey: np.ndarray, period: float | None, pitch: float | None = None) -> tuple[np.ndarray, float]:
    """Scale a page whose text is small (lines closer than :data:`MIN_LINE_PX`, by
    :func:`row_period`) up so its lines are :data:`TARGET_LINE_PX` apart, or one whose rows are
    huge (bands further than :data:`MAX_LINE_PX` apart, by :func:`line_pitch`, which errs small)
    down; (image, factor). A page of ordinary print at 200-300 dpi is read as it is: upscaling it
    costs tesseract time for no better reading (bench/bench_ocr.py --real)."""
    if period is not None and period < MIN_LINE_PX:
        factor = min(MAX_UPSCALE, TARGET_LINE_PX / period)
    elif pitch is not None and pitch > MAX_LINE_PX:
        factor = TARGET_LINE_PX / pitch
    else:
        return grey, 1.0
    cv2 = opencv()
    h, w = grey.shape
    if h * w * factor * factor > MAX_OCR_PIXELS:
        factor = math.sqrt(MAX_OCR_PIXELS / (h * w))
    if abs(factor - 1) <= 0.05:
        return grey, 1.0
    method = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
    return cv2.resize(grey, (round(w * factor), round(h * factor)), interpolation=method), factor


# --------------------------------------------------------------------------- binary page


def binarise(grey: np.ndarray, pitch: float | None = None) -> np.ndarray:
    """Black ink on white (uint8 0/255) by a local-mean threshold sized to the text."""
    cv2 = opencv()
    block = max(15, round((pitch or 60) * 0.8) | 1)
    smooth = cv2.GaussianBlur(grey, (3, 3), 0)
    return cv2.adaptiveThreshold(smooth, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 12)


def remove_rules(binary: np.ndarray, pitch: float | None = None) -> tuple[np.ndarray, int]:
    """Ruled lines (longer than ~4 text heights) and dotted leaders whited out; (image, removed).

    A rule that touches letters takes only its own thickness with it: the letters stay.
    """
    cv2 = opencv()
    p = pitch or 60
    ink = 255 - binary
    long_h = max(40, round(p * 4))
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long_h, 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, long_h)))
    rules = cv2.bitwise_or(horiz, vert)
    rules = cv2.dilate(rules, np.ones((3, 3), np.uint8))
    dots = _dotted_leaders(ink, p)
    removed = int(cv2.countNonZero(cv2.bitwise_and(ink, rules)) + cv2.countNonZero(dots))
    cleaned = cv2.bitwise_and(ink, cv2.bitwise_not(cv2.bitwise_or(rules, dots)))
    return 255 - cleaned, removed


def rules_mask(grey: np.ndarray, pitch: float | None = None) -> tuple[np.ndarray, int]:
    """Where the rules and dotted leaders of a grey page are (uint8 mask, full size), and how many
    ink pixels they hold. Found on a half-size binary copy when the page is large (fast; a rule
    or a row of dots survives halving)."""
    cv2 = opencv()
    h, w = grey.shape
    half = h * w > 4_000_000
    small = cv2.resize(grey, (w // 2, h // 2), interpolation=cv2.INTER_AREA) if half else grey
    p = (pitch / 2 if half else pitch) if pitch else None
    binary = binarise(small, p)
    cleaned, removed = remove_rules(binary, p)
    gone = ((binary < 128) & (cleaned >= 128)).astype(np.uint8)
    if half:
        gone = cv2.resize(gone, (w, h), interpolation=cv2.INTER_NEAREST)
        removed *= 4
    return gone, removed


def white_out(grey: np.ndarray, gone: np.ndarray) -> np.ndarray:
    """``grey`` with the pixels of the mask ``gone`` (and one around them, the anti-aliased
    edge) painted white."""
    cv2 = opencv()
    gone = cv2.dilate(gone, np.ones((3, 3), np.uint8))
    out = grey.copy()
    out[gone > 0] = 255
    return out


def _dotted_leaders(ink: np.ndarray, pitch: float) -> np.ndarray:
    """Mask of dots that sit in runs of five or more on one baseline, evenly spaced (leaders).

    A Thai tone mark or nikhahit is as small as a dot, but never five in a row on one line.
    """
    cv2 = opencv()
    n, _, stats, centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    mask = np.zeros_like(ink)
    if n <= 1:
        return mask
    max_side = max(3, round(pitch * 0.16))
    w, h = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    area = stats[1:, cv2.CC_STAT_AREA]
    small = np.where((w <= max_side) & (h <= max_side) & (area >= 2) & (w <= 2 * h) & (h <= 2 * w))[0] + 1
    if len(small) < 5:
        return mask
    tol = max(2.0, pitch * 0.06)
    gap_max = pitch * 0.45
    by_y = small[np.argsort(centroids[small][:, 1])]
    rows: list[list[int]] = [[by_y[0]]]
    for i in by_y[1:]:  # rows of dots: consecutive centroids within ``tol`` of the row's first
        if centroids[i][1] - centroids[rows[-1][0]][1] <= tol:
            rows[-1].append(i)
        else:
            rows.append([i])
    for row in rows:
        if len(row) < 5:
            continue
        row.sort(key=lambda i: centroids[i][0])
        run = [row[0]]
        for i in [*row[1:], None]:
            if i is not None and 0 < centroids[i][0] - centroids[run[-1]][0] <= gap_max:
                run.append(i)
                continue
            if len(run) >= 5:
                xs = np.diff([centroids[k][0] for k in run])
                if xs.std() <= 0.35 * xs.mean() + 1:
                    for k in run:
                        x, y, ww, hh = stats[k, :4]
                        mask[y:y + hh, x:x + ww] = ink[y:y + hh, x:x + ww]
            if i is not None:
                run = [i]
    return mask


# --------------------------------------------------------------------------- document or photo


@dataclass(frozen=True)
class PictureKind:
    """What a cheap look at a picture says: a page of text or not, and the figures behind it."""

    document: bool
    text_marks: int  # letter-sized dark marks in text rows
    rows: int  # rows of such marks
    saturation: float
    why: str


def looks_like_document(data: bytes) -> PictureKind:
    """Tell a page (scan, screenshot, photographed form) from a field photo, on a ~800 px copy.

    Counts dark, letter-sized connected components and the rows they form after the light is
    flattened; a photo of people and tents has few such rows, a page has dozens. Colourful
    pictures need more rows. Costs ~20-60 ms.
    """
    cv2 = opencv()
    try:
        grey, sat = _small_copy(data, 800)
    except ValueError as exc:
        return PictureKind(False, 0, 0, 0.0, f"not decodable: {exc}")
    h, w = grey.shape
    if min(h, w) < 48:
        return PictureKind(False, 0, 0, sat, "too small to hold text")
    flat = flatten(grey)
    ink = cv2.adaptiveThreshold(flat, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 20)
    n, _, stats, centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 1:
        return PictureKind(False, 0, 0, sat, "no dark marks")
    cw, ch = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    fill = stats[1:, cv2.CC_STAT_AREA] / np.maximum(cw * ch, 1)
    letter = (ch >= 3) & (ch <= max(8, h // 25)) & (cw >= 2) & (cw <= ch * 3) & (fill > 0.12) & (fill < 0.9)
    idx = np.where(letter)[0]
    heights = ch[idx]
    if len(idx) < 40:
        return PictureKind(False, int(len(idx)), 0, sat, f"{len(idx)} letter-sized marks")
    med = float(np.median(heights))
    similar = idx[np.abs(heights - med) <= 0.6 * med + 1]
    ys = centroids[similar + 1][:, 1]
    bins = np.bincount(np.clip((ys / max(med * 1.2, 2)).astype(int), 0, None))
    rows = int((bins >= 6).sum())
    marks = int(len(similar))
    need_rows = 6 if sat < 0.25 else 12
    document = rows >= need_rows and marks >= 120
    why = f"{marks} letter-sized marks in {rows} rows, saturation {sat:.2f}"
    return PictureKind(document, marks, rows, sat, why)


# --------------------------------------------------------------------------- text rows


def text_rows(binary: np.ndarray) -> list[tuple[int, int]]:
    """Bands of rows (start, end) holding one text line each, marks joined to their line.

    A thin band (only tone marks and upper vowels, or below vowels, when a font draws them far
    from the letters) is joined to the nearer of its neighbours, when that one is close.
    """
    ink = binary < 128
    profile = ink.sum(axis=1)
    on = profile > max(1, binary.shape[1] // 500)
    bands: list[list[int]] = []
    start = None
    for y, v in enumerate(on):
        if v and start is None:
            start = y
        elif not v and start is not None:
            bands.append([start, y])
            start = None
    if start is not None:
        bands.append([start, len(on)])
    if len(bands) < 2:
        return [tuple(b) for b in bands]
    typical = float(np.median([e - s for s, e in bands if e - s > 2] or [1]))
    merged: list[list[int]] = []
    k = 0
    while k < len(bands):
        s, e = bands[k]
        if e - s < 0.45 * typical:
            gap_below = bands[k + 1][0] - e if k + 1 < len(bands) else 1 << 30
            gap_above = s - merged[-1][1] if merged else 1 << 30
            if gap_below <= gap_above and gap_below < 0.6 * typical:
                bands[k + 1][0] = s  # marks above the next line
                k += 1
                continue
            if gap_above < 0.6 * typical:
                merged[-1][1] = e  # below vowels of the line above
                k += 1
                continue
        merged.append([s, e])
        k += 1
    return [(s, e) for s, e in merged]
