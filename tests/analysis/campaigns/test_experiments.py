"""A/B statistics against statsmodels/scipy and published worked examples."""

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_effectsize
from statsmodels.stats.proportion import test_proportions_2indep as sm_test_2indep

from workbench.analysis.campaigns.experiments import (
    DIRECTIONS,
    analyse_experiment,
    bootstrap_mean_difference,
    expected_loss,
    explain_experiment,
    prob_beat_control,
    srm_check,
    summarise_variants,
    welch_test,
)
from workbench.analysis.campaigns.verdicts import srm_sentence
from workbench.analysis.stats.multiple_testing import adjust_pvalues
from workbench.analysis.stats.power import achieved_power, minimum_detectable_rate, required_n_per_arm
from workbench.analysis.stats.proportions import newcombe_interval, relative_lift_interval, two_proportion_ztest
from workbench.errors import DataValidationError


def test_newcombe_published_example():
    # Newcombe (1998), Statistics in Medicine 17:873-890, example (a): 56/70 vs 48/80, method 10.
    d, lo, hi = newcombe_interval(56, 70, 48, 80)
    assert d == pytest.approx(0.2)
    assert lo == pytest.approx(0.0524, abs=5e-5) and hi == pytest.approx(0.3339, abs=5e-5)


@pytest.mark.parametrize("k1,n1,k2,n2", [(9, 10, 3, 10), (5, 56, 0, 29), (0, 10, 0, 20), (130, 5000, 101, 5100)])
def test_newcombe_matches_statsmodels(k1, n1, k2, n2):
    _, lo, hi = newcombe_interval(k1, n1, k2, n2)
    ref = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb")
    assert (lo, hi) == pytest.approx(ref, abs=1e-10)


def test_ztest_and_lift_match_statsmodels():
    z, p = two_proportion_ztest(130, 5000, 101, 5100)
    ref = sm_test_2indep(130, 5000, 101, 5100, method="score", correction=False)
    assert p == pytest.approx(ref.pvalue, rel=1e-9)
    lift, lo, hi = relative_lift_interval(130, 5000, 101, 5100)
    rlo, rhi = confint_proportions_2indep(130, 5000, 101, 5100, compare="ratio", method="log")
    assert lift == pytest.approx((130 / 5000) / (101 / 5100) - 1)
    assert (lo + 1, hi + 1) == pytest.approx((rlo, rhi), rel=1e-9)


def test_srm_matches_scipy_chisquare():
    units = {"control": 50_400, "treatment": 49_200}
    res = srm_check(units)
    ref = stats.chisquare([50_400, 49_200])
    assert res["chi2"] == pytest.approx(ref.statistic) and res["p_value"] == pytest.approx(ref.pvalue)
    res = srm_check({"a": 700, "b": 300, "c": 1000}, {"a": 1, "b": 1, "c": 2})
    ref = stats.chisquare([700, 300, 1000], f_exp=[500, 500, 1000])
    assert res["p_value"] == pytest.approx(ref.pvalue)
    with pytest.raises(ValueError, match="planned_split"):
        srm_check(units, {"control": 0.5, "other": 0.5})


def test_welch_matches_scipy():
    rng = np.random.default_rng(1)
    x, y = rng.gamma(1.5, 20, 400), rng.gamma(1.2, 20, 900)
    res = welch_test(x, y)
    ref = stats.ttest_ind(x, y, equal_var=False)
    assert res["t"] == pytest.approx(ref.statistic) and res["p_value"] == pytest.approx(ref.pvalue)
    ci = ref.confidence_interval()
    assert (res["ci_low"], res["ci_high"]) == pytest.approx((ci.low, ci.high))


def test_bootstrap_is_seeded_and_close_to_normal_interval():
    rng = np.random.default_rng(2)
    x, y = rng.exponential(30, 3000), rng.exponential(25, 3000)
    a = bootstrap_mean_difference(x, y, n_boot=2000, seed=7)
    assert a == bootstrap_mean_difference(x, y, n_boot=2000, seed=7)
    w = welch_test(x, y)
    half = (w["ci_high"] - w["ci_low"]) / 2
    assert a[0] == pytest.approx(w["ci_low"], abs=0.15 * half)
    assert a[1] == pytest.approx(w["ci_high"], abs=0.15 * half)


