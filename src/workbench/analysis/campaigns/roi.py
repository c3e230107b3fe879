"""Campaign ROI from a customer-level response file (one row per contacted customer).

CRM exports of direct campaigns (the iFood marketing file, loyalty mailings) list who was
contacted and who responded; cost per contact and revenue per response come either as params
(the same for everyone) or as columns. ROI = (revenue − cost) / cost, with the response rate's
Wilson interval beside it so a small campaign's rate is not read as exact.
"""

from __future__ import annotations

import pandas as pd

from workbench.analysis.stats.proportions import wilson_interval
from workbench.data.readers import normalise_name
from workbench.errors import DataValidationError
from workbench.i18n import ngettext
from workbench.report.format import grouped, localize_formatted, money, pct, pct_range

__all__ = ["response_roi", "roi_sentence"]


def _column(frame: pd.DataFrame, name: str, key: str) -> pd.Series:
    cols = {normalise_name(c): c for c in frame.columns}
    col = cols.get(normalise_name(name))
    if col is None:
        raise DataValidationError(
            f"{key}: column {name!r} is not in {frame.attrs.get('source', 'the response file')}; "
            f"found {', '.join(map(str, frame.columns))}"
        )
    values = pd.to_numeric(frame[col], errors="coerce")
    if values.isna().any() or (values < 0).any():
        row = int(values.index[values.isna() | (values < 0)][0])
        raise DataValidationError(
            f"{key}: column {name!r} must hold non-negative numbers; row {row} holds {frame[col].iloc[row]!r}"
        )
    return values


def _amount(frame: pd.DataFrame, value: float, column: str, key: str) -> pd.Series:
    if column:
        return _column(frame, column, f"{key}_column")
    if not value > 0:
        raise DataValidationError(f"{key}: give a positive amount or a column ({key}_column); got {value!r}")
    return pd.Series(float(value), index=frame.index)


def response_roi(
    responses: pd.DataFrame,
    response_column: str = "response",
    cost_per_contact: float = 0.0,
    revenue_per_response: float = 0.0,
    cost_column: str = "",
    revenue_column: str = "",
    alpha: float = 0.05,
) -> dict:
    """Contacts, responses, response rate (Wilson interval), cost, revenue and ROI of one campaign.

    Every row is a contacted customer; `response_column` holds 0/1. A column name given for cost
    or revenue wins over the number (cost per row; revenue counted for responders only)."""
    resp = _column(responses, response_column, "response_column")
    if not resp.isin([0, 1]).all():
        raise DataValidationError(f"response_column: {response_column!r} must hold 0/1 per customer")
    cost = _amount(responses, cost_per_contact, cost_column, "cost_per_contact")
    revenue = _amount(responses, revenue_per_response, revenue_column, "revenue_per_response") * resp
    n, k = len(resp), int(resp.sum())
    low, high = wilson_interval(k, n, alpha)
    total_cost, total_revenue = float(cost.sum()), float(revenue.sum())
    return {
        "contacts": n,
        "responses": k,
        "response_rate": k / n if n else float("nan"),
        "response_rate_low": low,
        "response_rate_high": high,
        "cost": total_cost,
        "revenue": total_revenue,
        "profit": total_revenue - total_cost,
        "roi": (total_revenue - total_cost) / total_cost if total_cost else float("nan"),
    }


def roi_sentence(roi: dict, currency: str = "") -> str:
    """The campaign's return in one sentence."""
    interval = "–".join(
        localize_formatted(end) for end in pct_range(roi["response_rate_low"], roi["response_rate_high"], 1).split("–")
    )
    values = {
        "contacts": grouped(roi["contacts"]),
        "responses": grouped(roi["responses"]),
        "rate": f"{pct(roi['response_rate'], 1)}, {interval}",
        "cost": money(roi["cost"], currency, millions=False),
        "revenue": money(roi["revenue"], currency, millions=False),
        "roi": pct(roi["roi"], 1),
    }
    if roi["profit"] < 0:
        text = ngettext(
            "{contacts} customer contacted, {responses} responded ({rate}): cost {cost}, revenue {revenue}, "
            "ROI {roi} — the campaign lost money.",
            "{contacts} customers contacted, {responses} responded ({rate}): cost {cost}, revenue {revenue}, "
            "ROI {roi} — the campaign lost money.",
            roi["contacts"],
        )
    else:
        text = ngettext(
            "{contacts} customer contacted, {responses} responded ({rate}): cost {cost}, revenue {revenue}, "
            "ROI {roi} — the campaign paid for itself.",
            "{contacts} customers contacted, {responses} responded ({rate}): cost {cost}, revenue {revenue}, "
            "ROI {roi} — the campaign paid for itself.",
            roi["contacts"],
        )
    return text.format(**values)
