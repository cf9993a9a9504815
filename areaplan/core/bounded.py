"""Run a function on many inputs in worker processes, each call bounded in time and memory.

A time limit on a thread cannot stop anything: a reader stuck in a C library keeps its
thread and its CPU. A process can be killed. :class:`BoundedWorkers` keeps a few worker
processes; each call ``fn(job)`` runs in one of them, and the parent kills the worker when
the call passes its wall-time budget or its worker's resident memory passes the memory
budget, then starts a fresh worker for the next job. The caller gets an :class:`Outcome`
for every job, in the order they finish: a value, or what stopped it (``timeout``,
``memory``, ``crash`` or ``error``). Nothing is raised for one job.

Jobs are pulled from the iterable only when a worker is free, so the parent holds at most
one job per worker (a store of any size is streamed), and a slow job holds only its own
worker while the others go on.

Linux only for the memory budget (``/proc/<pid>/status``); elsewhere only time is bounded.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

K = TypeVar("K")

POLL_SECONDS = 0.05  # how often a busy worker's clock and memory are checked
TIMEOUT, MEMORY, CRASH, ERROR, OK = "timeout", "memory", "crash", "error", "ok"


@dataclass(frozen=True)
class Budget:
    """What one call may use: wall seconds, and resident memory of its worker in bytes."""

    seconds: float
    memory_bytes: int | None = None


@dataclass(frozen=True)
class Outcome:
    """How one call ended: ``status`` "ok" with ``value``, else what stopped it."""

    status: str
    value: Any = None
    detail: str = ""
    peak_rss: int | None = None  # the worker's peak resident memory (bytes) when it was read

    @property
    def ok(self) -> bool:
        return self.status == OK


def rss_bytes(pid: int) -> int | None:
    """Resident memory of process ``pid`` in bytes (Linux), or None when unknown."""
    return _status_field(pid, "VmRSS")


def peak_rss_bytes(pid: int) -> int | None:
    """Peak resident memory of process ``pid`` since it started (Linux), or None."""
    return _status_field(pid, "VmHWM")


def _status_field(pid: int, name: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(name.encode() + b":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _serve(conn: Connection, fn: Callable[[Any], Any]) -> None:
    """The worker: run ``fn`` on each job received, send back (status, value or detail)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when work stops
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = (OK, fn(job))
        except MemoryError:
            reply = (MEMORY, "MemoryError")
        except BaseException as err:  # noqa: BLE001 - handed to the parent as this job's outcome
            reply = (ERROR, f"{type(err).__name__}: {err}"[:1000])
        try:
            conn.send(reply)
        except MemoryError:
            conn.send((MEMORY, "MemoryError while sending the result"))
        except Exception as err:  # noqa: BLE001 - e.g. a value that cannot be pickled
            conn.send((ERROR, f"result could not be sent ({type(err).__name__}: {err})"[:1000]))


class _Worker(Generic[K]):
    def __init__(self, ctx: Any, fn: Callable[[Any], Any]):
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_serve, args=(child, fn), daemon=True, name="areaplan-worker")
        self.process.start()
        child.close()
        self.key: Any = None
        self.deadline = 0.0

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class BoundedWorkers:
    """Up to ``workers`` processes running ``fn`` (a module-level function), each call bounded.

    ``preload`` names modules the workers import once at start (forkserver), so a worker
    that was killed comes back quickly.
    """

    def __init__(self, fn: Callable[[Any], Any], budget: Budget, workers: int = 1,
                 preload: tuple[str, ...] = ()):
        self.fn = fn
        self.budget = budget
        self.workers = max(1, workers)
        self.ctx = multiprocessing.get_context("forkserver")
        if preload:
            self.ctx.set_forkserver_preload(list(preload))

    def run(self, jobs: Iterable[tuple[K, Any]]) -> Iterator[tuple[K, Outcome]]:
        """Each (key, job) of ``jobs`` run once; yields (key, Outcome) as each one ends."""
        pending = iter(jobs)
        idle: list[_Worker] = []
        busy: dict[Connection, _Worker] = {}
        more = True
        try:
            while True:
                while more and len(busy) < self.workers:
                    try:
                        key, job = next(pending)
                    except StopIteration:
                        more = False
                        break
                    worker = idle.pop() if idle else _Worker(self.ctx, self.fn)
                    worker.key, worker.deadline = key, time.monotonic() + self.budget.seconds
                    worker.conn.send(job)
                    busy[worker.conn] = worker
                if not busy:
                    return
                for conn in wait(list(busy), timeout=POLL_SECONDS):
                    worker = busy.pop(conn)  # type: ignore[arg-type]
                    outcome = self._reply(worker)
                    if outcome.status in (OK, ERROR) and self._fit(worker):
                        idle.append(worker)
                    else:
                        worker.stop()
                    yield worker.key, outcome
                for conn, worker in list(busy.items()):
                    outcome = self._check(worker)
                    if outcome is not None:
                        del busy[conn]
                        worker.stop()
                        yield worker.key, outcome
        finally:
            for worker in [*idle, *busy.values()]:
                worker.stop()

    def _reply(self, worker: _Worker) -> Outcome:
        peak = peak_rss_bytes(worker.process.pid) if worker.process.pid else None
        try:
            status, payload = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(5)
            code = worker.process.exitcode
            why = f"killed by signal {-code}" if code is not None and code < 0 else f"exit status {code}"
            return Outcome(CRASH, detail=f"the worker process ended ({why})", peak_rss=peak)
        if status == OK:
            return Outcome(OK, value=payload, peak_rss=peak)
        return Outcome(status, detail=str(payload), peak_rss=peak)

    def _fit(self, worker: _Worker) -> bool:
        """Keep an idle worker only while it holds well under the memory budget."""
        limit = self.budget.memory_bytes
        rss = rss_bytes(worker.process.pid) if limit and worker.process.pid else None
        return rss is None or limit is None or rss < limit * 0.6

    def _check(self, worker: _Worker) -> Outcome | None:
        """A busy worker past its budget: the outcome to give (the caller kills it), else None."""
        pid = worker.process.pid
        limit = self.budget.memory_bytes
        if limit and pid:
            rss = rss_bytes(pid)
            if rss is not None and rss > limit:
                log.warning("worker %s used %d MB, over %d MB: stopped", pid, rss >> 20, limit >> 20)
                return Outcome(MEMORY, detail=f"used more than {limit >> 20} MB of memory", peak_rss=rss)
        if time.monotonic() > worker.deadline:
            log.warning("worker %s took longer than %.0f s: stopped", pid, self.budget.seconds)
            return Outcome(TIMEOUT, detail=f"took longer than {self.budget.seconds:g} s",
                           peak_rss=peak_rss_bytes(pid) if pid else None)
        if not worker.process.is_alive() and not worker.conn.poll():
            return self._reply(worker)
        return None


def cpu_count() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
