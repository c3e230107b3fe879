"""The monthly report reads sessions only as counts: every traffic table computed from the counts (what an
engine table sends back) equals the same table computed from the session rows, and the counts are few."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.analysis.performance import traffic as T
from workbench.analysis.performance.session_counts import conversion_rate, session_counts, slot_table
from workbench.analysis.stats.timing import hour_weekday_table

ibis = pytest.importorskip("ibis", reason="Ibis is a core dependency; reinstall the project")


@pytest.fixture(scope="module")
def rows(sample_data) -> pd.DataFrame:
    s = pd.read_csv(sample_data / "sessions.csv", parse_dates=["started_at"], dtype={"customer_id": "string"})
    return s[s["started_at"] >= "2026-01-01"].reset_index(drop=True)


@pytest.fixture(scope="module")
def counts(rows):
    return session_counts(ibis.memtable(rows), "2026-06", 3)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False, rtol=1e-9)


def test_counts_resolve_the_month_and_window_as_the_rows_do(counts, rows):
    assert counts.month == pd.Period("2026-06", "M")
    assert session_counts(ibis.memtable(rows), "", 3).month == T.resolve_month("", rows["started_at"])
    assert counts.window_start == T.sessions_window(rows, "2026-06", 3)[1] == pd.Timestamp("2026-04-01")


def test_metrics_breakdowns_movers_and_visitors_equal_the_row_implementation(counts, rows):
    month = counts.month
    pd.testing.assert_frame_equal(T.monthly_metrics(counts), T.monthly_metrics(rows), rtol=1e-9)
    for by in (["source", "medium"], "device", "landing_page"):
        _same(T.traffic_breakdown(counts, by, month), T.traffic_breakdown(rows, by, month))
    _same(T.new_vs_returning(counts, month), T.new_vs_returning(rows, month))
    movers = T.top_movers(T.with_source_medium(counts), "source_medium", month)
    _same(movers, T.top_movers(T.with_source_medium(rows), "source_medium", month))


def test_best_time_slots_from_counts_equal_those_from_rows(counts, rows):
    window, _ = T.sessions_window(counts, counts.month, 3)
    window_rows, _ = T.sessions_window(rows, counts.month, 3)
    _same(slot_table(window), hour_weekday_table(window_rows, "started_at", success_col="converted"))
    assert conversion_rate(window) == pytest.approx(window_rows["converted"].mean(), rel=1e-12)
    kw = {"top": 3, "min_n": 30, "evidence_alpha": 0.05}
    _same(T.best_slots_by(window, "device", **kw), T.best_slots_by(window_rows, "device", **kw))


def test_only_groups_reach_the_kernel(counts, rows):
    groups = rows.assign(month=rows["started_at"].dt.to_period("M"))
    n_groups = len(groups.groupby(["month", "source", "medium", "device", "landing_page"]))
    assert len(counts.groups) == n_groups
    assert len(counts.slots) <= 3 * 7 * 24 and counts.rows < len(rows) / 10


def test_counts_refuse_another_month_or_window(counts):
    with pytest.raises(ValueError, match="counted for 2026-06"):
        T.sessions_window(counts, "2026-05", 3)
    with pytest.raises(ValueError, match="best_time_window_months"):
        session_counts(ibis.memtable(pd.DataFrame({"started_at": []})), "", 0)
