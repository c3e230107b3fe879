"""Attribution: heuristics on hand-computed paths, exact Markov and Shapley against hand solutions,
brute force, invariants, and the channelattribution package on its real 10,000-path file."""

import itertools

import numpy as np
import pandas as pd
import pytest

from workbench.analysis.campaigns.attribution.comparison import compare_attribution
from workbench.analysis.campaigns.attribution.markov import (
    markov_attribution,
    markov_from_transitions,
    transition_counts,
)
from workbench.analysis.campaigns.attribution.rules import (
    heuristic_attribution,
    journeys_from_touchpoints,
    paths_from_journeys,
)
from workbench.analysis.campaigns.attribution.shapley import shapley_attribution
from workbench.analysis.campaigns.attribution.summary import path_conversions, summarise_paths
from workbench.errors import DataValidationError

PATHS = pd.DataFrame(
    {
        "path": ["a > b > c", "a", "b > a", "c > a > b > a"],
        "conversions": [2, 1, 1, 1],
        "non_conversions": [1, 3, 0, 2],
        "value": [20.0, 5.0, 8.0, 10.0],
    }
)


def _credit(frame, model):
    return frame.set_index("channel")[f"{model}_conversions"].to_dict()


def test_heuristics_hand_computed():
    h = heuristic_attribution(paths=PATHS)
    assert _credit(h, "first_touch") == {"a": 4, "b": 1, "c": 0} | {"c": 1, "a": 3}
    assert _credit(h, "last_touch") == pytest.approx({"a": 3, "b": 0, "c": 2})
    # linear: abc 2 -> 2/3 each; a 1 -> a; ba 1 -> .5/.5; c a b a 1 -> c .25, a .5, b .25
    assert _credit(h, "linear") == pytest.approx(
        {"a": 2 / 3 + 1 + 0.5 + 0.5, "b": 2 / 3 + 0.5 + 0.25, "c": 2 / 3 + 0.25}
    )
    # position-based: abc 2 -> a .8, b .4, c .8; a -> 1; ba -> .5/.5; c a b a -> c .4, a .1+.4, b .1
    assert _credit(h, "position_based") == pytest.approx(
        {"a": 0.8 + 1 + 0.5 + 0.5, "b": 0.4 + 0.5 + 0.1, "c": 0.8 + 0.4}
    )
    assert h.set_index("channel")["linear_value"]["c"] == pytest.approx(20 / 3 + 10 / 4)
    assert "time_decay_conversions" not in h.columns  # paths have no timestamps


def test_time_decay_from_touchpoints_hand_computed():
    tp = pd.DataFrame(
        {
            "user_id": ["u1"] * 3 + ["u2"] * 2,
            "touched_at": ["2025-10-01", "2025-10-05", "2025-10-08", "2025-10-02", "2025-10-03"],
            "channel": ["seo", "email", "paid", "paid", "email"],
            "converted": [0, 0, 1, 0, 1],
            "conversion_value": [0, 0, 100, 0, 50],
        }
    )
    h = heuristic_attribution(journeys=journeys_from_touchpoints(tp), half_life_days=7).set_index("channel")
    w1 = np.array([2 ** (-7 / 7), 2 ** (-3 / 7), 1.0])
    w1 /= w1.sum()
    w2 = np.array([2 ** (-1 / 7), 1.0])
    w2 /= w2.sum()
    assert h.loc["seo", "time_decay_conversions"] == pytest.approx(w1[0])
    assert h.loc["email", "time_decay_conversions"] == pytest.approx(w1[1] + w2[1])
    assert h.loc["paid", "time_decay_value"] == pytest.approx(100 * w1[2] + 50 * w2[0])


def test_journeys_split_at_conversions_and_lookback():
    tp = pd.DataFrame(
        {
            "user_id": [1, 1, 1, 1, 1],
            "channel": ["a", "b", "c", "d", "e"],
            "touched_at": ["2025-01-01", "2025-01-20", "2025-01-21", "2025-01-25", "2025-02-01"],
            "converted": [False, False, True, False, False],
        }
    )
    paths = paths_from_journeys(journeys_from_touchpoints(tp)).set_index("path")
    assert paths.loc["a > b > c", "conversions"] == 1 and paths.loc["d > e", "non_conversions"] == 1
    short = paths_from_journeys(journeys_from_touchpoints(tp, lookback_days=7)).set_index("path")
    assert list(short.index) == ["b > c", "d > e"]
    with pytest.raises(DataValidationError, match="touched_at"):
        journeys_from_touchpoints(tp.assign(touched_at=["x"] * 5))


