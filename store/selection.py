"""Zone selection (the letter's second stage): inspectors score their zone's nominations.

Each of the 18 inspection zones picks ONE role-model district among the nominations its
provinces sent (the current ``role_model`` submission of each province), on the letter's
four criteria weighted equally. What people enter here is original data: nothing in these
tables is derived, a reparse never touches them.

``selection_scores``
    One row per campaign x zone x scorer x nominee (province) x criterion (1-4), the score
    0..``scale``. A scorer's sheet is kept as entered; the total of a nominee is the sum of
    its four scores (equal weights), and the zone's figure is the sum over scorers.
``selection_notes``
    A scorer's note per nominee.
``selection_choices``
    The zone's choice (one province's nominated district), who chose and when.
``selection_reopenings``
    Planning staff reopened a zone after the deadline, until a given Thai day.
``selection_events``
    Every score, choice and reopening in the order made (who, when, what): the history.

A nominee is identified by its province (the letter allows one nomination per province);
the district and submission key at scoring time are kept with the score, so a later
correction from the province shows up as a changed district, never as silently moved scores.
After the campaign's ``deadline`` (Thai day) the zone is locked unless reopened.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from areaplan.core.campaigns import CRITERIA_TH, Campaign
from areaplan.core.clock import to_bangkok, utcnow
from areaplan.store.errors import StoreError
from areaplan.store.rows import rows_as_dicts
from areaplan.store.schema import run_script
from areaplan.store.tx import transaction

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

CRITERIA = tuple(sorted(CRITERIA_TH))


class SelectionError(StoreError):
    """A score, choice or reopening that cannot be recorded (locked zone, not a nominee,
    score out of the scale). ``th`` is the sentence for the inspector."""

    def __init__(self, message: str, th: str) -> None:
        super().__init__(message)
        self.th = th
        self.exit_code = 2


def selection_tables(db: sqlite_utils.Database) -> None:
    """0008: zone selection (scores, notes, choices, reopenings, history)."""
    run_script(
        db,
        """
        CREATE TABLE selection_scores (
            campaign_id   TEXT NOT NULL,
            zone          INTEGER NOT NULL,
            scorer        TEXT NOT NULL,
            province_code TEXT NOT NULL,
            criterion     INTEGER NOT NULL CHECK (criterion BETWEEN 1 AND 4),
            score         INTEGER NOT NULL CHECK (score >= 0),
            district_code TEXT,
            submission_key TEXT,
            updated_at    TEXT NOT NULL,
            PRIMARY KEY (campaign_id, zone, scorer, province_code, criterion)
        );
        CREATE TABLE selection_notes (
            campaign_id   TEXT NOT NULL,
            zone          INTEGER NOT NULL,
            scorer        TEXT NOT NULL,
            province_code TEXT NOT NULL,
            note          TEXT NOT NULL,
            updated_at    TEXT NOT NULL,
            PRIMARY KEY (campaign_id, zone, scorer, province_code)
        );
        CREATE TABLE selection_choices (
            campaign_id   TEXT NOT NULL,
            zone          INTEGER NOT NULL,
            province_code TEXT NOT NULL,
            district_code TEXT,
            submission_key TEXT,
            chosen_by     TEXT NOT NULL,
            chosen_at     TEXT NOT NULL,
            PRIMARY KEY (campaign_id, zone)
        );
        CREATE TABLE selection_reopenings (
            id            INTEGER PRIMARY KEY,
            campaign_id   TEXT NOT NULL,
            zone          INTEGER NOT NULL,
            until         TEXT NOT NULL,
            reopened_by   TEXT NOT NULL,
            reopened_at   TEXT NOT NULL
        );
        CREATE TABLE selection_events (
            id            INTEGER PRIMARY KEY,
            campaign_id   TEXT NOT NULL,
            zone          INTEGER NOT NULL,
            action        TEXT NOT NULL,  -- score | note | choose | reopen
            province_code TEXT,
            actor         TEXT NOT NULL,
            at            TEXT NOT NULL,
            detail        TEXT
        );
        CREATE INDEX selection_events_zone ON selection_events(campaign_id, zone, id);
        """,
    )


@dataclass(frozen=True)
class Nominee:
    """One province's current nomination in a zone (its role_model submission)."""

    province_code: str
    province_th: str
    district_code: str | None
    district_th: str | None
    submission_id: int
    submission_key: str | None
    received_at: str
    reporter_name: str | None
    reporter_position: str | None
    image_count: int
    needs_review: bool
    narrative: str | None
    criteria: dict[int, str] = field(default_factory=dict)
    versions: int = 1


