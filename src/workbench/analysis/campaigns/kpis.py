"""Campaign KPIs, their formulas (the glossary the report prints), and the comparison with plan.

The glossary is data, not prose in a notebook, so the report, docs/kpi-glossary.md and the code
that computes each KPI cannot disagree (a test checks the doc against it).
Conversions and revenue come from the most campaign-specific source present: ad_stats columns
(the platform's attributed numbers), else sessions of the campaign, else orders in the flight.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from workbench.analysis.campaigns.flight_orders import FlightOrders
from workbench.analysis.campaigns.flight_sessions import FlightSessions, weighted_sessions
from workbench.i18n import N_, _, pgettext
from workbench.report.format import currency_symbol, localize_formatted

__all__ = [
    "KPI_GLOSSARY",
    "LOWER_IS_BETTER",
    "channel_cpa_vs_plan",
    "compute_kpis",
    "format_kpi",
    "glossary_frame",
    "kpi_view",
    "kpis_vs_plan",
]

# kpi, name, formula, better ("higher"/"lower"), note
KPI_GLOSSARY: list[dict[str, str]] = [
    {
        "kpi": "impressions",
        "name": N_("Impressions"),
        "formula": N_("sum of ad impressions"),
        "better": "higher",
        "note": N_("times an ad was shown"),
    },
    {"kpi": "clicks", "name": N_("Clicks"), "formula": N_("sum of ad clicks"), "better": "higher", "note": ""},
    {
        "kpi": "cost",
        "name": N_("Spend"),
        "formula": N_("sum of ad cost"),
        "better": "lower",
        "note": N_("money spent in the flight, in the dataset's currency"),
    },
    {
        "kpi": "ctr",
        "name": N_("CTR (click-through rate)"),
        "formula": N_("clicks / impressions"),
        "better": "higher",
        "note": "",
    },
    {"kpi": "cpc", "name": N_("CPC (cost per click)"), "formula": N_("cost / clicks"), "better": "lower", "note": ""},
    {
        "kpi": "cpm",
        "name": N_("CPM (cost per mille)"),
        "formula": N_("cost / impressions × 1000"),
        "better": "lower",
        "note": N_("cost of a thousand impressions"),
    },
    {
        "kpi": "sessions",
        "name": N_("Sessions"),
        "formula": N_("count of site visits from the campaign"),
        "better": "higher",
        "note": N_(
            "sessions whose campaign is one of the campaign's ad campaigns (all sessions when that column is absent)"
        ),
    },
    {
        "kpi": "conversions",
        "name": N_("Conversions"),
        "formula": N_("sum of conversions"),
        "better": "higher",
        "note": N_("from ad_stats, else converted sessions, else orders in the flight"),
    },
    {
        "kpi": "conversion_rate",
        "name": N_("Conversion rate"),
        "formula": N_("conversions / sessions (clicks when sessions are absent)"),
        "better": "higher",
        "note": "",
    },
    {
        "kpi": "cpa",
        "name": N_("CPA (cost per acquisition)"),
        "formula": N_("cost / conversions"),
        "better": "lower",
        "note": "",
    },
    {
        "kpi": "cac",
        "name": N_("CAC (customer acquisition cost)"),
        "formula": N_("cost / new customers"),
        "better": "lower",
        "note": N_("new customers: first order ever placed within the flight (needs orders)"),
    },
    {
        "kpi": "revenue",
        "name": N_("Revenue"),
        "formula": N_("sum of conversion revenue"),
        "better": "higher",
        "note": N_("same source as conversions"),
    },
    {
        "kpi": "aov",
        "name": N_("AOV (average order value)"),
        "formula": N_("revenue / conversions"),
        "better": "higher",
        "note": "",
    },
    {
        "kpi": "roas",
        "name": N_("ROAS (return on ad spend)"),
        "formula": N_("revenue / cost"),
        "better": "higher",
        "note": N_("revenue per unit of spend; 3.0 means 3 back for every 1 spent"),
    },
    {
        "kpi": "romi",
        "name": N_("ROMI (return on marketing investment)"),
        "formula": N_("(revenue × gross margin − cost) / cost"),
        "better": "higher",
        "note": N_("profit per unit of spend; gross margin from params (1.0 when not given)"),
    },
]
LOWER_IS_BETTER = frozenset(g["kpi"] for g in KPI_GLOSSARY if g["better"] == "lower")
_ORDER = [g["kpi"] for g in KPI_GLOSSARY]


def glossary_frame() -> pd.DataFrame:
    """The KPI glossary as a table for the report."""
    rows = [
        {
            "KPI": _(g["name"]),
            _("Formula"): _(g["formula"]),
            _("Better when"): better_name(g["better"]),
            _("Notes"): _(g["note"]) if g["note"] else "",
        }
        for g in KPI_GLOSSARY
    ]
    return pd.DataFrame(rows)


def better_name(better: str) -> str:
    """'higher' or 'lower' (which direction of a KPI is better) in the report's language."""
    return {"higher": pgettext("better when", "higher"), "lower": pgettext("better when", "lower")}.get(better, better)


