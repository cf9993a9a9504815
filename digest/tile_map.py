"""A picture of the country: the 76 provinces as a tile grid coloured by status.

Mail clients disagree on pictures: Gmail strips inline SVG, Outlook ignores CSS grids
and background images. So the digest carries the map twice:

* an HTML table, one cell per tile with ``bgcolor`` and inline styles (what every client
  renders, and what a screen reader reads: each cell's title names the province and its
  status);
* a PNG made with Pillow (Thai abbreviations shaped by libraqm, a TLWG font), attached as
  an inline ``multipart/related`` part and shown with ``cid:``, for clients that show
  images and for printing.

The layout is hand-placed from the map (north at the top, the south down the left): each
province a tile, neighbours near each other. ``LAYOUT`` holds every province in a zone,
once (checked by the tests against the gazetteer).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from areaplan.core.thai_text import tlwg_font_paths

log = logging.getLogger(__name__)

# (row, column) -> province code, by rows from the north.
_ROWS = (
    (0, {1: "58", 2: "57"}),
    (1, {1: "50", 2: "56", 3: "55", 6: "43", 7: "38"}),
    (2, {1: "51", 2: "52", 3: "54", 4: "42", 5: "41", 6: "47", 7: "48"}),
    (3, {0: "63", 1: "64", 2: "53", 3: "65", 4: "39", 5: "40", 6: "46", 7: "49"}),
    (4, {1: "62", 2: "66", 3: "67", 4: "36", 5: "44", 6: "45", 7: "35", 8: "37"}),
    (5, {1: "61", 2: "60", 3: "16", 4: "30", 5: "31", 6: "32", 7: "33", 8: "34"}),
    (6, {0: "71", 1: "72", 2: "18", 3: "17", 4: "19", 5: "26", 6: "27"}),
    (7, {0: "70", 1: "73", 2: "15", 3: "14", 4: "13", 5: "25", 6: "24"}),
    (8, {0: "76", 1: "74", 2: "75", 3: "12", 4: "11", 5: "20", 6: "22"}),
    (9, {0: "77", 5: "21", 6: "23"}),
    (10, {0: "86"}),
    (11, {0: "85", 1: "84"}),
    (12, {0: "82", 1: "80"}),
    (13, {0: "83", 1: "81", 2: "93"}),
    (14, {1: "92", 2: "90", 3: "94"}),
    (15, {1: "91", 2: "95", 3: "96"}),
)
LAYOUT: dict[str, tuple[int, int]] = {code: (r, c) for r, cols in _ROWS for c, code in cols.items()}
N_ROWS = 1 + max(r for r, _ in LAYOUT.values())
N_COLS = 1 + max(c for _, c in LAYOUT.values())

# status -> (background, text, Thai label); the digest's own colours.
STATUS_STYLE: dict[str, tuple[str, str, str]] = {
    "received": ("#1e8e3e", "#ffffff", "ส่งแล้ว"),
    "late": ("#f29900", "#1f1f1f", "ส่งช้า"),
    "needs_review": ("#8e44ad", "#ffffff", "รอตรวจสอบ"),
    "missing": ("#d93025", "#ffffff", "ยังไม่ส่ง"),
}
NO_DATA = ("#e5e7eb", "#4b5563", "ไม่มีข้อมูล")
TILE, GAP = 44, 4


@dataclass(frozen=True)
class Tile:
    code: str
    abbr: str
    name: str
    status: str | None
    row: int
    col: int

    @property
    def style(self) -> tuple[str, str, str]:
        return STATUS_STYLE.get(self.status or "", NO_DATA)


def tiles(statuses: Mapping[str, str], names: Mapping[str, tuple[str, str]]) -> list[Tile]:
    """Every tile of the grid: ``statuses`` province -> status, ``names`` province -> (abbr, name)."""
    return [Tile(code, names.get(code, (code, code))[0], names.get(code, (code, code))[1], statuses.get(code), r, c)
            for code, (r, c) in sorted(LAYOUT.items(), key=lambda kv: kv[1])]


def legend(statuses: Mapping[str, str]) -> list[tuple[str, str, int]]:
    """(colour, Thai label, count) per status, in the digest's order."""
    return [(bg, label, sum(1 for s in statuses.values() if s == key)) for key, (bg, _, label) in STATUS_STYLE.items()]


