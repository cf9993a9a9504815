"""Links to files shared elsewhere: Google Drive, OneDrive, Dropbox, LINE and the like.

Provinces short of attachment space send a link instead of the form and photos. The link is
kept (``ParsedMessage.links``); what it points to cannot be read here.
"""

from __future__ import annotations

import re

from areaplan.core.records import SharedLink

# host pattern -> service name
_SERVICES = (
    (r"(?:drive|docs)\.google\.com|goo\.gl/drive|photos\.app\.goo\.gl|photos\.google\.com", "google_drive"),
    (r"1drv\.ms|onedrive\.live\.com|[a-z0-9-]+\.sharepoint\.com|[a-z0-9-]+-my\.sharepoint\.com", "onedrive"),
    (r"(?:www\.)?dropbox\.com|db\.tt", "dropbox"),
    (r"line\.me|lin\.ee|(?:[a-z0-9-]+\.)?line-apps\.com|keep\.line\.me", "line"),
    (r"(?:www\.)?wetransfer\.com|we\.tl", "wetransfer"),
    (r"(?:www\.)?box\.com|app\.box\.com", "box"),
    (r"(?:www\.)?icloud\.com", "icloud"),
    (r"(?:www\.)?mega\.nz", "mega"),
)
_URL = re.compile(r"https?://[^\s<>\"'()\[\]{}]+", re.IGNORECASE)
_HOST = [(re.compile(r"^https?://(?:[^/@\s]+@)?(?:" + p + r")(?:[:/?#]|$)", re.IGNORECASE), s) for p, s in _SERVICES]
MAX_LINKS = 50


def shared_links(*texts: str) -> list[SharedLink]:
    """Every file-sharing link in ``texts``, once each, in order (at most ``MAX_LINKS``)."""
    out: list[SharedLink] = []
    seen: set[str] = set()
    for text in texts:
        for m in _URL.finditer(text or ""):
            url = m.group(0).rstrip(".,;:!?")
            if url in seen:
                continue
            for pattern, service in _HOST:
                if pattern.match(url):
                    seen.add(url)
                    out.append(SharedLink(url, service))
                    break
            if len(out) >= MAX_LINKS:
                return out
    return out
