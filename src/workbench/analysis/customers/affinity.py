"""Affinity index: how much more (or less) common a trait is in an audience than in the whole base.

index = audience share ÷ base share × 100 (100 = same as the base, 150 = half as common again).
An index alone over-reads small groups, so every row also carries the sample sizes, a Wilson
interval for the audience share and a two-proportion z-test of the audience against the rest of
the base (the audience is part of the base, so testing it against the whole base would compare a
group with itself). p-values are adjusted across the rows of one table with Benjamini–Hochberg:
a table of 20 brands tested at 5% would otherwise "find" one over-represented brand by chance.

Multi-valued columns (``"nike; adidas"``) count units, not mentions: a share is the share of
units (customers, respondents) naming the value, so shares can sum to more than 100%.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from workbench.analysis.stats.multiple_testing import adjust_pvalues
from workbench.analysis.stats.proportions import two_proportion_z, wilson_interval
from workbench.i18n import get_language, pgettext
from workbench.validation import check_fraction

__all__ = [
    "AFFINITY_COLUMNS",
    "AFFINITY_FORMATS",
    "affinity",
    "affinity_from_counts",
    "affinity_record",
    "affinity_view",
    "labelled",
    "split_multi",
    "two_proportion_z",
    "value_label",
]

AFFINITY_COLUMNS = [
    "value",
    "audience_n",
    "audience_total",
    "audience_share",
    "share_low",
    "share_high",
    "base_n",
    "base_total",
    "base_share",
    "index",
    "z",
    "p_value",
    "p_adjusted",
    "direction",
]


def split_multi(values: Iterable, sep: str = ";") -> pd.Series:
    """Each unit's set of values from a `sep`-separated column: stripped, de-duplicated, empty -> missing.

    Entries that already are sets or lists are taken as they are (no splitting). Returns a Series of
    frozensets (NaN where the unit gave no value) aligned with `values`."""
    if not isinstance(sep, str) or not sep:
        raise ValueError(f"sep must be a non-empty string, got {sep!r}")
    series = pd.Series(values) if not isinstance(values, pd.Series) else values

    def parse(v: object) -> object:
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            return np.nan
        items = v if isinstance(v, (set, frozenset, list, tuple)) else str(v).split(sep)
        parts = frozenset(str(p).strip() for p in items if str(p).strip())
        return parts if parts else np.nan

    return series.map(parse)


def _unit_counts(values: Iterable, sep: str | None) -> tuple[pd.Series, int]:
    """Units per value and the number of units that gave any value (missing ones left out)."""
    series = pd.Series(values) if not isinstance(values, pd.Series) else values
    if sep is None:
        clean = series.dropna()
        if clean.dtype == object or pd.api.types.is_string_dtype(clean):
            clean = clean.astype(str).str.strip()
            clean = clean[clean != ""]
        return clean.value_counts(sort=False), int(len(clean))
    sets = split_multi(series, sep).dropna()
    if sets.empty:
        return pd.Series(dtype="int64"), 0
    exploded = sets.map(sorted).explode()
    return exploded.value_counts(sort=False), int(len(sets))


def affinity(
    audience_values: Iterable,
    base_values: Iterable,
    *,
    sep: str | None = None,
    audience_in_base: bool = True,
    alpha: float = 0.05,
    sort: bool = True,
) -> pd.DataFrame:
    """Affinity table of one trait: per value, audience and base shares, index and a significance test.

    audience_values, base_values: one entry per unit (customer, respondent); missing entries are
        left out of both numerator and denominator.
    sep: ``";"`` for multi-valued columns (a unit counts once per value it names); None for plain ones.
    audience_in_base: the audience units are part of `base_values` (the usual case); the test then
        compares the audience with the rest of the base. False when the two are separate groups.
    alpha: level for `direction` ("over" / "under" when the BH-adjusted p-value is below it, else
        "similar").
    Rows are sorted by audience share (largest first) when `sort`.
    """
    check_fraction("alpha", alpha)
    if sep is not None and (not isinstance(sep, str) or not sep):
        raise ValueError(f"sep must be None or a non-empty string, got {sep!r}")
    a_counts, a_total = _unit_counts(audience_values, sep)
    b_counts, b_total = _unit_counts(base_values, sep)
    return affinity_from_counts(
        a_counts, a_total, b_counts, b_total, audience_in_base=audience_in_base, alpha=alpha, sort=sort
    )


def affinity_from_counts(
    audience_counts: pd.Series,
    audience_total: int,
    base_counts: pd.Series,
    base_total: int,
    *,
    audience_in_base: bool = True,
    alpha: float = 0.05,
    sort: bool = True,
) -> pd.DataFrame:
    """`affinity` from counts already made: units per value (Series indexed by value) and units in total."""
    check_fraction("alpha", alpha)
    a_counts, a_total, b_counts, b_total = audience_counts, int(audience_total), base_counts, int(base_total)
    values = b_counts.index.union(a_counts.index)
    a_n = a_counts.reindex(values, fill_value=0).to_numpy(dtype=float)
    b_n = b_counts.reindex(values, fill_value=0).to_numpy(dtype=float)
    if audience_in_base:
        if a_total > b_total or np.any(a_n > b_n):
            bad = [str(v) for v, x, y in zip(values, a_n, b_n, strict=False) if x > y][:5]
            raise ValueError(
                "audience_values must be a subset of base_values when audience_in_base=True; "
                f"the audience has more units than the base for: {bad or ['(total)']}"
            )
        r_n, r_total = b_n - a_n, b_total - a_total
    else:
        r_n, r_total = b_n, b_total
    with np.errstate(divide="ignore", invalid="ignore"):
        a_share = a_n / a_total if a_total else np.full(len(values), np.nan)
        b_share = b_n / b_total if b_total else np.full(len(values), np.nan)
        index = np.where(b_share > 0, a_share / b_share * 100, np.nan)
    z, p = two_proportion_z(a_n, np.full(len(values), a_total), r_n, np.full(len(values), r_total))
    p_adj = adjust_pvalues(p, method="fdr_bh")
    low, high = (
        wilson_interval(a_n, np.full(len(values), a_total), alpha=alpha)
        if a_total
        else (np.full(len(values), np.nan), np.full(len(values), np.nan))
    )
    significant = np.nan_to_num(p_adj, nan=1.0) < alpha
    direction = np.where(significant & (z > 0), "over", np.where(significant & (z < 0), "under", "similar"))
    table = pd.DataFrame(
        {
            "value": [str(v) for v in values],
            "audience_n": a_n.astype("int64"),
            "audience_total": a_total,
            "audience_share": a_share,
            "share_low": np.asarray(low, dtype=float),
            "share_high": np.asarray(high, dtype=float),
            "base_n": b_n.astype("int64"),
            "base_total": b_total,
            "base_share": b_share,
            "index": index,
            "z": z,
            "p_value": p,
            "p_adjusted": p_adj,
            "direction": direction,
        },
        columns=AFFINITY_COLUMNS,
    )
    if sort:
        table = table.sort_values(
            ["audience_share", "base_share", "value"], ascending=[False, False, True], kind="mergesort"
        )
    return table.reset_index(drop=True)


#: readable labels for codes the data contracts use (column -> code -> label); "*" applies to any column
VALUE_LABELS: dict[str, dict[str, str]] = {
    "gender": {"m": "male", "f": "female", "male": "male", "female": "female", "o": "other", "x": "other"},
    # ISO 3166 alpha-2 codes of the markets exports usually come from; other codes stay as given
    "country": {
        "ru": "Russia",
        "kz": "Kazakhstan",
        "by": "Belarus",
        "ua": "Ukraine",
        "uz": "Uzbekistan",
        "kg": "Kyrgyzstan",
        "am": "Armenia",
        "ge": "Georgia",
        "az": "Azerbaijan",
        "md": "Moldova",
        "tj": "Tajikistan",
        "tm": "Turkmenistan",
        "de": "Germany",
        "at": "Austria",
        "ch": "Switzerland",
        "pl": "Poland",
        "fr": "France",
        "it": "Italy",
        "es": "Spain",
        "nl": "Netherlands",
        "gb": "United Kingdom",
        "uk": "United Kingdom",
        "us": "United States",
        "ca": "Canada",
        "tr": "Turkey",
        "cn": "China",
        "in": "India",
        "ae": "United Arab Emirates",
        "il": "Israel",
        "fi": "Finland",
        "se": "Sweden",
        "no": "Norway",
        "dk": "Denmark",
        "lv": "Latvia",
        "lt": "Lithuania",
        "ee": "Estonia",
        "cz": "Czechia",
    },
    "*": {
        "meta_ads": "Meta ads",
        "google_ads": "Google Ads",
        "vk_ads": "VK ads",
        "yandex_direct": "Yandex Direct",
        "organic_search": "organic search",
        "email": "e-mail",
        "paid_social": "paid social",
        "paid_search": "paid search",
        "it": "IT",
        "bbq": "BBQ",
        "eco_friendly": "eco-friendly",
        "upper_middle": "upper-middle",
        "lower_middle": "lower-middle",
        "self_employed": "self-employed",
        "public_sector": "public sector",
        "tv_series": "TV series",
        "mobile_app": "mobile app",
    },
}


def value_label(column: str, value: object) -> str:
    """A reader's label for one raw value of `column` ("m" -> "male", "meta_ads" -> "Meta ads",
    "urban_active" -> "urban active"), in the current language (country codes by CLDR: "RU" -> "Россия");
    results.json keeps the raw codes, only reports use labels. Values of the user's own vocabulary that
    the workbench does not know stay as written."""
    text = str(value)
    key = text.strip().casefold()
    if str(column) in ("source_medium", "source / medium") and get_language() != "en":
        from workbench.analysis.performance.labels import source_medium_label

        return source_medium_label(text)
    if str(column) in ("device", "main_device") and get_language() != "en":
        devices = {
            "desktop": pgettext("device", "desktop"),
            "mobile": pgettext("device", "mobile"),
            "tablet": pgettext("device", "tablet"),
        }
        return devices.get(key, text.replace("_", " "))
    for table in (VALUE_LABELS.get(str(column), {}), VALUE_LABELS["*"]):
        if key in table:
            return _translated_value(str(column), key, table[key])
    return text.replace("_", " ")


def _translated_value(column: str, key: str, english: str) -> str:
    """A known value's label in the current language (English: the label as it is)."""
    if get_language() == "en":
        return english
    if column == "country":
        from babel import Locale

        return Locale.parse(get_language()).territories.get(key.upper(), english)
    words = {
        "male": pgettext("customer value", "male"),
        "female": pgettext("customer value", "female"),
        "other": pgettext("customer value", "other"),
        "organic search": pgettext("customer value", "organic search"),
        "e-mail": pgettext("customer value", "e-mail"),
        "paid social": pgettext("customer value", "paid social"),
        "paid search": pgettext("customer value", "paid search"),
        "eco-friendly": pgettext("customer value", "eco-friendly"),
        "upper-middle": pgettext("customer value", "upper-middle"),
        "lower-middle": pgettext("customer value", "lower-middle"),
        "self-employed": pgettext("customer value", "self-employed"),
        "public sector": pgettext("customer value", "public sector"),
        "TV series": pgettext("customer value", "TV series"),
        "mobile app": pgettext("customer value", "mobile app"),
    }
    return words.get(english, english)


