"""Mail to the provinces: acknowledgements of what was read, and reminders before/after a deadline.

Both are off by default and switched on per campaign (``acknowledge = true``,
``remind_days_before = N``, ``remind_after = true`` in its ``[[campaigns]]`` entry).

Acknowledgement: one Thai reply per stored message, threaded (``In-Reply-To`` and
``References``), saying what was read (province, district, number of photos, received
time in the Thai calendar) and what to do if it is wrong; when a submission went to
review, that a person will check it. Never to automatic mail or bounces
(``core.rfc822.automatic_mail``), never to a sender that is not in ``[provinces]`` or
``[senders]``: those are recorded as ``suppressed`` with the reason, so no rerun
reconsiders them.

Reminder: to each province that has sent nothing for a period, from ``remind_days_before``
days before the due date through the due date, and (``remind_after``) from the day after
through the end of the period's visibility; once per province, period and reminder. The
address comes from ``[provinces]``, else from the province's own earlier clean
submissions; never guessed. With ``[reminders].cc_zone_inspectors`` the zone's
``[digest.recipients]`` are in Cc.

Every mail is claimed in ``province_mail`` before it is sent; a dry run writes
``<outbox>/province-mail/<kind>-<key>.eml`` and leaves the real send to come.
"""

from __future__ import annotations

import logging
import re
import smtplib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING

from areaplan.core.campaigns import KINDS, Campaign
from areaplan.core.clock import BANGKOK
from areaplan.core.rfc822 import automatic_mail
from areaplan.digest.atomic import write_atomic
from areaplan.digest.errors import SmtpLoginFailed
from areaplan.digest.message import THAI_SAFE
from areaplan.digest.send import smtp_connection
from areaplan.digest.settings import DigestSettings, ProvinceContacts, SmtpSettings
from areaplan.digest.thai_dates import arabic_digits_to_thai, thai_date, thai_datetime, thai_month
from areaplan.store import province_mail as pm

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

SIGNATURE = "กองวิชาการและแผนงาน กรมการปกครอง\n(อีเมลนี้ส่งโดยระบบอัตโนมัติ)"


@dataclass(frozen=True)
class OutgoingMail:
    kind: str  # ack | reminder | decided
    key: str
    province_code: str | None
    message: EmailMessage
    to: str
    cc: tuple[str, ...] = ()
    in_reply_to: str | None = None


@dataclass
class MailRun:
    """What one run did."""

    sent: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    suppressed: list[str] = field(default_factory=list)  # "key reason"
    skipped: int = 0  # final already, or being sent by another run

    def summary(self, what: str) -> str:
        text = (f"{what}: {len(self.sent)} sent, {len(self.written)} written, {len(self.failed)} failed, "
                f"{len(self.suppressed)} not to be sent")
        return text + (" (failed ones are retried by the next run)" if self.failed else "")


# --------------------------------------------------------------------------- messages

def _base_message(settings: DigestSettings, to: str, cc: tuple[str, ...], subject: str, text: str,
                  idstring: str) -> EmailMessage:
    msg = EmailMessage(policy=THAI_SAFE)
    msg["Subject"] = subject
    msg["From"] = Address(display_name=settings.sender_name, addr_spec=settings.sender)
    msg["To"] = Address(addr_spec=to)
    if cc:
        msg["Cc"] = [Address(addr_spec=a) for a in cc]
    if settings.reply_to:
        msg["Reply-To"] = Address(addr_spec=settings.reply_to)
    msg["Date"] = format_datetime(datetime.now(BANGKOK))
    msg["Message-ID"] = make_msgid(idstring=idstring, domain=settings.sender.rpartition("@")[2] or "localhost")
    msg.set_content(text, subtype="plain", charset="utf-8", cte="base64")
    return msg


def _digits(value: object, settings: DigestSettings) -> str:
    return arabic_digits_to_thai(str(value)) if settings.thai_digits else str(value)


def _period_th(campaign: str, period: str, settings: DigestSettings) -> str:
    if KINDS[campaign].period_rule == "monthly" and len(period) == 7:
        return f"ประจำเดือน{thai_month(period, settings.thai_digits)}"
    return f"ปี {_digits(int(period[:4]) + 543, settings)}" if period[:4].isdigit() else period


