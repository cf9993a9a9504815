"""Who has sent what: campaign periods and the status views the digest and analysts share.

Migration ``0004_status`` adds two small tables, refreshed from the config by
``sync_campaigns`` before every digest/status/export run, and three views:

``province_status``
    One row per campaign period x province that belongs to an inspection zone
    (76 rows per period; Bangkok, in no zone, is not expected to submit).
    ``status`` is one of

    * ``missing``: nothing received for that period (whether or not it is due yet);
    * ``needs_review``: the current submission needs a person (see ``review_reasons``);
    * ``late``: the province's *first* submission for the period arrived (Bangkok
      date) after ``due_on``; a correction sent after the deadline does not make an
      on-time province late;
    * ``received``: on time and clean.

    ``corrections`` counts the versions after the first (a province that sent
    three times has ``corrections = 2``); the district, reporter and photos shown
    are those of the current version (``is_current``, else the newest).
``zone_summary``
    Those rows counted per campaign period and zone.
``review_queue``
    What needs a person: current submissions flagged ``needs_review``, submissions
    whose province is unknown, not in the gazetteer or in no zone, submissions for a
    period no configured campaign has, and parsed messages sent to review that made
    no submission. ``reasons`` holds one reason per line.

The digest runs the very same SQL with an "as of" cutoff instead of the view's
open end (``province_status_rows``), so a digest for today shows what the views
show. Changing the SQL below needs a new migration that recreates the views.
Dates are compared in Thai time: Thailand has been UTC+7, without daylight saving,
since 1920, hence ``'+7 hours'``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from areaplan.core.campaigns import CampaignPeriod, CampaignRow
from areaplan.core.clock import utcnow
from areaplan.store.schema import run_script
from areaplan.store.tx import transaction

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

OPEN_END = "'9999-12-31'"  # the views' cutoff: everything received so far

# Lines joined into ``review_queue.reasons`` for problems the store itself can see.
REASON_NO_PROVINCE = "ระบุจังหวัดผู้ส่งไม่ได้ (province not identified)"
REASON_UNKNOWN_PROVINCE = "รหัสจังหวัดไม่อยู่ในทะเบียนจังหวัด (province code not in the gazetteer)"
REASON_NO_ZONE = "จังหวัดนี้ไม่อยู่ในเขตตรวจราชการใด (province in no inspection zone)"
REASON_NO_CAMPAIGN = "ไม่ตรงกับรอบรายงานที่ตั้งค่าไว้ (no configured campaign period)"

_SUBMISSION_RANK = """ROW_NUMBER() OVER (
            PARTITION BY s.campaign, s.period, s.province_code
            ORDER BY s.is_current DESC, julianday(s.received_at) DESC, s.id DESC)"""

_RECEIVED_BEFORE = "(julianday({col}) IS NULL OR julianday({col}) < julianday({cutoff}))"

PROVINCE_STATUS_SQL = f"""
WITH subs AS (
    SELECT s.id, s.message, s.campaign, s.period, s.province_code, s.district_code, s.received_at,
           s.sender, s.subject, s.reporter_name, s.reporter_position, s.image_count,
           s.needs_review, s.review_reasons,
           {_SUBMISSION_RANK} AS rank,
           COUNT(*) OVER (PARTITION BY s.campaign, s.period, s.province_code) AS versions,
           MIN(date(s.received_at, '+7 hours'))
               OVER (PARTITION BY s.campaign, s.period, s.province_code) AS first_received_on
    FROM submissions s
    WHERE s.province_code IS NOT NULL AND {{not_excluded}} AND {_RECEIVED_BEFORE.format(col="s.received_at", cutoff="{cutoff}")}
)
SELECT cp.campaign_id, cp.kind AS campaign, cp.period, cp.opens_on, cp.due_on,
       p.zone, z.name_th AS zone_name_th, p.code AS province_code, p.name_th AS province_name_th,
       CASE WHEN s.id IS NULL THEN 'missing'
            WHEN s.needs_review THEN 'needs_review'
            WHEN s.first_received_on > cp.due_on THEN 'late'
            ELSE 'received' END AS status,
       CASE WHEN s.first_received_on > cp.due_on THEN 1 ELSE 0 END AS late,
       COALESCE(s.needs_review, 0) AS needs_review,
       COALESCE(s.versions, 0) AS submissions,
       MAX(COALESCE(s.versions, 0) - 1, 0) AS corrections,
       s.id AS submission_id, s.message, s.received_at,
       date(s.received_at, '+7 hours') AS received_on, s.first_received_on,
       s.district_code, d.name_th AS district_name_th, s.reporter_name, s.reporter_position,
       COALESCE(s.image_count, 0) AS image_count, s.review_reasons, s.sender, s.subject
