"""Write parsers/digit_glyphs/thai_digits.npz: the Thai digits ๐-๙ drawn in the TLWG fonts.

    python scripts/make_digit_glyphs.py            # needs fonts-thai-tlwg (scripts/install-system-deps.sh)
    python scripts/make_digit_glyphs.py OUT.npz    # somewhere else (the test compares)

Each digit of each font (regular and bold) is drawn at three sizes, and each drawing also
thinned and thickened by one pixel (light and heavy print), then cut to its ink, centred in a
square and reduced to 24×24 grey levels (what :func:`parsers.thai_digits.shape_of` does to a
digit found on a page). Purisa (handwriting) is left out. The fonts are GPL-2 with the font
exception (Thai Linux Working Group); the file holds measurements of their glyphs, see
parsers/digit_glyphs/README.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from areaplan.parsers.thai_digits import DIGITS, shape_of  # noqa: E402

FONT_DIR = Path("/usr/share/fonts/truetype/tlwg")
FAMILIES = ("Laksaman", "Kinnari", "Norasi", "Garuda", "Loma", "Umpush", "Waree", "Sawasdee",
            "TlwgTypo", "TlwgTypist", "TlwgMono")
STYLES = ("", "-Bold")
SIZES = (28, 40, 64)
OUT = ROOT / "parsers" / "digit_glyphs" / "thai_digits.npz"


def drawn(path: Path, ch: str, size: int) -> np.ndarray:
    """The largest connected piece of ink of ``ch`` drawn at ``size`` pixels (a Thai digit is one stroke)."""
    font = ImageFont.truetype(str(path), size)
    im = Image.new("L", (size * 3, size * 3), 0)
    ImageDraw.Draw(im).text((size, size // 2), ch, font=font, fill=255)
    ink = (np.asarray(im) > 127).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n < 2:
        raise ValueError(f"{path.name} has no glyph for {ch}")
    return labels == 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))


def main(out: Path = OUT) -> None:
    shapes, aspects, labels, fonts = [], [], [], []
    kernel = np.ones((2, 2), np.uint8)
    for family in FAMILIES:
        for style in STYLES:
            path = FONT_DIR / f"{family}{style}.ttf"
            if not path.exists():
                sys.exit(f"{path} is missing: apt-get install fonts-thai-tlwg")
            for size in SIZES:
                for d, ch in enumerate(DIGITS):
                    ink = drawn(path, ch, size).astype(np.uint8)
                    for variant in (ink, cv2.erode(ink, kernel), cv2.dilate(ink, kernel)):
                        if variant.sum() < 10:
                            continue
                        grey, aspect = shape_of(variant > 0)
                        shapes.append(np.round(grey * 255).astype(np.uint8))
                        aspects.append(aspect)
                        labels.append(d)
                        fonts.append(f"{family}{style}")
    np.savez_compressed(out, shapes=np.array(shapes), aspects=np.array(aspects, dtype=np.float32),
                        labels=np.array(labels, dtype=np.uint8), fonts=np.array(fonts))
    print(f"{out}: {len(shapes)} drawings of {len(DIGITS)} digits in "
          f"{len(FAMILIES) * len(STYLES)} fonts ({out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
