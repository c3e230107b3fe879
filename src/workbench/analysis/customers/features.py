"""One row per customer with the four groups of segmentation criteria.

geography      country, region, city
demography     age, age_band, gender, income_band, occupation
psychographics lifestyle, interest_<value> (0/1 per value of the ``;``-separated interests)
behaviour      tenure_days, recency_days, frequency, monetary, aov, r/f/m scores, rfm_group,
               main_channel / main_category / main_price_tier (most frequent in orders),
               sessions, device_<device>_share and main_device, main_source (sessions),
               acquisition_channel, familiarity (survey)

Why wide and flat: segmentation, profiles and the audience portrait all read the same table, and a
params file picks features by name, glob (``interest_*``) or group name (``psychographics``).
"""

from __future__ import annotations

import fnmatch
import re

import numpy as np
import pandas as pd

from workbench.analysis.customers.profiles import multi_value_indicators
from workbench.analysis.customers.rfm import score_rfm

__all__ = [
    "AGE_BANDS",
    "FEATURE_GROUP_NAMES",
    "build_customer_features",
    "feature_group",
    "feature_groups",
    "feature_summary",
    "groups_used",
    "select_features",
]

AGE_BANDS = [
    (0, 17, "under 18"),
    (18, 24, "18-24"),
    (25, 34, "25-34"),
    (35, 44, "35-44"),
    (45, 54, "45-54"),
    (55, 64, "55-64"),
    (65, 200, "65+"),
]
FEATURE_GROUP_NAMES = ("geography", "demography", "psychographics", "behaviour")

_GROUP_PATTERNS = {
    "geography": ["country", "region", "city", "city_type"],
    "demography": ["age", "age_band", "gender", "income_band", "occupation"],
    "psychographics": ["lifestyle", "interest_*"],
    "behaviour": [
        "tenure_days",
        "recency_days",
        "frequency",
        "monetary",
        "aov",
        "main_channel",
        "main_category",
        "main_price_tier",
        "sessions",
        "device_*_share",
        "main_device",
        "main_source",
        "acquisition_channel",
        "familiarity",
    ],
}


