"""tar, .tar.gz/.tgz, .tar.bz2, .tar.xz and a single gzipped file are read like ZIPs.

Every archive here is a real file written by Python's own ``tarfile``, ``gzip``, ``bz2`` and
``lzma`` modules (or ``zlib`` streaming, for the bomb); the forms inside are the generator's
DOCX. Reading goes through libarchive, with the same budget, nesting and damage rules as RAR/7z.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import random
import tarfile
import zipfile
import zlib

import pytest
from mutations import mutants, unexpected_problems
from test_archive_kinds import TWO_FORMS, _mail

from areaplan.parsers.pipeline import parse_raw
from areaplan.parsers.readers import LABELS, read_attachment
from areaplan.parsers.types import ParseSettings, ReadLimits

FORMS = [("ลพบุรี/แบบรายงาน.docx", b"PK-form-of-lopburi" * 40), ("สระบุรี/แบบรายงาน.docx", b"PK-form-of-saraburi" * 30)]
MODES = {"tar": "w", "tar.gz": "w:gz", "tar.bz2": "w:bz2", "tar.xz": "w:xz"}
SINGLE = {"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress}
WHEN = "2021-03-29T10:00:00+07:00"


def make_tar(files: list[tuple[str, bytes]], mode: str = "w:gz", fmt: int = tarfile.PAX_FORMAT) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=mode, format=fmt) as tar:
        for name, data in files:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def gzip_of_zeros(size: int) -> bytes:
    """A gzip of ``size`` zero bytes, compressed in chunks so the test never holds them."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1 << 20)
    parts = [z.compress(chunk) for _ in range(size >> 20)]
    return b"".join(parts) + z.flush()


def _members(result) -> dict[str, bytes]:
    return dict(result.members)


# --------------------------------------------------------------------------- reading


@pytest.mark.parametrize("flavour", list(MODES))
def test_every_file_of_a_tar_plain_or_compressed_comes_back_with_its_thai_name(flavour):
    result = read_attachment(f"เขต1.{flavour}", "application/octet-stream", make_tar(FORMS, MODES[flavour]))
    assert result.kind == "tar" and result.method == "libarchive"
    assert _members(result) == {name.replace("/", "_"): data for name, data in FORMS}
    assert result.problems == [] and result.reasons == []


@pytest.mark.parametrize("fmt", [tarfile.GNU_FORMAT, tarfile.USTAR_FORMAT], ids=["gnu", "ustar"])
def test_a_tar_is_known_by_its_header_whatever_its_name_and_even_when_a_pdf_comes_first(fmt):
    files = [("report.pdf", b"%PDF-1.4\n" + b"0" * 600), ("form.docx", b"PK-form")]
    result = read_attachment("attachment.bin", "application/octet-stream", make_tar(files, "w", fmt))
    assert result.kind == "tar"
    assert _members(result) == dict(files)


@pytest.mark.parametrize("compress", list(SINGLE))
def test_a_single_compressed_file_is_one_member_named_without_the_compression_suffix(compress):
    form = "แบบรายงานผลการคัดเลือกอำเภอต้นแบบ\n".encode() * 50
    result = read_attachment(f"แบบรายงาน.docx.{compress}", "application/octet-stream", SINGLE[compress](form))
    assert result.kind == "gzip" and result.method == "libarchive"
    assert list(_members(result)) == ["แบบรายงาน.docx"] and _members(result)["แบบรายงาน.docx"] == form


