"""The data contracts' row rules, checked on the engine where a table lives.

A file is read into the kernel and `validate.validate_frame` checks every row. A table on an engine
(`duckdb:///w.duckdb#sessions`, `spark://local#orders`, …) must not be pulled into the kernel, so each
rule of its contract becomes one Ibis boolean expression marking the offending rows: required values
present, numbers that are numbers (whole for counts), within the column's range (money never negative),
dates that are dates within 1990–2100, allowed values, unique keys, row rules (clicks ≤ impressions,
revenue only on converted sessions) and references to another dataset. All counts come back in one
query (and up to five example rows per broken rule in one small query each), so only a handful of
numbers reach the kernel whatever the table's size.

A broken table stops with the message a file gets (the table's URL without secrets instead of the file
name; rows are named by their key, e.g. `row order_id 'o3'`, since a table has no line numbers). With
`drop_invalid_rows` the offending rows are filtered out inside the expression that feeds the
aggregations, and the drops are logged for the report's data-quality note like a file's.

Text columns holding numbers, flags or dates are typed on the engine as the file reader types a
file's cells (missing tokens such as '' 'NA' 'null' are missing; numbers in plain notation, dates in
ISO form), so that the aggregations downstream can cast them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.data.contracts import REFERENCES, Column, Contract, ExactlyOneTrue, LessEqual, OnlyWhen, get_contract
from workbench.data.readers import Source
from workbench.data.validate import (
    _INT_LIMIT,
    DATE_MAX,
    DATE_MIN,
    DATE_RANGE,
    FALSE_TOKENS,
    MAX_EXAMPLES,
    MISSING,
    MISSING_TOKENS,
    NOT_BOOL,
    NOT_DATE,
    NOT_NUMBER,
    NOT_WHOLE,
    TOO_LARGE,
    TOO_LARGE_ARGS,
    TRUE_TOKENS,
    _not_numbers,
    _show,
    allowed_text,
    bound_texts,
    less_equal_text,
    missing_columns_error,
    only_when_text,
    problems_error,
)
from workbench.errors import DataValidationError
from workbench.i18n import N_

__all__ = ["CheckedTable", "RowRule", "check_table", "check_table_references", "row_rules"]

_NUMERIC = ("int", "float", "money", "rate")
_PLAIN = Source(Path("<table>"), "frame")  # a table's numbers are never written with a decimal comma
Expr = Callable[[Any], Any]  # table → Ibis expression over that table


@dataclass
class RowRule:
    """One contract rule over a table: `bad(t)` marks the rows that break it (never null)."""

    message: str  # the catalogue message a file's error uses, e.g. "negative values (expected ≥ {lo})"
    column: str  # the column named in the message ("" for none)
    bad: Expr
    shown: tuple[str, ...]  # the columns whose values the examples show
    raw: bool = True  # show the value as stored (column rules) or as typed (row rules: "clicks=12, …")
    joiner: str = "with"
    fatal: bool = False  # cannot be fixed by dropping rows (exactly one brand is us)
    count: Expr | None = None  # a cheaper count of the offending rows than summing `bad` (a window)
    args: dict[str, str] = field(default_factory=dict)  # the message's values (names, bounds)

    @property
    def rule(self) -> str:
        """The rule in English words, as a file's error prints it."""
        return self.message.format(**self.args)


@dataclass
class CheckedTable:
    """A table that met its contract, or lost the rows that did not (`dropped`, as in a file's attrs)."""

    table: Any
    rows_read: int
    rows_kept: int
    dropped: list[dict] = field(default_factory=list)


# ---------------------------------------------------------------- typing text columns on the engine


def _missing(x: Any) -> Any:
    """Missing cells as a file reader sees them: null, NaN, or a token such as '' 'NA' 'null'."""
    miss = x.isnull()
    if x.type().is_string():
        miss |= x.strip().lower().isin(sorted(MISSING_TOKENS))
    elif x.type().is_floating():
        miss |= x.isnan()
    return miss


def _number(x: Any) -> Any:
    """A number column as float64 (or its integers); null where missing, not a number or infinite."""
    import ibis

    dtype = x.type()
    if dtype.is_string():
        value = x.strip().try_cast("float64")
        return ibis.ifelse(_missing(x) | value.isnull() | value.isinf(), ibis.null().cast("float64"), value)
    if dtype.is_boolean():
        return x.cast("float64")
    if dtype.is_floating():
        return ibis.ifelse(x.isnan() | x.isinf(), ibis.null().cast("float64"), x)
    return x


