"""Who sent it and what they nominated: province and district resolved against the gazetteer.

Each function returns what it resolved and appends coded ``Reason`` values for every doubt;
a guess (fuzzy, ambiguous, OCR without an exact match) is never marked confident.
"""

from __future__ import annotations

from dataclasses import dataclass

from areaplan.core.campaigns import KINDS
from areaplan.core.gazetteer import CONFIDENT, Gazetteer, Match
from areaplan.core.reasons import Reason
from areaplan.core.records import AttachmentRecord, ParsedMessage, Provenance
from areaplan.parsers.types import ParseSettings


@dataclass(frozen=True)
class Origin:
    """The forwarded message a form came in: its place and what its own headers and body say."""

    place: str  # AttachmentRecord.origin: "1", "1.2" (message/rfc822 parts), "i1" (a block in the body)
    subject: str = ""
    from_name: str = ""
    from_addr: str = ""
    body: str = ""


@dataclass
class Candidate:
    """A text that may hold the report form: an attachment, the body or a forwarded body."""

    source: str  # "attachment X.pdf", "body", "forwarded message"
    text: str
    ocr: bool
    form: object  # parsers.role_model_form.FormFields
    attachment: AttachmentRecord | None = None
    piece: int = 0  # the k-th form of a text holding several (parsers.form_split)
    origin: Origin | None = None  # the forwarded message it came in (None: the mail itself)
    table_row: bool = False  # a row of a summary table in the body (one province's form of several)

    @property
    def place(self) -> str:
        """Its forwarded message's place ("" for the mail itself)."""
        return self.origin.place if self.origin is not None else ""

    def provenance(self, method: str, confidence: float | None = None, field: str | None = None) -> Provenance:
        """Where ``field`` was read; a form read from cells names the cell (``form cell แบบฟอร์ม!C4``)."""
        cell = (getattr(self.form, "locations", None) or {}).get(field or "")
        if cell:
            method = f"{method} cell {cell}"
        if self.attachment is not None:
            return Provenance("attachment", self.attachment.part_index, self.attachment.filename, None,
                              "ocr" if self.ocr else method, confidence)
        return Provenance("forwarded" if self.source.startswith("forwarded") else "body", None, None, None,
                          method, confidence)


@dataclass(frozen=True)
class Evidence:
    where: str  # in words, for the submission's ``source``
    match: Match
    provenance: Provenance


def sender_province(pm: ParsedMessage, settings: ParseSettings) -> str | None:
    """The province the ``[senders]`` table gives for the sender's address or domain."""
    return sender_province_of(pm.from_addr, settings)


def sender_province_of(address: str, settings: ParseSettings) -> str | None:
    """The province the ``[senders]`` table gives for ``address`` or its domain."""
    table = dict(settings.senders)
    addr = (address or "").lower()
    if not addr:
        return None
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


def is_guess(m: Match) -> bool:
    """A typo-tolerant or low-confidence match: a guess, never confident on its own."""
    return m.confidence < CONFIDENT or m.method.startswith("fuzzy") or m.method.endswith("_ambiguous")


def _province_evidence(gaz: Gazetteer, pm: ParsedMessage, best: Candidate | None, settings: ParseSettings,
                       reasons: list[Reason], form_only: bool = False) -> list[Evidence]:
    evidence: list[Evidence] = []
    form = best.form if best else None
    if form is not None:
        if form.province_text:
            m = gaz.resolve_province(form.province_text)
            if m:
                evidence.append(Evidence(f"the form ({best.source})", m,
                                         best.provenance("form", m.confidence, "province")))
            else:
                reasons.append(Reason("province.not_in_gazetteer", "province", evidence=form.province_text,
                                      source=best.source))
        elif getattr(form, "province_code", None):
            p = gaz.province(form.province_code)
            if p:
                m = Match(p.code, p.name_th, CONFIDENT, "from_unique_district", form.district_text or "")
                evidence.append(Evidence(f"the district named on the form ({best.source})", m,
                                         best.provenance("unique district", CONFIDENT)))
        pos = _province_after("ปลัดจังหวัด", form.reporter_position)
        if pos:
            m = gaz.resolve_province(pos)
            if m:
                evidence.append(Evidence("the reporter's position", m, best.provenance("reporter position",
                                                                                        m.confidence)))
    if best is not None and best.origin is not None:
        evidence += _origin_evidence(gaz, best.origin, settings, bool(evidence))
    if form_only:  # one of several forms: the subject, body and sender speak for the whole message
        return evidence
    for where, text, source in (("the subject", pm.subject, "subject"), ("the sender's name", pm.from_name, "sender")):
        found = {m.code: m for m in gaz.find_provinces_in(text or "")}
        if len(found) == 1:
            m = next(iter(found.values()))
            evidence.append(Evidence(where, m, Provenance(source, method=m.method, confidence=m.confidence)))
    if not evidence and pm.text_body:
        found = {m.code: m for m in gaz.find_provinces_in(pm.text_body)}
        if len(found) == 1:
            m = next(iter(found.values()))
            evidence.append(Evidence("the body", m, Provenance("body", method=m.method, confidence=m.confidence)))
    sender = sender_province(pm, settings)
    if sender:
        p = gaz.province(sender)
        if p:
            evidence.append(Evidence("the sender table", Match(p.code, p.name_th, 1.0, "sender", pm.from_addr),
                                     Provenance("sender-table", method="[senders]", confidence=1.0)))
    return evidence


