"""Specs for parsers.gazetteer: loading, resolving provinces and districts, zones.

Every trap listed in areaplan/core/gazetteer_data/README.md ("Matching notes") has a test here.
"""

from __future__ import annotations

import dataclasses
from importlib import resources

import pytest

from areaplan.core import gazetteer as gz
from areaplan.core.gazetteer import CONFIDENT, Gazetteer, Match

GAZ = Gazetteer.load()
PROVINCES = GAZ.provinces
NOT_BANGKOK = [p for p in PROVINCES if p.code != "10"]


# --------------------------------------------------------------------------- data and loading


def test_data_files_ship_inside_the_store_package() -> None:
    folder = resources.files("areaplan.core").joinpath("gazetteer_data")
    for name in ("provinces.csv", "districts.csv", "zones.csv", "README.md", "SOURCE.md"):
        assert folder.joinpath(name).is_file(), name


def test_source_note_credits_the_shared_gazetteer_and_its_licences() -> None:
    text = resources.files("areaplan.core").joinpath("gazetteer_data", "SOURCE.md").read_text("utf-8")
    assert "unchanged" in text and "README.md" in text and "licence" in text


def test_counts_match_the_readme() -> None:
    assert len(GAZ.provinces) == 77
    assert len(GAZ.districts) == 928
    kinds = [d.kind for d in GAZ.districts]
    assert kinds.count("amphoe") == 878 and kinds.count("khet") == 50
    assert sorted(GAZ.zones) == list(range(1, 19))


def test_codes_are_zero_padded_strings() -> None:
    assert all(len(p.code) == 2 and p.code.isdigit() for p in GAZ.provinces)
    assert all(len(d.code) == 4 and d.code[:2] == d.province_code for d in GAZ.districts)


def test_a_fresh_load_reads_the_same_gazetteer_as_the_cached_one() -> None:
    # (how long loading takes is measured by bench/bench_gazetteer.py, not asserted here)
    cached = Gazetteer.load()
    gz._load_default.cache_clear()
    fresh = Gazetteer.load()

    assert fresh is not cached
    assert [p.code for p in fresh.provinces] == [p.code for p in cached.provinces]
    assert [(d.code, d.name_th) for d in fresh.districts] == [(d.code, d.name_th) for d in cached.districts]


def test_default_instance_is_cached_per_process() -> None:
    assert Gazetteer.load() is Gazetteer.load()


def test_values_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        GAZ.province("50").zone = 1  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        GAZ.resolve_province("น่าน").code = "50"  # type: ignore[misc]


# --------------------------------------------------------------------------- zones


def test_zone_of_a_province() -> None:
    assert GAZ.zone_of("50") == 15
    assert GAZ.zone_of("14") == 1


def test_bangkok_is_in_no_zone() -> None:
    assert GAZ.zone_of("10") is None


def test_unknown_province_has_no_zone() -> None:
    assert GAZ.zone_of("99") is None


def test_provinces_in_zone_in_code_order() -> None:
    assert [p.code for p in GAZ.provinces_in_zone(1)] == ["14", "15", "16", "17", "18", "19"]


def test_every_province_but_bangkok_is_in_exactly_one_zone() -> None:
    members = [c for z in GAZ.zones.values() for c in z.province_codes]
    assert sorted(members) == sorted(p.code for p in NOT_BANGKOK)


def test_zone_override_moves_a_province() -> None:
    g = Gazetteer.load({"50": 3})
    assert g.zone_of("50") == 3
    assert "50" not in g.zones[15].province_codes
    assert "50" in g.zones[3].province_codes
    assert [p.code for p in g.provinces_in_zone(3)] == ["50", "70", "71", "72"]


def test_zone_override_leaves_the_default_untouched() -> None:
    Gazetteer.load({"50": 3})
    assert Gazetteer.load().zone_of("50") == 15


def test_zone_override_for_unknown_province_is_an_error() -> None:
    with pytest.raises(ValueError):
        Gazetteer.load({"99": 1})


