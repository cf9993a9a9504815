"""Datasette metadata in Thai: every table, view and column, and the canned queries."""

from __future__ import annotations

from typing import Any

TABLES: dict[str, tuple[str, str]] = {
    "raw_messages": ("อีเมลต้นฉบับ", "ไบต์ต้นฉบับของอีเมลทุกฉบับ (ไม่แก้ไข ไม่ลบ)"),
    "messages": ("อีเมล", "อีเมลแต่ละฉบับที่ได้รับ (หนึ่งแถวต่อฉบับ)"),
    "message_locations": ("ที่พบอีเมล", "กล่องจดหมายหรือไฟล์ที่พบอีเมลแต่ละฉบับ"),
    "folder_state": ("สถานะโฟลเดอร์", "UID ล่าสุดที่บันทึกแล้วของแต่ละโฟลเดอร์ IMAP"),
    "runs": ("การทำงานของระบบ", "การดึงอีเมล นำเข้า อ่านใหม่ และส่งสรุปแต่ละครั้ง"),
    "schema_migrations": ("รุ่นโครงสร้างฐานข้อมูล", "การปรับโครงสร้างที่ใช้แล้ว"),
    "parsed_messages": ("ผลการอ่านอีเมล", "สิ่งที่ระบบอ่านได้จากอีเมลแต่ละฉบับ (สร้างใหม่ได้)"),
    "attachments": ("ไฟล์แนบ", "ไฟล์แนบทุกไฟล์ และข้อความที่อ่านได้"),
    "images": ("ภาพ", "ไฟล์ภาพในโฟลเดอร์ไฟล์ข้างฐานข้อมูล"),
    "message_images": ("ภาพของอีเมล", "ภาพที่มากับอีเมลแต่ละฉบับ"),
    "submissions": ("การส่งรายงาน", "แบบรายงานที่ได้รับ ค่าที่แสดงเป็นค่าหลังคำตัดสินของเจ้าหน้าที่"),
    "submissions_fts": ("ดัชนีค้นหาข้อความ", "ดัชนีค้นหาคำไทย (ตัดคำด้วย pythainlp)"),
    "provinces": ("จังหวัด", "ทะเบียนจังหวัดและเขตตรวจราชการ"),
    "districts": ("อำเภอ", "ทะเบียนอำเภอ/เขต"),
    "zones": ("เขตตรวจราชการ", "เขตตรวจราชการ 18 เขต"),
    "campaigns": ("รายการรายงาน", "รายการรายงานที่ตั้งค่าไว้"),
    "campaign_periods": ("รอบรายงาน", "รอบรายงานของแต่ละรายการ และวันครบกำหนด"),
    "province_status": ("สถานะรายจังหวัด", "หนึ่งแถวต่อจังหวัดต่อรอบรายงาน: ยังไม่ส่ง รอตรวจสอบ ส่งช้า ส่งแล้ว"),
    "zone_summary": ("สรุปรายเขต", "สถานะรายจังหวัดนับรวมต่อเขตตรวจราชการ"),
    "review_queue": ("รายการรอตรวจสอบ", "สิ่งที่ต้องให้เจ้าหน้าที่ตรวจ พร้อมเหตุผล"),
    "digest_sends": ("การส่งสรุปรายวัน", "สรุปรายวันที่ส่งแล้วหรือกำลังส่ง"),
    "reasons": ("เหตุผลที่ต้องตรวจ", "เหตุผลเป็นข้อมูล: รหัส ช่องข้อมูล หลักฐาน ข้อความภาษาไทย"),
    "field_provenance": ("ที่มาของข้อมูล", "แต่ละช่องข้อมูลอ่านจากไฟล์ หน้า และวิธีใด"),
    "decisions": ("คำตัดสินของเจ้าหน้าที่", "ข้อมูลต้นฉบับ: ใคร เมื่อใด เพราะอะไร ตัดสินอะไร (ไม่ถูกลบเมื่ออ่านใหม่)"),
    "decision_effects": ("ผลของคำตัดสิน", "คำตัดสินที่ใช้แล้ว หรือรอตรวจอีกครั้งเพราะระบบอ่านค่าใหม่ต่างไป"),
    "selection_scores": ("คะแนนคัดเลือกอำเภอต้นแบบ", "คะแนนของผู้ตรวจราชการแต่ละคน ต่อจังหวัด ต่อเกณฑ์ (4 เกณฑ์ น้ำหนักเท่ากัน)"),
    "selection_notes": ("บันทึกการคัดเลือก", "บันทึกของผู้ตรวจราชการต่อจังหวัดในการคัดเลือกระดับเขต"),
    "selection_choices": ("ผลการคัดเลือกระดับเขต", "อำเภอที่เขตตรวจราชการเลือก (หนึ่งอำเภอต่อเขต)"),
    "selection_reopenings": ("การเปิดการคัดเลือกใหม่", "การเปิดให้แก้ผลการคัดเลือกหลังปิดแล้ว ใคร เมื่อใด ถึงวันใด"),
    "selection_events": ("ประวัติการคัดเลือก", "ทุกการกระทำในการคัดเลือกระดับเขต (ไม่ถูกลบ)"),
    "province_mail": ("อีเมลถึงจังหวัด", "บันทึกการตอบรับและการเตือนที่ส่งถึงจังหวัด (ไม่ส่งซ้ำ)"),
    "followup_hints": ("อีเมลส่งภาพหรือลิงก์เพิ่มเติม",
                       "อีเมลที่ส่งภาพหรือลิงก์ตามมาภายหลัง และหลักฐานที่ระบบเห็น (สร้างใหม่เมื่ออ่านซ้ำ)"),
    "followups": ("การเชื่อมภาพเพิ่มเติมกับแบบรายงาน",
                  "อีเมลส่งภาพเพิ่มเติมแต่ละฉบับเป็นของแบบรายงานฉบับใด เชื่อมด้วยวิธีใด (สร้างใหม่เมื่ออ่านซ้ำ)"),
    "shared_links": ("ลิงก์ไฟล์ที่แชร์", "ลิงก์ Google Drive, OneDrive, Dropbox, LINE ฯลฯ ที่พบในอีเมล"),
    "submission_images": ("ภาพของแต่ละแบบรายงาน",
                          "ภาพที่นับเป็นของแบบรายงานแต่ละฉบับ (อีเมลที่ส่งต่อหลายจังหวัด: ภาพของแต่ละจังหวัด; สร้างใหม่เมื่ออ่านซ้ำ)"),
}

