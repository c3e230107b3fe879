"""Column headings a reader sees in the customer reports: "share of customers", not `share_customers`.

Headings are messages (`N_` here, translated when shown), so a Russian report reads "доля клиентов".
Tables keep machine names in results.json (stable keys for version comparisons); only what is shown
is relabelled, here, once, so the segmentation and the portrait say the same thing the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from workbench.i18n import N_, _

__all__ = ["COLUMN_LABELS", "column_label", "feature_words", "readable"]

COLUMN_LABELS: dict[str, str] = {
    "segment": N_("segment"),
    "name": N_("name"),
    "size": N_("customers"),
    "customers": N_("customers"),
    "share_customers": N_("share of customers"),
    "share_revenue": N_("share of revenue"),
    "revenue": N_("revenue"),
    "aov": N_("average order value"),
    "frequency": N_("orders per customer"),
    "monetary": N_("revenue per customer"),
    "recency_days": N_("days since last order"),
    "top_traits": N_("distinctive traits"),
    "rfm_group": N_("RFM group"),
    "r_scores": N_("R scores"),
    "fm_scores": N_("FM scores"),
    "p_alive_mean": N_("P(alive), mean"),
    "expected_revenue": N_("expected revenue"),
    "clv_mean": N_("CLV per customer"),
    "clv_total": N_("CLV, total"),
    "growth": N_("revenue growth"),
    "reachability": N_("reachable"),
    "attractiveness": N_("attractiveness"),
    "rank": N_("rank"),
    "reasons": N_("reasons"),
    "silhouette": N_("silhouette"),
    "inertia": N_("inertia"),
    "k": N_("k"),
    "imputed_with": N_("imputed with"),
    "calibration_purchases": N_("purchases in calibration"),
    "buyers": N_("buyers"),
    "audience_mean": N_("audience, mean"),
    "base_mean": N_("all customers, mean"),
    "audience_share": N_("audience share"),
    "base_share": N_("all customers' share"),
    "index": N_("index"),
    "p_adjusted": N_("p (BH)"),
    "group": N_("group"),
    "feature": N_("feature"),
    "kind": N_("kind"),
    "values": N_("values"),
    "missing": N_("missing"),
    "share": N_("share"),
    "cells": N_("cells"),
    "description": N_("description"),
    "model": N_("model"),
    "parameter": N_("parameter"),
    "value": N_("value"),
    "actual": N_("actual"),
    "predicted": N_("predicted"),
}


def column_label(column: str) -> str:
    """The heading of one column in the current language: the catalogue's, else the name with spaces for
    underscores (a column of the user's own table keeps its name)."""
    if column in COLUMN_LABELS:
        return _(COLUMN_LABELS[column])
    return str(column).replace("_", " ")


def readable(frame: pd.DataFrame, formats: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """`frame` with reader headings, and `formats` re-keyed to them (for `workbench.report.table`)."""
    mapping = {c: column_label(c) for c in frame.columns}
    shown = frame.rename(columns=mapping)
    return shown, {mapping.get(k, k): v for k, v in (formats or {}).items()}


_FEATURE_PATTERNS = (
    (r"spend_share_(.+)", N_("share of spend on {}")),
    (r"brand_share_(.+)", N_("share of spend on {}")),
    (r"place_share_(.+)", N_("share of purchases {}")),
    (r"interest_(.+)", N_("interest in {}")),
    (r"device_(.+)_share", N_("share of visits from {}")),
)


def feature_words(column: str) -> str:
    """A feature column in words for segment names: "spend_share_wines" -> "share of spend on wines"."""
    for pattern, template in _FEATURE_PATTERNS:
        m = re.fullmatch(pattern, column)
        if m:
            return _(template).format(m.group(1).replace("_", " "))
    return column_label(column)
