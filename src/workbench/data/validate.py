"""Validation and typing of raw frames against a contract, with errors that name the file, the
column, the count of bad rows and up to five examples with their line numbers and values.

Nothing is dropped or coerced silently: every bad value is either reported in a
DataValidationError or, when the caller opts in with drop_invalid=True, its row is dropped and
recorded in df.attrs["dropped"].
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.data.contracts import (
    Column,
    Contract,
    ExactlyOneTrue,
    LessEqual,
    OnlyWhen,
    get_contract,
)
from workbench.data.readers import Source, normalise_name
from workbench.errors import DataValidationError
from workbench.i18n import N_

MAX_EXAMPLES = 5
_INT_LIMIT = 2.0**53  # beyond this a float no longer holds every whole number exactly
_STR = "str" if int(pd.__version__.split(".")[0]) >= 3 else object
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "-", "—", "#n/a"})
TRUE_TOKENS = frozenset({"true", "t", "yes", "y", "1", "да", "д", "истина"})
FALSE_TOKENS = frozenset({"false", "f", "no", "n", "0", "нет", "н", "ложь"})
DATE_MIN = pd.Timestamp("1990-01-01")
DATE_MAX = pd.Timestamp("2100-12-31 23:59:59")
_ALT_DATE_FORMATS = (
    "%d.%m.%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%y",
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%m/%d/%Y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M %p",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M:%S",
    "%d-%m-%Y",
    "%Y%m%d",
)
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
#: How an example shows an empty cell (other values are shown quoted, so this cannot be one of them).
EMPTY_CELL = "(empty)"

_SPACES = re.compile(r"[\s\u00a0\u202f']")


@dataclass
class Violation:
    rule: str  # human text, e.g. "negative values (expected ≥ 0)"
    column: str
    positions: np.ndarray  # 0-based row positions in the frame as read
    values: list[str]  # value shown for each of the first examples
    fatal: bool = False  # cannot be fixed by dropping rows
    joiner: str = "with"  # "1 row with negative values" / "1 row where clicks is greater than impressions"
    #: `rule` as a catalogue message and its values (column names, bounds: never words), so a report in
    #: another language can show the rule in its words; `rule` stays English for errors and machines
    message: str = ""
    args: dict[str, str] = field(default_factory=dict)

    def describe(self, src: Source) -> str:
        n = len(self.positions)
        head = f"column '{self.column}': " if self.column else ""
        text = f"{head}{n} row{'s' if n != 1 else ''} {self.joiner} {self.rule}" if n else f"{head}{self.rule}"
        if n:
            lines = src.line_numbers(self.positions[:MAX_EXAMPLES])
            ex = "; ".join(f"{src.location_word} {ln}: {val}" for ln, val in zip(lines, self.values, strict=False))
            text += f". Examples: {ex}"
        return text

    def as_record(self, src: Source) -> dict:
        lines: np.ndarray | list[int] = src.line_numbers(self.positions[:MAX_EXAMPLES]) if len(self.positions) else []
        return {
            "rule": self.rule,
            "message": self.message,
            "args": dict(self.args),
            "column": self.column,
            "rows": int(len(self.positions)),
            "examples": [{src.location_word: int(ln), "value": v} for ln, v in zip(lines, self.values, strict=False)],
        }


def _show(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA or value is pd.NaT:
        return EMPTY_CELL
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _violation(
    message: str, column: str, mask: np.ndarray, raw: pd.Series | None, shown=None, /, **args: str
) -> Violation | None:
    """The rows of `mask` as one violation; `message` is an N_-marked rule filled with `args`."""
    positions = np.flatnonzero(mask)
    if not len(positions):
        return None
    first = positions[:MAX_EXAMPLES]
    if shown is not None:
        values = [shown(p) for p in first]
    elif raw is not None:
        values = [_show(raw.iloc[p]) for p in first]
    else:
        values = [""] * len(first)
    return Violation(message.format(**args), column, positions, values, message=message, args=args)


_DECIMAL_COMMA = re.compile(r"^[+-]?\d[\d\s\u00a0]*,\d+$")
_CURRENCY = re.compile(r"[$€£¥₽₸₴]|\b(?:руб|rub|usd|eur)\b", re.IGNORECASE)


def _not_numbers(raw: pd.Series, bad: np.ndarray, src: Source) -> str:
    """The rule for values that failed to read as numbers, with why in the user's terms when typical of
    an export (decimal comma in a file that is not `;`-separated, currency signs)."""
    sample = [str(v).strip() for v in raw.to_numpy()[np.flatnonzero(bad)[:200]]] if bad.any() else []
    if not src.decimal_comma and any(_DECIMAL_COMMA.match(v) for v in sample):
        return N_(
            "values that are not numbers — a decimal comma (1234,5) is read only in ;-separated files: save "
            "the file with ; as the delimiter, or use a decimal point"
        )
    if any(_CURRENCY.search(v) for v in sample):
        return N_(
            "values that are not numbers — keep only the amount, without currency signs or names (the currency "
            "is a report setting)"
        )
    return NOT_NUMBER


def _fatal(message: str) -> Violation:
    return Violation(message, "", np.empty(0, dtype=np.int64), [], fatal=True)


# ---------------------------------------------------------------- conversions (value → typed)


def _is_text(s: pd.Series) -> bool:
    return s.dtype == object or isinstance(s.dtype, pd.StringDtype)


def _missing(s: pd.Series) -> np.ndarray:
    """Missing cells: NaN/None or a missing token such as '' 'NA' 'null' (text columns)."""
    miss = s.isna().to_numpy()
    if _is_text(s):
        txt = s.astype("str").str.strip().str.lower()
        miss = miss | txt.isin(MISSING_TOKENS).to_numpy()
    return miss


def _as_text(s: pd.Series) -> pd.Series:
    """Objects/numbers → text; numbers that are whole become '12' rather than '12.0'."""
    if pd.api.types.is_float_dtype(s.dtype):
        return s.map(lambda v: f"{v:.0f}" if float(v).is_integer() else repr(float(v)), na_action="ignore").astype(_STR)
    if _is_text(s) and s.dtype != object:
        return s
    if s.dtype == object:

        def conv(v):
            if v is None or (isinstance(v, float) and np.isnan(v)):
                return np.nan
            if isinstance(v, float) and v.is_integer():
                return f"{v:.0f}"
            if isinstance(v, bytes):
                return v.decode("utf-8", errors="replace")
            return str(v)

        return s.map(conv).astype(_STR)
    return s.astype(_STR).where(s.notna())


def _clean_numeric_text(txt: pd.Series, decimal_comma: bool, percent: bool) -> tuple[pd.Series, np.ndarray]:
    t = txt.str.strip()
    pct = np.zeros(len(t), dtype=bool)
    if percent:
        pct = t.str.endswith("%").fillna(False).to_numpy(dtype=bool)
        t = t.str.rstrip("%")
    t = t.str.replace(_SPACES, "", regex=True)
    if decimal_comma:
        both = t.str.contains(".", regex=False) & t.str.contains(",", regex=False)
        t = t.where(~both.fillna(False), t.str.replace(".", "", regex=False))
        t = t.str.replace(",", ".", regex=False)
    else:
        thousands = t.str.match(_THOUSANDS_COMMA).fillna(False)
        t = t.where(~thousands, t.str.replace(",", "", regex=False))
    return t, pct


def to_number(s: pd.Series, *, decimal_comma: bool, percent: bool = False) -> tuple[pd.Series, np.ndarray]:
    """Text/number column → float64 and a mask of values that are present but not numbers."""
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.astype(float), np.zeros(len(s), dtype=bool)
    if pd.api.types.is_numeric_dtype(s.dtype):
        out = pd.to_numeric(s, errors="coerce").astype(float)
        arr = out.to_numpy(dtype=float, na_value=np.nan)
        return out, np.isinf(arr)
    miss = _missing(s)
    txt = _as_text(s)
    txt = txt.where(~miss)
    out = pd.to_numeric(txt, errors="coerce") if not percent and not decimal_comma else None
    if out is None or (out.isna().to_numpy() & ~miss).any():
        cleaned, pct = _clean_numeric_text(txt, decimal_comma, percent)
        out = pd.to_numeric(cleaned, errors="coerce").astype(float)
        if percent and pct.any():
            out = out.where(~pct, out / 100.0)
    out = out.astype(float)
    arr = out.to_numpy(dtype=float, na_value=np.nan)
    bad = ~miss & ~np.isfinite(arr)
    out = out.where(np.isfinite(arr))
    return out, bad


def to_bool(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    if pd.api.types.is_bool_dtype(s.dtype):
        return s, np.zeros(len(s), dtype=bool)
    miss = _missing(s)
    if pd.api.types.is_numeric_dtype(s.dtype):
        arr = s.to_numpy(dtype=float, na_value=np.nan)
        ok = np.isin(arr, (0.0, 1.0))
        out = pd.Series(np.where(ok, arr == 1.0, np.nan), index=s.index, dtype=object)
        return out, ~miss & ~ok
    txt = _as_text(s).str.strip().str.lower()
    is_t = txt.isin(TRUE_TOKENS).to_numpy()
    is_f = txt.isin(FALSE_TOKENS).to_numpy()
    values = np.full(len(txt), None, dtype=object)
    values[is_t], values[is_f] = True, False
    return pd.Series(values, index=s.index, dtype=object), ~miss & ~is_t & ~is_f


def _finish_bool(out: pd.Series) -> pd.Series:
    if out.isna().any():
        return out.astype("boolean")
    return out.astype(bool)


def to_datetime(s: pd.Series) -> tuple[pd.Series, np.ndarray, str | None]:
    """Text → datetime64[ns]; returns (values, bad mask, problem) where problem names an ambiguity."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        out = s
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_localize(None)
        ns = _to_ns(out)
        return ns, (out.notna() & ns.isna()).to_numpy(), None
    miss = _missing(s)
    if s.dtype == object:
        s = s.map(lambda v: v.isoformat() if hasattr(v, "isoformat") else v)
    txt = _as_text(s).where(~miss).str.strip()
    out = _parse_iso(txt)
    bad = ~miss & out.isna().to_numpy()
    if bad.any():
        rest = txt[bad]
        scores = []
        for fmt in _ALT_DATE_FORMATS:
            parsed = pd.to_datetime(rest, format=fmt, errors="coerce")
            scores.append((int(parsed.notna().sum()), fmt, parsed))
        best = max(s_[0] for s_ in scores)
        if best > 0:
            winners = [sc for sc in scores if sc[0] == best]
            fmts = {w[1] for w in winners}
            if any(f.startswith("%d/%m") for f in fmts) and any(f.startswith("%m/%d") for f in fmts):
                return out, bad, "ambiguous dates: every value fits both day/month/year and month/day/year"
            parsed = winners[0][2]
            out = out.copy()
            out[bad] = _to_ns(parsed).to_numpy()
            bad = ~miss & out.isna().to_numpy()
    return out, bad, None