def test_zone_override_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Gazetteer.load({"50": 0})


# --------------------------------------------------------------------------- provinces


@pytest.mark.parametrize("p", PROVINCES, ids=lambda p: p.code)
@pytest.mark.parametrize(
    "prefix", ["", "จังหวัด", "จ.", "จ. ", "ที่ทำการปกครองจังหวัด", "ปค.จ.", "ปลัดจังหวัด"]
)
def test_every_province_with_every_prefix_is_exact(prefix: str, p) -> None:
    m = GAZ.resolve_province(prefix + p.name_th)
    assert (m.code, m.confidence) == (p.code, 1.0)


@pytest.mark.parametrize("p", PROVINCES, ids=lambda p: p.code)
def test_every_english_name_is_exact_whatever_the_case(p) -> None:
    m = GAZ.resolve_province(p.name_en.upper())
    assert (m.code, m.method) == (p.code, "exact_en")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Lopburi", "16"),
        ("Chonburi", "20"),
        ("Phang-nga", "82"),
        ("Buriram", "31"),
        ("Prachinburi", "25"),
        ("Sisaket", "33"),
        ("chiang  mai", "50"),
        ("Chiang Mai Province", "50"),
        ("Province: Nan", "55"),
    ],
)
def test_english_spelling_variants(text: str, code: str) -> None:
    m = GAZ.resolve_province(text)
    assert m.code == code and m.confident


@pytest.mark.parametrize(("text", "code"), [("Nakorn Ratchasima", "30"), ("Supanburi", "72")])
def test_english_misspellings_are_fuzzy(text: str, code: str) -> None:
    m = GAZ.resolve_province(text)
    assert m.code == code
    assert m.method.startswith("fuzzy_en") and m.confidence < 1.0


@pytest.mark.parametrize("text", ["กรุงเทพฯ", "กทม.", "กทม", "กรุงเทพมหานคร", "กรุงเทพ", "Bangkok"])
def test_bangkok_forms(text: str) -> None:
    m = GAZ.resolve_province(text)
    assert (m.code, m.confidence) == ("10", 1.0)


@pytest.mark.parametrize(
    ("text", "code"),
    [("โคราช", "30"), ("อยุธยา", "14"), ("สุราษฎร์", "84"), ("สุราษฎร์ฯ", "84"), ("Korat", "30")],
)
def test_common_variant_names_are_aliases(text: str, code: str) -> None:
    m = GAZ.resolve_province(text)
    assert (m.code, m.method) == (code, "alias")
    assert CONFIDENT <= m.confidence < 1.0


def test_alias_table_entries_all_resolve_to_real_provinces() -> None:
    for text, code, conf in gz.PROVINCE_ALIASES_TH + gz.PROVINCE_ALIASES_EN:
        assert GAZ.province(code) is not None and 0 < conf <= 1, text


def test_abbreviation_alone_is_a_province_code() -> None:
    m = GAZ.resolve_province("ชม")
    assert (m.code, m.method) == ("50", "abbr")


def test_abbreviation_is_not_found_in_free_text() -> None:
    assert GAZ.find_provinces_in("ขอเชิญชม นิทรรศการ") == []


@pytest.mark.parametrize(("typo", "code"), [("เชียงใหม", "50"), ("ชลบุร", "20"), ("นครราชสีม", "30")])
def test_thai_typo_is_fuzzy_with_its_confidence(typo: str, code: str) -> None:
    m = GAZ.resolve_province(typo)
    assert m.code == code and m.method.startswith("fuzzy")
    assert 0.75 <= m.confidence < 1.0


@pytest.mark.parametrize("typo", ["เชียงใหม", "เชชียงใหม่", "บุลีรัมย์", "นครลาชสีมา", "Chiang Maii"])
def test_fuzzy_matches_are_never_confident(typo: str) -> None:
    m = GAZ.resolve_province(typo)
    assert m is not None and m.confidence <= gz.FUZZY_MAX < CONFIDENT


