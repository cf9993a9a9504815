"""Office files as provinces make them: spreadsheets (xlsx, xls, ods, csv) and edited Word files.

A generator: it imports nothing of areaplan (its expected values are the inputs it was
given, never parser output). Spreadsheets are written by openpyxl, xlwt and odfpy; Word
documents by python-docx with raw WordprocessingML for tracked changes, comments, content
controls and legacy form fields; the hostile files as raw XML in a ZIP.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime

TITLE = "แบบฟอร์มการคัดเลือกอำเภอต้นแบบ (Role Model)"
SUBTITLE = "ตามโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team)"
NARRATIVE = [
    "นายอำเภอกำหนดกรอบทิศทางการทำงานอย่างชัดเจน",
    "ลงพื้นที่จัดเก็บข้อมูลครบถ้วนตามกรอบเวลา",
    "ลูกจ้างเหมาบริการปฏิบัติงานตามภารกิจอย่างสม่ำเสมอ",
    "บูรณาการร่วมกับภาคเอกชนและภาคประชาสังคม",
]
THAI_NUMBERS = "๑๒๓๔"


@dataclass(frozen=True)
class Answers:
    province: str
    district: str
    province_code: str = ""  # the DOPA codes of the places (facts, for the expected values)
    district_code: str = ""
    zone: str = ""  # the inspection zone, in Thai digits as written on the form
    reporter: str = "นายสมมติ ทดสอบ"
    position: str = ""
    phone: str = "081-234-5678"

    @property
    def reporter_position(self) -> str:
        return self.position or f"ปลัดจังหวัด{self.province}"


# Real (province, district) pairs, written as provinces write them.
PLACES = [
    Answers("ขอนแก่น", "ชุมแพ", "40", "4005", "๑๒"),
    Answers("เชียงใหม่", "แม่ริม", "50", "5007", "๑๕"),
    Answers("นครราชสีมา", "ปากช่อง", "30", "3021", "๑๓"),
    Answers("ภูเก็ต", "ถลาง", "83", "8303", "๖"),
    Answers("สงขลา", "หาดใหญ่", "90", "9011", "๕"),
    Answers("อุบลราชธานี", "วารินชำราบ", "34", "3415", "๑๔"),
]


def narrative_text() -> str:
    return "\n".join(f"{THAI_NUMBERS[i]}. {line}" for i, line in enumerate(NARRATIVE))


# --------------------------------------------------------------------------- layouts as rows
# Each layout is a list of (row, column, text, merge-to (row, col) or None), 0-based.


def layout_label_left(a: Answers) -> list[tuple[int, int, str, tuple[int, int] | None]]:
    """Labels in column A, answers in B (merged B:D), the title merged across the top."""
    return [
        (0, 0, TITLE, (0, 3)),
        (1, 0, SUBTITLE, (1, 3)),
        (3, 0, "จังหวัด", None), (3, 1, a.province, (3, 3)),
        (4, 0, "อำเภอที่ได้รับการคัดเลือก", None), (4, 1, a.district, (4, 3)),
        (5, 0, "ผลการปฏิบัติงานที่โดดเด่น", None), (5, 1, narrative_text(), (8, 3)),
        (9, 0, "ผู้รายงาน", None), (9, 1, a.reporter, (9, 3)),
        (10, 0, "ตำแหน่ง", None), (10, 1, a.reporter_position, (10, 3)),
        (11, 0, "โทรศัพท์", None), (11, 1, a.phone, None),
    ]


def layout_label_above(a: Answers) -> list[tuple[int, int, str, tuple[int, int] | None]]:
    """Labels in one row, answers in the row under them; merged label cells."""
    return [
        (0, 0, TITLE, (0, 5)),
        (2, 0, "ชื่อจังหวัด", (2, 1)), (2, 2, "อำเภอต้นแบบ (Role Model)", (2, 3)), (2, 4, "ผู้รายงาน", None),
        (3, 0, a.province, (3, 1)), (3, 2, "อำเภอ" + a.district, (3, 3)), (3, 4, a.reporter, None),
        (5, 0, "ผลการดำเนินงานที่โดดเด่น", (5, 5)),
        (6, 0, narrative_text(), (9, 5)),
    ]


def layout_one_cell(a: Answers) -> list[tuple[int, int, str, tuple[int, int] | None]]:
    """Label and answer in one cell ("จังหวัด: ขอนแก่น"), dotted leaders kept."""
    return [
        (0, 0, TITLE, None),
        (2, 0, f"จังหวัด: {a.province}", None),
        (3, 0, f"อำเภอที่ได้รับการคัดเลือก.....{a.district}.....", None),
        (4, 0, f"ผลการปฏิบัติงานที่โดดเด่น คือ {narrative_text()}", None),
        (5, 0, f"ผู้รายงาน: {a.reporter}", None),
        (6, 0, f"ตำแหน่ง {a.reporter_position}", None),
        (7, 0, f"โทร. {a.phone}", None),
    ]


def layout_sentence(a: Answers) -> list[tuple[int, int, str, tuple[int, int] | None]]:
    """The form's sentence cut into cells: "ที่ทำการปกครองจังหวัด | ขอนแก่น | ได้พิจารณาคัดเลือกอำเภอ | ชุมแพ"."""
    return [
        (0, 0, TITLE, (0, 5)),
        (2, 0, "เรียน ผู้ตรวจราชการกรมการปกครอง เขต", None), (2, 1, a.zone, None),
        (3, 0, "ที่ทำการปกครองจังหวัด", None), (3, 1, a.province, None),
        (3, 2, "ได้พิจารณาคัดเลือกอำเภอ", None), (3, 3, a.district, None),
        (3, 4, "เป็นอำเภอต้นแบบ (Role Model)", None),
        (4, 0, "โดยมีผลการปฏิบัติงานที่โดดเด่น ตามหลักเกณฑ์การคัดเลือกฯ คือ", (4, 5)),
        (5, 0, narrative_text(), (8, 5)),
        (10, 0, "ลงชื่อ", None), (10, 1, f"({a.reporter})", None),
        (11, 0, "ตำแหน่ง", None), (11, 1, a.reporter_position, None),
    ]


