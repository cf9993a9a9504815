"""Backfills from .eml, mbox and maildir go through the same store path as the poller."""

from __future__ import annotations

import mailbox
import sqlite3
from pathlib import Path

from ingest_helpers import make_message, run_cli, stored_hashes, write_config


def _import(db: Path, *paths: Path):
    return run_cli("--db", str(db), "import", "--no-parse", *map(str, paths))


def _count(db: Path) -> int:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT count(*) FROM messages").fetchone()[0]


def test_eml_files_are_stored_byte_for_byte(tmp_path):
    raws = [make_message(i) for i in range(3)]
    for i, raw in enumerate(raws):
        (tmp_path / f"{i}.eml").write_bytes(raw)

    result = _import(tmp_path / "a.db", *sorted(tmp_path.glob("*.eml")))

    assert result.returncode == 0, result.stderr
    import hashlib
    from collections import Counter

    assert stored_hashes(tmp_path / "a.db") == Counter(hashlib.sha256(r).hexdigest() for r in raws)


def test_an_mbox_is_imported_and_a_second_import_adds_nothing(tmp_path):
    box = mailbox.mbox(tmp_path / "takeout.mbox")
    for i in range(5):
        box.add(make_message(i))
    box.flush()

    first = _import(tmp_path / "a.db", tmp_path / "takeout.mbox")
    second = _import(tmp_path / "a.db", tmp_path / "takeout.mbox")

    assert first.returncode == 0 and second.returncode == 0
    assert "5 new" in first.stdout and "0 new, 5 already stored" in second.stdout
    assert _count(tmp_path / "a.db") == 5


def test_a_maildir_is_imported(tmp_path):
    md = mailbox.Maildir(tmp_path / "Maildir", create=True)
    for i in range(4):
        md.add(make_message(i))

    result = _import(tmp_path / "a.db", tmp_path / "Maildir")

    assert result.returncode == 0, result.stderr
    assert _count(tmp_path / "a.db") == 4


def test_the_same_mail_as_eml_mbox_and_maildir_is_stored_once(tmp_path):
    raws = [make_message(i) for i in range(3)]
    box = mailbox.mbox(tmp_path / "x.mbox")
    md = mailbox.Maildir(tmp_path / "md", create=True)
    for i, raw in enumerate(raws):
        (tmp_path / f"{i}.eml").write_bytes(raw)
        box.add(raw)
        md.add(raw)
    box.flush()

    result = _import(tmp_path / "a.db", *sorted(tmp_path.glob("*.eml")), tmp_path / "x.mbox", tmp_path / "md")

    assert result.returncode == 0, result.stderr
    assert _count(tmp_path / "a.db") == 3
    with sqlite3.connect(tmp_path / "a.db") as c:
        assert c.execute("SELECT count(*) FROM message_locations").fetchone()[0] == 9


def test_mbox_from_quoting_does_not_make_a_duplicate(tmp_path):
    raw = (b"From: a@example.go.th\r\nTo: dopa.areaplan@gmail.com\r\nSubject: test\r\n"
           b"Message-ID: <q1@example.go.th>\r\n\r\nline one\r\nFrom here on\r\n")
    (tmp_path / "one.eml").write_bytes(raw)
    box = mailbox.mbox(tmp_path / "x.mbox")
    box.add(raw)  # mailbox quotes "From " at a line start as ">From "
    box.flush()
    assert b">From here on" in (tmp_path / "x.mbox").read_bytes()

    _import(tmp_path / "a.db", tmp_path / "one.eml", tmp_path / "x.mbox")

    assert _count(tmp_path / "a.db") == 1


def test_import_after_poll_of_the_same_mail_stores_no_duplicate(tmp_path, imap_account):
    raws = [make_message(i) for i in range(4)]
    imap_account.append_many(raws)
    cfg = write_config(tmp_path, imap_account)
    polled = run_cli("--config", str(cfg), "poll", "--no-parse", password=imap_account.password)
    assert polled.returncode == 0, polled.stderr
    box = mailbox.mbox(tmp_path / "takeout.mbox")
    for raw in raws:
        box.add(raw.replace(b"\r\n", b"\n"))
    box.flush()

    result = run_cli("--config", str(cfg), "import", "--no-parse", str(tmp_path / "takeout.mbox"))

    assert result.returncode == 0, result.stderr
    assert "0 new, 4 already stored" in result.stdout
    assert _count(tmp_path / "areaplan.db") == 4


def test_a_missing_path_is_a_usage_error(tmp_path):
    result = _import(tmp_path / "a.db", tmp_path / "nope.mbox")

    assert result.returncode == 2
    assert "does not exist" in result.stderr


