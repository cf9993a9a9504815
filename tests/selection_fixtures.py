"""A store with the letter's two stages configured: role_model nominations and zone selection.

Zone 1 (Ayutthaya, Ang Thong, Lop Buri, Sing Buri, Chai Nat, Saraburi) has three
nominations with the narrative split by the four criteria; zone 2 has one.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import sqlite_utils
from digest_fixtures import add_submission, district_code, write_config

from areaplan.app.digest_job import prepare_store
from areaplan.core.config import Config
from areaplan.digest.settings import load_campaigns
from areaplan.store.db import open_db

CONFIG = """
[[campaigns]]
id = "role_model_2021"
kind = "role_model"
title_th = "การคัดเลือกอำเภอต้นแบบ (Role Model)"
deadline = 2021-03-31
{province_side}

[[campaigns]]
id = "zone_2021"
kind = "zone_selection"
title_th = "การคัดเลือกอำเภอต้นแบบ ระดับเขตตรวจราชการ"
nominations = "role_model_2021"
deadline = 2021-04-30
scale = 5
"""

DEADLINE = date(2021, 4, 30)

CRITERIA_TEXT = {
    "14": {1: "นายอำเภอกำหนดทิศทางบางปะอิน", 2: "เก็บข้อมูลครบทุกตำบล", 3: "ลงพื้นที่คนละครึ่ง",
           4: "ร่วมกับภาคเอกชนในพื้นที่"},
    "16": {1: "นายอำเภอเมืองลพบุรีนำประชุม", 2: "ใช้ข้อมูลทำแผนอำเภอ", 3: "นวัตกรรมแปรรูปผลผลิต",
           4: "บูรณาการกับ ก.บ.ต."},
    "19": {1: "นายอำเภอแก่งคอยลงพื้นที่", 2: "ข้อมูลตรงตาม Timeline", 3: "แอปพลิเคชันบริการอำเภอ",
           4: "ร่วมกับภาคประชาสังคม"},
}


def selection_config(tmp_path: Path, province_side: str = "") -> Config:
    db_path = tmp_path / "areaplan.db"
    return write_config(tmp_path / "config.toml", CONFIG.format(province_side=province_side), db_path)


def selection_db(tmp_path: Path, province_side: str = "") -> tuple[sqlite_utils.Database, Config]:
    config = selection_config(tmp_path, province_side)
    db = open_db(config.db)
    prepare_store(db, config, through=date(2021, 12, 31))
    for code, district, when in (("14", "บางปะอิน", "2021-03-26T09:15:00+07:00"),
                                 ("16", "เมืองลพบุรี", "2021-03-29T16:40:00+07:00"),
                                 ("19", "แก่งคอย", "2021-03-30T10:00:00+07:00"),
                                 ("12", "ปากเกร็ด", "2021-03-30T11:00:00+07:00")):
        sid = add_submission(db, code, when, district=district_code(db, code, district), image_count=3)
        if code in CRITERIA_TEXT:
            db.execute("UPDATE submissions SET criteria = ?, key = ? WHERE id = ?",
                       [json.dumps({str(k): v for k, v in CRITERIA_TEXT[code].items()}, ensure_ascii=False),
                        f"k{sid}", sid])
    return db, config


def stage(config: Config):
    (campaign,) = [c for c in load_campaigns(config) if c.kind == "zone_selection"]
    return campaign