def _parse_iso(txt: pd.Series) -> pd.Series:
    try:
        out = pd.to_datetime(txt, format="ISO8601", errors="coerce")
    except (ValueError, TypeError, OverflowError):
        try:
            out = pd.to_datetime(txt, format="ISO8601", errors="coerce", utc=True)
        except (ValueError, TypeError, OverflowError):
            return pd.Series(pd.NaT, index=txt.index, dtype="datetime64[ns]")
    if getattr(out.dt, "tz", None) is not None:
        out = out.dt.tz_localize(None)
    if out.dtype == object:
        return pd.Series(pd.NaT, index=txt.index, dtype="datetime64[ns]")
    return _to_ns(out)


def _to_ns(out: pd.Series) -> pd.Series:
    """datetime64 of any unit → ns; dates outside what ns can hold (years ≤1677, ≥2262) become missing
    (and are then reported as not dates)."""
    ok = (out > pd.Timestamp("1678-01-01")) & (out < pd.Timestamp("2262-01-01"))
    return out.where(ok).astype("datetime64[ns]")


# ---------------------------------------------------------------- column checks


def _add(out: list[Violation], v: Violation | None) -> None:
    if v is not None:
        out.append(v)


#: The column rules as catalogue messages (the engine's row checks, data/engines/rowchecks.py, word
#: a table's errors with the same ones). A rule with values is a (message, args) pair.
NOT_NUMBER = N_("values that are not numbers")
NOT_WHOLE = N_("values that are not whole numbers")
NOT_BOOL = N_("values that are not true/false (expected true/false, 1/0, yes/no)")
NOT_DATE = N_("values that are not dates (expected e.g. 2025-03-31 or 31.03.2025)")
DATE_RANGE = N_("dates outside 1990–2100")
MISSING = N_("missing values (the column is required)")
TOO_LARGE = N_("whole numbers too large (expected below {limit} in absolute value)")
TOO_LARGE_ARGS = {"limit": f"{_INT_LIMIT:.0e}"}
Rule = tuple[str, dict[str, str]]


