"""The audience portrait's sections: each one a trait of the audience set against the whole base.

Units are customers wherever the data allows (a customer's primary device, the set of brands a
customer bought), because the significance tests assume independent units: ten sessions of one
heavy user are not ten people. Survey traits use respondents linked to customers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from workbench.analysis.customers.affinity import affinity, affinity_from_counts, split_multi, two_proportion_z
from workbench.analysis.customers.features import age_band
from workbench.analysis.stats.multiple_testing import adjust_pvalues
from workbench.analysis.stats.proportions import wilson_interval
from workbench.analysis.stats.timing import WEEKDAY_NAMES, best_times, fit_beta_prior, hour_weekday_table
from workbench.report.format import p_value

__all__ = [
    "FAMILIARITY_STAGES",
    "Portrait",
    "build_portrait",
    "customer_age_bands",
    "ActivityProfile",
    "activity_from_slots",
    "activity_profile",
    "compare_numeric",
    "customer_purchase_stats",
    "customer_session_stats",
    "familiarity_funnel",
    "purchase_summary",
    "audience_trait_affinity",
    "usage_summary",
    "active_window",
    "best_times_view",
    "purchases_view",
    "usage_view",
]

#: survey familiarity stages, lowest first
FAMILIARITY_STAGES = ["unaware", "aware", "considered", "tried", "regular"]
_PER = ("unit", "set", "primary")


def _check_columns(frame: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks column(s) {missing}; columns are {list(frame.columns)}")


def audience_trait_affinity(
    frame: pd.DataFrame,
    value_col: str,
    base_ids: Iterable,
    audience_ids: Iterable,
    *,
    id_col: str = "customer_id",
    per: str = "unit",
    sep: str | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Affinity table of `value_col` for the audience against the base, counted per customer.

    per="unit": each row is one unit (customers, survey respondents); per="set": a customer counts once
    for every distinct value among their rows (brands bought); per="primary": a customer's most
    frequent value (ties broken alphabetically), e.g. the device most of their visits come from.
    Rows whose id is not in the base are left out.
    """
    if per not in _PER:
        raise ValueError(f"per must be one of {list(_PER)}; got {per!r}")
    _check_columns(frame, [id_col, value_col], "frame")
    base = _unique_index(base_ids)
    rows = frame.loc[_member(frame[id_col], base), [id_col, value_col]]
    rows.attrs = {}
    aud = _unique_index(audience_ids)
    if per == "unit":
        in_aud = _member(rows[id_col], aud)
        values = rows[value_col].reset_index(drop=True)
        return affinity(values[in_aud], values, sep=sep, alpha=alpha)
    clean = rows.dropna(subset=[value_col])
    if per == "set" and sep is not None:
        parts = split_multi(clean[value_col], sep).map(lambda v: sorted(v) if isinstance(v, frozenset) else v)
        clean = clean.assign(**{value_col: parts}).explode(value_col).dropna(subset=[value_col])
    clean = clean.assign(**{value_col: clean[value_col].astype(str).str.strip()})
    clean = clean[clean[value_col] != ""]
    if per == "set":
        pairs = clean.drop_duplicates([id_col, value_col])
    else:  # primary: the most frequent value per id, ties alphabetical
        counts = clean.groupby([id_col, value_col], sort=False).size().reset_index(name="n")
        counts = counts.sort_values([id_col, "n", value_col], ascending=[True, False, True], kind="mergesort")
        pairs = counts.drop_duplicates(id_col)[[id_col, value_col]]
    in_aud = _member(pairs[id_col], aud)
    return affinity_from_counts(
        pairs.loc[in_aud, value_col].value_counts(sort=False),
        pairs.loc[in_aud, id_col].nunique(),
        pairs[value_col].value_counts(sort=False),
        pairs[id_col].nunique(),
        alpha=alpha,
    )


def _unique_index(ids: Iterable) -> pd.Index:
    index = ids if isinstance(ids, pd.Index) else pd.Index(list(ids) if not hasattr(ids, "__array__") else ids)
    return index if index.is_unique else index.unique()


def _member(values: pd.Series, ids: pd.Index) -> np.ndarray:
    """Boolean array: which `values` are in `ids` (a hash look-up; several times faster than isin on
    Arrow-backed strings)."""
    return ids.get_indexer(values) >= 0


def customer_age_bands(customers: pd.DataFrame) -> pd.DataFrame:
    """customer_id and age_band (18-24, 25-34, …, 65+), so age gets an affinity table like any category."""
    _check_columns(customers, ["customer_id", "age"], "customers")
    return pd.DataFrame(
        {"customer_id": customers["customer_id"].to_numpy(), "age_band": age_band(customers["age"]).to_numpy()}
    )


