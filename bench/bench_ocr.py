"""Thai OCR against bare tesseract, page by page, and the cost of photos in a morning's mail.

    nice python bench/bench_ocr.py                 # CER per page and class, time per page
    nice python bench/bench_ocr.py --morning 20    # 20 messages, 60 photos, parsed by `areaplan reparse`
    nice python bench/bench_ocr.py --real          # real government pages (TH Sarabun), real scan
    nice python bench/bench_ocr.py --digits        # Thai digits of whole real pages, by tesseract and by shape

``--real``: the PDFs of tests/data/real-docs rendered at 300 dpi with their own embedded fonts
(TH SarabunIT๙, TH SarabunPSK: what provinces print) and then scanned/photographed as below,
plus the real 300 dpi scan (ScandAll, 1-bit) as it is and degraded; reference: the "first
lines" of their SOURCES.md, each line scored against its best-matching stretch of the OCR
text (whitespace removed), so the rest of the page costs nothing.

Pages are rendered by tests/ocr_pages.py (the role-model form filled in, and a government
memo with a ruled table; TLWG fonts: Laksaman ~ TH Sarabun New, Garuda, Loma, Kinnari), then
made into three classes of picture: a clean 300 dpi scan, an office scan (200 dpi, 1-2°
skew, noise, JPEG q50) and a phone photo (page on a table: perspective, shadow, blur).

CER = Levenshtein distance / reference length, after NFC, with all whitespace and dotted
leaders (3+ dots) removed from both sides: Thai has no word spaces, and leaders are the
form's blanks, not text. Times: wall seconds, and CPU seconds of the process and its
tesseract children (steadier when the machine is shared). "bare" is ``tesseract IMAGE - -l tha+eng`` on the same picture
(OMP_THREAD_LIMIT=1, as the product runs it); "bare+am" is that text with sara am composed
(ํ + า → ำ), which is what bare tesseract is usually compared with after a trivial fix. "net"
says whether the page's first (prepared) reading failed the soundness check, so that bare
tesseract and psm 4 were read too.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import mailbox
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
import ocr_pages  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

from areaplan.parsers import ocr  # noqa: E402

ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}
CLASSES = ("clean-300", "office-200", "phone")
PAGES = (
    ("form", "Laksaman", "น่าน", "ปัว"),
    ("memo", "Laksaman", None, None),
    ("form", "Loma", "เชียงราย", "แม่สาย"),
    ("memo", "Garuda", None, None),
    ("form", "Kinnari", "ขอนแก่น", "ชุมแพ"),
    ("memo", "Norasi", None, None),
)


def canon(text: str) -> str:
    text = re.sub(r"[.…_]{3,}", "", unicodedata.normalize("NFC", text))
    return re.sub(r"\s+", "", text)


def cer(reference: str, hypothesis: str) -> float:
    ref = canon(reference)
    return Levenshtein.distance(ref, canon(hypothesis)) / max(1, len(ref))


def picture(page: ocr_pages.Page, cls: str, seed: int) -> bytes:
    if cls == "clean-300":
        return ocr_pages.clean_scan(page)
    if cls == "office-200":
        return ocr_pages.office_scan(page, seed)
    return ocr_pages.phone_photo(page, seed)


def cpu() -> float:
    """CPU seconds of this process and its finished children (tesseract) so far."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def bare(data: bytes) -> tuple[str, float, float]:
    """Bare tesseract's text, wall seconds and CPU seconds."""
    with tempfile.NamedTemporaryFile(suffix=".img") as f:
        f.write(data)
        f.flush()
        t, c = time.perf_counter(), cpu()
        out = subprocess.run(["tesseract", f.name, "-", "-l", "tha+eng"], capture_output=True, env=ENV)
        return out.stdout.decode("utf-8", "replace"), time.perf_counter() - t, cpu() - c


