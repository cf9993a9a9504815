"""Deterministic generator of the synthetic sample mailbox and the labelled parser corpus.

Run ``python -m areaplan.samples.generate`` (or with ``--corpus-only`` / ``--mailbox-only``).

Outputs:

* ``samples/mailbox/sample.mbox`` (+ ``samples/mailbox/labels.json``, keyed by
  Message-ID): ~40 messages as a Gmail Takeout-style mbox of the
  dopa.areaplan@gmail.com inbox.
* ``tests/corpus/NNN.eml`` + ``tests/corpus/labels.json``: 170 varied messages
  with the generator's own ground truth.

All people, addresses and phone numbers are invented.  Every random choice
comes from ``random.Random`` seeded with :data:`SEED` plus a per-message key,
so re-running gives the same bytes (LibreOffice PDFs are normalised, see
:func:`samples.forms.normalize_pdf`).  LibreOffice (``soffice``) is needed to
regenerate; the outputs are committed so nobody else needs it.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from areaplan.samples import forms, mail
from areaplan.samples.forms import DocMeta, FormFill, thai_digits
from areaplan.samples.mail import Attachment, Client, Draft, Pending

SEED = 2564
ROOT = Path(__file__).resolve().parent.parent
MAILBOX_DIR = ROOT / "samples" / "mailbox"
CORPUS_DIR = ROOT / "tests" / "corpus"
SHARED_GAZETTEER = Path("/work/shared/gazetteer")
INBOX = "dopa.areaplan@gmail.com"
TH = timezone(timedelta(hours=7))

DOCX_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CT = "application/pdf"
DOC_CT = "application/msword"
JPEG_CT = "image/jpeg"
PNG_CT = "image/png"
ZIP_CT = "application/zip"


def rng_for(key: str) -> random.Random:
    """A private RNG per message, so adding a message never shifts the others."""
    return random.Random(f"{SEED}:{key}")


def weighted(rng: random.Random, options: list[tuple[float, object]]):
    """Pick from ``[(weight, value), ...]``."""
    total = sum(w for w, _ in options)
    x = rng.uniform(0, total)
    for w, v in options:
        x -= w
        if x <= 0:
            return v
    return options[-1][1]


# ==========================================================================
# Gazetteer
# ==========================================================================


@dataclass(frozen=True)
class Province:
    """A province row of ``provinces.csv``."""

    code: str
    name_th: str
    name_en: str
    zone: int | None
    abbr_th: str


@dataclass(frozen=True)
class District:
    """A district row of ``districts.csv``."""

    code: str
    province_code: str
    name_th: str
    name_en: str


@dataclass
class Gazetteer:
    """Provinces, districts and zones, as loaded from the CSVs."""

    provinces: dict[str, Province]
    districts: dict[str, District]
    by_province: dict[str, list[District]]

    @property
    def all76(self) -> list[Province]:
        """The 76 provinces (Bangkok excluded), in code order."""
        return [p for c, p in sorted(self.provinces.items()) if p.zone is not None]

    def zone_provinces(self, zone: int) -> list[Province]:
        """Provinces of one inspection zone."""
        return [p for p in self.all76 if p.zone == zone]

    def capital(self, pcode: str) -> District:
        """The capital district (always ``<code>01``; 1401 for Ayutthaya)."""
        return self.districts[pcode + "01"]


def gazetteer_dir() -> Path:
    """``areaplan/core/gazetteer_data`` if present, else the shared copy."""
    local = ROOT / "areaplan" / "core" / "gazetteer_data"
    if (local / "provinces.csv").exists() and (local / "districts.csv").exists():
        return local
    return SHARED_GAZETTEER


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Read ``provinces.csv`` and ``districts.csv`` (codes kept as strings)."""
    path = path or gazetteer_dir()
    provinces: dict[str, Province] = {}
    with open(path / "provinces.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            zone = int(row["zone"]) if row["zone"].strip() else None
            provinces[row["code"]] = Province(
                row["code"], row["name_th"], row["name_en"], zone, row["abbr_th"]
            )
    districts: dict[str, District] = {}
    by_province: dict[str, list[District]] = {}
    with open(path / "districts.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            d = District(row["code"], row["province_code"], row["name_th"], row["name_en"])
            districts[d.code] = d
            by_province.setdefault(d.province_code, []).append(d)
    return Gazetteer(provinces, districts, by_province)


# ==========================================================================
# People, addresses, phones (all invented)
# ==========================================================================

MALE = [
    "สมชาย",
    "ประสิทธิ์",
    "วีระพงษ์",
    "ธนากร",
    "สุรเชษฐ์",
    "อนุชา",
    "ณัฐพล",
    "กิตติพงษ์",
    "ชัยวัฒน์",
    "พงศกร",
    "สมศักดิ์",
    "ปิยะ",
    "ธีรวัฒน์",
    "วิทยา",
    "อำนาจ",
    "ศุภชัย",
    "เกรียงไกร",
    "ภานุวัฒน์",
    "ชาตรี",
    "บุญเลิศ",
]
FEMALE = [
    "สุภาพร",
    "กาญจนา",
    "วรรณา",
    "ปิยะนุช",
    "ศิริพร",
    "จันทร์เพ็ญ",
    "นภัสสร",
    "อรุณี",
    "พัชรินทร์",
    "รัตนา",
    "ดวงใจ",
    "สุนิสา",
    "ชนิดา",
    "กมลวรรณ",
    "เบญจมาศ",
    "ณัฐธิดา",
]
SURNAMES = [
    "ศรีสุวรรณกุล",
    "ทองประเสริฐศรี",
    "วงศ์ไพบูลย์กิจ",
    "แก้วมณีวงศ์",
    "บุญญาศิริกุล",
    "จันทร์หอมกุล",
    "พรหมวิเศษสุข",
    "สุขสมบูรณ์ชัย",
    "รัตนพันธ์ทอง",
    "อินทร์แก้วดี",
    "เพชรรุ่งเรืองกิจ",
    "ชัยมงคลศรี",
    "ศักดิ์ดีวงศ์ษา",
    "ภูมิพัฒน์สกุล",
    "คำแสนยศ",
    "ปัญญาวงศ์ดี",
    "นาคสวัสดิ์กุล",
    "มั่นคงเจริญวงศ์",
    "สิทธิโชคชัยกุล",
    "เรืองศรีพันธ์ุดี",
    "ทิพย์สุวรรณ์",
    "บัวผันสกุล",
]
ROMAN = [
    "somchai",
    "kanda",
    "wiroj",
    "nattapong",
    "siriporn",
    "pimchanok",
    "anucha",
    "jintana",
    "thanakorn",
    "supaporn",
    "kittipong",
    "waraporn",
    "teerawat",
    "nongnuch",
    "pongsakorn",
    "ratana",
]
COORD_POSITIONS = [
    "เจ้าพนักงานปกครองชำนาญการ",
    "เจ้าพนักงานปกครองชำนาญการพิเศษ",
    "เจ้าพนักงานปกครองปฏิบัติการ",
    "จ่าจังหวัด{P}",
    "หัวหน้ากลุ่มงานยุทธศาสตร์และแผนงาน",
    "นักวิเคราะห์นโยบายและแผนชำนาญการ",
    "ปลัดอำเภอ (เจ้าพนักงานปกครองชำนาญการ)",
    "เจ้าหน้าที่บันทึกข้อมูล",
]


def person(rng: random.Random) -> tuple[str, str]:
    """``(name with title, name without title)``: invented, not real officials."""
    female = rng.random() < 0.45
    first = rng.choice(FEMALE if female else MALE)
    last = rng.choice(SURNAMES)
    if female:
        title = weighted(rng, [(5, "นาง"), (4, "นางสาว"), (1, "ว่าที่ร้อยตรีหญิง")])
    else:
        title = weighted(rng, [(9, "นาย"), (1, "ว่าที่ร้อยตรี"), (1, "ว่าที่ ร.ต.")])
    return f"{title}{first} {last}", f"{first} {last}"


def phone(rng: random.Random, pcode: str, thai: bool = False, mobile: bool = False) -> str:
    """An invented provincial landline or mobile number in one of the usual layouts."""
    if mobile:
        num = f"0{rng.choice('689')}{rng.randint(0, 9)}-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"
    else:
        area = f"{rng.choice('3457')}{rng.randint(1, 9)}{rng.randint(0, 9)}"
        rest = f"{rng.randint(1000, 9999)}"
        layout = rng.choice(["0 {a}{b} {c}", "0-{a}{b}-{c}", "0{a}-{b}{c}", "0 {a}{b} {c}"])
        num = layout.format(a=area[:2], b=area[2:] + str(rng.randint(1, 9)), c=rest)
    return thai_digits(num) if thai else num


# ==========================================================================
# Text pools for the narrative, best practices and bodies
# ==========================================================================

TAMBONS = [
    "บ้านกลาง",
    "ในเวียง",
    "หนองแวง",
    "ท่าข้าม",
    "ดอนมะนาว",
    "บ้านเหล่า",
    "นาจาน",
    "หัวฝาย",
    "ทุ่งกล้วย",
    "คลองใหม่",
    "สวนหลวง",
    "ห้วยยาง",
    "โคกสูง",
    "ศรีสุข",
    "หนองบัว",
    "ป่าไผ่",
    "นาคำ",
    "บ่อทอง",
]
INNOVATIONS = [
    "แอปพลิเคชัน “อำเภอยิ้ม”",
    "แผนที่ครัวเรือนยากจน (Poverty Map)",
    "กล่องรับเรื่องร้องทุกข์ออนไลน์ (QR Code)",
    "ตลาดนัดออนไลน์ประจำตำบล",
    "ธนาคารขยะชุมชน",
    "ปฏิทินการผลิตของชุมชน",
    "สมุดพกครัวเรือนเป้าหมาย",
    "ระบบติดตามผู้ป่วยติดเตียง (TST Care)",
]
PRODUCTS = [
    "กล้วยตาก",
    "ข้าวกล้องงอก",
    "ผ้าทอมือ",
    "ปลาร้าบอง",
    "มะขามแช่อิ่ม",
    "กาแฟอาราบิกา",
    "น้ำพริกตาแดง",
    "ไข่เค็ม",
    "สบู่สมุนไพร",
    "ผ้ามัดย้อม",
    "ข้าวเกรียบฟักทอง",
]
PARTNERS = [
    "องค์การบริหารส่วนตำบล",
    "โรงพยาบาลส่งเสริมสุขภาพตำบล (รพ.สต.)",
    "สำนักงานพัฒนาชุมชนอำเภอ",
    "สำนักงานเกษตรอำเภอ",
    "ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร (ธ.ก.ส.)",
    "มหาวิทยาลัยราชภัฏในพื้นที่",
    "กศน.อำเภอ",
    "สถานีตำรวจภูธร",
    "วิสาหกิจชุมชน",
    "ภาคเอกชนในพื้นที่",
]

CRITERIA: list[list[str]] = [
    [
        "นายอำเภอ{DN}ให้ความสำคัญกับการขับเคลื่อนโครงการฯ โดยประชุมมอบนโยบายแก่ผู้ปฏิบัติงานตามโครงการทุกเดือน และกำหนดกรอบทิศทางการทำงานที่ชัดเจน",
        "มีคำสั่งแต่งตั้งคณะทำงานขับเคลื่อนโครงการพัฒนาตำบลแบบบูรณาการระดับอำเภอ โดยมีนายอำเภอเป็นประธาน และมอบหมายปลัดอำเภอประจำตำบลเป็นพี่เลี้ยงครบทั้ง {n1} ตำบล",
        "นายอำเภอแปลงนโยบายสู่การปฏิบัติ โดยนำข้อมูลจากระบบ TSTDATA มาวางแนวทางแก้ไขปัญหาความยากจนของครัวเรือนเป้าหมาย",
        "จัดประชุมติดตามผลการดำเนินงานประจำสัปดาห์ (Morning Brief) ณ ห้องประชุมที่ว่าการ{DN}",
        "กำหนดให้การขับเคลื่อนโครงการฯ เป็นวาระสำคัญในการประชุมกำนัน ผู้ใหญ่บ้าน ประจำเดือน",
    ],
    [
        "ผู้ปฏิบัติงานตามโครงการฯ ลงพื้นที่จัดเก็บข้อมูลครบทุกหมู่บ้าน จำนวน {n2} หมู่บ้าน ภายในกรอบเวลา (Timeline) ที่กรมการปกครองกำหนด",
        "ข้อมูลที่จัดเก็บมีความครบถ้วน ถูกต้อง คิดเป็นร้อยละ {pct} ของครัวเรือนเป้าหมาย",
        "นำข้อมูลครัวเรือนยากจนไปจัดทำแผนพัฒนาอำเภอ และเสนอโครงการต่อคณะกรรมการบริหารงานอำเภอแบบบูรณาการ (กบอ.)",
        "จัดทำฐานข้อมูลผู้สูงอายุ ผู้พิการ และผู้ป่วยติดเตียงในตำบล{T} เพื่อส่งต่อความช่วยเหลือให้หน่วยงานที่เกี่ยวข้อง",
        "นำข้อมูลแหล่งน้ำและพื้นที่การเกษตรไปใช้ประกอบการวางแผนแก้ไขปัญหาภัยแล้งของอำเภอ",
    ],
    [
        "ผู้ปฏิบัติงานลงพื้นที่สนับสนุนโครงการ “คนละครึ่ง” และโครงการ “เราชนะ” ให้คำแนะนำการลงทะเบียนแก่ประชาชน จำนวน {n3} ราย",
        "คิดค้นนวัตกรรม {INN} เพื่ออำนวยความสะดวกแก่ประชาชนในพื้นที่",
        "ร่วมกับสำนักงานเกษตรอำเภอจัดทำแผนแปรรูปผลผลิตทางการเกษตร ({PROD}) ของตำบล{T}",
        "จัดทำแผนเส้นทางท่องเที่ยวเชิงวัฒนธรรมของอำเภอ และเผยแพร่ผ่านเพจ Facebook ของอำเภอ",
        "ร่วมปฏิบัติงาน ณ จุดตรวจคัดกรองโรคติดเชื้อไวรัสโคโรนา 2019 (COVID-19) ประจำตำบลอย่างต่อเนื่อง",
    ],
    [
        "บูรณาการการทำงานร่วมกับ{PA}และ{PB} ในการจัดทำแผนงาน/โครงการในพื้นที่ ในฐานะผู้ดำเนินการร่วม",
        "ทำงานร่วมกับ ก.บ.ต. และคณะกรรมการหมู่บ้าน (กม.) ในการจัดทำแผนพัฒนาหมู่บ้าน",
        "ร่วมกับ{PA}จัดตั้งกลุ่มอาชีพ{PROD} และหาช่องทางจำหน่ายผ่านตลาดออนไลน์",
        "ประสานภาคเอกชนและภาคประชาสังคมสนับสนุนงบประมาณและวัสดุอุปกรณ์ในการพัฒนาพื้นที่",
    ],
]
CRITERIA_HEADS = [
    "บทบาทของนายอำเภอในการนำการขับเคลื่อนโครงการฯ",
    "การจัดเก็บข้อมูลระดับพื้นที่และการนำข้อมูลไปใช้ประโยชน์",
    "ผลการปฏิบัติงานของลูกจ้างเหมาบริการตามภารกิจ (Agenda/Function/Area based)",
    "การบูรณาการความร่วมมือของหน่วยงานในระดับพื้นที่",
]

BP_TITLES = [
    "“ตำบลสะอาด ปลอดขยะ”",
    "“ธนาคารข้าวชุมชน”",
    "“ปลูกผักสวนครัว รั้วกินได้”",
    "“TST ร่วมใจ ต้านภัยโควิด”",
    "“ตลาดนัดชุมชนออนไลน์”",
    "“โคก หนอง นา โมเดล”",
    "“บ้านนี้มีรัก ช่วยเหลือครัวเรือนเปราะบาง”",
    "“แผนที่ภูมิปัญญาท้องถิ่น”",
    "“น้ำดีมีทั่วถึง”",
    "“ถนนกินได้”",
]
THAI_MONTHS = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
]
THAI_MONTHS_ABBR = [
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
]
THAI_WEEKDAYS = ["จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์"]

EN_SPELLINGS = {
    "Lop Buri": "Lopburi",
    "Chon Buri": "Chonburi",
    "Buri Ram": "Buriram",
    "Phangnga": "Phang-nga",
    "Nakhon Ratchasima": "Korat",
    "Phra Nakhon Si Ayutthaya": "Ayutthaya",
    "Si Sa Ket": "Sisaket",
    "Prachin Buri": "Prachinburi",
    "Suphan Buri": "Suphanburi",
    "Sa Kaeo": "Sakaeo",
    "Chiang Mai": "Chiangmai",
    "Nong Bua Lam Phu": "Nongbualamphu",
    "Kamphaeng Phet": "Kamphaengphet",
}

THAI_CONSONANT_SWAPS = {
    "ส": "ศ",
    "ศ": "ส",
    "ร": "ล",
    "ล": "ร",
    "น": "ณ",
    "ณ": "น",
    "ฎ": "ฏ",
    "ท": "ธ",
    "ธ": "ท",
    "พ": "ภ",
    "ภ": "พ",
    "ช": "ซ",
    "ค": "ฆ",
    "ต": "ฒ",
    "บ": "ป",
}
TONE_MARKS = "\u0e48\u0e49\u0e4a\u0e4b\u0e4c"


def thai_date(dt: datetime, thai: bool = True, weekday: bool = False) -> str:
    """``๓๐ มีนาคม ๒๕๖๔`` (B.E.), optionally with the weekday."""
    s = f"{dt.day} {THAI_MONTHS[dt.month - 1]} {dt.year + 543}"
    if weekday:
        s = f"วัน{THAI_WEEKDAYS[dt.weekday()]}ที่ {s}"
    return thai_digits(s) if thai else s


def thai_text(text: str) -> str:
    """Thai digits for running text, but keep names such as COVID-19 as people type them."""
    return thai_digits(text).replace("COVID-๑๙", "COVID-19")


def typo(rng: random.Random, name: str, taken: set[str]) -> str:
    """A one-character misspelling of ``name`` that is not another province's name."""
    for _ in range(50):
        chars = list(name)
        op = rng.choice(["swap", "drop_tone", "dup", "drop"])
        i = rng.randrange(len(chars))
        if op == "swap":
            idx = [k for k, c in enumerate(chars) if c in THAI_CONSONANT_SWAPS]
            if not idx:
                continue
            i = rng.choice(idx)
            chars[i] = THAI_CONSONANT_SWAPS[chars[i]]
        elif op == "drop_tone":
            idx = [k for k, c in enumerate(chars) if c in TONE_MARKS]
            if not idx:
                continue
            del chars[rng.choice(idx)]
        elif op == "dup":
            chars.insert(i, chars[i])
        elif op == "drop" and len(chars) > 4:
            if i == 0:
                continue
            del chars[i]
        out = "".join(chars)
        if out != name and out not in taken:
            return out
    return name + name[-1]


def decompose_sara_am(text: str) -> str:
    """Write ำ as NIKHAHIT + SARA AA (as text copied out of PDFs often is)."""
    return text.replace("\u0e33", "\u0e4d\u0e32")


# ==========================================================================
# Generation context: LibreOffice jobs, photo sizes, senders
# ==========================================================================


class Converter:
    """Collects DOCX files to convert so LibreOffice runs once per format."""

    def __init__(self) -> None:
        self.jobs: dict[str, dict[str, bytes]] = {"pdf": {}, "doc": {}}
        self.dates: dict[str, datetime] = {}

    def request(self, docx: bytes, fmt: str, when: datetime | None = None) -> Pending:
        """Queue ``docx`` for conversion to ``fmt`` (PDF dated ``when``); returns a placeholder."""
        key = f"{fmt}{len(self.jobs[fmt]):04d}"
        self.jobs[fmt][key] = docx
        if when is not None:
            self.dates[key] = when
        return Pending(key)

    def run(self) -> dict[str, bytes]:
        """Convert everything queued; returns ``{key: bytes}``."""
        if not any(self.jobs.values()):
            return {}
        if not forms.soffice_available():
            sys.exit(
                "LibreOffice (soffice) is needed to regenerate the samples; the committed outputs work without it."
            )
        out: dict[str, bytes] = {}
        for fmt, docs in self.jobs.items():
            out.update(forms.soffice_convert(docs, fmt, dates=self.dates))
        return out


@dataclass
class Ctx:
    """Shared state of one generation run (corpus or mailbox)."""

    gz: Gazetteer
    converter: Converter
    photo_size: tuple[int, int]
    photo_bytes: tuple[int, int]
    name: str
    max_photos: int = 3


@functools.cache
def _abbr_table() -> dict[str, str]:
    """Thai province name → three-letter English code, from PyThaiNLP's corpus."""
    try:
        from pythainlp.corpus import provinces as _prov

        return {r["name_th"]: r["abbr_en"].lower() for r in _prov(details=True)}
    except Exception:  # pragma: no cover - pythainlp is a project dependency
        return {}


def abbr_en(p: Province) -> str:
    """Three-letter English code (cmi, nan, ...) from PyThaiNLP, or initials plus the code."""
    return _abbr_table().get(p.name_th) or "".join(w[0] for w in p.name_en.split()).lower() + p.code


def slug(p: Province) -> str:
    """``chiangmai`` style ASCII name."""
    return p.name_en.lower().replace(" ", "").replace("-", "")


@dataclass
class Sender:
    """Who sends a message, from which program, with which signature."""

    display: str | None
    addr: str
    client: Client
    person: str
    signature: str

    @property
    def domain(self) -> str:
        return self.addr.split("@", 1)[1]


def province_sender(rng: random.Random, p: Province, pname: str, kind: str | None = None) -> Sender:
    """An invented mailbox of a provincial administration office (ที่ทำการปกครองจังหวัด)."""
    kind = kind or weighted(
        rng,
        [
            (42, "gmail"),
            (18, "roundcube"),
            (14, "outlook"),
            (9, "o365"),
            (9, "iphone"),
            (5, "thunderbird"),
            (3, "yahoo"),
        ],
    )
    ab, sl = abbr_en(p), slug(p)
    roman = rng.choice(ROMAN)
    if kind in ("gmail", "iphone"):
        addr = rng.choice(
            [
                f"{ab}.dopa@gmail.com",
                f"pokkrong.{sl}@gmail.com",
                f"tst.{sl}{rng.randint(1, 9)}@gmail.com",
                f"{sl}.strategy@gmail.com",
                f"{roman}.{rng.randint(10, 99)}@gmail.com",
            ]
        )
    elif kind in ("roundcube", "thunderbird"):
        addr = rng.choice([f"{sl}@dopa.go.th", f"plan_{ab}@dopa.go.th", f"{ab}@dopa.go.th"])
    elif kind == "outlook":
        addr = rng.choice(
            [f"{ab}.dopa@dopa.go.th", f"{sl}.dopa@hotmail.com", f"strategy_{ab}@dopa.go.th"]
        )
    elif kind == "o365":
        addr = rng.choice(
            [f"{sl}.pokkrong@hotmail.com", f"{roman}_{ab}@outlook.com", f"{ab}.tst@hotmail.com"]
        )
    else:
        addr = f"{roman}{rng.randint(1, 99)}@yahoo.com"
    full, bare = person(rng)
    display = weighted(
        rng,
        [
            (5, f"ปกครองจังหวัด{pname}"),
            (4, f"ที่ทำการปกครองจังหวัด{pname}"),
            (3, f"ทปค.จ.{pname}"),
            (2, f"ฝ่ายยุทธศาสตร์ ทปค.จ.{pname}"),
            (4, bare),
            (2, f"DOPA {p.name_en}"),
            (2, roman.capitalize()),
            (2, None),
        ],
    )
    sig = signature(rng, p, pname, full)
    return Sender(
        display, addr, Client(kind, legacy=kind == "outlook" and rng.random() < 0.5), full, sig
    )


def signature(rng: random.Random, p: Province, pname: str, full: str) -> str:
    """A mail signature; sometimes with the office address (``อ.เมือง จ.…``, a parser trap)."""
    position = rng.choice(COORD_POSITIONS).format(P=pname)
    lines = [full, position, f"ที่ทำการปกครองจังหวัด{pname}"]
    if rng.random() < 0.45:
        amphoe = (
            "อ.พระนครศรีอยุธยา"
            if p.code == "14"
            else rng.choice(["อ.เมือง", f"อำเภอเมือง{pname}", "อ.เมืองฯ"])
        )
        road = rng.choice(
            ["ถนนศาลากลาง", "ถนนราชดำเนิน", "ถนนพหลโยธิน", "ถนนมิตรภาพ", "ถนนเพชรเกษม", "ถนนสุขาภิบาล"]
        )
        lines.append(f"ศาลากลางจังหวัด{pname} {road} {amphoe} จ.{pname} {p.code}000")
    if rng.random() < 0.8:
        lines.append(
            f"โทร. {phone(rng, p.code)}"
            + (f" โทรสาร {phone(rng, p.code)}" if rng.random() < 0.4 else "")
        )
    if rng.random() < 0.3:
        lines.append(f"มือถือ {phone(rng, p.code, mobile=True)}")
    if rng.random() < 0.25:
        lines.insert(0, "--")
    return "\n".join(lines)


def central_sender(rng: random.Random, kind: str = "gmail") -> Sender:
    """The planning division's own inbox (used for replies and circulars)."""
    full, _ = person(rng)
    sig = "\n".join(
        [
            full,
            "ส่วนแผนงานยุทธศาสตร์ กองวิชาการและแผนงาน",
            "กรมการปกครอง ถนนอัษฎางค์ กทม. ๑๐๒๐๐",
            "โทร./โทรสาร ๐-๒๒๒๕-๔๘๘๖",
        ]
    )
    return Sender("กองวิชาการและแผนงาน กรมการปกครอง", INBOX, Client(kind), full, sig)


def inspector_sender(rng: random.Random, zone: int) -> Sender:
    """The office of the DOPA inspector of one zone (forwards submissions)."""
    full, _ = person(rng)
    sig = f"{full}\nสำนักงานผู้ตรวจราชการกรมการปกครอง เขต {zone}\nโทร. {phone(rng, '10')}"
    kind = rng.choice(["gmail", "outlook", "roundcube"])
    addr = f"insp{zone}.dopa@gmail.com" if kind == "gmail" else f"inspector{zone}@dopa.go.th"
    return Sender(f"ผู้ตรวจราชการกรมการปกครอง เขต {zone}", addr, Client(kind), full, sig)


# ==========================================================================
# Headers, dates, photos
# ==========================================================================


def received_headers(
    rng: random.Random, sender: Sender, dt: datetime, to: str = INBOX
) -> list[tuple[str, str]]:
    """Delivered-To / Received / Return-Path as Gmail adds them (Received stamped in US Pacific time)."""
    dst = dt >= datetime(
        2021, 3, 14, 10, 0, tzinfo=UTC
    )  # US daylight saving time began 14 March 2021
    pacific = dt.astimezone(timezone(timedelta(hours=-7 if dst else -8)))
    stamp = mail.format_date(pacific + timedelta(seconds=rng.randint(1, 9))) + (
        " (PDT)" if dst else " (PST)"
    )
    dom = sender.domain
    if dom == "gmail.com":
        host = f"mail-{rng.choice(['pj1', 'pf1', 'lj1', 'ed1', 'wm1'])}-f{rng.randint(41, 199)}.google.com"
        ip = f"209.85.{rng.randint(128, 255)}.{rng.randint(1, 254)}"
    elif dom.endswith(("hotmail.com", "outlook.com")):
        host = f"mail-{rng.choice(['hk2', 'sg2', 'pu1'])}apc01on20{rng.randint(60, 99)}.outbound.protection.outlook.com"
        ip = f"40.107.{rng.randint(1, 254)}.{rng.randint(1, 254)}"
    elif dom == "yahoo.com":
        host = f"sonic{rng.randint(300, 399)}-{rng.randint(1, 40)}.consmr.mail.sg3.yahoo.com"
        ip = f"106.10.{rng.randint(1, 254)}.{rng.randint(1, 254)}"
    else:
        host = "mail.dopa.go.th"
        ip = f"164.115.{rng.randint(1, 254)}.{rng.randint(1, 254)}"
    sid = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(20))
    return [
        ("Delivered-To", to),
        (
            "Received",
            f"from {host} ({host} [{ip}])\n        by mx.google.com with ESMTPS id {sid}\n"
            f"        for <{to}>\n        (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);\n        {stamp}",
        ),
        ("Return-Path", f"<{sender.addr}>"),
    ]


