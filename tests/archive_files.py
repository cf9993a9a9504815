"""Real RAR, 7z and winmail.dat files for the archive tests, made without the product.

- RAR 4 and RAR 5 "stored" archives (no compression) are written here from RARLAB's
  published format notes ("RAR 4.x technote": marker block, archive header, file headers
  with a CRC32 of the data and a header CRC16 = the low 16 bits of the header's CRC32, end
  block; "RAR 5.0 archive format": vint fields, CRC32 headers). No free RAR writer exists;
  libarchive reads what these functions write (tests/test_archive_kinds.py checks it).
- RAR files WinRAR itself compressed or encrypted come from libarchive's test suite
  (tests/data/libarchive/, BSD licence, see ATTRIBUTION.md there).
- 7z archives are written by libarchive's 7-Zip writer; password-protected ones by py7zr.
- winmail.dat (TNEF) is written here from Microsoft's [MS-OXTNEF]: a signature, then
  attributes (level, id, length, data, 16-bit sum of the data bytes).
"""

from __future__ import annotations

import binascii
import io
import os
import struct
import zlib
from datetime import datetime
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "libarchive"
WHEN = datetime(2021, 3, 29, 9, 0, 0)


def libarchive_sample(name: str) -> bytes:
    """A RAR file from libarchive's test suite, decoded from its ``.uu`` text."""
    out = bytearray()
    lines = (DATA / f"{name}.rar.uu").read_text().splitlines()
    for line in lines[1:]:
        if line.startswith("end"):
            break
        if line:
            out += binascii.a2b_uu(line)
    return bytes(out)


# --------------------------------------------------------------------------- RAR 4


