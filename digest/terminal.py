"""``areaplan status``: the digest's numbers as a terminal table or as JSON."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict
from typing import Any

from areaplan.digest.model import NationalDigest, ZoneDigest
from areaplan.digest.render import STATUS_TH
from areaplan.digest.thai_dates import thai_date


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: Thai vowel and tone marks above/below take none."""
    return sum(0 if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf") else
               2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def zone_table(national: NationalDigest) -> str:
    """One table per period: every zone's counts and the national total."""
    out: list[str] = []
    headers = ["เขต", "ส่งแล้ว", "ช้า", "ตรวจสอบ", "ยังไม่ส่ง", "แก้ไข", "กลุ่มจังหวัด"]
    for np in national.periods:
        due = thai_date(np.period.due_on, "short")
        out.append(f"{np.title} · {np.period.period} · กำหนดส่ง {due} ({_days(np.days_to_due)})")
        table = [[str(z.zone), f"{z.counts.submitted}/{z.counts.provinces}", str(z.counts.late),
                  str(z.counts.needs_review), str(z.counts.missing), str(z.counts.corrected), z.group or ""]
                 for z in np.zones]
        t = np.totals
        table.append(["รวม", f"{t.submitted}/{t.provinces}", str(t.late), str(t.needs_review), str(t.missing),
                      str(t.corrected), ""])
        widths = [max(display_width(r[i]) for r in [headers, *table]) for i in range(len(headers) - 1)]
        for row in [headers, *table]:
            cells = [_pad(c, w, right=i > 0) for i, (c, w) in enumerate(zip(row, widths, strict=False))]
            out.append("  ".join(cells + [row[-1]]).rstrip())
        out.append("")
    if not national.periods:
        out.append("ไม่มีรอบรายงานที่ต้องติดตามในวันนี้ (no campaign period is open on this day)")
    out.append(f"รอตรวจสอบ (review queue): {national.review_total}")
    return "\n".join(out)


def province_table(zd: ZoneDigest) -> str:
    """One zone's provinces, per period."""
    out = [f"{zd.name}{' · ' + zd.group if zd.group else ''}"]
    for b in zd.periods:
        out.append(f"\n{b.title} · {b.period.period} · กำหนดส่ง {thai_date(b.period.due_on, 'short')}")
        for p in b.provinces:
            when = p.received_at[:10] if p.received_at else "-"
            extra = f" (แก้ไข {p.corrections})" if p.corrections else ""
            out.append(f"  {_pad(p.name, 20)} {_pad(STATUS_TH[p.status], 10)} {when}  "
                       f"{p.district or '-'}{extra}")
    return "\n".join(out)


def _days(days: int) -> str:
    return f"อีก {days} วัน" if days > 0 else "วันนี้" if days == 0 else f"เลยมา {-days} วัน"


def status_json(zone_digests: list[ZoneDigest], national: NationalDigest, zone: int | None = None) -> str:
    """The same numbers as JSON: per period, per zone, with provinces when ``zone`` is given."""
    periods: list[dict[str, Any]] = []
    for i, np in enumerate(national.periods):
        zones = []
        for z, zd in zip(np.zones, zone_digests, strict=True):
            if zone is not None and z.zone != zone:
                continue
            entry: dict[str, Any] = {"zone": z.zone, "name_th": z.name, **_counts(z.counts)}
            if zone is not None:
                entry["provinces"] = [
                    {"code": p.code, "name_th": p.name, "status": p.status, "district_th": p.district,
                     "received_at": p.received_at, "reporter": p.reporter, "image_count": p.image_count,
                     "corrections": p.corrections, "days_late": p.days_late, "days_left": p.days_left,
                     "review_reasons": list(p.review_reasons)}
                    for p in zd.periods[i].provinces
                ]
            zones.append(entry)
        periods.append({
            "campaign_id": np.period.campaign_id, "campaign": np.period.kind, "title_th": np.title,
            "period": np.period.period, "due_on": np.period.due_on.isoformat(), "days_to_due": np.days_to_due,
            "totals": _counts(np.totals), "zones": zones,
        })
    return json.dumps({"date": national.on.isoformat(), "periods": periods, "review_total": national.review_total,
                       "poll": asdict(national.poll)}, ensure_ascii=False, indent=2)


def _counts(c: Any) -> dict[str, int]:
    return {"provinces": c.provinces, "submitted": c.submitted, "received": c.received, "late": c.late,
            "needs_review": c.needs_review, "missing": c.missing, "corrected": c.corrected}
