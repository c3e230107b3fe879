"""Performance by channel, campaign, ad group or creative, with the uncertainty left in.

A creative with 4 clicks from 50 impressions "wins" on CTR by luck as often as not; each rate
carries a Wilson interval, and a leader whose interval overlaps the runner-up's, or that rests on
fewer than `min_n` trials, is flagged instead of celebrated.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.analysis.stats.proportions import relative_lift_interval, two_proportion_ztest, wilson_interval
from workbench.i18n import _
from workbench.report.format import (
    confidence,
    currency_symbol,
    grouped,
    is_missing,
    localize_formatted,
    p_clause,
    pct,
    pct_range,
    ratio,
)

__all__ = ["breakdown", "breakdown_view", "compare_leader", "leader_sentence", "rate_with_interval"]

_LEVELS = ("channel", "campaign", "ad_group", "creative", "platform")


def breakdown(ad_stats: pd.DataFrame, by: str | list[str] = "channel", min_n: int = 100) -> pd.DataFrame:
    """Totals and rates per group: impressions, clicks, cost, [conversions, revenue], ctr and
    cvr (conversions / clicks) with Wilson intervals, cpc, cpa, roas, share_of_cost, and `flag`
    text for leaders that are not clearly ahead ("CTR lead: small sample" below `min_n` trials,
    "CTR lead unclear" when its interval overlaps the runner-up's). Sorted by cost, largest first."""
    keys = [by] if isinstance(by, str) else list(by)
    bad = [k for k in keys if k not in _LEVELS]
    if bad or not keys:
        raise ValueError(f"by must be among {', '.join(_LEVELS)}; got {by!r}")
    absent = [k for k in keys if k not in ad_stats.columns]
    if absent:
        raise ValueError(f"ad_stats has no column(s) {absent} to break down by")
    if min_n < 0:
        raise ValueError(f"min_n must be non-negative; got {min_n!r}")
    cols = [c for c in ("impressions", "clicks", "cost", "conversions", "revenue") if c in ad_stats.columns]
    g = ad_stats.groupby(keys, dropna=False, sort=False)[cols].sum().reset_index()
    g["ctr"] = g["clicks"] / g["impressions"].where(g["impressions"] > 0)
    g["ctr_low"], g["ctr_high"] = wilson_interval(g["clicks"].to_numpy(), g["impressions"].to_numpy())
    g["cpc"] = g["cost"] / g["clicks"].where(g["clicks"] > 0)
    if "conversions" in g.columns:
        conv = np.minimum(g["conversions"].to_numpy(float), g["clicks"].to_numpy(float))
        g["cvr"] = conv / g["clicks"].where(g["clicks"] > 0)
        g["cvr_low"], g["cvr_high"] = wilson_interval(conv, g["clicks"].to_numpy())
        g["cpa"] = g["cost"] / g["conversions"].where(g["conversions"] > 0)
    if "revenue" in g.columns:
        g["roas"] = g["revenue"] / g["cost"].where(g["cost"] > 0)
    total_cost = g["cost"].sum()
    g["share_of_cost"] = g["cost"] / total_cost if total_cost else np.nan
    flags = [[] for _ in range(len(g))]
    for rate, n_col, label in (("ctr", "impressions", "CTR"), ("cvr", "clicks", "conv. rate")):
        if rate not in g.columns or g[rate].notna().sum() == 0:
            continue
        order = g[rate].fillna(-1).to_numpy().argsort()[::-1]
        lead = order[0]
        if g[n_col].iloc[lead] < min_n:
            flags[lead].append(f"{label} lead: small sample")
        elif len(order) > 1 and g[f"{rate}_low"].iloc[lead] <= g[f"{rate}_high"].iloc[order[1]]:
            flags[lead].append(f"{label} lead unclear")
    g["flag"] = ["; ".join(f) for f in flags]
    return g.sort_values("cost", ascending=False, kind="mergesort").reset_index(drop=True)


def rate_with_interval(rate: float, low: float, high: float, digits: int = 2) -> str:
    """ "1.47% (1.45%–1.50%)": a rate and its interval in one narrow cell (no-break space, so the
    cell does not wrap in the middle); the interval gets the digits it needs, so 0 of 1,012
    reads "0.0% (0%–0.4%)" and not "0% (0%–0%)"."""
    if is_missing(rate):
        return ""
    if is_missing(low) or is_missing(high):
        return pct(rate, digits)
    shown = "–".join(localize_formatted(end) for end in pct_range(low, high, digits).split("–"))
    return f"{pct(rate, digits)}\u00a0({shown})"


def breakdown_view(frame: pd.DataFrame, label: str | None = None, currency: str = "") -> pd.DataFrame:
    """A `breakdown` frame narrowed for the page: rates merged with their intervals, counts
    that the rates already summarise (impressions, revenue, CPC) dropped."""
    key = frame.columns[0]
    headers = {"channel": _("Channel"), "campaign": _("Campaign"), "ad_group": _("Ad group"), "creative": _("Creative")}
    out = pd.DataFrame({label or headers.get(key, key.replace("_", " ").capitalize()): frame[key].astype(str)})
    unit = f" ({currency_symbol(currency)})" if currency else ""
    level = pct(0.95)
    out[_("Spend{unit}").format(unit=unit)] = [grouped(v) for v in frame["cost"]]
    out[_("Share of spend")] = frame["share_of_cost"].map(lambda v: "" if pd.isna(v) else pct(v))
    out[_("Clicks")] = [grouped(v) for v in frame["clicks"]]
    out[_("CTR ({level} CI)").format(level=level)] = [
        rate_with_interval(*v) for v in zip(frame["ctr"], frame["ctr_low"], frame["ctr_high"], strict=False)
    ]
    if "cvr" in frame.columns:
        out[_("Conversions")] = [grouped(v) for v in frame["conversions"]]
        out[_("Conv. rate per click ({level} CI)").format(level=level)] = [
            rate_with_interval(*v) for v in zip(frame["cvr"], frame["cvr_low"], frame["cvr_high"], strict=False)
        ]
        out[f"CPA{unit}"] = frame["cpa"].map(lambda v: "" if pd.isna(v) else grouped(v))
    if "roas" in frame.columns:
        out["ROAS"] = frame["roas"].map(lambda v: "" if pd.isna(v) else ratio(v))
    out[_("Flag")] = [flag_text(f) for f in frame["flag"]]
    return out


def flag_text(flag: str) -> str:
    """A `breakdown` flag ('CTR lead: small sample; conv. rate lead unclear') in the report's language."""
    names = {
        "CTR lead: small sample": _("CTR lead: small sample"),
        "CTR lead unclear": _("CTR lead unclear"),
        "conv. rate lead: small sample": _("conv. rate lead: small sample"),
        "conv. rate lead unclear": _("conv. rate lead unclear"),
    }
    return "; ".join(names.get(part, part) for part in str(flag).split("; ")) if flag else flag


def compare_leader(frame: pd.DataFrame, rate: str = "ctr", alpha: float = 0.05) -> dict | None:
    """The group with the highest `rate` ("ctr" or "cvr") against the runner-up: both rates, the
    relative lift with its delta-method (Katz log) interval and the two-proportion z-test p-value.
    None when fewer than two groups have trials."""
    trials = {"ctr": ("clicks", "impressions"), "cvr": ("conversions", "clicks")}
    if rate not in trials:
        raise ValueError(f"rate must be 'ctr' or 'cvr'; got {rate!r}")
    succ, n = trials[rate]
    if rate not in frame.columns:
        return None
    g = frame[frame[n] > 0].sort_values(rate, ascending=False, kind="mergesort")
    if len(g) < 2:
        return None
    lead, second = g.iloc[0], g.iloc[1]
    key = frame.columns[0]
    s_l, s_r = min(lead[succ], lead[n]), min(second[succ], second[n])
    lift, low, high = relative_lift_interval(s_l, lead[n], s_r, second[n], alpha)
    _, p = two_proportion_ztest(s_l, lead[n], s_r, second[n])
    return {
        "level": key,
        "leader": str(lead[key]),
        "runner_up": str(second[key]),
        "rate": rate,
        "leader_rate": float(lead[rate]),
        "runner_up_rate": float(second[rate]),
        "lift": lift,
        "lift_low": low,
        "lift_high": high,
        "p_value": p,
        "leader_n": float(lead[n]),
        "runner_up_n": float(second[n]),
        "clear": bool(np.isfinite(low) and low > 0 and p < alpha),
        "alpha": alpha,
    }


def leader_sentence(lead: dict) -> str:
    """compare_leader's result in one sentence, with the interval at its own level."""

    values = {
        "leader": lead["leader"],
        "leader_rate": pct(lead["leader_rate"], 2),
        "runner_up_rate": pct(lead["runner_up_rate"], 2),
        "runner_up": lead["runner_up"],
        "lift": localize_formatted(f"{lead['lift']:+.1%}"),
        "level": localize_formatted(confidence(lead.get("alpha", 0.05))),
        "low": localize_formatted(f"{lead['lift_low']:+.1%}"),
        "high": localize_formatted(f"{lead['lift_high']:+.1%}"),
        "p": p_clause(lead["p_value"]),
    }
    if lead["clear"]:
        text = _(
            "{leader} has the higher CTR: {leader_rate} against {runner_up_rate} for {runner_up}, {lift} "
            "({level} CI {low} to {high}, {p})."
        )
    else:
        text = _(
            "{leader} has the higher CTR: {leader_rate} against {runner_up_rate} for {runner_up}, {lift} "
            "({level} CI {low} to {high}, {p}); not a clear difference."
        )
    return text.format(**values)
