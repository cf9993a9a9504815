"""Decide which campaign a message belongs to: ``role_model``, ``best_practice`` or ``other``.

:func:`classify` looks at the subject, the body, the attachment names and the report
form read from the message (:func:`parsers.role_model_form.read_form`). The first step that
decides wins:

1. Mail that is never a submission, whatever it quotes or carries (:func:`_plainly_other`):
   delivery failures, automatic replies, executable attachments, and replies that only
   acknowledge receipt.
2. A filled-in อำเภอต้นแบบ report form (a district or a narrative was read): role model.
3. Mail whose purpose is something else although it names the campaign
   (:func:`_not_a_submission`): spam, newsletters, questions, requests for more time,
   meeting invitations, circulars to all provinces.
4. No campaign keyword anywhere: other.
5. A body naming three or more provinces and no attachment: other (a circular or summary).
6. Keywords weighed per campaign (:func:`_campaign_scores`): subject 3, attachment names 2,
   body 1. The higher score wins; on a tie, the campaign the subject or a file name calls
   Best Practice wins, else role model (:func:`_tie_break`), with low confidence.

The answer is ``(campaign, confidence, reason)``; confidence below 0.5 means a person
should look. :func:`decide` gives the same answer as a ``Verdict`` that also carries, for
``other``, the reason code (``other.*`` in ``core.reasons``) and the evidence that decided it
(the words found and where, in Thai), so every step that says "not a submission" says why as data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from areaplan.core.campaigns import KINDS, CampaignKind
from areaplan.core.gazetteer import Gazetteer
from areaplan.core.thai_text import has_thai, normalize
from areaplan.parsers.forwarded_blocks import MARKER_WORDS
from areaplan.parsers.role_model_form import SELECT_RE, FormFields, label_re

# --------------------------------------------------------------------------- keyword tables

def _kind_terms(kind: CampaignKind) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(label_re(words)) for words in kind.keyword_labels) + tuple(
        re.compile(p, re.IGNORECASE) for p in kind.keyword_patterns
    )


# Keywords per campaign kind, from the kind registry (``core.campaigns.KINDS``).
_TERMS = {name: _kind_terms(kind) for name, kind in KINDS.items()}
_ROLE_MODEL_TERMS = _TERMS["role_model"]
_BEST_PRACTICE_TERMS = _TERMS["best_practice"]
_REPLY = re.compile(r"^\s*(?:re|ตอบกลับ|ตอบ|aw|sv|antw)\s*[:：]", re.IGNORECASE)
_ACK = re.compile(
    label_re("ได้รับ แล้ว") + "|" + label_re("รับทราบ") + "|" + label_re("ขอบคุณ") + r"|received|thank",
    re.IGNORECASE,
)
# Where the quoted message starts in a reply (Gmail/Outlook, Thai or English).
_QUOTE_START = re.compile(
    r"^[ \t]*(?:>|เมื่อ.{0,120}เขียนว่า\s*:?|On .{0,160}wrote:|-{2,}\s*(?:" + MARKER_WORDS + r")|From:|จาก:|_{10,})",
    re.IGNORECASE | re.MULTILINE,
)
_AUTO = re.compile(
    r"out\s+of\s+(?:the\s+)?office|auto(?:matic)?[\s-]*reply|autoreply|vacation|"
    + label_re("ตอบกลับ อัตโนมัติ")
    + "|"
    + label_re("ไม่ อยู่ ที่ สำนักงาน")
    + "|"
    + label_re("ข้อความ อัตโนมัติ"),
    re.IGNORECASE,
)
_NEWSLETTER = re.compile(
    r"unsubscribe|newsletter|view\s+(?:this\s+)?in\s+(?:your\s+)?browser|"
    + label_re("ยกเลิก การ รับ")
    + "|"
    + label_re("จดหมาย ข่าว"),
    re.IGNORECASE,
)
_SPAM = re.compile(
    r"viagra|casino|lottery|bitcoin|crypto|inheritance|you\s+have\s+won|loan\s+offer|"
    r"invoice.{0,40}(?:overdue|unpaid)|pay\s+immediately|verify\s+your\s+account|"
    r"คาสิโน|บาคาร่า|สล็อต|เงินกู้|หวยออนไลน์|แทงบอล|เครดิตฟรี|ถูกรางวัล",
    re.IGNORECASE,
)
_RISKY_ATTACHMENT = re.compile(r"\.(?:exe|scr|com|bat|cmd|js|vbs|jar|msi|ps1|lnk)$", re.IGNORECASE)
_DELIVERY_FAILURE = re.compile(
    r"undeliver|delivery\s+(?:status\s+)?(?:notification|failure)|mail\s+delivery|returned\s+mail"
    r"|ส่งไม่สำเร็จ|ไม่สามารถส่ง",
    re.IGNORECASE,
)


def is_delivery_failure(subject: str) -> bool:
    """A subject that reports a failed delivery (Undeliverable, Returned mail, ส่งไม่สำเร็จ, ...)."""
    return bool(_DELIVERY_FAILURE.search(normalize(subject or "")))


# What a message is *for*, when it is not a submission although it names the campaign:
# (English why, reason code, pattern).
_NOT_SUBMISSION_SUBJECT = (
    ("a request for more time", "other.extension_request", re.compile(label_re("ขอ ขยาย") + "|" + label_re("ขยาย เวลา"))),
    ("a question", "other.question",
     re.compile(label_re("สอบถาม") + "|" + label_re("ขอ แบบฟอร์ม") + "|" + r"\?\s*$")),
    (
        "a meeting invitation", "other.meeting",
        re.compile(label_re("เชิญ ประชุม") + "|" + label_re("เชิญ เข้า ร่วม") + r"|invitation:", re.I),
    ),
    (
        "a notice to all provinces", "other.circular",
        re.compile(
            label_re("แจ้ง เตือน")
            + "|"
            + label_re("หนังสือ เวียน")
            + "|"
            + label_re("ทุก จังหวัด")
            + "|"
            + label_re("ทุก เขต")
        ),
    ),
)
_NOT_SUBMISSION_BODY = (
    (
        "a notice to all provinces", "other.circular",
        re.compile(
            label_re("เรียน")
            + r"\s*(?:"
            + "|".join([label_re("ผู้ว่าราชการจังหวัด"), label_re("ที่ทำการปกครองจังหวัด"), label_re("นายอำเภอ")])
            + r")\s*"
            + label_re("ทุก")
        ),
    ),
    (
        "a meeting invitation", "other.meeting",
        re.compile(label_re("ขอ เชิญ") + r"[^\n]{0,20}" + label_re("ประชุม") + r"|meeting\s+id", re.I),
    ),
    ("a request for more time", "other.extension_request", re.compile(label_re("ขอ ขยาย เวลา") + "|" + label_re("ขอ ขยาย ระยะ เวลา"))),
    ("a question", "other.question", re.compile(label_re("ขอ แบบฟอร์ม") + "|" + label_re("ขอ สอบถาม"))),
)


# --------------------------------------------------------------------------- steps


def _hits(patterns: tuple[re.Pattern[str], ...], text: str) -> list[str]:
    return [m.group(0) for p in patterns for m in [p.search(text)] if m]


def _own_text(body: str) -> str:
    """The part of a reply its sender wrote: everything before the quoted message."""
    m = _QUOTE_START.search(body)
    return body[: m.start()] if m else body


def _campaign_scores(subject: str, body: str, names: str) -> dict[str, tuple[float, list[str]]]:
    """Weighted keyword evidence per campaign: subject 3, attachment names 2, body 1."""
    scores: dict[str, tuple[float, list[str]]] = {}
    for campaign, patterns in _TERMS.items():
        score, why = 0.0, []
        for weight, where, text in (
            (3, "subject", subject),
            (2, "attachment name", names),
            (1, "body", body),
        ):
            found = _hits(patterns, text)
            if found:
                score += weight
                why.append(f"{where}: {found[0]}")
        scores[campaign] = (score, why)
    return scores


@dataclass(frozen=True)
class Verdict:
    """What :func:`decide` concluded. For ``other``: ``code`` (an ``other.*`` reason code) and
    ``evidence`` (the words or header that decided it, and where, in Thai for staff)."""

    campaign: str
    confidence: float
    why: str  # English, for campaign_reason and logs
    code: str | None = None
    evidence: str = ""


def _quote(where: str, words: str) -> str:
    return f"{where} “{words.strip()[:120]}”"


def _plainly_other(subject: str, body: str, attachment_names: list[str]) -> Verdict | None:
    """Mail that is never a submission, whatever it quotes or carries: bounces,
    auto-replies, risky attachments, and acknowledgements that only quote a form."""
    m = _DELIVERY_FAILURE.search(subject)
    if m:
        return Verdict("other", 0.95, "a delivery failure notice (it may carry someone's submission: not counted)",
                       "other.bounce", _quote("หัวเรื่อง", m.group(0)))
    for where, text in (("หัวเรื่อง", subject), ("เนื้อความ", body[:500])):
        m = _AUTO.search(text)
        if m:
            return Verdict("other", 0.95, "an automatic reply", "other.auto_reply", _quote(where, m.group(0)))
    risky = [n for n in attachment_names if _RISKY_ATTACHMENT.search(n or "")]
    if risky:
        return Verdict("other", 0.9, "carries an executable attachment (likely malware)", "other.risky_attachment",
                       ", ".join(risky[:3]))
    own = _own_text(body)
    ack = _ACK.search(own)
    if (
        _REPLY.match(subject)
        and not attachment_names
        and ack
        and not SELECT_RE.search(own)
        and len(own.strip()) < 1500
    ):
        return Verdict("other", 0.9, "a reply acknowledging receipt, without attachments", "other.acknowledgement",
                       _quote("เนื้อความ", ack.group(0)))
    return None


def _not_a_submission(subject: str, body: str) -> Verdict | None:
    """Spam, newsletters, questions, extension requests, invitations and circulars."""
    for where, text in (("หัวเรื่อง", subject), ("เนื้อความ", body[:2000])):
        m = _SPAM.search(text)
        if m:
            return Verdict("other", 0.9, "looks like spam", "other.spam", _quote(where, m.group(0)))
    m = _NEWSLETTER.search(body)
    if m:
        return Verdict("other", 0.85, "a newsletter or mailing list", "other.newsletter",
                       _quote("เนื้อความ", m.group(0)))
    for what, code, pattern in _NOT_SUBMISSION_SUBJECT:
        m = pattern.search(subject)
        if m:
            return Verdict("other", 0.85, f"{what} (subject)", code, _quote("หัวเรื่อง", m.group(0) if len(m.group(0).strip()) > 2 else subject))
    head = _own_text(body)[:600]
    for what, code, pattern in _NOT_SUBMISSION_BODY:
        m = pattern.search(head)
        if m:
            return Verdict("other", 0.8, f"{what} (body)", code, _quote("เนื้อความ", m.group(0)))
    return None


def _several_provinces(body: str) -> list[str]:
    """The different provinces the body names after จังหวัด / จ. (circulars list many), as written."""
    hits = Gazetteer.load().find_provinces_in(body[:20000])
    named: dict[str, str] = {}
    for m in hits:
        if m.method == "prefixed":
            named.setdefault(m.code, m.matched_text)
    return list(named.values())


def _looked_at(subject: str, attachment_names: list[str]) -> str:
    """Where no keyword was found, as evidence: the subject and the attachment names."""
    parts = [_quote("หัวเรื่อง", subject) if subject.strip() else "ไม่มีหัวเรื่อง"]
    if attachment_names:
        parts.append("ไฟล์แนบ " + ", ".join(attachment_names[:3]))
    return "; ".join(parts)


def classify(
    subject: str, body: str, attachment_names: list[str], form: FormFields | None
) -> tuple[str, float, str]:
    """Which campaign a message belongs to: ("role_model" | "best_practice" | "other", confidence, reason).

    In order: mail that is never a submission (bounces, auto-replies, executables,
    acknowledgements that only quote a form); a filled-in report form; messages
    whose purpose is something else (spam, newsletters, questions, extension
    requests, invitations, circulars to all provinces, lists of many provinces);
    then keywords weighed in the subject (3), attachment names (2) and body (1).
    Confidence below 0.5 means a person should look.
    """
    v = decide(subject, body, attachment_names, form)
    return v.campaign, v.confidence, v.why


def decide(subject: str, body: str, attachment_names: list[str], form: FormFields | None) -> Verdict:
    """:func:`classify`'s answer with, for ``other``, the reason code and its evidence."""
    subject = normalize(subject or "")
    body = normalize((body or "")[:20000])  # keywords sit near the top; bodies can be huge
    attachment_names = [n for n in (attachment_names or []) if n]
    names = normalize(" ".join(attachment_names))
    plain = _plainly_other(subject, body, attachment_names)
    if plain:
        return plain
    if form is not None and form.is_form and (form.district_text or form.narrative):
        return Verdict("role_model", 0.95, "the message carries the filled-in อำเภอต้นแบบ report form")
    purpose = _not_a_submission(subject, body)
    if purpose:
        return purpose
    scores = _campaign_scores(subject, body, names)
    rm, bp = scores["role_model"][0], scores["best_practice"][0]
    if rm == 0 and bp == 0:
        looked = _looked_at(subject, attachment_names)
        if not has_thai(f"{subject} {body}"):
            return Verdict("other", 0.7, "no Thai text and no campaign keyword", "other.no_keyword",
                           f"ไม่มีข้อความภาษาไทย; {looked}")
        confidence = 0.6 if not attachment_names else 0.4
        return Verdict("other", confidence, "no campaign keyword in subject, body or attachments",
                       "other.no_keyword", looked)
    provinces = [] if attachment_names else _several_provinces(body)
    if len(provinces) >= 3:
        named = ", ".join(provinces[:5]) + (f" และอีก {len(provinces) - 5} จังหวัด" if len(provinces) > 5 else "")
        return Verdict("other", 0.75, "names many provinces and carries no attachment (a circular or summary)",
                       "other.many_provinces", named)
    campaign = (
        "role_model" if rm > bp else "best_practice" if bp > rm else _tie_break(subject, names)
    )
    total = rm + bp
    margin = abs(rm - bp) / total if total else 0.0
    confidence = round(min(0.95, 0.5 + 0.08 * max(rm, bp) + 0.2 * margin), 2)
    if rm == bp:
        confidence = min(confidence, 0.45)
    reason = "; ".join(scores[campaign][1])
    return Verdict(campaign, confidence, f"{campaign.replace('_', ' ')} keywords ({reason})")


def _tie_break(subject: str, names: str) -> str:
    """When both campaigns score the same, the subject or file name that says Best Practice wins."""
    if _hits(_BEST_PRACTICE_TERMS, subject + " " + names):
        return "best_practice"
    return "role_model"