def bound_texts(col: Column) -> tuple[Rule, Rule]:
    """The rules for values below a column's minimum and above its maximum."""
    lo, hi = col.bounds()
    below = N_("negative values (expected ≥ {lo})") if lo == 0 else N_("values below the minimum (expected ≥ {lo})")
    above = (
        N_("values above the maximum (expected ≤ {hi} — percentages must be shares 0–1 or end with %)")
        if col.kind == "rate"
        else N_("values above the maximum (expected ≤ {hi})")
    )
    return (below, {"lo": f"{lo:g}"} if lo is not None else {}), (above, {"hi": f"{hi:g}"} if hi is not None else {})


def allowed_text(col: Column) -> Rule:
    return N_("values not among the allowed ({allowed})"), {"allowed": ", ".join(col.allowed or ())}


def less_equal_text(rule: LessEqual) -> Rule:
    return N_("{left} is greater than {right} (expected {left} ≤ {right})"), {"left": rule.left, "right": rule.right}


def only_when_text(rule: OnlyWhen) -> Rule:
    text = N_("{column} is above 0 while {flag} is false (expected {column} > 0 only where {flag} is true)")
    return text, {"column": rule.column, "flag": rule.flag}


def _check_numeric(raw: pd.Series, col: Column, name: str, src: Source, out: list[Violation]) -> pd.Series:
    kind = col.kind
    values, bad = to_number(raw, decimal_comma=src.decimal_comma, percent=kind == "rate")
    _add(out, _violation(_not_numbers(raw, bad, src), name, bad, raw))
    arr = values.to_numpy(dtype=float, na_value=np.nan)
    present = np.isfinite(arr)
    if kind == "int":
        _add(out, _violation(NOT_WHOLE, name, present & (np.mod(arr, 1) != 0), raw))
    lo, hi = col.bounds()
    below, above = bound_texts(col)
    if lo is not None:
        _add(out, _violation(below[0], name, present & (arr < lo), raw, **below[1]))
    if hi is not None:
        _add(out, _violation(above[0], name, present & (arr > hi), raw, **above[1]))
    if kind != "int":
        return pd.Series(arr, index=raw.index, dtype=float)
    huge = present & ~(np.abs(arr) < _INT_LIMIT)
    _add(out, _violation(TOO_LARGE, name, huge, raw, **TOO_LARGE_ARGS))
    present = present & ~huge
    rounded = np.where(present, np.round(arr), np.nan)
    if (~present).any():
        return _nullable_int(rounded, raw.index)
    return pd.Series(rounded.astype(np.int64), index=raw.index)


