"""One call per report for its heavy inputs: on an engine table only aggregates reach the kernel.

A report notebook gives the params value (a file path or an engine URL) and gets back what its
analysis reads. For a file, the rows are loaded and reduced in the kernel as before; for an engine
table (`duckdb:///…#touchpoints`, `spark://local#orders`, …) the reduction is an Ibis expression from
`workbench.data.engines.expressions` executed where the table lives, so the kernel holds aggregates
(per channel, per Markov transition, per customer), never one row per event. Both sides give the same
numbers (the report tests in tests/notebooks/test_engine_reports.py compare results.json).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from workbench.engine_url import is_engine_source

__all__ = [
    "FlightPaths",
    "OrderSummaries",
    "SessionSummaries",
    "checked_table",
    "customer_orders_input",
    "customer_sessions_input",
    "daily_ad_stats_input",
    "flight_ad_stats_input",
    "flight_orders_input",
    "flight_paths",
    "flight_sessions_input",
    "load_input",
    "order_inputs",
    "orders_monthly_input",
    "reducible_table",
    "sessions_counts_input",
]


def load_input(dataset: str, path: str, **kw: Any) -> pd.DataFrame | None:
    """`load_optional` for a params value: "" → None, a file relative to the project, or an engine
    table read row by row (for inputs a report needs whole: customers, a flight's ad statistics)."""
    from workbench.config import resolve
    from workbench.data import load_optional

    if not path:
        return None
    return load_optional(dataset, path if is_engine_source(path) else resolve(path), **kw)


def _renamed_table(dataset: str, source: str, field: str) -> Any:
    """An engine table with the report's column renames (`column_renames`) applied on the engine."""
    from workbench.data.contracts import rename_for
    from workbench.data.engines import open_table
    from workbench.data.loading import _options
    from workbench.data.readers import normalise_name

    t = open_table(source, field)
    rename = {normalise_name(k): v for k, v in (rename_for(dataset, _options["rename"]) or {}).items()}
    return t.rename({rename.get(normalise_name(c), normalise_name(c)): c for c in t.columns})


def checked_table(dataset: str, source: str, field: str) -> Any:
    """An engine table under the contract's column names, its rows checked against the contract on the
    engine (`rowchecks.check_table`): a broken table stops with a file's message; with
    `drop_invalid_rows` the bad rows are filtered out of the expression the aggregations read, and the
    drops are logged for the report's data-quality note as a file's are."""
    from workbench.data.engines import redact
    from workbench.data.engines.rowchecks import check_table
    from workbench.data.loading import _options, log_drops
    from workbench.engine_url import parse_source

    src = parse_source(source, field)
    label = f"{redact(src.url)}#{src.table}"
    table = _renamed_table(dataset, source, field)
    checked = check_table(dataset, table, label, drop_invalid=_options["drop_invalid"])
    log_drops(label, dataset, checked.dropped, checked.rows_read, checked.rows_kept)
    return checked.table


def reducible_table(dataset: str, path: str, field: str) -> Any:
    """An input as an Ibis table the report's expressions reduce: an engine table, its rows checked
    against the contract where it lives (`checked_table`), or a file loaded and validated as before and
    handed to in-memory DuckDB, so both paths run the same expressions. "" or an absent optional file →
    None."""
    import ibis

    from workbench.config import resolve
    from workbench.data import load_optional

    if not path:
        return None
    if is_engine_source(path):
        return checked_table(dataset, path, field)
    rows = load_optional(dataset, resolve(path))
    return None if rows is None else ibis.memtable(rows)


def sessions_counts_input(sessions_path: str, month: str, window_months: int) -> Any:
    """The monthly report's sessions as `SessionCounts` (per month × source × medium × device × landing
    page, the month's visitor types, the best-time window's device × weekday × hour).

    An engine table is reduced where it lives: only those groups reach the kernel. A file is loaded
    and validated as before, then reduced by the same Ibis expressions over the loaded frame (in-memory
    DuckDB), so everything after the reduction is the same code on both paths."""
    import ibis

    from workbench.analysis.performance.session_counts import session_counts
    from workbench.config import resolve
    from workbench.data import load

    if is_engine_source(sessions_path):
        t = checked_table("sessions", sessions_path, "sessions_path")
    else:
        t = ibis.memtable(load("sessions", resolve(sessions_path)))
    return session_counts(t, month, window_months)


def flight_sessions_input(sessions_path: str, start: str, end: str) -> Any:
    """The post-mortem's sessions as `FlightSessions` (the flight [start, end]'s sessions, engaged sessions,
    conversions and revenue per campaign × source × device; every session's device × weekday × hour with
    conversions); "" → None.

    An engine table is reduced where it lives: only those groups reach the kernel. A file is loaded and
    validated as before, then reduced by the same Ibis expressions over the loaded frame (in-memory
    DuckDB), so the KPIs, funnels and timing read the same counts on both paths."""
    from workbench.analysis.campaigns.flight_sessions import flight_session_counts

    t = reducible_table("sessions", sessions_path, "sessions_path")
    return None if t is None else flight_session_counts(t, start, end)


def flight_orders_input(orders_path: str, start: str, end: str) -> Any:
    """The post-mortem's orders as `FlightOrders` (the flight [start, end]'s orders, revenue and new
    customers per day: a customer is new on the day of their first order ever); "" → None.

    An engine table is reduced where it lives (its rows checked against the orders contract there): one row
    per day of the flight reaches the kernel. A file is loaded and validated as before, then reduced by the
    same Ibis expression over the loaded frame (in-memory DuckDB), so the KPIs read the same counts on both
    paths."""
    from workbench.analysis.campaigns.flight_orders import flight_order_counts

    t = reducible_table("orders", orders_path, "orders_path")
    return None if t is None else flight_order_counts(t, start, end)


def orders_monthly_input(orders_path: str) -> pd.DataFrame | None:
    """The monthly report's orders per month: orders, revenue and new customers (first order ever in
    the month), gap-free; "" → None. An engine table is reduced there (one row per month reaches the
    kernel); a file is loaded and validated as before, then reduced by the same expressions."""
    from workbench.data.engines import expressions as ex

    t = reducible_table("orders", orders_path, "orders_path")
    if t is None:
        return None
    out = ex.monthly_totals(t, "order_date", ["revenue"], "orders")
    out["new_customers"] = ex.first_orders_by_month(t).reindex(out.index, fill_value=0.0)
    return out


def daily_ad_stats_input(ad_stats_path: str) -> pd.DataFrame | None:
    """The monthly report's ad statistics: a file is loaded as before; an engine table is summed per
    day × channel × campaign there (`expressions.daily_ad_stats`), one row per day and campaign.

    Everything the monthly report reads of them is a sum over days (cost per month, the KPIs of the
    month's live campaigns), so the figures are those of the rows. The report's column renames apply on
    the engine, and the data contract checks the rows there before they are summed (`checked_table`), so
    `drop_invalid_rows` drops a row, as for a file; the daily sums are then typed by the contract.
    """
    from pathlib import Path

    from workbench.data import load_optional
    from workbench.data.engines import expressions as ex
    from workbench.data.engines import redact
    from workbench.data.loading import _log_drops, _options
    from workbench.data.readers import Source
    from workbench.data.validate import validate_frame
    from workbench.engine_url import parse_source

    if not is_engine_source(ad_stats_path):
        return load_optional("ad_stats", ad_stats_path)
    t = checked_table("ad_stats", ad_stats_path, "ad_stats_path")
    frame = ex.daily_ad_stats(t).execute()
    src = parse_source(ad_stats_path, "ad_stats_path")
    label = f"{redact(src.url)}#{src.table} (summed per day × channel × campaign on the engine)"
    source = Source(Path(label), "frame", display=label)
    frame = validate_frame("ad_stats", frame, source, drop_invalid=_options["drop_invalid"])
    _log_drops(frame)
    return frame


def flight_ad_stats_input(
    ad_stats_path: str, campaign: str, start: str, end: str
) -> tuple[pd.DataFrame | None, str | None]:
    """The post-mortem's ad statistics as `scope.flight_ads` returns them: the campaign's rows in the flight
    [start, end] and the thin-selection warning; ("", …) → (None, None).

    The rows are summed per day × campaign × channel × platform × ad group × creative (the finest grain the
    report reads; keyword, device and other finer columns are summed away), so a keyword-level table sends
    one row per group, not per keyword. An engine table is reduced where it lives, its rows checked against
    the contract there first (`checked_table`); a file is loaded and validated as before, then reduced by
    the same expressions (in-memory DuckDB), so every later line is the same code on both paths. The sums
    are typed by the contract; `attrs` holds table_rows, flight_rows and kernel_rows (aggregate rows)."""
    from pathlib import Path

    import ibis

    from workbench.analysis.campaigns.flight_ads import flight_ad_groups
    from workbench.config import resolve
    from workbench.data import load_optional
    from workbench.data.engines import redact
    from workbench.data.readers import Source
    from workbench.data.validate import validate_frame
    from workbench.engine_url import parse_source

    if not ad_stats_path:
        return None, None
    if is_engine_source(ad_stats_path):
        t = checked_table("ad_stats", ad_stats_path, "ad_stats_path")
        src = parse_source(ad_stats_path, "ad_stats_path")
        label = f"{redact(src.url)}#{src.table}"
    else:
        rows = load_optional("ad_stats", resolve(ad_stats_path))
        if rows is None:
            return None, None
        t, label = ibis.memtable(rows), str(rows.attrs.get("source", ad_stats_path))
    groups, note, counts = flight_ad_groups(t, campaign, start, end, label)
    shown = f"{label} (the flight summed per day × campaign × channel × platform × ad group × creative)"
    frame = validate_frame("ad_stats", groups, Source(Path(shown), "frame", display=shown))
    frame.attrs.update(counts)
    return frame, note


@dataclass
class FlightPaths:
    """A campaign's journeys as attribution reads them: `journeys` (touch level, file input only),
    `paths` (one row per distinct path from a file; from an engine table a `PathSummary`: per-channel
    credit, Markov transition counts, journeys per channel set, lengths and top paths, so that the
    kernel's rows do not grow with the distinct paths), `time_decay` (per-channel credit, engine input
    only) and `scope` (which journeys count, for the caption)."""

    journeys: pd.DataFrame | None
    paths: Any
    time_decay: pd.DataFrame | None
    scope: str


def _flight_bounds(start: str, end: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    return pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)


def _engine_flight_paths(
    source: str, start: str, end: str, lookback_days: float | None, half_life_days: float, markov_order: int
) -> FlightPaths:
    from workbench.analysis.campaigns.attribution import PathSummary
    from workbench.data.engines import expressions as ex
    from workbench.i18n import _

    t = checked_table("touchpoints", source, "touchpoints_path")
    # one pass over the touches: the flight's journeys are built once and read by the count, the paths
    # and the time-decay credit (every journey, read again, only when none ended within the flight)
    summary, decay, in_flight = ex.flight_attribution(
        t, _flight_bounds(start, end), lookback_days, half_life_days, order=markov_order
    )
    if in_flight:  # the words of scope.journeys_in_flight
        scope = _("journeys that ended between {start} and {end}").format(start=start, end=end)
    else:
        scope = _("every journey in the touchpoints table (none ended within the flight)")
    if lookback_days:
        scope += _(", with touches up to {days} days before each journey's end").format(days=f"{lookback_days:g}")
    return FlightPaths(None, PathSummary(**summary), decay, scope)


def flight_paths(
    touchpoints: pd.DataFrame | None,
    touchpoints_path: str,
    start: str,
    end: str,
    lookback_days: float | None,
    half_life_days: float = 7.0,
    markov_order: int = 1,
) -> FlightPaths | None:
    """The post-mortem's attribution input: journeys that end (convert or lapse) within the flight,
    cut at conversions, with the lookback. From an engine table the attribution aggregates (a
    `PathSummary` at `markov_order`) and the time-decay credit are computed there, and their rows are
    bounded by the channels, not by the paths; from a loaded touchpoints frame the journeys are built
    in the kernel as before. None when there are no touchpoints."""
    from workbench.analysis.campaigns import scope as flight
    from workbench.analysis.campaigns.attribution import rules

    lookback = lookback_days or None
    if is_engine_source(touchpoints_path):
        return _engine_flight_paths(touchpoints_path, start, end, lookback, half_life_days, markov_order)
    if touchpoints is None:
        return None
    journeys = rules.journeys_from_touchpoints(touchpoints, lookback)
    journeys, scope = flight.journeys_in_flight(journeys, start, end, lookback_days)
    return FlightPaths(journeys, rules.paths_from_journeys(journeys), None, scope)


class OrderSummaries:
    """Orders read by the segmentation and the audience portrait only through per-customer aggregates.

    Every method runs one Ibis expression and brings back at most one row per customer: RFM totals,
    the most frequent channel / category / price tier, revenue in a date window, the BG/NBD and
    Gamma-Gamma inputs (`expressions.customer_transactions`), each buyer's orders and median gap between
    them (`purchases`), or customers per brand / category / price tier / channel bought (`value_counts`).
    The table is an engine table (`OrderSummaries(url)`) or a loaded file as an in-memory table
    (`from_frame`), so both run the same expressions; `rows` counts the aggregate rows that reached the
    kernel (the portrait's and the RFM queries)."""

    def __init__(self, source: str) -> None:
        from workbench.data.engines import redact
        from workbench.engine_url import parse_source

        src = parse_source(source, "orders_path")
        self._use(checked_table("orders", source, "orders_path"), f"{redact(src.url)}#{src.table}")

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, label: str = "orders") -> OrderSummaries:
        """Loaded (and validated) orders, reduced by the same expressions in in-memory DuckDB."""
        import ibis

        summaries = cls.__new__(cls)
        summaries._use(ibis.memtable(frame), label)
        return summaries

    def _use(self, table: Any, label: str) -> None:
        from workbench.data.engines.expressions import require_columns

        require_columns(table, ("customer_id", "order_date", "revenue"), "orders")
        self.table, self.label, self.columns = table, label, tuple(table.columns)
        t = self.table
        span = t.aggregate(first=t.order_date.cast("timestamp").min(), last=t.order_date.cast("timestamp").max())
        row = span.execute().iloc[0]
        self.first_date, self.last_date = pd.Timestamp(row["first"]), pd.Timestamp(row["last"])
        self.rows = 1

    def purchases(self, until: Any = None) -> pd.DataFrame:
        """`expressions.customer_purchases`: per buyer, orders, first and last order and the median gap
        in days between consecutive orders, up to `until` (inclusive; None: every order)."""
        from workbench.data.engines.expressions import customer_purchases

        out = customer_purchases(self.table, until)
        self.rows += len(out)
        return out

    def value_counts(self, members: pd.DataFrame, columns: tuple[str, ...]) -> dict[str, dict]:
        """`expressions.order_value_counts`: customers per value of each column, audience and base."""
        from workbench.data.engines.expressions import order_value_counts

        out = order_value_counts(self.table, members, columns)
        self.rows += sum(len(c["base"][0]) + len(c["audience"][0]) + 2 for c in out.values())
        return out

    def _up_to(self, as_of: pd.Timestamp) -> Any:
        t = self.table
        stop = (pd.Timestamp(as_of) + pd.Timedelta(days=1)).to_pydatetime()
        return t.mutate(when=t.order_date.cast("timestamp"), cid=t.customer_id.cast("string")).filter(
            lambda x: x.when < stop
        )

    def customers(self) -> pd.DataFrame:
        """`features.customers_from_orders`: customer_id and signup_date = the day of the first order."""
        t = self.table
        first = t.group_by(cid=t.customer_id.cast("string")).aggregate(first=t.order_date.cast("timestamp").min())
        frame = first.execute().sort_values("cid", kind="stable")
        signup = pd.to_datetime(frame["first"]).dt.normalize()
        return pd.DataFrame({"customer_id": frame["cid"].to_numpy(), "signup_date": signup.to_numpy()})

    def rfm_totals(self, as_of: pd.Timestamp) -> pd.DataFrame:
        """Per customer up to as_of: last order, orders (distinct order_id when given) and revenue."""
        o = self._up_to(as_of)
        count = o.order_id.nunique() if "order_id" in o.columns else o.count()
        agg = o.group_by("cid").aggregate(
            last=o.when.max(), frequency=count, monetary=o.revenue.cast("float64").fill_null(0.0).sum()
        )
        frame = agg.execute().set_index("cid").sort_index()
        self.rows += len(frame)
        frame.index.name = "customer_id"
        frame["last"] = pd.to_datetime(frame["last"])
        return frame

    def modes(self, as_of: pd.Timestamp, columns: tuple[str, ...] = ("channel", "category", "price_tier")) -> dict:
        """Most frequent value per customer of each column present (ties: alphabetically first)."""
        import ibis

        o, out = self._up_to(as_of), {}
        for col in [c for c in columns if c in self.table.columns]:
            v = o.filter(o[col].notnull()).mutate(val=o[col].cast("string"))
            n = v.group_by(["cid", "val"]).aggregate(n=v.count())
            rank = ibis.row_number().over(group_by=n.cid, order_by=[ibis.desc(n.n), n.val])
            top = n.mutate(r=rank).filter(lambda x: x.r == 0).select("cid", "val").execute()
            self.rows += len(top)
            out[col] = top.set_index("cid")["val"].astype(object).sort_index()
        return out

    def revenue_between(self, start: pd.Timestamp, stop: pd.Timestamp) -> pd.Series:
        """Revenue per customer of the orders dated in [start, stop)."""
        t = self.table
        when = t.order_date.cast("timestamp")
        w = t.filter((when >= pd.Timestamp(start).to_pydatetime()) & (when < pd.Timestamp(stop).to_pydatetime()))
        agg = w.group_by(cid=w.customer_id.cast("string")).aggregate(r=w.revenue.cast("float64").fill_null(0.0).sum())
        frame = agg.execute()
        return pd.Series(frame["r"].to_numpy(float), index=pd.Index(frame["cid"], name="customer_id")).sort_index()

    def transactions(self, calibration_end: Any, observation_end: Any = None, time_unit: str = "W") -> pd.DataFrame:
        """`customer_value.transaction_summary`, computed on the engine."""
        from workbench.analysis.customers.customer_value import TIME_UNITS
        from workbench.data.engines.expressions import customer_transactions

        if time_unit not in TIME_UNITS:
            raise ValueError(f"time_unit must be one of {sorted(TIME_UNITS)}, got {time_unit!r}")
        out = customer_transactions(self.table, calibration_end, observation_end, TIME_UNITS[time_unit])
        return out.astype({"first_purchase": "datetime64[ns]"})


