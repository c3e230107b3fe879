"""The marketing plan: its structure (validated), progress against goals, budget, initiatives.

A plan lives in a params file as three keys: `goals` ({period: {metric: target}}, periods "2026"
or "2026-Q3"), `budget` ({period: {channel: amount}}) and `initiatives` (a list of {name, owner,
deadline, status}). `validate_plan` turns them into typed objects or raises one ValueError that
lists every problem with its params key (e.g. ``goals.2026-Q5: ...``).

Status rule for a goal, with the forecast to the end of its period and its interval:
  higher is better: on track if forecast >= target; at risk if target <= upper bound;
                    off track if target > upper bound.
  lower is better (CAC, cost): mirrored — on track if forecast <= target; at risk if
                    target >= lower bound; off track if target < lower bound.
A period that is over is "achieved" or "missed" (actual vs target); one that has no data and
cannot be forecast is "no data".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from workbench.analysis.performance.forecast import ForecastResult, fit_forecast, flight_regressors
from workbench.i18n import N_, _
from workbench.report.format import localize, money, pct

__all__ = [
    "METRICS",
    "METRIC_LABELS",
    "format_metric",
    "metric_label",
    "Initiative",
    "Metric",
    "Plan",
    "base_series",
    "budget_status",
    "campaign_flights",
    "goal_status",
    "goals_progress",
    "goals_needing",
    "initiatives_status",
    "metrics_glossary",
    "period_months",
    "resolve_as_of",
    "revised_targets",
    "validate_plan",
    "yearly_review",
]

_PERIOD_RE = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")


@dataclasses.dataclass(frozen=True)
class Metric:
    """A plan metric: a sum of one monthly base series, or a function of the sums of two."""

    name: str
    numerator: str
    denominator: str | None
    better: Literal["higher", "lower"]
    formula: str
    combine: Callable[[Any, Any, float], Any] | None = None  # (num_total, den_total, margin) -> value

    def value(self, num: Any, den: Any = None, gross_margin: float = 1.0) -> Any:
        if self.denominator is None:
            return num
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.combine(np.asarray(num, float), np.asarray(den, float), gross_margin)


def _ratio(n, d, margin=1.0):
    return np.where(d > 0, n / np.where(d > 0, d, 1), np.nan)


def _romi(n, d, margin=1.0):
    return np.where(d > 0, (n * margin - d) / np.where(d > 0, d, 1), np.nan)


# Formulas follow the KPI glossary (workbench.analysis.campaigns.kpis.KPI_GLOSSARY) where it defines them.
METRICS: dict[str, Metric] = {
    m.name: m
    for m in [
        Metric("revenue", "revenue", None, "higher", "sum of order revenue"),
        Metric("orders", "orders", None, "higher", "count of orders"),
        Metric(
            "new_customers",
            "new_customers",
            None,
            "higher",
            "customers whose first order ever falls in the period (as in the KPI glossary)",
        ),
        Metric("sessions", "sessions", None, "higher", "count of site visits (traffic)"),
        Metric("organic_sessions", "organic_sessions", None, "higher", "visits with medium 'organic'"),
        Metric("conversions", "conversions", None, "higher", "converted sessions"),
        Metric("ad_cost", "ad_cost", None, "lower", "sum of ad_stats cost (marketing spend)"),
        Metric("organic_share", "organic_sessions", "sessions", "higher", "organic sessions / sessions", _ratio),
        Metric("conversion_rate", "conversions", "sessions", "higher", "conversions / sessions", _ratio),
        Metric("aov", "revenue", "orders", "higher", "revenue / orders", _ratio),
        Metric("cac", "ad_cost", "new_customers", "lower", "cost / new customers", _ratio),
        Metric(
            "roas", "ad_revenue", "ad_cost", "higher", "revenue / cost (ad-attributed revenue from ad_stats)", _ratio
        ),
        Metric(
            "romi",
            "ad_revenue",
            "ad_cost",
            "higher",
            "(revenue × gross margin − cost) / cost (ad-attributed revenue; margin from params)",
            _romi,
        ),
    ]
}


# For readers of the report: a label and the kind of number (money in RUB, count, share, ratio).
METRIC_LABELS: dict[str, tuple[str, str]] = {
    "revenue": (N_("Revenue"), "money"),
    "orders": (N_("Orders"), "count"),
    "new_customers": (N_("New customers"), "count"),
    "sessions": (N_("Sessions"), "count"),
    "organic_sessions": (N_("Organic sessions"), "count"),
    "conversions": (N_("Conversions"), "count"),
    "ad_cost": (N_("Ad spend"), "money"),
    "organic_share": (N_("Organic share of sessions"), "share"),
    "conversion_rate": (N_("Conversion rate"), "share"),
    "aov": (N_("Average order value"), "money"),
    "cac": (N_("CAC"), "money"),
    "roas": (N_("ROAS"), "ratio"),
    "romi": (N_("ROMI"), "ratio"),
    "ad_revenue": (N_("Ad-attributed revenue"), "money"),
}


def format_metric(metric: str, value: Any, currency: str = "RUB") -> str:
    """A metric's value as a reader expects it: '12.5%', '1,234', '48.7M RUB', '4.14'."""
    if value is None or (isinstance(value, (float, np.floating)) and math.isnan(value)):
        return "–"
    kind = METRIC_LABELS.get(metric, (metric, "count"))[1]
    if kind == "share":
        return pct(value, 1)
    if kind == "ratio":
        return localize(f"{value:.2f}")
    if kind == "money":
        return money(value, currency)
    return localize(f"{value:,.0f}")