def envelope(
    rng: random.Random,
    sender: Sender,
    subject: str | None,
    dt: datetime,
    to: list[tuple[str | None, str]] | None = None,
    cc: list[tuple[str | None, str]] | None = None,
    extra: list[tuple[str, str]] | None = None,
    subject_enc: str | None = None,
    received: bool = True,
) -> tuple[list[tuple[str, str]], str]:
    """Top-level headers for a message; returns ``(headers, message_id)``."""
    c = sender.client
    enc = subject_enc or c.subject_enc
    charset = c.subject_charset
    msgid = c.message_id(
        rng, sender.domain if sender.domain != "gmail.com" or c.kind != "iphone" else "gmail.com"
    )
    date = dt if c.kind != "o365" else dt.astimezone(UTC)
    headers: list[tuple[str, str]] = received_headers(rng, sender, dt) if received else []
    headers.append(
        (
            "From",
            mail.format_address(sender.display, sender.addr, charset, enc if enc != "raw" else "B"),
        )
    )
    headers.append(("Date", mail.format_date(date)))
    headers.append(("Message-ID", msgid))
    if subject is not None:
        headers.append(("Subject", mail.encode_header_text(subject, charset, enc)))
    to = to if to is not None else [(None, INBOX)]
    headers.append(("To", ",\n ".join(mail.format_address(n, a, charset, "B") for n, a in to)))
    if cc:
        headers.append(("Cc", ",\n ".join(mail.format_address(n, a, charset, "B") for n, a in cc)))
    headers.extend(extra or [])
    return headers, msgid


