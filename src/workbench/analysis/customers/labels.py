"""Column headings a reader sees in the customer reports: "share of customers", not `share_customers`.

Tables keep machine names in results.json (stable keys for version comparisons); only what is shown
is relabelled, here, once, so the segmentation and the portrait say the same thing the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

__all__ = ["COLUMN_LABELS", "column_label", "feature_words", "readable"]

COLUMN_LABELS: dict[str, str] = {
    "segment": "segment",
    "name": "name",
    "size": "customers",
    "customers": "customers",
    "share_customers": "share of customers",
    "share_revenue": "share of revenue",
    "revenue": "revenue",
    "aov": "average order value",
    "frequency": "orders per customer",
    "monetary": "revenue per customer",
    "recency_days": "days since last order",
    "top_traits": "distinctive traits",
    "rfm_group": "RFM group",
    "r_scores": "R scores",
    "fm_scores": "FM scores",
    "p_alive_mean": "P(alive), mean",
    "expected_revenue": "expected revenue",
    "clv_mean": "CLV per customer",
    "clv_total": "CLV, total",
    "growth": "revenue growth",
    "reachability": "reachable",
    "attractiveness": "attractiveness",
    "rank": "rank",
    "reasons": "reasons",
    "silhouette": "silhouette",
    "inertia": "inertia",
    "k": "k",
    "imputed_with": "imputed with",
    "calibration_purchases": "purchases in calibration",
    "buyers": "buyers",
    "audience_mean": "audience, mean",
    "base_mean": "all customers, mean",
    "audience_share": "audience share",
    "base_share": "all customers' share",
    "index": "index",
    "p_adjusted": "p (BH)",
}


def column_label(column: str) -> str:
    """The heading of one column: the catalogue's, else the name with spaces for underscores."""
    return COLUMN_LABELS.get(column, str(column).replace("_", " "))


def readable(frame: pd.DataFrame, formats: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """`frame` with reader headings, and `formats` re-keyed to them (for `workbench.report.table`)."""
    mapping = {c: column_label(c) for c in frame.columns}
    shown = frame.rename(columns=mapping)
    return shown, {mapping.get(k, k): v for k, v in (formats or {}).items()}


_FEATURE_PATTERNS = (
    (r"spend_share_(.+)", "share of spend on {}"),
    (r"brand_share_(.+)", "share of spend on {}"),
    (r"place_share_(.+)", "share of purchases {}"),
    (r"interest_(.+)", "interest in {}"),
    (r"device_(.+)_share", "share of visits from {}"),
)


def feature_words(column: str) -> str:
    """A feature column in words for segment names: "spend_share_wines" -> "share of spend on wines"."""
    for pattern, template in _FEATURE_PATTERNS:
        m = re.fullmatch(pattern, column)
        if m:
            return template.format(m.group(1).replace("_", " "))
    return column_label(column)
