"""People's decisions: original data, applied on top of what the parsers read.

``decisions`` is never emptied by ``reparse`` (it is not in ``derived.PER_MESSAGE_TABLES``):
every change is a new row with who, when, why (``note``) and what. A decision concerns one
submission key ("12", "12.1"; for a message that made no submission, the message id).

What a decision does to the derived rows is worked out by ``apply_decisions(db, message)``,
which ``save_parsed`` calls inside its transaction and ``decide`` calls after recording a row:

* the machine's values of the decidable fields are kept in ``submissions.machine`` (JSON),
  the decided values go into the columns, so the views, digests, exports and search all
  show the decided values; ``decision_effects`` lists field by field what was applied;
* each decision carries its ``basis``: what the machine had read when the person decided.
  When a reparse reads something else, the decision is not applied but shown for a second
  look (``decision_effects.status = 'second_look'`` and the reason ``decision.basis_changed``).

Actions: ``confirm`` (as read), ``set`` (field = value), ``not_submission``, ``same_as``
(a duplicate or a correction of submission ``value``), ``dismiss`` (a reason, by its code).
The newest of confirm / not_submission / same_as is the submission's disposition; the
newest ``set`` per field and the newest ``dismiss`` per code count.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from areaplan.core.clock import utcnow
from areaplan.core.errors import AreaplanError
from areaplan.core.reasons import REASONS, REVIEW, staff_th
from areaplan.store.current import refresh_current
from areaplan.store.schema import run_script
from areaplan.store.tx import transaction

if TYPE_CHECKING:
    import sqlite_utils

# field name -> submissions column
FIELDS = {
    "province": "province_code",
    "district": "district_code",
    "campaign": "campaign",
    "period": "period",
    "reporter": "reporter_name",
    "image_count": "image_count",
}
FIELD_LABELS_TH = {
    "province": "จังหวัด", "district": "อำเภอ", "campaign": "ประเภทรายงาน", "period": "รอบรายงาน",
    "reporter": "ผู้รายงาน", "image_count": "จำนวนภาพ",
}
ACTIONS = ("confirm", "set", "not_submission", "same_as", "dismiss")
ACTION_LABELS_TH = {
    "confirm": "ยืนยันตามที่ระบบอ่าน", "set": "แก้ไขค่า", "not_submission": "ไม่ใช่การส่งรายงาน",
    "same_as": "ซ้ำหรือแก้ไขของรายการอื่น", "dismiss": "ยกเลิกเหตุผลที่ต้องตรวจ",
}
DISPOSITIONS = ("confirm", "not_submission", "same_as")
BASIS_CHANGED = "decision.basis_changed"


class DecisionError(AreaplanError):
    """A decision that cannot be recorded (unknown item, field, value or reason code): fix the input."""

    exit_code = 2


@dataclass(frozen=True)
class Decision:
    id: int
    submission_key: str
    message: int
    action: str
    field: str | None
    value: str | None
    basis: str | None
    decided_by: str
    decided_at: str
    note: str | None


def decisions_tables(db: sqlite_utils.Database) -> None:
    """0007: people's decisions (original data) and what applying them did (derived)."""
    from areaplan.store.status import create_views

    run_script(
        db,
        """
        -- People's decisions: ORIGINAL data, never rebuilt by reparse. Every change is a new row.
        CREATE TABLE decisions (
            id             INTEGER PRIMARY KEY,
            submission_key TEXT NOT NULL,
            message        INTEGER NOT NULL REFERENCES messages(id),
            action         TEXT NOT NULL
                           CHECK (action IN ('confirm', 'set', 'not_submission', 'same_as', 'dismiss')),
            field          TEXT,   -- set: the field; dismiss: the reason code
            value          TEXT,   -- set: the new value; same_as: the other submission's key
            basis          TEXT,   -- what the machine had read when the person decided
            decided_by     TEXT NOT NULL,
            decided_at     TEXT NOT NULL,
            note           TEXT
        );
        CREATE INDEX decisions_key ON decisions(submission_key);
        CREATE INDEX decisions_message ON decisions(message);
        -- Derived: what applying the decisions did at the last parse (or decision).
        CREATE TABLE decision_effects (
            message        INTEGER NOT NULL REFERENCES messages(id),
            submission_key TEXT NOT NULL,
            decision       INTEGER NOT NULL REFERENCES decisions(id),
            field          TEXT,
            machine_value  TEXT,
            decided_value  TEXT,
            status         TEXT NOT NULL CHECK (status IN ('applied', 'second_look'))
        );
        CREATE INDEX decision_effects_message ON decision_effects(message);
        ALTER TABLE submissions ADD COLUMN machine TEXT;  -- JSON: the parser's values of FIELDS
        ALTER TABLE submissions ADD COLUMN excluded INTEGER NOT NULL DEFAULT 0;  -- not a submission
        ALTER TABLE parsed_messages ADD COLUMN machine_status TEXT;
        """,
    )
    create_views(db)