def metric_label(metric: str) -> str:
    """A metric's name in the current language ('conversion_rate' -> 'Conversion rate' / 'Конверсия')."""
    return _(METRIC_LABELS.get(metric, (metric.replace("_", " "), ""))[0])


def period_months(period: str) -> pd.PeriodIndex:
    """'2026' -> 12 months; '2026-Q3' -> Jul, Aug, Sep."""
    m = _PERIOD_RE.match(str(period))
    if not m:
        raise ValueError(f"period must be 'YYYY' or 'YYYY-Qn' (n = 1…4); got {period!r}")
    year, q = int(m.group(1)), m.group(2)
    if q is None:
        return pd.period_range(f"{year}-01", f"{year}-12", freq="M")
    first = (int(q) - 1) * 3 + 1
    return pd.period_range(f"{year}-{first:02d}", periods=3, freq="M")


def base_series(
    sessions: pd.DataFrame | None = None,
    orders: pd.DataFrame | None = None,
    ad_stats: pd.DataFrame | None = None,
    through: Any = None,
    organic_mediums: tuple[str, ...] = ("organic",),
) -> pd.DataFrame:
    """The monthly base series every plan metric is built from (gap-free, empty months = 0),
    from the first month with data through the month `through` (default: the last month).

    sessions -> sessions, organic_sessions, conversions; orders -> revenue, orders,
    new_customers (first order ever); ad_stats -> ad_cost, ad_revenue (when it has revenue).
    """
    parts: dict[str, pd.Series] = {}

    def monthly(frame: pd.DataFrame, date_col: str, values: pd.Series | None = None) -> pd.Series:
        months = pd.to_datetime(frame[date_col], errors="coerce").dt.to_period("M")
        vals = pd.Series(1.0, index=frame.index) if values is None else pd.to_numeric(values, errors="coerce")
        return vals.astype(float).groupby(months).sum()

    if sessions is not None:
        parts["sessions"] = monthly(sessions, "started_at")
        if "medium" in sessions.columns:
            parts["organic_sessions"] = monthly(sessions, "started_at", sessions["medium"].isin(organic_mediums))
        if "converted" in sessions.columns:
            parts["conversions"] = monthly(sessions, "started_at", sessions["converted"].astype(float))
    if orders is not None:
        parts["revenue"] = monthly(orders, "order_date", orders["revenue"])
        parts["orders"] = monthly(orders, "order_date")
        first = pd.to_datetime(orders["order_date"], errors="coerce").groupby(orders["customer_id"]).min()
        parts["new_customers"] = monthly(first.to_frame("order_date"), "order_date")
    if ad_stats is not None:
        parts["ad_cost"] = monthly(ad_stats, "date", ad_stats["cost"])
        if "revenue" in ad_stats.columns:
            parts["ad_revenue"] = monthly(ad_stats, "date", ad_stats["revenue"])
    if not parts:
        raise ValueError("base_series needs at least one of sessions, orders, ad_stats")
    frame = pd.DataFrame(parts)
    frame = frame[frame.index.notna()]
    last = pd.Period(through, "M") if through is not None else frame.index.max()
    full = pd.period_range(frame.index.min(), last, freq="M")
    out = frame.reindex(full).fillna(0.0)
    out.index.name = "month"
    return out


