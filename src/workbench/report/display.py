"""Small display blocks for notebooks: KPI tiles, tables, callouts, findings, "no data" notes, Markdown.

Built-in words ("Key findings", "No data for …", "Showing 50 of 1,234 rows.") and numbers are in the
report's language (`workbench.i18n`, `workbench.report.format`); English reads as it always has.

Every piece of text that may come from data is escaped here, so a brand called
``<script>`` shows as text in the report instead of running.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any

from workbench.i18n import _, ngettext
from workbench.report.format import grouped, label, localize, localize_formatted, p_value

_STATUS_CLASS = {
    "good": "wb-good",
    "on track": "wb-good",
    "ok": "wb-good",
    "warn": "wb-warn",
    "at risk": "wb-warn",
    "warning": "wb-warn",
    "bad": "wb-bad",
    "off track": "wb-bad",
    "danger": "wb-bad",
}
_style_shown = False


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def css() -> str:
    """The helpers' stylesheet (the renderer embeds it in every report)."""
    return resources.files("workbench.report").joinpath("style.css").read_text(encoding="utf-8")


class HTMLBlock:
    """A piece of ready, escaped HTML that Jupyter displays as HTML and tests can read as a string."""

    def __init__(self, body: str) -> None:
        self.body = body

    def _repr_html_(self) -> str:
        global _style_shown
        if not _style_shown:  # make the blocks look right in JupyterLab too
            _style_shown = True
            return f"<style>{css()}</style>{self.body}"
        return self.body

    def __str__(self) -> str:
        return self.body


def _format_cell(value: Any, spec: str) -> str:
    """Format one table cell; missing values of any kind (None, NaN, NaT, pd.NA) stay blank."""
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
    except (TypeError, ValueError):  # list-like cells are not missing
        pass
    return localize_formatted(spec.format(value))


def _is_plain_number_column(column: Any) -> bool:
    import pandas as pd

    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


#: Columns that hold p-values (or adjusted p-values / q-values) by their name.
P_VALUE_COLUMNS = {"p", "p_value", "pvalue", "p_adj", "p_adjusted", "p_value_adj", "q_value", "qvalue"}


def _is_p_value_column(column: Any) -> bool:
    return str(column).lower() in P_VALUE_COLUMNS


def _auto_format(value: Any) -> str:
    """Readable numbers for stakeholders: no scientific notation, thousands separators on large
    values, fewer decimals as values grow (a column of years such as 2025 stays as is)."""
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        return str(value)
    number = float(value)
    size = abs(number)
    if number.is_integer():
        return localize(f"{number:,.0f}" if size >= 10_000 else f"{number:.0f}")
    if size >= 10_000:
        return localize(f"{number:,.0f}")
    if size >= 100:
        return localize(f"{number:,.1f}")
    if size >= 1:
        return localize(f"{number:.2f}")
    return localize(f"{number:.3g}")


def kpi_tiles(items: Iterable[Mapping[str, Any]]) -> HTMLBlock:
    """Tiles of headline numbers. Each item: label, value (already formatted or a number),
    optional note (e.g. "target 3.0, +12%") and status (good / warn / bad)."""
    tiles = []
    for item in items:
        status = _STATUS_CLASS.get(str(item.get("status", "")).lower(), "")
        value = item.get("value")
        if isinstance(value, float):
            value = localize(f"{value:,.2f}")
        elif isinstance(value, int):
            value = localize(f"{value:,}")
        note = item.get("note")
        tiles.append(
            f'<div class="wb-kpi {status}"><div class="wb-kpi-label">{_esc(item.get("label"))}</div>'
            f'<div class="wb-kpi-value">{_esc(value)}</div>'
            + (f'<div class="wb-kpi-note">{_esc(note)}</div>' if note else "")
            + "</div>"
        )
    return HTMLBlock(f'<div class="wb-kpis">{"".join(tiles)}</div>')