def test_markov_hand_solved_chain():
    # start -> a (2 journeys: a>conv, a>b>conv), start -> b (b>null, b>null)
    paths = pd.DataFrame({"path": ["a", "a > b", "b"], "conversions": [1, 1, 0], "non_conversions": [0, 0, 2]})
    r = markov_attribution(paths)
    # P(start->a)=.5, P(start->b)=.5, a: ->conv .5, ->b .5; b: ->conv 1/3, ->null 2/3
    p_full = 0.5 * (0.5 + 0.5 / 3) + 0.5 / 3
    assert r.conversion_probability == pytest.approx(p_full) == pytest.approx(0.5)
    re = r.credit.set_index("channel")["removal_effect"]
    assert re["a"] == pytest.approx(1 - (0.5 / 3) / p_full)
    assert re["b"] == pytest.approx(1 - (0.5 * 0.5) / p_full)
    conv = r.credit.set_index("channel")["conversions"]
    assert conv["a"] == pytest.approx(2 * re["a"] / (re["a"] + re["b"]))


@pytest.mark.parametrize("order", [1, 2, 3])
def test_markov_invariant_conversion_probability_equals_observed_rate(order):
    rng = np.random.default_rng(order)
    chans = list("abcdef")
    paths = pd.DataFrame(
        {
            "path": [" > ".join(rng.choice(chans, rng.integers(1, 6))) for _ in range(300)],
            "conversions": rng.integers(0, 5, 300),
            "non_conversions": rng.integers(0, 20, 300),
            "value": rng.gamma(2, 10, 300),
        }
    ).drop_duplicates("path")
    paths.loc[paths.conversions == 0, "value"] = 0.0
    r = markov_attribution(paths, order=order)
    observed = paths.conversions.sum() / (paths.conversions.sum() + paths.non_conversions.sum())
    assert r.conversion_probability == pytest.approx(observed, rel=1e-9)
    assert r.credit["conversions"].sum() == pytest.approx(paths.conversions.sum())
    assert r.credit["value"].sum() == pytest.approx(paths.value.sum())


def test_markov_order1_ignores_consecutive_repeats():
    # channelattribution merges a > a > b into a > b before estimating; at order 1 a self-loop only
    # delays the walk (the exit distribution from a is unchanged), so the exact removal effects
    # and credits must be identical either way. Not true at order 2, where "a > a" is its own state.
    rng = np.random.default_rng(7)
    chans = list("abcde")
    raw = [list(rng.choice(chans, rng.integers(1, 7))) for _ in range(400)]
    merged = [[c for i, c in enumerate(p) if i == 0 or c != p[i - 1]] for p in raw]
    conv, null = rng.integers(0, 4, 400), rng.integers(0, 12, 400)

    def frame(ps):
        return pd.DataFrame({"path": [" > ".join(p) for p in ps], "conversions": conv, "non_conversions": null})

    assert any(len(a) != len(b) for a, b in zip(raw, merged, strict=False))
    a, b = markov_attribution(frame(raw)), markov_attribution(frame(merged))
    pd.testing.assert_frame_equal(a.credit.set_index("channel"), b.credit.set_index("channel"), rtol=1e-9, atol=1e-12)
    assert a.conversion_probability == pytest.approx(b.conversion_probability, rel=1e-12)


def _shapley_brute_force(paths):
    sets = [frozenset(s.strip() for s in p.split(">")) for p in paths["path"]]
    players = sorted(set().union(*sets))
    conv = paths["conversions"].to_numpy(float)

    def v(coalition):
        return sum(c for s, c in zip(sets, conv, strict=False) if s <= coalition)

    credit = dict.fromkeys(players, 0.0)
    perms = list(itertools.permutations(players))
    for perm in perms:
        have = set()
        for pl in perm:
            before = v(frozenset(have))
            have.add(pl)
            credit[pl] += v(frozenset(have)) - before
    return {k: x / len(perms) for k, x in credit.items()}


