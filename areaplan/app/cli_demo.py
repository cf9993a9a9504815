"""``areaplan demo``: the main job on the embedded default, with the bundled sample mailbox."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from areaplan import samples
from areaplan.app.cli_common import friendly_errors
from areaplan.app.context import AppContext

SAMPLE_MAILBOX = Path(samples.__file__).resolve().parent / "mailbox" / "sample.mbox"


@click.command()
@click.option("--mailbox", type=click.Path(exists=True, path_type=Path), default=None,
              help="Mailbox to import instead of the bundled samples/mailbox/sample.mbox.")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), default="2021-03-31", show_default=True,
              help="Digest date (the sample mail is from March-April 2021; the deadline is 31 March 2021).")
@click.option("--outbox", type=click.Path(file_okay=False, path_type=Path), default=Path("var/outbox"),
              show_default=True, help="Where the digests are written.")
@click.pass_obj
@friendly_errors
def demo(app: AppContext, mailbox: Path | None, on: datetime, outbox: Path) -> None:
    """Import the bundled sample mailbox, read every form, and write the digests to files.

    The same path production mail takes (store raw, parse, resolve against the
    gazetteer, build per-zone digests), with no IMAP or SMTP server: a safe first look.
    Running it again stores nothing twice.

    \b
    Example:
      areaplan demo
      areaplan --db /tmp/try.db demo --date 2021-04-05 --outbox /tmp/outbox
    """
    from areaplan.app.digest_job import run_digest
    from areaplan.app.jobs import import_job

    source = mailbox or SAMPLE_MAILBOX
    if not source.exists():
        raise click.ClickException(f"sample mailbox {source} is missing; run `python -m areaplan.samples.generate`")
    db = app.db()
    click.echo(import_job(app.config, [source], db))
    result = run_digest(app.config, db, date(on.year, on.month, on.day), outbox=outbox)
    click.echo(result.summary)
    click.echo(f"database: {app.config.db}   (try: areaplan --db {app.config.db} status --date {on:%Y-%m-%d})")
    click.echo(f"digests:  {outbox}/national.html and zone-01.html ... zone-18.html")


COMMANDS = [demo]
