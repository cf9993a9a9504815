"""core.bounded: each call runs in a worker process that is killed at its time or memory budget.

Real processes, real clocks and real memory; the budgets are generous hang guards, and what
is asserted is the outcome of each job, never how fast it was.
"""

from __future__ import annotations

import pytest
import workers_helpers as jobs

from areaplan.core.bounded import CRASH, ERROR, MEMORY, OK, TIMEOUT, BoundedWorkers, Budget

pytestmark = pytest.mark.timeout(240)


def test_every_job_gets_its_value():
    pool = BoundedWorkers(jobs.echo, Budget(60), workers=2)
    got = dict(pool.run((i, i * 10) for i in range(20)))
    assert sorted(got) == list(range(20))
    assert all(o.status == OK and o.value == k * 10 for k, o in got.items())


def test_a_job_past_its_time_is_killed_and_the_others_go_on():
    pool = BoundedWorkers(jobs.sleep_then_echo, Budget(3), workers=2)
    work = [("stuck", (3600, "never")), *((f"quick{i}", (0, i)) for i in range(10))]
    got = dict(pool.run(work))
    assert got["stuck"].status == TIMEOUT and "longer than 3 s" in got["stuck"].detail
    assert all(got[f"quick{i}"].status == OK and got[f"quick{i}"].value == i for i in range(10))


def test_a_slow_job_does_not_hold_the_other_worker():
    pool = BoundedWorkers(jobs.sleep_then_echo, Budget(120), workers=2)
    order = [key for key, _ in pool.run([("slow", (8, 0)), *((f"q{i}", (0, i)) for i in range(6))])]
    assert order[-1] == "slow"  # the six quick jobs ended on the other worker meanwhile


def test_a_job_over_its_memory_budget_is_stopped():
    pool = BoundedWorkers(jobs.grow, Budget(120, memory_bytes=200 << 20), workers=1)
    got = dict(pool.run([("hog", 1500), ("small", 5)]))
    assert got["hog"].status == MEMORY and "200 MB" in got["hog"].detail
    assert got["small"].status == OK and got["small"].value == 5


def test_a_worker_that_dies_or_raises_is_one_outcome_and_the_run_goes_on():
    died = dict(BoundedWorkers(jobs.die, Budget(60)).run([("a", 3)]))
    assert died["a"].status == CRASH and "exit status 3" in died["a"].detail
    failed = dict(BoundedWorkers(jobs.fail, Budget(60)).run([("b", 1), ("c", 2)]))
    assert [failed[k].status for k in "bc"] == [ERROR, ERROR]
    assert "ValueError: bad job 2" in failed["c"].detail


def test_jobs_are_pulled_only_when_a_worker_is_free():
    pulled = []

    def work():
        for i in range(30):
            pulled.append(i)
            yield i, i

    pool = BoundedWorkers(jobs.echo, Budget(60), workers=2)
    done = 0
    for _key, _outcome in pool.run(work()):
        done += 1
        assert len(pulled) - done <= 2  # never more in flight than there are workers
    assert done == 30
