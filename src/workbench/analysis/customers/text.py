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

from workbench.i18n import _, get_language, ngettext, pgettext
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


def portrait_markdown(section: str) -> str:
    """Heading and explanation of a section of the audience portrait, as Markdown in the current language."""
    sections = {
        "intro": _(
            "# Audience portrait\n\n"
            "Who the chosen audience is, how they visit and buy, what they prefer, where they buy, how well they "
            "know us, when they are online and which channels bring them — every figure set against **all "
            "customers**. The *affinity index* is the audience's share divided by the base's share × 100: 100 means "
            '"as common as in the base", 150 "half as common again", 50 "half as common". A value is called '
            "over- or under-represented only when a two-proportion z-test of the audience against the rest of the "
            "customers says so after a Benjamini–Hochberg adjustment across the values of that table (5% level); "
            "each table shows the sample size behind it.\n\n"
            "Inputs: a customers file (required; CRM and loyalty exports with spend or purchases in columns are read "
            "through `customer_columns`), and optionally orders, sessions and a survey. A section whose inputs are "
            "absent says so in one line."
        ),
        "audience": _(
            "## Data and audience\n\n"
            "The customer base is every customer in the customers file; the audience is chosen by the report's "
            "parameters (segments, an RFM group, a filter on customer columns, or the whole base). Segments are "
            "computed as in the segmentation report (same features and settings by default) and can be named by "
            "keywords of their generated name, because segment numbers follow segment size and change with the data."
        ),
        "persona": _(
            "## Persona card\n\n"
            "The portrait in a few sentences, written from the tables below (the index in brackets compares with "
            "all customers)."
        ),
        "who": _(
            "## Who they are\n\n"
            "Age band, gender, country, city, income, occupation, lifestyle and interests of the audience against "
            "all customers. Bars: share of the audience (with a 95% Wilson interval) and of all customers; the "
            "number at the right is the affinity index (▲ significantly over-, ▼ under-represented). Interests can "
            "be several per customer, so their shares add up to more than 100%. Your own columns named in "
            "`trait_columns` follow: text columns as affinity tables, numbers in one table of means (Mann–Whitney "
            "test against the rest of the customers)."
        ),
        "devices": _(
            "## Devices they come from\n\n"
            "Each customer counts once, with the device most of their visits come from (customers without a "
            "linked visit are left out)."
        ),
        "frequency": _(
            "## How often they visit and buy\n\n"
            "Visits per month over the period the sessions cover (customers without visits count as 0); "
            "purchases per year over the time each customer could buy (from the later of signup and the start of "
            "the orders data; tenures under the `min_tenure_days` parameter are left out); median days between "
            "consecutive orders (repeat buyers only); and the share of buyers who bought more than once. Medians "
            "and means are compared with the rest of the customers by a Mann–Whitney test, the repeat share by a "
            "two-proportion z-test. The histogram compares the spread of purchases per year: a blue line to the "
            "right of the grey bars means the audience buys more often."
        ),
        "wide": _(
            "## What they buy and where: spend and purchases by column group\n\n"
            "From a wide customer table (`customer_columns`): spend per customer by category or brand, purchases "
            "by place (web, catalogue, store…), visits, and the campaigns they accepted — audience means against all "
            "customers with the share of spend or purchases each column takes, then each customer's main category "
            "and place (the column with their largest value) and the campaign responses as affinity tables. "
            'Columns the audience was selected on are left out (every member of "responders" responded).'
        ),
        "brands": _(
            "## Brands they buy and use\n\n"
            "Brands bought (orders; a customer counts once per brand) and brands used (survey; several answers "
            "allowed, so shares add up to more than 100%)."
        ),
        "attributes": _(
            "## Product attributes they prefer\n\n"
            "Price tier and category of what they bought (per customer), and the attributes they call important "
            "in the survey."
        ),
        "places": _(
            "## Where they buy\n\n"
            "The channel of their orders (online, store, marketplace…; per customer) and the purchase place they "
            "name in the survey."
        ),
        "funnel": _(
            "## How well they know us\n\n"
            "The survey's familiarity funnel unaware → aware → considered → tried → regular. It is cumulative: a "
            "respondent at a stage has also passed every earlier one (a regular has been aware, has considered and "
            "tried). Bars show the share of respondents at or beyond each stage; under each stage, the conversion "
            "from the previous stage for the audience and for all customers. The table tests each conversion "
            "against the rest of the respondents."
        ),
        "activity": _(
            "## When they are active\n\n"
            "The first heatmap shows when the audience's visits happen (share of all their visits per weekday × "
            "hour); the second how that compares with all customers (index; red = more than the base).\n\n"
            "**Best time to publish.** A post or a send published in an hour meets the audience members who are "
            "online then, and they buy at that hour's conversion rate, so the hours are ranked by the purchases "
            "their visits bring: visits × conversion rate. The rate is shrunk towards the audience's average "
            "(empirical Bayes), so an hour with few visits cannot win on a lucky streak. Neither half alone will do: "
            "the busiest hours include low-intent browsing (lunch breaks, the commute) and visits our own sends "
            "create, while the highest rate can sit in a quiet hour that few of them would see. Only hours with "
            "enough visits to judge qualify (at least `min_slot_n`, raised with the data to a quarter of the "
            "median hour); each row shows the visits behind it, their conversion rate with its 95% interval and the "
            "expected purchases over the period. When the sessions carry no `converted` flag, the busiest hours "
            "are shown instead."
        ),
        "channels": _(
            "## Which channels bring them\n\n"
            "The acquisition channel recorded for each customer, and the traffic sources (source / medium) of "
            "their visits (a customer counts once per source)."
        ),
        "method": _(
            "## Method notes\n\n"
            "- Units are customers (survey traits: respondents linked to a customer), never visits or orders, so "
            "one heavy user cannot tip a share and the tests' independence assumption holds.\n"
            "- The audience is part of the base, so tests compare the audience with the *rest* of the customers.\n"
            "- p-values are adjusted for the number of values in each table (Benjamini–Hochberg). A large index on "
            "a handful of customers is shown but not called over-represented unless the test agrees."
        ),
    }
    if section == "data_quality":
        return section_markdown("data_quality")
    if section not in sections:
        raise ValueError(f"section must be one of {', '.join(sections)}, data_quality; got {section!r}")
    return sections[section]


