"""Errors of the ingest stage. ``transient`` says whether the next run may succeed as is."""

from areaplan.core.errors import AreaplanError


class IngestError(AreaplanError):
    """Base class for ingest failures."""

    transient = False


class ImapConnectError(IngestError):
    """The server could not be reached or the connection dropped; retried, then the run fails."""

    transient = True


class ImapAuthError(IngestError):
    """The server refused the login: fix the username or the secret, then run again."""

    exit_code = 2


class ImapTlsError(IngestError):
    """TLS failed (certificate not trusted or wrong host): fix ca_file / host, then run again."""

    exit_code = 2


class ImapPortMismatch(IngestError):
    """``security`` does not match what the port speaks (STARTTLS to an IMAPS port, or the reverse)."""

    exit_code = 2


class ImapFolderError(IngestError):
    """A configured folder does not exist or cannot be opened: a configuration mistake."""

    exit_code = 2


class LockBusy(IngestError):
    """Another run holds the lock; this one did nothing."""

    transient = True


class ImportSourceError(IngestError):
    """A path given to ``areaplan import`` cannot be read as .eml, mbox or maildir."""


class ImportIncomplete(IngestError):
    """Some files or messages given to ``areaplan import`` were refused; the rest were imported.

    Exit status 3 (partly imported), or 2 when nothing given was imported.

    ``refused`` lists each one with its reason; ``imported_any`` is False when every input
    was refused (bad input: exit 2) and True when others were imported (partly: exit 3).
    """

    exit_code = 3

    def __init__(self, summary: str, refused: list[str], imported_any: bool):
        super().__init__(f"{len(refused)} refused: " + "; ".join(refused))
        self.summary = summary
        self.refused = refused
        self.imported_any = imported_any
        if not imported_any:
            self.exit_code = 2
