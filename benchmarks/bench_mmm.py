"""Media-mix model benchmark: 3 years × 8 channels, weekly (target: fit in under 60 s on 2 cores).

Times, on the same simulated data in the same run:
- ours: search + joint refinement (`fit_mmm`), then the full report model (fit + 100 block-bootstrap refits);
- baseline: plain OLS on raw spend and the same calendar controls (statsmodels), no adstock, no
  saturation — the floor any MMM pays on top of;
- PyMC-Marketing's MMM (NUTS, 2 chains) where it is installed; it is not a dependency, so usually skipped.

Run: .venv/bin/python benchmarks/bench_mmm.py [--seed 1]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from workbench.analysis.budget import MMMSpec, block_bootstrap, fit_mmm
from workbench.analysis.budget.model import control_design
from workbench.data.sample.media_mix import SAMPLE_CHANNELS, ChannelTruth, simulate_media_mix

EIGHT = SAMPLE_CHANNELS + (
    ChannelTruth("google_ads", 200_000, 0.2, 1.0, 1.0, 500_000),
    ChannelTruth("radio", 150_000, 0.5, 1.2, 1.5, 350_000, flighted=True),
)


def _timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    sim = simulate_media_mix(args.seed, EIGHT, n_weeks=156)
    spend, y = sim["spend"], sim["outcome"]
    spec = MMMSpec(seed=args.seed)

    import statsmodels.api as sm

    Z = control_design(spend.index, spec)
    X = np.hstack([spend.to_numpy(), Z.drop(columns="intercept").to_numpy()])
    t_ols, _ = _timed(lambda: sm.OLS(y.to_numpy(), sm.add_constant(X)).fit())
    t_fit, fit = _timed(lambda: fit_mmm(spend, y, spec))
    t_boot, boot = _timed(lambda: block_bootstrap(fit, 100, seed=args.seed))
    print(f"data: {len(spend)} weeks × {spend.shape[1]} channels (seed {args.seed})")
    print(f"baseline OLS (statsmodels, no adstock/saturation): {t_ols * 1000:8.1f} ms")
    print(
        f"ours fit (search {spec.n_candidates} + {spec.n_refine} refinements): {t_fit:8.2f} s "
        f"({t_fit / t_ols:,.0f}× OLS); in-sample R² {fit.r2():.3f}"
    )
    print(
        f"ours fit + 100 bootstrap refits: {t_fit + t_boot:8.2f} s — target < 60 s: "
        f"{'met' if t_fit + t_boot < 60 else 'MISSED'}"
    )
    try:
        import pymc_marketing  # noqa: F401
    except ImportError:
        print("PyMC-Marketing: not installed (not a dependency: PyMC + PyTensor + a C compiler); skipped")
        return
    from pymc_marketing.mmm import MMM, GeometricAdstock, LogisticSaturation

    df = spend.assign(date=spend.index, y=y.to_numpy()).reset_index(drop=True)
    mmm = MMM(
        date_column="date",
        channel_columns=list(spend.columns),
        adstock=GeometricAdstock(l_max=13),
        saturation=LogisticSaturation(),
        yearly_seasonality=2,
    )
    t_pm, _ = _timed(lambda: mmm.fit(df.drop(columns="y"), df["y"], chains=2, cores=2, progressbar=False))
    print(f"PyMC-Marketing MMM (NUTS, 2 chains): {t_pm:8.2f} s ({t_pm / (t_fit + t_boot):.1f}× ours with bootstrap)")


if __name__ == "__main__":
    main()
