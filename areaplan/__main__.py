"""``python -m areaplan`` is the ``areaplan`` command."""

from areaplan.app.cli import main

main()
