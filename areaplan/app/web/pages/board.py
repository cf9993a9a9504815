"""``/-/desk`` and ``/-/desk/board``: the zone board, live from the status views."""

from __future__ import annotations

from datasette.utils.asgi import Response

from areaplan.app.web.common import page, render, require, store, zone_param
from areaplan.store import desk


@page
async def home(request, datasette):
    require(request, "desk", request.actor.get("zone") if request.actor else None)
    return Response.redirect("/-/desk/board")


@page
async def board(request, datasette):
    actor = request.actor
    zone = zone_param(request, actor) if actor else None
    require(request, "desk", zone)
    with store(datasette) as db:
        summary = desk.zone_board(db, zone)
        provinces = []
        if zone is not None and summary:
            first = summary[0]
            provinces = desk.zone_provinces(db, zone, first["campaign_id"], first["period"])
        zones = desk.zones(db)
    return await render(datasette, request, "desk_board.html",
                        {"summary": summary, "provinces": provinces, "zone": zone, "zones": zones})


ROUTES = [(r"^/-/desk/?$", home), (r"^/-/desk/board$", board)]
