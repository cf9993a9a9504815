"""``/-/desk`` and ``/-/desk/board``: the zone board, live from the status views."""

from __future__ import annotations

from datasette.utils.asgi import Response

from areaplan.app.web.common import page, render, require, store, zone_param
from areaplan.app.web.country_map import country_map
from areaplan.core.clock import today_bangkok
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
        every = desk.zone_board(db, zone)
        # periods with anything received (the monthly periods nobody reported on yet stay in SQL)
        summary = [r for r in every if r["submitted"]] or every[:18]
        provinces, chosen = [], None
        if zone is not None and summary:
            chosen = pick_period(summary, request.args.get("period"))
            provinces = desk.zone_provinces(db, zone, chosen["campaign_id"], chosen["period"])
        zones = desk.zones(db)
        grid = country_map(db, today_bangkok()) if zone is None else None
    return await render(datasette, request, "desk_board.html",
                        {"summary": summary, "provinces": provinces, "zone": zone, "zones": zones,
                         "chosen": chosen, "map": grid})


def pick_period(summary: list[dict], wanted: str | None) -> dict:
    """``?period=<campaign id>:<period>``, else the period with the most submissions (latest on a tie)."""
    for row in summary:
        if wanted == f"{row['campaign_id']}:{row['period']}":
            return row
    return max(summary, key=lambda r: (r["submitted"] or 0, r["due_on"]))


ROUTES = [(r"^/-/desk/?$", home), (r"^/-/desk/board$", board)]
