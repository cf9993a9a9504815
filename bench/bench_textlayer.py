"""Character error rate of Thai PDF/DOCX text layers: areaplan beside bare extractors.

Run from the repository root:

    python bench/bench_textlayer.py             # real documents + PDFs made here
    python bench/bench_textlayer.py --real-only # only tests/data/real-docs

Documents:

* **real**: the text-layer files of ``tests/data/real-docs`` (Word 2019, PDFMaker,
  Acrobat-combined Word pages, a Word DOCX), against the reference lines of their
  ``SOURCES.md`` (the first lines of each, as a person reads the page; ``{...}``
  handwriting and ``[?]`` removed). Each reference line is aligned with its
  best-matching stretch of each extractor's text (rapidfuzz), so text the reference
  leaves out (captions of the cover collage) costs nothing.
* **LibreOffice**: DOCX files made here with python-docx (fonts-thai-tlwg fonts, Thai
  set for the complex script) exported by ``soffice --headless``; reference: their text.
  ``lo-mapped-*``: the same PDFs with a ToUnicode entry for every glyph (as other
  producers write them), where an extractor ignoring ``/ActualText`` reads ``ทำา``.
* **iText-like**: reportlab pages whose tone marks and upper vowels are drawn as text
  objects of their own (the Royal Gazette's ``หนา ๒ ่เลม``); reference: their text.
* **in order**: dictionary words drawn glyph by glyph in order (text that is already
  right: any change a repair makes is an error).

CER = Levenshtein distance / reference length, on text whose runs of whitespace are
one space and whose rules and form blanks (4+ of ``-_.=…``) are taken out (the
references, as a person reads the page, leave the typed rules under headings out). Extractors: ``areaplan`` (``read_pdf`` / ``read_docx``), bare ``pypdfium2``
(``get_text_range``), bare ``pdfplumber`` (``extract_text``), ``pdftotext`` (poppler,
reading order), and for the DOCX bare python-docx paragraphs. Totals weight each document by its reference length.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # textlayer_docs: the generators of the test PDFs

DOCS = ROOT / "tests" / "data" / "real-docs"
REAL = [
    ("spm-order-361-2562_word2019_thsarabunit9.pdf", "Word 2019"),
    ("spm-order-302-2555_pdfmaker10_thsarabunpsk_pua.pdf", "PDFMaker 10"),
    ("inspection-plan-2563_word-pages_tables_48p.pdf", "Acrobat (Word pages)"),
    ("road-safety-inspection-form-2565_thsarabunit9.docx", "Word DOCX"),
]


@dataclass
class Doc:
    name: str
    group: str  # real, LibreOffice, iText-like, in order
    producer: str
    data: bytes
    reference: str
    partial: bool  # the reference is a part of the document (align it)

    @property
    def is_docx(self) -> bool:
        return self.data.startswith(b"PK")


# --------------------------------------------------------------------------- documents


def reference_lines(filename: str) -> str:
    """The "Reference, first lines" of ``filename`` in SOURCES.md, as a person reads them."""
    sources = (DOCS / "SOURCES.md").read_text(encoding="utf-8")
    section = sources.split(f"`{filename}`", 1)[1].split("\n### ", 1)[0]
    block = section.split("Reference", 1)[1].split("```", 2)[1]
    lines = []
    for line in block.strip("\n").splitlines():
        if line.startswith("--- page"):
            continue
        line = re.sub(r"\{[^}]*\}", "", line).replace("[?]", "").replace("<TAB>", "\t")
        lines.append(line.removesuffix("…").rstrip())
    return "\n".join(lines)


def real_docs() -> list[Doc]:
    return [
        Doc(name, "real", producer, (DOCS / name).read_bytes(), reference_lines(name), True)
        for name, producer in REAL
    ]


def generated_docs(workdir: Path) -> list[Doc]:
    import textlayer_docs as gen

    found: list[Doc] = []
    words = random.Random(12).sample(sorted(_thai_words()), 600)
    word_lines = [" ".join(words[k : k + 4]) for k in range(0, len(words), 4)]
    if gen.soffice():
        made = {
            f"lo-{font}": gen.thai_docx(gen.LIBREOFFICE_LINES, font)
            for font in gen.LIBREOFFICE_FONTS
        }
        made["lo-words-Laksaman"] = gen.thai_docx(word_lines[:60], "Laksaman")
        pdfs = gen.libreoffice_pdfs(made, workdir)
        for font in ("Laksaman", "Garuda"):
            pdfs[f"lo-mapped-{font}"] = gen.map_every_glyph(pdfs[f"lo-{font}"])
        for name, pdf in pdfs.items():
            lines = word_lines[:60] if "words" in name else gen.LIBREOFFICE_LINES
            found.append(
                Doc(name, "LibreOffice", "LibreOffice (made here)", pdf, "\n".join(lines), False)
            )
    else:
        print("(LibreOffice not installed: no LibreOffice documents)", file=sys.stderr)
    every = range(len(gen.GAZETTE_LINES))
    for font in ("Garuda", "Laksaman", "Loma", "Norasi"):
        for order in ("after", "reverse"):
            pdf = gen.itext_like_pdf(gen.GAZETTE_LINES, every, font, order=order)
            found.append(
                Doc(f"itext-{font}-{order}", "iText-like", "reportlab, marks apart", pdf,
                    "\n".join(gen.GAZETTE_LINES), False)
            )  # fmt: skip
        raised = gen.itext_like_pdf(gen.GAZETTE_LINES, every, font, rise=0.3)
        found.append(
            Doc(f"itext-{font}-raised", "iText-like", "reportlab, marks apart, raised 0.3 em",
                raised, "\n".join(gen.GAZETTE_LINES), False)
        )  # fmt: skip
        header_only = gen.itext_like_pdf(gen.GAZETTE_LINES, [0], font)
        found.append(
            Doc(f"itext-{font}-header", "iText-like", "reportlab, header marks apart",
                header_only, "\n".join(gen.GAZETTE_LINES), False)
        )  # fmt: skip
    for font in ("Garuda", "Laksaman"):
        pdf, lines = gen.words_pdf(words, font=font, per_line=4)
        found.append(Doc(f"words-{font}", "in order", "reportlab", pdf, "\n".join(lines), False))
    return found


def _thai_words() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    return thai_words()


# --------------------------------------------------------------------------- extractors


def areaplan_text(doc: Doc) -> str:
    if doc.is_docx:
        from areaplan.parsers.docx import read_docx

        return read_docx(doc.data).text
    from areaplan.parsers.pdf import read_pdf

    return read_pdf(doc.data).text


def pypdfium2_text(doc: Doc) -> str | None:
    if doc.is_docx:
        return None
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(doc.data)
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def pdfplumber_text(doc: Doc) -> str | None:
    if doc.is_docx:
        return None
    import pdfplumber

    with pdfplumber.open(io.BytesIO(doc.data)) as pdf:
        return "\n".join(page.extract_text() for page in pdf.pages)


def pdftotext_text(doc: Doc) -> str | None:
    exe = shutil.which("pdftotext")
    if doc.is_docx or exe is None:
        return None
    out = subprocess.run([exe, "-enc", "UTF-8", "-", "-"], input=doc.data, capture_output=True)
    return out.stdout.decode("utf-8", "replace")


def python_docx_text(doc: Doc) -> str | None:
    if not doc.is_docx:
        return None
    import docx

    document = docx.Document(io.BytesIO(doc.data))
    return "\n".join(p.text for p in document.paragraphs)


EXTRACTORS: dict[str, Callable[[Doc], str | None]] = {
    "areaplan": areaplan_text,
    "pypdfium2": pypdfium2_text,
    "pdfplumber": pdfplumber_text,
    "pdftotext": pdftotext_text,
    "python-docx": python_docx_text,
}


# --------------------------------------------------------------------------- CER


_RE_RULE = re.compile(r"[-_.=\u2013\u2014\u2026]{4,}")  # a rule or a form blank, not text


def squeeze(text: str) -> str:
    """Text as compared: rules and form blanks (``-----``, ``.....``) out, blanks one space."""
    return re.sub(r"\s+", " ", _RE_RULE.sub(" ", text)).strip()


def errors(reference: str, text: str, partial: bool) -> int:
    """Edit distance of ``reference`` to ``text``; if partial, of each reference line to
    its best-matching stretch of ``text``.

    The stretch starts from rapidfuzz's partial alignment; its ends then move while
    that lowers the distance (so a stretch that lost or gained characters is fair).
    """
    from rapidfuzz.distance import Levenshtein

    if partial:  # line by line: text the reference leaves out between its lines costs nothing
        hyp = squeeze(text)
        return sum(stretch_errors(squeeze(line), hyp) for line in reference.splitlines())
    return Levenshtein.distance(squeeze(reference), squeeze(text))


def stretch_errors(ref: str, hyp: str) -> int:
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Levenshtein

    if not ref:
        return 0
    if len(hyp) <= len(ref):
        return Levenshtein.distance(ref, hyp)
    cut = fuzz.partial_ratio_alignment(ref, hyp)
    a, b = cut.dest_start, cut.dest_end
    best = Levenshtein.distance(ref, hyp[a:b])
    improved = True
    while improved:
        improved = False
        for da, db in ((-8, 0), (8, 0), (0, -8), (0, 8), (-1, 0), (1, 0), (0, -1), (0, 1)):
            na, nb = max(a + da, 0), min(b + db, len(hyp))
            if na < nb and (d := Levenshtein.distance(ref, hyp[na:nb])) < best:
                best, a, b, improved = d, na, nb, True
    return best


# --------------------------------------------------------------------------- report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--real-only", action="store_true", help="only tests/data/real-docs")
    parser.add_argument("--show", action="store_true", help="print areaplan's text of each doc")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        docs = real_docs() + ([] if args.real_only else generated_docs(Path(tmp)))
    names = list(EXTRACTORS)
    print(f"{'document':34} {'group':11} {'chars':>6} " + " ".join(f"{n:>11}" for n in names)
          + f" {'areaplan s':>10}")  # fmt: skip
    totals: dict[str, dict[str, list[int]]] = {}
    for doc in docs:
        cells = []
        seconds = 0.0
        for name, fn in EXTRACTORS.items():
            t0 = time.perf_counter()
            text = fn(doc)
            if name == "areaplan":
                seconds = time.perf_counter() - t0
                if args.show:
                    print(text, file=sys.stderr)
            if text is None:
                cells.append(f"{'-':>11}")
                continue
            n_err, n_ref = errors(doc.reference, text, doc.partial), len(squeeze(doc.reference))
            for group in (doc.group, "all"):
                cell = totals.setdefault(group, {}).setdefault(name, [0, 0])
                cell[0] += n_err
                cell[1] += n_ref
            cells.append(f"{100 * n_err / n_ref:10.2f}%")
        print(f"{doc.name[:34]:34} {doc.group:11} {len(squeeze(doc.reference)):6d} "
              + " ".join(cells) + f" {seconds:10.2f}")  # fmt: skip
    print()
    print("overall CER (weighted by reference length)")
    for group, cells in totals.items():
        row = " ".join(
            f"{100 * cells[n][0] / cells[n][1]:10.2f}%" if n in cells else f"{'-':>11}"
            for n in names
        )
        chars = max(c[1] for c in cells.values())
        print(f"{group:46} {chars:6d} {row}")


if __name__ == "__main__":
    main()
