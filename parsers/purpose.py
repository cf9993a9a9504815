"""What a message or a document is *for*, when that is not a submission although it looks close.

Each check returns a ``Purpose``: the reason code (``other.*`` in ``core.reasons``), the evidence
a person can check, and the classifier's confidence; or None. They look at structure (a
calendar part, a letter head, a document title, the years written on a form, blanks left
empty), never at the English wording of a reason.

- ``calendar``: an invitation or its answer (a ``text/calendar`` part, ``Accepted:`` /
  ``ตอบรับ:`` subjects).
- ``bounce``: a delivery report (``multipart/report``, MAILER-DAEMON / postmaster) even when
  it quotes a whole form.
- ``signature_only``: nothing but a signature and its small logo picture.
- ``document_kind``: the campaign a document's own title says (role model, best practice),
  or ``foreign`` for a form of some other ministry or campaign that merely has จังหวัด/อำเภอ
  blanks; the title outweighs campaign words in the text.
- ``circular``: the department's own letter (``ที่ มท ...`` to every province) or a หนังสือสั่งการ.
- ``newsletter``: a news bulletin (จดหมายข่าว, ฉบับที่ ... ประจำเดือน) of any agency.
- ``out_of_period``: a form whose Buddhist-era year lies outside the campaign's period
  (last year's form attached to a question).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from areaplan.core.campaigns import KINDS, Campaign
from areaplan.core.clock import to_bangkok
from areaplan.core.thai_text import thai_digits_to_arabic
from areaplan.parsers.role_model_form import label_re


@dataclass(frozen=True)
class Purpose:
    code: str  # an ``other.*`` reason code
    evidence: str
    confidence: float
    why: str  # English, for campaign_reason and logs


_CAL_SUBJECT = re.compile(
    r"^\s*(?:accepted|declined|tentative(?:ly accepted)?|updated invitation|invitation|canceled|cancelled"
    r"|ตอบรับ|ปฏิเสธ|ตอบรับแบบไม่แน่นอน|อาจจะ|คำเชิญ|คำเชิญที่อัปเดต|ยกเลิกกิจกรรม|ยกเลิก)\s*(?:\(.*?\))?\s*[:：]",
    re.IGNORECASE,
)


def calendar(subject: str, content_types: list[str]) -> Purpose | None:
    """A meeting invitation or its answer: a ``text/calendar`` part, or its subject pattern."""
    part = next((ct for ct in content_types if ct in {"text/calendar", "application/ics"}), None)
    if part:
        said = f"; หัวเรื่อง “{subject[:120]}”" if subject else ""
        return Purpose("other.calendar", f"ส่วนของอีเมลแบบ {part}{said}", 0.95, "a calendar invitation or reply")
    m = _CAL_SUBJECT.match(subject or "")
    if m:
        return Purpose("other.calendar", f"หัวเรื่อง “{subject[:120]}”", 0.9, "a calendar invitation or reply (subject)")
    return None


def bounce(content_type: str, from_addr: str, subject: str, failure_subject: bool) -> Purpose | None:
    """A delivery report, whatever it quotes (the submission it returns is counted when resent)."""
    addr = (from_addr or "").lower()
    if content_type == "multipart/report":
        evidence = "Content-Type: multipart/report"
    elif addr.startswith(("mailer-daemon@", "postmaster@")):
        evidence = f"ผู้ส่ง {from_addr}"
    elif failure_subject:
        evidence = f"หัวเรื่อง “{subject[:120]}”"
    else:
        return None
    return Purpose("other.bounce", evidence, 0.95, "a delivery failure notice")


# A logo or a scanned signature: a strip (at most 160 px high) or a small square, a few KB;
# not a photo (even a small one, 400x300) and not a page.
_SIGNATURE_MAX_HEIGHT = 160
_SIGNATURE_MAX_PIXELS = 40_000
_SIGNATURE_MAX_BYTES = 60_000


def signature_only(own_text: str, images: list[tuple[int | None, int | None, int]], others: int) -> Purpose | None:
    """Only a signature block and one or two small pictures (logo, signature), nothing else.

    ``images``: (width, height, bytes) of each picture; ``others``: other attachments.
    """
    if others or not images or len(images) > 2:
        return None
    for w, h, size in images:
        if size > _SIGNATURE_MAX_BYTES or not w or not h:
            return None
        if h > _SIGNATURE_MAX_HEIGHT and w * h > _SIGNATURE_MAX_PIXELS:
            return None
    words = [ln for ln in (own_text or "").splitlines() if ln.strip() and not ln.strip().startswith("--")]
    if sum(len(ln) for ln in words) > 400:
        return None
    dims = ", ".join(f"{w}x{h}" for w, h, _ in images)
    return Purpose("other.signature_only", dims, 0.85, "only a signature and its small picture")


# --------------------------------------------------------------------------- document titles

_FORM_WORD = re.compile(
    r"^(?:" + "|".join(label_re(w) for w in ("แบบ รายงาน", "แบบ ฟอร์ม", "แบบ สำรวจ", "แบบ ประเมิน",
                                               "แบบ สอบถาม", "แบบ ข้อมูล", "แบบ บันทึก", "แบบ เสนอ",
                                               "รายงาน ผล", "แบบ")) + r")"
)
_ROLE_TITLE = re.compile(label_re("คัดเลือก") + r".{0,40}?" + label_re("อำเภอ ต้นแบบ") + "|" + label_re("อำเภอ ต้นแบบ")
                         + r"\s*\(?\s*Role\s*Model", re.IGNORECASE)
_BP_TITLE = re.compile(r"best\s*-?\s*practices?|" + label_re("แบบอย่าง ที่ ดี"), re.IGNORECASE)
_TITLE_SKIP = re.compile(r"^(?:สำหรับ|ด่วน|ลับ|สิ่งที่ส่งมาด้วย|เอกสารแนบ|ที่\s|\(?\s*สำเนา|-\s*\d+\s*-|\d+$)")
# The campaigns' own project (a report on it without either campaign's words is still ours).
_PROJECT = re.compile(r"Tambon\s*Smart\s*Team|(?<![A-Za-z])TST(?![A-Za-z])|" + label_re("ตำบล แบบ บูรณาการ"),
                      re.IGNORECASE)


# Another ministry or department named in the title (the campaigns here are the Ministry of
# Interior's Department of Provincial Administration), or a role-model award "in" some field
# (อำเภอต้นแบบด้านการจัดการขยะ): another campaign's form.
_OTHER_AGENCY = re.compile(r"กระทรวง(?!\s*มหาดไทย)[ก-๙]{3,}|กรม(?!\s*การปกครอง)(?:การ|ส่งเสริม|พัฒนา|ทรัพยากร|ควบคุม|อนามัย"
                           r"|สุขภาพ|ป่าไม้|ปศุสัตว์|ประมง|วิชาการ|ชลประทาน|ที่ดิน|บัญชี|ส่งเสริมการ)[ก-๙]*")
_QUALIFIED_ROLE = re.compile(label_re("อำเภอ ต้นแบบ") + r"\s*" + label_re("ด้าน"))
_ANY_ROLE = re.compile(label_re("อำเภอ ต้นแบบ") + r"|role\s*-?\s*model", re.IGNORECASE)


def title_of(text: str, lines: int = 4) -> str:
    """The document's title: its first few non-empty lines, skipping header notes."""
    out: list[str] = []
    for line in (text or "").splitlines()[:40]:
        line = line.strip(" \t|*#")
        if not line or _TITLE_SKIP.match(line):
            continue
        out.append(line)
        if len(out) >= lines:
            break
    return " ".join(out)[:400]


