"""Aggregations over event-level tables, each written once as an Ibis expression.

Every function takes an Ibis table (from `open_table`, or `ibis.memtable` in tests) and returns a
lazy expression or a small pandas frame: the rows stay on the engine (DuckDB by default, Spark,
BigQuery, ClickHouse, PostgreSQL) and only aggregates reach the notebook kernel. The same expression is
tested on DuckDB and on Spark for identical results (tests/data/engines/).

Semantics follow the pandas/DuckDB implementations the reports already use, so switching an input
from a file to a warehouse table changes where the work happens, not the numbers:
`touchpoints_to_paths` ↔ workbench.data.aggregate.touchpoints_to_paths, `path_summary` ↔
workbench.analysis.campaigns.attribution.summarise_paths, `customer_transactions` ↔
workbench.analysis.customers.customer_value.transaction_summary, `customer_sessions` ↔
workbench.analysis.customers.features.customer_sessions_frame, `audience_slots` ↔
workbench.analysis.customers.portrait.activity_profile.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import DataValidationError

__all__ = [
    "AD_STATS_KEYS",
    "ad_stats_campaigns",
    "audience_slots",
    "audience_values",
    "customer_purchases",
    "customer_sessions",
    "customer_transactions",
    "daily_ad_stats",
    "finish_paths",
    "flight_ad_stats",
    "first_orders_by_month",
    "flight_attribution",
    "journeys_ending",
    "monthly_totals",
    "order_days",
    "order_value_counts",
    "path_summary",
    "require_columns",
    "session_groups",
    "session_span",
    "sessions_by_hour_device",
    "time_decay_credit",
    "touchpoints_to_paths",
    "traffic_counts",
    "visitor_counts",
]

SECONDS_PER_DAY = 86_400


def require_columns(t: Any, needed: Sequence[str], what: str) -> None:
    """Stop with the columns a table lacks and the ones it has (the engine's own error is cryptic)."""
    missing = [c for c in needed if c not in t.columns]
    if missing:
        raise DataValidationError(f"{what}: missing column(s) {missing}; the table has {list(t.columns)}")


def _flag(t: Any, column: str) -> Any:
    import ibis

    return t[column].cast("boolean").fill_null(False) if column in t.columns else ibis.literal(False)


def sessions_by_hour_device(t: Any, between: tuple[Any, Any] | None = None) -> Any:
    """Sessions per device × weekday (0 = Monday) × hour, with conversions and revenue when present;
    with `between=(start, stop)` only sessions that start in [start, stop) (a best-time window)."""
    require_columns(t, ("started_at", "device"), "sessions")
    t = _between(t, "started_at", between)
    ts = t.started_at.cast("timestamp")
    metrics = {"sessions": t.count()}
    if "converted" in t.columns:
        metrics["conversions"] = _flag(t, "converted").cast("int64").sum()
    if "revenue" in t.columns:
        metrics["revenue"] = t.revenue.cast("float64").sum()
    grouped = t.group_by(
        device=t.device.cast("string"), weekday=ts.day_of_week.index().cast("int32"), hour=ts.hour().cast("int32")
    ).aggregate(**metrics)
    return grouped.order_by(["device", "weekday", "hour"])


def _between(t: Any, column: str, between: tuple[Any, Any] | None) -> Any:
    """Rows whose `column` falls in [start, stop), or all rows."""
    if between is None:
        return t
    start, stop = (pd.Timestamp(x).to_pydatetime() for x in between)
    when = t[column].cast("timestamp")
    return t.filter((when >= start) & (when < stop))


def session_groups(sessions: Any, by: str | Sequence[str], between: tuple[Any, Any] | None = None) -> pd.DataFrame:
    """Sessions, engaged sessions (pageviews > 1), conversions and revenue per group of `by` (null keys kept
    as their own group), for the sessions that start in [start, stop): a campaign flight's sessions per
    campaign × source × device, from which its KPIs and funnels are sums. Sorted by `by`, nulls last."""
    by = [by] if isinstance(by, str) else list(by)
    require_columns(sessions, ("started_at", *by), "sessions")
    t = _between(sessions, "started_at", between)
    metrics = {"sessions": t.count()}
    if "pageviews" in t.columns:
        metrics["engaged_sessions"] = (t.pageviews.cast("float64") > 1).fill_null(False).cast("int64").sum()
    if "converted" in t.columns:
        metrics["conversions"] = _flag(t, "converted").cast("int64").sum()
    if "revenue" in t.columns:
        metrics["revenue"] = t.revenue.cast("float64").sum()
    grouped = t.group_by(**{c: t[c].cast("string") for c in by}) if by else t
    frame = grouped.aggregate(**metrics).execute()
    for c in by:  # a missing key is None whichever engine answered
        frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
    return frame.sort_values(by, kind="stable", na_position="last").reset_index(drop=True) if by else frame


def daily_ad_stats(t: Any) -> Any:
    """Ad statistics summed per day × channel × campaign (ad groups and creatives folded in)."""
    require_columns(t, ("date", "campaign", "channel", "impressions", "clicks", "cost"), "ad_stats")
    metrics = {
        "impressions": t.impressions.cast("int64").sum(),
        "clicks": t.clicks.cast("int64").sum(),
        "cost": t.cost.cast("float64").sum(),
    }
    if "conversions" in t.columns:
        metrics["conversions"] = t.conversions.cast("int64").sum()
    if "revenue" in t.columns:
        metrics["revenue"] = t.revenue.cast("float64").sum()
    day = t.date.cast("timestamp").date()
    grouped = t.group_by(date=day, channel=t.channel.cast("string"), campaign=t.campaign.cast("string"))
    return grouped.aggregate(**metrics).order_by(["date", "channel", "campaign"])


def _journey_touches(t: Any, lookback_days: float | None, with_end: bool = True) -> Any:
    """One row per kept touch: u (user), j (journey number), ts, ch, c (converting touch), v (its value),
    end (the journey's last touch); the lookback drops touches more than that many days before `end`.
    `with_end=False` (no lookback) skips the `end` window: a second sort of every touch saved."""
    import ibis

    if lookback_days is not None and not lookback_days > 0:
        raise ValueError(f"lookback_days must be a positive number or None, got {lookback_days!r}")
    require_columns(t, ("user_id", "touched_at", "channel"), "touchpoints")
    conv = _flag(t, "converted")
    value = t.conversion_value.cast("float64").fill_null(0.0) if "conversion_value" in t.columns else 0.0
    base = t.select(
        u=t.user_id.cast("string"),
        ts=t.touched_at.cast("timestamp"),
        ch=t.channel.cast("string").fill_null("(unknown)"),
        c=conv,
        v=ibis.ifelse(conv, value, 0.0),
    )
    # journey number = conversions strictly before this touch (one window function, no nesting)
    conversions_so_far = base.c.cast("int64").cumsum(group_by=base.u, order_by=[base.ts, base.c, base.ch])
    journeys = base.mutate(j=conversions_so_far - base.c.cast("int64"))
    if not with_end and lookback_days is None:
        return journeys
    journeys = journeys.mutate(end=journeys.ts.max().over(group_by=[journeys.u, journeys.j]))
    if lookback_days is not None:
        window = ibis.interval(seconds=int(round(lookback_days * SECONDS_PER_DAY)))
        journeys = journeys.filter(journeys.ts >= journeys.end - window)
    return journeys


def _ended_between(journeys: Any, ended_between: tuple[Any, Any] | None) -> Any:
    """Only the journeys whose last touch falls in [start, stop) (both timestamps), or all."""
    if ended_between is None:
        return journeys
    start, stop = (pd.Timestamp(x).to_pydatetime() for x in ended_between)
    return journeys.filter((journeys.end >= start) & (journeys.end < stop))


def touchpoints_to_paths(
    t: Any, lookback_days: float | None = None, ended_between: tuple[Any, Any] | None = None
) -> Any:
    """Touchpoints → distinct paths with conversions, non-conversions and value (an Ibis expression).

    A user's touches are ordered by time (ties: non-converting first, then channel) and split into
    journeys at each conversion (the converting touch closes its journey); touches after the last
    conversion form a journey without conversion. With `lookback_days` only touches within that many
    days before the journey's last touch count; with `ended_between=(start, stop)` only journeys whose
    last touch falls in [start, stop) (a campaign flight). Channels are joined with " > ".
    """
    with_end = lookback_days is not None or ended_between is not None
    return _paths_of(_ended_between(_journey_touches(t, lookback_days, with_end), ended_between))


def _paths_of(journeys: Any) -> Any:
    """The distinct paths of journey touches (u, j, ts, c, ch, v): `touchpoints_to_paths` after the cut."""
    import ibis

    # the channels in journey order: collect (ts, c, ch) structs and sort them (structs compare field by
    # field, so this is the journey's touch order) instead of numbering touches with a window first: one
    # sort of every touch fewer (Spark has no ordered ARRAY_AGG, so the expression stays portable)
    touch = ibis.struct({"ts": journeys.ts, "c": journeys.c, "ch": journeys.ch})
    per_journey = journeys.group_by(["u", "j"]).aggregate(
        path=touch.collect().sort().map(lambda s: s.ch).join(" > "),
        converted=journeys.c.cast("int64").max(),
        value=journeys.v.sum(),
    )
    paths = per_journey.group_by("path").aggregate(
        conversions=per_journey.converted.sum(), journeys=per_journey.count(), value=per_journey.value.sum()
    )
    return paths.select(
        "path",
        conversions=paths.conversions.cast("int64"),
        non_conversions=(paths.journeys - paths.conversions).cast("int64"),
        value=paths.value,
    )


def _state(arr: Any, stop: Any, order: int) -> Any:
    """The Markov state after the touch before `stop` (0-based, exclusive): its last `order` channels."""
    import ibis

    return arr[ibis.greatest(stop - order, 0) : stop].join(" > ")


def path_summary(
    t: Any,
    lookback_days: float | None = None,
    ended_between: tuple[Any, Any] | None = None,
    order: int = 1,
    top_n: int = 20,
    max_channels: int = 20,
) -> dict[str, Any]:
    """What attribution reads of the paths, computed on the engine: rows bounded by the channels.

    The distinct paths (`touchpoints_to_paths`) are kept on the engine (`cache()`: a temporary table,
    a cached Spark frame) and reduced there to: rule-based credit per channel, order-`order` Markov
    transition counts (from_state, to_state, journeys, value: `markov.transition_counts`), the journeys
    per set of channels (Shapley; skipped above `max_channels` channels), the path-length table, the
    `top_n` paths and the totals. Paths are split as the kernel splits them (on ">", steps stripped)."""
    _check_order(order)
    return _summary_of_paths(touchpoints_to_paths(t, lookback_days, ended_between), order, top_n, max_channels)


def _check_order(order: int) -> None:
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"order must be a positive integer; got {order!r}")