def photo_name(rng: random.Random, i: int, dt: datetime, dname: str, kind: str) -> str:
    """Photo filenames as phones, LINE and cameras name them."""
    style = rng.choice(["img", "line", "line_album", "thai", "dsc", "iphone", "thai_d"])
    if kind == "iphone":
        style = "iphone"
    stamp = dt - timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 900))
    if style == "img":
        return f"IMG_{stamp:%Y%m%d_%H%M%S}.jpg"
    if style == "line":
        return f"S__{rng.randint(10_000_000, 99_999_999)}.jpg"
    if style == "line_album":
        return f"LINE_ALBUM_TST {dname}_{stamp:%y%m%d}_{i + 1}.jpg"
    if style == "thai":
        return f"ภาพกิจกรรม {i + 1}.jpg"
    if style == "dsc":
        return f"DSC{rng.randint(1000, 9999):05d}.JPG"
    if style == "iphone":
        return f"image{i}.jpeg"
    return f"ภาพประกอบ อ.{dname} ({i + 1}).jpg"


def make_photos(
    ctx: Ctx, rng: random.Random, n: int, caption: str, dt: datetime, dname: str, kind: str
) -> list[Attachment]:
    """``n`` JPEG activity photos as attachments."""
    out = []
    for i in range(n):
        data = forms.make_photo(rng, ctx.photo_size, caption, *ctx.photo_bytes)
        out.append(Attachment(photo_name(rng, i, dt, dname, kind), data, JPEG_CT))
    return out


def doc_meta(rng: random.Random, dt: datetime, title: str = "") -> DocMeta:
    """Font and authoring metadata of a province's Word file."""
    font = weighted(
        rng,
        [
            (6, "TH SarabunIT๙"),
            (4, "TH SarabunPSK"),
            (1, "Angsana New"),
            (1, "Cordia New"),
            (1, "Norasi"),
        ],
    )
    author = rng.choice(
        [
            "User",
            "Windows User",
            "admin",
            "DOPA",
            "HP",
            "Lenovo",
            "ปกครอง",
            "USER-PC",
            "Microsoft Office User",
        ]
    )
    created = (dt - timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 8))).replace(tzinfo=None)
    return DocMeta(
        font=font,
        size_pt=16,
        author=author,
        created=created,
        modified=dt.replace(tzinfo=None),
        title=title,
    )


# ==========================================================================
# Role model submissions
# ==========================================================================


@dataclass
class RMSpec:
    """One role-model submission as planned: the ground truth plus how it is written and sent."""

    key: str
    province: Province
    district: District | None  # ground truth; None when the form names no district of this province
    slot: str  # typed into the district blank (after "ได้พิจารณาคัดเลือกอำเภอ")
    mention: str  # how the cover note / subject name the district ("อ.ปัว")
    pname: str  # province name as typed (a typo in the review cases)
    zone_written: int
    carrier: str
    date: datetime
    needs_review: bool = False
    notes: list[str] = field(default_factory=list)
    kind: str | None = None  # mail client
    body_encoding: str = "utf-8"
    forward: str | None = None  # "rfc822" | "inline"
    mode: str = "new"  # new | correction | resend
    english_subject: bool = False
    decomposed: bool = False
    to_inspector: bool = False
    ref: str | None = None  # key of the message this one corrects or repeats
    n_photos: int | None = None
    subject_enc: str | None = None
    dn: str = ""  # district as the narrative names it ("อำเภอปัว")


CARRIERS_WITH_DOCX = {
    "docx",
    "docx+pdf",
    "table_docx",
    "table_docx+pdf",
    "docx_images",
    "pdf",
    "pdf+png",
    "doc",
    "zip",
    "zip_cp874",
    "table_pdf",
}


def district_writing(
    rng: random.Random, p: Province, d: District, style: int | None = None
) -> tuple[str, str, str, str]:
    """How a province writes district ``d``: ``(slot, mention, narrative name, note)``."""
    if d.code == "1401":
        return (
            d.name_th,
            rng.choice(["อ.พระนครศรีอยุธยา", "อำเภอพระนครศรีอยุธยา"]),
            "อำเภอพระนครศรีอยุธยา",
            "Ayutthaya capital 1401 (no เมือง prefix)",
        )
    if d.code == p.code + "01":
        slots = ["เมือง", f"เมือง{p.name_th}", "เมืองฯ", f"เมือง {p.name_th}", "เมือง"]
        mentions = ["อ.เมือง", "อ.เมืองฯ", "อำเภอเมือง", f"อำเภอเมือง{p.name_th}", f"อ.เมือง{p.name_th}"]
        i = style if style is not None else rng.randrange(len(slots))
        j = style if style is not None else rng.randrange(len(mentions))
        return (
            slots[i],
            mentions[j],
            f"อำเภอเมือง{p.name_th}",
            f'capital written "อำเภอ{slots[i]}" / "{mentions[j]}"',
        )
    if d.code == "9610":
        variants = ["สุไหงโก-ลก", "สุไหงโกลก", "สุไหงโก–ลก", "สุไหง-โกลก"]
        v = variants[style] if style is not None else rng.choice(variants)
        return v, f"อ.{v}", f"อำเภอ{v}", f'9610 written "{v}"'
    pref = rng.choice(["อำเภอ", "อ.", "อ. "])
    note = ""
    if d.name_th.startswith("เมือง"):
        note = f"non-capital {d.name_th} ({d.code})"
    elif d.name_th in ("เฉลิมพระเกียรติ", "จอมทอง"):
        note = f"ambiguous name {d.name_th} resolved by province ({d.code})"
    return d.name_th, f"{pref}{d.name_th}", f"อำเภอ{d.name_th}", note


def narrative(rng: random.Random, dn: str, thai: bool, style: str | None = None) -> list[str]:
    """The 'outstanding results' text, one item per criterion, numbered in one of several styles."""
    style = style or weighted(
        rng,
        [
            (5, "thai_num"),
            (3, "arabic_dot"),
            (2, "arabic_paren"),
            (1, "paren"),
            (1, "kho"),
            (2, "headed"),
            (2, "plain"),
            (1, "single"),
            (1, "attached"),
        ],
    )
    tambon = rng.choice(TAMBONS)
    pa, pb = rng.sample(PARTNERS, 2)
    vals = {
        "DN": dn,
        "n1": rng.randint(4, 14),
        "n2": rng.randint(40, 160),
        "pct": rng.randint(92, 100),
        "n3": rng.randint(300, 4000),
        "T": tambon,
        "INN": rng.choice(INNOVATIONS),
        "PROD": rng.choice(PRODUCTS),
        "PA": pa,
        "PB": pb,
    }
    items = []
    for pool in CRITERIA:
        chosen = rng.sample(pool, rng.choice([1, 1, 2]))
        text = " ".join(s.format(**vals) for s in chosen)
        items.append(thai_text(text) if thai else text)
    num = (lambda i: thai_digits(str(i))) if thai else str
    if style == "attached":
        return ["รายละเอียดตามเอกสารแนบ"]
    if style == "single":
        return [" ".join(items)]
    if style == "plain":
        return items
    if style == "headed":
        out = []
        for i, (head, text) in enumerate(zip(CRITERIA_HEADS, items, strict=True), 1):
            out.append(f"{num(i)}. {head}\n - {text}")
        return out
    fmt = {
        "thai_num": "{n}. {t}",
        "arabic_dot": "{n}. {t}",
        "arabic_paren": "{n}) {t}",
        "paren": "({n}) {t}",
        "kho": "ข้อ {n} {t}",
    }[style]
    if style in ("arabic_dot", "arabic_paren"):
        num = str
    return [fmt.format(n=num(i), t=t) for i, t in enumerate(items, 1)]


def zone_text(rng: random.Random, zone: int, thai: bool) -> tuple[str, str]:
    """``(prefix, value)`` for the 'เรียน ผู้ตรวจราชการกรมการปกครอง เขต…' line."""
    z = thai_digits(str(zone)) if thai else str(zone)
    prefix = weighted(rng, [(6, "เขต"), (3, "ประจำเขตตรวจราชการที่"), (2, "เขตตรวจราชการที่")])
    return prefix, z


def make_fill(rng: random.Random, spec: RMSpec, thai: bool) -> FormFill:
    """The filled-in form for ``spec``."""
    prefix, z = zone_text(rng, spec.zone_written, thai)
    reporter, _ = person(rng)
    coord, _ = person(rng)
    style = weighted(
        rng, [(35, "dots"), (15, "dots_after"), (25, "plain"), (10, "spaced"), (15, "nextline")]
    )
    leader = rng.choice(
        [".....", "..........", "……………", "………", "_____", ". . . . .", "..............."]
    )
    fill = FormFill(
        zone=z,
        province=spec.pname,
        district=spec.slot,
        criteria=narrative(rng, spec.dn, thai),
        reporter=reporter,
        reporter_position="",
        coordinator=coord,
        coordinator_position=rng.choice(COORD_POSITIONS).format(P=spec.pname),
        phone=phone(
            rng, spec.province.code, thai=thai and rng.random() < 0.6, mobile=rng.random() < 0.2
        ),
        slot_style=style,
        leader=leader,
        zone_prefix=prefix,
        header_note=rng.random() < 0.55,
        keep_intro=rng.random() < 0.75,
        keep_remarks=rng.random() < 0.25,
    )
    pos = weighted(
        rng,
        [
            (14, "ปลัดจังหวัด" + forms.slot(fill, spec.pname)),
            (1, f"ปจ.{spec.pname}"),
            (2, f"ปลัดจังหวัด ปฏิบัติราชการแทน ผู้ว่าราชการจังหวัด{spec.pname}"),
            (2, f"จ่าจังหวัด{spec.pname} รักษาราชการแทน ปลัดจังหวัด{spec.pname}"),
        ],
    )
    fill.reporter_position = pos.rstrip("\n")
    if rng.random() < 0.35:
        fill.date_line = "วันที่ " + thai_date(spec.date - timedelta(days=rng.randint(0, 2)), thai)
    if rng.random() < 0.2:
        no = f"ที่ {spec.province.abbr_th} 0017.3/{rng.randint(100, 2999)}"
        fill.letter_no = thai_digits(no) if thai else no
    return fill


def rm_subject(rng: random.Random, spec: RMSpec) -> str | None:
    """Subject line of a submission (may name no province at all)."""
    p = spec.province
    en = EN_SPELLINGS.get(p.name_en, p.name_en) if rng.random() < 0.5 else p.name_en
    thai = rng.random() < 0.4
    z = thai_digits(str(spec.zone_written)) if thai else str(spec.zone_written)
    num = thai_digits(str(rng.randint(100, 2999))) if thai else str(rng.randint(100, 2999))
    P = spec.pname
    if spec.english_subject:
        tmpl = rng.choice(
            [
                "Role Model - {EN}",
                "Role Model {EN} province (Tambon Smart Team)",
                "[{EN}] Role Model district report",
                "TST Role Model : {EN}",
            ]
        )
    else:
        tmpl = weighted(
            rng,
            [
                (10, "ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model) จังหวัด{P}"),
                (6, "แบบฟอร์มการคัดเลือกอำเภอต้นแบบ (Role Model) จ.{P}"),
                (6, "ส่งแบบฟอร์ม Role Model จังหวัด{P}"),
                (
                    4,
                    "การคัดเลือกอำเภอต้นแบบ (Role Model) ตามโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team) จังหวัด{P}",
                ),
                (4, "ทปค.จ.{P} ส่งผลการคัดเลือกอำเภอต้นแบบ TST"),
                (3, "อำเภอต้นแบบ Role Model จ.{P} ({D})"),
                (3, "ส่งแบบรายงาน Role Model {D} จ.{P}"),
                (
                    3,
                    "ด่วนที่สุด ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model) จังหวัด{P} เขตตรวจราชการที่ {Z}",
                ),
                (3, "{AB} 0017.3/ว {NUM} ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model)"),
                (3, "รายงานการคัดเลือกอำเภอต้นแบบ (Role Model)"),
                (2, "ส่งเอกสาร Role Model"),
                (2, "ส่งข้อมูลอำเภอต้นแบบค่ะ"),
                (2, "TST Role Model {P}"),
                (2, "Role Model - {EN}"),
                (1, ""),
                (1, None),
            ],
        )
    if tmpl is None:
        return None
    if not spec.mention:
        tmpl = tmpl.replace(" ({D})", "").replace(" {D}", "")
    subject = tmpl.format(P=P, EN=en, D=spec.mention, Z=z, AB=p.abbr_th, NUM=num)
    if spec.mode == "correction":
        subject = rng.choice(["แก้ไข ", "(ฉบับแก้ไข) ", "ส่งใหม่ ", "[แก้ไข] "]) + (
            subject or "ส่งแบบรายงาน Role Model"
        )
    elif spec.mode == "resend":
        subject = rng.choice(["ส่งซ้ำ ", "ส่งอีกครั้ง: ", ""]) + (subject or "ส่งแบบรายงาน Role Model")
    return subject