COLUMNS: dict[str, str] = {
    "abbr_th": "อักษรย่อจังหวัด", "account": "บัญชีอีเมล", "action": "การตัดสิน",
    "applied_at": "เวลาที่ใช้", "attachment": "ไฟล์แนบ", "attachment_part": "ลำดับไฟล์แนบ",
    "attempts": "จำนวนครั้งที่พยายาม", "audience": "ผู้รับ (เขต/ส่วนกลาง)",
    "basis": "ค่าที่ระบบอ่านได้ขณะตัดสิน", "campaign": "ประเภทรายงาน", "campaign_id": "รหัสรายการรายงาน",
    "campaign_reason": "เหตุที่จัดประเภท", "code": "รหัส", "confidence": "ความมั่นใจ",
    "content_key": "กุญแจเนื้อหา", "content_type": "ชนิดไฟล์", "coordinator": "ผู้ประสานงาน",
    "corrected": "จำนวนจังหวัดที่ส่งแก้ไข", "corrections": "จำนวนครั้งที่ส่งแก้ไข",
    "criteria": "คะแนนตามเกณฑ์", "deadline": "วันครบกำหนด", "decided_at": "เวลาที่ตัดสิน (UTC)",
    "decided_by": "ผู้ตัดสิน", "decided_value": "ค่าที่ตัดสิน", "decision": "คำตัดสิน",
    "defects": "ข้อบกพร่องของอีเมล", "detail": "รายละเอียด (อังกฤษ)", "digest_date": "วันที่ของสรุป",
    "district_code": "อำเภอ", "district_confidence": "ความมั่นใจเรื่องอำเภอ",
    "district_name_th": "ชื่ออำเภอ", "due_day": "วันครบกำหนดของเดือน", "due_on": "วันครบกำหนด",
    "duplicates": "จำนวนซ้ำ", "end_month": "เดือนสุดท้าย", "error": "ข้อผิดพลาด", "evidence": "หลักฐาน",
    "excluded": "ไม่ใช่การส่งรายงาน (ตัดสินแล้ว)", "field": "ช่องข้อมูล", "filename": "ชื่อไฟล์",
    "finished_at": "เวลาสิ้นสุด", "first_attempt_at": "พยายามครั้งแรก",
    "first_received_on": "วันที่ได้รับครั้งแรก", "first_seen": "เวลาที่พบครั้งแรก", "folder": "โฟลเดอร์",
    "from_addr": "อีเมลผู้ส่ง", "from_name": "ชื่อผู้ส่ง", "gm_msgid": "รหัส Gmail", "height": "ความสูง (px)",
    "id": "รหัส", "image": "ภาพ", "origin": "อีเมลที่ส่งต่อมา (ลำดับ; ว่าง = อีเมลนี้เอง)", "image_count": "จำนวนภาพ", "images": "จำนวนภาพ",
    "internal_date": "เวลาที่เซิร์ฟเวอร์ได้รับ", "is_current": "ฉบับล่าสุด", "item": "ชนิดรายการ",
    "key": "เลขรายการ", "kind": "ชนิด", "last_attempt_at": "พยายามครั้งล่าสุด", "last_uid": "UID ล่าสุด",
    "late": "ส่งช้า", "machine": "ค่าที่ระบบอ่านได้ (JSON)", "machine_status": "สถานะที่ระบบอ่านได้",
    "machine_value": "ค่าที่ระบบอ่านได้", "message": "อีเมล", "message_id": "รหัส Message-ID",
    "method": "วิธีอ่าน", "mime_type": "ชนิดภาพ", "missing": "ยังไม่ส่ง", "name": "ชื่อ",
    "name_en": "ชื่ออังกฤษ", "name_th": "ชื่อไทย", "narrative": "เนื้อหารายงาน",
    "needs_review": "รอตรวจสอบ", "note": "หมายเหตุ", "notes": "บันทึก", "ocr": "อ่านด้วย OCR",
    "opens_on": "วันเปิดรับ", "page": "หน้า", "pages": "จำนวนหน้า", "parsed": "จำนวนที่อ่าน",
    "parsed_at": "เวลาที่อ่าน", "parser_version": "รุ่นตัวอ่าน", "part_index": "ลำดับส่วนของอีเมล",
    "path": "ที่เก็บไฟล์", "period": "รอบรายงาน", "phones": "โทรศัพท์", "pid": "หมายเลขโปรเซส",
    "problems": "ปัญหาในการอ่าน", "province_code": "จังหวัด",
    "province_confidence": "ความมั่นใจเรื่องจังหวัด", "province_group_th": "กลุ่มจังหวัด",
    "province_name_th": "ชื่อจังหวัด", "provinces": "จำนวนจังหวัด", "raw": "ไบต์ต้นฉบับ",
    "reasons": "เหตุผล", "received": "ส่งแล้วตรงเวลา", "received_at": "เวลาที่ได้รับ (UTC)",
    "received_on": "วันที่ได้รับ", "recipient": "ผู้รับ", "reporter_name": "ผู้รายงาน",
    "reporter_position": "ตำแหน่งผู้รายงาน", "review": "จำนวนรอตรวจ", "review_reasons": "เหตุผลที่ต้องตรวจ",
    "seen": "จำนวนที่พบ", "seen_at": "เวลาที่พบ", "sender": "ผู้ส่ง", "sent_at": "เวลาที่ส่ง",
    "severity": "ระดับ (review/note)", "sha256": "ค่าแฮช SHA-256", "size": "ขนาด (ไบต์)", "source": "แหล่งที่มา",
    "start_month": "เดือนแรก", "started_at": "เวลาเริ่ม", "status": "สถานะ", "stored": "จำนวนที่บันทึก",
    "subject": "หัวเรื่อง", "submission_id": "รหัสการส่ง", "submission_key": "เลขรายการ",
    "submissions": "จำนวนฉบับ", "submitted": "จำนวนที่ส่งแล้ว", "summary": "สรุป",
    "synced_at": "เวลาที่ปรับจากการตั้งค่า", "text": "ข้อความที่อ่านได้", "text_body": "เนื้อความอีเมล",
    "text_th": "ข้อความภาษาไทย", "title_th": "ชื่อรายการ", "to_addrs": "ผู้รับ", "uid": "หมายเลข UID",
    "uidvalidity": "ค่า UIDVALIDITY", "updated_at": "ปรับล่าสุด", "value": "ค่า", "visible_until": "แสดงถึงวันที่",
    "width": "ความกว้าง (px)", "zone": "เขตตรวจราชการ", "zone_name_th": "ชื่อเขต",
    "zone_written": "เขตที่เขียนในแบบฟอร์ม",
    "path_bytes": "ที่เก็บไฟล์ (ไบต์ตามระบบไฟล์)", "cc": "สำเนาถึง", "first_at": "เวลาครั้งแรก",
    "last_at": "เวลาครั้งล่าสุด", "in_reply_to": "ตอบกลับอีเมล", "reason": "เหตุผล",
    "chosen_at": "เวลาที่เลือก (UTC)", "chosen_by": "ผู้เลือก", "actor": "ผู้ดำเนินการ", "at": "เวลา (UTC)",
    "scorer": "ผู้ให้คะแนน", "reopened_at": "เวลาที่เปิดใหม่ (UTC)", "reopened_by": "ผู้เปิดใหม่",
    "until": "เปิดถึงวันที่", "criterion": "เกณฑ์", "score": "คะแนน",
    "followup_images": "จำนวนภาพที่ส่งเพิ่มภายหลัง", "subject_key": "หัวเรื่อง (ไม่รวม Re:/Fwd:)",
    "refs": "อ้างถึงอีเมล (References)", "target_message": "อีเมลของแบบรายงาน", "url": "ลิงก์",
    "service": "บริการฝากไฟล์",
}

