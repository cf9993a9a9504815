"""``/-/desk/history``: every decision, newest first (an inspector sees their zone's)."""

from __future__ import annotations

from areaplan.app.web.common import page, render, require, store, zone_param
from areaplan.store import decisions


@page
async def history(request, datasette):
    actor = request.actor
    zone = zone_param(request, actor) if actor else None
    require(request, "desk", zone)
    with store(datasette) as db:
        rows = []
        for d in decisions.history(db):
            found = decisions.item(db, d.submission_key)
            z = found["submission"]["zone"] if found and found["submission"] else None
            if zone is None or z == zone:
                rows.append({"d": d, "zone": z})
    return await render(datasette, request, "desk_history.html", {
        "rows": rows, "zone": zone, "ACTION_TH": decisions.ACTION_LABELS_TH,
        "FIELD_TH": decisions.FIELD_LABELS_TH})


ROUTES = [(r"^/-/desk/history$", history)]