def document_kind(text: str, filled: bool = False) -> tuple[str, str] | None:
    """(``role_model`` | ``best_practice`` | ``foreign``, the title) from a document's own title.

    A form or report title (แบบรายงาน..., แบบฟอร์ม..., รายงานผล...) naming another ministry or
    department, or a role-model award "in" some field (อำเภอต้นแบบด้าน...), is ``foreign``:
    another campaign's form, even when its blanks ask for จังหวัด and อำเภอ; so is one naming
    neither campaign nor their project (Tambon Smart Team), even the department's own (อำเภอดีเด่น...),
    unless the form is ``filled`` (its answers read as this campaign's form).
    """
    title = title_of(text)
    if not title:
        return None
    head = title[:200]
    if _FORM_WORD.match(head) and (_OTHER_AGENCY.search(head) or _QUALIFIED_ROLE.search(head)):
        return "foreign", title
    role, bp = _ROLE_TITLE.search(head), _BP_TITLE.search(head)
    if role and bp:
        return ("role_model" if role.start() < bp.start() else "best_practice"), title
    if role:
        return "role_model", title
    if bp:
        return "best_practice", title
    if not filled and _FORM_WORD.match(head) and not _PROJECT.search(head) and not _ANY_ROLE.search(head):
        return "foreign", title  # a bare title is trusted as ours when the form's own answers are there
    return None


# --------------------------------------------------------------------------- circulars, news