FROM campaign_periods cp
JOIN provinces p ON p.zone IS NOT NULL
LEFT JOIN zones z ON z.zone = p.zone
LEFT JOIN subs s ON s.rank = 1 AND s.campaign = cp.kind AND s.period = cp.period
                 AND s.province_code = p.code
LEFT JOIN districts d ON d.code = s.district_code
"""

ZONE_SUMMARY_SQL = """
SELECT campaign_id, campaign, period, due_on, zone, zone_name_th,
       COUNT(*) AS provinces,
       SUM(status != 'missing') AS submitted,
       SUM(status = 'received') AS received,
       SUM(status = 'late') AS late,
       SUM(status = 'needs_review') AS needs_review,
       SUM(status = 'missing') AS missing,
       SUM(corrections > 0) AS corrected,
       SUM(image_count) AS images
FROM {source}
GROUP BY campaign_id, campaign, period, due_on, zone, zone_name_th
"""

REVIEW_QUEUE_SQL = f"""
WITH ranked AS (
    SELECT s.*, {_SUBMISSION_RANK} AS rank
    FROM submissions s
    WHERE {{not_excluded}} AND {_RECEIVED_BEFORE.format(col="s.received_at", cutoff="{cutoff}")}
), checked AS (
    SELECT r.*, p.code AS known_code, p.name_th AS province_name_th, p.zone AS province_zone,
           z.name_th AS zone_name_th,
           EXISTS (SELECT 1 FROM campaign_periods cp
                   WHERE cp.kind = r.campaign AND cp.period = r.period) AS in_campaign
    FROM ranked r
    LEFT JOIN provinces p ON p.code = r.province_code
    LEFT JOIN zones z ON z.zone = p.zone
    WHERE r.rank = 1 OR r.province_code IS NULL
)
SELECT 'submission' AS item, id AS submission_id, message, campaign, period, received_at,
       province_code, province_name_th, province_zone AS zone, zone_name_th, sender, subject,
       TRIM(COALESCE(review_reasons, '')
            || CASE WHEN province_code IS NULL THEN char(10) || '{REASON_NO_PROVINCE}' ELSE '' END
            || CASE WHEN province_code IS NOT NULL AND known_code IS NULL
                    THEN char(10) || '{REASON_UNKNOWN_PROVINCE}' ELSE '' END
            || CASE WHEN known_code IS NOT NULL AND province_zone IS NULL
                    THEN char(10) || '{REASON_NO_ZONE}' ELSE '' END
            || CASE WHEN NOT in_campaign THEN char(10) || '{REASON_NO_CAMPAIGN}' ELSE '' END,
            char(10)) AS reasons
FROM checked
WHERE needs_review = 1 OR province_code IS NULL OR known_code IS NULL OR province_zone IS NULL
      OR NOT in_campaign
UNION ALL
SELECT 'message' AS item, NULL, pm.message, pm.campaign, NULL,
       COALESCE(pm.received_at, m.first_seen), NULL, NULL, NULL, NULL,
       CASE WHEN COALESCE(pm.from_name, '') != '' THEN pm.from_name || ' <' || pm.from_addr || '>'
            ELSE pm.from_addr END,
       pm.subject, TRIM(COALESCE(pm.review_reasons, ''), char(10))
FROM parsed_messages pm
JOIN messages m ON m.id = pm.message
WHERE pm.status = 'review'
  AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.message = pm.message)
  AND {_RECEIVED_BEFORE.format(col="COALESCE(pm.received_at, m.first_seen)", cutoff="{cutoff}")}
