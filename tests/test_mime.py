"""parse_message: Thai charsets, encoded headers and names, forwards, defects, auto-replies.

Every message is built here in code (email.message for the well-formed ones, raw bytes
where the point is a malformed or non-Python charset such as windows-874).
"""

from __future__ import annotations

import base64
import os
from datetime import datetime, timedelta
from email.message import EmailMessage

import pytest

from areaplan.parsers.charsets import decode_text
from areaplan.parsers.html_text import html_to_text
from areaplan.parsers.mime import MimeMessage, parse_message, safe_filename
from areaplan.parsers.types import ReadLimits

TH_SUBJECT = "รายงานผลการดำเนินงาน อำเภอเมือง ประจำเดือนพฤศจิกายน"
TH_BODY = "เรียน ผู้ตรวจราชการ\nขอส่งรายงานผลการดำเนินงานของอำเภอเมืองเชียงใหม่ ตามที่แนบมา"
TH_NAME = "นายสมชาย ใจดี"


def b64(text: str, codec: str) -> str:
    return base64.b64encode(text.encode(codec)).decode("ascii")


def raw_message(
    body: bytes,
    *,
    charset: str | None,
    subject: str = "=?utf-8?B?" + b64(TH_SUBJECT, "utf-8") + "?=",
    from_: str = "=?utf-8?B?" + b64(TH_NAME, "utf-8") + "?= <amphoe@chiangmai.go.th>",
    cte: str = "8bit",
    extra: str = "",
) -> bytes:
    """A single-part text/plain message as raw bytes (any charset name, even unknown ones)."""
    ctype = "text/plain" + (f"; charset={charset}" if charset else "")
    head = (
        f"From: {from_}\r\nTo: plan@dopa.go.th\r\nSubject: {subject}\r\n"
        "Message-ID: <20241125.1@chiangmai.go.th>\r\nDate: Mon, 25 Nov 2024 10:00:00 +0700\r\n"
        f"MIME-Version: 1.0\r\nContent-Type: {ctype}\r\nContent-Transfer-Encoding: {cte}\r\n"
        f"{extra}\r\n"
    )
    return head.encode("ascii") + body + b"\r\n"


def thai_mail() -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"{TH_NAME} <amphoe@chiangmai.go.th>"
    msg["To"] = "plan@dopa.go.th, เขต ๑ <zone1@dopa.go.th>"
    msg["Cc"] = "boss@dopa.go.th"
    msg["Subject"] = TH_SUBJECT
    msg["Message-ID"] = "<abc.123@chiangmai.go.th>"
    msg["In-Reply-To"] = "<req.1@dopa.go.th>"
    msg["References"] = "<req.0@dopa.go.th> <req.1@dopa.go.th>"
    msg["Date"] = "Mon, 25 Nov 2024 10:00:00 +0700"
    msg.set_content(TH_BODY)
    return msg


# --------------------------------------------------------------------------- headers


def test_utf8_message_headers_and_body() -> None:
    m = parse_message(thai_mail().as_bytes())
    assert isinstance(m, MimeMessage)
    assert m.subject == TH_SUBJECT
    assert (m.from_name, m.from_addr) == (TH_NAME, "amphoe@chiangmai.go.th")
    assert m.to == ["plan@dopa.go.th", "zone1@dopa.go.th"]
    assert m.cc == ["boss@dopa.go.th"]
    assert m.message_id == "abc.123@chiangmai.go.th"
    assert m.in_reply_to == "req.1@dopa.go.th"
    assert m.references == ["req.0@dopa.go.th", "req.1@dopa.go.th"]
    assert m.date is not None and m.date.utcoffset() == timedelta(hours=7)
    assert m.date == datetime.fromisoformat("2024-11-25T10:00:00+07:00")
    assert m.text_body == TH_BODY
    assert m.attachments == [] and m.defects == []
    assert not m.is_auto_reply and not m.is_bulk


