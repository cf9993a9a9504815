"""From stored raw mail to submissions: the contract analysts and the digest rely on."""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from ingest_helpers import run_cli

from areaplan.samples.forms import DocMeta, FormFill, build_form_docx, make_photo

BKK = timezone(timedelta(hours=7))
CRITERIA = [
    "นายอำเภอกำหนดกรอบทิศทางการทำงานอย่างชัดเจน",
    "ลงพื้นที่จัดเก็บข้อมูลครบถ้วนตามกรอบเวลา",
    "สนับสนุนโครงการคนละครึ่งและเราชนะ",
    "บูรณาการร่วมกับภาคเอกชนและภาคประชาสังคม",
]


def fill(province: str, district: str, zone: str, **kw) -> FormFill:
    return FormFill(zone=zone, province=province, district=district, criteria=CRITERIA,
                    reporter="นายสมมติ ทดสอบ", reporter_position=f"ปลัดจังหวัด{province}",
                    coordinator="นางสาวตัวอย่าง ประสาน", coordinator_position="เจ้าพนักงานปกครอง",
                    phone="0-5471-0123", **kw)


def submission(province: str, district: str, zone: str, *, when: datetime, msgid: str | None,
               photos: int = 2, subject: str | None = None) -> bytes:
    rng = random.Random(msgid)
    m = EmailMessage()
    m["Subject"] = subject or f"ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model) จังหวัด{province}"
    m["From"] = "ปกครองจังหวัด <province.dopa@example.go.th>"
    m["To"] = "dopa.areaplan@gmail.com"
    m["Date"] = format_datetime(when)
    if msgid:
        m["Message-ID"] = f"<{msgid}>"
    m.set_content("เรียน กองวิชาการและแผนงาน\nส่งแบบรายงานตามไฟล์แนบ\n")
    m.add_attachment(build_form_docx(fill(province, district, zone), DocMeta()),
                     maintype="application",
                     subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                     filename=f"แบบรายงาน {province}.docx")
    for i in range(photos):
        m.add_attachment(make_photo(rng, caption=f"ภาพ {i}"), maintype="image", subtype="jpeg",
                         filename=f"ภาพกิจกรรม{i}.jpg")
    return bytes(m)


def import_files(tmp_path: Path, *raws: bytes) -> Path:
    db = tmp_path / "a.db"
    for i, raw in enumerate(raws):
        (tmp_path / f"m{i}.eml").write_bytes(raw)
    result = run_cli("--db", str(db), "import", *(str(tmp_path / f"m{i}.eml") for i in range(len(raws))))
    assert result.returncode == 0, result.stderr
    return db


def rows(db: Path, sql: str, params: tuple = ()) -> list[dict]:
    with sqlite3.connect(db) as c:
        c.row_factory = sqlite3.Row
        return [dict(r) for r in c.execute(sql, params)]


MARCH_29 = datetime(2021, 3, 29, 10, 0, tzinfo=BKK)


def test_a_docx_form_with_photos_becomes_one_confident_submission(tmp_path):
    db = import_files(tmp_path, submission("น่าน", "ปัว", "๑๖", when=MARCH_29, msgid="a1@nan"))

    (s,) = rows(db, "SELECT * FROM submissions")
    assert (s["message_id"], s["campaign"], s["province_code"], s["district_code"], s["zone"]) == (
        "a1@nan", "role_model", "55", "5505", 16)
    assert s["reporter_name"] == "นายสมมติ ทดสอบ"
    assert "คนละครึ่ง" in s["narrative"]
    assert s["image_count"] == 2
    assert (s["needs_review"], s["review_reasons"], s["is_current"]) == (0, None, 1)


def test_every_attachment_is_recorded_with_its_text_and_hash(tmp_path):
    import hashlib

    raw = submission("น่าน", "ปัว", "16", when=MARCH_29, msgid="a2@nan", photos=1)
    db = import_files(tmp_path, raw)

    atts = rows(db, "SELECT filename, sha256, kind, text FROM attachments ORDER BY part_index")
    assert [a["kind"] for a in atts] == ["docx", "image"]
    assert atts[0]["filename"] == "แบบรายงาน น่าน.docx"
    assert "ได้พิจารณาคัดเลือกอำเภอ" in atts[0]["text"]
    from email import message_from_bytes, policy

    docx = next(p for p in message_from_bytes(raw, policy=policy.default).iter_attachments()
                if p.get_filename().endswith(".docx"))
    assert atts[0]["sha256"] == hashlib.sha256(docx.get_content()).hexdigest()