def pages_bench(n_pages: int) -> None:
    print(f"{'page':<22} {'class':<11} {'bare':>7} {'bare+am':>8} {'areaplan':>9} {'t bare':>7} "
          f"{'t ours':>7} {'ratio':>6} {'cpu ratio':>9} {'net':>3}  chosen")
    per_class: dict[str, list[tuple]] = {c: [] for c in CLASSES}
    worse = []
    nets = 0
    for k, (kind, font, prov, dist) in enumerate(PAGES[:n_pages]):
        page = (ocr_pages.form_page(prov, dist, font_name=font, seed=k) if kind == "form"
                else ocr_pages.memo_page(font_name=font, seed=k))
        ref = canon(page.text)
        for c, cls in enumerate(CLASSES):
            data = picture(page, cls, seed=100 * k + c)
            b_text, b_time, b_cpu = bare(data)
            t, c0 = time.perf_counter(), cpu()
            ours = ocr.ocr_page(data, time.monotonic() + 300)
            o_time, o_cpu = time.perf_counter() - t, cpu() - c0
            e_bare = Levenshtein.distance(ref, canon(b_text))
            e_am = Levenshtein.distance(ref, canon(ocr.compose(b_text)))
            e_ours = Levenshtein.distance(ref, canon(ours.text))
            per_class[cls].append((len(ref), e_bare, e_am, e_ours, b_time, o_time, b_cpu, o_cpu))
            if e_ours > e_bare:
                worse.append(f"{page.name} {cls}")
            nets += ours.safety_net
            print(f"{page.name:<22} {cls:<11} {e_bare / len(ref):7.2%} {e_am / len(ref):8.2%} "
                  f"{e_ours / len(ref):9.2%} {b_time:6.1f}s {o_time:6.1f}s {o_time / b_time:5.1f}x "
                  f"{o_cpu / b_cpu:8.1f}x {'yes' if ours.safety_net else 'no':>3}  {ours.chosen[:60]}", flush=True)
    print("\noverall CER per class (errors / reference characters)")
    print(f"{'class':<11} {'pages':>5} {'bare':>7} {'bare+am':>8} {'areaplan':>9} {'s/page bare':>12} "
          f"{'s/page ours':>12} {'cpu s bare':>11} {'cpu s ours':>11}")
    for cls, rows in per_class.items():
        n, k = sum(r[0] for r in rows), len(rows)
        print(f"{cls:<11} {k:5d} {sum(r[1] for r in rows) / n:7.2%} {sum(r[2] for r in rows) / n:8.2%} "
              f"{sum(r[3] for r in rows) / n:9.2%} {sum(r[4] for r in rows) / k:11.1f}s "
              f"{sum(r[5] for r in rows) / k:11.1f}s {sum(r[6] for r in rows) / k:10.1f}s "
              f"{sum(r[7] for r in rows) / k:10.1f}s")
    print(f"\npages read with the safety net (bare tesseract, and psm 4 where rows were left unread): {nets} of {len(PAGES[:n_pages]) * len(CLASSES)}")
    print(f"pages where areaplan is worse than bare tesseract: {len(worse)}"
          + (f" ({', '.join(worse)})" if worse else ""))


# --------------------------------------------------------------------------- a morning


def morning_mail(n_messages: int, photos_per_message: int, documents_every: int) -> list[bytes]:
    """Role-model mails with photos: every ``documents_every``-th photo is a page (a photographed
    form or an office scan saved as JPEG), the others field photos at phone resolution."""
    out = []
    when = datetime(2021, 3, 30, 7, 0, tzinfo=UTC)
    places = [("น่าน", "ปัว"), ("เชียงราย", "แม่สาย"), ("ขอนแก่น", "ชุมแพ"), ("สงขลา", "หาดใหญ่"),
              ("ลำปาง", "เกาะคา"), ("ตรัง", "กันตัง")]
    photo_no = 0
    for m in range(n_messages):
        prov, dist = places[m % len(places)]
        msg = EmailMessage()
        msg["From"] = f"saraban{m}@example.go.th"
        msg["To"] = "dopa.areaplan@gmail.com"
        msg["Subject"] = f"ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ จังหวัด{prov}"
        msg["Date"] = format_datetime(when + timedelta(minutes=7 * m))
        msg["Message-ID"] = f"<morning-{m}@example.go.th>"
        msg.set_content(f"ที่ทำการปกครองจังหวัด{prov} ได้พิจารณาคัดเลือกอำเภอ{dist} เป็นอำเภอต้นแบบ\nภาพประกอบตามแนบ")
        for _ in range(photos_per_message):
            photo_no += 1
            if photo_no % documents_every == 0:
                page = ocr_pages.form_page(prov, dist, seed=photo_no)
                data = (ocr_pages.phone_photo(page, photo_no) if photo_no % (2 * documents_every) == 0
                        else ocr_pages.office_scan(page, photo_no))
            else:
                data = ocr_pages.field_photo(photo_no, size=(4032, 3024))
            msg.add_attachment(data, maintype="image", subtype="jpeg", filename=f"IMG_{photo_no:04d}.jpg")
        out.append(msg.as_bytes())
    return out