def unread_text(c: pm.AckCandidate, settings: DigestSettings) -> str:
    """The reply to a message that could not be read as a form: a person will look at it."""
    lines = ["เรียน ผู้ส่ง", "",
             "กองวิชาการและแผนงาน กรมการปกครอง ได้รับอีเมลของท่านเมื่อ "
             f"{thai_datetime(c.received_at, style=settings.date_style, thai_digits=settings.thai_digits)} "
             "แต่ระบบยังอ่านไม่ได้ว่าเป็นแบบรายงานของจังหวัดใด เจ้าหน้าที่จะตรวจสอบอีกครั้ง", ""]
    lines += [f"  ({r})" for r in (c.review_reasons or "").splitlines() if r.strip()]
    lines += ["", "หากเป็นแบบรายงาน กรุณาตรวจสอบว่าแนบไฟล์ที่เปิดอ่านได้ (PDF หรือ Word) และระบุชื่อจังหวัดและอำเภอ "
              "หรือตอบกลับอีเมลนี้เพื่อแจ้งข้อมูล", "", "จึงเรียนมาเพื่อโปรดทราบ", "", SIGNATURE]
    return "\n".join(lines)


def ack_text(c: pm.AckCandidate, settings: DigestSettings) -> str:
    """The acknowledgement's Thai body for one stored message."""
    if not c.submissions:
        return unread_text(c, settings)
    provinces = sorted({s.province_th for s in c.submissions if s.province_th})
    lines = [f"เรียน ที่ทำการปกครองจังหวัด{provinces[0]}" if len(provinces) == 1 else "เรียน ผู้ส่งแบบรายงาน", "",
             "กองวิชาการและแผนงาน กรมการปกครอง ได้รับอีเมลของท่านเรียบร้อยแล้ว เมื่อ "
             f"{thai_datetime(c.received_at, style=settings.date_style, thai_digits=settings.thai_digits)} "
             "และระบบอ่านได้ดังนี้", ""]
    for i, s in enumerate(c.submissions, start=1):
        if len(c.submissions) > 1:
            lines.append(f"รายการที่ {_digits(i, settings)}")
        lines += [
            f"- เรื่อง: {KINDS[s.campaign].label_th} {_period_th(s.campaign, s.period, settings)}",
            f"- จังหวัด: {s.province_th or 'ระบบระบุจังหวัดไม่ได้'}",
        ]
        if KINDS[s.campaign].names_district:
            lines.append(f"- อำเภอที่เสนอ: {s.district_th or 'ระบบระบุอำเภอไม่ได้'}")
        lines.append(f"- จำนวนภาพประกอบ: {_digits(s.image_count, settings)} ภาพ")
        if s.needs_review:
            lines.append("- แบบรายงานนี้มีบางส่วนที่ระบบอ่านได้ไม่ชัดเจน เจ้าหน้าที่จะตรวจสอบอีกครั้ง "
                         "ท่านไม่ต้องส่งซ้ำ หากต้องการข้อมูลเพิ่มเติม เจ้าหน้าที่จะติดต่อกลับ")
            lines += [f"  ({r})" for r in (s.review_reasons or "").splitlines() if r.strip()]
        lines.append("")
    corrects = all(KINDS[s.campaign].resubmission_is_correction for s in c.submissions)
    lines += ["หากข้อมูลข้างต้นไม่ถูกต้อง กรุณาตอบกลับอีเมลนี้พร้อมแจ้งข้อมูลที่ถูกต้อง"
              + (" หรือส่งแบบรายงานฉบับแก้ไขมาอีกครั้ง (ระบบจะใช้ฉบับล่าสุดแทนฉบับเดิม)" if corrects else ""),
              "", "จึงเรียนมาเพื่อโปรดทราบ", "", SIGNATURE]
    return "\n".join(lines)


def ack_message(c: pm.AckCandidate, to: str, settings: DigestSettings) -> EmailMessage:
    subject = c.subject or "แบบรายงาน"
    subject = subject if re.match(r"^\s*re\s*:", subject, re.IGNORECASE) else f"Re: {subject}"
    msg = _base_message(settings, to, (), subject, ack_text(c, settings), f"ack.{c.message}")
    if c.message_id and c.message_id.isascii() and not c.message_id.startswith("noid-"):
        parent = f"<{c.message_id}>"
        msg["In-Reply-To"] = parent
        refs = (c.references or "").split()
        msg["References"] = " ".join([*refs[-10:], parent] if parent not in refs else refs[-10:])
    msg["Auto-Submitted"] = "auto-replied"  # RFC 3834: a reply made by a program
    msg["X-Areaplan-Ack"] = str(c.message)
    return msg


