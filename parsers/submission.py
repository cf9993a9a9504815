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
from areaplan.core.records import AttachmentRecord, ParsedMessage, Provenance, SubmissionRecord
from areaplan.core.thai_text import normalize
from areaplan.parsers.classify import Verdict, decide, is_delivery_failure
from areaplan.parsers.defects import code_of
from areaplan.parsers.followup import followup_hint
from areaplan.parsers.form_split import split_forms
from areaplan.parsers.html_text import html_to_text
from areaplan.parsers.links import shared_links
from areaplan.parsers.purpose import (
    Purpose,
    bounce,
    calendar,
    circular,
    document_kind,
    newsletter,
    out_of_period,
    signature_only,
)
from areaplan.parsers.quoting import html_own_part, is_reply, own_text, quote_marker
from areaplan.parsers.resolve import Candidate, resolve_district, resolve_province
from areaplan.parsers.role_model_form import FormFields, read_form, read_form_entries
from areaplan.parsers.several_forms import is_filled, several_forms, share_images, slot_of
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


def _texts(pm: ParsedMessage, mime, body: str) -> list[tuple[str, str, bool, AttachmentRecord | None]]:
    """(source, text, ocr, attachment) of every text that may hold forms, in message order.

    An attachment with ``sections`` (several forms in one file, e.g. one per sheet) gives one
    text per section; ``body`` is the message's own text (a reply's quote removed).
    """
    texts: list[tuple[str, str, bool, AttachmentRecord | None]] = []
    for rec in pm.attachments:
        if rec.kind == "image" and not (rec.text or rec.sections):
            continue  # a photo (one that is a page has the text read from it)
        label = f"attachment {rec.filename or rec.part_index}"
        for text in (rec.sections or [rec.text]):
            if text and text.strip():
                texts.append((label, text, rec.ocr, rec))
    if body.strip():
        texts.append(("body", body, False, None))
    stack = list(getattr(mime, "forwarded", []) or [])
    while stack:
        fwd = stack.pop(0)
        stack.extend(getattr(fwd, "forwarded", []) or [])
        if fwd.text_body and fwd.text_body.strip():
            texts.append(("forwarded message", fwd.text_body, False, None))
    return texts


def _candidates(pm: ParsedMessage, mime, reader, body: str | None = None) -> list[Candidate]:
    """Every text that may hold the report form: attachments, the body, forwarded bodies;
    a text holding several forms gives one candidate per form (``parsers.form_split``).

    Bounded: the form reader and the gazetteer see at most FORM_TEXT_CHARS of each text and
    MAX_CANDIDATES distinct texts, whatever an archive or a hostile message holds.
    """
    out: list[Candidate] = []
    seen: set[str] = set()
    pieces_of: dict[int | None, int] = {}
    cells_read: set[int] = set()
    for source, text, ocr, rec in _texts(pm, mime, pm.text_body if body is None else body):
        if rec is not None and rec.cell_forms:  # forms laid out in cells: one candidate per form
            if rec.part_index not in cells_read and len(out) < MAX_CANDIDATES:
                cells_read.add(rec.part_index)
                for k, c in enumerate(_cell_candidates(source, rec)[: MAX_CANDIDATES - len(out)]):
                    c.piece = k
                    out.append(c)
                pieces_of[rec.part_index] = len(rec.cell_forms)
            continue
        text = text[:FORM_TEXT_CHARS]
        if text in seen or len(out) >= MAX_CANDIDATES:
            continue
        seen.add(text)
        for piece in split_forms(text):
            if len(out) >= MAX_CANDIDATES:
                break
            part = rec.part_index if rec is not None else None
            k = pieces_of.get(part, 0)
            pieces_of[part] = k + 1
            out.append(Candidate(source, piece, ocr, reader(piece), rec, k))
    return out