@dataclass(frozen=True)
class NumericComparison:
    """One numeric trait: audience vs base medians and means, and a Mann–Whitney test vs the rest."""

    metric: str
    audience_n: int
    base_n: int
    audience_median: float
    base_median: float
    audience_mean: float
    base_mean: float
    index: float  # audience mean ÷ base mean × 100
    p_value: float  # two-sided Mann–Whitney U, audience vs rest of base


def compare_numeric(values: pd.Series, in_audience: np.ndarray, metric: str) -> NumericComparison:
    """Compare a per-customer number between the audience and the base (the audience is part of it).

    Mann–Whitney rather than a t-test: purchase counts and gaps are skewed, with long right tails."""
    values = pd.to_numeric(pd.Series(values), errors="coerce").reset_index(drop=True)
    in_aud = np.asarray(in_audience, dtype=bool)
    if len(in_aud) != len(values):
        raise ValueError(f"in_audience has {len(in_aud)} entries for {len(values)} values")
    ok = values.notna().to_numpy()
    aud, base, rest = values[ok & in_aud], values[ok], values[ok & ~in_aud]
    p = float("nan")
    if len(aud) and len(rest) and (aud.nunique() > 1 or rest.nunique() > 1 or aud.iloc[0] != rest.iloc[0]):
        p = float(stats.mannwhitneyu(aud, rest, alternative="two-sided").pvalue)
    base_mean = float(base.mean()) if len(base) else float("nan")
    aud_mean = float(aud.mean()) if len(aud) else float("nan")
    return NumericComparison(
        metric,
        int(len(aud)),
        int(len(base)),
        float(aud.median()) if len(aud) else float("nan"),
        float(base.median()) if len(base) else float("nan"),
        aud_mean,
        base_mean,
        aud_mean / base_mean * 100 if base_mean else float("nan"),
        p,
    )


def _comparison_table(rows: list[NumericComparison]) -> pd.DataFrame:
    table = pd.DataFrame([r.__dict__ for r in rows])
    table["p_adjusted"] = adjust_pvalues(table["p_value"], method="fdr_bh")
    return table


