"""``/-/desk/submission/<key>``: the fields read, their provenance, beside the attachments."""

from __future__ import annotations

from datasette.utils.asgi import NotFound

from areaplan.app.web.common import SUBMISSION_KEY, page, render, require, store
from areaplan.app.web.reason_lines import reason_line
from areaplan.store import decisions, desk


def load_item(db, key: str):
    found = decisions.item(db, key)
    if found is None:
        raise NotFound("ไม่พบรายการนี้")
    sub = found["submission"]
    zone = sub["zone"] if sub else next(iter(desk.message_zones(db, found["message"])))
    return found, sub, zone


@page
async def submission(request, datasette):
    key = request.url_vars["key"]
    with store(datasette) as db:
        found, sub, zone = load_item(db, key)
        require(request, "desk", zone)
        message = found["message"]
        fields = []
        if sub:
            machine = sub["machine_values"]
            for f, col in decisions.FIELDS.items():
                fields.append({"field": f, "label": decisions.FIELD_LABELS_TH[f], "value": sub[col],
                               "machine": machine.get(f), "changed": str(sub[col]) != str(machine.get(f))})
            names = desk.place_names(db, sub["province_code"], sub["district_code"])
        else:
            names = (None, None)
        ctx = {
            "key": key, "sub": sub, "fields": fields, "names": names, "zone": zone,
            "header": desk.message_header(db, message),
            "provenance": decisions.provenance(db, key) if sub else [],
            "reasons": [reason_line(r) for r in decisions.item_reasons(db, message, key)],
            "history": decisions.history(db, key), "effects": decisions.effects(db, key),
            "attachments": desk.attachments_of(db, message), "images": desk.images_of(db, message, key if sub else None),
            "ACTION_TH": decisions.ACTION_LABELS_TH, "FIELD_TH": decisions.FIELD_LABELS_TH,
        }
    return await render(datasette, request, "desk_submission.html", ctx)


ROUTES = [(rf"^/-/desk/submission/(?P<key>{SUBMISSION_KEY})$", submission)]