def _dos_time(when: datetime) -> int:
    return ((when.year - 1980) << 25 | when.month << 21 | when.day << 16
            | when.hour << 11 | when.minute << 5 | when.second // 2)


def _rar4_block(head_type: int, flags: int, body: bytes) -> bytes:
    """HEAD_CRC, HEAD_TYPE, HEAD_FLAGS, HEAD_SIZE, then the fields: CRC16 of all after HEAD_CRC."""
    rest = struct.pack("<BHH", head_type, flags, 7 + len(body)) + body
    return struct.pack("<H", zlib.crc32(rest) & 0xFFFF) + rest


def rar4(files: list[tuple[str, bytes]], *, encrypted: tuple[str, ...] = (), name_encoding: str = "utf-8",
         volume: bool = False, declared: dict[str, int] | None = None, when: datetime = WHEN) -> bytes:
    """A RAR 4 archive of ``files``, stored (method 0x30), as WinRAR 3.x-4.x writes one.

    Names are UTF-8 with the Unicode flag (0x200), as WinRAR writes non-ASCII names, or, with
    ``name_encoding="cp874"``, in the Thai code page without it (old WinRAR on Thai Windows).
    A name in ``encrypted`` gets the password flag (0x04) and bytes that look like AES output.
    ``volume`` sets the archive header's MHD_VOLUME flag (0x0001): one part of a multi-volume set.
    ``declared`` makes a file header lie about the file's unpacked size (a bomb's trick).
    """
    out = bytearray(b"Rar!\x1a\x07\x00")
    out += _rar4_block(0x73, 0x0001 if volume else 0x0000, b"\x00" * 6)  # archive header: RESERVED1, RESERVED2
    for name, data in files:
        raw = name.replace("/", "\\").encode(name_encoding)
        flags = 0x8000  # LONG_BLOCK: PACK_SIZE follows
        if name_encoding == "utf-8" and not raw.isascii():
            flags |= 0x0200
        payload = data
        if name in encrypted:
            flags |= 0x0004
            payload = os.urandom(-(-len(data) // 16) * 16)
        unpacked = (declared or {}).get(name, len(data))
        fields = struct.pack("<IIBIIBBHI", len(payload), unpacked, 2, zlib.crc32(data), _dos_time(when),
                             29, 0x30, len(raw), 0x20)
        out += _rar4_block(0x74, flags, fields + raw) + payload
    out += _rar4_block(0x7B, 0x4000, b"")
    return bytes(out)


# --------------------------------------------------------------------------- RAR 5


def _vint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _rar5_block(body: bytes) -> bytes:
    """CRC32, header size, then the header: the CRC covers the size field and the header."""
    sized = _vint(len(body)) + body
    return struct.pack("<I", zlib.crc32(sized)) + sized


def rar5(files: list[tuple[str, bytes]], *, size_unknown: tuple[str, ...] = (), volume: bool = False) -> bytes:
    """A RAR 5 archive of ``files``, stored (method 0), names in UTF-8 as RAR 5 always writes them.

    A name in ``size_unknown`` has the "unpacked size unknown" flag (0x8), as a RAR written to a
    pipe has (libarchive refuses such files). ``volume`` sets the main header's volume flag.
    """
    out = bytearray(b"Rar!\x1a\x07\x01\x00")
    out += _rar5_block(_vint(1) + _vint(0) + _vint(int(volume)))  # main header: type 1, archive flags
    for name, data in files:
        raw = name.encode("utf-8")
        file_flags = 0x4 | (0x8 if name in size_unknown else 0)  # CRC32 present; size unknown
        fields = (_vint(file_flags) + _vint(0 if name in size_unknown else len(data)) + _vint(0x20) + struct.pack("<I", zlib.crc32(data))
                  + _vint(0) + _vint(0) + _vint(len(raw)) + raw)  # stored; Windows
        out += _rar5_block(_vint(2) + _vint(0x2) + _vint(len(data)) + fields) + data  # type 2, data area
    out += _rar5_block(_vint(5) + _vint(0) + _vint(0))  # end of archive
    return bytes(out)


# --------------------------------------------------------------------------- 7z


def seven_zip(files: list[tuple[str, bytes]]) -> bytes:
    """A 7z archive written by libarchive's 7-Zip writer (LZMA compressed)."""
    import libarchive

    out = bytearray()

    def write(chunk: bytes) -> int:
        out.extend(chunk)
        return len(chunk)

    with libarchive.custom_writer(write, "7zip") as archive:
        for name, data in files:
            archive.add_file_from_memory(name, len(data), data)
    return bytes(out)


def seven_zip_encrypted(files: list[tuple[str, bytes]], *, names_too: bool = False) -> bytes:
    """A password-protected 7z (AES-256) written by py7zr; ``names_too`` encrypts the headers as well."""
    import py7zr

    buf = io.BytesIO()
    with py7zr.SevenZipFile(buf, "w", password="รหัส1234", header_encryption=names_too) as archive:
        for name, data in files:
            archive.writestr(data, name)
    return buf.getvalue()


# --------------------------------------------------------------------------- TNEF


def _tnef_attribute(level: int, kind: int, ident: int, data: bytes) -> bytes:
    return (struct.pack("<BII", level, kind << 16 | ident, len(data)) + data
            + struct.pack("<H", sum(data) & 0xFFFF))


def _mapi_unicode(prop_id: int, text: str) -> bytes:
    """One PT_UNICODE MAPI property: type, id, value count, length, UTF-16 with NUL, padded to 4."""
    value = (text + "\x00").encode("utf-16-le")
    padded = value + b"\x00" * (-len(value) % 4)
    return struct.pack("<HHII", 0x001F, prop_id, 1, len(value)) + padded


def _mapi_binary(prop_id: int, data: bytes) -> bytes:
    """One PT_BINARY MAPI property: type, id, value count, length, bytes padded to 4."""
    return struct.pack("<HHII", 0x0102, prop_id, 1, len(data)) + data + b"\x00" * (-len(data) % 4)


def winmail_dat(attachments: list[tuple[str, bytes]], *, body: str = "", rtf_body: bytes = b"",
                codepage: int = 874, long_names: bool = True,
                extra: tuple[tuple[int, int, int, bytes], ...] = ()) -> bytes:
    """A winmail.dat as Outlook writes one: version, code page, class, body, then each attachment.

    Each attachment has its rendering data, its 8.3 title (in ``codepage``), its data and, as
    Outlook adds for long or non-ASCII names, PR_ATTACH_LONG_FILENAME (0x3707) in UTF-16.
    ``rtf_body`` is sent as Outlook sends a rich-text body: PR_RTF_COMPRESSED (0x1009) in the
    message's MAPI properties, compressed by the ``compressed_rtf`` package ([MS-OXRTFCP]).
    ``long_names=False`` writes each name only as its title, in ``codepage`` (as older Outlook
    does). ``extra`` attributes (level, type, id, data) are appended as they are, damage included.
    """
    out = bytearray(struct.pack("<IH", 0x223E9F78, 0x1234))
    out += _tnef_attribute(1, 0x0008, 0x9006, struct.pack("<I", 0x00010000))  # attTnefVersion
    out += _tnef_attribute(1, 0x0006, 0x9007, struct.pack("<II", codepage, 0))  # attOemCodepage
    out += _tnef_attribute(1, 0x0007, 0x8008, b"IPM.Microsoft Mail.Note\x00")  # attMessageClass
    if body:
        out += _tnef_attribute(1, 0x0002, 0x800C, body.encode(f"cp{codepage}"))  # attBody
    if rtf_body:
        from compressed_rtf import compress

        props = struct.pack("<I", 1) + _mapi_binary(0x1009, compress(rtf_body))
        out += _tnef_attribute(1, 0x0006, 0x9003, props)  # attMAPIProps
    for i, (name, data) in enumerate(attachments):
        _stem, _, ext = name.rpartition(".")
        short = f"ATT{i:05d}.{ext[:3].upper() or 'DAT'}".encode("ascii")
        title = short if long_names else name.encode(f"cp{codepage}")
        out += _tnef_attribute(2, 0x0006, 0x9002, struct.pack("<HIIIH", 1, 0xFFFFFFFF, 0, 0, 0))  # attAttachRenddata
        out += _tnef_attribute(2, 0x0001, 0x8010, title + b"\x00")  # attAttachTitle
        out += _tnef_attribute(2, 0x0006, 0x800F, data)  # attAttachData
        if long_names:
            props = struct.pack("<I", 1) + _mapi_unicode(0x3707, name)
            out += _tnef_attribute(2, 0x0006, 0x9005, props)  # attAttachment (MAPI properties)
    for level, kind, ident, data in extra:
        out += _tnef_attribute(level, kind, ident, data)
    return bytes(out)
