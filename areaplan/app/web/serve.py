"""``areaplan serve``: build the Datasette instance over the store and run it on 127.0.0.1."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from areaplan.app.web.auth import load_users
from areaplan.app.web.common import DeskState
from areaplan.app.web.metadata import metadata

if TYPE_CHECKING:
    from datasette.app import Datasette

    from areaplan.app.web.auth import User
    from areaplan.core.config import Config


TEMPLATES = Path(__file__).resolve().parent / "templates"


def register_plugin() -> None:
    from datasette.plugins import pm

    from areaplan.app.web import plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name="areaplan")


def build_datasette(cfg: Config, users: dict[str, User] | None = None) -> Datasette:
    """Datasette over ``cfg.db`` (queries on a read-only connection) with the desk plugin."""
    from datasette.app import Datasette

    from areaplan.app.digest_job import prepare_store
    from areaplan.store import desk
    from areaplan.store.db import open_db

    register_plugin()
    db_path = Path(cfg.db)
    with_store = open_db(db_path)  # migrate before Datasette reads the schema
    try:
        campaigns = prepare_store(with_store, cfg)  # the config's campaigns and periods, as the digest has them
        names = {"provinces": {p["code"]: p["name_th"] for p in desk.provinces(with_store)},
                 "districts": desk.district_names(with_store)}
    finally:
        with_store.close()
    ds = Datasette(
        [str(db_path)], metadata=metadata(db_path.stem), template_dir=str(TEMPLATES),
        secret=secrets.token_hex(32),
        settings={"default_page_size": 50, "sql_time_limit_ms": 3000, "allow_download": False},
    )
    ds.areaplan_desk = DeskState(db_path=db_path, db_name=db_path.stem,  # type: ignore[attr-defined]
                                 users=users if users is not None else load_users(cfg), names=names,
                                 campaigns=campaigns)
    return ds


def serve(ds: Datasette, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
