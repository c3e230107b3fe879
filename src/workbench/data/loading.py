"""Loading inputs: `load` reads a file (recognising platform exports), validates it against the
dataset's contract and returns a typed DataFrame; report-wide options and the drop log live here.
Import it through `workbench.data` (see its docstring)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.config import resolve
from workbench.data import frame_cache
from workbench.data.contracts import (
    CONTRACTS,
    DATASETS,
    PRESET_KEY,
    REFERENCES,
    Contract,
    get_contract,
    rename_for,
)
from workbench.data.dropped import DROPPED_COLUMNS, dropped_summary, dropped_table, dropped_text
from workbench.data.presets import PRESETS, Preset, get_preset
from workbench.data.readers import normalise_name, read_any
from workbench.data.validate import MAX_EXAMPLES, validate_frame
from workbench.engine_url import is_engine_source
from workbench.errors import DataValidationError
from workbench.i18n import N_

__all__ = [
    "CONTRACTS",
    "DATASETS",
    "PRESETS",
    "REFERENCES",
    "Contract",
    "check_references",
    "DROPPED_COLUMNS",
    "dropped_summary",
    "dropped_table",
    "dropped_text",
    "get_contract",
    "load",
    "load_optional",
    "loads_with_drops",
    "set_load_options",
    "normalise_name",
    "site_pages",
    "validate_frame",
]


def _existing_file(dataset: str, path: str | os.PathLike[str]) -> Path:
    if str(path).strip() == "":
        raise DataValidationError(
            f"{dataset}: no file given (the path is empty); give a {dataset} file, or leave the input out "
            f"where the report allows it"
        )
    p = resolve(path)
    if not p.exists():
        raise DataValidationError(f"{dataset}: file not found: {str(path)!r} (looked at {p})")
    if p.is_dir():
        raise DataValidationError(f"{dataset}: expected a file but {str(path)!r} is a folder ({p})")
    return p


def _preset_choice(dataset: str, rename: dict | None, preset: str | None) -> tuple[dict | None, Preset | None, bool]:
    """(rename without `_preset`, forced preset, detect?) from load's argument and the rename map's
    reserved `_preset` key ("auto" detects, "none" turns presets off)."""
    if rename and PRESET_KEY in rename:
        rename = dict(rename)
        chosen = rename.pop(PRESET_KEY)
        preset = preset or (None if chosen is None else str(chosen))
    if preset in (None, "", "auto"):
        return rename or None, None, True
    if preset == "none":
        return rename or None, None, False
    found = get_preset(preset)
    if found.dataset != dataset:
        raise ValueError(f"preset {preset!r} reads {found.dataset} files, not {dataset}")
    return rename or None, found, True


_options: dict = {"rename": None, "drop_invalid": False}
_dropped_log: list[pd.DataFrame] = []


def set_load_options(rename: dict | None = None, drop_invalid: bool = False) -> None:
    """Report-wide defaults for every later `load` that does not pass its own, set once from a
    notebook's params (`column_renames`, `drop_invalid_rows`): one params key then covers every
    input of the report, however the notebook reaches its loads. Also starts a fresh drop log."""
    if rename is not None and not isinstance(rename, dict):
        raise ValueError(
            f"column_renames must be a mapping of file column -> contract column (or of dataset -> "
            f"such a mapping); got {type(rename).__name__} {rename!r}"
        )
    if not isinstance(drop_invalid, bool):
        raise ValueError(f"drop_invalid_rows must be true or false; got {drop_invalid!r}")
    _options.update(rename=rename or None, drop_invalid=drop_invalid)
    _dropped_log.clear()


def loads_with_drops() -> list[pd.DataFrame]:
    """One empty frame per `load` that dropped rows since `set_load_options`, carrying that load's
    attrs: pass them to `dropped_summary` / `dropped_text` for the report's data-quality note."""
    return list(_dropped_log)


def _log_drops(df: pd.DataFrame) -> None:
    """Record (or update, after a reference check dropped more) the drops of one loaded file."""
    if df.attrs.get("dropped"):
        attrs = df.attrs
        log_drops(attrs.get("source"), attrs.get("dataset"), attrs["dropped"], attrs.get("rows_read"), len(df))


