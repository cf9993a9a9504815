"""Read an archive attachment (ZIP, RAR 4/5, 7z, tar, gzip): its files come back in ``ReadResult.members``.

ZIP is read with zipfile; RAR, 7z, tar (plain, .tar.gz/.tgz, .tar.bz2, .tar.xz) and a single
gzip/bzip2/xz file (``แบบรายงาน.docx.gz``, one member named without the ``.gz``) with
libarchive (``parsers/rar_7z.py``). Nested
archives of any of these kinds are opened here, down to ``limits.max_depth``, and their
files flattened into the same ``members`` list (named ``outer_inner.zip_file.docx``). One
budget covers the whole tree: at most ``limits.max_members`` files and
``limits.max_decompressed`` bytes inflated. Each member is read through a stream that stops
one byte past what is left of that budget, so a declared size that lies cannot make us
inflate more. An archive bomb therefore costs a bounded time and memory. What was not read is
written in ``problems``; a password-protected archive or member is also a coded reason
(``attachment.encrypted``) in ``reasons``.

:func:`open_zip_checked` is the stricter check used before handing a ZIP-based document
(DOCX, ODT) to a library: it refuses the whole file when a limit is passed.
"""

from __future__ import annotations

import hashlib
import io
import logging
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass

from areaplan.core.reasons import Reason
from areaplan.parsers import rar_7z
from areaplan.parsers.errors import MissingTool, UnreadableAttachment
from areaplan.parsers.mime import safe_filename
from areaplan.parsers.types import ReadLimits, ReadResult

log = logging.getLogger(__name__)

DEFAULT_LIMITS = ReadLimits()
MAX_RATIO = 250  # inflated/compressed; DOCX XML is 10-50, a bomb is ~1000
RATIO_MIN_SIZE = 5 * 1024 * 1024  # the ratio check applies to members bigger than this
_CHUNK = 1 << 20


def _mb(n: int | float) -> str:
    """Size in MB or GB (MiB, GiB), without a trailing ".0"."""
    if n < 2**30:
        return f"{n / 2**20:.1f}".removesuffix(".0") + " MB"
    return f"{n / 2**30:.1f}".removesuffix(".0") + " GB"


def _eocd_entries(data: bytes) -> int | None:
    """Entry count from the end-of-central-directory record (before zipfile parses it all)."""
    pos = data.rfind(b"PK\x05\x06", max(0, len(data) - 66_000))
    if pos < 0 or pos + 22 > len(data):
        return None
    (total,) = struct.unpack_from("<H", data, pos + 10)
    return None if total == 0xFFFF else total  # 0xFFFF: the count is in the ZIP64 record


def _open(data: bytes, limits: ReadLimits, what: str) -> zipfile.ZipFile:
    if len(data) > limits.max_bytes:
        raise UnreadableAttachment(
            f"{what} is {_mb(len(data))}, over the {_mb(limits.max_bytes)} limit; not opened"
        )
    entries = _eocd_entries(data)
    if entries is not None and entries > 10 * limits.max_members:
        raise UnreadableAttachment(f"{what} lists {entries} entries; not opened")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
        struct.error,
    ) as exc:
        raise UnreadableAttachment(f"not a valid {what} ({exc})") from None


def _bomb_reason(info: zipfile.ZipInfo) -> str | None:
    if info.file_size > RATIO_MIN_SIZE:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > MAX_RATIO:
            return f"{info.filename} inflates {ratio:.0f}:1 to {_mb(info.file_size)} (zip bomb?)"
    return None


