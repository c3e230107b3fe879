"""One row per customer with the four groups of segmentation criteria.

geography      country, region, city
demography     age, age_band, gender, income_band, occupation
psychographics lifestyle, interest_<value> (0/1 per value of the ``;``-separated interests)
behaviour      tenure_days, recency_days, frequency, monetary, aov, r/f/m scores, rfm_group,
               main_channel / main_category / main_price_tier (most frequent in orders),
               sessions, device_<device>_share and main_device, main_source (sessions),
               acquisition_channel, familiarity (survey); from a wide CRM table (`wide`): spend_total,
               spend_share_<category>, main_spend_category, purchases_total, place_share_<place>,
               main_place, visits, campaigns_accepted
other          the customer table's own columns (outside the contract), as they are

A customer table may come from orders alone (`customers_from_orders`: first order = signup).

Why wide and flat: segmentation, profiles and the audience portrait all read the same table, and a
params file picks features by name, glob (``interest_*``) or group name (``psychographics``).
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from typing import Any

import numpy as np
import pandas as pd

from workbench.analysis.customers.profiles import multi_value_indicators
from workbench.analysis.customers.rfm import score_rfm
from workbench.analysis.customers.wide import WideColumns, wide_features

__all__ = [
    "AGE_BANDS",
    "FEATURE_GROUP_NAMES",
    "build_customer_features",
    "customer_sessions_frame",
    "customers_from_orders",
    "order_features_from",
    "feature_group",
    "feature_groups",
    "feature_summary",
    "groups_used",
    "own_columns",
    "select_features",
    "session_features_from",
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
        "spend_total",
        "spend_share_*",
        "main_spend_category",
        "brand_spend_total",
        "brand_share_*",
        "main_brand",
        "purchases_total",
        "place_share_*",
        "main_place",
        "visits",
        "campaigns_accepted",
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


_KNOWN_PROFILE = (
    "customer_id",
    "signup_date",
    "country",
    "region",
    "city",
    "city_type",
    "age",
    "gender",
    "income_band",
    "occupation",
    "lifestyle",
    "interests",
    "acquisition_channel",
)


def customers_from_orders(orders: pd.DataFrame) -> pd.DataFrame:
    """A customer table derived from orders alone: one row per customer_id, signup_date = the first
    order (an orders export is often all a marketer has; tenure then counts from the first purchase)."""
    _require(orders, "orders", ["customer_id", "order_date"])
    dates = pd.to_datetime(orders["order_date"], errors="coerce")
    first = dates.groupby(orders["customer_id"].to_numpy()).min().dt.normalize()
    return pd.DataFrame({"customer_id": first.index.to_numpy(), "signup_date": first.to_numpy()})


def _require(df: object, name: str, columns: list[str]) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{name} must be a DataFrame, got {type(df).__name__}")
    miss = [c for c in columns if c not in df.columns]
    if miss:
        raise ValueError(f"{name} lacks required column(s) {miss}; found {list(df.columns)}")


def _profile_columns(customers: pd.DataFrame) -> dict[str, np.ndarray]:
    """Geography, demography and psychographics from the contract's columns (interests one 0/1 each)."""
    out: dict[str, np.ndarray] = {}
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
    return out


def own_columns(customers: pd.DataFrame, taken: set[str] | frozenset[str] = frozenset()) -> dict[str, np.ndarray]:
    """The user's own customer columns (outside the contract), usable as features as they are:
    numbers stay numbers, flags become 0/1, text stays text; dates are left out. A name that clashes
    with a derived feature is kept as ``customers_<name>``."""
    out: dict[str, np.ndarray] = {}
    for col in customers.columns:
        if col in _KNOWN_PROFILE:
            continue
        s = customers[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            continue
        name = f"customers_{col}" if col in taken else col
        if pd.api.types.is_bool_dtype(s):
            out[name] = s.astype(float).to_numpy()
        elif pd.api.types.is_numeric_dtype(s):
            out[name] = pd.to_numeric(s, errors="coerce").astype(float).to_numpy()
        else:
            out[name] = s.astype(object).where(s.notna(), None).to_numpy()
    return out


def _end_of_day(ts: pd.Timestamp) -> pd.Timestamp:
    return ts + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)