def order_inputs(orders_path: str) -> pd.DataFrame | OrderSummaries | None:
    """The segmentation's orders: a loaded frame for a file, per-customer summaries for an engine
    table (`run_segmentation` accepts both), None when not given."""
    if is_engine_source(orders_path):
        return OrderSummaries(orders_path)
    return load_input("orders", orders_path)


def customer_orders_input(orders_path: str) -> OrderSummaries | None:
    """The audience portrait's orders, as `OrderSummaries`; "" → None.

    An engine table is reduced where it lives (its rows checked against the orders contract there): one row
    per buyer, per RFM customer, per value bought reaches the kernel. A file is loaded and validated as
    before, then reduced by the same expressions over the loaded frame (in-memory DuckDB), so everything
    after the reduction is the same code on both paths."""
    if is_engine_source(orders_path):
        return OrderSummaries(orders_path)
    frame = load_input("orders", orders_path)
    return None if frame is None else OrderSummaries.from_frame(frame, str(orders_path))


class SessionSummaries:
    """Sessions read by the segmentation and the audience portrait only through aggregates.

    `per_customer(until)`: one row per customer (visits, first and last visit, visits per device, main
    device and main source: `expressions.customer_sessions`); `slots(members)`: visits per audience flag ×
    weekday × hour; `values(members)`: customers per source / medium — members being the base's ids
    flagged by audience, sent to the engine and joined there. The table is an engine table or a loaded
    file as an in-memory table, so both run the same expressions and give the same numbers. `rows` counts
    the aggregate rows that reached the kernel."""

    def __init__(self, table: Any, label: str) -> None:
        self.table, self.label = table, label
        self.columns = tuple(table.columns)
        self.rows = 0
        self._per_customer: dict[Any, pd.DataFrame] = {}

    @classmethod
    def from_source(cls, source: str) -> SessionSummaries:
        """An engine table (`duckdb:///…#sessions`, `spark://…#sessions`), renamed as the report asks,
        its rows checked against the sessions contract on the engine (`checked_table`)."""
        from workbench.data.engines import redact
        from workbench.engine_url import parse_source

        src = parse_source(source, "sessions_path")
        return cls(checked_table("sessions", source, "sessions_path"), f"{redact(src.url)}#{src.table}")

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, label: str = "sessions") -> SessionSummaries:
        """Loaded (and validated) sessions, reduced by the same expressions in in-memory DuckDB."""
        import ibis

        return cls(ibis.memtable(frame), label)

    def per_customer(self, until: Any = None) -> pd.DataFrame:
        """`expressions.customer_sessions` up to `until` (inclusive; None: every session), cached."""
        from workbench.data.engines.expressions import customer_sessions

        key = None if until is None else pd.Timestamp(until)
        if key not in self._per_customer:
            self._per_customer[key] = customer_sessions(self.table, key)
            self.rows += len(self._per_customer[key])
        return self._per_customer[key]

    def slots(self, members: pd.DataFrame) -> pd.DataFrame:
        """`expressions.audience_slots`: members' visits per audience flag × weekday × hour."""
        from workbench.data.engines.expressions import audience_slots

        out = audience_slots(self.table, members)
        self.rows += len(out)
        return out

    def values(self, members: pd.DataFrame, columns: tuple[str, ...] = ("source", "medium")) -> dict:
        """`expressions.audience_values`: customers per source / medium, audience and base."""
        from workbench.data.engines.expressions import audience_values

        out = audience_values(self.table, members, columns)
        self.rows += len(out["base"][0]) + len(out["audience"][0]) + 2
        return out


def customer_sessions_input(sessions_path: str) -> SessionSummaries | None:
    """The segmentation's and the audience portrait's sessions, as `SessionSummaries`; "" → None.

    An engine table is reduced where it lives (one row per customer, per slot, per source / medium
    reaches the kernel); a file is loaded and validated as before, then reduced by the same expressions
    over the loaded frame, so everything after the reduction is the same code on both paths."""
    if is_engine_source(sessions_path):
        return SessionSummaries.from_source(sessions_path)
    frame = load_input("sessions", sessions_path)
    return None if frame is None else SessionSummaries.from_frame(frame, str(sessions_path))
