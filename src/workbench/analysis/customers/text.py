"""Headings, prose, captions and fixed-vocabulary labels of the customer reports (segmentation and
audience portrait), in the current language (`workbench.i18n`).

Whole messages with placeholders, numbers through `workbench.report.format`; English output is the
text these reports have always shown. The machine values (RFM group ids, criteria keys) stay English in
results.json; only what a reader sees goes through here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from workbench.i18n import _, ngettext, pgettext
from workbench.report.format import currency_symbol, localize, localize_formatted, pct

__all__ = [
    "criterion_name",
    "feature_name",
    "feature_table",
    "fmt",
    "rfm_group_name",
    "rfm_rules_table",
    "rfm_view",
    "section_markdown",
    "segment_caption",
]


def fmt(spec: str, value: Any) -> str:
    """A number by a Python format spec ('{:,.0f}', '{:.0%}') in the current language; English as Python
    writes it, so English sentences keep their digits byte for byte."""
    return localize_formatted(spec.format(value))


def rfm_group_name(group: Any) -> str:
    """'Champions' -> 'Champions' / 'Чемпионы'; results.json and params keep the English id."""
    names = {
        "Champions": pgettext("RFM group", "Champions"),
        "Loyal": pgettext("RFM group", "Loyal"),
        "Potential loyalists": pgettext("RFM group", "Potential loyalists"),
        "New": pgettext("RFM group", "New"),
        "Promising": pgettext("RFM group", "Promising"),
        "Need attention": pgettext("RFM group", "Need attention"),
        "About to sleep": pgettext("RFM group", "About to sleep"),
        "At risk": pgettext("RFM group", "At risk"),
        "Cannot lose them": pgettext("RFM group", "Cannot lose them"),
        "Hibernating": pgettext("RFM group", "Hibernating"),
        "Lost": pgettext("RFM group", "Lost"),
    }
    return names.get(str(group), str(group))


def _rfm_description(group: str, english: str) -> str:
    descriptions = {
        "Champions": _("bought recently, buy often and spend the most"),
        "Loyal": _("buy regularly and spend well; responsive to loyalty offers"),
        "Potential loyalists": _("recent buyers with average frequency; could become loyal"),
        "New": _("bought very recently, for the first time or little so far"),
        "Promising": _("fairly recent but low-frequency, low-spend buyers"),
        "Need attention": _("middle of the road on every axis; slipping without a nudge"),
        "About to sleep": _("below-average recency and value; will be lost without reactivation"),
        "At risk": _("spent well and often, but long ago"),
        "Cannot lose them": _("used to be among the best customers, have not bought for a long time"),
        "Hibernating": _("low value, last purchase long ago"),
        "Lost": _("lowest recency, frequency and value"),
    }
    return descriptions.get(group, english)


def rfm_view(frame: pd.DataFrame) -> pd.DataFrame:
    """A table with an `rfm_group` column, its groups named in the current language (for display)."""
    out = frame.copy()
    out["rfm_group"] = [rfm_group_name(g) for g in out["rfm_group"]]
    return out


def rfm_rules_table(rules: pd.DataFrame) -> pd.DataFrame:
    """`rfm.rfm_group_rules()` for display: group names and descriptions in the current language."""
    out = rules.copy()
    out["description"] = [_rfm_description(g, d) for g, d in zip(rules["rfm_group"], rules["description"], strict=True)]
    return rfm_view(out)


def criterion_name(key: str) -> str:
    """An attractiveness criterion ('size', 'growth', 'value', 'reachability') as a reader's word."""
    names = {
        "size": pgettext("criterion", "size"),
        "growth": pgettext("criterion", "growth"),
        "value": pgettext("criterion", "value"),
        "reachability": pgettext("criterion", "reachability"),
    }
    return names.get(str(key), str(key))


def feature_name(column: str) -> str:
    """A customer column of the data contract as a reader's word ('income_band' -> 'income band' /
    'уровень дохода'); a column of the user's own table keeps its name, underscores as spaces."""
    names = {
        "age": pgettext("feature", "age"),
        "age_band": pgettext("feature", "age band"),
        "gender": pgettext("feature", "gender"),
        "income_band": pgettext("feature", "income band"),
        "occupation": pgettext("feature", "occupation"),
        "lifestyle": pgettext("feature", "lifestyle"),
        "country": pgettext("feature", "country"),
        "region": pgettext("feature", "region"),
        "city": pgettext("feature", "city"),
        "city_type": pgettext("feature", "city type"),
        "tenure_days": pgettext("feature", "tenure days"),
        "recency_days": pgettext("feature", "recency days"),
        "frequency": pgettext("feature", "frequency"),
        "monetary": pgettext("feature", "monetary"),
        "aov": pgettext("feature", "aov"),
        "main_channel": pgettext("feature", "main channel"),
        "main_category": pgettext("feature", "main category"),
        "main_price_tier": pgettext("feature", "main price tier"),
        "sessions": pgettext("feature", "sessions"),
        "main_device": pgettext("feature", "main device"),
        "main_source": pgettext("feature", "main source"),
        "acquisition_channel": pgettext("feature", "acquisition channel"),
    }
    return names.get(str(column), str(column).replace("_", " "))