def log_drops(
    source: str | None, dataset: str | None, dropped: list[dict], rows_read: int | None, rows_kept: int
) -> None:
    """Record the drops of one input (a file, or a table checked on its engine, whose rows never reach
    the kernel) for the report's data-quality note; a later entry for the same input replaces it."""
    if not dropped:
        return
    marker = pd.DataFrame()
    marker.attrs = {"source": source, "dataset": dataset, "dropped": dropped, "rows_read": rows_read}
    marker.attrs["rows_kept"] = rows_kept
    for i, old in enumerate(_dropped_log):
        if (old.attrs.get("source"), old.attrs.get("dataset")) == (source, dataset):
            _dropped_log[i] = marker
            return
    _dropped_log.append(marker)


def load(
    dataset: str,
    path: str | os.PathLike[str],
    *,
    rename: dict[str, str] | None = None,
    drop_invalid: bool | None = None,
    currency: str | None = None,
    preset: str | None = None,
) -> pd.DataFrame:
    """Read `path` (CSV, Parquet or XLSX; relative paths from the project root) as `dataset`.

    Platform exports (Google Ads, Yandex Direct, Metrica, GA4, Semrush, Mailchimp… see
    docs/data-sources.md) are recognised from their header and read as downloaded; `preset` (or
    `_preset` in the rename map) forces one by name, "none" turns recognition off.

    Returns a validated, typed frame: dates datetime64, counts int, money float, flags bool,
    `;`-lists as strings. `rename` maps the file's column names (normalised first) to contract
    names; it may also be keyed by dataset ({"ad_stats": {"Impr.": "impressions"}, ...}), so a
    notebook can pass one params dict to every load. Bad rows raise DataValidationError naming file,
    column, line numbers and values; with drop_invalid=True they are dropped and listed in
    `df.attrs["dropped"]` (rule, rows, examples) — show them with `dropped_summary`/`dropped_text`.
    """
    if not get_contract(dataset).file_based:
        raise ValueError(
            f"{dataset} is a folder of saved HTML pages (<folder>/<domain>/*.html), not a table: "
            f"read it with workbench.data.site_pages(folder)"
        )
    rename = rename_for(dataset, _options["rename"] if rename is None else rename)
    rename, forced, detect = _preset_choice(dataset, rename, preset)
    drop_invalid = _options["drop_invalid"] if drop_invalid is None else drop_invalid
    if is_engine_source(str(path)):  # a warehouse table: read through Ibis, validated like a file
        from workbench.data.engines import read_table

        raw, src = read_table(dataset, str(path), rename)
        frame = validate_frame(dataset, raw, src, rename=rename, drop_invalid=drop_invalid, currency=currency)
        _log_drops(frame)
        return frame
    p = _existing_file(dataset, path)
    folder = frame_cache.cache_dir()
    if folder is not None:  # inside `workbench build`: another report may have loaded this file already
        options = {
            "rename": rename,
            "preset": forced.name if forced else None,
            "detect": detect,
            "drop_invalid": drop_invalid,
            "currency": currency,
            "display": as_written(path),
        }
        key = frame_cache.frame_key(dataset, p, options)
        cached = frame_cache.get(folder, key)
        if cached is not None:
            _log_drops(cached)
            return cached
    try:
        raw, src = read_any(p, preset=forced, dataset=dataset, detect=detect, display=as_written(path))
        frame = validate_frame(dataset, raw, src, rename=rename, drop_invalid=drop_invalid, currency=currency)
    except DataValidationError as exc:
        other = _other_export(p, dataset) if detect and forced is None else None
        if other is None:
            raise
        raise DataValidationError(
            f"{as_written(path)}: this looks like a {other.platform} export ({other.export}), which holds "
            f"{other.dataset}, not {dataset}: check which params key it was given to. ({exc})"
        ) from None
    frame.attrs["preset"] = src.preset.name if src.preset else ""
    if folder is not None:
        frame_cache.put(folder, key, frame)
    _log_drops(frame)
    return frame