def layout_blank() -> list[tuple[int, int, str, tuple[int, int] | None]]:
    """The template as sent with the letter: labels, dotted leaders, no answers."""
    return [
        (0, 0, TITLE, (0, 3)),
        (3, 0, "จังหวัด", None), (3, 1, "....................", None),
        (4, 0, "อำเภอที่ได้รับการคัดเลือก", None), (4, 1, "....................", None),
        (5, 0, "ผลการปฏิบัติงานที่โดดเด่น", None), (5, 1, "…………………………", (8, 3)),
        (9, 0, "ผู้รายงาน", None), (9, 1, "(....................)", None),
        (10, 0, "ตำแหน่ง", None),
        (11, 0, "โทรศัพท์", None),
    ]


def layout_table(rows: list[Answers]) -> list[tuple[int, int, str, tuple[int, int] | None]]:
    """A zone office's table: one row per province (ลำดับ | จังหวัด | อำเภอ | ผู้รายงาน | โทร)."""
    cells: list[tuple[int, int, str, tuple[int, int] | None]] = [
        (0, 0, "สรุปผลการคัดเลือกอำเภอต้นแบบ (Role Model) เขตตรวจราชการ", (0, 4)),
        (2, 0, "ลำดับ", None), (2, 1, "จังหวัด", None), (2, 2, "อำเภอที่ได้รับการคัดเลือก", None),
        (2, 3, "ผู้รายงาน", None), (2, 4, "โทรศัพท์", None),
    ]
    for i, a in enumerate(rows):
        r = 3 + i
        cells += [(r, 0, str(i + 1), None), (r, 1, a.province, None), (r, 2, a.district, None),
                  (r, 3, a.reporter, None), (r, 4, a.phone, None)]
    return cells


# --------------------------------------------------------------------------- writers


