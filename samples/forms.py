"""Documents and images attached to the synthetic mail.

* :class:`FormFill` holds one filled-in "role model district" report form
  (แบบฟอร์มการคัดเลือกอำเภอต้นแบบ (Role Model)) *as the province typed it*; it
  renders to prose lines (:func:`form_lines`), to the 2-column table layout
  (:func:`form_rows`), to HTML, or to a DOCX file (:func:`build_docx`).
* :func:`soffice_convert` turns many DOCX files into PDF (or legacy .doc) in one
  LibreOffice run; :func:`normalize_pdf` makes the result byte-reproducible.
* :func:`make_photo`, :func:`make_chart_png`, :func:`make_scanned_pdf` and
  :func:`make_zip` build the other attachments with Pillow / zipfile only.

Everything is deterministic given the ``random.Random`` passed in.
"""

from __future__ import annotations

import hashlib
import html
import io
import random
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
FONT_DIR = Path("/usr/share/fonts/truetype/tlwg")

TITLE_LINES = [
    "แบบฟอร์มการคัดเลือก",
    "อำเภอต้นแบบ (Role Model)",
    "ตามโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team)",
]
INTRO = (
    "ตามที่ กรมการปกครอง ได้กำหนดแผนปฏิบัติการ (Action Plan) ในการขับเคลื่อนโครงการพัฒนาตำบล"
    "แบบบูรณาการ (Tambon Smart Team) เป็น ๓ ระยะ ซึ่งในระยะที่ ๓ การนำข้อมูลไปใช้ประโยชน์ "
    "ได้กำหนดเป้าหมายของโครงการฯ ให้อำเภอสามารถนำข้อมูลไปใช้ประโยชน์ในการพัฒนาพื้นที่ได้อย่างมี"
    "ประสิทธิภาพและเป็นรูปธรรม และมอบหมายให้ที่ทำการปกครองจังหวัด พิจารณาคัดเลือกอำเภอต้นแบบ "
    "(Role Model) จำนวน ๑ อำเภอ ตามหลักเกณฑ์การคัดเลือกที่กรมการปกครองกำหนดส่งให้ผู้ตรวจราชการ"
    "กรมการปกครองประจำเขตตรวจราชการ นั้น"
)
REMARKS = [
    "หมายเหตุ",
    "๑. ให้ที่ทำการปกครองจังหวัด พิจารณาคัดเลือกอำเภอต้นแบบ (Role Model) ตามโครงการพัฒนาตำบล"
    "แบบบูรณาการ (Tambon Smart Team) จังหวัดละ ๑ อำเภอ เท่านั้น",
    "๒. ขอให้แนบรายละเอียดผลการปฏิบัติงานที่โดดเด่น รวมทั้งภาพประกอบการดำเนินงาน ส่งให้ผู้ตรวจ"
    "ราชการกรมการปกครอง ประจำเขตตรวจราชการ ทางเอกสาร และสำเนาให้กองวิชาการ และแผนงาน "
    "ทางไปรษณีย์อิเล็กทรอนิกส์ dopa.areaplan@gmail.com ภายในวันที่ ๓๑ มีนาคม ๒๕๖๔",
]
ROLE_SENTENCE = (
    "เป็นอำเภอต้นแบบ (Role Model) ตามโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team) "
    "โดยมีผลการปฏิบัติงานที่โดดเด่น ตามหลักเกณฑ์การคัดเลือกฯ คือ"
)


def thai_digits(text: str) -> str:
    """Replace ASCII digits with Thai digits (๐-๙)."""
    return text.translate(THAI_DIGITS)


# --------------------------------------------------------------------------
# The form
# --------------------------------------------------------------------------


