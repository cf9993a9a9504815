"""Digest values -> subject, plain text and HTML (jinja2 templates in ``digest/templates``).

HTML templates are autoescaped: every value that came from an email (names,
subjects, reasons, narratives) is inert in the output. The HTML is made for mail
clients: table layout, inline CSS, no scripts, no external images or fonts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

import jinja2
from markupsafe import Markup

from areaplan.core.campaigns import KINDS
from areaplan.digest import tile_map
from areaplan.digest.model import NationalDigest, ProvinceLine, ZoneDigest
from areaplan.digest.settings import DigestSettings
from areaplan.digest.thai_dates import (
    arabic_digits_to_thai,
    thai_date,
    thai_datetime,
    thai_month,
    to_thai_time,
)

STATUS_TH = {
    "received": "ส่งแล้ว",
    "late": "ส่งช้า",
    "needs_review": "รอตรวจสอบ",
    "missing": "ยังไม่ส่ง",
}
CAMPAIGN_TH = {name: kind.label_th for name, kind in KINDS.items()}
# (background, text colour) per status; the label is always written too (never colour alone).
STATUS_COLOURS = {
    "received": ("#e6f4ea", "#1e6b34"),
    "late": ("#fff4e5", "#8a4b00"),
    "needs_review": ("#f3e8fd", "#6b21a8"),
    "missing": ("#f1f3f4", "#4b5563"),
    "overdue": ("#fdecea", "#a50e0e"),
}


@dataclass(frozen=True)
class Rendered:
    """One digest ready to be put in an email."""

    audience: str  # zone-01 .. zone-18, national
    subject: str
    text: str
    html: str
    images: tuple[tuple[str, bytes], ...] = ()  # (content id, PNG) shown in the HTML as cid:<id>


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("areaplan.digest", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=True, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["status_th"] = lambda s: STATUS_TH.get(s, s)
    env.filters["campaign_th"] = lambda s: CAMPAIGN_TH.get(s, s)
    return env


class _Formatter:
    """Date and label helpers handed to the templates, bound to the digest settings."""

    def __init__(self, settings: DigestSettings):
        self.settings = settings

    def desk(self, key: str | None) -> str | None:
        """The desk page of submission ``key`` when [desk].base_url is set, else None."""
        if not key or not self.settings.desk_base_url:
            return None
        return f"{self.settings.desk_base_url}/-/desk/submission/{key}"

    def date(self, d: date | None) -> str:
        if d is None:
            return "-"
        return thai_date(d, self.settings.date_style, self.settings.thai_digits)

    def received(self, when: str | None) -> str:
        """The Thai date a submission arrived (Thai time)."""
        if not when:
            return "-"
        try:
            return self.date(to_thai_time(when).date())
        except ValueError:
            return when

    def instant(self, when: str | datetime | None) -> str:
        if not when:
            return "-"
        try:
            return thai_datetime(when, self.settings.date_style, self.settings.thai_digits)
        except ValueError:
            return str(when)

    def period(self, kind: str, period: str | None) -> str:
        if not period:
            return "-"
        if KINDS[kind].period_rule == "monthly" and len(period) == 7:
            return "เดือน" + thai_month(period, self.settings.thai_digits)
        if period.isdigit() and len(period) == 4:
            year = str(int(period) + 543)
            return "ปี " + (arabic_digits_to_thai(year) if self.settings.thai_digits else year)
        return period

    @staticmethod
    def due(days: int) -> str:
        if days > 0:
            return f"อีก {days} วันครบกำหนด"
        if days == 0:
            return "ครบกำหนดวันนี้"
        return f"เลยกำหนดมาแล้ว {-days} วัน"

    @staticmethod
    def versions(line: ProvinceLine, kind: str) -> str:
        """A selection sent again is a correction; a second monthly report is another report."""
        if KINDS[kind].resubmission_is_correction:
            return f"ส่งแก้ไข {line.corrections} ครั้ง"
        return f"ส่ง {line.corrections + 1} เรื่อง"

    @staticmethod
    def timing(line: ProvinceLine) -> str:
        """Days left or days late, for the status column."""
        if line.status == "missing":
            if line.days_left is not None:
                return "ครบกำหนดวันนี้" if line.days_left == 0 else f"เหลือ {line.days_left} วัน"
            return f"เลยกำหนด {line.days_late} วัน"
        if line.late and line.days_late:
            return f"ช้า {line.days_late} วัน"
        return ""

    @staticmethod
    def colours(line: ProvinceLine) -> tuple[str, str]:
        if line.status == "missing" and line.days_late:
            return STATUS_COLOURS["overdue"]
        return STATUS_COLOURS[line.status]


def zone_subject(zd: ZoneDigest, settings: DigestSettings) -> str:
    """Counted per campaign period ("อำเภอต้นแบบ ส่งแล้ว 3 จาก 6 · Best Practice เดือนมีนาคม ๒๕๖๔
    ส่งแล้ว 2 จาก 6"): the zone's provinces are counted once for each, never added across them."""
    fmt = _Formatter(settings)
    parts = [f"{settings.subject_prefix} {zd.name} สรุปรายงานประจำวันที่ "
             f"{thai_date(zd.on, settings.date_style, settings.thai_digits)}"]
    for b in zd.periods:
        label = CAMPAIGN_TH.get(b.period.kind, b.period.kind)
        if KINDS[b.period.kind].period_rule == "monthly":
            label += " " + fmt.period(b.period.kind, b.period.period)
        part = f"{label} ส่งแล้ว {b.counts.submitted} จาก {b.counts.provinces}"
        if b.counts.missing:
            part += f" ยังไม่ส่ง {b.counts.missing}"
        parts.append(part)
    if zd.review:
        parts.append(f"รอตรวจสอบ {len(zd.review)}")
    return " · ".join(parts).strip()


def national_subject(nd: NationalDigest, settings: DigestSettings) -> str:
    """Like the zone subject: one count per campaign period, over the 76 provinces."""
    fmt = _Formatter(settings)
    parts = [f"{settings.subject_prefix} สรุปรายงานระดับประเทศ ประจำวันที่ "
             f"{thai_date(nd.on, settings.date_style, settings.thai_digits)}"]
    for p in nd.periods:
        t = p.totals
        label = CAMPAIGN_TH.get(p.period.kind, p.period.kind)
        if KINDS[p.period.kind].period_rule == "monthly":
            label += " " + fmt.period(p.period.kind, p.period.period)
        part = f"{label} ส่งแล้ว {t.submitted} จาก {t.provinces}"
        if t.missing:
            part += f" ยังไม่ส่ง {t.missing}"
        parts.append(part)
    if nd.review_total:
        parts.append(f"รอตรวจสอบ {nd.review_total}")
    if nd.poll.failures_since:
        parts.append(f"ดึงอีเมลล้มเหลว {nd.poll.failures_since} ครั้ง")
    return " · ".join(parts).strip()


def late_subject(subject: str, settings: DigestSettings) -> str:
    """The subject of a digest sent on a later day than its own: marked (ส่งล่าช้า) after the prefix."""
    prefix = settings.subject_prefix
    if prefix and subject.startswith(prefix):
        return f"{prefix} (ส่งล่าช้า){subject[len(prefix):]}"
    return f"(ส่งล่าช้า) {subject}"


def render_zone(zd: ZoneDigest, settings: DigestSettings, late_on: date | None = None) -> Rendered:
    subject = zone_subject(zd, settings)
    if late_on is not None:
        subject = late_subject(subject, settings)
    ctx = {"d": zd, "subject": subject, "fmt": _Formatter(settings), "colours": STATUS_COLOURS, "late_on": late_on}
    env = environment()
    return Rendered(zd.audience, subject, env.get_template("zone.txt").render(ctx),
                    env.get_template("zone.html").render(ctx))


def render_national(nd: NationalDigest, settings: DigestSettings, late_on: date | None = None) -> Rendered:
    subject = national_subject(nd, settings)
    if late_on is not None:
        subject = late_subject(subject, settings)
    maps, images = [], []
    for i, np in enumerate(nd.periods):
        grid = tile_map.tiles(np.statuses, nd.province_names)
        cid = f"map-{i + 1}.{nd.on.isoformat()}@areaplan"
        maps.append({"grid": Markup(tile_map.html_grid(grid)), "legend": tile_map.legend(np.statuses), "cid": cid})
        images.append((cid, tile_map.png(grid)))
    ctx = {"d": nd, "subject": subject, "fmt": _Formatter(settings), "colours": STATUS_COLOURS, "maps": maps,
           "late_on": late_on}
    env = environment()
    return Rendered(nd.audience, subject, env.get_template("national.txt").render(ctx),
                    env.get_template("national.html").render(ctx), tuple(images))


def render_all(zone_digests: list[ZoneDigest], national: NationalDigest, settings: DigestSettings,
               late_on: date | None = None) -> list[Rendered]:
    """Every zone's digest (zone 1 first), then the national one; ``late_on``: the later day on which
    an earlier day's digest is sent (marked late in the subject and at the top of the body)."""
    return ([render_zone(zd, settings, late_on) for zd in zone_digests]
            + [render_national(national, settings, late_on)])
