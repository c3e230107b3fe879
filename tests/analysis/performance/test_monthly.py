"""Wording rules of the monthly report: unusual vs not distinguishable, movers, best times, tiles."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.analysis.performance.changes import change_flags
from workbench.analysis.performance.monthly import (
    best_time_sentence,
    change_sentences,
    monthly_summary,
    mover_sentences,
    new_campaign_sentences,
)
from workbench.analysis.performance.views import changes_view, slots_view

MONTH = pd.Period("2026-06", "M")


def _metrics(jump: float = 1.0) -> pd.DataFrame:
    rng = np.random.default_rng(4)
    idx = pd.period_range("2024-01", MONTH, freq="M")
    season = 1 + 0.2 * np.sin(2 * np.pi * idx.month / 12)
    sessions = np.asarray(10_000 * season * np.exp(rng.normal(0, 0.03, len(idx))))
    sessions[-1] *= jump
    conv = sessions * 0.05
    return pd.DataFrame(
        {"sessions": sessions, "conversions": conv, "conversion_rate": conv / sessions, "revenue": conv * 5000},
        index=idx,
    )


def _movers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_medium": ["google / cpc", "vk / social"],
            "direction": ["up", "down"],
            "prev_sessions": [1000, 1000],
            "sessions": [1300, 980],
            "change": [300, -20],
            "mom_change": [0.3, -0.02],
        }
    )


def test_quiet_month_is_not_distinguishable_with_the_detectable_size_stated():
    ch = change_flags(_metrics(), MONTH)
    text = change_sentences(ch)
    assert len(text) == 1 and "not distinguishable from normal variation (changes under" in text[0]
    detect = ch.set_index("metric").loc["sessions", "detectable"]
    assert f"{detect:.0%} in sessions" in text[0] and "with 29 months of history" in text[0]
    assert "no change" not in text[0].lower()


def test_unusual_month_names_value_expectation_and_false_flag_rate():
    ch = change_flags(_metrics(jump=1.6)[["sessions"]], MONTH)
    text = change_sentences(ch)
    assert text[0].startswith("Unusual: sessions ") and "above what the trend and the season led to expect" in text[0]
    assert text[-1] == "A metric is called unusual when nothing changed in 1% of months."


def test_short_history_is_said_to_be_untested():
    ch = change_flags(_metrics().iloc[-15:], MONTH)
    assert change_sentences(ch) == [
        "Not tested against normal variation: sessions, conversions, conversion rate, revenue "
        "(only 14 months of history; two years are needed to tell a change from the season)."
    ]


def test_movers_under_five_percent_are_not_news():
    assert mover_sentences(_movers(), MONTH) == ["Biggest riser: google / cpc (+300 sessions, +30%)."]
    quiet = _movers().assign(mom_change=[0.01, -0.01])
    assert mover_sentences(quiet, MONTH) == ["No source / medium moved by 5% or more against May."]


def test_new_campaigns_and_their_weaker_clicks():
    live = pd.DataFrame(
        {"campaign": ["launch", "brand"], "cost": [1e5, 5e4], "clicks": [1000, 1000], "conversions": [10, 40]}
    )
    out = new_campaign_sentences(live, live[live["campaign"] == "brand"])
    assert out[0].startswith("Live this month but not a year ago: launch (100,000 RUB, 1,000 clicks")
    assert out[1] == (
        "Its clicks convert at 1.0% against 4.0% for the always-on campaigns, "
        "so the extra visits pull the site-wide conversion rate down."
    )
    assert new_campaign_sentences(live, live) == []


def test_best_time_named_only_with_evidence():
    window = (pd.Timestamp("2026-04-01"), MONTH)
    none = pd.DataFrame(columns=["weekday", "hour", "n", "rate_shrunk"])
    none.attrs.update(no_difference=True, difference_p=0.41)
    assert best_time_sentence(none, window, 0.05) == (
        "No hour × weekday slot of April–June converts differently from the others beyond chance (p = 0.41), "
        "so no best time is named."
    )
    best = pd.DataFrame({"weekday": [1, 2], "hour": [20, 21], "n": [100, 300], "rate_shrunk": [0.1, 0.06]})
    text = best_time_sentence(best, window, 0.05)
    assert text.startswith("Best time to publish: weekday evenings (Tue, Wed, 20:00–22:00)")
    assert "convert about 7.0% of visits against 5.0% overall." in text


def test_summary_tiles_and_headline_follow_the_flags():
    metrics = _metrics(jump=1.6)
    ch = change_flags(metrics, MONTH)
    by_source = pd.DataFrame({"source": ["google"], "medium": ["cpc"], "share": [0.4]})
    out = monthly_summary(MONTH, metrics, ch, by_source, _movers())
    assert out.sentences[0].startswith(f"June 2026: {metrics['sessions'].iloc[-1]:,.0f} sessions (")
    assert "Largest source: google / cpc with 40% of sessions." in out.sentences
    assert out.headline["Unusual changes"] == int(ch["flag"].sum()) >= 1
    status = {t["label"]: t["status"] for t in out.tiles}
    assert status["Sessions"] == "warn"


def test_views_read_as_text():
    ch = change_flags(_metrics(jump=1.6)[["sessions"]], MONTH)
    view = changes_view(ch, MONTH)
    assert view.loc[0, "Verdict"] == "unusual" and view.columns[4] == "Expected (99% range)"
    slots = pd.DataFrame(
        {
            "weekday_name": ["Tuesday"],
            "hour": [20],
            "n": [200],
            "successes": [20],
            "rate": [0.1],
            "rate_low": [0.066],
            "rate_high": [0.149],
            "rate_shrunk": [0.08],
        }
    )
    row = slots_view(slots).iloc[0]
    assert row["Slot"] == "Tuesday 20:00" and row["Conversion rate (95% interval)"] == "10.0% (6.6% – 14.9%)"