def _cell_candidates(source: str, rec) -> list[Candidate]:
    """The forms of a spreadsheet, each read from its cells (``read_form_entries``); the text of
    each is its canonical text (``rec.sections``)."""
    texts = rec.sections if len(rec.sections) == len(rec.cell_forms) else [rec.text] * len(rec.cell_forms)
    return [Candidate(source, text, rec.ocr, read_form_entries(entries), rec)
            for text, entries in zip(texts, rec.cell_forms, strict=True)]


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


def _other(pm: ParsedMessage, code: str, evidence: str, why: str, reasons: list[Reason],
           read_documents: bool = False) -> None:
    """``pm`` is not a submission: a coded note says why; no submission.

    ``read_documents``: the conclusion rests on what was read from the attachments, so an
    attachment that could not be read (completely) still sends the message to a person.
    """
    pm.campaign, pm.campaign_reason = "other", why
    pm.reasons = reasons + [Reason(code, "campaign", evidence=evidence[:300], detail=why)]
    if read_documents:
        pm.reasons += _attachment_reasons(pm)
    pm.status = "review" if needs_review(pm.reasons) else "other"


def _message_purpose(pm: ParsedMessage, mime, own_body: str) -> Purpose | None:
    """Mail that is never a submission, whatever it carries: bounces and calendar mail."""
    found = bounce(getattr(mime, "content_type", ""), pm.from_addr, pm.subject, is_delivery_failure(pm.subject))
    if found:
        return found
    return calendar(pm.subject, [a.content_type or "" for a in pm.attachments])


def _unfilled_purpose(pm: ParsedMessage, candidates: list[Candidate], own_body: str) -> Purpose | None:
    """Why a message without a filled form is not a submission: a circular, a newsletter, a
    blank template, another agency's form."""
    docs = [c.text for c in candidates if c.attachment is not None]
    found = circular(pm.subject, docs + [own_body]) or newsletter(pm.subject, own_body)
    if found:
        return found
    blank = [c for c in candidates if getattr(c.form, "is_form", False)]
    if blank:
        c = blank[0]
        where = f"ไฟล์แนบ {c.attachment.filename or c.attachment.part_index}" if c.attachment is not None else "เนื้อความ"
        return Purpose("other.blank_template", where, 0.8, "a blank template (its blanks are empty)")
    for c in candidates:
        if c.attachment is not None:
            kind = document_kind(c.text)
            if kind and kind[0] == "foreign":
                return Purpose("other.foreign_form", kind[1][:120], 0.85, "another agency's or campaign's form")
    return None


def _body_only_own(pm: ParsedMessage, mime) -> str:
    """The message's own text: a reply's quoted part removed (plain and HTML quote markers)."""
    if not is_reply(pm.subject, getattr(mime, "in_reply_to", None)):
        return pm.text_body
    own = own_text(pm.text_body)
    html = getattr(mime, "html_body", "") or ""
    if html:
        head = html_own_part(html)
        if len(head) < len(html):
            alt = own_text(normalize(html_to_text(head)))
            if len(alt) < len(own):
                own = alt
    return own


def extract_submission(pm: ParsedMessage, mime, settings: ParseSettings, received_at: str) -> None:
    """Fill in ``pm.campaign``, ``pm.status``, ``pm.reasons``, ``pm.submissions``, ``pm.links``
    and ``pm.followup``."""
    gaz = gazetteer_for(settings.zone_overrides)
    reader = FORM_READERS[KINDS["role_model"].form_reader]
    own_body = _body_only_own(pm, mime)
    candidates = _candidates(pm, mime, reader, own_body)
    best = max(candidates, key=_score) if candidates else None
    pm.links = shared_links(own_body, html_own_part(getattr(mime, "html_body", "") or ""))
    reasons = _defect_reasons(pm)
    found = _message_purpose(pm, mime, own_body)
    if found:
        _other(pm, found.code, found.evidence, found.why, reasons)
        return
    filled = [c for c in candidates if is_filled(c)]
    if not filled:
        concluded, stated = _without_form(gaz, pm, mime, reader, candidates, own_body, reasons)
        if concluded:
            return
        if stated is not None:
            best, candidates = stated, [stated]
    decided = _campaign(pm, mime, best, bool(filled), settings, received_at, reasons)
    if decided is None:
        return
    campaign, why = decided
    pm.campaign, pm.campaign_reason = campaign, why
    reasons += _attachment_reasons(pm)
    if pm.links:
        reasons.append(Reason("links.kept", "message", evidence=_links_text(pm)))
    _make_submissions(gaz, pm, candidates, best, campaign, settings, received_at, reasons)


