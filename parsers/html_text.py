"""Plain text of HTML bodies and attachments, and the charset an HTML file declares.

:func:`html_to_text` uses the stdlib ``html.parser`` and never raises: scripts, styles and
the head are dropped, blocks go on their own lines and table cells are joined with
``" | "``. :func:`html_meta_charset` finds the ``<meta charset>`` of undeclared HTML.
"""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser

log = logging.getLogger(__name__)

__all__ = ["html_meta_charset", "html_to_text"]

_MAX_HTML_CHARS = 5_000_000  # HTML larger than this is cut before conversion to text


class _HTMLText(HTMLParser):
    """Text of an HTML document: no scripts/styles, blocks on their own lines, cells ' | '."""

    _SKIP = {"script", "style", "title", "template", "noscript", "xml", "svg", "head"}
    _BLOCK = {
        "p",
        "div",
        "tr",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "blockquote",
        "pre",
        "hr",
        "section",
        "article",
        "header",
        "footer",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "address",
        "center",
        "form",
        "fieldset",
        "caption",
        "tbody",
        "thead",
        "tfoot",
    }

    _HEAD_TAGS = {"title", "meta", "link", "style", "script", "base", "noscript", "template", "xml"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip: list[str] = []
        self.pre = 0
        self.cells = 0
        self.body_seen = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body" or (tag not in self._HEAD_TAGS and "head" in self.skip):
            self.body_seen = True
            # An unclosed <head> must not hide the body.
            self.skip = [t for t in self.skip if t != "head"]
        if tag in self._SKIP:
            if tag != "head" or not self.body_seen:
                self.skip.append(tag)
            return
        if tag == "br":
            self.out.append("\n")
        elif tag in {"td", "th"}:
            self.out.append(" | " if self.cells else "\n")
            self.cells += 1
        elif tag in self._BLOCK:
            self.out.append("\n")
            if tag == "tr":
                self.cells = 0
            if tag == "li":
                self.out.append("- ")
            if tag == "pre":
                self.pre += 1
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.out.append(f"[{alt}]")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self._SKIP:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            if tag in self.skip:
                while self.skip and self.skip.pop() != tag:
                    pass
            return
        if tag in self._BLOCK:
            self.out.append("\n")
            if tag == "pre" and self.pre:
                self.pre -= 1

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if not self.pre:
            data = re.sub(r"[ \t\r\n\f]+", " ", data)
        self.out.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML body or attachment (stdlib html.parser; never raises)."""
    parser = _HTMLText()
    try:
        parser.feed(html[:_MAX_HTML_CHARS])
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; keep whatever was read
        log.debug("html.parser stopped early", exc_info=True)
    text = "".join(parser.out).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", ln).strip() for ln in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)


def html_meta_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:8192])
    return m.group(1).decode("ascii") if m else None
