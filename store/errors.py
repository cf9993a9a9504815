"""Errors of the store."""

from areaplan.core.errors import AreaplanError


class StoreError(AreaplanError):
    """The database cannot be opened, or is from a newer areaplan: fix the path or upgrade."""
