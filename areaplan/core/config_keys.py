"""Every key the config file may hold, so that a misspelt key is an error, not a silent default.

``SCHEMA`` mirrors ``config.example.toml``: a table is a dict of its keys; ``FREE`` marks a
table whose keys are data (zone numbers, province codes, sender addresses) and are checked by
the stage that reads them; ``TABLES`` marks an array of tables (``[[imap]]``,
``[[campaigns]]``) whose every element has the given keys. ``check_keys`` raises a
``ConfigError`` naming the first unknown key and the nearest valid one (difflib).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from areaplan.core.errors import ConfigError


@dataclass(frozen=True)
class Free:
    """A table whose keys are data; ``values`` (if any) is the schema of each value that is a table."""

    values: dict[str, Any] | None = None


@dataclass(frozen=True)
class Tables:
    """An array of tables (``[[imap]]``): each element has these keys."""

    keys: dict[str, Any]


LEAF = None  # a plain value (string, number, list, date)

_IMAP = dict.fromkeys(("name", "host", "username", "port", "security", "auth", "folders", "ca_file",
                       "verify_tls", "batch_size", "timeout", "retries", "mark_seen"), LEAF)
_CAMPAIGN = dict.fromkeys(("id", "kind", "title_th", "deadline", "period", "opens", "overdue_days",
                           "acknowledge", "remind_days_before", "remind_after", "acknowledge_decisions",
                           "due_day", "start", "end", "nominations", "scale"), LEAF)

SCHEMA: dict[str, Any] = {
    "store": {"db": LEAF},
    "parse": {"seconds_per_message": LEAF, "memory_mb_per_message": LEAF},
    "secrets": {"file": LEAF},
    "imap": Tables(_IMAP),
    "gazetteer": {"zone_overrides": Free()},
    "senders": Free(),
    "campaigns": Tables(_CAMPAIGN),
    "provinces": Free({"email": LEAF}),
    "reminders": {"cc_zone_inspectors": LEAF},
    "digest": {
        **dict.fromkeys(("date_style", "thai_digits", "from", "from_name", "reply_to", "subject_prefix",
                         "outbox", "max_review_items", "retry_days"), LEAF),
        "recipients": Free(),
    },
    "smtp": dict.fromkeys(("host", "port", "security", "username", "timeout", "ca_file", "verify_tls"), LEAF),
    "schedule": dict.fromkeys(("poll_minutes", "digest_time", "timezone", "misfire_grace_minutes", "catch_up"),
                              LEAF),
    "desk": dict.fromkeys(("host", "port", "base_url"), LEAF),
}


def check_keys(raw: dict[str, Any], source: str = "the config file") -> None:
    """Refuse the first key of ``raw`` that ``SCHEMA`` does not know, naming the nearest valid one."""
    _check_table(raw, SCHEMA, "", source)


def _check_table(table: dict[str, Any], schema: dict[str, Any], where: str, source: str) -> None:
    for key, value in table.items():
        here = f"{where}.{key}" if where else key
        if key not in schema:
            raise ConfigError(_unknown(here, key, schema, where, source))
        _check_value(value, schema[key], here, source)


def _check_value(value: Any, spec: Any, here: str, source: str) -> None:
    if isinstance(spec, dict) and isinstance(value, dict):
        _check_table(value, spec, here, source)
    elif isinstance(spec, Tables):
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            if isinstance(item, dict):
                _check_table(item, spec.keys, f"{here}[{i}]", source)
    elif isinstance(spec, Free) and spec.values is not None and isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict):
                _check_table(item, spec.values, f"{here}.{key}", source)


def _unknown(here: str, key: str, schema: dict[str, Any], where: str, source: str) -> str:
    close = difflib.get_close_matches(key, list(schema), n=1, cutoff=0.6)
    prefix = f"{where.split('[')[0]}." if where else ""
    if close:
        hint = f'did you mean "{prefix}{close[0]}"? Correct the spelling'
    else:
        valid = ", ".join(sorted(schema))
        hint = f"valid keys here: {valid}. Remove it or move it to the right table"
    return f'unknown key "{here}" in {source}; {hint} (config.example.toml lists every key)'