# ---------------------------------------------------------------- plan structure (pydantic)
class Initiative(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    deadline: dt.date
    status: Literal["planned", "in_progress", "done", "cancelled"] = "planned"
    goal: str | None = None


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid")
    goals: dict[str, dict[str, float]]
    budget: dict[str, dict[str, float]] = {}
    initiatives: list[Initiative] = []

    @field_validator("goals", "budget")
    @classmethod
    def _tables(cls, value: dict, info) -> dict:
        """Every bad period, metric or amount of the table at once, each with its key."""
        problems = []
        for period, inner in value.items():
            try:
                period_months(period)
            except ValueError as exc:
                problems.append(f"{period}: {exc}")
            for key, amount in inner.items():
                if info.field_name == "goals" and key not in METRICS:
                    problems.append(f"{period}.{key}: unknown metric; known metrics: {', '.join(METRICS)}")
                if not math.isfinite(amount) or amount < 0:
                    problems.append(f"{period}.{key}: must be a non-negative number; got {amount!r}")
        if problems:
            raise ValueError("; ".join(problems))
        return value


def validate_plan(goals: Mapping, budget: Mapping | None = None, initiatives: list | None = None) -> Plan:
    """Typed plan from the params' goals/budget/initiatives; one ValueError listing every problem."""
    try:
        return Plan(goals=dict(goals or {}), budget=dict(budget or {}), initiatives=list(initiatives or []))
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            got = err.get("input")
            shown = "" if isinstance(got, (dict, list)) or got is None else f" (got {got!r})"
            lines.append(f"  {loc}: {msg}{shown}")
        raise ValueError("the marketing plan in the params is invalid:\n" + "\n".join(lines)) from None


# ---------------------------------------------------------------- progress against goals
def goal_status(forecast: float, lower: float, upper: float, target: float, better: str) -> str:
    """The stated rule (module docstring) for one goal."""
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (forecast, target)):
        return "no data"
    if better == "higher":
        if forecast >= target:
            return "on track"
        return "at risk" if target <= upper else "off track"
    if forecast <= target:
        return "on track"
    return "at risk" if target >= lower else "off track"


@dataclasses.dataclass
class _Forecasts:
    """One fitted model per base series, with simulated paths shared by every goal."""

    history: pd.DataFrame
    fits: dict[str, ForecastResult]
    paths: dict[str, np.ndarray]
    future: pd.PeriodIndex

    def segment(self, base: str, months: pd.PeriodIndex) -> tuple[float, float, np.ndarray]:
        """(actual to date, point forecast of the rest, simulated totals of the rest)."""
        hist = self.history[base]
        seen = months[months.isin(hist.index)]
        actual = float(hist.reindex(seen).sum())
        rest = months[months > hist.index[-1]]
        if len(rest) == 0:
            return actual, 0.0, np.zeros(self._reps())
        pos = self.future.get_indexer(rest)
        if (pos < 0).any():
            raise ValueError(f"months {list(map(str, rest))} lie beyond the forecast horizon")
        point = float(self.fits[base].forecast["mean"].to_numpy()[pos].sum())
        return actual, point, self.paths[base][pos].sum(axis=0)

    def _reps(self) -> int:
        return next(iter(self.paths.values())).shape[1] if self.paths else 1


def _fit_all(
    history: pd.DataFrame,
    bases: set[str],
    horizon: int,
    level: float,
    repetitions: int,
    seed: int,
    events: pd.DataFrame | None = None,
) -> _Forecasts:
    fits, paths = {}, {}
    future = pd.period_range(history.index[-1] + 1, periods=max(horizon, 0), freq="M")
    for i, base in enumerate(sorted(bases)):
        s = history[base]
        if horizon <= 0:
            continue
        fits[base] = fit_forecast(s, horizon, level=level, log=bool((s > 0).all()), events=events)
        paths[base] = fits[base].simulate_paths(horizon, repetitions=repetitions, seed=seed + i)
    return _Forecasts(history, fits, paths, future)