def _flag(x: Any) -> Any:
    """A true/false column as boolean: 1/0 and the file reader's words (yes/no, да/нет …)."""
    import ibis

    dtype = x.type()
    if dtype.is_boolean():
        return x
    none = ibis.null().cast("boolean")
    if dtype.is_numeric():
        return ibis.cases((x == 1, True), (x == 0, False), else_=none)
    word = x.cast("string").strip().lower()
    return ibis.cases((word.isin(sorted(TRUE_TOKENS)), True), (word.isin(sorted(FALSE_TOKENS)), False), else_=none)


def _date(x: Any) -> Any:
    """A date column as timestamp; text in ISO form (2025-03-31, 2025-03-31 10:00:00)."""
    import ibis

    dtype = x.type()
    if dtype.is_timestamp():
        return x
    if dtype.is_date():
        return x.cast("timestamp")
    text = x.cast("string").strip()
    return ibis.ifelse(_missing(x), ibis.null().cast("timestamp"), text.try_cast("timestamp"))


def _typed(t: Any, col: Column, name: str) -> Any:
    x = t[name]
    if col.kind in _NUMERIC:
        return _number(x)
    if col.kind == "bool":
        return _flag(x)
    if col.kind == "date":
        return _date(x)
    return x


def _needs_typing(x: Any, col: Column) -> bool:
    dtype = x.type()
    if col.kind in _NUMERIC:
        return dtype.is_string() or dtype.is_boolean() or dtype.is_floating()
    if col.kind == "bool":
        return not dtype.is_boolean()
    if col.kind == "date":
        return not dtype.is_timestamp()
    return False


# ---------------------------------------------------------------- the rules


def _column_rules(col: Column, name: str, dtype: Any) -> list[RowRule]:
    """A column's rules in the order `validate._check_column` reports them."""
    rules: list[RowRule] = []

    def add(text: str, bad: Expr, args: dict[str, str] | None = None) -> None:
        rules.append(RowRule(text, name, lambda t: bad(t).fill_null(False), (name,), args=args or {}))

    if col.kind in _NUMERIC:
        if dtype.is_string() or dtype.is_floating():
            add(NOT_NUMBER, lambda t: ~_missing(t[name]) & _number(t[name]).isnull())
        if col.kind == "int" and (dtype.is_string() or dtype.is_floating()):
            add(NOT_WHOLE, lambda t: (_number(t[name]) % 1) != 0)
        lo, hi = col.bounds()
        below, above = bound_texts(col)
        if lo is not None:
            add(below[0], lambda t: _number(t[name]) < lo, below[1])
        if hi is not None:
            add(above[0], lambda t: _number(t[name]) > hi, above[1])
        if col.kind == "int":
            add(TOO_LARGE, lambda t: _number(t[name]).cast("float64").abs() >= _INT_LIMIT, TOO_LARGE_ARGS)
    elif col.kind == "bool" and not dtype.is_boolean():
        add(NOT_BOOL, lambda t: ~_missing(t[name]) & _flag(t[name]).isnull())
    elif col.kind == "date":
        if not dtype.is_temporal():
            add(NOT_DATE, lambda t: ~_missing(t[name]) & _date(t[name]).isnull())
        lo_ts, hi_ts = DATE_MIN.to_pydatetime(), DATE_MAX.to_pydatetime()
        add(DATE_RANGE, lambda t: (_date(t[name]) < lo_ts) | (_date(t[name]) > hi_ts))
    elif col.allowed:

        def outside(t: Any) -> Any:
            text = t[name].cast("string").strip()
            text = text.lower() if col.kind == "category" else text
            return ~_missing(t[name]) & ~text.isin(list(col.allowed or ()))

        message, args = allowed_text(col)
        add(message, outside, args)
    if not col.allows_missing:
        add(MISSING, lambda t: _missing(t[name]))
    return rules