def html_grid(grid: list[Tile]) -> str:
    """The tile grid as an email-safe HTML table (``bgcolor`` attributes, inline styles)."""
    from markupsafe import escape

    at = {(t.row, t.col): t for t in grid}
    rows = []
    for r in range(N_ROWS):
        cells = []
        for c in range(N_COLS):
            t = at.get((r, c))
            if t is None:
                cells.append(f'<td height="{TILE - 10}" style="padding:0;"></td>')
                continue
            bg, fg, label = t.style
            cells.append(
                f'<td height="{TILE - 10}" align="center" valign="middle" bgcolor="{bg}" '
                f'title="{escape(t.name)}: {escape(label)}" data-province="{t.code}" data-status="{t.status or ""}" '
                f'style="background-color:{bg};color:{fg};font-size:12px;font-weight:bold;padding:0;'
                f'border:2px solid #ffffff;">{escape(t.abbr)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return ('<table cellpadding="0" cellspacing="0" border="0" role="img" aria-label="แผนที่สถานะการส่งรายงาน 76 จังหวัด"'
            f' width="100%" style="border-collapse:collapse;margin:6px 0;table-layout:fixed;max-width:{N_COLS * TILE}px;"'
            ' data-tile-map="1">' + "".join(rows) + "</table>")


@lru_cache(maxsize=4)
def _font(size: int):  # noqa: ANN202  (a Pillow font)
    from PIL import ImageFont

    paths = [p for p in tlwg_font_paths() if "Garuda-Bold" in p or "Loma-Bold" in p] + tlwg_font_paths()
    for path in paths:
        try:
            return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.RAQM)
        except (OSError, ImportError, KeyError):
            continue
    log.warning("no Thai TLWG font found: the map PNG uses Pillow's default font (install fonts-thai-tlwg)")
    return ImageFont.load_default()


def png(grid: list[Tile]) -> bytes:
    """The tile grid as a PNG (what the ``cid:`` image in the digest shows)."""
    from PIL import Image, ImageDraw

    width, height = N_COLS * (TILE + GAP) + GAP, N_ROWS * (TILE + GAP) + GAP
    img = Image.new("RGB", (width, height), "#ffffff")
    draw = ImageDraw.Draw(img)
    font = _font(15)
    for t in grid:
        bg, fg, _ = t.style
        x, y = GAP + t.col * (TILE + GAP), GAP + t.row * (TILE + GAP)
        draw.rounded_rectangle((x, y, x + TILE, y + TILE), radius=6, fill=bg)
        draw.text((x + TILE / 2, y + TILE / 2), t.abbr, fill=fg, font=font, anchor="mm")
    _legend(draw, grid)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _legend(draw, grid: list[Tile]) -> None:  # noqa: ANN001  (a Pillow ImageDraw)
    """Colour, label and count per status, in the empty sea east of the south."""
    counts = {key: sum(1 for t in grid if t.status == key) for key in STATUS_STYLE}
    x0, y0 = GAP + 4 * (TILE + GAP), GAP + 11 * (TILE + GAP)
    font = _font(16)
    for i, (key, (bg, _, label)) in enumerate(STATUS_STYLE.items()):
        y = y0 + i * 30
        draw.rounded_rectangle((x0, y, x0 + 20, y + 20), radius=4, fill=bg)
        draw.text((x0 + 30, y + 10), f"{label} {counts[key]}", fill="#1f2937", font=font, anchor="lm")