def _slug(value: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", str(value).strip().lower()).strip("_")


def _mode_by_customer(frame: pd.DataFrame, column: str) -> pd.Series:
    """Most frequent value per customer (ties: alphabetically first, so it is deterministic)."""
    sub = frame[["customer_id", column]].dropna()
    if sub.empty:
        return pd.Series(dtype=object)
    counts = sub.groupby(["customer_id", column], observed=True).size().rename("n").reset_index()
    counts = counts.sort_values(["customer_id", "n", column], ascending=[True, False, True])
    return counts.drop_duplicates("customer_id").set_index("customer_id")[column].astype(object)


def age_band(age: pd.Series) -> pd.Series:
    """Age in the bands of AGE_BANDS (missing stays missing)."""
    a = pd.to_numeric(age, errors="coerce")
    out = pd.Series(np.nan, index=age.index, dtype=object)
    for lo, hi, label in AGE_BANDS:
        out[(a >= lo) & (a <= hi)] = label
    return out


def build_customer_features(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    sessions: pd.DataFrame | None = None,
    survey: pd.DataFrame | None = None,
    as_of: pd.Timestamp | str | None = None,
) -> pd.DataFrame:
    """Customer feature table (columns listed in the module docstring; customer_id is a column).

    Every customer of ``customers`` gets a row (customers without orders have frequency 0, monetary 0
    and missing recency/AOV); orders and sessions after ``as_of`` (default: last order date) are
    ignored. Optional inputs that are None simply contribute no columns.
    """
    for name, df, required in (
        ("customers", customers, ["customer_id"]),
        ("orders", orders, ["customer_id", "order_date", "revenue"]),
    ):
        if not isinstance(df, pd.DataFrame):
            raise ValueError(f"{name} must be a DataFrame, got {type(df).__name__}")
        miss = [c for c in required if c not in df.columns]
        if miss:
            raise ValueError(f"{name} lacks required column(s) {miss}; found {list(df.columns)}")
    if customers["customer_id"].duplicated().any():
        dup = customers.loc[customers["customer_id"].duplicated(), "customer_id"].iloc[0]
        raise ValueError(f"customers has duplicate customer_id values (e.g. {dup!r}); expected one row per customer")

    customers = customers.reset_index(drop=True)
    dates = pd.to_datetime(orders["order_date"])
    as_of_ts = dates.max().normalize() if as_of is None else pd.Timestamp(as_of)
    ids = customers["customer_id"]
    out = pd.DataFrame({"customer_id": ids.to_numpy()})
    idx = pd.Index(ids.to_numpy(), name="customer_id")

    for col in ("country", "region", "city", "city_type"):
        if col in customers.columns:
            out[col] = customers[col].astype(object).to_numpy()
    if "age" in customers.columns:
        out["age"] = pd.to_numeric(customers["age"], errors="coerce").to_numpy()
        out["age_band"] = age_band(customers["age"]).to_numpy()
    for col in ("gender", "income_band", "occupation", "lifestyle"):
        if col in customers.columns:
            out[col] = customers[col].astype(object).to_numpy()
    if "interests" in customers.columns:
        onehot = multi_value_indicators(customers["interests"], sep=";")
        for value in onehot.columns:
            out[f"interest_{_slug(value)}"] = onehot[value].to_numpy().astype(np.int8)
    if "signup_date" in customers.columns:
        signup = pd.to_datetime(customers["signup_date"], errors="coerce")
        out["tenure_days"] = (as_of_ts.normalize() - signup.dt.normalize()).dt.days.to_numpy().astype(float)

    rfm = score_rfm(orders, as_of=as_of_ts).set_index("customer_id")
    rfm = rfm.reindex(idx)
    out["recency_days"] = rfm["recency_days"].to_numpy().astype(float)
    out["frequency"] = rfm["frequency"].fillna(0).to_numpy().astype(int)
    out["monetary"] = rfm["monetary"].fillna(0.0).to_numpy().astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["aov"] = np.where(out["frequency"] > 0, out["monetary"] / out["frequency"].clip(lower=1), np.nan)
    for col in ("r_score", "f_score", "m_score"):
        out[col] = rfm[col].to_numpy().astype(float)
    out["rfm_group"] = rfm["rfm_group"].astype(object).to_numpy()

    kept_orders = orders.loc[dates <= as_of_ts + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)]
    for src, dst in (("channel", "main_channel"), ("category", "main_category"), ("price_tier", "main_price_tier")):
        if src in kept_orders.columns:
            out[dst] = _mode_by_customer(kept_orders, src).reindex(idx).to_numpy()

    if sessions is not None and "customer_id" in sessions.columns:
        s = sessions
        if "started_at" in s.columns:
            s = s.loc[pd.to_datetime(s["started_at"]) <= as_of_ts + pd.Timedelta(days=1)]
        s = s[s["customer_id"].notna()]
        out["sessions"] = s.groupby("customer_id").size().reindex(idx).fillna(0).to_numpy().astype(int)
        if "device" in s.columns:
            share = pd.crosstab(s["customer_id"], s["device"].astype(str).str.lower(), normalize="index")
            share = share.reindex(idx)
            for dev in share.columns:
                out[f"device_{_slug(dev)}_share"] = share[dev].to_numpy()
            out["main_device"] = (
                _mode_by_customer(s.assign(device=s["device"].astype(str).str.lower()), "device")
                .reindex(idx)
                .to_numpy()
            )
        if "source" in s.columns:
            out["main_source"] = _mode_by_customer(s, "source").reindex(idx).to_numpy()
    if "acquisition_channel" in customers.columns:
        out["acquisition_channel"] = customers["acquisition_channel"].astype(object).to_numpy()
    if survey is not None and "customer_id" in survey.columns and "familiarity" in survey.columns:
        fam = survey.dropna(subset=["customer_id"]).drop_duplicates("customer_id", keep="last")
        out["familiarity"] = fam.set_index("customer_id")["familiarity"].astype(object).reindex(idx).to_numpy()
    return out


