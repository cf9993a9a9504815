"""The root of every error areaplan raises on purpose.

Two facts travel with each error and are read by the code that handles it:

``exit_code``
    2: the configuration or the input is wrong (a person must fix something first);
    1: an operational failure (a server down, a disk full).
``transient``
    True when running again unchanged may succeed (the daemon retries, cron's next run will);
    False when retrying cannot help.

Each stage has its own subtree (``ingest.errors``, ``parsers.errors``, ``digest.errors``,
``store.db.StoreError``); the CLI turns any ``AreaplanError`` into one line and its exit code.
"""

from __future__ import annotations


class AreaplanError(Exception):
    """Base class of areaplan's errors."""

    exit_code = 1
    transient = False


class ConfigError(AreaplanError):
    """The configuration is wrong; the message names the key and says how to fix it."""

    exit_code = 2