FIELD_TH = {"province": "จังหวัด", "district": "อำเภอที่เสนอ", "campaign": "ประเภทรายงาน",
            "period": "รอบรายงาน", "reporter": "ผู้รายงาน", "image_count": "จำนวนภาพประกอบ"}


def decided_text(c: pm.DecidedCandidate, settings: DigestSettings) -> str:
    """The notice of what a person decided about a submission that was acknowledged before."""
    when = thai_datetime(c.decided_at, style=settings.date_style, thai_digits=settings.thai_digits)
    lines = [f"เรียน ที่ทำการปกครองจังหวัด{c.province_th}" if c.province_th and not c.excluded else "เรียน ผู้ส่ง",
             "", "ตามที่กองวิชาการและแผนงาน กรมการปกครอง ได้แจ้งการรับอีเมลของท่านไปก่อนหน้านี้ "
             f"เจ้าหน้าที่ได้ตรวจสอบแบบรายงานแล้ว เมื่อ {when} ผลการตรวจสอบดังนี้", ""]
    if c.excluded or c.disposition == "not_submission":
        lines += ["- เจ้าหน้าที่พิจารณาแล้วว่าอีเมลนี้ไม่ใช่แบบรายงาน จึงไม่นับเป็นการส่งรายงาน",
                  "", "หากท่านประสงค์จะส่งแบบรายงาน กรุณาส่งแบบรายงานที่กรอกครบถ้วนมาอีกครั้ง"]
    elif c.disposition == "same_as":
        lines += [f"- เจ้าหน้าที่พิจารณาแล้วว่าเป็นฉบับเดียวกับ (หรือฉบับแก้ไขของ) รายการเลขที่ "
                  f"{_digits(c.same_as, settings)} ที่ได้รับไว้แล้ว ท่านไม่ต้องดำเนินการใดเพิ่มเติม"]
    else:
        lines += [f"- เรื่อง: {KINDS[c.campaign].label_th} {_period_th(c.campaign, c.period, settings)}",
                  f"- จังหวัด: {c.province_th or 'ไม่ระบุ'}"]
        if KINDS[c.campaign].names_district:
            lines.append(f"- อำเภอที่เสนอ: {c.district_th or 'ไม่ระบุ'}")
        lines.append(f"- จำนวนภาพประกอบ: {_digits(c.image_count, settings)} ภาพ")
        if c.changed:
            lines += ["", "เจ้าหน้าที่ได้แก้ไขข้อมูลต่อไปนี้ให้ถูกต้อง: "
                      + ", ".join(FIELD_TH.get(f, f) for f in c.changed)]
        lines += ["", "แบบรายงานของท่านได้รับการบันทึกเรียบร้อยแล้ว"]
    lines += ["", "หากผลการตรวจสอบข้างต้นไม่ถูกต้อง กรุณาตอบกลับอีเมลนี้", "", "จึงเรียนมาเพื่อโปรดทราบ", "", SIGNATURE]
    return "\n".join(lines)


def decided_message(c: pm.DecidedCandidate, to: str, settings: DigestSettings) -> EmailMessage:
    subject = c.subject or "แบบรายงาน"
    subject = subject if re.match(r"^\s*re\s*:", subject, re.IGNORECASE) else f"Re: {subject}"
    msg = _base_message(settings, to, (), subject, decided_text(c, settings), f"decided.{c.submission_key}")
    thread = [f"<{i}>" for i in (c.message_id,) if i and i.isascii() and not i.startswith("noid-")]
    ours = (c.ack_message_id or "").strip()
    if thread:
        msg["In-Reply-To"] = thread[0]
        refs = [r for r in (c.references or "").split() if r not in thread][-9:]
        msg["References"] = " ".join([*refs, thread[0], *([ours] if ours.isascii() and ours else [])])
    msg["Auto-Submitted"] = "auto-replied"
    msg["X-Areaplan-Decided"] = c.submission_key
    return msg


