"""Portrait sections from wide customer tables, checked against scipy and hand counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from workbench.analysis.customers.persona import wide_persona_sentences
from workbench.analysis.customers.portrait_views import wide_headline, wide_view
from workbench.analysis.customers.portrait_wide import numeric_comparison, response_affinity, wide_portrait
from workbench.analysis.customers.wide import resolve_wide_columns

rng = np.random.default_rng(7)
N = 400
FRAME = pd.DataFrame(
    {
        "customer_id": [f"c{i}" for i in range(N)],
        "mntwines": rng.gamma(2, 100, N).round(),
        "mntfruits": rng.gamma(2, 20, N).round(),
        "numwebpurchases": rng.poisson(4, N),
        "numstorepurchases": rng.poisson(6, N),
        "acceptedcmp1": rng.integers(0, 2, N),
        "response": np.r_[np.ones(80, int), np.zeros(N - 80, int)],
        "education": rng.choice(["PhD", "Master", "Basic"], N),
    }
)
FRAME.loc[:79, "mntwines"] *= 3  # responders buy more wine
FRAME.loc[:79, "numwebpurchases"] += 4  # and more on the web
AUDIENCE = FRAME["customer_id"][:80]
SPEC = {
    "spend_by_category": "Mnt*",
    "purchases_by_place": {"NumWebPurchases": "web", "NumStorePurchases": "store"},
    "campaign_responses": ["AcceptedCmp*", "Response"],
}


def test_numeric_comparison_against_scipy():
    table = numeric_comparison(FRAME, {"mntwines": "wines", "mntfruits": "fruits"}, AUDIENCE)
    wines = table.set_index("value").loc["wines"]
    aud, rest = FRAME["mntwines"][:80], FRAME["mntwines"][80:]
    assert wines["audience_mean"] == pytest.approx(aud.mean())
    assert wines["index"] == pytest.approx(aud.mean() / FRAME["mntwines"].mean() * 100)
    p_wines = stats.mannwhitneyu(aud, rest, alternative="two-sided").pvalue
    p_fruits = stats.mannwhitneyu(FRAME["mntfruits"][:80], FRAME["mntfruits"][80:], alternative="two-sided").pvalue
    assert wines["p_value"] == pytest.approx(p_wines)
    # Benjamini–Hochberg over the two rows, by hand
    p_sorted = sorted([p_wines, p_fruits])
    bh = {p_sorted[0]: min(p_sorted[0] * 2, p_sorted[1]), p_sorted[1]: p_sorted[1]}
    assert wines["p_adjusted"] == pytest.approx(bh[p_wines]) and wines["direction"] == "over"
    share = FRAME["mntwines"][:80].sum() / FRAME[["mntwines", "mntfruits"]][:80].sum().sum()
    assert wines["audience_share_of_total"] == pytest.approx(share)


def test_response_affinity_counts_customers_who_responded():
    table = response_affinity(FRAME, {"acceptedcmp1": "campaign 1"}, FRAME["customer_id"], AUDIENCE)
    row = table.iloc[0]
    assert row["audience_n"] == FRAME["acceptedcmp1"][:80].sum() and row["audience_total"] == 80
    assert row["base_n"] == FRAME["acceptedcmp1"].sum() and row["base_total"] == N


def test_wide_portrait_leaves_out_the_selection_column_and_reads_in_words():
    wide = resolve_wide_columns(FRAME, SPEC)
    portrait = wide_portrait(FRAME, wide, AUDIENCE, trait_columns=["education"], exclude=["response"])
    assert list(portrait.responses["value"]) == ["acceptedcmp1"]  # response itself is how they were chosen
    assert set(portrait.comparisons) == {"spend_by_category", "purchases_by_place"}
    assert set(portrait.own_categorical) == {"education"} and portrait.own_numeric is None
    shown, caption = wide_view(portrait.comparisons["purchases_by_place"], "purchases_by_place")
    assert "audience share of purchases" in shown.columns and caption.startswith("Purchases by place")
    sentences = wide_persona_sentences(portrait, "MU")
    spend = portrait.comparisons["spend_by_category"]
    assert sentences[0].startswith(f"They spend {spend['audience_mean'].sum():,.0f} MU per customer")
    assert "wines (index" in sentences[0]
    head = wide_headline(portrait, "MU")
    assert set(head) == {"Spend per customer", "Main place"}
    with pytest.raises(ValueError, match=r"trait_columns: \['educaton'\] are not columns"):
        wide_portrait(FRAME, wide, AUDIENCE, trait_columns=["educaton"])
