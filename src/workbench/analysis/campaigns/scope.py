"""What part of each input a post-mortem reads: the campaign, the flight's dates, the variants.

A filter that keeps nothing is an error that lists the values (or the date range) that do exist,
with a did-you-mean, because an empty selection would otherwise print zeros ("spent 0 of a
732,000 budget") as if they were results. A filter that keeps very little is kept but flagged.
A paths file without non-conversions never silently means "every journey converted".
"""

from __future__ import annotations

import difflib

import pandas as pd

from workbench.analysis.campaigns.flight_sessions import FlightSessions
from workbench.errors import DataValidationError
from workbench.i18n import _, ngettext, pgettext
from workbench.report.format import grouped, localize, localize_formatted

__all__ = [
    "FEW_DAYS",
    "FEW_ROWS_SHARE",
    "flight_ads",
    "flight_ads_note",
    "sends_in_flight",
    "timing_best_by",
    "timing_source",
    "timing_table",
    "check_paths_have_non_conversions",
    "journeys_in_flight",
    "select_values",
    "select_window",
    "thin_note",
    "thin_selection_note",
    "window_error",
]

#: a selection keeping less than this share of a file's rows, or fewer days, is flagged in the report
FEW_ROWS_SHARE = 0.01
FEW_DAYS = 7


def _source(frame: pd.DataFrame, what: str) -> str:
    return str(frame.attrs.get("source", what))


def select_values(frame: pd.DataFrame, column: str, wanted: list[str] | str, key: str, what: str) -> pd.DataFrame:
    """Rows whose `column` is one of `wanted` (all rows when `wanted` is empty); nothing kept is an
    error naming the params `key`, the values that exist and the closest one."""
    values = [wanted] if isinstance(wanted, str) else list(wanted or [])
    values = [v for v in values if str(v).strip()]
    if not values:
        return frame
    have = sorted(frame[column].astype(str).unique())
    unknown = [v for v in values if str(v) not in have]
    if unknown:
        close = difflib.get_close_matches(str(unknown[0]), have, n=1, cutoff=0.5)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        shown = ", ".join(repr(h) for h in have[:30]) + (" …" if len(have) > 30 else "")
        raise DataValidationError(
            f"{key}: {unknown[0]!r} matches no {column} in {_source(frame, what)}; {column} values in the {what}: "
            f"{shown}.{hint}"
        )
    return frame[frame[column].astype(str).isin([str(v) for v in values])]


def select_window(frame: pd.DataFrame, column: str, start: str, end: str, what: str) -> pd.DataFrame:
    """Rows with `column` between start and end (dates inclusive); none is an error giving the
    file's own date range and the params keys to change."""
    when = pd.to_datetime(frame[column], errors="coerce")
    keep = (when >= pd.Timestamp(start)) & (when < pd.Timestamp(end) + pd.Timedelta(days=1))
    if not keep.any():
        raise window_error(_source(frame, what), column, start, end, when.min(), when.max())
    return frame[keep]


def window_error(source: str, column: str, start: str, end: str, lo: object, hi: object) -> DataValidationError:
    """The error of a flight that keeps no row of `source`, whose `column` runs from lo to hi."""
    span = f"{lo:%Y-%m-%d} to {hi:%Y-%m-%d}" if pd.notna(lo) else "no valid dates"
    return DataValidationError(
        f"start_date/end_date: no row of {source} falls between {start} and {end}; its {column} runs from {span}"
    )


def thin_selection_note(kept: pd.DataFrame, total_rows: int, date_col: str, what: str, how: str) -> str | None:
    """A warning sentence when a filter keeps under FEW_ROWS_SHARE of a file's rows or data on
    fewer than FEW_DAYS days, else None (a flight of one campaign in a multi-year file is normal)."""
    days = pd.to_datetime(kept[date_col], errors="coerce").dt.normalize().nunique()
    return thin_note(len(kept), total_rows, days, what, how)


def thin_note(kept: int, total_rows: int, days: int, what: str, how: str) -> str | None:
    """`thin_selection_note` from counts: `kept` of `total_rows` rows, on `days` days (rows summed on an
    engine tell the same as the rows they were summed from)."""
    if total_rows <= 0 or (kept / total_rows >= FEW_ROWS_SHARE and days >= FEW_DAYS):
        return None
    text = ngettext(
        "Only {kept} of {total} rows of the {what} ({share}, on {days} day) match {how}: check the filter before "
        "reading the numbers built on them.",
        "Only {kept} of {total} rows of the {what} ({share}, on {days} days) match {how}: check the filter before "
        "reading the numbers built on them.",
        days,
    )
    share = localize_formatted(f"{kept / total_rows:.1%}")
    return text.format(kept=grouped(kept), total=grouped(total_rows), what=what, share=share, days=days, how=how)


