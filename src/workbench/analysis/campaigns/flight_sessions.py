"""The post-mortem's sessions as counts: everything it reads of them is a count or a sum per group.

Sessions are the post-mortem's largest input after touchpoints (one row per visit), yet it publishes only
sums over groups of them: the flight's sessions, conversions and revenue of the campaign's ad campaigns
(KPIs), the same with engaged sessions per channel and per device (funnels), and sessions with
conversions per device × weekday × hour over every session (timing). `flight_session_counts` computes
those groups with the Ibis expressions of `workbench.data.engines.expressions`, on the engine where a
table lives or on a loaded file (as an in-memory table), so both paths share every line after the
reduction: `kpis.compute_kpis`, `funnels.campaign_funnel_steps`, `funnels.funnel_by` and
`scope.timing_source` accept the counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

__all__ = ["GROUP_COLUMNS", "FlightSessions", "flight_session_counts", "weighted_sessions"]

#: The columns the flight's sessions are counted by, when the sessions have them: what the KPIs and the
#: funnels filter or group on (campaign), map to an ad channel (source, channel) or break down by (device).
GROUP_COLUMNS = ("campaign", "source", "channel", "device")

#: The counted columns of a group (those the sessions allow): sessions, pageviews > 1, converted, revenue.
COUNTS = ("sessions", "engaged_sessions", "conversions", "revenue")


@dataclass(frozen=True)
class FlightSessions:
    """Sessions reduced to what the post-mortem reads.

    start, stop: the flight [start, stop) the groups cover; columns: the sessions' columns (which figures the
    data allow); groups: sessions, engaged_sessions, conversions, revenue per campaign × source × channel ×
    device present (the flight only); slots: sessions, conversions per device × weekday × hour (every
    session, as the timing section reads them)."""

    start: pd.Timestamp
    stop: pd.Timestamp
    columns: tuple[str, ...]
    groups: pd.DataFrame
    slots: pd.DataFrame

    @property
    def rows(self) -> int:
        """How many aggregate rows reached the kernel."""
        return len(self.groups) + len(self.slots)

    def check_window(self, start: Any, end: Any) -> None:
        """Stop when a figure asks for another flight than the one counted (dates inclusive)."""
        asked = (pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1))
        if start is None or end is None or asked != (self.start, self.stop):
            raise ValueError(
                f"the sessions were counted for the flight {self.start:%Y-%m-%d} to "
                f"{self.stop - pd.Timedelta(days=1):%Y-%m-%d}; asked for {start} to {end}"
            )

    def of_campaigns(self, campaigns: Iterable[Any]) -> FlightSessions:
        """Only the groups whose campaign is one of `campaigns` (all groups without a campaign column)."""
        if "campaign" not in self.groups.columns:
            return self
        return replace(self, groups=self.groups[self.groups["campaign"].isin(set(campaigns))])


def flight_session_counts(t: Any, start: str, end: str) -> FlightSessions:
    """Reduce an Ibis sessions table (engine table or `ibis.memtable` of a loaded file) for the flight
    [start, end] (dates inclusive): its groups, and every session's device × weekday × hour slots."""
    from workbench.data.engines import expressions as E

    bounds = (pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1))
    if not bounds[0] < bounds[1]:
        raise ValueError(f"start_date/end_date: the flight ends ({end}) before it starts ({start})")
    columns = tuple(t.columns)
    groups = E.session_groups(t, [c for c in GROUP_COLUMNS if c in columns], bounds)
    slots = E.sessions_by_hour_device(t).execute()
    return FlightSessions(bounds[0], bounds[1], columns, groups, slots)


def weighted_sessions(sessions: pd.DataFrame | FlightSessions) -> pd.DataFrame:
    """Sessions as counted groups: the groups of FlightSessions, or each row of a sessions frame as a group
    of one (sessions 1, engaged_sessions pageviews > 1, conversions its 0/1 flag, revenue its revenue), so
    the KPIs and funnels read both the same way."""
    if isinstance(sessions, FlightSessions):
        return sessions.groups
    out = sessions.drop(columns=[c for c in COUNTS if c in sessions.columns]).assign(sessions=1)
    if "pageviews" in sessions.columns:
        out["engaged_sessions"] = pd.to_numeric(sessions["pageviews"], errors="coerce") > 1
    if "converted" in sessions.columns:
        out["conversions"] = sessions["converted"].astype(float)
    if "revenue" in sessions.columns:
        out["revenue"] = pd.to_numeric(sessions["revenue"], errors="coerce")
    return out