def cover_note(rng: random.Random, spec: RMSpec, sender: Sender, form_in_body: bool) -> str:
    """The text a province writes above the form / attachments."""
    P = spec.pname
    to = rng.choice(
        [
            "ผู้อำนวยการกองวิชาการและแผนงาน",
            "กองวิชาการและแผนงาน กรมการปกครอง",
            "ผอ.กวผ.",
            "เจ้าหน้าที่ส่วนแผนงานยุทธศาสตร์",
            "ผู้ตรวจราชการกรมการปกครอง (ผ่าน กวผ.)",
        ]
    )
    closing = rng.choice(
        ["ขอบคุณครับ", "ขอบคุณค่ะ", "จึงเรียนมาเพื่อโปรดทราบ", "จึงเรียนมาเพื่อโปรดทราบและพิจารณา", ""]
    )
    names_district = rng.random() < 0.5 and spec.mention
    if spec.mode == "correction":
        first = (
            f"เรียน {to}\n\n    ที่ทำการปกครองจังหวัด{P} ขอส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model) ฉบับแก้ไข "
            f"แทนฉบับเดิมที่ได้ส่งไปก่อนหน้านี้"
            + (f" โดยขอเสนอ{spec.mention}" if names_district else "")
            + " จึงขอให้ใช้ฉบับนี้แทน"
        )
    elif spec.mode == "resend":
        first = rng.choice(
            [
                "ส่งอีกครั้งนะครับ เนื่องจากไม่แน่ใจว่าได้รับหรือยัง",
                "ขออนุญาตส่งซ้ำค่ะ ไฟล์เดิมเปิดไม่ได้",
                "ส่งซ้ำครับ เมื่อวานส่งแล้วแต่ยังไม่ได้รับการตอบรับ",
            ]
        )
    else:
        first = weighted(
            rng,
            [
                (
                    5,
                    f"เรียน {to}\n\n    ด้วยที่ทำการปกครองจังหวัด{P} ได้พิจารณาคัดเลือกอำเภอต้นแบบ (Role Model) ตามโครงการพัฒนาตำบล"
                    f"แบบบูรณาการ (Tambon Smart Team) เรียบร้อยแล้ว"
                    + (f" ได้แก่ {spec.mention}" if names_district else "")
                    + (
                        " รายละเอียดดังนี้"
                        if form_in_body
                        else " จึงขอส่งแบบรายงานการคัดเลือกฯ พร้อมภาพประกอบ รายละเอียดตามไฟล์แนบ"
                    ),
                ),
                (
                    3,
                    f"ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model) ของจังหวัด{P} "
                    + rng.choice(["ครับ", "ค่ะ"]),
                ),
                (
                    2,
                    rng.choice(
                        [
                            "ตามไฟล์แนบครับ",
                            "ส่งเอกสารตามไฟล์แนบค่ะ",
                            "เรียน เจ้าหน้าที่ กวผ.\nขอส่งเอกสารตามแนบครับ",
                        ]
                    ),
                ),
                (
                    1,
                    f"เรียน {to}\n\nตามหนังสือกรมการปกครอง ด่วนที่สุด ที่ มท ๐๓๐๕.๑/๑๙๐๒๙ ลงวันที่ ๒๘ มีนาคม ๒๕๖๔ "
                    f"(กรมการปกครอง ถนนอัษฎางค์ กทม.) ขอให้จังหวัดคัดเลือกอำเภอต้นแบบ นั้น ทปค.จ.{P} ขอส่งผลการคัดเลือก"
                    + (f" คือ {spec.mention}" if names_district else "")
                    + " มาเพื่อโปรดทราบ",
                ),
                (1, ""),
            ],
        )
    parts = [first]
    if closing and first:
        parts.append(closing)
    if first and rng.random() < 0.8:
        parts.append(sender.signature)
    if sender.client.kind == "iphone":
        parts.append(rng.choice(["ส่งจาก iPhone ของฉัน", "Sent from my iPhone"]))
    return "\n\n".join(x for x in parts if x) + "\n"


def form_filename(rng: random.Random, spec: RMSpec, ext: str) -> str:
    """Attachment name of the form (Thai, English, or meaningless)."""
    P, D = spec.pname, spec.slot.split("\n")[0] or "ต้นแบบ"
    en = spec.province.name_en.replace(" ", "")
    base = weighted(
        rng,
        [
            (5, f"แบบฟอร์มการคัดเลือกอำเภอต้นแบบ (Role Model) จ.{P}"),
            (4, f"แบบรายงาน Role Model {P}"),
            (3, f"RoleModel_{en}"),
            (2, f"อำเภอต้นแบบ_{D}"),
            (2, rng.choice(["เอกสาร1", "Doc1", "New Microsoft Word Document", "แบบฟอร์ม"])),
            (2, f"ผลการคัดเลือกอำเภอต้นแบบ จังหวัด{P}"),
            (1, f"{spec.province.abbr_th} 0017.3-ว{rng.randint(100, 999)} Role Model"),
            (1, f"TST_RoleModel_{spec.province.code}"),
        ],
    )
    if spec.mode == "correction":
        base += rng.choice([" (แก้ไข)", "_แก้ไข", " ฉบับแก้ไข", "_v2"])
    if ext == "pdf" and rng.random() < 0.15:
        return f"Scan_{spec.date:%Y%m%d}_{rng.randint(100000, 999999)}.pdf"
    return f"{base}.{ext}"


def sanitize_for(text: str, charset: str) -> str:
    """Replace characters a legacy charset cannot hold (TIS-620 has no curly quotes)."""
    if charset.lower() in ("tis-620", "iso-8859-11"):
        for a, b in (
            ("“", '"'),
            ("”", '"'),
            ("‘", "'"),
            ("’", "'"),
            ("…", "..."),
            ("–", "-"),
            ("—", "-"),
        ):
            text = text.replace(a, b)
    return text


def html_wrap(client: Client, body_html: str, lead: str) -> str:
    """Wrap an HTML fragment the way Gmail or Outlook would."""
    lead_html = "<br>".join(lead.strip().split("\n"))
    if client.kind in ("outlook", "o365"):
        return (
            '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            '<style>p.MsoNormal{margin:0cm;font-size:11.0pt;font-family:"Calibri",sans-serif;}</style></head>'
            f'<body lang="TH"><div class="WordSection1"><p class="MsoNormal">{lead_html}</p>\n{body_html}</div></body></html>'
        )
    return f'<div dir="ltr"><div>{lead_html}</div><br>\n{body_html}\n</div>'


def build_role_model(ctx: Ctx, spec: RMSpec) -> tuple[Draft, dict]:
    """Turn a plan into a draft message plus its label."""
    rng = rng_for(spec.key)
    p = spec.province
    kind = spec.kind
    if spec.body_encoding != "utf-8":
        kind = kind or rng.choice(["outlook", "thunderbird"])
    if spec.carrier == "body_html" and kind not in ("gmail", "o365", "outlook"):
        kind = rng.choice(["gmail", "o365"])
    sender = province_sender(rng, p, spec.pname, kind)
    thai = rng.random() < 0.45
    fill = make_fill(rng, spec, thai)
    meta = doc_meta(
        rng, spec.date, title="แบบฟอร์มการคัดเลือกอำเภอต้นแบบ" if rng.random() < 0.3 else ""
    )
    carrier = spec.carrier
    notes = list(spec.notes)
    notes.append(f"carrier={carrier}")
    parts: list = []
    caption = (
        rng.choice(["โครงการพัฒนาตำบลแบบบูรณาการ", "Tambon Smart Team", "ประชุมคณะทำงาน TST"])
        + f" {spec.dn}"
    )
    n_photos = (
        spec.n_photos
        if spec.n_photos is not None
        else weighted(rng, [(3, 0), (4, 1), (2, 2), (1, 3)])
    )
    n_photos = min(n_photos, ctx.max_photos)
    if carrier.startswith("body") and n_photos == 0:
        n_photos = 1 + rng.randrange(2)
    dname = spec.slot.split("\n")[0].strip() or "ต้นแบบ"

    docx = None
    if carrier in CARRIERS_WITH_DOCX:
        images = []
        if carrier == "docx_images":
            small = Ctx(ctx.gz, ctx.converter, (320, 240), (4_000, 9_000), ctx.name, 2)
            images = [a.data for a in make_photos(small, rng, 2, caption, spec.date, dname, "")]
        docx = forms.build_form_docx(
            fill, meta, table="table" in carrier, split_criteria=rng.random() < 0.5, images=images
        )
    if carrier in ("docx", "docx+pdf", "table_docx", "table_docx+pdf", "docx_images"):
        parts.append(Attachment(form_filename(rng, spec, "docx"), docx, DOCX_CT))
    if carrier in ("pdf", "docx+pdf", "table_docx+pdf", "pdf+png", "table_pdf"):
        parts.append(
            Attachment(
                form_filename(rng, spec, "pdf"),
                ctx.converter.request(docx, "pdf", spec.date - timedelta(minutes=7)),
                PDF_CT,
            )
        )
    if carrier == "doc":
        parts.append(
            Attachment(form_filename(rng, spec, "doc"), ctx.converter.request(docx, "doc"), DOC_CT)
        )
    if carrier == "pdf+png":
        png = forms.make_chart_png(
            rng, [f"ต.{t}" for t in rng.sample(TAMBONS, 4)], "ผลการจัดเก็บข้อมูล TSTDATA"
        )
        parts.append(
            Attachment(
                rng.choice(["chart.png", "ภาพหน้าจอ 2564-03-29.png", "Screenshot_1.png"]),
                png,
                PNG_CT,
            )
        )
    if carrier == "scan":
        parts.append(
            Attachment(
                f"{rng.choice(['Scan', 'SCAN', 'doc'])}{spec.date:%Y%m%d}{rng.randint(1000, 9999)}.pdf",
                forms.make_scanned_pdf(rng, forms.form_lines(fill), spec.date),
                PDF_CT,
            )
        )
        notes.append("image-only PDF (no text layer): form content unreadable without OCR")
    photos = make_photos(ctx, rng, n_photos, caption, spec.date, dname, sender.client.kind)
    if carrier.startswith("zip"):
        enc = "cp874" if carrier == "zip_cp874" else "utf-8"
        folder = rng.choice([f"Role Model {spec.pname}/", "", f"อำเภอต้นแบบ จ.{spec.pname}/"])
        files = [(folder + form_filename(rng, spec, "docx"), docx)] + [
            (folder + a.filename, a.data) for a in photos
        ]
        zname = rng.choice(
            [
                f"RoleModel_{p.name_en.replace(' ', '')}.zip",
                f"เอกสาร Role Model จ.{spec.pname}.zip",
                "New folder.zip",
            ]
        )
        parts.append(
            Attachment(zname, forms.make_zip(files, spec.date.replace(tzinfo=None), enc), ZIP_CT)
        )
        notes.append(f"form inside a zip (member names {enc})")
        photos = []
    parts.extend(photos)

    form_in_body = carrier.startswith("body")
    text = cover_note(rng, spec, sender, form_in_body)
    html = None
    if form_in_body:
        text = text.rstrip("\n")
        sig_at = text.find(sender.signature) if sender.signature in text else -1
        lead = text[:sig_at].rstrip() if sig_at > 0 else text
        tail = text[sig_at:] if sig_at > 0 else ""
        if carrier == "body_html":
            html = html_wrap(
                sender.client, forms.form_html(fill, table=rng.random() < 0.5, font=meta.font), lead
            )
            text = None
        else:
            text = (
                lead
                + "\n\n"
                + forms.form_text(fill, blank_lines=rng.random() < 0.5)
                + ("\n" + tail if tail else "")
            )
    elif sender.client.sends_html and rng.random() < 0.7 and text.strip():
        html = html_wrap(sender.client, "", text)
    if spec.decomposed and text:
        text = decompose_sara_am(text).replace("อำเภอ", "อ\u200bำเภอ", 1)
        notes.append("body has decomposed sara am (U+0E4D U+0E32) and a zero-width space")

    charset, declared = None, ""
    if spec.body_encoding != "utf-8":
        charset = {"nocharset": "tis-620", "x-windows-874": "windows-874"}.get(
            spec.body_encoding, spec.body_encoding
        )
        declared = {"nocharset": None, "x-windows-874": "x-windows-874", "tis-620": "TIS-620"}.get(
            spec.body_encoding, ""
        )
        text = sanitize_for(text, charset) if text else text
        html = None
        notes.append(f"body charset {spec.body_encoding}")

    to = [(None, INBOX)]
    cc = None
    if spec.to_inspector or spec.forward:
        insp = (f"ผู้ตรวจราชการกรมการปกครอง เขต {p.zone}", f"insp{p.zone}.dopa@gmail.com")
        to = [insp]
        cc = [(None, INBOX)] if spec.to_inspector else None
    elif rng.random() < 0.2:
        cc = [(f"ผู้ตรวจราชการกรมการปกครอง เขต {p.zone}", f"insp{p.zone}.dopa@gmail.com")]
    subject = rm_subject(rng, spec)
    headers, _ = envelope(
        rng,
        sender,
        subject,
        spec.date,
        to=to,
        cc=cc,
        subject_enc=spec.subject_enc,
        received=not spec.forward,
    )
    draft = Draft(
        sender.client,
        headers,
        text=text,
        html=html,
        parts=parts,
        body_charset=charset,
        declared_charset=declared,
        mbox_from=sender.addr,
        date=spec.date,
    )
    if spec.forward:
        draft = forward(ctx, rng, spec, draft, sender, subject, text)
        notes.append(f"forwarded ({spec.forward})")
    label = {
        "campaign": "role_model",
        "province_code": p.code,
        "district_code": spec.district.code if spec.district else None,
        "zone": p.zone,
        "needs_review": spec.needs_review,
        "notes": "; ".join(n for n in notes if n),
    }
    return draft, label


def forward(
    ctx: Ctx,
    rng: random.Random,
    spec: RMSpec,
    inner: Draft,
    sender: Sender,
    subject: str | None,
    text: str | None,
) -> Draft:
    """Wrap a submission into a forward by the zone inspector's office (as message/rfc822, or inline)."""
    p = spec.province
    fwd = inspector_sender(rng, p.zone or 0)
    when = spec.date + timedelta(hours=rng.randint(2, 30))
    subj = rng.choice(["Fwd: ", "FW: ", "Fw: "]) + (subject or "")
    note = rng.choice(
        [
            f"เรียน กวผ.\n\nส่งต่อแบบรายงานการคัดเลือกอำเภอต้นแบบของจังหวัด{spec.pname} ที่ได้รับทางอีเมลสำนักงานผู้ตรวจฯ เขต {p.zone} ครับ",
            "ส่งต่อเพื่อโปรดทราบครับ",
            f"เรียน เจ้าหน้าที่ กวผ. ขอส่งต่อเอกสารของ จ.{spec.pname} ค่ะ",
        ]
    )
    headers, _ = envelope(rng, fwd, subj, when)
    if spec.forward == "rfc822":
        return Draft(
            fwd.client,
            headers,
            text=note + "\n\n" + fwd.signature + "\n",
            parts=[inner],
            mbox_from=fwd.addr,
            date=when,
        )
    orig_from = mail.format_address(sender.display, sender.addr, "UTF-8", "raw")
    if rng.random() < 0.5:
        block = (
            f"---------- Forwarded message ---------\nFrom: {orig_from}\n"
            f"Date: {mail.format_date(spec.date)}\nSubject: {subject or ''}\nTo: <insp{p.zone}.dopa@gmail.com>\n"
        )
    else:
        block = (
            f"---------- ข้อความที่ส่งต่อ ---------\nจาก: {orig_from}\n"
            f"วันที่: {thai_date(spec.date, thai=False, weekday=True)} เวลา {spec.date:%H:%M}\n"
            f"หัวเรื่อง: {subject or ''}\nถึง: <insp{p.zone}.dopa@gmail.com>\n"
        )
    body = note + "\n\n" + block + "\n\n" + (text or "")
    return Draft(
        fwd.client,
        headers,
        text=body,
        parts=[a for a in inner.parts],
        mbox_from=fwd.addr,
        date=when,
        body_charset=inner.body_charset,
        declared_charset=inner.declared_charset,
    )