def test_photos_are_kept_as_content_addressed_files_beside_the_database(tmp_path):
    db = import_files(tmp_path, submission("น่าน", "ปัว", "16", when=MARCH_29, msgid="a3@nan", photos=2))

    images = rows(db, "SELECT i.sha256, i.path, i.width FROM images i JOIN message_images mi ON mi.image = i.sha256")
    assert len(images) == 2
    import hashlib

    for img in images:
        data = (tmp_path / "a-files" / img["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == img["sha256"] and img["width"] == 640


def test_amphoe_mueang_means_the_capital_district(tmp_path):
    db = import_files(tmp_path, submission("เชียงใหม่", "เมือง", "15", when=MARCH_29, msgid="a4@cm"))

    (s,) = rows(db, "SELECT province_code, district_code, needs_review FROM submissions")
    assert s == {"province_code": "50", "district_code": "5001", "needs_review": 0}


def test_a_province_that_sends_again_keeps_both_and_the_newest_is_current(tmp_path):
    first = submission("น่าน", "ปัว", "16", when=MARCH_29, msgid="c1@nan")
    second = submission("น่าน", "ท่าวังผา", "16", when=MARCH_29 + timedelta(days=1), msgid="c2@nan")
    db = import_files(tmp_path, second, first)  # arrival order must not matter

    got = rows(db, "SELECT message_id, district_code, is_current FROM submissions ORDER BY received_at")
    assert [(g["message_id"], g["is_current"]) for g in got] == [("c1@nan", 0), ("c2@nan", 1)]


def test_a_district_of_another_province_goes_to_review_with_the_reason(tmp_path):
    db = import_files(tmp_path, submission("น่าน", "สันทราย", "16", when=MARCH_29, msgid="r1@nan"))

    (s,) = rows(db, "SELECT district_code, needs_review, review_reasons FROM submissions")
    assert s["needs_review"] == 1 and s["district_code"] is None
    assert "สันทราย" in s["review_reasons"] and "เชียงใหม่" in s["review_reasons"]


def test_a_zone_written_that_differs_from_the_gazetteer_is_flagged(tmp_path):
    db = import_files(tmp_path, submission("น่าน", "ปัว", "10", when=MARCH_29, msgid="z1@nan"))

    (s,) = rows(db, "SELECT zone, zone_written, needs_review, review_reasons FROM submissions")
    assert (s["zone"], s["zone_written"], s["needs_review"]) == (16, 10, 1)
    assert "เขต" in s["review_reasons"]


def test_other_mail_is_stored_but_makes_no_submission(tmp_path):
    m = EmailMessage()
    m["Subject"] = "Re: ส่งแบบรายงาน ได้รับแล้ว"
    m["From"] = "staff@example.go.th"
    m["Message-ID"] = "<o1@x>"
    m["Auto-Submitted"] = "auto-replied"
    m.set_content("ขณะนี้ไม่อยู่ที่สำนักงาน จะติดต่อกลับ")
    db = import_files(tmp_path, bytes(m))

    assert rows(db, "SELECT count(*) AS n FROM submissions") == [{"n": 0}]
    assert rows(db, "SELECT status FROM parsed_messages") == [{"status": "other"}]
    assert rows(db, "SELECT count(*) AS n FROM messages") == [{"n": 1}]


def test_a_message_without_message_id_gets_a_stable_id(tmp_path):
    raw = submission("น่าน", "ปัว", "16", when=MARCH_29, msgid=None)
    db = import_files(tmp_path, raw)
    (first,) = rows(db, "SELECT message_id FROM submissions")
    assert run_cli("--db", str(db), "reparse").returncode == 0

    (again,) = rows(db, "SELECT message_id FROM submissions")
    assert first == again and first["message_id"].startswith("noid-")


def test_a_damaged_attachment_sends_the_message_to_review_naming_the_file(tmp_path):
    m = EmailMessage()
    m["Subject"] = "ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ จังหวัดน่าน"
    m["From"] = "nan@example.go.th"
    m["Message-ID"] = "<d1@nan>"
    m.set_content("ส่งแบบรายงานอำเภอต้นแบบ (Role Model) ตามไฟล์แนบ")
    m.add_attachment(b"%PDF-1.4\n1 0 obj<<>>\nthis is not really a pdf", maintype="application",
                     subtype="pdf", filename="แบบรายงาน.pdf")
    db = import_files(tmp_path, bytes(m))

    (p,) = rows(db, "SELECT status, review_reasons FROM parsed_messages")
    assert p["status"] == "review" and "แบบรายงาน.pdf" in p["review_reasons"]


def test_reparse_is_idempotent(tmp_path):
    db = import_files(
        tmp_path,
        submission("น่าน", "ปัว", "16", when=MARCH_29, msgid="i1@nan"),
        submission("น่าน", "สันทราย", "16", when=MARCH_29, msgid="i2@nan"),
    )
    snapshot = "SELECT * FROM submissions ORDER BY message"
    before = rows(db, snapshot)
    attachments = rows(db, "SELECT message, part_index, sha256, text FROM attachments ORDER BY 1, 2")
    for _ in range(2):
        result = run_cli("--db", str(db), "reparse")
        assert result.returncode == 0, result.stderr

    assert rows(db, snapshot) == before
    assert rows(db, "SELECT message, part_index, sha256, text FROM attachments ORDER BY 1, 2") == attachments


def test_derived_rows_can_be_rebuilt_from_raw_messages_alone(tmp_path):
    db = import_files(tmp_path, submission("น่าน", "ปัว", "16", when=MARCH_29, msgid="b1@nan"))
    before = rows(db, "SELECT province_code, district_code, narrative FROM submissions")
    with sqlite3.connect(db) as c:
        for table in ("submissions_fts", "submissions", "message_images", "attachments", "parsed_messages"):
            c.execute(f"DELETE FROM {table}")

    assert run_cli("--db", str(db), "reparse", "--pending").returncode == 0
    assert rows(db, "SELECT province_code, district_code, narrative FROM submissions") == before


def test_thai_full_text_search_finds_a_word_inside_a_narrative(tmp_path):
    db = import_files(tmp_path, submission("น่าน", "ปัว", "16", when=MARCH_29, msgid="s1@nan"))

    result = run_cli("--db", str(db), "search", "คนละครึ่ง")

    assert result.returncode == 0
    assert "น่าน" in result.stdout and "ปัว" in result.stdout
    assert "no submission" in run_cli("--db", str(db), "search", "ไม่มีคำนี้แน่นอน").stdout


def test_reparse_on_two_cores_gives_what_one_core_gives(tmp_path):
    raws = [submission(p, d, z, when=MARCH_29 + timedelta(hours=i), msgid=f"w{i}@x", photos=1)
            for i, (p, d, z) in enumerate([("น่าน", "ปัว", "16"), ("เชียงใหม่", "เมือง", "15"),
                                           ("น่าน", "สันทราย", "16"), ("ลำพูน", "ป่าซาง", "15"),
                                           ("แพร่", "สอง", "16"), ("ตาก", "แม่สอด", "17")])]
    db = import_files(tmp_path, *raws)
    snapshot = "SELECT * FROM submissions ORDER BY id"
    assert run_cli("--db", str(db), "reparse", "--workers", "1").returncode == 0
    one = rows(db, snapshot)

    result = run_cli("--db", str(db), "reparse", "--workers", "2")

    assert result.returncode == 0, result.stderr
    assert "6 message(s) parsed" in result.stdout
    assert rows(db, snapshot) == one


def test_each_submission_counts_for_the_campaign_period_of_its_date(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[store]\ndb = "{tmp_path / "a.db"}"\n'
        '[[campaigns]]\nid = "rm2021"\nkind = "role_model"\ntitle_th = "อำเภอต้นแบบ 2564"\ndeadline = 2021-03-31\n'
        '[[campaigns]]\nid = "rm2022"\nkind = "role_model"\ntitle_th = "อำเภอต้นแบบ 2565"\ndeadline = 2022-03-31\n',
        encoding="utf-8",
    )
    first = submission("น่าน", "ปัว", "16", when=MARCH_29, msgid="p1@nan")
    second = submission("น่าน", "ท่าวังผา", "16", when=MARCH_29.replace(year=2022), msgid="p2@nan")
    for i, raw in enumerate((first, second)):
        (tmp_path / f"m{i}.eml").write_bytes(raw)

    result = run_cli("--config", str(cfg), "import", str(tmp_path / "m0.eml"), str(tmp_path / "m1.eml"))

    assert result.returncode == 0, result.stderr
    got = rows(tmp_path / "a.db", "SELECT message_id, period, is_current FROM submissions ORDER BY received_at")
    assert [(g["message_id"], g["period"], g["is_current"]) for g in got] == [
        ("p1@nan", "2021", 1), ("p2@nan", "2022", 1)]