def test_benjamini_hochberg_1995_worked_example():
    # Benjamini & Hochberg (1995), JRSS B 57:289-300, section 4.1: 15 p-values, 4 rejected at q=0.05.
    p = [
        0.0001,
        0.0004,
        0.0019,
        0.0095,
        0.0201,
        0.0278,
        0.0298,
        0.0344,
        0.0459,
        0.3240,
        0.4262,
        0.5719,
        0.6528,
        0.7590,
        1.000,
    ]
    adj = adjust_pvalues(p, "fdr_bh")
    assert int((adj <= 0.05).sum()) == 4
    holm = adjust_pvalues(p, "holm")
    assert int((holm <= 0.05).sum()) == 3  # Bonferroni-type procedures reject 3 in the paper


@pytest.mark.parametrize("method", ["holm", "fdr_bh"])
def test_adjustments_match_statsmodels(method):
    p = np.random.default_rng(5).random(25) ** 3
    np.testing.assert_allclose(adjust_pvalues(p, method), multipletests(p, method=method)[1], atol=1e-12)
    with_nan = adjust_pvalues([0.01, np.nan, 0.04], method)
    assert np.isnan(with_nan[1])
    np.testing.assert_allclose(with_nan[[0, 2]], multipletests([0.01, 0.04], method=method)[1])


def test_power_matches_statsmodels():
    h = proportion_effectsize(0.055, 0.05)
    assert required_n_per_arm(0.055, 0.05) == pytest.approx(
        NormalIndPower().solve_power(h, alpha=0.05, power=0.8, ratio=1), rel=1e-6
    )
    assert achieved_power(0.055, 0.05, 8000, 12000) == pytest.approx(
        NormalIndPower().power(h, 8000, 0.05, ratio=12000 / 8000), rel=1e-9
    )
    rate = minimum_detectable_rate(0.05, 10_000, 10_000)
    assert NormalIndPower().power(proportion_effectsize(rate, 0.05), 10_000, 0.05, ratio=1) == pytest.approx(
        0.8, abs=1e-4
    )


@pytest.mark.parametrize("kt,nt,kc,nc", [(60, 1000, 50, 1000), (3, 20, 1, 25), (480, 10_000, 520, 10_000)])
def test_prob_beat_control_against_numerical_integral(kt, nt, kc, nc):
    bt, bc = stats.beta(1 + kt, 1 + nt - kt), stats.beta(1 + kc, 1 + nc - kc)
    lo, hi = min(bt.ppf(1e-12), bc.ppf(1e-12)), max(bt.ppf(1 - 1e-12), bc.ppf(1 - 1e-12))
    ref, _ = integrate.quad(lambda x: bt.pdf(x) * bc.cdf(x), lo, hi, limit=200, points=[bt.mean(), bc.mean()])
    assert prob_beat_control(kt, nt, kc, nc) == pytest.approx(ref, abs=1e-6)


def test_prob_beat_control_against_monte_carlo():
    rng = np.random.default_rng(11)
    draws = 1_000_000
    mc = (rng.beta(61, 941, draws) > rng.beta(51, 951, draws)).mean()
    assert prob_beat_control(60, 1000, 50, 1000) == pytest.approx(mc, abs=4 * np.sqrt(mc * (1 - mc) / draws))


