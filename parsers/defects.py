"""Defects found while decoding mail: words for people, a reason code for the machine.

A ``Defect`` is the English sentence that was always recorded (it is a ``str``, so every
place that shows or stores defects keeps working) carrying the ``code`` of its reason:
``message.defect`` when content may be lost (a truncated part, undecodable bytes), which
sends the message to review; ``message.defect_minor`` for a repair that lost nothing.
The severity is decided where the defect is found, never from its wording.
"""

from __future__ import annotations

from areaplan.core.reasons import REASONS

LOSSY = "message.defect"
REPAIRED = "message.defect_minor"


class Defect(str):
    """A defect sentence with its reason code."""

    code: str

    def __new__(cls, text: str, code: str = REPAIRED) -> Defect:
        if code not in REASONS:
            raise ValueError(f"unknown reason code {code!r}")
        obj = super().__new__(cls, text)
        obj.code = code
        return obj

    def prefixed(self, prefix: str) -> Defect:
        """The same defect seen inside something else (``forwarded message: ...``)."""
        return Defect(prefix + self, self.code)


def lossy(text: str) -> Defect:
    """A defect after which content may be missing or wrong: a person should look."""
    return Defect(text, LOSSY)


def code_of(defect: str) -> str:
    """The reason code of a defect (plain strings are repairs that lost nothing)."""
    return getattr(defect, "code", REPAIRED)


def is_lossy(defect: str) -> bool:
    return code_of(defect) == LOSSY
