"""``areaplan digest``, ``status``, ``export`` and ``run``: what goes out, and the daemon."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from areaplan.app.cli_common import EXIT_CONFIG, EXIT_FAILURE, ExitError, friendly_errors, say
from areaplan.app.context import AppContext

F = TypeVar("F", bound=Callable[..., Any])

DATE = click.DateTime(formats=["%Y-%m-%d"])


def digest_errors(fn: F) -> F:
    """Digest failures become one line that says what to do, and an exit status."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from areaplan.digest.errors import DigestError

        try:
            return fn(*args, **kwargs)
        except DigestError as err:  # 2: login refused or [smtp] cannot work with the server; 1: a failure
            raise ExitError(str(err), EXIT_CONFIG if err.exit_code == EXIT_CONFIG else EXIT_FAILURE) from None

    return friendly_errors(wrapper)  # type: ignore[return-value]


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


@click.command()
@click.option("--date", "on", type=DATE, help="The Thai day to report on (YYYY-MM-DD). Default: today in Thailand.")
@click.option("--outbox", type=click.Path(file_okay=False, path_type=Path),
              help="Write the digests as .eml and .html files into this folder instead of sending them.")
@click.option("--dry-run", is_flag=True, help="Build the digests and write them to the outbox; send nothing.")
@click.option("--resend", is_flag=True, help="Send again to recipients who already had this day's digest.")
@click.pass_obj
@digest_errors
def digest(app: AppContext, on: datetime | None, outbox: Path | None, dry_run: bool, resend: bool) -> None:
    """Build the daily digests: one per inspection zone and one national, and send them.

    With [smtp] in the config each zone's digest goes to the addresses in
    [digest.recipients] (zone number = list; "national" = planning staff), once per
    day and recipient: running it again sends only what failed before (use --resend
    to send again). Without [smtp], or with --outbox / --dry-run, the digests are
    written as zone-01.eml ... zone-18.eml and national.eml, each with an .html beside
    it, into the outbox ([digest].outbox, default: "outbox" beside the database).

    Exit status: 0 ok, 1 some digests were not sent (they are retried next run),
    2 configuration or SMTP login problem.

    \b
    Example:
      areaplan --db var/areaplan.db digest --date 2021-03-29 --outbox outbox/
      areaplan --config /etc/areaplan/config.toml digest
      30 7 * * * areaplan --config /etc/areaplan/config.toml -q digest
    """
    from areaplan.app.digest_job import run_digest

    result = run_digest(app.config, app.db(), _day(on), outbox=outbox, resend=resend, dry_run=dry_run)
    say(result.summary)
    if not result.ok:
        sys.exit(EXIT_FAILURE)


@click.command()
@click.option("--date", "on", type=DATE, help="The Thai day (YYYY-MM-DD). Default: today in Thailand.")
@click.option("--zone", type=click.IntRange(1, 18), help="Show this zone's provinces one by one.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_obj
@digest_errors
def status(app: AppContext, on: datetime | None, zone: int | None, as_json: bool) -> None:
    """Show who has sent what: per zone counts for every open campaign period.

    The numbers are the digest's (and the province_status / zone_summary views'):
    sent, late, needing review, missing, and provinces that sent corrections.

    \b
    Example:
      areaplan --db var/areaplan.db status
      areaplan --db var/areaplan.db status --date 2021-03-29 --zone 1
      areaplan --db var/areaplan.db status --json | jq '.periods[0].totals'
    """
    from areaplan.app.digest_job import prepare_store
    from areaplan.core.clock import today_bangkok
    from areaplan.digest.model import build_digests
    from areaplan.digest.terminal import province_table, status_json, zone_table

    day = _day(on) or today_bangkok()
    db = app.db()
    prepare_store(db, app.config, through=day)
    zone_digests, national = build_digests(db, day)
    if as_json:
        click.echo(status_json(zone_digests, national, zone))
    elif zone is not None:
        click.echo(province_table(zone_digests[zone - 1]))
    else:
        click.echo(zone_table(national))


@click.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("export"),
              show_default=True, help="Folder to write into.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "both"]), default="both", show_default=True)
@click.option("--date", "on", type=DATE, help="Status as of this Thai day (YYYY-MM-DD). Default: today.")
@click.option("--all-periods", is_flag=True,
              help="Status of every campaign period opened by that day, not only the current ones.")
@click.pass_obj
@digest_errors
def export(app: AppContext, out_dir: Path, fmt: str, on: datetime | None, all_periods: bool) -> None:
    """Write submissions and zone status for spreadsheets: CSV (UTF-8 with BOM) and XLSX.

    Files: submissions.csv, province_status.csv, zone_summary.csv, review_queue.csv
    and areaplan-DATE.xlsx with one sheet for each. Thai text opens correctly in Excel.
    The status sheets hold the periods open on that day (those the digest shows) and
    each campaign's last period already due; --all-periods for every one since the start.
    Every submission is always in submissions. Files follow the umask (like any new file).
    With a zone_selection campaign configured, also selection_scores (every inspector's
    sheet) and selection_results (totals per nominee, the zone's choice), Thai headers.

    \b
    Example:
      areaplan --db var/areaplan.db export --out ~/Desktop/areaplan
      areaplan --db var/areaplan.db export --format xlsx --date 2021-03-31
      areaplan --db var/areaplan.db export --all-periods --out history/
    """
    from areaplan.app.digest_job import prepare_store
    from areaplan.core.clock import today_bangkok
    from areaplan.digest.export import export as write_export

    day = _day(on) or today_bangkok()
    db = app.db()
    stages = prepare_store(db, app.config, through=day)
    formats = ("csv", "xlsx") if fmt == "both" else (fmt,)
    for path in write_export(db, out_dir, day, formats, stages, all_periods):
        click.echo(str(path))


@click.command()
@click.pass_obj
@digest_errors
def run(app: AppContext) -> None:
    """Run the daemon: poll the inbox every few minutes and send the daily digest.

    Polls every [schedule].poll_minutes (default 10; the first poll at start-up) and
    sends the digest daily at [schedule].digest_time (default "07:30", Thai time).
    Started after that time, it sends today's digest at once (each recipient still
    gets it once). Jobs never overlap. Stop it with SIGTERM or Ctrl-C: the running
    job finishes, no other starts, then it exits 0. Run it under systemd or another
    supervisor. It logs to stderr: one line at start, one per job, one at stop (ISO
    8601 times with offset); -q only errors, -v every stage's lines.

    \b
    Example:
      areaplan --config /etc/areaplan/config.toml run
      areaplan --config config.toml -v run     # also every stage's own lines
    """
    from areaplan.app.daemon import run_daemon
    from areaplan.app.jobs import checked_credentials
    from areaplan.app.logs import daemon_lines_by_default
    from areaplan.digest.settings import (
        load_campaigns,
        load_digest_settings,
        load_schedule,
        load_smtp_settings,
        smtp_configured,
    )

    config = app.config
    load_schedule(config)  # fail fast on a bad config or a missing secret, before the daemon starts
    load_digest_settings(config)
    load_campaigns(config)
    checked_credentials(config)
    if smtp_configured(config):
        load_smtp_settings(config)
    daemon_lines_by_default(app.verbose, app.quiet, "areaplan.app.daemon")
    sys.exit(run_daemon(config))


COMMANDS = [digest, status, export, run]
