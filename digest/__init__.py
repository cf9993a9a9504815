"""The daily per-zone digest: read the store, render Thai email, send it once per recipient.

``digest.jobs.digest_job`` is the one job the CLI (``areaplan digest``) and the
daemon (``areaplan run``) both call. Nothing here writes SQL: status comes from
``store.status``, sends are recorded through ``store.digest_sends``.
"""
