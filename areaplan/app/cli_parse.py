"""``areaplan reparse``, ``search`` and ``review``: working with what was read from the mail."""

from __future__ import annotations

import click

from areaplan.app.cli_common import friendly_errors, progress_bar, say
from areaplan.app.context import AppContext


def thai_time(iso: str | None) -> str:
    """An ISO timestamp as Bangkok local time, ``2021-03-29 09:41``."""
    if not iso:
        return "?"
    from areaplan.core.clock import to_bangkok

    try:
        return to_bangkok(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso[:16]


@click.command()
@click.option("--pending", is_flag=True, help="Only messages never parsed (or parsed by an older areaplan).")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Parser processes (default: one per core).")
@click.pass_obj
@friendly_errors
def reparse(app: AppContext, pending: bool, workers: int | None) -> None:
    """Rebuild every derived row (submissions, attachments, images) from the raw messages.

    Run it after upgrading areaplan or changing the gazetteer or [senders] in the
    config. Idempotent: running it twice gives the same store.

    \b
    Example:
      areaplan --db var/areaplan.db reparse
      areaplan reparse --pending --workers 1
    """
    from areaplan.app.jobs import reparse_job
    from areaplan.store.queries import message_count

    db = app.db()
    with progress_bar(message_count(db), "parsing") as bar:
        summary = reparse_job(app.config, db, pending_only=pending, workers=workers, progress=bar.update)
    say(summary)


@click.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True)
@click.pass_obj
@friendly_errors
def search(app: AppContext, query: str, limit: int) -> None:
    """Full-text search over submission narratives and subjects (Thai words segmented).

    \b
    Example:
      areaplan search คนละครึ่ง
    """
    from areaplan.store.queries import search_submissions

    rows = search_submissions(app.db(), query, limit)
    if not rows:
        click.echo("no submission matches")
    for r in rows:
        click.echo(f"{thai_time(r['received_at'])[:10]}  {r['province'] or '?':<16} "
                   f"{r['district'] or '?':<16} {r['excerpt']}")


@click.group(invoke_without_command=True)
@click.option("--zone", type=click.IntRange(1, 18), default=None, help="Only this inspection zone's items.")
@click.option("--reason", "reason", default=None, help="Only items with this reason code (or code prefix: district).")
@click.option("--limit", default=50, show_default=True)
@click.pass_context
@friendly_errors
def review(ctx: click.Context, zone: int | None, reason: str | None, limit: int) -> None:
    """List what waits for a person, with the reasons; show one item; record a decision.

    \b
    Example:
      areaplan review
      areaplan review --zone 8 --reason district
      areaplan review show 30
      areaplan review decide 30 set district=ถลาง --by somchai --note "ดูจากแบบฟอร์ม"
    """
    if ctx.invoked_subcommand is not None:
        return
    from areaplan.store.decisions import queue

    app: AppContext = ctx.obj
    rows = queue(app.db(), zone=zone, reason=reason, limit=limit)
    if not rows:
        click.echo("nothing to review")
    for r in rows:
        where = f"  จังหวัด{r['province_name_th']}" if r["province_name_th"] else ""
        click.echo(f"#{r['key']}  {thai_time(r['received_at'])}{where}  {r['sender']}  {r['subject']}")
        for line in (r["reasons"] or "").splitlines():
            click.echo(f"    - {line}")
        if r["codes"]:
            click.echo(f"    codes: {r['codes']}")


COMMANDS = [reparse, search, review]