def group_name(group: str) -> str:
    """A criterion group of features: 'geography', 'demography', 'psychographics', 'behaviour', 'other'."""
    names = {
        "geography": pgettext("feature group", "geography"),
        "demography": pgettext("feature group", "demography"),
        "psychographics": pgettext("feature group", "psychographics"),
        "behaviour": pgettext("feature group", "behaviour"),
        "other": pgettext("feature group", "other"),
    }
    return names.get(str(group), str(group))


def _kind_name(kind: str) -> str:
    names = {
        "numeric": pgettext("feature kind", "numeric"),
        "binary": pgettext("feature kind", "binary"),
        "categorical": pgettext("feature kind", "categorical"),
        "multi": pgettext("feature kind", "multi"),
    }
    return names.get(str(kind), str(kind))


def _imputed_name(text: str) -> str:
    names = {
        "median": pgettext("imputed with", "median"),
        "most frequent": pgettext("imputed with", "most frequent"),
        'category "missing"': pgettext("imputed with", 'category "missing"'),
        "no value": pgettext("imputed with", "no value"),
    }
    return names.get(str(text), str(text))


def feature_table(summary: pd.DataFrame) -> pd.DataFrame:
    """`features.feature_summary` for display: groups, kinds, imputation and indicator families in words."""
    out = summary.copy()
    families = {"interests": pgettext("feature family", "interests"), "devices": pgettext("feature family", "devices")}
    kinds = []
    for kind in out["kind"]:
        n = str(kind).split(" ")[0]
        if str(kind).endswith(" yes/no columns") and n.isdigit():
            kinds.append(ngettext("{n} yes/no column", "{n} yes/no columns", int(n)).format(n=n))
        else:
            kinds.append(_kind_name(kind))
    out["kind"] = kinds
    out["group"] = [group_name(g) for g in out["group"]]
    out["feature"] = [families.get(f) or feature_name(str(f).replace(" ", "_")) for f in out["feature"]]
    out["imputed_with"] = [_imputed_name(t) for t in out["imputed_with"]]
    out["values"] = [_in_all(v) for v in out["values"]]
    return out


def _in_all(values: Any) -> str:
    """'a, b, … (25 in all)' with the count phrase in the current language."""
    text = str(values)
    if text.endswith(" in all)") and ", … (" in text:
        head, count = text.rsplit(", … (", 1)
        n = int(count.split(" ")[0])
        return head + ", … (" + ngettext("{n} in all", "{n} in all", n).format(n=n) + ")"
    return text


def segment_caption(kind: str, **values: Any) -> str:
    """Captions of the segmentation report's tables, by table."""
    currency = currency_symbol(str(values.get("currency", "")))
    if kind == "features":
        n = int(values["columns"])
        return ngettext(
            "Features used ({columns} column); missing values imputed: {missing}",
            "Features used ({columns} columns); missing values imputed: {missing}",
            n,
        ).format(columns=localize(f"{n:,}"), missing=localize(f"{int(values['missing']):,}"))
    if kind == "rfm_rules":
        return _("RFM group rules (R × FM grid; FM = (F + M) / 2 rounded half up)")
    if kind == "rfm_groups":
        return _("Buyers by RFM group (monetary = revenue per buyer in {currency})").format(currency=currency)
    if kind == "k_scores":
        return _("Silhouette and inertia by k")
    if kind == "profiles":
        return _("Segment profiles (money in {currency})").format(currency=currency)
    if kind == "model_parameters":
        return _(
            "Model parameters (calibration to {date}, time unit {unit}; BG/NBD log-likelihood {ll}, {customers} "
            "customers; Gamma-Gamma on {repeat} repeat buyers)"
        ).format(
            date=values["date"],
            unit=values["unit"],
            ll=localize(f"{values['ll']:,.1f}"),
            customers=localize(f"{values['customers']:,}"),
            repeat=localize(f"{values['repeat']:,}"),
        )
    if kind == "p_alive":
        return _("Probability of still being active by RFM group")
    if kind == "holdout":
        return _("Repeat purchases per customer in the holdout period, actual vs predicted (total row: all customers)")
    if kind == "value":
        return _(
            "Customer value by segment ({months}-month horizon, margin {margin}, discount {discount} a year, "
            "{currency})"
        ).format(
            months=values["months"], margin=pct(values["margin"]), discount=pct(values["discount"]), currency=currency
        )
    if kind == "attractiveness":
        weights = ", ".join(f"{criterion_name(k)} {pct(v)}" for k, v in values["weights"].items())
        return _("Attractiveness (weights: {weights}; mean CLV in {currency})").format(
            weights=weights, currency=currency
        )
    if kind == "targets":
        return _("Recommended targets")
    if kind == "forecast":
        return _(
            "Expected revenue by segment and forecast month ({currency}; each month starts on day {day} of the "
            "month shown)"
        ).format(currency=currency, day=values["day"])
    raise ValueError(f"caption kind {kind!r} is not a table of the segmentation report")