def goals_progress(
    plan: Plan,
    history: pd.DataFrame,
    level: float = 0.8,
    gross_margin: float = 1.0,
    repetitions: int = 2000,
    seed: int = 0,
    events: pd.DataFrame | None = None,
    quantiles: tuple[float, ...] = (),
) -> tuple[pd.DataFrame, dict[str, str]]:
    """One row per goal: period, metric, better, target, actual (to date), elapsed (share of the
    period's months with data), forecast to period end with lower/upper, progress (actual /
    target, sums only), status. `history`: monthly base series (columns as in METRICS, a
    gap-free PeriodIndex ending at the as-of month). `events`: monthly regressors of known one-off
    flights (campaign_flights), passed to every forecast. `quantiles` (each in (0, 1)) add columns
    "q0.75" etc.: those quantiles of the simulated period-end values. Also returns {base series:
    model spec and note}.
    """
    bad_q = [q for q in quantiles if not 0 < q < 1]
    if bad_q:
        raise ValueError(f"quantiles must each be in (0, 1); got {bad_q}")
    if not 0 < gross_margin <= 1:
        raise ValueError(f"gross_margin must be in (0, 1]; got {gross_margin!r}")
    if not isinstance(history.index, pd.PeriodIndex) or history.empty:
        raise ValueError("history must be a non-empty frame indexed by month (PeriodIndex)")
    metrics = {metric for inner in plan.goals.values() for metric in inner}
    bases = {b for m in metrics for b in (METRICS[m].numerator, METRICS[m].denominator) if b}
    missing = sorted(bases - set(history.columns))
    if missing:
        raise ValueError(
            f"history lacks base series {missing} needed by the plan's goals "
            f"({', '.join(sorted(metrics))}); check the input files"
        )
    last_end = max(period_months(p)[-1] for p in plan.goals)
    horizon = max(0, (last_end - history.index[-1]).n)
    fc = _fit_all(history, bases, horizon, level, repetitions, seed, events)
    a = (1 - level) / 2
    rows = []
    for period, inner in plan.goals.items():
        months = period_months(period)
        observed = months[months.isin(history.index)]
        before_data = months[-1] < history.index[0]
        for metric_name, target in inner.items():
            metric = METRICS[metric_name]

            def combine(n, d, metric=metric):
                return metric.value(n, d, gross_margin)

            n_act, n_pt, n_sim = fc.segment(metric.numerator, months)
            if metric.denominator:
                d_act, d_pt, d_sim = fc.segment(metric.denominator, months)
                actual = float(combine(n_act, d_act)) if len(observed) else math.nan
                point = float(combine(n_act + n_pt, d_act + d_pt))
                sims = combine(n_act + n_sim, d_act + d_sim)
            else:
                actual = n_act if len(observed) else math.nan
                point, sims = n_act + n_pt, n_act + n_sim
            sims = np.asarray(sims, float)
            sims = sims[np.isfinite(sims)]
            lower, upper = (
                (float(np.quantile(sims, a)), float(np.quantile(sims, 1 - a))) if len(sims) else (math.nan, math.nan)
            )
            extra = {
                f"q{q:g}": (float(np.quantile(sims, q)) if len(sims) and not before_data else math.nan)
                for q in quantiles
            }
            complete = months[-1] <= history.index[-1]
            if before_data:
                status = "no data"
                point = lower = upper = math.nan
            elif complete:
                status = (
                    "achieved" if goal_status(actual, actual, actual, target, metric.better) == "on track" else "missed"
                )
            else:
                status = goal_status(point, lower, upper, target, metric.better)
            rows.append(
                {
                    "period": period,
                    "metric": metric_name,
                    "better": metric.better,
                    "target": float(target),
                    "actual": actual,
                    "elapsed": len(observed) / len(months),
                    "forecast": point,
                    "lower": lower,
                    "upper": upper,
                    "progress": actual / target if metric.denominator is None and target else math.nan,
                    "status": status,
                    **extra,
                }
            )
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame = frame.sort_values(
            ["period", "metric"], key=lambda s: s.map(_period_key) if s.name == "period" else s, kind="mergesort"
        ).reset_index(drop=True)
    models = {b: (f.spec + (f" ({f.note})" if f.note else "")) for b, f in fc.fits.items()}
    return frame, models


def _period_key(period: str) -> tuple[int, int]:
    m = _PERIOD_RE.match(period)
    return int(m.group(1)), int(m.group(2) or 0)