def test_misspelt_full_name_around_an_alias_is_fuzzy_not_the_alias() -> None:
    m = GAZ.resolve_province("สุราษฎร์ธานนี")  # the alias สุราษฎร์ + a typo in ธานี
    assert m.code == "84" and not m.confident


def test_misspelt_full_name_around_an_alias_in_free_text() -> None:
    found = GAZ.find_provinces_in("แบบฟอร์ม Role Model จ.สุราษฎร์ธานนี")
    assert [(m.code, m.method) for m in found] == [("84", "fuzzy_prefix")]
    assert found[0].matched_text == "สุราษฎร์ธานนี" and not found[0].confident


def test_alias_followed_by_a_space_stays_an_alias_in_free_text() -> None:
    found = GAZ.find_provinces_in("จ.สุราษฎร์ฯ ครับ")
    assert [(m.code, m.method, m.confidence) for m in found] == [("84", "prefixed", 1.0)]


@pytest.mark.parametrize(
    ("text", "code", "method"),
    [
        ("เชียงใหม่ประจำเดือนมีนาคม", "50", "exact"),
        ("ชุมภร ประจำเดือนกันยายน", "86", "fuzzy_prefix"),
        ("นครลาชสีมา ครับ", "30", "fuzzy_prefix"),
        ("โคราช ครับ", "30", "alias"),
    ],
)
def test_province_at_start_of_running_text(text: str, code: str, method: str) -> None:
    m = GAZ.province_at_start(text)
    assert (m.code, m.method) == (code, method)
    assert m.confident == (method != "fuzzy_prefix")


@pytest.mark.parametrize("text", ["ละ ๑ อำเภอ เท่านั้น", "ทุกจังหวัด", "ได้ดำเนินการแล้ว", ""])
def test_province_at_start_finds_nothing_in_other_words(text: str) -> None:
    assert GAZ.province_at_start(text) is None


def test_poor_fuzzy_match_is_not_confident() -> None:
    m = GAZ.resolve_province("เชียง")
    assert m is None or not m.confident


@pytest.mark.parametrize("text", ["สวัสดีครับ", "", "   ", "เมือง", "....."])
def test_non_provinces_give_nothing(text: str) -> None:
    assert GAZ.resolve_province(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ก\u0e4d\u0e32แพงเพชร", "62"),  # sara am typed as nikhahit + sara aa
        ("เเพร่", "54"),  # two sara e for sara ae
        ("เชียง\u200bใหม่", "50"),  # zero-width space
        ("นนทบุรีี", "12"),  # doubled vowel
        ("เชียง ใหม่", "50"),  # PDF space inside the word
        ("....เชียงใหม่.....", "50"),  # form blank dots
    ],
)
def test_broken_thai_text_is_exact(text: str, code: str) -> None:
    m = GAZ.resolve_province(text)
    assert (m.code, m.confidence) == (code, 1.0)


def test_text_with_one_province_inside_is_contained() -> None:
    m = GAZ.resolve_province("เชียงใหม่ (ชม.)")
    assert (m.code, m.method, m.confidence) == ("50", "contained", 0.9)


def test_capital_district_name_gives_the_province_with_low_confidence() -> None:
    m = GAZ.resolve_province("อำเภอเมืองเชียงใหม่")
    assert (m.code, m.method) == ("50", "in_district_name")
    assert not m.confident


def test_match_keeps_the_text_it_came_from() -> None:
    assert GAZ.resolve_province("จ.น่าน").matched_text == "จ.น่าน"


# --------------------------------------------------------------------------- districts


def test_every_district_resolves_exactly_within_its_province() -> None:
    wrong = [
        d.code
        for d in GAZ.districts
        if (m := GAZ.resolve_district(d.name_th, d.province_code)) is None
        or (m.code, m.confidence) != (d.code, 1.0)
    ]
    assert wrong == []