"""


NOT_EXCLUDED = "s.excluded = 0"  # a person decided "not a submission" (store.decisions)


def _sql(template: str, cutoff: str, not_excluded: str = NOT_EXCLUDED) -> str:
    return template.replace("{cutoff}", cutoff).replace("{not_excluded}", not_excluded)


def status_tables_and_views(db: sqlite_utils.Database) -> None:
    """0004: campaigns, their periods, and the status views."""
    run_script(
        db,
        """
        -- The campaigns of the config ([[campaigns]]), copied here by sync_campaigns()
        -- so that the views below can join on them.
        CREATE TABLE campaigns (
            id          TEXT PRIMARY KEY,
            kind        TEXT NOT NULL CHECK (kind IN ('role_model', 'best_practice')),
            title_th    TEXT NOT NULL,
            deadline    TEXT,
            due_day     INTEGER,
            start_month TEXT,
            end_month   TEXT,
            synced_at   TEXT NOT NULL
        );
        -- Each reporting period of a campaign: one for a role-model selection, one per
        -- month for monthly reports. A submission belongs to the period whose kind and
        -- period it carries (submissions.campaign is the kind).
        CREATE TABLE campaign_periods (
            campaign_id   TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
            kind          TEXT NOT NULL,
            period        TEXT NOT NULL,
            opens_on      TEXT NOT NULL,
            due_on        TEXT NOT NULL,
            visible_until TEXT NOT NULL,
            PRIMARY KEY (campaign_id, period),
            UNIQUE (kind, period)
        );
        """,
    )
    create_views(db)


VIEWS = ("province_status", "zone_summary", "review_queue")


def create_views(db: sqlite_utils.Database) -> None:
    """(Re)create the status views from the SQL above; a migration that changes it calls this."""
    for view in reversed(VIEWS):
        db.execute(f"DROP VIEW IF EXISTS {view}")
    # Migrations before 0007 (decisions) create the views before submissions.excluded exists.
    columns = {r[1] for r in db.execute("PRAGMA table_info(submissions)")}
    not_excluded = NOT_EXCLUDED if "excluded" in columns else "1"
    run_script(
        db,
        f"""
        CREATE VIEW province_status AS {_sql(PROVINCE_STATUS_SQL, OPEN_END, not_excluded)};
        CREATE VIEW zone_summary AS {ZONE_SUMMARY_SQL.replace("{source}", "province_status")};
        CREATE VIEW review_queue AS {_sql(REVIEW_QUEUE_SQL, OPEN_END, not_excluded)};
        """,
    )


# --------------------------------------------------------------------------- campaigns


def sync_campaigns(db: sqlite_utils.Database, campaigns: Iterable[CampaignRow]) -> None:
    """Replace the ``campaigns`` and ``campaign_periods`` rows with ``campaigns``, atomically."""
    now = utcnow()
    with transaction(db):
        db.execute("DELETE FROM campaign_periods")
        db.execute("DELETE FROM campaigns")
        for c in campaigns:
            db.execute(
                "INSERT INTO campaigns (id, kind, title_th, deadline, due_day, start_month, end_month, synced_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [c.id, c.kind, c.title_th, c.deadline.isoformat() if c.deadline else None, c.due_day,
                 c.start_month, c.end_month, now],
            )
            db.conn.executemany(
                "INSERT INTO campaign_periods (campaign_id, kind, period, opens_on, due_on, visible_until)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(p.campaign_id, p.kind, p.period, p.opens_on.isoformat(), p.due_on.isoformat(),
                  p.visible_until.isoformat()) for p in c.periods],
            )


def campaign_titles(db: sqlite_utils.Database) -> dict[str, str]:
    """``{campaign id: title_th}``."""
    return {r[0]: r[1] for r in db.execute("SELECT id, title_th FROM campaigns")}


def visible_periods(db: sqlite_utils.Database, on: date) -> list[CampaignPeriod]:
    """The periods a digest for ``on`` reports on (open on that day, or recently due), by due date."""
    return _periods(db, "WHERE opens_on <= :on AND visible_until >= :on", {"on": on.isoformat()})


def all_periods(db: sqlite_utils.Database) -> list[CampaignPeriod]:
    """Every stored period, oldest due date first."""
    return _periods(db, "", {})


def _periods(db: sqlite_utils.Database, where: str, params: Mapping[str, Any]) -> list[CampaignPeriod]:
    rows = db.execute(
        "SELECT campaign_id, kind, period, opens_on, due_on, visible_until FROM campaign_periods"
        f" {where} ORDER BY due_on, campaign_id",
        dict(params),
    ).fetchall()
    return [CampaignPeriod(r[0], r[1], r[2], date.fromisoformat(r[3]), date.fromisoformat(r[4]),
                           date.fromisoformat(r[5])) for r in rows]


# --------------------------------------------------------------------------- gazetteer


def ensure_gazetteer_loaded(
    db: sqlite_utils.Database, zone_overrides: Mapping[str, int] | None = None
) -> bool:
    """Fill ``provinces``/``districts``/``zones`` from the bundled gazetteer if they are empty,
    and keep each province's zone equal to the gazetteer's with the config's overrides
    (``[gazetteer].zone_overrides``), so removing an override also takes effect.

    Uses the same loader as the parsers (``parsers.gazetteer``). Returns True when the tables
    were filled by this call.
    """
    from areaplan.core.gazetteer import Gazetteer

    try:
        gaz = Gazetteer.load(dict(zone_overrides) if zone_overrides else None)
    except ValueError as err:
        from areaplan.core.config import ConfigError

        raise ConfigError(
            f"gazetteer.zone_overrides: {err}; use province codes from areaplan/core/gazetteer_data/provinces.csv"
        ) from None
    loaded = False
    with transaction(db):
        if db.execute("SELECT COUNT(*) FROM provinces").fetchone()[0] == 0:
            db.conn.executemany(
                "INSERT INTO provinces (code, name_th, name_en, zone, abbr_th) VALUES (?, ?, ?, ?, ?)",
                [(p.code, p.name_th, p.name_en or None, p.zone, p.abbr_th or None) for p in gaz.provinces],
            )
            db.conn.executemany(
                "INSERT OR REPLACE INTO zones (zone, name_th, province_group_th) VALUES (?, ?, ?)",
                [(z.number, z.name_th, z.province_group_th or None) for z in gaz.zones.values()],
            )
            db.conn.executemany(
                "INSERT OR REPLACE INTO districts (code, province_code, name_th, name_en, kind) VALUES (?, ?, ?, ?, ?)",
                [(d.code, d.province_code, d.name_th, d.name_en or None, d.kind or None) for d in gaz.districts],
            )
            loaded = True
            log.info("loaded the gazetteer: %d provinces, %d districts, %d zones",
                     len(gaz.provinces), len(gaz.districts), len(gaz.zones))
        else:
            db.conn.executemany(
                "UPDATE provinces SET zone = ? WHERE code = ? AND zone IS NOT ?",
                [(p.zone, p.code, p.zone) for p in gaz.provinces],
            )
    return loaded


def zones(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every inspection zone with its name, group name and number of provinces, by number."""
    return _dicts(db, """
        SELECT z.zone, z.name_th, z.province_group_th,
               (SELECT COUNT(*) FROM provinces p WHERE p.zone = z.zone) AS provinces
        FROM zones z ORDER BY z.zone""", {})