# ---------------------------------------------------------------- budget and initiatives
def budget_status(plan: Plan, ad_stats: pd.DataFrame, as_of: dt.date | str, tolerance: float = 0.1) -> pd.DataFrame:
    """Spend by channel vs the planned budget of each period, to the as-of date.

    planned_to_date = planned × elapsed share of the period's days; projected = spent / elapsed
    share (run-rate to period end). status: "over" when projected > planned × (1 + tolerance),
    "under" when < planned × (1 − tolerance), else "on plan"; "not started" before the period.
    Channels with spend but no budget in a period appear with planned 0 ("unplanned").
    """
    if not 0 <= tolerance < 1:
        raise ValueError(f"tolerance must be in [0, 1); got {tolerance!r}")
    missing = [c for c in ("date", "channel", "cost") if c not in ad_stats.columns]
    if missing:
        raise ValueError(f"ad_stats lacks column(s) {missing}")
    as_of = pd.Timestamp(as_of).normalize()
    dates = pd.to_datetime(ad_stats["date"], errors="coerce").dt.normalize()
    rows = []
    for period, channels in plan.budget.items():
        months = period_months(period)
        start, end = months[0].start_time.normalize(), months[-1].end_time.normalize()
        days = (end - start).days + 1
        elapsed = min(max((as_of - start).days + 1, 0), days) / days
        in_period = (dates >= start) & (dates <= min(end, as_of))
        spent = ad_stats.loc[in_period].groupby("channel")["cost"].sum()
        for channel in sorted(set(channels) | set(spent.index[spent > 0])):
            planned = float(channels.get(channel, 0.0))
            s = float(spent.get(channel, 0.0))
            projected = s / elapsed if elapsed > 0 else math.nan
            if elapsed == 0:
                status = "not started"
            elif channel not in channels:
                status = "unplanned"
            elif projected > planned * (1 + tolerance):
                status = "over"
            elif projected < planned * (1 - tolerance):
                status = "under"
            else:
                status = "on plan"
            rows.append(
                {
                    "period": period,
                    "channel": channel,
                    "planned": planned,
                    "elapsed": elapsed,
                    "planned_to_date": planned * elapsed,
                    "spent": s,
                    "spent_share": s / planned if planned else math.nan,
                    "projected": projected,
                    "projected_vs_plan": projected / planned - 1 if planned else math.nan,
                    "status": status,
                }
            )
    cols = [
        "period",
        "channel",
        "planned",
        "elapsed",
        "planned_to_date",
        "spent",
        "spent_share",
        "projected",
        "projected_vs_plan",
        "status",
    ]
    return pd.DataFrame(rows, columns=cols)


def campaign_flights(ad_stats: pd.DataFrame, campaigns: list[str], months: pd.PeriodIndex) -> pd.DataFrame:
    """Monthly regressors for known one-off campaign flights, for the forecasts: one column per
    named campaign, the share of each month's days between its first and last day with spend or
    impressions in ad_stats. Always-on campaigns must not be named (they are the baseline)."""
    missing = [c for c in ("date", "campaign") if c not in ad_stats.columns]
    if missing:
        raise ValueError(f"ad_stats lacks column(s) {missing}")
    known = sorted(ad_stats["campaign"].astype(str).unique())
    unknown = [c for c in campaigns if c not in known]
    if unknown:
        import difflib

        hints = {c: difflib.get_close_matches(c, known, n=1) for c in unknown}
        said = "; ".join(f"{c!r} (did you mean {h[0]!r}?)" if h else repr(c) for c, h in hints.items())
        raise ValueError(f"campaign_flights: {said} not found in ad_stats; its campaigns are {known}")
    live = ad_stats[(ad_stats.get("cost", 0) > 0) | (ad_stats.get("impressions", 0) > 0)]
    dates = pd.to_datetime(live["date"], errors="coerce")
    spans = {}
    for c in campaigns:
        d = dates[live["campaign"].astype(str) == c]
        if d.notna().any():
            spans[c] = (d.min(), d.max())
    return flight_regressors(spans, months)


def initiatives_status(plan: Plan, as_of: dt.date | str) -> pd.DataFrame:
    """Initiatives with overdue = deadline before the as-of date and status not done/cancelled."""
    as_of = pd.Timestamp(as_of).date()
    rows = [
        {
            "name": i.name,
            "owner": i.owner,
            "deadline": i.deadline,
            "status": i.status,
            "goal": i.goal,
            "overdue": i.deadline < as_of and i.status not in ("done", "cancelled"),
            "days_overdue": max((as_of - i.deadline).days, 0) if i.status not in ("done", "cancelled") else 0,
        }
        for i in plan.initiatives
    ]
    cols = ["name", "owner", "deadline", "status", "goal", "overdue", "days_overdue"]
    return (
        pd.DataFrame(rows, columns=cols)
        .sort_values(["overdue", "deadline"], ascending=[False, True], kind="mergesort")
        .reset_index(drop=True)
    )


