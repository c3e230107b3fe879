"""Sample data for the budget-planning report: three years of weekly media spend and the sales it
caused, with the truth planted (per-channel adstock decay, Hill saturation, effect size), so that
tests and `benchmarks/calibration_mmm.py` can check the media-mix model recovers it.

`simulate_media_mix` makes the weekly series (also used directly by the benchmarks with other seeds
and channel counts); `write_media_mix` turns one draw into files that follow the existing data
contracts: `media_ad_stats.csv` (ad_stats: one row per day × campaign, the week's spend spread over
its days) and `media_orders.csv` (orders: each week's revenue split into orders), plus the truth in
`_truth/media_mix.json`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["ChannelTruth", "SAMPLE_CHANNELS", "simulate_media_mix", "write_media_mix"]


@dataclass(frozen=True)
class ChannelTruth:
    """One channel's planted behaviour: weekly spend level and pattern, carry-over, saturation, effect."""

    channel: str
    mean_spend: float  # money per week, before the pattern
    decay: float  # geometric adstock decay per week (weights normalised, 13 weeks)
    half: float  # half-saturation point in units of mean_spend
    shape: float  # Hill shape
    max_effect: float  # outcome per week at full saturation
    flighted: bool = False  # on/off bursts (TV, outdoor) instead of always-on


SAMPLE_CHANNELS: tuple[ChannelTruth, ...] = (
    ChannelTruth("yandex_direct", 450_000, 0.15, 1.0, 1.2, 1_600_000),
    ChannelTruth("vk_ads", 250_000, 0.30, 0.8, 1.0, 700_000),
    ChannelTruth("telegram_ads", 150_000, 0.25, 1.5, 1.0, 600_000),
    ChannelTruth("online_video", 300_000, 0.45, 1.2, 1.5, 900_000, flighted=True),
    ChannelTruth("tv", 900_000, 0.70, 1.0, 2.0, 1_800_000, flighted=True),
    ChannelTruth("outdoor", 200_000, 0.55, 2.0, 1.0, 300_000, flighted=True),
)

MAX_LAG = 13
START = "2023-10-30"  # a Monday; 156 weeks end on Sunday 2026-10-25
BASE_PER_WEEK = 5_000_000.0
TREND_PER_YEAR = 0.08  # base grows 8 % a year
SEASON_AMPLITUDE = (0.10, 0.04)  # cos/sin of the yearly cycle (peak in late autumn/winter)
HOLIDAY_EFFECT = -90_000.0  # outcome per public-holiday day (RU) in the week
NOISE_AR, NOISE_SD, NOISE_IID = 0.5, 0.015, 0.02


def _spend_pattern(rng: np.random.Generator, ch: ChannelTruth, n: int) -> np.ndarray:
    """Always-on channels drift with budget steps; flighted ones run bursts of 3–8 weeks."""
    if ch.flighted:
        on = np.zeros(n, dtype=bool)
        t = int(rng.integers(0, 6))
        while t < n:
            length = int(rng.integers(3, 9))
            on[t : t + length] = True
            t += length + int(rng.integers(2, 9))
        level = np.where(on, rng.lognormal(0.0, 0.25, n), 0.0)
        level = level / max(level.mean(), 1e-9)
    else:
        steps = np.repeat(rng.lognormal(0.0, 0.45, n // 8 + 1), 8)[:n]
        ar = np.zeros(n)
        for t in range(1, n):
            ar[t] = 0.5 * ar[t - 1] + rng.normal(0, 0.25)
        level = steps * np.exp(ar)
        level = level / level.mean()
    return np.round(ch.mean_spend * level, 2)


def _weights(decay: float) -> np.ndarray:
    w = decay ** np.arange(MAX_LAG)
    return w / w.sum()


def simulate_media_mix(
    seed: int = 42,
    channels: tuple[ChannelTruth, ...] = SAMPLE_CHANNELS,
    n_weeks: int = 156,
    start: str = START,
) -> dict:
    """Weekly spend, outcome and the planted truth: {"spend", "outcome", "components", "truth"}.

    components are the expected outcome's parts per week (base, seasonality, holidays, one column per
    channel); outcome = their sum × (1 + AR(1) noise + independent noise)."""
    from workbench.analysis.budget.calendar import holiday_days

    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1717,)))
    idx = pd.date_range(start, periods=n_weeks, freq="7D")
    spend = pd.DataFrame({ch.channel: _spend_pattern(rng, ch, n_weeks) for ch in channels}, index=idx)
    years = (idx - idx[0]).days.to_numpy() / 365.25
    mid = idx + pd.Timedelta(days=3.5)
    angle = 2 * np.pi * ((mid - pd.Timestamp("2000-01-01")).total_seconds().to_numpy() / 86400.0) / 365.25
    base = BASE_PER_WEEK * (1 + TREND_PER_YEAR * years)
    comp = {
        "base": base,
        "seasonality": BASE_PER_WEEK * (SEASON_AMPLITUDE[0] * np.cos(angle) + SEASON_AMPLITUDE[1] * np.sin(angle)),
        "holidays": HOLIDAY_EFFECT * holiday_days(idx, ["RU"])["holidays_ru"].to_numpy(),
    }
    truth = {}
    for ch in channels:
        x = spend[ch.channel].to_numpy()
        ad = np.convolve(x, _weights(ch.decay))[:n_weeks]
        k_money = ch.half * ch.mean_spend
        contrib = ch.max_effect * ad**ch.shape / (ad**ch.shape + k_money**ch.shape)
        comp[ch.channel] = contrib
        cur = x[-13:].mean()  # the recent run-rate: marginal return at steady state
        slope = (
            ch.max_effect
            * ch.shape
            * k_money**ch.shape
            * cur ** (ch.shape - 1)
            / (cur**ch.shape + k_money**ch.shape) ** 2
        )
        truth[ch.channel] = asdict(ch) | {
            "half_saturation": k_money,
            "contribution": float(contrib.sum()),
            "roas": float(contrib.sum() / x.sum()),
            "current_spend": float(cur),
            "marginal_roas": float(slope),
        }
    components = pd.DataFrame(comp, index=idx)
    expected = components.sum(axis=1).to_numpy()
    ar = np.zeros(n_weeks)
    for t in range(n_weeks):
        ar[t] = (NOISE_AR * ar[t - 1] if t else 0.0) + rng.normal(0, NOISE_SD)
    noise = ar + rng.normal(0, NOISE_IID, n_weeks)
    outcome = pd.Series(np.round(expected * (1 + noise), 2), index=idx, name="revenue")
    meta = {
        "seed": seed,
        "start": str(idx[0].date()),
        "weeks": n_weeks,
        "adstock": "geometric, weights normalised, 13 weeks",
        "noise": {"ar1": NOISE_AR, "ar_sd": NOISE_SD, "iid_sd": NOISE_IID},
        "holiday_effect_per_day": HOLIDAY_EFFECT,
        "base_per_week": BASE_PER_WEEK,
        "trend_per_year": TREND_PER_YEAR,
    }
    return {"spend": spend, "outcome": outcome, "components": components, "truth": truth, "meta": meta}


