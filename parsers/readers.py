"""The attachment registry: choose a reader for one file, run it within bounds, never raise.

:func:`read_attachment` decides what a file is from its first bytes (magic). The file
extension comes second and the declared content type last: a PDF named ``report.doc`` is
read as a PDF, and an old ``.doc`` renamed ``.docx`` is read as a ``.doc``.

Every failure becomes a ``problems`` entry such as ``"ไฟล์ report.pdf: unreadable PDF (...)"``.
This covers UnreadableAttachment, MissingTool, a timeout and any unexpected exception.
The run goes on.

Wall time: each reader runs in a worker thread, and :func:`read_attachment` waits at most
``limits.max_seconds``. The readers also check their own deadlines, and the external tools
have subprocess timeouts. A Python thread cannot be killed, though. A reader stuck inside
a C library keeps its thread, and its CPU, until it returns. Its result is then dropped.
"""

from __future__ import annotations

import io
import logging
import os
import threading
import time
import zipfile
from collections.abc import Callable
from email.message import Message

from areaplan.parsers.defects import is_lossy
from areaplan.parsers.errors import MissingTool, UnreadableAttachment
from areaplan.parsers.types import ReadLimits, ReadResult

log = logging.getLogger(__name__)

DEFAULT_LIMITS = ReadLimits()

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# What a person calls each kind, for problem messages.
LABELS = {
    "pdf": "PDF",
    "docx": "Word document",
    "doc": "Word 97-2003 document",
    "odt": "OpenDocument text",
    "xlsx": "Excel workbook",
    "xls": "Excel 97-2003 workbook",
    "ods": "OpenDocument spreadsheet",
    "csv": "table file (CSV/TSV)",
    "rtf": "RTF document",
    "image": "image",
    "zip": "ZIP archive",
    "rar": "RAR archive",
    "7z": "7-Zip archive",
    "tar": "tar archive",
    "gzip": "gzip/bzip2/xz compressed file",
    "tnef": "Outlook winmail.dat (TNEF)",
    "msg": "Outlook .msg message",
    "text": "text file",
    "html": "HTML file",
    "email": "attached e-mail",
}

# Files a report could be in, that no reader here opens: a person should look (problem).
_NOT_READ_DOCUMENTS = {
    "pptx": "presentation not read (PowerPoint)",
    "ppt": "presentation not read (PowerPoint 97-2003)",
    "odp": "presentation not read (OpenDocument)",
    "encrypted": "password-protected Office document; ask for an unprotected copy",
    "smime": "encrypted S/MIME content (smime.p7m) cannot be read",
    "hwp": "Hangul word-processor file not read",
    "pages": "Apple Pages/Numbers file not read",
}

_EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".docm": "docx",
    ".dotx": "docx",
    ".doc": "doc",
    ".dot": "doc",
    ".rtf": "rtf",
    ".odt": "odt",
    ".zip": "zip",
    ".jpg": "image",
    ".jpeg": "image",
    ".jpe": "image",
    ".png": "image",
    ".gif": "image",
    ".webp": "image",
    ".tif": "image",
    ".tiff": "image",
    ".bmp": "image",
    ".heic": "image",
    ".heif": "image",
    ".avif": "image",
    ".txt": "text",
    ".csv": "csv",
    ".tsv": "csv",
    ".tab": "csv",
    ".text": "text",
    ".log": "text",
    ".htm": "html",
    ".html": "html",
    ".xhtml": "html",
    ".eml": "email",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".ods": "ods",
    ".pptx": "pptx",
    ".ppt": "ppt",
    ".pps": "ppt",
    ".ppsx": "pptx",
    ".odp": "odp",
    ".rar": "rar",
    ".7z": "7z",
    ".gz": "gzip",
    ".gzip": "gzip",
    ".bz2": "gzip",
    ".xz": "gzip",
    ".tar": "tar",
    ".tgz": "tar",
    ".tbz": "tar",
    ".tbz2": "tar",
    ".txz": "tar",
    ".msg": "msg",
    ".p7m": "smime",
    ".hwp": "hwp",
    ".pages": "pages",
    ".numbers": "pages",
}