def open_zip_checked(
    data: bytes, limits: ReadLimits = DEFAULT_LIMITS, what: str = "ZIP file"
) -> zipfile.ZipFile:
    """Open a ZIP-based document after checking entry count, total size and ratios.

    Raises UnreadableAttachment (with a reason in words) instead of opening a bomb.
    """
    zf = _open(data, limits, what)
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise UnreadableAttachment(
            f"{what} has {len(infos)} parts, over the limit of {limits.max_members}"
        )
    total = sum(i.file_size for i in infos)
    if total > limits.max_decompressed:
        raise UnreadableAttachment(
            f"{what} would inflate to {_mb(total)}, over the {_mb(limits.max_decompressed)} "
            "limit (zip bomb?)"
        )
    for info in infos:
        reason = _bomb_reason(info)
        if reason:
            raise UnreadableAttachment(f"{what}: {reason}")
        if info.flag_bits & 0x1:
            raise UnreadableAttachment(f"{what}: part {info.filename} is encrypted")
    return zf


def read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, deadline: float | None = None
) -> bytes | None:
    """Inflate one member, at most ``cap`` bytes; None if it holds more than ``cap``.

    Raises zipfile.BadZipFile / zlib.error / NotImplementedError / RuntimeError for damaged,
    unsupported or encrypted members, and TimeoutError past ``deadline`` (time.monotonic()).
    """
    buf = bytearray()
    with zf.open(info) as stream:
        while True:
            chunk = stream.read(min(_CHUNK, cap + 1 - len(buf)))
            if not chunk:
                return bytes(buf)
            buf += chunk
            if len(buf) > cap:
                return None
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError


# --------------------------------------------------------------------------- member names


