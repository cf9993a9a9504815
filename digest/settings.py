"""The config sections the digest stage owns, validated: ``[digest]``, ``[smtp]``,
``[schedule]`` and ``[[campaigns]]``. Every mistake is a ``ConfigError`` naming the
key and the fix. With no config at all the defaults are the DOPA letter's campaigns,
digests written to files (no ``[smtp]``), polling every 10 minutes, digest at 07:30.

Example::

    [[campaigns]]
    id = "role_model_2021"
    kind = "role_model"
    title_th = "การคัดเลือกอำเภอต้นแบบ (Role Model)"
    deadline = 2021-03-31

    [[campaigns]]
    id = "best_practice"
    kind = "best_practice"
    title_th = "รายงาน Best Practices รายเดือน"
    due_day = 25
    start = "2021-01"

    [digest]
    date_style = "long"          # "long": ๒๘ มีนาคม ๒๕๖๔, "short": 28 มี.ค. 2564
    thai_digits = true
    from = "dopa.areaplan@example.org"
    [digest.recipients]
    "1" = ["inspector1@example.org"]
    national = ["planning@example.org"]

    [smtp]
    host = "smtp.example.org"
    port = 587
    security = "starttls"        # "ssl", "starttls", or "none" (loopback only)
    username = "dopa.areaplan@example.org"
    # password: env AREAPLAN_SMTP_PASSWORD, or smtp.password in the secret file

    [schedule]
    poll_minutes = 10
    digest_time = "07:30"        # Asia/Bangkok
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import getaddresses
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from areaplan.core.campaigns import DEFAULT_CAMPAIGNS, KINDS, Campaign, parse_month
from areaplan.core.config import (
    WELL_KNOWN_SMTP,
    Config,
    ConfigError,
    check_port_matches,
    missing_secret,
    secret,
)
from areaplan.core.config import config_value as _get

SMTP_PASSWORD_ENV = "AREAPLAN_SMTP_PASSWORD"
SMTP_PASSWORD_KEY = "smtp.password"
DEFAULT_FROM = "areaplan@localhost"
DEFAULT_FROM_NAME = "ระบบติดตามรายงาน กองวิชาการและแผนงาน กรมการปกครอง"
_ID_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Recipients:
    """Who gets which digest: zone number -> addresses, and the national list."""

    zones: dict[int, tuple[str, ...]] = field(default_factory=dict)
    national: tuple[str, ...] = ()

    def for_audience(self, audience: str) -> tuple[str, ...]:
        if audience == "national":
            return self.national
        return self.zones.get(int(audience.removeprefix("zone-")), ())


@dataclass(frozen=True)
class DigestSettings:
    date_style: str = "long"  # long | short
    thai_digits: bool = True
    sender: str = DEFAULT_FROM
    sender_name: str = DEFAULT_FROM_NAME
    reply_to: str | None = None
    subject_prefix: str = "[areaplan]"
    outbox: Path = Path("var/outbox")
    max_review_items: int = 50
    recipients: Recipients = field(default_factory=Recipients)
    retry_days: int = 3  # failed sends of the last N days are retried by the next run, marked late
    desk_base_url: str | None = None  # [desk].base_url: digest items link to their desk page


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # ssl | starttls | none
    username: str | None
    password: str | None = field(repr=False)
    timeout: float = 30.0
    ca_file: str | None = None
    verify_tls: bool = True


@dataclass(frozen=True)
class ScheduleSettings:
    poll_minutes: float = 10.0
    digest_hour: int = 7
    digest_minute: int = 30
    timezone: str = "Asia/Bangkok"
    misfire_grace_seconds: int = 3600
    catch_up: bool = True  # started after digest_time: run today's digest now (sent once anyway)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _table(cfg: Config, name: str) -> dict[str, Any]:
    value = cfg.section(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"[{name}] must be a table (see the example in digest/settings.py)")
    return value


def _address(value: Any, where: str) -> str:
    """A bare, lower-case address from ``x@y`` or ``Name <x@y>``."""
    if not isinstance(value, str):
        raise ConfigError(f"{where} must be an email address string, not {value!r}")
    parsed = getaddresses([value])
    if len(parsed) != 1 or "@" not in parsed[0][1] or any(c.isspace() for c in parsed[0][1]):
        raise ConfigError(f"{where} = {value!r} is not an email address; write it like \"name@example.org\"")
    try:
        Address(addr_spec=parsed[0][1])
    except (ValueError, IndexError) as err:
        raise ConfigError(f"{where} = {value!r} is not a valid email address ({err})") from None
    return parsed[0][1].lower()


def load_digest_settings(cfg: Config) -> DigestSettings:
    t = _table(cfg, "digest")
    style = _get(t, "date_style", str, "digest", "long")
    if style not in ("long", "short"):
        raise ConfigError(f'digest.date_style must be "long" (๒๘ มีนาคม ๒๕๖๔) or "short" (28 มี.ค. 2564), not {style!r}')
    outbox_raw = _get(t, "outbox", str, "digest", "")
    if outbox_raw:
        outbox = Path(outbox_raw)
        if not outbox.is_absolute() and cfg.path is not None:
            outbox = cfg.path.parent / outbox
    else:
        outbox = cfg.db.parent / "outbox"
    max_items = _get(t, "max_review_items", int, "digest", 50)
    if not 1 <= max_items <= 1000:
        raise ConfigError(f"digest.max_review_items must be between 1 and 1000, not {max_items}")
    reply_to = _get(t, "reply_to", str, "digest", "")
    retry_days = _get(t, "retry_days", int, "digest", 3)
    if not 0 <= retry_days <= 31:
        raise ConfigError(f"digest.retry_days must be between 0 (never retry an earlier day) and 31, not {retry_days}")
    return DigestSettings(
        date_style=style,
        thai_digits=_get(t, "thai_digits", bool, "digest", True),
        sender=_address(_get(t, "from", str, "digest", DEFAULT_FROM), "digest.from"),
        sender_name=_get(t, "from_name", str, "digest", DEFAULT_FROM_NAME),
        reply_to=_address(reply_to, "digest.reply_to") if reply_to else None,
        subject_prefix=_get(t, "subject_prefix", str, "digest", "[areaplan]"),
        outbox=outbox,
        max_review_items=max_items,
        recipients=_recipients(_get(t, "recipients", dict, "digest", {})),
        retry_days=retry_days,
        desk_base_url=_desk_base_url(cfg),
    )


def _desk_base_url(cfg: Config) -> str | None:
    """``[desk].base_url`` (http or https), without a trailing slash; None when unset."""
    desk = cfg.section("desk") or {}
    url = desk.get("base_url") if isinstance(desk, dict) else None
    if not url:
        return None
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ConfigError(f"desk.base_url must start with http:// or https://, not {url!r}")
    return url.rstrip("/")


def _recipients(t: dict[str, Any]) -> Recipients:
    zones: dict[int, tuple[str, ...]] = {}
    national: tuple[str, ...] = ()
    for key, value in t.items():
        where = f"digest.recipients.{key}"
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise ConfigError(f'{where} must be a list of addresses, like ["inspector@example.org"]')
        addresses = tuple(dict.fromkeys(_address(v, f"{where}[{i}]") for i, v in enumerate(value)))
        if key == "national":
            national = addresses
            continue
        if not (str(key).isdigit() and 1 <= int(key) <= 18):
            raise ConfigError(f'{where}: keys are zone numbers "1" to "18" or "national", not {key!r}')
        zones[int(key)] = addresses
    return Recipients(zones=zones, national=national)


def smtp_configured(cfg: Config) -> bool:
    """True when the config has an ``[smtp]`` section (else digests are written to files)."""
    return bool(_table(cfg, "smtp"))


def load_smtp_settings(cfg: Config) -> SmtpSettings:
    """``[smtp]`` with the password from ``AREAPLAN_SMTP_PASSWORD`` or the secret file."""
    t = _table(cfg, "smtp")
    if not t:
        raise ConfigError("[smtp] is not configured; add it (host, port, security, username) to send digests")
    host = _get(t, "host", str, "smtp")
    security = _get(t, "security", str, "smtp", "starttls")
    if security not in ("ssl", "starttls", "none"):
        raise ConfigError(f'smtp.security must be "ssl", "starttls" or "none", not {security!r}')
    port = _get(t, "port", int, "smtp", {"ssl": 465, "starttls": 587, "none": 25}[security])
    if not 1 <= port <= 65535:
        raise ConfigError(f"smtp.port must be between 1 and 65535, not {port}")
    check_port_matches("smtp", port, security, WELL_KNOWN_SMTP)
    username = _get(t, "username", str, "smtp", "") or None
    password = None
    if username:
        password = secret(cfg, SMTP_PASSWORD_ENV, SMTP_PASSWORD_KEY)
        if not password:
            raise missing_secret(cfg, "smtp.username is set but there is no password", SMTP_PASSWORD_ENV,
                                 SMTP_PASSWORD_KEY)
        if security == "none" and not _is_loopback(host):
            raise ConfigError(
                f'smtp.security = "none" would send the password to {host} unencrypted; '
                'use "starttls" or "ssl" (plain SMTP is for a server on 127.0.0.1 only)'
            )
    ca_file = _get(t, "ca_file", str, "smtp", "") or None
    if ca_file:
        p = Path(ca_file)
        if not p.is_absolute() and cfg.path is not None:
            p = cfg.path.parent / p
        if not p.is_file():
            raise ConfigError(f"smtp.ca_file {p} does not exist; give the PEM file of your SMTP server's CA")
        ca_file = str(p)
    return SmtpSettings(
        host=host, port=port, security=security, username=username, password=password,
        timeout=_get(t, "timeout", float, "smtp", 30.0), ca_file=ca_file,
        verify_tls=_get(t, "verify_tls", bool, "smtp", True),
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_schedule(cfg: Config) -> ScheduleSettings:
    t = _table(cfg, "schedule")
    minutes = _get(t, "poll_minutes", float, "schedule", 10.0)
    if not 0 < minutes <= 24 * 60:
        raise ConfigError(f"schedule.poll_minutes must be more than 0 and at most 1440, not {minutes}")
    when = _get(t, "digest_time", str, "schedule", "07:30")
    m = _TIME_RE.match(when)
    if not m:
        raise ConfigError(f'schedule.digest_time must be a 24-hour time like "07:30", not {when!r}')
    tz = _get(t, "timezone", str, "schedule", "Asia/Bangkok")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f'schedule.timezone {tz!r} is not a time zone name; use "Asia/Bangkok"') from None
    grace = _get(t, "misfire_grace_minutes", int, "schedule", 60)
    if grace < 1:
        raise ConfigError(f"schedule.misfire_grace_minutes must be at least 1, not {grace}")
    return ScheduleSettings(
        poll_minutes=minutes, digest_hour=int(m.group(1)), digest_minute=int(m.group(2)), timezone=tz,
        misfire_grace_seconds=grace * 60, catch_up=_get(t, "catch_up", bool, "schedule", True),
    )


def load_campaigns(cfg: Config) -> tuple[Campaign, ...]:
    """``[[campaigns]]`` from the config, or the DOPA letter's two campaigns."""
    raw = cfg.section("campaigns")
    if raw is None:
        return DEFAULT_CAMPAIGNS
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list) or not raw or not all(isinstance(t, dict) for t in raw):
        raise ConfigError("[[campaigns]] must be one or more tables (see the example in digest/settings.py)")
    campaigns = tuple(_campaign(t, i) for i, t in enumerate(raw))
    ids = [c.id for c in campaigns]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"campaigns: every id must be different, got {ids}")
    role_periods = [(c.kind, c.role_model_period) for c in campaigns
                    if KINDS[c.kind].period_rule == "once" and KINDS[c.kind].unit == "province"]
    if len(set(role_periods)) != len(role_periods):
        raise ConfigError(f"campaigns: two role_model campaigns have the same period {role_periods}; give each its own period")
    monthly = [c.kind for c in campaigns if KINDS[c.kind].period_rule == "monthly"]
    if len(set(monthly)) != len(monthly):
        raise ConfigError("campaigns: only one best_practice campaign may be configured (its months would overlap)")
    for c in campaigns:
        if c.kind == "zone_selection" and c.nominations not in {x.id for x in campaigns if x.kind == "role_model"}:
            raise ConfigError(
                f"campaigns.{c.id}.nominations = {c.nominations!r} must be the id of a role_model campaign "
                "(the nominations the inspectors score)")
    return campaigns