_CONTENT_TYPES = {
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/msword": "doc",
    "application/rtf": "rtf",
    "text/rtf": "rtf",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/zip": "zip",
    "application/x-zip-compressed": "zip",
    "text/plain": "text",
    "text/csv": "csv",
    "text/tab-separated-values": "csv",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.ms-excel.sheet.macroenabled.12": "xlsx",
    "text/html": "html",
    "message/rfc822": "email",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/ms-tnef": "tnef",
    "application/vnd.ms-tnef": "tnef",
    "application/vnd.ms-outlook": "msg",
    "application/pkcs7-mime": "smime",
    "application/x-pkcs7-mime": "smime",
    "application/x-rar-compressed": "rar",
    "application/vnd.rar": "rar",
    "application/x-7z-compressed": "7z",
    "application/gzip": "gzip",
    "application/x-gzip": "gzip",
    "application/x-bzip2": "gzip",
    "application/x-xz": "gzip",
    "application/x-tar": "tar",
    "application/x-gtar": "tar",
    "application/x-compressed-tar": "tar",
}


# --------------------------------------------------------------------------- sniffing


def _zip_kind(data: bytes) -> str:
    """docx, odt, xlsx, pptx, ods, odp or zip, from a ZIP's member names."""
    head = data[:200]
    if head[30:38] == b"mimetype":  # ODF: first member "mimetype", stored
        mime = head[38:120]
        for needle, kind in (
            (b"opendocument.text", "odt"),
            (b"opendocument.spreadsheet", "ods"),
            (b"opendocument.presentation", "odp"),
        ):
            if needle in mime:
                return kind
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist()[:5000])
    except Exception:  # noqa: BLE001 - damaged ZIP: the ZIP reader says why
        return "zip"
    if "word/document.xml" in names or (
        "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)
    ):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"
    if "content.xml" in names and "META-INF/manifest.xml" in names:
        return "odt"
    return "zip"


def _container_kind(data: bytes) -> str | None:
    """"tar" for a tar (plain or compressed), "gzip" for one gzip/bzip2/xz-compressed file."""
    from areaplan.parsers.rar_7z import container_format

    container = container_format(data)
    if container is None or container[0] not in ("tar", "raw"):
        return None
    return "tar" if container[0] == "tar" else "gzip"