def _exposure_years(customers: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    signup = pd.to_datetime(customers["signup_date"], errors="coerce") if "signup_date" in customers else None
    first = pd.Series(start, index=customers.index)
    if signup is not None:
        first = signup.where(signup > start, start).fillna(start)
    return (end - first).dt.days / 365.25


def _counted(orders: Any) -> bool:
    """True for orders given as per-customer summaries (`report_inputs.OrderSummaries`), not rows."""
    return orders is not None and not isinstance(orders, pd.DataFrame) and hasattr(orders, "purchases")


def customer_purchase_stats(
    customers: pd.DataFrame, orders: Any, *, as_of: str | pd.Timestamp | None = None, min_tenure_days: int = 90
) -> pd.DataFrame:
    """Per customer: orders, purchases_per_year, median_gap_days (between consecutive orders), repeat.

    Purchases per year divide a customer's orders by the time they could have ordered: from the later
    of signup and the first order in the data, to `as_of` (default: the last order date). Customers
    with less than `min_tenure_days` of it get NaN (one order in their first week is not 52 a year).
    `repeat` is NaN for customers who never ordered: repeat share is a share of buyers. `orders` are rows
    or per-customer summaries (`report_inputs.OrderSummaries.purchases`, reduced where the orders live).
    """
    _check_columns(customers, ["customer_id"], "customers")
    if min_tenure_days < 1:
        raise ValueError(f"min_tenure_days must be at least 1; got {min_tenure_days!r}")
    if _counted(orders):
        given = as_of not in (None, "")
        per = orders.purchases(pd.Timestamp(as_of) if given else None)
        end = pd.Timestamp(as_of) if given else (per["last"].max() if len(per) else pd.NaT)
        start = per["first"].min() if len(per) else pd.NaT
        gaps = per["median_gap_days"].dropna()
        return _purchase_stats(customers, per["orders"], gaps, start, end, min_tenure_days)
    _check_columns(orders, ["customer_id", "order_date"], "orders")
    dates = pd.to_datetime(orders["order_date"], errors="coerce")
    o = pd.DataFrame({"customer_id": orders["customer_id"].to_numpy(), "date": dates.to_numpy()}).dropna()
    end = pd.Timestamp(as_of) if as_of not in (None, "") else (o["date"].max() if len(o) else pd.NaT)
    o = o[o["date"] <= end] if pd.notna(end) else o
    start = o["date"].min() if len(o) else pd.NaT
    counts = o.groupby("customer_id").size()
    o = o.sort_values(["customer_id", "date"], kind="mergesort")
    o["gap"] = o.groupby("customer_id")["date"].diff().dt.days
    gaps = o.dropna(subset=["gap"]).groupby("customer_id")["gap"].median()
    return _purchase_stats(customers, counts, gaps, start, end, min_tenure_days)


def _purchase_stats(
    customers: pd.DataFrame, counts: pd.Series, gaps: pd.Series, start: Any, end: Any, min_tenure_days: int
) -> pd.DataFrame:
    """The per-customer frame from orders and median gaps per buyer and the period [start, end] they span."""
    out = pd.DataFrame({"customer_id": customers["customer_id"].to_numpy()})
    out["orders"] = out["customer_id"].map(counts).fillna(0).astype(int).to_numpy()
    if pd.notna(start):
        years = _exposure_years(customers.reset_index(drop=True), start, end).to_numpy()
        out["purchases_per_year"] = np.where(
            years * 365.25 >= min_tenure_days, out["orders"] / np.where(years > 0, years, np.nan), np.nan
        )
    else:
        out["purchases_per_year"] = np.nan
    out["median_gap_days"] = out["customer_id"].map(gaps).to_numpy()
    out["repeat"] = np.where(out["orders"] > 0, (out["orders"] >= 2).astype(float), np.nan)
    return out


def purchase_summary(stats_frame: pd.DataFrame, audience_ids: Iterable, alpha: float = 0.05) -> pd.DataFrame:
    """Audience vs base: purchases per year, median inter-purchase days, share of repeat buyers.

    Rows metric, audience, base, index, audience_n, base_n, p_value, p_adjusted, audience_low,
    audience_high (Wilson interval; repeat share only)."""
    in_aud = stats_frame["customer_id"].isin(pd.Index(audience_ids)).to_numpy()
    rows = []
    for metric, col in (
        ("purchases per year", "purchases_per_year"),
        ("median days between orders", "median_gap_days"),
    ):
        c = compare_numeric(stats_frame[col], in_aud, metric)
        rows.append(
            {
                "metric": metric,
                "audience": c.audience_median,
                "base": c.base_median,
                "index": c.audience_median / c.base_median * 100 if c.base_median else np.nan,
                "audience_mean": c.audience_mean,
                "base_mean": c.base_mean,
                "audience_n": c.audience_n,
                "base_n": c.base_n,
                "p_value": c.p_value,
                "audience_low": np.nan,
                "audience_high": np.nan,
            }
        )
    rep = stats_frame["repeat"]
    buyers = rep.notna().to_numpy()
    a_x, a_n = float(rep[buyers & in_aud].sum()), int((buyers & in_aud).sum())
    b_x, b_n = float(rep[buyers].sum()), int(buyers.sum())
    z, p = two_proportion_z([a_x], [a_n], [b_x - a_x], [b_n - a_n])
    low, high = wilson_interval(a_x, a_n, alpha=alpha) if a_n else (np.nan, np.nan)
    a_share, b_share = (a_x / a_n if a_n else np.nan), (b_x / b_n if b_n else np.nan)
    rows.append(
        {
            "metric": "share of repeat buyers",
            "audience": a_share,
            "base": b_share,
            "index": a_share / b_share * 100 if b_share else np.nan,
            "audience_mean": np.nan,
            "base_mean": np.nan,
            "audience_n": a_n,
            "base_n": b_n,
            "p_value": float(p[0]),
            "audience_low": low,
            "audience_high": high,
        }
    )
    table = pd.DataFrame(rows)
    table["p_adjusted"] = adjust_pvalues(table["p_value"], method="fdr_bh")
    return table


def _summarised_sessions(
    summaries: Any, base: pd.Index, aud: pd.Index, *, best_top: int, min_slot_n: int, alpha: float
) -> tuple:
    """The sessions sections from summaries: `per_customer()` (one row per customer) gives the main device
    and the visits, `slots(members)` the activity times and `values(members)` the source / medium
    customers, where members are the base's ids flagged by audience (the audience is chosen in the
    kernel). Returns (linked, devices, session_stats, activity, source_medium); linked is None when no
    visit links to a customer of the base."""
    if "customer_id" not in summaries.columns:
        return (None,) * 5
    per = summaries.per_customer()
    keys = base.astype(str)
    rows = per.reindex(keys)
    in_base = rows["sessions"].notna().to_numpy()
    if not in_base.any():
        return (None,) * 5
    devices = None
    if "main_device" in rows.columns:
        main = pd.DataFrame({"customer_id": base, "device": rows["main_device"].to_numpy()}).dropna(subset=["device"])
        devices = audience_trait_affinity(main, "device", base, aud, per="primary", alpha=alpha)
    span = rows.loc[in_base, "last"].max() - rows.loc[in_base, "first"].min()
    months = max(span.days / 30.4375, 1.0)
    stats = pd.DataFrame({"customer_id": base})
    stats["sessions"] = rows["sessions"].fillna(0).to_numpy().astype(int)
    stats["sessions_per_month"] = stats["sessions"] / months
    members = pd.DataFrame({"customer_id": keys, "audience": _member(pd.Series(base), aud)})
    activity = activity_from_slots(summaries.slots(members), top=best_top, min_n=min_slot_n)
    source_medium = None
    if {"source", "medium"} <= set(summaries.columns):
        counted = summaries.values(members)
        if counted["base"][1]:
            source_medium = affinity_from_counts(*counted["audience"], *counted["base"], alpha=alpha)
    return summaries, devices, stats, activity, source_medium


def customer_session_stats(sessions: pd.DataFrame, base_ids: Iterable) -> pd.DataFrame:
    """Per base customer: sessions and sessions_per_month over the period the sessions data covers.

    Customers with no linked session count as 0 visits a month: not visiting is part of the picture."""
    _check_columns(sessions, ["customer_id", "started_at"], "sessions")
    ts = pd.to_datetime(sessions["started_at"], errors="coerce")
    months = max((ts.max() - ts.min()).days / 30.4375, 1.0) if ts.notna().any() else np.nan
    counts = sessions.loc[ts.notna(), "customer_id"].value_counts()
    out = pd.DataFrame({"customer_id": pd.Index(base_ids)})
    out["sessions"] = out["customer_id"].map(counts).fillna(0).astype(int).to_numpy()
    out["sessions_per_month"] = out["sessions"] / months
    return out


def usage_summary(session_stats: pd.DataFrame, audience_ids: Iterable) -> pd.DataFrame:
    """Audience vs base: sessions per month (median and mean) with a Mann–Whitney test vs the rest."""
    in_aud = session_stats["customer_id"].isin(pd.Index(audience_ids)).to_numpy()
    c = compare_numeric(session_stats["sessions_per_month"], in_aud, "sessions per month")
    active = compare_numeric((session_stats["sessions"] > 0).astype(float), in_aud, "share with any visit")
    return _comparison_table([c, active])


def familiarity_funnel(
    survey: pd.DataFrame,
    base_ids: Iterable,
    audience_ids: Iterable,
    stages: Sequence[str] = FAMILIARITY_STAGES,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Cumulative familiarity funnel of the audience vs the base, with stage-to-stage conversion.

    Cumulative: a respondent at stage s has reached s and every earlier stage (a "regular" customer
    has been aware, has considered and tried). `reached` is the share of respondents at or beyond a
    stage; `conversion` the share of those who reached the previous stage that reached this one. The
    conversion test compares audience and rest of base (two-proportion z-test), BH-adjusted.
    """
    _check_columns(survey, ["customer_id", "familiarity"], "survey")
    rank = {s.casefold(): i for i, s in enumerate(stages)}
    rows = survey[survey["customer_id"].isin(pd.Index(base_ids))]
    fam = rows["familiarity"].astype("string").str.strip().str.casefold()
    unknown = sorted(set(fam.dropna()) - set(rank))
    if unknown:
        raise ValueError(
            f"survey column 'familiarity' holds unknown stage(s) {unknown[:10]}; expected one of {list(stages)}"
        )
    level = fam.map(rank).astype("float").to_numpy()
    ok = ~np.isnan(level)
    in_aud = rows["customer_id"].isin(pd.Index(audience_ids)).to_numpy()
    out = []
    for _group, mask in (("audience", ok & in_aud), ("base", ok), ("rest", ok & ~in_aud)):
        lv = level[mask]
        out.append([int((lv >= i).sum()) for i in range(len(stages))])
    aud, base, rest = (np.array(x, dtype=float) for x in out)
    a_total, b_total = aud[0], base[0]
    prev_a, prev_b, prev_r = np.r_[np.nan, aud[:-1]], np.r_[np.nan, base[:-1]], np.r_[np.nan, rest[:-1]]
    with np.errstate(divide="ignore", invalid="ignore"):
        conv_a, conv_b = aud / prev_a, base / prev_b
    z, p = two_proportion_z(aud, prev_a, rest, prev_r)
    p[0] = np.nan
    table = pd.DataFrame(
        {
            "stage": list(stages),
            "audience_n": aud.astype(int),
            "audience_reached": aud / a_total if a_total else np.nan,
            "base_n": base.astype(int),
            "base_reached": base / b_total if b_total else np.nan,
            "audience_conversion": conv_a,
            "base_conversion": conv_b,
        }
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        table["conversion_index"] = table["audience_conversion"] / table["base_conversion"] * 100
    table["p_value"] = p
    table["p_adjusted"] = adjust_pvalues(p, method="fdr_bh")
    table["audience_respondents"] = int(a_total)
    table["base_respondents"] = int(b_total)
    return table


@dataclass(frozen=True)
class ActivityProfile:
    """When the audience is active: hour × weekday counts with shares and index vs the base."""

    table: pd.DataFrame  # weekday, weekday_name, hour, n, share, base_n, base_share, index [, rate…]
    best: pd.DataFrame  # best slots, with n (and the conversion evidence) behind each
    ranked_by: str  # "expected" (visits × shrunk conversion rate), "n" (visits) or "rate"
    audience_sessions: int
    base_sessions: int


def activity_profile(
    sessions: pd.DataFrame,
    base_ids: Iterable,
    audience_ids: Iterable,
    *,
    by: str = "expected",
    top: int = 3,
    min_n: int = 30,
) -> ActivityProfile:
    """Hour × weekday activity of the audience's sessions against the base's, and the best slots.

    Why the default ranks by expected purchases (visits × conversion rate), not by either alone: a post
    or a send published in a slot meets the audience members who are online then (the slot's visits)
    and they act at the slot's rate, so the purchases it can bring are the product. Ranking by visits
    alone picks slots busy with low-intent browsing (mobile lunch breaks, the morning commute) or
    inflated by our own sends; ranking by the rate alone can pick a quiet slot that few would see (on
    the sample data, Sunday 07:00 with 58 visits). The rate is the empirical-Bayes shrunk rate of
    `timing` (a beta prior fitted across the audience's slots), so a small slot cannot win on luck.

    by="expected" (needs a `converted` column; falls back to "n" without it), "n" (visits) or "rate"
    (shrunk rate, as `timing.best_times`). Only slots with at least `min_n` visits (raised with the
    data to a quarter of the median slot) qualify. With `converted`, the table gains rate_shrunk and
    expected (= n × rate_shrunk, the expected converting visits over the period).
    """
    _check_columns(sessions, ["customer_id", "started_at"], "sessions")
    by, success = _activity_mode(by, "converted" in sessions.columns)
    base_rows = sessions[sessions["customer_id"].isin(pd.Index(base_ids))]
    aud_rows = base_rows[base_rows["customer_id"].isin(pd.Index(audience_ids))]
    base_t = hour_weekday_table(base_rows, "started_at")
    aud_t = hour_weekday_table(aud_rows, "started_at", success_col="converted" if success else None)
    return _activity(aud_t, base_t, by, top, min_n)


def activity_from_slots(slots: pd.DataFrame, *, by: str = "expected", top: int = 3, min_n: int = 30) -> ActivityProfile:
    """`activity_profile` from visits already counted per audience flag × weekday × hour (columns audience,
    weekday, hour, n and, with conversions, successes — `expressions.audience_slots`), so the sessions
    themselves can stay on an engine. The base's slots are the sum of both flags."""
    by, success = _activity_mode(by, "successes" in slots.columns)
    aud = slots[slots["audience"].astype(bool).to_numpy()]
    base = slots.groupby(["weekday", "hour"], as_index=False)["n"].sum()
    aud_t = _slot_table(aud, "successes" if success else None)
    return _activity(aud_t, _slot_table(base, None), by, top, min_n)


def _slot_table(slots: pd.DataFrame, success: str | None) -> pd.DataFrame:
    """Counted slots as `hour_weekday_table` gives them (rate and Wilson interval with successes): each
    slot becomes one row at its weekday and hour of the week of Monday 2024-01-01, weighted by its visits."""
    when = pd.Timestamp("2024-01-01") + pd.to_timedelta(slots["weekday"].to_numpy(), "D")
    frame = pd.DataFrame({"at": when + pd.to_timedelta(slots["hour"].to_numpy(), "h"), "n": slots["n"].to_numpy()})
    if success:
        frame["successes"] = slots[success].to_numpy()
    return hour_weekday_table(frame, "at", success_col=success and "successes", weight_col="n")


def _activity_mode(by: str, has_conversions: bool) -> tuple[str, bool]:
    if by not in ("expected", "n", "rate"):
        raise ValueError(f"by must be 'expected', 'n' or 'rate'; got {by!r}")
    if by == "rate" and not has_conversions:
        raise ValueError("by='rate' needs a 'converted' column in sessions; use by='n'")
    return ("n" if by == "expected" and not has_conversions else by), has_conversions


def _activity(aud_t: pd.DataFrame, base_t: pd.DataFrame, by: str, top: int, min_n: int) -> ActivityProfile:
    grid = pd.MultiIndex.from_product([range(7), range(24)], names=["weekday", "hour"]).to_frame(index=False)
    t = grid.merge(aud_t.drop(columns="weekday_name"), on=["weekday", "hour"], how="left")
    t = t.merge(base_t[["weekday", "hour", "n"]].rename(columns={"n": "base_n"}), on=["weekday", "hour"], how="left")
    t["n"] = t["n"].fillna(0).astype(int)
    t["base_n"] = t["base_n"].fillna(0).astype(int)
    t.insert(1, "weekday_name", [WEEKDAY_NAMES[d] for d in t["weekday"]])
    a_tot, b_tot = int(t["n"].sum()), int(t["base_n"].sum())
    t["share"] = t["n"] / a_tot if a_tot else np.nan
    t["base_share"] = t["base_n"] / b_tot if b_tot else np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        t["index"] = np.where(t["base_share"] > 0, t["share"] / t["base_share"] * 100, np.nan)
    if by != "expected":
        return ActivityProfile(t, best_times(t, by=by, top=top, min_n=min_n), by, a_tot, b_tot)
    t["successes"] = t["successes"].fillna(0.0)
    has = t["n"] > 0
    if int(has.sum()) >= 2:
        prior = fit_beta_prior(t.loc[has, "successes"], t.loc[has, "n"])
        t["rate_shrunk"] = np.where(has, (t["successes"] + prior.a) / (t["n"] + prior.a + prior.b), np.nan)
    else:
        t["rate_shrunk"] = t["rate"]
    t["expected"] = t["n"] * t["rate_shrunk"]
    eligible = best_times(t, by="n", top=len(t), min_n=min_n)  # the same qualifying floor as by="n"
    best = eligible.sort_values(["expected", "n"], ascending=False, kind="mergesort").head(int(top))
    best = best.reset_index(drop=True)
    best.attrs.update(eligible.attrs)
    return ActivityProfile(t, best, by, a_tot, b_tot)


def active_window(table: pd.DataFrame, days: int = 3, hours: int = 3) -> dict:
    """The audience's peak days and peak block of consecutive hours (for the persona sentence).

    Returns weekdays (names, busiest first), hour_from, hour_to (exclusive) and the share of the
    audience's visits falling in those days and in that hour block."""
    if not 1 <= days <= 7 or not 1 <= hours <= 24:
        raise ValueError(f"days must be 1..7 and hours 1..24; got days={days!r}, hours={hours!r}")
    total = table["n"].sum()
    by_day = table.groupby("weekday")["n"].sum().reindex(range(7), fill_value=0)
    by_hour = table.groupby("hour")["n"].sum().reindex(range(24), fill_value=0).to_numpy()
    top_days = by_day.sort_values(ascending=False, kind="mergesort").head(days)
    circular = np.r_[by_hour, by_hour[: hours - 1]]
    sums = np.convolve(circular, np.ones(hours, dtype=int), mode="valid")[:24]
    start = int(np.argmax(sums))
    return {
        "weekdays": [WEEKDAY_NAMES[d] for d in top_days.index],
        "hour_from": start,
        "hour_to": (start + hours) % 24 or 24,
        "days_share": float(top_days.sum() / total) if total else float("nan"),
        "hours_share": float(sums[start] / total) if total else float("nan"),
    }


_DEMOGRAPHIC_COLUMNS = (
    "age_band",
    "gender",
    "country",
    "region",
    "city",
    "income_band",
    "occupation",
    "lifestyle",
    "interests",
)


@dataclass
class Portrait:
    """Every table of an audience portrait. A section whose input is absent is None (or an empty
    dict) and its reason is in `missing` (section -> why), so the report can say so."""

    customer_ids: pd.Index
    audience_ids: pd.Index
    demographics: dict
    devices: pd.DataFrame | None
    session_stats: pd.DataFrame | None
    usage: pd.DataFrame | None
    purchase_stats: pd.DataFrame | None
    purchases: pd.DataFrame | None
    brands: dict
    attributes: dict
    places: dict
    funnel: pd.DataFrame | None
    activity: ActivityProfile | None
    active: dict | None
    channels: dict
    missing: dict


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A shallow copy without `attrs`: pandas deep-copies attrs into every intermediate frame."""
    out = frame.copy(deep=False)
    out.attrs = {}
    return out


def _has(frame: pd.DataFrame | None, *columns: str) -> bool:
    return (
        frame is not None
        and all(c in frame.columns for c in columns)
        and bool(all(frame[c].notna().any() for c in columns))
    )


def _order_sections(
    customers: pd.DataFrame,
    orders: Any,
    base: pd.Index,
    aud: pd.Index,
    *,
    as_of: Any,
    min_tenure_days: int,
    alpha: float,
) -> tuple:
    """(purchase_stats, purchases, order_trait): the buying frequency and, per orders column, its affinity
    table counted per customer (per="set": a customer counts once per brand bought), or None without the
    column. Summaries (`report_inputs.OrderSummaries`) count customers per value where the orders live,
    the base's ids flagged by audience being joined there; loaded rows are counted here."""
    if orders is None:
        return None, None, lambda col: None
    rows = None if _counted(orders) else _plain(orders)
    stats = customer_purchase_stats(
        customers, orders if rows is None else rows, as_of=as_of, min_tenure_days=min_tenure_days
    )
    purchases = purchase_summary(stats, aud, alpha=alpha)
    if rows is not None:
        return (
            stats,
            purchases,
            lambda col: (
                audience_trait_affinity(rows, col, base, aud, per="set", alpha=alpha) if _has(rows, col) else None
            ),
        )
    members = pd.DataFrame({"customer_id": base.astype(str), "audience": _member(pd.Series(base), aud)})
    counted = orders.value_counts(members, ("brand", "price_tier", "category", "channel"))

    def trait(col: str) -> pd.DataFrame | None:
        c = counted.get(col)
        return None if c is None else affinity_from_counts(*c["audience"], *c["base"], alpha=alpha)

    return stats, purchases, trait


def build_portrait(
    customers: pd.DataFrame,
    orders: pd.DataFrame | None,
    audience_ids: Iterable,
    sessions: pd.DataFrame | Any = None,
    survey: pd.DataFrame | None = None,
    *,
    as_of: str | None = None,
    alpha: float = 0.05,
    min_slot_n: int = 30,
    best_top: int = 3,
    min_tenure_days: int = 90,
) -> Portrait:
    """Compute every section of the portrait for `audience_ids` against all of `customers`.
    `sessions` is loaded rows or per-customer summaries (`report_inputs.SessionSummaries`: visits, main
    device, slots and source / medium counted where the sessions live; see `_summarised_sessions`), orders
    loaded rows or per-customer summaries (`report_inputs.OrderSummaries`: each buyer's orders and median
    gap, customers per brand / category / price tier / channel bought). Without orders (None) the purchase,
    brand, attribute and place sections are None or empty and `missing["orders"]` says why."""
    _check_columns(customers, ["customer_id"], "customers")
    base = _unique_index(customers["customer_id"])
    aud = _unique_index(audience_ids)
    missing: dict[str, str] = {}
    customers = _plain(customers)
    summarised = sessions if hasattr(sessions, "per_customer") else None
    sessions = _plain(sessions) if sessions is not None and summarised is None else None
    survey = _plain(survey) if survey is not None else None
    if _has(sessions, "customer_id"):  # only visits of known customers matter below; filter once
        sessions = sessions[_member(sessions["customer_id"], base)]
    kw = {"alpha": alpha}

    demo_frame = customers.copy()
    if "age" in customers.columns:
        demo_frame["age_band"] = customer_age_bands(customers)["age_band"].to_numpy()
    demographics = {
        c: audience_trait_affinity(demo_frame, c, base, aud, sep=";" if c == "interests" else None, **kw)
        for c in _DEMOGRAPHIC_COLUMNS
        if _has(demo_frame, c)
    }

    if summarised:  # sessions reduced per customer (and per slot) where they live, see `_summarised_sessions`
        part = _summarised_sessions(summarised, base, aud, best_top=best_top, min_slot_n=min_slot_n, **kw)
        linked, devices, session_stats, activity, source_medium = part
    else:
        linked = sessions if _has(sessions, "customer_id") else None
        devices = (
            audience_trait_affinity(linked, "device", base, aud, per="primary", **kw) if linked is not None else None
        )
        session_stats = customer_session_stats(linked, base) if linked is not None else None
        activity = activity_profile(linked, base, aud, top=best_top, min_n=min_slot_n) if linked is not None else None
        source_medium = None
        if linked is not None and _has(linked, "source", "medium"):
            sm = linked.dropna(subset=["source", "medium"])
            sm = sm[["customer_id"]].assign(source_medium=sm["source"].astype(str) + " / " + sm["medium"].astype(str))
            source_medium = audience_trait_affinity(sm, "source_medium", base, aud, per="set", **kw)
    if sessions is None and summarised is None:
        missing["sessions"] = "no sessions file was given"
    elif linked is None:
        missing["sessions"] = "the sessions file has no customer_id linking visits to customers"
    usage = usage_summary(session_stats, aud) if session_stats is not None else None
    active = active_window(activity.table) if activity is not None and activity.audience_sessions else None

    order_part = _order_sections(
        customers, orders, base, aud, as_of=as_of, min_tenure_days=min_tenure_days, alpha=alpha
    )
    purchase_stats, purchases, order_trait = order_part
    if orders is None:
        missing["orders"] = "no orders file was given"

    linked_survey = survey if _has(survey, "customer_id") else None
    if survey is None:
        missing["survey"] = "no survey file was given"
    elif linked_survey is None:
        missing["survey"] = "the survey has no customer_id linking respondents to customers"

    def survey_trait(col: str, sep: str | None = ";") -> pd.DataFrame | None:
        if linked_survey is None or not _has(linked_survey, col):
            return None
        return audience_trait_affinity(linked_survey, col, base, aud, sep=sep, **kw)

    brands = {
        k: v
        for k, v in (
            ("brand bought (orders)", order_trait("brand")),
            ("brands used (survey)", survey_trait("brands_used")),
        )
        if v is not None
    }
    attributes = {
        k: v
        for k, v in (
            ("price_tier", order_trait("price_tier")),
            ("category", order_trait("category")),
            ("preferred_attributes", survey_trait("preferred_attributes")),
        )
        if v is not None
    }
    places = {
        k: v
        for k, v in (("channel", order_trait("channel")), ("purchase_place", survey_trait("purchase_place")))
        if v is not None
    }
    funnel = (
        familiarity_funnel(linked_survey, base, aud, alpha=alpha)
        if linked_survey is not None and _has(linked_survey, "familiarity")
        else None
    )

    channels = {}
    if _has(customers, "acquisition_channel"):
        channels["acquisition_channel"] = audience_trait_affinity(customers, "acquisition_channel", base, aud, **kw)
    if source_medium is not None:
        channels["source / medium"] = source_medium
    return Portrait(
        base,
        aud,
        demographics,
        devices,
        session_stats,
        usage,
        purchase_stats,
        purchases,
        brands,
        attributes,
        places,
        funnel,
        activity,
        active,
        channels,
        missing,
    )


# ----------------------------------------------------------------------------------------- reader views
_fmt_p = p_value


def purchases_view(purchases: pd.DataFrame) -> pd.DataFrame:
    """`purchase_summary` as a narrow table for readers: one value per side (median, or share with
    its interval for repeat buyers), the mean beside the median, n per side and the adjusted p."""
    rows = []
    for r in purchases.to_dict("records"):
        share = r["metric"] == "share of repeat buyers"
        if share:
            aud = f"{r['audience']:.0%}" + (
                f" ({r['audience_low']:.0%}–{r['audience_high']:.0%})" if pd.notna(r.get("audience_low")) else ""
            )
            base = f"{r['base']:.0%}"
        else:
            aud = "–" if pd.isna(r["audience"]) else f"{r['audience']:,.1f} (mean {r['audience_mean']:,.1f})"
            base = "–" if pd.isna(r["base"]) else f"{r['base']:,.1f} (mean {r['base_mean']:,.1f})"
        rows.append(
            {
                "metric": r["metric"] if share else f"{r['metric']} — median",
                "audience": aud,
                "all customers": base,
                "index": r["index"],
                "n (audience / all)": f"{int(r['audience_n']):,} / {int(r['base_n']):,}",
                "p (BH)": _fmt_p(r["p_adjusted"]),
            }
        )
    return pd.DataFrame(rows, columns=["metric", "audience", "all customers", "index", "n (audience / all)", "p (BH)"])


def usage_view(usage: pd.DataFrame) -> pd.DataFrame:
    """`usage_summary` as a narrow table: median (mean) per side, index of means, n and adjusted p."""
    rows = []
    for r in usage.to_dict("records"):
        pct = r["metric"] == "share with any visit"
        fmt = (lambda m: f"{m:.0%}") if pct else (lambda m: f"{m:,.2f}")
        rows.append(
            {
                "metric": r["metric"] if pct else f"{r['metric']} — median (mean)",
                "audience": fmt(r["audience_mean"])
                if pct
                else f"{fmt(r['audience_median'])} ({fmt(r['audience_mean'])})",
                "all customers": fmt(r["base_mean"]) if pct else f"{fmt(r['base_median'])} ({fmt(r['base_mean'])})",
                "index": r["index"],
                "n (audience / all)": f"{int(r['audience_n']):,} / {int(r['base_n']):,}",
                "p (BH)": _fmt_p(r["p_adjusted"]),
            }
        )
    return pd.DataFrame(rows, columns=["metric", "audience", "all customers", "index", "n (audience / all)", "p (BH)"])


def best_times_view(best: pd.DataFrame) -> pd.DataFrame:
    """Best weekday × hour slots for readers: the slot as words, the visits behind it, their share
    and index, and — when the sessions carry conversions — the raw conversion rate with its interval
    and the expected purchases (visits × shrunk rate) the slot was ranked by."""
    out = pd.DataFrame(
        {
            "slot": [
                f"{d} {int(h):02d}:00–{(int(h) + 1) % 24:02d}:00"
                for d, h in zip(best["weekday_name"], best["hour"], strict=False)
            ],
            "audience visits": best["n"].astype(int).to_numpy(),
            "share of their visits": best["share"].to_numpy(),
            "index vs all customers": best["index"].to_numpy(),
        }
    )
    if {"rate", "rate_low", "rate_high"} <= set(best.columns):
        out["conversion rate (95% CI)"] = [
            "–" if pd.isna(r) else f"{r:.1%} ({lo:.1%}–{hi:.1%})"
            for r, lo, hi in zip(best["rate"], best["rate_low"], best["rate_high"], strict=False)
        ]
    if "expected" in best.columns:
        out["expected purchases"] = best["expected"].round(0).astype(int).to_numpy()
    return out