def _div(a: float, b: float) -> float:
    return float(a) / float(b) if b and not math.isnan(b) and not math.isnan(a) else float("nan")


def _in_flight(frame: pd.DataFrame, col: str, start, end) -> pd.DataFrame:
    if start is None and end is None:
        return frame
    when = pd.to_datetime(frame[col], errors="coerce")
    keep = pd.Series(True, index=frame.index)
    if start is not None:
        keep &= when >= pd.Timestamp(start)
    if end is not None:
        keep &= when < pd.Timestamp(end) + pd.Timedelta(days=1)
    return frame[keep]


def _campaign_sessions(
    sessions: pd.DataFrame | FlightSessions | None, ads: pd.DataFrame, start, end
) -> pd.DataFrame | None:
    """The flight's sessions of the campaign's ad campaigns as counted groups (`weighted_sessions`)."""
    if sessions is None:
        return None
    if isinstance(sessions, FlightSessions):
        sessions.check_window(start, end)  # counted for the flight already
        return weighted_sessions(sessions.of_campaigns(ads["campaign"]))
    sess = _in_flight(sessions, "started_at", start, end)
    if "campaign" in sess.columns:
        sess = sess[sess["campaign"].isin(set(ads["campaign"]))]
    return weighted_sessions(sess)


def _flight_orders(orders: pd.DataFrame | FlightOrders, start, end) -> tuple[float, float, float | None]:
    """The flight's orders, their revenue and its new customers (first order ever placed in the flight;
    None without customer_id), from the rows or from the flight's counts (`flight_orders.FlightOrders`)."""
    if isinstance(orders, FlightOrders):
        orders.check_window(start, end)  # counted for the flight already
        return orders.orders, orders.revenue, orders.new_customers
    orders_in = _in_flight(orders, "order_date", start, end)
    new_customers = None
    if "customer_id" in orders.columns:
        first = pd.to_datetime(orders["order_date"], errors="coerce").groupby(orders["customer_id"]).min()
        new_customers = float(len(_in_flight(first.to_frame("order_date"), "order_date", start, end)))
    return float(len(orders_in)), float(orders_in["revenue"].sum()), new_customers