def decision_notices(
    db: sqlite_utils.Database, campaigns: tuple[Campaign, ...], settings: DigestSettings, *,
    dry_run: bool = False,
) -> list[OutgoingMail]:
    """One notice per settled submission of an ``acknowledge_decisions`` campaign, to its sender.

    Only where the acknowledgement went out (so the sender was known and not automatic mail)
    and a person decided after it; the newest state is what the notice says.
    """
    kinds = tuple(sorted({c.kind for c in campaigns if c.acknowledge and c.acknowledge_decisions}))
    mails = []
    for c in pm.decided_candidates(db, kinds, dry_run=dry_run):
        to = getaddresses([c.sender or ""])[0][1].lower()
        if not to:
            continue
        msg = decided_message(c, to, settings)
        mails.append(OutgoingMail("decided", c.key, c.province_code, msg, to, (), msg["In-Reply-To"]))
    return mails


def reminder_text(campaign: Campaign, province_th: str, due: date, after: bool, period: str,
                  settings: DigestSettings) -> str:
    due_th = thai_date(due, settings.date_style, settings.thai_digits)
    what = f"{campaign.title_th} {_period_th(campaign.kind, period, settings)}"
    if after:
        ask = (f"เนื่องจากพ้นกำหนดส่งเมื่อวันที่ {due_th} แล้ว และกองวิชาการและแผนงานยังไม่ได้รับรายงานของ"
               f"จังหวัด{province_th} จึงขอความอนุเคราะห์จังหวัดส่งรายงานโดยเร็ว")
    else:
        ask = (f"ขณะนี้กองวิชาการและแผนงานยังไม่ได้รับรายงานของจังหวัด{province_th} "
               f"จึงขอความอนุเคราะห์จังหวัดส่งรายงานภายในวันที่ {due_th}")
    return "\n".join([
        f"เรียน ที่ทำการปกครองจังหวัด{province_th}", "",
        f"ตามที่กรมการปกครองขอความร่วมมือจังหวัดรายงาน{what} ทางไปรษณีย์อิเล็กทรอนิกส์ นั้น", "",
        ask + " ตามแบบรายงานที่กรมการปกครองกำหนด พร้อมภาพประกอบ", "",
        "หากจังหวัดได้ส่งรายงานแล้ว ขออภัยในความไม่สะดวก และขอความกรุณาตอบกลับอีเมลนี้ "
        "เพื่อให้เจ้าหน้าที่ตรวจสอบ", "", "จึงเรียนมาเพื่อโปรดพิจารณา ขอขอบคุณมา ณ โอกาสนี้", "", SIGNATURE,
    ])


# --------------------------------------------------------------------------- what is due

def acknowledgements(
    db: sqlite_utils.Database, campaigns: tuple[Campaign, ...], settings: DigestSettings,
    contacts: ProvinceContacts, senders: dict[str, str], since: str,
) -> tuple[list[OutgoingMail], list[tuple[pm.AckCandidate, str]]]:
    """(mails to send, (candidate, reason) never to send) for the messages not yet acknowledged."""
    kinds = tuple(sorted({c.kind for c in campaigns if c.acknowledge}))
    mails: list[OutgoingMail] = []
    refused: list[tuple[pm.AckCandidate, str]] = []
    candidates = pm.ack_candidates(db, kinds, since) + (pm.unread_candidates(db, since) if kinds else [])
    for c in candidates:
        reason = automatic_mail(c.raw_header)
        if reason is None and not contacts.known_sender(c.sender, senders):
            reason = "unknown-sender"
        if reason:
            refused.append((c, reason))
            continue
        to = getaddresses([c.sender or ""])[0][1].lower()
        province = next((s.province_code for s in c.submissions if s.province_code), None)
        msg = ack_message(c, to, settings)
        mails.append(OutgoingMail("ack", c.key, province, msg, to, (), msg["In-Reply-To"]))
    return mails, refused


def reminder_kind(campaign: Campaign, due: date, visible_until: date, on: date) -> str | None:
    """``before`` / ``after`` when a reminder of that kind is due on the Thai day ``on``, else None."""
    if campaign.remind_days_before is not None and due - timedelta(days=campaign.remind_days_before) <= on <= due:
        return "before"
    if campaign.remind_after and due < on <= max(visible_until, due + timedelta(days=1)):
        return "after"
    return None