def test_shapley_matches_permutation_brute_force_and_sums_to_total():
    paths = PATHS.assign(path=["a > b > c", "a", "b > a", "c > d > b > a"])
    s = shapley_attribution(paths).set_index("channel")
    assert s["conversions"].to_dict() == pytest.approx(_shapley_brute_force(paths))
    assert s["conversions"].sum() == pytest.approx(paths.conversions.sum())
    assert s["value"].sum() == pytest.approx(paths.value.sum())


def test_shapley_conversions_game_is_an_equal_split_per_journey():
    # independent: each path's conversions shared equally by its distinct channels, by hand
    paths = PATHS.assign(path=["a > b > c", "a", "b > a > a", "c > d > b > a"])
    split = {}
    for path, conv in zip(paths["path"], paths["conversions"], strict=False):
        chans = {c.strip() for c in path.split(">")}
        for c in chans:
            split[c] = split.get(c, 0.0) + conv / len(chans)
    assert shapley_attribution(paths).set_index("channel")["conversions"].to_dict() == pytest.approx(split)


def _rate_game_brute_force(paths):
    sets = [frozenset(s.strip() for s in p.split(">")) for p in paths["path"]]
    exact = {}
    for s, c, n in zip(sets, paths["conversions"], paths["non_conversions"], strict=False):
        conv, seen = exact.get(s, (0.0, 0.0))
        exact[s] = (conv + c, seen + c + n)
    rates = {s: c / n for s, (c, n) in exact.items() if n > 0}
    players = sorted(set().union(*sets))

    def v(coalition):
        return sum(r for s, r in rates.items() if s <= coalition)

    credit = dict.fromkeys(players, 0.0)
    perms = list(itertools.permutations(players))
    for perm in perms:
        have = set()
        for pl in perm:
            before = v(frozenset(have))
            have.add(pl)
            credit[pl] += v(frozenset(have)) - before
    total = sum(credit.values())
    return {k: x / total * paths["conversions"].sum() for k, x in credit.items()}


def test_shapley_conversion_rate_game_matches_brute_force_and_reads_non_conversions():
    paths = pd.DataFrame(
        {
            "path": ["a > b > c", "a", "b > a", "c > d > b > a", "d", "b"],
            "conversions": [3, 1, 2, 1, 0, 4],
            "non_conversions": [7, 30, 2, 9, 50, 4],
            "value": [30.0, 10.0, 20.0, 10.0, 0.0, 40.0],
        }
    )
    s = shapley_attribution(paths, game="conversion_rate").set_index("channel")
    assert s["conversions"].to_dict() == pytest.approx(_rate_game_brute_force(paths))
    assert s["value"].sum() == pytest.approx(paths["value"].sum())
    # more non-conversions on a channel's journeys lower its credit in this game, never in the other
    worse = paths.assign(non_conversions=paths["non_conversions"].where(paths["path"] != "b", 400))
    assert (
        shapley_attribution(worse, game="conversion_rate").set_index("channel").loc["b", "conversions"]
        < s.loc["b", "conversions"]
    )
    assert shapley_attribution(worse).equals(shapley_attribution(paths))
    with pytest.raises(ValueError, match="needs non_conversions"):
        shapley_attribution(paths.drop(columns="non_conversions"), game="conversion_rate")


def test_shapley_refuses_too_many_channels():
    many = pd.DataFrame({"path": [" > ".join(f"c{i}" for i in range(5))], "conversions": [1]})
    with pytest.raises(ValueError, match="max_channels=4"):
        shapley_attribution(many, max_channels=4)


def test_bad_paths_give_clear_errors():
    with pytest.raises(DataValidationError, match="conversions"):
        markov_attribution(pd.DataFrame({"path": ["a"]}))
    with pytest.raises(DataValidationError, match="row 1"):
        heuristic_attribution(paths=pd.DataFrame({"path": ["a", "b"], "conversions": [1, -2]}))
    with pytest.raises(ValueError, match="order"):
        markov_attribution(PATHS, order=0)


