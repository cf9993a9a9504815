"""Read-only queries behind the web desk pages (``areaplan.app.web``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from areaplan.store.db import files_dir

if TYPE_CHECKING:
    import sqlite_utils


def _dicts(db: sqlite_utils.Database, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    cur = db.execute(sql, params)
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def zone_board(db: sqlite_utils.Database, zone: int | None = None) -> list[dict[str, Any]]:
    """``zone_summary`` (live), newest period first; one zone's rows when ``zone`` is given."""
    return _dicts(db, "SELECT * FROM zone_summary WHERE (:z IS NULL OR zone = :z)"
                      " ORDER BY due_on DESC, campaign_id, zone", {"z": zone})


def zone_provinces(db: sqlite_utils.Database, zone: int, campaign_id: str, period: str) -> list[dict[str, Any]]:
    """``province_status`` rows of one zone and period, with each current submission's key."""
    return _dicts(db, """
        SELECT ps.*, s.key FROM province_status ps LEFT JOIN submissions s ON s.id = ps.submission_id
        WHERE ps.zone = ? AND ps.campaign_id = ? AND ps.period = ? ORDER BY ps.province_code""",
                  [zone, campaign_id, period])


def zones(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return _dicts(db, "SELECT zone, name_th FROM zones ORDER BY zone")


def place_names(db: sqlite_utils.Database, province: str | None, district: str | None) -> tuple[str | None, str | None]:
    p = db.execute("SELECT name_th FROM provinces WHERE code = ?", [province]).fetchone()
    d = db.execute("SELECT name_th FROM districts WHERE code = ?", [district]).fetchone()
    return (p[0] if p else None, d[0] if d else None)


def districts_of(db: sqlite_utils.Database, province: str | None) -> list[dict[str, Any]]:
    return _dicts(db, "SELECT code, name_th FROM districts WHERE province_code = ? ORDER BY name_th", [province])


def provinces(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return _dicts(db, "SELECT code, name_th, zone FROM provinces ORDER BY name_th")


def message_header(db: sqlite_utils.Database, message: int) -> dict[str, Any] | None:
    rows = _dicts(db, """SELECT m.id AS message, pm.subject, pm.from_name, pm.from_addr, pm.received_at,
                                pm.status, pm.text_body
                         FROM messages m LEFT JOIN parsed_messages pm ON pm.message = m.id WHERE m.id = ?""",
                  [message])
    return rows[0] if rows else None


def message_zones(db: sqlite_utils.Database, message: int) -> set[int | None]:
    """The zones of the message's submissions ({None} for a message without a known zone);
    a follow-up (photos sent later) has the zone of the submission it was linked to."""
    rows = db.execute("SELECT s.zone FROM submissions s WHERE s.message = ?", [message]).fetchall()
    if not rows:
        rows = db.execute("SELECT s.zone FROM followups f JOIN submissions s ON s.key = f.submission_key"
                          " WHERE f.message = ?", [message]).fetchall()
    return {r[0] for r in rows} or {None}


def attachments_of(db: sqlite_utils.Database, message: int) -> list[dict[str, Any]]:
    return _dicts(db, "SELECT id, part_index, filename, content_type, sha256, size, kind, method, pages, ocr,"
                      " text, problems FROM attachments WHERE message = ? ORDER BY part_index", [message])


def attachment(db: sqlite_utils.Database, attachment_id: int) -> dict[str, Any] | None:
    rows = _dicts(db, "SELECT id, message, part_index, filename, content_type, sha256, kind, pages"
                      " FROM attachments WHERE id = ?", [attachment_id])
    return rows[0] if rows else None


def images_of(db: sqlite_utils.Database, message: int, key: str | None = None) -> list[dict[str, Any]]:
    """The message's pictures, then (with ``key``) those sent later in follow-ups of that submission."""
    own = _dicts(db, """SELECT i.sha256, i.mime_type, i.width, i.height, mi.filename, mi.source
                        FROM message_images mi JOIN images i ON i.sha256 = mi.image
                        WHERE mi.message = ? ORDER BY mi.filename""", [message])
    if key is None:
        return own
    later = _dicts(db, """SELECT i.sha256, i.mime_type, i.width, i.height, mi.filename, 'followup' AS source
                          FROM followups f JOIN message_images mi ON mi.message = f.message
                          JOIN images i ON i.sha256 = mi.image
                          WHERE f.submission_key = ? ORDER BY f.message, mi.filename""", [key])
    seen = {i["sha256"] for i in own}
    return own + [i for i in later if i["sha256"] not in seen]


def image_file(db: sqlite_utils.Database, sha256: str) -> tuple[Path, str, set[int]] | None:
    """(path, mime type, message ids) of a stored image, or None."""
    row = db.execute("SELECT path, mime_type FROM images WHERE sha256 = ?", [sha256]).fetchone()
    if row is None:
        return None
    messages = {r[0] for r in db.execute("SELECT message FROM message_images WHERE image = ?", [sha256])}
    return files_dir(db) / row[0], row[1] or "application/octet-stream", messages


def district_names(db: sqlite_utils.Database) -> dict[str, str]:
    return {r[0]: r[1] for r in db.execute("SELECT code, name_th FROM districts")}