@dataclass
class FormFill:
    """One report form, filled in the way a province typed it.

    Slot values are the literal text typed into the blanks (``province`` is
    what follows ``ที่ทำการปกครองจังหวัด``, ``district`` what follows
    ``ได้พิจารณาคัดเลือกอำเภอ``).  ``slot_style`` says how the dotted blanks
    were treated:

    ``dots``        answer between dots   ``.....น่าน.....``
    ``dots_after``  typed over the start  ``น่าน..........``
    ``plain``       dots removed          ``จังหวัดน่าน``
    ``spaced``      dots replaced by spaces ``จังหวัด  น่าน  ``
    ``nextline``    blank kept, answer on the next line
    """

    zone: str
    province: str
    district: str
    criteria: list[str]
    reporter: str
    reporter_position: str
    coordinator: str
    coordinator_position: str
    phone: str
    slot_style: str = "dots"
    leader: str = "....."
    zone_prefix: str = "เขต"
    header_note: bool = True
    keep_intro: bool = True
    keep_remarks: bool = False
    date_line: str | None = None
    letter_no: str | None = None
    extra_lines: list[str] = field(default_factory=list)


def slot(fill: FormFill, value: str) -> str:
    """Render one blank with its answer according to ``fill.slot_style``."""
    lead = fill.leader
    style = fill.slot_style
    if style == "dots":
        return f"{lead}{value}{lead}"
    if style == "dots_after":
        return f"{value}{lead}{lead}"
    if style == "spaced":
        return f"  {value}  "
    if style == "nextline":
        return f"{lead}\n{value}\n"
    return value


def form_lines(fill: FormFill) -> list[str]:
    """The prose form as a list of paragraphs (a paragraph may contain ``\\n``)."""
    lines: list[str] = []
    if fill.header_note:
        lines.append("สำหรับ ทปค.จ.")
    if fill.letter_no:
        lines.append(fill.letter_no)
    lines.extend(TITLE_LINES)
    if fill.date_line:
        lines.append(fill.date_line)
    sep = "" if fill.slot_style in ("dots", "dots_after", "nextline") else " "
    lines.append(
        f"เรียน ผู้ตรวจราชการกรมการปกครอง {fill.zone_prefix}{sep}{slot(fill, fill.zone)}".rstrip()
    )
    if fill.keep_intro:
        lines.append(INTRO)
    prov = slot(fill, fill.province)
    dist = slot(fill, fill.district)
    if fill.slot_style == "plain":
        lines.append(f"ที่ทำการปกครองจังหวัด{fill.province} ได้พิจารณาคัดเลือกอำเภอ{fill.district}")
    else:
        lines.append(f"ที่ทำการปกครองจังหวัด{prov}ได้พิจารณาคัดเลือกอำเภอ{dist}")
    lines.append(ROLE_SENTENCE + ("" if fill.slot_style == "plain" else fill.leader))
    lines.extend(fill.criteria)
    lines.extend(fill.extra_lines)
    lines.append("จึงเรียนมาเพื่อโปรดพิจารณา")
    lines.append("ลงชื่อ : (ผู้รายงาน)")
    lines.append(f"({fill.reporter})")
    lines.append(f"ตำแหน่ง {fill.reporter_position}")
    lines.append(f"ผู้ประสานงาน {fill.coordinator} ตำแหน่ง {fill.coordinator_position}")
    lines.append(f"หมายเลขโทรศัพท์/โทรสาร {fill.phone}")
    if fill.keep_remarks:
        lines.extend(REMARKS)
    return [ln.replace("\n\n", "\n") for ln in lines]


def form_text(fill: FormFill, blank_lines: bool = True) -> str:
    """The prose form as plain text (for pasting into a mail body)."""
    joiner = "\n\n" if blank_lines else "\n"
    return joiner.join(form_lines(fill)) + "\n"


