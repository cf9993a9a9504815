"""Mail that is not a submission says why, as data: a reason code, the field, the evidence that
decided it, and a Thai line for staff that names that evidence.

The messages are generated (``tests/other_mail.py`` with the stdlib; ``samples/shapes.py`` for the
look-alikes of the labelled corpus) and go through the product's ``parse_raw``. The last test is
the safety net: every message of the labelled corpus that parses to "not a submission" (or to
review without a submission) carries at least one coded reason, whichever path decided it.
"""

from __future__ import annotations

from email import message_from_bytes
from email.utils import parsedate_to_datetime

import pytest
from corpus_score import corpus_files
from other_mail import WHEN, kinds

from areaplan.core.reasons import REASONS, REVIEW
from areaplan.core.thai_text import has_thai
from areaplan.parsers.pipeline import parse_raw
from areaplan.parsers.types import ParseSettings
from areaplan.samples import shapes
from areaplan.samples.generate import load_gazetteer


def _received(raw: bytes) -> str:
    date = message_from_bytes(raw)["Date"]
    return (parsedate_to_datetime(date) if date else WHEN).isoformat()


def parse(raw: bytes):
    return parse_raw(raw, ParseSettings(), _received(raw))


def _the_reason(pm, code: str):
    found = [r for r in pm.reasons if r.code == code]
    assert found, f"no {code} among {[r.code for r in pm.reasons]} ({pm.campaign_reason})"
    return found[0]


def _assert_says_why(pm, code: str, words: str) -> None:
    assert pm.submissions == [] and pm.campaign == "other"
    r = _the_reason(pm, code)
    assert r.field == "campaign" and r.severity == REASONS[code].severity
    assert r.evidence and r.evidence in r.text_th, (r.evidence, r.text_th)
    assert words in r.text_th, r.text_th
    assert r.detail, "the English explanation is kept (for logs), beside the Thai"


@pytest.mark.parametrize("kind", kinds(), ids=lambda k: k.name)
def test_mail_the_classifier_turns_away_records_a_coded_reason_naming_its_evidence(kind):
    pm = parse(kind.raw)
    assert pm.status == "other"
    _assert_says_why(pm, kind.code, kind.words)


SHAPES = [  # (builder, code, words the Thai text must name)
    (shapes.calendar_invite, "other.calendar", "text/calendar"),
    (shapes.calendar_reply, "other.calendar", "text/calendar"),
    (shapes.calendar_reply_thai, "other.calendar", "ตอบรับ:"),
    (shapes.bounce_quoting_form, "other.bounce", "postmaster@shapes.example.go.th"),
    (shapes.newsletter_other_agency, "other.newsletter", "จดหมายข่าว"),
    (shapes.blank_template, "other.blank_template", "แบบฟอร์ม Role Model.docx"),
    (shapes.last_years_form, "other.out_of_period", "2563"),
    (shapes.signature_only, "other.signature_only", "220x60"),
    (shapes.circular, "other.circular", "ที่ มท"),
    (shapes.other_ministry_form, "other.foreign_form", "กระทรวงทรัพยากรธรรมชาติ"),
    (shapes.other_campaign_form, "other.foreign_form", "อำเภอดีเด่น"),
    (shapes.thanks_quoting_own_outlook, "other.quoted_only", "From: กองวิชาการและแผนงาน"),
    (shapes.thanks_gmail_quote_html, "other.quoted_only", "เขียนว่า"),
    (shapes.reply_quoting_blank_form, "other.acknowledgement", "รับทราบ"),
]


@pytest.fixture(scope="module")
def gz():
    return load_gazetteer()


@pytest.mark.parametrize(("build", "code", "words"), SHAPES, ids=[b.__name__ for b, _, _ in SHAPES])
def test_a_look_alike_of_a_submission_records_a_coded_reason_naming_its_evidence(gz, build, code, words):
    pm = parse(build(gz).bytes())
    assert pm.status == "other"
    _assert_says_why(pm, code, words)


def test_mail_that_may_be_a_submission_goes_to_review_with_the_subject_it_was_judged_on():
    from other_mail import _mail

    pm = parse(_mail("ส่งเอกสารครับ", "ตามไฟล์แนบ\n", attachments=[("scan.pdf", b"not really a pdf")]))
    assert pm.status == "review" and pm.submissions == []
    unclear = _the_reason(pm, "campaign.unclear")
    assert unclear.severity == REVIEW and "ส่งเอกสารครับ" in unclear.text_th
    assert "scan.pdf" in _the_reason(pm, "other.no_keyword").text_th


@pytest.mark.slow
def test_every_message_of_the_labelled_corpus_that_is_not_a_submission_says_why():
    silent, english = [], []
    for path in corpus_files():
        pm = parse(path.read_bytes())
        if pm.submissions:
            continue
        if not pm.reasons:
            silent.append(f"{path.name}: {pm.status}, {pm.campaign_reason}")
        english += [f"{path.name}: {r.code}" for r in pm.reasons if not has_thai(r.text_th)]
    assert silent == [] and english == []
