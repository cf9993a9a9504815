"""From a parsed message to its submission: which campaign, which text holds the form, and
the fields resolved against the gazetteer, with their provenance and coded reasons.

Every doubt becomes a ``Reason`` (see ``areaplan.core.reasons``); a guess is never marked
confident. The campaign decision itself is ``parsers.classify``; resolution is
``parsers.resolve``; reading the form's fields is the campaign kind's form reader.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from areaplan.core.campaigns import DEFAULT_CAMPAIGNS, KINDS, period_for
from areaplan.core.gazetteer import Gazetteer
from areaplan.core.reasons import Reason, needs_review
from areaplan.core.records import ParsedMessage, Provenance, SubmissionRecord
from areaplan.parsers.classify import classify
from areaplan.parsers.defects import code_of
from areaplan.parsers.resolve import Candidate, resolve_district, resolve_province
from areaplan.parsers.role_model_form import read_form, read_form_entries
from areaplan.parsers.types import ParseSettings

log = logging.getLogger(__name__)

# The form reader of each campaign kind (``KINDS[kind].form_reader`` names one of these).
FORM_READERS = {"role_model_form": read_form}
FORM_TEXT_CHARS = 200_000  # the form reader looks at this much of each text (a form is a few pages)
MAX_CANDIDATES = 30  # distinct texts the form reader looks at in one message


@lru_cache(maxsize=8)
def gazetteer_for(zone_overrides: tuple[tuple[str, int], ...]) -> Gazetteer:
    """The gazetteer with the config's zone overrides (loaded once per process and overrides)."""
    return Gazetteer.load(dict(zone_overrides) or None)


def _candidates(pm: ParsedMessage, mime, reader) -> list[Candidate]:
    """Every text that may hold the report form: attachments, the body, forwarded bodies.

    Bounded: the form reader and the gazetteer see at most FORM_TEXT_CHARS of each text and
    MAX_CANDIDATES distinct texts, whatever an archive or a hostile message holds.
    """
    texts: list[tuple[str, str, bool, object]] = [
        (f"attachment {rec.filename or rec.part_index}", rec.text, rec.ocr, rec)
        for rec in pm.attachments if (rec.kind != "image" or rec.ocr) and rec.text and rec.text.strip()
    ]  # a picture counts once OCR read a page in it (parsers.images)
    if pm.text_body.strip():
        texts.append(("body", pm.text_body, False, None))
    stack = list(getattr(mime, "forwarded", []) or [])
    while stack:
        fwd = stack.pop(0)
        stack.extend(getattr(fwd, "forwarded", []) or [])
        if fwd.text_body and fwd.text_body.strip():
            texts.append(("forwarded message", fwd.text_body, False, None))
    out: list[Candidate] = []
    seen: set[str] = set()
    for source, text, ocr, rec in texts:
        text = text[:FORM_TEXT_CHARS]
        if text in seen or len(out) >= MAX_CANDIDATES:
            continue
        seen.add(text)
        if rec is not None and rec.cell_forms:  # forms laid out in cells: one candidate per form
            out.extend(_cell_candidates(source, rec)[: MAX_CANDIDATES - len(out)])
            continue
        if rec is None:
            out.append(Candidate(source, text, ocr, reader(text)))
        else:
            out.append(Candidate(source, text, ocr, reader(text), rec))
    return out


def _cell_candidates(source: str, rec) -> list[Candidate]:
    """The forms of a spreadsheet, each read from its cells (``read_form_entries``); the text of
    each is its canonical text (``rec.sections``)."""
    texts = rec.sections if len(rec.sections) == len(rec.cell_forms) else [rec.text] * len(rec.cell_forms)
    return [Candidate(source, text, rec.ocr, read_form_entries(entries), rec)
            for text, entries in zip(texts, rec.cell_forms, strict=True)]


