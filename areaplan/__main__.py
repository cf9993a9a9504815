"""``python -m areaplan`` is the ``areaplan`` command."""

from areaplan.cli import main

main()