# --------------------------------------------------------------------------- reading status


def province_status_rows(
    db: sqlite_utils.Database, cutoff: str, periods: Sequence[CampaignPeriod] | None = None
) -> list[dict[str, Any]]:
    """``province_status`` rows as of ``cutoff`` (ISO-8601 instant; later mail is ignored).

    ``periods`` limits the rows to those periods (default: every stored period).
    """
    if periods is not None and not periods:
        return []
    sql, params = _status_query(cutoff, periods)
    return _dicts(db, sql + " ORDER BY due_on, campaign_id, zone, province_code", params)


def zone_summary_rows(
    db: sqlite_utils.Database, cutoff: str, periods: Sequence[CampaignPeriod] | None = None
) -> list[dict[str, Any]]:
    """``zone_summary`` rows as of ``cutoff`` (see ``province_status_rows``)."""
    if periods is not None and not periods:
        return []
    sql, params = _status_query(cutoff, periods)
    summary = ZONE_SUMMARY_SQL.replace("{source}", f"({sql})")
    return _dicts(db, f"SELECT * FROM ({summary}) ORDER BY due_on, campaign_id, zone", params)


def _status_query(cutoff: str, periods: Sequence[CampaignPeriod] | None) -> tuple[str, dict[str, Any]]:
    sql = f"SELECT * FROM ({_sql(PROVINCE_STATUS_SQL, ':cutoff')})"
    params: dict[str, Any] = {"cutoff": cutoff}
    if periods:
        keys = []
        for i, p in enumerate(periods):
            keys.append(f"(campaign_id = :c{i} AND period = :p{i})")
            params[f"c{i}"], params[f"p{i}"] = p.campaign_id, p.period
        sql += " WHERE " + " OR ".join(keys)
    return sql, params