def derived_base_sentence(customers: int) -> str:
    """The note shown when customers were derived from the orders."""
    return ngettext(
        "No customers file: {customers} customer derived from the orders (first order = signup).",
        "No customers file: {customers} customers derived from the orders (first order = signup).",
        customers,
    ).format(customers=localize(f"{customers:,}"))


def no_holdout_sentence(calibration_end: Any) -> str:
    """The note shown when the orders end before the holdout period starts."""
    return _("No holdout check: the orders end on or before the calibration end {date}.").format(date=calibration_end)


def data_quality_words() -> Mapping[str, str]:
    """Title, caption and all-clear sentence of the data-quality section (shared ids of every report)."""
    return {
        "title": _("Rows left out of this report"),
        "caption": _("Rows left out, by file and problem"),
        "none": _("Every row of every input file met its data contract: none was left out."),
    }


def section_markdown(section: str) -> str:
    """Heading and explanation of a section of the segmentation report, as Markdown in the current language
    (the notebook has no markdown cells: a markdown cell cannot follow the `language` parameter)."""
    sections = {
        "intro": _(
            "# Customer segmentation\n\n"
            "Who our customers are, in groups that behave alike: segments built from geography, demography, "
            "psychographics and behaviour (or from the columns of your own customer table), the classic RFM view, "
            "what each segment is worth (expected purchases, probability of still being active, customer lifetime "
            "value), a sales forecast per segment, and which segments to target first — with the reasons. The "
            "summary at the top is derived from the numbers below.\n\n"
            "Inputs: an orders file alone (customers are derived from it: the first order is the signup), a "
            "customers file alone (its own columns, numeric and categorical, and wide CRM column groups become "
            "features), or both. A section whose inputs are absent says so in one line."
        ),
        "summary": _("## Executive summary"),
        "features": _(
            "## 1. Data and features\n\n"
            "The features are chosen in the parameters from four groups of criteria: geography, demography, "
            "psychographics (interests become one yes/no column each) and behaviour (recency, frequency, spend, "
            "order value, channels, devices; from a wide customer table: spend and purchase shares, visits, "
            "campaigns accepted), plus any column of your own customer table; the note below says which this run "
            "uses. Numeric features are standardised (or kept in their units with `scaling: none`) and "
            "categorical ones one-hot encoded, so k-means can work on both (k-prototypes would need an extra "
            "weight between the two kinds of distance and a slow extra package; the one-hot convention makes a "
            "different category count like about one standard deviation). The table lists each feature with its "
            "group, how it was treated and how many values were missing and imputed (numeric: the median; "
            'categorical: a category of its own, "missing"); interest indicators are shown as one row.'
        ),
        "rfm": _(
            "## 2. RFM groups\n\n"
            "Every buyer gets a recency, frequency and monetary score from 1 (worst fifth) to 5 (best fifth); "
            "recency is inverted so recent buyers score high. Customers with equal values always get equal "
            'scores — a value shared by many customers (typically "bought once") takes the score of the lowest '
            "rank it covers, so scores can skip a value and the fifths are only approximately equal. Groups come "
            "from the grid of R against FM (the rounded mean of F and M) shown in the first table; the second "
            "shows how many buyers and how much revenue each group holds. The heat map counts buyers per "
            "recency × frequency score: the top right are the best customers, the bottom right valuable "
            "customers who have not bought for a while."
        ),
        "k": _(
            "## 3. How many segments\n\n"
            "k-means was run for every k in the range; the left chart shows the silhouette (how much closer "
            "customers are to their own segment than to the next one; higher is better, the dashed line marks the "
            'k used), the right one the within-segment spread (the "elbow"). Stability re-runs the clustering on '
            "bootstrap resamples and compares the results with the adjusted Rand index (1 = identical)."
        ),
        "profiles": _(
            "## 4. Segment profiles\n\n"
            "One row per segment: its size, its share of customers and of revenue (our market-share proxy "
            "within the base), average order value, orders per customer, days since the last order and the "
            "traits that set it apart (AOV and revenue in the report currency; revenue figures need orders). A "
            "trait's affinity index is the share of the segment with the trait divided by the share of all "
            "customers with it, × 100 (shown as ×1.0 = like everyone). Names are generated from the strongest "
            "traits and buying behaviour. Bars compare each segment's share of customers with its share of "
            "revenue; the heat map shows the affinity index of each segment's strongest traits across all "
            "segments (red = over-represented, blue = under-represented, the number is the index)."
        ),
        "value": _(
            "## 5. Customer value\n\n"
            "Repeat purchases follow the BG/NBD model (Fader, Hardie & Lee 2005: customers buy at their own "
            "rate while active and may drop out after any purchase) and spend per order the Gamma-Gamma model "
            "(Fader, Hardie & Lee 2005; Colombo & Jiang 1999), both fitted by maximum likelihood on the "
            "calibration period. Several orders on one day count as one purchase. The fitted parameters are "
            "validated in the test suite against the published CDNOW results. CLV is the expected discounted "
            "gross margin over the horizon."
        ),
        "holdout": _(
            "The holdout check fits the purchase model on the calibration period only and compares, for customers "
            "grouped by their repeat purchases in that period, the purchases it expected in the holdout period with "
            "what they actually bought (bars of equal height = a good model; the note says which periods were used). "
            "Below it, value per segment: mean probability of still being active, expected revenue over the CLV "
            "horizon and the mean CLV per customer."
        ),
        "targeting": _(
            "## 6. Sizing and targeting\n\n"
            "Attractiveness combines size (share of customers), growth (revenue in the last months against the "
            "months before), value (mean CLV) and reachability (share of the segment that came through channels we "
            "can buy or send to) — each scaled from 0 (worst segment) to 100 (best) and weighted as set in the "
            "parameters. The score ranks segments against each other. In the chart the bar is the weighted score "
            "and the markers the four criteria scores; the recommended targets follow, with the reasons drawn from "
            "the numbers above."
        ),
        "forecast": _(
            "## 7. Forecast\n\n"
            "The forecast is the BG/NBD expected purchases of every current customer in each coming month "
            "times their Gamma-Gamma expected order value, summed per segment. It covers the existing customer "
            "base only (no new customers) and carries no seasonality, so read it as a baseline: "
            "the months are equal unless the model expects customers to drop out."
        ),
        "method": _(
            "## Method notes\n\n"
            "- Segments: k-means (scikit-learn) on standardised (or, with `scaling: none`, unscaled) numeric and "
            "one-hot categorical features; k by the highest silhouette on a random sample of up to "
            "`sample_size` customers; final fit on everyone from the sample's centres; segments numbered from "
            "the largest.\n"
            "- RFM: scores are `1 + floor(5 × share of customers with a strictly worse value)`: the quintile when "
            "every value is distinct and the count is a multiple of 5, otherwise close to it (ties share a score). "
            "Groups from the R × FM grid above.\n"
            "- BG/NBD and Gamma-Gamma: maximum likelihood on log-parameters (L-BFGS-B with analytic gradients)."
        ),
        "data_quality": _(
            "## Data quality\n\n"
            "Rows of an input file that break its data contract (a negative cost, a date that is not a date, an "
            "order of an unknown customer …) stop the report, unless the params file opts in with "
            "`drop_invalid_rows`; then they are left out and listed here, so every number above can be read with "
            "that in mind."
        ),
    }
    if section not in sections:
        raise ValueError(f"section must be one of {', '.join(sections)}; got {section!r}")
    return sections[section]


def holdout_view(holdout: pd.DataFrame) -> pd.DataFrame:
    """The holdout check for display: its 'total' row named in the current language."""
    out = holdout.copy()
    total = pgettext("holdout table", "total")
    out["calibration_purchases"] = [total if str(v) == "total" else v for v in out["calibration_purchases"]]
    return out


def parameters_view(parameters: pd.DataFrame) -> pd.DataFrame:
    """The fitted model parameters for display: Greek parameter names as the current language writes them
    (English keeps the names the code uses: 'alpha')."""
    out = parameters.copy()
    alpha = pgettext("model parameter symbol", "alpha")
    out["parameter"] = [alpha if str(p) == "alpha" else p for p in out["parameter"]]
    return out