def reminders(
    db: sqlite_utils.Database, campaigns: tuple[Campaign, ...], settings: DigestSettings,
    contacts: ProvinceContacts, on: date,
) -> tuple[list[OutgoingMail], list[tuple[str, str | None, str]]]:
    """(reminders due on ``on``, (key, province, reason) that cannot be sent: no address)."""
    from areaplan.store.campaigns import all_periods

    by_id = {c.id: c for c in campaigns if c.remind_days_before is not None or c.remind_after}
    mails: list[OutgoingMail] = []
    refused: list[tuple[str, str | None, str]] = []
    for p in all_periods(db):
        campaign = by_id.get(p.campaign_id)
        when = reminder_kind(campaign, p.due_on, p.visible_until, on) if campaign else None
        if campaign is None or when is None:
            continue
        for row in pm.missing_provinces(db, p.campaign_id, p.period):
            code = row["province_code"]
            key = f"{p.campaign_id}/{p.period}/{code}/{when}"
            addresses = contacts.emails.get(code) or tuple(
                getaddresses([a])[0][1].lower() for a in pm.past_senders(db, code)[:1])
            if not addresses:
                refused.append((key, code, "no-address"))
                continue
            cc = tuple(a for a in settings.recipients.zones.get(row["zone"], ()) if a not in addresses) \
                if contacts.cc_zone_inspectors else ()
            text = reminder_text(campaign, row["province_name_th"], p.due_on, when == "after", p.period, settings)
            subject = (f"{'แจ้งเตือน: พ้นกำหนดส่ง' if when == 'after' else 'ขอความอนุเคราะห์ส่ง'}"
                       f"{KINDS[campaign.kind].label_th} จังหวัด{row['province_name_th']}")
            msg = _base_message(settings, addresses[0], (*addresses[1:], *cc), subject, text, f"remind.{key}")
            msg["Auto-Submitted"] = "auto-generated"
            msg["X-Areaplan-Reminder"] = key
            mails.append(OutgoingMail("reminder", key, code, msg, addresses[0], (*addresses[1:], *cc)))
    return mails, refused


# --------------------------------------------------------------------------- delivery

def _recipients(mail: OutgoingMail) -> list[str]:
    return [mail.to, *mail.cc]


def deliver(
    db: sqlite_utils.Database, mails: list[OutgoingMail], refused: list[tuple[str, str, str | None, str]],
    settings: DigestSettings, smtp: SmtpSettings | None, outbox: Path | None,
) -> MailRun:
    """Record the refused as suppressed, then send (or, with ``outbox``, write) each claimed mail."""
    run = MailRun()
    for kind, key, province, reason in refused:
        if pm.claim(db, kind, key, province):
            pm.finish(db, kind, key, "suppressed", reason=reason)
            run.suppressed.append(f"{key} {reason}")
    todo = [m for m in mails if pm.claim(db, m.kind, m.key, m.province_code)]
    run.skipped = len(mails) - len(todo)
    if not todo:
        return run
    if outbox is not None or smtp is None:
        folder = (outbox or settings.outbox) / "province-mail"
        folder.mkdir(parents=True, exist_ok=True)
        for m in todo:
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{m.kind}-{m.key}") + ".eml"
            run.written.append(write_atomic(folder / name, m.message.as_bytes()))
            _finish(db, m, "written")
        return run
    try:
        with smtp_connection(smtp) as client:
            for m in todo:
                try:
                    client.send_message(m.message, from_addr=settings.sender, to_addrs=_recipients(m))
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as err:
                    log.warning("%s %s to %s refused: %s", m.kind, m.key, m.to, err)
                    _finish(db, m, "failed", f"{type(err).__name__}: {err}")
                    run.failed.append(m.key)
                    continue
                _finish(db, m, "sent")
                run.sent.append(m.key)
    except SmtpLoginFailed as err:
        _fail_rest(db, todo, run, str(err))
        raise
    except (smtplib.SMTPException, OSError) as err:
        log.warning("SMTP connection to %s:%d failed: %s", smtp.host, smtp.port, err)
        _fail_rest(db, todo, run, f"SMTP connection failed: {type(err).__name__}: {err}")
    return run


def _finish(db: sqlite_utils.Database, m: OutgoingMail, status: str, error: str | None = None) -> None:
    pm.finish(db, m.kind, m.key, status, recipient=m.to, cc=m.cc, subject=str(m.message["Subject"]),
              message_id=str(m.message["Message-ID"]), in_reply_to=m.in_reply_to, error=error)


def _fail_rest(db: sqlite_utils.Database, todo: list[OutgoingMail], run: MailRun, error: str) -> None:
    for m in todo:
        if m.key not in run.sent and m.key not in run.failed:
            _finish(db, m, "failed", error)
            run.failed.append(m.key)
