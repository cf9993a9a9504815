"""Campaigns: what provinces must send, and by when (pure values; no SQL, no I/O).

Two kinds, from the DOPA letter มท ๐๓๐๕.๑/๑๙๐๒๙ (28 March 2021):

``role_model``
    One selection of a role-model district (อำเภอต้นแบบ) per province, due on
    ``deadline`` (31 March 2021). Its one period is ``period`` (default: the
    deadline's year, ``"2021"``, the value the parsers write).
``best_practice``
    At least one best-practice report per province each month, due on day
    ``due_day`` (25) of that month, from ``start`` (``"2021-01"``) to ``end``
    (open-ended by default). A report counts for the month it arrived in (Thai
    time); one that arrives after the due day still counts for that month, and
    is late.

A period appears in the digest from the day it opens until ``overdue_days``
after it is due (monthly periods: until the end of the month, plus
``overdue_days``).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from areaplan.core.clock import to_bangkok


@dataclass(frozen=True)
class CampaignKind:
    """What a kind of campaign is, declared once: every stage asks this registry.

    ``unit``: what the campaign counts (one answer per ``province`` or per ``zone``);
    ``period_rule``: ``once`` (one period around a deadline) or ``monthly`` (due each month);
    ``keyword_labels`` / ``keyword_patterns``: Thai phrases (matched tolerating the stray
    spaces PDF extraction inserts) and case-insensitive regular expressions that name the
    campaign in mail;
    ``form_reader``: the name of the reader of its report form (``parsers.submission``);
    ``names_district``: a submission must name a district (a nomination).
    """

    name: str
    label_th: str
    unit: str
    period_rule: str
    form_reader: str
    keyword_labels: tuple[str, ...] = ()
    keyword_patterns: tuple[str, ...] = ()
    names_district: bool = False
    resubmission_is_correction: bool = True  # a second mail for a period corrects the first


KINDS: dict[str, CampaignKind] = {k.name: k for k in (
    CampaignKind(
        name="role_model",
        label_th="อำเภอต้นแบบ",
        unit="province",
        period_rule="once",
        form_reader="role_model_form",
        keyword_labels=("อำเภอ ต้นแบบ", "คัดเลือก อำเภอ", "แบบ รายงาน การ คัดเลือก", "แบบ ฟอร์ม การ คัดเลือก"),
        keyword_patterns=(r"role\s*-?\s*model",),
        names_district=True,
    ),
    CampaignKind(
        name="best_practice",
        label_th="Best Practice",
        unit="province",
        period_rule="monthly",
        form_reader="role_model_form",
        keyword_labels=("แบบอย่าง ที่ ดี", "ผล การ ปฏิบัติ งาน ที่ เป็น แบบอย่าง"),
        keyword_patterns=(r"best\s*-?\s*practices?", r"(?<![A-Za-z])(?-i:BP)(?![A-Za-z])"),
        resubmission_is_correction=False,
    ),
    CampaignKind(
        name="zone_selection",
        label_th="คัดเลือกอำเภอต้นแบบระดับเขตตรวจราชการ",
        unit="zone",
        period_rule="once",
        form_reader="",  # nothing arrives by mail: inspectors score the role_model nominations
    ),
)}

# The letter's four criteria (หลักเกณฑ์การคัดเลือก ๑-๔), weighted equally.
CRITERIA_TH: dict[int, str] = {
    1: "บทบาทของนายอำเภอในการนำการขับเคลื่อนโครงการฯ สู่การปฏิบัติในระดับพื้นที่อำเภอ",
    2: "การจัดเก็บข้อมูลระดับพื้นที่ และการนำข้อมูลสำคัญไปใช้ประโยชน์เพื่อการพัฒนาพื้นที่",
    3: "ผลการปฏิบัติงานของลูกจ้างเหมาบริการตามภารกิจ (Agenda/ Function/ Area based)",
    4: "การบูรณาการความร่วมมือของหน่วยงานในระดับพื้นที่",
}


@dataclass(frozen=True)
class CampaignPeriod:
    """One reporting period of a campaign, as stored in ``campaign_periods``."""

    campaign_id: str
    kind: str
    period: str  # "2021" for a role-model selection, "YYYY-MM" for a monthly report
    opens_on: date
    due_on: date
    visible_until: date  # the digest shows the period from opens_on to this day


@dataclass(frozen=True)
class CampaignRow:
    """A campaign as stored in ``campaigns`` (the config's ``[[campaigns]]`` entry)."""

    id: str
    kind: str
    title_th: str
    deadline: date | None
    due_day: int | None
    start_month: str | None
    end_month: str | None
    periods: tuple[CampaignPeriod, ...]


@dataclass(frozen=True)
class Campaign:
    """One ``[[campaigns]]`` entry of the config, validated (see ``digest.settings``)."""

    id: str
    kind: str  # role_model | best_practice
    title_th: str
    deadline: date | None = None  # role_model
    period: str | None = None  # role_model; default: the deadline's year
    opens: date | None = None  # role_model; default: the first day of the deadline's month
    due_day: int | None = None  # best_practice: the day of each month reports are due
    start_month: str | None = None  # best_practice: "YYYY-MM", the first month
    end_month: str | None = None  # best_practice: "YYYY-MM", the last month (None: open-ended)
    overdue_days: int = 0  # days after the due date (monthly: after month end) still shown
    nominations: str | None = None  # zone_selection: the id of the role_model campaign it scores
    scale: int = 10  # zone_selection: each criterion is scored 0..scale (weights are equal)
    acknowledge: bool = False  # reply to each stored submission (off by default)
    remind_days_before: int | None = None  # reminders N days before the due date (None: off)
    remind_after: bool = False  # and one the day after the due date
    acknowledge_decisions: bool = False  # and, once settled by a person, say what was decided

    def periods(self, through: date) -> tuple[CampaignPeriod, ...]:
        """The campaign's periods, monthly ones up to the month of ``through``.

        A zone-unit campaign (``zone_selection``) has none: provinces send nothing for it,
        so it must not appear as 76 missing provinces; its ``deadline`` is its lock date.
        """
        if KINDS[self.kind].unit == "zone":
            return ()
        if KINDS[self.kind].period_rule == "once":
            assert self.deadline is not None
            opens = self.opens or self.deadline.replace(day=1)
            return (
                CampaignPeriod(self.id, self.kind, self.role_model_period, opens, self.deadline,
                               self.deadline + timedelta(days=self.overdue_days)),
            )
        assert self.due_day is not None and self.start_month is not None
        year, month = parse_month(self.start_month)
        last = parse_month(self.end_month) if self.end_month else (through.year, through.month)
        out: list[CampaignPeriod] = []
        while (year, month) <= last:
            days = calendar.monthrange(year, month)[1]
            out.append(CampaignPeriod(
                campaign_id=self.id,
                kind=self.kind,
                period=f"{year:04d}-{month:02d}",
                opens_on=date(year, month, 1),
                due_on=date(year, month, min(self.due_day, days)),
                visible_until=date(year, month, days) + timedelta(days=self.overdue_days),
            ))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return tuple(out)

    @property
    def role_model_period(self) -> str:
        assert self.deadline is not None
        return self.period or f"{self.deadline.year:04d}"

    def row(self, through: date) -> CampaignRow:
        """What ``store.status.sync_campaigns`` stores for this campaign."""
        return CampaignRow(
            id=self.id, kind=self.kind, title_th=self.title_th, deadline=self.deadline,
            due_day=self.due_day, start_month=self.start_month, end_month=self.end_month,
            periods=self.periods(through),
        )


def parse_month(text: str) -> tuple[int, int]:
    """``"2021-03"`` -> ``(2021, 3)``; ValueError otherwise."""
    year_s, sep, month_s = text.partition("-")
    if not sep or len(year_s) != 4 or len(month_s) != 2:
        raise ValueError(f"{text!r} is not a month like 2021-03")
    year, month = int(year_s), int(month_s)
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r} is not a month like 2021-03")
    return year, month


