"""Choosing the audience a portrait describes: segments, an RFM group, a filter, or the whole base.

Exactly one selection mode may be given (two would leave the reader guessing which one the report
shows); none means the whole customer base. Every bad value is reported with the parameter name,
the column and the allowed values, because the person fixing it edits a params file, not code.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbench.analysis.customers.affinity import split_multi
from workbench.analysis.customers.text import fmt
from workbench.data.readers import normalise_name
from workbench.errors import ParamsError
from workbench.i18n import _

__all__ = [
    "Audience",
    "AudienceSelectionError",
    "MULTI_VALUED_COLUMNS",
    "choose_audience",
    "audience_from_filter",
    "audience_from_rfm_group",
    "audience_from_segments",
    "distinctive_traits",
    "filter_mask",
    "selection_mode",
    "small_audience_note",
    "whole_base",
]

#: customer columns holding ;-separated lists: a filter matches a customer naming any listed value
MULTI_VALUED_COLUMNS = frozenset({"interests", "brands_used", "preferred_attributes"})
_SHOW_ALLOWED = 25


class AudienceSelectionError(ParamsError, ValueError):
    """The audience parameters do not select a valid, non-empty audience."""


@dataclass(frozen=True)
class Audience:
    """The chosen customers and how they were chosen (for the report header and results.json)."""

    customer_ids: pd.Index
    mode: str  # "segments", "rfm_group", "filter" or "all"
    description: str  # e.g. "RFM group Champions"
    base_size: int

    @property
    def size(self) -> int:
        return len(self.customer_ids)

    @property
    def share_of_base(self) -> float:
        return self.size / self.base_size if self.base_size else float("nan")


def _allowed(values: Iterable[Any]) -> str:
    vals = sorted({str(v) for v in values})
    shown = ", ".join(repr(v) for v in vals[:_SHOW_ALLOWED])
    return shown + (f", … ({len(vals)} in all)" if len(vals) > _SHOW_ALLOWED else "")


def _did_you_mean(wanted: object, present: Iterable[Any]) -> str:
    """ " Did you mean 'Moscow'?" for the closest existing value(s), else ""."""
    lookup = {str(v).casefold(): str(v) for v in present}
    close = difflib.get_close_matches(str(wanted).strip().casefold(), list(lookup), n=2, cutoff=0.6)
    return f" Did you mean {' or '.join(repr(lookup[c]) for c in close)}?" if close else ""


def small_audience_note(audience: Audience, min_size: int = 30, min_share: float = 0.01) -> str:
    """A warning when the audience keeps very little of the base (fewer than `min_size` customers or
    `min_share` of them): its shares have wide intervals and few differences can reach significance.
    Empty string when the audience is large enough."""
    if audience.size >= min_size and audience.share_of_base >= min_share:
        return ""
    return _(
        "The audience keeps only {size} of {base} customers ({share}): its shares carry wide intervals and only "
        "large differences can be told from chance. Widen the selection for a firmer portrait."
    ).format(
        size=fmt("{:,}", audience.size),
        base=fmt("{:,}", audience.base_size),
        share=fmt("{:.1%}", audience.share_of_base),
    )


def selection_mode(audience_segments: Any = None, audience_rfm_group: Any = None, audience_filter: Any = None) -> str:
    """Which selection the params ask for: "segments", "rfm_group", "filter" or "all" (none given)."""
    given = {
        name: value
        for name, value in (
            ("audience_segments", audience_segments),
            ("audience_rfm_group", audience_rfm_group),
            ("audience_filter", audience_filter),
        )
        if value not in (None, "", [], {}, ())
    }
    if len(given) > 1:
        raise AudienceSelectionError(
            f"give exactly one of audience_segments, audience_rfm_group, audience_filter (or none for the "
            f"whole base); got {', '.join(sorted(given))}"
        )
    if not given:
        return "all"
    name, value = next(iter(given.items()))
    expected = {"audience_segments": (list, tuple), "audience_rfm_group": str, "audience_filter": Mapping}[name]
    if not isinstance(value, expected):
        kind = {
            "audience_segments": "a list of segment labels or names",
            "audience_rfm_group": "a string",
            "audience_filter": "a mapping column -> values",
        }[name]
        raise AudienceSelectionError(f"{name} must be {kind}; got {type(value).__name__} {value!r}")
    return {"audience_segments": "segments", "audience_rfm_group": "rfm_group", "audience_filter": "filter"}[name]


def _ids(customers: pd.DataFrame) -> pd.Series:
    if "customer_id" not in customers.columns:
        raise ValueError(f"customers must have a customer_id column; columns are {list(customers.columns)}")
    return customers["customer_id"]


def _finish(ids: Iterable[Any], mode: str, description: str, base_size: int, param: str) -> Audience:
    index = pd.Index(pd.unique(pd.Series(list(ids), dtype=object)), name="customer_id")
    if len(index) == 0:
        raise AudienceSelectionError(
            f"{param}: {description} selects no customers (the base has {base_size:,}); widen the selection"
        )
    return Audience(index, mode, description, base_size)


def whole_base(customers: pd.DataFrame) -> Audience:
    """Every customer: the portrait of the base itself (all affinity indices are 100)."""
    ids = _ids(customers)
    return _finish(ids, "all", "all customers", len(ids), "customers")


def _range_mask(column: pd.Series, spec: Any, name: str, param: str, as_dates: bool) -> pd.Series:
    convert = (lambda v: pd.Timestamp(v)) if as_dates else float
    if isinstance(spec, (list, tuple)):
        if len(spec) != 2:
            raise AudienceSelectionError(
                f"{param}[{name!r}]: a numeric or date column takes a range [min, max] (null for an open end); "
                f"got {list(spec)!r}"
            )
        lo, hi = spec
    else:
        lo = hi = spec
    try:
        lo_v = None if lo is None else convert(lo)
        hi_v = None if hi is None else convert(hi)
    except (TypeError, ValueError) as exc:
        kind = "dates (ISO strings)" if as_dates else "numbers"
        raise AudienceSelectionError(f"{param}[{name!r}]: range ends must be {kind}; got {spec!r}") from exc
    if lo_v is not None and hi_v is not None and lo_v > hi_v:
        raise AudienceSelectionError(f"{param}[{name!r}]: range [{lo}, {hi}] has min above max")
    values = pd.to_datetime(column, errors="coerce") if as_dates else pd.to_numeric(column, errors="coerce")
    mask = values.notna()
    if lo_v is not None:
        mask &= values >= lo_v
    if hi_v is not None:
        mask &= values <= hi_v
    return mask.fillna(False).astype(bool)


def _category_mask(column: pd.Series, spec: Any, name: str, param: str) -> pd.Series:
    wanted = list(spec) if isinstance(spec, (list, tuple, set)) else [spec]
    if not wanted:
        raise AudienceSelectionError(f"{param}[{name!r}]: give at least one value")
    multi = name in MULTI_VALUED_COLUMNS
    if multi:
        sets = split_multi(column, ";")
        units = sets.map(lambda v: {p.casefold() for p in v} if isinstance(v, frozenset) else set())
        present = {p for v in sets.dropna() for p in v}
    else:
        text = column.astype("string").str.strip()
        units = None
        present = set(text.dropna())
    lookup = {v.casefold(): v for v in present}
    unknown = [w for w in wanted if str(w).strip().casefold() not in lookup]
    if unknown:
        raise AudienceSelectionError(
            f"{param}[{name!r}]: unknown value(s) {unknown!r}; allowed values are {_allowed(present)}."
            + _did_you_mean(unknown[0], present)
        )
    keys = {str(w).strip().casefold() for w in wanted}
    if multi:
        return units.map(lambda u: bool(u & keys)).astype(bool)
    return text.str.casefold().isin(keys).fillna(False).astype(bool)


def _column(customers: pd.DataFrame, name: str, param: str) -> str:
    """The customer column a filter names: as written, or as the loader normalised it ("Response")."""
    if name in customers.columns:
        return name
    normal = normalise_name(name)
    if normal in customers.columns:
        return normal
    raise AudienceSelectionError(
        f"{param}: {name!r} is not a customer column; columns are {_allowed(customers.columns)}."
        + _did_you_mean(normal, customers.columns)
    )


def filter_mask(customers: pd.DataFrame, spec: Mapping[str, Any], param: str = "audience_filter") -> pd.Series:
    """Boolean mask of customers matching every condition of `spec` (conditions are ANDed).

    Numeric and date columns take a range ``[min, max]`` (inclusive; null = open end) or one value;
    other columns take a list of allowed values (case-insensitive); multi-valued columns
    (`interests`) match a customer naming any of the values.
    """
    if not isinstance(spec, Mapping) or not spec:
        raise AudienceSelectionError(f"{param} must be a non-empty mapping column -> values; got {spec!r}")
    mask = pd.Series(True, index=customers.index)
    for given, cond in spec.items():
        name = _column(customers, given, param)
        column = customers[name]
        if cond is None or (isinstance(cond, (list, tuple, set, dict)) and not cond):
            raise AudienceSelectionError(f"{param}[{name!r}]: give a value list or a range, not {cond!r}")
        if isinstance(cond, dict):
            raise AudienceSelectionError(
                f"{param}[{name!r}]: give a list of values or a [min, max] range, not a mapping"
            )
        if pd.api.types.is_bool_dtype(column):
            mask &= _category_mask(
                column.astype(str), [str(c) for c in (cond if isinstance(cond, list) else [cond])], name, param
            )
        elif pd.api.types.is_numeric_dtype(column):
            mask &= _range_mask(column, cond, name, param, as_dates=False)
        elif pd.api.types.is_datetime64_any_dtype(column):
            mask &= _range_mask(column, cond, name, param, as_dates=True)
        else:
            mask &= _category_mask(column, cond, name, param)
    return mask


def _describe_filter(spec: Mapping[str, Any]) -> str:
    parts = []
    for name, cond in spec.items():
        is_range = (
            isinstance(cond, (list, tuple))
            and len(cond) == 2
            and all(c is None or (isinstance(c, (int, float)) and not isinstance(c, bool)) for c in cond)
        )
        if is_range:
            lo, hi = cond
            parts.append(f"{name} ≥ {lo}" if hi is None else f"{name} ≤ {hi}" if lo is None else f"{name} {lo}–{hi}")
        elif isinstance(cond, (list, tuple, set)):
            parts.append(f"{name} in {', '.join(str(c) for c in cond)}")
        else:
            parts.append(f"{name} = {cond}")
    return "; ".join(parts)


def audience_from_filter(customers: pd.DataFrame, spec: Mapping[str, Any], param: str = "audience_filter") -> Audience:
    """The customers matching a filter on customer columns (see `filter_mask`)."""
    ids = _ids(customers)
    mask = filter_mask(customers, spec, param)
    if not mask.any():
        raise AudienceSelectionError(
            f"{param}: customers with {_describe_filter(spec)} — no customer matches every condition "
            f"(the base has {len(ids):,}). Each condition alone keeps: {_condition_counts(customers, spec, param)}"
        )
    return _finish(ids[mask.to_numpy()], "filter", f"customers with {_describe_filter(spec)}", len(ids), param)


def _condition_counts(customers: pd.DataFrame, spec: Mapping[str, Any], param: str) -> str:
    """Per condition: customers it keeps alone and, for numbers and dates, the range the data holds."""
    parts = []
    for name, cond in spec.items():
        kept = int(filter_mask(customers, {name: cond}, param).sum())
        column = customers[_column(customers, name, param)]
        span = ""
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_datetime64_any_dtype(column):
            lo, hi = column.min(), column.max()
            span = f" (values in the data: {lo} to {hi})"
        parts.append(f"{name}: {kept:,}{span}")
    return "; ".join(parts)


def _keyword_matches(key: str, names: Mapping[Any, str]) -> list:
    """Segments whose text (generated name, or distinctive traits) contains every word of `key`
    (case-insensitive, word starts: "climb" matches "Climbing")."""
    words = [w for w in re.split(r"[\s,;:]+", key) if w]
    if not words:
        return []
    hits = []
    for lab, name in names.items():
        tokens = re.findall(r"[\w-]+", str(name).casefold().replace("_", " "))
        if all(any(t.startswith(w) for t in tokens) for w in words):
            hits.append(lab)
    return hits


def distinctive_traits(traits: pd.DataFrame, min_share: float = 0.3, min_affinity: float = 150.0) -> dict:
    """Segment -> text of the traits that set it apart (held by at least `min_share` of the segment at
    an affinity index of at least `min_affinity`), for keyword selection when the name omits them."""
    need = {"segment", "column", "value", "segment_share", "affinity"}
    if not need <= set(traits.columns):
        raise ValueError(
            f"traits must have columns {sorted(need)} (from segment_trait_affinity); got {list(traits.columns)}"
        )
    strong = traits[(traits["segment_share"] >= min_share) & (traits["affinity"] >= min_affinity)]
    return {
        seg: " ".join(f"{c} {v}" if str(v) != "1" else str(c) for c, v in zip(g["column"], g["value"], strict=False))
        for seg, g in strong.groupby("segment")
    }


def audience_from_segments(
    customers: pd.DataFrame,
    labels: pd.Series,
    names: Mapping[Any, str],
    wanted: Iterable[Any],
    param: str = "audience_segments",
    traits: pd.DataFrame | None = None,
) -> Audience:
    """Customers in the wanted segments, given by label (2 or "2"), by generated name, or by keywords
    of the generated name ("climbing" selects the one segment whose name has a word starting with
    "climbing"; several matching segments is an error naming them). When no name matches, keywords
    are matched against each segment's distinctive traits (`distinctive_traits` of `traits`, the
    `segment_trait_affinity` table), since a generated name shows only a few of them. All case-insensitive.

    Labels number segments by size, so they change when the data or the features change; keywords
    of the trait that defines a segment are the stable way to ask for it in a params file.

    labels: segment label per customer, indexed by customer_id; names: label -> descriptive name.
    """
    _ids(customers)
    wanted = list(wanted)
    if not wanted:
        raise AudienceSelectionError(f"{param}: give at least one segment label or name")
    by_name = {str(n).strip().casefold(): lab for lab, n in names.items()}
    by_label = {str(lab).strip().casefold(): lab for lab in pd.unique(labels.dropna())}
    chosen, unknown, ambiguous = [], [], []
    for w in wanted:
        key = str(w).strip().casefold()
        if key in by_label:
            chosen.append(by_label[key])
        elif key in by_name:
            chosen.append(by_name[key])
        elif hits := _keyword_matches(key, names) or (
            _keyword_matches(key, distinctive_traits(traits)) if traits is not None else []
        ):
            if len(hits) == 1:
                chosen.append(hits[0])
            else:
                ambiguous.append(f"{w!r} matches " + ", ".join(f"{h} ({names[h]})" for h in hits))
        else:
            unknown.append(w)
    if ambiguous:
        raise AudienceSelectionError(
            f"{param}: {'; '.join(ambiguous)}; add a keyword so that exactly one "
            "segment matches, or list the segments you want separately"
        )
    if unknown:
        allowed = [f"{lab} ({names.get(lab, 'unnamed')})" for lab in sorted(by_label.values(), key=str)]
        raise AudienceSelectionError(
            f"{param}: unknown segment(s) {unknown!r}; segments are {', '.join(allowed)}."
            + _did_you_mean(
                unknown[0], [*names.values(), *(w for n in names.values() for w in re.findall(r"[\w-]+", n))]
            )
        )
    ids = labels.index[labels.isin(chosen).to_numpy()]
    ids = ids[ids.isin(customers["customer_id"])]
    desc = (
        "segment"
        + ("s " if len(chosen) > 1 else " ")
        + ", ".join(f"{c} ({names[c]})" if c in names else str(c) for c in dict.fromkeys(chosen))
    )
    return _finish(ids, "segments", desc, len(customers), param)


def audience_from_rfm_group(
    customers: pd.DataFrame, rfm: pd.DataFrame, group: str, param: str = "audience_rfm_group"
) -> Audience:
    """Customers of one named RFM group (case-insensitive), from a score_rfm table."""
    _ids(customers)
    if "rfm_group" not in rfm.columns:
        raise ValueError(f"rfm must have an rfm_group column (from score_rfm); columns are {list(rfm.columns)}")
    ids = rfm["customer_id"] if "customer_id" in rfm.columns else pd.Series(rfm.index, index=rfm.index)
    groups = rfm["rfm_group"].astype(str)
    lookup = {g.casefold(): g for g in groups.unique()}
    key = str(group).strip().casefold()
    if key not in lookup:
        raise AudienceSelectionError(
            f"{param}: unknown RFM group {group!r}; groups in this data are {_allowed(lookup.values())}."
            + _did_you_mean(group, lookup.values())
        )
    chosen = ids[(groups == lookup[key]).to_numpy()]
    chosen = chosen[chosen.isin(customers["customer_id"]).to_numpy()]
    return _finish(chosen, "rfm_group", f"RFM group {lookup[key]}", len(customers), param)


def _counted_rfm(orders: Any, as_of: str | None) -> tuple[pd.DataFrame, pd.Timestamp]:
    """`score_rfm` from per-customer totals (`report_inputs.OrderSummaries.rfm_totals`, reduced where the
    orders live) as of `as_of`, by default the last order's day as `score_rfm` takes it."""
    from workbench.analysis.customers.rfm import rfm_from_totals

    as_of_ts = pd.Timestamp(as_of) if as_of else orders.last_date.normalize()
    return rfm_from_totals(orders.rfm_totals(as_of_ts), as_of_ts), as_of_ts