def _units(rates, n, seed=0, revenue=True):
    rng = np.random.default_rng(seed)
    rows = []
    for v, p in rates.items():
        conv = rng.random(n) < p
        rows.append(
            pd.DataFrame(
                {
                    "unit_id": [f"{v}-{i}" for i in range(n)],
                    "variant": v,
                    "converted": conv.astype(int),
                    "revenue": np.where(conv, rng.gamma(2, 30, n), 0.0) if revenue else 0.0,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def test_clear_winner_is_shipped():
    res = analyse_experiment(_units({"control": 0.05, "treatment_a": 0.07}, 10_000))
    assert res.verdict == "ship treatment_a"
    conv = res.comparisons[res.comparisons.metric == "conversion_rate"].iloc[0]
    s = res.summary.set_index("variant")
    ref = confint_proportions_2indep(
        s.loc["treatment_a", "conversions"], 10_000, s.loc["control", "conversions"], 10_000, method="newcomb"
    )
    assert (conv.ci_low, conv.ci_high) == pytest.approx(ref)
    assert set(res.comparisons.metric) == {"conversion_rate", "revenue_per_user"}


def test_inconclusive_sizes_a_new_test_for_the_stated_effect_at_the_actual_split():
    # 4,000 vs 1,000 users, no real difference, min_effect 10 %: too little power, so inconclusive
    df = _units({"control": 0.05, "treatment_a": 0.05}, 4_000, seed=3)
    df = df.drop(df[df.variant == "treatment_a"].index[1_000:])
    res = analyse_experiment(df, min_effect=0.1, planned_split={"control": 0.8, "treatment_a": 0.2})
    row = res.comparisons.query("metric == 'conversion_rate'").iloc[0]
    assert "power" not in res.comparisons.columns  # no observed (post-hoc) power
    p_c = res.summary.set_index("variant").loc["control", "rate"]
    # statsmodels: power of the actual 1,000 vs 4,000 split for a +10 % and a -10 % lift; the harder one counts
    pw = [NormalIndPower().power(proportion_effectsize(p_c * k, p_c), 1_000, 0.05, ratio=4.0) for k in (1.1, 0.9)]
    assert row.power_min_effect == pytest.approx(min(pw), rel=1e-9)
    need_t = NormalIndPower().solve_power(
        proportion_effectsize(p_c * 1.1, p_c), nobs1=None, alpha=0.05, power=0.8, ratio=4.0
    )
    assert row.needed_t == pytest.approx(need_t, rel=1e-6) and row.needed_c == pytest.approx(4 * need_t, rel=1e-6)
    v = res.verdicts["treatment_a"]
    assert v.startswith(f"inconclusive: this test had {row.power_min_effect:.0%} power for a ±10% lift")
    assert "rather than extending this one" in v and "more users per arm" not in v


def test_unequal_split_power_is_that_of_the_small_arm():
    # 100,000 vs 2,000 users: the effective size is ~1,960, so power for a +5 % lift is low (~17 %)
    p_c = 0.17
    ours = achieved_power(p_c * 1.05, p_c, 2_000, 100_000)
    ref = NormalIndPower().power(proportion_effectsize(p_c * 1.05, p_c), 2_000, 0.05, ratio=50)
    assert ours == pytest.approx(ref, rel=1e-9) and 0.15 < ours < 0.2
    agg = pd.DataFrame({"variant": ["control", "b"], "units": [100_000, 2_000], "conversions": [17_000, 346]})
    res = analyse_experiment(agg, min_effect=0.05, effect_direction="increase", planned_split={"control": 50, "b": 1})
    row = res.comparisons.iloc[0]
    assert row.power_min_effect == pytest.approx(
        NormalIndPower().power(proportion_effectsize(0.17 * 1.05, 0.17), 2_000, 0.05, ratio=50), rel=1e-9
    )
    assert "more users" not in res.verdict and res.verdict.startswith("inconclusive: this test had 17% power")


def test_without_min_effect_nothing_is_sized():
    res = analyse_experiment(_units({"control": 0.05, "treatment_a": 0.05}, 2_000, seed=3))
    row = res.comparisons.query("metric == 'conversion_rate'").iloc[0]
    assert np.isnan(row.power_min_effect) and np.isnan(row.needed_t)
    assert res.verdict.startswith("inconclusive: lift ") and "state min_effect" in res.verdict


@pytest.mark.parametrize("kt,nt,kc,nc", [(60, 1000, 50, 1000), (3, 20, 1, 25), (480, 10_000, 520, 10_000)])
def test_expected_loss_against_numerical_integral(kt, nt, kc, nc):
    bt, bc = stats.beta(1 + kt, 1 + nt - kt), stats.beta(1 + kc, 1 + nc - kc)

    def loss(first, second):  # E[max(X_first - X_second, 0)] by double quadrature
        lo, hi = min(bt.ppf(1e-12), bc.ppf(1e-12)), max(bt.ppf(1 - 1e-12), bc.ppf(1 - 1e-12))
        inner = lambda x: integrate.quad(lambda y: (x - y) * second.pdf(y), lo, x, limit=200)[0]  # noqa: E731
        return integrate.quad(lambda x: first.pdf(x) * inner(x), lo, hi, limit=200, points=[bt.mean(), bc.mean()])[0]

    ship, keep = expected_loss(kt, nt, kc, nc)
    assert ship == pytest.approx(loss(bc, bt), abs=1e-7)
    assert keep == pytest.approx(loss(bt, bc), abs=1e-7)


def test_interval_levels_follow_alpha():
    rng = np.random.default_rng(1)
    x, y = rng.gamma(1.5, 20, 400), rng.gamma(1.2, 20, 900)
    ci = stats.ttest_ind(x, y, equal_var=False).confidence_interval(0.9)
    res = welch_test(x, y, alpha=0.1)
    assert (res["ci_low"], res["ci_high"]) == pytest.approx((ci.low, ci.high))
    agg = pd.DataFrame({"variant": ["control", "b"], "units": [5000, 5100], "conversions": [101, 130]})
    r = analyse_experiment(agg, alpha=0.1)
    row = r.comparisons.iloc[0]
    ref = confint_proportions_2indep(130, 5100, 101, 5000, method="newcomb", alpha=0.1)
    assert (row.ci_low, row.ci_high) == pytest.approx(ref, abs=1e-10)
    assert "90% CI" in explain_experiment(r)[1] and "95%" not in " ".join(explain_experiment(r))


def test_srm_threshold_is_a_parameter():
    agg = pd.DataFrame({"variant": ["control", "b"], "units": [10_000, 10_330], "conversions": [500, 520]})
    assert not analyse_experiment(agg).srm["mismatch"]  # p ≈ 0.02 > 0.001
    strict = analyse_experiment(agg, srm_alpha=0.05)
    assert strict.srm["mismatch"] and strict.verdict.startswith("stop")
    assert "p < 0.05 (`srm_alpha`)" in srm_sentence(strict.srm)


def test_srm_stops_the_reading():
    df = _units({"control": 0.05, "treatment_a": 0.08}, 10_000)
    df = df.drop(df[(df.variant == "treatment_a")].index[:800])
    res = analyse_experiment(df)
    assert res.srm["mismatch"] and res.verdict.startswith("stop: SRM detected")


def test_srm_warns_only_below_one_in_a_thousand_against_the_planned_split():
    def agg(units):
        return pd.DataFrame({"variant": ["control", "b"], "units": units, "conversions": [500, 520]})

    mild = analyse_experiment(agg([10_000, 10_330]))  # chi2 = 2 × 165² / 10,165 = 5.36 -> p ≈ 0.02
    assert mild.srm["p_value"] == pytest.approx(stats.chisquare([10_000, 10_330]).pvalue)
    assert 0.001 < mild.srm["p_value"] < 0.05 and not mild.srm["mismatch"] and not mild.verdict.startswith("stop")
    skewed = analyse_experiment(agg([10_000, 10_700]))
    assert skewed.srm["p_value"] < 0.001 and skewed.verdict.startswith("stop: SRM detected")
    assert set(skewed.verdicts.values()) == {"stop: SRM detected (p < 0.001)"}
    # a deliberately unequal plan (90/10) read against its own split is no mismatch
    planned = analyse_experiment(agg([18_000, 2_000]), planned_split={"control": 0.9, "b": 0.1})
    assert planned.srm["p_value"] == pytest.approx(1.0) and not planned.srm["mismatch"]


def test_multivariate_correction_and_aggregated_input():
    agg = pd.DataFrame(
        {"variant": ["control", "b", "c"], "units": [10_000, 10_000, 10_000], "conversions": [500, 560, 505]}
    )
    res = analyse_experiment(agg, correction="fdr_bh")
    p = res.comparisons["p_value"].to_numpy()
    np.testing.assert_allclose(res.comparisons["p_adjusted"], multipletests(p, method="fdr_bh")[1])
    assert list(res.comparisons.metric) == ["conversion_rate", "conversion_rate"]
    assert res.control == "control"


def test_correction_family_metric_vs_all():
    df = _units({"control": 0.05, "b": 0.06, "c": 0.05}, 6000, seed=4)
    per_metric = analyse_experiment(df, correction="holm")
    everything = analyse_experiment(df, correction="holm", family="all")
    c = per_metric.comparisons
    for _metric, g in c.groupby("metric"):
        np.testing.assert_allclose(g["p_adjusted"], multipletests(g["p_value"], method="holm")[1])
    np.testing.assert_allclose(everything.comparisons["p_adjusted"], multipletests(c["p_value"], method="holm")[1])
    # the report states the family that was used, and each treatment's sentence carries its adjusted p
    assert "across the 2 variants within each metric" in explain_experiment(per_metric)[0]
    assert "Holm" in explain_experiment(per_metric)[0]
    text = explain_experiment(everything)
    assert f"across all {len(c)} variant × metric comparisons" in text[0]
    b = everything.comparisons.query("variant == 'b' and metric == 'conversion_rate'").iloc[0]
    assert (
        f"adjusted p = {b['p_adjusted']:.3f}" in text[1]
        or "adjusted p < 0.001" in text[1]
        and text[1].endswith(f"{everything.verdicts['b']}.")
    )
    with pytest.raises(ValueError, match="family must be"):
        analyse_experiment(df, family="variant")


def test_bad_experiment_inputs_name_the_problem():
    with pytest.raises(DataValidationError, match="unit_id"):
        summarise_variants(pd.DataFrame({"variant": ["a"], "x": [1]}))
    bad = pd.DataFrame({"unit_id": [1, 2], "variant": ["a", "b"], "converted": [1, "maybe"]})
    with pytest.raises(DataValidationError, match="row 1"):
        summarise_variants(bad)
    with pytest.raises(ValueError, match="correction"):
        analyse_experiment(_units({"control": 0.1, "b": 0.1}, 50), correction="bonferroni")
    with pytest.raises(ValueError, match="control='z'"):
        analyse_experiment(_units({"control": 0.1, "b": 0.1}, 50), control="z")


def test_cookie_cats_real_data(reference_data):
    df = pd.read_csv(reference_data / "cookie_cats.csv")
    exp = pd.DataFrame({"unit_id": df["userid"], "variant": df["version"], "converted": df["retention_7"].astype(int)})
    res = analyse_experiment(exp, control="gate_30")
    counts = exp.groupby("variant").size()
    assert res.srm["p_value"] == pytest.approx(stats.chisquare(counts.to_numpy()).pvalue)
    row = res.comparisons.iloc[0]
    s = exp.groupby("variant")["converted"].agg(["sum", "size"])
    ref = sm_test_2indep(
        s.loc["gate_40", "sum"],
        s.loc["gate_40", "size"],
        s.loc["gate_30", "sum"],
        s.loc["gate_30", "size"],
        method="score",
        correction=False,
    )
    assert row.p_value == pytest.approx(ref.pvalue)
    assert row.difference < 0 and res.verdict == "keep gate_30"
    # the published reading: day-7 retention 19.0 % for gate_30 against 18.2 % for gate_40, significant
    rates = res.summary.set_index("variant")["rate"]
    assert round(rates["gate_30"], 3) == 0.190 and round(rates["gate_40"], 3) == 0.182
    assert row.p_adjusted < 0.05 and row.ci_high < 0 and not res.srm["mismatch"]
    assert "keep gate_30: gate_40 converts worse" in explain_experiment(res)[1]


def test_cookie_cats_day1_reads_no_effect_and_both_metrics_are_one_family(reference_data):
    df = pd.read_csv(reference_data / "cookie_cats.csv").rename(columns={"userid": "unit_id", "version": "variant"})
    metrics = {"retention_1": "day-1 retention", "retention_7": "day-7 retention"}
    res = analyse_experiment(df, control="gate_30", metrics=metrics, family="all", min_effect=0.05)
    c = res.comparisons.set_index("metric")
    # the published day-1 reading: 44.82 % vs 44.23 %, p = 0.074, lift CI about -2.7 % to +0.1 %
    assert c.loc["retention_1", "p_value"] == pytest.approx(0.0744, abs=5e-4)
    assert c.loc["retention_1", "lift_low"] == pytest.approx(-0.027, abs=1e-3)
    assert c.loc["retention_1", "lift_high"] == pytest.approx(0.001, abs=1e-3)
    assert res.verdict == "no effect of 5% or more"
    assert c.loc["retention_1", "verdict"].startswith("no effect of 5% or more")
    assert c.loc["retention_7", "verdict"] == "keep gate_30: gate_40 has a lower day-7 retention"
    np.testing.assert_allclose(c["p_adjusted"], multipletests(c["p_value"], method="holm")[1])
    assert (
        "across all 2 variant × metric comparisons (2 metrics: day-1 retention, day-7 retention)"
        in (explain_experiment(res)[0])
    )


def test_effect_direction_sizes_for_the_stated_direction():
    # at 5 %, a -10 % change (5 % -> 4.5 %) is easier to see than +10 % (5 % -> 5.5 %): "either" takes the harder one
    agg = pd.DataFrame({"variant": ["control", "b"], "units": [3000, 3000], "conversions": [150, 150]})
    res = {d: analyse_experiment(agg, min_effect=0.1, effect_direction=d).comparisons.iloc[0] for d in DIRECTIONS}
    for direction, factor in (("increase", 1.1), ("decrease", 0.9)):
        ref = NormalIndPower().power(proportion_effectsize(0.05 * factor, 0.05), 3000, 0.05, ratio=1)
        assert res[direction].power_min_effect == pytest.approx(ref, rel=1e-9)
    assert res["decrease"].power_min_effect > res["increase"].power_min_effect
    assert res["either"].power_min_effect == res["increase"].power_min_effect
    with pytest.raises(ValueError, match="effect_direction must be one of either, increase, decrease"):
        analyse_experiment(agg, min_effect=0.1, effect_direction="up")
