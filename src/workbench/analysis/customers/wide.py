"""Wide customer tables: CRM and loyalty exports with one row per customer and counts or spend in columns.

Such exports (iFood's ``MntWines`` … ``NumStorePurchases`` … ``AcceptedCmp1``) carry the behaviour a
portrait or a segmentation needs without an orders file. A params mapping names what each group of
columns means; the reports then read them like the order-based sections:

    customer_columns:
      spend_by_category: "Mnt*"                       # a glob, a list of names/globs, or {column: label}
      purchases_by_place: ["NumWebPurchases", "NumCatalogPurchases", "NumStorePurchases"]
      visits: "NumWebVisitsMonth"
      campaign_responses: ["AcceptedCmp*", "Response"]

Column names are matched after the loader's normalisation (lower case), case-insensitively. A value's
label is what a glob's ``*`` matched (``MntWines`` under ``Mnt*`` reads "wines"; ``NumWebPurchases``
under ``Num*Purchases`` "web") when that is a word, else the column name; a mapping sets labels.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.data.readers import normalise_name
from workbench.errors import ParamsError

__all__ = ["WIDE_MEANINGS", "WideColumns", "WideColumnsError", "resolve_wide_columns", "wide_features"]

#: meaning -> what a reader is told
WIDE_MEANINGS: dict[str, str] = {
    "spend_by_category": "spend by category",
    "spend_by_brand": "spend by brand",
    "purchases_by_place": "purchases by place",
    "visits": "visits",
    "campaign_responses": "campaign responses",
}


class WideColumnsError(ParamsError, ValueError):
    """A `customer_columns` entry names no column, an unknown meaning, or a column that is not a number."""


@dataclass(frozen=True)
class WideColumns:
    """Resolved groups: meaning -> {column: label}, in the order the params gave them."""

    groups: dict[str, dict[str, str]]

    def __bool__(self) -> bool:
        return any(self.groups.values())

    def get(self, meaning: str) -> dict[str, str]:
        return self.groups.get(meaning, {})

    @property
    def columns(self) -> list[str]:
        return [c for cols in self.groups.values() for c in cols]


def _label(column: str, pattern: str) -> str:
    """What the ``*`` of a glob matched, when that is a word; else the column itself."""
    if "*" in pattern and "?" not in pattern and "[" not in pattern:
        regex = "^" + "(.*)".join(re.escape(p) for p in pattern.split("*")) + "$"
        m = re.match(regex, column)
        if m:
            word = " ".join(g for g in m.groups() if g).replace("_", " ").strip()
            if len(re.sub(r"[^a-z]", "", word)) >= 2:
                return word
    return column.replace("_", " ")


def _items(meaning: str, spec: object, param: str) -> list[tuple[str, str | None]]:
    """(pattern, explicit label or None) pairs from a glob string, a list, or a {column: label} mapping."""
    if isinstance(spec, str):
        return [(spec, None)]
    if isinstance(spec, Mapping):
        return [(str(k), str(v)) for k, v in spec.items()]
    if isinstance(spec, (list, tuple)) and spec and all(isinstance(s, str) for s in spec):
        return [(s, None) for s in spec]
    raise WideColumnsError(
        f"{param}[{meaning!r}]: give a column name or glob, a list of them, or a mapping column -> label; got {spec!r}"
    )


def resolve_wide_columns(
    frame: pd.DataFrame, spec: Mapping[str, object] | None, param: str = "customer_columns"
) -> WideColumns:
    """Match a params mapping of meanings to columns of a customer table (see the module docstring).

    Every pattern must match at least one numeric column; errors name the params key, the pattern,
    the closest column names and the meanings allowed."""
    if not spec:
        return WideColumns({})
    if not isinstance(spec, Mapping):
        raise WideColumnsError(f"{param} must be a mapping meaning -> columns; got {type(spec).__name__} {spec!r}")
    columns = [c for c in frame.columns if c != "customer_id"]
    groups: dict[str, dict[str, str]] = {}
    for meaning, value in spec.items():
        if meaning not in WIDE_MEANINGS:
            close = difflib.get_close_matches(str(meaning), list(WIDE_MEANINGS), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise WideColumnsError(
                f"{param}: unknown meaning {meaning!r}; meanings are {', '.join(WIDE_MEANINGS)}.{hint}"
            )
        found: dict[str, str] = {}
        for pattern, label in _items(meaning, value, param):
            key = normalise_name(pattern) if not any(ch in pattern for ch in "*?[") else pattern.strip().lower()
            hits = [c for c in columns if fnmatch.fnmatchcase(c.lower(), key)]
            if not hits:
                close = difflib.get_close_matches(key, [c.lower() for c in columns], n=3, cutoff=0.5)
                hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
                raise WideColumnsError(
                    f"{param}[{meaning!r}]: {pattern!r} matches no column of the customers file.{hint} "
                    f"Columns are: {', '.join(columns)}"
                )
            for col in hits:
                if not pd.api.types.is_numeric_dtype(frame[col]) and not pd.api.types.is_bool_dtype(frame[col]):
                    raise WideColumnsError(
                        f"{param}[{meaning!r}]: column {col!r} holds text ({frame[col].dropna().iloc[:1].tolist()}); "
                        "expected counts, amounts or 0/1 flags"
                    )
                found.setdefault(col, label or _label(col, key))
        groups[meaning] = found
    return WideColumns(groups)


def _numbers(frame: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    return frame[cols].apply(pd.to_numeric, errors="coerce").astype(float)


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", str(text).lower()).strip("_")


def _main(values: pd.DataFrame, labels: dict[str, str]) -> np.ndarray:
    """The label of each row's largest column (missing where the row sums to 0)."""
    arr = values.fillna(0.0).to_numpy()
    names = np.array([labels[c] for c in values.columns], dtype=object)
    out = names[arr.argmax(axis=1)] if arr.shape[1] else np.full(len(values), None, dtype=object)
    return np.where(arr.sum(axis=1) > 0, out, None)


def wide_features(frame: pd.DataFrame, wide: WideColumns) -> pd.DataFrame:
    """Per customer, from the wide columns: totals, shares of spend and purchases, the main category
    and place, visits and campaigns accepted. Indexed like `frame`.

    Shares rather than amounts for clustering: two customers who split their spend alike belong
    together whatever their budget (the total is its own feature)."""
    out = pd.DataFrame(index=frame.index)
    for meaning, prefix, total_name, main in (
        ("spend_by_category", "spend_share", "spend_total", "main_spend_category"),
        ("spend_by_brand", "brand_share", "brand_spend_total", "main_brand"),
        ("purchases_by_place", "place_share", "purchases_total", "main_place"),
    ):
        cols = wide.get(meaning)
        if not cols:
            continue
        values = _numbers(frame, list(cols))
        total = values.sum(axis=1, min_count=1)
        out[total_name] = total
        with np.errstate(divide="ignore", invalid="ignore"):
            for col, label in cols.items():
                out[f"{prefix}_{_slug(label)}"] = np.where(total > 0, values[col] / total, np.nan)
        out[main] = _main(values, cols)
    if cols := wide.get("visits"):
        out["visits"] = _numbers(frame, list(cols)).sum(axis=1, min_count=1)
    if cols := wide.get("campaign_responses"):
        accepted = _numbers(frame, list(cols)).fillna(0.0)
        out["campaigns_accepted"] = accepted.gt(0).sum(axis=1).astype(int)
    return out
