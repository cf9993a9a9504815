"""One module per desk page; ``ROUTES`` collects them for the plugin."""

from __future__ import annotations

from areaplan.app.web.pages import board, files, history, login, raw, review, selection, submission

ROUTES = [*login.ROUTES, *board.ROUTES, *submission.ROUTES, *review.ROUTES, *history.ROUTES,
          *raw.ROUTES, *files.ROUTES, *selection.ROUTES]