def xlsx(sheets: dict[str, list]) -> bytes:
    """An .xlsx with one sheet per layout (openpyxl)."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, cells in sheets.items():
        ws = wb.create_sheet(name)
        for r, c, text, merge in cells:
            ws.cell(row=r + 1, column=c + 1, value=text)
            if merge:
                ws.merge_cells(f"{get_column_letter(c + 1)}{r + 1}:{get_column_letter(merge[1] + 1)}{merge[0] + 1}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xls(sheets: dict[str, list]) -> bytes:
    """An Excel 97-2003 .xls (xlwt), merged ranges written as merges."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    for name, cells in sheets.items():
        ws = wb.add_sheet(name)
        for r, c, text, merge in cells:
            if merge:
                ws.write_merge(r, merge[0], c, merge[1], text)
            else:
                ws.write(r, c, text)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ods(sheets: dict[str, list], *, trailing_repeats: bool = True) -> bytes:
    """An OpenDocument spreadsheet (odfpy): spans for merges, empty space as repeated cells/rows
    the way LibreOffice writes it."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, cells in sheets.items():
        table = Table(name=name)
        grid: dict[tuple[int, int], tuple[str, tuple[int, int] | None]] = {(r, c): (t, m) for r, c, t, m in cells}
        covered = {(rr, cc) for (r, c), (_t, m) in grid.items() if m
                   for rr in range(r, m[0] + 1) for cc in range(c, m[1] + 1) if (rr, cc) != (r, c)}
        last_row = max(r for r, _c, _t, m in cells)
        last_col = max(max(c, m[1] if m else c) for _r, c, _t, m in cells)
        for r in range(last_row + 1):
            row = TableRow()
            for c in range(last_col + 1):
                if (r, c) in grid:
                    text, merge = grid[(r, c)]
                    attrs = {}
                    if merge:
                        attrs = {"numberrowsspanned": merge[0] - r + 1, "numbercolumnsspanned": merge[1] - c + 1}
                    cell = TableCell(valuetype="string", **attrs)
                    for line in text.split("\n"):
                        cell.addElement(P(text=line))
                    row.addElement(cell)
                elif (r, c) in covered:
                    row.addElement(CoveredTableCell())
                else:
                    row.addElement(TableCell())
            if trailing_repeats:
                row.addElement(TableCell(numbercolumnsrepeated=16000))
            table.addElement(row)
        if trailing_repeats:
            empty = TableRow(numberrowsrepeated=1_048_000)
            empty.addElement(TableCell(numbercolumnsrepeated=1024))
            table.addElement(empty)
        doc.spreadsheet.addElement(table)
    buf = io.BytesIO()
    doc.write(buf)
    return buf.getvalue()


def odt(cells: list) -> bytes:
    """An OpenDocument text (odfpy) holding the form as a table of label and answer cells,
    the rows of ``cells`` in order (merges ignored), under the title."""
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentText()
    doc.text.addElement(P(text=TITLE))
    last_col = max(c for _r, c, _t, _m in cells)
    table = Table(name="form")
    table.addElement(TableColumn(numbercolumnsrepeated=last_col + 1))
    by_row: dict[int, dict[int, str]] = {}
    for r, c, text, _m in cells:
        if r > 0:
            by_row.setdefault(r, {})[c] = text
    for r in sorted(by_row):
        row = TableRow()
        for c in range(last_col + 1):
            cell = TableCell(valuetype="string")
            for line in by_row[r].get(c, "").split("\n"):
                cell.addElement(P(text=line))
            row.addElement(cell)
        table.addElement(row)
    doc.text.addElement(table)
    buf = io.BytesIO()
    doc.write(buf)
    return buf.getvalue()


def odt_with_tracked_deletion(cells: list, deleted: str) -> bytes:
    """:func:`odt` with a tracked change pending: ``deleted`` was deleted (change tracking on)."""
    data = odt(cells)
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml").decode()
    tracked = ('<text:tracked-changes><text:changed-region text:id="ct1"><text:deletion><office:change-info>'
               '<dc:creator>ปลัดอำเภอ</dc:creator><dc:date>2021-03-28T10:00:00</dc:date></office:change-info>'
               f'<text:p>{deleted}</text:p></text:deletion></text:changed-region></text:tracked-changes>')
    head, sep, tail = content.partition("<office:text>")
    if not sep:
        head, sep, tail = content.partition("<office:text/>")
        sep, tail = "<office:text>", "</office:text>" + tail
    content = head + sep + tracked + '<text:p><text:change text:change-id="ct1"/></text:p>' + tail
    if "xmlns:dc=" not in content:
        content = content.replace("<office:document-content ", '<office:document-content xmlns:dc="http://purl.org/dc/elements/1.1/" ', 1)
    return member_replaced(data, "content.xml", content.encode())


def csv_bytes(cells: list, encoding: str, delimiter: str = ",") -> bytes:
    """The layout as a CSV/TSV file in ``encoding`` ("utf-16" writes a BOM, as Excel's
    "Unicode text" does; "cp874" is TIS-620 as Thai Windows writes it)."""
    last_row = max(r for r, _c, _t, _m in cells)
    last_col = max(c for _r, c, _t, _m in cells)
    grid = [[""] * (last_col + 1) for _ in range(last_row + 1)]
    for r, c, text, _m in cells:
        grid[r][c] = text
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(grid)
    return out.getvalue().encode(encoding)


# --------------------------------------------------------------------------- mail


XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
XLS_TYPE = ("application", "vnd.ms-excel")
ODS_TYPE = ("application", "vnd.oasis.opendocument.spreadsheet")
CSV_TYPE = ("text", "csv")
DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
ODT_TYPE = ("application", "vnd.oasis.opendocument.text")


def mail(attachment: bytes, filename: str, ctype: tuple[str, str], *, subject: str, msgid: str,
         body: str = "เรียน กองวิชาการและแผนงาน\nส่งแบบรายงานตามไฟล์แนบ\n") -> bytes:
    import datetime as dt

    m = EmailMessage()
    m["Subject"] = subject
    m["From"] = "สำนักงานปกครอง <office.dopa@example.go.th>"
    m["To"] = "dopa.areaplan@gmail.com"
    m["Date"] = format_datetime(dt.datetime(2021, 3, 29, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))))
    m["Message-ID"] = f"<{msgid}@example.go.th>"
    m.set_content(body)
    m.add_attachment(attachment, maintype=ctype[0], subtype=ctype[1], filename=filename)
    return bytes(m)


# --------------------------------------------------------------------------- Word as edited

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_AUTHOR = 'w:author="ปลัดอำเภอ" w:date="2021-03-28T10:00:00Z"'


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def edited_docx(a: Answers, *, wrong_district: str) -> bytes:
    """The form as a Word document edited with Track Changes on, commented and with content
    controls and legacy form fields, as offices fill the template in:

    * the district was first typed as ``wrong_district``, deleted (tracked) and the right one
      inserted (tracked); a sentence was moved (moveFrom/moveTo), a table row deleted (tracked);
    * a comment on the province ("ตรวจสอบชื่อ" + ``wrong_district``) that must not be read;
    * the province in a content control; a second content control still showing its
      placeholder "Click here to enter text.";
    * the reporter's name in a FORMTEXT legacy field, a FORMDROPDOWN showing its 2nd entry
      ("ดีเด่น"); the phone in a text box.
    """
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    d.add_paragraph(TITLE)
    d.add_paragraph(SUBTITLE)
    d.add_paragraph(f"เรียน ผู้ตรวจราชการกรมการปกครอง เขต {a.zone}")
    ns = f'xmlns:w="{W_NS}"'
    body = d.element.body
    sentence = (
        f'<w:p {ns}>{_run("ที่ทำการปกครองจังหวัด")}'
        f'<w:sdt><w:sdtPr><w:alias w:val="จังหวัด"/></w:sdtPr><w:sdtContent>{_run(a.province)}</w:sdtContent></w:sdt>'
        f'<w:commentRangeStart w:id="0"/>{_run(" ได้พิจารณาคัดเลือกอำเภอ")}<w:commentRangeEnd w:id="0"/>'
        f'<w:r><w:commentReference w:id="0"/></w:r>'
        f'<w:del w:id="1" {_AUTHOR}><w:r><w:delText>{wrong_district}</w:delText></w:r></w:del>'
        f'<w:ins w:id="2" {_AUTHOR}>{_run(a.district)}</w:ins>'
        f'{_run(" เป็นอำเภอต้นแบบ (Role Model) ตามโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team)")}</w:p>'
    )
    moved = (
        f'<w:p {ns}><w:moveFrom w:id="3" {_AUTHOR}>{_run("ข้อความที่ย้ายออกไปแล้ว")}</w:moveFrom></w:p>'
    )
    narrative = [f'<w:p {ns}>{_run(f"{THAI_NUMBERS[i]}. {line}")}</w:p>' for i, line in enumerate(NARRATIVE)]
    intro = f'<w:p {ns}>{_run("โดยมีผลการปฏิบัติงานที่โดดเด่น ตามหลักเกณฑ์การคัดเลือกฯ คือ")}</w:p>'
    placeholder = (
        f'<w:p {ns}>{_run("หมายเหตุเพิ่มเติม ")}<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>'
        f'{_run("Click here to enter text.")}</w:sdtContent></w:sdt></w:p>'
    )
    unflagged_placeholder = (
        f'<w:p {ns}>{_run("วันที่ ")}<w:sdt><w:sdtPr/><w:sdtContent>'
        f'{_run("Click or tap to enter a date.")}</w:sdtContent></w:sdt></w:p>'
    )
    closing = f'<w:p {ns}>{_run("จึงเรียนมาเพื่อโปรดพิจารณา")}</w:p>'
    formtext = (
        f'<w:p {ns}>{_run("ลงชื่อ (")}'
        '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Text1"/><w:enabled/>'
        '<w:textInput/></w:ffData></w:fldChar></w:r>'
        '<w:r><w:instrText xml:space="preserve"> FORMTEXT </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'{_run(a.reporter)}'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        f'{_run(") ผู้รายงาน")}</w:p>'
    )
    position = f'<w:p {ns}>{_run("ตำแหน่ง " + a.reporter_position)}</w:p>'
    dropdown = (
        f'<w:p {ns}>{_run("ระดับผลงาน ")}'
        '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Dropdown1"/><w:enabled/>'
        '<w:ddList><w:result w:val="1"/><w:listEntry w:val="ดี"/><w:listEntry w:val="ดีเด่น"/></w:ddList>'
        '</w:ffData></w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> FORMDROPDOWN </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    textbox = (
        f'<w:p {ns}><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox>'
        f'<w:txbxContent><w:p>{_run("หมายเลขโทรศัพท์ " + a.phone)}</w:p></w:txbxContent>'
        '</v:textbox></v:shape></w:pict></w:r></w:p>'
    )
    for xml in (sentence, moved, intro, *narrative, placeholder, unflagged_placeholder, closing, formtext,
                position, dropdown, textbox):
        body.insert(len(body) - 1, parse_xml(xml))
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "แถวที่ยังอยู่"
    table.cell(1, 0).text = "แถวที่ถูกลบ " + wrong_district
    tr_pr = parse_xml(f'<w:trPr {ns}><w:del w:id="9" {_AUTHOR}/></w:trPr>')
    table.rows[1]._tr.insert(0, tr_pr)
    buf = io.BytesIO()
    d.save(buf)
    return _with_comments(buf.getvalue(), "ตรวจสอบชื่อ" + wrong_district)


def _with_comments(data: bytes, comment: str) -> bytes:
    """Add a comments part (word/comments.xml and its relationship) to a .docx."""
    src = zipfile.ZipFile(io.BytesIO(data))
    comments = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments xmlns:w="{W_NS}">'
        f'<w:comment w:id="0" {_AUTHOR}><w:p><w:r><w:t>{comment}</w:t></w:r></w:p></w:comment></w:comments>'
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdC1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/comments" Target="comments.xml"/></Relationships>')
            elif info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-'
                    b'officedocument.wordprocessingml.comments+xml"/></Types>')
            dst.writestr(info.filename, content)
        dst.writestr("word/comments.xml", comments)
    return out.getvalue()


def member_replaced(data: bytes, name: str, content: bytes) -> bytes:
    """A ZIP (DOCX, XLSX) with member ``name`` replaced by ``content``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == name else src.read(info))
    return out.getvalue()


