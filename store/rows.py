"""Small helpers for reading query results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils


def rows_as_dicts(db: sqlite_utils.Database, sql: str, params: Mapping[str, Any] | Sequence[Any] = ()
                  ) -> list[dict[str, Any]]:
    """The rows of a query as dicts keyed by column name."""
    cur = db.execute(sql, dict(params) if isinstance(params, Mapping) else list(params))
    names = [c[0] for c in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
