"""Portrait sections from a wide customer table (spend by category, purchases by place, visits,
campaign responses in columns) and from the user's own customer columns.

Same units and tests as the order-based sections: customers are the units; a numeric column is
compared audience vs the rest by Mann–Whitney (spend and counts are skewed), a yes/no response by
the affinity table's two-proportion test; p-values BH-adjusted within one table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.analysis.customers.affinity import affinity_from_counts
from workbench.analysis.customers.portrait import audience_trait_affinity, compare_numeric
from workbench.analysis.customers.wide import WideColumns, wide_features
from workbench.analysis.stats.multiple_testing import adjust_pvalues

__all__ = [
    "WIDE_COMPARISON_COLUMNS",
    "WidePortrait",
    "numeric_comparison",
    "own_trait_tables",
    "response_affinity",
    "wide_portrait",
]

WIDE_COMPARISON_COLUMNS = [
    "value",
    "audience_mean",
    "base_mean",
    "index",
    "audience_share_of_total",
    "base_share_of_total",
    "audience_n",
    "base_n",
    "p_value",
    "p_adjusted",
    "direction",
]


def numeric_comparison(
    frame: pd.DataFrame, columns: Mapping[str, str], audience_ids: Iterable, alpha: float = 0.05
) -> pd.DataFrame:
    """Per column (labelled): audience and base means, index (mean ÷ mean × 100), the column's share
    of the row total for each side (share of wallet, share of purchases), Mann–Whitney p vs the rest
    of the base, BH-adjusted, and the direction at `alpha`."""
    in_aud = frame["customer_id"].isin(pd.Index(audience_ids)).to_numpy()
    values = frame[list(columns)].apply(pd.to_numeric, errors="coerce").astype(float)
    a_tot, b_tot = values[in_aud].sum().sum(), values.sum().sum()
    rows = []
    for col, label in columns.items():
        c = compare_numeric(values[col], in_aud, label)
        rows.append(
            {
                "value": label,
                "audience_mean": c.audience_mean,
                "base_mean": c.base_mean,
                "index": c.index,
                "audience_share_of_total": values.loc[in_aud, col].sum() / a_tot if a_tot else np.nan,
                "base_share_of_total": values[col].sum() / b_tot if b_tot else np.nan,
                "audience_n": c.audience_n,
                "base_n": c.base_n,
                "p_value": c.p_value,
            }
        )
    out = pd.DataFrame(rows, columns=WIDE_COMPARISON_COLUMNS[:-2])
    out["p_adjusted"] = adjust_pvalues(out["p_value"], method="fdr_bh") if len(out) else []
    out["direction"] = np.where(
        out["p_adjusted"] < alpha, np.where(out["index"] > 100, "over", "under"), "similar"
    ).astype(object)
    return out


def response_affinity(
    frame: pd.DataFrame, columns: Mapping[str, str], base_ids: Iterable, audience_ids: Iterable, alpha: float = 0.05
) -> pd.DataFrame:
    """Affinity table of campaign responses: per campaign, the share of the audience that responded
    (value > 0) against the base — a customer can respond to several, so shares add up to more than 100%."""
    base = frame[frame["customer_id"].isin(pd.Index(base_ids))]
    in_aud = base["customer_id"].isin(pd.Index(audience_ids)).to_numpy()
    hits = base[list(columns)].apply(pd.to_numeric, errors="coerce").fillna(0).gt(0)
    hits.columns = [columns[c] for c in hits.columns]
    return affinity_from_counts(hits[in_aud].sum(), int(in_aud.sum()), hits.sum(), len(base), alpha=alpha, sort=False)


@dataclass
class WidePortrait:
    """The wide-table sections: numeric comparisons per meaning, campaign responses, main place /
    category as affinity tables, and the user's own columns (numeric table, categorical affinities)."""

    comparisons: dict = field(default_factory=dict)  # meaning -> numeric_comparison table
    responses: pd.DataFrame | None = None
    main_values: dict = field(default_factory=dict)  # "main_place" / "main_spend_category" -> affinity
    own_numeric: pd.DataFrame | None = None
    own_categorical: dict = field(default_factory=dict)  # column -> affinity table

    def __bool__(self) -> bool:
        return bool(self.comparisons or self.main_values or self.own_categorical) or any(
            t is not None for t in (self.responses, self.own_numeric)
        )


def own_trait_tables(
    customers: pd.DataFrame,
    columns: list[str],
    audience_ids: Iterable,
    alpha: float = 0.05,
    param: str = "trait_columns",
) -> tuple[pd.DataFrame | None, dict]:
    """The user's own columns against the base: numbers in one comparison table (means, Mann–Whitney),
    text columns as affinity tables. Unknown names raise an error naming `param` and the columns."""
    unknown = [c for c in columns if c not in customers.columns]
    if unknown:
        raise ValueError(
            f"{param}: {unknown!r} are not columns of the customers file; columns are "
            f"{', '.join(c for c in customers.columns if c != 'customer_id')}"
        )
    numeric = [c for c in columns if pd.api.types.is_numeric_dtype(customers[c])]
    own_numeric = (
        numeric_comparison(customers, {c: c.replace("_", " ") for c in numeric}, audience_ids, alpha)
        if numeric
        else None
    )
    base = customers["customer_id"]
    categorical = {
        c: audience_trait_affinity(customers, c, base, audience_ids, alpha=alpha) for c in columns if c not in numeric
    }
    return own_numeric, categorical


def wide_portrait(
    customers: pd.DataFrame,
    wide: WideColumns,
    audience_ids: Iterable,
    *,
    trait_columns: list[str] | None = None,
    exclude: Iterable[str] = (),
    alpha: float = 0.05,
) -> WidePortrait:
    """Every wide-table section for the audience. `exclude`: columns the audience was selected on
    (a filter on `response` makes every audience member a responder; testing that says nothing)."""
    out = WidePortrait()
    skip = set(exclude)
    for meaning in ("spend_by_category", "spend_by_brand", "purchases_by_place", "visits"):
        cols = {c: lab for c, lab in wide.get(meaning).items() if c not in skip}
        if cols:
            out.comparisons[meaning] = numeric_comparison(customers, cols, audience_ids, alpha)
    responses = {c: lab for c, lab in wide.get("campaign_responses").items() if c not in skip}
    if responses:
        out.responses = response_affinity(customers, responses, customers["customer_id"], audience_ids, alpha)
    derived = wide_features(customers, wide).assign(customer_id=customers["customer_id"].to_numpy())
    for col in ("main_spend_category", "main_brand", "main_place"):
        if col in derived and derived[col].notna().any():
            out.main_values[col] = audience_trait_affinity(
                derived, col, customers["customer_id"], audience_ids, alpha=alpha
            )
    if trait_columns:
        out.own_numeric, out.own_categorical = own_trait_tables(customers, list(trait_columns), audience_ids, alpha)
    return out