def test_every_english_district_name_resolves_within_its_province() -> None:
    shared = {"1404", "1413"}  # both "Bang Sai" (see the next test)
    wrong = [
        d.code
        for d in GAZ.districts
        if d.code not in shared
        and ((m := GAZ.resolve_district(d.name_en, d.province_code)) is None or m.code != d.code)
    ]
    assert wrong == []


def test_english_name_shared_within_a_province_is_not_confident() -> None:
    m = GAZ.resolve_district("Bang Sai", "14")
    assert m.method == "exact_en_ambiguous" and not m.confident


@pytest.mark.parametrize("p", NOT_BANGKOK, ids=lambda p: p.code)
@pytest.mark.parametrize(
    "text", ["อำเภอเมือง", "อ.เมือง", "เมือง", "อ. เมือง", "Mueang", "Amphoe Muang"]
)
def test_amphoe_mueang_is_the_capital_of_every_province(text: str, p) -> None:
    m = GAZ.resolve_district(text, p.code)
    assert (m.code, m.method) == (p.code + "01", "capital")


def test_ayutthaya_capital_is_not_named_mueang() -> None:
    assert GAZ.district("1401").name_th == "พระนครศรีอยุธยา"
    assert GAZ.resolve_district("อำเภอเมือง", "14").code == "1401"


@pytest.mark.parametrize(
    "text", ["อ.เมืองพระนครศรีอยุธยา", "เมืองอยุธยา", "อำเภอพระนครศรีอยุธยา", "Phra Nakhon Si Ayutthaya"]
)
def test_ayutthaya_capital_other_spellings(text: str) -> None:
    assert GAZ.resolve_district(text, "14").code == "1401"


def test_capital_with_province_alias() -> None:
    assert GAZ.resolve_district("อ.เมืองโคราช", "30").code == "3001"


def test_capital_with_a_different_province_name_is_not_the_capital() -> None:
    m = GAZ.resolve_district("เมืองลำพูน", "50")
    assert m is None or m.code != "5001"


@pytest.mark.parametrize(
    ("code", "province"), [("3027", "30"), ("3318", "33"), ("4512", "45"), ("5213", "52")]
)
def test_districts_starting_with_mueang_that_are_not_capitals(code: str, province: str) -> None:
    name = GAZ.district(code).name_th
    for text in (name, "อำเภอ" + name, "อ." + name):
        m = GAZ.resolve_district(text, province)
        assert (m.code, m.method) == (code, "exact")
    assert not GAZ.district(code).is_capital


def test_mueang_yang_is_not_found_in_another_province() -> None:
    m = GAZ.resolve_district("เมืองยาง", "50")
    assert m is None or not m.confident


def test_bangkok_has_no_amphoe_mueang() -> None:
    assert GAZ.capital_of("10") is None
    assert GAZ.resolve_district("เมือง", "10") is None


def test_don_mueang_is_a_bangkok_khet() -> None:
    assert GAZ.resolve_district("เขตดอนเมือง", "10").code == "1036"


@pytest.mark.parametrize("code", ["1913", "3032", "3123", "5515", "8023"])
def test_chaloem_phra_kiat_resolves_with_its_province(code: str) -> None:
    assert GAZ.resolve_district("อำเภอเฉลิมพระเกียรติ", code[:2]).code == code


def test_chaloem_phra_kiat_anywhere_gives_all_five() -> None:
    found = GAZ.find_districts_anywhere("เฉลิมพระเกียรติ")
    assert [m.code for m in found] == ["1913", "3032", "3123", "5515", "8023"]


def test_ambiguous_district_without_province_does_not_resolve() -> None:
    assert GAZ.resolve_district("เฉลิมพระเกียรติ", None) is None


def test_chom_thong_bangkok_and_chiang_mai() -> None:
    assert GAZ.resolve_district("เขตจอมทอง", "10").code == "1035"
    assert GAZ.resolve_district("อำเภอจอมทอง", "50").code == "5002"
    assert [m.code for m in GAZ.find_districts_anywhere("จอมทอง")] == ["1035", "5002"]