# ==========================================================================
# Monthly best-practice reports
# ==========================================================================


@dataclass
class BPSpec:
    """One monthly 'Best Practice' report."""

    key: str
    province: Province
    district: District | None  # the district where the practice happened, if the report names one
    month: int
    date: datetime
    carrier: str
    needs_review: bool = False
    pname: str = ""
    notes: list[str] = field(default_factory=list)
    forward: bool = False


def bp_paragraphs(rng: random.Random, spec: BPSpec, thai: bool, dn: str | None) -> list[str]:
    """The report text: title block and the usual numbered sections."""
    P = spec.pname
    month = THAI_MONTHS[spec.month - 1]
    title = rng.choice(BP_TITLES)
    tambon = rng.choice(TAMBONS)
    if dn:
        area = rng.choice(
            [
                f"ตำบล{tambon} {dn} จังหวัด{P}",
                f"หมู่ที่ {rng.randint(1, 15)} บ้าน{tambon} ต.{tambon} "
                f"{dn.replace('อำเภอ', 'อ.')} จ.{P}",
                f"{dn} จังหวัด{P}",
            ]
        )
    else:
        area = rng.choice(
            [
                f"ทุกอำเภอในพื้นที่จังหวัด{P}",
                f"จังหวัด{P}",
                f"ตำบลเป้าหมายของจังหวัด{P} จำนวน {rng.randint(5, 30)} ตำบล",
            ]
        )
    paras = [
        "แบบรายงานผลการปฏิบัติงานที่เป็นแบบอย่างที่ดี (Best Practice)",
        "โครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team)",
        f"จังหวัด{P} ประจำเดือน{month} พ.ศ. 2564",
        f"1. ชื่อผลงาน {title}",
        f"2. พื้นที่ดำเนินการ {area}",
        "3. ความเป็นมาและความสำคัญ ผู้ปฏิบัติงานตามโครงการฯ ได้นำข้อมูลจากการลงพื้นที่จัดเก็บข้อมูลมาวิเคราะห์ "
        f"พบว่าครัวเรือนเป้าหมายจำนวน {rng.randint(20, 300)} ครัวเรือนมีปัญหาด้านรายได้และคุณภาพชีวิต",
        "4. วิธีการดำเนินงาน "
        + rng.choice(CRITERIA[2]).format(
            n3=rng.randint(100, 900),
            INN=rng.choice(INNOVATIONS),
            PROD=rng.choice(PRODUCTS),
            T=tambon,
        ),
        "5. ผลการดำเนินงาน "
        + rng.choice(CRITERIA[3]).format(
            PA=rng.choice(PARTNERS), PB=rng.choice(PARTNERS), PROD=rng.choice(PRODUCTS)
        ),
        "6. ปัจจัยแห่งความสำเร็จ การมีส่วนร่วมของชุมชนและการบูรณาการของหน่วยงานในพื้นที่",
    ]
    rep, _ = person(rng)
    paras.append(f"ผู้รายงาน {rep} โทร. {phone(rng, spec.province.code, mobile=True)}")
    if thai:
        paras = [thai_text(x) for x in paras]
    return paras


def bp_subject(rng: random.Random, spec: BPSpec, title_hint: str) -> str:
    """Subject of a monthly report."""
    P = spec.pname
    m, ma = THAI_MONTHS[spec.month - 1], THAI_MONTHS_ABBR[spec.month - 1]
    return weighted(
        rng,
        [
            (4, f"รายงานผลการปฏิบัติงานที่เป็นแบบอย่างที่ดี (Best Practice) ประจำเดือน{m} 2564 จังหวัด{P}"),
            (3, f"ส่ง Best Practice เดือน{ma} 64 จ.{P}"),
            (2, f"Best Practices โครงการ TST จังหวัด{P} ({m} 2564)"),
            (2, f"รายงาน Best Practice ประจำเดือน {ma} จ.{P}"),
            (2, f"ผลการปฏิบัติงานที่เป็นแบบอย่างที่ดี TST จ.{P} เรื่อง {title_hint}"),
            (
                1,
                f"Best Practice {spec.province.name_en} {['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep'][spec.month - 1]} 2021",
            ),
            (1, f"ส่งผลงาน Best Practice ทปค.จ.{P}"),
        ],
    )


def build_best_practice(ctx: Ctx, spec: BPSpec) -> tuple[Draft, dict]:
    """A monthly best-practice report as a draft plus label."""
    rng = rng_for(spec.key)
    p = spec.province
    spec.pname = spec.pname or p.name_th
    sender = province_sender(rng, p, spec.pname)
    thai = rng.random() < 0.3
    dn = None
    if spec.district:
        d = spec.district
        dn = (
            f"อำเภอเมือง{p.name_th}"
            if d.code == p.code + "01" and d.code != "1401"
            else f"อำเภอ{d.name_th}"
        )
        if d.code == p.code + "01" and d.code != "1401" and rng.random() < 0.5:
            dn = "อำเภอเมือง"
    paras = bp_paragraphs(rng, spec, thai, dn)
    title_hint = paras[3].split(" ", 2)[-1]
    meta = doc_meta(rng, spec.date)
    n_photos = min(weighted(rng, [(2, 0), (4, 1), (3, 2)]), ctx.max_photos)
    photos = make_photos(
        ctx,
        rng,
        n_photos,
        f"Best Practice {dn or spec.pname}",
        spec.date,
        (dn or "").replace("อำเภอ", "") or spec.pname,
        sender.client.kind,
    )
    parts: list = []
    text_intro = weighted(
        rng,
        [
            (
                3,
                f"เรียน กองวิชาการและแผนงาน\n\n    ที่ทำการปกครองจังหวัด{spec.pname} ขอส่งรายงานผลการปฏิบัติงานที่เป็นแบบอย่างที่ดี "
                f"(Best Practice) ประจำเดือน{THAI_MONTHS[spec.month - 1]} 2564 รายละเอียดตามไฟล์แนบ",
            ),
            (2, "ส่ง Best Practice ประจำเดือนครับ"),
            (1, "ตามไฟล์แนบค่ะ"),
        ],
    )
    text = text_intro + "\n\n" + sender.signature + "\n"
    html = None
    carrier = spec.carrier
    if carrier in ("docx", "docx+pdf", "pdf", "zip"):
        docx = forms.build_text_docx(paras, meta, title_count=3)
        fname = rng.choice(
            [
                f"Best Practice {THAI_MONTHS_ABBR[spec.month - 1]} 64 จ.{spec.pname}",
                f"BestPractice_{p.name_en.replace(' ', '')}_{spec.month:02d}2564",
                f"แบบรายงาน Best Practice เดือน{THAI_MONTHS[spec.month - 1]}",
            ]
        )
        if carrier in ("docx", "docx+pdf"):
            parts.append(Attachment(fname + ".docx", docx, DOCX_CT))
        if carrier in ("pdf", "docx+pdf"):
            parts.append(
                Attachment(
                    fname + ".pdf",
                    ctx.converter.request(docx, "pdf", spec.date - timedelta(minutes=7)),
                    PDF_CT,
                )
            )
        if carrier == "zip":
            files = [(fname + ".docx", docx)] + [(a.filename, a.data) for a in photos]
            parts.append(
                Attachment(
                    f"BestPractice_{spec.month:02d}.zip",
                    forms.make_zip(files, spec.date.replace(tzinfo=None)),
                    ZIP_CT,
                )
            )
            photos = []
    elif carrier == "body_html":
        body = "\n".join(f"<p>{x}</p>" for x in paras)
        html = html_wrap(Client("gmail"), body, text_intro)
        text = None
    else:  # body
        text = (
            text_intro.split("\n\n")[0]
            + "\n\n"
            + "\n".join(paras)
            + "\n\n"
            + sender.signature
            + "\n"
        )
    parts.extend(photos)
    if html is None and text and sender.client.sends_html and rng.random() < 0.6:
        html = html_wrap(sender.client, "", text)
    subject = bp_subject(rng, spec, title_hint)
    headers, _ = envelope(rng, sender, subject, spec.date, received=not spec.forward)
    draft = Draft(
        sender.client,
        headers,
        text=text,
        html=html,
        parts=parts,
        mbox_from=sender.addr,
        date=spec.date,
    )
    notes = list(spec.notes) + [f"carrier={carrier}", f"month={spec.month}"]
    if spec.forward:
        fwd = inspector_sender(rng, p.zone or 0)
        when = spec.date + timedelta(hours=5)
        h2, _ = envelope(rng, fwd, "Fwd: " + subject, when)
        draft = Draft(
            fwd.client,
            h2,
            text="ส่งต่อรายงาน Best Practice เพื่อโปรดทราบครับ\n\n" + fwd.signature + "\n",
            parts=[draft],
            mbox_from=fwd.addr,
            date=when,
        )
        notes.append("forwarded (rfc822)")
    if not spec.district:
        notes.append("no district named")
    label = {
        "campaign": "best_practice",
        "province_code": p.code,
        "district_code": spec.district.code if spec.district else None,
        "zone": p.zone,
        "needs_review": spec.needs_review,
        "notes": "; ".join(notes),
    }
    return draft, label


# ==========================================================================
# Everything else in the inbox (label "other")
# ==========================================================================


def other_label(kind: str, note: str = "") -> dict:
    """Label of a non-campaign message (province/district/zone are always null)."""
    return {
        "campaign": "other",
        "province_code": None,
        "district_code": None,
        "zone": None,
        "needs_review": False,
        "notes": f"{kind}" + (f"; {note}" if note else ""),
    }


def quote(text: str) -> str:
    """Prefix every line with ``> ``."""
    return "\n".join("> " + ln if ln else ">" for ln in text.rstrip("\n").split("\n"))


def other_ack(
    ctx: Ctx,
    rng: random.Random,
    dt: datetime,
    p: Province,
    quoted_form: bool,
    canonical: bool = False,
) -> tuple[Draft, dict]:
    """'Re: … ได้รับแล้ว ขอบคุณครับ' from DOPA staff (lands in the inbox through Cc).

    ``canonical`` forces exactly that subject; otherwise it varies.
    """
    staff = central_sender(rng, rng.choice(["gmail", "outlook"]))
    staff = Sender(
        staff.display,
        rng.choice(["plan.dopa01@gmail.com", "kwp.dopa@dopa.go.th"]),
        staff.client,
        staff.person,
        staff.signature,
    )
    orig_subject = f"ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model) จังหวัด{p.name_th}"
    d = rng.choice(ctx.gz.by_province[p.code])
    orig_date = dt - timedelta(hours=rng.randint(1, 20))
    intro = f"เมื่อ {thai_date(orig_date, thai=False, weekday=True)} เวลา {orig_date:%H:%M} น. ทปค.จ.{p.name_th} <{abbr_en(p)}.dopa@gmail.com> เขียนว่า:"
    quoted = f"ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model) ของจังหวัด{p.name_th} ครับ"
    if quoted_form:
        quoted += (
            f"\n\nที่ทำการปกครองจังหวัด.....{p.name_th}.....ได้พิจารณาคัดเลือกอำเภอ.....{d.name_th}....."
            "\nเป็นอำเภอต้นแบบ (Role Model) ตามโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team)"
        )
    reply = rng.choice(["ได้รับแล้ว ขอบคุณครับ", "ได้รับเอกสารเรียบร้อยแล้วค่ะ ขอบคุณค่ะ", "ได้รับแล้วครับ"])
    text = f"{reply}\n\n{staff.signature}\n\n{intro}\n\n{quote(quoted)}\n"
    subject = rng.choice(
        [f"Re: {orig_subject} ได้รับแล้ว ขอบคุณครับ", f"Re: {orig_subject}", f"RE: {orig_subject}"]
    )
    if canonical:
        subject = f"Re: {orig_subject} ได้รับแล้ว ขอบคุณครับ"
    extra = [
        ("In-Reply-To", f"<CA{rng.randint(10**20, 10**21)}@mail.gmail.com>"),
        ("References", f"<CA{rng.randint(10**20, 10**21)}@mail.gmail.com>"),
    ]
    headers, _ = envelope(
        rng,
        staff,
        subject,
        dt,
        to=[(f"ทปค.จ.{p.name_th}", f"{abbr_en(p)}.dopa@gmail.com")],
        cc=[(None, INBOX)],
        extra=extra,
    )
    html = html_wrap(
        staff.client, "<blockquote>" + quoted.replace("\n", "<br>") + "</blockquote>", reply
    )
    note = f"acknowledgement to {p.name_th}" + (
        "; quotes the filled-in form (hard negative)" if quoted_form else ""
    )
    return Draft(
        staff.client, headers, text=text, html=html, mbox_from=staff.addr, date=dt
    ), other_label("reply", note)


