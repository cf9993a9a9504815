"""Why a message or a submission needs a person: reasons as data.

A ``Reason`` is a stable ``code`` (``province.not_found``), the ``field`` it concerns, the
``evidence`` (what was read: a name, a file name), an English ``detail`` for logs, and where
it was found (``source``). What staff read is the Thai text of the code's ``ReasonKind``,
filled with the evidence. Whether a reason sends the message to review is the code's
``severity``, never the wording: rewording a text changes nobody's queue, and a person can
dismiss a reason by its code (issue "People close the loop").

Adding a reason: one ``ReasonKind`` line in ``REASONS`` (code, severity, Thai, English).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REVIEW = "review"  # a person must look before the submission counts as clean
NOTE = "note"  # informative: kept and shown, sends nothing to review


@dataclass(frozen=True)
class ReasonKind:
    code: str
    severity: str
    th: str  # Thai text for staff; ``{evidence}`` is replaced by the reason's evidence
    en: str


_KINDS = (
    # the message as mail
    ReasonKind("message.undecodable", REVIEW, "ถอดรหัสอีเมลไม่ได้ ({evidence}) โปรดเปิดอ่านต้นฉบับ",
               "the message could not be decoded"),
    ReasonKind("message.defect", REVIEW, "อีเมลมีส่วนที่เสียหายหรืออ่านได้ไม่ครบ: {evidence}",
               "a MIME defect that may have lost content"),
    ReasonKind("message.defect_minor", NOTE, "อีเมลมีข้อบกพร่องเล็กน้อย (ซ่อมแล้ว): {evidence}",
               "a MIME defect repaired without loss"),
    ReasonKind("parse.failed", REVIEW, "ระบบอ่านข้อความนี้ไม่สำเร็จ ({evidence}) โปรดอ่านต้นฉบับและแจ้งผู้ดูแลระบบ",
               "areaplan could not parse this message"),
    ReasonKind("parse.timeout", REVIEW, "อ่านข้อความนี้เกินเวลาที่กำหนด ({evidence}) โปรดอ่านต้นฉบับ",
               "parsing stopped at the message's time budget"),
    ReasonKind("parse.memory", REVIEW, "อ่านข้อความนี้ใช้หน่วยความจำเกินกำหนด ({evidence}) โปรดอ่านต้นฉบับ",
               "parsing stopped at the message's memory budget"),
    # what kind of mail it is
    ReasonKind("campaign.unclear", REVIEW, "ไม่แน่ใจว่าเป็นการส่งแบบรายงานหรือไม่ ({evidence})",
               "could not tell whether this is a submission"),
    # mail that is not a submission although it looks close (no submissions row; a note says why)
    ReasonKind("other.calendar", NOTE, "เป็นคำเชิญหรือการตอบรับนัดหมายในปฏิทิน ไม่ใช่การส่งแบบรายงาน ({evidence})",
               "a calendar invitation or reply"),
    ReasonKind("other.bounce", NOTE, "เป็นรายงานการส่งอีเมลไม่สำเร็จ ไม่นับเป็นการส่งแบบรายงาน ({evidence})",
               "a delivery failure report"),
    ReasonKind("other.signature_only", NOTE, "มีเพียงลายเซ็นและรูปขนาดเล็ก ({evidence}) ไม่ใช่การส่งแบบรายงาน",
               "only a signature and a small picture"),
    ReasonKind("other.foreign_form", NOTE, "แบบฟอร์มนี้เป็นของหน่วยงานหรือโครงการอื่น: “{evidence}”",
               "another ministry's or campaign's form"),
    ReasonKind("other.out_of_period", NOTE, "แบบรายงานลงปีนอกรอบการรายงาน ({evidence}) เช่น แบบของปีก่อน",
               "the form is dated outside the campaign period"),
    ReasonKind("other.blank_template", NOTE, "เป็นแบบฟอร์มเปล่า ยังไม่ได้กรอกข้อมูล ({evidence})",
               "a blank template"),
    ReasonKind("other.circular", NOTE, "เป็นหนังสือสั่งการหรือหนังสือเวียนของกรม ไม่ใช่การส่งแบบรายงาน ({evidence})",
               "a circular of the department"),
    ReasonKind("other.newsletter", NOTE, "เป็นจดหมายข่าวหรือข่าวประชาสัมพันธ์ ({evidence})", "a newsletter"),
    ReasonKind("other.quoted_only", NOTE, "แบบรายงานอยู่ในข้อความที่อ้างถึง (ตอบกลับ) ไม่ใช่การส่งใหม่ ({evidence})",
               "the form is only in the quoted part of a reply"),
    ReasonKind("other.automatic", NOTE,
               "เป็นอีเมลที่ระบบส่งอัตโนมัติ (ตอบกลับอัตโนมัติ รายงานการส่ง หรือรายชื่อผู้รับ) ไม่ใช่การส่งแบบรายงาน ({evidence})",
               "machine mail by its headers (auto-reply, report, list or bulk)"),
    ReasonKind("other.auto_reply", NOTE, "เป็นการตอบกลับอัตโนมัติ เช่น แจ้งไม่อยู่ที่สำนักงาน ไม่ใช่การส่งแบบรายงาน ({evidence})",
               "an automatic reply"),
    ReasonKind("other.acknowledgement", NOTE,
               "เป็นการตอบกลับเพื่อรับทราบหรือขอบคุณ ไม่มีไฟล์แนบ ไม่ใช่การส่งแบบรายงาน ({evidence})",
               "a reply acknowledging receipt, without attachments"),
    ReasonKind("other.risky_attachment", NOTE,
               "มีไฟล์แนบที่เป็นโปรแกรม ({evidence}) อาจเป็นไวรัส ไม่นับเป็นการส่งแบบรายงาน โปรดอย่าเปิดไฟล์",
               "an executable attachment (likely malware)"),
    ReasonKind("other.spam", NOTE, "เป็นอีเมลขยะหรือโฆษณา ไม่ใช่การส่งแบบรายงาน ({evidence})", "looks like spam"),
    ReasonKind("other.question", NOTE, "เป็นการสอบถามหรือขอแบบฟอร์ม ไม่ใช่การส่งแบบรายงาน ({evidence})",
               "a question or a request for the form"),
    ReasonKind("other.extension_request", NOTE, "เป็นการขอขยายเวลาส่งแบบรายงาน ยังไม่ใช่การส่ง ({evidence})",
               "a request for more time"),
    ReasonKind("other.meeting", NOTE, "เป็นหนังสือเชิญประชุมหรือเชิญเข้าร่วมกิจกรรม ไม่ใช่การส่งแบบรายงาน ({evidence})",
               "a meeting invitation"),
    ReasonKind("other.many_provinces", NOTE,
               "ระบุหลายจังหวัด ({evidence}) และไม่มีไฟล์แนบ น่าจะเป็นหนังสือเวียนหรือสรุปผล ไม่ใช่การส่งแบบรายงาน",
               "names many provinces and carries no attachment (a circular or summary)"),
    ReasonKind("other.no_keyword", NOTE,
               "ไม่พบคำของโครงการ (อำเภอต้นแบบ หรือ Best Practice) ในหัวเรื่อง เนื้อความ หรือชื่อไฟล์แนบ ({evidence})",
               "no campaign keyword in subject, body or attachment names"),
    # several forms in one message, follow-ups, shared links
    ReasonKind("province.form_unclear", REVIEW,
               "แบบรายงาน {evidence} ไม่ระบุจังหวัดที่ชัดเจน (อีเมลนี้มีแบบรายงานหลายจังหวัด จึงใช้หัวเรื่องหรือผู้ส่งแทนไม่ได้)",
               "one of several forms in a message names no province of its own"),
    ReasonKind("images.unassigned", NOTE,
               "มีรูปภาพ {evidence} ที่ไม่ทราบว่าเป็นของแบบรายงานจังหวัดใด (อีเมลนี้มีแบบรายงานหลายจังหวัด)",
               "pictures of a several-form message not tied to one form"),
    ReasonKind("followup.candidate", NOTE, "เป็นการส่งภาพหรือเอกสารเพิ่มเติมของการส่งครั้งก่อน ({evidence})",
               "photos or links sent after the submission they belong to"),
    ReasonKind("followup.unlinked", REVIEW,
               "ส่งภาพหรือลิงก์เพิ่มเติม ({evidence}) แต่ไม่พบแบบรายงานที่ส่งก่อนหน้าจากผู้ส่งเดียวกัน โปรดตรวจสอบ",
               "a follow-up whose earlier submission was not found"),
    ReasonKind("links.only", REVIEW,
               "ส่งเป็นลิงก์ ({evidence}) ไม่มีแบบรายงานในอีเมล และไม่ระบุจังหวัดกับอำเภอ โปรดเปิดลิงก์ตรวจสอบ",
               "only links to shared files, no form and no province and district"),
    ReasonKind("links.kept", NOTE, "มีลิงก์ไปยังไฟล์ที่แชร์ไว้: {evidence}", "links to shared files were kept"),
    # attachments
    ReasonKind("attachment.unreadable", REVIEW, "ไฟล์แนบ {evidence} อ่านไม่ได้หรืออ่านได้ไม่ครบ",
               "an attachment could not be read (completely)"),
    ReasonKind("attachment.too_many", REVIEW, "ไฟล์แนบมีจำนวนมากเกินกำหนด อ่านไม่ครบ: {evidence}",
               "more attachments and archive members than the limit"),
    ReasonKind("attachment.encrypted", REVIEW,
               "ไฟล์ {evidence} ตั้งรหัสผ่านไว้ ระบบเปิดอ่านไม่ได้ โปรดขอไฟล์ที่ไม่ได้ตั้งรหัสผ่านจากผู้ส่ง",
               "a password-protected archive or archive member: not opened"),
    ReasonKind("attachment.nested_too_deep", REVIEW, "ไฟล์บีบอัดซ้อนกันหลายชั้นเกินกำหนด: {evidence}",
               "archives nested deeper than the limit"),
    ReasonKind("attachment.changes_pending", NOTE,
               "เอกสาร {evidence} มีการแก้ไขที่ยังไม่ได้ยอมรับ (Track Changes) ระบบอ่านแบบยอมรับการแก้ไขทั้งหมดแล้ว",
               "a Word document with tracked changes pending, read as if accepted"),
    # province
    ReasonKind("province.not_found", REVIEW,
               "ไม่พบชื่อจังหวัดผู้ส่ง (ไม่มีในแบบรายงาน หัวเรื่อง หรือเนื้อความ และผู้ส่ง {evidence} ไม่อยู่ในตาราง [senders])",
               "province not found"),
    ReasonKind("province.not_in_gazetteer", REVIEW, "ชื่อจังหวัดในแบบรายงาน “{evidence}” ไม่พบในทะเบียนจังหวัด",
               "a form of a several-form message names no province of its own"),
    ReasonKind("province.conflict", REVIEW, "ข้อความระบุจังหวัดต่างกัน: {evidence}",
               "the message names different provinces"),
    ReasonKind("province.fuzzy", REVIEW, "อ่านชื่อจังหวัดได้ใกล้เคียง: {evidence} โปรดตรวจการสะกด",
               "province read by a fuzzy match"),
    # district
    ReasonKind("district.missing", REVIEW, "ไม่พบชื่ออำเภอที่เสนอในข้อความ",
               "the nominated district was not found in the message"),
    ReasonKind("district.several", REVIEW, "เสนอมากกว่าหนึ่งอำเภอ: {evidence}", "more than one district nominated"),
    ReasonKind("district.no_province", REVIEW, "ตรวจอำเภอ “{evidence}” ไม่ได้ เพราะไม่ทราบจังหวัด",
               "the district cannot be checked without a province"),
    ReasonKind("district.not_in_province", REVIEW, "อำเภอไม่อยู่ในจังหวัดที่ระบุ: {evidence}",
               "the district is not in the province"),
    ReasonKind("district.not_found", REVIEW, "ไม่พบอำเภอในทะเบียน: {evidence}", "district not found in the province"),
    ReasonKind("district.fuzzy", REVIEW, "อ่านชื่ออำเภอได้ใกล้เคียง: {evidence} โปรดตรวจการสะกด",
               "district read by a fuzzy match"),
    # OCR
    ReasonKind("ocr.inexact", REVIEW, "อ่านด้วย OCR และไม่ตรงกับทะเบียนทุกตัวอักษร: {evidence}",
               "read by OCR without an exact gazetteer match"),
    # zone
    ReasonKind("zone.mismatch", REVIEW, "แบบรายงานระบุเขตไม่ตรงกับเขตตรวจราชการของจังหวัด: {evidence}",
               "the zone written on the form differs from the province's zone"),
    # people's decisions (store.decisions)
    ReasonKind("decision.basis_changed", REVIEW,
               "ระบบอ่านค่าใหม่ไม่ตรงกับที่เจ้าหน้าที่ตัดสินไว้ (คำตัดสิน {evidence}) โปรดตรวจอีกครั้ง",
               "the parser now reads something else than the decision was based on"),
)

REASONS: dict[str, ReasonKind] = {}
for _k in _KINDS:
    if _k.code in REASONS:  # pragma: no cover - a programming error caught at import
        raise ValueError(f"reason code {_k.code} defined twice")
    REASONS[_k.code] = _k


@dataclass(frozen=True)
class Reason:
    """One reason, as data: code, field, evidence (and an English detail for logs)."""

    code: str
    field: str | None = None  # province, district, zone, campaign, attachment, message, ...
    evidence: str = ""
    detail: str = ""
    source: str | None = None  # where: "body", "attachment form.pdf", ...

    def __post_init__(self) -> None:
        if self.code not in REASONS:
            raise ValueError(f"unknown reason code {self.code!r}; add it to areaplan.core.reasons.REASONS")

    @property
    def kind(self) -> ReasonKind:
        return REASONS[self.code]

    @property
    def severity(self) -> str:
        return self.kind.severity

    @property
    def text_th(self) -> str:
        """The Thai line staff read (``staff_th``: technical English detail left to ``text_en``)."""
        return staff_th(self.code, self.evidence, self.source or "")

    @property
    def text_en(self) -> str:
        """An English line for logs."""
        tail = self.detail or self.evidence
        return f"{self.kind.en}: {tail}" if tail else self.kind.en


def needs_review(reasons: list[Reason]) -> bool:
    return any(r.severity == REVIEW for r in reasons)


# Codes whose evidence is a technical detail (an exception, a MIME defect class): kept in the
# store and shown to staff only as secondary English, never inside the Thai line.
TECHNICAL_EVIDENCE = frozenset({"message.undecodable", "message.defect", "parse.failed", "parse.timeout",
                                "parse.memory"})
# Codes whose evidence was once the classifier's English explanation (rows stored before a
# reparse): that evidence is left out of the Thai line; Thai evidence is kept.
_ENGLISH_EVIDENCE_BEFORE = frozenset({"campaign.unclear"})
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_NO_THAI = re.compile(r"^[^\u0e00-\u0e7f]*$")


_QUOTED = re.compile(r"(“[^”]*”)")


def _without_english_asides(text: str) -> str:
    before = None
    while before != text:
        before = text
        text = re.sub(r"\s*\(([^()]*)\)", lambda m: "" if _NO_THAI.match(m.group(1)) else m.group(0), text)
    return text


def staff_th(code: str, evidence: str, source: str = "") -> str:
    """The Thai line staff read for a reason: the code's Thai text with the evidence as read from
    the mail; technical (non-Thai) detail is left out, and so is its placeholder.

    Used by the review desk and the digests alike, so both say the same thing.
    """
    template = REASONS[code].th
    evidence = evidence or ""
    if code in TECHNICAL_EVIDENCE or (code in _ENGLISH_EVIDENCE_BEFORE and not _THAI.search(evidence)):
        evidence = ""
    elif source and evidence.startswith(source) and evidence[len(source):].lstrip().startswith("("):
        evidence = source  # "form.pdf (what the reader said)" -> "form.pdf"
    else:  # drop parenthesised detail without Thai, innermost first; what is quoted “...” stays as written
        evidence = "".join(piece if piece.startswith("“") else _without_english_asides(piece)
                           for piece in _QUOTED.split(evidence)).strip()
    if evidence:
        return template.replace("{evidence}", evidence)
    return re.sub(r"\s*[:(“]?\s*\{evidence\}\s*[)”]?", "", template).strip()


def staff_en(code: str, evidence: str = "", detail: str = "") -> str:
    """The English line beside it (secondary: a tooltip, small grey text, logs)."""
    tail = detail or evidence
    return f"{REASONS[code].en}: {tail}" if tail else REASONS[code].en