def morning_bench(n_messages: int, documents_every: int) -> None:
    photos = 3 * n_messages
    t = time.perf_counter()
    raws = morning_mail(n_messages, 3, documents_every)
    made = time.perf_counter() - t
    docs = photos // documents_every
    tmp = Path(tempfile.mkdtemp(prefix="areaplan-ocr-morning-"))
    box = mailbox.mbox(tmp / "morning.mbox")
    for raw in raws:
        box.add(raw)
    box.flush()
    db = tmp / "m.db"
    base = [sys.executable, "-m", "areaplan", "--db", str(db)]
    subprocess.run([*base, "import", "--no-parse", str(tmp / "morning.mbox")], check=True, capture_output=True)
    t = time.perf_counter()
    subprocess.run([*base, "reparse", "--pending"], check=True, capture_output=True)
    parse = time.perf_counter() - t
    mb = sum(map(len, raws)) / 1e6
    print(f"generated {n_messages} messages ({mb:.0f} MB), {photos} photos of which {docs} pages, in {made:.0f} s")
    print(f"areaplan reparse --pending (2 worker processes): {parse:.1f} s")
    scale = 100 / n_messages
    print(f"extrapolated linearly to 100 messages / 300 photos ({300 // documents_every} pages): "
          f"{parse * scale:.0f} s")
    print(f"store: {db}")


REAL_PAGES = (  # file, pages whose text the reference lines come from
    ("spm-order-361-2562_word2019_thsarabunit9.pdf", (0,)),
    ("spm-order-302-2555_pdfmaker10_thsarabunpsk_pua.pdf", (0,)),
    ("spm-order-215-2560_scanned_no-text.pdf", (0,)),
    ("inspection-plan-2563_word-pages_tables_48p.pdf", (1,)),
)


def real_bench() -> None:
    import bench_textlayer as tl
    import pypdfium2
    from PIL import Image

    print(f"{'document':<46} {'class':<11} {'ref':>5} {'bare':>7} {'bare+am':>8} {'areaplan':>9} {'cpu ratio':>9} {'net':>3}")
    totals: dict[str, list[int]] = {c: [0, 0, 0, 0] for c in CLASSES}
    cpu_totals = {c: [0.0, 0.0] for c in CLASSES}
    for k, (name, pages) in enumerate(REAL_PAGES):
        reference = tl.reference_lines(name)
        if "inspection-plan" in name:  # the cover's captions are on page 1: keep page 2's lines
            reference = "\n".join(reference.splitlines()[5:])
        ref_lines = [canon(line) for line in reference.splitlines() if canon(line)]
        n_ref = sum(map(len, ref_lines))
        pdf = pypdfium2.PdfDocument((tl.DOCS / name).read_bytes())
        for i in pages:
            grey = pdf[i].render(scale=300 / 72, grayscale=True).to_pil().convert("L")
            page = ocr_pages.Page(name, Image.fromarray(np.asarray(grey)), reference, 300)
            for c, cls in enumerate(CLASSES):
                data = picture(page, cls, seed=100 * k + c)
                b_text, _, b_cpu = bare(data)
                c0 = cpu()
                ours = ocr.ocr_page(data, time.monotonic() + 300)
                o_cpu = cpu() - c0
                errs = [sum(tl.stretch_errors(line, canon(t)) for line in ref_lines)
                        for t in (b_text, ocr.compose(b_text), ours.text)]
                for j, e in enumerate(errs):
                    totals[cls][j] += e
                totals[cls][3] += n_ref
                cpu_totals[cls][0] += b_cpu
                cpu_totals[cls][1] += o_cpu
                print(f"{name[:46]:<46} {cls:<11} {n_ref:5d} {errs[0] / n_ref:7.2%} {errs[1] / n_ref:8.2%} "
                      f"{errs[2] / n_ref:9.2%} {o_cpu / b_cpu:8.1f}x {'yes' if ours.safety_net else 'no':>3}", flush=True)
    print("\noverall CER per class on the reference lines")
    for cls in CLASSES:
        b, am, o, n = totals[cls]
        print(f"{cls:<11} bare {b / n:6.2%}  bare+am {am / n:6.2%}  areaplan {o / n:6.2%}  "
              f"cpu areaplan/bare {cpu_totals[cls][1] / cpu_totals[cls][0]:.2f}x")