@pytest.mark.parametrize(
    "codec,label",
    [
        ("utf-8", "utf-8"),
        ("cp874", "windows-874"),
        ("tis-620", "tis-620"),
        ("cp874", "x-windows-874"),
        ("cp874", "ms874"),
        ("iso8859_11", "iso-8859-11"),
    ],
)
def test_rfc2047_subject_and_from_name_in_thai_charsets(codec: str, label: str) -> None:
    raw = raw_message(
        TH_BODY.encode(codec),
        charset=label,
        subject=f"=?{label}?B?{b64(TH_SUBJECT, codec)}?=",
        from_=f"=?{label}?Q?{''.join(f'={b:02X}' for b in TH_NAME.encode(codec))}?= <a@b.go.th>",
    )
    m = parse_message(raw)
    assert m.subject == TH_SUBJECT
    assert m.from_name == TH_NAME
    assert m.text_body == TH_BODY
    assert m.defects == []


def test_mailparser_alone_loses_windows_874() -> None:
    """Why mime.py decodes itself: mail-parser 4.8 drops windows-874 Thai text."""
    import mailparser

    raw = raw_message(
        TH_BODY.encode("cp874"),
        charset="windows-874",
        subject=f"=?windows-874?B?{b64(TH_SUBJECT, 'cp874')}?=",
    )
    mp = mailparser.parse_from_bytes(raw)
    assert mp.subject != TH_SUBJECT
    assert parse_message(raw).subject == TH_SUBJECT


def test_encoded_words_split_inside_a_thai_character_are_joined() -> None:
    data = TH_SUBJECT.encode("utf-8")
    cut = 7  # inside the third 3-byte character
    subject = (
        f"=?UTF-8?B?{base64.b64encode(data[:cut]).decode()}?=\r\n "
        f"=?UTF-8?B?{base64.b64encode(data[cut:]).decode()}?="
    )
    m = parse_message(raw_message(b"x", charset="utf-8", subject=subject))
    assert m.subject == TH_SUBJECT
    assert not any("U+FFFD" in d for d in m.defects)


def test_raw_8bit_tis620_subject_is_decoded_with_defect() -> None:
    raw = raw_message(b"body", charset="us-ascii", subject="PLACEHOLDER")
    raw = raw.replace(b"PLACEHOLDER", TH_SUBJECT.encode("cp874"))
    m = parse_message(raw)
    assert m.subject == TH_SUBJECT
    assert any("raw 8-bit subject header" in d and "TIS-620" in d for d in m.defects)


def test_missing_headers_give_none() -> None:
    m = parse_message(b"Subject: x\r\n\r\nhello\r\n")
    assert m.message_id is None and m.date is None and m.from_addr == ""
    assert m.text_body == "hello"
    assert "no readable From address" in m.defects


def test_date_variants() -> None:
    m = parse_message(
        raw_message(b"x", charset="utf-8").replace(
            b"Mon, 25 Nov 2024 10:00:00 +0700", b"Mon, 25 Nov 2567 10:00:00 +0700"
        )
    )
    assert m.date == datetime.fromisoformat("2024-11-25T10:00:00+07:00")
    assert any("Buddhist" in d for d in m.defects)
    m = parse_message(raw_message(b"x", charset="utf-8").replace(b"+0700", b"-0000"))
    assert m.date is not None and m.date.tzinfo is not None
    m = parse_message(
        raw_message(b"x", charset="utf-8").replace(
            b"Mon, 25 Nov 2024 10:00:00 +0700", b"not a date"
        )
    )
    assert m.date is None or m.date.tzinfo is not None


# --------------------------------------------------------------------------- bodies


def test_tis620_body() -> None:
    m = parse_message(raw_message(TH_BODY.encode("tis-620"), charset="TIS-620"))
    assert m.text_body == TH_BODY and m.defects == []


def test_windows_874_body_with_cp874_punctuation() -> None:
    text = "“รายงาน” – ฉบับที่ ๑ … €"
    m = parse_message(raw_message(text.encode("cp874"), charset='"windows-874"'))
    assert m.text_body == text and m.defects == []


