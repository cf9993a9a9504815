"""Backfill and idle-poll benchmark against a real local Dovecot (prints figures; asserts nothing).

    python bench/bench_poll.py [--messages 1000] [--size-kb 281] [--idle-sizes 200,20000]

In one run against the same server it measures:
  1. `areaplan poll --no-parse` backfilling N messages (durable commits, synchronous=FULL);
  2. a bare imapclient loop (UID FETCH BODY.PEEK[] in batches of 100, each written to a file,
     imaplib debug off): the fetch limit;
  3. mbsync (Debian isync, `Sync Pull New` into a maildir), what a mail admin would use;
  4. an idle poll (nothing new) on mailboxes of each --idle-sizes, as a fresh process
     (what cron pays) and in-process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from imapclient import IMAPClient  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from imap_server import DovecotServer  # noqa: E402


def message(i: int, size_kb: int) -> bytes:
    m = EmailMessage()
    m["Subject"] = f"ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model) ฉบับที่ {i}"
    m["From"] = f"ปกครองจังหวัด <p{i}@example.go.th>"
    m["To"] = "dopa.areaplan@gmail.com"
    m["Message-ID"] = make_msgid(idstring=f"b{i}", domain="example.go.th")
    m.set_content("ที่ทำการปกครองจังหวัดน่าน ได้พิจารณาคัดเลือกอำเภอปัว เป็นอำเภอต้นแบบ\n" * 20)
    if size_kb > 4:
        photo = os.urandom((size_kb - 4) * 1024 * 3 // 4)  # base64 grows it by 4/3
        m.add_attachment(photo, maintype="image", subtype="jpeg", filename=f"photo-{i}.jpg")
    return bytes(m)


def config(tmp: Path, server: DovecotServer, user: str, db: Path) -> Path:
    p = tmp / f"{user}.toml"
    p.write_text(
        f'[store]\ndb = "{db}"\n[[imap]]\nname = "bench"\nhost = "127.0.0.1"\nport = {server.imap_port}\n'
        f'username = "{user}"\nsecurity = "none"\nbatch_size = 100\n'
    )
    return p


def env(password: str) -> dict[str, str]:
    e = dict(os.environ)
    e["AREAPLAN_IMAP_BENCH_PASSWORD"] = password
    return e


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def bare_loop(server: DovecotServer, user: str, password: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    c = IMAPClient("127.0.0.1", server.imap_port, ssl=False)
    c._imap.debug = 0
    c.login(user, password)
    c.select_folder("INBOX", readonly=True)
    uids = c.search(["ALL"])
    for i in range(0, len(uids), 100):
        for uid, d in c.fetch(uids[i : i + 100], ["BODY.PEEK[]"]).items():
            (out / f"{uid}.eml").write_bytes(d[b"BODY[]"])
    c.logout()


def mbsync(server: DovecotServer, user: str, password: str, tmp: Path) -> float | None:
    exe = shutil.which("mbsync")
    if not exe:
        return None
    md = tmp / "mbsync-maildir"
    md.mkdir()
    rc = tmp / "mbsyncrc"
    rc.write_text(
        f"IMAPAccount bench\nHost 127.0.0.1\nPort {server.imap_port}\nUser {user}\nPass {password}\n"
        "SSLType None\nAuthMechs LOGIN\n\nIMAPStore remote\nAccount bench\n\n"
        f"MaildirStore local\nPath {md}/\nInbox {md}/INBOX\n\n"
        "Channel bench\nFar :remote:\nNear :local:\nPatterns INBOX\nSync Pull New\nCreate Near\n"
        f"SyncState {tmp}/mbsync-state/\n"
    )
    (tmp / "mbsync-state").mkdir()
    return timed(lambda: subprocess.run([exe, "-c", str(rc), "-q", "bench"], check=True))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, default=1000)
    ap.add_argument("--size-kb", type=int, default=281)
    ap.add_argument("--idle-sizes", default="200,20000")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="areaplan-bench-"))
    areaplan = [sys.executable, "-m", "areaplan"]
    with DovecotServer() as server:
        acct = server.new_account("backfill")
        t = timed(lambda: acct.append_many(message(i, args.size_kb) for i in range(args.messages)))
        total = sum(len(message(0, args.size_kb)) for _ in range(1)) * args.messages
        print(f"filled {args.messages} messages of ~{total / args.messages / 1024:.0f} KB in {t:.1f} s")
        mb = total / 1e6

        def rate(label: str, seconds: float | None) -> None:
            if seconds is None:
                print(f"{label:<44} not measured (tool missing)")
                return
            print(f"{label:<44} {args.messages / seconds:8.0f} msg/s {mb / seconds:8.1f} MB/s  ({seconds:.2f} s)")

        db = tmp / "poll.db"
        cfg = config(tmp, server, acct.user, db)
        s = timed(lambda: subprocess.run([*areaplan, "--config", str(cfg), "poll", "--no-parse"], check=True,
                                         env=env(acct.password), stdout=subprocess.DEVNULL))
        rate("areaplan poll (durable commits, fresh process)", s)
        rate("bare imapclient loop into files", timed(lambda: bare_loop(server, acct.user, acct.password,
                                                                         tmp / "bare")))
        rate("mbsync (Sync Pull New, default fsync)", mbsync(server, acct.user, acct.password, tmp))

        for size in [int(x) for x in args.idle_sizes.split(",") if x]:
            a = server.new_account(f"idle{size}")
            a.append_many(message(i, 1) for i in range(size))
            idb = tmp / f"idle{size}.db"
            icfg = config(tmp, server, a.user, idb)
            subprocess.run([*areaplan, "--config", str(icfg), "poll", "--no-parse"], check=True,
                           env=env(a.password), stdout=subprocess.DEVNULL)
            idle_cmd = [*areaplan, "--config", str(icfg), "poll", "--no-parse"]
            idle_env = env(a.password)
            fresh = [timed(lambda cmd=idle_cmd, e=idle_env: subprocess.run(
                cmd, check=True, env=e, stdout=subprocess.DEVNULL)) for _ in range(5)]
            from areaplan.app.jobs import poll_job
            from areaplan.core.config import load_config
            from areaplan.store.db import open_db

            os.environ["AREAPLAN_IMAP_BENCH_PASSWORD"] = a.password
            c = load_config(icfg)
            d = open_db(c.db)
            inproc = [timed(lambda c=c, d=d: poll_job(c, d, parse=False)) for _ in range(10)]
            print(f"idle poll, {size:>6} messages: fresh process median {statistics.median(fresh) * 1000:6.0f} ms, "
                  f"in-process median {statistics.median(inproc) * 1000:6.1f} ms")
    t = timed(lambda: subprocess.run([*areaplan, "--help"], check=True, stdout=subprocess.DEVNULL))
    print(f"`areaplan --help` start-up: {t * 1000:.0f} ms")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