def test_a_gzipped_zip_and_a_tar_gz_inside_a_zip_are_opened_within_one_archive_tree():
    inner_zip = io.BytesIO()
    with zipfile.ZipFile(inner_zip, "w") as zf:
        zf.writestr("ชัยนาท.docx", b"form-in-zip")
    gz_zip = read_attachment("เขต1.zip.gz", "application/gzip", gzip.compress(inner_zip.getvalue()))
    assert _members(gz_zip) == {"เขต1.zip_ชัยนาท.docx": b"form-in-zip"}

    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as zf:
        zf.writestr("เขต1.tar.gz", make_tar(FORMS))
        zf.writestr("สิงห์บุรี.docx.gz", gzip.compress(b"form-of-singburi"))
    result = read_attachment("ทั้งหมด.zip", "application/zip", outer.getvalue())
    assert _members(result) == {
        "เขต1.tar.gz_ลพบุรี_แบบรายงาน.docx": FORMS[0][1],
        "เขต1.tar.gz_สระบุรี_แบบรายงาน.docx": FORMS[1][1],
        "สิงห์บุรี.docx": b"form-of-singburi",
    }
    assert result.problems == []


def test_archives_nested_deeper_than_the_limit_are_not_opened():
    data = make_tar([("form.docx", b"deep form")])
    for level in range(4):
        data = gzip.compress(data) if level % 2 else make_tar([(f"level{level}.gz", data)])
    result = read_attachment("top.tar.gz", "", data, ReadLimits(max_depth=2))
    assert result.members == []
    assert any("nested deeper than 2 levels" in p for p in result.problems), result.problems


# --------------------------------------------------------------------------- limits


def test_no_more_files_than_the_limit_are_taken_from_a_tar():
    files = [(f"f{i:02d}.txt", f"ไฟล์ {i}".encode()) for i in range(12)]
    result = read_attachment("many.tgz", "", make_tar(files), ReadLimits(max_members=5))
    assert len(result.members) == 5
    assert any("more than 5 files" in p for p in result.problems)


def test_a_gzip_bomb_stops_at_the_budget_and_keeps_nothing_of_it():
    bomb = gzip_of_zeros(300 * 2**20)  # 300 MB of zeros in about 0.3 MB
    assert len(bomb) < 400_000
    result = read_attachment("แบบรายงาน.docx.gz", "application/gzip", bomb)
    assert result.members == []
    assert any("inflates to more than 40 MB" in p and "archive bomb" in p for p in result.problems), result.problems


def test_a_tar_gz_bomb_is_refused_by_its_declared_size_and_the_files_before_it_are_kept():
    data = make_tar([FORMS[0], ("zeros.docx", bytes(3 * 2**20)), FORMS[1]])
    result = read_attachment("เขต1.tar.gz", "", data, ReadLimits(max_decompressed=2**20))
    assert list(_members(result)) == ["ลพบุรี_แบบรายงาน.docx", "สระบุรี_แบบรายงาน.docx"]
    assert any("zeros.docx would inflate to 3 MB" in p for p in result.problems), result.problems


def test_one_byte_budget_covers_a_tar_and_the_gzip_files_inside_it():
    data = make_tar([("a.docx", bytes(600 * 1024)), ("b.docx.gz", gzip.compress(bytes(600 * 1024)))])
    result = read_attachment("two.tar", "", data, ReadLimits(max_decompressed=2**20))
    assert list(_members(result)) == ["a.docx"]
    assert any("b.docx inflates to more than" in p for p in result.problems), result.problems


# --------------------------------------------------------------------------- damaged