def test_windows_874_quoted_printable_body() -> None:
    qp = "".join(f"={b:02X}" for b in TH_BODY.replace("\n", " ").encode("cp874"))
    qp = "=\r\n".join(qp[i : i + 72] for i in range(0, len(qp), 72))
    m = parse_message(raw_message(qp.encode(), charset="windows-874", cte="quoted-printable"))
    assert m.text_body == TH_BODY.replace("\n", " ")


def test_undeclared_8bit_thai_body_detected_as_tis620() -> None:
    m = parse_message(raw_message(TH_BODY.encode("cp874"), charset=None))
    assert m.text_body == TH_BODY
    assert any("undeclared charset" in d and "TIS-620" in d for d in m.defects)


def test_body_declared_utf8_but_tis620() -> None:
    m = parse_message(raw_message(TH_BODY.encode("cp874"), charset="utf-8"))
    assert m.text_body == TH_BODY
    assert any("declared UTF-8 but is not" in d for d in m.defects)


def test_body_declared_latin1_but_thai() -> None:
    m = parse_message(raw_message(TH_BODY.encode("cp874"), charset="iso-8859-1"))
    assert m.text_body == TH_BODY
    assert any("is Thai" in d for d in m.defects)


def test_latin1_french_body_is_not_mistaken_for_thai() -> None:
    text = "Réunion à Genève, déjà prévue"
    m = parse_message(raw_message(text.encode("latin-1"), charset="iso-8859-1"))
    assert m.text_body == text


def test_undecodable_bytes_are_replaced_not_dropped() -> None:
    body = b"abc \xff\xfe\x81 def"
    m = parse_message(raw_message(body, charset="utf-8"))
    assert m.text_body.startswith("abc ") and m.text_body.endswith(" def")
    assert "\ufffd" in m.text_body
    assert any("undecodable" in d for d in m.defects)


def test_unknown_charset_falls_back_with_defect() -> None:
    m = parse_message(raw_message(TH_BODY.encode("utf-8"), charset="x-no-such-charset"))
    assert m.text_body == TH_BODY
    assert any("unknown charset" in d for d in m.defects)


def test_non_text_codec_charset_is_refused() -> None:
    m = parse_message(raw_message(b"aGVsbG8=", charset="base64"))
    assert m.text_body == "aGVsbG8="
    assert any("unknown charset" in d for d in m.defects)


def test_decomposed_sara_am_and_zero_width_are_normalized() -> None:
    decomposed = "ดําเนินงาน\u200bอําเภอ"  # NIKHAHIT + SARA AA, and a zero-width space
    m = parse_message(raw_message(decomposed.encode("utf-8"), charset="utf-8"))
    assert m.text_body == "ดำเนินงานอำเภอ"


def test_html_only_body_gives_text_without_scripts_and_styles() -> None:
    msg = EmailMessage()
    msg["From"] = "a@b.go.th"
    msg["Subject"] = "html"
    msg.set_content(
        "<html><head><style>p {color: red}</style><title>t</title></head><body>"
        "<script>alert('x')</script><p>รายงาน&nbsp;ผล</p><table><tr><td>อำเภอ</td>"
        "<td>เมือง</td></tr></table><p>จบ<br>บรรทัดใหม่</p></body></html>",
        subtype="html",
    )
    m = parse_message(msg.as_bytes())
    assert "alert" not in m.text_body and "color" not in m.text_body
    assert m.text_body.splitlines() == ["รายงาน ผล", "", "อำเภอ | เมือง", "", "จบ", "บรรทัดใหม่"]
    assert "<td>" in m.html_body


def test_html_with_meta_charset_and_no_mime_charset() -> None:
    html = '<html><head><meta charset="windows-874"></head><body>รายงาน</body></html>'
    raw = raw_message(html.encode("cp874"), charset=None).replace(b"text/plain", b"text/html")
    m = parse_message(raw)
    assert m.text_body == "รายงาน"


def test_alternative_prefers_plain_and_keeps_html() -> None:
    msg = thai_mail()
    msg.add_alternative("<p>HTML version</p>", subtype="html")
    m = parse_message(msg.as_bytes())
    assert m.text_body == TH_BODY
    assert "HTML version" in m.html_body


