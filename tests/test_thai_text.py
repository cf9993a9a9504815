"""Specification of parsers.thai_text: Thai normalisation, blanks, numbers, scores, dates."""

from __future__ import annotations

import datetime as dt
import importlib.util

import pytest

from areaplan.core.thai_text import (
    PUA_TO_THAI,
    arabic_digits_to_thai,
    count_misplaced_marks,
    derive_pua_map_from_fonts,
    format_thai_date,
    is_thai_char,
    normalize,
    parse_thai_date,
    parse_thai_number,
    segment_for_search,
    strip_blanks,
    text_quality,
    thai_digits_to_arabic,
    thai_from_glyph_name,
    thai_ratio,
    tlwg_font_paths,
)

# --------------------------------------------------------------------------- normalize


def test_normalize_applies_nfc():
    assert normalize("e\u0301") == "\u00e9"


@pytest.mark.parametrize("zw", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])
def test_normalize_removes_zero_width_characters(zw):
    assert normalize(f"สวัสดี{zw}ครับ") == "สวัสดีครับ"


@pytest.mark.parametrize(
    ("acrobat", "thai"),
    [
        ("ผู\uf70bตรวจ", "ผู้ตรวจ"),  # SOURCES.md file 2 examples
        ("ป\uf702", "ปี"),
        ("เป\uf712น", "เป็น"),
        ("ร\uf70aวม", "ร่วม"),
        ("ป\uf710ญหา", "ปัญหา"),
        ("ประโยชน\uf70eสุข", "ประโยชน์สุข"),
        ("เป\uf706าหมาย", "เป้าหมาย"),
        ("\uf700าน", "ฐาน"),
        ("ก\uf70f", "กญ"),
    ],
)
def test_normalize_maps_acrobat_private_use_glyphs_to_thai(acrobat, thai):
    assert normalize(acrobat) == thai


def test_normalize_composes_sara_am_from_nikhahit_and_sara_aa():
    assert normalize("ค\u0e4d\u0e32สั่งส\u0e4d\u0e32นัก") == "คำสั่งสำนัก"


def test_normalize_composes_sara_am_with_a_tone_mark_in_between():
    assert normalize("น\u0e4d\u0e49\u0e32") == "น\u0e49\u0e33"  # ํ + ้ + า -> ้ำ (น้ำ)


def test_normalize_removes_spaces_wrongly_put_before_combining_marks():
    assert normalize("ท ่ี") == "ที่"
    assert normalize("เป ็น") == "เป็น"


def test_normalize_puts_the_above_vowel_before_the_tone_mark():
    assert normalize("ท\u0e48\u0e35") == "ท\u0e35\u0e48"  # ที่


def test_normalize_removes_doubled_tone_marks():
    assert normalize("ที่่") == "ที่"


def test_normalize_collapses_runs_of_spaces_and_strips_lines():
    assert normalize("  ก   ข\u00a0\u00a0ค  ") == "ก ข ค"


def test_normalize_keeps_line_breaks_and_converts_crlf():
    assert normalize("บรรทัดหนึ่ง\r\nบรรทัดสอง\n\nสี่") == "บรรทัดหนึ่ง\nบรรทัดสอง\n\nสี่"


def test_normalize_keeps_tabs_and_form_feeds():
    text = "ผู้ให้ข้อมูล\tผู้ว่าราชการจังหวัด\n\f\nหน้า ๒"
    assert normalize(text) == text


def test_normalize_is_idempotent():
    text = "ค\u0e4d\u0e32สั่ง ผู\uf70bตรวจ ท ่ี   น\u0e4d\u0e49\u0e32\r\nx"
    assert normalize(normalize(text)) == normalize(text)


def test_normalize_leaves_clean_text_alone():
    clean = "คำสั่งสำนักนายกรัฐมนตรี ที่ ๓๖๑/๒๕๖๒\nเรื่อง การตรวจราชการ (Government Innovation Lab)"
    assert normalize(clean) == clean


def test_normalize_of_empty_text_is_empty():
    assert normalize("") == ""


# --------------------------------------------------------------------------- PUA table

# SOURCES.md note B, the checked fallback.
NOTE_B = {
    **dict.fromkeys([0xF70A, 0xF705, 0xF713], "\u0e48"),
    **dict.fromkeys([0xF70B, 0xF706, 0xF714], "\u0e49"),
    **dict.fromkeys([0xF70C, 0xF707, 0xF715], "\u0e4a"),
    **dict.fromkeys([0xF70D, 0xF708, 0xF716], "\u0e4b"),
    **dict.fromkeys([0xF70E, 0xF709, 0xF717], "\u0e4c"),
    0xF701: "\u0e34",
    0xF702: "\u0e35",
    0xF703: "\u0e36",
    0xF704: "\u0e37",
    0xF710: "\u0e31",
    0xF711: "\u0e4d",
    0xF712: "\u0e47",
    0xF718: "\u0e38",
    0xF719: "\u0e39",
    0xF71A: "\u0e3a",
    0xF700: "\u0e10",
    0xF70F: "\u0e0d",
}