def _check_bool(raw: pd.Series, col: Column, name: str, src: Source, out: list[Violation]) -> pd.Series:
    typed, bad = to_bool(raw)
    _add(out, _violation(NOT_BOOL, name, bad, raw))
    return typed


def _check_date(raw: pd.Series, col: Column, name: str, src: Source, out: list[Violation]) -> pd.Series:
    typed, bad, problem = to_datetime(raw)
    if problem:
        out.append(_fatal(f"column '{name}': {problem}"))
    _add(out, _violation(NOT_DATE, name, bad, raw))
    present = typed.notna().to_numpy()
    out_of_range = np.zeros(len(typed), dtype=bool)
    out_of_range[present] = ((typed[present] < DATE_MIN) | (typed[present] > DATE_MAX)).to_numpy()
    _add(out, _violation(DATE_RANGE, name, out_of_range, raw))
    return typed.where(~out_of_range).astype("datetime64[ns]")


def _check_text(raw: pd.Series, col: Column, name: str, src: Source, out: list[Violation]) -> pd.Series:
    miss = _missing(raw)
    typed = _as_text(raw).where(~miss)
    if col.kind in ("id", "category"):
        typed = typed.str.strip()
    if col.kind == "category":
        typed = typed.str.lower()
    if col.allowed:
        bad = ~miss & ~typed.isin(col.allowed).to_numpy()
        message, args = allowed_text(col)
        _add(out, _violation(message, name, bad, raw, **args))
    return typed


