"""A build starts the runs that took longest last time first (never-timed ones before them), so that
it does not end with one long report running alone while the other cores idle."""

from __future__ import annotations

import json

from workbench.pipeline.build import Job, longest_first


def _job(label: str) -> Job:
    report, name = label.split("/")
    return Job(report, name, "", "", "", "", {}, {}, {}, {})


def test_never_timed_runs_first_then_the_longest():
    todo = [_job(x) for x in ("a/short", "b/new", "c/long", "d/new2", "e/mid")]
    durations = {"a/short": 2.0, "c/long": 25.0, "e/mid": 9.5}
    assert [j.label for j in longest_first(todo, durations)] == ["b/new", "d/new2", "c/long", "e/mid", "a/short"]


def test_a_build_records_durations_and_the_next_one_starts_the_longest(wb_project, cli):
    res = cli("build")
    assert res.returncode == 0, res.stderr
    recorded = json.loads((wb_project / ".workbench-cache" / "durations.json").read_text())
    assert set(recorded) == {"chart/default", "tiny/default"} and all(v > 0 for v in recorded.values())

    timings = {"chart/default": 1.0, "tiny/default": 50.0}  # alphabetically chart comes first
    (wb_project / ".workbench-cache" / "durations.json").write_text(json.dumps(timings))
    res = cli("build", "--force")
    assert res.returncode == 0, res.stderr
    started = [line.split("running ")[1] for line in res.stderr.splitlines() if " running " in line]
    assert started == ["tiny/default", "chart/default"]