def _daily_ad_stats(rng: np.random.Generator, spend: pd.DataFrame) -> pd.DataFrame:
    """One row per day × channel; a week's spend split over its days (sums kept to the kopeck)."""
    rows = []
    dow = np.array([1.05, 1.08, 1.06, 1.02, 0.98, 0.9, 0.91])
    dow = dow / dow.sum()
    cpm = {c: float(rng.uniform(120, 600)) for c in spend.columns}
    ctr = {c: float(rng.uniform(0.004, 0.03)) for c in spend.columns}
    for week, row in spend.iterrows():
        days = pd.date_range(week, periods=7, freq="D")
        for ch, total in row.items():
            if total <= 0:
                continue
            cents = int(round(total * 100))
            split = np.floor(dow * cents).astype(np.int64)
            split[-1] += cents - split.sum()
            for d, c in zip(days, split, strict=True):
                cost = c / 100
                impressions = int(cost / cpm[ch] * 1000 * rng.uniform(0.9, 1.1))
                clicks = int(rng.binomial(impressions, ctr[ch]))
                rows.append((d, f"{ch}_always_on", ch, impressions, clicks, cost))
    return pd.DataFrame(rows, columns=["date", "campaign", "channel", "impressions", "clicks", "cost"])


def _orders(rng: np.random.Generator, outcome: pd.Series, aov: float = 20_000.0) -> pd.DataFrame:
    """Each week's revenue split into orders at random moments of that week (weekly sums exact)."""
    ids: list[str] = []
    custs: list[str] = []
    stamps: list = []
    revenue: list[float] = []
    n_done = 0
    for week, total in outcome.items():
        n = max(1, int(rng.poisson(total / aov)))
        cents = int(round(total * 100))
        share = rng.lognormal(0, 0.35, n)
        split = np.floor(share / share.sum() * cents).astype(np.int64)
        split[-1] += cents - split.sum()
        offs = np.sort(rng.integers(0, 7 * 86400, n))
        stamps.extend(pd.Timestamp(week) + pd.to_timedelta(offs, unit="s"))
        revenue.extend(split / 100)
        custs.extend(f"M{c:06d}" for c in rng.integers(1, 40_000, n))
        ids.extend(f"MO{n_done + i:07d}" for i in range(1, n + 1))
        n_done += n
    return pd.DataFrame({"order_id": ids, "customer_id": custs, "order_date": stamps, "revenue": revenue})


def write_media_mix(rng: np.random.Generator, out_dir: Path, seed: int = 42) -> dict[str, Path]:
    """Write media_ad_stats.csv, media_orders.csv and _truth/media_mix.json into `out_dir`."""
    sim = simulate_media_mix(seed)
    out_dir = Path(out_dir)
    files = {"media_ad_stats": out_dir / "media_ad_stats.csv", "media_orders": out_dir / "media_orders.csv"}
    fmt = {"index": False, "lineterminator": "\n", "date_format": "%Y-%m-%d %H:%M:%S"}
    ads = _daily_ad_stats(rng, sim["spend"])
    ads["date"] = ads["date"].dt.strftime("%Y-%m-%d")
    ads.to_csv(files["media_ad_stats"], **fmt)
    _orders(rng, sim["outcome"]).to_csv(files["media_orders"], **fmt)
    truth_dir = out_dir / "_truth"
    truth_dir.mkdir(exist_ok=True)
    payload = {"meta": sim["meta"], "channels": sim["truth"]}
    (truth_dir / "media_mix.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return files
