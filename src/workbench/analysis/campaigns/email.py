"""E-mail send metrics with the denominators mailers use.

Open, click, unsubscribe and complaint rates are per delivered e-mail (bounces never had the
chance), click-to-open is clicks / opens (the content's pull once opened), revenue per e-mail is
per delivered. Opens are inflated by privacy proxies, which is why click-based rates lead.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.analysis.stats.proportions import wilson_interval

__all__ = ["RATE_COLUMNS", "email_metrics"]

RATE_COLUMNS = (
    "delivery_rate",
    "open_rate",
    "click_rate",
    "click_to_open",
    "unsubscribe_rate",
    "complaint_rate",
    "conversion_rate",
    "revenue_per_email",
)


def email_metrics(sends: pd.DataFrame) -> pd.DataFrame:
    """Per send (campaign, sent_at) the rates above, plus a final "All sends" row of pooled totals
    and a Wilson interval for each send's click rate (click_rate_low/high)."""
    need = ["campaign", "sent_at", "recipients", "delivered", "opens", "clicks"]
    missing = [c for c in need if c not in sends.columns]
    if missing:
        raise ValueError(f"email_sends lacks required column(s) {missing}")
    counts = [
        c
        for c in ("recipients", "delivered", "opens", "clicks", "unsubscribes", "complaints", "conversions", "revenue")
        if c in sends.columns
    ]
    per = sends[["campaign", "sent_at", *counts]].copy().sort_values("sent_at", kind="mergesort")
    total = per[counts].sum().to_frame().T
    total.insert(0, "campaign", "All sends")
    total.insert(1, "sent_at", pd.NaT)
    out = pd.concat([per, total], ignore_index=True)

    def ratio(a: str, b: str) -> pd.Series:
        if a not in out.columns:
            return pd.Series(np.nan, index=out.index)
        return out[a].astype(float) / out[b].astype(float).where(out[b] > 0)

    out["delivery_rate"] = ratio("delivered", "recipients")
    out["open_rate"] = ratio("opens", "delivered")
    out["click_rate"] = ratio("clicks", "delivered")
    out["click_to_open"] = ratio("clicks", "opens")
    out["unsubscribe_rate"] = ratio("unsubscribes", "delivered")
    out["complaint_rate"] = ratio("complaints", "delivered")
    out["conversion_rate"] = ratio("conversions", "delivered")
    out["revenue_per_email"] = ratio("revenue", "delivered")
    clicks = np.minimum(out["clicks"].to_numpy(float), out["delivered"].to_numpy(float))
    out["click_rate_low"], out["click_rate_high"] = wilson_interval(clicks, out["delivered"].to_numpy(float))
    return out