def form_rows(fill: FormFill, split_criteria: bool = False) -> list[tuple[str, str]]:
    """The form as ``(หัวข้อ, รายละเอียด)`` rows for the table layout."""
    rows = [
        ("เรียน", f"ผู้ตรวจราชการกรมการปกครอง {fill.zone_prefix} {fill.zone}"),
        ("ที่ทำการปกครองจังหวัด", fill.province),
        ("อำเภอที่ได้รับการคัดเลือก", fill.district),
    ]
    if split_criteria and len(fill.criteria) >= 4:
        heads = [
            "หลักเกณฑ์ที่ ๑ บทบาทของนายอำเภอ",
            "หลักเกณฑ์ที่ ๒ การจัดเก็บข้อมูลและการนำข้อมูลไปใช้ประโยชน์",
            "หลักเกณฑ์ที่ ๓ ผลการปฏิบัติงานของลูกจ้างเหมาบริการ",
            "หลักเกณฑ์ที่ ๔ การบูรณาการความร่วมมือ",
        ]
        for head, text in zip(heads, fill.criteria, strict=False):
            rows.append((head, text))
        for text in fill.criteria[4:]:
            rows.append(("อื่น ๆ", text))
    else:
        rows.append(("ผลการปฏิบัติงานที่โดดเด่น ตามหลักเกณฑ์การคัดเลือกฯ", "\n".join(fill.criteria)))
    rows += [
        ("ผู้รายงาน", fill.reporter),
        ("ตำแหน่ง", fill.reporter_position),
        ("ผู้ประสานงาน", f"{fill.coordinator} ตำแหน่ง {fill.coordinator_position}"),
        ("หมายเลขโทรศัพท์/โทรสาร", fill.phone),
    ]
    return rows


def form_html(fill: FormFill, table: bool, font: str = "TH SarabunPSK") -> str:
    """The form as an HTML fragment (prose ``<p>``s or a 2-column table)."""
    style = f"font-family:&quot;{font}&quot;,sans-serif;font-size:16pt"
    if table:
        out = [
            f'<p style="{style};text-align:center"><b>'
            + "<br>".join(map(html.escape, TITLE_LINES))
            + "</b></p>"
        ]
        out.append('<table border="1" cellspacing="0" cellpadding="4">')
        out.append("<tr><th>หัวข้อ</th><th>รายละเอียด</th></tr>")
        for k, v in form_rows(fill):
            out.append(
                f'<tr><td style="{style}">{html.escape(k)}</td>'
                f'<td style="{style}">{html.escape(v).replace(chr(10), "<br>")}</td></tr>'
            )
        out.append("</table>")
        return "\n".join(out)
    paras = []
    for ln in form_lines(fill):
        paras.append(
            f'<p class="MsoNormal" style="{style}">{html.escape(ln).replace(chr(10), "<br>")}</p>'
        )
    return "\n".join(paras)


# --------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------


@dataclass
class DocMeta:
    """Font and core properties of a generated Word file."""

    font: str = "TH SarabunIT๙"
    size_pt: int = 16
    author: str = "User"
    created: datetime = datetime(2021, 3, 29, 9, 0, 0)
    modified: datetime | None = None
    title: str = ""