def compute_kpis(
    ad_stats: pd.DataFrame,
    sessions: pd.DataFrame | FlightSessions | None = None,
    orders: pd.DataFrame | FlightOrders | None = None,
    start: str | None = None,
    end: str | None = None,
    gross_margin: float = 1.0,
) -> dict:
    """Actual KPIs of the flight [start, end] (dates inclusive). Returns kpi -> value, plus
    "sources" naming where conversions and revenue came from. Sessions are rows or the flight's
    counts (`flight_sessions.FlightSessions`, counted for the same flight); orders are rows or the flight's
    counts per day (`flight_orders.FlightOrders`)."""
    missing = [c for c in ("date", "campaign", "impressions", "clicks", "cost") if c not in ad_stats.columns]
    if missing:
        raise ValueError(f"ad_stats lacks required column(s) {missing}")
    if not 0 < gross_margin <= 1:
        raise ValueError(f"gross_margin must be in (0, 1]; got {gross_margin!r}")
    ads = _in_flight(ad_stats, "date", start, end)
    k: dict = {
        "impressions": float(ads["impressions"].sum()),
        "clicks": float(ads["clicks"].sum()),
        "cost": float(ads["cost"].sum()),
    }
    k["ctr"] = _div(k["clicks"], k["impressions"])
    k["cpc"] = _div(k["cost"], k["clicks"])
    k["cpm"] = _div(k["cost"] * 1000, k["impressions"])
    sess = _campaign_sessions(sessions, ads, start, end)
    k["sessions"] = float(sess["sessions"].sum()) if sess is not None else float("nan")
    orders_in = _flight_orders(orders, start, end) if orders is not None else None
    if "conversions" in ads.columns:
        k["conversions"], conv_src = float(ads["conversions"].sum()), "ad_stats"
    elif sess is not None and "conversions" in sess.columns:
        k["conversions"], conv_src = float(sess["conversions"].astype(float).sum()), "sessions"
    elif orders_in is not None:
        k["conversions"], conv_src = orders_in[0], "orders"
    else:
        k["conversions"], conv_src = float("nan"), "none"
    if "revenue" in ads.columns:
        k["revenue"], rev_src = float(ads["revenue"].sum()), "ad_stats"
    elif sess is not None and "revenue" in sess.columns:
        k["revenue"], rev_src = float(sess["revenue"].astype(float).sum()), "sessions"
    elif orders_in is not None:
        k["revenue"], rev_src = orders_in[1], "orders"
    else:
        k["revenue"], rev_src = float("nan"), "none"
    k["conversion_rate"] = _div(
        k["conversions"], k["sessions"] if sess is not None and k["sessions"] > 0 else k["clicks"]
    )
    k["cpa"] = _div(k["cost"], k["conversions"])
    if orders_in is not None and orders_in[2] is not None:
        k["new_customers"] = orders_in[2]
        k["cac"] = _div(k["cost"], orders_in[2])
    else:
        k["cac"] = float("nan")
    k["aov"] = _div(k["revenue"], k["conversions"])
    k["roas"] = _div(k["revenue"], k["cost"])
    k["romi"] = _div(k["revenue"] * gross_margin - k["cost"], k["cost"])
    k["sources"] = {"conversions": conv_src, "revenue": rev_src}
    return k


def kpis_vs_plan(
    actuals: Mapping[str, float],
    targets: Mapping[str, float] | None = None,
    tolerance: float = 0.1,
    on_plan: float = 0.01,
) -> pd.DataFrame:
    """One row per KPI: actual, target, variance (actual − target), variance_pct and status.

    Status: "on plan" within ±`on_plan` of target (654 conversions against 655 is not a miss),
    "on track" when better than that (direction from the glossary), "at risk" when worse by less
    than `tolerance` (share of target), "off track" beyond; "no target" when none was planned.
    """
    targets = dict(targets or {})
    unknown = sorted(set(targets) - set(_ORDER))
    if unknown:
        raise ValueError(f"unknown KPI target(s) {unknown}; known KPIs: {', '.join(_ORDER)}")
    if not 0 <= tolerance < 1:
        raise ValueError(f"tolerance must be in [0, 1); got {tolerance!r}")
    if not 0 <= on_plan <= tolerance:
        raise ValueError(f"on_plan must be in [0, tolerance]; got {on_plan!r}")
    rows = []
    names = {g["kpi"]: g["name"] for g in KPI_GLOSSARY}
    for kpi in _ORDER:
        actual = float(actuals.get(kpi, float("nan")))
        target = float(targets[kpi]) if kpi in targets and targets[kpi] is not None else float("nan")
        variance = actual - target
        pct = variance / target if target and not math.isnan(target) else float("nan")
        if math.isnan(target):
            status = "no target"
        elif math.isnan(actual):
            status = "no data"
        else:
            better = -pct if kpi in LOWER_IS_BETTER else pct
            if abs(pct) <= on_plan:
                status = "on plan"
            else:
                status = "on track" if better >= 0 else ("at risk" if better >= -tolerance else "off track")
        rows.append(
            {
                "kpi": kpi,
                "name": names[kpi],
                "actual": actual,
                "target": target,
                "variance": variance,
                "variance_pct": pct,
                "better": "lower" if kpi in LOWER_IS_BETTER else "higher",
                "status": status,
            }
        )
    return pd.DataFrame(rows)


