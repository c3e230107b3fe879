"""Adjusted p-values when one experiment answers several questions (variants × metrics).

Testing three variants on two metrics at 5 % each gives roughly a one-in-four chance of a false
"winner"; Holm controls the family-wise error rate (no false winner, uniformly better than
Bonferroni), Benjamini–Hochberg the false discovery rate (a share of false winners, more power).
"""

from __future__ import annotations

import numpy as np

__all__ = ["CORRECTIONS", "adjust_pvalues"]

CORRECTIONS = ("holm", "fdr_bh", "none")


def adjust_pvalues(pvalues, method: str = "holm") -> np.ndarray:
    """Adjusted p-values (compare with alpha) for method "holm", "fdr_bh" or "none"; NaN stays NaN
    and does not count as a test."""
    if method not in CORRECTIONS:
        raise ValueError(f"method must be one of {', '.join(CORRECTIONS)}; got {method!r}")
    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if np.any((p[ok] < 0) | (p[ok] > 1)):
        raise ValueError("p-values must lie between 0 and 1")
    values = p[ok]
    m = values.size
    if m == 0 or method == "none":
        out[ok] = values
        return out
    order = np.argsort(values, kind="mergesort")
    ranked = values[order]
    if method == "holm":
        adj = np.maximum.accumulate((m - np.arange(m)) * ranked)
    else:  # fdr_bh: step-up, so enforce monotonicity from the largest p downwards
        adj = np.minimum.accumulate((m / np.arange(m, 0, -1)) * ranked[::-1])[::-1]
    adj = np.minimum(adj, 1.0)
    back = np.empty(m)
    back[order] = adj
    out[ok] = back
    return out