def test_anywhere_with_a_trailing_province_is_restricted_to_it() -> None:
    assert [m.code for m in GAZ.find_districts_anywhere("อำเภอจอมทอง จังหวัดเชียงใหม่")] == ["5002"]
    assert [m.code for m in GAZ.find_districts_anywhere("จอมทอง กทม.")] == ["1035"]


def test_unique_district_anywhere_gives_one() -> None:
    assert [m.code for m in GAZ.find_districts_anywhere("อ.สันทราย")] == ["5014"]


def test_bare_mueang_anywhere_needs_a_province() -> None:
    assert GAZ.find_districts_anywhere("อำเภอเมือง") == []


def test_capital_with_its_province_anywhere() -> None:
    assert [m.code for m in GAZ.find_districts_anywhere("อำเภอเมืองเชียงใหม่")] == ["5001"]


@pytest.mark.parametrize(
    "text",
    [
        "สุไหงโก-ลก",
        "สุไหงโกลก",
        "สุไหง โก-ลก",
        "อ.สุไหงโก–ลก",
        "สุไหงโก - ลก",
        "Su-ngai Kolok",
        "Sungai Kolok",
    ],
)
def test_sungai_kolok_with_or_without_its_hyphen(text: str) -> None:
    m = GAZ.resolve_district(text, "96")
    assert (m.code, m.confidence) == ("9610", 1.0)


@pytest.mark.parametrize(
    "text",
    [
        "สันทราย",
        "อำเภอสันทราย",
        "อ.สันทราย",
        "อ. สันทราย",
        "กิ่งอำเภอสันทราย",
        "กิ่ง อ.สันทราย",
        "ที่ทำการปกครองอำเภอสันทราย",
        "อำเภอ.....สันทราย.....",
        "สันทราย จ.เชียงใหม่",
        "San Sai District",
        "Sansai",
    ],
)
def test_district_prefixes_and_suffixes(text: str) -> None:
    assert GAZ.resolve_district(text, "50").code == "5014"


def test_khet_prefix_in_bangkok() -> None:
    assert GAZ.resolve_district("เขตพระนคร", "10").code == "1001"


def test_district_split_by_a_pdf_space_before_a_province_like_ending() -> None:
    assert GAZ.resolve_district("บ้าน ตาก", "63").code == "6302"
    assert [m.code for m in GAZ.find_districts_anywhere("บ้าน ตาก")] == ["6302"]


def test_district_followed_by_a_bare_province_name() -> None:
    assert [m.code for m in GAZ.find_districts_anywhere("แม่ริม เชียงใหม่")] == ["5007"]


def test_district_is_only_looked_for_in_the_given_province() -> None:
    assert GAZ.resolve_district("สันทราย", "57") is None


def test_district_typo_is_fuzzy_and_not_exact() -> None:
    m = GAZ.resolve_district("สันทาย", "50")
    assert m.code == "5014" and m.method.startswith("fuzzy") and m.confidence < 1.0


@pytest.mark.parametrize(
    ("text", "province", "code"),
    [("Watthana", "10", "1039"), ("Khwao Sinarin", "32", "3216"), ("Mae-Rim", "50", "5007")],
)
def test_english_district_variants(text: str, province: str, code: str) -> None:
    assert GAZ.resolve_district(text, province).code == code


def test_unknown_province_code_gives_nothing() -> None:
    assert GAZ.resolve_district("สันทราย", "99") is None


# --------------------------------------------------------------------------- free text


def test_find_provinces_in_order_of_appearance() -> None:
    found = GAZ.find_provinces_in("ประชุมที่จังหวัดลำพูน และ จ.เชียงใหม่ กับน่าน")
    assert [m.code for m in found] == ["51", "50", "55"]
    assert [m.method for m in found] == ["prefixed", "prefixed", "bare"]


