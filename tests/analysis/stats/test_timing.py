"""Hour × weekday tables, best times and robust anomalies on hand-built frames."""

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats
from statsmodels.stats.proportion import proportion_confint

from workbench.analysis.stats.timing import (
    BetaPrior,
    _BetaBinomialLikelihood,
    best_times,
    best_times_by,
    difference_p_value,
    fit_beta_prior,
    hour_weekday_table,
    robust_anomalies,
    shrink_rates,
)


def _events():
    # 2025-01-06 is a Monday.
    rows = []
    rows += [("2025-01-06 09:15", 1)] * 40 + [("2025-01-06 09:40", 0)] * 60  # Mon 9h: 40/100
    rows += [("2025-01-08 14:05", 1)] * 2  # Wed 14h: 2/2
    rows += [("2025-01-12 20:00", 1)] * 30 + [("2025-01-12 20:30", 0)] * 10  # Sun 20h: 30/40
    rows += [("2025-01-13 09:10", 0)] * 50  # Mon 9h again: +0/50
    return pd.DataFrame(rows, columns=["touched_at", "converted"])


def test_table_counts_rates_and_wilson():
    table = hour_weekday_table(_events(), "touched_at", "converted")
    assert list(table[["weekday", "hour"]].itertuples(index=False, name=None)) == [(0, 9), (2, 14), (6, 20)]
    assert list(table["weekday_name"]) == ["Monday", "Wednesday", "Sunday"]
    mon = table.iloc[0]
    assert mon["n"] == 150 and mon["successes"] == 40 and mon["rate"] == pytest.approx(40 / 150)
    low, high = proportion_confint(40, 150, method="wilson")
    assert mon["rate_low"] == pytest.approx(low) and mon["rate_high"] == pytest.approx(high)


def test_table_without_success_counts_only():
    table = hour_weekday_table(_events(), "touched_at")
    assert list(table.columns) == ["weekday", "weekday_name", "hour", "n"]
    assert table["n"].sum() == len(_events())


def test_table_with_weights_counts_trials():
    sends = pd.DataFrame(
        {
            "sent_at": ["2025-01-07 10:00", "2025-01-14 10:30", "2025-01-09 18:00"],
            "delivered": [1000, 500, 200],
            "clicks": [30, 20, 1],
        }
    )
    table = hour_weekday_table(sends, "sent_at", "clicks", weight_col="delivered")
    tue = table[(table.weekday == 1) & (table.hour == 10)].iloc[0]
    assert tue["n"] == 1500 and tue["successes"] == 50 and tue["rate"] == pytest.approx(50 / 1500)


def test_table_rejects_missing_column_and_overcount():
    with pytest.raises(ValueError, match="success_col='nope'"):
        hour_weekday_table(_events(), "touched_at", "nope")
    bad = pd.DataFrame({"t": ["2025-01-06 09:00"], "clicks": [5]})
    with pytest.raises(ValueError, match="weight_col"):
        hour_weekday_table(bad, "t", "clicks")


def test_best_times_ranks_by_lower_bound_and_excludes_small_slots():
    table = hour_weekday_table(_events(), "touched_at", "converted")
    best = best_times(table, top=5, min_n=30, rank="lower_bound", min_share=0)
    # Wed 14h has a 100 % rate on 2 visits: excluded; Sunday 20h (30/40) beats Monday 9h (40/150).
    assert list(best["weekday_name"]) == ["Sunday", "Monday"]
    assert list(best["n"]) == [40, 150]
    # With no minimum, 2/2 has a lower Wilson bound (0.34) than 30/40 (0.60) so it still ranks below.
    best_all = best_times(table, top=3, min_n=0, rank="lower_bound", min_share=0)
    assert list(best_all["weekday_name"]) == ["Sunday", "Wednesday", "Monday"]
    by_n = best_times(table, by="n", top=1, min_n=0)
    assert by_n["weekday_name"].iloc[0] == "Monday"


