"""Import files for the ad platforms, the report's sentences, and the search-demand export readers."""

from __future__ import annotations

import base64

import pandas as pd
import pytest

from workbench.analysis.content import wording as W
from workbench.analysis.content.export import (
    GOOGLE_ADS_EDITOR_COLUMNS,
    YANDEX_DIRECT_COLUMNS,
    download_link_html,
    google_ads_editor_frame,
    write_exports,
    yandex_direct_frame,
)
from workbench.data.search_demand_exports import read_keyword_planner, read_search_demand, read_wordstat
from workbench.errors import DataValidationError

GROUPS = pd.DataFrame(
    {
        "ad_group": ["купить палатку", "tent price"],
        "intent": ["commercial", "commercial"],
        "keywords": [["купить палатку", "палатка цена"], ["tent price"]],
        "n_keywords": [2, 1],
        "demand": [28213.0, 900.0],
        "cpc": [19.04, float("nan")],
    }
)


def test_yandex_direct_file_is_utf8_tab_separated_with_russian_headers(tmp_path):
    y = yandex_direct_frame(GROUPS, ["бесплатно", "free"])
    g = google_ads_editor_frame(GROUPS, ["бесплатно", "free"], "Search — generic")
    paths = write_exports(y, g, tmp_path)
    lines = open(paths["yandex_direct"], encoding="utf-8").read().splitlines()
    assert lines[0].split("\t") == list(YANDEX_DIRECT_COLUMNS)
    assert lines[1].split("\t") == ["купить палатку", "купить палатку -бесплатно -free", "19.04", "бесплатно, free"]
    assert lines[3].split("\t")[2] == ""  # no CPC known: bid left empty (Commander keeps its default)
    google = pd.read_csv(paths["google_ads_editor"], keep_default_na=False)
    assert list(google.columns) == list(GOOGLE_ADS_EDITOR_COLUMNS)
    assert google["Criterion Type"].tolist() == ["Phrase"] * 3 + ["Campaign Negative Broad"] * 2
    assert (google.loc[3:, "Ad group"] == "").all()


def test_export_arguments_are_checked():
    with pytest.raises(ValueError, match="match_type must be one of Broad, Phrase, Exact"):
        google_ads_editor_frame(GROUPS, [], "c", match_type="broad")
    with pytest.raises(ValueError, match="campaign"):
        google_ads_editor_frame(GROUPS, [], " ")


def test_download_link_carries_the_file():
    frame = pd.DataFrame({"a": ["ё"], "b": [1]})
    html = download_link_html(frame, "x.tsv", "\t")
    payload = html.split("base64,", 1)[1].split('"', 1)[0]
    assert base64.b64decode(payload).decode("utf-8") == "a\tb\nё\t1\n" and 'download="x.tsv"' in html