def test_longest_province_name_wins() -> None:
    found = GAZ.find_provinces_in("จังหวัดพระนครศรีอยุธยา")
    assert [(m.code, m.matched_text) for m in found] == [("14", "พระนครศรีอยุธยา")]


def test_mueang_alone_is_not_a_province() -> None:
    assert GAZ.find_provinces_in("อำเภอเมือง") == []


def test_province_inside_a_capital_district_name_is_skipped() -> None:
    assert GAZ.find_provinces_in("อำเภอเมืองเชียงใหม่") == []


def test_province_inside_a_district_name_when_asked() -> None:
    found = GAZ.find_provinces_in("อำเภอเมืองเชียงใหม่", include_district_names=True)
    assert [(m.code, m.method) for m in found] == [("50", "in_district_name")]


@pytest.mark.parametrize(
    "text", ["อำเภอตากใบ", "อำเภอบ้านตาก", "อำเภอศรีเชียงใหม่", "เขตปทุมวัน", "อุบลรัตน์"]
)
def test_province_names_inside_other_district_names_are_skipped(text: str) -> None:
    assert GAZ.find_provinces_in(text) == []


def test_province_names_that_are_common_words_need_a_prefix() -> None:
    text = "การแพร่ระบาดของโรค ไม่ไปเลยครับ ตากแดดไว้"
    assert GAZ.find_provinces_in(text) == []
    assert [m.code for m in GAZ.find_provinces_in(text + " จังหวัดเลย จ.แพร่")] == ["42", "54"]


def test_common_word_province_standing_alone_is_weak() -> None:
    found = GAZ.find_provinces_in("ตาก    บ้านตาก")
    assert [(m.code, m.method) for m in found] == [("63", "bare_common_word")]
    assert not found[0].confident


def test_province_split_by_pdf_spaces_is_found_with_original_text() -> None:
    found = GAZ.find_provinces_in("ปลัดจังหวัด เชียง ใหม่ ครับ")
    assert [(m.code, m.matched_text) for m in found] == [("50", "เชียง ใหม่")]


def test_english_province_names_in_free_text() -> None:
    found = GAZ.find_provinces_in("From Chiang Mai and Lopburi to Phang-nga; nan is not Nan")
    assert [m.code for m in found] == ["50", "16", "82", "55"]


def test_find_provinces_in_empty_text() -> None:
    assert GAZ.find_provinces_in("") == []
    assert GAZ.find_provinces_in(None) == []


# --------------------------------------------------------------------------- scanning districts


def test_scan_districts_finds_several_in_order() -> None:
    found = GAZ.scan_districts("สันทราย และอำเภอแม่ริม", "50")
    assert [m.code for m in found] == ["5014", "5007"]


def test_scan_districts_bare_mueang_is_the_capital() -> None:
    found = GAZ.scan_districts("อำเภอเมือง จังหวัดเชียงใหม่", "50")
    assert [(m.code, m.method) for m in found] == [("5001", "capital")]


def test_scan_districts_skips_the_province_after_changwat() -> None:
    found = GAZ.scan_districts("อำเภอบางไทร จังหวัดพระนครศรีอยุธยา", "14")
    assert [m.code for m in found] == ["1404"]


def test_scan_districts_does_not_cut_thai_syllables() -> None:
    assert GAZ.scan_districts("พลังงานทดแทน", "40") == []  # พล is a district of Khon Kaen


def test_scan_districts_everywhere_reports_ambiguity() -> None:
    found = GAZ.scan_districts("เฉลิมพระเกียรติ")
    assert len(found) == 5 and {m.method for m in found} == {"scan_ambiguous"}


def test_scan_districts_everywhere_needs_a_prefix_for_short_names() -> None:
    assert GAZ.scan_districts("พล") == []
    assert [m.code for m in GAZ.scan_districts("อำเภอพล")] == ["4012"]


def test_match_type() -> None:
    m = GAZ.resolve_province("น่าน")
    assert isinstance(m, Match) and 0.0 <= m.confidence <= 1.0