@dataclass(frozen=True)
class Choice:
    zone: int
    zone_th: str
    province_code: str | None = None
    province_th: str | None = None
    district_code: str | None = None
    district_th: str | None = None
    chosen_by: str | None = None
    chosen_at: str | None = None


@dataclass(frozen=True)
class ZoneSheet:
    """Everything about one zone's selection: nominees, each scorer's sheet, totals, choice."""

    campaign_id: str
    zone: int
    zone_th: str
    scale: int
    deadline: date | None
    locked: bool
    nominees: tuple[Nominee, ...]
    scores: dict[str, dict[str, dict[int, int]]]  # scorer -> province -> criterion -> score
    notes: dict[str, dict[str, str]]  # scorer -> province -> note
    choice: Choice

    def total(self, province_code: str, scorer: str | None = None) -> int:
        """The nominee's total (equal weights: the sum of the four criteria), one scorer or all."""
        sheets = [self.scores.get(scorer, {})] if scorer else list(self.scores.values())
        return sum(sum(s.get(province_code, {}).values()) for s in sheets)

    def criterion_total(self, province_code: str, criterion: int) -> int:
        return sum(s.get(province_code, {}).get(criterion, 0) for s in self.scores.values())

    @property
    def max_total(self) -> int:
        """The top total one scorer can give one nominee."""
        return self.scale * len(CRITERIA)

    def nominee(self, province_code: str) -> Nominee | None:
        return next((n for n in self.nominees if n.province_code == province_code), None)


# --------------------------------------------------------------------------- reading

_NOMINEES_SQL = """
WITH period AS (SELECT kind, period FROM campaign_periods WHERE campaign_id = :nominations)
SELECT s.id, s.key, s.province_code, p.name_th AS province_th, s.district_code, d.name_th AS district_th,
       s.received_at, s.reporter_name, s.reporter_position, s.image_count, s.needs_review, s.narrative,
       s.criteria,
       (SELECT COUNT(*) FROM submissions v WHERE v.campaign = s.campaign AND v.period = s.period
            AND v.province_code = s.province_code) AS versions
FROM submissions s
JOIN period ON s.campaign = period.kind AND s.period = period.period
JOIN provinces p ON p.code = s.province_code
LEFT JOIN districts d ON d.code = s.district_code
WHERE s.is_current = 1
  AND p.zone = :zone
ORDER BY s.province_code
"""


def nominees(db: sqlite_utils.Database, campaign: Campaign, zone: int) -> list[Nominee]:
    """The zone's nominations: each province's current role_model submission, by province code."""
    out = []
    for r in rows_as_dicts(db, _NOMINEES_SQL, {"nominations": campaign.nominations, "zone": zone}):
        criteria = {int(k): v for k, v in json.loads(r["criteria"]).items()} if r["criteria"] else {}
        out.append(Nominee(
            province_code=r["province_code"], province_th=r["province_th"], district_code=r["district_code"],
            district_th=r["district_th"], submission_id=r["id"], submission_key=r["key"],
            received_at=r["received_at"], reporter_name=r["reporter_name"],
            reporter_position=r["reporter_position"], image_count=r["image_count"] or 0,
            needs_review=bool(r["needs_review"]), narrative=r["narrative"], criteria=criteria,
            versions=r["versions"],
        ))
    return out


def nominee_versions(db: sqlite_utils.Database, campaign: Campaign, province_code: str) -> list[dict[str, Any]]:
    """Every version the province sent for the nominating period, oldest first (the nominee's history)."""
    return rows_as_dicts(
        db,
        """SELECT s.id, s.key, s.message, s.received_at, s.district_code, d.name_th AS district_th,
                  s.image_count, s.needs_review, s.review_reasons, s.is_current
           FROM submissions s
           JOIN campaign_periods cp ON cp.campaign_id = :nominations AND s.campaign = cp.kind
                AND s.period = cp.period
           LEFT JOIN districts d ON d.code = s.district_code
           WHERE s.province_code = :province ORDER BY julianday(s.received_at), s.id""",
        {"nominations": campaign.nominations, "province": province_code},
    )


