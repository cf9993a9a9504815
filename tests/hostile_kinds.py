"""Generators of hostile input, one function per kind, written from the formats' specs.

Nothing here imports areaplan: the inputs are built from bytes, the stdlib, python-docx and
zlib, so a bug in the product cannot make its own test input harmless. The tests and
``bench/bench_hostile.py`` use these.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from email.message import EmailMessage

MIB = 1 << 20
GIB = 1 << 30


def mail(subject: str = "รายงาน", body: str = "ข้อความ", *, date: str | None = None,
         attachments: list[tuple[str, bytes]] = (), message_id: str | None = None) -> bytes:
    """A plain message with optional attachments (name, bytes)."""
    m = EmailMessage()
    m["From"] = "ปกครองจังหวัดน่าน <nan@example.go.th>"
    m["To"] = "dopa.areaplan@gmail.com"
    m["Subject"] = subject
    if message_id:
        m["Message-ID"] = message_id
    m.set_content(body)
    for name, data in attachments:
        m.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    raw = bytes(m)
    if date is not None:  # written raw: the stdlib would refuse to format an absurd date
        raw = f"Date: {date}\r\n".encode() + raw
    return raw


def absurd_date_mail(i: int = 0) -> bytes:
    """A Date whose year overflows every datetime (OverflowError in naive code)."""
    return mail(f"poison {i}", date="Mon, 1 Jan 99999999999999999999 00:00:00 +0000",
                message_id=f"<poison{i}@example.go.th>")


def folded_header_mail(lines: int = 200_000) -> bytes:
    """A Subject folded over ``lines`` continuation lines."""
    folded = b"\r\n".join(b" part%d" % i for i in range(lines))
    return (b"From: a@example.go.th\r\nTo: b@example.go.th\r\nSubject: start\r\n" + folded
            + b"\r\nMessage-ID: <folded@example.go.th>\r\n\r\nbody\r\n")


def tone_mark_mail(pairs: int = 20_000) -> bytes:
    """A Thai body with a long run of alternating tone marks (quadratic regexes hang on it)."""
    return mail("วรรณยุกต์", "ก" + "\u0e48\u0e49" * pairs + "ข", message_id="<tones@example.go.th>")


def zlib_stream(total: int, byte: bytes = b" ") -> bytes:
    """A zlib stream that inflates to ``total`` copies of ``byte``, built in about a second.

    After a full flush the compressor starts afresh, so the block for 1 MiB is the same
    every time: repeating it (and then writing the Adler-32 of the whole) is a valid stream.
    """
    unit = byte * MIB
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(unit) + c.flush(zlib.Z_FULL_FLUSH)
    n = total // MIB
    adler = 1
    for _ in range(n):
        adler = zlib.adler32(unit, adler)
    return b"\x78\xda" + block * n + c.flush() + struct.pack(">I", adler)


def pdf_with_content(content_stream: bytes, *, flate: bool = True) -> bytes:
    """A one-page PDF whose page content is ``content_stream`` (already compressed if flate)."""
    filt = b"/Filter /FlateDecode " if flate else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< " + filt + b"/Length %d >>\nstream\n" % len(content_stream) + content_stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_inflating_to(total: int = GIB) -> bytes:
    """A PDF of about 1 MB whose page content inflates to ``total`` bytes."""
    return pdf_with_content(zlib_stream(total))


def docx_with_paragraphs(n: int) -> bytes:
    """A .docx with ``n`` short paragraphs, written as XML directly (python-docx is slow at 1e6)."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paragraphs = b"".join(b"<w:p><w:r><w:t>\xe0\xb8\x82\xe0\xb9\x89\xe0\xb8\xad %d</w:t></w:r></w:p>" % i
                          for i in range(n))  # "ข้อ <i>"
    body = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="'
            + w.encode() + b'"><w:body>' + paragraphs + b"</w:body></w:document>")
    files = {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            b'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType='
            b'"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            b"</Types>"),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            b'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            b'Target="word/document.xml"/></Relationships>'),
        "word/document.xml": body,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def docx_member_replaced(data: bytes, name: str, content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == name else src.read(info))
    return out.getvalue()


def wide_zip(member: bytes, entries: int = 1000, name: str = "form.docx") -> bytes:
    """A ZIP whose central directory lists ``entries`` files that all point at one member.

    Each entry is honest in size, so a per-member budget lets every one through: only a
    budget for the whole message (or reading one content once) bounds it.
    """
    crc = zlib.crc32(member)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = c.compress(member) + c.flush()
    bname = name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(packed), len(member),
                        len(bname), 0) + bname + packed
    central = bytearray()
    entry_name = bname  # every entry: zipfile checks that the local header has the same name
    for _ in range(entries):
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(packed),
                               len(member), len(entry_name), 0, 0, 0, 0, 0, 0) + entry_name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries, entries, len(central), len(local), 0)
    return local + bytes(central) + end


def big_attachment_mail(size: int = 50 * MIB) -> bytes:
    """A message with one incompressible attachment of ``size`` bytes (base64 on the wire)."""
    return mail("ไฟล์ใหญ่", "แนบไฟล์", attachments=[("scan.pdf", b"%PDF-1.4\n" + os.urandom(size))],
                message_id="<big@example.go.th>")


def latin1_name() -> bytes:
    """A file name (bytes) that is not UTF-8."""
    return b"r\xe9sum\xe9-caf\xe9.eml"
