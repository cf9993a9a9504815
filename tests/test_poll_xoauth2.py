"""`areaplan poll` with ``auth = "xoauth2"`` (Gmail) against a real Dovecot checking real bearer tokens.

The server is a private Dovecot with its oauth2 passdb asking a stand-in authorization
server (tests/imap_server.py ``OAuth2Issuer``, RFC 7662 introspection on 127.0.0.1)
about every token: only tokens issued to the user and not revoked log in, and a
password never passes for a token.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from imap_server import (
    DovecotOAuth2Unsupported,
    DovecotServer,
    dovecot_or_skip,
    skip_unless_required,
)
from ingest_helpers import (
    cli_env,
    mailbox_hashes,
    make_message,
    run_cli,
    stored_hashes,
    write_config,
)

TOKEN_ENV = "AREAPLAN_IMAP_TEST_OAUTH2_TOKEN"  # [[imap]] name = "test" (write_config)
XOAUTH2 = 'auth = "xoauth2"'


@pytest.fixture(scope="module")
def oauth2_server():
    """One Dovecot offering XOAUTH2 for this module; each test has its own user and tokens."""
    dovecot_or_skip()
    server = DovecotServer(oauth2=True)
    try:
        server.start()
    except DovecotOAuth2Unsupported as err:
        server.close()
        skip_unless_required(f"XOAUTH2 tests need Dovecot's oauth2 passdb: {err}")
    with server:
        yield server


@pytest.fixture
def account(oauth2_server: DovecotServer, request: pytest.FixtureRequest):
    oauth2_server.start()  # no-op if running
    return oauth2_server.new_account(request.node.name)


def poll(cfg: Path, *args: str, token: str | None, password: str | None = None):
    """`areaplan poll` with only the given secrets in its environment."""
    env = cli_env(password)
    if token is not None:
        env[TOKEN_ENV] = token
    return run_cli("--config", str(cfg), *args, "poll", "--no-parse", env=env)


def logins(server: DovecotServer, user: str, method: str) -> int:
    return len(re.findall(rf"Login: user=<{re.escape(user)}>, method={method},", server.log_text()))


def sasl_forms(user: str, token: str) -> list[str]:
    """The token as-is and as it travels in AUTHENTICATE XOAUTH2 (base64 of the SASL string)."""
    sasl = f"user={user}\1auth=Bearer {token}\1\1".encode()
    return [token, base64.b64encode(sasl).decode()]


def leftovers(tmp_path: Path) -> dict[Path, bytes]:
    """Every file the run left in its directory: the database and any -wal/-shm/-journal."""
    return {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}


def test_poll_logs_in_with_xoauth2_and_the_token_from_the_environment(tmp_path, oauth2_server, account):
    token = account.issue_oauth2_token()
    cfg = write_config(tmp_path, account, extra=XOAUTH2)
    plain_before = logins(oauth2_server, account.user, "PLAIN")

    result = poll(cfg, token=token)

    assert result.returncode == 0, result.stderr
    assert logins(oauth2_server, account.user, "XOAUTH2") == 1
    assert logins(oauth2_server, account.user, "PLAIN") == plain_before
    assert oauth2_server.oauth2_introspected[-1] == token  # Dovecot checked it with the issuer


def test_xoauth2_poll_stores_every_message_byte_for_byte(tmp_path, account):
    account.append_many([make_message(i) for i in range(5)])
    cfg = write_config(tmp_path, account, extra=XOAUTH2)

    result = poll(cfg, token=account.issue_oauth2_token())

    assert result.returncode == 0, result.stderr
    assert "5 new" in result.stdout
    assert stored_hashes(tmp_path / "areaplan.db") == mailbox_hashes(account)


def test_xoauth2_works_over_starttls_too(tmp_path, account):
    account.append(make_message(1))
    cfg = write_config(tmp_path, account, security="starttls", extra=XOAUTH2)

    result = poll(cfg, token=account.issue_oauth2_token())

    assert result.returncode == 0, result.stderr
    assert stored_hashes(tmp_path / "areaplan.db") == mailbox_hashes(account)


def test_the_token_variable_is_named_after_the_account(tmp_path, account):
    cfg = write_config(tmp_path, account, extra=XOAUTH2)
    cfg.write_text(cfg.read_text().replace('name = "test"', 'name = "gmail-main"'))
    env = cli_env(None)
    env["AREAPLAN_IMAP_GMAIL_MAIN_OAUTH2_TOKEN"] = account.issue_oauth2_token()

    result = run_cli("--config", str(cfg), "poll", "--no-parse", env=env)

    assert result.returncode == 0, result.stderr


def test_missing_token_names_the_environment_variable_even_if_a_password_is_set(tmp_path, account):
    cfg = write_config(tmp_path, account, extra=XOAUTH2)

    result = poll(cfg, token=None, password=account.password)

    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert TOKEN_ENV in result.stderr
    assert account.password not in result.stderr


@pytest.mark.parametrize("kind", ["unknown", "expired"])
def test_refused_token_is_one_clear_line_and_exit_2_without_the_token(tmp_path, account, kind):
    if kind == "unknown":
        token = "ya29.never-issued-token-0123456789"
    else:
        token = account.issue_oauth2_token()
        account.server.revoke_oauth2_token(token)
    cfg = write_config(tmp_path, account, extra=XOAUTH2)

    result = poll(cfg, token=token)

    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("areaplan: error: login as")
    assert "refused" in result.stderr and "AUTHENTICATIONFAILED" in result.stderr
    for secret in sasl_forms(account.user, token):
        assert secret not in result.stdout + result.stderr


def test_the_password_does_not_stand_in_for_the_token(tmp_path, account):
    cfg = write_config(tmp_path, account, extra=XOAUTH2)

    result = poll(cfg, token=account.password)

    assert result.returncode == 2
    assert "refused" in result.stderr


@pytest.mark.parametrize("outcome", ["accepted", "refused"])
def test_the_token_never_lands_in_the_database_or_the_debug_log(tmp_path, account, outcome):
    account.append(make_message(1))
    token = account.issue_oauth2_token()
    if outcome == "refused":
        account.server.revoke_oauth2_token(token)
    cfg = write_config(tmp_path, account, extra=XOAUTH2)

    result = poll(cfg, "-vv", token=token)

    assert result.returncode == (0 if outcome == "accepted" else 2), result.stderr
    files = leftovers(tmp_path)
    assert tmp_path / "areaplan.db" in files  # the run was recorded, so there is something to search
    for secret in sasl_forms(account.user, token):
        assert secret not in result.stdout + result.stderr
        for path, data in files.items():
            assert secret.encode() not in data, path
