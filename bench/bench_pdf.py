"""Pages per second of read_pdf against bare pdfplumber and bare pypdfium2.

Run from the repository root:

    python bench/bench_pdf.py                 # the real documents in tests/data/real-docs
    python bench/bench_pdf.py --repeat 3 a.pdf b.pdf

Each extractor reads every page of each file; the best of ``--repeat`` runs is kept.
read_pdf also repairs the text, finds tables, extracts images and OCRs scans, so
the scanned file is reported on its own line and left out of the text-PDF total.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DOCS = ROOT / "tests" / "data" / "real-docs"


def bare_pdfplumber(data: bytes) -> int:
    """extract_text() of every page; returns the page count."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
        return len(pdf.pages)


def bare_pypdfium2(data: bytes) -> int:
    """get_text_range() of every page; returns the page count."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        for i in range(len(doc)):
            page = doc[i]
            page.get_textpage().get_text_range()
            page.close()
        return len(doc)
    finally:
        doc.close()


def project_read_pdf(data: bytes) -> int:
    """parsers.pdf.read_pdf; returns the page count."""
    from areaplan.parsers.pdf import read_pdf

    return read_pdf(data).pages or 0


EXTRACTORS: dict[str, Callable[[bytes], int]] = {
    "read_pdf": project_read_pdf,
    "pdfplumber": bare_pdfplumber,
    "pypdfium2": bare_pypdfium2,
}


def best_time(fn: Callable[[bytes], int], data: bytes, repeat: int) -> tuple[float, int]:
    best, pages = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        pages = fn(data)
        best = min(best, time.perf_counter() - started)
    return best, pages


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", type=Path, help="PDFs (default: the real documents)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per file and extractor (best kept)"
    )
    args = parser.parse_args(argv)
    files = args.files or sorted(DOCS.glob("*.pdf"))

    for fn in EXTRACTORS.values():  # warm up imports and PyThaiNLP's dictionary
        fn(files[0].read_bytes())

    header = f"{'file':58} {'pages':>5} " + " ".join(f"{name:>14}" for name in EXTRACTORS)
    print(header + "   (pages/s)")
    totals = {name: [0.0, 0] for name in EXTRACTORS}
    for path in files:
        data = path.read_bytes()
        cells = []
        scanned = "scanned" in path.name
        for name, fn in EXTRACTORS.items():
            seconds, pages = best_time(fn, data, args.repeat)
            cells.append(f"{pages / seconds:14.1f}")
            if not scanned:
                totals[name][0] += seconds
                totals[name][1] += pages
        print(f"{path.name[:58]:58} {pages:5d} " + " ".join(cells))
    pages = next(iter(totals.values()))[1]
    print(
        f"{'all text PDFs (not scanned)':58} {pages:5d} "
        + " ".join(f"{n / s:14.1f}" if s else f"{'-':>14}" for s, n in totals.values())
    )


if __name__ == "__main__":
    main()
