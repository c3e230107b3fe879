"""The post-mortem's ad statistics at the grain it reads: sums per day × campaign × channel × platform ×
ad group × creative over the flight.

A keyword- or device-level export over a flight can hold millions of rows, yet every figure the post-mortem
draws from them is a sum over those groups: the KPIs and pacing (per day and channel), the breakdowns (per
channel, campaign, ad group, creative), the funnel's session → channel match (campaign, channel, platform)
and the daily clicks. `flight_ad_groups` computes the groups with `expressions.flight_ad_stats`, on the
engine where a table lives or on a loaded file (as an in-memory table), and says what `scope.flight_ads`
says of the whole table from per-campaign counts (`expressions.ad_stats_campaigns`): the same error for an
unknown campaign or an empty flight, the same thin-selection warning, so every later line is the same code.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["flight_ad_groups"]


def flight_ad_groups(t: Any, campaign: str, start: str, end: str, source: str) -> tuple[pd.DataFrame, str | None, dict]:
    """Reduce an Ibis ad-statistics table (engine table or `ibis.memtable` of a loaded file) named `source`
    to the campaign's (every campaign's when "") groups in the flight [start, end] (dates inclusive).

    Returns the groups (the columns of `scope.flight_ads`' rows, finer columns summed away), its warning
    when the selection is thin, and the counts: table_rows (the table's rows), flight_rows (the rows
    summed into the groups) and kernel_rows (the aggregate rows that reached the kernel)."""
    from workbench.analysis.campaigns import scope
    from workbench.data.engines import expressions as E

    campaigns = E.ad_stats_campaigns(t)
    campaigns.attrs["source"] = source
    chosen = scope.select_values(campaigns, "campaign", campaign, "campaign", "ad statistics")
    wanted = None if len(chosen) == len(campaigns) else chosen["campaign"].astype(str).tolist()
    groups = E.flight_ad_stats(t, (pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)), wanted)
    if groups.empty:
        raise scope.window_error(source, "date", start, end, chosen["first"].min(), chosen["last"].max())
    summed = groups.pop("rows")
    counts = {
        "table_rows": int(campaigns["rows"].sum()),
        "flight_rows": int(summed.sum()),
        "kernel_rows": len(groups) + len(campaigns),
    }
    days = groups["date"].dt.normalize().nunique()
    note = scope.flight_ads_note(counts["flight_rows"], counts["table_rows"], days, campaign, start, end)
    return groups, note, counts
