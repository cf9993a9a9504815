"""``/-/login``: the login form (the only page open to nobody). ``/-/logout`` is Datasette's."""

from __future__ import annotations

from datasette.utils.asgi import Response

from areaplan.app.web.auth import verify_password
from areaplan.app.web.common import render, state


def _safe_next(target: str | None) -> str:
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/-/desk"
    return target


async def login(request, datasette):
    target = _safe_next(request.args.get("next"))
    error = None
    if request.method == "POST":
        form = await request.post_vars()
        target = _safe_next(form.get("next"))
        user = state(datasette).users.get((form.get("username") or "").strip())
        if user is not None and verify_password(form.get("password") or "", user.password_hash):
            response = Response.redirect(target)
            response.set_cookie("ds_actor", datasette.sign({"a": user.actor()}, "actor"),
                                httponly=True, samesite="lax")
            return response
        error = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"
    return await render(datasette, request, "desk_login.html", {"next": target, "error": error},
                        status=401 if error else 200)


ROUTES = [(r"^/-/login$", login)]
