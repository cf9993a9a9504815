"""Helpers for the digest, status and export tests: a real SQLite store with rows in it.

Submissions are written the way the parsing stage writes them (a raw message, a
messages row, a submissions row; ``is_current`` on the newest of each province
and period), so the views and the digest read what production would read.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import sqlite_utils

import areaplan.store.digest_sends  # noqa: F401  (registers the digest migrations)
import areaplan.store.status  # noqa: F401
from areaplan.app.digest_job import prepare_store
from areaplan.core.campaigns import DEFAULT_CAMPAIGNS, period_for
from areaplan.core.clock import utcnow
from areaplan.core.config import Config, load_config
from areaplan.store.db import open_db

_counter = itertools.count(1)

# Zone 1 (เขตตรวจราชการที่ 1): Ayutthaya, Ang Thong, Lop Buri, Sing Buri, Chai Nat, Saraburi.
ZONE1 = ("14", "15", "16", "17", "18", "19")


REPO = Path(__file__).resolve().parent.parent


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for running ``python -m areaplan`` from this checkout in a subprocess.

    No AREAPLAN_* variables leak in from the caller, and this working tree comes first
    on the path (whatever copy of areaplan is pip-installed elsewhere).
    """
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("AREAPLAN_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


def make_db(tmp_path: Path, name: str = "areaplan.db") -> sqlite_utils.Database:
    """A migrated store with the gazetteer and the default campaigns (through 2021-12)."""
    db = open_db(tmp_path / name)
    prepare_store(db, empty_config(tmp_path / name), through=date(2021, 12, 31))
    return db


def empty_config(db_path: Path) -> Config:
    """The embedded default config (no file), with the database at ``db_path``."""
    return load_config(None, str(db_path))


def write_config(path: Path, text: str, db_path: Path) -> Config:
    path.write_text(text, encoding="utf-8")
    return load_config(path, str(db_path))


def add_message(db: sqlite_utils.Database, subject: str = "", received_at: str | None = None) -> int:
    """A raw message and its ``messages`` row; returns the message id."""
    n = next(_counter)
    raw = f"Subject: test {n}\r\n\r\nbody {n}\r\n".encode()
    sha = hashlib.sha256(raw + str(id(db)).encode()).hexdigest()
    db.execute("INSERT INTO raw_messages (sha256, size, raw) VALUES (?, ?, ?)", [sha, len(raw), raw])
    cur = db.execute(
        "INSERT INTO messages (sha256, content_key, message_id, size, internal_date, first_seen, source)"
        " VALUES (?, ?, ?, ?, ?, ?, 'eml')",
        [sha, f"key-{sha}", f"m{n}@example.org", len(raw), received_at, received_at or utcnow()],
    )
    return int(cur.lastrowid)


def add_submission(
    db: sqlite_utils.Database,
    province: str | None,
    received_at: str,
    *,
    campaign: str = "role_model",
    period: str | None = None,
    district: str | None = None,
    reporter: str | None = "นายทดสอบ ระบบ",
    reporter_position: str | None = "ปลัดจังหวัด",
    image_count: int = 3,
    needs_review: bool = False,
    review_reasons: str | None = None,
    narrative: str | None = "ผลการดำเนินงานที่โดดเด่น",
    subject: str | None = None,
    sender: str | None = "province@example.go.th",
    zone: int | None = None,
) -> int:
    """A submission as the parsing stage stores it; returns its id. ``is_current`` is refreshed."""
    period = period or period_for(campaign, received_at, DEFAULT_CAMPAIGNS)
    message = add_message(db, subject or "", received_at)
    cur = db.execute(
        """INSERT INTO submissions (message, message_id, campaign, period, received_at, sender, subject,
           province_code, district_code, zone, reporter_name, reporter_position, narrative, image_count,
           needs_review, review_reasons, is_current)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)""",
        [message, f"m{message}@example.org", campaign, period, received_at, sender,
         subject or f"ส่งแบบรายงาน {campaign}", province, district, zone, reporter, reporter_position,
         narrative, image_count, int(needs_review), review_reasons],
    )
    if province is not None:
        db.execute(
            """UPDATE submissions SET is_current = (id = (
                   SELECT id FROM submissions WHERE campaign = ? AND period = ? AND province_code = ?
                   ORDER BY julianday(received_at) DESC, id DESC LIMIT 1))
               WHERE campaign = ? AND period = ? AND province_code = ?""",
            [campaign, period, province] * 2,
        )
    return int(cur.lastrowid)


def add_review_message(
    db: sqlite_utils.Database, subject: str, reasons: list[str], received_at: str,
    from_addr: str = "someone@example.org",
) -> int:
    """A parsed message sent to review that made no submission."""
    message = add_message(db, subject, received_at)
    db.execute(
        """INSERT INTO parsed_messages (message, parser_version, parsed_at, subject, from_addr, received_at,
           campaign, status, review_reasons) VALUES (?, 1, ?, ?, ?, ?, 'other', 'review', ?)""",
        [message, utcnow(), subject, from_addr, received_at, "\n".join(reasons)],
    )
    return message


def add_run(db: sqlite_utils.Database, kind: str, status: str, started_at: str, error: str | None = None) -> None:
    db.execute(
        "INSERT INTO runs (kind, started_at, finished_at, status, error, summary) VALUES (?, ?, ?, ?, ?, ?)",
        [kind, started_at, started_at, status, error, f"{kind} {status}"],
    )


def district_code(db: sqlite_utils.Database, province: str, name_th: str) -> str:
    row = db.execute("SELECT code FROM districts WHERE province_code = ? AND name_th = ?",
                     [province, name_th]).fetchone()
    assert row, f"no district {name_th} in {province}"
    return row[0]


def rows(db: sqlite_utils.Database, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    cur = db.execute(sql, params)
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def sample_story(db: sqlite_utils.Database) -> dict[str, int]:
    """A realistic week before the role-model deadline (31 March 2021) and March's reports.

    Zone 1: Ayutthaya on time; Lop Buri sent twice (a correction); Sing Buri late
    (2 April); Chai Nat needs review; Ang Thong and Saraburi nothing. Elsewhere a
    few provinces have sent, one message could not be tied to a province, and one
    narrative carries HTML that must arrive inert.
    """
    ids: dict[str, int] = {}
    ids["ayutthaya"] = add_submission(
        db, "14", "2021-03-26T09:15:00+07:00", district=district_code(db, "14", "บางปะอิน"),
        reporter="นายสมชาย ใจดี", image_count=5)
    add_submission(db, "16", "2021-03-25T10:00:00+07:00", district=district_code(db, "16", "โคกสำโรง"),
                   reporter="นางสาวสุดา มีสุข", image_count=2)
    ids["lopburi_v2"] = add_submission(
        db, "16", "2021-03-29T16:40:00+07:00", district=district_code(db, "16", "เมืองลพบุรี"),
        reporter="นางสาวสุดา มีสุข", image_count=4)
    ids["singburi_late"] = add_submission(
        db, "17", "2021-04-02T08:05:00+07:00", district=district_code(db, "17", "อินทร์บุรี"),
        reporter="นายวิชัย กล้าหาญ", image_count=1)
    ids["chainat_review"] = add_submission(
        db, "18", "2021-03-28T13:30:00+07:00", district=None, reporter=None, image_count=0,
        needs_review=True, review_reasons="ไม่พบชื่ออำเภอในแบบรายงาน\nไฟล์แนบ PDF อ่านไม่ได้",
        narrative="<script>alert(1)</script><b>ตัวหนา</b>",
        subject="รายงานอำเภอต้นแบบ <script>alert(1)</script>")
    add_submission(db, "50", "2021-03-30T11:00:00+07:00", district=district_code(db, "50", "สันทราย"),
                   reporter="นายเชียง ใหม่")
    add_submission(db, "90", "2021-03-31T23:50:00+07:00", district=district_code(db, "90", "หาดใหญ่"))
    ids["unknown"] = add_submission(db, None, "2021-03-27T08:00:00+07:00", needs_review=True,
                                    review_reasons="ไม่พบชื่อจังหวัดในอีเมลและไฟล์แนบ")
    ids["bangkok"] = add_submission(db, "10", "2021-03-27T09:00:00+07:00")
    ids["review_message"] = add_review_message(
        db, "สอบถามเรื่องแบบฟอร์ม <img src=x onerror=alert(1)>", ["ไม่ใช่แบบรายงาน: ต้องมีคนอ่าน"],
        "2021-03-28T07:00:00+07:00")
    for code, when in (("14", "2021-03-10T10:00:00+07:00"), ("15", "2021-03-26T10:00:00+07:00")):
        add_submission(db, code, when, campaign="best_practice", district=None, image_count=2)
    add_run(db, "poll", "ok", "2021-03-29T00:10:00+00:00")
    add_run(db, "poll", "failed", "2021-03-29T00:20:00+00:00", error="ImapError: connection refused")
    return ids


# --------------------------------------------------------------------------- SMTP


@dataclass
class Received:
    envelope_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return BytesParser(policy=policy.default).parsebytes(self.raw)  # type: ignore[return-value]


@dataclass
class SmtpSink:
    """An aiosmtpd server on 127.0.0.1 that keeps what it receives."""

    host: str = "127.0.0.1"
    port: int = 0
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # recipients answered with 550
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.lower() in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    """``sink`` served by aiosmtpd on a fixed loopback port; ``stop()``/``start()`` like a real outage."""

    def __init__(self, sink: SmtpSink, **controller_args: Any) -> None:
        self.sink = sink
        self.controller_args = controller_args
        self.controller: Any = None
        if not sink.port:
            sink.port = free_port()

    def start(self) -> SmtpServer:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.sink, hostname=self.sink.host, port=self.sink.port, decode_data=False,
                                     **self.controller_args)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def start_smtp(sink: SmtpSink, **controller_args: Any) -> SmtpServer:
    """Start an aiosmtpd server for ``sink`` on a free loopback port."""
    return SmtpServer(sink, **controller_args).start()


def smtp_config_text(port: int, recipients: dict[str, list[str]], extra: str = "") -> str:
    lines = ["[smtp]", 'host = "127.0.0.1"', f"port = {port}", 'security = "none"', "timeout = 10", "",
             "[digest]", 'from = "dopa.areaplan@example.org"', "", "[digest.recipients]"]
    lines += [f'"{k}" = {json.dumps(v)}' for k, v in recipients.items()]
    return "\n".join(lines) + "\n" + extra


def html_part(msg: EmailMessage) -> str:
    part = msg.get_body(("html",))
    assert part is not None, "the message has no HTML part"
    return part.get_content()


def text_part(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None, "the message has no plain-text part"
    return part.get_content()


def by_header(received: list[Received], value: str) -> Iterator[Received]:
    return (r for r in received if r.message["X-Areaplan-Digest"].endswith(value))


# --------------------------------------------------------------------------- Chromium

REQUIRE_CHROMIUM_ENV = "AREAPLAN_REQUIRE_CHROMIUM"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars")


def chromium_or_skip() -> str:
    """The chromium binary; skips the test without it (fails instead with AREAPLAN_REQUIRE_CHROMIUM=1)."""
    import os
    import shutil

    import pytest

    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    msg = "chromium is not installed (apt-get install chromium)"
    if os.environ.get(REQUIRE_CHROMIUM_ENV, "").strip() not in ("", "0"):
        pytest.fail(f"{msg} ({REQUIRE_CHROMIUM_ENV} is set, so this is an error)", pytrace=False)
    pytest.skip(msg)
    raise AssertionError("unreachable")


def chromium(binary: str, profile: Path, *args: str) -> bytes:
    """Run headless Chromium with a fresh profile; returns stdout."""
    import subprocess

    profile.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout


def screenshot(binary: str, html: Path, png: Path, profile: Path, width: int = 800, height: int = 2200) -> Path:
    png.parent.mkdir(parents=True, exist_ok=True)
    chromium(binary, profile, f"--screenshot={png}", f"--window-size={width},{height}", html.as_uri())
    return png


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG header."""
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def artifacts_dir() -> Path:
    """test-artifacts/ at the repository root (git-ignored), for screenshots people look at."""
    path = REPO / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