def feature_groups(frame: pd.DataFrame) -> dict[str, list[str]]:
    """Columns of a feature table by criterion group (geography, demography, psychographics, behaviour)."""
    return {
        g: [c for c in frame.columns if any(fnmatch.fnmatchcase(c, p) for p in pats)]
        for g, pats in _GROUP_PATTERNS.items()
    }


def feature_group(column: str) -> str:
    """The criterion group of a feature-table column ("other" for a column outside the four groups)."""
    for group, pats in _GROUP_PATTERNS.items():
        if any(fnmatch.fnmatchcase(column, p) for p in pats):
            return group
    return "other"


def groups_used(columns: list[str]) -> dict[str, list[str]]:
    """The selected columns by criterion group, every group present (empty list = group not used), so a
    report can say which of the four groups a segmentation rests on and which it leaves out."""
    out: dict[str, list[str]] = {g: [] for g in FEATURE_GROUP_NAMES}
    for col in columns:
        out.setdefault(feature_group(col), []).append(col)
    return out


def select_features(frame: pd.DataFrame, spec: list[str]) -> list[str]:
    """Expand a params list of column names, globs (``interest_*``) and group names into columns.

    Unknown names raise ValueError listing what is available; order is kept, duplicates dropped.
    """
    if isinstance(spec, str) or not isinstance(spec, (list, tuple)) or not spec:
        raise ValueError(
            f"features must be a non-empty list of column names, globs or groups {FEATURE_GROUP_NAMES}; got {spec!r}"
        )
    groups = feature_groups(frame)
    out: list[str] = []
    for item in spec:
        if item in groups:
            matched = groups[item]
        elif any(ch in item for ch in "*?["):
            matched = [c for c in frame.columns if fnmatch.fnmatchcase(c, item)]
        else:
            matched = [item] if item in frame.columns else []
        if not matched:
            raise ValueError(
                f"feature {item!r} matches no column of the customer feature table; "
                f"available: {[c for c in frame.columns if c != 'customer_id']}"
            )
        out.extend(m for m in matched if m not in out and m != "customer_id")
    return out


def feature_summary(missing: pd.DataFrame) -> pd.DataFrame:
    """The segmentation's feature report for readers: indicator families (``interest_*``,
    ``device_*_share``) collapsed into one row naming their values, so 25 interests take one line.

    ``missing`` is `SegmentationResult.missing` (feature, kind, missing, share, imputed_with); the
    result adds each feature's criterion group first."""
    need = {"feature", "kind", "missing", "share", "imputed_with"}
    if not need <= set(missing.columns):
        raise ValueError(f"missing must have columns {sorted(need)}; got {list(missing.columns)}")
    rows, families = [], {}
    for r in missing.to_dict("records"):
        m = re.fullmatch(r"(interest|device)_(.+?)(_share)?", str(r["feature"]))
        if m and r["kind"] == "binary":
            fam = families.setdefault(m.group(1), {**r, "values": [], "missing": 0, "share": 0.0})
            fam["values"].append(m.group(2).replace("_", " "))
            fam["missing"] = max(fam["missing"], int(r["missing"]))  # customers missing any of them (at least)
            fam["share"] = max(fam["share"], float(r["share"]))
            if len(fam["values"]) == 1:
                rows.append(fam)
        else:
            rows.append({**r, "values": None})
    out = []
    for r in rows:
        if r["values"] is not None:
            vals = r["values"]
            shown = ", ".join(vals[:8]) + (f", … ({len(vals)} in all)" if len(vals) > 8 else "")
            out.append(
                {
                    "group": feature_group(r["feature"]),
                    "feature": f"{r['feature'].split('_')[0]}s",
                    "kind": f"{len(vals)} yes/no columns",
                    "values": shown,
                    "missing": r["missing"],
                    "share": r["share"],
                    "imputed_with": r["imputed_with"],
                }
            )
        else:
            out.append(
                {
                    "group": feature_group(r["feature"]),
                    "feature": r["feature"].replace("_", " "),
                    "kind": r["kind"],
                    "values": "",
                    "missing": r["missing"],
                    "share": r["share"],
                    "imputed_with": r["imputed_with"],
                }
            )
    return pd.DataFrame(out, columns=["group", "feature", "kind", "values", "missing", "share", "imputed_with"])
