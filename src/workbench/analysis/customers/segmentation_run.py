"""The segmentation report's computations in one call, for whatever inputs the user has.

Inputs, any of:
    orders alone       customers derived from orders (first order = signup); behaviour features,
                       RFM, BG/NBD, Gamma-Gamma, CLV, targeting and forecast
    customers alone    the user's own columns (numeric and categorical) and wide CRM groups as
                       features; segments and profiles, no RFM or customer value (they need orders)
    both (+ sessions, survey)  everything
The notebook shows what this returns; a part whose inputs are absent is None and the report says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from workbench.analysis.customers import customer_value as cv
from workbench.analysis.customers import sizing
from workbench.analysis.customers.features import (
    build_customer_features,
    customers_from_orders,
    order_features_from,
    select_features,
)
from workbench.analysis.customers.rfm import rfm_from_totals, rfm_group_summary, score_rfm
from workbench.analysis.customers.segmentation import SCALINGS, SegmentationResult, segment_customers
from workbench.analysis.customers.wide import WideColumns, resolve_wide_columns
from workbench.errors import ParamsError

__all__ = [
    "CustomerValue",
    "SegmentationRun",
    "Targeting",
    "customer_value_models",
    "first_order_date",
    "run_segmentation",
]


@dataclass
class CustomerValue:
    """BG/NBD + Gamma-Gamma fitted on the calibration period, scored on the full history."""

    calibration_end: pd.Timestamp
    calibration: pd.DataFrame
    bgnbd: cv.BGNBDFit
    gamma_gamma: cv.GammaGammaFit
    holdout: pd.DataFrame | None
    full: pd.DataFrame
    values: pd.DataFrame
    churn: dict


@dataclass
class Targeting:
    """Segments scored for attractiveness, the recommended targets and the revenue forecast."""

    table: pd.DataFrame
    scored: pd.DataFrame
    targets: pd.DataFrame
    forecast: pd.DataFrame
    growth: pd.DataFrame


@dataclass
class SegmentationRun:
    """Everything the report shows. `rfm`, `value` and `targeting` are None without orders."""

    base: pd.DataFrame  # the customer table used (given, or derived from orders)
    derived_base: bool
    as_of: pd.Timestamp | None
    features: pd.DataFrame
    feature_columns: list[str]
    wide: WideColumns
    seg: SegmentationResult
    segment_of: pd.Series
    rfm: pd.DataFrame | None = None
    rfm_summary: pd.DataFrame | None = None
    value: CustomerValue | None = None
    targeting: Targeting | None = None

    @property
    def has_orders(self) -> bool:
        return self.rfm is not None


def customer_value_models(
    orders: pd.DataFrame,
    as_of: pd.Timestamp,
    *,
    calibration_end: str = "",
    time_unit: str = "W",
    horizon_months: int = 12,
    annual_discount_rate: float = 0.12,
    margin: float = 0.35,
) -> CustomerValue:
    """Fit on the calibration period, check on the holdout (when the orders go beyond it), score
    everyone on the full history."""
    if _summarised(orders):  # per-customer summaries computed on an engine (report_inputs.OrderSummaries)
        first, last = orders.first_date, orders.last_date

        def summary(end, observation_end=None):
            return orders.transactions(end, observation_end, time_unit)
    else:
        first, last = orders["order_date"].min(), orders["order_date"].max()

        def summary(end, observation_end=None):
            return cv.transaction_summary(orders, end, observation_end=observation_end, time_unit=time_unit)

    cal_end = pd.Timestamp(calibration_end) if calibration_end else cv.calibration_end_between(first, last)
    has_holdout = pd.Timestamp(last).normalize() > cal_end
    cal = summary(cal_end, as_of if has_holdout else None)
    bg = cv.fit_bgnbd(cal["frequency"], cal["recency"], cal["T"])
    gg = cv.fit_gamma_gamma(cal["frequency"], cal["monetary_value"])
    holdout = cv.holdout_check(cal, bg) if has_holdout else None
    full = summary(as_of)
    values = cv.customer_value(
        full,
        bg,
        gg,
        horizon_months=horizon_months,
        annual_discount_rate=annual_discount_rate,
        margin=margin,
        time_unit=time_unit,
    )
    return CustomerValue(cal_end, cal, bg, gg, holdout, full, values, cv.churn_summary(bg, values))


def _targeting(run: SegmentationRun, orders: pd.DataFrame, p: Mapping) -> Targeting:
    seg, value = run.seg, run.value
    if _summarised(orders):
        start, mid, end = sizing.growth_windows(run.as_of, p["growth_months"])
        recent, before = orders.revenue_between(mid, end), orders.revenue_between(start, mid)
        growth = sizing.growth_from_customer_revenue(recent, before, run.segment_of)
    else:
        growth = sizing.segment_growth(orders, run.segment_of, as_of=run.as_of, months=p["growth_months"])
    reach_column = p["reach_column"]
    reach = (
        sizing.reachability(run.features, seg.labels, reach_column, p["reach_channels"])
        if reach_column and reach_column in run.features
        else None
    )
    table = sizing.segment_table(seg.profiles, run.segment_of, value.values, growth, reach)
    scored = sizing.attractiveness(table, p["attractiveness_weights"])
    targets = sizing.recommend_targets(scored, n=p["n_targets"])
    forecast = sizing.forecast_segments(
        value.full,
        run.segment_of,
        value.bgnbd,
        value.gamma_gamma,
        months=p["forecast_months"],
        start=run.as_of + pd.Timedelta(days=1),
        time_unit=p["time_unit"],
    )
    return Targeting(table, scored, targets, forecast, growth)


_DEFAULTS = {
    "features": ["behaviour"],
    "k": 0,
    "k_range": [2, 8],
    "sample_size": 20000,
    "random_state": 42,
    "scaling": "standard",
    "as_of": "",
    "calibration_end": "",
    "time_unit": "W",
    "horizon_months": 12,
    "forecast_months": 6,
    "annual_discount_rate": 0.12,
    "margin": 0.35,
    "attractiveness_weights": None,
    "growth_months": 6,
    "reach_column": "acquisition_channel",
    "reach_channels": [],
    "n_targets": 2,
    "customer_columns": None,
}


def _summarised(orders: object) -> bool:
    """True for orders given as per-customer summaries on an engine (`report_inputs.OrderSummaries`)."""
    return orders is not None and not isinstance(orders, pd.DataFrame) and hasattr(orders, "rfm_totals")


def first_order_date(orders: object) -> pd.Timestamp:
    """The first order's date, from an orders frame or engine summaries (the report's data period)."""
    return orders.first_date if _summarised(orders) else pd.Timestamp(orders["order_date"].min())


def _base(customers: pd.DataFrame | None, orders: object) -> tuple[pd.DataFrame, bool]:
    if customers is not None:
        return customers, False
    if _summarised(orders):
        return orders.customers(), True
    if orders is not None:
        return customers_from_orders(orders), True
    raise ParamsError(
        "customers_path and orders_path are both empty: give a customers file (your own columns become "
        "features), an orders file (customers are derived from it), or both"
    )


def run_segmentation(
    customers: pd.DataFrame | None,
    orders: pd.DataFrame | None,
    sessions: pd.DataFrame | None = None,
    survey: pd.DataFrame | None = None,
    **params: object,
) -> SegmentationRun:
    """Segments, RFM, customer value and targeting from the report's params (the notebook's
    `parameters` cell names; missing ones take the defaults above)."""
    unknown = set(params) - set(_DEFAULTS)
    if unknown:
        raise TypeError(f"run_segmentation: unknown parameter(s) {sorted(unknown)}")
    p = {**_DEFAULTS, **params}
    if p["scaling"] not in SCALINGS:
        raise ParamsError(f"scaling must be one of {', '.join(SCALINGS)}; got {p['scaling']!r}")
    base, derived = _base(customers, orders)
    as_of = pd.Timestamp(p["as_of"]) if p["as_of"] else None
    summarised = _summarised(orders)
    if as_of is None and orders is not None:
        as_of = (orders.last_date if summarised else orders["order_date"].max()).normalize()
    wide = resolve_wide_columns(base, p["customer_columns"])
    rfm = order_feats = None
    if summarised:  # one row per customer from the engine, never one per order
        rfm = rfm_from_totals(orders.rfm_totals(as_of), as_of)
        ids = pd.Index(base["customer_id"].astype(str).to_numpy(), name="customer_id")
        order_feats = order_features_from(rfm, orders.modes(as_of), ids)
    feats = build_customer_features(
        base, None if summarised else orders, sessions, survey, as_of=as_of, wide=wide, order_features=order_feats
    )
    feature_cols = select_features(feats, list(p["features"]))
    seg = segment_customers(
        feats,
        feature_cols,
        k=p["k"] or None,
        k_range=tuple(p["k_range"]),
        random_state=p["random_state"],
        sample_size=p["sample_size"],
        scaling=p["scaling"],
    )
    segment_of = pd.Series(seg.labels.to_numpy(), index=feats["customer_id"])
    run = SegmentationRun(base, derived, as_of, feats, feature_cols, wide, seg, segment_of)
    if orders is None:
        return run
    run.rfm = rfm if rfm is not None else score_rfm(orders, as_of=as_of)
    run.rfm_summary = rfm_group_summary(run.rfm)
    run.value = customer_value_models(
        orders,
        as_of,
        calibration_end=p["calibration_end"],
        time_unit=p["time_unit"],
        horizon_months=p["horizon_months"],
        annual_discount_rate=p["annual_discount_rate"],
        margin=p["margin"],
    )
    run.targeting = _targeting(run, orders, p)
    return run