def digits_bench() -> None:
    """Thai digits of whole pages against their text layers, before and after the shape check."""
    import bench_textlayer as tl
    import pypdfium2
    from PIL import Image

    thai = "๐๑๒๓๔๕๖๗๘๙"

    def digits(text: str) -> str:
        return "".join(ch for ch in text if ch in thai)

    def right(truth: str, hyp: str) -> set[int]:
        return {i for op in Levenshtein.opcodes(truth, hyp) if op.tag == "equal"
                for i in range(op.src_start, op.src_end)}

    print(f"{'document':<46} {'class':<11} {'digits':>6} {'tesseract':>9} {'by shape':>8} {'made wrong':>10}")
    sums = [0, 0, 0, 0]
    for k, (name, pages) in enumerate(REAL_PAGES[:2]):  # the two orders with text layers
        pdf = pypdfium2.PdfDocument((tl.DOCS / name).read_bytes())
        truth = digits(pdf[pages[0]].get_textpage().get_text_range())
        grey = pdf[pages[0]].render(scale=300 / 72, grayscale=True).to_pil().convert("L")
        page = ocr_pages.Page(name, Image.fromarray(np.asarray(grey)), "", 300)
        for c, cls in enumerate(CLASSES):
            deadline = time.monotonic() + 300
            prepared, _, _ = ocr.prepare(ocr.prep.decode(picture(page, cls, seed=100 * k + c)), deadline, [])
            reading = ocr.read("prepared psm 6", ocr._png(prepared), 6, deadline)
            checked, _ = ocr.digits_by_shape(reading, prepared, deadline)
            before, after = digits(reading.text), digits(checked.text)
            e0, e1 = Levenshtein.distance(truth, before), Levenshtein.distance(truth, after)
            wrong = len(right(truth, before) - right(truth, after))
            for j, v in enumerate((len(truth), e0, e1, wrong)):
                sums[j] += v
            print(f"{name[:46]:<46} {cls:<11} {len(truth):6d} {e0:9d} {e1:8d} {wrong:10d}", flush=True)
    print(f"{'all':<58} {sums[0]:6d} {sums[1]:9d} {sums[2]:8d} {sums[3]:10d}  (edit distance of the page's digits)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=len(PAGES), help="how many of the page templates")
    ap.add_argument("--morning", type=int, default=0, metavar="N", help="time N messages x 3 photos instead")
    ap.add_argument("--real", action="store_true", help="real government pages instead (tests/data/real-docs)")
    ap.add_argument("--digits", action="store_true", help="Thai digits of whole real pages vs their text layers")
    ap.add_argument("--documents-every", type=int, default=10, help="one photo in this many is a page")
    args = ap.parse_args()
    if ocr.tesseract_path() is None:
        sys.exit("needs tesseract with Thai: apt-get install tesseract-ocr tesseract-ocr-tha")
    if args.digits:
        digits_bench()
    elif args.real:
        real_bench()
    elif args.morning:
        morning_bench(args.morning, args.documents_every)
    else:
        pages_bench(args.pages)


if __name__ == "__main__":
    main()
