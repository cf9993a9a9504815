"""Zone selection and the map: how long the pieces take at the letter's size (prints figures).

    python bench/bench_stage2.py [--pdf-zones 2]

A store with every one of the 76 provinces nominating one district, three inspectors per
zone scoring every nominee, each zone choosing; then: reading the 18 zone sheets, the
national choices, the XLSX export of the sheets, the 18 selection reports as DOCX, a few as
PDF (LibreOffice, the slow part), and the tile map (HTML + PNG) for one period.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(label: str, fn, *args, **kwargs):  # noqa: ANN001, ANN201
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    print(f"{label:<48} {time.perf_counter() - start:8.3f} s")
    return result


def build(tmp: Path):  # noqa: ANN201
    from areaplan.app.digest_job import prepare_store
    from areaplan.core.config import load_config
    from areaplan.digest.settings import load_campaigns
    from areaplan.store.db import open_db

    cfg_path = tmp / "config.toml"
    cfg_path.write_text("""
[[campaigns]]
id = "role_model_2021"
kind = "role_model"
title_th = "การคัดเลือกอำเภอต้นแบบ (Role Model)"
deadline = 2021-03-31

[[campaigns]]
id = "zone_2021"
kind = "zone_selection"
title_th = "การคัดเลือกอำเภอต้นแบบ ระดับเขตตรวจราชการ"
nominations = "role_model_2021"
deadline = 2021-04-30
""", encoding="utf-8")
    config = load_config(cfg_path, str(tmp / "bench.db"))
    db = open_db(config.db)
    prepare_store(db, config, through=date(2021, 4, 30))
    provinces = db.execute("SELECT code, zone FROM provinces WHERE zone IS NOT NULL").fetchall()
    for i, (code, zone) in enumerate(provinces):
        district = db.execute("SELECT code FROM districts WHERE province_code = ? ORDER BY code LIMIT 1",
                              [code]).fetchone()[0]
        raw = f"Subject: bench {i}\r\n\r\nbody\r\n".encode()
        db.execute("INSERT INTO raw_messages (sha256, size, raw) VALUES (?, ?, ?)", [f"{i:064d}", len(raw), raw])
        mid = db.execute("INSERT INTO messages (sha256, content_key, message_id, size, first_seen, source)"
                         " VALUES (?, ?, ?, ?, '2021-03-29T03:00:00+00:00', 'eml')",
                         [f"{i:064d}", f"k{i}", f"b{i}@x", len(raw)]).lastrowid
        criteria = json.dumps({str(k): f"ผลงานเด่นข้อ {k} ของจังหวัด {code}" for k in range(1, 5)}, ensure_ascii=False)
        db.execute("INSERT INTO submissions (key, message, message_id, campaign, period, received_at, province_code,"
                   " district_code, zone, reporter_name, criteria, image_count, is_current)"
                   " VALUES (?, ?, ?, 'role_model', '2021', '2021-03-29T10:00:00+07:00', ?, ?, ?, 'นายทดสอบ', ?, 3, 1)",
                   [str(mid), mid, f"b{i}@x", code, district, zone, criteria])
    (stage,) = [c for c in load_campaigns(config) if c.kind == "zone_selection"]
    return db, stage, provinces


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pdf-zones", type=int, default=2, help="how many zone reports to convert to PDF")
    args = ap.parse_args()

    from areaplan.digest.export import export
    from areaplan.digest.model import build_digests
    from areaplan.digest.render import render_national
    from areaplan.digest.selection_report import to_pdf, write_reports
    from areaplan.digest.settings import DigestSettings
    from areaplan.store import selection as sel

    on = date(2021, 4, 10)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        db, stage, provinces = timed("store: 76 nominations", build, tmp)

        def score_all() -> None:
            for code, zone in provinces:
                for scorer in ("insp-a", "insp-b", "insp-c"):
                    sel.record_scores(db, stage, zone, code, scorer, {k: (k + int(code)) % 11 for k in range(1, 5)}, on)

        timed("score: 76 nominees x 3 inspectors x 4 criteria", score_all)
        sheets = timed("read: 18 zone sheets", lambda: [sel.zone_sheet(db, stage, z, on) for z in range(1, 19)])
        for s in sheets:
            sel.choose(db, stage, s.zone, max(s.nominees, key=lambda n: s.total(n.province_code)).province_code,
                       "insp-a", on)
        timed("read: national choices (18)", sel.national_choices, db, stage)
        timed("export: XLSX with selection sheets", export, db, tmp / "export", on, ("xlsx",), (stage,))
        docs = timed("report: 18 zone DOCX", write_reports, db, stage, tmp / "reports", on, pdf=False)
        for i in range(args.pdf_zones):
            timed(f"report: DOCX -> PDF (LibreOffice), zone {i + 1}", to_pdf, docs[i], tmp / "pdf")
        _, national = timed("digest: build (national)", build_digests, db, date(2021, 3, 29))
        rendered = timed("digest: render national with the tile maps", render_national, national, DigestSettings())
        print(f"{'tile map PNG size (first period)':<48} {len(rendered.images[0][1]):8d} bytes")
        print(f"{'national digest HTML size':<48} {len(rendered.html.encode()):8d} bytes")


if __name__ == "__main__":
    main()