_CHECKS = {
    "int": _check_numeric,
    "float": _check_numeric,
    "money": _check_numeric,
    "rate": _check_numeric,
    "bool": _check_bool,
    "date": _check_date,
}


def _check_column(df: pd.DataFrame, col: Column, name: str, src: Source, out: list[Violation]) -> pd.Series:
    """Type one contract column, recording every violation (one checker per kind of column)."""
    raw = df[name]
    typed = _CHECKS.get(col.kind, _check_text)(raw, col, name, src, out)
    if not col.allows_missing:
        _add(out, _violation(MISSING, name, _missing(raw), raw))
    return typed


def _nullable_int(rounded: np.ndarray, index: pd.Index) -> pd.Series:
    mask = ~(np.abs(rounded) < _INT_LIMIT)  # NaN and out-of-range values are masked, never wrapped
    ints = np.where(mask, 0, rounded).astype(np.int64)
    return pd.Series(pd.arrays.IntegerArray(ints, mask), index=index)


def _infer_extra(s: pd.Series, src: Source) -> pd.Series:
    """Columns outside the contract: numbers become numbers, everything else stays as it is."""
    if not _is_text(s) or s.dtype != object and not isinstance(s.dtype, pd.StringDtype):
        return s
    values, bad = to_number(s, decimal_comma=src.decimal_comma)
    if bad.any() or values.isna().all():
        return s
    arr = values.to_numpy(dtype=float, na_value=np.nan)
    present = ~np.isnan(arr)
    if (np.mod(arr[present], 1) == 0).all() and (np.abs(arr[present]) < _INT_LIMIT).all():
        return _nullable_int(arr, s.index) if (~present).any() else pd.Series(arr.astype(np.int64), index=s.index)
    return values


# ---------------------------------------------------------------- frame checks


def _prepare_columns(df: pd.DataFrame, src: Source, rename: dict | None) -> pd.DataFrame:
    df = df.copy(deep=False)
    names = [normalise_name(c) for c in df.columns]
    df.columns = names
    # Trailing delimiters give nameless, empty columns: they carry nothing, drop them.
    keep = [i for i, n in enumerate(names) if not ((n == "" or n.startswith("unnamed")) and df.iloc[:, i].isna().all())]
    df = df.iloc[:, keep]
    if rename:
        mapping = {normalise_name(k): normalise_name(v) for k, v in rename.items()}
        df.columns = [mapping.get(c, c) for c in df.columns]
    seen: dict[str, int] = {}
    dups = []
    for c in df.columns:
        seen[c] = seen.get(c, 0) + 1
        if seen[c] == 2:
            dups.append(c)
    if dups:
        raise DataValidationError(
            f"{src.name}: duplicate column names after normalisation (lower case, spaces → _): "
            + ", ".join(repr(d) for d in dups)
        )
    return df


