"""``areaplan selection``: the zone stage from a terminal (the desk is the usual place).

Subcommands: ``show`` (a zone's nominees, scores and choice, or the 18 choices),
``score``, ``choose``, ``reopen`` (planning staff, after the deadline) and ``report``
(the letter's form per zone, DOCX and PDF).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from areaplan.app.cli_common import EXIT_CONFIG, ExitError, friendly_errors
from areaplan.app.context import AppContext

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _stage(app: AppContext, campaign_id: str | None, on: date | None = None):  # noqa: ANN202
    from areaplan.app.digest_job import prepare_store

    campaigns = prepare_store(app.db(), app.config, through=on)
    stages = [c for c in campaigns if c.kind == "zone_selection" and (campaign_id in (None, c.id))]
    if not stages:
        raise ExitError(
            f"no zone_selection campaign{f' {campaign_id!r}' if campaign_id else ''} in the config: add a "
            '[[campaigns]] entry with kind = "zone_selection" (see config.example.toml)', EXIT_CONFIG)
    if len(stages) > 1:
        raise ExitError(f"several zone_selection campaigns ({', '.join(c.id for c in stages)}): pass --campaign",
                        EXIT_CONFIG)
    return stages[0]


def _today(on: datetime | None) -> date:
    from areaplan.core.clock import today_bangkok

    return on.date() if on else today_bangkok()


CAMPAIGN = click.option("--campaign", "campaign_id", help="The zone_selection campaign id (when there are several).")
ON = click.option("--date", "on", type=DATE, help="Act as of this Thai day (YYYY-MM-DD), for the lock. Default: today.")


@click.group()
def selection() -> None:
    """The zone selection stage: each inspection zone picks ONE role-model district.

    \b
    Example:
      areaplan --config config.toml selection show --zone 1
      areaplan --config config.toml selection score --zone 1 --province 16 --by insp1@example.org 5 4 5 4
      areaplan --config config.toml selection choose --zone 1 --province 16 --by insp1@example.org
      areaplan --config config.toml selection report --out reports/
    """


@selection.command()
@click.option("--zone", type=click.IntRange(1, 18), help="One zone's sheet; default: the 18 choices.")
@CAMPAIGN
@ON
@click.pass_obj
@friendly_errors
def show(app: AppContext, zone: int | None, campaign_id: str | None, on: datetime | None) -> None:
    """A zone's nominees with every scorer's totals and the choice, or the national list.

    \b
    Example:
      areaplan --config config.toml selection show
      areaplan --config config.toml selection show --zone 3
    """
    from areaplan.store import selection as sel

    day = _today(on)
    campaign = _stage(app, campaign_id, day)
    db = app.db()
    if zone is None:
        for c in sel.national_choices(db, campaign):
            chosen = f"{c.province_th} / อำเภอ{c.district_th} ({c.chosen_by})" if c.province_code else "ยังไม่ได้เลือก"
            click.echo(f"{c.zone:>2}  {c.zone_th}: {chosen}")
        return
    sheet = sel.zone_sheet(db, campaign, zone, day)
    click.echo(f"{sheet.zone_th}{' (ปิดการแก้ไขแล้ว)' if sheet.locked else ''}")
    for n in sheet.nominees:
        mark = "*" if sheet.choice.province_code == n.province_code else " "
        click.echo(f"{mark} {n.province_code} {n.province_th} / อำเภอ{n.district_th or '-'}: "
                   f"รวม {sheet.total(n.province_code)} ({len(sheet.scores)} ผู้ให้คะแนน)")


@selection.command()
@click.option("--zone", type=click.IntRange(1, 18), required=True)
@click.option("--province", required=True, help="The nominating province's code (e.g. 16).")
@click.option("--by", "scorer", required=True, help="Who scores (the inspector's address).")
@click.option("--note", help="A note on this nominee.")
@click.argument("scores", nargs=4, type=int)
@CAMPAIGN
@ON
@click.pass_obj
@friendly_errors
def score(app: AppContext, zone: int, province: str, scorer: str, note: str | None, scores: tuple[int, ...],
          campaign_id: str | None, on: datetime | None) -> None:
    """Record one inspector's scores for one nominee: four numbers, criteria 1-4.

    \b
    Example:
      areaplan --config config.toml selection score --zone 1 --province 16 --by insp1@example.org 5 4 5 4
    """
    from areaplan.store import selection as sel

    day = _today(on)
    campaign = _stage(app, campaign_id, day)
    sel.record_scores(app.db(), campaign, zone, province, scorer, dict(enumerate(scores, start=1)), day, note)
    click.echo(f"zone {zone} province {province}: {sum(scores)} / {campaign.scale * 4} by {scorer}")


@selection.command()
@click.option("--zone", type=click.IntRange(1, 18), required=True)
@click.option("--province", required=True, help="The province whose nominated district the zone chooses.")
@click.option("--by", "actor", required=True, help="Who decides (the inspector's address).")
@CAMPAIGN
@ON
@click.pass_obj
@friendly_errors
def choose(app: AppContext, zone: int, province: str, actor: str, campaign_id: str | None,
           on: datetime | None) -> None:
    """Record the zone's choice (replaces an earlier one until the deadline).

    \b
    Example:
      areaplan --config config.toml selection choose --zone 1 --province 16 --by insp1@example.org
    """
    from areaplan.store import selection as sel

    day = _today(on)
    c = sel.choose(app.db(), _stage(app, campaign_id, day), zone, province, actor, day)
    click.echo(f"zone {zone}: {c.province_th} / อำเภอ{c.district_th} chosen by {c.chosen_by}")


@selection.command()
@click.option("--zone", type=click.IntRange(1, 18), required=True)
@click.option("--until", type=DATE, required=True, help="The last Thai day changes are allowed (YYYY-MM-DD).")
@click.option("--by", "actor", required=True, help="The planning staff member reopening it.")
@CAMPAIGN
@click.pass_obj
@friendly_errors
def reopen(app: AppContext, zone: int, until: datetime, actor: str, campaign_id: str | None) -> None:
    """Planning staff: reopen a zone locked by the deadline, through a given day.

    \b
    Example:
      areaplan --config config.toml selection reopen --zone 1 --until 2021-05-07 --by planning@example.org
    """
    from areaplan.store import selection as sel

    sel.reopen(app.db(), _stage(app, campaign_id), zone, actor, until.date())
    click.echo(f"zone {zone} reopened through {until.date().isoformat()} by {actor}")


@selection.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("reports"),
              show_default=True)
@click.option("--zone", type=click.IntRange(1, 18), multiple=True, help="Only these zones (repeatable).")
@click.option("--no-pdf", is_flag=True, help="DOCX only (no LibreOffice).")
@CAMPAIGN
@ON
@click.pass_obj
@friendly_errors
def report(app: AppContext, out_dir: Path, zone: tuple[int, ...], no_pdf: bool, campaign_id: str | None,
           on: datetime | None) -> None:
    """The letter's "แบบฟอร์มการคัดเลือก" filled for each zone, with its scoring: DOCX and PDF.

    \b
    Example:
      areaplan --config config.toml selection report --out reports/
      areaplan --config config.toml selection report --zone 1 --no-pdf
    """
    from areaplan.digest.selection_report import write_reports

    day = _today(on)
    for path in write_reports(app.db(), _stage(app, campaign_id, day), out_dir, day, list(zone) or None,
                              pdf=not no_pdf):
        click.echo(str(path))


COMMANDS = [selection]
