"""Ad groups as files the ad platforms import: Yandex Direct (Direct Commander) and Google Ads Editor.

Yandex Direct Commander, "File format and field population rules"
(yandex.com/support/direct-commander-new/en/advanced/file-format): CSV/TXT files are UTF-8,
tab-separated, first line the field names, which must be in Russian; column order does not matter
and columns may be missing; one file may hold several campaigns. We write one row per keyword:
"Название группы" (ad group), "Фраза (с минус-словами)" (the keyword, the group's negative words
appended as " -word"), "Ставка" (bid) and "Минус-фразы на группу" (the negative words).

Google Ads Editor, "Import a CSV file" (support.google.com/google-ads/editor/answer/57747):
headers in English (case and spaces do not matter), an empty field changes nothing. We write
"Campaign", "Ad group", "Keyword", "Criterion Type" (Broad / Phrase / Exact; negatives as
"Campaign Negative Broad" rows without an ad group) and "Max CPC".
"""

from __future__ import annotations

import pandas as pd

from workbench.i18n import ngettext

__all__ = [
    "GOOGLE_ADS_EDITOR_COLUMNS",
    "YANDEX_DIRECT_COLUMNS",
    "download_link_html",
    "google_ads_editor_frame",
    "import_file_links",
    "write_exports",
    "yandex_direct_frame",
]

YANDEX_DIRECT_COLUMNS = ("Название группы", "Фраза (с минус-словами)", "Ставка", "Минус-фразы на группу")
GOOGLE_ADS_EDITOR_COLUMNS = ("Campaign", "Ad group", "Keyword", "Criterion Type", "Max CPC")
MATCH_TYPES = ("Broad", "Phrase", "Exact")


def _bid(row: pd.Series, bid: float | None) -> str:
    value = bid if bid is not None else row.get("cpc")
    return "" if value is None or pd.isna(value) else f"{float(value):.2f}"


def yandex_direct_frame(groups: pd.DataFrame, negatives: list[str], bid: float | None = None) -> pd.DataFrame:
    """One row per keyword of `groups` (from keywords.ad_groups) in Direct Commander's columns.
    Bids are `bid` or the group's CPC; the negatives are added to every group."""
    minus = " ".join(f"-{w}" for w in negatives)
    rows = [
        (r["ad_group"], f"{kw} {minus}".strip(), _bid(r, bid), ", ".join(negatives))
        for _, r in groups.iterrows()
        for kw in r["keywords"]
    ]
    return pd.DataFrame(rows, columns=list(YANDEX_DIRECT_COLUMNS))


def google_ads_editor_frame(
    groups: pd.DataFrame, negatives: list[str], campaign: str, match_type: str = "Phrase", bid: float | None = None
) -> pd.DataFrame:
    """One row per keyword (criterion `match_type`) plus one campaign-level negative row per word."""
    if match_type not in MATCH_TYPES:
        raise ValueError(f"match_type must be one of {', '.join(MATCH_TYPES)}; got {match_type!r}")
    if not str(campaign).strip():
        raise ValueError("campaign must be a non-empty name")
    rows = [
        (campaign, r["ad_group"], kw, match_type, _bid(r, bid)) for _, r in groups.iterrows() for kw in r["keywords"]
    ]
    rows += [(campaign, "", w, "Campaign Negative Broad", "") for w in negatives]
    return pd.DataFrame(rows, columns=list(GOOGLE_ADS_EDITOR_COLUMNS))


def write_exports(yandex: pd.DataFrame, google: pd.DataFrame, folder) -> dict[str, str]:
    """Write `yandex_direct.tsv` (UTF-8, tab) and `google_ads_editor.csv` (UTF-8, comma) into
    `folder`; returns {platform: path}."""
    from pathlib import Path

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    y, g = out / "yandex_direct.tsv", out / "google_ads_editor.csv"
    yandex.to_csv(y, sep="\t", index=False, encoding="utf-8", lineterminator="\n")
    google.to_csv(g, index=False, encoding="utf-8", lineterminator="\n")
    return {"yandex_direct": str(y), "google_ads_editor": str(g)}


def download_link_html(frame: pd.DataFrame, filename: str, sep: str = ",") -> str:
    """An HTML link that saves `frame` as `filename` (UTF-8) from the report itself: the file is
    embedded as a data: URI, so the self-contained report needs no server and no network."""
    import base64
    import html

    text = frame.to_csv(sep=sep, index=False, lineterminator="\n")
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    mime = "text/tab-separated-values" if sep == "\t" else "text/csv"
    name = html.escape(filename)
    rows = ngettext("{n} row", "{n} rows", len(frame)).format(n=len(frame))
    return f'<a download="{name}" href="data:{mime};charset=utf-8;base64,{data}">{name}</a> ({rows})'


def import_file_links(
    groups: pd.DataFrame, negatives: list[str], campaign_name: str, bid: float | None = None
) -> list[str]:
    """Download links of the ad groups as a Yandex Direct (TSV) and a Google Ads Editor (CSV) import file,
    both carrying the negative keywords, for the report's "import files" line."""
    return [
        download_link_html(yandex_direct_frame(groups, negatives, bid=bid), "yandex_direct.tsv", "\t"),
        download_link_html(google_ads_editor_frame(groups, negatives, campaign_name, bid=bid), "google_ads_editor.csv"),
    ]