def _without_form(gaz: Gazetteer, pm: ParsedMessage, mime, reader, candidates: list[Candidate], own_body: str,
                  reasons: list[Reason]) -> tuple[bool, Candidate | None]:
    """A message with no filled form: (concluded, a body candidate for province and district
    stated plainly beside links). Concluded: a signature only, a follow-up, a reply quoting a
    form, a circular / newsletter / blank template / other agency's form, or links only."""
    pictures = [(img.width, img.height, len(img.data)) for rec in pm.attachments for img in rec.images]
    found = signature_only(own_body, pictures, sum(1 for rec in pm.attachments if rec.kind != "image"))
    if found:
        _other(pm, found.code, found.evidence, found.why, reasons)
        return True, None
    documents = any(rec.kind not in ("image", "unknown") for rec in pm.attachments if rec.text.strip())
    images = len({img.data for rec in pm.attachments for img in rec.images})
    hint = None if documents else followup_hint(pm, mime, own_body, images)
    if hint is not None and not mime.is_automatic:
        _as_followup(pm, hint, reasons)
        return True, None
    if own_body != pm.text_body and any(is_filled(c) for c in _candidates(pm, mime, reader)):
        marker = quote_marker(pm.text_body, getattr(mime, "html_body", "") or "")
        _other(pm, "other.quoted_only", f"ข้อความที่อ้างถึงเริ่มที่ “{marker}”" if marker else pm.subject[:120] or "-",
               "a reply quoting a form", reasons, True)
        return True, None
    found = _unfilled_purpose(pm, candidates, own_body)
    if found:
        _other(pm, found.code, found.evidence, found.why, reasons, True)
        return True, None
    if pm.links and not mime.is_automatic:
        stated = _places_stated(gaz, own_body)
        if stated is None:
            _links_only(pm, "only links to shared files", reasons)
            return True, None
        return False, Candidate("body", own_body, False, stated)
    return False, None


def _campaign(pm: ParsedMessage, mime, best: Candidate | None, filled: bool, settings: ParseSettings,
              received_at: str, reasons: list[Reason]) -> tuple[str, str] | None:
    """(campaign, why) of a message that may be a submission, or None when it was concluded
    other here (keywords say other, links only, another agency's form, a form out of period)."""
    names = [a.filename or "" for a in pm.attachments]
    verdict = decide(pm.subject, pm.text_body, names, best.form if best else None)
    if verdict.campaign == "other" and pm.links and best is not None and best.source == "body" and not filled:
        _links_only(pm, f"only links to shared files ({verdict.why})", reasons)
        return None
    if mime.is_automatic:
        verdict = Verdict("other", 1.0, "automatic mail (auto-reply, bounce, list or bulk)", "other.automatic",
                          mime.automatic_evidence)
    campaign, confidence, why = verdict.campaign, verdict.confidence, verdict.why
    if campaign != "other" and best is not None:
        kind = document_kind(best.text, is_filled(best))
        if kind and kind[0] == "foreign" and best.attachment is None:
            kind = None  # a mail body's first lines are its salutation, not a form's title
        if kind and kind[0] == "foreign":
            _other(pm, "other.foreign_form", kind[1][:120], "another agency's or campaign's form", reasons, True)
            return None
        if kind and kind[0] in KINDS and kind[0] != campaign:
            campaign, confidence, why = kind[0], 0.9, f"the document's own title says {kind[0]}: {kind[1][:80]}"
        late = None if best.ocr else out_of_period(  # an OCR'd year may be misread: never trusted
            campaign, best.text, received_at, settings.campaigns or DEFAULT_CAMPAIGNS)
        if late:
            _other(pm, late.code, late.evidence, late.why, reasons, True)
            return None
    if campaign == "other":
        pm.campaign, pm.campaign_reason = campaign, why
        reasons.append(Reason(verdict.code or "campaign.unclear", "campaign", evidence=verdict.evidence[:300],
                              detail=why))
        if confidence < 0.5:
            if verdict.code:
                reasons.append(Reason("campaign.unclear", "campaign", evidence=verdict.evidence[:300], detail=why))
            reasons += _attachment_reasons(pm)
        pm.reasons = reasons
        pm.status = "review" if needs_review(reasons) else "other"
        return None
    return campaign, why


