"""RAR (4 and 5), 7-Zip and tar archives through libarchive: open one, stream its files one at a time.

tar comes plain or compressed (gzip ``.tar.gz``/``.tgz``, bzip2 ``.tar.bz2``, xz ``.tar.xz``),
and a single compressed file (``แบบรายงาน.docx.gz``) is opened as libarchive's "raw" format:
one file, of unknown size until read.

libarchive (Debian's ``libarchive13``, through the PyPI package ``libarchive-c``) reads RAR 4,
RAR 5 and 7z, stored or compressed, solid or not. It does not decrypt: a password-protected
file is reported as encrypted, and an archive whose names are encrypted too raises
:class:`EncryptedArchive`. libarchive 3.6 (Debian 12) does not flag RAR 5's encrypted files,
so their headers are also read here (RARLAB's technote "RAR 5.0 archive format").

Walking the archive within the limits (files, bytes inflated, depth, time) is
``archive.py``'s job; this module opens, names and streams.
"""

from __future__ import annotations

import ctypes
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from areaplan.parsers.errors import MissingTool, UnreadableAttachment

__all__ = [
    "EncryptedArchive",
    "Entry",
    "archive_format",
    "container_format",
    "decode_name",
    "is_rar_volume",
    "open_archive",
    "rar5_encrypted_names",
]