def _structure(df: pd.DataFrame, contract: Contract, src: Source) -> None:
    cols = list(df.columns)
    expected = list(contract.required) or list(contract.required_groups[0] if contract.required_groups else ())
    missing = [c for c in contract.required if c not in cols]
    groups_ok = not contract.required_groups or any(all(c in cols for c in g) for g in contract.required_groups)
    if missing or not groups_ok:
        found = str(cols[0]) if cols else ""
        odd = sorted({ch for ch in found if ch in "|:,;\t"})
        if len(cols) == 1 and contract.column(found) is None and (len(expected) > 1 or odd):
            hint = f" (it contains {', '.join(repr(o) for o in odd)})" if odd else ""
            raise DataValidationError(
                f"{src.name}: found one column {found[:80]!r}{hint} where several were expected "
                f"({', '.join(expected)}): the delimiter is not {src.delimiter!r} — use , ; or tab"
            )
        err = missing_columns_error(src.name, contract, cols)
        if err is not None:
            raise err
    if len(df) == 0:
        raise DataValidationError(f"{src.name} ({contract.name}): the file has a header but no data rows")


def missing_columns_error(name: str, contract: Contract, cols: list) -> DataValidationError | None:
    """The error for a file or table without the contract's required columns (None when they are there),
    with the columns found, the ones expected and a rename map that would probably fix it."""
    missing = [c for c in contract.required if c not in cols]
    groups_ok = not contract.required_groups or any(all(c in cols for c in g) for g in contract.required_groups)
    if not missing and groups_ok:
        return None
    if missing:
        msg = f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(repr(m) for m in missing)}"
    else:
        msg = "missing required columns: need one of " + " or ".join(
            "(" + ", ".join(g) + ")" for g in contract.required_groups
        )
    guesses = rename_guesses(contract, [str(c) for c in cols])
    example = ", ".join(f"{k!r}: {v!r}" for k, v in guesses.items()) or "'Impr.': 'impressions'"
    did_you_mean = " Did you mean " + ", ".join(f"{k!r} for {v!r}" for k, v in guesses.items()) + "?" if guesses else ""
    return DataValidationError(
        f"{name} ({contract.name}): {msg}. Found columns: {', '.join(map(str, cols)) or '(none)'}. "
        f"{expected_columns_text(contract)}{did_you_mean} A params rename map can map your export's names "
        f"(e.g. {{{example}}})."
    )


def expected_columns_text(contract: Contract) -> str:
    """'Expected columns: path, conversions (required); non_conversions, value (optional).'"""
    required = [c.name for c in contract.columns if c.required]
    if contract.required_groups:
        required = [" or ".join("(" + ", ".join(g) + ")" for g in contract.required_groups)]
    optional = [c.name for c in contract.columns if not c.required and not c.is_pattern]
    if contract.required_groups:
        grouped = {c for g in contract.required_groups for c in g}
        optional = [c for c in optional if c not in grouped]
    parts = [", ".join(required) + " (required)"] if required else []
    if optional:
        parts.append(", ".join(optional) + " (optional)")
    return "Expected columns: " + "; ".join(parts) + "."


def rename_guesses(contract: Contract, found: list[str]) -> dict[str, str]:
    """{found column: contract column} for every expected column — required and optional — that a
    found column probably is: a platform preset's name for it (total_null → non_conversions), a
    column holding it as a part (total_conversions), or a near spelling (orderdate)."""
    from workbench.data.presets import PRESETS, header_key

    present = set(found)
    spare = [c for c in found if contract.column(c) is None]
    guesses: dict[str, str] = {}
    wanted = [c.name for c in contract.columns if not c.is_pattern and c.name not in present]
    for preset in PRESETS.values():
        if preset.dataset != contract.name:
            continue
        for target, names in preset.columns.items():
            if target not in wanted or target in guesses.values():
                continue
            i = preset.find([header_key(c) for c in spare], names)
            if i is not None and spare[i] not in guesses:
                guesses[spare[i]] = target
    for name in wanted:
        if name in guesses.values():
            continue
        close = _closest_column(name, [c for c in spare if c not in guesses])
        if close:
            guesses[close] = name
    return guesses