# --------------------------------------------------------------------------- reading


def _decision(row: Any) -> Decision:
    return Decision(*row)


_COLS = "id, submission_key, message, action, field, value, basis, decided_by, decided_at, note"


def history(db: sqlite_utils.Database, key: str | None = None, limit: int = 500) -> list[Decision]:
    """Every decision row (of ``key``), newest first."""
    where, params = ("WHERE submission_key = ?", [key]) if key is not None else ("", [])
    return [_decision(r) for r in db.execute(
        f"SELECT {_COLS} FROM decisions {where} ORDER BY id DESC LIMIT ?", [*params, limit])]


def current_decisions(db: sqlite_utils.Database, key: str) -> list[Decision]:
    """The decisions that count for ``key``: the newest disposition, newest set per field,
    newest dismiss per code (oldest first)."""
    seen: set[tuple[str, str | None]] = set()
    out = []
    for d in history(db, key, limit=10_000):
        group = ("disposition", None) if d.action in DISPOSITIONS else (d.action, d.field)
        if group not in seen:
            seen.add(group)
            out.append(d)
    return list(reversed(out))


def effects(db: sqlite_utils.Database, key: str) -> list[dict[str, Any]]:
    cur = db.execute(
        "SELECT decision, field, machine_value, decided_value, status FROM decision_effects"
        " WHERE submission_key = ? ORDER BY decision", [key])
    return [dict(zip(("decision", "field", "machine_value", "decided_value", "status"), r, strict=True))
            for r in cur]


