"""``/-/desk/raw/<message>``: the raw message as text, on request (own zone for inspectors)."""

from __future__ import annotations

from datasette.utils.asgi import NotFound, Response

from areaplan.app.web.common import page, require, store
from areaplan.store import desk
from areaplan.store.messages import raw_bytes


@page
async def raw(request, datasette):
    message = int(request.url_vars["message"])
    with store(datasette) as db:
        if desk.message_header(db, message) is None:
            raise NotFound("ไม่พบข้อความนี้")
        zones = desk.message_zones(db, message)
        actor = request.actor
        allowed = [z for z in zones if actor is not None and require_quiet(actor, z)]
        if not allowed:
            require(request, "raw", next(iter(zones)))
        data = raw_bytes(db, message)
    return Response(data.decode("utf-8", "replace"), content_type="text/plain; charset=utf-8",
                    headers={"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"})


def require_quiet(actor, zone) -> bool:
    from areaplan.app.web.auth import may

    return may(actor, "raw", zone)


ROUTES = [(r"^/-/desk/raw/(?P<message>[0-9]+)$", raw)]