def test_compare_attribution_every_model_sums_to_conversions():
    tp = pd.DataFrame(
        {
            "user_id": [1, 1, 1, 2, 2, 3],
            "channel": ["seo", "email", "paid", "paid", "email", "seo"],
            "touched_at": pd.date_range("2025-10-01", periods=6, freq="D"),
            "converted": [0, 0, 1, 0, 1, 0],
            "conversion_value": [0, 0, 100, 0, 50, 0],
        }
    )
    c = compare_attribution(journeys=journeys_from_touchpoints(tp))
    assert set(c.model) == {
        "first_touch",
        "last_touch",
        "linear",
        "time_decay",
        "position_based",
        "markov",
        "shapley",
        "shapley_rate",
    }
    sums = c.groupby("model")["conversions"].sum()
    assert np.allclose(sums, 2.0)


def _reference_paths(reference_data):
    d = pd.read_csv(reference_data / "channelattribution_paths.csv", sep=";")
    return d, d.rename(
        columns={"total_conversions": "conversions", "total_conversion_value": "value", "total_null": "non_conversions"}
    )


def test_real_paths_invariants(reference_data):
    _, paths = _reference_paths(reference_data)
    r = markov_attribution(paths)
    assert r.conversion_probability == pytest.approx(
        paths.conversions.sum() / (paths.conversions.sum() + paths.non_conversions.sum())
    )
    s = shapley_attribution(paths)
    assert s["conversions"].sum() == pytest.approx(paths.conversions.sum())


def test_against_channelattribution_package(reference_data):
    ca = pytest.importorskip("ChannelAttribution", reason="channelattribution (bench extra) is not installed")
    raw, paths = _reference_paths(reference_data)
    heur = ca.heuristic_models(raw, "path", "total_conversions", var_value="total_conversion_value", flg_pro=False)
    heur = heur.set_index("channel_name")
    ours = heuristic_attribution(paths=paths).set_index("channel")
    for theirs, mine in (("first_touch", "first_touch"), ("last_touch", "last_touch"), ("linear_touch", "linear")):
        for kind in ("conversions", "value"):
            np.testing.assert_allclose(ours[f"{mine}_{kind}"].reindex(heur.index), heur[f"{theirs}_{kind}"], rtol=1e-6)
    # their removal effects are simulated (1e5 journeys by default): compare within simulation noise
    res = ca.markov_model(
        raw,
        "path",
        "total_conversions",
        var_value="total_conversion_value",
        var_null="total_null",
        out_more=True,
        verbose=False,
        flg_pro=False,
    )
    theirs = res["removal_effects"].set_index("channel_name")["removal_effects_conversion"]
    mine = markov_attribution(paths).credit.set_index("channel")["removal_effect"].reindex(theirs.index)
    np.testing.assert_allclose(mine, theirs, atol=0.02)
    share_t = res["result"].set_index("channel_name")["total_conversions"]
    share_m = markov_attribution(paths).credit.set_index("channel")["conversions"].reindex(share_t.index)
    big = share_t > 1000
    np.testing.assert_allclose(share_m[big], share_t[big], rtol=0.05)


# --- the chain from transition counts (what an engine sends back instead of the paths) ---------------


def test_transition_counts_of_paths_hand_counted():
    paths = pd.DataFrame(
        {
            "path": ["a", "a > b", "b > b"],
            "conversions": [1, 2, 0],
            "non_conversions": [1, 0, 3],
            "value": [5.0, 8.0, 0.0],
        }
    )
    got = transition_counts(paths).set_index(["from_state", "to_state"])
    # a: 2 journeys start at a, 1 converts (5.0), 1 lapses; a > b: 2 start, move to b, convert (8.0);
    # b > b: 3 start at b, loop once on b, lapse
    expected = {
        ("(start)", "a"): (4, 0.0),
        ("(start)", "b"): (3, 0.0),
        ("a", "(conversion)"): (1, 5.0),
        ("a", "(null)"): (1, 0.0),
        ("a", "b"): (2, 0.0),
        ("b", "(conversion)"): (2, 8.0),
        ("b", "(null)"): (3, 0.0),
        ("b", "b"): (3, 0.0),
    }
    assert {k: (r.journeys, r.value) for k, r in got.iterrows()} == expected
    order2 = transition_counts(paths, order=2).set_index(["from_state", "to_state"])["journeys"]
    assert order2[("a", "a > b")] == 2 and order2[("b", "b > b")] == 3 and order2[("b > b", "(null)")] == 3


