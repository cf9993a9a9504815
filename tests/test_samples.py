"""Checks on the committed synthetic mail (samples/mailbox, tests/corpus) and its generator."""

from __future__ import annotations

import email
import hashlib
import json
import mailbox
import os
import subprocess
import sys
from email.policy import default
from pathlib import Path

import pytest

from areaplan.samples import generate as gen

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
MBOX = ROOT / "samples" / "mailbox" / "sample.mbox"
MBOX_LABELS = ROOT / "samples" / "mailbox" / "labels.json"
LABEL_KEYS = {"campaign", "province_code", "district_code", "zone", "needs_review", "notes"}


@pytest.fixture(scope="module")
def gz() -> gen.Gazetteer:
    return gen.load_gazetteer()


@pytest.fixture(scope="module")
def labels() -> dict[str, dict]:
    return json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))


def _walk_ok(msg: email.message.EmailMessage) -> None:
    """Every part is reachable, headers decode, payloads decode, no parser defects."""
    for part in msg.walk():
        assert not part.defects, part.defects
        for _name, value in part.items():
            str(value)
        if not part.is_multipart() and part.get_content_maintype() != "message":
            part.get_payload(decode=True)
        part.get_filename()


def test_mailbox_parses():
    box = mailbox.mbox(MBOX)
    keys = box.keys()
    assert 35 <= len(keys) <= 50
    assert MBOX.stat().st_size < 3_200_000
    ids = set()
    for key in keys:
        msg = email.message_from_bytes(box.get_bytes(key), policy=default)
        _walk_ok(msg)
        assert msg["Message-ID"] and msg["Date"] and msg["From"]
        ids.add(msg["Message-ID"].strip())
    expected = json.loads(MBOX_LABELS.read_text(encoding="utf-8"))
    assert set(expected) == ids


def test_mailbox_content(gz):
    expected = json.loads(MBOX_LABELS.read_text(encoding="utf-8"))
    rm = [lab for lab in expected.values() if lab["campaign"] == "role_model"]
    assert {lab["zone"] for lab in rm} == set(range(1, 19))
    assert len({lab["province_code"] for lab in rm}) >= 28
    assert any(lab["needs_review"] for lab in rm)
    assert sum(lab["campaign"] == "best_practice" for lab in expected.values()) >= 3
    for lab in rm:
        assert gz.provinces[lab["province_code"]].zone == lab["zone"]
    raw = MBOX.read_bytes()
    for needle in (
        b"charset=TIS-620",
        b"windows-874",
        b"message/rfc822",
        b"Auto-Submitted",
        b"image/png",
        b"List-Unsubscribe",
        b"filename*",
    ):
        assert needle in raw, needle


def test_corpus_files_match_labels(labels):
    files = {p.name for p in CORPUS.glob("*.eml")}
    assert len(files) >= 160
    assert files == set(labels)
    assert sum(p.stat().st_size for p in CORPUS.iterdir()) < 10_500_000


@pytest.mark.slow
def test_corpus_parses():
    for path in sorted(CORPUS.glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=default)
        _walk_ok(msg)
        assert msg["From"], path.name


def test_label_schema(labels):
    for name, lab in labels.items():
        assert set(lab) == LABEL_KEYS, name
        assert lab["campaign"] in ("role_model", "best_practice", "other"), name
        assert isinstance(lab["needs_review"], bool), name
        assert isinstance(lab["notes"], str), name
        if lab["campaign"] == "other":
            assert (
                lab["province_code"] is None
                and lab["district_code"] is None
                and lab["zone"] is None
            ), name


def test_labels_consistent_with_gazetteer(gz, labels):
    counts = {"role_model": 0, "best_practice": 0, "other": 0}
    role_provinces = set()
    for name, lab in labels.items():
        counts[lab["campaign"]] += 1
        if lab["campaign"] == "other":
            continue
        p = gz.provinces[lab["province_code"]]
        assert lab["zone"] == p.zone is not None, name
        if lab["district_code"] is not None:
            assert gz.districts[lab["district_code"]].province_code == p.code, name
        if lab["campaign"] == "role_model":
            role_provinces.add(p.code)
    assert role_provinces == {p.code for p in gz.all76}
    assert counts["best_practice"] >= 20 and counts["other"] >= 25
    assert sum(lab["needs_review"] for lab in labels.values()) >= 10


def test_corpus_covers_traps(labels):
    districts = {lab["district_code"] for lab in labels.values() if lab["campaign"] == "role_model"}
    for code in (
        "1401",
        "3027",
        "3318",
        "4512",
        "5213",
        "1913",
        "3032",
        "3123",
        "5515",
        "8023",
        "5002",
        "9610",
    ):
        assert code in districts, code
    notes = " ".join(lab["notes"] for lab in labels.values())
    for needle in (
        "อ.เมืองฯ",
        "tis-620",
        "windows-874",
        "forwarded (rfc822)",
        "zip",
        "table_docx",
        "body_html",
        "image-only PDF",
        "two districts",
        "misspelt",
        "form says zone",
    ):
        assert needle in notes, needle


def _one_message() -> bytes:
    """Build and render one small submission (form pasted in the body, no photos, no LibreOffice)."""
    gz = gen.load_gazetteer()
    ctx = gen.new_ctx(gz, "corpus")
    r = gen.rng_for("determinism:plan")
    spec = gen.rm_spec(
        gz, r, "determinism", gz.provinces["55"], gz.districts["5508"], "body_plain", n_photos=0
    )
    draft, _label = gen.build_role_model(ctx, spec)
    return gen.render_item(gen.Item("determinism", draft, {}), {})


def test_generator_is_deterministic():
    first = _one_message()
    assert first == _one_message()
    email.message_from_bytes(first, policy=default)
    code = "import hashlib, tests.test_samples as t; print(hashlib.sha256(t._one_message()).hexdigest())"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "123"},
    )
    assert out.stdout.strip() == hashlib.sha256(first).hexdigest()
