"""A rendered digest as an RFC 5322 message: multipart/alternative, plain text and HTML.

Header folding: Python 3.11's ``email.policy.default`` folds a long non-ASCII
header into encoded words *and loses whitespace* between them (a Thai subject
"... ขาด 2 จังหวัด" comes back as "... ขาด 2จังหวัด"), and it splits Thai display
names in address headers wrongly too. ``THAI_SAFE`` is the SMTP policy with
those headers folded by ``email.header.Header`` instead, which keeps every
space inside an encoded word and splits only between whole characters; the
round trip is checked by tests/test_digest_send.py.
"""

from __future__ import annotations

from datetime import datetime
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, formataddr, getaddresses, make_msgid

from areaplan.core.clock import BANGKOK
from areaplan.digest.render import Rendered

_UNSTRUCTURED = {"subject", "comments", "x-areaplan-digest"}
_ADDRESSES = {"from", "to", "cc", "bcc", "reply-to", "sender"}


class ThaiSafePolicy(EmailPolicy):
    """``email.policy.SMTP`` that folds non-ASCII headers the way ``email.header`` does."""

    def fold(self, name: str, value: str) -> str:  # type: ignore[override]
        legacy = self._legacy_fold(name, value)
        return legacy if legacy is not None else super().fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:  # type: ignore[override]
        legacy = self._legacy_fold(name, value)
        return legacy.encode("ascii") if legacy is not None else super().fold_binary(name, value)

    def _legacy_fold(self, name: str, value: str) -> str | None:
        text = str(value)
        if self.utf8 or text.isascii():
            return None
        lower = name.lower()
        maxlen = self.max_line_length or 78
        if lower in _UNSTRUCTURED:
            encoded = Header(text, "utf-8", maxlinelen=maxlen, header_name=name).encode(linesep=self.linesep)
        elif lower in _ADDRESSES:
            # One address per line; a display name is one encoded word (never split inside).
            encoded = ("," + self.linesep + " ").join(
                self._address(name, display, addr, maxlen) for display, addr in getaddresses([text])
            )
        else:
            return None
        return f"{name}: {encoded}{self.linesep}"

    def _address(self, name: str, display: str, addr: str, maxlen: int) -> str:
        if display.isascii():
            return formataddr((display, addr))
        words = Header(display, "utf-8", maxlinelen=maxlen, header_name=name).encode(linesep=self.linesep)
        return f"{words}{self.linesep} <{addr}>"


THAI_SAFE = ThaiSafePolicy(linesep="\r\n")


def build_message(
    rendered: Rendered,
    *,
    sender: str,
    sender_name: str,
    to: tuple[str, ...] | list[str] = (),
    reply_to: str | None = None,
    digest_date: str,
    when: datetime | None = None,
) -> EmailMessage:
    """The digest as a message to ``to`` (empty for a file in the outbox)."""
    msg = EmailMessage(policy=THAI_SAFE)
    msg["Subject"] = rendered.subject
    msg["From"] = Address(display_name=sender_name, addr_spec=sender)
    if to:
        msg["To"] = [Address(addr_spec=a) for a in to]
    if reply_to:
        msg["Reply-To"] = Address(addr_spec=reply_to)
    msg["Date"] = format_datetime((when or datetime.now(BANGKOK)).astimezone(BANGKOK))
    msg["Message-ID"] = make_msgid(idstring=f"{digest_date}.{rendered.audience}",
                                   domain=sender.rpartition("@")[2] or "localhost")
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    msg["X-Areaplan-Digest"] = f"{digest_date} {rendered.audience}"
    msg.set_content(rendered.text, subtype="plain", charset="utf-8", cte="base64")
    msg.add_alternative(rendered.html, subtype="html", charset="utf-8", cte="base64")
    return msg