def _unicode_path_extra(extra: bytes) -> str | None:
    """The Info-ZIP Unicode Path extra field (0x7075), if present."""
    pos = 0
    while pos + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4 : pos + 4 + size]
        if tag == 0x7075 and len(body) > 5 and body[0] == 1:
            try:
                return body[5:].decode("utf-8")
            except UnicodeDecodeError:
                return None
        pos += 4 + size
    return None


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's real name: UTF-8 flag, Unicode Path field, UTF-8, else Thai cp874, else cp437.

    Windows' built-in "Send to > Compressed folder" on a Thai system writes cp874 names
    without the UTF-8 flag; zipfile shows them as cp437 mojibake.
    """
    if info.flag_bits & 0x800:
        return info.filename
    unicode_path = _unicode_path_extra(info.extra)
    if unicode_path:
        return unicode_path
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    if raw.isascii():
        return info.filename
    return rar_7z.decode_name(raw, fallback=info.filename)


# --------------------------------------------------------------------------- reading archives


def _is_plain_zip(data: bytes) -> bool:
    """A ZIP that is an archive, not a ZIP-based document (DOCX, XLSX, ODT, EPUB ...)."""
    if not data.startswith(b"PK\x03\x04") and not data.startswith(b"PK\x05\x06"):
        return False
    head = data[:4096]
    if b"mimetypeapplication/" in head:  # ODF / EPUB put their type first, stored
        return False
    entries = _eocd_entries(data)
    if entries is not None and entries > 5000:
        return True  # walk() refuses it with a reason
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except Exception:  # noqa: BLE001 - damaged: let the reader report it
        return True
    return not any(
        n in ("[Content_Types].xml", "word/document.xml", "META-INF/manifest.xml") for n in names
    )


@dataclass
class _Budget:
    members_left: int
    bytes_left: int
    deadline: float
    stopped: bool = False


def _is_archive(data: bytes) -> bool:
    """A file this module opens (and flattens) rather than hands back as a member."""
    return rar_7z.container_format(data) is not None or _is_plain_zip(data)


_COMPRESSED_SUFFIXES = {".gz": "", ".gzip": "", ".bz2": "", ".xz": "", ".tgz": ".tar", ".tbz2": ".tar",
                        ".tbz": ".tar", ".txz": ".tar"}


def uncompressed_name(name: str) -> str:
    """The name of the file inside a single compressed file: ``แบบรายงาน.docx.gz`` -> ``แบบรายงาน.docx``."""
    stem, dot, ext = name.rpartition(".")
    if dot and stem and "/" not in ext and "." + ext.lower() in _COMPRESSED_SUFFIXES:
        return stem + _COMPRESSED_SUFFIXES["." + ext.lower()]
    return name or "file"


def _gzip_crc_mismatch(compressed: bytes, inflated: bytes) -> bool:
    """libarchive does not check gzip's CRC32: a single .gz whose trailer disagrees is damaged.

    The trailer covers the last gzip member only, so a disagreement is confirmed by Python's
    gzip module (which checks every member) reading no more than what libarchive gave.
    """
    import gzip

    if len(compressed) < 18:
        return True
    crc, size = struct.unpack("<II", compressed[-8:])
    if crc == zlib.crc32(inflated) and size == len(inflated) & 0xFFFFFFFF:
        return False
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(compressed)) as stream:
            stream.read(len(inflated) + 1)
    except (OSError, EOFError, zlib.error):
        return True
    return False


class _ArchiveReader:
    """Walks one archive tree (ZIP, RAR, 7z, nested in any order), filling one ReadResult."""

    def __init__(self, limits: ReadLimits, result: ReadResult, name: str = ""):
        self.limits = limits
        self.result = result
        self.budget = _Budget(
            members_left=limits.max_members,
            bytes_left=limits.max_decompressed,
            deadline=time.monotonic() + limits.max_seconds,
        )
        self.seen: set[str] = set()
        self.names: set[str] = set()
        self.name = name  # the attachment's own name: a single compressed file's member is named from it

    def problem(self, text: str) -> None:
        self.result.problems.append(text)

    def encrypted(self, display: str, text: str) -> None:
        """A password-protected archive or member: a problem, and its coded reason."""
        self.problem(text)
        self.result.reasons.append(Reason("attachment.encrypted", "attachment", evidence=display, detail=text))

    def out_of_members(self, display: str) -> bool:
        if self.budget.members_left > 0:
            return False
        self.problem(
            f"more than {self.limits.max_members} files in the archive: {display} and the rest not read"
        )
        self.budget.stopped = True
        return True

    def timed_out(self, display: str) -> None:
        self.problem(
            f"archive reading stopped after {self.limits.max_seconds:.0f} s "
            f"at {display}; the rest not read"
        )
        self.budget.stopped = True

    def keep(self, display: str, data: bytes, depth: int) -> None:
        """A member read: an archive is opened in turn, anything else is a file of the result."""
        self.budget.bytes_left -= len(data)
        if _is_archive(data):
            self.nested(display, data, depth)
        else:
            self.add(display, data)

    def add(self, display: str, data: bytes) -> None:
        name = safe_filename(display, keep_dirs=True)
        if name in self.names:
            stem, dot, ext = name.rpartition(".")
            stem, ext = (stem, "." + ext) if dot else (name, "")
            n = 2
            while f"{stem}({n}){ext}" in self.names:
                n += 1
            name = f"{stem}({n}){ext}"
        self.names.add(name)
        self.result.members.append((name, data))
        self.budget.members_left -= 1

    def walk(self, data: bytes, prefix: str, depth: int) -> None:
        self.seen.add(hashlib.sha256(data).hexdigest())
        what = f"archive {prefix.rstrip('/')}" if prefix else "archive"
        container = rar_7z.container_format(data)
        if container is not None:
            self.walk_libarchive(data, container, prefix, depth, what)
            return
        zf = _open(data, self.limits, what)
        with zf:
            infos = zf.infolist()
            if len(infos) > self.limits.max_members:
                self.problem(
                    f"{what} has {len(infos)} entries; only the first "
                    f"{self.limits.max_members} are considered"
                )
                infos = infos[: self.limits.max_members]
            for info in infos:
                if self.budget.stopped:
                    return
                if not info.is_dir():
                    self.member(zf, info, prefix, depth)

    def member(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, prefix: str, depth: int) -> None:
        budget = self.budget
        display = prefix + member_name(info)
        if self.out_of_members(display):
            return
        if info.flag_bits & 0x1:
            self.encrypted(display, f"{display} is password-protected: not read")
            return
        cap = min(budget.bytes_left, self.limits.max_bytes)
        if info.file_size > cap:
            self.problem(
                f"{display} would inflate to {_mb(info.file_size)}, over what the "
                "limits leave: not read (zip bomb?)"
            )
            return
        reason = _bomb_reason(info)
        if reason:
            self.problem(f"{reason}: not read")
            return
        try:
            data = read_member(zf, info, cap, budget.deadline)
        except TimeoutError:
            self.timed_out(display)
            return
        except RuntimeError as exc:  # encrypted without the flag, and similar
            self.problem(f"{display} could not be read ({exc})")
            return
        except NotImplementedError as exc:
            self.problem(f"{display} uses an unsupported compression ({exc})")
            return
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error) as exc:
            self.problem(f"{display} is damaged ({exc})")
            return
        if data is None:
            budget.bytes_left = max(0, budget.bytes_left - cap)
            self.problem(
                f"{display} inflates to more than its declared "
                f"{_mb(info.file_size)} (over {_mb(cap)}): not read (zip bomb?)"
            )
            return
        self.keep(display, data, depth)

    def walk_libarchive(
        self, data: bytes, container: tuple[str, str], prefix: str, depth: int, what: str
    ) -> None:
        """A RAR, 7z or tar archive (or one compressed file): its files in order, within the
        same budget as a ZIP's."""
        fmt, filter_name = container
        if len(data) > self.limits.max_bytes:
            raise UnreadableAttachment(
                f"{what} is {_mb(len(data))}, over the {_mb(self.limits.max_bytes)} limit; not opened"
            )
        if rar_7z.is_rar_volume(data):
            self.problem(f"{what} is one part of a multi-volume RAR: files continued in its other "
                         "parts are not read (ask for one archive)")
        considered = 0
        try:
            with rar_7z.open_archive(data, fmt, filter_name) as entries:
                for entry in entries:
                    if self.budget.stopped:
                        return
                    considered += 1
                    if considered > self.limits.max_members:
                        self.problem(f"{what} has more than {self.limits.max_members} files; only the first "
                                     f"{self.limits.max_members} are considered")
                        return
                    if fmt == "raw":  # one compressed file: named after the file itself
                        self.libarchive_member(entry, "", depth, uncompressed_name(prefix.rstrip("/") or self.name),
                                               check_gzip=data if filter_name == "gzip" else None)
                    else:
                        self.libarchive_member(entry, prefix, depth)
        except rar_7z.EncryptedArchive as exc:
            self.encrypted(prefix.rstrip("/"), f"{what} is password-protected, {exc}: not read")
        except UnreadableAttachment as exc:
            if considered == 0 or fmt == "raw":  # a single compressed file: nothing kept
                raise
            files = f"{considered} file{'s' if considered != 1 else ''}"
            self.problem(f"{what} is {exc} after {files}: the rest not read")

    def libarchive_member(
        self, entry: rar_7z.Entry, prefix: str, depth: int, display: str | None = None,
        check_gzip: bytes | None = None,
    ) -> None:
        display = display or prefix + entry.name
        if self.out_of_members(display):
            return
        if entry.encrypted:
            self.encrypted(display, f"{display} is password-protected: not read")
            return
        cap = min(self.budget.bytes_left, self.limits.max_bytes)
        if entry.size is not None and entry.size > cap:
            self.problem(
                f"{display} would inflate to {_mb(entry.size)}, over what the "
                "limits leave: not read (archive bomb?)"
            )
            return
        try:
            data = entry.read(cap, self.budget.deadline)
        except TimeoutError:
            self.timed_out(display)
            return
        except rar_7z.EncryptedArchive:
            self.encrypted(display, f"{display} is password-protected: not read")
            return
        if data is None:
            self.budget.bytes_left = max(0, self.budget.bytes_left - cap)
            self.problem(f"{display} inflates to more than {_mb(cap)}, what the limits leave: "
                         "not read (archive bomb?)")
            return
        if entry.size is not None and len(data) != entry.size:  # cut short: libarchive says nothing
            self.budget.bytes_left -= len(data)
            self.problem(f"{display} is damaged: {len(data):,} of its {entry.size:,} bytes read: not read")
            return
        if check_gzip is not None and _gzip_crc_mismatch(check_gzip, data):
            self.budget.bytes_left -= len(data)
            raise UnreadableAttachment("damaged (its gzip checksum does not match its content)")
        self.keep(display, data, depth)

    def nested(self, display: str, data: bytes, depth: int) -> None:
        digest = hashlib.sha256(data).hexdigest()
        if digest in self.seen:
            self.problem(f"{display} is a copy of an archive already opened (zip quine?): not read")
            return
        if depth + 1 > self.limits.max_depth:
            self.problem(
                f"{display}: archives nested deeper than {self.limits.max_depth} levels: not read"
            )
            return
        try:
            self.walk(data, display + "/", depth + 1)
        except (UnreadableAttachment, MissingTool) as exc:
            self.problem(f"{display}: {exc}")


