"""Calibration of the media-mix model on simulated data with planted truth, over several seeds.

For each seed: simulate 156 weeks of the sample's 6 channels (new spend patterns and noise), fit,
bootstrap (block residual refits) and check whether the planted value lies inside the 90 %
interval, per quantity: ROAS, total contribution, marginal ROAS at current spend, decay,
half-saturation point. Prints the coverage table (nominal 90 %).

Run: .venv/bin/python benchmarks/calibration_mmm.py [--seeds 10] [--draws 60]
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from workbench.analysis.budget import (
    MMMSpec,
    block_bootstrap,
    contribution_summary,
    fit_mmm,
    marginal_table,
    parameter_stability,
)
from workbench.data.sample.media_mix import simulate_media_mix


def one_seed(seed: int, draws: int, level: float) -> list[dict]:
    sim = simulate_media_mix(seed)
    fit = fit_mmm(sim["spend"], sim["outcome"], MMMSpec(seed=seed))
    boot = block_bootstrap(fit, draws, seed=seed)
    s = contribution_summary(fit, boot, level).set_index("component")
    m = marginal_table(fit, boot, 13, level).set_index("channel")
    p = parameter_stability(fit, boot, level).set_index(["channel", "parameter"])
    rows = []
    for ch, t in sim["truth"].items():
        checks = {
            "roas": (s.loc[ch, "roas_lower"], s.loc[ch, "roas_upper"], t["roas"]),
            "contribution": (s.loc[ch, "lower"], s.loc[ch, "upper"], t["contribution"]),
            "marginal_roas": (m.loc[ch, "marginal_lower"], m.loc[ch, "marginal_upper"], t["marginal_roas"]),
            "decay": (p.loc[(ch, "decay"), "lower"], p.loc[(ch, "decay"), "upper"], t["decay"]),
            "half_saturation": (
                p.loc[(ch, "half_saturation"), "lower"],
                p.loc[(ch, "half_saturation"), "upper"],
                t["half_saturation"],
            ),
        }
        for q, (lo, hi, true) in checks.items():
            rows.append({"seed": seed, "channel": ch, "quantity": q, "covered": bool(lo <= true <= hi)})
        rows.append(
            {
                "seed": seed,
                "channel": ch,
                "quantity": "roas_abs_error",
                "covered": abs(s.loc[ch, "roas"] - t["roas"]) / t["roas"],
            }
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--draws", type=int, default=60)
    ap.add_argument("--level", type=float, default=0.9)
    args = ap.parse_args(argv)
    t = time.perf_counter()
    rows = [r for seed in range(1, args.seeds + 1) for r in one_seed(seed, args.draws, args.level)]
    df = pd.DataFrame(rows)
    cov = df[df["quantity"] != "roas_abs_error"].copy()
    cov["covered"] = cov["covered"].astype(float)
    table = cov.pivot_table(index="channel", columns="quantity", values="covered", aggfunc="mean")
    table.loc["all channels"] = cov.groupby("quantity")["covered"].mean()
    err = df[df["quantity"] == "roas_abs_error"].groupby("channel")["covered"].median()
    print(
        f"coverage of the planted value by the {args.level:.0%} bootstrap interval, {args.seeds} seeds, "
        f"{args.draws} refits each ({time.perf_counter() - t:.0f} s)"
    )
    print((table * 100).round(0).astype(int).astype(str).add("%").to_string())
    print("\nmedian relative ROAS error by channel:")
    print((err * 100).round(1).astype(str).add("%").to_string())


if __name__ == "__main__":
    main()