def _make_submissions(gaz: Gazetteer, pm: ParsedMessage, candidates: list[Candidate], best: Candidate | None,
                      campaign: str, settings: ParseSettings, received_at: str, reasons: list[Reason]) -> None:
    """One submission per form (``parsers.several_forms``), each with its pictures and slot."""
    forms = several_forms(gaz, candidates, best)
    share = share_images(gaz, pm, forms)
    if share.unassigned:
        reasons.append(Reason("images.unassigned", "image_count",
                              evidence=f"{len(share.unassigned)} ภาพ ({', '.join(share.unassigned[:5])})"))
    pm.reasons = reasons
    every_image = len({img.data for rec in pm.attachments for img in rec.images})
    taken: set[str] = set()
    pm.submissions = []
    for i, form in enumerate(forms or [None]):
        sub = _submission(gaz, pm, form, campaign, settings, received_at, form_only=len(forms) > 1,
                          image_count=len(share.per_form[i]) if forms else every_image)
        sub.slot = "" if i == 0 else slot_of(form, taken)
        pm.submissions.append(sub)
    pm.status = "review" if needs_review(pm.all_reasons()) else "submission"


def _as_followup(pm: ParsedMessage, hint, reasons: list[Reason]) -> None:
    """``pm`` adds photos or links to an earlier submission: no submission of its own."""
    pm.followup = hint
    pm.campaign, pm.campaign_reason = "other", "a follow-up to an earlier submission (photos or links)"
    pm.reasons = reasons + [Reason("followup.candidate", "message", evidence=hint.evidence)]
    if pm.links:
        pm.reasons.append(Reason("links.kept", "message", evidence=_links_text(pm)))
    pm.status = "review" if needs_review(pm.reasons) else "other"


def _links_only(pm: ParsedMessage, why: str, reasons: list[Reason]) -> None:
    """Only links, no form and no stated province and district: a person opens them."""
    pm.campaign, pm.campaign_reason = "other", why
    pm.reasons = reasons + [Reason("links.only", "message", evidence=_links_text(pm))]
    pm.status = "review"


def _places_stated(gaz: Gazetteer, body: str) -> FormFields | None:
    """Province and district stated in a body that sends its form by link: one province named
    after จังหวัด/จ. and one of its districts named after อำเภอ/อ. (else None)."""
    provinces = {m.code: m for m in gaz.find_provinces_in(body[:FORM_TEXT_CHARS]) if m.method == "prefixed"}
    if len(provinces) != 1:
        return None
    (p,) = provinces.values()
    districts = {m.code: m for m in gaz.scan_districts(body[:FORM_TEXT_CHARS], p.code, require_prefix=True)}
    if len(districts) != 1:
        return None
    (d,) = districts.values()
    return FormFields(province_text=p.matched_text, province_code=p.code, district_text=d.matched_text,
                      district_code=d.code)


def _links_text(pm: ParsedMessage) -> str:
    return " ".join(link.url for link in pm.links[:5]) + (f" (+{len(pm.links) - 5})" if len(pm.links) > 5 else "")


def _submission(gaz: Gazetteer, pm: ParsedMessage, best: Candidate | None, campaign: str,
                settings: ParseSettings, received_at: str, *, form_only: bool = False,
                image_count: int = 0) -> SubmissionRecord:
    reasons: list[Reason] = []
    form = best.form if best else None
    province, pconf, _, pprov = resolve_province(gaz, pm, best, settings, reasons, form_only)
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