def _province_side(t: dict[str, Any], where: str) -> dict[str, Any]:
    """Acknowledgement and reminder switches, shared by the province-unit kinds (all off by default)."""
    before = _get(t, "remind_days_before", int, where, -1)
    if before != -1 and not 0 <= before <= 60:
        raise ConfigError(f"{where}.remind_days_before must be between 0 and 60 days, not {before}")
    return {
        "acknowledge": _get(t, "acknowledge", bool, where, False),
        "remind_days_before": None if before == -1 else before,
        "remind_after": _get(t, "remind_after", bool, where, False),
        "acknowledge_decisions": _acknowledge_decisions(t, where),
    }


def _acknowledge_decisions(t: dict[str, Any], where: str) -> bool:
    on = _get(t, "acknowledge_decisions", bool, where, False)
    if on and not _get(t, "acknowledge", bool, where, False):
        raise ConfigError(f"{where}.acknowledge_decisions needs {where}.acknowledge = true "
                          "(the notice of a decision is a reply in the acknowledgement's thread)")
    return on


def _zone_selection(t: dict[str, Any], cid: str, title: str, where: str) -> Campaign:
    for key in ("due_day", "start", "end", "acknowledge", "remind_days_before", "remind_after",
                "acknowledge_decisions"):
        if key in t:
            raise ConfigError(f"{where}.{key} is not for a zone_selection campaign (inspectors score on the desk)")
    deadline = _date(_get(t, "deadline", (dt.date, str), where), f"{where}.deadline")
    nominations = _get(t, "nominations", str, where)
    scale = _get(t, "scale", int, where, 10)
    if not 1 <= scale <= 100:
        raise ConfigError(f"{where}.scale must be between 1 and 100 (the top score per criterion), not {scale}")
    return Campaign(id=cid, kind="zone_selection", title_th=title, deadline=deadline, nominations=nominations,
                    scale=scale)


