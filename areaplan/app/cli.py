"""The ``areaplan`` command line: a thin layer that wires the stages; no logic of its own.

Commands live in small modules (``cli_ingest``, ``cli_parse``, ``cli_digest``) that
import their stage lazily, so ``areaplan poll`` from cron starts quickly.
"""

from __future__ import annotations

import logging
import sys

import click

from areaplan.app.context import AppContext

EXIT_OK = 0
EXIT_FAILURE = 1  # the run failed (server down, wrong password, ...); state is as before
EXIT_CONFIG = 2  # bad config or usage: fix it, then run again


class SecretRedactingFilter(logging.Filter):
    """Drops any known secret from log records, whatever logged it."""

    secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            msg = record.getMessage()
            for s in self.secrets:
                if s and s in msg:
                    msg = msg.replace(s, "***")
            record.msg, record.args = msg, None
        return True


def configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretRedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # imaplib's protocol log would print every literal (and AUTHENTICATE data).
    logging.getLogger("imapclient").setLevel(logging.WARNING if verbose < 3 else logging.DEBUG)
    for noisy in ("pdfminer", "pythainlp", "apscheduler.executors", "PIL"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # mail-parser warns about every part type it does not decode; areaplan records defects itself.
    logging.getLogger("mailparser").setLevel(logging.ERROR)


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
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors.")
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
    ctx.obj = AppContext(config_path=config_path, db_override=db_path)


def _register() -> None:
    from areaplan.app import cli_demo, cli_digest, cli_ingest, cli_parse

    for module in (cli_demo, cli_ingest, cli_parse, cli_digest):
        for command in module.COMMANDS:
            main.add_command(command)


_register()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())  # noqa