def _unique_rules(contract: Contract, columns: list[str], before: list[RowRule]) -> list[RowRule]:
    """Duplicate keys, as `validate._unique`: every row after the first of its key. A table has no row
    order, so the first is a row that breaks none of the column rules (`before`), else the one that
    sorts first by the other columns: with `drop_invalid_rows` a valid copy of a key is the one kept."""
    import functools
    import operator

    import ibis

    keys = []
    for key in contract.unique:
        cols = [c for c in key if c in columns]
        if not cols or (contract.name == "experiment" and "unit_id" not in columns and key == ("unit_id",)):
            continue
        if contract.required_groups and not any(c in columns for c in key):
            continue
        keys.append((cols, N_("duplicate {key} (must be unique)"), {"key": " + ".join(cols)}))
    if contract.name == "experiment" and "unit_id" not in columns and "variant" in columns:
        keys.append((["variant"], N_("duplicate variant in aggregated results (must be unique)"), {}))
    rules = []
    for cols, text, args in keys:
        others = [c for c in columns if c not in cols and contract.column(c) is not None] or cols

        def bad(t: Any, cols: list[str] = cols, others: list[str] = others) -> Any:
            typed = {c: _typed(t, contract.column(c), c) for c in {*cols, *others}}  # type: ignore[arg-type]
            order = [typed[c] for c in others]
            if before:
                order.insert(0, functools.reduce(operator.or_, [r.bad(t) for r in before]).cast("int8"))
            return ibis.row_number().over(group_by=[typed[c] for c in cols], order_by=order) > 0

        def count(t: Any, cols: list[str] = cols) -> Any:
            """Rows beyond the first of their key, without a window: rows − distinct keys (nulls alike)."""
            parts = [_typed(t, contract.column(c), c).cast("string").fill_null("\x00") for c in cols]  # type: ignore[arg-type]
            return t.count() - ibis.literal("\x1f").join(parts).nunique()

        label = cols[0] if len(cols) == 1 else "+".join(cols)
        rules.append(RowRule(text, label, bad, tuple(cols), raw=False, count=count, args=args))
    return rules


def _consistency_rules(contract: Contract, columns: list[str]) -> list[RowRule]:
    """The contract's row rules (clicks ≤ impressions, revenue only where converted, one brand is us)."""
    rules = []
    for rule in contract.rules:
        if not all(c in columns for c in rule.columns):
            continue
        if isinstance(rule, LessEqual):

            def bad(t: Any, r: LessEqual = rule) -> Any:
                return (_number(t[r.left]) > _number(t[r.right])).fill_null(False)

            text, args = less_equal_text(rule)
            rules.append(RowRule(text, rule.left, bad, rule.columns, raw=False, joiner="where", args=args))
        elif isinstance(rule, OnlyWhen):

            def bad(t: Any, r: OnlyWhen = rule) -> Any:  # type: ignore[misc]
                return ((_number(t[r.column]) > 0) & (_flag(t[r.flag]) == False)).fill_null(False)  # noqa: E712

            text, args = only_when_text(rule)
            rules.append(RowRule(text, rule.column, bad, rule.columns, raw=False, joiner="where", args=args))
        elif isinstance(rule, ExactlyOneTrue):

            def bad(t: Any, r: ExactlyOneTrue = rule) -> Any:  # type: ignore[misc]
                return _flag(t[r.column]).fill_null(False)

            rules.append(RowRule(rule.describe(), rule.column, bad, (), raw=False, fatal=True))
    return rules


def row_rules(dataset: str, t: Any) -> list[RowRule]:
    """Every row rule of `dataset`'s contract that applies to the columns of table `t`, in the order a
    file's errors list them: per column (in the table's order), then unique keys, then row rules."""
    contract = get_contract(dataset)
    columns = list(t.columns)
    rules: list[RowRule] = []
    for name in columns:
        col = contract.column(name)
        if col is not None:
            rules += _column_rules(col, name, t[name].type())
    return rules + _unique_rules(contract, columns, rules) + _consistency_rules(contract, columns)


# ---------------------------------------------------------------- running them


def _key_columns(contract: Contract, columns: list[str]) -> list[str]:
    """The columns that name a row in examples: the first unique key present, else the required ids
    and dates (touchpoints: user_id, touched_at), else the first column."""
    for key in contract.unique:
        present = [c for c in key if c in columns]
        if present:
            return present
    ids = [c.name for c in contract.columns if c.required and c.kind in ("id", "date") and c.name in columns]
    return ids or columns[:1]