def nominee_photos(db: sqlite_utils.Database, nominee: Nominee) -> list[dict[str, Any]]:
    """The photos of the nominee's current submission: sha256, mime type, size, stored path, filename.

    Those the submission counts (``submission_images``: a message with several provinces' forms
    gives each its own); for a message parsed before that table existed, all of the message's.
    """
    return rows_as_dicts(
        db,
        """SELECT i.sha256, i.mime_type, i.width, i.height, i.path, mi.filename
           FROM submissions s JOIN message_images mi ON mi.message = s.message
           JOIN images i ON i.sha256 = mi.image
           WHERE s.id = ? AND (EXISTS (SELECT 1 FROM submission_images si
                                       WHERE si.submission_key = s.key AND si.image = mi.image)
                               OR NOT EXISTS (SELECT 1 FROM submission_images si WHERE si.message = s.message))
           ORDER BY mi.filename, i.sha256""",
        [nominee.submission_id],
    )


def zone_name(db: sqlite_utils.Database, zone: int) -> str:
    row = db.execute("SELECT name_th FROM zones WHERE zone = ?", [zone]).fetchone()
    if row is None:
        raise SelectionError(f"zone {zone} is not an inspection zone (1-18)", f"ไม่มีเขตตรวจราชการที่ {zone}")
    return row[0]


def zone_numbers(db: sqlite_utils.Database) -> list[int]:
    return [r[0] for r in db.execute("SELECT zone FROM zones ORDER BY zone")]


def is_locked(db: sqlite_utils.Database, campaign: Campaign, zone: int, on: date) -> bool:
    """Past the deadline (Thai day ``on`` after it) and not reopened through ``on``."""
    if campaign.deadline is None or on <= campaign.deadline:
        return False
    row = db.execute(
        "SELECT MAX(until) FROM selection_reopenings WHERE campaign_id = ? AND zone = ?", [campaign.id, zone]
    ).fetchone()
    return not (row[0] and date.fromisoformat(row[0]) >= on)


def zone_sheet(db: sqlite_utils.Database, campaign: Campaign, zone: int, on: date) -> ZoneSheet:
    """The zone's selection as of the Thai day ``on`` (for the lock)."""
    zone_th = zone_name(db, zone)
    scores: dict[str, dict[str, dict[int, int]]] = {}
    for scorer, prov, crit, score in db.execute(
        "SELECT scorer, province_code, criterion, score FROM selection_scores"
        " WHERE campaign_id = ? AND zone = ? ORDER BY scorer, province_code, criterion", [campaign.id, zone]
    ):
        scores.setdefault(scorer, {}).setdefault(prov, {})[crit] = score
    notes: dict[str, dict[str, str]] = {}
    for scorer, prov, note in db.execute(
        "SELECT scorer, province_code, note FROM selection_notes WHERE campaign_id = ? AND zone = ?",
        [campaign.id, zone],
    ):
        notes.setdefault(scorer, {})[prov] = note
    return ZoneSheet(
        campaign_id=campaign.id, zone=zone, zone_th=zone_th, scale=campaign.scale, deadline=campaign.deadline,
        locked=is_locked(db, campaign, zone, on), nominees=tuple(nominees(db, campaign, zone)),
        scores=scores, notes=notes, choice=_choice(db, campaign, zone, zone_th),
    )


def _choice(db: sqlite_utils.Database, campaign: Campaign, zone: int, zone_th: str) -> Choice:
    rows = rows_as_dicts(
        db,
        "SELECT c.province_code, p.name_th AS province_th, c.district_code, d.name_th AS district_th,"
        " c.chosen_by, c.chosen_at FROM selection_choices c JOIN provinces p ON p.code = c.province_code"
        " LEFT JOIN districts d ON d.code = c.district_code WHERE c.campaign_id = ? AND c.zone = ?",
        [campaign.id, zone],
    )
    return Choice(zone, zone_th, **rows[0]) if rows else Choice(zone, zone_th)


def national_choices(db: sqlite_utils.Database, campaign: Campaign) -> list[Choice]:
    """One row per inspection zone (18), chosen or not."""
    return [_choice(db, campaign, z, zone_name(db, z)) for z in zone_numbers(db)]