def _read_archive(
    data: bytes, limits: ReadLimits, depth: int, kind: str, method: str, name: str = ""
) -> ReadResult:
    result = ReadResult(kind=kind, method=method)
    if depth > limits.max_depth:
        result.problems.append(f"archive nested deeper than {limits.max_depth} levels: not opened")
        return result
    reader = _ArchiveReader(limits, result, name)
    reader.walk(data, "", depth)
    n = len(result.members)
    result.notes.append(f"{n} file{'s' if n != 1 else ''} taken from the archive")
    if not result.members and not result.problems:
        result.notes.append("the archive is empty")
    return result


def read_zip(data: bytes, limits: ReadLimits = DEFAULT_LIMITS, depth: int = 0) -> ReadResult:
    """Read a ZIP archive: kind "zip", its files in ``members`` (nested archives flattened).

    ``depth`` is how deep this archive already is (0 for a mail attachment). Raises
    UnreadableAttachment only when the archive itself cannot be opened.
    """
    return _read_archive(data, limits, depth, "zip", "zipfile")


def read_rar(data: bytes, limits: ReadLimits = DEFAULT_LIMITS, depth: int = 0) -> ReadResult:
    """Read a RAR 4 or RAR 5 archive like a ZIP: kind "rar", method "libarchive".

    Raises UnreadableAttachment when the archive is damaged before its first file, MissingTool
    when libarchive is not installed.
    """
    if rar_7z.archive_format(data) not in ("rar", "rar5"):
        raise UnreadableAttachment("no RAR signature at the start of the file")
    return _read_archive(data, limits, depth, "rar", "libarchive")


def read_7z(data: bytes, limits: ReadLimits = DEFAULT_LIMITS, depth: int = 0) -> ReadResult:
    """Read a 7-Zip archive like a ZIP: kind "7z", method "libarchive"."""
    if rar_7z.archive_format(data) != "7zip":
        raise UnreadableAttachment("no 7-Zip signature at the start of the file")
    return _read_archive(data, limits, depth, "7z", "libarchive")


def read_tar(data: bytes, name: str = "", limits: ReadLimits = DEFAULT_LIMITS, depth: int = 0) -> ReadResult:
    """Read a tar (plain, gzip, bzip2 or xz) like a ZIP: kind "tar", method "libarchive".

    A single compressed file (``แบบรายงาน.docx.gz``, .bz2, .xz) is kind "gzip": one member,
    ``name`` without its ``.gz``. Raises UnreadableAttachment when the file is damaged before its
    first member, MissingTool when libarchive is not installed.
    """
    container = rar_7z.container_format(data)
    if container is None or container[0] not in ("tar", "raw"):
        raise UnreadableAttachment("no tar, gzip, bzip2 or xz signature at the start of the file")
    kind = "tar" if container[0] == "tar" else "gzip"
    return _read_archive(data, limits, depth, kind, "libarchive", name)
