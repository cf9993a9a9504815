"""Shared pytest fixtures for the areaplan test suite.

Keep this file small: put helper code in modules next to it (e.g.
``tests/imap_server.py``) and only the fixture wiring here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# Make helper modules in tests/ importable as top-level modules
# (``from imap_server import ...``) whatever pytest's import mode is.
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Import areaplan as it is installed, never the checkout's top-level folders by accident:
# ``python -m pytest`` puts the repository root on sys.path, where ``import digest`` would
# work although an installed areaplan has no such name. The same for every child process.
_ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _ROOT]
os.environ["PYTHONSAFEPATH"] = "1"
for _name in ("digest", "ingest", "parsers", "store", "samples"):
    if _name in sys.modules:  # pragma: no cover - imported before this file ran
        raise RuntimeError(f"top-level module {_name!r} was imported; import areaplan.{_name}")

from imap_server import DovecotServer, ImapAccount, dovecot_or_skip  # noqa: E402

# --------------------------------------------------------------------------
# Real IMAP server (Dovecot) -- see tests/imap_server.py for the API.
# --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def dovecot_server() -> DovecotServer:
    """One throwaway Dovecot per test session (per xdist worker), on 127.0.0.1.

    Skipped when Dovecot is not installed ("apt-get install dovecot-imapd"),
    unless AREAPLAN_REQUIRE_DOVECOT=1 (CI), which turns that into a failure.
    Tests that share it must not assume other users' mailboxes: use
    ``imap_account`` for a private user.
    """
    dovecot_or_skip()
    with DovecotServer() as server:
        yield server


@pytest.fixture
def imap_account(dovecot_server: DovecotServer, request: pytest.FixtureRequest) -> ImapAccount:
    """A brand-new user (unique name, random password, empty INBOX) on the shared server."""
    dovecot_server.start()  # no-op if running; recovers if an earlier test stopped it
    return dovecot_server.new_account(request.node.name)


@pytest.fixture
def private_dovecot() -> DovecotServer:
    """A Dovecot of this test's own, for tests that stop or restart the server."""
    dovecot_or_skip()
    with DovecotServer() as server:
        yield server
