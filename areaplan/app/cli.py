"""The ``areaplan`` command line: a thin layer that wires the stages; no logic of its own.

Commands live in small modules (``cli_ingest``, ``cli_parse``, ``cli_digest``) that
import their stage lazily, so ``areaplan poll`` from cron starts quickly.
"""

from __future__ import annotations

import sys

import click

from areaplan.app.context import AppContext
from areaplan.app.logs import configure_logging


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--config",
    "config_path",
    envvar="AREAPLAN_CONFIG",
    type=click.Path(dir_okay=False),
    help="TOML config file (see config.example.toml). Default: none, the embedded defaults. Env: AREAPLAN_CONFIG.",
)
@click.option(
    "--db",
    "db_path",
    envvar="AREAPLAN_DB",
    type=click.Path(dir_okay=False),
    help="SQLite database; wins over [store].db. Env: AREAPLAN_DB. Default: var/areaplan.db.",
)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True,
              help="Silent on success (for cron): no summary on stdout, only errors on stderr.")
@click.version_option(package_name="areaplan")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, db_path: str | None, verbose: int, quiet: bool) -> None:
    """areaplan: the DOPA planning inbox (dopa.areaplan) as a queryable SQLite record
    and a daily per-zone digest of role-model and best-practice submissions.

    \b
    Quick start (no config, bundled sample mailbox, digests written to files):
      areaplan demo

    \b
    Production (cron or the daemon):
      areaplan --config /etc/areaplan/config.toml poll
      areaplan --config /etc/areaplan/config.toml digest
      areaplan --config /etc/areaplan/config.toml run
    """
    configure_logging(verbose, quiet)
    ctx.obj = AppContext(config_path=config_path, db_override=db_path, quiet=quiet, verbose=verbose)


def _register() -> None:
    from areaplan.app import (
        cli_demo,
        cli_digest,
        cli_ingest,
        cli_parse,
        cli_province_mail,
        cli_review,
        cli_selection,
        cli_serve,
    )

    for module in (cli_demo, cli_ingest, cli_parse, cli_review, cli_digest, cli_serve, cli_selection,
                   cli_province_mail):
        for command in module.COMMANDS:
            main.add_command(command)


_register()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())  # noqa
