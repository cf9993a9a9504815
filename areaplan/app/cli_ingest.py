"""``areaplan poll`` and ``areaplan import``: how mail comes in."""

from __future__ import annotations

from pathlib import Path

import click

from areaplan.app.cli_common import friendly_errors, progress_bar, say
from areaplan.app.context import AppContext


@click.command()
@click.option("--no-parse", is_flag=True, help="Only store raw mail; parse later with `areaplan reparse --pending`.")
@click.pass_obj
@friendly_errors
def poll(app: AppContext, no_parse: bool) -> None:
    """Fetch new mail from every configured IMAP account and store it.

    Read-only: folders are opened with EXAMINE and bodies fetched with BODY.PEEK,
    so no flag changes (unless the config sets mark_seen). Only UIDs above the
    stored watermark are fetched. Safe to run from cron every few minutes: a run
    that finds another one running exits 0 and says so.

    Exit status: 0 ok (or skipped), 1 the run failed (server down, connection lost:
    what was stored is kept and the next run continues), 2 configuration, login or
    TLS problem (fix it, then run again).

    \b
    Example:
      areaplan --config /etc/areaplan/config.toml poll
      */10 * * * * areaplan --config /etc/areaplan/config.toml -q poll
    """
    from areaplan.app.jobs import poll_job

    say(poll_job(app.config, app.db(), parse=not no_parse))


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--no-parse", is_flag=True, help="Only store raw mail; parse later with `areaplan reparse --pending`.")
@click.pass_obj
@friendly_errors
def import_(app: AppContext, paths: tuple[Path, ...], no_parse: bool) -> None:
    """Import .eml files, mbox files (a Google Takeout export is one) and maildir folders.

    Messages already stored (by an earlier import or by the poller) are recognised
    and not stored twice. A folder is searched for .eml and mbox files.

    \b
    Example:
      areaplan import ~/Takeout/Mail/All\\ mail\\ Including\\ Spam\\ and\\ Trash.mbox
      areaplan --db var/areaplan.db import backfill/*.eml ~/Maildir
    """
    from areaplan.app.jobs import import_job
    from areaplan.ingest.importer import count_messages

    with progress_bar(count_messages(list(paths)), "importing") as bar:
        summary = import_job(app.config, list(paths), app.db(), progress=bar.update, parse=not no_parse)
    say(summary)


COMMANDS = [poll, import_]