def review_rows(
    db: sqlite_utils.Database, cutoff: str, zone: int | None = None
) -> list[dict[str, Any]]:
    """``review_queue`` rows received before ``cutoff``, newest first (one zone's, if given)."""
    sql = f"SELECT * FROM ({_sql(REVIEW_QUEUE_SQL, ':cutoff')})"
    params: dict[str, Any] = {"cutoff": cutoff}
    if zone is not None:
        sql += " WHERE zone = :zone"
        params["zone"] = zone
    return _dicts(db, sql + " ORDER BY julianday(received_at) DESC, message DESC", params)


@dataclass(frozen=True)
class PollHealth:
    """How the poller is doing, from the ``runs`` table."""

    last_ok_at: str | None  # when the last successful poll finished (UTC ISO-8601)
    failures_since: int  # failed polls after it
    last_failure_at: str | None
    last_error: str | None
    last_run_status: str | None


def poll_health(db: sqlite_utils.Database) -> PollHealth:
    """The last successful poll and the failures since (skipped and running polls are neither)."""
    ok = db.execute(
        "SELECT started_at, COALESCE(finished_at, started_at) FROM runs WHERE kind = 'poll' AND status = 'ok'"
        " ORDER BY started_at DESC, id DESC LIMIT 1"
    ).fetchone()
    since = ok[0] if ok else ""
    fail = db.execute(
        "SELECT COUNT(*), MAX(started_at) FROM runs WHERE kind = 'poll'"
        " AND status NOT IN ('ok', 'running', 'skipped') AND started_at > ?",
        [since],
    ).fetchone()
    last_error = db.execute(
        "SELECT COALESCE(error, summary) FROM runs WHERE kind = 'poll' AND status NOT IN ('ok', 'running', 'skipped')"
        " AND started_at > ? ORDER BY started_at DESC, id DESC LIMIT 1",
        [since],
    ).fetchone()
    last = db.execute(
        "SELECT status FROM runs WHERE kind = 'poll' ORDER BY started_at DESC, id DESC LIMIT 1"
    ).fetchone()
    return PollHealth(
        last_ok_at=ok[1] if ok else None,
        failures_since=fail[0] or 0,
        last_failure_at=fail[1],
        last_error=last_error[0] if last_error else None,
        last_run_status=last[0] if last else None,
    )


def submissions_for_export(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every submission with its province, zone and district names, oldest first."""
    return _dicts(db, """
        SELECT s.id, s.campaign, s.period, s.received_at, date(s.received_at, '+7 hours') AS received_on,
               p.zone, z.name_th AS zone_name_th, s.province_code, p.name_th AS province_name_th,
               s.district_code, d.name_th AS district_name_th, s.reporter_name, s.reporter_position,
               s.coordinator, s.phones, s.sender, s.subject, s.image_count, s.needs_review,
               s.review_reasons, s.is_current, s.narrative, s.message_id
        FROM submissions s
        LEFT JOIN provinces p ON p.code = s.province_code
        LEFT JOIN zones z ON z.zone = p.zone
        LEFT JOIN districts d ON d.code = s.district_code
        WHERE s.excluded = 0
        ORDER BY julianday(s.received_at), s.id""", {})


def _dicts(db: sqlite_utils.Database, sql: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    cur = db.execute(sql, dict(params))
    names = [c[0] for c in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