def _magic_kind(data: bytes) -> str | None:
    head = data[:16]
    if data[257:262] == b"ustar":  # before the PDF check: a tar's first file starts at 512
        return "tar"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _zip_kind(data)
    if head.startswith(OLE_MAGIC):
        from areaplan.parsers.legacy_doc import ole_kind

        kind = ole_kind(data)
        return kind if kind != "unknown" else None
    from areaplan.parsers.images import sniff_image

    if sniff_image(data) is not None:
        return "image"
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    if head.startswith(b"Rar!\x1a\x07"):
        return "rar"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    if head.startswith((b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")):
        kind = _container_kind(data)
        if kind:
            return kind
    if head.startswith(b"\x78\x9f\x3e\x22"):
        return "tnef"
    return None


def _split_content_type(content_type: str) -> tuple[str, str | None]:
    """("type/subtype", charset or None) from a Content-Type value."""
    msg = Message()
    msg["Content-Type"] = content_type or "application/octet-stream"
    try:
        return msg.get_content_type().lower(), msg.get_content_charset()
    except Exception:  # noqa: BLE001
        return "application/octet-stream", None


def sniff_kind(data: bytes, filename: str = "", content_type: str = "") -> str:
    """What a file is: magic bytes first, then the extension, then the content type."""
    kind = _magic_kind(data)
    if kind:
        return kind
    ext = os.path.splitext(filename.lower())[1]
    if filename.lower() == "winmail.dat":
        return "tnef"
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    ctype, _ = _split_content_type(content_type)
    if ctype in _CONTENT_TYPES:
        return _CONTENT_TYPES[ctype]
    if ctype.startswith("image/"):
        return "image"
    if ctype.startswith("text/"):
        return "text"
    return "unknown"


# --------------------------------------------------------------------------- readers


def _finish_text(
    kind: str, text: str, method: str, defects: list[str], limits: ReadLimits
) -> ReadResult:
    from areaplan.core.thai_text import normalize  # lazy: another module owner

    result = ReadResult(kind=kind, method=method)
    for d in defects:
        (result.problems if is_lossy(d) else result.notes).append(d)
    text = normalize(text)
    if len(text) > limits.max_text_chars:
        result.notes.append(f"text cut at {limits.max_text_chars} characters")
        text = text[: limits.max_text_chars]
    result.text = text
    return result


def _read_text(data: bytes, name: str, ctype: str, limits: ReadLimits, depth: int) -> ReadResult:
    from areaplan.parsers.charsets import decode_text

    _type, charset = _split_content_type(ctype)
    text, defects = decode_text(data, charset, f"file {name}")
    return _finish_text("text", text, "text", defects, limits)


def _read_html(data: bytes, name: str, ctype: str, limits: ReadLimits, depth: int) -> ReadResult:
    from areaplan.parsers.charsets import decode_text
    from areaplan.parsers.html_text import html_meta_charset, html_to_text

    _type, charset = _split_content_type(ctype)
    html, defects = decode_text(data, charset or html_meta_charset(data), f"file {name}")
    return _finish_text("html", html_to_text(html), "html.parser", defects, limits)


def _read_email(data: bytes, name: str, ctype: str, limits: ReadLimits, depth: int) -> ReadResult:
    """An attached .eml: its text, and its attachments as members (read at depth + 1)."""
    from areaplan.parsers.mime import parse_message

    msg = parse_message(data, limits)
    header = f"From: {msg.from_name} <{msg.from_addr}>\nSubject: {msg.subject}"
    result = ReadResult(kind="email", method="mime", text=f"{header}\n\n{msg.all_text()}".strip())
    result.members = [(p.filename, p.data) for p in msg.attachments]
    result.notes.extend(f"mail defect: {d}" for d in msg.defects)
    return result


def _read_pdf(data: bytes, name: str, ctype: str, limits: ReadLimits, depth: int) -> ReadResult:
    from areaplan.parsers.pdf import read_pdf  # lazy: another module owner; heavy imports

    return read_pdf(data, limits)


def _read_docx(data: bytes, name: str, ctype: str, limits: ReadLimits, depth: int) -> ReadResult:
    from areaplan.parsers.docx import read_docx

    return read_docx(data, limits)


def _read_doc(data: bytes, name: str, ctype: str, limits: ReadLimits, depth: int) -> ReadResult:
    from areaplan.parsers.legacy_doc import read_doc

    return read_doc(data, limits)


def _read_rtf(data: bytes, name: str, ctype: str, limits: ReadLimits, depth: int) -> ReadResult:
    from areaplan.parsers.legacy_doc import read_rtf

    return read_rtf(data, limits)


def _read_odt(data: bytes, name: str, ctype: str, limits: ReadLimits, depth: int) -> ReadResult:
    from areaplan.parsers.legacy_doc import read_odt

    return read_odt(data, limits)


def _read_xlsx(data: bytes, name: str, ctype: str, limits: ReadLimits, depth: int) -> ReadResult:
    from areaplan.parsers.spreadsheets import read_xlsx

    return read_xlsx(data, limits)


def _read_xls(data: bytes, name: str, ctype: str, limits: ReadLimits, depth: int) -> ReadResult:
    from areaplan.parsers.spreadsheets import read_xls

    return read_xls(data, limits)


def _read_ods(data: bytes, name: str, ctype: str, limits: ReadLimits, depth: int) -> ReadResult:
    from areaplan.parsers.odf import read_ods

    return read_ods(data, limits)


def _read_csv(data: bytes, name: str, ctype: str, limits: ReadLimits, depth: int) -> ReadResult:
    from areaplan.parsers.spreadsheets import read_csv

    _type, charset = _split_content_type(ctype)
    return read_csv(data, name, charset, limits)


def _read_image(data: bytes, name: str, ctype: str, limits: ReadLimits, depth: int) -> ReadResult:
    from areaplan.parsers.images import read_image

    return read_image(data, name, limits)


def _read_zip(data: bytes, name: str, ctype: str, limits: ReadLimits, depth: int) -> ReadResult:
    from areaplan.parsers.archive import read_zip

    return read_zip(data, limits, depth)


def _read_rar(data: bytes, name: str, ctype: str, limits: ReadLimits, depth: int) -> ReadResult:
    from areaplan.parsers.archive import read_rar

    return read_rar(data, limits, depth)


def _read_7z(data: bytes, name: str, ctype: str, limits: ReadLimits, depth: int) -> ReadResult:
    from areaplan.parsers.archive import read_7z

    return read_7z(data, limits, depth)


def _read_tar(data: bytes, name: str, ctype: str, limits: ReadLimits, depth: int) -> ReadResult:
    from areaplan.parsers.archive import read_tar

    return read_tar(data, name, limits, depth)


def _read_msg(data: bytes, name: str, ctype: str, limits: ReadLimits, depth: int) -> ReadResult:
    from areaplan.parsers.outlook_msg import read_msg

    return read_msg(data, limits)


def _read_tnef(data: bytes, name: str, ctype: str, limits: ReadLimits, depth: int) -> ReadResult:
    from areaplan.parsers.tnef import read_tnef

    return read_tnef(data, limits)


Reader = Callable[[bytes, str, str, ReadLimits, int], ReadResult]

READERS: dict[str, Reader] = {
    "pdf": _read_pdf,
    "docx": _read_docx,
    "doc": _read_doc,
    "rtf": _read_rtf,
    "odt": _read_odt,
    "xlsx": _read_xlsx,
    "xls": _read_xls,
    "ods": _read_ods,
    "csv": _read_csv,
    "image": _read_image,
    "zip": _read_zip,
    "rar": _read_rar,
    "7z": _read_7z,
    "tar": _read_tar,
    "gzip": _read_tar,
    "tnef": _read_tnef,
    "msg": _read_msg,
    "text": _read_text,
    "html": _read_html,
    "email": _read_email,
}


# --------------------------------------------------------------------------- bounded run


class _Outcome:
    __slots__ = ("result", "error")

    def __init__(self) -> None:
        self.result: ReadResult | None = None
        self.error: BaseException | None = None


def _run_bounded(fn: Callable[[], ReadResult], seconds: float, name: str) -> _Outcome:
    """Run ``fn`` in a daemon thread and wait at most ``seconds`` for it."""
    outcome = _Outcome()

    def target() -> None:
        try:
            outcome.result = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller as a problem
            outcome.error = exc

    worker = threading.Thread(target=target, name=f"read-attachment {name[:40]}", daemon=True)
    worker.start()
    worker.join(seconds if seconds > 0 else None)
    if worker.is_alive():
        outcome.error = TimeoutError(f"took longer than {seconds:.0f} s; reading abandoned")
        log.warning("reader for %s still running after %.0f s; abandoned", name, seconds)
    return outcome


def _error_text(exc: BaseException, label: str) -> str:
    if isinstance(exc, MissingTool):
        return str(exc)
    if isinstance(exc, UnreadableAttachment):
        return f"unreadable {label} ({exc})"
    if isinstance(exc, TimeoutError):
        return f"unreadable {label} ({exc})"
    if isinstance(exc, MemoryError):
        return f"unreadable {label} (not enough memory to read it)"
    if isinstance(exc, RecursionError):
        return f"unreadable {label} (structure nested too deeply)"
    return f"unreadable {label} ({type(exc).__name__}: {str(exc)[:300]})"


def _mb(n: int) -> str:
    """Size in MB (MiB), without a trailing ".0"."""
    return f"{n / 2**20:.1f}".removesuffix(".0") + " MB"


def read_attachment(
    filename: str,
    content_type: str,
    data: bytes,
    limits: ReadLimits = DEFAULT_LIMITS,
    depth: int = 0,
) -> ReadResult:
    """Read one attachment (or archive member) with the right reader. Never raises.

    ``depth`` is the archive/forward nesting level of this file (0 for a mail attachment).
    Problems are prefixed ``"ไฟล์ <filename>: "``.
    """
    name = filename or "(no name)"
    prefix = f"ไฟล์ {name}: "
    if len(data) > limits.max_bytes:  # refused before any parsing, whatever it is
        kind = sniff_kind(data[:65536], filename or "", content_type or "")
        return ReadResult(
            kind=kind,
            problems=[
                f"{prefix}file is {_mb(len(data))}, over the {_mb(limits.max_bytes)} limit; not opened"
            ],
        )
    if not data:
        return ReadResult(kind="unknown", problems=[f"{prefix}empty file (0 bytes)"])
    kind = sniff_kind(data, filename or "", content_type or "")
    label = LABELS.get(kind, "file")
    reader = READERS.get(kind)
    if reader is None:
        return _not_read(kind, content_type, prefix)
    started = time.monotonic()
    outcome = _run_bounded(
        lambda: reader(data, name, content_type or "", limits, depth), limits.max_seconds, name
    )
    elapsed = time.monotonic() - started
    if outcome.error is not None:
        exc = outcome.error
        if not isinstance(exc, (UnreadableAttachment, MissingTool, TimeoutError)):
            log.error("reader for %s (%s) failed", name, kind, exc_info=exc)
        return ReadResult(kind=kind, problems=[prefix + _error_text(exc, label)])
    result = outcome.result
    if result is None:  # a reader returned None: a bug, but not a crash
        return ReadResult(kind=kind, problems=[f"{prefix}unreadable {label} (reader gave nothing)"])
    result.problems = [p if p.startswith("ไฟล์ ") else prefix + p for p in result.problems]
    log.debug("read %s as %s in %.2f s", name, kind, elapsed)
    return result


def _not_read(kind: str, content_type: str, prefix: str) -> ReadResult:
    if kind in _NOT_READ_DOCUMENTS:
        return ReadResult(kind="unknown", problems=[prefix + _NOT_READ_DOCUMENTS[kind]])
    ctype, _ = _split_content_type(content_type)
    return ReadResult(kind="unknown", notes=[f"{prefix}not a document ({ctype}); not read"])
