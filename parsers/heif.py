"""HEIC/HEIF and AVIF pictures (iPhone photos): pillow-heif registered with Pillow, once."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

_STATE: list[bool] = []  # [registered?] once tried


def ensure_heif_opener() -> bool:
    """Register pillow-heif with Pillow once per process; False if it is not installed."""
    if not _STATE:
        _STATE.append(_register())
    return _STATE[0]


def _register() -> bool:
    try:
        import pillow_heif  # type: ignore[import-not-found]
    except ImportError:
        return False
    try:
        pillow_heif.register_heif_opener()
    except Exception:  # noqa: BLE001 - a broken plugin must not break reading
        log.warning("pillow-heif is installed but could not be registered", exc_info=True)
        return False
    return True
