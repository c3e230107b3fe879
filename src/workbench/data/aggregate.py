"""Aggregations over event-level files run in DuckDB, so that reports never load every row into
pandas (a 10-million-row sessions file aggregates in well under 1 GB; see benchmarks/bench_data.py).

Each function takes a CSV/Parquet path (relative paths from the project root) or a DataFrame.
CSV files get the same delimiter/encoding/decimal sniffing and column-name normalisation as `load`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.config import resolve
from workbench.data.contracts import rename_for
from workbench.data.readers import _SNIFF_BYTES, _decode_sample, normalise_name, sniff_delimiter
from workbench.errors import DataValidationError

Source = "str | os.PathLike[str] | pd.DataFrame"
MEMORY_LIMIT = "700MB"


def _connect():
    import duckdb

    con = duckdb.connect(
        config={
            "memory_limit": MEMORY_LIMIT,
            "threads": min(4, os.cpu_count() or 1),
            "temp_directory": tempfile.gettempdir(),
            "preserve_insertion_order": False,
        }
    )
    try:
        con.execute("SET enable_progress_bar = false")
    except duckdb.InvalidInputException:
        # Inside Jupyter without ipywidgets duckdb refuses to touch the setting, and it is off there.
        pass
    return con


def _q(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


@contextmanager
def _table(source, required: tuple[str, ...], rename: dict | None = None) -> Iterator[tuple[Any, str, dict]]:
    """Open `source` as a DuckDB relation named `src` with normalised column names.
    Yields (connection, display name, {normalised name: original name})."""
    con = _connect()
    tmp_path = None
    try:
        if isinstance(source, pd.DataFrame):
            con.register("raw", source)
            name = "<frame>"
        else:
            path = resolve(source)
            name = path.name
            if not path.is_file():
                raise DataValidationError(f"{name}: file not found: {path}")
            with open(path, "rb") as fh:
                head = fh.read(_SNIFF_BYTES)
            if head[:4] == b"PAR1" or path.suffix.lower() in (".parquet", ".pq"):
                con.execute(f"CREATE VIEW raw AS SELECT * FROM read_parquet('{_sql_str(path)}')")
            else:
                if not head.strip():
                    raise DataValidationError(f"{name}: the file is empty (expected a header line and data rows)")
                encoding, sample = _decode_sample(head)
                if not encoding:
                    raise DataValidationError(f"{name}: cannot decode the file as UTF-8, UTF-16 or cp1251 text")
                delim = sniff_delimiter(sample) or ","
                if encoding not in ("utf-8", "utf-8-sig"):
                    tmp_path = _transcode(path, encoding)
                    path = tmp_path
                dec = ", decimal_separator=','" if delim == ";" else ""
                con.execute(
                    f"CREATE VIEW raw AS SELECT * FROM read_csv('{_sql_str(path)}', delim='{_sql_str(delim)}', "
                    f"header=true, quote='\"', escape='\"'{dec})"
                )
        cols = [r[0] for r in con.execute("DESCRIBE raw").fetchall()]
        mapping = {normalise_name(c): c for c in cols}
        if rename:
            for k, v in rename.items():
                if normalise_name(k) in mapping:
                    mapping[normalise_name(v)] = mapping.pop(normalise_name(k))
        missing = [c for c in required if c not in mapping]
        if missing:
            raise DataValidationError(
                f"{name}: missing required column{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}. "
                f"Found columns: {', '.join(mapping)}"
            )
        select = ", ".join(f"{_q(orig)} AS {_q(norm)}" for norm, orig in mapping.items())
        con.execute(f"CREATE VIEW src AS SELECT {select} FROM raw")
        yield con, name, mapping
    finally:
        con.close()
        if tmp_path is not None:
            tmp_path.unlink(missing_ok=True)


def _sql_str(value) -> str:
    return str(value).replace("'", "''")


def _transcode(path: Path, encoding: str) -> Path:
    """cp1251/UTF-16 → a temporary UTF-8 copy, streamed in chunks (DuckDB reads UTF-8)."""
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="wb-utf8-")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as out, open(path, encoding=encoding, newline="") as src:
        while chunk := src.read(1 << 22):
            out.write(chunk)
    return Path(tmp)


def _run(con, name: str, sql: str) -> pd.DataFrame:
    import duckdb

    try:
        return con.execute(sql).df()
    except (duckdb.ConversionException, duckdb.InvalidInputException, duckdb.BinderException) as exc:
        raise DataValidationError(f"{name}: {str(exc).splitlines()[0]}") from None


def sessions_by_hour_device(source, *, rename: dict | None = None) -> pd.DataFrame:
    """Sessions per device × weekday (0 = Monday) × hour, with conversions and revenue when present."""
    rename = rename_for("sessions", rename)
    with _table(source, ("started_at", "device"), rename) as (con, name, cols):
        conv = "SUM(CASE WHEN CAST(converted AS BOOLEAN) THEN 1 ELSE 0 END)" if "converted" in cols else "NULL"
        rev = "SUM(CAST(revenue AS DOUBLE))" if "revenue" in cols else "NULL"
        df = _run(
            con,
            name,
            f"""
            WITH s AS (SELECT device, CAST(started_at AS TIMESTAMP) AS t
                       {", converted" if "converted" in cols else ""}
                       {", revenue" if "revenue" in cols else ""} FROM src)
            SELECT device, CAST(isodow(t) - 1 AS INTEGER) AS weekday, CAST(hour(t) AS INTEGER) AS hour,
                   COUNT(*) AS sessions, {conv} AS conversions, {rev} AS revenue
            FROM s GROUP BY ALL ORDER BY device, weekday, hour""",
        )
    df["sessions"] = df["sessions"].astype("int64")
    if "converted" in cols:
        df["conversions"] = df["conversions"].astype("int64")
    else:
        df = df.drop(columns="conversions")
    if "revenue" in cols:
        df["revenue"] = df["revenue"].astype(float).fillna(0.0)
    else:
        df = df.drop(columns="revenue")
    return df


def daily_ad_stats(source, *, rename: dict | None = None) -> pd.DataFrame:
    """Ad statistics summed per day × channel × campaign (ad groups and creatives folded in)."""
    rename = rename_for("ad_stats", rename)
    with _table(source, ("date", "campaign", "channel", "impressions", "clicks", "cost"), rename) as (con, name, cols):
        extra = ""
        for c in ("conversions", "revenue"):
            if c in cols:
                extra += f", SUM(CAST({c} AS {'BIGINT' if c == 'conversions' else 'DOUBLE'})) AS {c}"
        df = _run(
            con,
            name,
            f"""
            SELECT CAST(CAST(date AS TIMESTAMP) AS DATE) AS date, channel, campaign,
                   SUM(CAST(impressions AS BIGINT)) AS impressions, SUM(CAST(clicks AS BIGINT)) AS clicks,
                   SUM(CAST(cost AS DOUBLE)) AS cost{extra}
            FROM src GROUP BY ALL ORDER BY date, channel, campaign""",
        )
    df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]")
    for c in ("impressions", "clicks", "conversions"):
        if c in df:
            df[c] = df[c].astype("int64")
    return df


def touchpoints_to_paths(source, *, lookback_days: float | None = None, rename: dict | None = None) -> pd.DataFrame:
    """Touchpoints → distinct paths with conversions, non-conversions and value.

    A user's touches are ordered by time (ties: non-converting first, then channel) and split into
    journeys at each conversion (the converting touch closes its journey). Touches after a user's
    last conversion form a journey without conversion. With lookback_days, only touches within that
    many days before the journey's last touch count. Channels are joined with " > ".

    How (10M touches in seconds, see benchmarks/bench_data.py): DuckDB reads the file once into
    integers — user ids hashed to 64 bits (a collision needs ~4 billion users to become likely),
    channels numbered in name order, times in microseconds — and sorts it once; journeys are then
    cut and each path is encoded as one integer (channel codes as digits) with numpy, so only the
    distinct paths are ever turned into strings.
    """
    if lookback_days is not None and not (lookback_days > 0):
        raise ValueError(f"lookback_days must be a positive number or None, got {lookback_days!r}")
    rename = rename_for("touchpoints", rename)
    with _table(source, ("user_id", "touched_at", "channel"), rename) as (con, name, cols):
        conv = "COALESCE(CAST(converted AS BOOLEAN), FALSE)" if "converted" in cols else "FALSE"
        val = "COALESCE(CAST(conversion_value AS DOUBLE), 0)" if "conversion_value" in cols else "0"
        _run(
            con,
            name,
            f"""
            CREATE TEMP TABLE tp AS SELECT CAST(user_id AS VARCHAR) IS NULL OR touched_at IS NULL AS bad,
                   hash(CAST(user_id AS VARCHAR)) AS u, CAST(touched_at AS TIMESTAMP) AS t,
                   COALESCE(CAST(channel AS VARCHAR), '(unknown)') AS ch, {conv} AS c,
                   CASE WHEN {conv} THEN {val} ELSE 0 END AS v FROM src""",
        )
        n_bad = con.execute("SELECT COUNT(*) FROM tp WHERE bad").fetchone()[0]
        if n_bad:
            raise DataValidationError(
                f"{name}: {n_bad} touchpoint(s) without user_id or touched_at; "
                "every touch needs both to be placed in a journey"
            )
        names = [r[0] for r in con.execute("SELECT DISTINCT ch FROM tp ORDER BY ch").fetchall()]
        con.execute(
            "CREATE TEMP TABLE chans AS SELECT unnest($1) AS ch, CAST(generate_subscripts($1, 1) AS USMALLINT) AS code",
            [names],
        )
        arr = con.execute("""SELECT tp.u, epoch_us(tp.t) AS t, tp.c, chans.code, tp.v
                             FROM tp JOIN chans USING (ch) ORDER BY u, t, c, code""").fetchnumpy()
    cols_np = {k: np.asarray(arr.pop(k)) for k in ("u", "t", "c", "code", "v")}
    del arr
    return _paths_from_sorted(cols_np, np.array(names, dtype=object), lookback_days)


def _paths_from_sorted(cols: dict, names: np.ndarray, lookback_days: float | None) -> pd.DataFrame:
    """Touches sorted by user, time, converted, channel code (1-based) → the paths table. `cols`
    (u, t, c, code, v arrays) is consumed, so that big arrays are freed as soon as possible."""
    n = len(cols["u"])
    if n == 0:
        return pd.DataFrame(
            {
                "path": pd.Series(dtype=object),
                "conversions": pd.Series(dtype="int64"),
                "non_conversions": pd.Series(dtype="int64"),
                "value": pd.Series(dtype=float),
            }
        )
    u = cols.pop("u")
    c = cols.pop("c").astype(bool, copy=False)
    start = np.ones(n, dtype=bool)
    start[1:] = (u[1:] != u[:-1]) | c[:-1]  # a new user, or the touch after a conversion
    del u
    starts = np.flatnonzero(start)
    ends = np.r_[starts[1:], n]
    del start
    jid = np.repeat(np.arange(len(starts)), ends - starts)
    v = cols.pop("v")
    conv_j, value_j = c[ends - 1], v[ends - 1].astype(float)  # the converting touch is always the journey's last
    del c, v
    t = cols.pop("t").astype(np.int64, copy=False)
    first = starts
    if lookback_days is not None:
        # touches are in time order, so the kept ones are a suffix of each journey
        early = t < t[ends - 1][jid] - int(round(lookback_days * 86400 * 1e6))
        first = starts + np.add.reduceat(early.astype(np.int64), starts)
        del early
    del t
    code = cols.pop("code")
    length = ends - first
    base = len(names) + 1
    max_digits = max(1, int(63 // np.log2(base)))
    short = length <= max_digits
    pos = np.arange(n)
    pos -= first[jid]
    use = short[jid]
    del jid
    use &= pos >= 0
    np.clip(pos, 0, max_digits - 1, out=pos)
    powers = np.uint64(base) ** np.arange(max_digits, dtype=np.uint64)
    digits = powers[pos]
    del pos
    np.multiply(digits, code, out=digits, casting="unsafe")
    digits[~use] = 0
    del use
    key = np.add.reduceat(digits, starts)  # each path as one integer: channel codes are its digits
    del digits
    j = pd.DataFrame({"key": key[short], "conv": conv_j[short].astype(np.int64), "value": value_j[short]})
    g = j.groupby("key", sort=False).agg(conversions=("conv", "sum"), journeys=("conv", "size"), value=("value", "sum"))
    keys = g.index.to_numpy(dtype=np.uint64)
    paths = []
    for k in keys.tolist():
        parts = []
        while k:
            k, d = divmod(k, base)
            parts.append(names[d - 1])
        paths.append(" > ".join(parts))
    out = pd.DataFrame(
        {
            "path": paths,
            "conversions": g["conversions"].to_numpy(),
            "non_conversions": (g["journeys"] - g["conversions"]).to_numpy(),
            "value": g["value"].to_numpy(),
        }
    )
    if (~short).any():  # journeys too long for one integer: joined as strings
        long_idx = np.flatnonzero(~short)
        lp = [
            " > ".join(names[code[a:b].astype(np.int64) - 1])
            for a, b in zip(first[long_idx], ends[long_idx], strict=False)
        ]
        lj = pd.DataFrame({"path": lp, "conv": conv_j[long_idx].astype(np.int64), "value": value_j[long_idx]})
        lg = (
            lj.groupby("path", sort=False)
            .agg(conversions=("conv", "sum"), journeys=("conv", "size"), value=("value", "sum"))
            .reset_index()
        )
        lg["non_conversions"] = lg["journeys"] - lg["conversions"]
        out = pd.concat([out, lg[["path", "conversions", "non_conversions", "value"]]], ignore_index=True)
    out["conversions"] = out["conversions"].astype("int64")
    out["non_conversions"] = out["non_conversions"].astype("int64")
    out["value"] = out["value"].astype(float).round(2)
    return out.sort_values(
        ["conversions", "non_conversions", "path"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)


def paths_from_touchpoints_frame(df: pd.DataFrame, *, lookback_days: float | None = None) -> pd.DataFrame:
    """The same as touchpoints_to_paths for an in-memory frame, in pandas (used by the sample
    generator; touchpoints_to_paths is the one to use on big files)."""
    conv = df["converted"].fillna(False).astype(bool) if "converted" in df else pd.Series(False, index=df.index)
    val = (
        df["conversion_value"].fillna(0.0).astype(float) if "conversion_value" in df else pd.Series(0.0, index=df.index)
    )
    t = pd.DataFrame(
        {
            "u": df["user_id"].astype(str),
            "t": pd.to_datetime(df["touched_at"]),
            "ch": df["channel"].astype(str),
            "c": conv.to_numpy(),
            "v": val.to_numpy(),
        }
    )
    t = t.sort_values(["u", "t", "c", "ch"], kind="stable").reset_index(drop=True)
    t["ci"] = t["c"].astype(np.int64)
    t["k"] = t.groupby("u", sort=False)["ci"].cumsum() - t["ci"]
    t["cv"] = t["v"].where(t["c"], 0.0)
    # journey number per row: rows are sorted by user, so (u, k) runs are contiguous
    new = np.ones(len(t), dtype=bool)
    if len(t):
        new[1:] = (t["u"].to_numpy()[1:] != t["u"].to_numpy()[:-1]) | (t["k"].to_numpy()[1:] != t["k"].to_numpy()[:-1])
    jid = np.cumsum(new) - 1
    n_j = int(jid[-1]) + 1 if len(t) else 0
    conv_j = np.bincount(jid, weights=t["ci"].to_numpy(), minlength=n_j) > 0
    value_j = np.bincount(jid, weights=t["cv"].to_numpy(), minlength=n_j)
    keep = np.ones(len(t), dtype=bool)
    if lookback_days is not None:
        tt = t["t"].to_numpy()
        end_t = pd.Series(tt).groupby(jid).max().to_numpy()
        keep = tt >= end_t[jid] - np.timedelta64(int(round(lookback_days * 86400 * 1e6)), "us")
    ch = t["ch"].to_numpy()[keep].tolist()
    jk = jid[keep]
    starts = np.flatnonzero(np.r_[True, jk[1:] != jk[:-1]]) if len(jk) else np.array([], dtype=np.int64)
    bounds = np.r_[starts, len(jk)]
    path = [" > ".join(ch[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=False)]
    js = jk[starts]
    j = pd.DataFrame(
        {
            "path": path,
            "conv": conv_j[js].astype(np.int64),
            "nonconv": (~conv_j[js]).astype(np.int64),
            "value": value_j[js],
        }
    )
    out = (
        j.groupby("path", sort=False)
        .agg(conversions=("conv", "sum"), non_conversions=("nonconv", "sum"), value=("value", "sum"))
        .reset_index()
    )
    out["conversions"] = out["conversions"].astype("int64")
    out["non_conversions"] = out["non_conversions"].astype("int64")
    out["value"] = out["value"].astype(float).round(2)
    return out.sort_values(
        ["conversions", "non_conversions", "path"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)
