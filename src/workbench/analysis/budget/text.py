"""Every sentence the budget-planning report states, built from the analysis results.

Whole sentences with placeholders (never joined fragments), numbers through
`workbench.report.format`, channel names through `channel_name`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from workbench.report.format import money, pct, ratio, signed_pct

__all__ = [
    "allocation_sentence",
    "channel_name",
    "contribution_sentence",
    "holdout_sentence",
    "marginal_sentences",
    "plan_sentence",
    "stability_sentences",
    "warning_sentence",
]

_NAMES = {
    "yandex_direct": "Yandex Direct",
    "vk_ads": "VK Ads",
    "telegram_ads": "Telegram Ads",
    "online_video": "Online video",
    "tv": "TV",
    "outdoor": "Outdoor",
    "google_ads": "Google Ads",
    "meta_ads": "Meta Ads",
}


def channel_name(code: str) -> str:
    """'vk_ads' -> 'VK Ads'; unknown codes lose their underscores and take a capital."""
    return _NAMES.get(str(code), str(code).replace("_", " ").capitalize())


def _range(lo: float, hi: float, currency: str) -> str:
    return f"{money(lo, currency)} – {money(hi, currency)}"


def contribution_sentence(summary: pd.DataFrame, weeks: int, outcome: str, currency: str, level: float) -> str:
    """How much of the outcome media drove, and the channel with the highest ROAS."""
    ch = summary[summary["kind"] == "channel"]
    total = ch["contribution"].sum()
    share = total / (summary["contribution"].sum() or 1)
    best = ch.sort_values("roas", ascending=False).iloc[0]
    unit = currency if outcome == "revenue" else ""
    return (
        f"Over {weeks} weeks the channels drove {money(total, unit)} of {outcome} ({pct(share)} of the total); "
        f"the highest return was {channel_name(best['component'])} with {ratio(best['roas'])} {outcome} per "
        f"{currency or 'unit'} spent ({level:.0%} interval {ratio(best['roas_lower'])} – {ratio(best['roas_upper'])})."
    )


def marginal_sentences(table: pd.DataFrame, outcome: str, currency: str) -> list[str]:
    """Channels whose next unit of money returns clearly less, or clearly more, than it costs
    (judged on the interval of the marginal ROAS, so an unclear channel gets no sentence)."""
    out = []
    for _, r in table.iterrows():
        name = channel_name(r["channel"])
        if r["marginal_upper"] < 1:
            out.append(
                f"{name}: the next {currency or 'unit'} returns {ratio(r['marginal_roas'])} of {outcome} "
                f"(interval {ratio(r['marginal_lower'])} – {ratio(r['marginal_upper'])}), less than it costs: "
                "spend there is past the point of paying back."
            )
        elif r["marginal_lower"] > 1:
            out.append(
                f"{name}: the next {currency or 'unit'} returns {ratio(r['marginal_roas'])} of {outcome} "
                f"(interval {ratio(r['marginal_lower'])} – {ratio(r['marginal_upper'])}): room to spend more."
            )
    return out


def holdout_sentence(summary: Mapping, outcome: str) -> str:
    """The out-of-time check in words, with the verdict on the interval coverage."""
    cov, level = summary["coverage"], summary["level"]
    verdict = (
        "as intended" if cov >= level - 0.15 else "fewer than intended: read the intervals in this report as too narrow"
    )
    return (
        f"On the last {summary['periods']} weeks, which the model did not see, its forecast of {outcome} was off by "
        f"{pct(summary['mape'], 1)} on average (MAPE); {pct(cov)} of those weeks fell inside the {level:.0%} "
        f"prediction interval, {verdict}."
    )


def warning_sentence(w: Mapping) -> str:
    """One data problem in plain words: collinear, flat or rare spend."""
    names = [channel_name(c) for c in w["channels"]]
    if w["kind"] == "collinear":
        return (
            f"Spend on {names[0]} and {names[1]} moves together (correlation {w['value']:.2f}): the model cannot "
            "reliably tell their effects apart; vary one of them on its own for a few weeks to separate them."
        )
    if w["kind"] == "flat":
        return (
            f"Spend on {names[0]} hardly varies (weeks differ by {pct(w['value'])} on average): its response "
            "curve is an extrapolation beyond the little range the data shows."
        )
    if w["kind"] == "rare":
        return f"{names[0]} had spend in only {pct(w['value'])} of the weeks: too few to estimate its effect well."
    raise ValueError(f"unknown warning kind {w['kind']!r}")


def stability_sentences(stability: pd.DataFrame, level: float) -> list[str]:
    """Channels whose carry-over or saturation moves a lot across refits."""
    labels = {"decay": "carry-over (decay)", "half_saturation": "saturation point", "max_effect": "effect size"}
    out = []
    for ch, rows in stability[stability["unstable"] & stability["parameter"].isin(labels)].groupby("channel"):
        names = [labels[p] for p in rows["parameter"]]
        params = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        verb = "changes" if len(names) == 1 else "change"
        out.append(
            f"{channel_name(ch)}: the {params} {verb} a lot across refits on resampled data ({level:.0%} "
            "interval wider than the estimate itself): treat its response curve as a rough guide."
        )
    return out


def allocation_sentence(summary: Mapping, outcome: str, currency: str) -> str:
    """The recommended split against the current one for the same budget."""
    unit = currency if outcome == "revenue" else ""
    lo, hi = summary["uplift_interval"]
    sure = "" if lo > 0 else " The interval includes no gain, so the current split is not clearly worse."
    return (
        f"Splitting the budget of {money(summary['budget'], currency)} over {summary['periods']} weeks as "
        f"recommended is expected to bring {money(summary['outcome_optimal'], unit)} of media-driven {outcome} "
        f"against {money(summary['outcome_current'], unit)} with the current split: "
        f"{signed_pct(summary['uplift_share'])} ({money(summary['uplift'], unit)}, {summary['level']:.0%} interval "
        f"{_range(lo, hi, unit)}).{sure}"
    )


def plan_sentence(year: str, summary: Mapping, outcome: str, currency: str) -> str:
    """One year of a multi-year plan."""
    unit = currency if outcome == "revenue" else ""
    lo, hi = summary["outcome_optimal_interval"]
    return (
        f"{year}: a budget of {money(summary['budget'], currency)} split as recommended is expected to bring "
        f"{money(summary['outcome_optimal'], unit)} of media-driven {outcome} ({_range(lo, hi, unit)}), "
        f"{signed_pct(summary['uplift_share'])} against the current split of the same budget."
    )


def fit_sentence(r2: float, mape: float, nrmse: float, draws: int, block: int) -> str:
    """In-sample fit and how the intervals were made."""
    return (
        f"In the weeks it was fitted on, the model explains {pct(r2)} of the week-to-week variation (R²), with a "
        f"mean absolute error of {pct(mape, 1)} (NRMSE {pct(nrmse, 1)}). Intervals come from {draws} refits on "
        f"data resampled in blocks of {block} weeks."
    )


def no_warning_sentence() -> str:
    """What the report says when no data problem was found."""
    return (
        "No channel pair moves together beyond the threshold, every channel's spend varies enough, and "
        "refits agree on every channel's carry-over, saturation point and effect size."
    )
