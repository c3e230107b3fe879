"""What the segmentation report shows, derived from a `SegmentationRun`: headline, tiles, sentences
and reader tables. Numbers become text through `workbench.report.format` only."""

from __future__ import annotations

import pandas as pd

from workbench.analysis.customers.segmentation_run import SegmentationRun
from workbench.report.format import money, pct
from workbench.report.results import headline_number

__all__ = [
    "churn_sentence",
    "forecast_table",
    "model_parameters",
    "p_alive_by_rfm_group",
    "segmentation_headline",
    "segmentation_tiles",
    "stability_sentence",
    "stability_word",
]


def _short(name: str) -> str:
    return str(name).split(", ")[0]


def segmentation_headline(run: SegmentationRun, currency: str, horizon_months: int, forecast_months: int) -> dict:
    """The index's headline: k, silhouette, largest segment and — with orders — top target, CLV and
    forecast, money by magnitude ('21,500 USD', '48.7M RUB')."""
    seg = run.seg
    largest = seg.profiles.sort_values("size", ascending=False).iloc[0]
    out: dict = {
        "Segments (k)": seg.k,
        "Silhouette": round(seg.silhouette, 2),
        "Largest segment": f"{largest['segment']}. {_short(largest['name'])} ({pct(largest['share_customers'])})",
    }
    if run.targeting is not None:
        targets = run.targeting.targets
        top = targets.iloc[0] if len(targets) else None
        out["Top target"] = f"{top['segment']}. {_short(top['name'])}" if top is not None else "none"
        clv, forecast = run.value.values["clv"].sum(), run.targeting.forecast["expected_revenue"].sum()
        out[f"CLV, {horizon_months} months"] = headline_number(clv, money(clv, currency))
        out[f"Forecast, {forecast_months} months"] = headline_number(forecast, money(forecast, currency))
    return out


def stability_word(ari_mean: float) -> str:
    """'stable' (ARI ≥ 0.8), 'only moderately stable' (≥ 0.6) or 'fragile'."""
    return "stable" if ari_mean >= 0.8 else "only moderately stable" if ari_mean >= 0.6 else "fragile"


def stability_sentence(stability: dict) -> str:
    """The bootstrap stability in one sentence."""
    return (
        f"Bootstrap stability: mean adjusted Rand index {stability['ari_mean']:.2f} "
        f"(5th percentile {stability['ari_low']:.2f}, {stability['n_boot']} resamples) — the "
        f"segments are {stability_word(stability['ari_mean'])}."
    )


def segmentation_tiles(
    run: SegmentationRun, currency: str, horizon_months: int, forecast_months: int, margin: float
) -> list[dict]:
    """KPI tiles: customers, k, silhouette, stability and — with orders — CLV and forecast revenue."""
    seg = run.seg
    tiles = [
        {"label": "customers", "value": f"{seg.n_customers:,}"},
        {"label": "segments (k)", "value": seg.k, "note": "fixed" if seg.k_fixed else "best silhouette"},
        {"label": "silhouette", "value": f"{seg.silhouette:.2f}"},
        {
            "label": "stability (ARI)",
            "value": f"{seg.stability['ari_mean']:.2f}",
            "status": "good" if seg.stability["ari_mean"] >= 0.8 else "warn",
        },
    ]
    if run.targeting is not None:
        tiles += [
            {
                "label": f"CLV of all customers, {horizon_months} months",
                "value": money(run.value.values["clv"].sum(), currency, millions=False),
                "note": f"gross margin {pct(margin)}, discounted",
            },
            {
                "label": f"forecast revenue, {forecast_months} months",
                "value": money(run.targeting.forecast["expected_revenue"].sum(), currency, millions=False),
                "note": "existing customers",
            },
        ]
    return tiles


def churn_sentence(churn: dict) -> str:
    """What the fitted drop-out says about churn, and how to read P(alive) against the RFM groups."""
    if churn["negligible"]:
        return (
            "The fitted BG/NBD finds practically no drop-out (mean drop-out probability after a purchase "
            f"a/(a+b) = {churn['dropout_p']:.1e}; {pct(churn['share_below'], 1)} of customers have P(alive) below "
            f"{pct(churn['threshold'])}): in this data customers keep buying at their own rates, so P(alive) is "
            "close to 100% for everyone and value differences come from purchase rates and spend."
        )
    return (
        f"After each purchase a customer stops buying with probability {pct(churn['dropout_p'], 1)} on average "
        f"(a/(a+b)); {churn['customers_below']:,} customers ({pct(churn['share_below'])}) have probably "
        f"stopped (P(alive) below {pct(churn['threshold'])}) and the mean P(alive) is "
        f"{pct(churn['p_alive_mean'])}. The table compares P(alive) with the RFM groups: repeat buyers who "
        "have been silent for long (At risk, Cannot lose them) should score lowest. BG/NBD lets customers "
        "drop out only after a repeat purchase, so a one-time buyer always has P(alive) = 100% however long "
        "ago they bought; Hibernating and Lost, mostly one-time buyers, are better judged by recency."
    )


def p_alive_by_rfm_group(run: SegmentationRun) -> pd.DataFrame:
    """Per RFM group: buyers, mean P(alive) and the share below the churn threshold."""
    churn = run.value.churn
    return (
        run.rfm[["customer_id", "rfm_group"]]
        .join(run.value.values["p_alive"], on="customer_id")
        .groupby("rfm_group", sort=False, observed=False)["p_alive"]
        .agg(buyers="size", p_alive_mean="mean", below=lambda s: (s < churn["threshold"]).mean())
        .reindex(run.rfm_summary["rfm_group"])
        .reset_index()
        .rename(columns={"below": f"share with P(alive) < {pct(churn['threshold'])}"})
    )


def model_parameters(run: SegmentationRun) -> pd.DataFrame:
    """The fitted BG/NBD and Gamma-Gamma parameters, one row each."""
    value = run.value
    return pd.DataFrame(
        [{"model": "BG/NBD", "parameter": k, "value": v} for k, v in value.bgnbd.params().items()]
        + [{"model": "Gamma-Gamma", "parameter": k, "value": v} for k, v in value.gamma_gamma.params().items()]
    )


def forecast_table(run: SegmentationRun) -> pd.DataFrame:
    """Expected revenue by segment (rows, with names and an 'all' row) and forecast month (columns)."""
    forecast, names = run.targeting.forecast, run.seg.names
    wide = forecast.pivot_table(index="segment", columns="month_start", values="expected_revenue", aggfunc="sum")
    wide.columns = [f"{pd.Timestamp(c):%b %Y}" for c in wide.columns]
    wide["total"] = wide.sum(axis=1)
    wide.loc["all"] = wide.sum()
    out = wide.reset_index()
    out.insert(1, "name", out["segment"].map(lambda s: names.get(s, "all segments")))
    return out
