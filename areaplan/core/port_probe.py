"""Telling a TLS port from a plain one in a second, so that a mismatched ``security`` and
``port`` is reported as a configuration problem instead of a minute-long timeout.

Used only after a connection went wrong (no greeting in time, or a TLS handshake that met
plain text): a well-configured poll or send never pays for a probe.
"""

from __future__ import annotations

import socket
import ssl

GREETING_SECONDS = 10.0  # a server that says nothing for this long after connecting is probed
PROBE_SECONDS = 5.0


def greeting_timeout(timeout: float) -> float:
    """How long to wait for the server's first line: the configured timeout, at most ``GREETING_SECONDS``."""
    return min(timeout, GREETING_SECONDS)


def speaks_tls_at_once(host: str, port: int, seconds: float = PROBE_SECONDS) -> bool:
    """True when ``host:port`` completes a TLS handshake straight after connecting (implicit TLS)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # only the protocol is probed; nothing is sent or trusted
    try:
        with socket.create_connection((host, port), timeout=seconds) as raw, \
                context.wrap_socket(raw, server_hostname=host):
            return True
    except (OSError, ssl.SSLError):
        return False


def plain_greeting(host: str, port: int, seconds: float = PROBE_SECONDS) -> bytes:
    """The first bytes ``host:port`` sends unprompted over plain TCP (b"" if none in time)."""
    try:
        with socket.create_connection((host, port), timeout=seconds) as sock:
            return sock.recv(64)
    except OSError:
        return b""