def _stored_text(value: Any) -> Any:
    """A value as a file would hold it: whole floats as '12', midnight timestamps as the date."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, datetime.datetime):
        ts = pd.Timestamp(value)
        return str(ts.date()) if ts == ts.normalize() else str(ts)
    if isinstance(value, datetime.date):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return f"{value:.0f}"
    return str(value)


def _typed_text(col: Column | None, value: Any) -> Any:
    """A value as `validate_frame` types it (counts 12, amounts 12.0, flags True, dates as Timestamp)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    kind = col.kind if col is not None else ""
    if kind == "int":
        return int(float(value))
    if kind in _NUMERIC:
        return float(value)
    if kind == "bool":
        return bool(value)
    if kind == "date":
        return pd.Timestamp(value)
    return value


def _examples(t: Any, rule: RowRule, keys: list[str], contract: Contract) -> list[dict]:
    """Up to five rows of `t` that break `rule`, smallest keys first: [{"row": key text, "value": shown}]."""
    shown = [c for c in rule.shown if c not in keys] if rule.raw else list(rule.shown)
    flags = t.mutate(__bad=rule.bad(t))
    rows = flags.filter(flags["__bad"]).select(*dict.fromkeys([*keys, *shown]))
    frame = rows.order_by(keys).limit(MAX_EXAMPLES).execute()
    out = []
    for _, row in frame.iterrows():
        where = ", ".join(f"{k} {_show(_stored_text(row[k]))}" for k in keys)
        if rule.raw:
            value = _show(_stored_text(row[rule.shown[0]]))
        else:
            value = ", ".join(f"{c}={_show(_typed_text(contract.column(c), row[c]))}" for c in rule.shown)
        out.append({"row": where, "value": value})
    if rule.message == NOT_NUMBER and len(frame):  # the file's hint (currency signs …), read off the examples
        texts = pd.Series([_stored_text(v) for v in frame[rule.shown[0]]], dtype=object)
        rule.message = _not_numbers(texts, np.ones(len(texts), dtype=bool), _PLAIN)
    return out


def _describe(rule: RowRule, n: int, examples: list[dict]) -> str:
    """The words of `validate.Violation.describe`, rows named by their key instead of their line."""
    head = f"column '{rule.column}': " if rule.column else ""
    text = f"{head}{n} row{'s' if n != 1 else ''} {rule.joiner} {rule.rule}"
    if examples:
        text += ". Examples: " + "; ".join(f"row {ex['row']}: {ex['value']}" for ex in examples)
    return text


def _record(rule: RowRule, n: int, examples: list[dict]) -> dict:
    return {
        "rule": rule.rule,
        "message": rule.message,
        "args": dict(rule.args),
        "column": rule.column,
        "rows": n,
        "examples": examples,
    }


def check_table(dataset: str, t: Any, label: str, *, drop_invalid: bool = False) -> CheckedTable:
    """Check table `t` (an Ibis table with the contract's column names) against `dataset`'s contract on
    its engine. Raises DataValidationError as a file would (`label`, the URL without secrets, in place of
    the file name); with drop_invalid the offending rows are filtered out of the returned expression.
    Text columns holding numbers, flags or dates come back typed."""
    import functools
    import operator

    contract = get_contract(dataset)
    columns = list(t.columns)
    err = missing_columns_error(label, contract, columns)
    if err is not None:
        raise err
    rules = row_rules(dataset, t)
    plain = [i for i, r in enumerate(rules) if r.count is None]
    flags = t.mutate(**{f"__r{i}": rules[i].bad(t) for i in plain}) if plain else t
    metrics = {"__rows": flags.count()}
    for i, rule in enumerate(rules):  # one query: a sum of flags per rule, a distinct count per unique key
        metrics[f"__r{i}"] = flags[f"__r{i}"].cast("int64").sum() if rule.count is None else rule.count(flags)
    counts = flags.aggregate(**metrics).execute().iloc[0]
    rows = int(counts["__rows"])
    if rows == 0:
        raise DataValidationError(f"{label} ({dataset}): the table has no rows")
    n_bad = {i: int(counts[f"__r{i}"] or 0) for i in range(len(rules))}
    fatal = [i for i in range(len(rules)) if rules[i].fatal and n_bad[i] != 1]
    failing = [i for i in range(len(rules)) if not rules[i].fatal and n_bad[i] > 0]
    keys = _key_columns(contract, columns)
    if fatal or (failing and not drop_invalid):
        if fatal:
            lines = [f"column '{rules[i].column}': {n_bad[i]} rows are true; expected {rules[i].rule}" for i in fatal]
            records = [_record(rules[i], 0, []) for i in fatal]
        else:
            examples = {i: _examples(t, rules[i], keys, contract) for i in failing}
            lines = [_describe(rules[i], n_bad[i], examples[i]) for i in failing]
            records = [_record(rules[i], n_bad[i], examples[i]) for i in failing]
        raise problems_error(label, dataset, lines, records)
    typed = {c: _typed(t, col, c) for c in columns if (col := contract.column(c)) and _needs_typing(t[c], col)}
    if not failing:
        return CheckedTable(t.mutate(**typed) if typed else t, rows, rows)
    examples = {i: _examples(t, rules[i], keys, contract) for i in failing}
    marked = t.mutate(__bad=functools.reduce(operator.or_, [rules[i].bad(t) for i in failing]))
    kept = marked.filter(~marked["__bad"]).drop("__bad")
    kept_rows = int(kept.count().execute())  # a row may break several rules
    if kept_rows == 0:
        first = failing[0]
        raise DataValidationError(
            f"{label} ({dataset}): every row breaks the contract; first problem: "
            f"{_describe(rules[first], n_bad[first], examples[first])}"
        )
    kept = kept.mutate(**{c: _typed(kept, contract.column(c), c) for c in typed}) if typed else kept  # type: ignore[arg-type]
    return CheckedTable(kept, rows, kept_rows, [_record(rules[i], n_bad[i], examples[i]) for i in failing])