def other_province_mail(
    ctx: Ctx, rng: random.Random, dt: datetime, p: Province, kind: str
) -> tuple[Draft, dict]:
    """A province writing about the campaign without submitting: a question or an extension request."""
    sender = province_sender(rng, p, p.name_th)
    if kind == "question":
        subject = rng.choice(
            [
                "สอบถามเรื่องแบบฟอร์ม Role Model",
                f"Re: การคัดเลือกอำเภอต้นแบบ (Role Model) จ.{p.name_th} ขอแบบฟอร์มไฟล์ Word",
                "สอบถามหลักเกณฑ์การคัดเลือกอำเภอต้นแบบ",
            ]
        )
        body = rng.choice(
            [
                f"เรียน กวผ.\n\nทปค.จ.{p.name_th} ขอสอบถามว่าจังหวัดสามารถเสนออำเภอต้นแบบได้มากกว่า ๑ อำเภอหรือไม่ "
                "และต้องส่งแบบฟอร์มเป็นไฟล์ PDF หรือ Word ครับ",
                "ขอแบบฟอร์มการคัดเลือกอำเภอต้นแบบ (Role Model) เป็นไฟล์ Word ด้วยค่ะ ไฟล์ที่ได้รับเป็น PDF แก้ไขไม่ได้",
            ]
        )
    else:
        subject = rng.choice(
            [
                f"ขอขยายเวลาส่งแบบรายงาน Role Model จ.{p.name_th}",
                f"ขอขยายระยะเวลาการส่งผลการคัดเลือกอำเภอต้นแบบ จังหวัด{p.name_th}",
            ]
        )
        body = (
            f"เรียน ผู้อำนวยการกองวิชาการและแผนงาน\n\nเนื่องจากที่ทำการปกครองจังหวัด{p.name_th} อยู่ระหว่างการประชุมคณะกรรมการ"
            f"พิจารณาคัดเลือกอำเภอต้นแบบ จึงขอขยายเวลาการส่งแบบรายงานไปจนถึงวันที่ {thai_date(datetime(2021, 4, 5))} ครับ"
        )
    text = body + "\n\n" + sender.signature + "\n"
    headers, _ = envelope(rng, sender, subject, dt)
    html = html_wrap(sender.client, "", text) if sender.client.sends_html else None
    return (
        Draft(sender.client, headers, text=text, html=html, mbox_from=sender.addr, date=dt),
        other_label(kind, f"from {p.name_th}; mentions Role Model but is not a submission"),
    )


def other_autoreply(
    ctx: Ctx, rng: random.Random, dt: datetime, p: Province, variant: int
) -> tuple[Draft, dict]:
    """Out-of-office replies, with and without the Auto-Submitted header."""
    sender = province_sender(rng, p, p.name_th, rng.choice(["outlook", "o365", "gmail"]))
    orig = "การคัดเลือกอำเภอต้นแบบ (Role Model) ตามโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team)"
    extra: list[tuple[str, str]] = []
    if variant == 0:
        subject = f"ตอบกลับอัตโนมัติ: {orig}"
        extra = [("Auto-Submitted", "auto-replied"), ("X-Auto-Response-Suppress", "All")]
        text = f"ขณะนี้ไม่อยู่ที่สำนักงาน ระหว่างวันที่ {thai_date(dt)} - {thai_date(dt + timedelta(days=4))} หากมีเรื่องด่วนติดต่อ {phone(rng, p.code)}"
    elif variant == 1:
        subject = f"Automatic reply: {orig}"
        extra = [
            ("X-Auto-Response-Suppress", "All"),
            ("X-MS-Exchange-Inbox-Rules-Loop", sender.addr),
        ]
        text = "I am out of the office until 5 April 2021 with limited access to e-mail.\nไม่อยู่ที่สำนักงาน จะกลับวันที่ 5 เม.ย. 64"
    elif variant == 2:
        subject = f"Out of Office: Re: ส่งแบบรายงาน Role Model จังหวัด{p.name_th}"
        extra = [("Auto-Submitted", "auto-replied"), ("Precedence", "bulk")]
        text = "ลาพักร้อน ๒๙ มี.ค. - ๒ เม.ย. ๖๔ ค่ะ"
    else:
        subject = f"Auto: {orig}"
        extra = [("Auto-Submitted", "auto-generated"), ("X-Autoreply", "yes")]
        text = "ระบบตอบกลับอัตโนมัติ: ได้รับอีเมลของท่านแล้ว เจ้าหน้าที่จะติดต่อกลับโดยเร็ว"
    headers, _ = envelope(rng, sender, subject, dt, extra=extra)
    return Draft(
        sender.client, headers, text=text + "\n", mbox_from=sender.addr, date=dt
    ), other_label("auto-reply", f"variant {variant}")


def other_bounce(
    ctx: Ctx, rng: random.Random, dt: datetime, inner: Draft | None
) -> tuple[Draft, dict]:
    """A delivery failure (multipart/report) that may carry a whole submission as message/rfc822."""
    daemon = Sender(
        "Mail Delivery Subsystem", "mailer-daemon@googlemail.com", Client("gmail"), "", ""
    )
    bad = rng.choice(["insp16.dopa@gmial.com", "nan.dopa@gmail.con", "inspector9@dopa.go.th"])
    text = (
        f"** Address not found **\n\nYour message wasn't delivered to {bad} because the address couldn't be found, "
        "or is unable to receive mail.\n\nThe response from the remote server was:\n550 5.1.1 The email account that you "
        "tried to reach does not exist.\n"
    )
    status = (
        f"Reporting-MTA: dns; googlemail.com\nArrival-Date: {mail.format_date(dt)}\n\nFinal-Recipient: rfc822; {bad}\n"
        "Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist.\n"
    ).encode()
    parts: list = [mail.leaf("message/delivery-status", status, cte="")]
    if inner is not None:
        parts.append(inner)
    else:
        parts.append(
            mail.leaf(
                "text/rfc822-headers", f"From: {INBOX}\nTo: {bad}\nSubject: test\n".encode(), cte=""
            )
        )
    headers, _ = envelope(
        rng,
        daemon,
        "Delivery Status Notification (Failure)",
        dt,
        extra=[("Auto-Submitted", "auto-replied")],
    )
    draft = Draft(
        daemon.client,
        headers,
        text=text,
        parts=parts,
        root_subtype="report",
        root_params="report-type=delivery-status",
        mbox_from="MAILER-DAEMON",
        date=dt,
    )
    note = (
        "bounce carrying a complete role-model submission as message/rfc822 (hard negative)"
        if inner
        else "bounce"
    )
    return draft, other_label("bounce", note)


NEWSLETTERS = [
    (
        "จดหมายข่าว กรมการปกครอง",
        "news@dopa.go.th",
        "จดหมายข่าวกรมการปกครอง ฉบับที่ {n}/2564",
        "ข่าวประชาสัมพันธ์ประจำสัปดาห์: อธิบดีกรมการปกครองมอบนโยบายการขับเคลื่อนโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team) "
        "แก่ผู้ว่าราชการจังหวัดทุกจังหวัด ณ กรุงเทพมหานคร และเยี่ยมชมผลงานอำเภอเมืองเชียงใหม่",
    ),
    (
        "Google",
        "no-reply@accounts.google.com",
        "การแจ้งเตือนความปลอดภัย",
        "มีการลงชื่อเข้าใช้ใหม่ในบัญชี dopa.areaplan@gmail.com จากอุปกรณ์ Windows",
    ),
    (
        "Shopee",
        "info@mail.shopee.co.th",
        "โค้ดส่งฟรี! เฉพาะวันนี้ 3.3 เท่านั้น",
        "ช้อปเลย ลดสูงสุด 90% ส่งฟรีทั่วไทย เชียงใหม่ ภูเก็ต ขอนแก่น",
    ),
    (
        "สำนักงาน ก.พ.",
        "newsletter@ocsc.go.th",
        "ข่าวสาร ก.พ. ประจำเดือน{m}",
        "ประกาศรับสมัครสอบ ภาค ก. ประจำปี 2564 และหลักสูตรฝึกอบรมออนไลน์",
    ),
    (
        "LINE",
        "no-reply@line.me",
        "ข้อความใหม่จาก LINE Official Account",
        "คุณมีข้อความใหม่ 3 ข้อความจาก TST จังหวัดน่าน",
    ),
]


def other_newsletter(ctx: Ctx, rng: random.Random, dt: datetime, i: int) -> tuple[Draft, dict]:
    """Bulk mail: newsletters and notifications (List-Unsubscribe, Precedence: bulk)."""
    name, addr, subj, body = NEWSLETTERS[i % len(NEWSLETTERS)]
    subj = subj.format(n=rng.randint(5, 20), m=THAI_MONTHS[dt.month - 1])
    sender = Sender(name, addr, Client(rng.choice(["roundcube", "yahoo"])), "", "")
    extra = [
        (
            "List-Unsubscribe",
            f"<mailto:unsubscribe@{addr.split('@')[1]}>, <https://{addr.split('@')[1]}/u?id={rng.randint(10**6, 10**7)}>",
        ),
        ("Precedence", "bulk"),
        ("List-Id", f"<news.{addr.split('@')[1]}>"),
    ]
    headers, _ = envelope(rng, sender, subj, dt, extra=extra)
    html = f"<html><body><h2>{subj}</h2><p>{body}</p><p><a href='https://example.invalid/u'>ยกเลิกการรับข่าวสาร</a></p></body></html>"
    return Draft(
        sender.client, headers, text=body + "\n", html=html, mbox_from=addr, date=dt
    ), other_label("newsletter", name)


SPAM = [
    (
        "Claims Dept",
        "claims@lotto-winners.example",
        "CONGRATULATIONS!!! You have won $1,500,000 USD",
        "Dear Winner,\nYour email was selected in the Role Model International Lottery. Send your name, address and phone number.",
    ),
    (
        "สินเชื่อด่วน",
        "loan.fast88@mail.example",
        "สินเชื่อเงินด่วน อนุมัติไว ไม่เช็คบูโร ข้าราชการกู้ได้",
        "ข้าราชการ พนักงานราชการ กู้ได้ทันที วงเงินสูงสุด 500,000 บาท ทุกจังหวัด ทั่วประเทศ โทรเลย",
    ),
    (
        "Mail Administrator",
        "admin@dopa-go-th.example",
        "Your mailbox is almost full",
        "Your mailbox dopa.areaplan@gmail.com has exceeded its quota. Click here to verify your account within 24 hours.",
    ),
    (
        "ร้านยาออนไลน์",
        "sale@pharma.example",
        "ยาลดน้ำหนัก สูตรเร่งด่วน ส่งฟรี",
        "ลดจริง 10 กิโลใน 7 วัน สั่งซื้อวันนี้ รับฟรีอีก 1 กล่อง",
    ),
    (
        "Accounting",
        "invoice@billing.example",
        "Invoice 2021-0331 overdue",
        "Please see the attached invoice and pay immediately.",
    ),
]


def other_spam(ctx: Ctx, rng: random.Random, dt: datetime, i: int) -> tuple[Draft, dict]:
    """Spam and phishing."""
    name, addr, subj, body = SPAM[i % len(SPAM)]
    sender = Sender(name, addr, Client(rng.choice(["yahoo", "roundcube", "thunderbird"])), "", "")
    extra = (
        [("X-Spam-Flag", "YES"), ("X-Spam-Status", f"Yes, score={rng.uniform(6, 15):.1f}")]
        if rng.random() < 0.5
        else []
    )
    headers, _ = envelope(
        rng,
        sender,
        subj,
        dt,
        to=[(None, rng.choice([INBOX, "undisclosed-recipients:;"]))],
        extra=extra,
        subject_enc=rng.choice(["B", "raw"]),
    )
    parts = []
    if "Invoice" in subj:
        parts.append(
            Attachment(
                "Invoice_2021-0331.zip",
                forms.make_zip(
                    [("Invoice.pdf.exe", b"MZ" + rng.randbytes(600))], dt.replace(tzinfo=None)
                ),
                ZIP_CT,
            )
        )
    return Draft(
        sender.client, headers, text=body + "\n", parts=parts, mbox_from=addr, date=dt
    ), other_label("spam")


def other_meeting(ctx: Ctx, rng: random.Random, dt: datetime, i: int) -> tuple[Draft, dict]:
    """Meeting invitations, some with a text/calendar part."""
    sender = central_sender(rng, rng.choice(["gmail", "outlook"]))
    sender = Sender(
        rng.choice(["สำนักงานเลขานุการกรม", "ส่วนแผนงานยุทธศาสตร์"]),
        rng.choice(["secretary.dopa@gmail.com", "meeting@dopa.go.th"]),
        sender.client,
        sender.person,
        sender.signature,
    )
    topic = rng.choice(
        [
            "ประชุมชี้แจงแนวทางการขับเคลื่อนโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team) ผ่านระบบ Zoom",
            "ประชุมคณะทำงานพิจารณาคัดเลือกอำเภอต้นแบบ (Role Model) ระดับกรม",
            "ประชุมทางไกลผ่านระบบวีดิทัศน์ (VCS) ผู้ตรวจราชการกรมการปกครอง ทุกเขต",
            "ประชุมติดตามการรายงาน Best Practice ประจำเดือน",
        ]
    )
    when = dt + timedelta(days=rng.randint(2, 7))
    subject = rng.choice(["เชิญประชุม: ", "ขอเชิญเข้าร่วม", "คำเชิญ: "]) + topic
    text = (
        f"เรียน ผู้เกี่ยวข้อง\n\nขอเชิญเข้าร่วม{topic} ในวันที่ {thai_date(when)} เวลา 09.30 น. "
        f"Meeting ID: {rng.randint(100, 999)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} Passcode: {rng.randint(100000, 999999)}\n\n"
        f"{sender.signature}\n"
    )
    parts = []
    if i % 2 == 0:
        ics = (
            "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
            f"BEGIN:VEVENT\r\nDTSTART:{when:%Y%m%d}T023000Z\r\nDTEND:{when:%Y%m%d}T050000Z\r\n"
            f"UID:{rng.randint(10**9, 10**10)}@google.com\r\nSUMMARY:{topic}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        parts.append(
            mail.leaf('text/calendar; charset="UTF-8"; method=REQUEST', ics.encode(), cte="base64")
        )
        parts.append(Attachment("invite.ics", ics.encode(), "application/ics"))
    headers, _ = envelope(rng, sender, subject, dt, to=[(None, INBOX)])
    return Draft(
        sender.client, headers, text=text, parts=parts, mbox_from=sender.addr, date=dt
    ), other_label("meeting invitation", topic[:40])


