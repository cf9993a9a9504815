"""RAR, 7z and winmail.dat attachments are read like ZIPs: what a zone office really sends.

The archives are real files: RAR written by ``tests/archive_files.py`` (checked here against
libarchive itself) or by WinRAR (libarchive's own test files), 7z by libarchive's writer and
py7zr, winmail.dat from the TNEF specification. The forms inside are the generator's DOCX.
"""

from __future__ import annotations

import random
import sqlite3
import struct
import zipfile
from datetime import datetime
from email.message import EmailMessage
from io import BytesIO

import libarchive
import pytest
from archive_files import libarchive_sample, rar4, rar5, seven_zip, seven_zip_encrypted, winmail_dat
from ingest_helpers import run_cli
from mutations import mutants, unexpected_problems

from areaplan.core.reasons import REVIEW
from areaplan.parsers.pipeline import parse_raw
from areaplan.parsers.readers import LABELS, read_attachment
from areaplan.parsers.types import ParseSettings, ReadLimits
from areaplan.samples.forms import DocMeta, FormFill, build_form_docx

FORMS = [("ลพบุรี/แบบรายงาน.docx", b"PK-form-of-lopburi" * 40), ("สระบุรี/แบบรายงาน.docx", b"PK-form-of-saraburi" * 30)]
WRITERS = {"rar4": rar4, "rar5": rar5, "7z": seven_zip}
FILENAMES = {"rar4": "เขต1.rar", "rar5": "เขต1.rar", "7z": "เขต1.7z"}


def _members(result) -> dict[str, bytes]:
    return dict(result.members)


def _codes(result) -> list[str]:
    return [r.code for r in result.reasons]


# --------------------------------------------------------------------------- the test writers


@pytest.mark.parametrize("writer", [rar4, rar5])
def test_the_rar_files_written_for_these_tests_are_read_by_libarchive_itself(writer):
    data = writer(FORMS)
    fmt = "rar5" if data.startswith(b"Rar!\x1a\x07\x01") else "rar"
    with libarchive.memory_reader(data, format_name=fmt) as archive:
        got = [(e.pathname.replace("\\", "/"), b"".join(e.get_blocks())) for e in archive]
    assert got == FORMS


# --------------------------------------------------------------------------- reading


@pytest.mark.parametrize("kind", ["rar4", "rar5", "7z"])
def test_every_file_of_a_rar_or_7z_comes_back_as_a_member_with_its_thai_name(kind):
    result = read_attachment(FILENAMES[kind], "application/octet-stream", WRITERS[kind](FORMS))
    assert result.kind == ("7z" if kind == "7z" else "rar") and result.method == "libarchive"
    assert _members(result) == {name.replace("/", "_"): data for name, data in FORMS}
    assert result.problems == [] and result.reasons == []


def test_a_compressed_rar5_made_by_winrar_is_read():
    result = read_attachment("files.rar", "application/vnd.rar", libarchive_sample("test_read_format_rar5_multiple_files"))
    assert sorted(_members(result)) == ["test1.bin", "test2.bin", "test3.bin", "test4.bin"]
    assert all(len(d) == 4096 for d in _members(result).values()) and result.problems == []


def test_a_rar4_name_in_the_thai_code_page_reads_as_thai():
    result = read_attachment("เขต1.rar", "", rar4(FORMS, name_encoding="cp874"))
    assert set(_members(result)) == {"ลพบุรี_แบบรายงาน.docx", "สระบุรี_แบบรายงาน.docx"}


def test_archives_inside_a_rar_are_opened_within_the_same_budget():
    inner_zip = BytesIO()
    with zipfile.ZipFile(inner_zip, "w") as zf:
        zf.writestr("ชัยนาท.docx", b"form-in-zip")
    outer = rar4([("จังหวัด.7z", seven_zip([("สิงห์บุรี.docx", b"form-in-7z")])),
                  ("zip/อื่น.zip", inner_zip.getvalue())])
    result = read_attachment("เขต1.rar", "", outer)
    assert _members(result) == {"จังหวัด.7z_สิงห์บุรี.docx": b"form-in-7z", "zip_อื่น.zip_ชัยนาท.docx": b"form-in-zip"}


def test_rar_inside_a_zip_is_opened_too():
    outer = BytesIO()
    with zipfile.ZipFile(outer, "w") as zf:
        zf.writestr("เขต1.rar", rar5(FORMS[:1]))
    result = read_attachment("all.zip", "application/zip", outer.getvalue())
    assert _members(result) == {"เขต1.rar_ลพบุรี_แบบรายงาน.docx": FORMS[0][1]}