def table(
    frame: Any,
    caption: str | None = None,
    formats: Mapping[str, str] | None = None,
    max_rows: int = 50,
    index: bool = False,
) -> HTMLBlock:
    """A DataFrame as an escaped HTML table. `formats` maps column -> format spec ("{:.1%}").

    Column names read as labels ('share_customers' -> 'Share customers'), p-value columns as
    '< 0.001' rather than '0', so every table reads the same without each notebook renaming."""

    shown = frame.head(max_rows).copy()
    text_columns = [i for i, c in enumerate(shown.columns) if not _is_plain_number_column(shown[c])]
    formats = dict(formats or {})
    for column in shown.columns:
        if column in formats:
            shown[column] = [_format_cell(v, formats[column]) for v in shown[column]]
        elif _is_p_value_column(column) and _is_plain_number_column(shown[column]):
            shown[column] = [p_value(v, empty="") for v in shown[column]]
        elif _is_plain_number_column(shown[column]):
            shown[column] = [_auto_format(v) for v in shown[column]]
    shown.columns = [label(c) for c in shown.columns]
    if index and shown.index.name is not None:
        shown.index.name = label(shown.index.name)
    body = shown.to_html(index=index, escape=True, border=0, classes="wb-table", na_rep="–")
    if caption:
        # pandas writes border="0" in some versions and not in others: match the opening tag either way
        body = re.sub(
            r'<table[^>]*class="dataframe wb-table"[^>]*>',
            lambda _: f'<table class="dataframe wb-table"><caption>{_esc(caption)}</caption>',
            body,
            count=1,
        )
    body = _align_text_left(body, [i + 1 + (1 if index else 0) for i in text_columns])
    if len(frame) > max_rows:
        shown_of = ngettext("Showing {shown} of {total} row.", "Showing {shown} of {total} rows.", len(frame))
        note = shown_of.format(shown=grouped(max_rows), total=grouped(len(frame)))
        body += f'<p class="wb-kpi-note">{_esc(note)}</p>'
    return HTMLBlock(body)


def _align_text_left(body: str, positions: list[int]) -> str:
    """Numbers stay right-aligned, text columns (names, labels, verdicts) read left-aligned.
    The table gets an id derived from its content, so rendered reports stay byte-stable."""
    if not positions:
        return body
    table_id = "wbt-" + hashlib.sha1(body.encode("utf-8")).hexdigest()[:10]
    body = body.replace("<table ", f'<table id="{table_id}" ', 1)
    selectors = ", ".join(f"#{table_id} td:nth-child({p}), #{table_id} th:nth-child({p})" for p in positions)
    return f"<style>{selectors} {{ text-align: left; }}</style>{body}"


def callout(text: str, kind: str = "info", title: str | None = None) -> HTMLBlock:
    """A highlighted note: kind is info, success, warning or danger."""
    cls = {"info": "", "success": "wb-success", "warning": "wb-warning", "danger": "wb-danger"}.get(kind)
    if cls is None:
        raise ValueError(f"callout kind must be one of info, success, warning, danger; got {kind!r}")
    head = f'<div class="wb-callout-title">{_esc(title)}</div>' if title else ""
    return HTMLBlock(f'<div class="wb-callout {cls}">{head}{_esc(text)}</div>')


def findings(items: Sequence[str], title: str | None = None) -> HTMLBlock:
    """A bulleted list of findings in words (an executive summary); the title defaults to "Key findings"."""
    title = _("Key findings") if title is None else title
    lis = "".join(f"<li>{_esc(i)}</li>" for i in items)
    return HTMLBlock(
        f'<div class="wb-callout"><div class="wb-callout-title">{_esc(title)}</div>'
        f'<ul class="wb-findings">{lis}</ul></div>'
    )


def no_data(section: str, reason: str) -> HTMLBlock:
    """The plain statement a section shows when its optional input is absent."""
    text = _("No data for {section}: {reason}").format(section=section, reason=reason)
    return HTMLBlock(f'<div class="wb-nodata">{_esc(text)}</div>')


class MarkdownBlock:
    """Markdown text that Jupyter and nbconvert render as a markdown cell would be rendered: the way a
    notebook shows headings and prose in the report's language (markdown cells cannot change with it)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


def markdown(text: str) -> MarkdownBlock:
    """Show `text` (Markdown, usually a translated message with a heading) as the notebook's own prose."""
    return MarkdownBlock(text)