def test_best_times_validates():
    table = hour_weekday_table(_events(), "touched_at")
    with pytest.raises(ValueError, match="by must be"):
        best_times(table, by="clicks")
    with pytest.raises(ValueError, match="rate_low"):
        best_times(table, by="rate")
    assert best_times(hour_weekday_table(_events(), "touched_at", "converted"), min_n=10_000).empty


def _slots(rates, sizes):
    n = np.asarray(sizes, dtype=float)
    k = np.round(np.asarray(rates) * n)
    return pd.DataFrame(
        {
            "weekday": np.arange(len(n)) % 7,
            "weekday_name": "x",
            "hour": np.arange(len(n)) // 7,
            "n": n,
            "successes": k,
            "rate": k / n,
            "rate_low": [proportion_confint(a, b, method="wilson")[0] for a, b in zip(k, n, strict=False)],
        }
    )


def test_tiny_slot_with_high_raw_rate_does_not_beat_large_slots():
    # 20 slots of ~1,000 visits with real differences (18 %..24 %), one slot of 10 visits at 50 %.
    rates = list(np.linspace(0.18, 0.24, 20)) + [0.5]
    sizes = [1000 + 37 * i for i in range(20)] + [10]
    table = _slots(rates, sizes)
    # The Wilson lower bound of 5/10 (0.24) beats every large slot; shrinkage alone (no size floor) does not.
    assert best_times(table, top=1, min_n=0, rank="lower_bound", min_share=0)["n"].iloc[0] == 10
    best = best_times(table, top=3, min_n=0, min_share=0)
    assert 10 not in set(best["n"])
    assert best["rate"].iloc[0] == pytest.approx(0.24, abs=1e-3)
    # The default size floor (a quarter of the median slot) also removes it.
    dflt = best_times(table, top=30)
    assert dflt.attrs["min_n_used"] == np.ceil(0.25 * np.median(sizes)) and 10 not in set(dflt["n"])
    assert {"weekday", "weekday_name", "hour", "n", "successes", "rate", "rate_low", "rate_shrunk"} <= set(dflt.columns)


def test_shrunk_rate_matches_hand_computation():
    # Beta(3, 7) prior, 5 successes in 10: posterior mean (5 + 3) / (10 + 3 + 7) = 0.4
    assert shrink_rates([5, 0], [10, 0], BetaPrior(3.0, 7.0)) == pytest.approx([0.4, 0.3])
    table = _slots([0.2, 0.25, 0.3, 0.22], [400, 100, 50, 800])
    best = best_times(table, top=4, min_n=0, min_share=0)
    a, b = best.attrs["prior_a"], best.attrs["prior_b"]
    for r in best.itertuples():
        assert r.rate_shrunk == pytest.approx((r.successes + a) / (r.n + a + b))


def test_prior_fit_matches_scipy_betabinom_mle():
    rng = np.random.default_rng(7)
    n = rng.integers(30, 2000, size=80)
    k = rng.binomial(n, rng.beta(12, 48, size=80))
    prior = fit_beta_prior(k, n)

    def nll(log_ab):
        a, b = np.exp(log_ab)
        return -stats.betabinom.logpmf(k, n, a, b).sum()

    ref = optimize.minimize(
        nll, x0=np.log([1.0, 1.0]), method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 20_000}
    )
    a_ref, b_ref = np.exp(ref.x)
    assert prior.a == pytest.approx(a_ref, rel=1e-3) and prior.b == pytest.approx(b_ref, rel=1e-3)
    assert prior.mean == pytest.approx(a_ref / (a_ref + b_ref), rel=1e-4)


def test_prior_without_overdispersion_pools_everything():
    # Identical rates: no spread beyond chance, so the prior is strong and every slot shrinks to 20 %.
    prior = fit_beta_prior([20, 40, 200], [100, 200, 1000])
    assert prior.mean == pytest.approx(0.2, rel=1e-4) and prior.strength > 1e5
    assert shrink_rates([20, 40, 200], [100, 200, 1000]) == pytest.approx([0.2] * 3, rel=1e-3)