def stages(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """The stored zone-unit campaigns (``campaigns`` rows of kind zone_selection): id, title_th, deadline."""
    return rows_as_dicts(db, "SELECT id, title_th, deadline FROM campaigns WHERE kind = 'zone_selection' ORDER BY id")


def history(db: sqlite_utils.Database, campaign: Campaign, zone: int) -> list[dict[str, Any]]:
    """The zone's events, oldest first: action, province, actor, at, detail (dict)."""
    rows = rows_as_dicts(
        db,
        "SELECT action, province_code, actor, at, detail FROM selection_events"
        " WHERE campaign_id = ? AND zone = ? ORDER BY id",
        [campaign.id, zone],
    )
    for r in rows:
        r["detail"] = json.loads(r["detail"]) if r["detail"] else {}
    return rows


# --------------------------------------------------------------------------- writing

def _writable(db: sqlite_utils.Database, campaign: Campaign, zone: int, on: date) -> None:
    if campaign.kind != "zone_selection":
        raise SelectionError(f"campaign {campaign.id} is not a zone_selection campaign",
                             "รอบนี้ไม่ใช่การคัดเลือกระดับเขตตรวจราชการ")
    zone_name(db, zone)
    if is_locked(db, campaign, zone, on):
        raise SelectionError(
            f"zone {zone} is locked: the deadline {campaign.deadline} has passed (planning staff can reopen it)",
            "พ้นกำหนดการคัดเลือกแล้ว แก้ไขไม่ได้ (กองวิชาการและแผนงานเปิดให้แก้ไขได้)",
        )


def _nominee(db: sqlite_utils.Database, campaign: Campaign, zone: int, province_code: str) -> Nominee:
    found = next((n for n in nominees(db, campaign, zone) if n.province_code == province_code), None)
    if found is None:
        raise SelectionError(f"province {province_code} has no nomination in zone {zone}",
                             f"จังหวัดรหัส {province_code} ไม่มีอำเภอที่เสนอในเขตตรวจราชการที่ {zone}")
    return found


def _event(db: sqlite_utils.Database, campaign: Campaign, zone: int, action: str, province: str | None,
           actor: str, at: str, detail: dict[str, Any]) -> None:
    db.execute(
        "INSERT INTO selection_events (campaign_id, zone, action, province_code, actor, at, detail)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [campaign.id, zone, action, province, actor, at, json.dumps(detail, ensure_ascii=False)],
    )


def record_scores(
    db: sqlite_utils.Database, campaign: Campaign, zone: int, province_code: str, scorer: str,
    scores: dict[int, int], on: date, note: str | None = None,
) -> None:
    """One scorer's scores (criterion -> 0..scale) and optional note for one nominee."""
    if not scorer.strip():
        raise SelectionError("a score needs the scorer's name", "ต้องระบุชื่อผู้ให้คะแนน")
    for crit, score in scores.items():
        if crit not in CRITERIA:
            raise SelectionError(f"criterion {crit} is not one of 1-4", f"ไม่มีหลักเกณฑ์ข้อ {crit}")
        if not isinstance(score, int) or not 0 <= score <= campaign.scale:
            raise SelectionError(f"score {score!r} for criterion {crit} is outside 0-{campaign.scale}",
                                 f"คะแนนหลักเกณฑ์ข้อ {crit} ต้องอยู่ระหว่าง 0 ถึง {campaign.scale}")
    now = utcnow()
    with transaction(db):
        _writable(db, campaign, zone, on)
        nom = _nominee(db, campaign, zone, province_code)
        for crit, score in sorted(scores.items()):
            db.execute(
                "INSERT INTO selection_scores (campaign_id, zone, scorer, province_code, criterion, score,"
                " district_code, submission_key, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT DO UPDATE SET score = excluded.score, district_code = excluded.district_code,"
                " submission_key = excluded.submission_key, updated_at = excluded.updated_at",
                [campaign.id, zone, scorer, province_code, crit, score, nom.district_code, nom.submission_key, now],
            )
        if scores:
            _event(db, campaign, zone, "score", province_code, scorer, now,
                   {"scores": {str(k): v for k, v in sorted(scores.items())}, "district": nom.district_code})
        if note is not None:
            db.execute(
                "INSERT INTO selection_notes (campaign_id, zone, scorer, province_code, note, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET note = excluded.note,"
                " updated_at = excluded.updated_at",
                [campaign.id, zone, scorer, province_code, note, now],
            )
            _event(db, campaign, zone, "note", province_code, scorer, now, {"note": note})


def choose(db: sqlite_utils.Database, campaign: Campaign, zone: int, province_code: str, actor: str,
           on: date) -> Choice:
    """Record the zone's choice: the district ``province_code`` nominated (replaces an earlier one)."""
    now = utcnow()
    with transaction(db):
        _writable(db, campaign, zone, on)
        nom = _nominee(db, campaign, zone, province_code)
        db.execute(
            "INSERT INTO selection_choices (campaign_id, zone, province_code, district_code, submission_key,"
            " chosen_by, chosen_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET"
            " province_code = excluded.province_code, district_code = excluded.district_code,"
            " submission_key = excluded.submission_key, chosen_by = excluded.chosen_by,"
            " chosen_at = excluded.chosen_at",
            [campaign.id, zone, province_code, nom.district_code, nom.submission_key, actor, now],
        )
        _event(db, campaign, zone, "choose", province_code, actor, now, {"district": nom.district_code})
    log.info("zone %d chose province %s district %s (%s)", zone, province_code, nom.district_code, actor)
    return _choice(db, campaign, zone, zone_name(db, zone))


def reopen(db: sqlite_utils.Database, campaign: Campaign, zone: int, actor: str, until: date) -> None:
    """Planning staff: let the zone change its scores and choice again through the Thai day ``until``."""
    zone_name(db, zone)
    now = utcnow()
    with transaction(db):
        db.execute(
            "INSERT INTO selection_reopenings (campaign_id, zone, until, reopened_by, reopened_at)"
            " VALUES (?, ?, ?, ?, ?)", [campaign.id, zone, until.isoformat(), actor, now],
        )
        _event(db, campaign, zone, "reopen", None, actor, now, {"until": until.isoformat()})


# --------------------------------------------------------------------------- for spreadsheets

def score_rows(db: sqlite_utils.Database, campaign: Campaign) -> list[dict[str, Any]]:
    """Every scorer's sheet, one row per zone x scorer x nominee (Thai column names)."""
    rows = rows_as_dicts(
        db,
        """SELECT s.zone, s.scorer, s.province_code, p.name_th AS province_th, d.name_th AS district_th,
                  s.criterion, s.score, n.note, MAX(s.updated_at) OVER (
                      PARTITION BY s.zone, s.scorer, s.province_code) AS updated_at
           FROM selection_scores s JOIN provinces p ON p.code = s.province_code
           LEFT JOIN districts d ON d.code = s.district_code
           LEFT JOIN selection_notes n ON n.campaign_id = s.campaign_id AND n.zone = s.zone
                AND n.scorer = s.scorer AND n.province_code = s.province_code
           WHERE s.campaign_id = ? ORDER BY s.zone, s.scorer, s.province_code, s.criterion""",
        [campaign.id],
    )
    sheets: dict[tuple[int, str, str], dict[str, Any]] = {}
    for r in rows:
        key = (r["zone"], r["scorer"], r["province_code"])
        row = sheets.setdefault(key, {
            "เขตตรวจราชการ": r["zone"], "ผู้ให้คะแนน": r["scorer"], "จังหวัด": r["province_th"],
            "อำเภอ": r["district_th"], **{f"หลักเกณฑ์ที่ {c}": None for c in CRITERIA},
            "รวม": 0, f"คะแนนเต็ม (ข้อละ {campaign.scale})": campaign.scale * len(CRITERIA),
            "หมายเหตุ": r["note"], "บันทึกเมื่อ (เวลาไทย)": _local(r["updated_at"]),
        })
        row[f"หลักเกณฑ์ที่ {r['criterion']}"] = r["score"]
        row["รวม"] += r["score"]
    return list(sheets.values())


def result_rows(db: sqlite_utils.Database, campaign: Campaign, on: date) -> list[dict[str, Any]]:
    """One row per nominee of every zone: totals over scorers, the number of scorers, chosen or not."""
    out = []
    for z in zone_numbers(db):
        sheet = zone_sheet(db, campaign, z, on)
        for n in sheet.nominees:
            scorers = [s for s, by_prov in sheet.scores.items() if n.province_code in by_prov]
            out.append({
                "เขตตรวจราชการ": z, "จังหวัด": n.province_th, "อำเภอที่เสนอ": n.district_th,
                **{f"หลักเกณฑ์ที่ {c} (รวม)": sheet.criterion_total(n.province_code, c) for c in CRITERIA},
                "คะแนนรวม": sheet.total(n.province_code), "จำนวนผู้ให้คะแนน": len(scorers),
                "คะแนนเฉลี่ย": round(sheet.total(n.province_code) / len(scorers), 2) if scorers else None,
                "ได้รับคัดเลือก": "ใช่" if sheet.choice.province_code == n.province_code else "",
                "ผู้บันทึกการคัดเลือก": sheet.choice.chosen_by if sheet.choice.province_code == n.province_code
                else None,
                "บันทึกเมื่อ (เวลาไทย)": _local(sheet.choice.chosen_at)
                if sheet.choice.province_code == n.province_code else None,
            })
    return out


def _local(at: str | None) -> str | None:
    return to_bangkok(at).strftime("%Y-%m-%d %H:%M") if at else None
