"""The labelled corpus, scored through the real store: every label must be met.

``tests/corpus/*.eml`` (170 messages, ``samples/generate.py``) and ``tests/corpus/shapes/*.eml``
(several forms per message, follow-ups, links, look-alikes; ``samples/shapes.py``) are
imported with ``areaplan import`` into a fresh SQLite file and parsed by ``areaplan reparse``;
the rows a person would query are compared with the generator's labels
(``tests/corpus_score.py``). Accuracy is asserted on labels, never on timing.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from corpus_score import CORPUS, SHAPES, load_labels, observe, score
from ingest_helpers import run_cli


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("corpus") / "corpus.db"
    files = [str(p) for p in sorted(CORPUS.glob("*.eml")) + sorted(SHAPES.glob("*.eml"))]
    result = run_cli("--db", str(db), "import", "--no-parse", *files, timeout=300)
    assert result.returncode == 0, result.stderr
    result = run_cli("--db", str(db), "reparse", "--workers", "2", timeout=900)
    assert result.returncode == 0, result.stderr
    result = run_cli("--db", str(db), "status", "--date", "2021-03-31")  # campaign periods for the views
    assert result.returncode == 0, result.stderr
    return db


@pytest.fixture(scope="module")
def result(corpus_db):
    return score(load_labels(), observe(corpus_db))


@pytest.mark.slow
def test_every_label_of_the_corpus_is_met(result):
    assert result.misses == []


@pytest.mark.slow
def test_no_confident_wrong_answer_and_no_row_for_mail_that_is_not_a_submission(result):
    assert (result.confident_wrong, result.rows_for_non_submissions, result.expected_without_row) == (0, 0, 0)


@pytest.mark.slow
def test_the_score_covers_every_kind_of_label(result):
    for name in ("campaign", "province_code", "district_code", "zone", "images", "links",
                 "follow-up linked", "follow-up images"):
        assert result.total[name] > 0, name


@pytest.mark.slow
def test_a_zone_office_mail_with_three_provinces_forms_counts_for_each_province(corpus_db):
    with sqlite3.connect(corpus_db) as c:
        (message,) = c.execute("SELECT message FROM message_locations WHERE path LIKE ?",
                               ["%s01-several-attachments.eml"]).fetchone()
        keys = [r[0] for r in c.execute("SELECT key FROM submissions WHERE message = ? ORDER BY key", [message])]
        statuses = dict(c.execute(
            "SELECT province_code, status FROM province_status WHERE campaign = 'role_model'"
            " AND province_code IN ('16', '17', '19')").fetchall())
    assert keys[0] == str(message) and len(keys) == 3
    assert all(k.startswith(f"{message}.") for k in keys[1:])
    assert set(statuses) == {"16", "17", "19"} and "missing" not in statuses.values()


@pytest.mark.slow
def test_a_follow_up_adds_its_photos_to_the_earlier_submission_in_the_views(corpus_db):
    with sqlite3.connect(corpus_db) as c:
        sid, own, later = c.execute(
            "SELECT s.id, s.image_count, s.followup_images FROM submissions s JOIN message_locations l"
            " ON l.message = s.message WHERE l.path LIKE '%s05a-followup-base.eml'").fetchone()
        row = c.execute("SELECT image_count FROM province_status WHERE submission_id = ?", [sid]).fetchone()
    assert (own, later) == (1, 3)
    assert row == (4,)


def test_shapes_generator_reproduces_the_committed_messages(tmp_path):
    out = tmp_path / "shapes"
    subprocess.run([sys.executable, "-m", "areaplan.samples.shapes", "--out", str(out)], check=True,
                   capture_output=True, timeout=300)
    made = {p.name: p.read_bytes() for p in out.iterdir()}
    committed = {p.name: p.read_bytes() for p in SHAPES.iterdir()}
    assert made.keys() == committed.keys()
    assert [n for n in made if made[n] != committed[n]] == []