def _closest_column(wanted: str, found: list[str]) -> str | None:
    """A found column that is probably `wanted` under another spelling: one that holds it as a
    part (total_conversions, cost_rub), else a near spelling (costs, orderdate, userid)."""
    parts = [c for c in found if wanted in c.split("_") or c.endswith("_" + wanted) or c.startswith(wanted + "_")]
    if len(parts) == 1:
        return parts[0]
    close = difflib.get_close_matches(wanted, found, n=1, cutoff=0.85)
    return close[0] if close else None


def _first_seen(df: pd.DataFrame, cols: list[str]) -> np.ndarray:
    """For every row, the position of the first row with the same key."""
    group = df.groupby(cols, dropna=False, sort=False).ngroup().to_numpy()
    _, first = np.unique(group, return_index=True)
    lookup = np.empty(group.max() + 1, dtype=np.int64)
    lookup[np.unique(group)] = first
    return lookup[group]


def _unique(df: pd.DataFrame, contract: Contract, out: list[Violation], src: Source) -> None:
    for key in contract.unique:
        cols = [c for c in key if c in df.columns]
        if not cols or (contract.name == "experiment" and "unit_id" not in df.columns and key == ("unit_id",)):
            continue
        if contract.required_groups and not any(c in df.columns for c in key):
            continue
        dup = df.duplicated(subset=cols, keep="first").to_numpy()
        if dup.any():
            first = _first_seen(df, cols)

            def shown(p, cols=cols, first=first):
                seen = int(src.line_numbers(np.array([first[p]]))[0])
                return (
                    ", ".join(f"{c}={_show(df[c].iloc[p])}" for c in cols) + f" (first on {src.location_word} {seen})"
                )

            label = cols[0] if len(cols) == 1 else "+".join(cols)
            joined = " + ".join(cols)
            _add(out, _violation(N_("duplicate {key} (must be unique)"), label, dup, None, shown, key=joined))
    if contract.name == "experiment" and "unit_id" not in df.columns and "variant" in df.columns:
        dup = df.duplicated(subset=["variant"], keep="first").to_numpy()
        if dup.any():
            _add(
                out,
                _violation(
                    N_("duplicate variant in aggregated results (must be unique)"), "variant", dup, df["variant"]
                ),
            )


def _rules(df: pd.DataFrame, contract: Contract, out: list[Violation]) -> None:
    for rule in contract.rules:
        if not all(c in df.columns for c in rule.columns):
            continue
        if isinstance(rule, LessEqual):
            a = df[rule.left].to_numpy(dtype=float, na_value=np.nan)
            b = df[rule.right].to_numpy(dtype=float, na_value=np.nan)
            with np.errstate(invalid="ignore"):
                bad = a > b
        elif isinstance(rule, OnlyWhen):
            val = df[rule.column].to_numpy(dtype=float, na_value=np.nan)
            flag = df[rule.flag]
            is_false = (flag == False).fillna(False).to_numpy(dtype=bool)  # noqa: E712
            with np.errstate(invalid="ignore"):
                bad = (val > 0) & is_false
        elif isinstance(rule, ExactlyOneTrue):
            n_true = int(df[rule.column].fillna(False).astype(bool).sum())
            if n_true != 1:
                out.append(_fatal(f"column '{rule.column}': {n_true} rows are true; expected {rule.describe()}"))
            continue
        else:  # pragma: no cover - contracts only use the rules above
            continue

        def shown(p, cols=rule.columns):
            return ", ".join(f"{c}={_show(df[c].iloc[p])}" for c in cols)

        text, args = less_equal_text(rule) if isinstance(rule, LessEqual) else only_when_text(rule)
        if v := _violation(text, rule.columns[0], bad, None, shown, **args):
            v.joiner = "where"
            out.append(v)


def problems_error(name: str, dataset: str, lines: list[str], records: list[dict]) -> DataValidationError:
    """The error for a file or table that breaks its contract: one problem, or all of them numbered on
    one line (a build summary that keeps only the last line of an error keeps all of it)."""
    if len(lines) == 1:
        msg = f"{name} ({dataset}): {lines[0]}"
    else:
        msg = f"{name} ({dataset}): {len(lines)} problems. " + " ".join(
            f"({i}) {ln}{'' if ln.endswith('.') else '.'}" for i, ln in enumerate(lines, 1)
        )
    err = DataValidationError(msg)
    err.violations = records  # type: ignore[attr-defined]
    return err


