"""Search-demand exports read into the `search_demand` contract (keyword × month).

Self-contained on purpose (a generic platform-preset table may absorb it later). Three exports:

* Google Trends "Interest over time" CSV (multiTimeline.csv): a category line in the interface's
  language ("Category: All categories", "Catégorie : Toutes catégories"), a blank line, then a
  header "<Month|Week|Day …>,<keyword>: (<region>)…" and one row per period. Values are a relative
  index 0–100; "<1" is read as 0.5. Weekly and daily rows are averaged per month.
* Google Ads Keyword Planner "Download keyword ideas" CSV: UTF-16 (or UTF-8), tab-separated, two
  title lines before the header; columns "Keyword", "Competition (indexed value)", "Top of page
  bid (low range)", "Top of page bid (high range)" and one "Searches: Mon YYYY" column per month.
  CPC is the middle of the top-of-page bid range.
* Yandex Wordstat monthly dynamics export: `;`-separated, columns "Период" (a date in the month)
  and "Число запросов" (searches); the phrase is given, or taken from a "Фраза" column.

Errors name the file and what was expected and found.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from workbench.errors import DataValidationError

__all__ = ["read_google_trends", "read_keyword_planner", "read_search_demand", "read_wordstat"]

_TRENDS_HEADER = re.compile(r"^(?P<key>[^,]+),(?P<rest>.+:\s*\(.+\).*)$")
_TRENDS_COLUMN = re.compile(r"^(?P<keyword>.+?):\s*\((?P<region>.+)\)$")
_PLANNER_MONTH = re.compile(r"^Searches:\s*(?P<month>[A-Za-z]{3}\s+\d{4})$")


def _text(path: Path) -> str:
    raw = path.read_bytes()
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1251")


def read_google_trends(path) -> pd.DataFrame:
    """A Google Trends interest-over-time CSV as search_demand rows (source 'google_trends')."""
    path = Path(path)
    lines = _text(path).splitlines()
    start = next((i for i, ln in enumerate(lines) if _TRENDS_HEADER.match(ln.strip())), None)
    if start is None:
        raise DataValidationError(
            f"{path}: not a Google Trends export — expected a header line like 'Month,keyword: (Region)'; "
            f"the first lines are {lines[:3]!r}"
        )
    frame = pd.read_csv(io.StringIO("\n".join(lines[start:])), dtype=str)
    period = frame.columns[0]
    frame[period] = pd.to_datetime(frame[period], errors="coerce")
    bad = frame[period].isna()
    if bad.any():
        raise DataValidationError(f"{path}: column {period!r} has {int(bad.sum())} values that are not dates")
    rows = []
    for col in frame.columns[1:]:
        m = _TRENDS_COLUMN.match(col.strip())
        if not m:
            raise DataValidationError(f"{path}: column {col!r} is not 'keyword: (region)'")
        values = pd.to_numeric(frame[col].str.strip().replace("<1", "0.5"), errors="coerce")
        if values.isna().any():
            line = int(values.isna().to_numpy().argmax()) + start + 2
            raise DataValidationError(f"{path}: column {col!r} line {line}: expected a number 0–100 or '<1'")
        monthly = values.groupby(frame[period].dt.to_period("M")).mean()
        rows.append(
            pd.DataFrame(
                {
                    "keyword": m["keyword"].strip(),
                    "month": monthly.index.to_timestamp(),
                    "demand": monthly.to_numpy(),
                    "region": m["region"].strip(),
                    "source": "google_trends",
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def read_keyword_planner(path) -> pd.DataFrame:
    """A Keyword Planner keyword-ideas CSV as search_demand rows (source 'keyword_planner')."""
    path = Path(path)
    lines = _text(path).splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.split("\t")[0].strip() == "Keyword"), None)
    if start is None:
        raise DataValidationError(f"{path}: not a Keyword Planner export — no header line starting with 'Keyword'")
    frame = pd.read_csv(io.StringIO("\n".join(lines[start:])), sep="\t", dtype=str)
    months = {c: _PLANNER_MONTH.match(c.strip()) for c in frame.columns}
    months = {c: pd.Timestamp(m["month"]) for c, m in months.items() if m}
    if not months:
        raise DataValidationError(f"{path}: no 'Searches: Mon YYYY' columns; columns are {list(frame.columns)}")

    def num(col: str) -> pd.Series:
        return pd.to_numeric(frame[col].str.replace(",", "", regex=False), errors="coerce") if col in frame else None

    low, high = num("Top of page bid (low range)"), num("Top of page bid (high range)")
    cpc = (low + high) / 2 if low is not None and high is not None else None
    competition = num("Competition (indexed value)")
    out = frame[["Keyword", *months]].melt(id_vars="Keyword", var_name="col", value_name="demand")
    out["demand"] = pd.to_numeric(out["demand"].str.replace(",", "", regex=False), errors="coerce")
    out = pd.DataFrame(
        {
            "keyword": out["Keyword"].str.strip(),
            "month": out["col"].map(months),
            "demand": out["demand"],
            "source": "keyword_planner",
        }
    )
    per_kw = frame["Keyword"].str.strip()
    if cpc is not None:
        out["cpc"] = out["keyword"].map(dict(zip(per_kw, cpc, strict=True)))
    if competition is not None:
        out["competition"] = out["keyword"].map(dict(zip(per_kw, competition, strict=True)))
    return out


def read_wordstat(path, phrase: str | None = None) -> pd.DataFrame:
    """A Wordstat monthly dynamics export as search_demand rows (source 'wordstat')."""
    path = Path(path)
    frame = pd.read_csv(io.StringIO(_text(path)), sep=None, engine="python", dtype=str)
    frame.columns = [c.strip() for c in frame.columns]
    for col in ("Период", "Число запросов"):
        if col not in frame.columns:
            raise DataValidationError(f"{path}: Wordstat export needs column {col!r}; found {list(frame.columns)}")
    if phrase is None and "Фраза" not in frame.columns:
        raise DataValidationError(f"{path}: give the phrase (phrase=...) or a 'Фраза' column")
    month = pd.to_datetime(frame["Период"].str.strip(), dayfirst=True, errors="coerce")
    demand = pd.to_numeric(frame["Число запросов"].str.replace(r"\s", "", regex=True), errors="coerce")
    if month.isna().any() or demand.isna().any():
        line = int((month.isna() | demand.isna()).to_numpy().argmax()) + 2
        raise DataValidationError(f"{path}: line {line}: expected a date in 'Период' and a number in 'Число запросов'")
    return pd.DataFrame(
        {
            "keyword": frame["Фраза"].str.strip() if phrase is None else phrase,
            "month": month.dt.to_period("M").dt.to_timestamp(),
            "demand": demand,
            "source": "wordstat",
        }
    )


def read_search_demand(path, source: str, **kwargs) -> pd.DataFrame:
    """Read an export of `source` ('google_trends', 'keyword_planner' or 'wordstat')."""
    readers = {"google_trends": read_google_trends, "keyword_planner": read_keyword_planner, "wordstat": read_wordstat}
    if source not in readers:
        raise ValueError(f"source must be one of {', '.join(readers)}; got {source!r}")
    return readers[source](path, **kwargs)
