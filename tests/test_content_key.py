"""Sameness of messages: inputs whose decoded content differs are never merged, and every
distinct copy of one message keeps its own raw bytes.

Every input is generated here; each pair is saved into a real SQLite store through
``store.messages.save_message`` (the path the poller and the importer share).
"""

from __future__ import annotations

import hashlib
import random

import pytest
from ingest_helpers import make_message

from areaplan.core.rfc822 import content_key, header_values
from areaplan.store.db import open_db
from areaplan.store.messages import Location, save_message
from areaplan.store.tx import transaction

HEAD = b"From: a@example.go.th\r\nTo: b@example.go.th\r\nSubject: s\r\nMessage-ID: <x@y>\r\n"


def _jpeg(seed: int) -> bytes:
    rng = random.Random(seed)
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + rng.randbytes(3000) + b"\xff\xd9"


def _thai(text: str) -> bytes:
    return text.encode("utf-8")


DIFFERENT = {
    "no blank line after the headers": (HEAD + b"Date: x\r\nbody one", HEAD + b"Date: x\r\nbody two"),
    "files of NULs of different length": (b"\0" * 100, b"\0" * 101),
    "two JPEG photos": (_jpeg(1), _jpeg(2)),
    "two UTF-16 texts": ("From: ก\nรายงาน ๑".encode("utf-16"), "From: ก\nรายงาน ๒".encode("utf-16")),
    "two Thai texts without headers": (_thai("รายงานผลการคัดเลือก จังหวัดน่าน"),
                                       _thai("รายงานผลการคัดเลือก จังหวัดแพร่")),
    "a TNEF blob and another": (b"\x78\x9f\x3e\x22" + bytes(range(256)), b"\x78\x9f\x3e\x22" + bytes(range(255, -1, -1))),
    "only the Content-Transfer-Encoding differs": (
        HEAD + b"Content-Transfer-Encoding: quoted-printable\r\n\r\n=41=42\r\n",
        HEAD + b"Content-Transfer-Encoding: 7bit\r\n\r\n=41=42\r\n",
    ),
    "a repeated header differs in its second occurrence": (
        HEAD + b"To: c@example.go.th\r\n\r\nbody\r\n",
        HEAD + b"To: d@example.go.th\r\n\r\nbody\r\n",
    ),
    "words run together in the body": (HEAD + b"\r\nnot at all\r\n", HEAD + b"\r\nnotatall\r\n"),
    "a header line that is not a field": (HEAD + b"garbage one\r\n\r\nbody\r\n", HEAD + b"garbage two\r\n\r\nbody\r\n"),
}


def _store(tmp_path, *raws: bytes, source: str = "eml"):
    db = open_db(tmp_path / "a.db")
    saved = []
    with transaction(db):
        for i, raw in enumerate(raws):
            saved.append(save_message(db, raw, Location(source, path=f"/in/{i}.eml")))
    return db, saved


@pytest.mark.parametrize("case", sorted(DIFFERENT))
def test_inputs_whose_content_differs_are_two_messages(tmp_path, case):
    one, two = DIFFERENT[case]
    assert one != two

    db, saved = _store(tmp_path, one, two)

    assert [s.new for s in saved] == [True, True], case
    stored = {bytes(r[0]) for r in db.execute("SELECT raw FROM raw_messages")}
    assert stored == {one, two}


def test_the_same_message_with_other_line_ends_is_one_message_and_both_copies_are_kept(tmp_path):
    crlf = make_message(1)
    lf = crlf.replace(b"\r\n", b"\n")
    exported = b"X-Gmail-Labels: Inbox\nStatus: RO\n" + lf.replace(b"\n\n", b"  \n\n", 1)

    db, saved = _store(tmp_path, crlf, lf, exported)

    assert [s.new for s in saved] == [True, False, False]
    assert len({s.message for s in saved}) == 1
    shas = [r[0] for r in db.execute("SELECT sha256 FROM message_locations ORDER BY id")]
    assert shas == [hashlib.sha256(r).hexdigest() for r in (crlf, lf, exported)]
    kept = {r[0]: bytes(r[1]) for r in db.execute("SELECT sha256, raw FROM raw_messages")}
    assert all(hashlib.sha256(kept[s]).hexdigest() == s for s in shas)


def test_mbox_from_quoting_and_trailing_blanks_do_not_change_the_key():
    raw = HEAD + b"\r\nline one  \r\nFrom here on\r\n\r\n"
    assert content_key(raw) == content_key(raw.replace(b"\nFrom here", b"\n>From here"))
    assert content_key(raw) == content_key(raw.replace(b"  \r\n", b"\n").rstrip())
    assert content_key(raw) != content_key(raw.replace(b"line one", b"line  one"))


def test_a_long_run_of_blanks_is_keyed_in_linear_time():
    raw = HEAD + b"\r\n" + b" " * 2_000_000 + b"x"  # quadratic trailing-blank scans would hang
    assert content_key(raw) != content_key(HEAD + b"\r\nx")


def test_a_200k_line_folded_header_is_read_once():
    header = b"Subject: start\r\n" + b"\r\n".join(b" part %d" % i for i in range(200_000))
    values = header_values(header)
    assert values[b"subject"].startswith(b"start part 0 part 1 ")
    assert values[b"subject"].endswith(b"part 199999")
    assert content_key(header + b"\r\n\r\nbody") != content_key(header + b" more\r\n\r\nbody")


def test_migration_0010_rekeys_stored_messages_and_fills_path_bytes(tmp_path):
    from areaplan.core.clock import utcnow
    from areaplan.store.migrations import MIGRATIONS

    path = tmp_path / "old.db"
    db = open_db(path, migrate=False)
    with transaction(db):  # a store as areaplan left it before this migration
        db.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        before = [name for name, _ in MIGRATIONS].index("0010_copies_and_key_v4")
        for name, fn in MIGRATIONS[:before]:
            fn(db)
            db.execute("INSERT INTO schema_migrations VALUES (?, ?)", [name, utcnow()])
        db.execute(f"PRAGMA user_version = {before}")
        raw = make_message(3)
        sha = hashlib.sha256(raw).hexdigest()
        db.execute("INSERT INTO raw_messages VALUES (?, ?, ?)", [sha, len(raw), raw])
        db.execute("INSERT INTO messages (sha256, content_key, size, first_seen, source) VALUES (?, 'v3-key', ?, ?, 'eml')",
                   [sha, len(raw), utcnow()])
        db.execute("INSERT INTO message_locations (message, source, path, sha256, seen_at) VALUES (1, 'eml', ?, ?, ?)",
                   ["/old/ร.eml", sha, utcnow()])
    db.conn.close()

    db = open_db(path)

    assert db.execute("SELECT content_key FROM messages").fetchone()[0] == content_key(raw)
    assert bytes(db.execute("SELECT path_bytes FROM message_locations").fetchone()[0]) == "/old/ร.eml".encode()
    with transaction(db):  # the same message arriving again is recognised under the new key
        assert save_message(db, raw.replace(b"\r\n", b"\n"), Location("eml", path="/new/a.eml")).new is False
