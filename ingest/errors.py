"""Errors of the ingest stage. ``transient`` says whether the next run may succeed as is."""


class IngestError(Exception):
    """Base class for ingest failures."""

    transient = False


class ImapConnectError(IngestError):
    """The server could not be reached or the connection dropped; retried, then the run fails."""

    transient = True


class ImapAuthError(IngestError):
    """The server refused the login: fix the username or the secret, then run again."""


class ImapTlsError(IngestError):
    """TLS failed (certificate not trusted or wrong host): fix ca_file / host, then run again."""


class ImapFolderError(IngestError):
    """A configured folder does not exist or cannot be opened."""


class LockBusy(IngestError):
    """Another run holds the lock; this one did nothing."""

    transient = True


class ImportSourceError(IngestError):
    """A path given to ``areaplan import`` cannot be read as .eml, mbox or maildir."""