def test_a_copy_with_export_headers_added_is_the_same_message(tmp_path):
    raw = make_message(1)
    takeout = b"X-GM-THRID: 1695\r\nX-Gmail-Labels: Inbox,Opened\r\n" + raw.replace(b"\r\n", b"\n")
    (tmp_path / "a.eml").write_bytes(raw)
    (tmp_path / "b.eml").write_bytes(takeout)

    _import(tmp_path / "a.db", tmp_path / "a.eml", tmp_path / "b.eml")

    assert _count(tmp_path / "a.db") == 1


def test_same_message_id_and_body_but_other_recipients_are_two_messages(tmp_path):
    raw = make_message(1)
    other = raw.replace(b"To: dopa.areaplan@gmail.com", b"To: dopa.areaplan@gmail.com\nCc: inspector16@example.go.th")
    assert other != raw
    (tmp_path / "a.eml").write_bytes(raw)
    (tmp_path / "b.eml").write_bytes(other)

    _import(tmp_path / "a.db", tmp_path / "a.eml", tmp_path / "b.eml")

    assert _count(tmp_path / "a.db") == 2


def test_a_file_that_is_not_mail_is_refused_with_a_clear_reason(tmp_path):
    (tmp_path / "form.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")

    result = _import(tmp_path / "a.db", tmp_path / "form.pdf")

    assert result.returncode == 2  # bad input: nothing given was mail
    assert "is a PDF, not an email message" in result.stderr and result.stderr.count("\n") == 1


def test_a_stray_file_in_a_folder_is_skipped_and_the_rest_imported(tmp_path):
    folder = tmp_path / "backfill"
    folder.mkdir()
    (folder / "1.eml").write_bytes(make_message(1))
    (folder / "photo.eml").write_bytes(b"\xff\xd8\xff\xe0 not mail")
    (folder / "3.eml").write_bytes(make_message(3))

    result = run_cli("--db", str(tmp_path / "a.db"), "-v", "import", "--no-parse", str(folder))

    assert result.returncode == 3, result.stderr  # partly imported
    assert "refused" in result.stderr and "photo.eml is a JPEG photo" in result.stderr
    assert _count(tmp_path / "a.db") == 2


def test_one_refused_file_among_others_imports_the_others_and_exits_3(tmp_path):
    for i in range(3):
        (tmp_path / f"{i}.eml").write_bytes(make_message(i))
    (tmp_path / "form.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    paths = [tmp_path / "0.eml", tmp_path / "form.pdf", tmp_path / "1.eml", tmp_path / "2.eml"]

    result = _import(tmp_path / "a.db", *paths)

    assert result.returncode == 3, result.stderr
    assert "3 new" in result.stdout and "1 refused" in result.stdout
    assert "form.pdf is a PDF" in result.stderr
    assert _count(tmp_path / "a.db") == 3
    with sqlite3.connect(tmp_path / "a.db") as c:
        assert c.execute("SELECT status FROM runs WHERE kind = 'import'").fetchone()[0] == "partial"


def test_a_maildir_with_a_latin1_file_name_keeps_every_message_and_the_exact_path(tmp_path):
    import os

    md = mailbox.Maildir(tmp_path / "md", create=True)
    for i in range(3):
        md.add(make_message(i))
    bad = os.fsencode(tmp_path / "md" / "cur") + b"/1700000000.caf\xe9.host:2,S"
    with open(bad, "wb") as f:
        f.write(make_message(9))

    result = _import(tmp_path / "a.db", tmp_path / "md")

    assert result.returncode == 0, result.stderr
    assert _count(tmp_path / "a.db") == 4
    with sqlite3.connect(tmp_path / "a.db") as c:
        paths = [bytes(r[0]) for r in c.execute("SELECT path_bytes FROM message_locations")]
        texts = [r[0] for r in c.execute("SELECT path FROM message_locations")]
    assert any(b"caf\xe9.host" in p for p in paths)
    assert any("caf\\xe9.host" in t for t in texts)


def test_an_eml_with_a_latin1_name_is_stored_with_its_exact_path(tmp_path):
    import os

    name = os.fsencode(tmp_path) + b"/r\xe9sum\xe9.eml"
    with open(name, "wb") as f:
        f.write(make_message(4))
    (tmp_path / "ok.eml").write_bytes(make_message(5))

    result = run_cli("--db", str(tmp_path / "a.db"), "import", "--no-parse", str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert _count(tmp_path / "a.db") == 2
    with sqlite3.connect(tmp_path / "a.db") as c:
        paths = {bytes(r[0]) for r in c.execute("SELECT path_bytes FROM message_locations")}
    assert name in paths
