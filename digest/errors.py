"""Errors of the digest stage. Each message says what to do next."""

from areaplan.core.errors import AreaplanError


class DigestError(AreaplanError):
    """Base class: the digest could not be built or delivered."""


class SendFailed(DigestError):
    """Some digests were not delivered. They are recorded as failed and the next run retries them."""

    transient = True


class SmtpLoginFailed(DigestError):
    """The SMTP server refused the login: fix the username/password; retrying will not help."""

    transient = False
    exit_code = 2


class SmtpConfigError(DigestError):
    """The SMTP settings cannot work with this server (a port that speaks the other kind of TLS, or a
    username for a server that offers no login): fix [smtp]; retrying will not help."""

    transient = False
    exit_code = 2
