"""Read-only queries used by the CLI."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def message_count(db: sqlite_utils.Database) -> int:
    """How many distinct messages the store holds."""
    return db.execute("SELECT count(*) FROM messages").fetchone()[0]


def search_submissions(db: sqlite_utils.Database, query: str, limit: int = 20) -> list[dict]:
    """Submissions whose narrative or subject contains ``query`` (Thai segmented like the index)."""
    from areaplan.core.thai_text import segment_for_search

    words = [w for w in segment_for_search(query).split() if w.strip()]
    if not words:
        return []
    match = '"' + " ".join(w.replace('"', '""') for w in words) + '"'
    sql = """
        SELECT s.id, s.received_at, p.name_th AS province, d.name_th AS district, s.narrative,
               snippet(submissions_fts, 0, '[', ']', '…', 12) AS snippet
        FROM submissions_fts f JOIN submissions s ON s.id = f.rowid
        LEFT JOIN provinces p ON p.code = s.province_code
        LEFT JOIN districts d ON d.code = s.district_code
        WHERE submissions_fts MATCH ? ORDER BY rank LIMIT ?"""
    rows = [dict(r) for r in db.query(sql, [match, limit])]
    for r in rows:
        r["excerpt"] = excerpt(r.pop("narrative") or "", query.strip()) or r["snippet"]
    return rows


def excerpt(text: str, needle: str, width: int = 40) -> str:
    """``…text around [needle]…`` from the original (unsegmented) text, or "" if absent."""
    i = text.find(needle)
    if i < 0 or not needle:
        return ""
    start, end = max(0, i - width), min(len(text), i + len(needle) + width)
    body = f"{text[start:i]}[{needle}]{text[i + len(needle):end]}".replace("\n", " ")
    return ("…" if start else "") + body + ("…" if end < len(text) else "")


def review_items(db: sqlite_utils.Database, limit: int = 50) -> list[dict]:
    """The ``review_queue`` view (the same list the digest shows), newest first."""
    sql = """SELECT message, received_at, sender, subject, province_name_th, reasons FROM review_queue
             ORDER BY received_at DESC LIMIT ?"""
    return [dict(r) for r in db.query(sql, [limit])]