def test_archives_nested_deeper_than_the_limit_are_not_opened():
    data = rar4([("form.docx", b"deep form")])
    for level in range(4):
        data = seven_zip([(f"level{level}.rar", data)]) if level % 2 else rar4([(f"level{level}.7z", data)])
    result = read_attachment("top.rar", "", data, ReadLimits(max_depth=2))
    assert result.members == []
    assert any("nested deeper than 2 levels" in p for p in result.problems)


# --------------------------------------------------------------------------- limits


def test_no_more_files_than_the_limit_are_taken_from_a_rar():
    files = [(f"f{i:02d}.txt", f"ไฟล์ {i}".encode()) for i in range(12)]
    result = read_attachment("many.rar", "", rar4(files), ReadLimits(max_members=5))
    assert len(result.members) == 5
    assert any("more than 5 files" in p for p in result.problems)


def test_a_7z_bomb_is_refused_by_its_declared_size_before_inflating():
    bomb = seven_zip([("zeros.docx", bytes(20 * 2**20))])
    assert len(bomb) < 100_000
    result = read_attachment("bomb.7z", "", bomb, ReadLimits(max_decompressed=2**20))
    assert result.members == []
    assert any("would inflate to 20 MB" in p for p in result.problems)


def test_one_byte_budget_covers_all_the_files_of_an_archive_and_its_nested_archives():
    inner = seven_zip([("b.docx", bytes(600 * 1024))])
    data = rar4([("a.docx", bytes(600 * 1024)), ("inner.7z", inner)])
    result = read_attachment("two.rar", "", data, ReadLimits(max_decompressed=2**20))
    assert list(_members(result)) == ["a.docx"]
    assert any("inner.7z/b.docx would inflate to" in p and "over what the limits leave" in p
               for p in result.problems)


def test_a_rar_file_whose_header_lies_about_its_size_is_streamed_no_further_than_the_limit():
    lying = rar4([("big.docx", bytes(3 * 2**20))], declared={"big.docx": 10})
    result = read_attachment("lie.rar", "", lying, ReadLimits(max_decompressed=100 * 1024))
    assert result.members == []
    assert any("big.docx inflates to more than 0.1 MB" in p for p in result.problems), result.problems


def test_a_rar_file_of_unknown_size_is_a_problem_not_a_crash():
    data = rar5([("pipe.docx", bytes(3 * 2**20))], size_unknown=("pipe.docx",))
    result = read_attachment("pipe.rar", "", data)
    assert result.kind == "rar" and result.members == []
    assert any("unknown unpacked size" in p for p in result.problems), result.problems


# --------------------------------------------------------------------------- encrypted and damaged


@pytest.mark.parametrize("make, locked, readable", [
    (lambda: rar4(FORMS, encrypted=(FORMS[1][0],)), {FORMS[1][0]}, {"ลพบุรี_แบบรายงาน.docx"}),
    (lambda: libarchive_sample("test_read_format_rar4_encrypted"), {"b.txt", "d.txt"}, {"a.txt", "c.txt"}),
    (lambda: libarchive_sample("test_read_format_rar5_encrypted"), {"b.txt", "d.txt"}, {"a.txt", "c.txt"}),
    (lambda: seven_zip_encrypted(FORMS), {n for n, _ in FORMS}, set()),
], ids=["rar4-written-here", "rar4-winrar", "rar5-winrar", "7z-py7zr"])
def test_a_password_protected_file_is_a_coded_reason_and_the_others_are_read(make, locked, readable):
    result = read_attachment("เขต1.rar", "", make())
    assert set(_members(result)) == readable
    assert {r.evidence for r in result.reasons if r.code == "attachment.encrypted"} == locked
    assert all(r.severity == REVIEW and "รหัสผ่าน" in r.text_th for r in result.reasons)


@pytest.mark.parametrize("make", [
    lambda: seven_zip_encrypted(FORMS, names_too=True),
    lambda: libarchive_sample("test_read_format_rar5_encrypted_filenames"),
], ids=["7z", "rar5"])
def test_an_archive_whose_names_are_encrypted_is_one_coded_reason(make):
    result = read_attachment("locked", "", make())
    assert result.members == [] and _codes(result) == ["attachment.encrypted"]
    assert "password-protected" in result.problems[0]


