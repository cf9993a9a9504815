"""The desk's Datasette metadata names every table, view and column of the store in Thai."""

from __future__ import annotations

from areaplan.app.web.metadata import COLUMNS, TABLES, metadata
from areaplan.core.thai_text import has_thai
from areaplan.store.db import open_db


def test_every_table_view_and_column_has_a_thai_label(tmp_path):
    db = open_db(tmp_path / "m.db")
    names = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
        " AND name NOT LIKE 'submissions_fts_%' AND name NOT LIKE 'sqlite_%'")]
    missing_tables = [n for n in names if n not in TABLES]
    missing_columns = sorted({(n, r[1]) for n in names for r in db.execute(f"PRAGMA table_info({n})")
                              if r[1] not in COLUMNS})
    assert missing_tables == [] and missing_columns == []
    assert all(has_thai(t) and has_thai(d) for t, d in TABLES.values())
    assert all(has_thai(label) for label in COLUMNS.values())


def test_the_submissions_table_searches_its_full_text_index():
    table = metadata("demo")["databases"]["demo"]["tables"]["submissions"]
    assert (table["fts_table"], table["fts_pk"]) == ("submissions_fts", "id")