CANNED = {
    "missing_provinces": ("จังหวัดที่ยังไม่ส่ง", """
        SELECT zone, province_name_th, campaign_id, period, due_on FROM province_status
        WHERE status = 'missing' AND (:zone = '' OR zone = CAST(:zone AS INTEGER))
        ORDER BY due_on DESC, zone, province_name_th"""),
    "review_items": ("รายการรอตรวจสอบพร้อมเหตุผล",
                     "SELECT message, zone, province_name_th, sender, subject, reasons FROM review_queue"
                     " ORDER BY received_at DESC"),
    "zone_progress": ("ความคืบหน้ารายเขต", """
        SELECT zone, zone_name_th, campaign_id, period, provinces, submitted, needs_review, late, missing
        FROM zone_summary ORDER BY due_on DESC, zone"""),
    "recent_decisions": ("คำตัดสินล่าสุดของเจ้าหน้าที่", """
        SELECT d.id, d.submission_key, d.action, d.field, d.value, d.decided_by, d.decided_at, d.note,
               e.status FROM decisions d LEFT JOIN decision_effects e ON e.decision = d.id
        ORDER BY d.id DESC LIMIT 200"""),
    "second_looks": ("คำตัดสินที่ต้องตรวจอีกครั้ง", """
        SELECT e.submission_key, d.id AS decision, d.field, d.basis, e.machine_value, d.decided_by
        FROM decision_effects e JOIN decisions d ON d.id = e.decision WHERE e.status = 'second_look'"""),
    "reason_counts": ("จำนวนเหตุผลแยกตามรหัส",
                      "SELECT code, severity, COUNT(*) AS n FROM reasons GROUP BY code, severity ORDER BY n DESC"),
}


def metadata(db_name: str) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for name, (title, description) in TABLES.items():
        tables[name] = {"title": title, "description": description, "columns": dict(COLUMNS)}
    tables["submissions"].update({"fts_table": "submissions_fts", "fts_pk": "id",
                                  "label_column": "subject", "sort_desc": "received_at"})
    tables["provinces"]["label_column"] = "name_th"
    tables["districts"]["label_column"] = "name_th"
    tables["zones"]["label_column"] = "name_th"
    tables["raw_messages"]["hidden"] = True
    return {
        "title": "areaplan: ระบบติดตามรายงาน กองวิชาการและแผนงาน กรมการปกครอง",
        "description": "ข้อมูลจากกล่องอีเมลรายงาน (อ่านอย่างเดียว) โต๊ะงานเจ้าหน้าที่: /-/desk",
        "databases": {db_name: {
            "title": "ฐานข้อมูลรายงาน",
            "tables": tables,
            "queries": {k: {"title": t, "sql": " ".join(s.split())} for k, (t, s) in CANNED.items()},
        }},
    }
