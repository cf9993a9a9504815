"""Read a Word .docx: all text in document order, tables as ``cell | cell`` lines, images.

Before python-docx sees the file, the ZIP is checked (entry count, inflated size,
compression ratio, see :func:`parsers.archive.open_zip_checked`), and any XML part that
declares a DTD or entities is refused (billion laughs). python-docx opens the package.
The text is read here from its XML tree, in document order:

* paragraphs, with tabs kept as ``\\t``;
* tables, one line per row, cells joined by ``" | "``. A horizontally merged cell
  (``gridSpan``/``hMerge``) comes once. A vertically merged continuation cell
  (``vMerge``) is left empty, so the columns stay aligned. Nested tables follow the row
  that holds them;
* text boxes (``w:txbxContent``) after the paragraph that anchors them. The VML copy
  inside ``mc:Fallback`` is skipped, so a text box does not appear twice;
* content controls (``w:sdt``) as answers, but not their placeholder ("Click here to enter
  text.": ``w:showingPlcHdr``, or Word's placeholder wording); legacy form fields as their
  result (FORMTEXT: the runs between ``fldChar`` separate and end; FORMCHECKBOX as ☑/☐;
  FORMDROPDOWN as the chosen entry); no field codes;
* tracked changes as if accepted: insertions and moves in, deletions and moved-from text out,
  a deleted table row left out, a deleted paragraph mark joining its paragraph to the next.
  A document with changes pending gets the note reason ``attachment.changes_pending``;
* comments are never text (they live in their own part, which is not read).

After the body come footnotes and endnotes, then the text of headers and footers (each
distinct line once). Pictures under ``word/media/`` become ExtractedImage values with
their size from Pillow. A ``.docm`` / ``.dotx``, which python-docx refuses, is read from
its XML directly (method "docx-xml").
"""

from __future__ import annotations

import io
import logging
import mimetypes
import posixpath
import re
import time
import zipfile
import zlib

from lxml import etree

from areaplan.core.reasons import Reason
from areaplan.parsers.archive import open_zip_checked, read_member
from areaplan.parsers.errors import UnreadableAttachment
from areaplan.parsers.images import image_info
from areaplan.parsers.types import ExtractedImage, ReadLimits, ReadResult

log = logging.getLogger(__name__)

DEFAULT_LIMITS = ReadLimits()
MAX_TABLE_NESTING = 20
# A main part larger than this is not built as a tree (an lxml tree takes ~15x the XML):
# it is read paragraph by paragraph instead, so a document of 1e6 paragraphs stays bounded.
MAX_TREE_BYTES = 8 * 2**20

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, TBL, TR, TC, SDT, SDT_CONTENT = (
    _w("p"),
    _w("tbl"),
    _w("tr"),
    _w("tc"),
    _w("sdt"),
    _w("sdtContent"),
)
T, TAB, BR, CR, TXBX = _w("t"), _w("tab"), _w("br"), _w("cr"), _w("txbxContent")
TCPR, VMERGE, HMERGE, VAL = _w("tcPr"), _w("vMerge"), _w("hMerge"), _w("val")
NOBREAK_HYPHEN, SYM, FLDCHAR = _w("noBreakHyphen"), _w("sym"), _w("fldChar")
INS, DEL, MOVE_FROM, MOVE_TO = _w("ins"), _w("del"), _w("moveFrom"), _w("moveTo")
# Word's placeholder text of an empty content control, in the languages Thai offices use.
_PLACEHOLDERS = re.compile(
    r"^\s*(?:click (?:or tap )?(?:here )?to enter (?:a )?(?:text|date)\.?|choose an item\.?"
    r"|คลิก(?:หรือแตะ)?(?:ที่นี่)?เพื่อ(?:ใส่|ป้อน)(?:ข้อความ|วันที่)|เลือกรายการ(?:\s?\.)?)\s*$",
    re.IGNORECASE,
)
# Wingdings/Symbol glyphs that Thai forms use for tick boxes (w:sym w:char).
_SYMBOLS = {
    "F0A8": "☐",
    "F06F": "☐",
    "F0FE": "☑",
    "F078": "☒",
    "F0FD": "☒",
    "F0FC": "✓",
    "F0FB": "✗",
    "F0A1": "○",
    "F0A4": "◉",
    "F09F": "•",
    "F0B7": "•",
}
_CHANGES = {INS, DEL, MOVE_FROM, MOVE_TO}
MC_FALLBACK = f"{{{MC}}}Fallback"
MATH_T = f"{{{M}}}t"
# Subtrees with no text a reader sees: properties, deleted text, field codes, moved-from.
_SKIP = {
    _w("pPr"),
    _w("rPr"),
    _w("tblPr"),
    _w("trPr"),
    _w("tcPr"),
    _w("sectPr"),
    _w("delText"),
    _w("del"),
    _w("instrText"),
    _w("delInstrText"),
    _w("moveFrom"),
    _w("fldData"),
    _w("sdtPr"),
    _w("sdtEndPr"),
    _w("tblGrid"),
    _w("tblPrEx"),
    MC_FALLBACK,
}
_CONTAINERS = {
    SDT_CONTENT,
    _w("customXml"),
    _w("ins"),
    _w("moveTo"),
    _w("smartTag"),
    _w("body"),
    _w("txbxContent"),
    _w("hdr"),
    _w("ftr"),
    _w("footnote"),
    _w("endnote"),
    _w("footnotes"),
    _w("endnotes"),
    _w("comment"),
}