def _set_font(style_or_run, font: str, size_pt: int | None = None) -> None:
    """Set Latin *and* complex-script (Thai) font on a style or run."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style_or_run.font.name = font
    if size_pt:
        style_or_run.font.size = Pt(size_pt)
    el = style_or_run.element
    rpr = el.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), font)
    if size_pt:
        szcs = rpr.find(qn("w:szCs"))
        if szcs is None:
            szcs = rpr.makeelement(qn("w:szCs"), {})
            rpr.append(szcs)
        szcs.set(qn("w:val"), str(size_pt * 2))


def _new_document(meta: DocMeta):
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    _set_font(doc.styles["Normal"], meta.font, meta.size_pt)
    pf = doc.styles["Normal"].paragraph_format
    pf.space_after = 0
    pf.space_before = 0
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin, sec.right_margin = Cm(3.0), Cm(2.0)
    sec.top_margin, sec.bottom_margin = Cm(2.0), Cm(2.0)
    cp = doc.core_properties
    cp.author = meta.author
    cp.last_modified_by = meta.author
    cp.created = meta.created
    cp.modified = meta.modified or meta.created
    cp.last_printed = meta.created
    cp.revision = 3
    cp.title = meta.title
    cp.comments = ""
    return doc


def _paragraph(
    doc, text: str, bold: bool = False, center: bool = False, indent: bool = False
) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    p = doc.add_paragraph()
    parts = text.split("\n")
    for i, part in enumerate(parts):
        run = p.add_run(part)
        run.bold = bold
        if i < len(parts) - 1:
            run.add_break()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        p.paragraph_format.first_line_indent = Cm(2.5)


def _save(doc, meta: DocMeta) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return normalize_zip(buf.getvalue(), meta.modified or meta.created)


def _add_images(doc, images: list[bytes], caption: str) -> None:
    from docx.shared import Cm

    if not images:
        return
    _paragraph(doc, caption, bold=True, center=True)
    for img in images:
        doc.add_picture(io.BytesIO(img), width=Cm(8))


def build_form_docx(
    fill: FormFill,
    meta: DocMeta,
    table: bool = False,
    split_criteria: bool = False,
    images: list[bytes] | None = None,
) -> bytes:
    """Write the filled-in form as a DOCX (prose layout or 2-column table)."""
    doc = _new_document(meta)
    if table:
        if fill.header_note:
            _paragraph(doc, "สำหรับ ทปค.จ.")
        for t in TITLE_LINES:
            _paragraph(doc, t, bold=True, center=True)
        rows = form_rows(fill, split_criteria=split_criteria)
        tbl = doc.add_table(rows=1, cols=2)
        tbl.style = "Table Grid"
        tbl.rows[0].cells[0].text = "หัวข้อ"
        tbl.rows[0].cells[1].text = "รายละเอียด"
        for k, v in rows:
            cells = tbl.add_row().cells
            cells[0].text = k
            cells[1].text = v
        _paragraph(doc, "")
        _paragraph(doc, "จึงเรียนมาเพื่อโปรดพิจารณา", indent=True)
    else:
        lines = form_lines(fill)
        for ln in lines:
            is_title = ln in TITLE_LINES
            indent = ln.startswith(("ตามที่", "ที่ทำการปกครองจังหวัด", "จึงเรียน"))
            _paragraph(
                doc,
                ln,
                bold=is_title,
                center=is_title or ln.startswith("(") and len(ln) < 60,
                indent=indent,
            )
    _add_images(doc, images or [], "ภาพประกอบการดำเนินงาน")
    return _save(doc, meta)


def build_text_docx(
    paragraphs: list[str], meta: DocMeta, title_count: int = 1, images: list[bytes] | None = None
) -> bytes:
    """A plain report DOCX: the first ``title_count`` paragraphs centred in bold."""
    doc = _new_document(meta)
    for i, ln in enumerate(paragraphs):
        _paragraph(
            doc,
            ln,
            bold=i < title_count,
            center=i < title_count,
            indent=i >= title_count and not ln[:1].isdigit(),
        )
    _add_images(doc, images or [], "ภาพกิจกรรม")
    return _save(doc, meta)


_DROP_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg")


def _tidy_part(name: str, data: bytes, app_version: str) -> bytes:
    """Drop references to removed parts and make app.xml look like Windows Word."""
    if name in ("[Content_Types].xml", "word/_rels/document.xml.rels", "_rels/.rels"):
        text = data.decode("utf-8")
        text = re.sub(r'<Override PartName="/word/stylesWithEffects.xml"[^>]*/>', "", text)
        text = re.sub(
            r'<Relationship [^>]*Target="(?:stylesWithEffects.xml|docProps/thumbnail.jpeg)"/>',
            "",
            text,
        )
        return text.encode("utf-8")
    if name == "docProps/app.xml":
        text = data.decode("utf-8")
        text = text.replace("Microsoft Macintosh Word", "Microsoft Office Word")
        text = re.sub(
            r"<AppVersion>[^<]*</AppVersion>", f"<AppVersion>{app_version}</AppVersion>", text
        )
        return text.encode("utf-8")
    return data


def normalize_zip(data: bytes, when: datetime, app_version: str = "16.0000") -> bytes:
    """Rewrite a DOCX with fixed member timestamps so the bytes are reproducible.

    Also drops python-docx's unused ``stylesWithEffects.xml`` and thumbnail
    (they double the file size) and reports the application as Windows Word.
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in _DROP_PARTS:
                continue
            zi = zipfile.ZipInfo(info.filename, date_time=stamp)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0
            dst.writestr(zi, _tidy_part(info.filename, src.read(info.filename), app_version))
    return out.getvalue()