# --- audience portrait: table headings, cells and notes the portrait's views write in English ---------------


def _headers() -> dict[str, str]:
    return {
        "value": pgettext("portrait column", "value"),
        "audience share": pgettext("portrait column", "audience share"),
        "95% interval": pgettext("portrait column", "95% interval"),
        "base share": pgettext("portrait column", "base share"),
        "index": pgettext("portrait column", "index"),
        "n (audience)": pgettext("portrait column", "n (audience)"),
        "p (BH)": pgettext("portrait column", "p (BH)"),
        "vs base": pgettext("portrait column", "vs base"),
        "metric": pgettext("portrait column", "metric"),
        "audience": pgettext("portrait column", "audience"),
        "all customers": pgettext("portrait column", "all customers"),
        "n (audience / all)": pgettext("portrait column", "n (audience / all)"),
        "stage": pgettext("portrait column", "stage"),
        "respondents": pgettext("portrait column", "respondents"),
        "audience reached": pgettext("portrait column", "audience reached"),
        "base reached": pgettext("portrait column", "base reached"),
        "audience conversion": pgettext("portrait column", "audience conversion"),
        "base conversion": pgettext("portrait column", "base conversion"),
        "slot": pgettext("portrait column", "slot"),
        "audience visits": pgettext("portrait column", "audience visits"),
        "share of their visits": pgettext("portrait column", "share of their visits"),
        "index vs all customers": pgettext("portrait column", "index vs all customers"),
        "conversion rate (95% CI)": pgettext("portrait column", "conversion rate (95% CI)"),
        "expected purchases": pgettext("portrait column", "expected purchases"),
    }


def _relabel(
    frame: pd.DataFrame, formats: Mapping[str, str], caption: str | None
) -> tuple[pd.DataFrame, str | None, dict[str, str]]:
    """`frame`, `caption` and `formats` with the portrait's English headings in the current language: the
    arguments of `report.table` in its order."""
    names = _headers()
    mapping = {c: names.get(c, c) for c in frame.columns}
    return frame.rename(columns=mapping), caption, {mapping.get(k, k): v for k, v in formats.items()}


def _cell(text: Any) -> str:
    """A cell the portrait's views formatted in English ('1,234 of 5,678', '12%–15%', '3.2 (mean 4.1)'),
    with its words and number symbols in the current language (English unchanged)."""
    if not isinstance(text, str):
        return text
    words = {
        " of ": " " + pgettext("n of total", "of") + " ",
        "(mean ": "(" + pgettext("portrait cell", "mean") + " ",
    }
    for english, local in words.items():
        text = text.replace(english, local)
    return localize(text).replace("%", "\xa0%")