def other_circular(ctx: Ctx, rng: random.Random, dt: datetime, i: int) -> tuple[Draft, dict]:
    """DOPA circulars: the original letter with the blank form, the results list, the best-practice reminder."""
    sender = central_sender(rng, "gmail")
    sender = Sender(
        "สารบรรณ กรมการปกครอง",
        "saraban.dopa@gmail.com",
        sender.client,
        sender.person,
        sender.signature,
    )
    parts = []
    if i % 3 == 0:
        subject = "ส่งหนังสือ ด่วนที่สุด ที่ มท 0305.1/ว 19029 เรื่อง การคัดเลือกอำเภอต้นแบบ (Role Model)"
        blank = FormFill(
            zone="",
            province="",
            district="",
            criteria=[],
            reporter="",
            reporter_position="ปลัดจังหวัด.....",
            coordinator="",
            coordinator_position="",
            phone="",
            slot_style="dots",
            keep_remarks=True,
        )
        docx = forms.build_form_docx(blank, doc_meta(rng, dt))
        parts.append(Attachment("แบบฟอร์มการคัดเลือกอำเภอต้นแบบ (Role Model).docx", docx, DOCX_CT))
        text = (
            "เรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด\n\nกรมการปกครองขอส่งหนังสือ เรื่อง การคัดเลือกอำเภอต้นแบบ (Role Model) "
            "ตามโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team) และแบบฟอร์มการคัดเลือก ขอให้ส่งภายในวันที่ ๓๑ มีนาคม ๒๕๖๔\n"
        )
        note = "the DOPA letter itself with the BLANK form (hard negative)"
    elif i % 3 == 1:
        subject = "แจ้งผลการคัดเลือกอำเภอต้นแบบ (Role Model) เขตตรวจราชการละ ๑ อำเภอ"
        picks = []
        for z in range(1, 19):
            p = rng.choice(ctx.gz.zone_provinces(z))
            d = rng.choice(ctx.gz.by_province[p.code])
            picks.append(f"เขต {z} อำเภอ{d.name_th} จังหวัด{p.name_th}")
        text = "ผลการคัดเลือกอำเภอต้นแบบ (Role Model) ทั้ง ๑๘ อำเภอ ดังนี้\n" + "\n".join(picks) + "\n"
        note = "announcement listing 18 districts in 18 provinces (hard negative)"
    else:
        subject = (
            "แจ้งเตือน การรายงานผลการปฏิบัติงานที่เป็นแบบอย่างที่ดี (Best Practices) ภายในวันที่ 25 ของทุกเดือน"
        )
        text = (
            "เรียน ที่ทำการปกครองจังหวัด ทุกจังหวัด\n\nขอให้รายงาน Best Practices จากการขับเคลื่อนโครงการฯ อย่างน้อยจังหวัดละ ๑ เรื่อง "
            "ภายในวันที่ ๒๕ ของทุกเดือน ตามหนังสือกรมการปกครอง ด่วนที่สุด ที่ มท ๐๓๐๕.๑/ว ๑๒๘๙\n"
        )
        note = "best-practice reminder from DOPA (hard negative)"
    headers, _ = envelope(
        rng, sender, subject, dt, to=[(None, "undisclosed-recipients:;")], cc=[(None, INBOX)]
    )
    return Draft(
        sender.client,
        headers,
        text=text + "\n" + sender.signature + "\n",
        parts=parts,
        mbox_from=sender.addr,
        date=dt,
    ), other_label("circular", note)


def other_misc(
    ctx: Ctx, rng: random.Random, dt: datetime, p: Province, i: int
) -> tuple[Draft, dict]:
    """Unrelated province mail, test messages."""
    sender = province_sender(rng, p, p.name_th)
    if i == 0:
        subject, text = "ทดสอบ", "ทดสอบการส่งอีเมล\n"
        note = "test mail"
    elif i == 1:
        subject = f"ส่งรายชื่อผู้เข้ารับการอบรมหลักสูตรนายอำเภอ จ.{p.name_th}"
        text = f"ส่งรายชื่อผู้เข้ารับการอบรม จำนวน ๓ ราย ตามไฟล์แนบครับ\n\n{sender.signature}\n"
        note = "other business from a province"
    else:
        subject = "แบบสำรวจความพึงพอใจการให้บริการ"
        text = "ขอความร่วมมือตอบแบบสำรวจ https://forms.gle/xxxxxxxx ภายในวันที่ 9 เม.ย. 64\n"
        note = "survey"
    headers, _ = envelope(rng, sender, subject, dt)
    return Draft(sender.client, headers, text=text, mbox_from=sender.addr, date=dt), other_label(
        "misc", note
    )


# ==========================================================================
# Plans
# ==========================================================================

ROLE_MODEL_DAYS = [
    (25, 5),
    (26, 8),
    (27, 2),
    (28, 2),
    (29, 20),
    (30, 22),
    (31, 25),
    (32, 7),
    (33, 5),
    (34, 1),
    (35, 1),
    (36, 2),
]
TRAP_DISTRICTS = {
    "14": "1401",
    "30": "3027",
    "33": "3318",
    "45": "4512",
    "52": "5213",
    "19": "1913",
    "31": "3123",
    "55": "5515",
    "80": "8023",
    "50": "5002",
    "96": "9610",
}


def rm_date(rng: random.Random) -> datetime:
    """A submission time between 25 March and 5 April 2021 (most near the 31 March deadline)."""
    day = weighted(rng, [(w, d) for d, w in ROLE_MODEL_DAYS])
    hour = weighted(
        rng, [(1, rng.randint(6, 7)), (12, rng.randint(8, 16)), (2, rng.randint(17, 22))]
    )
    base = datetime(2021, 3, 1, tzinfo=TH) + timedelta(days=day - 1)
    return base.replace(hour=hour, minute=rng.randint(0, 59), second=rng.randint(0, 59))


def bp_date(rng: random.Random, month: int) -> datetime:
    """A monthly report sent around the 25th of ``month`` (2021)."""
    day = rng.randint(15, 28)
    return datetime(
        2021, month, day, rng.randint(8, 18), rng.randint(0, 59), rng.randint(0, 59), tzinfo=TH
    )


def pick_district(
    rng: random.Random, gz: Gazetteer, p: Province, capital_share: float = 0.25
) -> District:
    """A random district of ``p`` (the capital with probability ``capital_share``)."""
    if rng.random() < capital_share:
        return gz.capital(p.code)
    return rng.choice(gz.by_province[p.code])


def rm_spec(
    gz: Gazetteer, rng: random.Random, key: str, p: Province, d: District, carrier: str, **kw
) -> RMSpec:
    """A plain (non-review) submission of district ``d``; ``kw`` overrides RMSpec fields."""
    style = kw.pop("style", None)
    slot, mention, dn, note = district_writing(rng, p, d, style)
    spec = RMSpec(
        key=key,
        province=p,
        district=d,
        slot=slot,
        mention=mention,
        pname=p.name_th,
        zone_written=p.zone or 0,
        carrier=carrier,
        date=kw.pop("date", None) or rm_date(rng),
        dn=dn,
        notes=[note] if note else [],
    )
    for k, v in kw.items():
        setattr(spec, k, v)
    return spec


@dataclass
class Item:
    """A planned message: its builder's draft and label, plus a stable key."""

    key: str
    draft: Draft
    label: dict
    ref: str | None = None


def base_carrier_deck() -> list[tuple[str, dict]]:
    """How the 76 first submissions are sent (counts chosen for coverage)."""
    deck: list[tuple[str, dict]] = []
    for carrier, n in [
        ("docx", 13),
        ("pdf", 11),
        ("docx+pdf", 8),
        ("table_docx", 7),
        ("table_docx+pdf", 3),
        ("doc", 3),
        ("body_plain", 8),
        ("body_html", 5),
        ("zip", 3),
        ("zip_cp874", 1),
        ("docx_images", 3),
        ("pdf+png", 2),
        ("table_pdf", 2),
    ]:
        deck += [(carrier, {})] * n
    deck += [("body_plain", {"body_encoding": "tis-620"})] * 2
    deck += [("body_plain", {"body_encoding": "windows-874"})] * 2
    deck += [
        ("docx", {"forward": "rfc822"}),
        ("pdf", {"forward": "rfc822"}),
        ("docx+pdf", {"forward": "inline"}),
    ]
    return deck


def plan_corpus_role_models(ctx: Ctx, rng: random.Random) -> list[tuple[RMSpec, str | None]]:
    """Base submission for each of the 76 provinces, then the deliberate extras and review cases."""
    gz = ctx.gz
    provinces = gz.all76
    deck = base_carrier_deck()
    assert len(deck) == 76, len(deck)
    rng.shuffle(deck)
    free = [p for p in provinces if p.code not in TRAP_DISTRICTS]
    capital_codes = {p.code for p in rng.sample(free, 15)}
    english = {p.code for p in rng.sample(free, 7)}
    inspector_cc = {p.code for p in rng.sample(free, 3)}
    specs: list[tuple[RMSpec, str | None]] = []
    cap_i = 0
    by_code: dict[str, RMSpec] = {}
    for p, (carrier, extra) in zip(provinces, deck, strict=True):
        key = f"rm-{p.code}"
        r = rng_for(key + ":plan")
        style = None
        if p.code in TRAP_DISTRICTS:
            d = gz.districts[TRAP_DISTRICTS[p.code]]
        elif p.code in capital_codes:
            d = gz.capital(p.code)
            style = cap_i % 5
            cap_i += 1
        else:
            d = r.choice([x for x in gz.by_province[p.code] if x.code != p.code + "01"])
        spec = rm_spec(
            gz,
            r,
            key,
            p,
            d,
            carrier,
            style=style,
            english_subject=p.code in english and not carrier.startswith("body"),
            to_inspector=p.code in inspector_cc and not extra.get("forward"),
            **extra,
        )
        by_code[p.code] = spec
        specs.append((spec, None))

    P = gz.provinces
    D = gz.districts

    def extra_spec(key: str, pcode: str, dcode: str | None, carrier: str, **kw) -> RMSpec:
        r = rng_for(key + ":plan")
        d = D[dcode] if dcode else pick_district(r, gz, P[pcode])
        return rm_spec(gz, r, key, P[pcode], d, carrier, **kw)

    def later(base: RMSpec, r: random.Random) -> datetime:
        return min(
            base.date + timedelta(hours=r.randint(3, 40)), datetime(2021, 4, 5, 16, 0, tzinfo=TH)
        )

    # corrections and resends (same province twice)
    for key, pcode, dcode, carrier, mode in [
        ("rm-30-fix", "30", "3032", "docx+pdf", "correction"),
        ("rm-57-fix", "57", None, "pdf", "correction"),
        ("rm-71-fix", "71", None, "docx", "correction"),
        ("rm-40-again", "40", "same", "docx", "resend"),
        ("rm-92-again", "92", "same", "pdf", "resend"),
    ]:
        base = by_code[pcode]
        r = rng_for(key + ":plan")
        d = (
            base.district
            if dcode == "same"
            else (D[dcode] if dcode else pick_district(r, gz, P[pcode]))
        )
        spec = rm_spec(gz, r, key, P[pcode], d, carrier, mode=mode, date=later(base, r))
        spec.notes.append(
            "correction: supersedes {ref}"
            if mode == "correction"
            else "resend of {ref} (same district)"
        )
        specs.append((spec, base.key))
    # more trap spellings of the capital and of special names
    specs.append((extra_spec("rm-14-mueang", "14", "1401", "docx", forward="rfc822"), None))
    specs[-1][0].slot, specs[-1][0].mention = "เมือง", "อ.เมือง"
    specs[-1][0].notes = [
        'Ayutthaya capital written "อำเภอเมือง" (= 1401); forwarded by the zone 1 inspector'
    ]
    specs.append(
        (extra_spec("rm-96-nohyphen", "96", "9610", "body_plain", style=1, forward="inline"), None)
    )
    specs.append((extra_spec("rm-26-mueangfa", "26", "2601", "docx", style=2), None))
    specs.append((extra_spec("rm-63-mueangtak", "63", "6301", "pdf", style=1), None))
    specs.append((extra_spec("rm-50-body-cm", "50", "5001", "body_plain", style=4), None))
    # encodings
    specs.append(
        (extra_spec("rm-xwin", "42", None, "body_plain", body_encoding="x-windows-874"), None)
    )
    specs.append(
        (extra_spec("rm-nocharset", "35", None, "body_plain", body_encoding="nocharset"), None)
    )
    specs.append(
        (extra_spec("rm-iso885911", "65", None, "body_plain", body_encoding="iso-8859-11"), None)
    )
    specs.append((extra_spec("rm-decomposed", "44", None, "body_plain", decomposed=True), None))
    specs.append((extra_spec("rm-rawsubject", "62", None, "docx", subject_enc="raw"), None))
    specs[-1][0].notes.append("raw 8-bit UTF-8 Subject header (not RFC 2047)")
    specs.append((extra_spec("rm-en", "83", None, "pdf", english_subject=True), None))
    specs.append((extra_spec("rm-zipcp874", "49", None, "zip_cp874"), None))

    # ---- needs_review cases ----
    taken = {p.name_th for p in gz.provinces.values()}
    for i, pcode in enumerate(["50", "84", "30", "64", "31"]):  # province name typos
        key = f"rm-typo-{pcode}"
        spec = extra_spec(
            key, pcode, None, ["docx", "pdf", "body_plain", "table_docx", "docx+pdf"][i]
        )
        spec.pname = typo(rng_for(key + ":typo"), P[pcode].name_th, taken)
        spec.needs_review = True
        spec.notes.append(f'province misspelt "{spec.pname}" (true: {P[pcode].name_th})')
        specs.append((spec, None))
    for pcode in ["47", "21"]:  # district name typos
        key = f"rm-dtypo-{pcode}"
        r = rng_for(key + ":plan")
        d = r.choice(
            [x for x in gz.by_province[pcode] if x.code != pcode + "01" and len(x.name_th) > 4]
        )
        spec = rm_spec(gz, r, key, P[pcode], d, "docx")
        spec.slot = typo(r, d.name_th, {x.name_th for x in gz.districts.values()})
        spec.mention = f"อ.{spec.slot}"
        spec.dn = f"อำเภอ{spec.slot}"
        spec.needs_review = True
        spec.notes.append(f'district misspelt "{spec.slot}" (true: {d.name_th})')
        specs.append((spec, None))
    for pcode, wrong in [("73", 4), ("24", 3), ("16", 2), ("58", 16)]:  # wrong zone on the form
        key = f"rm-zone-{pcode}"
        spec = extra_spec(key, pcode, None, rng_for(key).choice(["docx", "pdf", "body_plain"]))
        spec.zone_written = wrong
        spec.needs_review = True
        spec.notes.append(f"form says zone {wrong}, gazetteer zone is {P[pcode].zone}")
        specs.append((spec, None))
    for pcode in ["41", "67", "90"]:  # two districts nominated
        key = f"rm-two-{pcode}"
        r = rng_for(key + ":plan")
        d1, d2 = r.sample(gz.by_province[pcode], 2)
        spec = rm_spec(gz, r, key, P[pcode], d1, r.choice(["docx", "body_plain", "pdf"]))
        joiner = r.choice([" และอำเภอ", " / ", " และ "])
        spec.slot = f"{d1.name_th}{joiner}{d2.name_th}"
        spec.mention = f"อ.{d1.name_th} และ อ.{d2.name_th}"
        spec.dn = f"อำเภอ{d1.name_th}และอำเภอ{d2.name_th}"
        spec.needs_review = True
        spec.notes = [
            f"two districts nominated: {d1.code} {d1.name_th} and {d2.code} {d2.name_th}; label keeps the first"
        ]
        specs.append((spec, None))
    for pcode, other in [("82", "8104"), ("54", "5507")]:  # district of another province
        key = f"rm-wrongprov-{pcode}"
        r = rng_for(key + ":plan")
        wrong = D[other]
        assert wrong.name_th not in {x.name_th for x in gz.by_province[pcode]}
        spec = rm_spec(gz, r, key, P[pcode], wrong, r.choice(["docx", "pdf"]))
        spec.district = None
        spec.needs_review = True
        spec.notes = [
            f"district {wrong.name_th} ({wrong.code}) is not in {P[pcode].name_th}; district_code left null"
        ]
        specs.append((spec, None))
    for pcode in ["95", "37"]:  # scanned, image-only PDF
        key = f"rm-scan-{pcode}"
        spec = extra_spec(key, pcode, None, "scan", n_photos=0)
        spec.needs_review = True
        specs.append((spec, None))
    key = "rm-blank-district"  # district left blank
    spec = extra_spec(key, "18", None, "docx")
    spec.slot, spec.mention, spec.dn = "", "", "อำเภอ"
    spec.district = None
    spec.needs_review = True
    spec.notes = ["district blank on the form; district_code null"]
    specs.append((spec, None))
    return specs