_COUNTS = frozenset({"impressions", "clicks", "sessions", "conversions"})
_MONEY = frozenset({"cost", "cpc", "cpm", "cpa", "cac", "revenue", "aov"})


def format_kpi(kpi: str, value: float, currency: str = "", signed: bool = False) -> str:
    """One KPI value as a stakeholder reads it: counts whole, money with the currency, rates in %."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    sign = "+" if signed else ""
    if kpi in ("ctr", "conversion_rate"):
        if signed:
            return _("{points} pp").format(points=localize_formatted(f"{value * 100:{sign}.2f}"))
        return localize_formatted(f"{value:.2%}")
    if kpi in ("roas", "romi"):
        return localize_formatted(f"{value:{sign}.2f}")
    if kpi in _COUNTS:
        return localize_formatted(f"{value:{sign},.0f}")
    digits = 1 if kpi in ("cpc",) or abs(value) < 100 else 0
    text = localize_formatted(f"{value:{sign},.{digits}f}")
    return f"{text} {currency_symbol(currency)}".strip() if kpi in _MONEY else text


def status_name(status: str) -> str:
    """A KPI or pacing status (kpis_vs_plan, pacing_summary) as the report's tables name it."""
    names = {
        "on track": pgettext("status", "on track"),
        "on plan": pgettext("status", "on plan"),
        "at risk": pgettext("status", "at risk"),
        "off track": pgettext("status", "off track"),
        "no data": pgettext("status", "no data"),
        "on pace": pgettext("status", "on pace"),
        "over-delivering": pgettext("status", "over-delivering"),
        "under-delivering": pgettext("status", "under-delivering"),
        "unplanned spend": pgettext("status", "unplanned spend"),
    }
    return names.get(status, status)


def kpi_view(kpi_table: pd.DataFrame, currency: str = "") -> pd.DataFrame:
    """The KPI table formatted per row (a count, a price and a rate need different formats)."""
    rows = []
    for r in kpi_table.itertuples(index=False):
        rows.append(
            {
                "KPI": _(r.name),
                _("Actual"): format_kpi(r.kpi, r.actual, currency),
                _("Target"): format_kpi(r.kpi, r.target, currency),
                _("Variance"): format_kpi(r.kpi, r.variance, currency, signed=True),
                _("Variance %"): "" if math.isnan(r.variance_pct) else localize_formatted(f"{r.variance_pct:+.1%}"),
                _("Better when"): better_name(r.better),
                _("Status"): "" if r.status == "no target" else status_name(r.status),
            }
        )
    return pd.DataFrame(rows)


def channel_cpa_vs_plan(breakdown: pd.DataFrame, cpa_targets: Mapping[str, float]) -> pd.DataFrame:
    """CPA per channel against its planned CPA: channel, conversions, cpa, cpa_target, variance_pct
    (positive = dearer than planned). Channels without a target are left out; the rows are sorted
    from the furthest above plan down, because that is where budget is being wasted."""
    if "channel" not in breakdown.columns or "cpa" not in breakdown.columns:
        raise ValueError("breakdown must be by channel and hold cpa (needs conversions in ad_stats)")
    bad = {k: v for k, v in cpa_targets.items() if v is None or not float(v) > 0}
    if bad:
        raise ValueError(f"cpa targets must be positive numbers; got {bad}")
    b = breakdown[breakdown["channel"].isin(list(cpa_targets))][["channel", "conversions", "cpa"]].copy()
    b["cpa_target"] = b["channel"].map({k: float(v) for k, v in cpa_targets.items()})
    b["variance_pct"] = b["cpa"] / b["cpa_target"] - 1
    return b.sort_values("variance_pct", ascending=False, kind="mergesort").reset_index(drop=True)
