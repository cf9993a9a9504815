"""Peak memory and time of hostile messages, and of reparsing a store, in bounded workers.

Run from the repository root:

    python bench/bench_hostile.py                 # the three hostile messages + reparse of 5,000
    python bench/bench_hostile.py --messages 1000 # a smaller store
    python bench/bench_hostile.py --office-only   # only the hostile spreadsheets

Each hostile message (a 50 MB attachment, a PDF whose page inflates to 1 GiB, a DOCX of
1e6 paragraphs) is parsed alone in a fresh worker process (``core.bounded``, the same
code the poll and reparse use); the worker's peak resident memory (VmHWM) and the wall
time are printed with the outcome. Then a store of N messages is reparsed on two workers,
printing the parent's and the workers' resident memory after 1,000 messages and at the
end: memory flat in store size means the two figures stay close. Target: <= 300 MB peak
per message. Inputs come from tests/hostile_kinds.py and tests/office_files.py (which do
not import areaplan).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import hostile_kinds as kinds  # noqa: E402
import office_files  # noqa: E402

from areaplan.app.parse_job import PRELOAD, _parse_task, reparse  # noqa: E402
from areaplan.core.bounded import BoundedWorkers, Budget, rss_bytes  # noqa: E402
from areaplan.parsers.types import ParseSettings  # noqa: E402

MB = 1 << 20


def one(label: str, raw: bytes, settings: ParseSettings) -> None:
    pool = BoundedWorkers(_parse_task, Budget(settings.seconds_per_message, 4 << 30), preload=PRELOAD)
    start = time.perf_counter()
    for _key, outcome in pool.run([(label, (1, raw, "2021-03-01T00:00:00+00:00", settings))]):
        elapsed = time.perf_counter() - start
        codes = sorted({r.code for r in outcome.value.reasons}) if outcome.ok else [outcome.status]
        print(f"{label:<34} {len(raw) / MB:7.1f} MB in  peak {(outcome.peak_rss or 0) / MB:6.0f} MB"
              f"  {elapsed:6.1f} s  {outcome.status}  {', '.join(codes)}")


def store_of(path: Path, n: int):
    from areaplan.store.db import open_db
    from areaplan.store.messages import Location, save_message
    from areaplan.store.tx import transaction

    db = open_db(path)
    with transaction(db):
        for i in range(n):
            raw = kinds.mail(f"ส่งแบบรายงานอำเภอต้นแบบ จังหวัดน่าน ฉบับที่ {i}",
                             f"เรียน ผู้ตรวจราชการ\nจังหวัดน่าน เสนออำเภอปัว ข้อความที่ {i}\n" * 20,
                             attachments=[(f"photo{i}.bin", bytes([i % 256]) * 20_000)],
                             message_id=f"<bench{i}@example.go.th>")
            save_message(db, raw, Location("eml", path=f"/bench/{i}.eml"))
    return db


def reparse_memory(n: int, workers: int) -> None:
    import multiprocessing

    with tempfile.TemporaryDirectory() as tmp:
        db = store_of(Path(tmp) / "bench.db", n)
        done = 0
        start = time.perf_counter()

        def progress(k: int) -> None:
            nonlocal done
            done += k
            if done in (1000, n):
                kids = [rss_bytes(p.pid) or 0 for p in multiprocessing.active_children()]
                print(f"reparse: {done:5d} of {n} parsed  {time.perf_counter() - start:6.1f} s  parent RSS "
                      f"{(rss_bytes(__import__('os').getpid()) or 0) / MB:5.0f} MB  workers "
                      f"{' '.join(f'{k / MB:.0f}' for k in kids)} MB")

        reparse(db, ParseSettings(), workers=workers, progress=progress)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"reparse of {n}: parent peak {peak:.0f} MB")


def office(settings: ParseSettings) -> None:
    """Spreadsheets: a sheet of 1e6 rows, 24 MB of shared strings, a 1 GiB sheet (zip bomb),
    an ODS row repeated a million times, a CSV of 1e6 rows."""
    for label, name, data in (
        ("XLSX of 1e6 rows", "rows.xlsx", office_files.xlsx_rows(1_000_000)),
        ("XLSX with 24 MB shared strings", "strings.xlsx", office_files.xlsx_shared_strings(24)),
        ("XLSX inflating to 1 GiB", "bomb.xlsx", office_files.xlsx_bomb(1.0)),
        ("ODS form + 1e6 repeated rows", "form.ods", office_files.ods(
            {"แบบฟอร์ม": office_files.layout_label_left(office_files.PLACES[0])})),
        ("CSV of 1e6 rows", "rows.csv", office_files.csv_rows(1_000_000)),
    ):
        one(label, kinds.mail("แบบรายงาน", "แนบ", attachments=[(name, data)]), settings)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--office-only", action="store_true", help="only the hostile spreadsheets")
    args = ap.parse_args()
    settings = ParseSettings()
    office(settings)
    if args.office_only:
        return
    one("50 MB attachment", kinds.big_attachment_mail(), settings)
    one("PDF inflating to 1 GiB", kinds.mail("PDF", "แนบ", attachments=[("bomb.pdf", kinds.pdf_inflating_to())]),
        settings)
    one("DOCX of 1e6 paragraphs", kinds.mail("DOCX", "แนบ", attachments=[
        ("big.docx", kinds.docx_with_paragraphs(1_000_000))]), settings)
    one("wide ZIP (1000 x one DOCX)", kinds.mail("ZIP", "แนบ", attachments=[
        ("wide.zip", kinds.wide_zip(kinds.docx_with_paragraphs(2000)))]), settings)
    one("200k-line folded header", kinds.folded_header_mail(), settings)
    one("20k Thai tone-mark pairs", kinds.tone_mark_mail(), settings)
    reparse_memory(args.messages, args.workers)


if __name__ == "__main__":
    main()
