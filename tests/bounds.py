"""Time bounds for hostile-input tests.

These tests check that bad input costs *bounded* time (a zip bomb must not inflate for
minutes), not how fast the code is: speed is measured in bench/. The bounds are multiplied
by AREAPLAN_TIME_SLACK (default 3) so a loaded CI machine does not fail them.
"""

import os

SLACK = float(os.environ.get("AREAPLAN_TIME_SLACK", "3"))


def bound(seconds: float) -> float:
    return seconds * SLACK