def plan_best_practice(
    ctx: Ctx, n: int, key_prefix: str, rng: random.Random, provinces: list[Province] | None = None
) -> list[BPSpec]:
    """``n`` monthly best-practice reports from distinct provinces."""
    gz = ctx.gz
    pool = provinces or rng.sample(gz.all76, n)
    carriers = ["docx", "docx", "pdf", "docx+pdf", "body", "body", "body_html", "zip"]
    specs = []
    for i, p in enumerate(pool[:n]):
        key = f"{key_prefix}-{p.code}-{i}"
        r = rng_for(key + ":plan")
        month = r.choice([1, 2, 3, 3, 4, 4, 5, 6, 7, 8, 9])
        d = pick_district(r, gz, p, 0.3) if r.random() < 0.65 else None
        spec = BPSpec(key, p, d, month, bp_date(r, month), carriers[i % len(carriers)])
        specs.append(spec)
    return specs


def plan_others(
    ctx: Ctx, rng: random.Random, counts: dict[str, int], bounce_inner: Draft | None = None
) -> list[Item]:
    """Non-campaign mail: ``counts`` maps kind → how many."""
    gz = ctx.gz
    items: list[Item] = []
    for kind, n in counts.items():
        for i in range(n):
            key = f"{ctx.name}-other-{kind}-{i}"
            r = rng_for(key)
            dt = (
                rm_date(r)
                if kind not in ("newsletter", "spam") or r.random() < 0.6
                else bp_date(r, r.randint(1, 9))
            )
            p = r.choice(gz.all76)
            if kind == "ack":
                draft, label = other_ack(ctx, r, dt, p, quoted_form=i % 2 == 0, canonical=i == 0)
            elif kind in ("question", "extension"):
                draft, label = other_province_mail(ctx, r, dt, p, kind)
            elif kind == "autoreply":
                draft, label = other_autoreply(ctx, r, dt, p, i % 4)
            elif kind == "bounce":
                draft, label = other_bounce(ctx, r, dt, bounce_inner if i == 0 else None)
            elif kind == "newsletter":
                draft, label = other_newsletter(ctx, r, dt, i)
            elif kind == "spam":
                draft, label = other_spam(ctx, r, dt, i)
            elif kind == "meeting":
                draft, label = other_meeting(ctx, r, dt, i)
            elif kind == "circular":
                draft, label = other_circular(ctx, r, dt, i)
            else:
                draft, label = other_misc(ctx, r, dt, p, i)
            items.append(Item(key, draft, label))
    return items


def build_corpus_items(ctx: Ctx) -> list[Item]:
    """All corpus messages (unrendered), in plan order."""
    rng = random.Random(f"{SEED}:corpus")
    items: list[Item] = []
    for spec, ref in plan_corpus_role_models(ctx, rng):
        draft, label = build_role_model(ctx, spec)
        items.append(Item(spec.key, draft, label, ref))
    bps = plan_best_practice(ctx, 26, "bp", rng)
    bps[3].forward = True
    taken = {p.name_th for p in ctx.gz.provinces.values()}
    bps[7].pname = typo(rng_for("bp-typo"), bps[7].province.name_th, taken)
    bps[7].needs_review = True
    bps[7].notes.append(f'province misspelt "{bps[7].pname}"')
    for spec in bps:
        draft, label = build_best_practice(ctx, spec)
        items.append(Item(spec.key, draft, label))
    # a bounce that carries a whole submission
    inner_spec = rm_spec(
        ctx.gz,
        rng_for("bounce-inner"),
        "bounce-inner",
        ctx.gz.provinces["55"],
        ctx.gz.districts["5508"],
        "docx",
        n_photos=0,
    )
    inner, _ = build_role_model(ctx, inner_spec)
    items += plan_others(
        ctx,
        rng,
        {
            "ack": 3,
            "question": 2,
            "extension": 2,
            "autoreply": 4,
            "bounce": 2,
            "newsletter": 4,
            "spam": 5,
            "meeting": 4,
            "circular": 3,
            "misc": 3,
        },
        bounce_inner=inner,
    )
    return items


MAILBOX_PROVINCES = [
    "14",
    "16",
    "11",
    "12",
    "13",
    "73",
    "70",
    "71",
    "72",
    "74",
    "75",
    "76",
    "77",
    "90",
    "84",
    "83",
    "96",
    "20",
    "22",
    "41",
    "48",
    "40",
    "30",
    "34",
    "50",
    "58",
    "55",
    "57",
    "65",
    "60",
]


def build_mailbox_items(ctx: Ctx) -> list[Item]:
    """The ~40 messages of the bundled sample mailbox."""
    gz = ctx.gz
    rng = random.Random(f"{SEED}:mailbox")
    deck = [
        "docx",
        "pdf",
        "docx+pdf",
        "table_docx",
        "docx",
        "pdf",
        "body_plain",
        "docx+pdf",
        "body_html",
        "pdf",
        "docx",
        "zip",
        "table_pdf",
        "docx",
        "pdf",
        "doc",
        "docx_images",
        "pdf",
        "docx",
        "docx+pdf",
        "body_plain",
        "pdf",
        "docx",
        "pdf+png",
        "docx",
        "pdf",
        "table_docx",
        "docx",
        "pdf",
        "docx",
    ]
    rng.shuffle(deck)
    specials: dict[str, dict] = {
        "16": {"carrier": "body_plain", "body_encoding": "tis-620"},
        "41": {"carrier": "body_plain", "body_encoding": "windows-874"},
        "96": {"carrier": "docx", "forward": "rfc822"},
        "58": {"carrier": "scan", "n_photos": 0},
        "14": {"district": "1401"},
        "30": {"district": "3027"},
        "50": {"district": "5002"},
        "55": {"district": "5515"},
        "40": {"district": "4001", "style": 3},
        "12": {"english_subject": True},
    }
    items: list[Item] = []
    by_code: dict[str, RMSpec] = {}
    for code, carrier in zip(MAILBOX_PROVINCES, deck, strict=True):
        p = gz.provinces[code]
        key = f"mb-rm-{code}"
        r = rng_for(key + ":plan")
        sp = dict(specials.get(code, {}))
        carrier = sp.pop("carrier", carrier)
        dcode = sp.pop("district", None)
        d = gz.districts[dcode] if dcode else pick_district(r, gz, p)
        spec = rm_spec(gz, r, key, p, d, carrier, **sp)
        if code == "83":  # district of another province: goes to review
            wrong = gz.districts["8204"]
            spec.slot, spec.mention, spec.dn = (
                wrong.name_th,
                f"อ.{wrong.name_th}",
                f"อำเภอ{wrong.name_th}",
            )
            spec.district, spec.needs_review = None, True
            spec.notes = [f"district {wrong.name_th} ({wrong.code}) is in พังงา, not ภูเก็ต"]
        if carrier == "scan":
            spec.needs_review = True
        by_code[code] = spec
        draft, label = build_role_model(ctx, spec)
        items.append(Item(key, draft, label))
    # Chiang Mai corrects itself
    base = by_code["50"]
    r = rng_for("mb-rm-50-fix:plan")
    fix = rm_spec(
        gz,
        r,
        "mb-rm-50-fix",
        base.province,
        gz.districts["5001"],
        "docx+pdf",
        mode="correction",
        style=0,
        date=base.date + timedelta(hours=26),
    )
    fix.notes.append("correction: supersedes the earlier Chiang Mai message (จอมทอง → อ.เมือง)")
    draft, label = build_role_model(ctx, fix)
    items.append(Item(fix.key, draft, label, base.key))
    for spec in plan_best_practice(
        ctx, 5, "mb-bp", rng, [gz.provinces[c] for c in ("55", "40", "90", "20", "65")]
    ):
        draft, label = build_best_practice(ctx, spec)
        items.append(Item(spec.key, draft, label))
    items += plan_others(
        ctx, rng, {"ack": 1, "autoreply": 1, "newsletter": 1, "spam": 1, "meeting": 1}
    )
    return items


# ==========================================================================
# Output
# ==========================================================================


def resolve_refs(items: list[Item], names: dict[str, str]) -> None:
    """Fill ``{ref}`` placeholders in notes with the referenced file name / Message-ID."""
    for it in items:
        if it.ref and "{ref}" in it.label["notes"]:
            it.label["notes"] = it.label["notes"].replace("{ref}", names.get(it.ref, it.ref))


def message_id_of(draft: Draft) -> str:
    """The Message-ID header of a draft."""
    for k, v in draft.headers:
        if k == "Message-ID":
            return v
    return ""


def render_item(item: Item, resolved: dict[str, bytes]) -> bytes:
    """Bytes of one message (LF line endings)."""
    return mail.render(item.draft, rng_for(item.key + ":render"), resolved)


def write_corpus(ctx: Ctx, out_dir: Path = CORPUS_DIR) -> dict[str, dict]:
    """Generate ``tests/corpus``: NNN.eml files and labels.json."""
    items = build_corpus_items(ctx)
    resolved = ctx.converter.run()
    order = list(range(len(items)))
    random.Random(f"{SEED}:corpus-order").shuffle(order)
    names = {items[i].key: f"{n + 1:03d}.eml" for n, i in enumerate(order)}
    resolve_refs(items, names)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.eml"):
        old.unlink()
    labels: dict[str, dict] = {}
    for it in items:
        data = render_item(it, resolved)
        if rng_for(it.key + ":eol").random() < 0.7:
            data = data.replace(b"\n", b"\r\n")
        name = names[it.key]
        (out_dir / name).write_bytes(data)
        labels[name] = it.label
    labels = dict(sorted(labels.items()))
    (out_dir / "labels.json").write_text(
        json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return labels


def write_mailbox(ctx: Ctx, out_dir: Path = MAILBOX_DIR) -> dict[str, dict]:
    """Generate ``samples/mailbox/sample.mbox`` (Gmail Takeout style) and its labels.json."""
    items = build_mailbox_items(ctx)
    resolved = ctx.converter.run()
    items.sort(key=lambda it: it.draft.date or datetime(2021, 1, 1, tzinfo=TH))
    ids = {it.key: message_id_of(it.draft) for it in items}
    resolve_refs(items, ids)
    out_dir.mkdir(parents=True, exist_ok=True)
    chunks: list[bytes] = []
    labels: dict[str, dict] = {}
    for it in items:
        r = rng_for(it.key + ":mbox")
        thrid = r.randint(1_690_000_000_000_000_000, 1_699_999_999_999_999_999)
        gm_labels = {"spam": "Spam", "newsletter": "Category Promotions,Inbox"}.get(
            it.label["notes"].split(";")[0], "Inbox,Opened"
        )
        data = render_item(it, resolved)
        when = it.draft.date or datetime(2021, 3, 29, tzinfo=TH)
        head = f"{mail.mbox_from_line(f'{thrid}@xxx', when)}\nX-GM-THRID: {thrid}\nX-Gmail-Labels: {gm_labels}\n".encode()
        chunks.append(head + mail.mbox_escape(data).rstrip(b"\n") + b"\n\n")
        labels[ids[it.key]] = it.label
    (out_dir / "sample.mbox").write_bytes(b"".join(chunks))
    (out_dir / "labels.json").write_text(
        json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return labels


def summarize(name: str, labels: dict[str, dict], path: Path) -> str:
    """One-paragraph summary (counts per campaign, review count, size)."""
    counts: dict[str, int] = {}
    for lab in labels.values():
        counts[lab["campaign"]] = counts.get(lab["campaign"], 0) + 1
    review = sum(1 for lab in labels.values() if lab["needs_review"])
    provinces = {lab["province_code"] for lab in labels.values() if lab["campaign"] == "role_model"}
    size = (
        sum(f.stat().st_size for f in path.iterdir() if f.is_file())
        if path.is_dir()
        else path.stat().st_size
    )
    return (
        f"{name}: {len(labels)} messages {counts}, needs_review={review}, "
        f"role-model provinces={len(provinces)}, size={size / 1e6:.2f} MB"
    )


def new_ctx(gz: Gazetteer, name: str) -> Ctx:
    """Context for the corpus (smaller photos) or the mailbox (640x480, 20-45 KB)."""
    if name == "corpus":
        return Ctx(gz, Converter(), (400, 300), (6_000, 14_000), name)
    return Ctx(gz, Converter(), (640, 480), (20_000, 30_000), name, max_photos=2)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--corpus-only", action="store_true", help="only regenerate tests/corpus")
    g.add_argument(
        "--mailbox-only", action="store_true", help="only regenerate samples/mailbox/sample.mbox"
    )
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    gz = load_gazetteer()
    if not args.corpus_only:
        labels = write_mailbox(new_ctx(gz, "mailbox"))
        print(summarize("mailbox", labels, MAILBOX_DIR / "sample.mbox"))
    if not args.mailbox_only:
        labels = write_corpus(new_ctx(gz, "corpus"))
        print(summarize("corpus", labels, CORPUS_DIR))
    print(f"done in {time.monotonic() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
