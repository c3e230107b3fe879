"""Data access: every report reads its inputs through `load`, which validates them against the
dataset's contract (workbench.data.contracts) and returns a typed DataFrame.

    from workbench.data import load, load_optional
    orders = load("orders", "data/sample/orders.csv")
    social = load_optional("social", params_social_path)   # None when the path is ""
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.config import resolve
from workbench.data.contracts import CONTRACTS, DATASETS, REFERENCES, Contract, get_contract
from workbench.data.readers import Source, normalise_name, read_any
from workbench.data.validate import MAX_EXAMPLES, validate_frame
from workbench.errors import DataValidationError

__all__ = ["CONTRACTS", "DATASETS", "REFERENCES", "Contract", "check_references", "get_contract", "load",
           "load_optional", "normalise_name", "site_pages", "validate_frame"]


def _existing_file(dataset: str, path: str | os.PathLike[str]) -> Path:
    p = resolve(path)
    if not p.exists():
        raise DataValidationError(f"{dataset}: file not found: {p} (given as {str(path)!r})")
    if p.is_dir():
        raise DataValidationError(f"{dataset}: expected a file but {p} is a folder")
    return p


def load(dataset: str, path: str | os.PathLike[str], *, rename: dict[str, str] | None = None,
         drop_invalid: bool = False, currency: str | None = None) -> pd.DataFrame:
    """Read `path` (CSV, Parquet or XLSX; relative paths from the project root) as `dataset`.

    Returns a validated, typed frame: dates datetime64, counts int, money float, flags bool,
    `;`-lists as strings. `rename` maps the file's column names (normalised first) to contract
    names. Bad rows raise DataValidationError naming file, column, line numbers and values; with
    drop_invalid=True they are dropped and listed in `df.attrs["dropped"]` (rule, rows, examples).
    """
    get_contract(dataset)
    p = _existing_file(dataset, path)
    raw, src = read_any(p)
    return validate_frame(dataset, raw, src, rename=rename, drop_invalid=drop_invalid, currency=currency)


def load_optional(dataset: str, path: str | os.PathLike[str] | None, **kw) -> pd.DataFrame | None:
    """Like `load`, but None when no path is given ("" or None): for optional report inputs.
    A path that is given but does not exist is still an error."""
    if path is None or str(path).strip() == "":
        return None
    return load(dataset, path, **kw)


def _lines(df: pd.DataFrame, positions: np.ndarray) -> tuple[str, np.ndarray]:
    info = df.attrs.get("lines")
    positions = np.asarray(positions, dtype=np.int64)
    if isinstance(df.index, pd.RangeIndex) and isinstance(info, dict):
        if "offset" in info:
            return info["word"], positions + int(info["offset"])
        if "lines" in info and len(info["lines"]) == len(df):
            return info["word"], np.asarray(info["lines"], dtype=np.int64)[positions]
    return "row", positions + 1


def check_references(child: pd.DataFrame, parent: pd.DataFrame, *, child_dataset: str | None = None,
                     parent_dataset: str | None = None, drop_invalid: bool = False) -> pd.DataFrame:
    """Check that every key `child` points at exists in `parent` (e.g. orders → customers).

    Datasets are taken from the frames' attrs (set by `load`) unless given. Returns `child`
    (without the orphan rows, listed in attrs["dropped"], when drop_invalid=True); raises
    DataValidationError naming the file, column, count and example lines otherwise.
    """
    cname = child_dataset or child.attrs.get("dataset")
    pname = parent_dataset or parent.attrs.get("dataset")
    refs = [r for r in REFERENCES if r.child == cname and r.parent == pname]
    if not refs:
        known = ", ".join(f"{r.child}→{r.parent}" for r in REFERENCES)
        raise ValueError(f"no reference from {cname!r} to {pname!r}; known references: {known}")
    out = child
    for ref in refs:
        if ref.column not in out.columns:
            continue
        if ref.parent_column not in parent.columns:
            raise DataValidationError(f"{parent.attrs.get('source', pname)}: column '{ref.parent_column}' is missing")
        keys = out[ref.column]
        orphan = (keys.notna() & ~keys.isin(parent[ref.parent_column].dropna().unique())).to_numpy()
        if not orphan.any():
            continue
        pos = np.flatnonzero(orphan)
        word, lines = _lines(out, pos[:MAX_EXAMPLES])
        examples = [f"{word} {ln}: {keys.iloc[p]!r}" for ln, p in zip(lines, pos[:MAX_EXAMPLES])]
        rule = f"{ref.column} not found in {pname}.{ref.parent_column}"
        fname = out.attrs.get("source", cname)
        if not drop_invalid:
            raise DataValidationError(
                f"{fname} ({cname}): column '{ref.column}': {len(pos)} row{'s' if len(pos) != 1 else ''} with "
                f"{rule} ({parent.attrs.get('source', pname)}). Examples: " + "; ".join(examples))
        record = {"rule": rule, "column": ref.column, "rows": int(len(pos)),
                  "examples": [{word: int(ln), "value": str(keys.iloc[p])} for ln, p in zip(lines, pos[:MAX_EXAMPLES])]}
        attrs = dict(out.attrs)
        out = out.loc[~orphan].reset_index(drop=True)
        attrs["dropped"] = list(attrs.get("dropped", [])) + [record]
        if isinstance(attrs.get("lines"), dict):
            attrs["lines"] = {"word": word, "lines": [int(x) for x in _lines(child if out is child else out,
                                                                             np.flatnonzero(~orphan))[1]]}
        out.attrs.update(attrs)
    return out


def site_pages(folder: str | os.PathLike[str]) -> dict[str, list[Path]]:
    """Saved HTML pages per domain: {domain: [paths]} from `<folder>/<domain>/*.html`."""
    root = resolve(folder)
    if not root.is_dir():
        raise DataValidationError(f"site_pages: folder not found: {root} (given as {str(folder)!r})")
    pages = {d.name: sorted(p for p in d.rglob("*") if p.suffix.lower() in (".html", ".htm"))
             for d in sorted(root.iterdir()) if d.is_dir()}
    pages = {k: v for k, v in pages.items() if v}
    if not pages:
        raise DataValidationError(f"site_pages: {root} holds no <domain>/*.html pages")
    return pages