def _localized_cells(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = frame.copy()
    if get_language() == "en":
        return out
    for col in columns:
        if col in out:
            out[col] = [_cell(v) if isinstance(v, str) else v for v in out[col]]
    return out


def direction_name(direction: Any) -> str:
    """'over' / 'under' / 'similar' (the affinity verdict) in the current language."""
    names = {
        "over": pgettext("vs base", "over"),
        "under": pgettext("vs base", "under"),
        "similar": pgettext("vs base", "similar"),
    }
    return names.get(str(direction), str(direction))


def affinity_table(
    view: pd.DataFrame, formats: Mapping[str, str], caption: str | None = None
) -> tuple[pd.DataFrame, str | None, dict[str, str]]:
    """`affinity.affinity_view` for display: headings, verdicts and counts in the current language."""
    out = _localized_cells(view, ["95% interval", "n (audience)"])
    if "vs base" in out:
        out["vs base"] = [direction_name(d) for d in out["vs base"]]
    return _relabel(out, formats, caption)


def metric_name(metric: str) -> str:
    """A row of the portrait's usage and buying tables ('purchases per year') in the current language."""
    names = {
        "purchases per year": pgettext("portrait metric", "purchases per year"),
        "median days between orders": pgettext("portrait metric", "median days between orders"),
        "share of repeat buyers": pgettext("portrait metric", "share of repeat buyers"),
        "sessions per month": pgettext("portrait metric", "sessions per month"),
        "share with any visit": pgettext("portrait metric", "share with any visit"),
    }
    return names.get(str(metric), str(metric))


def _metric_cell(text: str) -> str:
    for suffix, local in (
        (" — median (mean)", " — " + pgettext("portrait metric", "median (mean)")),
        (" — median", " — " + pgettext("portrait metric", "median")),
    ):
        if text.endswith(suffix):
            return metric_name(text[: -len(suffix)]) + local
    return metric_name(text)


def metric_table(
    view: pd.DataFrame, formats: Mapping[str, str], caption: str | None = None
) -> tuple[pd.DataFrame, str | None, dict[str, str]]:
    """`portrait.usage_view` / `purchases_view` for display, in the current language."""
    out = _localized_cells(view, ["audience", "all customers", "n (audience / all)"])
    out["metric"] = [_metric_cell(str(m)) for m in out["metric"]]
    return _relabel(out, formats, caption)


def funnel_stage(stage: Any) -> str:
    """A stage of the familiarity funnel (unaware → aware → considered → tried → regular)."""
    names = {
        "unaware": pgettext("funnel stage", "unaware"),
        "aware": pgettext("funnel stage", "aware"),
        "considered": pgettext("funnel stage", "considered"),
        "tried": pgettext("funnel stage", "tried"),
        "regular": pgettext("funnel stage", "regular"),
    }
    return names.get(str(stage), str(stage))


def funnel_table(
    view: pd.DataFrame, formats: Mapping[str, str], caption: str | None = None
) -> tuple[pd.DataFrame, str | None, dict[str, str]]:
    """`portrait_views.funnel_view` for display, in the current language."""
    out = view.copy()
    out["stage"] = [funnel_stage(s) for s in out["stage"]]
    return _relabel(out, formats, caption)


def weekday_name(name: Any) -> str:
    """'Monday' … 'Sunday' (and their first three letters) in the current language."""
    if get_language() == "en":
        return str(name)
    from babel.dates import get_day_names

    english = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    text = str(name)
    for i, day in enumerate(english):
        if text == day:
            return get_day_names("wide", locale=get_language())[i]
        if text == day[:3]:
            return get_day_names("abbreviated", locale=get_language())[i]
    return text


def best_times_table(
    view: pd.DataFrame, formats: Mapping[str, str], caption: str | None = None
) -> tuple[pd.DataFrame, str | None, dict[str, str]]:
    """`portrait.best_times_view` for display: weekdays, rates and headings in the current language."""
    out = _localized_cells(view, ["conversion rate (95% CI)"])
    out["slot"] = [" ".join([weekday_name(s.split(" ", 1)[0]), s.split(" ", 1)[1]]) for s in out["slot"]]
    return _relabel(out, formats, caption)


def trait_title(column: str) -> str:
    """The name of a portrait trait table ('age_band', 'brand bought (orders)') in the current language."""
    names = {
        "interests": pgettext("trait", "interests"),
        "main_device": pgettext("feature", "main device"),
        "brand bought (orders)": pgettext("trait", "brand bought (orders)"),
        "brands used (survey)": pgettext("trait", "brands used (survey)"),
        "price_tier": pgettext("trait", "price tier"),
        "category": pgettext("trait", "category"),
        "preferred_attributes": pgettext("trait", "preferred attributes"),
        "channel": pgettext("trait", "channel"),
        "purchase_place": pgettext("trait", "purchase place"),
        "campaign responses": pgettext("trait", "campaign responses"),
        "source / medium": pgettext("trait", "source / medium"),
    }
    return names.get(str(column)) or feature_name(str(column))


def missing_reason(reason: str) -> str:
    """Why a portrait section has no data, as `portrait.build_portrait` records it, in the current language."""
    reasons = {
        "no sessions": _("no sessions"),
        "no sessions file was given": _("no sessions file was given"),
        "the sessions file has no customer_id linking visits to customers": _(
            "the sessions file has no customer_id linking visits to customers"
        ),
        "no orders file was given": _("no orders file was given"),
        "no survey file was given": _("no survey file was given"),
        "the survey has no customer_id linking respondents to customers": _(
            "the survey has no customer_id linking respondents to customers"
        ),
        "the survey has no familiarity column": _("the survey has no familiarity column"),
        "the audience has no linked visits": _("the audience has no linked visits"),
    }
    return reasons.get(str(reason), str(reason))


def no_slot_sentence(floor: int, visits: int) -> str:
    """The note shown when no weekday × hour slot has enough audience visits."""
    return ngettext(
        "No weekday × hour slot has {floor} or more audience visits ({visits} visit in all); lower min_slot_n or "
        "widen the audience.",
        "No weekday × hour slot has {floor} or more audience visits ({visits} visits in all); lower min_slot_n or "
        "widen the audience.",
        visits,
    ).format(floor=floor, visits=localize(f"{visits:,}"))
