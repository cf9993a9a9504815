"""Fill a real Dovecot mailbox with N realistic report e-mails.

Library use (e.g. from the poller benchmark)::

    from bench.imap_fill import fill_mailbox          # or: import imap_fill
    result = fill_mailbox(server, user, n=1000)       # server: tests/imap_server.DovecotServer
    print(result.seconds, result.uids[:3])

Script use (starts its own throwaway Dovecot, fills it, prints timings)::

    python bench/imap_fill.py                  # 1000 messages of ~280 KB into INBOX
    python bench/imap_fill.py -n 200 --size-kb 50 --keep   # keep serving until Ctrl-C

Messages look like what district offices send the planning division: a Thai
subject, a short Thai plain-text body, a "photo.jpg" (random bytes behind a
JPEG header, so it is incompressible like a real photo) and a small but valid
one-page PDF.  Content is deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import itertools
import os
import random
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

_TESTS_DIR = Path(__file__).resolve().parent.parent / "tests"
if str(_TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(_TESTS_DIR))

from imap_server import DovecotServer  # noqa: E402

__all__ = ["make_message", "generate_messages", "fill_mailbox", "FillResult", "main"]

TH_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")

_DISTRICTS = [
    "อำเภอเมืองเชียงใหม่",
    "อำเภอสันทราย",
    "อำเภอหางดง",
    "อำเภอแม่ริม",
    "อำเภอสารภี",
    "อำเภอเมืองขอนแก่น",
    "อำเภอบ้านไผ่",
    "อำเภอชุมแพ",
    "อำเภอเมืองนครราชสีมา",
    "อำเภอปากช่อง",
    "อำเภอเมืองสงขลา",
    "อำเภอหาดใหญ่",
    "เขตบางรัก",
    "เขตปทุมวัน",
]
_TOPICS = [
    "รายงานผลการตรวจพื้นที่",
    "รายงานความคืบหน้าโครงการ",
    "ขอส่งแผนผังพื้นที่",
    "รายงานการใช้ประโยชน์ที่ดิน",
    "สรุปผลการประชุมคณะกรรมการ",
    "แจ้งปัญหาการบุกรุกที่สาธารณะ",
    "รายงานสถานการณ์น้ำท่วม",
    "ขอส่งภาพถ่ายประกอบรายงาน",
]
_SENTENCES = [
    "เรียน ผู้อำนวยการกองวางแผน",
    "ตามที่ได้รับมอบหมายให้ดำเนินการตรวจสอบพื้นที่ดังกล่าว บัดนี้ได้ดำเนินการเรียบร้อยแล้ว",
    "จึงขอส่งรายงานพร้อมภาพถ่ายประกอบมาเพื่อโปรดทราบ",
    "พื้นที่ดังกล่าวมีการก่อสร้างอาคารเพิ่มเติมจำนวน {n} หลัง",
    "ระยะทางจากถนนสายหลักประมาณ {km} กิโลเมตร",
    "ทั้งนี้ได้ประสานงานกับผู้ใหญ่บ้านและกำนันในพื้นที่แล้ว",
    "จึงเรียนมาเพื่อโปรดพิจารณา",
]


def _jpeg_like(rng: random.Random, size: int) -> bytes:
    # SOI + JFIF APP0 header, incompressible payload, EOI
    head = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00"
    body = rng.randbytes(max(0, size - len(head) - 2))
    return head + body + b"\xff\xd9"


def _tiny_pdf(title: str) -> bytes:
    """A valid one-page PDF (correct xref) containing one line of ASCII text."""
    text = title.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode("latin-1")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def make_message(
    i: int, rng: random.Random | None = None, size: int = 280_000, date: dt.datetime | None = None
) -> bytes:
    """Message number *i* as RFC 5322 bytes (CRLF), about *size* bytes long."""
    rng = rng or random.Random(i)
    district = rng.choice(_DISTRICTS)
    topic = rng.choice(_TOPICS)
    date = date or dt.datetime(2024, 1, 1, 8, 0, tzinfo=TH_TZ) + dt.timedelta(minutes=37 * i)

    msg = EmailMessage()
    msg["Subject"] = f"{topic} {district} ครั้งที่ {i + 1}"
    office = rng.randrange(1, 900)
    # ASCII display name: Python's email package splits long Thai display names
    # into several encoded-words and then decodes them with stray spaces.
    msg["From"] = f"District Office {office:03d} <amphoe{office:03d}@dopa.example>"
    msg["To"] = "กองวางแผน <planning@dopa.example>"
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = make_msgid(idstring=f"fill{i}", domain="dopa.example")
    body = "\n\n".join(
        s.format(n=rng.randrange(1, 40), km=rng.randrange(1, 25)) for s in _SENTENCES
    )
    msg.set_content(body + f"\n\n{district}\n")

    pdf = _tiny_pdf(f"Area report {i + 1}")
    # base64 grows the photo by 4/3 plus CRLF every 76 chars; aim the total at *size*
    overhead = 2_500 + len(pdf) * 4 // 3
    photo_raw = max(1_000, (size - overhead) * 57 // 78)
    photo = _jpeg_like(rng, photo_raw)
    # The email package's base64 encoder is slow for big parts: attach a unique
    # placeholder and splice in the real (identically formatted) base64 after.
    placeholder = f"@@photo-placeholder-{i}-{rng.getrandbits(64):016x}@@".encode()
    msg.add_attachment(placeholder, maintype="image", subtype="jpeg", filename="photo.jpg")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"report-{i + 1}.pdf")
    raw = msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))
    encoded_placeholder = base64.b64encode(placeholder) + b"\r\n"
    assert raw.count(encoded_placeholder) == 1
    return raw.replace(encoded_placeholder, base64.encodebytes(photo).replace(b"\n", b"\r\n"))


def generate_messages(n: int, *, size: int = 280_000, seed: int = 1) -> Iterator[bytes]:
    rng = random.Random(seed)
    for i in range(n):
        yield make_message(i, rng, size)


@dataclass
class FillResult:
    uids: list[int]
    seconds: float  # wall time of generation + upload
    upload_seconds: float  # time spent in IMAP APPEND only
    total_bytes: int

    @property
    def mb_per_s(self) -> float:
        return self.total_bytes / 1e6 / self.upload_seconds if self.upload_seconds else 0.0


def fill_mailbox(
    server: DovecotServer,
    user: str,
    folder: str = "INBOX",
    n: int = 1000,
    *,
    size: int = 280_000,
    seed: int = 1,
    chunk: int = 100,
) -> FillResult:
    """Append *n* generated messages to *user*/*folder*; returns UIDs and timings.

    Messages go up in MULTIAPPEND batches of *chunk* (one IMAP connection
    each) while a helper thread already generates the next batch.
    """
    t0 = time.monotonic()
    upload = 0.0
    total = 0
    uids: list[int] = []
    gen = generate_messages(n, size=size, seed=seed)

    def next_batch() -> list[bytes]:
        return list(itertools.islice(gen, chunk))

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(next_batch)
        while batch := pending.result():
            pending = pool.submit(next_batch)
            total += sum(map(len, batch))
            t = time.monotonic()
            uids.extend(server.append_many(user, folder, batch))
            upload += time.monotonic() - t
    return FillResult(uids, time.monotonic() - t0, upload, total)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=1000, help="number of messages (default 1000)")
    ap.add_argument("--size-kb", type=int, default=280, help="approx. size of each (default 280)")
    ap.add_argument("--folder", default="INBOX")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--keep",
        action="store_true",
        help="keep the server running (print how to connect) until Ctrl-C",
    )
    args = ap.parse_args(argv)

    with DovecotServer() as srv:
        print(
            f"dovecot up in {srv.startup_seconds:.3f}s on 127.0.0.1:{srv.imap_port} "
            f"(IMAPS {srv.imaps_port})"
        )
        user, password = "bench", "bench-" + os.urandom(4).hex()
        srv.add_user(user, password)
        if args.folder != "INBOX":
            srv.create_folder(user, args.folder)
        res = fill_mailbox(srv, user, args.folder, args.n, size=args.size_kb * 1000, seed=args.seed)
        print(
            f"filled {user}/{args.folder} with {len(res.uids)} messages "
            f"({res.total_bytes / 1e6:.1f} MB) in {res.seconds:.2f}s "
            f"(IMAP upload {res.upload_seconds:.2f}s = {res.mb_per_s:.0f} MB/s, "
            f"{len(res.uids) / res.upload_seconds:.0f} msg/s)"
        )
        if args.keep:
            print(
                f"user={user} password={password} ca_file={srv.ca_file}\n"
                f"maildir={srv.maildir(user)}\nCtrl-C to stop"
            )
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
