"""``areaplan serve``: the web desk (Datasette with areaplan's plugin) on 127.0.0.1."""

from __future__ import annotations

import secrets

import click

from areaplan.app.cli_common import friendly_errors
from areaplan.app.context import AppContext


@click.command()
@click.option("--host", default=None, help="Address to listen on. Default: [desk].host or 127.0.0.1.")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Default: [desk].port or 8001.")
@click.option("--demo", is_flag=True,
              help="Demo logins (demo-staff, demo-analyst, demo-zone6) with a password generated and printed once.")
@click.option("--hash-password", "hash_only", is_flag=True,
              help="Read a password from the terminal, print its hash for the secret file, and exit.")
@click.pass_obj
@friendly_errors
def serve(app: AppContext, host: str | None, port: int | None, demo: bool, hash_only: bool) -> None:
    """Serve the web desk: zone board, submissions beside their attachments, the review queue
    with decision forms, and Datasette over the store for analysts. Login required.

    Users are in the secret file ([desk.users.NAME] password_hash, role, zone); see README.

    \b
    Example:
      areaplan demo && areaplan serve --demo
      areaplan --config /etc/areaplan/config.toml serve --port 8001
      areaplan serve --hash-password
    """
    from areaplan.app.web.auth import hash_password

    if hash_only:
        click.echo(hash_password(click.prompt("password", hide_input=True, confirmation_prompt=True)))
        return
    from areaplan.app.web.auth import User, load_users
    from areaplan.app.web.serve import build_datasette
    from areaplan.app.web.serve import serve as run

    section = app.config.section("desk") or {}
    host = host or section.get("host") or "127.0.0.1"
    port = port or int(section.get("port") or 8001)
    if not app.config.db.exists():
        raise click.ClickException(f"no database at {app.config.db}; run `areaplan demo` or `areaplan poll` first")
    app.db()  # migrate and load the gazetteer
    if demo:
        password = secrets.token_urlsafe(9)
        h = hash_password(password)
        users = {"demo-staff": User("demo-staff", "staff", None, h),
                 "demo-analyst": User("demo-analyst", "analyst", None, h),
                 "demo-zone6": User("demo-zone6", "inspector", 6, h)}
        click.echo(f"demo logins (this run only): demo-staff, demo-analyst, demo-zone6; password: {password}")
    else:
        users = load_users(app.config)
        if not users:
            raise click.ClickException("no desk users: add [desk.users.NAME] to the secret file "
                                       "(areaplan serve --hash-password), or try --demo")
    ds = build_datasette(app.config, users)
    click.echo(f"desk: http://{host}:{port}/-/desk   (Ctrl-C stops)")
    run(ds, host, port)


COMMANDS = [serve]