def test_prior_and_best_times_validate():
    with pytest.raises(ValueError, match="at least two groups"):
        fit_beta_prior([1], [10])
    with pytest.raises(ValueError, match="0 <= successes <= n"):
        fit_beta_prior([11, 1], [10, 10])
    table = hour_weekday_table(_events(), "touched_at", "converted")
    with pytest.raises(ValueError, match="rank must be"):
        best_times(table, rank="mean")
    with pytest.raises(ValueError, match="min_share must be"):
        best_times(table, min_share=2)


def test_robust_anomalies_hand_computed():
    s = pd.Series([10, 11, 9, 10, 50, 10, 11, 9.0])
    out = robust_anomalies(s)
    # median 10, |dev| = 0,1,1,0,40,0,1,1 -> MAD = 1; z(50) = 0.6745 * 40 / 1
    assert out["robust_z"].iloc[4] == pytest.approx(0.6745 * 40)
    assert out["robust_z"].iloc[1] == pytest.approx(0.6745)
    assert list(out.index[out["anomaly"]]) == [4] and out["direction"].iloc[4] == "high"


def test_robust_anomalies_flat_series_and_low_direction():
    s = pd.Series([5.0] * 10 + [0.0])
    out = robust_anomalies(s)
    assert out["anomaly"].iloc[-1] and out["direction"].iloc[-1] == "low"
    assert not out["anomaly"].iloc[:-1].any()


def test_robust_anomalies_rolling_window_follows_trend():
    v = np.arange(60.0) * 10 + np.tile([0.0, 1.0, -1.0], 20)
    v[40] += 200
    global_flags = robust_anomalies(pd.Series(v))["anomaly"]
    rolling = robust_anomalies(pd.Series(v), window=9)
    assert not global_flags.iloc[40]  # the trend hides the spike from a global median
    assert rolling["anomaly"].iloc[40] and rolling["anomaly"].sum() == 1


def test_robust_anomalies_validates():
    with pytest.raises(ValueError, match="threshold"):
        robust_anomalies(pd.Series([1.0, 2.0]), threshold=0)
    with pytest.raises(ValueError, match="window"):
        robust_anomalies(pd.Series([1.0, 2.0]), window=1)


def test_best_times_by_ranks_each_device_on_its_own():
    # desktop converts best on Monday 20 h (40 of 200 against 10 of 200 elsewhere); mobile, four
    # times bigger, on Tuesday 09 h: pooled, mobile's slot would win and hide desktop's
    rows = []
    for device, slots in {
        "desktop": {"2025-10-06 20:00": (40, 200), "2025-10-07 09:00": (10, 200), "2025-10-08 12:00": (10, 200)},
        "mobile": {"2025-10-06 20:00": (40, 800), "2025-10-07 09:00": (200, 800), "2025-10-08 12:00": (40, 800)},
    }.items():
        for when, (k, n) in slots.items():
            rows.append(
                pd.DataFrame({"started_at": pd.Timestamp(when), "device": device, "converted": [1] * k + [0] * (n - k)})
            )
    events = pd.concat(rows, ignore_index=True)
    res = best_times_by(events, "started_at", "converted", "device").set_index("device")
    assert (res.loc["desktop", "weekday_name"], res.loc["desktop", "hour"]) == ("Monday", 20)
    assert (res.loc["mobile", "weekday_name"], res.loc["mobile", "hour"]) == ("Tuesday", 9)
    assert res.loc["desktop", "rate"] == pytest.approx(0.2) and res.loc["desktop", "group_rate"] == pytest.approx(
        60 / 600
    )
    assert res.loc["mobile", "n"] == 800 and res.loc["mobile", "group_n"] == 2400
    with pytest.raises(ValueError, match="by='country'"):
        best_times_by(events, "started_at", "converted", "country")


def _null_slots(rng, rate=0.04):
    # 168 weekday x hour slots whose sizes follow a daily traffic curve; every slot converts at `rate`
    hours = np.arange(24)
    size = 60 * (0.3 + np.exp(-(((hours - 20) / 4.0) ** 2)) + 0.5 * np.exp(-(((hours - 12) / 3.0) ** 2)))
    n = rng.poisson(np.tile(size, 7)) + 1
    return n, rng.binomial(n, rate)


