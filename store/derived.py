"""Migrations for everything derived from raw messages (rebuilt by ``areaplan reparse``).

Nothing in these tables is original: deleting them and reparsing gives them back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from areaplan.store.schema import run_script

if TYPE_CHECKING:
    import sqlite_utils

# Tables holding one message's derived rows (keyed by ``message``), children first:
# ``store.parsed.delete_derived`` empties them for a message before saving it again.
# (``submissions_fts`` is keyed by submission rowid and emptied with its submissions.)
PER_MESSAGE_TABLES = (
    "followups",
    "followup_hints",
    "shared_links",
    "decision_effects",
    "field_provenance",
    "reasons",
    "submission_images",
    "submissions",
    "message_images",
    "attachments",
    "parsed_messages",
)


def parsed_tables(db: sqlite_utils.Database) -> None:
    """0002: what the parsers derive from each message."""
    run_script(
        db,
        """
        -- What the parsers read from each message; one row per message once parsed.
        CREATE TABLE parsed_messages (
            message         INTEGER PRIMARY KEY REFERENCES messages(id),
            parser_version  INTEGER NOT NULL,
            parsed_at       TEXT NOT NULL,
            subject         TEXT,
            from_name       TEXT,
            from_addr       TEXT,
            to_addrs        TEXT,
            sent_at         TEXT,
            received_at     TEXT,
            text_body       TEXT,
            campaign        TEXT NOT NULL,
            campaign_reason TEXT,
            status          TEXT NOT NULL CHECK (status IN ('submission', 'other', 'review')),
            review_reasons  TEXT,
            defects         TEXT
        );
        CREATE INDEX parsed_messages_status ON parsed_messages(status);
        -- Every attachment (and every member of an archive, and forwarded parts).
        CREATE TABLE attachments (
            id           INTEGER PRIMARY KEY,
            message      INTEGER NOT NULL REFERENCES messages(id),
            part_index   INTEGER NOT NULL,
            filename     TEXT,
            content_type TEXT,
            sha256       TEXT NOT NULL,
            size         INTEGER NOT NULL,
            kind         TEXT NOT NULL,
            method       TEXT,
            pages        INTEGER,
            ocr          INTEGER NOT NULL DEFAULT 0,
            text         TEXT,
            problems     TEXT,
            notes        TEXT,
            UNIQUE (message, part_index)
        );
        CREATE INDEX attachments_sha256 ON attachments(sha256);
        -- Images are files in <db>-files/images/<sha256[:2]>/<sha256>.<ext>; this links them.
        CREATE TABLE images (
            sha256     TEXT PRIMARY KEY,
            mime_type  TEXT,
            width      INTEGER,
            height     INTEGER,
            size       INTEGER NOT NULL,
            path       TEXT NOT NULL
        );
        CREATE TABLE message_images (
            message    INTEGER NOT NULL REFERENCES messages(id),
            image      TEXT NOT NULL REFERENCES images(sha256),
            attachment INTEGER REFERENCES attachments(id),
            filename   TEXT,
            source     TEXT,
            PRIMARY KEY (message, image)
        );
        -- One row per role-model or best-practice message (other mail makes none).
        -- id equals message (messages.id), so it is stable across reparses.
        CREATE TABLE submissions (
            id                  INTEGER PRIMARY KEY,
            message             INTEGER NOT NULL UNIQUE REFERENCES messages(id),
            message_id          TEXT NOT NULL,
            campaign            TEXT NOT NULL CHECK (campaign IN ('role_model', 'best_practice')),
            period              TEXT NOT NULL,
            received_at         TEXT NOT NULL,
            sender              TEXT,
            subject             TEXT,
            province_code       TEXT,
            province_confidence REAL,
            district_code       TEXT,
            district_confidence REAL,
            zone                INTEGER,
            zone_written        INTEGER,
            reporter_name       TEXT,
            reporter_position   TEXT,
            coordinator         TEXT,
            phones              TEXT,
            narrative           TEXT,
            criteria            TEXT,
            image_count         INTEGER NOT NULL DEFAULT 0,
            source              TEXT,
            needs_review        INTEGER NOT NULL DEFAULT 0,
            review_reasons      TEXT,
            is_current          INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX submissions_province ON submissions(campaign, period, province_code);
        CREATE INDEX submissions_zone ON submissions(zone);
        -- Thai full-text search: narrative and subject segmented into words by pythainlp.
        CREATE VIRTUAL TABLE submissions_fts USING fts5(
            narrative, subject, tokenize='unicode61'
        );
        """,
    )


def gazetteer_tables(db: sqlite_utils.Database) -> None:
    """0003: provinces, districts and zones (filled from the bundled gazetteer)."""
    run_script(
        db,
        """
        -- Loaded from areaplan/core/gazetteer_data/*.csv (and zone overrides from the config) on every open.
        CREATE TABLE provinces (
            code TEXT PRIMARY KEY, name_th TEXT NOT NULL, name_en TEXT, zone INTEGER, abbr_th TEXT
        );
        CREATE TABLE districts (
            code TEXT PRIMARY KEY, province_code TEXT NOT NULL, name_th TEXT NOT NULL,
            name_en TEXT, kind TEXT
        );
        CREATE TABLE zones (zone INTEGER PRIMARY KEY, name_th TEXT NOT NULL, province_group_th TEXT);
        """,
    )


def reasons_provenance_and_keys(db: sqlite_utils.Database) -> None:
    """0006: reasons as data, per-field provenance, stable submission keys, kinds without CHECK.

    ``submissions`` and ``campaigns`` are rebuilt (SQLite cannot drop a CHECK constraint):
    the campaign kinds now come from the kind registry (``core.campaigns.KINDS``), and a
    message may carry several submissions, each with its own stable ``key``.
    """
    from areaplan.store.status import VIEWS, create_views

    for view in VIEWS:
        db.execute(f"DROP VIEW IF EXISTS {view}")
    run_script(
        db,
        """
        CREATE TABLE submissions_new (
            id                  INTEGER PRIMARY KEY,
            key                 TEXT UNIQUE,  -- "<message>" or "<message>.<n>"; set by the parser
            message             INTEGER NOT NULL REFERENCES messages(id),
            message_id          TEXT NOT NULL,
            campaign            TEXT NOT NULL,
            period              TEXT NOT NULL,
            received_at         TEXT NOT NULL,
            sender              TEXT,
            subject             TEXT,
            province_code       TEXT,
            province_confidence REAL,
            district_code       TEXT,
            district_confidence REAL,
            zone                INTEGER,
            zone_written        INTEGER,
            reporter_name       TEXT,
            reporter_position   TEXT,
            coordinator         TEXT,
            phones              TEXT,
            narrative           TEXT,
            criteria            TEXT,
            image_count         INTEGER NOT NULL DEFAULT 0,
            source              TEXT,
            needs_review        INTEGER NOT NULL DEFAULT 0,
            review_reasons      TEXT,
            is_current          INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO submissions_new
            SELECT id, CAST(message AS TEXT), message, message_id, campaign, period, received_at, sender,
                   subject, province_code, province_confidence, district_code, district_confidence, zone,
                   zone_written, reporter_name, reporter_position, coordinator, phones, narrative, criteria,
                   image_count, source, needs_review, review_reasons, is_current
            FROM submissions;
        DROP TABLE submissions;
        ALTER TABLE submissions_new RENAME TO submissions;
        CREATE INDEX submissions_message ON submissions(message);
        CREATE INDEX submissions_province ON submissions(campaign, period, province_code);
        CREATE INDEX submissions_zone ON submissions(zone);

        CREATE TABLE campaigns_new (
            id          TEXT PRIMARY KEY,
            kind        TEXT NOT NULL,
            title_th    TEXT NOT NULL,
            deadline    TEXT,
            due_day     INTEGER,
            start_month TEXT,
            end_month   TEXT,
            synced_at   TEXT NOT NULL
        );
        INSERT INTO campaigns_new SELECT * FROM campaigns;
        CREATE TABLE campaign_periods_keep AS SELECT * FROM campaign_periods;
        DROP TABLE campaign_periods;
        DROP TABLE campaigns;
        ALTER TABLE campaigns_new RENAME TO campaigns;
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
        INSERT INTO campaign_periods SELECT * FROM campaign_periods_keep;
        DROP TABLE campaign_periods_keep;

        -- Why a message or a submission needs a person, as data (codes: core/reasons.py).
        -- submission_key is NULL for a reason about the message itself.
        CREATE TABLE reasons (
            id             INTEGER PRIMARY KEY,
            message        INTEGER NOT NULL REFERENCES messages(id),
            submission_key TEXT,
            code           TEXT NOT NULL,
            field          TEXT,
            evidence       TEXT,
            severity       TEXT NOT NULL,
            text_th        TEXT NOT NULL,
            detail         TEXT,
            source         TEXT
        );
        CREATE INDEX reasons_message ON reasons(message);
        CREATE INDEX reasons_submission ON reasons(submission_key);
        CREATE INDEX reasons_code ON reasons(code);
        -- Where each field of a submission was read: an attachment (its part_index and name,
        -- the page when known), the body, the subject, the sender table; how; how sure.
        CREATE TABLE field_provenance (
            message         INTEGER NOT NULL REFERENCES messages(id),
            submission_key  TEXT NOT NULL,
            field           TEXT NOT NULL,
            value           TEXT,
            source          TEXT NOT NULL,
            attachment_part INTEGER,
            filename        TEXT,
            page            INTEGER,
            method          TEXT,
            confidence      REAL,
            PRIMARY KEY (submission_key, field)
        );
        """,
    )
    create_views(db)


def forwarded_origins_and_submission_images(db: sqlite_utils.Database) -> None:
    """0012: which forwarded mail each attachment came in; which pictures count on which
    submission (a message with several provinces' forms gives each form its own)."""
    run_script(
        db,
        """
        -- "" the mail itself, "1" its first attached message/rfc822, "1.2" one inside that
        -- (AttachmentRecord.origin).
        ALTER TABLE attachments ADD COLUMN origin TEXT NOT NULL DEFAULT '';
        -- The pictures each submission counts (its image_count); a picture of a several-form
        -- message that could not be tied to one form is on none (reason images.unassigned).
        CREATE TABLE submission_images (
            message        INTEGER NOT NULL REFERENCES messages(id),
            submission_key TEXT NOT NULL,
            image          TEXT NOT NULL REFERENCES images(sha256),
            PRIMARY KEY (submission_key, image)
        );
        CREATE INDEX submission_images_message ON submission_images(message);
        """,
    )