# --------------------------------------------------------------------------
# LibreOffice conversion
# --------------------------------------------------------------------------


def soffice_available() -> bool:
    """True if a ``soffice`` binary is on PATH."""
    return shutil.which("soffice") is not None


def soffice_convert(
    docs: dict[str, bytes],
    fmt: str = "pdf",
    timeout: int = 600,
    dates: dict[str, datetime] | None = None,
) -> dict[str, bytes]:
    """Convert many DOCX files in ONE LibreOffice run.

    ``docs`` maps an ASCII key to DOCX bytes; the result maps the same keys to
    the converted bytes (``fmt`` is ``pdf`` or ``doc``).  A private profile
    directory is used so a LibreOffice started by someone else is not touched.
    PDFs are passed through :func:`normalize_pdf` (``dates`` gives each PDF's
    CreationDate; aware datetimes are converted to UTC).
    """
    if not docs:
        return {}
    with tempfile.TemporaryDirectory(prefix="areaplan-soffice-") as tmp:
        tmpdir = Path(tmp)
        src = tmpdir / "in"
        out = tmpdir / "out"
        src.mkdir()
        out.mkdir()
        paths = []
        for key, data in docs.items():
            p = src / f"{key}.docx"
            p.write_bytes(data)
            paths.append(str(p))
        target = "doc:MS Word 97" if fmt == "doc" else fmt
        cmd = [
            "soffice",
            f"-env:UserInstallation=file://{tmpdir / 'profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            *paths,
        ]
        subprocess.run(
            cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout
        )
        result: dict[str, bytes] = {}
        for key in docs:
            p = out / f"{key}.{fmt}"
            if not p.exists():
                raise RuntimeError(f"LibreOffice did not produce {p.name}")
            data = p.read_bytes()
            if fmt == "pdf":
                when = (dates or {}).get(key)
                if when is not None and when.tzinfo is not None:
                    when = when.astimezone(UTC)
                data = normalize_pdf(
                    data, key, when.strftime("%Y%m%d%H%M%S") if when else "20210329020000"
                )
            result[key] = data
        return result


def normalize_pdf(data: bytes, salt: str, when: str = "20210329020000") -> bytes:
    """Make a LibreOffice PDF reproducible: fixed CreationDate, hashed /ID and /DocChecksum.

    Replacements keep every length unchanged, so the xref offsets stay valid.
    """

    def fix_date(m: re.Match[bytes]) -> bytes:
        old = m.group(1)
        new = ("D:" + when + "Z'").encode()
        new = (
            (new + b" " * len(old))[: len(old)]
            if len(new) > len(old)
            else new.ljust(len(old), b"'")
        )
        return b"/CreationDate(" + new + b")"

    data = re.sub(rb"/CreationDate\((D:[^)]*)\)", fix_date, data)
    digest = hashlib.md5(salt.encode() + data[:2000]).hexdigest().upper().encode()

    def fix_id(m: re.Match[bytes]) -> bytes:
        return b"/ID [ <" + digest + b"> <" + digest + b"> ]"

    data = re.sub(rb"/ID \[ <[0-9A-Fa-f]{32}>\s*<[0-9A-Fa-f]{32}> \]", fix_id, data)
    data = re.sub(rb"/DocChecksum /[0-9A-Fa-f]{32}", b"/DocChecksum /" + digest, data)
    return data


# --------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------


def thai_font(size: int, name: str = "Laksaman") -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """A Thai TrueType font from fonts-thai-tlwg, or Pillow's default if missing."""
    for candidate in (name, "Laksaman", "Garuda", "Loma", "Norasi"):
        path = FONT_DIR / f"{candidate}.ttf"
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default()