def _summary_of_paths(paths: Any, order: int, top_n: int, max_channels: int) -> dict[str, Any]:
    """`path_summary` of a paths expression: computed once into a cached table, read by four queries."""
    import ibis

    cached = paths.cache()
    try:
        return _summarise_on_engine(ibis, cached, order, top_n, max_channels)
    finally:
        _release(cached)


def _release(cached: Any) -> None:
    """Drop a cached table. Ibis 12's DROP loses the table's name with the installed sqlglot (DuckDB:
    "syntax error at or near EXISTS"); its cache entry is gone by then, so the drop is written here."""
    name = cached.op().name
    try:
        cached.release()
    except Exception:
        cached._find_backend(use_default=True).raw_sql(f'DROP TABLE IF EXISTS "{name}"')


def _summarise_on_engine(ibis: Any, paths: Any, order: int, top_n: int, max_channels: int) -> dict[str, Any]:
    """Four queries over the cached paths: lengths (the totals are their sums), the top paths, one pass
    over the steps (credit and transitions together) and the channel sets; only one unnests the steps."""
    steps = paths.path.split(">").map(lambda s: s.strip()).filter(lambda s: s != "")
    p = paths.mutate(steps=steps, n=paths.conversions + paths.non_conversions)
    p = p.mutate(k=p.steps.length(), cv=ibis.ifelse(p.conversions > 0, p.value, 0.0))
    sums = {c: p[c].sum() for c in ("conversions", "non_conversions", "value")}
    by_length = p.group_by(length=p.k).aggregate(paths=p.count(), journeys=p.n.sum(), **sums).order_by("length")
    by_length = by_length.execute().astype(
        {"length": int, "paths": float, "journeys": float, **dict.fromkeys(sums, float)}
    )
    top = paths.order_by([ibis.desc("conversions"), ibis.desc("non_conversions"), "path"]).limit(top_n)
    heuristic, transitions = _step_aggregates(ibis, p, order)
    channel_sets = None
    if len(heuristic) <= max_channels:  # Shapley enumerates 2^channels coalitions: no more sets than that
        s = p.mutate(members=p.steps.unique().sort().join(" > "))
        channel_sets = s.group_by(path=s.members).aggregate(**{c: s[c].sum() for c in sums}).order_by("path")
        channel_sets = channel_sets.execute().astype(dict.fromkeys(sums, float))
    return {
        "heuristic": heuristic,
        "transitions": transitions,
        "order": order,
        "channel_sets": channel_sets,
        "lengths": by_length.drop(columns="paths"),
        "top_paths": finish_paths(top.execute()),
        "totals": {k: float(by_length[k].sum()) for k in ("paths", "journeys", *sums)},
    }