def _campaign(t: dict[str, Any], index: int) -> Campaign:
    where = f"campaigns[{index}]"
    cid = _get(t, "id", str, where)
    if not _ID_RE.match(cid):
        raise ConfigError(f"{where}.id = {cid!r}: use letters, digits, '_', '-' or '.' (at most 64)")
    where = f"campaigns.{cid}"
    kind = _get(t, "kind", str, where)
    if kind not in KINDS:
        known = " or ".join(f'"{k}"' for k in KINDS)
        raise ConfigError(f'{where}.kind must be {known}, not {kind!r}')
    title = _get(t, "title_th", str, where)
    if KINDS[kind].unit == "zone":
        return _zone_selection(t, cid, title, where)
    side = _province_side(t, where)
    if KINDS[kind].period_rule == "once":
        for key in ("due_day", "start", "end"):
            if key in t:
                raise ConfigError(f"{where}.{key} is for best_practice campaigns; a role_model campaign has a deadline")
        deadline = _date(_get(t, "deadline", (dt.date, str), where), f"{where}.deadline")
        opens = _date(t["opens"], f"{where}.opens") if "opens" in t else None
        if opens and opens > deadline:
            raise ConfigError(f"{where}.opens ({opens}) is after the deadline ({deadline})")
        period = _get(t, "period", str, where, "") or None
        return Campaign(id=cid, kind=kind, title_th=title, deadline=deadline, period=period, opens=opens,
                        overdue_days=_days(t, where, 30), **side)
    if "deadline" in t:
        raise ConfigError(f"{where}.deadline is for role_model campaigns; a best_practice campaign has due_day")
    due_day = _get(t, "due_day", int, where, 25)
    if not 1 <= due_day <= 31:
        raise ConfigError(f"{where}.due_day must be a day of the month (1-31), not {due_day}")
    start = _month(_get(t, "start", str, where), f"{where}.start")
    end = _month(_get(t, "end", str, where, ""), f"{where}.end") if t.get("end") else None
    if end and end < start:
        raise ConfigError(f"{where}.end ({end}) is before start ({start})")
    return Campaign(id=cid, kind=kind, title_th=title, due_day=due_day, start_month=start, end_month=end,
                    overdue_days=_days(t, where, 0), **side)


