"""Errors raised by readers. Each one carries a reason a person can act on."""

from areaplan.core.errors import AreaplanError


class ParseError(AreaplanError):
    """Base class: something in a message could not be read."""


class UnreadableAttachment(ParseError):
    """The file is damaged, hostile or over a limit; the message goes to review with this reason."""


class MissingTool(ParseError):
    """A system tool that would read this file is not installed (e.g. catdoc, tesseract)."""

    def __init__(self, tool: str, package: str, what: str):
        self.tool, self.package, self.what = tool, package, what
        super().__init__(
            f"{what} needs {tool}, which is not installed (apt-get install {package}); "
            f"install it and run `areaplan reparse`"
        )