def _step_aggregates(ibis: Any, p: Any, order: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rule-based credit per channel and Markov transition counts from ONE grouping of every step of every
    path by (channel, from_state, to_state): each group sums its credit, the journeys through the move and,
    for paths' last steps, the exits (conversions, non-conversions, value). The channel is the last step of
    to_state, so the groups are the transitions' and the kernel sums them into credit and exits."""
    u = p.mutate(arr=p.steps).unnest("steps", offset="pos")  # one row per step of each path
    first, last = u.pos == 0, u.pos == u.k - 1
    middle = 0.2 / ibis.greatest(u.k - 2, 1).cast("float64")
    weights = {
        "first_touch": first.cast("float64"),
        "last_touch": last.cast("float64"),
        "linear": 1.0 / u.k.cast("float64"),
        "position_based": ibis.cases((u.k == 1, 1.0), (u.k == 2, 0.5), (first | last, 0.4), else_=middle),
    }
    credit = {f"{m}_{c}": (w * u[c]).sum() for m, w in weights.items() for c in ("conversions", "value")}
    if order == 1:  # a state is one channel: index the array instead of slicing and joining it
        keys = {"channel": u.steps, "from_state": ibis.ifelse(first, "(start)", u.arr[ibis.greatest(u.pos - 1, 0)])}
    else:
        keys = {
            "channel": u.steps,
            "from_state": ibis.ifelse(first, "(start)", _state(u.arr, u.pos, order)),
            "to_state": _state(u.arr, u.pos + 1, order),
        }
    exits = {"c": u.conversions.sum(where=last), "nc": u.non_conversions.sum(where=last), "v": u.cv.sum(where=last)}
    g = u.group_by(**keys).aggregate(**credit, journeys=u.n.sum(), **exits).execute()
    if order == 1:
        g["to_state"] = g["channel"]
    g = g.fillna({"c": 0, "nc": 0, "v": 0.0}).astype({"journeys": float, "c": float, "nc": float, "v": float})
    heuristic = g.groupby("channel", sort=True)[list(credit)].sum().reset_index().astype(dict.fromkeys(credit, float))
    ends = g.groupby("to_state", sort=False)[["c", "nc", "v"]].sum()
    last_state = ends.index.to_numpy(dtype=object)
    transitions = pd.concat(
        [
            pd.DataFrame(
                {"from_state": g["from_state"], "to_state": g["to_state"], "journeys": g["journeys"], "value": 0.0}
            ),
            pd.DataFrame(
                {
                    "from_state": last_state,
                    "to_state": "(conversion)",
                    "journeys": ends["c"].to_numpy(),
                    "value": ends["v"].to_numpy(),
                }
            ),
            pd.DataFrame(
                {"from_state": last_state, "to_state": "(null)", "journeys": ends["nc"].to_numpy(), "value": 0.0}
            ),
        ],
        ignore_index=True,
    ).astype({"journeys": float, "value": float})
    transitions = transitions[transitions["journeys"] > 0].sort_values(["from_state", "to_state"], kind="stable")
    return heuristic, transitions.reset_index(drop=True)


def journeys_ending(t: Any, ended_between: tuple[Any, Any], lookback_days: float | None = None) -> int:
    """How many journeys end in [start, stop): a report falls back to every journey when none does."""
    return _journey_count(_ended_between(_journey_touches(t, lookback_days), ended_between))


def _journey_count(journeys: Any) -> int:
    return int(journeys.select("u", "j").distinct().count().execute())


def time_decay_credit(
    t: Any,
    half_life_days: float,
    lookback_days: float | None = None,
    ended_between: tuple[Any, Any] | None = None,
) -> Any:
    """Time-decay attribution per channel (time_decay_conversions, time_decay_value), on the engine.

    As `rules.heuristic_attribution(journeys=…)`: a touch weighs 2^(−days before its journey's end /
    half_life_days), weights are normalised within each journey, and a channel is credited its weights
    times the journey's conversion (0/1) and value. Days are counted in whole seconds."""
    _check_half_life(half_life_days)
    return _time_decay(_ended_between(_journey_touches(t, lookback_days), ended_between), half_life_days)


def _check_half_life(half_life_days: float) -> None:
    if not half_life_days > 0:
        raise ValueError(f"half_life_days must be positive; got {half_life_days!r}")


def _time_decay(journeys: Any, half_life_days: float) -> Any:
    """`time_decay_credit` of journey touches that carry their journey's `end`."""
    import ibis

    days = (journeys.end.epoch_seconds() - journeys.ts.epoch_seconds()).cast("float64") / SECONDS_PER_DAY
    journeys = journeys.mutate(w=ibis.literal(0.5) ** (days / float(half_life_days)))
    per = ibis.window(group_by=[journeys.u, journeys.j])
    journeys = journeys.mutate(
        share=journeys.w / journeys.w.sum().over(per),
        jc=journeys.c.cast("float64").max().over(per),
        jv=journeys.v.sum().over(per),
    )
    credit = journeys.group_by(channel=journeys.ch).aggregate(
        time_decay_conversions=(journeys.share * journeys.jc).sum(),
        time_decay_value=(journeys.share * journeys.jv).sum(),
    )
    return credit.order_by("channel")


def flight_attribution(
    t: Any,
    ended_between: tuple[Any, Any],
    lookback_days: float | None = None,
    half_life_days: float = 7.0,
    order: int = 1,
    top_n: int = 20,
    max_channels: int = 20,
) -> tuple[dict[str, Any], pd.DataFrame, bool]:
    """The post-mortem's attribution from touchpoints: (`path_summary`, `time_decay_credit` executed,
    in_flight) for the journeys that end in [start, stop), or for every journey when none does
    (in_flight False; `journeys_ending` is the test), with `lookback_days`.

    Why: building the journeys sorts every touch (a window per user, another per journey for its end).
    Here that is done once: the flight's journey touches are cached (a temporary table, a cached Spark
    frame; a flight's share of the touches) and the count, the paths and the time-decay credit read them.
    Only the fallback reads the touches again, as `path_summary` and `time_decay_credit` do."""
    _check_order(order)
    _check_half_life(half_life_days)
    flight = _ended_between(_journey_touches(t, lookback_days), ended_between).cache()
    try:
        if _journey_count(flight) > 0:
            summary = _summary_of_paths(_paths_of(flight), order, top_n, max_channels)
            return summary, _time_decay(flight, half_life_days).execute(), True
    finally:
        _release(flight)
    summary = path_summary(t, lookback_days, None, order, top_n, max_channels)
    return summary, time_decay_credit(t, half_life_days, lookback_days).execute(), False


def finish_paths(frame: pd.DataFrame) -> pd.DataFrame:
    """The executed paths expression in the order and types of the file-based implementation."""
    out = frame.astype({"conversions": "int64", "non_conversions": "int64"})
    out["value"] = out["value"].astype(float).round(2)
    return out.sort_values(
        ["conversions", "non_conversions", "path"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)


def _day_number(column: Any) -> Any:
    """Days since 1970-01-01 (UTC) as an integer: date arithmetic every engine does the same way."""
    return (column.cast("timestamp").epoch_seconds() // SECONDS_PER_DAY).cast("int64")


def _day(value: Any) -> int:
    return int(pd.Timestamp(value).normalize().value // (SECONDS_PER_DAY * 10**9))


def customer_transactions(
    orders: Any,
    calibration_end: Any,
    observation_end: Any = None,
    time_unit_days: float = 7.0,
    calibration_start: Any = None,
) -> pd.DataFrame:
    """Per customer: frequency, recency, T, monetary_value, first_purchase (and holdout counts): the
    BG/NBD and Gamma-Gamma input, computed on the engine; only one row per customer comes back.

    Same definitions as `transaction_summary`: several orders on one calendar day are one
    transaction; customers whose first order falls up to calibration_end (and from calibration_start)
    are included; T and recency are in days ÷ `time_unit_days`; monetary_value is the mean repeat spend.
    """
    import ibis

    require_columns(orders, ("customer_id", "order_date", "revenue"), "orders")
    cal = _day(calibration_end)
    days = orders.select(
        customer_id=orders.customer_id.cast("string"),
        d=_day_number(orders.order_date),
        revenue=orders.revenue.cast("float64").fill_null(0.0),
    )
    daily = days.group_by(["customer_id", "d"]).aggregate(revenue=days.revenue.sum())
    first = daily.d.min().over(group_by=daily.customer_id)
    daily = daily.mutate(first=first)
    keep = daily.first <= cal
    if calibration_start is not None:
        keep &= daily.first >= _day(calibration_start)
    daily = daily.filter(keep)
    in_cal = daily.d <= cal
    metrics: dict[str, Any] = {
        "first": daily.first.min(),
        "n_days": in_cal.cast("int64").sum(),
        "last": daily.d.max(where=in_cal),
        "revenue_cal": daily.revenue.sum(where=in_cal),
        "revenue_first": daily.revenue.sum(where=daily.d == daily.first),
    }
    if observation_end is not None:
        obs = _day(observation_end)
        if obs <= cal:
            raise ValueError(f"observation_end ({observation_end}) must be after calibration_end ({calibration_end})")
        holdout = (daily.d > cal) & (daily.d <= obs)
        metrics["frequency_holdout"] = holdout.cast("int64").sum()
        metrics["revenue_holdout"] = ibis.ifelse(holdout, daily.revenue, 0.0).sum()
    frame = daily.group_by("customer_id").aggregate(**metrics).execute()
    out = pd.DataFrame(index=pd.Index(frame["customer_id"].astype(str), name="customer_id"))
    first_day = frame["first"].to_numpy(dtype=np.int64)
    out["first_purchase"] = pd.to_datetime(first_day * SECONDS_PER_DAY, unit="s").to_numpy()
    out["frequency"] = (frame["n_days"].to_numpy(dtype=np.int64) - 1).astype(int)
    out["recency"] = (frame["last"].to_numpy(dtype=float) - first_day) / time_unit_days
    out["T"] = (cal - first_day) / time_unit_days
    repeat = frame["revenue_cal"].to_numpy(dtype=float) - frame["revenue_first"].to_numpy(dtype=float)
    freq = out["frequency"].to_numpy()
    out["monetary_value"] = np.where(freq > 0, repeat / np.clip(freq, 1, None), 0.0)
    if observation_end is not None:
        out["frequency_holdout"] = frame["frequency_holdout"].to_numpy(dtype=np.int64).astype(int)
        out["revenue_holdout"] = frame["revenue_holdout"].to_numpy(dtype=float)
        out["duration_holdout"] = (_day(observation_end) - cal) / time_unit_days
    return out.sort_index()


def _month_key(column: Any) -> Any:
    ts = column.cast("timestamp")
    return (ts.year() * 100 + ts.month()).cast("int32")


def traffic_counts(sessions: Any, by: str | Sequence[str], months: Sequence[str] | None = None) -> pd.DataFrame:
    """Sessions, conversions and revenue per month × group for the named months ('2026-06'), or every
    month: the heavy step of the monthly metrics and traffic breakdowns (source/medium, device, page)."""
    by = [by] if isinstance(by, str) else list(by)
    require_columns(sessions, ("started_at", *by), "sessions")
    month = _month_key(sessions.started_at)
    t = sessions.mutate(month=month, **{c: sessions[c].cast("string").fill_null("(not set)") for c in by})
    if months is None:
        t = t.filter(t.month.notnull())
    else:
        t = t.filter(t.month.isin([int(pd.Period(m, "M").strftime("%Y%m")) for m in months]))
    metrics = {"sessions": t.count()}
    if "converted" in t.columns:
        metrics["conversions"] = _flag(t, "converted").cast("int64").sum()
    if "revenue" in t.columns:
        metrics["revenue"] = t.revenue.cast("float64").sum()
    frame = t.group_by(["month", *by]).aggregate(**metrics).execute()
    frame["month"] = pd.PeriodIndex([f"{k // 100}-{k % 100:02d}" for k in frame["month"]], freq="M")
    return frame.sort_values(["month", *by], kind="stable").reset_index(drop=True)


def monthly_totals(t: Any, date_column: str, sums: Sequence[str] = (), count_name: str = "rows") -> pd.DataFrame:
    """Per calendar month: the row count and the sums of `sums` (orders → orders and revenue, ad_stats →
    cost): the monthly frames the change detection and forecasts read, computed on the engine."""
    require_columns(t, (date_column, *sums), "monthly totals")
    month = _month_key(t[date_column])
    metrics = {count_name: t.count(), **{c: t[c].cast("float64").sum() for c in sums}}
    frame = t.group_by(month=month).aggregate(**metrics).execute()
    frame = frame.dropna(subset=["month"])
    index = pd.PeriodIndex([f"{int(k) // 100}-{int(k) % 100:02d}" for k in frame["month"]], freq="M", name="month")
    out = frame.drop(columns="month").set_index(index).sort_index().astype(float)
    if len(out):
        out = out.reindex(pd.period_range(out.index.min(), out.index.max(), freq="M", name="month"), fill_value=0.0)
    return out


def session_span(sessions: Any) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last session start: the report month defaults to the last complete month."""
    require_columns(sessions, ("started_at",), "sessions")
    ts = sessions.started_at.cast("timestamp")
    row = sessions.aggregate(first=ts.min(), last=ts.max()).execute().iloc[0]
    return pd.Timestamp(row["first"]), pd.Timestamp(row["last"])


def visitor_counts(sessions: Any, month: str) -> pd.DataFrame:
    """Sessions of `month` by visitor type: "new" (the customer's first session ever falls in the month),
    "returning" (an earlier one exists), "not identified" (no customer_id); visitors, sessions,
    conversions and revenue per type. One row per type present, as `traffic.new_vs_returning`."""
    import ibis

    require_columns(sessions, ("started_at", "customer_id"), "sessions")
    key = int(pd.Period(month, "M").strftime("%Y%m"))
    cid = sessions.customer_id.cast("string")
    t = sessions.mutate(cid=cid, ident=cid.notnull() & (cid.strip() != ""), month=_month_key(sessions.started_at))
    ident = t.filter(t.ident)
    first = ident.group_by(fcid=ident.cid).aggregate(first_month=ident.month.min())
    cur = t.filter(t.month == key)
    cur = cur.left_join(first, cur.cid == first.fcid)
    kind = ibis.cases(
        (cur.ident & (cur.first_month == key), "new"),
        (cur.ident & (cur.first_month < key), "returning"),
        else_="not identified",
    )
    cur = cur.mutate(visitor_type=kind)
    metrics: dict[str, Any] = {"sessions": cur.count(), "visitors": cur.cid.nunique(where=cur.ident)}
    if "converted" in sessions.columns:
        metrics["conversions"] = _flag(cur, "converted").cast("int64").sum()
    if "revenue" in sessions.columns:
        metrics["revenue"] = cur.revenue.cast("float64").sum()
    return cur.group_by("visitor_type").aggregate(**metrics).order_by("visitor_type").execute()


def first_orders_by_month(orders: Any) -> pd.Series:
    """New customers per month: how many customers' first order ever falls in each month."""
    require_columns(orders, ("customer_id", "order_date"), "orders")
    known = orders.filter(orders.customer_id.notnull())
    first = known.group_by(known.customer_id).aggregate(first=known.order_date.cast("timestamp").min())
    frame = first.group_by(month=_month_key(first.first)).aggregate(n=first.count()).execute()
    frame = frame.dropna(subset=["month"])
    index = pd.PeriodIndex([f"{int(k) // 100}-{int(k) % 100:02d}" for k in frame["month"]], freq="M", name="month")
    return pd.Series(frame["n"].to_numpy(dtype=float), index=index, name="new_customers").sort_index()


def order_days(orders: Any, between: tuple[Any, Any]) -> pd.DataFrame:
    """Per day of [start, stop) with orders: orders (rows), revenue (a missing revenue adds nothing) and,
    when the table has customer_id, new customers — those whose first order ever falls on that day (every
    order counts for the first, not only the window's; orders without a customer or a date count for none).
    The campaign post-mortem's orders: one row per day of the flight, whatever the number of orders."""
    require_columns(orders, ("order_date", "revenue"), "orders")
    start, stop = (pd.Timestamp(x).to_pydatetime() for x in between)
    t = orders.mutate(when=orders.order_date.cast("timestamp"))
    flight = t.filter((t.when >= start) & (t.when < stop))
    per_day = flight.group_by(d=_day_number(flight.when)).aggregate(
        orders=flight.count(), revenue=flight.revenue.cast("float64").fill_null(0.0).sum()
    )
    frame = per_day.execute().set_index("d")
    if "customer_id" in orders.columns:
        known = t.filter(t.customer_id.notnull())
        firsts = known.group_by(known.customer_id).aggregate(first_at=known.when.min())
        firsts = firsts.filter((firsts.first_at >= start) & (firsts.first_at < stop))
        new = firsts.group_by(d=_day_number(firsts.first_at)).aggregate(new_customers=firsts.count()).execute()
        frame = frame.join(new.set_index("d"), how="outer").fillna({"orders": 0, "revenue": 0.0, "new_customers": 0})
    frame = frame.sort_index()
    day = pd.to_datetime(frame.index.to_numpy(dtype=np.int64) * SECONDS_PER_DAY, unit="s")
    out = pd.DataFrame({"day": day.astype("datetime64[ns]")})
    out["orders"] = frame["orders"].to_numpy(dtype=np.int64)
    out["revenue"] = frame["revenue"].to_numpy(dtype=float)
    if "new_customers" in frame.columns:
        out["new_customers"] = frame["new_customers"].to_numpy(dtype=np.int64)
    return out


def customer_purchases(orders: Any, until: Any = None) -> pd.DataFrame:
    """Per customer (index customer_id as a string): orders (rows), first and last order, and
    median_gap_days — the median of the whole days between consecutive orders (floored, as pandas'
    `Timedelta.days`; missing with one order). Only orders with a customer and a date up to `until`
    (inclusive) count. The audience portrait's buying frequency, one row per buyer.

    The gaps come from a window `lag` over each customer's orders by date, and their median from each
    customer's middle one or two gaps (row numbers over the sorted gaps): exact on every engine, where
    engines' own medians differ (approximate on some)."""
    import ibis

    require_columns(orders, ("customer_id", "order_date"), "orders")
    t = orders.select(cid=orders.customer_id.cast("string"), ts=orders.order_date.cast("timestamp"))
    t = t.filter(t.cid.notnull() & t.ts.notnull())
    if until is not None:
        t = t.filter(t.ts <= pd.Timestamp(until).to_pydatetime())
    totals = t.group_by("cid").aggregate(orders=t.count(), first=t.ts.min(), last=t.ts.max()).execute()
    secs = t.ts.epoch_seconds()
    steps = t.mutate(gap=(secs - secs.lag().over(ibis.window(group_by=t.cid, order_by=t.ts))) // SECONDS_PER_DAY)
    gaps = steps.filter(steps.gap.notnull())
    ranked = gaps.mutate(
        r=ibis.row_number().over(group_by=gaps.cid, order_by=gaps.gap),
        n=gaps.gap.count().over(ibis.window(group_by=gaps.cid)),
    )
    middle = ranked.filter((ranked.r == (ranked.n - 1) // 2) | (ranked.r == ranked.n // 2))
    medians = middle.group_by("cid").aggregate(median_gap_days=middle.gap.cast("float64").mean()).execute()
    out = totals.set_index("cid").sort_index()
    out.index = pd.Index(out.index.astype(str), name="customer_id")
    out["orders"] = out["orders"].to_numpy(dtype=np.int64)
    for col in ("first", "last"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    gap = pd.Series(medians["median_gap_days"].to_numpy(dtype=float), index=medians["cid"].astype(str))
    out["median_gap_days"] = gap.reindex(out.index).to_numpy()
    return out[["orders", "first", "last", "median_gap_days"]]


def order_value_counts(orders: Any, members: pd.DataFrame, columns: Sequence[str]) -> dict[str, dict]:
    """Per column of `columns` the table has and holds a value in (any order, member or not): customers per
    value among `members` (customer_id, audience: bool), for the audience and the whole of `members`, as
    `audience_values` gives them — a customer counts once per distinct value (trimmed; blank left out). The
    audience portrait's brands, categories, price tiers and channels bought: `members` go to the engine as
    a small table and are joined there, so two rows per value come back, whatever the number of orders."""
    import ibis

    require_columns(orders, ("customer_id",), "orders")
    present = [c for c in columns if c in orders.columns]
    if not present:
        return {}
    held = orders.aggregate(**{f"n{i}": orders[c].count() for i, c in enumerate(present)}).execute().iloc[0]
    m = ibis.memtable(
        pd.DataFrame(
            {"mid": members["customer_id"].astype(str).to_numpy(), "in_audience": members["audience"].astype(bool)}
        )
    )
    t = orders.mutate(cid=orders.customer_id.cast("string"))
    joined = t.inner_join(m, t.cid == m.mid)
    out: dict[str, dict] = {}
    for i, col in enumerate(present):
        if not int(held[f"n{i}"]):
            continue
        j = joined.mutate(val=joined[col].cast("string").strip().nullif(""))
        out[col] = _customers_per_value(j)
    return out


DEVICE_PREFIX = "device="


def _linked_sessions(sessions: Any) -> Any:
    """Sessions with a customer and a start time: `cid` (customer_id as a string) and `ts` added."""
    require_columns(sessions, ("customer_id", "started_at"), "sessions")
    t = sessions.mutate(cid=sessions.customer_id.cast("string"), ts=sessions.started_at.cast("timestamp"))
    return t.filter(t.cid.notnull() & t.ts.notnull())


def customer_sessions(sessions: Any, until: Any = None) -> pd.DataFrame:
    """Per customer (one row each, index customer_id as a string): sessions, first and last start, visits
    per device (columns `device=<value>`, alphabetical), main_device and main_source; only sessions that
    start up to `until` (inclusive) when given. The segmentation's and the audience portrait's input.

    Devices are compared trimmed and lower-cased; a blank or missing device or source counts as a visit
    but not for any device or source. Ties: the main device or source is the one with the most visits,
    and among equals the alphabetically first (by code point) — the rule of `features._mode_by_customer`,
    applied here to counts, so it is the same on every engine.
    """
    import ibis

    t = _linked_sessions(sessions)
    if until is not None:
        t = t.filter(t.ts <= pd.Timestamp(until).to_pydatetime())
    devices: list[str] = []
    if "device" in t.columns:
        t = t.mutate(dev=t.device.cast("string").strip().lower().nullif(""))
        found = t.filter(t.dev.notnull()).select("dev").distinct().execute()["dev"]
        devices = sorted(str(d) for d in found)
    metrics: dict[str, Any] = {"sessions": t.count(), "first": t.ts.min(), "last": t.ts.max()}
    metrics |= {f"d{i}": (t.dev == d).cast("int64").sum() for i, d in enumerate(devices)}
    frame = t.group_by("cid").aggregate(**metrics).execute().set_index("cid").sort_index()
    frame.index = pd.Index(frame.index.astype(str), name="customer_id")
    out = pd.DataFrame(index=frame.index)
    out["sessions"] = frame["sessions"].to_numpy(dtype=np.int64)
    for col in ("first", "last"):
        out[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]").to_numpy()
    for i, d in enumerate(devices):
        out[DEVICE_PREFIX + d] = frame[f"d{i}"].to_numpy(dtype=np.int64)
    out["main_device"] = main_value(out[[DEVICE_PREFIX + d for d in devices]], DEVICE_PREFIX)
    if "source" in t.columns:
        s = t.filter(t.source.notnull()).mutate(val=t.source.cast("string"))
        n = s.group_by(["cid", "val"]).aggregate(n=s.count())
        rank = ibis.row_number().over(group_by=n.cid, order_by=[ibis.desc(n.n), n.val])
        top = n.mutate(r=rank).filter(lambda x: x.r == 0).select("cid", "val").execute()
        out["main_source"] = top.set_index(top["cid"].astype(str))["val"].astype(object).reindex(out.index)
    return out


def main_value(counts: pd.DataFrame, prefix: str = "") -> pd.Series:
    """Per row the column with the largest count (its name without `prefix`); ties: the alphabetically
    first name (by code point); no count above zero: missing."""
    names = sorted(counts.columns)
    if not names:
        return pd.Series([None] * len(counts), index=counts.index, dtype=object)
    values = counts[names].to_numpy(dtype=np.int64)
    best = values.argmax(axis=1)  # argmax returns the first maximum: the alphabetically first name
    labels = np.array([n[len(prefix) :] for n in names], dtype=object)[best]
    return pd.Series(np.where(values.max(axis=1) > 0, labels, None), index=counts.index, dtype=object)


def _members_join(sessions: Any, members: pd.DataFrame) -> Any:
    """The linked sessions of `members` (customer_id, audience: bool), flagged by audience: an inner
    join on the engine, so only the base's visits count and no session row leaves it."""
    import ibis

    t = _linked_sessions(sessions)
    m = ibis.memtable(
        pd.DataFrame(
            {"mid": members["customer_id"].astype(str).to_numpy(), "in_audience": members["audience"].astype(bool)}
        )
    )
    return t.inner_join(m, t.cid == m.mid)


def audience_slots(sessions: Any, members: pd.DataFrame) -> pd.DataFrame:
    """Sessions of `members` per audience flag × weekday (0 = Monday) × hour, with successes (converted
    sessions) when the table has `converted`: the audience portrait's activity times."""
    j = _members_join(sessions, members)
    metrics = {"n": j.count()}
    if "converted" in sessions.columns:
        metrics["successes"] = _flag(j, "converted").cast("int64").sum()
    grouped = j.group_by(
        audience=j.in_audience, weekday=j.ts.day_of_week.index().cast("int32"), hour=j.ts.hour().cast("int32")
    ).aggregate(**metrics)
    out = grouped.order_by(["audience", "weekday", "hour"]).execute()
    return out.astype({"audience": bool, "weekday": int, "hour": int, "n": np.int64})


def audience_values(sessions: Any, members: pd.DataFrame, columns: Sequence[str] = ("source", "medium")) -> dict:
    """Customers per value of `columns` joined by " / " (a customer counts once per distinct value), for
    the audience and the whole of `members`: {"audience": (counts, total), "base": (counts, total)}, the
    input of `affinity_from_counts`. Sessions with a missing part are left out (engines differ on how
    they join a missing string, so it is never joined)."""
    import ibis

    require_columns(sessions, tuple(columns), "sessions")
    j = _members_join(sessions, members)
    for c in columns:
        j = j.filter(j[c].notnull())
    parts = [j[c].cast("string") for c in columns]
    val = parts[0]
    for p in parts[1:]:
        val = val.concat(ibis.literal(" / "), p)
    j = j.mutate(val=val.strip().nullif(""))
    return _customers_per_value(j)


def _customers_per_value(j: Any) -> dict:
    """Customers per value (`val`; null left out) of a members join (`cid`, `in_audience`), each customer
    once per value: {"audience": (counts, total), "base": (counts, total)}; two small queries."""
    pairs = j.filter(j.val.notnull()).select("cid", "val", "in_audience").distinct()
    counts = pairs.group_by(["val", "in_audience"]).aggregate(n=pairs.count()).execute()
    per_flag = pairs.group_by("in_audience").aggregate(n=pairs.cid.nunique()).execute()
    totals = {bool(k): int(v) for k, v in zip(per_flag["in_audience"], per_flag["n"], strict=True)}
    flag = counts["in_audience"].astype(bool).to_numpy()
    aud = counts[flag].set_index("val")["n"].astype(np.int64).sort_index()
    base = counts.groupby("val")["n"].sum().astype(np.int64).sort_index()  # a customer is in one group only
    aud.index.name = base.index.name = None
    return {"audience": (aud, totals.get(True, 0)), "base": (base, sum(totals.values()))}


#: The post-mortem's ad statistics are read per day and per these columns (those the table has): the campaign
#: filter, the breakdowns (channel, campaign, ad group, creative) and the funnel's session → channel match
#: (platform). Finer columns (keyword, device, match type, …) are summed away.
AD_STATS_KEYS = ("campaign", "channel", "platform", "ad_group", "creative")
AD_STATS_SUMS = ("impressions", "clicks", "cost", "conversions", "revenue")


def ad_stats_campaigns(t: Any) -> pd.DataFrame:
    """Per campaign of the ad statistics (as a string): rows, first and last date. One row per campaign: what
    the post-mortem's campaign filter says of the whole table (its campaigns, its date range, its row count)."""
    require_columns(t, ("date", "campaign"), "ad_stats")
    when = t.date.cast("timestamp")
    grouped = t.group_by(campaign=t.campaign.cast("string")).aggregate(
        rows=t.count(), first=when.min(), last=when.max()
    )
    out = grouped.execute().sort_values("campaign", kind="stable").reset_index(drop=True)
    out["rows"] = out["rows"].to_numpy(dtype=np.int64)
    for col in ("first", "last"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    return out


def flight_ad_stats(t: Any, between: tuple[Any, Any], campaigns: Sequence[str] | None = None) -> pd.DataFrame:
    """The ad statistics dated in [start, stop) (of `campaigns` when given), summed per day × campaign ×
    channel × platform × ad group × creative (the `AD_STATS_KEYS` the table has): impressions, clicks, cost,
    and conversions and revenue when present (a missing value adds nothing), with `rows`, the table's rows in
    each group. Sorted by date, then the keys (missing last). One row per group, whatever the keywords or
    devices under it."""
    require_columns(t, ("date", "campaign", "channel", "impressions", "clicks", "cost"), "ad_stats")
    start, stop = (pd.Timestamp(x).to_pydatetime() for x in between)
    keys = [c for c in AD_STATS_KEYS if c in t.columns]
    w = t.mutate(when=t.date.cast("timestamp"))
    w = w.filter((w.when >= start) & (w.when < stop))
    if campaigns is not None:
        w = w.filter(w.campaign.cast("string").isin([str(c) for c in campaigns]))
    metrics: dict[str, Any] = {"rows": w.count()}
    for col in [c for c in AD_STATS_SUMS if c in t.columns]:
        kind = "int64" if col in ("impressions", "clicks", "conversions") else "float64"
        metrics[col] = w[col].cast(kind).fill_null(0).sum()
    grouped = w.group_by(d=_day_number(w.when), **{k: w[k].cast("string") for k in keys}).aggregate(**metrics)
    frame = grouped.execute()
    for k in keys:  # a missing key is None whichever engine answered
        frame[k] = frame[k].astype(object).where(frame[k].notna(), None)
    day = pd.to_datetime(frame["d"].to_numpy(dtype=np.int64) * SECONDS_PER_DAY, unit="s").astype("datetime64[ns]")
    out = pd.DataFrame({"date": day}).join(frame[keys + list(metrics)])
    out = out.sort_values(["date", *keys], kind="stable", na_position="last").reset_index(drop=True)
    for col in ("rows", "impressions", "clicks", "conversions"):
        if col in out.columns:
            out[col] = out[col].to_numpy(dtype=np.int64)
    return out