def as_written(path: str | os.PathLike[str]) -> str:
    """The path as a params file holds it: relative to the project root when it lies inside it
    (notebooks pass `resolve(key)`, absolute), else as given."""
    from workbench.config import project_root

    p = Path(path)
    if p.is_absolute():
        try:
            return p.relative_to(project_root()).as_posix()
        except ValueError:
            return str(path)
    return str(path)


def _other_export(path: Path, dataset: str) -> Preset | None:
    """The preset of another dataset that `path` matches (a file given to the wrong input)."""
    try:
        _, src = read_any(path, detect=True)
    except DataValidationError:
        return None
    return src.preset if src.preset is not None and src.preset.dataset != dataset else None


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


def check_references(
    child: pd.DataFrame,
    parent: pd.DataFrame,
    *,
    child_dataset: str | None = None,
    parent_dataset: str | None = None,
    drop_invalid: bool | None = None,
) -> pd.DataFrame:
    """Check that every key `child` points at exists in `parent` (e.g. orders → customers).

    Datasets are taken from the frames' attrs (set by `load`) unless given. Returns `child`
    (without the orphan rows, listed in attrs["dropped"], when drop_invalid=True); raises
    DataValidationError naming the file, column, count and example lines otherwise. drop_invalid
    defaults to the report-wide `drop_invalid_rows` (set_load_options), and rows dropped here join
    the file's entry in `loads_with_drops()`, so the data-quality summary lists them.
    """
    if drop_invalid is None:
        drop_invalid = bool(_options["drop_invalid"])
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
        examples = [f"{word} {ln}: {keys.iloc[p]!r}" for ln, p in zip(lines, pos[:MAX_EXAMPLES], strict=False)]
        target = pname if ref.parent_column == ref.column else f"{pname}.{ref.parent_column}"
        message, args = N_("{column} not found in {target}"), {"column": ref.column, "target": target}
        fname = out.attrs.get("source", cname)
        if not drop_invalid:
            parent_col = "" if ref.parent_column == ref.column else f", column {ref.parent_column}"
            raise DataValidationError(
                f"{fname} ({cname}): column '{ref.column}': {len(pos)} row{'s' if len(pos) != 1 else ''} where the "
                f"{ref.column} is not in {pname} ({parent.attrs.get('source', pname)}{parent_col}). Examples: "
                + "; ".join(examples)
            )
        record = {
            "rule": message.format(**args),
            "message": message,
            "args": args,
            "column": ref.column,
            "rows": int(len(pos)),
            "examples": [
                {word: int(ln), "value": repr(str(keys.iloc[p]))}
                for ln, p in zip(lines, pos[:MAX_EXAMPLES], strict=False)
            ],
        }
        before = out
        attrs = dict(before.attrs)
        out = before.loc[~orphan].reset_index(drop=True)
        attrs["dropped"] = list(attrs.get("dropped", [])) + [record]
        if isinstance(attrs.get("lines"), dict):  # file lines of the rows kept, for later messages
            kept_word, kept_lines = _lines(before, np.flatnonzero(~orphan))
            attrs["lines"] = {"word": kept_word, "lines": [int(x) for x in kept_lines]}
        out.attrs.clear()
        out.attrs.update(attrs)
        _log_drops(out)
    return out


def site_pages(folder: str | os.PathLike[str]) -> dict[str, list[Path]]:
    """Saved HTML pages per domain: {domain: [paths]} from `<folder>/<domain>/*.html`."""
    root = resolve(folder)
    if not root.is_dir():
        raise DataValidationError(f"site_pages: folder not found: {root} (given as {str(folder)!r})")
    pages = {
        d.name: sorted(p for p in d.rglob("*") if p.suffix.lower() in (".html", ".htm"))
        for d in sorted(root.iterdir())
        if d.is_dir()
    }
    pages = {k: v for k, v in pages.items() if v}
    if not pages:
        raise DataValidationError(f"site_pages: {root} holds no <domain>/*.html pages")
    return pages
