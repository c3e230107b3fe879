"""What `drop_invalid_rows` left out, for the report's data-quality section, in the report's language.

The drop records (``df.attrs["dropped"]``) stay English for machines and logs; each also carries its
rule as a catalogue message with its values (column names, bounds), so the summary a reader sees is
written in the current language as whole sentences, with Russian plurals through ``ngettext``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from workbench.data.validate import EMPTY_CELL
from workbench.i18n import _, ngettext, pgettext

__all__ = ["DROPPED_COLUMNS", "dropped_summary", "dropped_table", "dropped_text", "rule_text"]

DROPPED_COLUMNS = ("file", "column", "problem", "rows_dropped", "examples")


def _count(n: int) -> str:
    """A count with the current language's group separator (1,200 / 1 200)."""
    from workbench.report.format import grouped  # lazy: loading data needs no report machinery

    return grouped(n)


def rule_text(record: Mapping[str, Any]) -> str:
    """The broken rule of one drop record in the current language (records made before rules became
    messages, or by other code, show their English `rule`)."""
    message = record.get("message")
    if not message:
        return str(record.get("rule", ""))
    return _(message).format(**record.get("args", {}))


def _location(word: str) -> str:
    """Where an example sits in its file: "line" for text files, "row" for spreadsheets and frames."""
    if word == "line":
        return pgettext("place in a file", "line")
    if word == "row":
        return pgettext("place in a file", "row")
    return word


#: a duplicate key's example ends with where the key was first seen (`validate._unique`), in English
_FIRST_SEEN = re.compile(r" \(first on (line|row) (\d+)\)$")


def _first_seen(value: str) -> str:
    """A duplicate's "(first on line 2)" in the current language; other values unchanged."""
    match = _FIRST_SEEN.search(value)
    if not match:
        return value
    word, n = match.groups()
    where = _("(first on line {n})") if word == "line" else _("(first on row {n})")
    return value[: match.start()] + " " + where.format(n=n)


def _examples(record: Mapping[str, Any]) -> str:
    """The record's example rows as "line 5: '-3'; line 9: 'abc'" (the values are the file's own)."""
    shown = []
    for example in record.get("examples", []):
        where = next((f"{_location(k)} {v}" for k, v in example.items() if k != "value"), "")
        value = _first_seen(str(example.get("value", "")))
        value = pgettext("example value", "(empty)") if value == EMPTY_CELL else value
        shown.append(f"{where}: {value}".strip(": "))
    return "; ".join(shown)


def _file_name(df: pd.DataFrame) -> str:
    return str(df.attrs.get("source") or df.attrs.get("dataset") or "(data)")


def dropped_summary(*frames: pd.DataFrame | None) -> pd.DataFrame:
    """What `load(..., drop_invalid=True)` and `check_references(..., drop_invalid=True)` dropped, one
    row per file × problem: file, column, problem, rows_dropped, examples (file line and value), with
    the problem and examples in the current language.

    A row with two problems counts under both; `dropped_text` gives the total, `dropped_table` the same
    rows with headings for the report. None frames (absent optional inputs) are skipped; no drops give
    an empty frame.
    """
    rows = [
        {
            "file": _file_name(df),
            "column": rec.get("column", ""),
            "problem": rule_text(rec),
            "rows_dropped": int(rec.get("rows", 0)),
            "examples": _examples(rec),
        }
        for df in frames
        if df is not None
        for rec in df.attrs.get("dropped", [])
    ]
    return pd.DataFrame(rows, columns=list(DROPPED_COLUMNS)).astype({"rows_dropped": "int64"})


def dropped_table(*frames: pd.DataFrame | None) -> pd.DataFrame:
    """`dropped_summary` with its column headings in the current language: pass it to `report.table`."""
    headings = {
        "file": pgettext("dropped rows column", "File"),
        "column": pgettext("dropped rows column", "Column"),
        "problem": pgettext("dropped rows column", "Problem"),
        "rows_dropped": pgettext("dropped rows column", "Rows dropped"),
        "examples": pgettext("dropped rows column", "Examples"),
    }
    return dropped_summary(*frames).rename(columns=headings)


def _reason(record: Mapping[str, Any]) -> str:
    """One broken rule of a file and how many rows it dropped: "revenue: negative values (expected ≥ 0), 2 rows"."""
    n = int(record.get("rows", 0))
    rule, rows = rule_text(record), _count(n)
    if record.get("column"):
        return ngettext("{column}: {rule}, {n} row", "{column}: {rule}, {n} rows", n).format(
            column=record["column"], rule=rule, n=rows
        )
    return ngettext("{rule}, {n} row", "{rule}, {n} rows", n).format(rule=rule, n=rows)


def _file_sentence(df: pd.DataFrame) -> str:
    """The sentence about one file that lost rows."""
    read = df.attrs.get("rows_read")
    kept = df.attrs.get("rows_kept", len(df))
    n = int(read) - kept if read is not None else sum(int(r.get("rows", 0)) for r in df.attrs["dropped"])
    why = "; ".join(_reason(r) for r in df.attrs["dropped"])
    if read is not None:
        template = ngettext(
            "{file}: {n} of {read} rows was left out because it breaks the data contract ({why}).",
            "{file}: {n} of {read} rows were left out because they break the data contract ({why}).",
            n,
        )
    else:
        template = ngettext(
            "{file}: {n} row was left out because it breaks the data contract ({why}).",
            "{file}: {n} rows were left out because they break the data contract ({why}).",
            n,
        )
    return template.format(file=_file_name(df), n=_count(n), read=_count(int(read or 0)), why=why)


def dropped_text(*frames: pd.DataFrame | None) -> str:
    """One sentence per file that lost rows, in the current language, e.g. "orders.csv: 3 of 1,200 rows
    were left out because they break the data contract (revenue: negative values (expected ≥ 0), 2 rows;
    order_date: values that are not dates …, 1 row)." Empty string when nothing was dropped."""
    return " ".join(_file_sentence(df) for df in frames if df is not None and df.attrs.get("dropped"))
