"""What the segmentation report shows, derived from a `SegmentationRun`: headline, tiles, sentences
and reader tables. Numbers become text through `workbench.report.format` only."""

from __future__ import annotations

import pandas as pd

from workbench.analysis.customers.labels import column_label
from workbench.analysis.customers.segmentation_run import SegmentationRun
from workbench.analysis.customers.text import fmt
from workbench.i18n import _, ngettext, pgettext
from workbench.report.format import date_pattern, money, pct
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
    forecast, money by magnitude ('21,500 USD', '48.7M RUB'); labels in the current language."""
    seg = run.seg
    largest = seg.profiles.sort_values("size", ascending=False).iloc[0]
    out: dict = {
        _("Segments (k)"): seg.k,
        _("Silhouette"): round(seg.silhouette, 2),
        _("Largest segment"): f"{largest['segment']}. {_short(largest['name'])} ({pct(largest['share_customers'])})",
    }
    if run.targeting is not None:
        targets = run.targeting.targets
        top = targets.iloc[0] if len(targets) else None
        out[_("Top target")] = f"{top['segment']}. {_short(top['name'])}" if top is not None else _("none")
        clv, forecast = run.value.values["clv"].sum(), run.targeting.forecast["expected_revenue"].sum()
        clv_label = ngettext("CLV, {months} month", "CLV, {months} months", horizon_months)
        forecast_label = ngettext("Forecast, {months} month", "Forecast, {months} months", forecast_months)
        out[clv_label.format(months=horizon_months)] = headline_number(clv, money(clv, currency))
        out[forecast_label.format(months=forecast_months)] = headline_number(forecast, money(forecast, currency))
    return out


def stability_word(ari_mean: float) -> str:
    """'stable' (ARI ≥ 0.8), 'only moderately stable' (≥ 0.6) or 'fragile' (an English key; see
    `stability_sentence` for the words a reader sees)."""
    return "stable" if ari_mean >= 0.8 else "only moderately stable" if ari_mean >= 0.6 else "fragile"


def stability_sentence(stability: dict) -> str:
    """The bootstrap stability in one sentence, in the current language."""
    words = {
        "stable": pgettext("segments are", "stable"),
        "only moderately stable": pgettext("segments are", "only moderately stable"),
        "fragile": pgettext("segments are", "fragile"),
    }
    return ngettext(
        "Bootstrap stability: mean adjusted Rand index {ari} (5th percentile {low}, {n} resample) — the segments "
        "are {verdict}.",
        "Bootstrap stability: mean adjusted Rand index {ari} (5th percentile {low}, {n} resamples) — the segments "
        "are {verdict}.",
        int(stability["n_boot"]),
    ).format(
        ari=fmt("{:.2f}", stability["ari_mean"]),
        low=fmt("{:.2f}", stability["ari_low"]),
        n=stability["n_boot"],
        verdict=words[stability_word(stability["ari_mean"])],
    )


def segmentation_tiles(
    run: SegmentationRun, currency: str, horizon_months: int, forecast_months: int, margin: float
) -> list[dict]:
    """KPI tiles: customers, k, silhouette, stability and — with orders — CLV and forecast revenue."""
    seg = run.seg
    tiles = [
        {"label": pgettext("tile", "customers"), "value": fmt("{:,}", seg.n_customers)},
        {
            "label": pgettext("tile", "segments (k)"),
            "value": seg.k,
            "note": pgettext("k is", "fixed") if seg.k_fixed else pgettext("k is", "best silhouette"),
        },
        {"label": pgettext("tile", "silhouette"), "value": fmt("{:.2f}", seg.silhouette)},
        {
            "label": pgettext("tile", "stability (ARI)"),
            "value": fmt("{:.2f}", seg.stability["ari_mean"]),
            "status": "good" if seg.stability["ari_mean"] >= 0.8 else "warn",
        },
    ]
    if run.targeting is not None:
        tiles += [
            {
                "label": ngettext(
                    "CLV of all customers, {months} month", "CLV of all customers, {months} months", horizon_months
                ).format(months=horizon_months),
                "value": money(run.value.values["clv"].sum(), currency, millions=False),
                "note": _("gross margin {margin}, discounted").format(margin=pct(margin)),
            },
            {
                "label": ngettext(
                    "forecast revenue, {months} month", "forecast revenue, {months} months", forecast_months
                ).format(months=forecast_months),
                "value": money(run.targeting.forecast["expected_revenue"].sum(), currency, millions=False),
                "note": _("existing customers"),
            },
        ]
    return tiles


def churn_sentence(churn: dict) -> str:
    """What the fitted drop-out says about churn, and how to read P(alive) against the RFM groups."""
    if churn["negligible"]:
        return _(
            "The fitted BG/NBD finds practically no drop-out (mean drop-out probability after a purchase "
            "a/(a+b) = {dropout}; {share} of customers have P(alive) below {threshold}): in this data customers "
            "keep buying at their own rates, so P(alive) is close to 100% for everyone and value differences come "
            "from purchase rates and spend."
        ).format(
            dropout=fmt("{:.1e}", churn["dropout_p"]),
            share=pct(churn["share_below"], 1),
            threshold=pct(churn["threshold"]),
        )
    return _(
        "After each purchase a customer stops buying with probability {dropout} on average (a/(a+b)); {customers} "
        "customers ({share}) have probably stopped (P(alive) below {threshold}) and the mean P(alive) is {mean}. "
        "The table compares P(alive) with the RFM groups: repeat buyers who have been silent for long (At risk, "
        "Cannot lose them) should score lowest. BG/NBD lets customers drop out only after a repeat purchase, so a "
        "one-time buyer always has P(alive) = 100% however long ago they bought; Hibernating and Lost, mostly "
        "one-time buyers, are better judged by recency."
    ).format(
        dropout=pct(churn["dropout_p"], 1),
        customers=fmt("{:,}", churn["customers_below"]),
        share=pct(churn["share_below"]),
        threshold=pct(churn["threshold"]),
        mean=pct(churn["p_alive_mean"]),
    )


def p_alive_by_rfm_group(run: SegmentationRun) -> pd.DataFrame:
    """Per RFM group: buyers, mean P(alive) and the share below the churn threshold (its heading in the
    current language; the groups stay English ids: `text.rfm_view` names them for display)."""
    churn = run.value.churn
    return (
        run.rfm[["customer_id", "rfm_group"]]
        .join(run.value.values["p_alive"], on="customer_id")
        .groupby("rfm_group", sort=False, observed=False)["p_alive"]
        .agg(buyers="size", p_alive_mean="mean", below=lambda s: (s < churn["threshold"]).mean())
        .reindex(run.rfm_summary["rfm_group"])
        .reset_index()
        .rename(columns={"below": _("share with P(alive) < {threshold}").format(threshold=pct(churn["threshold"]))})
    )


def model_parameters(run: SegmentationRun) -> pd.DataFrame:
    """The fitted BG/NBD and Gamma-Gamma parameters, one row each."""
    value = run.value
    return pd.DataFrame(
        [{"model": "BG/NBD", "parameter": k, "value": v} for k, v in value.bgnbd.params().items()]
        + [{"model": "Gamma-Gamma", "parameter": k, "value": v} for k, v in value.gamma_gamma.params().items()]
    )


def forecast_table(run: SegmentationRun) -> pd.DataFrame:
    """Expected revenue by segment (rows, with names and an 'all' row) and forecast month (columns), headings
    in the current language."""
    forecast, names = run.targeting.forecast, run.seg.names
    wide = forecast.pivot_table(index="segment", columns="month_start", values="expected_revenue", aggfunc="sum")
    wide.columns = [date_pattern(pd.Timestamp(c), "LLL y") for c in wide.columns]
    total = pgettext("forecast table", "total")
    wide[total] = wide.sum(axis=1)
    wide.loc["all"] = wide.sum()
    out = wide.reset_index()
    out["segment"] = [pgettext("forecast table", "all") if s == "all" else s for s in out["segment"]]
    out.insert(1, "name", out["segment"].map(lambda s: names.get(s, _("all segments"))))
    return out.rename(columns={"segment": column_label("segment"), "name": column_label("name")})