@pytest.mark.parametrize("kind", ["rar4", "rar5", "7z"])
@pytest.mark.parametrize("damage", ["truncated", "flipped byte", "garbage after the signature"])
def test_a_damaged_archive_is_a_problem_and_never_a_crash(kind, damage):
    data = bytearray(WRITERS[kind](FORMS))
    if damage == "truncated":
        data = data[: len(data) // 3]
    elif damage == "flipped byte":
        data[30] ^= 0xFF
    else:
        data = data[:8] + bytes(range(256)) * 4
    result = read_attachment(FILENAMES[kind], "", bytes(data))
    assert result.kind == ("7z" if kind == "7z" else "rar")
    assert any("damaged" in p for p in result.problems), result.problems
    assert len(result.members) < len(FORMS)


def _cut_in_second_file(data: bytes) -> bytes:
    return data[: data.index(FORMS[1][1]) + 100]


@pytest.mark.parametrize("make, kept", [
    (lambda: _cut_in_second_file(rar4(FORMS)), ["ลพบุรี_แบบรายงาน.docx"]),
    (lambda: _cut_in_second_file(rar5(FORMS)), ["ลพบุรี_แบบรายงาน.docx"]),
    # WinRAR's compressed RAR 5 cut in its second file: libarchive gives 0 bytes and no error
    (lambda: libarchive_sample("test_read_format_rar5_multiple_files")[:700], ["test1.bin"]),
], ids=["rar4", "rar5", "rar5-winrar"])
def test_a_file_cut_short_inside_a_rar_is_not_kept_and_says_it_is_damaged(make, kept):
    result = read_attachment("เขต1.rar", "", make())
    assert list(_members(result)) == kept
    assert any("damaged" in p for p in result.problems), result.problems


@pytest.mark.parametrize("writer", [rar4, rar5])
def test_one_part_of_a_multi_volume_rar_says_the_other_parts_are_missing(writer):
    result = read_attachment("เขต1.part1.rar", "", writer(FORMS, volume=True))
    assert any("one part of a multi-volume RAR" in p for p in result.problems)
    assert not any("multi-volume" in p for p in read_attachment("เขต1.rar", "", writer(FORMS)).problems)


SEEDS = {"rar4": lambda: rar4(FORMS), "rar5": lambda: rar5(FORMS), "7z": lambda: seven_zip(FORMS),
         "rar5-winrar": lambda: libarchive_sample("test_read_format_rar5_multiple_files"),
         "7z-encrypted": lambda: seven_zip_encrypted(FORMS), "winmail.dat": lambda: winmail_dat(FORMS, body="เรียน")}


@pytest.mark.parametrize("kind", list(SEEDS))
def test_mutated_archives_are_read_or_refused_with_a_reason_never_an_unexpected_error(kind):
    """Seeded random damage (bytes changed, cut out, put in): every failure is one the readers expect."""
    rng = random.Random(f"archives:{kind}")
    seed = SEEDS[kind]()
    for data in mutants(seed, rng):
        result = read_attachment("x", "", data, ReadLimits(max_seconds=30))
        assert not unexpected_problems(result.problems, LABELS.values()), result.problems


def test_a_file_named_rar_that_is_not_one_says_so():
    result = read_attachment("เขต1.rar", "application/x-rar-compressed", b"this is not an archive at all")
    assert result.problems == ["ไฟล์ เขต1.rar: unreadable RAR archive (no RAR signature at the start of the file)"]


# --------------------------------------------------------------------------- winmail.dat


def test_winmail_dat_gives_its_attachments_with_their_long_thai_names_and_its_body():
    data = winmail_dat([("แบบรายงาน ลพบุรี.docx", b"form-1"), ("ภาพกิจกรรม 1.jpg", b"\xff\xd8photo")],
                       body="เรียน กองวิชาการและแผนงาน ส่งแบบรายงานตามไฟล์แนบ")
    result = read_attachment("winmail.dat", "application/ms-tnef", data)
    assert result.kind == "tnef" and result.problems == []
    assert _members(result) == {"แบบรายงาน ลพบุรี.docx": b"form-1", "ภาพกิจกรรม 1.jpg": b"\xff\xd8photo"}
    assert "ส่งแบบรายงานตามไฟล์แนบ" in result.text


def test_a_winmail_dat_title_in_the_thai_code_page_reads_as_thai():
    data = winmail_dat([("แบบรายงาน.docx", b"form"), ("report.pdf", b"%PDF")], long_names=False)
    result = read_attachment("winmail.dat", "application/ms-tnef", data)
    assert list(_members(result)) == ["แบบรายงาน.docx", "report.pdf"]


def test_a_winmail_dat_whose_body_is_only_rich_text_hands_the_rtf_to_the_rtf_reader():
    rtf = rb"{\rtf1\ansi\ansicpg874 \u3626?\u3656?\u3591?\u3649?\u3610?\u3610? report\par}"
    raw = _mail("winmail.dat", ("application", "ms-tnef"), winmail_dat([("a.docx", b"x")], rtf_body=rtf))
    pm = parse_raw(raw, ParseSettings(), "2021-03-29T10:00:00+07:00")
    body = [a for a in pm.attachments if a.filename == "winmail-body.rtf"]
    assert len(body) == 1 and body[0].kind == "rtf" and "ส่งแบบ" in body[0].text


@pytest.mark.parametrize("block", [
    (1, 0x0006, 0x9003, struct.pack("<I", 0xFFFFFFF0) + bytes(24)),  # 4 billion properties in 28 bytes
    (1, 0x0006, 0x9003, struct.pack("<IHHI", 1, 0x1002, 0x3001, 0x7FFFFFFF) + bytes(8)),  # 2 billion shorts
    (1, 0x0006, 0x9004, struct.pack("<I", 0xFFFFFF00) + bytes(12)),  # 4 billion recipients
], ids=["properties", "values", "recipients"])
def test_a_winmail_dat_whose_counts_overrun_its_bytes_is_refused_before_decoding(block):
    data = winmail_dat([("แบบรายงาน.docx", b"form")], extra=(block,))
    result = read_attachment("winmail.dat", "application/ms-tnef", data, ReadLimits(max_seconds=30))
    assert result.members == []
    assert any("damaged winmail.dat: " in p and "claims" in p for p in result.problems), result.problems


def test_a_winmail_dat_of_message_properties_only_is_a_note_not_a_problem():
    result = read_attachment("winmail.dat", "application/ms-tnef", winmail_dat([]))
    assert result.problems == [] and any("only message properties" in n for n in result.notes)


@pytest.mark.parametrize("damage", ["cut in its first attribute", "garbage after the signature", "nothing"])
def test_a_damaged_winmail_dat_is_a_problem_not_a_crash(damage):
    good = winmail_dat([("a.docx", b"x" * 100)])
    data = {"cut in its first attribute": good[:12], "garbage after the signature": good[:4] + b"\xff" * 40,
            "nothing": good[:6]}[damage]
    result = read_attachment("winmail.dat", "application/ms-tnef", data)
    assert result.kind == "tnef" and result.members == [] and result.problems


# --------------------------------------------------------------------------- end to end


def _form(province: str, district: str, zone: str = "1") -> bytes:
    fill = FormFill(zone=zone, province=province, district=district,
                    criteria=["1. นายอำเภอให้ความสำคัญกับโครงการ", "2. นำข้อมูลไปใช้วางแผน"],
                    reporter="นายสมชาย ใจดี", reporter_position=f"ปลัดจังหวัด{province}",
                    coordinator="นางสาววรรณา ศรีสุข", coordinator_position="เจ้าพนักงานปกครอง", phone="0-3641-1234")
    return build_form_docx(fill, DocMeta(created=datetime(2021, 3, 29, 9, 0)))


def _mail(filename: str, ctype: tuple[str, str], data: bytes) -> bytes:
    m = EmailMessage()
    m["Subject"] = "ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model) เขตตรวจราชการที่ 1 จำนวน 2 จังหวัด"
    m["From"] = "สำนักงานผู้ตรวจราชการกรมการปกครอง เขต 1 <inspector.zone1@example.go.th>"
    m["To"] = "dopa.areaplan@gmail.com"
    m["Date"] = "Mon, 29 Mar 2021 09:00:00 +0700"
    m["Message-ID"] = f"<{ctype[1]}-{len(data)}@archives.example>"
    m.set_content("เรียน กองวิชาการและแผนงาน\n\nขอส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ ของจังหวัดลพบุรีและสระบุรี "
                  "รายละเอียดตามไฟล์แนบ\n")
    m.add_attachment(data, maintype=ctype[0], subtype=ctype[1], filename=filename)
    return bytes(m)


TWO_FORMS = [("ลพบุรี/แบบรายงาน ลพบุรี.docx", lambda: _form("ลพบุรี", "โคกสำโรง")),
             ("สระบุรี/แบบรายงาน สระบุรี.docx", lambda: _form("สระบุรี", "วิหารแดง"))]
CONTAINERS = {
    "rar4": ("เขต1.rar", ("application", "x-rar-compressed"), rar4),
    "rar5": ("เขต1.rar", ("application", "vnd.rar"), rar5),
    "7z": ("เขต1.7z", ("application", "x-7z-compressed"), seven_zip),
    "winmail.dat": ("winmail.dat", ("application", "ms-tnef"),
                    lambda files: winmail_dat([(n.split("/")[1], d) for n, d in files])),
}


@pytest.mark.parametrize("kind", list(CONTAINERS))
def test_a_zone_office_mail_with_two_provinces_forms_in_one_container_makes_two_submissions(kind):
    filename, ctype, pack = CONTAINERS[kind]
    raw = _mail(filename, ctype, pack([(name, make()) for name, make in TWO_FORMS]))
    pm = parse_raw(raw, ParseSettings(), "2021-03-29T10:00:00+07:00")
    got = sorted((s.province_code, s.district_code) for s in pm.submissions)
    assert got == [("16", "1603"), ("19", "1904")]
    assert not [r for r in pm.all_reasons() if r.code.startswith("attachment.")]


@pytest.mark.parametrize("kind", ["rar4", "7z"])
def test_a_password_protected_container_sends_the_mail_to_review_with_a_thai_reason(kind):
    files = [(name, make()) for name, make in TWO_FORMS]
    data = rar4(files, encrypted=tuple(n for n, _ in files)) if kind == "rar4" else seven_zip_encrypted(files)
    filename, ctype, _ = CONTAINERS[kind]
    pm = parse_raw(_mail(filename, ctype, data), ParseSettings(), "2021-03-29T10:00:00+07:00")
    encrypted = [r for r in pm.all_reasons() if r.code == "attachment.encrypted"]
    assert len(encrypted) == 2 and pm.status == "review"
    assert all(r.text_th.startswith(f"ไฟล์ {filename}") and "ตั้งรหัสผ่านไว้" in r.text_th for r in encrypted)
    assert sorted(r.text_th.split(": ", 1)[1].split(" ตั้งรหัสผ่าน")[0] for r in encrypted) == sorted(n for n, _ in files)
    assert sorted(r.evidence for r in encrypted) == sorted(f"{filename}: {name}" for name, _ in files)
    assert not [r for r in pm.all_reasons() if r.code == "attachment.unreadable"]


@pytest.mark.parametrize("kind", ["rar5", "7z"])
def test_a_damaged_container_sends_the_mail_to_review_with_a_coded_reason(kind):
    filename, ctype, pack = CONTAINERS[kind]
    data = pack([(name, make()) for name, make in TWO_FORMS])
    pm = parse_raw(_mail(filename, ctype, data[: len(data) // 4]), ParseSettings(), "2021-03-29T10:00:00+07:00")
    unreadable = [r for r in pm.all_reasons() if r.code == "attachment.unreadable"]
    assert unreadable and pm.status == "review"
    assert all(filename in r.text_th and "อ่านไม่ได้" in r.text_th and "damaged" in r.detail for r in unreadable)


def test_the_two_submissions_of_a_rar_are_stored_with_their_own_keys_and_attachments(tmp_path):
    raw = _mail("เขต1.rar", ("application", "x-rar-compressed"), rar4([(name, make()) for name, make in TWO_FORMS]))
    (tmp_path / "zone1.eml").write_bytes(raw)
    db = tmp_path / "a.db"
    result = run_cli("--db", str(db), "import", str(tmp_path / "zone1.eml"))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as c:
        subs = c.execute("SELECT key, province_code, district_code FROM submissions ORDER BY province_code").fetchall()
        files = c.execute("SELECT filename, kind, method FROM attachments ORDER BY part_index").fetchall()
    assert [s[1:] for s in subs] == [("16", "1603"), ("19", "1904")]
    assert len({s[0] for s in subs}) == 2
    assert [f[:2] for f in files] == [("เขต1.rar", "rar"), ("ลพบุรี_แบบรายงาน ลพบุรี.docx", "docx"),
                                      ("สระบุรี_แบบรายงาน สระบุรี.docx", "docx")]
    assert files[0][2] == "libarchive"