_MAGIC = (
    (b"Rar!\x1a\x07\x01\x00", "rar5"),
    (b"Rar!\x1a\x07\x00", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7zip"),
)
_BLOCK = 256 * 1024
# Compression that libarchive undoes before reading the format (its "filter").
_FILTERS = ((b"\x1f\x8b", "gzip"), (b"\xfd7zXZ\x00", "xz"))
_BZIP2_BLOCKS = (b"\x31\x41\x59\x26\x53\x59", b"\x17\x72\x45\x38\x50\x90")  # first block, end
_TAR_HEAD = 512


class EncryptedArchive(UnreadableAttachment):
    """Password-protected: the archive's names (from ``open_archive``) or one file (``Entry.read``)."""


def archive_format(data: bytes) -> str | None:
    """libarchive's format name for a RAR 4 ("rar"), RAR 5 ("rar5") or 7z ("7zip") file, else None."""
    for magic, fmt in _MAGIC:
        if data.startswith(magic):
            return fmt
    return None


def _filter(data: bytes) -> str | None:
    """"gzip", "bzip2" or "xz" from the magic bytes, else None."""
    for magic, name in _FILTERS:
        if data.startswith(magic):
            return name
    if data[:3] == b"BZh" and data[3:4] in b"123456789" and len(data) >= 10 and data[4:10] in _BZIP2_BLOCKS:
        return "bzip2"
    return None


def _inflated_head(data: bytes, filter_name: str) -> bytes:
    """The first 512 bytes once decompressed (Python's zlib, bz2, lzma); b"" when it cannot start."""
    import bz2
    import lzma
    import zlib

    try:
        if filter_name == "gzip":
            return zlib.decompressobj(wbits=31).decompress(data[:65536], _TAR_HEAD)
        if filter_name == "bzip2":
            return bz2.BZ2Decompressor().decompress(data[:65536], _TAR_HEAD)
        return lzma.LZMADecompressor().decompress(data[:65536], _TAR_HEAD)
    except (zlib.error, OSError, EOFError, ValueError, lzma.LZMAError):
        return b""


def _is_tar(head: bytes) -> bool:
    """A tar header: "ustar" at offset 257 (POSIX ustar/pax and GNU tar both write it)."""
    return head[257:262] == b"ustar"


def container_format(data: bytes) -> tuple[str, str] | None:
    """(libarchive format, filter) for what libarchive opens here, else None.

    ("rar" | "rar5" | "7zip", "none"); ("tar", "none" | "gzip" | "bzip2" | "xz") for a tar,
    plain or compressed; ("raw", "gzip" | "bzip2" | "xz") for one compressed file.
    """
    fmt = archive_format(data)
    if fmt is not None:
        return fmt, "none"
    if _is_tar(data[:_TAR_HEAD]):
        return "tar", "none"
    filter_name = _filter(data)
    if filter_name is None:
        return None
    return ("tar" if _is_tar(_inflated_head(data, filter_name)) else "raw"), filter_name


def _libarchive() -> Any:
    """The libarchive-c module, or MissingTool when it or the C library is not installed."""
    try:
        import libarchive
        import libarchive.ffi  # noqa: F401 - loads the C library
    except (ImportError, OSError, AttributeError) as exc:
        raise MissingTool("libarchive", "libarchive13", "a RAR, 7-Zip, tar or gzip archive") from exc
    return libarchive


def _flag_function(lib: Any, name: str) -> Any:
    """``archive_entry_is_data_encrypted`` and friends (libarchive >= 3.2), typed; None if absent."""
    fn = getattr(lib.ffi.libarchive, name, None)
    if fn is not None and fn.argtypes is None:
        fn.argtypes, fn.restype = [lib.ffi.c_archive_entry_p], ctypes.c_int
    return fn


# --------------------------------------------------------------------------- names


def decode_name(raw: bytes, fallback: str | None = None) -> str:
    """A file name stored as bytes without its encoding (libarchive could not convert it, a ZIP
    without the UTF-8 flag): UTF-8, else Thai cp874 (Thai Windows), else ``fallback`` (UTF-8
    with replacement characters when None)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    thai = raw.decode("cp874", "replace")
    high = [c for c in thai if ord(c) > 0x7F]
    if "\ufffd" not in thai and sum("\u0e00" <= c <= "\u0e7f" for c in high) >= 0.8 * len(high):
        return thai
    return raw.decode("utf-8", "replace") if fallback is None else fallback


def _vint(data: bytes, pos: int) -> tuple[int, int]:
    """RAR 5's variable-length integer at ``pos``: (value, position after it)."""
    value = shift = 0
    while shift <= 63:
        byte = data[pos]  # IndexError past the end: the caller stops
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
    raise ValueError("vint longer than 10 bytes")


def _rar5_file_name_if_encrypted(data: bytes, p: int, end: int, extra: int) -> str | None:
    """The name in a RAR 5 file header (fields from ``p``), if its extra area has an encryption record."""
    file_flags, p = _vint(data, p)
    _unpacked, p = _vint(data, p)
    _attributes, p = _vint(data, p)
    p += 4 * bool(file_flags & 0x2) + 4 * bool(file_flags & 0x4)  # mtime, data CRC32
    _compression, p = _vint(data, p)
    _host_os, p = _vint(data, p)
    name_len, p = _vint(data, p)
    name = decode_name(data[p : p + name_len])
    q = end - extra
    while q < end:
        size, r = _vint(data, q)
        record_type, _ = _vint(data, r)
        if record_type == 0x01:  # file encryption record
            return name
        if size == 0:
            break
        q = r + size
    return None


def rar5_encrypted_names(data: bytes) -> frozenset[str]:
    """Names of a RAR 5 archive's password-protected files, read from their headers.

    Header layout: CRC32, size (vint), type (vint: 2 file, 5 end), flags (vint: 1 extra area,
    2 data area), extra size, data size, then the type's fields; the extra area closes the
    header. Damage stops the scan with what was found so far.
    """
    names: set[str] = set()
    pos = 8
    try:
        for _ in range(100_000):
            size, p = _vint(data, pos + 4)
            end = p + size
            header_type, p = _vint(data, p)
            flags, p = _vint(data, p)
            extra = data_size = 0
            if flags & 0x1:
                extra, p = _vint(data, p)
            if flags & 0x2:
                data_size, p = _vint(data, p)
            if header_type == 2:
                name = _rar5_file_name_if_encrypted(data, p, end, extra)
                if name is not None:
                    names.add(name)
            if header_type == 5 or end + data_size <= pos:
                break
            pos = end + data_size
    except (IndexError, ValueError):
        pass
    return frozenset(names)


def is_rar_volume(data: bytes) -> bool:
    """True for one part of a multi-volume RAR (``.part1.rar``, ...): the archive flags say so."""
    try:
        if data.startswith(b"Rar!\x1a\x07\x00"):  # RAR 4: main header flags, MHD_VOLUME
            return data[9] == 0x73 and bool(int.from_bytes(data[10:12], "little") & 0x0001)
        if data.startswith(b"Rar!\x1a\x07\x01\x00"):  # RAR 5: main header's archive flags, volume
            _size, p = _vint(data, 12)
            header_type, p = _vint(data, p)
            flags, p = _vint(data, p)
            if header_type != 1:
                return False
            if flags & 0x1:
                _extra, p = _vint(data, p)
            if flags & 0x2:
                _data, p = _vint(data, p)
            archive_flags, _ = _vint(data, p)
            return bool(archive_flags & 0x0001)
    except (IndexError, ValueError):
        return False
    return False


# --------------------------------------------------------------------------- entries


@dataclass
class Entry:
    """One regular file of the archive, not yet read."""

    name: str
    size: int | None  # as declared in the header; None when the header does not say
    encrypted: bool
    _blocks: Any  # the libarchive entry, read once

    def read(self, cap: int, deadline: float | None = None) -> bytes | None:
        """The file's bytes, streamed; None as soon as it holds more than ``cap``.

        Raises UnreadableAttachment for a damaged file and TimeoutError past ``deadline``.
        """
        lib = _libarchive()
        buf = bytearray()
        try:
            for block in self._blocks.get_blocks(_BLOCK):
                buf += block
                if len(buf) > cap:
                    return None
                if deadline is not None and time.monotonic() > deadline:
                    raise TimeoutError
        except lib.ArchiveError as exc:
            message = _message(exc)
            if "encrypt" in message.lower():
                raise EncryptedArchive(f"encrypted ({message})") from None
            raise UnreadableAttachment(f"damaged ({message})") from None
        return bytes(buf)


def _message(exc: Any) -> str:
    msg = getattr(exc, "msg", None) or "libarchive gave no reason"
    return (msg.decode("utf-8", "replace") if isinstance(msg, bytes) else str(msg))[:200]


def _entries(lib: Any, archive: Any, rar5_encrypted: frozenset[str]) -> Iterator[Entry]:
    is_encrypted = _flag_function(lib, "archive_entry_is_data_encrypted")
    for entry in archive:
        if not entry.isfile:  # folders, links, devices
            continue
        raw = entry.pathname
        name = decode_name(raw) if isinstance(raw, bytes) else (raw or "")
        encrypted = name in rar5_encrypted or bool(is_encrypted and is_encrypted(entry._entry_p))
        yield Entry(name=name, size=entry.size or None, encrypted=encrypted, _blocks=entry)


@contextmanager
def open_archive(data: bytes, fmt: str, filter_name: str = "none") -> Iterator[Iterator[Entry]]:
    """The regular files of a RAR/7z/tar archive (or the one file of "raw"), in order, each to
    be read before the next.

    Raises EncryptedArchive when the names themselves are encrypted, UnreadableAttachment
    when the archive is damaged (on opening, or on reaching the damage while iterating),
    MissingTool when libarchive is not installed.
    """
    lib = _libarchive()
    rar5_encrypted = rar5_encrypted_names(data) if fmt == "rar5" else frozenset()
    try:
        with lib.memory_reader(data, format_name=fmt, filter_name=filter_name) as archive:
            yield _entries(lib, archive, rar5_encrypted)
    except lib.ArchiveError as exc:
        message = _message(exc)
        if "encrypt" in message.lower():
            raise EncryptedArchive(f"its headers are encrypted ({message})") from None
        raise UnreadableAttachment(f"damaged ({message})") from None
