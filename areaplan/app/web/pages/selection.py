"""``/-/desk/selection``: the zone stage on the desk (issue 11).

* ``/-/desk/selection``: the 18 zones' choices, which have not chosen, and the map of the
  country (staff and analysts); an inspector goes straight to their zone.
* ``/-/desk/selection/zone/N``: the zone's nominees side by side (province, district, the
  narrative by the four criteria, photos, versions), every scorer's totals, the signed-in
  inspector's score form per criterion and note, and the choice of one district. After the
  campaign's deadline the zone is locked; planning staff can reopen it.
* POST ``.../score``, ``.../choose`` (the zone's inspectors, staff), ``.../reopen`` (staff).
"""

from __future__ import annotations

from datetime import date

from datasette.utils.asgi import Forbidden, NotFound, Response

from areaplan.app.web.auth import may, role_of
from areaplan.app.web.common import page, render, require, state, store
from areaplan.app.web.country_map import country_map
from areaplan.core.campaigns import CRITERIA_TH
from areaplan.core.clock import today_bangkok
from areaplan.store import selection as sel

SCORERS = ("inspector", "staff")  # analysts read only


def _deadline_th(campaign) -> str:  # noqa: ANN001
    from areaplan.digest.thai_dates import thai_date

    return thai_date(campaign.deadline, "long", True) if campaign.deadline else "-"


def _stage(datasette):  # noqa: ANN001, ANN202
    stages = [c for c in state(datasette).campaigns if c.kind == "zone_selection"]
    if not stages:
        raise NotFound("ไม่มีการคัดเลือกระดับเขตในค่าตั้ง (no zone_selection campaign in the config)")
    return stages[-1]


def _zone(request) -> int:  # noqa: ANN001
    zone = int(request.url_vars["zone"])
    if not 1 <= zone <= 18:
        raise NotFound("ไม่มีเขตตรวจราชการนี้")
    return zone


def _may_score(actor, zone: int) -> bool:  # noqa: ANN001
    return role_of(actor) in SCORERS and may(actor, "desk", zone)


@page
async def national(request, datasette):
    actor = require(request, "desk", request.actor.get("zone") if request.actor else None)
    if role_of(actor) == "inspector":
        return Response.redirect(f"/-/desk/selection/zone/{actor['zone']}")
    campaign = _stage(datasette)
    with store(datasette) as db:
        choices = sel.national_choices(db, campaign)
        grid = country_map(db, today_bangkok())
    return await render(datasette, request, "desk_selection.html", {
        "campaign": campaign, "deadline_th": _deadline_th(campaign), "choices": choices, "not_chosen": [c for c in choices if not c.province_code],
        "map": grid})


@page
async def zone_page(request, datasette):
    zone = _zone(request)
    actor = require(request, "desk", zone)
    campaign = _stage(datasette)
    with store(datasette) as db:
        sheet = sel.zone_sheet(db, campaign, zone, today_bangkok())
        nominees = [{"n": n, "versions": sel.nominee_versions(db, campaign, n.province_code),
                     "photos": sel.nominee_photos(db, n)} for n in sheet.nominees]
        events = sel.history(db, campaign, zone)
    return await render(datasette, request, "desk_selection_zone.html", {
        "campaign": campaign, "deadline_th": _deadline_th(campaign), "sheet": sheet, "nominees": nominees, "events": events, "zone": zone,
        "CRITERIA_TH": CRITERIA_TH, "mine": sheet.scores.get(actor["id"], {}),
        "my_notes": sheet.notes.get(actor["id"], {}), "may_score": _may_score(actor, zone) and not sheet.locked,
        "may_reopen": may(actor, "decide")})


async def _post(request, datasette, action):  # noqa: ANN001, ANN202
    zone = _zone(request)
    actor = require(request, "desk", zone)
    if action == "reopen" and not may(actor, "decide"):
        raise Forbidden("เฉพาะเจ้าหน้าที่กองวิชาการและแผนงาน (planning staff only)")
    if action != "reopen" and not _may_score(actor, zone):
        raise Forbidden("ไม่มีสิทธิ์ให้คะแนนหรือคัดเลือกในเขตนี้ (not allowed for your role)")
    form = await request.post_vars()
    campaign = _stage(datasette)
    on = today_bangkok()
    with store(datasette) as db:
        try:
            if action == "score":
                scores = {c: int(form[f"c{c}"]) for c in sel.CRITERIA if form.get(f"c{c}", "").strip()}
                sel.record_scores(db, campaign, zone, form.get("province", ""), actor["id"], scores, on,
                                  note=form.get("note") or None)
                message = "บันทึกคะแนนแล้ว"
            elif action == "choose":
                c = sel.choose(db, campaign, zone, form.get("province", ""), actor["id"], on)
                message = f"บันทึกการคัดเลือกอำเภอ{c.district_th} จังหวัด{c.province_th} แล้ว"
            else:
                until = date.fromisoformat(form.get("until", ""))
                sel.reopen(db, campaign, zone, actor["id"], until)
                message = f"เปิดให้แก้ไขถึงวันที่ {until.isoformat()} แล้ว"
        except sel.SelectionError as err:
            datasette.add_message(request, f"บันทึกไม่ได้: {err.th}", datasette.ERROR)
        except ValueError:
            datasette.add_message(request, "บันทึกไม่ได้: ค่าที่กรอกไม่ถูกต้อง", datasette.ERROR)
        else:
            datasette.add_message(request, message, datasette.INFO)
    return Response.redirect(f"/-/desk/selection/zone/{zone}")


@page
async def score(request, datasette):
    return await _post(request, datasette, "score")


@page
async def choose(request, datasette):
    return await _post(request, datasette, "choose")


@page
async def reopen(request, datasette):
    return await _post(request, datasette, "reopen")


ROUTES = [
    (r"^/-/desk/selection$", national),
    (r"^/-/desk/selection/zone/(?P<zone>[0-9]{1,2})$", zone_page),
    (r"^/-/desk/selection/zone/(?P<zone>[0-9]{1,2})/score$", score),
    (r"^/-/desk/selection/zone/(?P<zone>[0-9]{1,2})/choose$", choose),
    (r"^/-/desk/selection/zone/(?P<zone>[0-9]{1,2})/reopen$", reopen),
]
