"""Jobs for the bounded-worker tests (module level, so worker processes can import them)."""

from __future__ import annotations

import os
import time


def echo(job):
    return job


def sleep_then_echo(job):
    seconds, value = job
    time.sleep(seconds)
    return value


def grow(job):
    """Allocate ``job`` MiB, one MiB at a time (touching each page), and keep it."""
    held = []
    for _ in range(job):
        held.append(bytearray(1 << 20))
        time.sleep(0.002)
    return len(held)


def die(job):
    os._exit(job)


def fail(job):
    raise ValueError(f"bad job {job}")
