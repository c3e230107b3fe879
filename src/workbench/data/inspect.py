"""What a file is, before any report runs: encoding, delimiter, skipped lines, the platform preset
and the contract it matches, the column mapping, rows and date range (`workbench inspect`)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from workbench.config import resolve
from workbench.data.contracts import CONTRACTS, PRESET_KEY
from workbench.data.readers import normalise_name, read_any
from workbench.data.validate import rename_guesses, validate_frame
from workbench.errors import DataValidationError, WorkbenchError

MAX_CAMPAIGNS = 50


@dataclass
class Inspection:
    """What `inspect_file` learnt; `dataset` is None when no contract matches."""

    path: str  # as given
    fmt: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    lines_skipped: int = 0
    summary_rows: int = 0
    preset: str = ""
    dataset: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)  # file column -> contract column
    renames: dict[str, str] = field(default_factory=dict)  # suggested renames (no preset)
    rows: int = 0
    date_column: str = ""
    date_range: tuple[str, str] | None = None
    campaigns: list[str] = field(default_factory=list)
    currencies: list[str] = field(default_factory=list)
    problem: str = ""

    @property
    def column_renames(self) -> dict[str, str]:
        """This file's entry of a params `column_renames` map (preset and suggested renames)."""
        out = dict(self.renames)
        if self.preset:
            out[PRESET_KEY] = self.preset
        return out


def guess_dataset(columns: list[str]) -> tuple[str | None, dict[str, str]]:
    """The contract whose required columns the file has (or has after the suggested renames), with
    the most columns in common; (None, {}) when none fits."""
    names = [normalise_name(c) for c in columns]
    best: tuple[int, str | None, dict[str, str]] = (0, None, {})
    for contract in CONTRACTS.values():
        if not contract.file_based:
            continue
        renames = rename_guesses(contract, names)
        have = set(names) - set(renames) | set(renames.values())
        groups = contract.required_groups or (contract.required,)
        if not any(all(c in have for c in g) for g in groups):
            continue
        score = sum(contract.column(c) is not None for c in have) * 2 - len(renames)
        if score > best[0]:
            best = (score, contract.name, renames)
    return best[1], best[2]


_DATE_COLUMNS = ("date", "started_at", "order_date", "sent_at", "touched_at", "signup_date", "exposed_at")


def inspect_file(path: str | os.PathLike[str], dataset: str | None = None) -> Inspection:
    """Read `path` as a report would and say what it is; problems are reported, not raised."""
    out = Inspection(str(path))
    p = resolve(path)
    if not p.is_file():
        out.problem = f"file not found: {str(path)!r}" if not p.exists() else f"{str(path)!r} is a folder"
        return out
    try:
        raw, src = read_any(p, dataset=dataset)
    except WorkbenchError as exc:
        out.problem = str(exc)
        return out
    src.display = str(path)
    out.fmt, out.encoding, out.delimiter = src.fmt, src.encoding, src.delimiter
    out.lines_skipped, out.summary_rows = src.lines_skipped, src.summary_rows
    if src.preset is not None:
        out.preset, out.dataset, out.mapping = src.preset.name, src.preset.dataset, dict(src.mapping)
    else:
        out.dataset, out.renames = (dataset, {}) if dataset else guess_dataset([str(c) for c in raw.columns])
        if dataset:
            out.renames = rename_guesses(CONTRACTS[dataset], [normalise_name(c) for c in raw.columns])
        if out.dataset:
            out.mapping = {str(c): out.renames.get(normalise_name(c), normalise_name(c)) for c in raw.columns}
            out.mapping = {k: v for k, v in out.mapping.items() if CONTRACTS[out.dataset].column(v) is not None}
    if out.dataset is None:
        out.rows = len(raw)
        out.problem = "no data contract matches these columns: " + ", ".join(map(str, raw.columns))
        return out
    try:
        df = validate_frame(out.dataset, raw, src, rename=out.renames or None)
    except DataValidationError as exc:
        out.rows, out.problem = len(raw), str(exc)
        return out
    _describe(out, df)
    return out


def _describe(out: Inspection, df: pd.DataFrame) -> None:
    out.rows = len(df)
    col = next((c for c in _DATE_COLUMNS if c in df.columns and df[c].notna().any()), "")
    if col:
        out.date_column = col
        out.date_range = (str(df[col].min().date()), str(df[col].max().date()))
    if "campaign" in df.columns:
        out.campaigns = sorted(df["campaign"].dropna().astype(str).unique().tolist())[:MAX_CAMPAIGNS]
    if "currency" in df.columns:
        out.currencies = sorted(df["currency"].dropna().astype(str).str.strip().str.upper().unique().tolist())


def describe_text(ins: Inspection, feeds: list[str] | None = None) -> str:
    """The block `workbench inspect` prints for one file."""
    lines = [ins.path]
    if ins.fmt:
        enc = f"{ins.fmt}, encoding {ins.encoding}" if ins.encoding else ins.fmt
        delim = {",": "comma", ";": "semicolon", "\t": "tab"}.get(ins.delimiter or "", "")
        lines.append(f"  format:      {enc}" + (f", delimiter {delim}" if delim else ""))
        lines.append(f"  skipped:     {ins.lines_skipped} line(s) above the header, {ins.summary_rows} totals row(s)")
    lines.append(f"  preset:      {ins.preset or '(none: columns read by their names)'}")
    lines.append(f"  contract:    {ins.dataset or '(none matches)'}")
    if ins.mapping:
        lines.append("  columns:     " + "; ".join(f"{k} → {v}" for k, v in ins.mapping.items()))
    if ins.renames:
        lines.append("  renames:     " + "; ".join(f"{k} → {v}" for k, v in ins.renames.items()) + " (suggested)")
    lines.append(f"  rows:        {ins.rows:,}")
    if ins.date_range:
        lines.append(f"  dates:       {ins.date_range[0]} … {ins.date_range[1]} ({ins.date_column})")
    if ins.campaigns:
        lines.append(f"  campaigns:   {', '.join(ins.campaigns[:10])}" + (" …" if len(ins.campaigns) > 10 else ""))
    if feeds is not None:
        lines.append("  feeds:       " + ("; ".join(feeds) if feeds else "(no report takes this dataset)"))
    if ins.problem:
        lines.append(f"  problem:     {ins.problem}")
    return "\n".join(lines)


def relative_path(path: str | os.PathLike[str]) -> str:
    """The path as a params file should hold it: relative to the project root where inside it."""
    from workbench.config import project_root

    p = resolve(path)
    try:
        return Path(os.path.relpath(p, project_root())).as_posix() if p.is_relative_to(project_root()) else str(p)
    except ValueError:
        return str(p)
