"""A process killed (SIGKILL) in the middle of creating and migrating a brand-new database leaves
nothing half done: the migrations run in one transaction, and the next open runs them again."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from digest_fixtures import subprocess_env

from areaplan.store.db import open_db
from areaplan.store.migrations import MIGRATIONS, schema_version

# Opens a new database with one migration replaced by a copy that first runs the real one,
# then says so and waits to be killed: the kill lands inside the migration transaction.
KILLED_IN_MIGRATION = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from areaplan.store import migrations
    from areaplan.store.db import open_db

    index = {index}
    name, real = migrations.MIGRATIONS[index]

    def stuck(db):
        real(db)
        Path({marker!r}).write_text(name)
        time.sleep(600)

    migrations.MIGRATIONS = migrations.MIGRATIONS[:index] + ((name, stuck),) + migrations.MIGRATIONS[index + 1:]
    open_db({db!r})
""")


def schema(path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as c:
        return sorted(c.execute("SELECT type, name, COALESCE(sql, '') FROM sqlite_master "
                                "WHERE name NOT LIKE 'sqlite_%'").fetchall())


def kill_inside_migration(tmp_path, index: int):
    db, marker = tmp_path / "areaplan.db", tmp_path / "in-migration"
    script = KILLED_IN_MIGRATION.format(index=index, marker=str(marker), db=str(db))
    proc = subprocess.Popen([sys.executable, "-c", script], env=subprocess_env(), stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the migration was not reached: {proc.stderr.read().decode()}")
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    return db


@pytest.mark.parametrize("index", [0, len(MIGRATIONS) // 2, len(MIGRATIONS) - 1])
def test_a_database_whose_first_migration_was_killed_has_no_tables_and_the_next_open_completes_it(tmp_path, index):
    db = kill_inside_migration(tmp_path, index)

    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == 0
    assert schema(db) == []  # nothing of the interrupted transaction is left

    open_db(db).close()
    fresh = tmp_path / "fresh.db"
    open_db(fresh).close()

    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == schema_version()
        assert [r[0] for r in c.execute("SELECT name FROM schema_migrations ORDER BY rowid")] == [
            n for n, _ in MIGRATIONS]
    assert schema(db) == schema(fresh)


def test_a_poll_after_a_killed_first_migration_stores_into_the_recovered_database(tmp_path, imap_account):
    from ingest_helpers import mailbox_hashes, make_message, run_cli, stored_hashes, write_config

    imap_account.append_many([make_message(i) for i in range(3)])
    kill_inside_migration(tmp_path, 0)
    cfg = write_config(tmp_path, imap_account)

    result = run_cli("--config", str(cfg), "poll", password=imap_account.password)

    assert result.returncode == 0, result.stderr
    assert stored_hashes(tmp_path / "areaplan.db") == mailbox_hashes(imap_account)
