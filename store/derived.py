"""Migrations for everything derived from raw messages (rebuilt by ``areaplan reparse``).

Nothing in these tables is original: deleting them and reparsing gives them back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from areaplan.store.schema import migration, run_script

if TYPE_CHECKING:
    import sqlite_utils

# Tables that ``reparse`` empties and fills again, children first.
DERIVED_TABLES = (
    "submissions_fts",
    "submissions",
    "message_images",
    "attachments",
    "parsed_messages",
)


@migration("0002_parsed")
def _parsed(db: sqlite_utils.Database) -> None:
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


@migration("0003_gazetteer")
def _gazetteer(db: sqlite_utils.Database) -> None:
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
