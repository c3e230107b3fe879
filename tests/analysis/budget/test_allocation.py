"""Budget allocation: optimal by the first-order conditions and by brute force, bounds respected."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from workbench.analysis.budget import plan_allocation, years_plan
from workbench.analysis.budget.allocation import channel_bounds, optimise_allocation
from workbench.analysis.budget.response import current_spend, marginal_roas, response


def test_optimum_equalises_marginal_returns_and_beats_a_grid(fitted):
    fit, _ = fitted
    cur = current_spend(fit)
    total = cur.sum()
    lo, hi = 0.3 * cur, 3.0 * cur
    best = optimise_allocation(fit, total, lo, hi)
    assert best.sum() == pytest.approx(total, rel=1e-6)
    assert (best >= lo - 1e-6).all() and (best <= hi + 1e-6).all()
    free = (best > lo * 1.001) & (best < hi * 0.999)
    m = marginal_roas(fit, best)[free]
    assert m.max() - m.min() < 0.02 * m.mean()  # KKT: equal marginal ROAS off the bounds
    # brute force over a grid of the first three channels (others fixed at the optimum)
    rest = best[3:]
    rem = total - rest.sum()
    grid = np.linspace(0, 1, 41)
    top = response(fit, best).sum()
    for a, b in itertools.product(grid, grid):
        x = np.array([a * rem, b * rem, rem * (1 - a - b)])
        if (1 - a - b) < 0 or (x < lo[:3]).any() or (x > hi[:3]).any():
            continue
        assert response(fit, np.concatenate([x, rest])).sum() <= top + 1e-6 * top


def test_plan_uplift_is_paired_and_bounds_are_checked(fitted):
    fit, boot = fitted
    table, s = plan_allocation(fit, boot, 52 * current_spend(fit).sum(), 52)
    assert s["uplift"] >= -1e-6 and s["uplift_interval"][0] <= s["uplift"] <= s["uplift_interval"][1]
    assert table["optimal"].sum() == pytest.approx(s["budget"])
    with pytest.raises(ValueError, match="radio"):
        channel_bounds(fit.channels, current_spend(fit), {"radio": [0, 1]}, (0.5, 2))
    with pytest.raises(ValueError, match="cannot be split"):
        plan_allocation(fit, boot, 1e8, 52, default_bounds=(1.2, 2.0))  # every channel above its share


def test_years_plan_one_allocation_per_year(fitted):
    fit, boot = fitted
    plan, summ = years_plan(fit, boot, {"2027": 1.2e8, "2028": 1.4e8})
    assert set(summ) == {"2027", "2028"}
    assert plan.groupby("year")["optimal"].sum().to_dict() == pytest.approx({"2027": 1.2e8, "2028": 1.4e8})
    with pytest.raises(ValueError, match="2029"):
        years_plan(fit, boot, {"2029": "a lot"})
