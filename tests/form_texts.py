"""The blank อำเภอต้นแบบ report form and ways to fill it in, for the form and classify specs.

The blank form is copied verbatim from the project's seed (แบบฟอร์มการคัดเลือกอำเภอต้นแบบ,
sent with letter มท ๐๓๐๕.๑/๑๙๐๒๙); ``SAMPLE`` is a spread of real districts from the
gazetteer to fill it in with.
"""

from __future__ import annotations

from areaplan.core.gazetteer import District, Gazetteer

GAZ = Gazetteer.load()

# The blank form exactly as in the seed (แบบฟอร์มการคัดเลือกอำเภอต้นแบบ).
BLANK_FORM = """แบบฟอร์มการคัดเลือก
อำเภอต้นแบบ (Role Model)
ตามโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team)

เรียน ผู้ตรวจราชการกรมการปกครอง เขต.....

ตามที่ กรมการปกครอง ได้กำหนดแผนปฏิบัติการ (Action Plan) ในการขับเคลื่อนโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team) เป็น ๓ ระยะ ซึ่งในระยะที่ ๓ การนำข้อมูลไปใช้ประโยชน์ ได้กำหนดเป้าหมายของโครงการฯ ให้อำเภอสามารถนำข้อมูลไปใช้ประโยชน์ในการพัฒนาพื้นที่ได้อย่างมีประสิทธิภาพและเป็นรูปธรรม และมอบหมายให้ที่ทำการปกครองจังหวัด พิจารณาคัดเลือกอำเภอต้นแบบ (Role Model) จำนวน ๑ อำเภอ ตามหลักเกณฑ์การคัดเลือกที่กรมการปกครองกำหนดส่งให้ผู้ตรวจราชการกรมการปกครองประจำเขตตรวจราชการ นั้น

ที่ทำการปกครองจังหวัด.....ได้พิจารณาคัดเลือกอำเภอ.....
เป็นอำเภอต้นแบบ (Role Model) ตามโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team) โดยมีผลการปฏิบัติงานที่โดดเด่น ตามหลักเกณฑ์การคัดเลือกฯ คือ.....

จึงเรียนมาเพื่อโปรดพิจารณา

ลงชื่อ : (ผู้รายงาน)
(.....)

ตำแหน่ง ปลัดจังหวัด.....

ผู้ประสานงาน ตำแหน่ง
หมายเลขโทรศัพท์/โทรสาร

หมายเหตุ

๑. ให้ที่ทำการปกครองจังหวัด พิจารณาคัดเลือกอำเภอต้นแบบ (Role Model) ตามโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team) จังหวัดละ ๑ อำเภอ เท่านั้น

๒. ขอให้แนบรายละเอียดผลการปฏิบัติงานที่โดดเด่น รวมทั้งภาพประกอบการดำเนินงาน ส่งให้ผู้ตรวจราชการกรมการปกครอง ประจำเขตตรวจราชการ ทางเอกสาร และสำเนาให้กองวิชาการ และแผนงาน ทางไปรษณีย์อิเล็กทรอนิกส์ dopa.areaplan@gmail.com ภายในวันที่ ๓๑ มีนาคม ๒๕๖๔"""

ZONE_BLANK = "เรียน ผู้ตรวจราชการกรมการปกครอง เขต....."
SENTENCE_BLANK = "ที่ทำการปกครองจังหวัด.....ได้พิจารณาคัดเลือกอำเภอ....."
NARRATIVE_BLANK = "ตามหลักเกณฑ์การคัดเลือกฯ คือ....."
NAME_BLANK = "(.....)"
POSITION_BLANK = "ตำแหน่ง ปลัดจังหวัด....."
COORDINATOR_BLANK = "ผู้ประสานงาน ตำแหน่ง\nหมายเลขโทรศัพท์/โทรสาร"

NARRATIVE = (
    "๑. นายอำเภอเป็นผู้นำการขับเคลื่อนโครงการอย่างเป็นรูปธรรม\n"
    "๒. ลงพื้นที่จัดเก็บข้อมูลครบถ้วนตามกรอบเวลา\n"
    "๓. ลูกจ้างเหมาบริการปฏิบัติงานตามภารกิจอย่างสม่ำเสมอ\n"
    "๔. บูรณาการความร่วมมือกับภาคเอกชนและภาคประชาสังคม"
)


def fill(
    sentence: str | None = None,
    *,
    zone: str = "",
    narrative: str = NARRATIVE,
    name: str = "นายสมชาย ใจดี",
    position_place: str = "",
    coordinator: str = COORDINATOR_BLANK,
    template: str = BLANK_FORM,
) -> str:
    """The blank form with its blanks replaced (each argument replaces one blank)."""
    text = template
    if sentence is not None:
        text = text.replace(SENTENCE_BLANK, sentence)
    if zone:
        text = text.replace(ZONE_BLANK, ZONE_BLANK + zone + ".....")
    text = text.replace(NARRATIVE_BLANK, "ตามหลักเกณฑ์การคัดเลือกฯ คือ\n" + narrative)
    text = text.replace(NAME_BLANK, f"(.....{name}.....)")
    text = text.replace(POSITION_BLANK, POSITION_BLANK + position_place + ".....")
    return text.replace(COORDINATOR_BLANK, coordinator)


# --------------------------------------------------------------------------- the sample


def _sample_districts() -> list[District]:
    """Every 31st district (all regions, amphoe and khet) plus the gazetteer README's traps."""
    every = GAZ.districts[::31]
    traps = ["1401", "3027", "3318", "4512", "5213", "1913", "3032", "8023", "1035", "5002"]
    traps += ["9610", "1039", "5001", "3001", "9601", "4307", "6302", "9602"]
    out = {d.code: d for d in every}
    out.update({c: GAZ.district(c) for c in traps})
    return sorted(out.values(), key=lambda d: d.code)


SAMPLE = _sample_districts()


def written_district(d: District, short_capital: bool) -> str:
    """How a person writes the district: capitals often just "เมือง"."""
    return "เมือง" if d.is_capital and short_capital else d.name_th


def district_word(d: District) -> str:
    return "เขต" if d.kind == "khet" else "อำเภอ"


def dots(d: District) -> str:
    """The selection sentence with the answers typed over the dots."""
    p = GAZ.province(d.province_code)
    return (
        f"ที่ทำการปกครองจังหวัด....{p.name_th}.....ได้พิจารณาคัดเลือก{district_word(d)}"
        f"....{written_district(d, True)}...."
    )