def _order_features(orders: pd.DataFrame, idx: pd.Index, as_of: pd.Timestamp) -> dict[str, np.ndarray]:
    """Recency, frequency, monetary, AOV, RFM scores and the most frequent channel / category / tier."""
    kept = orders.loc[pd.to_datetime(orders["order_date"]) <= _end_of_day(as_of)]
    modes = {src: _mode_by_customer(kept, src) for src in ("channel", "category", "price_tier") if src in kept.columns}
    return order_features_from(score_rfm(orders, as_of=as_of), modes, idx)


def order_features_from(rfm: pd.DataFrame, modes: dict[str, pd.Series], idx: pd.Index) -> dict[str, np.ndarray]:
    """The order features from per-customer summaries: `score_rfm` output and the most frequent
    channel / category / price_tier per customer (index customer_id), e.g. computed on an engine."""
    rfm = rfm.set_index("customer_id").reindex(idx)
    out: dict[str, np.ndarray] = {
        "recency_days": rfm["recency_days"].to_numpy().astype(float),
        "frequency": rfm["frequency"].fillna(0).to_numpy().astype(int),
        "monetary": rfm["monetary"].fillna(0.0).to_numpy().astype(float),
    }
    with np.errstate(divide="ignore", invalid="ignore"):
        out["aov"] = np.where(out["frequency"] > 0, out["monetary"] / np.clip(out["frequency"], 1, None), np.nan)
    for col in ("r_score", "f_score", "m_score"):
        out[col] = rfm[col].to_numpy().astype(float)
    out["rfm_group"] = rfm["rfm_group"].astype(object).to_numpy()
    for src, dst in (("channel", "main_channel"), ("category", "main_category"), ("price_tier", "main_price_tier")):
        if src in modes:
            out[dst] = modes[src].reindex(idx).to_numpy()
    return out


def customer_sessions_frame(sessions: pd.DataFrame, until: pd.Timestamp | None = None) -> pd.DataFrame:
    """Loaded sessions reduced per customer in pandas, as `expressions.customer_sessions` does on an engine:
    sessions, first, last, visits per device (`device=<value>`, trimmed, lower-cased), main_device and
    main_source (most visits, ties alphabetically first); sessions after `until` (inclusive) left out."""
    from workbench.data.engines.expressions import DEVICE_PREFIX, main_value

    ts = pd.to_datetime(sessions["started_at"], errors="coerce")
    keep = sessions["customer_id"].notna().to_numpy() & ts.notna().to_numpy()
    if until is not None:
        keep &= (ts <= pd.Timestamp(until)).to_numpy()
    s = sessions.loc[keep].assign(customer_id=sessions.loc[keep, "customer_id"].astype(str), ts=ts[keep])
    g = s.groupby("customer_id")
    out = pd.DataFrame({"sessions": g.size().astype(np.int64)})
    out["first"], out["last"] = g["ts"].min().astype("datetime64[ns]"), g["ts"].max().astype("datetime64[ns]")
    out.index.name = "customer_id"
    if "device" in s.columns:
        device = s["device"].astype("string").str.strip().str.lower().replace("", pd.NA)
        counts = pd.crosstab(s["customer_id"], device).reindex(out.index, fill_value=0)
        counts = counts[sorted(counts.columns)].astype(np.int64)
        for dev in counts.columns:
            out[DEVICE_PREFIX + str(dev)] = counts[dev].to_numpy()
        out["main_device"] = main_value(out[[DEVICE_PREFIX + str(d) for d in counts.columns]], DEVICE_PREFIX)
    if "source" in s.columns:
        out["main_source"] = _mode_by_customer(s.assign(source=s["source"].astype("string")), "source")
    return out


def session_features_from(summary: pd.DataFrame, idx: pd.Index) -> dict[str, np.ndarray]:
    """Visits, device shares, main device and main source per customer of `idx`, from one row per
    customer (`customer_sessions_frame`, or `expressions.customer_sessions` on an engine).

    A device's share is its visits over the customer's visits with a known device; customers without a
    linked visit have 0 sessions and missing shares."""
    from workbench.data.engines.expressions import DEVICE_PREFIX

    keys = idx.astype(str) if len(idx) and not isinstance(idx[0], str) else idx
    rows = summary.reindex(keys)
    out: dict[str, np.ndarray] = {"sessions": rows["sessions"].fillna(0).to_numpy().astype(int)}
    device_cols = [c for c in summary.columns if str(c).startswith(DEVICE_PREFIX)]
    if device_cols:
        counts = rows[device_cols].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = counts / counts.sum(axis=1, keepdims=True)
        for i, col in enumerate(device_cols):
            out[f"device_{_slug(col[len(DEVICE_PREFIX) :])}_share"] = share[:, i]
    for col in ("main_device", "main_source"):
        if col in summary.columns:
            out[col] = rows[col].astype(object).where(rows[col].notna(), np.nan).to_numpy()
    return out


