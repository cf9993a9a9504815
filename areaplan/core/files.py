"""File modes: what areaplan writes is readable as the umask allows, like any file the user makes.

``tempfile.mkstemp`` creates files mode 0600 (right for a temporary, wrong for an export an
analyst's account must read); files written atomically through a temporary are given
``0o666 & ~umask`` before they are renamed into place.
"""

from __future__ import annotations

import os
from pathlib import Path


def current_umask() -> int:
    """The process umask, read without changing it where /proc allows (else set and restored)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def umask_mode() -> int:
    """The mode a new regular file gets from ``open()``: 0o666 minus the umask."""
    return 0o666 & ~current_umask()
