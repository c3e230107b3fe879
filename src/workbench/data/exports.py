"""Applying a platform preset (workbench.data.presets) to a file as downloaded.

Two steps, kept apart so each is testable: `locate_table` finds the header line among title,
date-range and `#` comment lines (and where the table ends), and `apply_preset` turns the raw
text frame into contract columns — summary rows dropped, empty marks, number formats, micros,
durations, dates, value codes and implied constants. Values that do not parse are left as
written, so validation still reports them with their line and text.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from workbench.data.contracts import get_contract
from workbench.data.presets import Preset, detect_preset, header_key

DELIMITERS = (",", ";", "\t")
SCAN_LINES = 60
_CURRENCY = re.compile(r"[$€£¥₽₸₴]|\b(?:руб|rub|usd|eur|gbp|р)\b\.?", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_EN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?%?$")
_NUMERIC_KINDS = ("int", "float", "money", "rate")


@dataclass
class Layout:
    """Where the table sits in a text file."""

    header_index: int  # 0-based line of the header
    end_index: int  # first line after the table
    delimiter: str
    preset: Preset | None
    skipped_before: list[int] = field(default_factory=list)  # 0-based lines above the header (non-blank)


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return []


def _count_outside_quotes(line: str, ch: str) -> int:
    count, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == ch and not quoted:
            count += 1
    return count


def _sniff(line: str) -> str | None:
    counts = {d: _count_outside_quotes(line, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else None


def _match_header(line: str, preset: Preset | None, dataset: str | None) -> tuple[str, Preset] | None:
    for delimiter in DELIMITERS:
        if delimiter not in line:
            continue
        keys = [header_key(c) for c in _split(line, delimiter)]
        if len(keys) < 2:
            continue
        found = preset if preset is not None and preset.score(keys) else None
        if preset is None:
            found = detect_preset(keys, dataset)
        if found is not None:
            return delimiter, found
    return None


def locate_table(
    lines: list[str], *, preset: Preset | None = None, dataset: str | None = None, detect: bool = True
) -> Layout:
    """Find the header among the first lines: the first line a preset recognises (the forced one,
    or any preset of `dataset`); without one, the first non-blank line that is not a `#` comment."""
    if detect or preset is not None:
        for i, line in enumerate(lines[:SCAN_LINES]):
            if not line.strip():
                continue
            hit = _match_header(line, preset, dataset)
            if hit:
                delimiter, found = hit
                end = len(lines)
                if found.comment_prefix:
                    end = next(
                        (j for j in range(i + 1, len(lines)) if lines[j].startswith(found.comment_prefix)), len(lines)
                    )
                skipped = [j for j in range(i) if lines[j].strip()]
                return Layout(i, end, delimiter, found, skipped)
    first, delimiter = generic_header(lines)
    skipped = [j for j in range(first) if lines[j].strip()]
    return Layout(first, len(lines), delimiter, None, skipped)


def generic_header(lines: list[str]) -> tuple[int, str]:
    """Header of an export no preset knows: the first non-blank, non-`#` line, unless it holds far
    fewer delimiters than the lines below it (a title or date-range line), then the next one."""
    cand = [i for i, ln in enumerate(lines[:SCAN_LINES]) if ln.strip() and not ln.startswith("#")]
    for pos, i in enumerate(cand):
        delimiter = _sniff(lines[i])
        if delimiter is None:
            continue
        rest = [_count_outside_quotes(lines[j], delimiter) for j in cand[pos + 1 : pos + 21]]
        mode = Counter(rest).most_common(1)[0][0] if rest else 0
        if rest and mode == 0:  # the lines below hold no such delimiter: not the table's header
            continue
        if 2 * _count_outside_quotes(lines[i], delimiter) >= mode:
            return i, delimiter
    if not cand:
        return 0, ","
    return cand[0], _sniff(lines[cand[0]]) or ","


def header_row(rows: list[list[object]], dataset: str | None, preset: Preset | None) -> tuple[int, Preset | None]:
    """The header row of a spreadsheet read without a header (XLSX title rows above the table)."""
    for i, row in enumerate(rows[:SCAN_LINES]):
        keys = [header_key(c) for c in row if c is not None and str(c).strip() and str(c) != "nan"]
        if len(keys) < 2:
            continue
        found = preset if preset is not None and preset.score(keys) else None
        if preset is None:
            found = detect_preset(keys, dataset)
        if found is not None:
            return i, found
    return 0, None


# ---------------------------------------------------------------- value cleaning


def clean_number(value: object, style: str) -> object:
    """'1,234.50 ₽' → '1234.50' (en), '1 234,5' → '1234.5' (ru); the value as written when it is
    not text. A trailing % stays for rate columns to read."""
    if not isinstance(value, str):
        return value
    text = _SPACES.sub("", _CURRENCY.sub("", value.strip()))
    if text.startswith("(") and text.endswith(")"):
        text = "-" + text[1:-1]
    if style == "en" or (style == "auto" and _EN_THOUSANDS.match(text)):
        return text.replace(",", "")
    if style == "ru" or (style == "auto" and "," in text and "." not in text):
        return text.replace(".", "").replace(",", ".") if "," in text else text
    return text


def to_seconds(value: object) -> object:
    """'1:02:03' → 3723.0, '03:05' → 185.0; other values unchanged."""
    if not isinstance(value, str) or ":" not in value:
        return value
    parts = value.strip().split(":")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        return value
    total = 0.0
    for n in numbers:
        total = total * 60 + n
    return repr(total)


def _from_micros(value: object) -> object:
    try:
        return repr(float(str(value)) / 1_000_000) if isinstance(value, str) and value.strip() else value
    except ValueError:
        return value


def _parse_date(value: object, fmt: str) -> object:
    if not isinstance(value, str):
        return value
    try:
        return datetime.strptime(value.strip(), fmt).isoformat(sep=" ")
    except ValueError:
        return value


def _host(value: object) -> object:
    if not isinstance(value, str) or not value.strip():
        return np.nan
    text = value.strip()
    host = urlsplit(text if "//" in text else "//" + text).hostname or ""
    return host[4:] if host.startswith("www.") else host or np.nan


# ---------------------------------------------------------------- the frame


def _is_empty(s: pd.Series) -> pd.Series:
    return s.isna() | s.astype(str).str.strip().eq("")


def summary_mask(df: pd.DataFrame, preset: Preset) -> np.ndarray:
    """Rows that are totals or footers (`Total: Account`, `Итого`, `Total rows: 5`)."""
    mask = np.zeros(len(df), dtype=bool)
    if not preset.summary_rows or df.shape[1] == 0:
        return mask
    patterns = [re.compile(p) for p in preset.summary_rows]
    for col in df.columns[:2]:
        keys = df[col].map(lambda v: header_key(v) if isinstance(v, str) else "")
        mask |= keys.map(lambda k: any(p.search(k) for p in patterns)).to_numpy(dtype=bool)
    return mask


def column_mapping(columns: list[str], preset: Preset) -> dict[str, str]:
    """{export column: contract column} for the columns of `preset` found in the header."""
    keys = [header_key(c) for c in columns]
    out: dict[str, str] = {}
    for target, names in preset.columns.items():
        i = preset.find(keys, names)
        if i is not None and columns[i] not in out:
            out[columns[i]] = target
    return out


def _coalesce(df: pd.DataFrame, preset: Preset) -> None:
    keys = {header_key(c): c for c in df.columns}
    for target, names in preset.coalesce.items():
        if target in df.columns:
            continue
        present = [keys[header_key(n)] for n in names if header_key(n) in keys]
        if not present:
            continue
        value = pd.Series(np.nan, index=df.index, dtype=object)
        for name in present:
            value = value.where(~_is_empty(value), df[name].where(~_is_empty(df[name])))
        if target in preset.fill:
            value = value.where(~_is_empty(value), preset.fill[target])
        df[target] = value


def _convert(df: pd.DataFrame, preset: Preset) -> None:
    contract = get_contract(preset.dataset)
    for name in df.columns:
        col = contract.column(str(name))
        if col is None or not (df[name].dtype == object or isinstance(df[name].dtype, pd.StringDtype)):
            continue
        s = df[name].astype(object)
        if name in preset.codes:
            codes = preset.codes[name]
            s = s.map(lambda v, codes=codes: codes.get(str(v).strip(), v) if isinstance(v, str) else v)
        if name in preset.durations:
            s = s.map(to_seconds)
        if col.kind in _NUMERIC_KINDS:
            s = s.map(lambda v: clean_number(v, preset.number_style))
            if name in preset.micros:
                s = s.map(_from_micros)
        elif col.kind == "date" and preset.date_format:
            s = s.map(lambda v: _parse_date(v, preset.date_format))
        df[name] = s


def apply_preset(df: pd.DataFrame, preset: Preset) -> tuple[pd.DataFrame, np.ndarray]:
    """The raw text frame of an export → contract column names and plain values, plus the positions
    of the rows kept (summary rows dropped)."""
    keep = ~summary_mask(df, preset)
    out = df.loc[keep].copy()
    if preset.missing:
        tokens = {t.strip() for t in preset.missing}
        out = out.map(lambda v: np.nan if isinstance(v, str) and v.strip() in tokens else v)
    mapping = column_mapping([str(c) for c in out.columns], preset)
    out.columns = [mapping.get(str(c), c) for c in out.columns]
    _coalesce(out, preset)
    for target, source in preset.host_of.items():
        if target not in out.columns and source in out.columns:
            out[target] = out[source].map(_host)
    _convert(out, preset)
    for target, value in preset.constants.items():
        if target not in out.columns:
            out[target] = value
    out.attrs["preset"] = preset.name
    return out.reset_index(drop=True), np.flatnonzero(keep)
