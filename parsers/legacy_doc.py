"""Read legacy Word 97-2003 ``.doc`` (catdoc, then antiword), RTF (catdoc) and ODT (content.xml).

The tools run as subprocesses, with a timeout, on a copy of the file in a private
temporary directory. They are not Python packages: when neither is installed,
:class:`~parsers.errors.MissingTool` names the Debian package to install.

catdoc is tried first, and antiword second. catdoc sometimes drops a table that ends
the document, and antiword refuses very small files. The text with more characters wins.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import struct
import subprocess
import tempfile
import time
from collections.abc import Iterable

from lxml import etree

from areaplan.parsers.archive import open_zip_checked, read_member
from areaplan.parsers.errors import MissingTool, UnreadableAttachment
from areaplan.parsers.types import ReadLimits, ReadResult

log = logging.getLogger(__name__)

DEFAULT_LIMITS = ReadLimits()
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TOOL_SECONDS = 20.0  # catdoc/antiword on a sound file (a few-page .doc takes ~0.05 s)
SUSPECT_TOOL_SECONDS = 5.0  # on a file whose structure the built-in reader cannot follow

_STREAM_NAMES = {
    "encrypted": "EncryptedPackage",  # password-protected .docx/.xlsx (OLE wrapper)
    "msg": "__substg1.0_",  # Outlook .msg
    "doc": "WordDocument",
    "xls": "Workbook",
    "ppt": "PowerPoint Document",
}


def ole_kind(data: bytes) -> str:
    """What an OLE2 compound file holds: doc, xls, ppt, msg, encrypted or unknown.

    Looks for the UTF-16LE stream names of the directory; cheap and good enough to route.
    """
    for kind, name in _STREAM_NAMES.items():
        if name.encode("utf-16-le") in data:
            return kind
    if "Book".encode("utf-16-le") in data:  # Excel 5/95 workbook
        return "xls"
    return "unknown"


def _word_encrypted(data: bytes) -> bool:
    """True if a Word 97 FIB says the document is encrypted or obfuscated.

    The WordDocument stream starts on a 512-byte sector with the FIB (wIdent 0xA5EC);
    fEncrypted is bit 8 and fObfuscated bit 15 of the flags at offset 0x0A.
    """
    for off in range(512, min(len(data), 4 * 1024 * 1024) - 12, 512):
        if data[off : off + 2] == b"\xec\xa5":
            (nfib,) = struct.unpack_from("<H", data, off + 2)
            if 0x65 <= nfib <= 0x0200:
                (flags,) = struct.unpack_from("<H", data, off + 0x0A)
                return bool(flags & 0x0100 or flags & 0x8000)
    return False


# --------------------------------------------------------------------------- Word 97 text
#
# A small reader of the Word 97 piece table, used to check catdoc/antiword: catdoc drops a
# table that ends a document, and antiword refuses short files. Every size and chain in the
# file is bounded, so a hostile file costs at most a few passes over its own bytes.

_FREE, _END = 0xFFFFFFFF, 0xFFFFFFFE


class _Cfb:
    """Just enough of an OLE2 compound file to read named streams."""

    def __init__(self, data: bytes):
        if not data.startswith(OLE_MAGIC) or len(data) < 512:
            raise ValueError("not OLE2")
        self.data = data
        shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            raise ValueError("bad sector sizes")
        self.ss = 1 << shift
        self.nsectors = -(-(len(data) - 512) // self.ss)  # the last one may be short
        n_fat, dir_start = struct.unpack_from("<II", data, 0x2C)
        self.cutoff, mini_fat_start, _n_mini, difat_start, n_difat = struct.unpack_from(
            "<IIIII", data, 0x38
        )
        fat_sectors = [x for x in struct.unpack_from("<109I", data, 0x4C) if x < _END]
        sector = difat_start
        for _ in range(min(n_difat, self.nsectors)):
            if sector >= _END:
                break
            vals = struct.unpack_from(f"<{self.ss // 4}I", self._sector(sector))
            fat_sectors.extend(x for x in vals[:-1] if x < _END)
            sector = vals[-1]
        fat_sectors = fat_sectors[: max(n_fat, 0) or len(fat_sectors)]
        self.fat = self._table(fat_sectors)
        self.entries = self._directory(self._chain_bytes(dir_start, self.fat))
        root = self.entries.get("Root Entry")
        mini_fat_bytes = self._chain_bytes(mini_fat_start, self.fat)
        self.minifat = list(struct.unpack(f"<{len(mini_fat_bytes) // 4}I", mini_fat_bytes))
        self.ministream = self._chain_bytes(root[0], self.fat)[: root[1]] if root else b""

    def _sector(self, n: int) -> bytes:
        if n >= self.nsectors:
            raise ValueError("sector out of range")
        off = (n + 1) * self.ss
        return self.data[off : off + self.ss]

    def _table(self, sectors: list[int]) -> list[int]:
        raw = b"".join(self._sector(n) for n in sectors[: self.nsectors])
        return list(struct.unpack(f"<{len(raw) // 4}I", raw))

    def _chain(self, start: int, table: list[int]) -> list[int]:
        chain: list[int] = []
        seen: set[int] = set()
        while start < _END and start < len(table) and start not in seen:
            seen.add(start)
            chain.append(start)
            start = table[start]
        return chain

    def _chain_bytes(self, start: int, table: list[int]) -> bytes:
        return b"".join(self._sector(n) for n in self._chain(start, table))

    def _directory(self, raw: bytes) -> dict[str, tuple[int, int]]:
        entries: dict[str, tuple[int, int]] = {}
        for off in range(0, len(raw) - 127, 128):
            name_len = struct.unpack_from("<H", raw, off + 0x40)[0]
            kind = raw[off + 0x42]
            if kind not in (1, 2, 5) or not 2 <= name_len <= 64:
                continue
            name = raw[off : off + name_len - 2].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<IQ", raw, off + 0x74)
            if self.ss == 512:
                size &= 0xFFFFFFFF
            entries.setdefault(name, (start, size))
        return entries

    def stream(self, name: str) -> bytes:
        start, size = self.entries[name]
        if size < self.cutoff:
            chain = self._chain(start, self.minifat)
            data = b"".join(self.ministream[n * 64 : n * 64 + 64] for n in chain)
        else:
            data = self._chain_bytes(start, self.fat)
        return data[:size]


def _fib_fields(word: bytes) -> tuple[int, int, int, str]:
    """(ccpText, fcClx, lcbClx, table stream name) from the FIB."""
    ident, _nfib = struct.unpack_from("<HH", word, 0)
    if ident != 0xA5EC:
        raise ValueError("no FIB")
    flags = struct.unpack_from("<H", word, 0x0A)[0]
    table = "1Table" if flags & 0x0200 else "0Table"
    pos = 0x20
    csw = struct.unpack_from("<H", word, pos)[0]
    pos += 2 + csw * 2
    cslw = struct.unpack_from("<H", word, pos)[0]
    ccp_text = struct.unpack_from("<I", word, pos + 2 + 3 * 4)[0]
    pos += 2 + cslw * 4 + 2
    fc_clx, lcb_clx = struct.unpack_from("<II", word, pos + 33 * 8)
    return ccp_text, fc_clx, lcb_clx, table


def _pieces(clx: bytes) -> list[tuple[int, int, int]]:
    """(cp start, cp end, fc) of each piece in a Clx."""
    pos = 0
    while pos < len(clx) and clx[pos] == 0x01:  # Prc: formatting, skipped
        pos += 3 + struct.unpack_from("<h", clx, pos + 1)[0]
    if pos >= len(clx) or clx[pos] != 0x02:
        raise ValueError("no piece table")
    lcb = struct.unpack_from("<I", clx, pos + 1)[0]
    plc = clx[pos + 5 : pos + 5 + lcb]
    n = (len(plc) - 4) // 12
    if n <= 0:
        raise ValueError("empty piece table")
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    out = []
    for i in range(n):
        fc = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * i + 2)[0]
        out.append((cps[i], cps[i + 1], fc))
    return out


def _clean_word_text(raw: str) -> str:
    """Word's control characters: fields keep their result, cells become tabs."""
    out: list[str] = []
    fields: list[bool] = []  # per open field: True while in its instructions
    for ch in raw:
        if ch == "\x13":
            fields.append(True)
        elif ch == "\x14":
            if fields:
                fields[-1] = False
        elif ch == "\x15":
            if fields:
                fields.pop()
        elif fields and fields[-1]:
            continue
        elif ch in "\r\x0b\x0c":
            out.append("\n")
        elif ch == "\x07":
            out.append("\t")
        elif ch == "\x1e":
            out.append("-")
        elif ch == "\xa0":
            out.append(" ")
        elif ch >= " " or ch == "\t":
            out.append(ch)
    text = "".join(out)
    return "\n".join(line.rstrip("\t ") for line in text.split("\n"))


