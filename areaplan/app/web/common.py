"""What every desk page shares: the state, the store connection, the role check, rendering."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from datasette.utils.asgi import Forbidden, Response

from areaplan.app.web.auth import User, may

if TYPE_CHECKING:
    from collections.abc import Iterator

    import sqlite_utils
    from datasette.app import Datasette

STATUS_TH = {"missing": "ยังไม่ส่ง", "needs_review": "รอตรวจสอบ", "late": "ส่งช้า", "received": "ส่งแล้ว"}
CAMPAIGN_TH = {"role_model": "อำเภอต้นแบบ (Role Model)", "best_practice": "แบบอย่างที่ดี (Best Practices)"}


@dataclass
class DeskState:
    """What the plugin knows about the store it serves (kept on the Datasette instance)."""

    db_path: Path
    db_name: str
    users: dict[str, User]
    thai_digits: bool = True
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # provinces/districts code -> name
    campaigns: tuple[Any, ...] = ()  # the config's campaigns (core.campaigns.Campaign), for the selection pages


def state(datasette: Datasette) -> DeskState:
    return datasette.areaplan_desk  # type: ignore[attr-defined]


@contextmanager
def store(datasette: Datasette) -> Iterator[sqlite_utils.Database]:
    """A connection to the store for one request (reads, and writes through store.decisions)."""
    from areaplan.store.db import open_db

    db = open_db(state(datasette).db_path, migrate=False)
    try:
        yield db
    finally:
        db.close()


def require(request: Any, what: str, zone: int | None = None) -> dict[str, Any]:
    """The actor, if they may do ``what`` (see ``auth.may``); else a redirect to login or 403."""
    actor = request.actor
    if actor is None:
        raise LoginNeeded(request)
    if not may(actor, what, zone):
        raise Forbidden("ไม่มีสิทธิ์เปิดหน้านี้ (not allowed for your role)")
    return actor


class LoginNeeded(Exception):
    def __init__(self, request: Any) -> None:
        super().__init__("login needed")
        self.request = request

    def response(self) -> Response:
        target = self.request.path + (f"?{self.request.query_string}" if self.request.query_string else "")
        return Response.redirect("/-/login?next=" + quote(target, safe=""))


def page(view):  # decorator: LoginNeeded becomes a redirect
    import functools

    @functools.wraps(view)
    async def wrapper(request, datasette):
        try:
            return await view(request, datasette)
        except LoginNeeded as need:
            return need.response()

    return wrapper


async def render(datasette: Datasette, request: Any, template: str, context: dict[str, Any],
                 status: int = 200) -> Response:
    actor = request.actor
    base = {"actor": actor, "may": lambda what, zone=None: may(actor, what, zone),
            "STATUS_TH": STATUS_TH, "CAMPAIGN_TH": CAMPAIGN_TH, "db_name": state(datasette).db_name}
    html = await datasette.render_template(template, {**base, **context}, request=request)
    return Response.html(html, status=status)


def zone_param(request: Any, actor: dict[str, Any]) -> int | None:
    """The zone a page shows: an inspector's own; else ``?zone=N`` or None (all)."""
    if actor.get("role") == "inspector":
        return actor.get("zone")
    z = request.args.get("zone")
    return int(z) if z and z.isdigit() and 1 <= int(z) <= 18 else None


# A submission key in a URL: "12" (a message's main form) or "12.<slot>" ("12.3", "12.3-1", "12.b1").
SUBMISSION_KEY = r"[0-9]+(?:\.[0-9A-Za-z-]+)?"