def _session_features(sessions, idx: pd.Index, as_of: pd.Timestamp) -> dict[str, np.ndarray]:
    """Visits, device shares, main device and main source of the customers' linked sessions up to the
    day after `as_of`: loaded rows are reduced here, an engine's summaries (`per_customer`) there."""
    until = as_of + pd.Timedelta(days=1)
    if hasattr(sessions, "per_customer"):
        return session_features_from(sessions.per_customer(until), idx)
    return session_features_from(customer_sessions_frame(sessions, until), idx)


def _reference_date(customers: pd.DataFrame, orders: pd.DataFrame | None, as_of) -> pd.Timestamp | None:
    if as_of is not None:
        return pd.Timestamp(as_of)
    if orders is not None:
        return pd.to_datetime(orders["order_date"]).max().normalize()
    if "signup_date" in customers.columns:
        last = pd.to_datetime(customers["signup_date"], errors="coerce").max()
        return None if pd.isna(last) else last.normalize()
    return None


def build_customer_features(
    customers: pd.DataFrame,
    orders: pd.DataFrame | None = None,
    sessions: pd.DataFrame | Any = None,
    survey: pd.DataFrame | None = None,
    as_of: pd.Timestamp | str | None = None,
    wide: WideColumns | None = None,
    order_features: dict[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Customer feature table (columns listed in the module docstring; customer_id is a column).

    Every customer of ``customers`` gets a row (customers without orders have frequency 0, monetary 0
    and missing recency/AOV); orders and sessions after ``as_of`` (default: last order date, without
    orders the last signup) are ignored. Inputs that are None contribute no columns. The customers'
    own columns (outside the contract) are kept as features too, and ``wide`` groups (CRM exports with
    spend or purchases in columns) add their totals, shares and main values (`wide.wide_features`).
    """
    _require(customers, "customers", ["customer_id"])
    if orders is not None:
        _require(orders, "orders", ["customer_id", "order_date", "revenue"])
    if customers["customer_id"].duplicated().any():
        dup = customers.loc[customers["customer_id"].duplicated(), "customer_id"].iloc[0]
        raise ValueError(f"customers has duplicate customer_id values (e.g. {dup!r}); expected one row per customer")

    customers = customers.reset_index(drop=True)
    as_of_ts = _reference_date(customers, orders, as_of)
    idx = pd.Index(customers["customer_id"].to_numpy(), name="customer_id")
    cols: dict[str, np.ndarray] = {"customer_id": idx.to_numpy(), **_profile_columns(customers)}
    if "signup_date" in customers.columns and as_of_ts is not None:
        signup = pd.to_datetime(customers["signup_date"], errors="coerce")
        cols["tenure_days"] = (as_of_ts.normalize() - signup.dt.normalize()).dt.days.to_numpy().astype(float)
    if orders is not None:
        cols.update(_order_features(orders, idx, as_of_ts))
    elif order_features is not None:  # summarised elsewhere (an engine), see `order_features_from`
        cols.update(order_features)
    if sessions is not None and "customer_id" in sessions.columns:
        cols.update(_session_features(sessions, idx, as_of_ts))
    if "acquisition_channel" in customers.columns:
        cols["acquisition_channel"] = customers["acquisition_channel"].astype(object).to_numpy()
    if survey is not None and "customer_id" in survey.columns and "familiarity" in survey.columns:
        fam = survey.dropna(subset=["customer_id"]).drop_duplicates("customer_id", keep="last")
        cols["familiarity"] = fam.set_index("customer_id")["familiarity"].astype(object).reindex(idx).to_numpy()
    if wide:
        derived = wide_features(customers, wide)
        cols.update({c: derived[c].to_numpy() for c in derived.columns if c not in cols})
    cols.update(own_columns(customers, taken=set(cols)))
    return pd.DataFrame(cols)


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
            available = [c for c in frame.columns if c != "customer_id"]
            close = difflib.get_close_matches(str(item), available + list(groups), n=3, cutoff=0.6)
            hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise ValueError(
                f"features: {item!r} matches no column of the customer feature table.{hint} "
                f"Available: {', '.join(available)}; or a group: {', '.join(g for g, c in groups.items() if c)}"
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