DEFAULT_CAMPAIGNS: tuple[Campaign, ...] = (
    Campaign(
        id="role_model_2021",
        kind="role_model",
        title_th="การคัดเลือกอำเภอต้นแบบ (Role Model) โครงการพัฒนาตำบลแบบบูรณาการ",
        deadline=date(2021, 3, 31),
        period="2021",
        overdue_days=30,
    ),
    Campaign(
        id="best_practice",
        kind="best_practice",
        title_th="รายงานผลการปฏิบัติงานที่เป็นแบบอย่างที่ดี (Best Practices) รายเดือน",
        due_day=25,
        start_month="2021-01",
    ),
)


def period_for(kind: str, received_at: str, campaigns: tuple[Campaign, ...] = DEFAULT_CAMPAIGNS) -> str:
    """The period a submission of ``kind`` received at ``received_at`` counts for.

    A role-model selection counts for the period of the role-model campaign whose
    window (opens .. deadline + overdue_days) holds the received date, else the
    latest such campaign; a monthly report for the Thai month it was received in.
    """
    local = to_bangkok(received_at).date()
    if KINDS[kind].period_rule == "monthly":
        return f"{local.year:04d}-{local.month:02d}"
    role = [c for c in campaigns if c.kind == kind and c.periods(local)]
    if not role:
        return f"{local.year:04d}"
    for c in role:
        (p,) = c.periods(local)
        if p.opens_on <= local <= p.visible_until:
            return p.period
    return max(role, key=lambda c: c.deadline or date.min).role_model_period