def test_html_to_text_survives_broken_html() -> None:
    assert html_to_text("<p>ok<td>a</td><td>b") == "ok\na | b"
    assert (
        html_to_text("<head><p>body text without closing head") == "body text without closing head"
    )
    assert html_to_text("<body>" + "<div>" * 5000 + "ลึก") == "ลึก"


# --------------------------------------------------------------------------- attachments


def test_attachment_bytes_are_kept_exactly() -> None:
    data = bytes(range(256)) * 64
    msg = thai_mail()
    msg.add_attachment(data, maintype="application", subtype="octet-stream", filename="a.bin")
    msg.add_attachment(
        data, maintype="application", subtype="pdf", filename="b.pdf", cte="quoted-printable"
    )
    m = parse_message(msg.as_bytes())
    assert [a.filename for a in m.attachments] == ["a.bin", "b.pdf"]
    assert all(a.data == data for a in m.attachments)
    assert m.attachments[1].content_type == "application/pdf"
    assert m.text_body == TH_BODY


def test_rfc2231_utf8_thai_filename() -> None:
    msg = thai_mail()
    msg.add_attachment(
        b"%PDF-1.4",
        maintype="application",
        subtype="pdf",
        filename="รายงานผลการดำเนินงาน อำเภอเมือง.pdf",
    )
    raw = msg.as_bytes()
    assert b"filename*" in raw
    m = parse_message(raw)
    assert m.attachments[0].filename == "รายงานผลการดำเนินงาน อำเภอเมือง.pdf"


def test_rfc2231_windows_874_and_continuations() -> None:
    name = "แบบรายงาน_อำเภอเมือง.docx"
    enc = "".join(f"%{b:02X}" for b in name.encode("cp874"))
    half = len(enc) // 2 // 3 * 3
    raw = (
        "From: a@b.go.th\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="BB"\r\n\r\n'
        "--BB\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nbody\r\n"
        "--BB\r\nContent-Type: application/octet-stream\r\n"
        f"Content-Disposition: attachment; filename*0*=windows-874''{enc[:half]};\r\n"
        f" filename*1*={enc[half:]}\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n--BB--\r\n"
    ).encode()
    m = parse_message(raw)
    assert m.attachments[0].filename == name
    assert m.attachments[0].data == b"PK\x03\x04"


def test_rfc2047_filename_and_raw_8bit_filename() -> None:
    name = "รายงาน ประจำเดือน.pdf"
    ew = f"=?UTF-8?B?{b64(name, 'utf-8')}?="
    raw = (
        "From: a@b.go.th\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="BB"\r\n\r\n'
        f'--BB\r\nContent-Type: application/pdf; name="{ew}"\r\n'
        f'Content-Disposition: attachment; filename="{ew}"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n"
        '--BB\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="RAW"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n--BB--\r\n"
    ).encode()
    raw = raw.replace(b"RAW", "แบบฟอร์ม.pdf".encode("cp874"))
    m = parse_message(raw)
    assert [a.filename for a in m.attachments] == [name, "แบบฟอร์ม.pdf"]


