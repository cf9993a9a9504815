"""Specs for the layout: layers, pure parsers, explicit migrations, reasons as data.

See docs/architecture.md. The layer contracts themselves live in ``.importlinter`` and are
checked here (and in CI) by import-linter.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from areaplan.core.reasons import NOTE, REASONS, REVIEW, Reason

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["areaplan/app", "areaplan/core", "ingest", "parsers", "store", "digest", "samples"]


def test_the_import_linter_contracts_hold():
    result = subprocess.run(["lint-imports", "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 broken" in result.stdout


def _modules() -> dict[str, Path]:
    out = {}
    for folder in PACKAGES:
        for path in (ROOT / folder).rglob("*.py"):
            rel = path.relative_to(ROOT).with_suffix("")
            parts = list(rel.parts)
            if parts[0] != "areaplan":
                parts.insert(0, "areaplan")
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def test_no_module_imports_another_modules_private_names():
    offenders = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("areaplan"):
                if node.module == name:
                    continue
                offenders += [f"{name}: from {node.module} import {a.name}"
                              for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
    assert offenders == []


def test_parse_raw_is_pure_and_loads_no_store_module(tmp_path):
    raw = (ROOT / "tests" / "corpus" / "001.eml").read_bytes()
    script = (
        "import sys, json\n"
        "from areaplan.parsers.pipeline import parse_raw\n"
        "from areaplan.parsers.types import ParseSettings\n"
        f"pm = parse_raw(open({str(ROOT / 'tests' / 'corpus' / '001.eml')!r}, 'rb').read(), ParseSettings(),"
        " '2021-03-20T10:00:00+07:00')\n"
        "print(json.dumps({'status': pm.status, 'modules': sorted(m for m in sys.modules"
        " if m.startswith(('areaplan.store', 'areaplan.app', 'areaplan.digest', 'areaplan.ingest', 'sqlite')))}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert raw and got["status"] in {"submission", "review", "other"}
    assert got["modules"] == []


def test_migrations_are_one_ordered_list_without_duplicates():
    from areaplan.store import migrations
    from areaplan.store.errors import StoreError

    names = [n for n, _ in migrations.MIGRATIONS]
    assert names == sorted(names) and len(set(names)) == len(names)
    with pytest.raises(StoreError, match="duplicate"):
        migrations.check_unique(migrations.MIGRATIONS + (migrations.MIGRATIONS[-1],))


def _schema(path: Path) -> list[tuple[str, str, str]]:
    import re
    import sqlite3

    with sqlite3.connect(path) as c:
        rows = c.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                         "AND name != 'schema_migrations' ORDER BY type, name").fetchall()
        version = c.execute("PRAGMA user_version").fetchone()[0]
    norm = [(t, n, re.sub(r"\s+", " ", s or "").strip()) for t, n, s in rows]
    return [("version", str(version), "")] + norm


@pytest.mark.parametrize("stop_after", range(1, 6))
def test_a_database_migrated_from_an_earlier_version_ends_with_the_schema_of_a_fresh_one(tmp_path, stop_after):
    from areaplan.store import migrations
    from areaplan.store.db import open_db

    fresh = tmp_path / "fresh.db"
    open_db(fresh)
    old = tmp_path / "old.db"
    db = open_db(old, migrate=False)
    with db.conn:
        db.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        for name, fn in migrations.MIGRATIONS[:stop_after]:
            fn(db)
            db.execute("INSERT INTO schema_migrations VALUES (?, 'then')", [name])
        db.execute(f"PRAGMA user_version = {stop_after}")
    db.conn.close()
    applied = migrations.migrate(open_db(old, migrate=False))
    assert applied == [n for n, _ in migrations.MIGRATIONS[stop_after:]]
    assert _schema(old) == _schema(fresh)


def test_every_reason_code_has_thai_text_and_a_severity():
    from areaplan.core.thai_text import has_thai

    for code, kind in REASONS.items():
        assert code == kind.code and "." in code
        assert kind.severity in {REVIEW, NOTE}
        assert has_thai(kind.th), code


def test_a_reason_needs_a_known_code_and_reads_in_thai_with_its_evidence():
    with pytest.raises(ValueError, match="unknown reason code"):
        Reason("province.misspelt")
    r = Reason("district.not_found", "district", evidence="“บางปลาม้า” ในจังหวัดชัยนาท")
    assert r.severity == REVIEW and "บางปลาม้า" in r.text_th and r.text_th.startswith("ไม่พบอำเภอ")
