"""What every CLI command needs: the config (loaded once) and the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

    from areaplan.core.config import Config


@dataclass
class AppContext:
    config_path: str | None
    db_override: str | None
    quiet: bool = False  # -q: nothing on stdout on success (cron mails only on failure)
    verbose: int = 0
    _db: sqlite_utils.Database | None = field(default=None, repr=False)

    @cached_property
    def config(self) -> Config:
        from areaplan.core.config import load_config

        return load_config(self.config_path, self.db_override)

    def db(self) -> sqlite_utils.Database:
        if self._db is None:
            from areaplan.store.db import open_db
            from areaplan.store.gazetteer import ensure_gazetteer_loaded

            self._db = open_db(self.config.db)
            ensure_gazetteer_loaded(self._db, self.config.zone_overrides)
        return self._db