_LETTER_NO_DEPT = re.compile(r"^[ \t]*ที่\s*มท\s*[0-9๐-๙]{4}", re.MULTILINE)
_TO_ALL = re.compile(
    label_re("เรียน") + r"\s*(?:" + "|".join(label_re(w) for w in (
        "ผู้ว่าราชการจังหวัด", "ผู้ตรวจราชการ", "นายอำเภอ", "ปลัดจังหวัด", "ที่ทำการปกครองจังหวัด")) + r")[^\n]{0,30}"
    + label_re("ทุก")
)
_ORDER = re.compile(label_re("หนังสือ สั่งการ") + "|" + label_re("หนังสือ เวียน"))


def circular(subject: str, texts: list[str]) -> Purpose | None:
    """The department's own letter to every province (``ที่ มท ...`` ... ``เรียน ... ทุกจังหวัด``),
    or a message sending a หนังสือสั่งการ / หนังสือเวียน."""
    m = _ORDER.search(subject or "")
    if m:
        return Purpose("other.circular", m.group(0), 0.85, "a circular or order (subject)")
    for text in texts:
        head = (text or "")[:3000]
        no = _LETTER_NO_DEPT.search(head)
        to_all = _TO_ALL.search(head)
        if no and to_all:
            return Purpose("other.circular", f"{no.group(0).strip()} / {to_all.group(0)}", 0.9,
                           "the department's own letter to all provinces")
        if to_all and to_all.start() < 1500:
            return Purpose("other.circular", to_all.group(0), 0.8, "a letter to all provinces")
    return None


_NEWS = re.compile(
    label_re("จดหมาย ข่าว") + "|" + label_re("ข่าว ประชาสัมพันธ์") + "|" + label_re("วารสาร")
    + r"|e-?newsletter|newsletter|" + label_re("ฉบับ ที่") + r"\s*[0-9๐-๙]+\s*/?\s*[0-9๐-๙]*\s*"
    + label_re("ประจำ เดือน"),
    re.IGNORECASE,
)


def newsletter(subject: str, body: str) -> Purpose | None:
    """A news bulletin (of this or another agency), whatever campaign it reports on."""
    for where, text in (("subject", subject), ("body", (body or "")[:800])):
        m = _NEWS.search(text or "")
        if m:
            return Purpose("other.newsletter", m.group(0), 0.85, f"a newsletter ({where})")
    return None


# --------------------------------------------------------------------------- years on a form

RECENT_YEARS = 5  # "last year's form": a form of one of the few campaigns before this one
_MONTHS = ("มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน ธันวาคม "
           "ม.ค. ก.พ. มี.ค. เม.ย. พ.ค. มิ.ย. ก.ค. ส.ค. ก.ย. ต.ค. พ.ย. ธ.ค.").split()
_YEAR = re.compile(
    r"(?:" + "|".join(re.escape(m) for m in _MONTHS) + r"|พ\.\s?ศ\.|" + label_re("ปี งบประมาณ") + r"|"
    + label_re("ประจำ ปี") + r"|" + label_re("ปี") + r")\s*(?:พ\.\s?ศ\.)?\s*(25[0-9]{2})(?![0-9])"
)


def years_on(text: str) -> list[int]:
    """Buddhist-era years written in a date or a ``ปี``/``พ.ศ.`` phrase (Thai digits read too)."""
    return [int(m.group(1)) for m in _YEAR.finditer(thai_digits_to_arabic((text or "")[:20000]))]


def campaign_years(kind: str, received_at: str, campaigns: tuple[Campaign, ...]) -> set[int]:
    """The Buddhist-era years a form of ``kind`` received at ``received_at`` may carry.

    A once-only campaign: the years of its configured periods (open to visible until); a
    monthly one: the year it was received in and the year before (a December report sent in
    January).
    """
    local = to_bangkok(received_at).date() if received_at else date.today()
    if KINDS[kind].period_rule == "monthly":
        return {local.year + 543, local.year + 542}
    years: set[int] = set()
    for c in campaigns:
        if c.kind != kind:
            continue
        for p in c.periods(local):
            years |= {p.opens_on.year + 543, p.visible_until.year + 543, p.due_on.year + 543}
    return years or {local.year + 543}


def out_of_period(kind: str, text: str, received_at: str, campaigns: tuple[Campaign, ...]) -> Purpose | None:
    """A form dated only in years before the campaign's period (e.g. last year's form)."""
    years = years_on(text)
    if not years:
        return None
    allowed = campaign_years(kind, received_at, campaigns)
    if set(years) & allowed or max(years) >= min(allowed) or max(years) < min(allowed) - RECENT_YEARS:
        return None  # a year of the period, a later one (a campaign not configured yet), or a misprint
    return Purpose("other.out_of_period", ", ".join(f"พ.ศ. {y}" for y in sorted(set(years))), 0.85,
                   f"the form is dated {sorted(set(years))}, outside the campaign period {sorted(allowed)}")
