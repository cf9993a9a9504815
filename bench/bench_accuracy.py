"""Accuracy and speed of the parsers on the labelled corpus (prints figures; asserts nothing).

    python bench/bench_accuracy.py [--corpus tests/corpus] [--show-errors]

Accuracy, per message (``parse_raw``): province, district, zone and campaign against
tests/corpus/labels.json; how many went to review; how many wrong answers were marked
confident (target 0).
Accuracy through the store (``areaplan import`` + ``reparse`` of tests/corpus and
tests/corpus/shapes, scored by tests/corpus_score.py as tests/test_corpus_labels.py does):
province, district, zone and campaign; confident-wrong answers; submissions rows for mail
that is not a submission; expected submissions without a row; follow-ups and links.
Speed: messages/s through the whole parser, the time per attachment kind, against
the bare library calls on the same files (pdfplumber extract_text, python-docx
paragraphs and tables) as the limit; and `areaplan reparse` with 1 and 2 workers.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT / "tests" / "corpus")
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--no-reparse", action="store_true", help="skip the reparse timing")
    args = ap.parse_args()

    from areaplan.parsers import readers
    from areaplan.parsers.pipeline import parse_raw
    from areaplan.parsers.types import ParseSettings

    labels: dict[str, dict] = json.loads((args.corpus / "labels.json").read_text(encoding="utf-8"))
    settings = ParseSettings()
    kind_time: dict[str, float] = defaultdict(float)
    kind_count: Counter[str] = Counter()
    original = readers.read_attachment

    def timed_read(name, ctype, data, limits=None, depth=0):
        t = time.perf_counter()
        r = original(name, ctype, data, limits, depth) if limits else original(name, ctype, data)
        kind = r.kind + ("+ocr" if r.ocr else "")
        kind_time[kind] += time.perf_counter() - t
        kind_count[kind] += 1
        if kind == "pdf":
            samples["pdf"].append(data)
        elif r.kind == "docx":
            samples["docx"].append(data)
        return r

    samples: dict[str, list[bytes]] = {"pdf": [], "docx": []}
    readers.read_attachment = timed_read
    ok: Counter[str] = Counter()
    total: Counter[str] = Counter()
    review = wrong_confident = 0
    errors: list[str] = []
    t0 = time.perf_counter()
    for name, want in sorted(labels.items()):
        raw = (args.corpus / name).read_bytes()
        pm = parse_raw(raw, settings, "2021-03-29T10:00:00+07:00")
        s = pm.submission
        got = {
            "campaign": pm.campaign,
            "province_code": s.province_code if s else None,
            "district_code": s.district_code if s else None,
            "zone": s.zone if s else None,
        }
        in_review = pm.status == "review"
        review += in_review
        wrong = []
        for field in ("campaign", "province_code", "zone", "district_code"):
            if field != "campaign" and want.get(field) is None:
                continue
            total[field] += 1
            if got[field] == want.get(field):
                ok[field] += 1
            else:
                wrong.append(f"{field} {got[field]!r} != {want.get(field)!r}")
        total["review agrees with label"] += 1
        ok["review agrees with label"] += in_review == bool(want.get("needs_review"))
        if wrong and not in_review:
            wrong_confident += 1
        if wrong or in_review != bool(want.get("needs_review")):
            errors.append(f"{name}: {'; '.join(wrong) or 'ok fields'}; review={in_review} "
                          f"(label {want.get('needs_review')}) {pm.review_reasons[:2]} [{want.get('notes', '')}]")
    elapsed = time.perf_counter() - t0
    readers.read_attachment = original

    n = len(labels)
    print(f"corpus: {n} messages ({args.corpus})")
    for field in ("campaign", "province_code", "zone", "district_code", "review agrees with label"):
        print(f"  {field:<26} {ok[field]:4d}/{total[field]:<4d} = {100 * ok[field] / max(total[field], 1):6.2f}%")
    print(f"  sent to review             {review:4d}/{n}")
    print(f"  wrong answer marked confident: {wrong_confident}")
    print(f"parse: {n / elapsed:.1f} messages/s ({elapsed:.2f} s, one process)")
    for kind in sorted(kind_time, key=kind_time.get, reverse=True):
        print(f"  {kind:<8} {kind_count[kind]:4d} files  {1000 * kind_time[kind] / kind_count[kind]:8.1f} ms/file")
    bare_pdf = _bare_pdfplumber(samples["pdf"])
    bare_docx = _bare_docx(samples["docx"])
    if bare_pdf is not None:
        print(f"  bare pdfplumber extract_text on the same (non-OCR) PDFs: {1000 * bare_pdf:8.1f} ms/file")
    if bare_docx is not None:
        print(f"  bare python-docx paragraphs+tables on the same DOCX: {1000 * bare_docx:8.1f} ms/file")
    if args.show_errors:
        print("\n".join(errors))
    _store_accuracy(args.corpus, timing=not args.no_reparse, show_errors=args.show_errors)


def _bare_pdfplumber(files: list[bytes]) -> float | None:
    if not files:
        return None
    import pdfplumber

    t = time.perf_counter()
    for data in files:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_text()
    return (time.perf_counter() - t) / len(files)


def _bare_docx(files: list[bytes]) -> float | None:
    if not files:
        return None
    import docx

    t = time.perf_counter()
    for data in files:
        d = docx.Document(io.BytesIO(data))
        _ = [p.text for p in d.paragraphs]
        _ = [c.text for t in d.tables for r in t.rows for c in r.cells]
    return (time.perf_counter() - t) / len(files)


def _store_accuracy(corpus: Path, timing: bool, show_errors: bool) -> None:
    """Import the corpus and its shapes into a fresh store, reparse, score what the store holds."""
    sys.path.insert(0, str(ROOT / "tests"))
    from corpus_score import load_labels, observe, score

    files = [str(p) for p in sorted(corpus.glob("*.eml")) + sorted((corpus / "shapes").glob("*.eml"))]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "r.db"
        cmd = [sys.executable, "-m", "areaplan", "--db", str(db)]
        subprocess.run([*cmd, "import", "--no-parse", *files], check=True, capture_output=True)
        for workers in ((1, 2) if timing else (2,)):
            t = time.perf_counter()
            subprocess.run([*cmd, "reparse", "--workers", str(workers)], check=True, capture_output=True)
            e = time.perf_counter() - t
            if timing:
                print(f"areaplan reparse --workers {workers}: {len(files) / e:6.1f} messages/s ({e:.1f} s)")
        result = score(load_labels(corpus), observe(db, corpus))
    print(f"through the store: {len(files)} messages ({corpus} and {corpus / 'shapes'})")
    for name in ("campaign", "province_code", "zone", "district_code", "images", "submission review",
                 "message review", "links", "follow-up linked", "follow-up images"):
        print("  " + result.line(name))
    print(f"  confident-wrong answers:                    {result.confident_wrong}")
    print(f"  submissions rows for mail not a submission: {result.rows_for_non_submissions}")
    print(f"  expected submissions without a row:         {result.expected_without_row}")
    print(f"  labels missed:                              {len(result.misses)}")
    if show_errors:
        print("\n".join("  " + m for m in result.misses))


if __name__ == "__main__":
    main()
