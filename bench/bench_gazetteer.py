"""How long loading the bundled gazetteer takes in a process (the cached default instance is
built once per process; every parse worker pays this once).

    python bench/bench_gazetteer.py               # best and median of 20 fresh loads
    python bench/bench_gazetteer.py --repeat 100

Prints figures; asserts nothing (it used to be a test with a 50 ms bound that failed under load).
"""

from __future__ import annotations

import argparse
import statistics
import time

from areaplan.core import gazetteer as gz
from areaplan.core.gazetteer import Gazetteer


def fresh_load() -> float:
    gz._load_default.cache_clear()
    start = time.perf_counter()
    Gazetteer.load()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    times = [fresh_load() for _ in range(args.repeat)]
    g = Gazetteer.load()
    print(f"gazetteer load ({len(g.provinces)} provinces, {len(g.districts)} districts), {args.repeat} fresh loads: "
          f"best {min(times) * 1000:.1f} ms, median {statistics.median(times) * 1000:.1f} ms, "
          f"worst {max(times) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
