"""Deciding what a message is and who sent what: classification, form fields, gazetteer.

Every doubt becomes a review reason in Thai-office terms a person can act on; a guess is
never marked confident.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from areaplan.parsers.types import AttachmentRecord, ParsedMessage, ParseSettings, SubmissionRecord

log = logging.getLogger(__name__)

CONFIDENT = 0.9
FORM_TEXT_CHARS = 200_000  # the form reader looks at this much of each text (a form is a few pages)
MAX_CANDIDATES = 30  # texts the form reader looks at in one message


@dataclass
class Candidate:
    source: str  # "attachment X.pdf" or "body"
    text: str
    ocr: bool
    form: object  # parsers.form.FormFields


def _candidates(pm: ParsedMessage, mime) -> list[Candidate]:
    """Every text that may hold the report form: attachments, the body, forwarded bodies."""
    from areaplan.parsers.form import read_form

    texts: list[tuple[str, str, bool]] = [
        (f"attachment {rec.filename or rec.part_index}", rec.text, rec.ocr)
        for rec in pm.attachments if rec.kind != "image" and rec.text and rec.text.strip()
    ]
    if pm.text_body.strip():
        texts.append(("body", pm.text_body, False))
    stack = list(getattr(mime, "forwarded", []) or [])
    while stack:
        fwd = stack.pop(0)
        stack.extend(getattr(fwd, "forwarded", []) or [])
        if fwd.text_body and fwd.text_body.strip():
            texts.append(("forwarded message", fwd.text_body, False))
    out: list[Candidate] = []
    seen: set[str] = set()
    for source, text, ocr in texts:  # bounded: the form reader's cost grows with the text
        text = text[:FORM_TEXT_CHARS]
        if text in seen or len(out) >= MAX_CANDIDATES:
            continue
        seen.add(text)
        out.append(Candidate(source, text, ocr, read_form(text)))
    return out


def _score(c: Candidate) -> int:
    f = c.form
    return (
        4 * bool(f.is_form)
        + 2 * bool(f.province_text)
        + 2 * bool(f.district_text)
        + bool(f.narrative)
        + bool(f.reporter_name)
        - 3 * c.ocr
    )


def _sender_province(pm: ParsedMessage, settings: ParseSettings) -> str | None:
    table = dict(settings.senders)
    addr = pm.from_addr.lower()
    if addr in table:
        return table[addr]
    domain = addr.rpartition("@")[2]
    while domain:
        if domain in table:
            return table[domain]
        domain = domain.partition(".")[2]
    return None


def _province_after(label: str, text: str | None) -> str | None:
    if not text:
        return None
    i = text.find(label)
    return text[i + len(label):].strip() if i >= 0 else None


def resolve_province(gaz, pm: ParsedMessage, best: Candidate | None, settings: ParseSettings,
                     reasons: list[str]) -> tuple[str | None, float | None, str]:
    """The province code, its confidence and where it came from; adds review reasons on doubt."""
    evidence: list[tuple[str, object]] = []  # (where, Match)
    form = best.form if best else None
    if form is not None:
        if form.province_text:
            m = gaz.resolve_province(form.province_text)
            if m:
                evidence.append((f"the form ({best.source})", m))
            else:
                reasons.append(f"province on the form not found in the gazetteer: “{form.province_text}”")
        elif getattr(form, "province_code", None):
            p = gaz.province(form.province_code)
            if p:
                from areaplan.core.gazetteer import Match

                evidence.append((f"the district named on the form ({best.source})",
                                 Match(p.code, p.name_th, CONFIDENT, "from_unique_district", form.district_text or "")))
        pos = _province_after("ปลัดจังหวัด", form.reporter_position)
        if pos:
            m = gaz.resolve_province(pos)
            if m:
                evidence.append(("the reporter's position", m))
    for where, text in (("the subject", pm.subject), ("the sender's name", pm.from_name)):
        found = {m.code: m for m in gaz.find_provinces_in(text or "")}
        if len(found) == 1:
            evidence.append((where, next(iter(found.values()))))
    if not evidence and pm.text_body:
        found = {m.code: m for m in gaz.find_provinces_in(pm.text_body)}
        if len(found) == 1:
            evidence.append(("the body", next(iter(found.values()))))
    sender = _sender_province(pm, settings)
    if sender:
        p = gaz.province(sender)
        if p:
            from areaplan.core.gazetteer import Match

            evidence.append(("the sender table", Match(p.code, p.name_th, 1.0, "sender", pm.from_addr)))
    if not evidence:
        reasons.append(f"province not found (not on the form, subject or body; sender {pm.from_addr or '?'} "
                       "is not in [senders])")
        return None, None, ""
    where, first = evidence[0]
    confident = [m for _, m in evidence if m.confidence >= CONFIDENT]
    codes = {m.code for m in confident}
    if len(codes) > 1:
        names = ", ".join(sorted({f"{m.name_th} ({w})" for w, m in evidence if m.confidence >= CONFIDENT}))
        reasons.append(f"the message names different provinces: {names}")
    if _is_guess(first):
        reasons.append(
            f"province read as {first.name_th} from “{first.matched_text}” by a fuzzy match "
            f"(confidence {first.confidence:.2f}); check the spelling"
        )
    if best is not None and best.ocr and where.startswith("the form") and first.method != "exact":
        reasons.append(f"province {first.name_th} read by OCR without an exact gazetteer match")
    return first.code, first.confidence, where


def resolve_district(gaz, form, province: str | None, campaign: str, ocr: bool,
                     reasons: list[str]) -> tuple[str | None, float | None]:
    if form is None or not form.district_text:
        if campaign == "role_model":
            reasons.append("the nominated district (อำเภอ) was not found in the message")
        return None, None
    mentioned = list(getattr(form, "districts_mentioned", []) or [])
    if len(mentioned) > 1:
        reasons.append(f"more than one district nominated: {', '.join(mentioned)}")
    if province is None:
        reasons.append(f"district “{form.district_text}” cannot be checked without a province")
        return None, None
    m = gaz.resolve_district(form.district_text, province)
    if m is None:
        elsewhere = [d for d in gaz.find_districts_anywhere(form.district_text) if d.code[:2] != province]
        pname = gaz.province(province).name_th
        if elsewhere:
            where = ", ".join(f"{d.name_th} ({gaz.province(d.code[:2]).name_th})" for d in elsewhere[:3])
            reasons.append(f"district “{form.district_text}” is not in จังหวัด{pname}; the gazetteer has {where}")
        else:
            reasons.append(f"district “{form.district_text}” not found in จังหวัด{pname}")
        return None, None
    if _is_guess(m):
        reasons.append(f"district read as {m.name_th} from “{m.matched_text}” by a fuzzy match "
                       f"(confidence {m.confidence:.2f}); check the spelling")
    elif ocr and m.method != "exact":
        reasons.append(f"district {m.name_th} read by OCR without an exact gazetteer match")
    return m.code, m.confidence


def _is_guess(m) -> bool:
    """A typo-tolerant or low-confidence match: a guess, never confident on its own."""
    return m.confidence < CONFIDENT or m.method.startswith("fuzzy") or m.method.endswith("_ambiguous")


def _attachment_reasons(atts: list[AttachmentRecord]) -> list[str]:
    out: list[str] = []
    for rec in atts:
        for p in rec.problems:
            name = rec.filename or f"attachment {rec.part_index}"
            out.append(p if name in p else f"{name}: {p}")
    return out


SEVERE_DEFECT = re.compile(r"truncat|replacement|undecodable|lost|missing|invalid base64|could not", re.I)


def extract_submission(pm: ParsedMessage, mime, settings: ParseSettings, received_at: str) -> None:
    """Fill in ``pm.campaign``, ``pm.status``, ``pm.review_reasons`` and ``pm.submission``."""
    from areaplan.parsers.classify import classify
    from areaplan.parsers.pipeline import _gazetteer, period_for

    gaz = _gazetteer(settings)
    candidates = _candidates(pm, mime)
    best = max(candidates, key=_score) if candidates else None
    names = [a.filename or "" for a in pm.attachments]
    campaign, confidence, why = classify(pm.subject, pm.text_body, names, best.form if best else None)
    if _is_automatic(mime):
        campaign, confidence, why = "other", 1.0, "automatic mail (auto-reply, bounce, list or bulk)"
    pm.campaign, pm.campaign_reason = campaign, why
    reasons: list[str] = []
    reasons += [f"mail defect: {d}" for d in pm.defects if SEVERE_DEFECT.search(d)]
    if campaign == "other":
        if confidence < 0.5:
            reasons.append(f"could not tell whether this is a submission ({why})")
            reasons += _attachment_reasons(pm.attachments)
        pm.review_reasons = reasons
        pm.status = "review" if reasons else "other"
        return
    reasons += _attachment_reasons(pm.attachments)
    form = best.form if best else None
    province, pconf, _ = resolve_province(gaz, pm, best, settings, reasons)
    district, dconf = resolve_district(gaz, form, province, campaign, bool(best and best.ocr), reasons)
    zone = gaz.zone_of(province) if province else None
    written = getattr(form, "zone_number", None) if form is not None else None
    if zone is not None and written is not None and written != zone:
        reasons.append(
            f"the form says เขต {written} but จังหวัด{gaz.province(province).name_th} is in เขตตรวจราชการที่ {zone} "
            "(an old zone list?)"
        )
    image_count = len({img.data for rec in pm.attachments for img in rec.images})
    pm.submission = SubmissionRecord(
        campaign=campaign,
        period=period_for(campaign, received_at, settings),
        province_code=province,
        province_confidence=pconf,
        district_code=district,
        district_confidence=dconf,
        zone=zone,
        zone_written=written,
        reporter_name=(form.reporter_name if form else None) or None,
        reporter_position=(form.reporter_position if form else None) or None,
        coordinator=(getattr(form, "coordinator_name", None) if form else None) or None,
        phones=list(getattr(form, "phones", []) or []) if form else [],
        narrative=(form.narrative if form else None) or None,
        criteria=dict(getattr(form, "criteria", {}) or {}) if form else {},
        image_count=image_count,
        source=best.source if best else "",
    )
    pm.review_reasons = reasons
    pm.status = "review" if reasons else "submission"


def _is_automatic(mime) -> bool:
    """Auto-replies, bounces, mailing lists and bulk mail (by their headers)."""
    return bool(
        mime.auto_submitted
        or mime.auto_reply_headers
        or (mime.precedence or "").lower() in ("bulk", "list", "junk", "auto_reply")
        or mime.list_id
        or mime.content_type == "multipart/report"
    )
