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
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from areaplan.core.campaigns import CampaignPeriod
from areaplan.store.rows import rows_as_dicts
from areaplan.store.schema import run_script

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

OPEN_END = "'9999-12-31'"  # the views' cutoff: everything received so far

# Lines joined into ``review_queue.reasons`` for problems the store itself can see.
REASON_NO_PROVINCE = "ระบุจังหวัดผู้ส่งไม่ได้ (province not identified)"
REASON_UNKNOWN_PROVINCE = "รหัสจังหวัดไม่อยู่ในทะเบียนจังหวัด (province code not in the gazetteer)"
REASON_NO_ZONE = "จังหวัดนี้ไม่อยู่ในเขตตรวจราชการใด (province in no inspection zone)"
REASON_NO_CAMPAIGN = "ไม่ตรงกับรอบรายงานที่ตั้งค่าไว้ (no configured campaign period)"
# The same lines as staff read them (Thai only; the English gloss is secondary, for analysts).
QUEUE_REASONS_TH = {
    REASON_NO_PROVINCE: "ระบุจังหวัดผู้ส่งไม่ได้",
    REASON_UNKNOWN_PROVINCE: "รหัสจังหวัดไม่อยู่ในทะเบียนจังหวัด",
    REASON_NO_ZONE: "จังหวัดนี้ไม่อยู่ในเขตตรวจราชการใด",
    REASON_NO_CAMPAIGN: "ไม่ตรงกับรอบรายงานที่ตั้งค่าไว้",
}

_SUBMISSION_RANK = """ROW_NUMBER() OVER (
            PARTITION BY s.campaign, s.period, s.province_code
            ORDER BY s.is_current DESC, julianday(s.received_at) DESC, s.id DESC)"""

_RECEIVED_BEFORE = "(julianday({col}) IS NULL OR julianday({col}) < julianday({cutoff}))"

PROVINCE_STATUS_SQL = f"""
WITH subs AS (
    SELECT s.id, s.message, s.campaign, s.period, s.province_code, s.district_code, s.received_at,
           s.sender, s.subject, s.reporter_name, s.reporter_position, {{followup_images}} AS image_count,
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


# Pictures sent later in follow-up mail count on the submission (store.followups).
WITH_FOLLOWUP_IMAGES = "s.image_count + s.followup_images"


def _sql(template: str, cutoff: str, not_excluded: str = NOT_EXCLUDED,
         images: str = WITH_FOLLOWUP_IMAGES) -> str:
    return (template.replace("{cutoff}", cutoff).replace("{not_excluded}", not_excluded)
            .replace("{followup_images}", images))


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
    # ... and before 0011 (follow-ups) without submissions.followup_images.
    images = WITH_FOLLOWUP_IMAGES if "followup_images" in columns else "s.image_count"
    run_script(
        db,
        f"""
        CREATE VIEW province_status AS {_sql(PROVINCE_STATUS_SQL, OPEN_END, not_excluded, images)};
        CREATE VIEW zone_summary AS {ZONE_SUMMARY_SQL.replace("{source}", "province_status")};
        CREATE VIEW review_queue AS {_sql(REVIEW_QUEUE_SQL, OPEN_END, not_excluded, images)};
        """,
    )


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
    return rows_as_dicts(db, sql + " ORDER BY due_on, campaign_id, zone, province_code", params)


def zone_summary_rows(
    db: sqlite_utils.Database, cutoff: str, periods: Sequence[CampaignPeriod] | None = None
) -> list[dict[str, Any]]:
    """``zone_summary`` rows as of ``cutoff`` (see ``province_status_rows``)."""
    if periods is not None and not periods:
        return []
    sql, params = _status_query(cutoff, periods)
    summary = ZONE_SUMMARY_SQL.replace("{source}", f"({sql})")
    return rows_as_dicts(db, f"SELECT * FROM ({summary}) ORDER BY due_on, campaign_id, zone", params)


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
    return rows_as_dicts(db, sql + " ORDER BY julianday(received_at) DESC, message DESC", params)


def submissions_for_export(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every submission with its province, zone and district names, oldest first."""
    return rows_as_dicts(db, """
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



def reason_codes(db: sqlite_utils.Database, messages: list[int]) -> dict[tuple[int, str], tuple[str, str, str]]:
    """(message, the Thai line stored for staff) -> (reason code, evidence, source), for the review reasons
    of ``messages``: lets the digest word each line from the REASONS registry."""
    out: dict[tuple[int, str], tuple[str, str, str]] = {}
    for chunk in (messages[i:i + 500] for i in range(0, len(messages), 500)):
        marks = ", ".join("?" for _ in chunk)
        for message, text_th, code, evidence, source in db.execute(
                f"SELECT message, text_th, code, COALESCE(evidence, ''), COALESCE(source, '') FROM reasons"
                f" WHERE severity = 'review' AND message IN ({marks})", chunk):
            out.setdefault((message, text_th), (code, evidence, source))
    return out