def test_markov_from_hand_written_transition_counts_solves_the_hand_chain():
    # the chain of test_markov_hand_solved_chain, given as counts: start→a 2, start→b 2, a→conv 1, a→b 1,
    # b→conv 1, b→null 2 (conversions worth 10 after a and 40 after b)
    counts = pd.DataFrame(
        [
            ("(start)", "a", 2, 0.0),
            ("(start)", "b", 2, 0.0),
            ("a", "(conversion)", 1, 10.0),
            ("a", "b", 1, 0.0),
            ("b", "(conversion)", 1, 40.0),
            ("b", "(null)", 2, 0.0),
        ],
        columns=["from_state", "to_state", "journeys", "value"],
    )
    r = markov_from_transitions(counts)
    p_full = 0.5 * (0.5 + 0.5 / 3) + 0.5 / 3
    assert r.conversion_probability == pytest.approx(p_full)
    assert r.observed_conversion_rate == pytest.approx(2 / 4)
    re = r.credit.set_index("channel")["removal_effect"]
    assert re["a"] == pytest.approx(1 - (0.5 / 3) / p_full)
    assert re["b"] == pytest.approx(1 - (0.5 * 0.5) / p_full)
    # value: each conversion is worth its last state's mean (10 after a, 40 after b)
    v_full = 0.5 * 0.5 * 10 + (0.5 * 0.5 + 0.5) / 3 * 40
    assert r.credit.set_index("channel")["removal_effect_value"]["b"] == pytest.approx(1 - 0.5 * 0.5 * 10 / v_full)
    with pytest.raises(ValueError, match="missing column"):
        markov_from_transitions(counts.drop(columns="value"))


@pytest.mark.parametrize("order", [1, 2])
def test_path_summary_gives_every_model_the_numbers_of_the_paths(order):
    rng = np.random.default_rng(11 + order)
    chans = list("abcde")
    paths = pd.DataFrame(
        {
            "path": [" > ".join(rng.choice(chans, rng.integers(1, 7))) for _ in range(400)],
            "conversions": rng.integers(0, 4, 400),
            "non_conversions": rng.integers(0, 12, 400),
            "value": rng.gamma(2, 10, 400).round(2),
        }
    ).drop_duplicates("path")
    paths.loc[paths.conversions == 0, "value"] = 0.0
    summary = summarise_paths(paths, order=order, top_n=10)
    from_paths = compare_attribution(paths=paths, markov_order=order)
    from_summary = compare_attribution(paths=summary, markov_order=order)
    pd.testing.assert_frame_equal(from_summary, from_paths, check_exact=False, rtol=1e-9)
    assert set(from_summary["model"]) >= {"markov", "shapley", "shapley_rate", "linear"}
    # the summary's rows are bounded by the channels, not by the ~400 distinct paths
    states = 1 + sum(len(chans) ** k for k in range(1, order + 1))
    assert len(summary.transitions) <= states * (states + 1) and len(summary.channel_sets) < 2 ** len(chans)
    assert summary.rows < len(paths) and len(summary.top_paths) == 10
    assert summary.top_paths["conversions"].is_monotonic_decreasing
    assert path_conversions(summary) == path_conversions(paths) == paths["conversions"].sum()
    with pytest.raises(ValueError, match="order"):
        markov_attribution(summary, order=order + 1)


def test_channelattribution_paths_through_transition_counts(reference_data):
    """The package's real 10,000 paths: the chain from their transition counts is the chain from the paths,
    and its P(conversion) is the observed conversion rate (flow conservation, an independent fact)."""
    _, paths = _reference_paths(reference_data)
    counts = transition_counts(paths)
    assert counts.loc[counts["from_state"] == "(start)", "journeys"].sum() == pytest.approx(
        paths.conversions.sum() + paths.non_conversions.sum()
    )
    r = markov_from_transitions(counts)
    assert r.conversion_probability == pytest.approx(r.observed_conversion_rate, rel=1e-9)
    assert r.credit["conversions"].sum() == pytest.approx(paths.conversions.sum())