def docx_with_document_xml(xml: bytes) -> bytes:
    """A python-docx document whose main part is ``xml`` as given (any encoding)."""
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    return member_replaced(buf.getvalue(), "word/document.xml", xml)


# --------------------------------------------------------------------------- hostile


def _xlsx_package(sheet_xml: bytes, shared_strings: bytes | None = None) -> bytes:
    files = {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            b'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
            b'"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            + (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
               b'officedocument.spreadsheetml.sharedStrings+xml"/>' if shared_strings is not None else b"")
            + b"</Types>"),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            + (b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
               b'relationships/sharedStrings" Target="sharedStrings.xml"/>' if shared_strings is not None else b"")
            + b"</Relationships>"),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    if shared_strings is not None:
        files["xl/sharedStrings.xml"] = shared_strings
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


_SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
               b'spreadsheetml/2006/main"><sheetData>')


def xlsx_rows(n: int, first: list[str] | None = None) -> bytes:
    """An .xlsx whose one sheet has ``n`` rows (a number in column A; ``first`` rows of text on top)."""
    head = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c></row>' % (i + 1, i + 1, t.encode())
        for i, t in enumerate(first or []))
    start = len(first or [])
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i * 7919 % 1000003)
                    for i in range(start + 1, n + 1))
    return _xlsx_package(_SHEET_HEAD + head + rows + b"</sheetData></worksheet>")


