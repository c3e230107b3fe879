"""A build starts the runs that took longest last time first (never-timed ones before them), so that
it does not end with one long report running alone while the other cores idle."""

from __future__ import annotations

import json

from workbench.pipeline.build import Job, longest_first


def _job(label: str, **inputs) -> Job:
    report, name = label.split("/")
    return Job(report, name, "", "", "", "", {}, {}, {}, inputs)


def test_never_timed_runs_first_then_the_longest():
    todo = [_job(x) for x in ("a/short", "b/new", "c/long", "d/new2", "e/mid")]
    durations = {"a/short": 2.0, "c/long": 25.0, "e/mid": 9.5}
    assert [j.label for j in longest_first(todo, durations)] == ["b/new", "d/new2", "c/long", "e/mid", "a/short"]


def test_a_twin_on_the_same_inputs_waits_until_every_first_has_started():
    """It would only wait for the first's shared computations (workbench.memo) if run beside it."""
    todo = [
        _job("budget/sample", orders_path="data/orders.csv"),
        _job("budget/sample_ru", orders_path="data/orders.csv"),
        _job("budget/other_seed", orders_path="data/other.csv"),
        _job("plan/en", orders_path="data/orders.csv"),
        _job("plan/ru", orders_path="data/orders.csv"),
        _job("tiny/x"),
    ]
    durations = {"budget/sample": 14.0, "budget/sample_ru": 14.0, "budget/other_seed": 13.0, "plan/en": 12.0}
    durations |= {"plan/ru": 11.0, "tiny/x": 1.0}
    order = [j.label for j in longest_first(todo, durations)]
    assert order == ["budget/sample", "budget/other_seed", "plan/en", "tiny/x", "budget/sample_ru", "plan/ru"]


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
