"""``/-/desk/review``: the review queue with a decision form per item; POST records a decision."""

from __future__ import annotations

from datasette.utils.asgi import Response

from areaplan.app.web.common import SUBMISSION_KEY, page, render, require, store, zone_param
from areaplan.app.web.pages.submission import load_item
from areaplan.app.web.reason_lines import queue_lines, reason_line
from areaplan.store import decisions, desk


@page
async def queue(request, datasette):
    actor = request.actor
    zone = zone_param(request, actor) if actor else None
    require(request, "desk", zone)
    reason = request.args.get("reason") or None
    with store(datasette) as db:
        items = decisions.queue(db, zone=zone, reason=reason)
        for it in items:
            rows = decisions.item_reasons(db, it["message"], it["key"])
            review_rows = [r for r in rows if r["severity"] == "review"]
            it["reason_lines"] = queue_lines(it["reasons"], review_rows)
            it["reason_rows"] = list({line.code: line for line in map(reason_line, review_rows)}.values())
            it["districts"] = desk.districts_of(db, it["province_code"])
        provinces = desk.provinces(db)
    return await render(datasette, request, "desk_review.html", {
        "items": items, "zone": zone, "reason": reason, "provinces": provinces,
        "FIELD_TH": decisions.FIELD_LABELS_TH, "ACTION_TH": decisions.ACTION_LABELS_TH})


@page
async def decide(request, datasette):
    key = request.url_vars["key"]
    form = await request.post_vars()
    with store(datasette) as db:
        _, _, zone = load_item(db, key)
        actor = require(request, "decide", zone)
        action = form.get("action", "")
        field = value = None
        if action == "set":
            field, value = form.get("field"), form.get("value")
        elif action == "dismiss":
            field = form.get("code")
        elif action == "same_as":
            value = form.get("same_as")
        try:
            d = decisions.decide(db, key, action, by=actor["id"], field=field, value=value,
                                 note=form.get("note"))
        except decisions.DecisionError as err:
            datasette.add_message(request, f"บันทึกไม่ได้: {err}", datasette.ERROR)
        else:
            datasette.add_message(request, f"บันทึกคำตัดสิน #{d.id} ของรายการ #{key} แล้ว", datasette.INFO)
    back = form.get("back") or "/-/desk/review"
    return Response.redirect(back if back.startswith("/-/desk/") else "/-/desk/review")


ROUTES = [(r"^/-/desk/review$", queue), (rf"^/-/desk/decide/(?P<key>{SUBMISSION_KEY})$", decide)]