def _blank_cell_form(candidates: list[Candidate]) -> Candidate | None:
    """A spreadsheet form with its labels and no answers, when no text holds a filled form."""
    if any(c.form.is_form and (c.form.district_text or c.form.narrative) for c in candidates):
        return None
    return next((c for c in candidates if c.attachment is not None and c.attachment.cell_forms
                 and c.form.is_form and not (c.form.province_text or c.form.district_text)), None)


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


def _attachment_reasons(pm: ParsedMessage) -> list[Reason]:
    return [r for rec in pm.attachments for r in rec.reasons]


def _defect_reasons(pm: ParsedMessage) -> list[Reason]:
    return [Reason(code_of(d), "message", evidence=str(d)) for d in pm.defects]


def extract_submission(pm: ParsedMessage, mime, settings: ParseSettings, received_at: str) -> None:
    """Fill in ``pm.campaign``, ``pm.status``, ``pm.reasons`` and ``pm.submission``."""
    gaz = gazetteer_for(settings.zone_overrides)
    reader = FORM_READERS[KINDS["role_model"].form_reader]
    candidates = _candidates(pm, mime, reader)
    best = max(candidates, key=_score) if candidates else None
    names = [a.filename or "" for a in pm.attachments]
    campaign, confidence, why = classify(pm.subject, pm.text_body, names, best.form if best else None)
    if mime.is_automatic:
        campaign, confidence, why = "other", 1.0, "automatic mail (auto-reply, bounce, list or bulk)"
    reasons = _defect_reasons(pm)
    blank = _blank_cell_form(candidates) if campaign != "other" else None
    if blank is not None:  # a blank template sent around is not a submission
        campaign, confidence, why = "other", 0.9, "a blank template (its blanks are empty)"
        reasons.append(Reason("other.blank_template", "campaign", evidence=blank.source, detail=why))
    pm.campaign, pm.campaign_reason = campaign, why
    if campaign == "other":
        if confidence < 0.5:
            reasons.append(Reason("campaign.unclear", "campaign", evidence=why))
            reasons += _attachment_reasons(pm)
        pm.reasons = reasons
        pm.status = "review" if needs_review(reasons) else "other"
        return
    reasons += _attachment_reasons(pm)
    pm.reasons = reasons
    pm.submission = _submission(gaz, pm, best, campaign, settings, received_at)
    pm.status = "review" if needs_review(pm.all_reasons()) else "submission"


def _submission(gaz: Gazetteer, pm: ParsedMessage, best: Candidate | None, campaign: str,
                settings: ParseSettings, received_at: str) -> SubmissionRecord:
    reasons: list[Reason] = []
    form = best.form if best else None
    province, pconf, _, pprov = resolve_province(gaz, pm, best, settings, reasons)
    district, dconf = resolve_district(gaz, form, province, campaign, bool(best and best.ocr), reasons)
    zone = gaz.zone_of(province) if province else None
    written = getattr(form, "zone_number", None) if form is not None else None
    if zone is not None and written is not None and written != zone:
        reasons.append(Reason(
            "zone.mismatch", "zone",
            evidence=f"แบบรายงานเขียนว่าเขต {written} แต่จังหวัด{gaz.province(province).name_th}อยู่ในเขตตรวจราชการที่ {zone}",
        ))
    provenance: dict[str, Provenance] = {}
    if pprov is not None:
        provenance["province"] = pprov
        if zone is not None:
            provenance["zone"] = Provenance("derived", method="gazetteer zone of the province")
    if best is not None:
        if district:
            provenance["district"] = best.provenance("form", dconf, "district")
        for name in ("reporter_name", "reporter_position", "narrative", "phones", "criteria"):
            if getattr(form, name, None):
                provenance[name] = best.provenance("form", field=name)
    image_count = len({img.data for rec in pm.attachments for img in rec.images})
    return SubmissionRecord(
        campaign=campaign,
        period=period_for(campaign, received_at, settings.campaigns or DEFAULT_CAMPAIGNS),
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
        reasons=reasons,
        provenance=provenance,
    )