def flight_ads(ads: pd.DataFrame, campaign: str, start: str, end: str) -> tuple[pd.DataFrame, str | None]:
    """The campaign's ad statistics within the flight, and a warning when that is very little."""
    kept = select_values(ads, "campaign", campaign, "campaign", "ad statistics")
    kept = select_window(kept, "date", start, end, "ad statistics")
    days = pd.to_datetime(kept["date"], errors="coerce").dt.normalize().nunique()
    return kept, flight_ads_note(len(kept), len(ads), days, campaign, start, end)


def flight_ads_note(kept: int, total_rows: int, days: int, campaign: str, start: str, end: str) -> str | None:
    """The thin-selection warning of the flight's ad statistics: `kept` of the file's `total_rows` rows, on
    `days` days, match the campaign and the flight (counted in the kernel or on an engine alike)."""
    if campaign:
        how = _("campaign {campaign} and the flight {start} to {end}").format(
            campaign=repr(campaign), start=start, end=end
        )
    else:
        how = _("the flight {start} to {end}").format(start=start, end=end)
    return thin_note(kept, total_rows, days, pgettext("data, genitive", "ad statistics"), how)


def timing_source(sessions: pd.DataFrame | FlightSessions | None, touchpoints: pd.DataFrame | None) -> tuple | None:
    """(events, time column, success column or None, what they are) for the timing section:
    sessions when given, else touches; None when neither is. Counted sessions (FlightSessions) give
    their device × weekday × hour slots and no time column (`timing_table` sums them)."""
    if isinstance(sessions, FlightSessions):
        return sessions.slots, None, "conversions" if "converted" in sessions.columns else None, "sessions"
    if sessions is not None:
        return sessions, "started_at", "converted" if "converted" in sessions.columns else None, "sessions"
    if touchpoints is not None:
        return touchpoints, "touched_at", "converted" if "converted" in touchpoints.columns else None, "touches"
    return None


def timing_table(events: pd.DataFrame, time_col: str | None, success_col: str | None) -> pd.DataFrame:
    """The hour × weekday table of a `timing_source`: its rows counted, or its slot counts summed
    (time_col None) into the same columns."""
    from workbench.analysis.performance.session_counts import slot_table
    from workbench.analysis.stats.timing import hour_weekday_table

    return slot_table(events) if time_col is None else hour_weekday_table(events, time_col, success_col)


def timing_best_by(events: pd.DataFrame, time_col: str | None, success_col: str, by: str) -> pd.DataFrame:
    """`timing.best_times_by` of a `timing_source`: from rows, or from its slot counts (time_col None),
    each group of `by` ranked on its own table."""
    from workbench.analysis.performance.session_counts import slot_table
    from workbench.analysis.stats.timing import best_times_by, best_times_per_group

    if time_col is not None:
        return best_times_by(events, time_col, success_col, by)
    return best_times_per_group({g: slot_table(f) for g, f in events.groupby(by, sort=True, dropna=True)}, by)


def sends_in_flight(email_sends: pd.DataFrame, start: str, end: str) -> tuple[pd.DataFrame, str]:
    """The flight's e-mail sends, or every send (said so) when none fall in the flight."""
    when = pd.to_datetime(email_sends["sent_at"], errors="coerce")
    keep = (when >= pd.Timestamp(start)) & (when < pd.Timestamp(end) + pd.Timedelta(days=1))
    if keep.any():
        return email_sends[keep], _("sends between {start} and {end}").format(start=start, end=end)
    return email_sends, _("every send in the file (none fell within the flight)")


def check_paths_have_non_conversions(paths: pd.DataFrame, all_converted: bool = False) -> pd.DataFrame:
    """Stop when a paths file has no `non_conversions` column, unless the params say every path
    converted (`paths_all_converted: true`): without it P(conversion) reads 1 and Markov credit changes."""
    if "non_conversions" in paths.columns or all_converted:
        return paths
    found = ", ".join(map(str, paths.columns))
    raise DataValidationError(
        f"{_source(paths, 'paths')} (paths): no 'non_conversions' column, so every path would count as converted "
        f"(P(conversion) = 1, wrong Markov credit). Found columns: {found}. Map your export's columns in params, "
        "e.g. column_renames: {paths: {total_conversions: conversions, total_null: non_conversions, "
        "total_conversion_value: value}}; or, if every journey in the file really converted, set "
        "paths_all_converted: true."
    )


def journeys_in_flight(
    journeys: pd.DataFrame, start: str, end: str, lookback_days: float | None
) -> tuple[pd.DataFrame, str]:
    """The flight's journeys (those that end, by converting or lapsing, within it) and a caption
    saying which journeys count; every journey when none ended in the flight."""
    journey_end = journeys.groupby("journey_id")["touched_at"].transform("max")
    ends = (journey_end >= pd.Timestamp(start)) & (journey_end < pd.Timestamp(end) + pd.Timedelta(days=1))
    if ends.any():
        out, scope = journeys[ends], _("journeys that ended between {start} and {end}").format(start=start, end=end)
    else:
        out, scope = journeys, _("every journey in the touchpoints file (none ended within the flight)")
    if lookback_days:
        scope += _(", with touches up to {days} days before each journey's end").format(
            days=localize(f"{lookback_days:g}")
        )
    return out, scope