def test_sentences_follow_the_numbers():
    by_topic = pd.DataFrame(
        {"topic_name": ["tent", "ski"], "engagement_rate": [0.05, 0.031], "rate_low": [0.045, 0.028],
         "rate_high": [0.055, 0.034], "items": [10, 12]}
    )  # fmt: skip
    assert W.what_to_write(by_topic, 0.03).startswith("Write more on «tent» (5.0%, 95% interval 4.5%–5.5%, 10 items)")
    assert W.what_to_write(by_topic, 0.06).startswith("No topic engages clearly more than the 6.0% average")
    trends = pd.DataFrame(
        {
            "group": ["a", "b", "c"],
            "direction": ["rising", "falling", "flat"],
            "relative_slope_per_year": [0.32, -0.29, 0.0],
        }
    )
    assert W.describe_trends(trends) == (
        "Rising: a (+32% a year). Falling: b (-29% a year). No lasting change beyond noise and season: c."
    )
    cal = pd.DataFrame([[0.0] * 5 + [0.61] + [0.0] * 6], index=["палатка"], columns=range(1, 13))
    cal.attrs["peaks"] = {"палатка": [6]}
    assert W.describe_seasonality(cal).startswith("Demand peaks: палатка in June (+61% on its usual level)")
    best = pd.DataFrame(
        {"platform": ["vk"], "weekday": [1], "weekday_name": ["Tuesday"], "hour": [19], "rate_shrunk": [0.072],
         "platform_rate": [0.042], "posts": [46], "lift": [1.71]}
    )  # fmt: skip
    active = pd.DataFrame({"weekday": [1], "hour": [19]})
    assert W.describe_best_times(best, active) == [
        "vk: publish on Tuesday 19:00 — engagement 7.2% against 4.2% for all vk posts (46 posts in that slot); "
        "the site's audience is among its most active then."
    ]
    assert "no slot engages clearly more" in W.describe_best_times(best.assign(lift=1.0))[0]
    neg = pd.DataFrame({"negative_keyword": ["free"], "reason": ["free"], "n_keywords": [1], "demand": [1240.0]})
    assert W.describe_negatives(neg) == "Add as negative keywords: free (free: 1 keyword, 1.2k searches a month)."
    assert W.describe_topics(8, 0.52, 0.99).endswith("adjusted Rand index of 0.99 (stable).")


def test_keyword_planner_utf16_export(tmp_path):
    # Layout of a "Download keyword ideas" CSV: two title lines, tab-separated, UTF-16.
    text = (
        "Keyword Stats 2026-11-01 at 10_00_00\n"
        "October 1, 2025 - September 30, 2026\n"
        "Keyword\tCurrency\tAvg. monthly searches\tCompetition\tCompetition (indexed value)\t"
        "Top of page bid (low range)\tTop of page bid (high range)\tSearches: Aug 2026\tSearches: Sep 2026\n"
        "buy tent\tRUB\t1,000\tHigh\t80\t10.00\t30.00\t1,200\t900\n"
    )
    p = tmp_path / "kp.csv"
    p.write_bytes(text.encode("utf-16"))
    out = read_keyword_planner(p)
    assert out["demand"].tolist() == [1200, 900] and out["cpc"].tolist() == [20.0, 20.0]
    assert out["month"].tolist() == [pd.Timestamp("2026-08-01"), pd.Timestamp("2026-09-01")]
    assert out["competition"].iloc[0] == 80


def test_wordstat_export_and_clear_errors(tmp_path):
    p = tmp_path / "ws.csv"
    p.write_text("Период;Число запросов\n01.08.2026;12 345\n01.09.2026;9 000\n", encoding="utf-8")
    out = read_search_demand(p, "wordstat", phrase="купить палатку")
    assert out["demand"].tolist() == [12345, 9000] and (out["keyword"] == "купить палатку").all()
    with pytest.raises(DataValidationError, match="give the phrase"):
        read_wordstat(p)
    p.write_text("Период;Число запросов\nавгуст;12\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="line 2"):
        read_wordstat(p, phrase="x")
    bad = tmp_path / "t.csv"
    bad.write_text("hello\n1,2\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="not a Google Trends export"):
        read_search_demand(bad, "google_trends")
    with pytest.raises(ValueError, match="source must be one of"):
        read_search_demand(bad, "bing")


def test_import_file_links_carry_both_editors_files_with_the_negatives():
    import re

    from workbench.analysis.content.export import import_file_links

    groups = pd.DataFrame({"ad_group": ["shoes"], "keywords": [["red shoes", "blue shoes"]], "cpc": [12.5]})
    links = import_file_links(groups, ["free"], "Spring", bid=10.0)
    assert [re.search(r'download="([^"]+)"', link).group(1) for link in links] == [
        "yandex_direct.tsv",
        "google_ads_editor.csv",
    ]
    yandex = base64.b64decode(re.search(r"base64,([^\"]+)", links[0]).group(1)).decode()
    assert "red shoes" in yandex and "free" in yandex
