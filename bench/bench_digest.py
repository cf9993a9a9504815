"""How long the daily digests take to build with a realistic store, and screenshots of them.

    python bench/bench_digest.py                       # 10,000 submissions, 5 repeats
    python bench/bench_digest.py --submissions 50000 --repeat 3
    python bench/bench_digest.py --screenshots docs/   # docs/digest-zone.png, docs/digest-national.png

The store gets one role-model selection per province (some corrected, late or
needing review) and monthly best-practice reports from January 2021 on, one to
three per province per month, until there are ``--submissions`` rows. Timed:
building every zone's digest and the national one from the store
(``build_digests``: the status SQL), rendering all 19 (text + HTML), and the
whole ``digest_job`` writing 19 .eml/.html pairs to an outbox.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import areaplan.store.digest_sends  # noqa: E402,F401  (registers the digest migrations)
from areaplan.app.digest_job import prepare_store, run_digest  # noqa: E402
from areaplan.core.config import load_config  # noqa: E402
from areaplan.digest.model import build_digests  # noqa: E402
from areaplan.digest.render import render_all  # noqa: E402
from areaplan.digest.settings import DigestSettings  # noqa: E402
from areaplan.store.db import open_db  # noqa: E402
from areaplan.store.tx import transaction  # noqa: E402

BKK = timedelta(hours=7)
FIRST = ["สมชาย", "สุดา", "วิชัย", "อรุณี", "ประเสริฐ", "กาญจนา", "ธนากร", "พิมพ์ชนก", "สุรเชษฐ์", "นงลักษณ์"]
LAST = ["ใจดี", "มีสุข", "กล้าหาญ", "ศรีสวัสดิ์", "วงศ์ไทย", "บุญมา", "แก้วมณี", "ทองคำ", "พรหมมา", "สายสุวรรณ"]
REVIEW = ["ไม่พบชื่ออำเภอในแบบรายงาน", "ไฟล์แนบ PDF เป็นภาพสแกน อ่านข้อความไม่ได้",
          "ชื่ออำเภอไม่ตรงกับทะเบียน: อ.เมืองลพ", "เขตตรวจราชการที่เขียนในแบบ (เขต 3) ไม่ตรงกับจังหวัด"]


def _when(d: date, rng: random.Random) -> str:
    local = datetime(d.year, d.month, d.day, rng.randint(8, 17), rng.randint(0, 59), tzinfo=UTC) - BKK
    return local.isoformat()


class _Writer:
    """Synthetic submissions, written the way the parsing stage writes them."""

    def __init__(self, db, seed: int) -> None:
        self.db = db
        self.rng = random.Random(seed)
        self.rows: list[tuple] = []
        self.districts: dict[str, list[str]] = {}
        for code, prov in db.execute("SELECT code, province_code FROM districts"):
            self.districts.setdefault(prov, []).append(code)
        self.provinces = [r[0] for r in db.execute("SELECT code FROM provinces WHERE zone IS NOT NULL ORDER BY code")]

    def add(self, code: str | None, campaign: str, period: str, day: date, reason: str | None = None) -> None:
        rng = self.rng
        self.rows.append((code, campaign, period, _when(day, rng),
                          rng.choice(self.districts[code]) if code and rng.random() < 0.97 else None,
                          f"{rng.choice(['นาย', 'นาง', 'นางสาว'])}{rng.choice(FIRST)} {rng.choice(LAST)}",
                          rng.randint(0, 12), int(reason is not None), reason))

    def save(self) -> int:
        db = self.db
        with transaction(db):
            start = db.execute("SELECT COUNT(*) FROM raw_messages").fetchone()[0]
            for i, (code, campaign, period, received, district, reporter, images, review, reason) in enumerate(
                    self.rows, start):
                sha = f"{i:064x}"
                db.execute("INSERT INTO raw_messages (sha256, size, raw) VALUES (?, 1, x'00')", [sha])
                msg = db.execute(
                    "INSERT INTO messages (sha256, content_key, size, first_seen, source) VALUES (?, ?, 1, ?, 'eml')",
                    [sha, sha, received]).lastrowid
                db.execute(
                    """INSERT INTO submissions (message, message_id, campaign, period, received_at, sender, subject,
                       province_code, district_code, reporter_name, reporter_position, image_count, needs_review,
                       review_reasons) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ปลัดจังหวัด', ?, ?, ?)""",
                    [msg, f"bench{i}@example.go.th", campaign, period, received, f"saraban{code}@example.go.th",
                     "ส่งแบบรายงานอำเภอต้นแบบ" if campaign == "role_model" else "รายงาน Best Practice",
                     code, district, reporter, images, review, reason])
            db.execute("""
                UPDATE submissions SET is_current = (id IN (
                    SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY campaign, period, province_code
                                    ORDER BY julianday(received_at) DESC, id DESC) AS rn FROM submissions)
                    WHERE rn = 1))""")
        return len(self.rows)