def xlsx_shared_strings(megabytes: int) -> bytes:
    """An .xlsx whose shared-strings table inflates to about ``megabytes`` MB (distinct strings)."""
    count = megabytes * 2**20 // 40
    strings = b"".join(b"<si><t>\xe0\xb8\x82\xe0\xb9\x89\xe0\xb8\xad %010d</t></si>" % (i * 2654435761 % 10**10)
                       for i in range(count))
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
           b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (count, count) + strings + b"</sst>")
    sheet = _SHEET_HEAD + b'<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    return _xlsx_package(sheet, sst)


def xlsx_bomb(gigabytes: float = 1.0) -> bytes:
    """An .xlsx whose sheet part inflates to ``gigabytes`` GB of one repeated row (a zip bomb)."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    total = int(gigabytes * 2**30)
    import zlib

    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = row * (2**20 // len(row))
    parts = [comp.compress(_SHEET_HEAD)]
    written = 0
    while written < total:
        parts.append(comp.compress(chunk))
        written += len(chunk)
    parts.append(comp.compress(b"</sheetData></worksheet>") + comp.flush())
    deflated = b"".join(parts)
    package = _xlsx_package(_SHEET_HEAD + b"</sheetData></worksheet>")
    return _replace_deflated(package, "xl/worksheets/sheet1.xml", deflated, written + len(_SHEET_HEAD) + 24)


def _replace_deflated(package: bytes, name: str, deflated: bytes, size: int) -> bytes:
    """A ZIP with member ``name`` replaced by already-deflated bytes declaring ``size``."""
    import struct
    import zlib as _z

    src = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    central = []
    for info in src.infolist():
        data = src.read(info)
        fname = info.filename.encode()
        if info.filename == name:
            comp, crc, usize = deflated, 0, size
        else:
            c = _z.compressobj(6, _z.DEFLATED, -15)
            comp, crc, usize = c.compress(data) + c.flush(), _z.crc32(data), len(data)
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(comp), usize, len(fname), 0))
        out.write(fname + comp)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(comp), usize,
                                   len(fname), 0, 0, 0, 0, 0, offset) + fname)
    cd_start = out.tell()
    for entry in central:
        out.write(entry)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - cd_start,
                          cd_start, 0))
    return out.getvalue()


def xlsx_of_labels(rows: int = 1000, cols: int = 50) -> bytes:
    """An .xlsx whose every cell is a form label (จังหวัด / อำเภอ), with every row merged in
    pairs of cells: the pairing of labels and answers at its worst."""
    from openpyxl.utils import get_column_letter

    labels = ["จังหวัด", "อำเภอ"]
    body = b"".join(
        b'<row r="%d">' % (r + 1) + b"".join(
            b'<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (get_column_letter(c + 1).encode(), r + 1,
                                                                    labels[c % 2].encode())
            for c in range(cols)) + b"</row>"
        for r in range(rows))
    merges = b"".join(b'<mergeCell ref="%s%d:%s%d"/>' % (get_column_letter(c + 1).encode(), r + 1,
                                                          get_column_letter(c + 2).encode(), r + 1)
                      for r in range(rows) for c in range(0, cols, 4))
    return _xlsx_package(_SHEET_HEAD + body + b"</sheetData><mergeCells>" + merges + b"</mergeCells></worksheet>")


def csv_rows(n: int) -> bytes:
    """A CSV of ``n`` rows."""
    return b"".join(b"%d,%d\r\n" % (i, i * 31) for i in range(n))