# ---------------------------------------------------------------- yearly review
def yearly_review(progress: pd.DataFrame) -> pd.DataFrame:
    """Plan vs actual per year (yearly goals only): basis "actual" for finished years, "forecast"
    for the year in progress; gap = (actual or forecast) / target − 1."""
    years = progress[progress["period"].str.fullmatch(r"\d{4}")].copy()
    if years.empty:
        return years.assign(basis=[], outcome=[], gap=[])
    finished = years["status"].isin(["achieved", "missed"])
    years["basis"] = np.where(finished, "actual", "forecast")
    years["outcome"] = np.where(finished, years["actual"], years["forecast"])
    years["gap"] = years["outcome"] / years["target"] - 1
    return years[
        ["period", "metric", "better", "target", "basis", "outcome", "lower", "upper", "gap", "status"]
    ].reset_index(drop=True)


def revised_targets(
    history: pd.DataFrame,
    metrics: list[str],
    years: list[int],
    level: float = 0.8,
    gross_margin: float = 1.0,
    current: Mapping[tuple[str, str], float] | None = None,
    events: pd.DataFrame | None = None,
    stretch_quantile: float = 0.75,
) -> pd.DataFrame:
    """Proposed yearly targets from the forecast: the point forecast (a 50/50 target), a stretch
    target and the `level` interval. The stretch target is the `stretch_quantile` of the simulated
    outcomes (its mirror 1 − q for lower-is-better metrics): reached about one time in four at
    0.75. Not the interval's end: a year ahead the 80% range of a log model is so wide that its
    upper end (e.g. double the revenue) is no target anyone would sign. `current` maps
    (year, metric) -> the plan's target, shown beside the proposal."""
    if not 0.5 < stretch_quantile < 1:
        raise ValueError(f"stretch_quantile must be in (0.5, 1), e.g. 0.75; got {stretch_quantile!r}")
    goals = {str(y): {m: 1.0 for m in metrics} for y in years}
    q_hi, q_lo = stretch_quantile, 1 - stretch_quantile
    prog, _ = goals_progress(
        validate_plan(goals), history, level=level, gross_margin=gross_margin, events=events, quantiles=(q_lo, q_hi)
    )
    prog["stretch"] = np.where(prog["better"] == "higher", prog[f"q{q_hi:g}"], prog[f"q{q_lo:g}"])
    out = prog[["period", "metric", "better", "actual", "forecast", "stretch", "lower", "upper"]].rename(
        columns={"forecast": "proposed", "actual": "actual_to_date"}
    )
    out.insert(
        2,
        "current_target",
        [float((current or {}).get((p, m), math.nan)) for p, m in zip(out["period"], out["metric"], strict=False)],
    )
    out["change_vs_current"] = out["proposed"] / out["current_target"] - 1
    return out


def resolve_as_of(as_of: str, timestamps: pd.Series) -> tuple[pd.Timestamp, pd.Period]:
    """The review date and the last complete month on or before it.

    "" means the end of the data (its last complete month, not the wall clock); a date must be
    'YYYY-MM-DD'. Returns (as-of date = last day of that month, that month)."""
    ts = pd.to_datetime(pd.Series(timestamps), errors="coerce").dropna()
    if ts.empty:
        raise ValueError("no valid timestamps in the data: cannot place the as-of date")
    if as_of is None or str(as_of).strip() == "":
        last = ts.max()
    else:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(as_of).strip()):
            raise ValueError(f"as_of must be 'YYYY-MM-DD' or '' (end of the data); got {as_of!r}")
        last = min(pd.Timestamp(str(as_of).strip()), ts.max())
    month = last.to_period("M")
    if last.normalize() != month.end_time.normalize():
        month -= 1
    if month < ts.min().to_period("M"):
        raise ValueError(f"as_of={as_of!r} is before the data's first complete month ({ts.min().date()} …)")
    return month.end_time.normalize(), month


def metrics_glossary(metrics: list[str] | None = None) -> pd.DataFrame:
    """The plan metrics with their formulas and direction, for the report."""
    rows = [
        {"metric": m.name, "formula": m.formula, "better": m.better}
        for m in METRICS.values()
        if metrics is None or m.name in metrics
    ]
    return pd.DataFrame(rows, columns=["metric", "formula", "better"])


def goals_needing(plan: Plan, available: set[str]) -> dict[str, list[str]]:
    """metric -> base series it needs that are not available (empty dict: every goal computable)."""
    out = {}
    for inner in plan.goals.values():
        for metric in inner:
            m = METRICS[metric]
            lack = [b for b in (m.numerator, m.denominator) if b and b not in available]
            if lack:
                out[metric] = lack
    return out