def _noise(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    w, h = size
    return Image.frombytes("L", (w, h), rng.randbytes(w * h)).convert("RGB")


def _scene(rng: random.Random, size: tuple[int, int], caption: str) -> Image.Image:
    """An 'activity photo': sky, ground, a tent, people-ish shapes and a banner."""
    w, h = size
    img = Image.new("RGB", size)
    draw = ImageDraw.Draw(img)
    sky_top = (rng.randint(90, 160), rng.randint(150, 200), rng.randint(200, 255))
    horizon = int(h * rng.uniform(0.35, 0.55))
    for y in range(horizon):
        t = y / max(horizon, 1)
        draw.line(
            [(0, y), (w, y)], fill=tuple(int(c * (1 - 0.3 * t) + 255 * 0.3 * t) for c in sky_top)
        )
    ground = (rng.randint(60, 140), rng.randint(100, 160), rng.randint(40, 90))
    draw.rectangle([0, horizon, w, h], fill=ground)
    for _ in range(rng.randint(2, 5)):  # buildings / trees
        x0 = rng.randint(0, w - 60)
        bw, bh = rng.randint(40, 160), rng.randint(40, horizon)
        color = (rng.randint(120, 240), rng.randint(80, 220), rng.randint(60, 200))
        draw.rectangle([x0, horizon - bh, x0 + bw, horizon], fill=color)
    tx = rng.randint(0, w // 3)  # tent
    draw.polygon(
        [(tx, horizon + 10), (tx + w // 2, horizon + 10), (tx + w // 4, horizon - h // 8)],
        fill=(240, 240, 245),
    )
    for _ in range(rng.randint(4, 12)):  # people
        px = rng.randint(10, w - 30)
        py = rng.randint(horizon + 20, h - 40)
        scale = 0.5 + (py - horizon) / max(h - horizon, 1)
        body = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
        r = int(10 * scale)
        draw.ellipse(
            [px, py, px + 2 * r, py + 2 * r],
            fill=(rng.randint(150, 230), rng.randint(110, 170), 90),
        )
        draw.rectangle([px - r // 2, py + 2 * r, px + 2 * r + r // 2, py + 6 * r], fill=body)
    if caption:  # vinyl banner
        font = thai_font(max(14, w // 34))
        by = rng.randint(8, max(9, horizon // 3))
        bbox = draw.textbbox((0, 0), caption, font=font)
        tw = bbox[2] - bbox[0]
        bx = max(4, (w - tw) // 2)
        draw.rectangle(
            [bx - 10, by - 6, bx + tw + 10, by + (bbox[3] - bbox[1]) + 14],
            fill=(255, 250, 230),
            outline=(200, 30, 30),
            width=3,
        )
        draw.text((bx, by), caption, font=font, fill=(20, 40, 140))
    return img.filter(ImageFilter.GaussianBlur(radius=rng.uniform(0.6, 1.2)))


def make_photo(
    rng: random.Random,
    size: tuple[int, int] = (640, 480),
    caption: str = "",
    min_bytes: int = 20_000,
    max_bytes: int = 60_000,
) -> bytes:
    """A small EXIF-free JPEG 'activity photo' whose size lands in [min_bytes, max_bytes] when possible."""
    base = _scene(rng, size, caption)
    noise = _noise(rng, size)
    best = b""
    for alpha in (0.06, 0.12, 0.2, 0.3):
        img = Image.blend(base, noise, alpha)
        for q in (88, 80, 72, 64, 56, 48, 40, 32, 25):
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=q, optimize=True)
            data = buf.getvalue()
            if len(data) <= max_bytes:
                best = data
                break
        if best and len(best) >= min_bytes:
            return best
    return best


def make_chart_png(
    rng: random.Random, labels: list[str], title: str, size: tuple[int, int] = (560, 360)
) -> bytes:
    """A palette PNG bar chart (like a screenshot pasted from a report)."""
    w, h = size
    img = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(img)
    font = thai_font(18, "Garuda")
    draw.text((16, 8), title, font=font, fill=(0, 0, 0))
    n = max(1, len(labels))
    bar_w = (w - 60) // n
    for i, lab in enumerate(labels):
        val = rng.randint(40, 100)
        x0 = 40 + i * bar_w + 8
        y0 = h - 50 - int((h - 110) * val / 100)
        draw.rectangle(
            [x0, y0, x0 + bar_w - 16, h - 50],
            fill=(rng.randint(30, 200), rng.randint(60, 200), 200),
        )
        draw.text((x0, h - 44), lab, font=thai_font(14, "Garuda"), fill=(0, 0, 0))
        draw.text((x0, y0 - 20), f"{val}%", font=thai_font(14, "Garuda"), fill=(0, 0, 0))
    draw.line([(36, 40), (36, h - 50), (w - 10, h - 50)], fill=(0, 0, 0), width=2)
    buf = io.BytesIO()
    img.quantize(colors=32).save(buf, "PNG", optimize=True)
    return buf.getvalue()


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    """Greedy wrap at spaces, falling back to character cuts (never before a Thai mark)."""
    marks = set(
        chr(c)
        for c in list(range(0x0E31, 0x0E32))
        + list(range(0x0E34, 0x0E3B))
        + list(range(0x0E47, 0x0E4F))
    )
    lines: list[str] = []
    for para in text.split("\n"):
        cur = ""
        for ch in para:
            trial = cur + ch
            if draw.textlength(trial, font=font) > width and cur and ch not in marks:
                cut = cur.rfind(" ")
                if cut > len(cur) // 2:
                    lines.append(cur[:cut])
                    cur = cur[cut + 1 :] + ch
                else:
                    lines.append(cur)
                    cur = ch
            else:
                cur = trial
        lines.append(cur)
    return lines


def make_scanned_pdf(rng: random.Random, paragraphs: list[str], when: datetime) -> bytes:
    """An image-only PDF (1-bit CCITT, like a ScandAll scan): no text layer at all."""
    w, h = 1240, 1754  # A4 at 150 dpi
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    font = thai_font(30, "Laksaman")
    y = 110
    for para in paragraphs:
        for line in _wrap(draw, para, font, w - 260):
            if y > h - 120:
                break
            draw.text((150, y), line, font=font, fill=0)
            y += 46
        y += 10
    img = img.rotate(rng.uniform(-1.2, 1.2), resample=Image.Resampling.BILINEAR, fillcolor=255)
    speck = Image.frombytes("L", (w, h), rng.randbytes(w * h)).point(
        lambda v: 0 if v > 254 else 255
    )
    img = Image.composite(img, speck, speck)  # add a little dust
    t = time.strptime(when.strftime("%Y%m%d%H%M%S"), "%Y%m%d%H%M%S")
    buf = io.BytesIO()
    img.convert("1").save(
        buf,
        "PDF",
        resolution=150,
        creationDate=t,
        modDate=t,
        producer="ScandAll PRO V2.1.5",
        creator="fi-7160",
    )
    return buf.getvalue()


# --------------------------------------------------------------------------
# ZIP
# --------------------------------------------------------------------------


class _Cp874ZipInfo(zipfile.ZipInfo):
    """ZipInfo whose name is written in cp874 *without* the UTF-8 flag (Thai Windows zips)."""

    def _encodeFilenameFlags(self):  # noqa: N802 - overriding a stdlib private hook
        try:
            return self.filename.encode("ascii"), self.flag_bits
        except UnicodeEncodeError:
            return self.filename.encode("cp874"), self.flag_bits & ~0x800


def make_zip(files: list[tuple[str, bytes]], when: datetime, name_encoding: str = "utf-8") -> bytes:
    """Zip ``files``; ``name_encoding='cp874'`` mimics Windows' built-in 'Send to zip' on a Thai system."""
    out = io.BytesIO()
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    cls = _Cp874ZipInfo if name_encoding == "cp874" else zipfile.ZipInfo
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            zi = cls(name, date_time=stamp)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zf.writestr(zi, data)
    return out.getvalue()