def word97_text(data: bytes, max_chars: int = 2_000_000) -> str | None:
    """Main-document text of a Word 97-2003 file from its piece table, or None."""
    try:
        cfb = _Cfb(data)
        word = cfb.stream("WordDocument")
        ccp_text, fc_clx, lcb_clx, table_name = _fib_fields(word)
        table = cfb.stream(table_name)
        pieces = _pieces(table[fc_clx : fc_clx + lcb_clx])
        parts: list[str] = []
        total = 0
        for cp_start, cp_end, fc in pieces:
            if cp_start >= ccp_text or total > max_chars:
                break
            count = min(cp_end, ccp_text) - cp_start
            if count <= 0:
                continue
            if fc & 0x40000000:
                start = (fc & ~0x40000000) // 2
                parts.append(word[start : start + count].decode("cp1252", "replace"))
            else:
                parts.append(word[fc : fc + 2 * count].decode("utf-16-le", "replace"))
            total += count
        return _clean_word_text("".join(parts))
    except (ValueError, KeyError, IndexError, struct.error, OverflowError, MemoryError) as exc:
        log.info("built-in Word 97 reader gave up: %s", exc)
        return None


# --------------------------------------------------------------------------- tools


def _run(cmd: list[str], timeout: float) -> tuple[int, str, str]:
    """Run a tool; returns (exit code, stdout, stderr). Raises TimeoutError."""
    try:
        proc = subprocess.run(
            cmd,
            capture_output=True,
            timeout=max(1.0, timeout),
            check=False,
            env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise TimeoutError(f"{cmd[0]} took longer than {timeout:.0f} s") from None
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace").strip()
    return proc.returncode, out, err


def _useful_chars(text: str) -> int:
    return len(re.sub(r"[\s|]", "", text))


def _latin_mojibake(text: str) -> bool:
    """True if text looks like Thai bytes shown as Latin-1 (ÃÒÂ§Ò¹...)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum("\u00c0" <= c <= "\u00ff" for c in letters) > 0.3 * len(letters)


def _antiword_tables(text: str) -> str:
    """antiword writes table rows as ``|cell   |cell   |``: make them ``cell | cell``."""
    out = []
    for line in text.split("\n"):
        if line.startswith("|") and line.rstrip().endswith("|"):
            cells = [c.strip() for c in line.strip()[1:-1].split("|")]
            line = " | ".join(cells).rstrip(" |") if any(cells) else ""
        out.append(line)
    return "\n".join(out)


def _with_tools(
    data: bytes,
    suffix: str,
    what: str,
    limits: ReadLimits,
    tools: list[str],
    tool_seconds: float = 20.0,
    fallback: str | None = None,
) -> tuple[str, str, list[str]]:
    """Run catdoc/antiword on ``data``; return (best text, method, notes).

    Each tool gets at most ``tool_seconds`` (catdoc can loop forever on a damaged file).
    ``fallback`` is text from the built-in reader, used when no tool gives any.
    """
    found = [t for t in tools if shutil.which(t)]
    if not found:
        raise MissingTool(tools[0], tools[0], what)
    deadline = time.monotonic() + limits.max_seconds
    notes: list[str] = []
    candidates: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="areaplan-doc-") as tmp:
        path = os.path.join(tmp, "input" + suffix)
        with open(path, "wb") as fh:
            fh.write(data)
        for tool in found:
            left = min(deadline - time.monotonic(), tool_seconds)
            if left <= 0:
                break
            if tool == "catdoc":
                cmd = ["catdoc", "-w", "-d", "utf-8", path]
            else:
                cmd = ["antiword", "-w", "0", "-m", "UTF-8.txt", path]
            try:
                code, out, err = _run(cmd, left)
            except TimeoutError as exc:
                notes.append(str(exc))
                continue
            if tool == "catdoc" and _latin_mojibake(out):
                code, out, err = _run(
                    ["catdoc", "-w", "-s", "cp874", "-d", "utf-8", path],
                    max(1.0, min(deadline - time.monotonic(), tool_seconds)),
                )
            if tool == "antiword":
                out = _antiword_tables(out)
            if code != 0 or not out.strip():
                log.info("%s gave no text (exit %s): %s", tool, code, err[:200])
                if err:
                    notes.append(f"{tool}: {err[:200]}")
                continue
            candidates.append((tool, out))
    if not candidates and fallback and fallback.strip():
        return fallback, "word97-pieces", notes
    if not candidates:
        raise UnreadableAttachment(
            f"{what}: no text from {' or '.join(found)}" + (f" ({notes[-1]})" if notes else "")
        )
    # catdoc first; antiword only if it found clearly more (catdoc drops a final table).
    best_tool, best = candidates[0]
    for tool, text in candidates[1:]:
        if _useful_chars(text) > _useful_chars(best) + 5:
            best_tool, best = tool, text
    return best, best_tool, [n for n in notes if not n.startswith(best_tool)]


def _finish(result: ReadResult, text: str, limits: ReadLimits) -> ReadResult:
    from areaplan.core.thai_text import normalize  # lazy: another module owner

    text = normalize(text.replace("\x0c", "\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if len(text) > limits.max_text_chars:
        result.notes.append(f"text cut at {limits.max_text_chars} characters")
        text = text[: limits.max_text_chars]
    result.text = text
    if not text:
        result.notes.append("the document has no text")
    return result


def _check_size(data: bytes, limits: ReadLimits, what: str) -> None:
    if len(data) > limits.max_bytes:
        raise UnreadableAttachment(
            f"{what} is {len(data) / 2**20:.1f} MB, over the {limits.max_bytes / 2**20:.0f} MB limit"
        )


# --------------------------------------------------------------------------- public


def read_doc(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> ReadResult:
    """Read a Word 97-2003 .doc with catdoc (then antiword): kind "doc"."""
    _check_size(data, limits, "Word .doc file")
    if not data.startswith(OLE_MAGIC):
        raise UnreadableAttachment("not a Word 97-2003 document (no OLE2 header)")
    kind = ole_kind(data)
    if kind == "encrypted":
        raise UnreadableAttachment(
            "password-protected Office document; ask for an unprotected copy"
        )
    if kind != "doc":
        raise UnreadableAttachment(f"OLE2 file is not a Word document (looks like {kind})")
    if _word_encrypted(data):
        raise UnreadableAttachment("password-protected Word document; ask for an unprotected copy")
    own = word97_text(data, limits.max_text_chars)
    # A file the built-in reader cannot follow is damaged or odd: catdoc may loop on it.
    seconds = TOOL_SECONDS if own is not None else SUSPECT_TOOL_SECONDS
    text, tool, notes = _with_tools(
        data, ".doc", "a Word 97-2003 .doc", limits, ["catdoc", "antiword"], seconds, own
    )
    if own and tool != "word97-pieces" and _useful_chars(own) > _useful_chars(text) + 5:
        notes.append(f"{tool} missed part of the text; read with the built-in Word 97 reader")
        text, tool = own, "word97-pieces"
    result = ReadResult(kind="doc", method=tool, notes=notes)
    return _finish(result, text, limits)


def read_rtf(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> ReadResult:
    """Read an RTF file with catdoc (it follows \\ansicpg874 and \\uN escapes): kind "rtf"."""
    _check_size(data, limits, "RTF file")
    if not data.lstrip()[:5] == b"{\\rtf":
        raise UnreadableAttachment("not an RTF file")
    text, tool, notes = _with_tools(
        data, ".rtf", "an RTF document", limits, ["catdoc"], TOOL_SECONDS
    )
    return _finish(ReadResult(kind="rtf", method=tool, notes=notes), text, limits)


# --------------------------------------------------------------------------- ODT

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ODF_SKIP = {
    f"{{{_TEXT}}}tracked-changes",
    f"{{{_TEXT}}}note-citation",
    f"{{{_OFFICE}}}annotation",
    f"{{{_TEXT}}}sequence-decls",
}


class _OdtText:
    """Text of an ODF content.xml: paragraphs/headings as lines, tables as ``cell | cell``."""

    _ROW_GROUPS = {
        f"{{{_TABLE}}}{n}" for n in ("table-header-rows", "table-row-group", "table-rows")
    }

    def __init__(self, deadline: float):
        self.deadline = deadline
        self.count = 0

    def blocks(self, children: Iterable[etree._Element], out: list[str]) -> None:
        for child in children:
            tag = child.tag
            if not isinstance(tag, str) or tag in _ODF_SKIP:
                continue
            self.count += 1
            if self.count % 500 == 0 and time.monotonic() > self.deadline:
                raise TimeoutError
            if tag in (f"{{{_TEXT}}}p", f"{{{_TEXT}}}h"):
                out.extend(self.inline(child).split("\n"))
            elif tag == f"{{{_TABLE}}}table":
                self.table(child, out)
            else:
                self.blocks(child, out)

    def inline(self, el: etree._Element) -> str:
        parts = [el.text or ""]
        for child in el:
            tag = child.tag
            if isinstance(tag, str) and tag not in _ODF_SKIP:
                if tag == f"{{{_TEXT}}}tab":
                    parts.append("\t")
                elif tag == f"{{{_TEXT}}}line-break":
                    parts.append("\n")
                elif tag == f"{{{_TEXT}}}s":
                    count = child.get(f"{{{_TEXT}}}c", "1")
                    parts.append(" " * min(int(count) if count.isdigit() else 1, 100))
                elif tag != f"{{{_TEXT}}}note":
                    parts.append(self.inline(child))
            parts.append(child.tail or "")
        return "".join(parts)

    def rows(self, el: etree._Element) -> list[etree._Element]:
        found: list[etree._Element] = []
        for child in el:
            if child.tag == f"{{{_TABLE}}}table-row":
                found.append(child)
            elif child.tag in self._ROW_GROUPS:
                found.extend(self.rows(child))
        return found

    def table(self, tbl: etree._Element, out: list[str]) -> None:
        for row in self.rows(tbl):
            cells: list[str] = []
            nested: list[str] = []
            for cell in row:
                if cell.tag != f"{{{_TABLE}}}table-cell":
                    continue  # covered-table-cell: merged into the cell before it
                inner: list[str] = []
                for child in cell:
                    if child.tag == f"{{{_TABLE}}}table":
                        self.table(child, nested)
                    else:
                        self.blocks([child], inner)
                cells.append(" ".join(t.strip() for t in inner if t.strip()))
            if any(cells):
                out.append(" | ".join(cells).rstrip())
            out.extend(nested)


def read_odt(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> ReadResult:
    """Read an OpenDocument text (.odt) from content.xml: kind "odt"."""
    from areaplan.parsers.docx import refuse_dtds  # shared DTD/entity check

    deadline = time.monotonic() + limits.max_seconds
    zf = open_zip_checked(data, limits, "ODT document")
    with zf:
        refuse_dtds(zf, limits, deadline, "ODT document")
        try:
            info = zf.getinfo("content.xml")
        except KeyError:
            raise UnreadableAttachment("ODT document without content.xml") from None
        xml = read_member(zf, info, info.file_size) or b""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadableAttachment(f"ODT content.xml is damaged ({exc})") from None
    body = root.find(f"{{{_OFFICE}}}body")
    walker = _OdtText(deadline)
    lines: list[str] = []
    result = ReadResult(kind="odt", method="odt-xml")
    changes = sum(len(tc) for tc in root.iter(f"{{{_TEXT}}}tracked-changes"))
    if changes:  # the deletions live in text:tracked-changes (skipped): read as if accepted
        from areaplan.core.reasons import Reason

        result.notes.append(f"{changes} tracked change(s) pending: read as if accepted")
        result.reasons.append(Reason("attachment.changes_pending", "attachment", evidence=f"{changes} แห่ง",
                                     detail=f"{changes} tracked changes read as accepted"))
    try:
        walker.blocks(body if body is not None else root, lines)
    except TimeoutError:
        result.problems.append(f"stopped after {limits.max_seconds:.0f} s: text is incomplete")
    return _finish(result, "\n".join(lines), limits)
