"""``areaplan acknowledge`` and ``areaplan remind``: the mail areaplan sends to provinces."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from areaplan.app.cli_common import say
from areaplan.app.cli_digest import digest_errors
from areaplan.app.context import AppContext

DATE = click.DateTime(formats=["%Y-%m-%d"])
OUTBOX = click.option("--outbox", type=click.Path(file_okay=False, path_type=Path),
                      help="Write the mail to DIR/province-mail/ instead of sending it.")
DRY_RUN = click.option("--dry-run", is_flag=True, help="Write to [digest].outbox instead of sending.")


@click.command()
@click.option("--since", type=DATE, help="Answer mail received since this day (YYYY-MM-DD). Default: 7 days ago.")
@OUTBOX
@DRY_RUN
@click.pass_obj
@digest_errors
def acknowledge(app: AppContext, since: datetime | None, outbox: Path | None, dry_run: bool) -> None:
    """Reply once, in Thai, to each stored submission of a campaign with acknowledge = true.

    The reply says what was read (province, district, photos, the Thai received time) and
    what to do if it is wrong; for a submission sent to review, that a person will check
    it. Threaded (In-Reply-To/References). Never to automatic mail, bounces or senders
    not in [provinces] or [senders]. A rerun sends nothing twice. The daemon runs it after
    every poll.

    \b
    Example:
      areaplan --config config.toml acknowledge
      areaplan --config config.toml acknowledge --since 2021-03-01 --dry-run
    """
    from areaplan.app.province_mail_job import run_acknowledgements

    start = since.replace(tzinfo=UTC) if since else None
    say(run_acknowledgements(app.config, app.db(), since=start, outbox=outbox,
                                    dry_run=dry_run).summary("acknowledge"))


@click.command()
@click.option("--date", "on", type=DATE, help="Remind as on this Thai day (YYYY-MM-DD). Default: today.")
@OUTBOX
@DRY_RUN
@click.pass_obj
@digest_errors
def remind(app: AppContext, on: datetime | None, outbox: Path | None, dry_run: bool) -> None:
    """Remind provinces that have not sent: remind_days_before the due date, and the day after.

    One polite Thai mail per province, period and reminder, to the address in [provinces]
    or from the province's earlier submissions (never guessed); Cc the zone's inspectors
    with [reminders].cc_zone_inspectors. The daemon runs it with the digest.

    \b
    Example:
      areaplan --config config.toml remind
      areaplan --config config.toml remind --date 2021-03-28 --dry-run
    """
    from areaplan.app.province_mail_job import run_reminders

    say(run_reminders(app.config, app.db(), on.date() if on else None, outbox=outbox,
                             dry_run=dry_run).summary("remind"))


COMMANDS = [acknowledge, remind]
