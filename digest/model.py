"""What a digest says, as small frozen values built from the store (no SQL here, no HTML).

``build_digests(db, on)`` reads ``store.status`` once for the day ``on`` (as of the
end of that Thai day: mail received later is not counted) and returns one
``ZoneDigest`` per inspection zone and one ``NationalDigest``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from areaplan.core.campaigns import Campaign, CampaignPeriod
from areaplan.core.clock import end_of_day_utc
from areaplan.core.reasons import staff_th
from areaplan.store import campaigns, gazetteer, runs
from areaplan.store import selection as sel
from areaplan.store import status as st
from areaplan.store.runs import PollHealth

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class Counts:
    """Provinces by status in one period (or summed over periods / zones)."""

    provinces: int = 0
    received: int = 0
    late: int = 0
    needs_review: int = 0
    missing: int = 0
    corrected: int = 0  # provinces that sent more than once

    @property
    def submitted(self) -> int:
        return self.provinces - self.missing

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self._tuple(), other._tuple(), strict=True)))

    def _tuple(self) -> tuple[int, ...]:
        return (self.provinces, self.received, self.late, self.needs_review, self.missing, self.corrected)

    @classmethod
    def of(cls, lines: list[ProvinceLine] | tuple[ProvinceLine, ...]) -> Counts:
        by = defaultdict(int)
        for line in lines:
            by[line.status] += 1
        return cls(
            provinces=len(lines), received=by["received"], late=by["late"], needs_review=by["needs_review"],
            missing=by["missing"], corrected=sum(1 for line in lines if line.corrections > 0),
        )


@dataclass(frozen=True)
class ProvinceLine:
    """One province in one period: what it sent (its current version) and its status."""

    code: str
    name: str
    status: str  # received | late | needs_review | missing
    district: str | None
    received_at: str | None
    reporter: str | None
    reporter_position: str | None
    image_count: int
    corrections: int  # versions after the first
    late: bool  # first version after the due date (also when status is needs_review)
    days_late: int | None  # late: days after the due date it came; missing and overdue: days overdue
    days_left: int | None  # missing and not yet due: days until the due date (0: due today)
    review_reasons: tuple[str, ...] = ()
    key: str | None = None  # the current submission's key (its desk page)


@dataclass(frozen=True)
class PeriodBlock:
    """One campaign period of one zone's digest."""

    period: CampaignPeriod
    title: str
    days_to_due: int  # negative once the due date has passed
    provinces: tuple[ProvinceLine, ...]
    counts: Counts

    @property
    def missing(self) -> tuple[ProvinceLine, ...]:
        return tuple(p for p in self.provinces if p.status == "missing")


@dataclass(frozen=True)
class ReviewItem:
    """A submission or message a person has to look at, with the reasons."""

    item: str  # submission | message
    submission_id: int | None
    message: int
    campaign: str
    period: str | None
    received_at: str | None
    province_code: str | None
    province_name: str | None
    zone: int | None
    sender: str | None
    subject: str | None
    reasons: tuple[str, ...]
    key: str | None = None  # the submission's (or message's) key: its desk page


@dataclass(frozen=True)
class ZoneDigest:
    on: date
    zone: int
    name: str
    group: str | None
    periods: tuple[PeriodBlock, ...]
    review: tuple[ReviewItem, ...]

    @property
    def audience(self) -> str:
        return f"zone-{self.zone:02d}"

    @property
    def counts(self) -> Counts:
        return sum((b.counts for b in self.periods), Counts())


@dataclass(frozen=True)
class ZoneLine:
    """One zone at a glance in the national digest."""

    zone: int
    name: str
    group: str | None
    counts: Counts
    review: int


@dataclass(frozen=True)
class NationalPeriod:
    period: CampaignPeriod
    title: str
    days_to_due: int
    zones: tuple[ZoneLine, ...]
    statuses: dict[str, str] = field(default_factory=dict)  # province code -> status (the map)

    @property
    def totals(self) -> Counts:
        return sum((z.counts for z in self.zones), Counts())


@dataclass(frozen=True)
class NationalDigest:
    on: date
    periods: tuple[NationalPeriod, ...]
    review: tuple[ReviewItem, ...]  # the newest, at most max_review_items
    review_total: int
    poll: PollHealth
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    province_names: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (abbr, name)
    selections: tuple[SelectionBlock, ...] = ()

    audience = "national"


@dataclass(frozen=True)
class SelectionBlock:
    """A zone-selection stage in the national digest: the 18 zones' choices."""

    campaign_id: str
    title: str
    deadline: date | None
    choices: tuple[sel.Choice, ...]

    @property
    def not_chosen(self) -> tuple[sel.Choice, ...]:
        return tuple(c for c in self.choices if not c.province_code)


