"""Follow-ups: photos (or links) sent minutes or hours after the form, in a mail of their own.

A message is a follow-up *candidate* when it carries pictures or file-sharing links but no
report form, and either says so (ภาพประกอบ, ส่งภาพเพิ่มเติม, ภาพกิจกรรม, รูปภาพเพิ่มเติม, ...)
or continues a thread (``In-Reply-To`` / ``References``, a ``Re:`` / ``Fwd:`` subject). The
parser sees one message only, so it records the evidence (``FollowupHint``); the store links
the candidate to the earlier submission of the same thread or sender (``store.followups``).
"""

from __future__ import annotations

import re

from areaplan.core.records import FollowupHint, ParsedMessage
from areaplan.parsers.quoting import is_forward, is_reply, subject_key
from areaplan.parsers.role_model_form import label_re

_WORDS = re.compile(
    "|".join(label_re(w) for w in (
        "ภาพ ประกอบ", "ส่ง ภาพ", "ภาพ เพิ่มเติม", "ภาพ กิจกรรม", "ภาพถ่าย", "รูป ภาพ", "รูป เพิ่มเติม",
        "ส่ง รูป", "รูป ประกอบ", "ภาพ การ ดำเนิน งาน", "เอกสาร เพิ่มเติม", "ไฟล์ ภาพ", "ส่ง เพิ่มเติม",
        "ภาพ ที่ เหลือ", "ลิงก์", "ลิ้งค์", "ลิงค์",
    )) + r"|photos?|pictures?|images?",
    re.IGNORECASE,
)


def followup_hint(pm: ParsedMessage, mime, own_body: str, images: int) -> FollowupHint | None:
    """The evidence that ``pm`` adds to an earlier submission, or None.

    Call it only for a message without a filled form; it needs pictures or links.
    """
    if not images and not pm.links:
        return None
    said = _WORDS.search(f"{pm.subject}\n{own_body[:1500]}")
    thread = bool(mime.in_reply_to or mime.references) or is_reply(pm.subject) or is_forward(pm.subject)
    if not said and not thread:
        return None
    if not images and not thread:
        return None  # a link sent on its own (the form itself by Drive): not a follow-up
    evidence = []
    if said:
        evidence.append(f"“{said.group(0)}”")
    if mime.in_reply_to:
        evidence.append(f"ตอบกลับ <{mime.in_reply_to}>")
    elif thread:
        evidence.append(f"หัวเรื่อง “{pm.subject[:80]}”")
    if images:
        evidence.append(f"ภาพ {images} ภาพ")
    if pm.links:
        evidence.append(f"ลิงก์ {len(pm.links)} รายการ")
    return FollowupHint(
        kind="photos" if images else "links",
        from_addr=pm.from_addr,
        subject_key=subject_key(pm.subject),
        in_reply_to=mime.in_reply_to,
        references=tuple(mime.references or ()),
        images=images,
        evidence=", ".join(evidence),
    )