_DTD_MARKERS = tuple(
    marker.encode(enc)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for enc in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_DTD_TAIL = max(len(m) for m in _DTD_MARKERS) - 1  # a marker split across two chunks is seen
_SAFE_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_blank_text=False,
)


class _TimeUp(Exception):
    pass


# --------------------------------------------------------------------------- checks


def _xml_members(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    media = ("word/media/", "word/embeddings/", "media/", "Pictures/")
    return [i for i in zf.infolist() if not i.is_dir() and not i.filename.startswith(media)]


# How an XML part starts, per the XML spec's appendix F: byte-order marks and the first
# characters "<?" in each encoding family. Office writes UTF-8, sometimes UTF-16.
_XML_STARTS = (
    (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\x00<", "utf-32"), (b"<\x00\x00\x00", "utf-32"),
    (b"\x00\x00<\x00", "utf-32"), (b"\x00<\x00\x00", "utf-32"),
    (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "ebcdic"),
)
_DECLARED = re.compile(r"""^\ufeff?<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_XML_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "us-ascii", "ascii"}
_XML_PARTS = (".xml", ".rels", ".vml")


def xml_encoding_problem(head: bytes) -> str | None:
    """Why an XML part's encoding is refused (UTF-32, EBCDIC, an unusual declared encoding
    in which DTD markers could hide), or None for UTF-8/UTF-16."""
    family = "utf-8"
    for start, name in _XML_STARTS:
        if head.startswith(start):
            family = name
            break
    if family in ("utf-32", "ebcdic"):
        return f"is encoded as {family.upper()}"
    text = head[:400].decode(family, "replace")
    m = _DECLARED.match(text)
    if m and m.group(1).lower().replace("_", "-") not in _XML_ENCODINGS:
        return f"declares the encoding {m.group(1)}"
    return None


def refuse_dtds(zf: zipfile.ZipFile, limits: ReadLimits, deadline: float, what: str) -> None:
    """Raise UnreadableAttachment if an XML part has a DOCTYPE or ENTITY declaration, or an
    encoding other than UTF-8/UTF-16 (UTF-32, UTF-7, EBCDIC ... in which the markers hide).

    Office never writes either; they are how "billion laughs" and external-entity attacks
    start. Each part is scanned as a stream (inflated size already checked by the caller).
    """
    odd_encoding = None  # said after the scan: a DTD found anywhere is the reason given
    for info in _xml_members(zf):
        tail = b""
        try:
            with zf.open(info) as stream:
                first = True
                while chunk := stream.read(1 << 16):
                    if first and odd_encoding is None and info.filename.lower().endswith(_XML_PARTS):
                        problem = xml_encoding_problem(chunk[:512])
                        if problem:
                            odd_encoding = f"{what} part {info.filename} {problem}; not opened"
                    first = False
                    window = tail + chunk
                    if any(m in window for m in _DTD_MARKERS):
                        raise UnreadableAttachment(
                            f"{what} part {info.filename} declares a DTD/entities "
                            "(possible billion-laughs attack); not opened"
                        )
                    tail = window[-_DTD_TAIL:]
                    if time.monotonic() > deadline:
                        raise UnreadableAttachment(
                            f"{what} check took longer than {limits.max_seconds:.0f} s"
                        )
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise UnreadableAttachment(f"{what} part {info.filename} is damaged ({exc})") from None
    if odd_encoding:
        raise UnreadableAttachment(odd_encoding)


# --------------------------------------------------------------------------- text walker


class _Walker:
    """Collects the text lines of WordprocessingML trees."""

    def __init__(self, deadline: float):
        self.deadline = deadline
        self.nodes = 0
        self.deep_tables = 0
        self.changes = 0  # tracked changes seen (insertions, deletions, moves)
        self.placeholders = 0  # content controls showing their placeholder
        self.carry = ""  # text of a paragraph whose mark was deleted, for the next paragraph

    def _tick(self) -> None:
        self.nodes += 1
        if self.nodes % 500 == 0 and time.monotonic() > self.deadline:
            raise _TimeUp

    def blocks(self, el, out: list[str], depth: int = 0) -> None:
        """Block-level children of ``el`` (body, cell, text box, header ...) into ``out``."""
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            self._tick()
            if tag == P:
                self.paragraph(child, out, depth)
            elif tag == TBL:
                self.table(child, out, depth + 1)
            elif tag == SDT:
                content = self.sdt_content(child)
                if content is not None:
                    self.blocks(content, out, depth)
            elif tag in _CONTAINERS:
                self.changes += tag in (INS, MOVE_TO)
                self.blocks(child, out, depth)
            elif tag in (DEL, MOVE_FROM):
                self.changes += 1
            elif tag == _w("altChunk"):
                out.append("[embedded document part (altChunk) not read]")

    def sdt_content(self, sdt: etree._Element) -> etree._Element | None:
        """A content control's content, or None while it shows its placeholder."""
        props = sdt.find(_w("sdtPr"))
        if props is not None and props.find(_w("showingPlcHdr")) is not None:
            self.placeholders += 1
            return None
        content = sdt.find(SDT_CONTENT)
        if content is not None and _PLACEHOLDERS.match("".join(t.text or "" for t in content.iter(T))):
            self.placeholders += 1
            return None
        return content

    def paragraph(self, p: etree._Element, out: list[str], depth: int) -> None:
        parts: list[str] = [self.carry]
        self.carry = ""
        boxes: list[etree._Element] = []
        self._inline(p, parts, boxes)
        text = "".join(parts)
        mark = p.find(f"{_w('pPr')}/{_w('rPr')}/{DEL}")
        if mark is not None:  # its paragraph mark was deleted: accepted, it joins the next one
            self.changes += 1
            self.carry = text
        else:
            out.extend(text.split("\n"))
        self._boxes(boxes, out, depth)

    def _boxes(self, boxes: list[etree._Element], out: list[str], depth: int) -> None:
        for box in boxes:
            if box.tag == TBL:
                self.table(box, out, depth + 1)
            else:
                self.blocks(box, out, depth)

    def _inline(self, el: etree._Element, parts: list[str], boxes: list[etree._Element]) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag in _CHANGES:
                self.changes += 1
            if tag in _SKIP:
                continue
            if tag == T or tag == MATH_T:
                parts.append(child.text or "")
            elif tag == TAB:
                parts.append("\t")
            elif tag in (BR, CR):
                parts.append("\n")
            elif tag == NOBREAK_HYPHEN:
                parts.append("-")
            elif tag == SYM:
                parts.append(_SYMBOLS.get((child.get(_w("char")) or "").upper(), ""))
            elif tag == FLDCHAR:
                parts.append(_form_field(child))
            elif tag == SDT:
                content = self.sdt_content(child)
                if content is not None:
                    self._inline(content, parts, boxes)
            elif tag == TXBX:
                boxes.append(child)
            elif tag == TBL:  # a block inside inline content (malformed, but seen)
                boxes.append(child)
            elif tag == P:
                parts.append("\n")
                self._inline(child, parts, boxes)
            else:
                self._inline(child, parts, boxes)

    def _rows(self, el: etree._Element, tag: str) -> list[etree._Element]:
        """Children named ``tag``, looking through content controls and custom XML."""
        found: list[etree._Element] = []
        for child in el:
            if child.tag == tag:
                found.append(child)
            elif child.tag in (SDT, SDT_CONTENT, _w("customXml")):
                found.extend(self._rows(child, tag))
        return found

    def table(self, tbl: etree._Element, out: list[str], depth: int) -> None:
        if depth > MAX_TABLE_NESTING:
            self.deep_tables += 1
            return
        for tr in self._rows(tbl, TR):
            self._tick()
            if tr.find(f"{_w('trPr')}/{DEL}") is not None:  # a deleted row: accepted, it is gone
                self.changes += 1
                continue
            cells: list[str] = []
            nested: list[str] = []
            for tc in self._rows(tr, TC):
                tcpr = tc.find(TCPR)
                if tcpr is not None:
                    hmerge = tcpr.find(HMERGE)
                    if hmerge is not None and hmerge.get(VAL) != "restart":
                        continue  # legacy horizontal merge: the first cell holds the text
                    vmerge = tcpr.find(VMERGE)
                    if vmerge is not None and vmerge.get(VAL) != "restart":
                        cells.append("")  # vertical merge continuation: text is above
                        continue
                cells.append(self.cell(tc, nested, depth))
            if any(c.strip() for c in cells):
                out.append(" | ".join(cells).rstrip())
            out.extend(nested)

    def cell(self, tc: etree._Element, nested: list[str], depth: int) -> str:
        """Text of one cell on one line; nested tables and text boxes go to ``nested``."""
        texts: list[str] = []
        for child in tc:
            tag = child.tag
            if tag == P:
                parts: list[str] = []
                boxes: list[etree._Element] = []
                self._inline(child, parts, boxes)
                texts.append("".join(parts).replace("\n", " ").strip())
                self._boxes(boxes, nested, depth)
            elif tag == TBL:
                self.table(child, nested, depth + 1)
            elif tag in (SDT, _w("customXml"), INS, MOVE_TO):
                inner: list[str] = []
                self.blocks([child] if tag == SDT else child, inner, depth)
                texts.extend(t.strip() for t in inner)
            elif tag in (DEL, MOVE_FROM):
                self.changes += 1
        return " ".join(t for t in texts if t)


def _form_field(fld_char: etree._Element) -> str:
    """☑/☐ for a legacy check box (FORMCHECKBOX), the chosen entry of a drop-down
    (FORMDROPDOWN: Word writes no result runs for it), else "" (a FORMTEXT's answer is in the
    result runs that follow, read as ordinary text)."""
    dropdown = fld_char.find(f"{_w('ffData')}/{_w('ddList')}")
    if dropdown is not None:
        entries = [e.get(VAL, "") for e in dropdown.findall(_w("listEntry"))]
        chosen = dropdown.find(_w("result"))
        if chosen is None:
            chosen = dropdown.find(_w("default"))
        index = int(chosen.get(VAL, "0")) if chosen is not None and (chosen.get(VAL) or "0").isdigit() else 0
        return entries[index] if 0 <= index < len(entries) else ""
    box = fld_char.find(f"{_w('ffData')}/{_w('checkBox')}")
    if box is None:
        return ""
    state = box.find(_w("checked"))
    if state is None:
        state = box.find(_w("default"))
        on = state is not None and state.get(VAL, "0") in ("1", "true", "on")
    else:
        on = state.get(VAL, "1") not in ("0", "false", "off")
    return "☑" if on else "☐"


# --------------------------------------------------------------------------- parts


def _package_parts(data: bytes, zf: zipfile.ZipFile) -> tuple[etree._Element, list, list, str]:
    """(body, notes roots, header/footer roots, method) via python-docx, else raw XML."""
    try:
        import docx
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        document = docx.Document(io.BytesIO(data))
    except (ValueError, KeyError) as exc:  # e.g. .docm/.dotx content type, odd packages
        log.info("python-docx refused the package (%s); reading its XML", exc)
        return _raw_parts(zf)
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types on bad input
        raise UnreadableAttachment(
            f"not a valid Word document ({type(exc).__name__}: {exc})"
        ) from None
    notes: list[etree._Element] = []
    margins: list[etree._Element] = []
    seen: set[str] = set()
    for rel in document.part.rels.values():
        if rel.is_external or rel.reltype not in (RT.HEADER, RT.FOOTER, RT.FOOTNOTES, RT.ENDNOTES):
            continue
        part = rel.target_part
        if str(part.partname) in seen:
            continue
        seen.add(str(part.partname))
        root = getattr(part, "element", None)
        if root is None:
            root = _parse_blob(part.blob, str(part.partname))
        if root is None:
            continue
        (margins if rel.reltype in (RT.HEADER, RT.FOOTER) else notes).append(root)
    return document.element.body, notes, margins, "python-docx"


def _parse_blob(blob: bytes, name: str) -> etree._Element | None:
    try:
        return etree.fromstring(blob, _SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        log.info("XML part %s not parsed: %s", name, exc)
        return None


def _raw_parts(zf: zipfile.ZipFile) -> tuple[etree._Element, list, list, str]:
    """Find the main document part through _rels/.rels and parse parts with a safe parser."""
    main = "word/document.xml"
    rels = _read_xml(zf, "_rels/.rels")
    if rels is not None:
        for rel in rels.iter(f"{{{RELS}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                main = rel.get("Target", main).lstrip("/")
    root = _read_xml(zf, main)
    if root is None:
        raise UnreadableAttachment("not a Word document (no main document part)")
    body = root.find(_w("body"))
    if body is None:
        raise UnreadableAttachment("Word document without a body (Strict OOXML is not read)")
    notes, margins = [], []
    base = posixpath.dirname(main)
    doc_rels = _read_xml(zf, posixpath.join(base, "_rels", posixpath.basename(main) + ".rels"))
    if doc_rels is not None:
        for rel in doc_rels.iter(f"{{{RELS}}}Relationship"):
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            if kind in ("header", "footer", "footnotes", "endnotes"):
                part = _read_xml(
                    zf, posixpath.normpath(posixpath.join(base, rel.get("Target", "")))
                )
                if part is not None:
                    (margins if kind in ("header", "footer") else notes).append(part)
    return body, notes, margins, "docx-xml"


def _read_xml(zf: zipfile.ZipFile, name: str) -> etree._Element | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    data = read_member(zf, info, info.file_size)
    return _parse_blob(data or b"", name)


def _images(zf: zipfile.ZipFile, limits: ReadLimits, result: ReadResult) -> None:
    media = [i for i in zf.infolist() if i.filename.startswith("word/media/") and not i.is_dir()]
    for info in media[: limits.max_images]:
        data = read_member(zf, info, info.file_size)
        if not data:
            continue
        guessed = mimetypes.guess_type(info.filename)[0] or "application/octet-stream"
        meta = image_info(data, guessed)
        result.images.append(
            ExtractedImage(
                data=data,
                filename=posixpath.basename(info.filename),
                mime_type=meta.mime_type,
                width=meta.width,
                height=meta.height,
                source="docx",
            )
        )
    if len(media) > limits.max_images:
        result.notes.append(f"{len(media)} pictures; only the first {limits.max_images} kept")
    embedded = [i for i in zf.infolist() if i.filename.startswith("word/embeddings/")]
    if embedded:
        result.notes.append(f"{len(embedded)} embedded object(s) (word/embeddings) not read")


def _squeeze_blank_lines(text: str) -> str:
    """At most one empty line in a row (Word documents are full of empty paragraphs)."""
    out: list[str] = []
    for line in text.split("\n"):
        if line.strip() or (out and out[-1].strip()):
            out.append(line if line.strip() else "")
    return "\n".join(out)


def _normalize(text: str) -> str:
    from areaplan.core.thai_text import normalize  # lazy: another module owner

    return normalize(text)


def _main_part(zf: zipfile.ZipFile) -> zipfile.ZipInfo | None:
    try:
        return zf.getinfo("word/document.xml")
    except KeyError:
        return None


def _read_streamed(
    zf: zipfile.ZipFile, main: zipfile.ZipInfo, limits: ReadLimits, deadline: float
) -> ReadResult:
    """A main part too large for a tree: its paragraphs in order, one at a time (bounded memory).

    Table layout is not kept (each cell's paragraphs are lines of their own).
    """
    result = ReadResult(kind="docx", method="docx-stream")
    result.notes.append(
        f"large document ({main.file_size / 2**20:.0f} MB of text XML): read paragraph by "
        "paragraph; table layout not kept"
    )
    lines: list[str] = []
    chars = 0
    try:
        with zf.open(main) as stream:
            events = etree.iterparse(
                stream, events=("end",), tag=(P, TR), resolve_entities=False, no_network=True,
                load_dtd=False, huge_tree=False,
            )
            for _event, el in events:
                if el.tag == P:
                    text = "".join(t.text or "" for t in el.iter(T))
                    lines.append(text)
                    chars += len(text) + 1
                el.clear(keep_tail=False)
                parent = el.getparent()
                while parent is not None and el.getprevious() is not None:
                    del parent[0]  # what was already read is dropped: memory stays flat
                if chars > limits.max_text_chars:
                    break
                if time.monotonic() > deadline:
                    result.problems.append(
                        f"stopped after {limits.max_seconds:.0f} s: text is incomplete"
                    )
                    break
    except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        result.problems.append(f"Word document text damaged; read up to the damage ({exc})")
    _images(zf, limits, result)
    text = _squeeze_blank_lines(_normalize("\n".join(lines)))
    if len(text) > limits.max_text_chars:
        result.notes.append(f"text cut at {limits.max_text_chars} characters")
        text = text[: limits.max_text_chars]
    result.text = text.strip("\n")
    return result


def _change_notes(walker: _Walker, result: ReadResult) -> None:
    if walker.changes:
        result.notes.append(f"{walker.changes} tracked change(s) pending: read as if accepted")
        result.reasons.append(Reason("attachment.changes_pending", "attachment",
                                     evidence=f"{walker.changes} แห่ง",
                                     detail=f"{walker.changes} tracked changes read as accepted"))
    if walker.placeholders:
        result.notes.append(f"{walker.placeholders} content control(s) still showing their placeholder: "
                            "not taken as answers")


def read_docx(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> ReadResult:
    """Read a .docx: kind "docx", text in document order, images from word/media.

    Raises UnreadableAttachment for damaged, hostile or over-limit files.
    """
    deadline = time.monotonic() + limits.max_seconds
    zf = open_zip_checked(data, limits, "Word document")
    with zf:
        refuse_dtds(zf, limits, deadline, "Word document")
        main = _main_part(zf)
        if main is not None and main.file_size > MAX_TREE_BYTES:
            return _read_streamed(zf, main, limits, deadline)
        body, notes, margins, method = _package_parts(data, zf)
        result = ReadResult(kind="docx", method=method)
        walker = _Walker(deadline)
        lines: list[str] = []
        try:
            walker.blocks(body, lines)
            for root in notes:
                walker.blocks(root, lines)
            margin_lines: list[str] = []
            for root in margins:
                walker.blocks(root, margin_lines)
            lines.extend(dict.fromkeys(ln for ln in margin_lines if ln.strip()))
        except _TimeUp:
            result.problems.append(f"stopped after {limits.max_seconds:.0f} s: text is incomplete")
        if walker.carry:
            lines.append(walker.carry)
        _change_notes(walker, result)
        if walker.deep_tables:
            result.notes.append(f"tables nested deeper than {MAX_TABLE_NESTING} levels not read")
        _images(zf, limits, result)
    text = _squeeze_blank_lines(_normalize("\n".join(lines)))
    if len(text) > limits.max_text_chars:
        result.notes.append(f"text cut at {limits.max_text_chars} characters")
        text = text[: limits.max_text_chars]
    result.text = text.strip("\n")
    if not result.text.strip() and not result.images:
        result.notes.append("the document has no text")
    return result