def test_pua_table_agrees_with_sources_note_b():
    assert {cp: PUA_TO_THAI[cp] for cp in NOTE_B} == NOTE_B


@pytest.mark.skipif(importlib.util.find_spec("fontTools") is None, reason="pip install fonttools")
def test_pua_table_agrees_with_the_installed_tlwg_fonts():
    paths = tlwg_font_paths()
    if not paths:
        pytest.skip("fonts-thai-tlwg not installed")
    assert derive_pua_map_from_fonts(paths) == PUA_TO_THAI


@pytest.mark.parametrize(
    ("name", "char"),
    [
        ("uni0E49.low_left", "\u0e49"),
        ("uni0E10.descless", "\u0e10"),
        ("uniF71B", None),
        ("DEL", None),
    ],
)
def test_glyph_names_give_the_thai_character_they_stand_for(name, char):
    assert thai_from_glyph_name(name) == char


# --------------------------------------------------------------------------- blanks


@pytest.mark.parametrize(
    ("form", "answer"),
    [
        ("ชื่อ.......สมชาย.......", "ชื่อ สมชาย"),
        ("อำเภอ………เมือง……", "อำเภอ เมือง"),
        ("จังหวัด ____น่าน____", "จังหวัด น่าน"),
        ("หมายเหตุ - - - - -", "หมายเหตุ"),
        ("ด้าน . . . . . . สาธารณสุข", "ด้าน สาธารณสุข"),
        ("-------------------------------------------", ""),
    ],
)
def test_strip_blanks_removes_leaders_and_keeps_the_answer(form, answer):
    assert strip_blanks(form) == answer


def test_strip_blanks_keeps_line_breaks_and_short_punctuation():
    assert strip_blanks("ข้อ ๑.๒ พ.ศ. ๒๕๖๓\n- ๒ -\nตำบล.......") == "ข้อ ๑.๒ พ.ศ. ๒๕๖๓\n- ๒ -\nตำบล"


# --------------------------------------------------------------------------- numbers


def test_thai_digits_to_arabic_converts_every_thai_digit():
    assert thai_digits_to_arabic("๐๑๒๓๔๕๖๗๘๙ ปี") == "0123456789 ปี"


def test_arabic_digits_to_thai_is_the_inverse():
    assert arabic_digits_to_thai("2564") == "๒๕๖๔"


@pytest.mark.parametrize(
    ("text", "number"),
    [("๑๙", 19), ("19", 19), (" ๑,๒๓๔ ", 1234), ("จำนวน ๑๒ ราย", 12), ("๒๕๖๔", 2564)],
)
def test_parse_thai_number_reads_thai_or_arabic_digits(text, number):
    assert parse_thai_number(text) == number


@pytest.mark.parametrize("text", ["", None, "ไม่มี", "๒๑๕/๒๕๖๐", "12.5"])
def test_parse_thai_number_is_none_without_exactly_one_number(text):
    assert parse_thai_number(text) is None


# --------------------------------------------------------------------------- scores


def test_is_thai_char():
    assert is_thai_char("ก") and is_thai_char("๙") and is_thai_char("\u0e48")
    assert not is_thai_char("a") and not is_thai_char(" ") and not is_thai_char("\uf70b")


def test_thai_ratio_counts_thai_among_non_space_characters():
    assert thai_ratio("กขค abc") == 0.5
    assert thai_ratio("   ") == 0.0


def test_count_misplaced_marks_finds_marks_out_of_order():
    assert count_misplaced_marks("ที่ สิทธิ์ น้ำ") == 0
    assert count_misplaced_marks("ท ่ี") == 2  # tone after a space, vowel after a tone


def test_text_quality_of_clean_thai_is_high():
    assert text_quality("คำสั่งสำนักนายกรัฐมนตรี เรื่อง การตรวจราชการประจำปีงบประมาณ") > 0.95


def test_text_quality_drops_for_the_word_sara_am_bug():
    good = "ระเบียบสำนักนายกรัฐมนตรี ว่าด้วยการตรวจราชการ"
    bad = "ระเบียบส ำนักนำยกรัฐมนตรี ว่ำด้วยกำรตรวจรำชกำร"
    assert text_quality(bad) < text_quality(good) - 0.1


