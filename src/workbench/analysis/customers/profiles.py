"""Segment profiles: size, value, behaviour, traits by affinity index, and a generated name.

Affinity index = share of the segment with a trait ÷ share of the whole base with it × 100
(100 = like everyone, 200 = twice as common). Traits are every categorical value, every value of a
``;``-separated column and every 0/1 indicator column of the frame. Indices on tiny bases are noisy,
so a trait only describes a segment when enough of the segment has it (``min_share``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from workbench.analysis.customers.affinity import value_label
from workbench.analysis.customers.labels import feature_words
from workbench.analysis.customers.text import feature_name
from workbench.i18n import N_, _, pgettext
from workbench.report.format import join_list, localize

__all__ = [
    "affinity_index",
    "multi_value_indicators",
    "profile_segments",
    "numeric_segment_names",
    "segment_names",
    "segment_trait_affinity",
    "trait_label",
    "trait_phrase",
]

_ID_COLUMNS = {"customer_id", "order_id", "session_id", "respondent_id", "user_id"}
_MAX_CATEGORIES = 60


def affinity_index(
    segment_share: float | np.ndarray | pd.Series, base_share: float | np.ndarray | pd.Series
) -> float | np.ndarray | pd.Series:
    """Segment share ÷ base share × 100 (NaN where the base share is 0)."""
    base = np.asarray(base_share, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(base > 0, np.asarray(segment_share, dtype=float) / np.where(base > 0, base, 1) * 100, np.nan)
    if isinstance(segment_share, pd.Series):
        return pd.Series(out, index=segment_share.index)
    return out if out.ndim else float(out)


def multi_value_indicators(values: pd.Series, sep: str = ";") -> pd.DataFrame:
    """0/1 frame (index like ``values``, one column per lower-cased value, sorted) of a
    ``sep``-separated text column; missing or empty entries have no value."""
    tokens = values.reset_index(drop=True).astype("string").str.lower().str.split(sep).explode().str.strip()
    valid = (tokens.notna() & (tokens != "")).to_numpy()
    codes, uniques = pd.factorize(tokens[valid], sort=True)
    mat = np.zeros((len(values), len(uniques)), dtype=np.int8)
    mat[tokens.index.to_numpy()[valid], codes] = 1
    return pd.DataFrame(mat, index=values.index, columns=[str(u) for u in uniques])


def _is_binary(s: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(s):
        return True
    if not pd.api.types.is_numeric_dtype(s):
        return False
    values = pd.unique(s.dropna())
    return 0 < len(values) <= 2 and set(np.asarray(values, float)) <= {0.0, 1.0}


def _trait_columns(frame: pd.DataFrame, sep: str) -> dict[str, str]:
    cols = {}
    for c in frame.columns:
        if c in _ID_COLUMNS or c == "segment":
            continue
        s = frame[c]
        if _is_binary(s):
            cols[c] = "binary"
        elif pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue
        else:
            text = s.dropna().astype("string")
            if text.str.contains(sep, regex=False).any():
                cols[c] = "multi"
            elif text.nunique() <= _MAX_CATEGORIES:
                cols[c] = "categorical"
    return cols


def segment_trait_affinity(
    frame: pd.DataFrame, labels: pd.Series, columns: list[str] | None = None, sep: str = ";"
) -> pd.DataFrame:
    """Long table: segment, column, value, trait, segment_share, base_share, affinity, segment_count.

    Shares are taken over all customers of the segment (missing values count as "not having" the trait).
    """
    labels = pd.Series(np.asarray(labels), index=frame.index)
    kinds = _trait_columns(frame if columns is None else frame[columns], sep)
    seg_sizes = labels.value_counts().sort_index()
    n = len(frame)
    parts = []
    for col, kind in kinds.items():
        s = frame[col]
        if kind == "binary":
            ind = pd.DataFrame({"1": s.astype(float).fillna(0.0).to_numpy()}, index=frame.index)
        elif kind == "multi":
            ind = multi_value_indicators(s, sep=sep)
        else:
            ind = pd.get_dummies(s.astype(object), dtype=float)
        ind.columns = [str(v) for v in ind.columns]
        counts = ind.groupby(labels.to_numpy()).sum()
        base = ind.sum() / n
        for value in ind.columns:
            seg_count = counts[value]
            seg_share = seg_count / seg_sizes.reindex(counts.index).to_numpy()
            parts.append(
                pd.DataFrame(
                    {
                        "segment": counts.index.to_numpy(),
                        "column": col,
                        "value": value,
                        "trait": col if kind == "binary" else f"{col}: {value}",
                        "segment_share": seg_share.to_numpy(),
                        "base_share": float(base[value]),
                        "segment_count": seg_count.to_numpy().astype(int),
                    }
                )
            )
    if not parts:
        return pd.DataFrame(
            columns=["segment", "column", "value", "trait", "segment_share", "base_share", "affinity", "segment_count"]
        )
    out = pd.concat(parts, ignore_index=True)
    out["affinity"] = affinity_index(out["segment_share"], out["base_share"])
    return out[["segment", "column", "value", "trait", "segment_share", "base_share", "affinity", "segment_count"]]


def _top_traits(traits: pd.DataFrame, segment, top_n: int, min_share: float, min_affinity: float) -> pd.DataFrame:
    t = traits[
        (traits["segment"] == segment) & (traits["segment_share"] >= min_share) & (traits["affinity"] >= min_affinity)
    ]
    t = t.sort_values(["affinity", "segment_share"], ascending=False)
    return t.drop_duplicates("column").head(top_n)


def profile_segments(
    frame: pd.DataFrame,
    labels: pd.Series,
    traits: pd.DataFrame | None = None,
    *,
    top_n: int = 3,
    min_share: float = 0.2,
    min_affinity: float = 110.0,
    revenue_col: str = "monetary",
    frequency_col: str = "frequency",
    recency_col: str = "recency_days",
) -> pd.DataFrame:
    """One row per segment: size, share_customers, revenue, share_revenue, aov, frequency,
    recency_days, top_traits ("interest_tech ×2.4; age_band: 18-24 ×1.9").

    Revenue, AOV, frequency and recency come from ``revenue_col`` (total spend per customer),
    ``frequency_col`` (orders per customer) and ``recency_col`` when the frame has them; AOV is the
    segment's revenue ÷ its orders (customers without orders count in size, not in AOV).
    """
    labels = pd.Series(np.asarray(labels), index=frame.index)
    if traits is None:
        traits = segment_trait_affinity(frame, labels)
    g = labels.groupby(labels.to_numpy())
    out = pd.DataFrame({"segment": g.size().index.to_numpy(), "size": g.size().to_numpy()})
    out["share_customers"] = out["size"] / len(frame)
    key = labels.to_numpy()
    if revenue_col in frame.columns:
        rev = pd.to_numeric(frame[revenue_col], errors="coerce").fillna(0.0).groupby(key).sum()
        out["revenue"] = rev.reindex(out["segment"]).to_numpy()
        total = rev.sum()
        out["share_revenue"] = out["revenue"] / total if total else np.nan
        if frequency_col in frame.columns:
            orders = pd.to_numeric(frame[frequency_col], errors="coerce").fillna(0).groupby(key).sum()
            orders = orders.reindex(out["segment"]).to_numpy().astype(float)
            out["aov"] = np.where(orders > 0, out["revenue"] / np.where(orders > 0, orders, 1), np.nan)
    if frequency_col in frame.columns:
        out["frequency"] = (
            pd.to_numeric(frame[frequency_col], errors="coerce").groupby(key).mean().reindex(out["segment"]).to_numpy()
        )
    if recency_col in frame.columns:
        out["recency_days"] = (
            pd.to_numeric(frame[recency_col], errors="coerce").groupby(key).mean().reindex(out["segment"]).to_numpy()
        )
    out["top_traits"] = [
        "; ".join(
            f"{trait_label(r.column, r.value)} ×{localize(f'{r.affinity / 100:.1f}')}"
            for r in _top_traits(traits, s, top_n, min_share, min_affinity).itertuples()
        )
        or _("no distinctive trait")
        for s in out["segment"]
    ]
    return out


#: The phrase of interests; several interests of one name share it ("BBQ and gardening enthusiasts").
_ENTHUSIASTS = N_("{v} enthusiasts")
_ENTHUSIASTS_X = "{x} " + "enthusiasts"  # marker: rewritten through _ENTHUSIASTS with the interest as {v}

_PHRASES: list[tuple[str, str]] = [  # (column regex, template); {v} = value, {x} = indicator suffix
    (r"age_band", N_("aged {v}")),
    (r"gender", "{v}"),
    (r"(city_type|urbanicity|area_type)", "{v}"),
    (r"(country|region|city)", N_("in {V}")),
    (r"income_band", N_("{v} income")),
    (r"occupation", "{v}"),
    (r"lifestyle", "{v}"),
    (r"interests?", _ENTHUSIASTS),
    (r"interest_(?P<x>.+)", _ENTHUSIASTS_X),
    (r"main_device", "{v}"),
    (r"device_(?P<x>.+?)(_share)?", "{x}"),
    (r"(acquisition_channel|main_source|source)", N_("come via {v}")),
    (r"(main_channel|order_channel|purchase_place)", N_("buy {v}")),
    (r"(main_category|top_category|category)", N_("into {v}")),
    (r"(price_tier|main_price_tier)", N_("{v} price tier")),
    (r"familiarity", N_("{v} with the brand")),
]
_ORDER = [
    "age_band",
    "gender",
    "city_type",
    "urbanicity",
    "area_type",
    "income_band",
    "occupation",
    "lifestyle",
    "interest",
    "country",
    "region",
    "city",
    "device",
    "main_device",
    "category",
    "price_tier",
    "channel",
    "source",
    "familiarity",
]


def trait_label(column: str, value: str) -> str:
    """A reader's label for one trait row: ("city", "Moscow") -> "city: Moscow",
    ("interest_bbq", "1") -> "interest: BBQ", ("acquisition_channel", "meta_ads") -> "acquisition channel: Meta ads"."""
    m = re.fullmatch(r"(interest|device)_(.+)", str(column))
    if m and str(value) == "1":
        return f"{_column_word(m.group(1))}: {value_label(m.group(1), m.group(2))}"
    if str(value) == "1":
        return str(column).replace("_", " ")
    return f"{_column_word(column)}: {value_label(column, value)}"


def _column_word(column: str) -> str:
    """The name of a customer column inside a trait label, in the current language (a column of the
    user's own table keeps its name)."""
    words = {
        "interest": pgettext("trait", "interest"),
        "interests": pgettext("trait", "interests"),
        "device": pgettext("trait", "device"),
    }
    return words.get(str(column)) or feature_name(str(column))


def trait_phrase(column: str, value: str) -> str:
    """Words for one trait, e.g. ("interest_tech", "1") -> "tech enthusiasts", ("age_band", "18-24") -> "aged 18-24"."""
    for pattern, template in _PHRASES:
        m = re.fullmatch(pattern, column)
        if m:
            x = value_label(column, m.groupdict().get("x") or "")
            v = value_label(column, value)
            v = v if v != str(value).replace("_", " ") else v.lower()
            if template == _ENTHUSIASTS_X:
                return _(_ENTHUSIASTS).format(v=x)
            return (_(template) if "{" in template and template != "{v}" and template != "{x}" else template).format(
                v=v, V=str(value), x=x
            )
    return f"{column.replace('_', ' ')}" if value == "1" else f"{column.replace('_', ' ')} {value}".lower()


def _family(column: str) -> str:
    if column in ("country", "region", "city", "city_type", "urbanicity", "area_type"):
        return "geo"
    if column.startswith("interest"):
        return "interest"
    if column.startswith("device") or column == "main_device":
        return "device"
    return column


def _order_key(column: str) -> int:
    for i, stem in enumerate(_ORDER):
        if stem in column:
            return i
    return len(_ORDER)


def _merge_enthusiasts(traits: list[tuple[str, str]]) -> list[str]:
    """Phrases of (column, value) traits, interests next to each other merged into one phrase:
    ["BBQ enthusiasts", "gardening enthusiasts"] -> ["BBQ and gardening enthusiasts"] (reads as one trait)."""
    out: list[str] = []
    run: list[str] = []  # interests waiting to be joined
    for column, value in traits:
        m = re.fullmatch(r"interest_(.+)", column)
        if m:
            run.append(value_label(column, m.group(1)))
            continue
        if run:
            out.append(_(_ENTHUSIASTS).format(v=join_list(run)))
            run = []
        out.append(trait_phrase(column, value))
    if run:
        out.append(_(_ENTHUSIASTS).format(v=join_list(run)))
    return out


def segment_names(
    frame: pd.DataFrame,
    labels: pd.Series,
    traits: pd.DataFrame | None = None,
    *,
    n_traits: int = 3,
    min_share: float = 0.3,
    min_affinity: float = 120.0,
    frequency_col: str = "frequency",
    revenue_col: str = "monetary",
    recency_col: str = "recency_days",
) -> dict:
    """Descriptive name per segment from its strongest traits plus its buying behaviour,
    e.g. "Aged 18-24, urban, tech enthusiasts, mobile, frequent buyers". Names are unique."""
    labels = pd.Series(np.asarray(labels), index=frame.index)
    if traits is None:
        traits = segment_trait_affinity(frame, labels)
    key = labels.to_numpy()

    def ratio(col: str) -> pd.Series | None:
        if col not in frame.columns:
            return None
        x = pd.to_numeric(frame[col], errors="coerce")
        base = x.mean()
        return x.groupby(key).mean() / base if base and base == base else None

    freq, spend, rec = ratio(frequency_col), ratio(revenue_col), ratio(recency_col)
    names: dict = {}
    for seg in sorted(labels.unique()):
        cand = _top_traits(traits, seg, 50, min_share, min_affinity)
        picked, used = [], {}
        for r in cand.itertuples():
            fam = _family(r.column)
            if used.get(fam, 0) >= (2 if fam == "interest" else 1):
                continue
            used[fam] = used.get(fam, 0) + 1
            picked.append(r)
            if len(picked) == n_traits:
                break
        cols = sorted(picked, key=lambda r: _order_key(r.column))
        words = _merge_enthusiasts([(r.column, r.value) for r in cols])
        behaviour = []
        if freq is not None:
            f = freq.get(seg, 1.0)
            behaviour.append(_("frequent buyers") if f >= 1.3 else _("occasional buyers") if f <= 0.75 else "")
        if spend is not None:
            m = spend.get(seg, 1.0)
            behaviour.append(_("high spenders") if m >= 1.4 else _("low spenders") if m <= 0.6 else "")
        if rec is not None and rec.get(seg, 1.0) >= 1.5:
            behaviour.append(_("lapsing"))
        words += [b for b in behaviour if b]
        name = ", ".join(words) if words else _("Average customers")
        name = name[0].upper() + name[1:]
        names[seg] = name
    seen: dict[str, int] = {}
    for name in names.values():
        seen[name] = seen.get(name, 0) + 1
    for seg, name in list(names.items()):
        if seen[name] > 1:
            names[seg] = _("{name} (segment {segment})").format(name=name, segment=seg)
    return {int(k) if isinstance(k, (np.integer, int)) else k: v for k, v in names.items()}


def numeric_segment_names(frame: pd.DataFrame, labels: pd.Series, features: list[str], top: int = 3) -> dict:
    """Names from the numeric features a segmentation was formed on, e.g. "High annual income k, low
    spending score": each feature's segment mean against all customers in standard deviations
    (|z| ≥ 0.5 is "high"/"low"; the strongest `top` are named). For segments formed on numbers
    alone, where trait names would describe columns the clustering never saw."""
    labels = pd.Series(np.asarray(labels), index=frame.index)
    values = frame[list(features)].apply(pd.to_numeric, errors="coerce")
    z = (values.groupby(labels.to_numpy()).mean() - values.mean()) / values.std(ddof=0).replace(0, np.nan)
    names: dict = {}
    for seg, row in z.iterrows():
        strong = row.dropna()[row.dropna().abs() >= 0.5]
        strong = strong.reindex(strong.abs().sort_values(ascending=False).index).head(top)
        words = [
            (_("high {feature}") if v > 0 else _("low {feature}")).format(feature=feature_words(str(c)))
            for c, v in strong.items()
        ]
        text = ", ".join(words) if words else _("close to average on every feature")
        names[int(seg) if isinstance(seg, (np.integer, int)) else seg] = text[0].upper() + text[1:]
    counts = pd.Series(list(names.values())).value_counts()
    return {
        seg: _("{name} (segment {segment})").format(name=n, segment=seg) if counts[n] > 1 else n
        for seg, n in names.items()
    }