def fill(db, total: int, seed: int = 2564) -> int:
    """About ``total`` submissions: role-model selections, then monthly reports from January 2021 on."""
    w = _Writer(db, seed)
    rng = w.rng
    for code in w.provinces:
        if rng.random() < 0.93:
            w.add(code, "role_model", "2021", date(2021, 3, 24) + timedelta(days=rng.randint(0, 10)),
                  rng.choice(REVIEW) if rng.random() < 0.06 else None)
    year, month = 2021, 1
    while len(w.rows) < total:
        for code in w.provinces:
            if rng.random() < 0.08:
                continue
            for _ in range(rng.choice((1, 1, 1, 2, 3))):
                day = date(year, month, min(28, max(1, int(rng.gauss(20, 6)))))
                w.add(code, "best_practice", f"{year:04d}-{month:02d}", day,
                      rng.choice(REVIEW) if rng.random() < 0.03 else None)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    w.rows = w.rows[:total]
    return w.save()


def sample(db, on: date, seed: int = 26) -> int:
    """A plausible inbox two days before the role-model deadline, for screenshots."""
    w = _Writer(db, seed)
    rng = w.rng
    for code in w.provinces:
        r = rng.random()
        if r < 0.62:  # sent; a few twice (a correction), a few need a person
            w.add(code, "role_model", "2021", on - timedelta(days=rng.randint(0, 9)),
                  rng.choice(REVIEW) if rng.random() < 0.1 else None)
            if rng.random() < 0.1:
                w.add(code, "role_model", "2021", on - timedelta(days=rng.randint(0, 2)))
        r = rng.random()
        if r < 0.8:  # March's report: mostly by the 25th, some after
            day = date(on.year, on.month, rng.randint(1, 25) if r < 0.7 else rng.randint(26, on.day))
            w.add(code, "best_practice", f"{on.year:04d}-{on.month:02d}", day,
                  rng.choice(REVIEW) if rng.random() < 0.04 else None)
    w.add(None, "role_model", "2021", on - timedelta(days=1), "ไม่พบชื่อจังหวัดในอีเมลและไฟล์แนบ")
    n = w.save()
    db.execute("INSERT INTO runs (kind, started_at, finished_at, status, summary) VALUES "
               "('poll', ?, ?, 'ok', 'poll: 12 seen, 3 new')", [_when(on, rng)] * 2)
    return n


def timed(fn, repeat: int) -> tuple[float, float]:
    """(median, min) wall seconds of ``fn()`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def bench(submissions: int, repeat: int, on: date) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cfg = load_config(None, str(Path(tmp) / "bench.db"))
        db = open_db(cfg.db)
        prepare_store(db, cfg, through=on)
        t0 = time.perf_counter()
        n = fill(db, submissions)
        load = time.perf_counter() - t0
        settings = DigestSettings()
        provinces = db.execute("SELECT COUNT(*) FROM provinces WHERE zone IS NOT NULL").fetchone()[0]
        periods = db.execute("SELECT COUNT(*) FROM campaign_periods").fetchone()[0]
        print(f"store: {n} submissions, {provinces} provinces in 18 zones, {periods} campaign periods "
              f"(inserted in {load:.1f} s); digest date {on}")
        zone_digests, national = build_digests(db, on)
        build = timed(lambda: build_digests(db, on), repeat)
        render = timed(lambda: render_all(zone_digests, national, settings), repeat)
        whole = timed(lambda: run_digest(cfg, db, on, outbox=Path(tmp) / "outbox"), repeat)
        view = timed(lambda: db.execute("SELECT * FROM zone_summary").fetchall(), repeat)
        for label, (med, best) in (("build_digests (status SQL, 18 zones + national)", build),
                                   ("render_all (19 digests, text + HTML)", render),
                                   ("digest job to outbox (build + render + 19 .eml/.html)", whole),
                                   ("SELECT * FROM zone_summary (all periods)", view)):
            print(f"  {label:58s} median {med * 1000:8.1f} ms   min {best * 1000:8.1f} ms")
        db.close()


def screenshots(out_dir: Path, on: date) -> None:
    """Render realistic digests for ``on`` and screenshot them with headless Chromium."""
    import shutil
    import subprocess

    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        sys.exit("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        cfg = load_config(None, str(Path(tmp) / "sample.db"))
        db = open_db(cfg.db)
        prepare_store(db, cfg, through=on)
        sample(db, on)
        run_digest(cfg, db, on, outbox=Path(tmp) / "outbox")
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, target, height in (("zone-01", "digest-zone.png", 1900), ("national", "digest-national.png", 2900)):
            profile = Path(tmp) / f"profile-{name}"
            subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                            "--no-first-run", "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}",
                            f"--screenshot={out_dir / target}", f"--window-size=800,{height}",
                            (Path(tmp) / "outbox" / f"{name}.html").as_uri()],
                           check=True, capture_output=True, timeout=120)
            print(out_dir / target)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--submissions", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--date", type=date.fromisoformat, default=None,
                    help="digest date (default: 2021-03-29 for screenshots, 2025-06-20 for the benchmark)")
    ap.add_argument("--screenshots", type=Path, help="write digest-zone.png and digest-national.png here instead")
    args = ap.parse_args()
    if args.screenshots:
        screenshots(args.screenshots, args.date or date(2021, 3, 29))
    else:
        bench(args.submissions, args.repeat, args.date or date(2025, 6, 20))


if __name__ == "__main__":
    main()