@pytest.mark.parametrize(
    "name,expected",
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\x.docx", "x.docx"),
        ("/etc/shadow", "shadow"),
        ("C:\\Windows\\System32\\evil.docx", "evil.docx"),
        ("..", "attachment"),
        ("", "attachment"),
        ("a\x00b\r\nc.pdf", "a b c.pdf"),
        ("report\u202efdp.exe", "reportfdp.exe"),
        ("CON.txt", "_CON.txt"),
        ("..hidden..pdf", "hidden.pdf"),
        ('a<b>:"|?*.pdf', "a_b______.pdf"),
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


def test_safe_filename_bounds_long_thai_names_and_keeps_extension() -> None:
    long = "รายงานผลการดำเนินงาน" * 30 + ".docx"
    safe = safe_filename(long)
    assert safe.endswith(".docx")
    assert len(safe.encode("utf-8")) <= 180
    assert safe_filename("a/b/c.pdf", keep_dirs=True) == "a_b_c.pdf"
    assert safe_filename("../../a/../b.pdf", keep_dirs=True) == "a_b.pdf"


def test_traversal_filenames_in_a_message_are_sanitized() -> None:
    msg = thai_mail()
    for bad in ("../../etc/passwd", "..\\..\\x.docx", "/abs/path.pdf"):
        msg.add_attachment(b"data", maintype="application", subtype="octet-stream", filename=bad)
    m = parse_message(msg.as_bytes())
    names = [a.filename for a in m.attachments]
    assert names == ["passwd", "x.docx", "path.pdf"]
    for n in names:
        assert "/" not in n and "\\" not in n and ".." not in n
    assert m.attachments[1].original_filename == "..\\..\\x.docx"


def test_inline_image_with_content_id() -> None:
    msg = thai_mail()
    msg.add_alternative('<p>รูป <img src="cid:logo1"></p>', subtype="html")
    html_part = msg.get_payload()[1]
    html_part.add_related(b"\x89PNG\r\n\x1a\nxxxx", maintype="image", subtype="png", cid="<logo1>")
    m = parse_message(msg.as_bytes())
    assert len(m.attachments) == 1
    att = m.attachments[0]
    assert att.inline and att.content_id == "logo1" and att.content_type == "image/png"
    assert att.filename.startswith("image-") and att.filename.endswith(".png")


def test_text_attachment_keeps_charset_and_bytes() -> None:
    raw = (
        (
            b"From: a@b.go.th\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="BB"\r\n\r\n'
            b"--BB\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nbody\r\n"
            b"--BB\r\nContent-Type: text/plain; charset=windows-874\r\n"
            b'Content-Disposition: attachment; filename="data.txt"\r\n\r\n'
        )
        + TH_BODY.encode("cp874")
        + b"\r\n--BB--\r\n"
    )
    m = parse_message(raw)
    assert m.text_body == "body"
    att = m.attachments[0]
    assert att.charset == "windows-874" and att.data.rstrip(b"\r\n") == TH_BODY.encode("cp874")


# --------------------------------------------------------------------------- forwards


def forwarded(inner: EmailMessage, subject: str = "Fwd: รายงาน") -> EmailMessage:
    outer = EmailMessage()
    outer["From"] = "province@chiangmai.go.th"
    outer["To"] = "plan@dopa.go.th"
    outer["Subject"] = subject
    outer.set_content("ส่งต่อรายงานของอำเภอ")
    outer.add_attachment(inner)
    return outer


def test_forwarded_message_with_attachment_inside() -> None:
    inner = thai_mail()
    inner.add_attachment(
        b"%PDF-1.4 inner", maintype="application", subtype="pdf", filename="รายงานอำเภอ.pdf"
    )
    m = parse_message(forwarded(inner).as_bytes())
    assert m.text_body == "ส่งต่อรายงานของอำเภอ"
    assert len(m.forwarded) == 1
    fwd = m.forwarded[0]
    assert fwd.subject == TH_SUBJECT and fwd.text_body == TH_BODY
    assert fwd.from_addr == "amphoe@chiangmai.go.th"
    assert [(a.filename, a.origin, a.data) for a in m.attachments] == [
        ("รายงานอำเภอ.pdf", "forwarded/", b"%PDF-1.4 inner")
    ]
    assert TH_BODY in m.all_text()


def test_forwards_deeper_than_max_depth_are_kept_as_eml() -> None:
    msg = thai_mail()
    msg.add_attachment(b"deep", maintype="application", subtype="pdf", filename="deep.pdf")
    for level in range(4):
        msg = forwarded(msg, f"Fwd {level}")
    m = parse_message(msg.as_bytes(), ReadLimits(max_depth=2))
    assert len(m.forwarded) == 1 and len(m.forwarded[0].forwarded) == 1
    assert any(
        a.filename.endswith(".eml") and a.content_type == "message/rfc822" for a in m.attachments
    )
    assert any("nested deeper than 2" in d for d in m.defects)


# --------------------------------------------------------------------------- defects


def test_truncated_base64_attachment_is_reported() -> None:
    data = os.urandom(3000)
    enc = base64.b64encode(data).decode()
    cut = enc[: len(enc) - 5]  # not a multiple of 4 any more
    raw = (
        "From: a@b.go.th\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="BB"\r\n\r\n'
        "--BB\r\nContent-Type: text/plain\r\n\r\nbody\r\n"
        '--BB\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="r.pdf"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
        + "\r\n".join(cut[i : i + 76] for i in range(0, len(cut), 76))
        + "\r\n--BB--\r\n"
    ).encode()
    m = parse_message(raw)
    assert m.attachments[0].filename == "r.pdf"
    assert data.startswith(m.attachments[0].data[:2000])
    assert any("base64" in d and "r.pdf" in d for d in m.defects), m.defects


def test_message_cut_off_in_the_middle_is_reported() -> None:
    msg = thai_mail()
    msg.add_attachment(os.urandom(5000), maintype="application", subtype="pdf", filename="r.pdf")
    raw = msg.as_bytes()
    m = parse_message(raw[: len(raw) // 2])
    assert m.text_body == TH_BODY
    assert any("closing MIME boundary missing" in d for d in m.defects)


# --------------------------------------------------------------------------- automatic mail


def test_auto_reply_and_bulk_flags() -> None:
    base = raw_message(b"x", charset="utf-8")
    auto = parse_message(
        base.replace(b"MIME-Version", b"Auto-Submitted: auto-replied\r\nMIME-Version")
    )
    assert auto.auto_submitted == "auto-replied" and auto.is_auto_reply
    no = parse_message(base.replace(b"MIME-Version", b"Auto-Submitted: no\r\nMIME-Version"))
    assert no.auto_submitted is None and not no.is_auto_reply
    bulk = parse_message(
        base.replace(
            b"MIME-Version",
            b"Precedence: bulk\r\nList-Id: <news.example.org>\r\n"
            b"List-Unsubscribe: <mailto:u@example.org>\r\nMIME-Version",
        )
    )
    assert bulk.is_bulk and bulk.precedence == "bulk" and bulk.list_id == "<news.example.org>"
    oof = parse_message(raw_message(b"x", charset="utf-8", subject="Automatic reply: report"))
    assert oof.is_auto_reply
    thai_oof = parse_message(
        raw_message(
            b"x", charset="utf-8", subject=f"=?utf-8?B?{b64('ตอบกลับอัตโนมัติ: รายงาน', 'utf-8')}?="
        )
    )
    assert thai_oof.is_auto_reply
    xauto = parse_message(base.replace(b"MIME-Version", b"X-Autoreply: yes\r\nMIME-Version"))
    assert xauto.is_auto_reply and xauto.auto_reply_headers == ["x-autoreply"]


def test_bounce_is_automatic() -> None:
    raw = (
        b"From: MAILER-DAEMON@mail.go.th\r\nSubject: Undelivered Mail\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="BB"\r\n\r\n'
        b"--BB\r\nContent-Type: text/plain\r\n\r\nCould not deliver\r\n"
        b"--BB\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail\r\n\r\n"
        b"Final-Recipient: rfc822; x@y\r\nAction: failed\r\n\r\n--BB--\r\n"
    )
    m = parse_message(raw)
    assert m.is_bounce and m.is_auto_reply
    assert m.text_body == "Could not deliver"


def test_decode_text_helper() -> None:
    assert decode_text(TH_BODY.encode("cp874"), "windows-874") == (TH_BODY, [])
    assert decode_text(b"", None) == ("", [])
    text, defects = decode_text(b"abc\xff", "utf-8")
    assert text == "abc\ufffd" and any("undecodable" in d for d in defects)


def test_damaged_utf8_thai_stays_utf8() -> None:
    data = TH_BODY[:10].encode("utf-8") + b"\xff" + TH_BODY[10:].encode("utf-8")
    text, defects = decode_text(data, None)
    assert text.count("\ufffd") == 1 and "รายงาน" in text
    text, defects = decode_text(data, "utf-8")
    assert text.count("\ufffd") == 1 and "รายงาน" in text
