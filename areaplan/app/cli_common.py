"""Shared CLI plumbing: turning library errors into one clear line and an exit code."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

EXIT_FAILURE = 1  # the run failed (server down, disk full, ...); state is as before
EXIT_CONFIG = 2  # bad config or input: fix it, then run again
EXIT_PARTLY = 3  # import: some inputs refused, the others imported


class ExitError(click.ClickException):
    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.exit_code = code

    def show(self, file: Any = None) -> None:
        click.echo(f"areaplan: error: {self.format_message()}", err=True)


def say(text: str) -> None:
    """A run's summary on stdout, unless ``-q`` (cron mails whatever a job prints)."""
    if not _quiet():
        click.echo(text)


def _quiet() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and getattr(ctx.find_root().obj, "quiet", False))


def friendly_errors(fn: F) -> F:
    """Known failures become ``areaplan: error: <what and what to do>`` and their exit code.

    Every ``AreaplanError`` carries its own ``exit_code`` (2: fix the config or the input,
    1: operational); a run skipped because another holds the lock exits 0.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from areaplan.core.errors import AreaplanError
        from areaplan.ingest.errors import ImportIncomplete, LockBusy

        try:
            return fn(*args, **kwargs)
        except LockBusy as err:  # not a failure: silent under -q
            if not _quiet():
                click.echo(f"areaplan: skipped: {err}", err=True)
            sys.exit(0)
        except ImportIncomplete as err:  # the summary still goes to stdout; each refusal to stderr
            click.echo(err.summary)
            for reason in err.refused:
                click.echo(f"areaplan: refused: {reason}", err=True)
            sys.exit(EXIT_PARTLY if err.imported_any else EXIT_CONFIG)
        except AreaplanError as err:
            raise ExitError(str(err), err.exit_code) from None

    return wrapper  # type: ignore[return-value]


def progress_bar(length: int | None, label: str) -> Any:
    """A progress bar on stderr when it is a terminal; a no-op otherwise."""
    if not sys.stderr.isatty():
        return _NoBar()
    return click.progressbar(length=length, label=label, file=sys.stderr)


class _NoBar:
    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None