def check_table_references(
    child: Any,
    child_dataset: str,
    parent: Any,
    parent_dataset: str,
    label: str,
    parent_label: str,
    *,
    drop_invalid: bool = False,
) -> CheckedTable:
    """`loading.check_references` for a table: every key the child points at must exist in the parent
    (an Ibis table on the same engine, or a loaded frame whose keys go to the engine as a small table).
    Counted and filtered on the engine; the message is the file's, rows named by their key."""
    import ibis

    refs = [r for r in REFERENCES if r.child == child_dataset and r.parent == parent_dataset]
    if not refs:
        known = ", ".join(f"{r.child}→{r.parent}" for r in REFERENCES)
        raise ValueError(f"no reference from {child_dataset!r} to {parent_dataset!r}; known references: {known}")
    contract = get_contract(child_dataset)
    rows = int(child.count().execute())
    out, dropped = child, []
    for ref in refs:
        if ref.column not in out.columns:
            continue
        if ref.parent_column not in parent.columns:
            raise DataValidationError(f"{parent_label}: column '{ref.parent_column}' is missing")
        if isinstance(parent, pd.DataFrame):
            known_keys = parent[ref.parent_column].dropna().astype(str).unique()
            parent_keys = ibis.memtable({"__key": pd.Series(known_keys, dtype=object)})["__key"]
        else:
            parent_keys = parent.filter(parent[ref.parent_column].notnull())[ref.parent_column].cast("string")

        def orphan(t: Any, column: str = ref.column, parent_keys: Any = parent_keys) -> Any:
            key = t[column].cast("string")
            return (key.notnull() & ~key.isin(parent_keys)).fill_null(False)

        n = int(orphan(out).cast("int64").sum().execute())
        if not n:
            continue
        target = parent_dataset if ref.parent_column == ref.column else f"{parent_dataset}.{ref.parent_column}"
        message, args = N_("{column} not found in {target}"), {"column": ref.column, "target": target}
        rule = RowRule(message, ref.column, orphan, (ref.column,), args=args)
        examples = _examples(out, rule, _key_columns(contract, list(out.columns)), contract)
        if not drop_invalid:
            parent_col = "" if ref.parent_column == ref.column else f", column {ref.parent_column}"
            shown = "; ".join(f"row {ex['row']}: {ex['value']}" for ex in examples)
            raise DataValidationError(
                f"{label} ({child_dataset}): column '{ref.column}': {n} row{'s' if n != 1 else ''} where the "
                f"{ref.column} is not in {parent_dataset} ({parent_label}{parent_col}). Examples: {shown}"
            )
        dropped.append(_record(rule, n, examples))
        marked = out.mutate(__bad=orphan(out))
        out = marked.filter(~marked["__bad"]).drop("__bad")
    kept = rows - sum(r["rows"] for r in dropped)
    return CheckedTable(out, rows, kept, dropped)
