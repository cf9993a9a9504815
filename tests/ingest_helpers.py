"""Helpers for the ingest tests: messages, configs, running the real CLI, reading the store."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

BKK = timezone(timedelta(hours=7))


def make_message(i: int, *, size_kb: int = 2, province: str = "น่าน") -> bytes:
    """A realistic small submission-like message with a Thai subject and an attachment."""
    m = EmailMessage()
    m["Subject"] = f"ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model) จังหวัด{province} ฉบับที่ {i}"
    m["From"] = f"ปกครองจังหวัด{province} <province{i}@example.go.th>"
    m["To"] = "dopa.areaplan@gmail.com"
    m["Date"] = format_datetime(datetime(2021, 3, 25, 9, 0, tzinfo=BKK) + timedelta(minutes=i))
    m["Message-ID"] = make_msgid(idstring=f"t{i}", domain="example.go.th")
    m.set_content(f"เรียน ผู้ตรวจราชการกรมการปกครอง\nข้อความที่ {i}\nFrom the field office\n")
    m.add_attachment(os.urandom(size_kb * 1024), maintype="application", subtype="octet-stream",
                     filename=f"ภาพประกอบ-{i}.bin")
    return bytes(m)


def write_config(tmp: Path, account, *, security: str = "ssl", batch_size: int = 5, retries: int = 0,
                 ca_file: str | None = "default", folders: tuple[str, ...] = ("INBOX",), extra: str = "") -> Path:
    port = account.imaps_port if security == "ssl" else account.imap_port
    ca = account.ca_file if ca_file == "default" else (ca_file or "")
    cfg = tmp / "config.toml"
    folder_list = ", ".join(f'"{f}"' for f in folders)
    cfg.write_text(
        f"""[store]
db = "{tmp / 'areaplan.db'}"

[[imap]]
name = "test"
host = "127.0.0.1"
port = {port}
username = "{account.user}"
security = "{security}"
ca_file = "{ca}"
folders = [{folder_list}]
batch_size = {batch_size}
retries = {retries}
timeout = 10
{extra}
""",
        encoding="utf-8",
    )
    return cfg


def cli_env(password: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AREAPLAN_")}
    if password is not None:
        env["AREAPLAN_IMAP_TEST_PASSWORD"] = password
    return env


def areaplan_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "areaplan", *args]


def run_cli(*args: str, password: str | None = None, timeout: float = 120, env: dict | None = None
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(areaplan_cmd(*args), capture_output=True, text=True, timeout=timeout,
                          env=env or cli_env(password))


def stored_hashes(db_path: Path) -> Counter[str]:
    """sha256 of every stored message's raw bytes (a Counter, so duplicates show)."""
    with sqlite3.connect(db_path) as c:
        rows = c.execute("SELECT r.raw FROM messages m JOIN raw_messages r ON r.sha256 = m.sha256").fetchall()
    return Counter(hashlib.sha256(bytes(r[0])).hexdigest() for r in rows)


def mailbox_hashes(account, folder: str = "INBOX") -> Counter[str]:
    return Counter(hashlib.sha256(account.fetch_raw(uid, folder)).hexdigest() for uid in account.uids(folder))


def db_value(db_path: Path, sql: str, params: tuple = ()):
    with sqlite3.connect(db_path) as c:
        return c.execute(sql, params).fetchall()
