"""Files areaplan writes for people (exports, the digest outbox, province mail) follow the umask,
and an export without --date holds the periods that are open or just closed."""

from __future__ import annotations

import csv
import stat
import subprocess
import sys
from datetime import date

from digest_fixtures import make_db, sample_story, subprocess_env

from areaplan.digest.export import export


def run_with_umask(umask: int, *args: str, cwd) -> subprocess.CompletedProcess[str]:
    code = f"import os, sys; os.umask({umask:#o}); from areaplan.app.cli import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd, env=subprocess_env())


def modes(folder) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir() if p.is_file()}


def test_exports_and_outbox_files_get_the_mode_the_umask_gives(tmp_path):
    db = make_db(tmp_path)
    sample_story(db)
    db.close()
    dbp = str(tmp_path / "areaplan.db")

    for umask, expected in ((0o022, 0o644), (0o027, 0o640)):
        out, outbox = tmp_path / f"export-{umask:o}", tmp_path / f"outbox-{umask:o}"
        exported = run_with_umask(umask, "--db", dbp, "export", "--out", str(out), "--date", "2021-04-05",
                                  cwd=tmp_path)
        digested = run_with_umask(umask, "--db", dbp, "digest", "--date", "2021-03-29", "--outbox", str(outbox),
                                  cwd=tmp_path)
        assert exported.returncode == 0 and digested.returncode == 0, exported.stderr + digested.stderr

        assert set(modes(out).values()) == {expected}, modes(out)
        assert set(modes(outbox).values()) == {expected}, modes(outbox)
        assert len(modes(outbox)) >= 38 and len(modes(out)) == 5


def periods_in(path) -> set[tuple[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {(r["campaign_id"], r["period"]) for r in csv.DictReader(f)}


def test_an_export_holds_the_open_periods_and_the_one_just_closed(tmp_path):
    db = make_db(tmp_path)  # best-practice months from 2021-01 on, role model due 2021-03-31
    sample_story(db)

    export(db, tmp_path / "out", date(2021, 6, 10), ("csv",))
    current = periods_in(tmp_path / "out" / "province_status.csv")
    export(db, tmp_path / "all", date(2021, 6, 10), ("csv",), all_periods=True)
    everything = periods_in(tmp_path / "all" / "province_status.csv")

    assert current == {("best_practice", "2021-05"), ("best_practice", "2021-06"), ("role_model_2021", "2021")}
    assert everything == current | {("best_practice", f"2021-0{m}") for m in range(1, 5)}


def test_export_without_date_on_the_command_line_is_todays_current_periods(tmp_path):
    from datetime import timedelta

    from areaplan.core.clock import today_bangkok

    db = make_db(tmp_path)
    db.close()
    done = subprocess.run([sys.executable, "-m", "areaplan", "--db", str(tmp_path / "areaplan.db"), "export",
                           "--out", str(tmp_path / "out"), "--format", "csv"],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path, env=subprocess_env())

    assert done.returncode == 0, done.stderr
    today = today_bangkok()
    this_month = f"{today:%Y-%m}"
    last_month = f"{(today.replace(day=1) - timedelta(days=1)):%Y-%m}"
    months = {p for c, p in periods_in(tmp_path / "out" / "province_status.csv") if c == "best_practice"}
    assert months <= {this_month, last_month} and this_month in months