def build_digests(
    db: sqlite_utils.Database, on: date, max_review_items: int = 50
) -> tuple[list[ZoneDigest], NationalDigest]:
    """Every zone's digest and the national one for the Thai day ``on``."""
    cutoff = end_of_day_utc(on)
    periods = campaigns.visible_periods(db, on)
    titles = campaigns.campaign_titles(db)
    rows = st.province_status_rows(db, cutoff, periods)
    review_rows = st.review_rows(db, cutoff)
    codes = st.reason_codes(db, sorted({r["message"] for r in review_rows if r["message"] is not None}))
    review_all = [_review_item(r, codes) for r in review_rows]
    visible = {(p.kind, p.period) for p in periods}
    zone_info = gazetteer.zones(db)

    lines: dict[tuple[str, str, int], list[ProvinceLine]] = defaultdict(list)
    for r in rows:
        lines[(r["campaign_id"], r["period"], r["zone"])].append(_line(r, on))
    review_by_zone: dict[int, list[ReviewItem]] = defaultdict(list)
    for item in review_all:
        if item.zone is not None and (item.campaign, item.period) in visible:
            review_by_zone[item.zone].append(item)

    zone_digests: list[ZoneDigest] = []
    for z in zone_info:
        blocks = []
        for p in periods:
            plines = tuple(_thai_sorted(lines.get((p.campaign_id, p.period, z["zone"]), [])))
            blocks.append(PeriodBlock(p, titles.get(p.campaign_id, p.campaign_id), (p.due_on - on).days,
                                      plines, Counts.of(plines)))
        zone_digests.append(ZoneDigest(on, z["zone"], z["name_th"], z["province_group_th"], tuple(blocks),
                                       tuple(review_by_zone.get(z["zone"], ()))))

    national_periods = tuple(
        NationalPeriod(
            period=p,
            title=titles.get(p.campaign_id, p.campaign_id),
            days_to_due=(p.due_on - on).days,
            zones=tuple(
                ZoneLine(zd.zone, zd.name, zd.group, zd.periods[i].counts,
                         sum(1 for it in zd.review if (it.campaign, it.period) == (p.kind, p.period)))
                for zd in zone_digests
            ),
            statuses={line.code: line.status for zd in zone_digests for line in zd.periods[i].provinces},
        )
        for i, p in enumerate(periods)
    )
    national = NationalDigest(
        on=on,
        periods=national_periods,
        review=tuple(review_all[:max_review_items]),
        review_total=len(review_all),
        poll=runs.poll_health(db),
        province_names=gazetteer.province_names(db),
        selections=_selections(db, on),
    )
    log.debug("built %d zone digests for %s (%d periods, %d review items)",
              len(zone_digests), on, len(periods), len(review_all))
    return zone_digests, national


SELECTION_SHOWN_DAYS = 60  # a zone-selection stage stays in the national digest this long after its deadline


def _selections(db: sqlite_utils.Database, on: date) -> tuple[SelectionBlock, ...]:
    out = []
    for row in sel.stages(db):
        deadline = date.fromisoformat(row["deadline"]) if row["deadline"] else None
        if deadline and (on - deadline).days > SELECTION_SHOWN_DAYS:
            continue
        stage = Campaign(id=row["id"], kind="zone_selection", title_th=row["title_th"], deadline=deadline)
        out.append(SelectionBlock(row["id"], row["title_th"], deadline, tuple(sel.national_choices(db, stage))))
    return tuple(out)


def split_reasons(text: str | None) -> tuple[str, ...]:
    """Review reasons stored one per line -> a tuple without blanks."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def _line(r: dict[str, Any], on: date) -> ProvinceLine:
    due = date.fromisoformat(r["due_on"])
    status = r["status"]
    days_late = days_left = None
    if status == "missing":
        if on > due:
            days_late = (on - due).days
        else:
            days_left = (due - on).days
    elif r["late"] and r["first_received_on"]:
        days_late = (date.fromisoformat(r["first_received_on"]) - due).days
    return ProvinceLine(
        code=r["province_code"],
        name=r["province_name_th"],
        status=status,
        district=r["district_name_th"],
        received_at=r["received_at"],
        reporter=r["reporter_name"],
        reporter_position=r["reporter_position"],
        image_count=r["image_count"] or 0,
        corrections=r["corrections"] or 0,
        late=bool(r["late"]),
        days_late=days_late,
        days_left=days_left,
        review_reasons=split_reasons(r["review_reasons"]) if status == "needs_review" else (),
        key=desk_key(r["submission_id"], r["message"]),
    )


# The review queue's own lines (store.status: no province, unknown province, ...) carry an English
# gloss for analysts; the digest is Thai only (the same Thai the review desk shows).
QUEUE_REASONS_TH = st.QUEUE_REASONS_TH
reason_th = staff_th  # a review reason in Thai from the REASONS registry (``core.reasons.staff_th``)


def thai_reasons(message: int | None, lines: tuple[str, ...],
                 codes: dict[tuple[int, str], tuple[str, str, str]]) -> tuple[str, ...]:
    """Each stored line reworded from the registry when its code is known; the queue's own lines in Thai."""
    out = []
    for line in lines:
        known = codes.get((message, line)) if message is not None else None
        out.append(reason_th(*known) if known else QUEUE_REASONS_TH.get(line, line))
    return tuple(dict.fromkeys(out))


def _review_item(r: dict[str, Any], codes: dict[tuple[int, str], tuple[str, str, str]] | None = None) -> ReviewItem:
    return ReviewItem(
        item=r["item"], submission_id=r["submission_id"], message=r["message"], campaign=r["campaign"],
        period=r["period"], received_at=r["received_at"], province_code=r["province_code"],
        province_name=r["province_name_th"], zone=r["zone"], sender=r["sender"], subject=r["subject"],
        reasons=thai_reasons(r["message"], split_reasons(r["reasons"]), codes or {}),
        key=desk_key(r["submission_id"], r["message"]) if r["submission_id"] is not None else str(r["message"]),
    )


def desk_key(submission_id: int | None, message: int | None) -> str | None:
    """The key of a submission from its id (``store.parsed.submission_id`` inverted)."""
    if submission_id is None or message is None:
        return None
    if submission_id == message:
        return str(message)
    return f"{message}.{submission_id - (1 << 40) - message * 256}"


def _thai_sorted(lines: list[ProvinceLine]) -> list[ProvinceLine]:
    """Provinces in Thai dictionary order (leading vowels such as เ แ โ do not sort first)."""
    from pythainlp.util import collate

    by_name = {line.name: line for line in lines}
    if len(by_name) != len(lines):
        return sorted(lines, key=lambda line: line.code)
    return [by_name[name] for name in collate(list(by_name))]