def validate_frame(
    dataset: str,
    df: pd.DataFrame,
    src: Source | None = None,
    *,
    rename: dict | None = None,
    drop_invalid: bool = False,
    currency: str | None = None,
) -> pd.DataFrame:
    """Check and type a raw frame against the contract of `dataset`.

    Raises DataValidationError listing every violation (file, column, count, five examples with
    line numbers and values); with drop_invalid=True, row-level violations drop their rows instead
    and are listed in the result's attrs["dropped"]. Structural problems always raise.
    """
    contract = get_contract(dataset)
    if not contract.file_based:
        raise ValueError(f"dataset {dataset!r} is a folder of files, not a table; read it with its own helper")
    if src is None:
        src = Source(Path("<frame>"), "frame")
    if not isinstance(df, pd.DataFrame):
        raise DataValidationError(f"{src.name}: expected a table, got {type(df).__name__}")
    df = _prepare_columns(df, src, rename)
    _structure(df, contract, src)
    df = df.reset_index(drop=True)

    violations: list[Violation] = []
    typed: dict[str, pd.Series] = {}
    for name in df.columns:
        col = contract.column(name)
        typed[name] = _check_column(df, col, name, src, violations) if col else _infer_extra(df[name], src)
    if currency is not None and "currency" in df.columns:
        cur = typed["currency"].astype("str").str.strip().str.upper()
        bad = typed["currency"].notna().to_numpy() & (cur != str(currency).upper()).to_numpy()
        if v := _violation(
            N_("a currency other than {currency}"), "currency", bad, df["currency"], currency=str(currency)
        ):
            violations.append(v)
    out = pd.DataFrame(typed, index=df.index)
    _unique(out, contract, violations, src)
    _rules(out, contract, violations)

    fatal = [v for v in violations if v.fatal]
    if fatal or (violations and not drop_invalid):
        shown_list = fatal if fatal else violations
        lines = [v.describe(src) for v in shown_list]
        raise problems_error(src.name, dataset, lines, [v.as_record(src) for v in shown_list])

    dropped = [v.as_record(src) for v in violations]
    if violations:
        bad_rows = np.unique(np.concatenate([v.positions for v in violations]))
        keep = np.ones(len(out), dtype=bool)
        keep[bad_rows] = False
        out = out.loc[keep]
        kept_positions = np.flatnonzero(keep)
        out = out.reset_index(drop=True)
        if len(out) == 0:
            raise DataValidationError(
                f"{src.name} ({dataset}): every row breaks the contract; first problem: {violations[0].describe(src)}"
            )
    else:
        kept_positions = None
    for name in out.columns:
        col = contract.column(name)
        if col is not None and col.kind == "bool":
            out[name] = _finish_bool(out[name])
        elif col is not None and col.kind == "int" and out[name].dtype == "Int64" and not out[name].isna().any():
            out[name] = out[name].astype(np.int64)
    out.attrs["dataset"] = dataset
    out.attrs["source"] = src.path.name if src.fmt != "frame" else src.name
    out.attrs["dropped"] = dropped
    out.attrs["rows_read"] = int(len(df))
    if currency is not None:
        out.attrs["currency"] = currency
    out.attrs["lines"] = _line_lookup(src, len(out) if kept_positions is None else kept_positions)
    return out


def _line_lookup(src: Source, kept) -> dict:
    """JSON-friendly lookup of file line numbers for the rows of the returned frame: an offset
    when row i is line i + offset, else the explicit list (after dropped rows or irregular files)."""
    if isinstance(kept, int):
        if src._line_numbers is None:
            return {"word": src.location_word, "offset": int(src.line_numbers(np.array([0]))[0]) if kept else 2}
        kept = np.arange(kept)
    return {"word": src.location_word, "lines": [int(x) for x in src.line_numbers(np.asarray(kept))]}
