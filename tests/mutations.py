"""Seeded random damage to a file (bytes changed, cut out, put in), and the check that a reader
met it with a reason of its own: shared by the archive, tar/gzip and .msg fuzz tests.

Imports nothing of the product but the reader labels it is handed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator


def mutants(seed: bytes, rng: random.Random, n: int = 150, keep_head: int = 8,
            change_share: float = 0.6, cut_share: float = 0.2) -> Iterator[bytes]:
    """``n`` copies of ``seed``, each with 1-6 random edits after its first ``keep_head`` bytes."""
    for _ in range(n):
        data = bytearray(seed)
        for _ in range(rng.randint(1, 6)):
            pos = rng.randrange(keep_head, len(data))
            op = rng.random()
            if op < change_share:
                data[pos] = rng.randrange(256)
            elif op < change_share + cut_share:
                del data[pos: pos + rng.randint(1, 64)]
            else:
                data[pos:pos] = rng.randbytes(rng.randint(1, 64))
        yield bytes(data)


def unexpected_problems(problems: Iterable[str], labels: Iterable[str]) -> list[str]:
    """The problems that came from readers.py's catch-all (an exception no reader expected),
    a reader's own time limit aside."""
    names = "|".join(re.escape(label) for label in labels)
    catch_all = re.compile(rf"unreadable ({names}) \(\w+(Error|Exception): ")
    return [p for p in problems if catch_all.search(p) and "took longer" not in p]
