"""The whole morning cycle on the bundled sample mailbox (prints figures; asserts nothing).

    python bench/bench_morning.py

Loads samples/mailbox/sample.mbox into a local Dovecot, then times, as fresh processes:
`areaplan poll` (fetch + parse) on an empty store, `areaplan digest` (19 digests to files),
and the next morning's idle poll + digest.
"""

from __future__ import annotations

import mailbox
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from imap_server import DovecotServer  # noqa: E402


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="areaplan-morning-"))
    box = mailbox.mbox(ROOT / "samples" / "mailbox" / "sample.mbox", create=False)
    raws = [box.get_bytes(k) for k in box.keys()]
    with DovecotServer() as server:
        acct = server.new_account("morning")
        acct.append_many(raws)
        cfg = tmp / "config.toml"
        cfg.write_text(
            f'[store]\ndb = "{tmp / "m.db"}"\n[[imap]]\nname = "bench"\nhost = "127.0.0.1"\n'
            f'port = {server.imap_port}\nusername = "{acct.user}"\nsecurity = "none"\n'
        )
        env = dict(os.environ, AREAPLAN_IMAP_BENCH_PASSWORD=acct.password)
        base = [sys.executable, "-m", "areaplan", "--config", str(cfg)]

        def run(*args: str) -> float:
            t = time.perf_counter()
            subprocess.run([*base, *args], check=True, env=env, capture_output=True)
            return time.perf_counter() - t

        poll = run("poll")
        digest = run("digest", "--date", "2021-03-31", "--outbox", str(tmp / "outbox"))
        print(f"sample mailbox: {len(raws)} messages, {sum(map(len, raws)) / 1e6:.1f} MB")
        print(f"  poll + parse (fresh store): {poll:6.2f} s  ({len(raws) / poll:.1f} messages/s)")
        print(f"  digest, 19 digests to files: {digest:6.2f} s")
        print(f"  morning cycle total:        {poll + digest:6.2f} s")
        idle = run("poll")
        digest2 = run("digest", "--date", "2021-04-01", "--outbox", str(tmp / "outbox2"))
        print(f"  next morning (nothing new): poll {idle:.2f} s + digest {digest2:.2f} s")


if __name__ == "__main__":
    main()
