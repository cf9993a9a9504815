"""A real ``areaplan serve`` on 127.0.0.1 over a demo store, with users of every role."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from ingest_helpers import areaplan_cmd, cli_env, run_cli

PASSWORD = "ทดสอบ-desk-2564"
# name -> (role, zone)
USERS = {"staff": ("staff", None), "analyst": ("analyst", None),
         "inspector6": ("inspector", 6), "inspector1": ("inspector", 1)}


@dataclass
class DeskServer:
    url: str
    db: Path
    config: Path
    proc: subprocess.Popen

    def client(self, user: str | None = None) -> httpx.Client:
        """A client logged in as ``user`` (None: nobody), carrying Datasette's cookies."""
        c = httpx.Client(base_url=self.url, follow_redirects=False, timeout=60)
        if user is not None:
            page = c.get("/-/login")
            token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
            r = c.post("/-/login", data={"csrftoken": token, "username": user, "password": PASSWORD,
                                         "next": "/-/desk/board"})
            assert r.status_code == 302 and "ds_actor" in c.cookies, r.text[:300]
        return c

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_cli("--config", str(self.config), *args)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(base: Path, hash_password) -> DeskServer:
    secrets = base / "secrets.toml"
    lines = []
    for name, (role, zone) in USERS.items():
        lines += [f"[desk.users.{name}]", f'password_hash = "{hash_password(PASSWORD)}"', f'role = "{role}"']
        if zone:
            lines.append(f"zone = {zone}")
    secrets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.chmod(secrets, 0o600)
    port = free_port()
    config = base / "config.toml"
    config.write_text(f'[store]\ndb = "demo.db"\n[secrets]\nfile = "{secrets}"\n'
                      f'[desk]\nport = {port}\nbase_url = "http://127.0.0.1:{port}"\n', encoding="utf-8")
    proc = subprocess.Popen(areaplan_cmd("--config", str(config), "serve"), env=cli_env(None),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            httpx.get(url + "/-/login", timeout=5)
            break
        except httpx.HTTPError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("areaplan serve did not start: " + (proc.stdout.read() or "")) from None
            time.sleep(0.3)
    return DeskServer(url, base / "demo.db", config, proc)

