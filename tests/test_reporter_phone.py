"""The reporter's name stops where the phone number written after it starts: the sample
generator's best-practice reports end with "ผู้รายงาน <name> โทร. <mobile>" (Arabic or Thai
digits), and the form reader must read the name alone and the number as a phone."""

from __future__ import annotations

import random
import re
from datetime import datetime

import pytest

from areaplan.core.thai_text import normalize
from areaplan.parsers.role_model_form import read_form
from areaplan.samples import generate as gen

GAZ = gen.load_gazetteer()
PROVINCES = sorted(GAZ.provinces.values(), key=lambda p: p.code) if isinstance(GAZ.provinces, dict) else GAZ.provinces


def generated_report(seed: int, thai: bool) -> tuple[str, str, str]:
    """(report text, the name written, the phone written) from the sample generator."""
    rng = random.Random(seed)
    province = PROVINCES[seed % len(PROVINCES)]
    spec = gen.BPSpec(f"bp-{seed}", province, None, 3, datetime(2021, 3, 20), "body", pname=province.name_th)
    paras = gen.bp_paragraphs(rng, spec, thai, None)
    name, phone = re.fullmatch(r"ผู้รายงาน (.+) โทร\. (.+)", paras[-1]).groups()
    return "\n".join(paras), name, phone


def arabic_digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")))


@pytest.mark.parametrize("thai", [False, True], ids=["arabic-digits", "thai-digits"])
def test_a_name_followed_by_a_phone_on_one_line_is_read_as_name_and_phone(thai):
    for seed in range(40):
        text, name, phone = generated_report(seed, thai)

        form = read_form(normalize(text))

        assert form.reporter_name == normalize(name), (seed, form.reporter_name)  # marks in canonical order
        assert arabic_digits(phone) in [arabic_digits(p) for p in form.phones], (seed, form.phones)


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("ผู้รายงาน นายสมชาย ใจดี 081 234 5678", "นายสมชาย ใจดี"),
        ("ผู้รายงาน นางสาวสุดา มีสุข เบอร์ 0812345678", "นางสาวสุดา มีสุข"),
        ("ผู้รายงาน นายสมชาย ใจดี ตำแหน่ง ปลัดอำเภอ โทร 0812345678", "นายสมชาย ใจดี"),
        ("ลงชื่อ\n(นายวิชัย กล้าหาญ โทร. 054-123456)\nตำแหน่ง ปลัดจังหวัดน่าน", "นายวิชัย กล้าหาญ"),
        ("ลงชื่อ\n(นางโทรศรี บุญมา)\nตำแหน่ง ปลัดจังหวัดน่าน", "นางโทรศรี บุญมา"),  # "โทร" inside a name stays
    ],
)
def test_the_phone_is_cut_from_the_name_in_the_usual_layouts(line, name):
    text = "แบบรายงานผลการปฏิบัติงานที่เป็นแบบอย่างที่ดี (Best Practice)\nจังหวัดน่าน ประจำเดือนมีนาคม พ.ศ. 2564\n" + line

    assert read_form(normalize(text)).reporter_name == name
