"""areaplan's Datasette plugin: login everywhere, roles, Thai labels, codes with names, Thai search.

Registered by ``serve.build_datasette`` (``datasette.plugins.pm.register``); nothing to copy.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from areaplan.app.web.auth import may, role_of
from areaplan.app.web.common import state

# Datasette's own pages: the SQL side. Staff and analysts only.
SQL_ACTIONS = {"view-instance", "view-database", "view-database-download", "view-table", "view-query",
               "execute-sql"}


@hookimpl
def permission_allowed(datasette, actor, action, resource):
    role = role_of(actor)
    if role is None:
        return False  # nobody sees anything without logging in
    if action in SQL_ACTIONS:
        return may(actor, "sql")
    if action in ("debug-menu", "permissions-debug", "messages-debug"):
        return role == "staff"
    return None


@hookimpl
def forbidden(datasette, request, message):
    if request.actor is None:
        return Response.redirect("/-/login?next=" + request.path)
    return None


@hookimpl
def register_routes(datasette):
    from areaplan.app.web.pages import ROUTES

    return ROUTES


@hookimpl
def prepare_jinja2_environment(env, datasette):
    from areaplan.digest.thai_dates import thai_datetime, thai_month

    digits = True
    env.filters["thai_dt"] = lambda v: thai_datetime(v, "short", digits) if v else "-"
    env.filters["thai_period"] = lambda p: (thai_month(p, digits) if p and len(p) == 7 else (p or "-"))


@hookimpl
def menu_links(datasette, actor):
    if actor is None:
        return []
    return [{"href": "/-/desk/board", "label": "โต๊ะงาน (กระดานเขต)"},
            {"href": "/-/desk/review", "label": "รายการรอตรวจสอบ"}]


_CODE_COLUMNS = {"province_code": "provinces", "district_code": "districts"}


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Province and district codes show their Thai names (linked to the gazetteer row)."""
    kind = _CODE_COLUMNS.get(column)
    if kind is None or value in (None, "") or table in ("provinces", "districts") and column == "code":
        return None
    names = state(datasette).names.get(kind, {})
    name = names.get(str(value))
    if name is None:
        return None
    return Markup(f'{escape(value)} <a href="/{escape(database)}/{kind}/{escape(value)}">{escape(name)}</a>')


@hookimpl
def asgi_wrapper(datasette):
    """Segment the full-text query like the index (``คนละครึ่ง`` -> ``คนละ ครึ่ง``)."""
    from areaplan.core.thai_text import segment_for_search

    def wrap(app):
        async def inner(scope, receive, send):
            qs = scope.get("query_string") or b""
            if scope.get("type") == "http" and b"_search" in qs:
                pairs = parse_qsl(qs.decode("utf-8", "replace"), keep_blank_values=True)
                pairs = [(k, segment_for_search(v) if k.startswith("_search") else v) for k, v in pairs]
                scope = dict(scope, query_string=urlencode(pairs).encode("ascii"))
            await app(scope, receive, send)

        return inner

    return wrap
