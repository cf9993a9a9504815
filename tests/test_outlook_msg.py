"""Outlook .msg attachments are read: their body as text, their attachments like the mail's own.

The .msg files are real compound files written by ``tests/msg_files.py`` from [MS-CFB] and
[MS-OXMSG], checked here against two independent readers (olefile, extract-msg). The forms
inside are the generator's DOCX.
"""

from __future__ import annotations

import random
import struct

import compressed_rtf
import extract_msg
import olefile
import pytest
from msg_files import message_tree, write_cfb, write_msg
from mutations import mutants, unexpected_problems
from test_archive_kinds import TWO_FORMS, _mail

from areaplan.parsers.pipeline import parse_raw
from areaplan.parsers.readers import LABELS, read_attachment
from areaplan.parsers.types import ParseSettings, ReadLimits

WHEN = "2021-03-29T10:00:00+07:00"
MSG_TYPE = ("application", "vnd.ms-outlook")
SUBJECT = "ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ จังหวัดลพบุรี"
BODY = "เรียน กองวิชาการและแผนงาน\r\nขอส่งแบบรายงานตามไฟล์แนบ\r\n"
FILES = [("แบบรายงาน ลพบุรี.docx", b"PK\x03\x04" + bytes(range(256)) * 40),  # in regular sectors
         ("หมายเหตุ.txt", "อำเภอโคกสำโรง".encode())]  # in the mini stream


def _members(result) -> dict[str, bytes]:
    return dict(result.members)


# --------------------------------------------------------------------------- the test writer


def test_the_compound_files_written_for_these_tests_are_read_back_by_olefile_without_a_defect():
    tree = {"big": bytes(range(256)) * 50, "small": b"x" * 100, "empty": b"",
            "ที่เก็บ": {"inner": "ไทย".encode() * 30, "deeper": {"leaf": b"leaf" * 2000}}}
    ole = olefile.OleFileIO(write_cfb(tree), raise_defects=olefile.DEFECT_INCORRECT)
    got = {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}
    assert got == {"big": tree["big"], "small": tree["small"], "empty": b"",
                   "ที่เก็บ/inner": tree["ที่เก็บ"]["inner"], "ที่เก็บ/deeper/leaf": tree["ที่เก็บ"]["deeper"]["leaf"]}


def test_the_msg_files_written_for_these_tests_are_read_by_extract_msg_itself():
    with extract_msg.openMsg(write_msg(SUBJECT, body=BODY, attachments=FILES)) as msg:
        assert (msg.subject, msg.body) == (SUBJECT, BODY)
        assert [(a.longFilename, a.data) for a in msg.attachments] == FILES


# --------------------------------------------------------------------------- reading


def test_a_msg_gives_its_subject_and_body_as_text_and_its_attachments_with_their_thai_names():
    result = read_attachment("แบบรายงาน.msg", "application/vnd.ms-outlook",
                             write_msg(SUBJECT, body=BODY, attachments=FILES, sender="อำเภอโคกสำโรง"))
    assert result.kind == "msg" and result.method == "extract-msg"
    assert result.text.startswith(f"From: อำเภอโคกสำโรง\nSubject: {SUBJECT}\n\n")
    assert "ขอส่งแบบรายงานตามไฟล์แนบ" in result.text
    assert _members(result) == dict(FILES)
    assert result.problems == []


def test_a_msg_is_known_by_its_content_whatever_its_name_and_type():
    result = read_attachment("ATT00001.dat", "application/octet-stream", write_msg(SUBJECT, body=BODY))
    assert result.kind == "msg" and SUBJECT in result.text


def test_a_msg_with_only_an_html_body_gives_that_body_as_text():
    html = ("<html><head><meta charset='utf-8'><style>p {color: red}</style></head>"
            "<body><p>เรียน กองวิชาการและแผนงาน</p><p>ขอส่งแบบรายงาน</p></body></html>").encode()
    result = read_attachment("a.msg", "", write_msg(SUBJECT, html=html))
    assert "เรียน กองวิชาการและแผนงาน" in result.text and "ขอส่งแบบรายงาน" in result.text
    assert "color" not in result.text and "<p>" not in result.text


def test_a_msg_whose_body_is_only_rich_text_hands_the_rtf_to_the_rtf_reader():
    rtf = b"{\\rtf1\\ansi\\ansicpg874\\deff0 {\\fonttbl{\\f0 Tahoma;}}\\f0 " + "เรียน กองวิชาการ".encode("cp874").replace(
        b"\\", b"\\\\") + b"\\par}"
    rtf = b"".join(bytes([c]) if c < 0x80 else f"\\'{c:02x}".encode() for c in rtf)
    data = write_msg(SUBJECT, rtf_compressed=compressed_rtf.compress(rtf), attachments=FILES[:1])
    result = read_attachment("a.msg", "", data)
    assert _members(result)["msg-body.rtf"] == rtf
    pm = parse_raw(_mail("ส่งแบบรายงาน.msg", MSG_TYPE, data), ParseSettings(), WHEN)
    body = [a for a in pm.attachments if a.filename == "msg-body.rtf"]
    assert body and body[0].kind == "rtf" and "เรียน กองวิชาการ" in body[0].text


