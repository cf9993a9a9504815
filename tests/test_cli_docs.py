"""The command line as a newcomer meets it: the README's first command works, every command
is documented and has help with an example."""

from __future__ import annotations

import email
import re
import sqlite3
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner
from ingest_helpers import run_cli

from areaplan.app.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_first_command_is_the_demo():
    assert "pip install -e . && areaplan demo" in README


def test_demo_imports_the_sample_mailbox_and_writes_every_digest(tmp_path):
    db, outbox = tmp_path / "demo.db", tmp_path / "outbox"

    result = run_cli("--db", str(db), "demo", "--outbox", str(outbox))

    assert result.returncode == 0, result.stderr
    names = {p.name for p in outbox.glob("*.eml")}
    assert names == {f"zone-{z:02d}.eml" for z in range(1, 19)} | {"national.eml"}
    assert all((outbox / n.replace(".eml", ".html")).exists() for n in names)
    with sqlite3.connect(db) as c:
        messages = c.execute("SELECT count(*) FROM messages").fetchone()[0]
        submitted = c.execute("SELECT count(DISTINCT province_code) FROM submissions "
                              "WHERE campaign = 'role_model'").fetchone()[0]
    assert messages == 41 and submitted >= 25
    national = email.message_from_bytes((outbox / "national.eml").read_bytes(), policy=policy.default)
    assert "เขตตรวจราชการ" in national.get_body(("plain",)).get_content()


def test_running_the_demo_twice_stores_nothing_twice(tmp_path):
    db = tmp_path / "demo.db"
    run_cli("--db", str(db), "demo", "--outbox", str(tmp_path / "o1"))

    again = run_cli("--db", str(db), "demo", "--outbox", str(tmp_path / "o2"))

    assert again.returncode == 0, again.stderr
    assert "0 new, 41 already stored" in again.stdout


def commands() -> list[str]:
    return sorted(main.commands)


@pytest.mark.parametrize("name", commands())
def test_every_command_is_in_the_readme(name):
    assert re.search(rf"areaplan (--\S+ \S+ )*{name}\b", README), f"`areaplan {name}` is not in README.md"


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help_with_an_example(name):
    result = CliRunner().invoke(main, [name, "--help"])

    assert result.exit_code == 0
    assert "Example:" in result.output