def labelled(table: pd.DataFrame | None, column: str) -> pd.DataFrame | None:
    """A copy of an affinity table with its values replaced by `value_label` (for display only)."""
    if table is None:
        return None
    out = table.copy()
    out["value"] = [value_label(column, v) for v in out["value"]]
    return out


def affinity_view(table: pd.DataFrame, top: int | None = 12) -> pd.DataFrame:
    """The columns a reader needs, in reading order: value, shares, index, n, adjusted p, verdict."""
    shown = table if top is None else table.head(top)
    return pd.DataFrame(
        {
            "value": shown["value"],
            "audience share": shown["audience_share"],
            "95% interval": [
                f"{lo:.0%}–{hi:.0%}" if pd.notna(lo) else "–"
                for lo, hi in zip(shown["share_low"], shown["share_high"], strict=False)
            ],
            "base share": shown["base_share"],
            "index": shown["index"],
            "n (audience)": [
                f"{a:,} of {t:,}" for a, t in zip(shown["audience_n"], shown["audience_total"], strict=False)
            ],
            "p (BH)": shown["p_adjusted"],
            "vs base": shown["direction"],
        }
    )


#: formats for report.table(affinity_view(...))
AFFINITY_FORMATS = {"audience share": "{:.1%}", "base share": "{:.1%}", "index": "{:.0f}", "p (BH)": "{:.3g}"}


def affinity_record(table: pd.DataFrame | None) -> list | None:
    """The affinity columns worth keeping in results.json (shares, index, n, adjusted p, verdict)."""
    if table is None:
        return None
    cols = ["value", "audience_n", "audience_total", "audience_share", "base_share", "index", "p_adjusted", "direction"]
    return table[cols].to_dict(orient="records")
