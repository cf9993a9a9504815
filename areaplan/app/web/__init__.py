"""The web desk: Datasette over the store, with areaplan's plugin (``plugin.py``) and desk pages.

One module per desk page in ``pages/``; the shared layout is ``templates/desk_base.html``;
the one role check is ``auth.may``. ``serve.py`` builds the Datasette instance.
"""
