"""``areaplan review show N`` and ``areaplan review decide N ...``: people close the loop."""

from __future__ import annotations

import click

from areaplan.app.cli_common import friendly_errors
from areaplan.app.cli_parse import review, thai_time
from areaplan.app.context import AppContext

# what the CLI accepts -> store.decisions action
ACTION_WORDS = {"confirm": "confirm", "set": "set", "not-submission": "not_submission",
                "same-as": "same_as", "dismiss": "dismiss"}


@review.command("show")
@click.argument("key")
@click.pass_obj
@friendly_errors
def show(app: AppContext, key: str) -> None:
    """What was read for submission KEY, where it was read, and why it needs a person.

    \b
    Example:
      areaplan review show 30
    """
    from areaplan.store import decisions

    db = app.db()
    found = decisions.item(db, key)
    if found is None:
        raise click.ClickException(f"no submission or message {key}; see `areaplan review`")
    sub = found["submission"]
    if sub is not None:
        machine = sub["machine_values"]
        click.echo(f"#{key}  {sub['subject'] or ''}")
        click.echo(f"  from {sub['sender']}  received {thai_time(sub['received_at'])}")
        for f, col in decisions.FIELDS.items():
            now, was = sub[col], machine.get(f)
            tail = f"   (read: {was})" if str(now) != str(was) else ""
            click.echo(f"  {decisions.FIELD_LABELS_TH[f]:<14} {f:<12} {now if now is not None else '-'}{tail}")
        click.echo(f"  needs review: {'yes' if sub['needs_review'] else 'no'}"
                   + ("   EXCLUDED (not a submission)" if sub["excluded"] else ""))
        for p in decisions.provenance(db, key):
            where = p["filename"] or p["source"] or ""
            page = f" p.{p['page']}" if p["page"] else ""
            click.echo(f"  read {p['field']:<12} from {where}{page} ({p['method'] or '-'})")
    else:
        click.echo(f"#{key}  message without a submission")
    for r in decisions.item_reasons(db, found["message"], key):
        click.echo(f"  [{r['severity']}] {r['code']}: {r['text_th']}")
    for d in decisions.history(db, key):
        what = f"{d.field}={d.value}" if d.action == "set" else (d.field or d.value or "")
        click.echo(f"  decision #{d.id} {thai_time(d.decided_at)} {d.decided_by}: {d.action} {what}"
                   + (f"  ({d.note})" if d.note else ""))
    for e in decisions.effects(db, key):
        if e["status"] == "second_look":
            click.echo(f"  SECOND LOOK: decision #{e['decision']} was based on another reading"
                       f" (now {e['machine_value']})")


@review.command("decide")
@click.argument("key")
@click.argument("action", type=click.Choice(sorted(ACTION_WORDS)))
@click.argument("args", nargs=-1)
@click.option("--by", "by", required=True, help="Who decides (a name staff recognise).")
@click.option("--note", default=None, help="Why (kept with the decision).")
@click.pass_obj
@friendly_errors
def decide(app: AppContext, key: str, action: str, args: tuple[str, ...], by: str, note: str | None) -> None:
    """Record a decision on submission KEY; it is applied at once and kept across reparses.

    \b
    ACTION is one of
      confirm                    as read
      set FIELD=VALUE            province, district, campaign, period, reporter, image_count
      not-submission             not a report at all
      same-as N                  a duplicate or a correction of submission N
      dismiss CODE               a reason, by its code (see `areaplan review show`)

    \b
    Example:
      areaplan review decide 30 set district=ถลาง --by somchai --note "แบบฟอร์มหน้า 1"
      areaplan review decide 30 dismiss district.not_in_province --by somchai
    """
    from areaplan.store.decisions import decide as store_decide

    field = value = None
    act = ACTION_WORDS[action]
    if act == "set":
        if len(args) != 1 or "=" not in args[0]:
            raise click.UsageError("set needs FIELD=VALUE, e.g. set district=ถลาง")
        field, value = (p.strip() for p in args[0].split("=", 1))
    elif act == "same_as":
        if len(args) != 1:
            raise click.UsageError("same-as needs the other submission's number")
        value = args[0]
    elif act == "dismiss":
        if len(args) != 1:
            raise click.UsageError("dismiss needs a reason code, e.g. dismiss district.not_in_province")
        field = args[0]
    elif args:
        raise click.UsageError(f"{action} takes no further arguments")
    d = store_decide(app.db(), key, act, by=by, field=field, value=value, note=note)
    click.echo(f"decision #{d.id} on #{key}: {d.action} {d.field or ''}{'=' + d.value if d.value else ''}"
               f" by {d.decided_by}")


COMMANDS: list[click.Command] = []  # the subcommands hang on `review` (cli_parse)