@pytest.mark.parametrize("flavour", ["tar.gz", "tar.bz2", "tar.xz"])
@pytest.mark.parametrize("damage", ["truncated", "flipped byte", "garbage after the signature"])
def test_a_damaged_compressed_tar_is_a_problem_and_never_a_crash(flavour, damage):
    data = bytearray(make_tar(FORMS, MODES[flavour]))
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "flipped byte":
        data[len(data) // 2] ^= 0xFF
    else:
        data = data[:12] + bytes(range(256)) * 4  # the header (magic, flags) kept
    result = read_attachment(f"เขต1.{flavour}", "", bytes(data))
    assert result.kind in ("tar", "gzip")
    assert any("damaged" in p for p in result.problems), result.problems
    assert len(result.members) < len(FORMS)


@pytest.mark.parametrize("damage", ["truncated", "checksum"])
def test_a_damaged_single_gzip_file_keeps_nothing(damage):
    data = bytearray(gzip.compress("แบบรายงาน".encode() * 500))
    if damage == "truncated":
        data = data[: len(data) // 2]
    else:
        data[-8] ^= 0x01  # the CRC32 of the trailer: libarchive itself does not check it
    result = read_attachment("แบบรายงาน.txt.gz", "application/gzip", bytes(data))
    assert result.kind == "gzip" and result.members == []
    assert any("damaged" in p for p in result.problems), result.problems
    assert not any("after 1 file" in p for p in result.problems)  # one file: not "the rest not read"


def test_a_file_named_tar_gz_that_is_not_one_says_so():
    result = read_attachment("เขต1.tar.gz", "application/gzip", b"this is not an archive at all")
    assert result.problems == ["ไฟล์ เขต1.tar.gz: unreadable gzip/bzip2/xz compressed file "
                               "(no tar, gzip, bzip2 or xz signature at the start of the file)"]


@pytest.mark.parametrize("flavour", ["tar", "tar.gz", "gz"])
def test_mutated_tar_and_gzip_files_are_read_or_refused_with_a_reason_never_an_unexpected_error(flavour):
    rng = random.Random(f"tar:{flavour}")
    seed = gzip.compress(FORMS[0][1]) if flavour == "gz" else make_tar(FORMS, MODES[flavour])
    for data in mutants(seed, rng, keep_head=4):
        result = read_attachment("x.tgz", "", data, ReadLimits(max_seconds=30))
        assert not unexpected_problems(result.problems, LABELS.values()), result.problems


# --------------------------------------------------------------------------- end to end


@pytest.mark.parametrize("flavour", ["tar.gz", "tgz", "tar.bz2", "tar.xz", "tar"])
def test_a_zone_office_mail_with_two_provinces_forms_in_a_tar_makes_two_submissions(flavour):
    mode = MODES.get(flavour, "w:gz")
    data = make_tar([(name, make()) for name, make in TWO_FORMS], mode)
    pm = parse_raw(_mail(f"เขต1.{flavour}", ("application", "gzip"), data), ParseSettings(), WHEN)
    got = sorted((s.province_code, s.district_code) for s in pm.submissions)
    assert got == [("16", "1603"), ("19", "1904")]
    assert not [r for r in pm.all_reasons() if r.code.startswith("attachment.")]


def test_a_single_gzipped_form_makes_its_submission():
    name, make = TWO_FORMS[0]
    pm = parse_raw(_mail("แบบรายงาน ลพบุรี.docx.gz", ("application", "gzip"), gzip.compress(make())),
                   ParseSettings(), WHEN)
    assert [(s.province_code, s.district_code) for s in pm.submissions] == [("16", "1603")]
    assert not [r for r in pm.all_reasons() if r.code.startswith("attachment.")]


@pytest.mark.parametrize("what", ["tar.gz", "gz"])
def test_a_damaged_tar_gz_sends_the_mail_to_review_with_a_thai_reason(what):
    forms = [(name, make()) for name, make in TWO_FORMS]
    data = make_tar(forms) if what == "tar.gz" else gzip.compress(forms[0][1])
    filename = f"เขต1.{what}"
    pm = parse_raw(_mail(filename, ("application", "gzip"), data[: len(data) // 4]), ParseSettings(), WHEN)
    unreadable = [r for r in pm.all_reasons() if r.code == "attachment.unreadable"]
    assert unreadable and pm.status == "review"
    assert not [s for s in pm.submissions if s.district_code]  # no form was read
    assert all(filename in r.text_th and "อ่านไม่ได้" in r.text_th and "damaged" in r.detail for r in unreadable)


def test_a_gzip_bomb_in_a_mail_is_a_coded_reason_not_a_stall():
    pm = parse_raw(_mail("แบบรายงาน.docx.gz", ("application", "gzip"), gzip_of_zeros(300 * 2**20)),
                   ParseSettings(), WHEN)
    unreadable = [r for r in pm.all_reasons() if r.code == "attachment.unreadable"]
    assert unreadable and pm.status == "review"
    assert any("archive bomb" in r.detail for r in unreadable)