def _table(n, k):
    return pd.DataFrame(
        {"weekday": np.arange(168) // 24, "hour": np.arange(168) % 24, "n": n, "successes": k, "rate_low": 0.0}
    )


def test_likelihood_matches_scipy_betabinom_and_stays_exact_at_large_strength():
    rng = np.random.default_rng(11)
    n, k = _null_slots(rng)
    ll = _BetaBinomialLikelihood(k.astype(float), n.astype(float))
    comb = stats.binom.logpmf(k, n, 0.5) - n * np.log(0.5)  # ln C(n, k), the term the fit leaves out
    for m, s in [(0.04, 3.0), (0.05, 250.0), (0.03, 4e4)]:
        ref = stats.betabinom.logpmf(k, n, m * s, (1 - m) * s).sum() - comb.sum()
        assert ll(m, s) == pytest.approx(ref, rel=1e-9)
    # as the strength grows the likelihood tends to the pooled binomial one smoothly, as 1 / strength
    # (scipy's betabinom, a difference of large log-gammas, is off by ~1e-5 at 1e8 here)
    pooled = k.sum() / n.sum()
    gaps = np.array([ll.pooled(pooled) - ll(pooled, s) for s in (1e6, 1e7, 1e8, 1e9)])
    np.testing.assert_allclose(gaps[1:] / gaps[:-1], 0.1, rtol=1e-3)


def test_prior_fit_is_the_global_maximum_on_a_fine_scipy_grid():
    # where slots hardly differ the likelihood is flat in the strength: the fit must still find its top
    rng = np.random.default_rng(5)
    n, k = _null_slots(rng)
    prior = fit_beta_prior(k, n)
    m = k.sum() / n.sum()
    assert 1e3 < prior.strength < 1e6  # this draw's maximum, where scipy's betabinom is still precise
    grid = np.exp(np.linspace(np.log(1.0), np.log(1e6), 400))
    ref = max(stats.betabinom.logpmf(k, n, m * s, (1 - m) * s).sum() for s in grid)
    got = stats.betabinom.logpmf(k, n, prior.a, prior.b).sum()
    assert got >= ref - 1e-8


def test_difference_p_value_matches_an_independent_likelihood_ratio():
    rng = np.random.default_rng(7)
    n = rng.integers(100, 1500, size=40)
    k = rng.binomial(n, rng.beta(30, 270, size=40))
    p0 = k.sum() / n.sum()

    def nll(log_ab):
        a, b = np.exp(log_ab)
        return -stats.betabinom.logpmf(k, n, a, b).sum()

    ref = optimize.minimize(nll, x0=np.log([30.0, 270.0]), method="Nelder-Mead", options={"xatol": 1e-10})
    lr = 2 * (-ref.fun - stats.binom.logpmf(k, n, p0).sum())
    assert difference_p_value(k, n) == pytest.approx(0.5 * stats.chi2.sf(lr, 1), rel=1e-3)
    assert difference_p_value([20, 40, 200], [100, 200, 1000]) == 1.0


def test_no_slot_is_named_when_slots_do_not_differ():
    # issue 16: with no real difference no slot is recommended in >= 90 % of simulations
    rng = np.random.default_rng(2026)
    named = 0
    for _ in range(40):
        n, k = _null_slots(rng)
        table = _table(n, k)
        best = best_times(table, top=5, evidence_alpha=0.05)
        named += not best.empty
        assert best.attrs["no_difference"] is best.empty
    assert named <= 4, named


def test_real_difference_names_the_better_slots_only():
    rng = np.random.default_rng(3)
    n, _ = _null_slots(rng)
    rate = np.where(np.tile(np.arange(24), 7) >= 19, 0.09, 0.04)  # evenings convert over twice as well
    k = rng.binomial(n, rate)
    table = _table(n, k)
    best = best_times(table, top=5, evidence_alpha=0.05)
    assert best.attrs["difference_p"] < 0.01 and not best.attrs["no_difference"]
    assert len(best) == 5 and best["hour"].iloc[0] >= 19 and (best["hour"] >= 19).mean() >= 0.8
    with pytest.raises(ValueError, match="evidence_alpha"):
        best_times(table, evidence_alpha=5)