def second_looks(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Decisions whose basis changed since they were made (shown, not applied)."""
    cur = db.execute(
        "SELECT e.submission_key, e.decision, e.field, e.machine_value, d.basis, d.decided_by"
        " FROM decision_effects e JOIN decisions d ON d.id = e.decision WHERE e.status = 'second_look'"
        " ORDER BY e.decision")
    names = ("submission_key", "decision", "field", "machine_value", "basis", "decided_by")
    return [dict(zip(names, r, strict=True)) for r in cur]


def item(db: sqlite_utils.Database, key: str) -> dict[str, Any] | None:
    """The submission (or message without submission) ``key``: its row, machine values, message."""
    row = db.execute("SELECT * FROM submissions WHERE key = ?", [key]).fetchone()
    if row is not None:
        cur = db.execute("SELECT * FROM submissions WHERE key = ?", [key])
        names = [c[0] for c in cur.description]
        sub = dict(zip(names, cur.fetchone(), strict=True))
        sub["machine_values"] = json.loads(sub["machine"]) if sub.get("machine") else _snapshot(sub)
        return {"kind": "submission", "key": key, "message": sub["message"], "submission": sub}
    if key.isdigit():
        pm = db.execute("SELECT message FROM parsed_messages WHERE message = ?", [int(key)]).fetchone()
        if pm is not None:
            return {"kind": "message", "key": key, "message": int(key), "submission": None}
    return None


def _snapshot(sub: dict[str, Any]) -> dict[str, Any]:
    snap = {f: sub[c] for f, c in FIELDS.items()}
    snap["needs_review"] = sub["needs_review"]
    snap["review_reasons"] = sub["review_reasons"]
    return snap


def _basis_of(action: str, field: str | None, machine: dict[str, Any] | None,
              reasons: list[tuple[str, str | None]]) -> str | None:
    if action == "set":
        v = machine.get(field) if machine else None
        if field == "district":  # a district is read within a province
            return f"{machine.get('province') if machine else None}/{v}"
        return None if v is None else str(v)
    if action == "dismiss":
        return "\n".join(sorted(ev or "" for code, ev in reasons if code == field)) or None
    if machine is None:
        return None
    return json.dumps({f: machine.get(f) for f in FIELDS}, ensure_ascii=False, sort_keys=True)


def _reasons(db: sqlite_utils.Database, message: int, key: str) -> list[tuple[str, str | None]]:
    return [(r[0], r[1]) for r in db.execute(
        "SELECT code, evidence FROM reasons WHERE message = ? AND (submission_key IS NULL OR submission_key = ?)"
        " AND COALESCE(source, '') != 'decision'", [message, key])]


# --------------------------------------------------------------------------- deciding


def _normalise(db: sqlite_utils.Database, field: str, value: str, sub: dict[str, Any] | None) -> str:
    value = value.strip()
    if field == "province":
        row = db.execute("SELECT code FROM provinces WHERE code = ? OR name_th = ? OR name_th = ?",
                         [value, value, value.removeprefix("จังหวัด")]).fetchone()
        if row is None:
            raise DecisionError(f"no province {value!r}; use a code or Thai name from the provinces table")
        return row[0]
    if field == "district":
        province = sub["province_code"] if sub else None
        name = value.removeprefix("อำเภอ").removeprefix("เขต")
        row = db.execute(
            "SELECT code FROM districts WHERE code = ? OR ((name_th = ? OR name_th = ?) AND province_code IS ?)"
            " ORDER BY code = ? DESC LIMIT 1", [value, value, name, province, value]).fetchone()
        if row is None:
            raise DecisionError(f"no district {value!r} in province {province or '?'}; use a district code"
                                " or its Thai name")
        return row[0]
    if field == "image_count":
        if not value.isdigit():
            raise DecisionError(f"image_count must be a whole number, not {value!r}")
        return str(int(value))
    if field == "campaign":
        from areaplan.core.campaigns import KINDS

        if value not in KINDS:
            raise DecisionError(f"no campaign kind {value!r}; one of {', '.join(sorted(KINDS))}")
    if not value:
        raise DecisionError(f"{field} needs a value")
    return value


def decide(db: sqlite_utils.Database, key: str, action: str, *, by: str, field: str | None = None,
           value: str | None = None, note: str | None = None) -> Decision:
    """Record a decision on ``key`` (a new row) and apply it at once; return the row."""
    if not by or not by.strip():
        raise DecisionError("say who decides (--by NAME)")
    if action not in ACTIONS:
        raise DecisionError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
    found = item(db, key)
    if found is None:
        raise DecisionError(f"no submission or message {key!r}; see `areaplan review`")
    sub = found["submission"]
    if action == "set":
        if field not in FIELDS:
            raise DecisionError(f"cannot set {field!r}; fields: {', '.join(FIELDS)}")
        if sub is None:
            raise DecisionError(f"message {key} made no submission; only confirm, not_submission, dismiss")
        value = _normalise(db, field, value or "", sub)
    elif action == "dismiss":
        if field not in REASONS:
            raise DecisionError(f"unknown reason code {field!r}; see the reasons table")
        if field not in {c for c, _ in _reasons(db, found["message"], key)}:
            raise DecisionError(f"{key} has no reason {field}")
    elif action == "same_as":
        other = (value or "").strip().lstrip("#")
        if other == key or item(db, other) is None or item(db, other)["submission"] is None:
            raise DecisionError(f"no other submission {value!r} to be the same as")
        if sub is None:
            raise DecisionError(f"message {key} made no submission")
        value, field = other, None
    else:
        field, value = None, None
    machine = sub["machine_values"] if sub else None
    basis = _basis_of(action, field, machine, _reasons(db, found["message"], key))
    with transaction(db):
        cur = db.execute(
            "INSERT INTO decisions (submission_key, message, action, field, value, basis, decided_by, decided_at,"
            " note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [key, found["message"], action, field, value, basis, by.strip(), utcnow(), (note or "").strip() or None])
        apply_decisions(db, found["message"])
    return history(db, key, limit=1)[0] if cur.lastrowid else history(db, key, limit=1)[0]


# --------------------------------------------------------------------------- applying


def apply_decisions(db: sqlite_utils.Database, message: int) -> None:
    """Reset ``message``'s derived rows to the machine's values, then apply the current decisions.

    Idempotent; runs inside the caller's transaction (``save_parsed``) or its own.
    """
    with transaction(db):
        db.execute("DELETE FROM decision_effects WHERE message = ?", [message])
        db.execute("DELETE FROM reasons WHERE message = ? AND source = 'decision'", [message])
        groups: set[tuple[str, str, str | None]] = set()
        cur = db.execute("SELECT * FROM submissions WHERE message = ? ORDER BY id", [message])
        names = [c[0] for c in cur.description]
        for row in cur.fetchall():
            sub = dict(zip(names, row, strict=True))
            groups.add((sub["campaign"], sub["period"], sub["province_code"]))
            new = _apply_one(db, message, sub)
            groups.add((new["campaign"], new["period"], new["province_code"]))
        _apply_message_level(db, message)
        for group in groups:
            refresh_current(db, *group)


def _apply_one(db: sqlite_utils.Database, message: int, sub: dict[str, Any]) -> dict[str, Any]:
    key = sub["key"]
    if sub["machine"] is None:
        machine = _snapshot(sub)
        db.execute("UPDATE submissions SET machine = ? WHERE id = ?",
                   [json.dumps(machine, ensure_ascii=False), sub["id"]])
    else:
        machine = json.loads(sub["machine"])
    values = {f: machine[f] for f in FIELDS}
    reasons = _reasons(db, message, key)
    dismissed: set[str] = set()
    confirmed, excluded = False, False
    effects_rows: list[tuple] = []
    for d in current_decisions(db, key):
        basis = _basis_of(d.action, d.field, machine, reasons)
        if d.action == "dismiss" and d.field not in {c for c, _ in reasons}:
            continue  # the parser no longer raises it: nothing to dismiss
        if basis != d.basis:
            effects_rows.append((d.id, d.field, basis, d.value, "second_look"))
            continue
        if d.action == "set":
            values[d.field] = int(d.value) if d.field == "image_count" else d.value
            dismissed |= {c for c, _ in reasons if c.split(".")[0] == d.field}
        elif d.action == "dismiss":
            dismissed.add(d.field)
        elif d.action == "confirm":
            confirmed = True
        elif d.action == "not_submission":
            excluded = True
        elif d.action == "same_as":
            other = db.execute("SELECT campaign, period, province_code, district_code FROM submissions"
                               " WHERE key = ?", [d.value]).fetchone()
            if other is None:
                effects_rows.append((d.id, None, None, d.value, "second_look"))
                continue
            values.update(campaign=other[0], period=other[1], province=other[2], district=other[3])
            confirmed = True
        effects_rows.append((d.id, d.field, machine.get(d.field) if d.field in FIELDS else None,
                             d.value, "applied"))
    second = [e for e in effects_rows if e[4] == "second_look"]
    for e in second:
        db.execute(
            "INSERT INTO reasons (message, submission_key, code, field, evidence, severity, text_th, detail, source)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'decision')",
            [message, key, BASIS_CHANGED, e[1], f"#{e[0]}", REVIEW,
             staff_th(BASIS_CHANGED, f"#{e[0]}"), None])
    lines = _review_lines(db, message, key, dismissed)
    if confirmed and not second:
        needs_review, lines = 0, []
    elif dismissed or second:
        needs_review = int(bool(lines))
    else:
        needs_review, lines = machine["needs_review"], (machine["review_reasons"] or "").splitlines()
    zone = sub["zone"]
    if values["province"] != machine["province"]:
        z = db.execute("SELECT zone FROM provinces WHERE code = ?", [values["province"]]).fetchone()
        zone = z[0] if z else None
    db.execute(
        "UPDATE submissions SET province_code = ?, district_code = ?, campaign = ?, period = ?, reporter_name = ?,"
        " image_count = ?, zone = ?, needs_review = ?, review_reasons = ?, excluded = ? WHERE id = ?",
        [values["province"], values["district"], values["campaign"], values["period"], values["reporter"],
         values["image_count"], zone, needs_review, "\n".join(lines) or None, int(excluded), sub["id"]])
    if excluded:
        db.execute("DELETE FROM submissions_fts WHERE rowid = ?", [sub["id"]])
    db.conn.executemany(
        "INSERT INTO decision_effects (message, submission_key, decision, field, machine_value, decided_value,"
        " status) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(message, key, e[0], e[1], None if e[2] is None else str(e[2]), e[3], e[4]) for e in effects_rows])
    return {"campaign": values["campaign"], "period": values["period"], "province_code": values["province"]}


def _review_lines(db: sqlite_utils.Database, message: int, key: str | None, dismissed: set[str]) -> list[str]:
    return [r[1] for r in db.execute(
        "SELECT code, text_th FROM reasons WHERE message = ? AND (submission_key IS NULL OR submission_key IS ?)"
        " AND severity = ? ORDER BY source = 'decision', id", [message, key, REVIEW]) if r[0] not in dismissed]


def _apply_message_level(db: sqlite_utils.Database, message: int) -> None:
    """A parsed message that made no submission: confirm / not_submission take it off the queue."""
    if db.execute("SELECT 1 FROM submissions WHERE message = ?", [message]).fetchone():
        return
    row = db.execute("SELECT status, machine_status FROM parsed_messages WHERE message = ?", [message]).fetchone()
    if row is None:
        return
    machine_status = row[1] or row[0]
    if row[1] is None:
        db.execute("UPDATE parsed_messages SET machine_status = ? WHERE message = ?", [machine_status, message])
    key = str(message)
    reasons = _reasons(db, message, key)
    status, dismissed = machine_status, set()
    for d in current_decisions(db, key):
        if d.action == "dismiss":
            if d.field not in {c for c, _ in reasons}:
                continue
            if _basis_of("dismiss", d.field, None, reasons) != d.basis:
                db.execute("INSERT INTO decision_effects VALUES (?, ?, ?, ?, NULL, NULL, 'second_look')",
                           [message, key, d.id, d.field])
                continue
            dismissed.add(d.field)
        elif d.action in ("confirm", "not_submission"):
            status = "other"
        db.execute("INSERT INTO decision_effects VALUES (?, ?, ?, ?, NULL, ?, 'applied')",
                   [message, key, d.id, d.field, d.value])
    if status == "review" and dismissed and not _review_lines(db, message, None, dismissed):
        status = "other"
    db.execute("UPDATE parsed_messages SET status = ? WHERE message = ?", [status, message])


def still_in_review(db: sqlite_utils.Database, message: int) -> bool:
    """Whether ``message`` waits for a person once the decisions are applied (what a run counts)."""
    subs = db.execute("SELECT needs_review, excluded FROM submissions WHERE message = ?", [message]).fetchall()
    if subs:
        return any(needs and not excluded for needs, excluded in subs)
    row = db.execute("SELECT status FROM parsed_messages WHERE message = ?", [message]).fetchone()
    return bool(row) and row[0] == "review"


# --------------------------------------------------------------------------- the queue


def queue(db: sqlite_utils.Database, zone: int | None = None, reason: str | None = None,
          limit: int = 200) -> list[dict[str, Any]]:
    """The ``review_queue`` view with each item's key and reason codes, newest first.

    ``zone`` keeps one zone's items, ``reason`` those carrying that reason code
    (``district`` keeps every ``district.*`` code).
    """
    sql = """
        SELECT q.*, COALESCE(s.key, CAST(q.message AS TEXT)) AS key,
               (SELECT group_concat(code, ' ') FROM (SELECT DISTINCT r.code FROM reasons r
                 WHERE r.message = q.message AND r.severity = 'review'
                   AND (r.submission_key IS NULL OR r.submission_key = s.key))) AS codes
        FROM review_queue q LEFT JOIN submissions s ON s.id = q.submission_id
        WHERE (:zone IS NULL OR q.zone = :zone)
        ORDER BY julianday(q.received_at) DESC, q.message DESC LIMIT :limit"""
    cur = db.execute(sql, {"zone": zone, "limit": limit})
    names = [c[0] for c in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    if reason:
        rows = [r for r in rows if any(c == reason or c.startswith(reason + ".")
                                       for c in (r["codes"] or "").split())]
    return rows


def provenance(db: sqlite_utils.Database, key: str) -> list[dict[str, Any]]:
    """Where each field of submission ``key`` was read (``field_provenance``)."""
    cur = db.execute(
        "SELECT field, value, source, attachment_part, filename, page, method, confidence FROM field_provenance"
        " WHERE submission_key = ? ORDER BY field", [key])
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def item_reasons(db: sqlite_utils.Database, message: int, key: str) -> list[dict[str, Any]]:
    """Every reason (review and note) of ``key``, with its Thai text and English detail."""
    cur = db.execute(
        "SELECT code, field, evidence, severity, text_th, source, detail FROM reasons WHERE message = ?"
        " AND (submission_key IS NULL OR submission_key = ?) ORDER BY id", [message, key])
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