def _days(t: dict[str, Any], where: str, default: int) -> int:
    days = _get(t, "overdue_days", int, where, default)
    if not 0 <= days <= 366:
        raise ConfigError(f"{where}.overdue_days must be between 0 and 366, not {days}")
    return days


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            raise ConfigError(f"{where} must be a date like 2021-03-31 (Gregorian, not B.E.), not {value!r}") from None
    if value.year > 2400:
        raise ConfigError(f"{where} = {value} looks like a Buddhist-era year; write the Gregorian year (B.E. - 543)")
    return value


def _month(value: str, where: str) -> str:
    try:
        year, month = parse_month(value)
    except ValueError:
        raise ConfigError(f'{where} must be a month like "2021-01", not {value!r}') from None
    if year > 2400:
        raise ConfigError(f"{where} = {value!r} looks like a Buddhist-era year; write the Gregorian year (B.E. - 543)")
    return f"{year:04d}-{month:02d}"


@dataclass(frozen=True)
class ProvinceContacts:
    """``[provinces]``: the addresses a province is written to; ``[reminders]`` options.

    Example::

        [provinces]
        "16" = ["lopburi.dopa@example.go.th"]
        "14" = { email = ["ayutthaya@example.go.th", "plad.ayutthaya@example.go.th"] }

        [reminders]
        cc_zone_inspectors = true   # Cc each province's zone inspectors ([digest.recipients])
    """

    emails: dict[str, tuple[str, ...]] = field(default_factory=dict)  # province code -> addresses
    cc_zone_inspectors: bool = False

    def known_sender(self, address: str | None, senders: dict[str, str]) -> bool:
        """A sender we may reply to: listed in ``[provinces]`` or ``[senders]`` (address or domain)."""
        if not address:
            return False
        addr = getaddresses([address])[0][1].lower()
        if not addr or "@" not in addr:
            return False
        domain = addr.rpartition("@")[2]
        listed = {a for addrs in self.emails.values() for a in addrs}
        keys = {k.lower() for k in senders}
        return addr in listed or addr in keys or domain in keys or f"@{domain}" in keys


def load_province_contacts(cfg: Config) -> ProvinceContacts:
    t = _table(cfg, "provinces")
    emails: dict[str, tuple[str, ...]] = {}
    for code, value in t.items():
        where = f"provinces.{code}"
        if not (str(code).isdigit() and len(str(code)) == 2):
            raise ConfigError(f'{where}: keys are two-digit province codes like "16" (ลพบุรี), not {code!r}')
        if isinstance(value, dict):
            value = value.get("email", [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            raise ConfigError(f'{where} must be an address or a list of addresses, like ["office@example.go.th"]')
        emails[str(code)] = tuple(dict.fromkeys(_address(v, f"{where}[{i}]") for i, v in enumerate(value)))
    r = _table(cfg, "reminders")
    return ProvinceContacts(emails=emails, cc_zone_inspectors=_get(r, "cc_zone_inspectors", bool, "reminders", False))