def test_a_message_attached_as_an_outlook_item_is_handed_back_as_a_msg_of_its_own():
    inner = message_tree(SUBJECT, body=BODY, attachments=FILES, top=False)
    result = read_attachment("FW.msg", "", write_msg("FW: ส่งต่อ", body="ส่งต่อครับ", embedded=[("ลพบุรี", inner)]))
    assert list(_members(result)) == ["ลพบุรี.msg"] and result.problems == []
    again = read_attachment("ลพบุรี.msg", "", _members(result)["ลพบุรี.msg"])
    assert SUBJECT in again.text and _members(again) == dict(FILES)


def test_no_more_attachments_than_the_limit_are_taken_from_a_msg():
    files = [(f"f{i}.txt", f"ไฟล์ {i}".encode()) for i in range(6)]
    result = read_attachment("a.msg", "", write_msg(SUBJECT, body=BODY, attachments=files), ReadLimits(max_members=3))
    assert list(_members(result)) == ["f0.txt", "f1.txt", "f2.txt"]
    assert any("6 attachments" in p for p in result.problems)


def test_a_msg_whose_streams_declare_more_than_the_budget_is_not_opened():
    data = write_msg(SUBJECT, body=BODY, attachments=[("big.docx", bytes(300 * 1024))])
    result = read_attachment("a.msg", "", data, ReadLimits(max_decompressed=200 * 1024))
    assert result.members == [] and result.text == ""
    assert any("over the 0.2 MB limit" in p for p in result.problems), result.problems


# --------------------------------------------------------------------------- damaged


@pytest.mark.parametrize("damage", ["truncated", "directory overwritten", "garbage after the signature"])
def test_a_damaged_msg_is_a_problem_and_never_a_crash(damage):
    data = bytearray(write_msg(SUBJECT, body=BODY, attachments=FILES))
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "directory overwritten":
        start = (int.from_bytes(data[48:52], "little") + 1) * 512
        data[start: start + 512] = bytes(range(256)) * 2
    else:
        data = data[:8] + bytes(range(256)) * 8
    result = read_attachment("แบบรายงาน.msg", "application/vnd.ms-outlook", bytes(data))
    assert result.problems and len(result.members) < len(FILES)


def test_a_damaged_attachment_inside_a_msg_is_a_problem_and_the_others_are_read():
    data = bytearray(write_msg(SUBJECT, body=BODY, attachments=FILES))
    entry = data.index("__substg1.0_3707001F".encode("utf-16-le"))  # the first attachment's long name
    struct.pack_into("<Q", data, entry + 120, 1_000_000)  # its size: far past the sectors it has
    result = read_attachment("a.msg", "", bytes(data))
    assert _members(result) == dict(FILES[1:])
    assert any("attachment 1 of the .msg is damaged" in p for p in result.problems), result.problems


def test_mutated_msg_files_are_read_or_refused_with_a_reason_never_an_unexpected_error():
    rng = random.Random("msg")
    seed = write_msg(SUBJECT, body=BODY, attachments=FILES)
    for data in mutants(seed, rng, change_share=0.7, cut_share=0.15):
        result = read_attachment("x.msg", "", data, ReadLimits(max_seconds=30))
        assert not unexpected_problems(result.problems, LABELS.values()), result.problems


# --------------------------------------------------------------------------- end to end


def test_a_zone_office_mail_with_a_msg_holding_two_provinces_forms_makes_two_submissions():
    files = [(name.split("/")[1], make()) for name, make in TWO_FORMS]
    data = write_msg("FW: ส่งแบบรายงาน 2 จังหวัด", body="ส่งต่อแบบรายงานตามไฟล์แนบ", attachments=files)
    pm = parse_raw(_mail("ส่งแบบรายงาน.msg", MSG_TYPE, data), ParseSettings(), WHEN)
    got = sorted((s.province_code, s.district_code) for s in pm.submissions)
    assert got == [("16", "1603"), ("19", "1904")]
    assert not [r for r in pm.all_reasons() if r.code.startswith("attachment.")]


def test_a_forwarded_outlook_item_inside_a_msg_gives_its_forms_submission():
    name, make = TWO_FORMS[0]
    inner = message_tree(SUBJECT, body=BODY, attachments=[(name.split("/")[1], make())], top=False)
    data = write_msg("FW: ส่งต่อแบบรายงาน", body="ส่งต่อครับ", embedded=[(SUBJECT, inner)])
    pm = parse_raw(_mail("FW.msg", MSG_TYPE, data), ParseSettings(), WHEN)
    assert [(s.province_code, s.district_code) for s in pm.submissions] == [("16", "1603")]
    assert not [r for r in pm.all_reasons() if r.code.startswith("attachment.")]


def test_a_damaged_msg_sends_the_mail_to_review_with_a_thai_reason():
    files = [(name.split("/")[1], make()) for name, make in TWO_FORMS]
    data = write_msg(SUBJECT, body=BODY, attachments=files)
    pm = parse_raw(_mail("ส่งแบบรายงาน.msg", MSG_TYPE, data[: len(data) // 3]), ParseSettings(), WHEN)
    unreadable = [r for r in pm.all_reasons() if r.code == "attachment.unreadable"]
    assert unreadable and pm.status == "review"
    assert all("ส่งแบบรายงาน.msg" in r.text_th and "อ่านไม่ได้" in r.text_th for r in unreadable)
    assert not [s for s in pm.submissions if s.district_code]