def _origin_evidence(gaz: Gazetteer, origin: Origin, settings: ParseSettings, have: bool) -> list[Evidence]:
    """What the forwarded message a form came in says of its province: its own subject, its
    sender's name, the sender table for its sender, and (when nothing else does) its body."""
    out: list[Evidence] = []
    where = f"forwarded message {origin.place}"
    for label, text in (("subject", origin.subject), ("sender's name", origin.from_name)):
        found = {m.code: m for m in gaz.find_provinces_in(text or "")}
        if len(found) == 1:
            m = next(iter(found.values()))
            out.append(Evidence(f"the {label} of the {where}", m,
                                Provenance("forwarded", method=f"forwarded {label}: {m.method}", confidence=m.confidence)))
    code = sender_province_of(origin.from_addr, settings)
    p = gaz.province(code) if code else None
    if p:
        out.append(Evidence(f"the sender table ({where})", Match(p.code, p.name_th, 1.0, "sender", origin.from_addr),
                            Provenance("sender-table", method="[senders] forwarded sender", confidence=1.0)))
    if not out and not have and origin.body:
        found = {m.code: m for m in gaz.find_provinces_in(origin.body)}
        if len(found) == 1:
            m = next(iter(found.values()))
            out.append(Evidence(f"the body of the {where}", m,
                                Provenance("forwarded", method=f"forwarded body: {m.method}", confidence=m.confidence)))
    return out


def resolve_province(gaz: Gazetteer, pm: ParsedMessage, best: Candidate | None, settings: ParseSettings,
                     reasons: list[Reason], form_only: bool = False,
                     ) -> tuple[str | None, float | None, str, Provenance | None]:
    """The province code, its confidence, where it came from (words and provenance).

    ``form_only``: the form is one of several in the message, so only the form itself may
    name its province (not the subject, the body or the sender table).
    """
    evidence = _province_evidence(gaz, pm, best, settings, reasons, form_only)
    if not evidence:
        if form_only:
            reasons.append(Reason("province.form_unclear", "province", evidence=best.source if best else "?"))
        else:
            reasons.append(Reason("province.not_found", "province", evidence=pm.from_addr or "?"))
        return None, None, "", None
    first = evidence[0]
    m = first.match
    confident = [e for e in evidence if e.match.confidence >= CONFIDENT]
    if len({e.match.code for e in confident}) > 1:
        names = ", ".join(sorted({f"{e.match.name_th} ({e.where})" for e in confident}))
        reasons.append(Reason("province.conflict", "province", evidence=names))
    if is_guess(m):
        reasons.append(Reason("province.fuzzy", "province",
                              evidence=f"{m.name_th} จาก “{m.matched_text}” (ความมั่นใจ {m.confidence:.2f})",
                              source=first.where))
    if best is not None and best.ocr and first.where.startswith("the form") and m.method != "exact":
        reasons.append(Reason("ocr.inexact", "province", evidence=f"จังหวัด{m.name_th}", source=best.source))
    return m.code, m.confidence, first.where, first.provenance


def resolve_district(gaz: Gazetteer, form, province: str | None, campaign: str, ocr: bool,
                     reasons: list[Reason]) -> tuple[str | None, float | None]:
    """The nominated district's code and confidence within ``province``."""
    if form is None or not form.district_text:
        if KINDS[campaign].names_district:
            reasons.append(Reason("district.missing", "district"))
        return None, None
    mentioned = list(getattr(form, "districts_mentioned", []) or [])
    if len(mentioned) > 1:
        reasons.append(Reason("district.several", "district", evidence=", ".join(mentioned)))
    if province is None:
        reasons.append(Reason("district.no_province", "district", evidence=form.district_text))
        return None, None
    m = gaz.resolve_district(form.district_text, province)
    if m is None:
        elsewhere = [d for d in gaz.find_districts_anywhere(form.district_text) if d.code[:2] != province]
        pname = gaz.province(province).name_th
        if elsewhere:
            where = ", ".join(f"{d.name_th} ({gaz.province(d.code[:2]).name_th})" for d in elsewhere[:3])
            reasons.append(Reason("district.not_in_province", "district",
                                  evidence=f"“{form.district_text}” ไม่อยู่ในจังหวัด{pname}; ทะเบียนมี {where}"))
        else:
            reasons.append(Reason("district.not_found", "district", evidence=f"“{form.district_text}” ในจังหวัด{pname}"))
        return None, None
    if is_guess(m):
        reasons.append(Reason("district.fuzzy", "district",
                              evidence=f"{m.name_th} จาก “{m.matched_text}” (ความมั่นใจ {m.confidence:.2f})"))
    elif ocr and m.method != "exact":
        reasons.append(Reason("ocr.inexact", "district", evidence=f"อำเภอ{m.name_th}"))
    return m.code, m.confidence