def _counted(orders: Any) -> bool:
    return orders is not None and not isinstance(orders, pd.DataFrame) and hasattr(orders, "rfm_totals")


def choose_audience(
    customers: pd.DataFrame,
    orders: pd.DataFrame | Any,
    sessions: pd.DataFrame | None = None,
    survey: pd.DataFrame | None = None,
    *,
    audience_segments: list | None = None,
    audience_rfm_group: str | None = None,
    audience_filter: Mapping | None = None,
    segment_features: list | None = None,
    segment_k: int | None = None,
    as_of: str | None = None,
    wide: Any = None,
) -> Audience:
    """The audience the params ask for (see `selection_mode`); segments are computed here with
    `segment_customers` on `segment_features` (k fixed by `segment_k`, else chosen by silhouette),
    RFM groups with `score_rfm` as of `as_of`. Orders are rows or per-customer summaries
    (`report_inputs.OrderSummaries`: RFM totals and most frequent channel / category / price tier)."""
    mode = selection_mode(audience_segments, audience_rfm_group, audience_filter)
    if mode == "all":
        return whole_base(customers)
    if mode == "filter":
        return audience_from_filter(customers, audience_filter)
    if mode == "rfm_group":
        from workbench.analysis.customers.rfm import score_rfm

        if orders is None:
            raise AudienceSelectionError(
                "audience_rfm_group: RFM groups come from orders, and orders_path is empty; give an orders "
                "file, or choose the audience with audience_filter or audience_segments"
            )

        rfm = _counted_rfm(orders, as_of)[0] if _counted(orders) else score_rfm(orders, as_of=as_of or None)
        return audience_from_rfm_group(customers, rfm, audience_rfm_group)
    from workbench.analysis.customers.features import build_customer_features, select_features
    from workbench.analysis.customers.segmentation import segment_customers

    if not segment_features:
        raise AudienceSelectionError(
            "segment_features: give the features to segment on when selecting by "
            "audience_segments (column names, globs or groups such as 'behaviour')"
        )
    if segment_k is not None and (not isinstance(segment_k, (int, np.integer)) or segment_k < 0 or segment_k == 1):
        raise AudienceSelectionError(f"segment_k must be 0 (choose by silhouette) or an integer ≥ 2; got {segment_k!r}")
    if _counted(orders):  # one row per customer from the summaries, as the segmentation report does
        from workbench.analysis.customers.features import order_features_from

        rfm, as_of_ts = _counted_rfm(orders, as_of)
        ids = pd.Index(customers["customer_id"].astype(str).to_numpy(), name="customer_id")
        given = order_features_from(rfm, orders.modes(as_of_ts), ids)
        features = build_customer_features(
            customers, None, sessions, survey, as_of=as_of_ts, wide=wide, order_features=given
        )
    else:
        features = build_customer_features(customers, orders, sessions, survey, as_of=as_of or None, wide=wide)
    result = segment_customers(features, select_features(features, list(segment_features)), k=segment_k or None)
    labels = pd.Series(result.labels.to_numpy(), index=pd.Index(features["customer_id"]), name="segment")
    return audience_from_segments(customers, labels, result.names, audience_segments, traits=result.traits)
