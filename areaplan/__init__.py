"""areaplan: the DOPA planning inbox as a queryable record and a daily per-zone digest."""

__version__ = "0.1.0"
