"""The monthly report's sessions as counts: everything it reads of them is a count or a sum per group.

Sessions are the largest input of the monthly report (one row per visit), yet every figure it publishes
is a count or a sum over a group: per month × source × medium × device × landing page (metrics,
breakdowns, top movers), per visitor type in the month (new vs returning) and per device × weekday × hour
in the best-time window. `session_counts` computes those groups with the Ibis expressions of
`workbench.data.engines.expressions`, on the engine where a table lives or on a loaded file (as an
in-memory table): both paths then share every line after the reduction (`traffic` accepts the counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["SessionCounts", "conversion_rate", "session_counts", "slot_table"]

#: The columns a month × group count is kept by, when the sessions have them.
GROUP_COLUMNS = ("source", "medium", "device", "landing_page")


@dataclass(frozen=True)
class SessionCounts:
    """Sessions reduced to what the monthly report reads.

    month: the report month; span: first and last session start; columns: the sessions' columns (which
    sections the data allows); groups: sessions, conversions, revenue per month × GROUP_COLUMNS (every
    month); visitors: the month's `visitor_counts` (None without customer_id); slots: sessions,
    conversions per device × weekday × hour from `window_start` to the month's end."""

    month: pd.Period
    span: tuple[pd.Timestamp, pd.Timestamp]
    columns: tuple[str, ...]
    groups: pd.DataFrame
    visitors: pd.DataFrame | None
    slots: pd.DataFrame
    window_start: pd.Timestamp
    window_months: int

    @property
    def rows(self) -> int:
        """How many aggregate rows reached the kernel (the span counts as one)."""
        return 1 + len(self.groups) + len(self.slots) + (0 if self.visitors is None else len(self.visitors))


def session_counts(t: Any, month: str, window_months: int) -> SessionCounts:
    """Reduce an Ibis sessions table (engine table or `ibis.memtable` of a loaded file) for the report
    `month` ('YYYY-MM', or '' for the last complete month) and a best-time window of `window_months`."""
    from workbench.analysis.performance.traffic import resolve_month
    from workbench.data.engines import expressions as E

    if not isinstance(window_months, (int, np.integer)) or window_months < 1:
        raise ValueError(f"best_time_window_months must be a positive integer; got {window_months!r}")
    span = E.session_span(t)
    report_month = resolve_month(month, pd.Series(list(span)))
    columns = tuple(t.columns)
    groups = E.traffic_counts(t, [c for c in GROUP_COLUMNS if c in columns])
    visitors = E.visitor_counts(t, str(report_month)) if "customer_id" in columns else None
    start = (report_month - (window_months - 1)).start_time
    slots = E.sessions_by_hour_device(t, (start, (report_month + 1).start_time)).execute()
    return SessionCounts(report_month, span, columns, groups, visitors, slots, start, int(window_months))


def conversion_rate(slots: pd.DataFrame) -> float:
    """Conversions ÷ sessions over counted slots (NaN without conversions or sessions)."""
    if "conversions" not in slots.columns or slots["sessions"].sum() == 0:
        return float("nan")
    return float(slots["conversions"].astype(float).sum() / slots["sessions"].sum())


def slot_table(slots: pd.DataFrame) -> pd.DataFrame:
    """Counted slots summed to hour × weekday in the shape of `timing.hour_weekday_table(…,
    success_col="converted")` on the rows: weekday, weekday_name, hour, n, successes, rate, Wilson bounds
    (without a conversions column, as without a success column: weekday, weekday_name, hour, n)."""
    from workbench.analysis.stats.proportions import wilson_interval
    from workbench.analysis.stats.timing import WEEKDAY_NAMES

    counted = [c for c in ("sessions", "conversions") if c in slots.columns]
    agg = slots.groupby(["weekday", "hour"], as_index=False)[counted].sum()
    out = pd.DataFrame({"weekday": agg["weekday"].astype(int), "hour": agg["hour"].astype(int)})
    out["n"] = agg["sessions"].astype(int)
    out.insert(1, "weekday_name", [WEEKDAY_NAMES[d] for d in out["weekday"]])
    if "conversions" in agg.columns:
        out["successes"] = agg["conversions"].astype(float)
        out["rate"] = np.where(out["n"] > 0, out["successes"] / out["n"].where(out["n"] > 0), np.nan)
        low, high = wilson_interval(out["successes"].to_numpy(), out["n"].to_numpy())
        out["rate_low"], out["rate_high"] = low, high
    return out.sort_values(["weekday", "hour"]).reset_index(drop=True)


def visitors_table(counts: pd.DataFrame) -> pd.DataFrame:
    """`visitor_counts` in the order and columns of `traffic.new_vs_returning`."""
    out = counts.set_index("visitor_type").reindex(["new", "returning", "not identified"])
    out = out.dropna(how="all").reset_index()
    out["visitors"] = out["visitors"].astype(float).where(out["visitor_type"] != "not identified")
    out["sessions"] = out["sessions"].fillna(0).astype(int)
    for col in ("conversions", "revenue"):
        if col in out.columns:
            out[col] = out[col].astype(float)
    if "conversions" in out.columns:
        out["conversion_rate"] = out["conversions"] / out["sessions"].where(out["sessions"] > 0)
    cols = ["visitor_type", "visitors", "sessions", "conversions", "conversion_rate", "revenue"]
    return out[[c for c in cols if c in out.columns]]