def test_text_quality_penalises_private_use_glyphs():
    assert text_quality("ผู\uf70bตรวจราชการ") < text_quality("ผู้ตรวจราชการ")


def test_text_quality_penalises_cid_placeholders():
    assert text_quality("(cid:3)(cid:4)(cid:5) การ") < 0.5


def test_text_quality_of_empty_text_is_zero():
    assert text_quality("") == 0.0 and text_quality(" \n ") == 0.0


def test_text_quality_is_between_zero_and_one():
    for text in ["abc", "ก", "\ufffd" * 10, "ท ่ี ่ ่", "การตรวจราชการ"]:
        assert 0.0 <= text_quality(text) <= 1.0


# --------------------------------------------------------------------------- search


def test_segment_for_search_separates_thai_words_with_spaces():
    assert segment_for_search("คำสั่งสำนักนายกรัฐมนตรี") == "คำสั่ง สำนักนายกรัฐมนตรี"


def test_segment_for_search_keeps_non_thai_tokens_and_drops_line_breaks():
    out = segment_for_search("จังหวัดน่าน\nGovernment Lab")
    assert "\n" not in out
    assert out.split() == ["จังหวัด", "น่าน", "Government", "Lab"]


# --------------------------------------------------------------------------- dates

D = dt.date(2021, 3, 28)


@pytest.mark.parametrize(
    "text",
    [
        "๒๘ มีนาคม ๒๕๖๔",
        "28 มีนาคม 2564",
        "28 มี.ค. 64",
        "28 มีค 2564",
        "28/03/2564",
        "28/03/2021",
        "28-3-2564",
        "28.03.2564",
        "2021-03-28",
        "ลงวันที่ ๒๘ เดือน มีนาคม พ.ศ. ๒๕๖๔",
        "28 มีนาคม ค.ศ. 2021",
        "28 March 2021",
    ],
)
def test_parse_thai_date_accepts_thai_and_numeric_forms(text):
    assert parse_thai_date(text) == D


def test_parse_thai_date_returns_the_first_valid_date():
    text = "วันที่ 31 ก.พ. 2564 แก้เป็น 1 มี.ค. 2564 และ 2 มี.ค. 2564"
    assert parse_thai_date(text) == dt.date(2021, 3, 1)


@pytest.mark.parametrize("text", ["", None, "ไม่มีวันที่", "ข้อ 1.2.3", "31/02/2564"])
def test_parse_thai_date_is_none_without_a_valid_date(text):
    assert parse_thai_date(text) is None


def test_format_thai_date_long_with_thai_digits():
    assert format_thai_date(D, style="long", thai_digits=True) == "๒๘ มีนาคม ๒๕๖๔"


def test_format_thai_date_short_with_arabic_digits():
    assert format_thai_date(D, style="short") == "28 มี.ค. 2564"


def test_format_thai_date_rejects_an_unknown_style():
    with pytest.raises(ValueError):
        format_thai_date(D, style="iso")


@pytest.mark.parametrize("style", ["long", "short"])
@pytest.mark.parametrize("thai_digits", [True, False])
def test_format_then_parse_gives_the_same_date(style, thai_digits):
    for day in (dt.date(2020, 1, 1), dt.date(2024, 2, 29), dt.date(2019, 12, 31)):
        assert parse_thai_date(format_thai_date(day, style, thai_digits)) == day


# --------------------------------------------------------------------------- hostile runs of marks


def test_remove_repeat_vowels_gives_what_pythainlp_gives_on_random_thai():
    import random

    from pythainlp.util import remove_repeat_vowels as pythainlp_remove_repeat_vowels

    from areaplan.core.thai_text import remove_repeat_vowels

    alphabet = "กขคน ๆ\u0e24\u0e26" + "".join(chr(c) for c in range(0x0E30, 0x0E4F))
    rng = random.Random(8)
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24)))
        assert remove_repeat_vowels(text) == pythainlp_remove_repeat_vowels(text), repr(text)


@pytest.mark.timeout(120)  # a hang guard only: the quadratic version needs hours for these
@pytest.mark.parametrize(
    "run",
    ["\u0e48\u0e49" * 100_000, "\u0e48" * 200_000, "\u0e32" * 200_000, "\u0e34" + " " * 200_000 + "x",
     "\u0e48\u0e34" * 100_000, "\u0e4d" + "\u0e48" * 200_000],
    ids=["tone-pairs", "tone-run", "follow-vowel-run", "vowel-then-spaces", "tone-vowel-pairs", "nikhahit-tones"],
)
def test_long_runs_of_marks_are_normalised(run):
    out = normalize("ก" + run + "ข")
    assert out.startswith("ก") and out.endswith("ข")
    assert len(out) <= len(run) + 2
