"""Seasonality and time-of-day: day weights per segment and hour sampling by device, segment and
weekday/weekend, all vectorised (inverse-CDF sampling, no per-row Python loops)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.data.sample.world import DAYS, DEVICES, FLIGHT_END, FLIGHT_START, SEGMENTS

N_DAYS = len(DAYS)
DOY = DAYS.day_of_year.to_numpy()
DOW = DAYS.day_of_week.to_numpy()  # Monday = 0
WEEKEND = DOW >= 5
FLIGHT_MASK = (DAYS >= FLIGHT_START) & (DAYS <= FLIGHT_END)


def _bump(doy: np.ndarray, centre: float, width: float) -> np.ndarray:
    d = np.abs(doy - centre)
    d = np.minimum(d, 365 - d)
    return np.exp(-0.5 * (d / width) ** 2)


TREND = np.linspace(1.0, 1.7, N_DAYS)


def base_day_weights() -> np.ndarray:
    """Growth trend × Black Friday / New Year peaks × a mild weekly rhythm (shared by everyone)."""
    trend = TREND
    yearly = 1.0 + 0.9 * _bump(DOY, 333, 5) + 0.5 * _bump(DOY, 352, 8) - 0.25 * _bump(DOY, 5, 6)
    weekly = np.array([1.08, 1.10, 1.05, 1.02, 0.95, 0.85, 0.95])[DOW]
    return trend * yearly * weekly


def segment_rhythm(segment: str) -> np.ndarray:
    """A segment's calendar without the growth trend: yearly peaks × its seasons × its weekend habit,
    scaled to mean 1. One customer's purchase intensity follows it (growth comes from new customers)."""
    spec = SEGMENTS[segment]
    seasonal = np.ones(N_DAYS)
    for month in spec["season_peak_months"]:
        seasonal += 0.8 * _bump(DOY, (month - 1) * 30.4 + 15, 14)
    weekend_factor = {"family_campers": 1.45, "mountain_enthusiasts": 1.25, "urban_commuters": 0.8}.get(segment, 1.0)
    weekly = np.where(WEEKEND, weekend_factor, 1.0)
    w = base_day_weights() / TREND * seasonal * weekly
    return w / w.mean()


def segment_day_weights(segment: str) -> np.ndarray:
    w = TREND * segment_rhythm(segment)
    return w / w.sum()


def sample_days_after(rng: np.random.Generator, weights: np.ndarray, lower: np.ndarray) -> np.ndarray:
    """One day index per element, drawn from `weights` restricted to days ≥ lower (inverse CDF)."""
    cdf = np.concatenate([[0.0], np.cumsum(weights)])
    cdf /= cdf[-1]
    lo = cdf[np.clip(lower, 0, N_DAYS)]
    u = lo + rng.random(len(lower)) * (1.0 - lo)
    idx = np.searchsorted(cdf, u, side="right") - 1
    return np.clip(np.maximum(idx, lower), 0, N_DAYS - 1)


def sample_days_between(
    rng: np.random.Generator, weights: np.ndarray, lower: np.ndarray, upper: np.ndarray
) -> np.ndarray:
    """One day index per element, drawn from `weights` restricted to lower ≤ day ≤ upper."""
    cdf = np.concatenate([[0.0], np.cumsum(weights)])
    cdf /= cdf[-1]
    lo = cdf[np.clip(lower, 0, N_DAYS)]
    hi = cdf[np.clip(np.maximum(upper, lower) + 1, 0, N_DAYS)]
    u = lo + rng.random(len(lower)) * (hi - lo)
    idx = np.searchsorted(cdf, u, side="right") - 1
    return np.clip(idx, lower, np.maximum(upper, lower)).clip(0, N_DAYS - 1)


def _circ_bump(h: np.ndarray, peak: float, width: float) -> np.ndarray:
    d = np.abs(h - peak)
    d = np.minimum(d, 24 - d)
    return np.exp(-0.5 * (d / width) ** 2)


def hour_weights(device: str, segment: str, weekend: bool) -> np.ndarray:
    h = np.arange(24, dtype=float)
    night = 0.04
    if device == "desktop":
        base = (
            (_circ_bump(h, 15, 4.0) + 0.4 * _circ_bump(h, 21, 2))
            if weekend
            else (_circ_bump(h, 11, 1.8) + _circ_bump(h, 15.5, 1.8) + 0.35 * _circ_bump(h, 21, 1.5))
        )
    elif device == "mobile":
        base = (
            (_circ_bump(h, 13, 3.5) + 1.2 * _circ_bump(h, 21.5, 2))
            if weekend
            else (0.6 * _circ_bump(h, 8.3, 1) + 0.5 * _circ_bump(h, 13, 1) + 1.4 * _circ_bump(h, 21, 1.8))
        )
    else:
        base = 1.3 * _circ_bump(h, 21, 1.8) + (0.5 * _circ_bump(h, 11, 2) if weekend else 0.2)
    p1, p2 = SEGMENTS[segment]["hour_peaks"]
    mod = 1.0 + 1.2 * _circ_bump(h, p1, 1.3) + 1.2 * _circ_bump(h, p2, 1.3)
    w = (base + night) * mod
    return w / w.sum()


def conversion_propensity(device: str, weekend: bool) -> np.ndarray:
    """Relative chance that a visit converts, by hour (a multiplier, not normalised).

    Planted "best time": on weekdays evening desktop visits (19-22 h) convert best — people buy at
    home after work on the big screen; mobile browsing at lunchtime (12-14 h) converts worst and the
    morning commute (around 8 h) poorly — looking, not buying. Weekends are flatter with a daytime
    desktop plateau. Nights convert poorly on every device.
    """
    h = np.arange(24, dtype=float)
    night = np.where((h >= 1) & (h <= 5), 0.55, 1.0)
    if device == "desktop":
        m = (1.0 + 0.35 * _circ_bump(h, 13, 3.0)) if weekend else (0.9 + 1.1 * _circ_bump(h, 20.5, 1.4))
    elif device == "mobile":
        m = (
            (0.9 + 0.2 * _circ_bump(h, 21, 2.0))
            if weekend
            else (1.0 - 0.55 * _circ_bump(h, 13, 0.9) - 0.45 * _circ_bump(h, 8, 0.9) + 0.25 * _circ_bump(h, 21, 1.5))
        )
    else:
        m = 1.0 + 0.4 * _circ_bump(h, 21, 2.0)
    return m * night


def sample_seconds_of_day(
    rng: np.random.Generator,
    day_idx: np.ndarray,
    device: np.ndarray,
    segment: np.ndarray,
    converted: np.ndarray | None = None,
) -> np.ndarray:
    """Seconds after midnight per event, from the device × segment × weekend hour pattern; converting
    visits (``converted``) are drawn from that pattern × conversion_propensity, so the conversion
    rate itself — not just the volume — varies by hour, weekday and device."""
    segs = list(SEGMENTS)
    dev_code = pd.Categorical(device, categories=list(DEVICES)).codes.astype(np.int64)
    seg_code = pd.Categorical(segment, categories=segs).codes.astype(np.int64)
    conv = np.zeros(len(day_idx), bool) if converted is None else np.asarray(converted, bool)
    group = ((dev_code * len(segs) + seg_code) * 2 + WEEKEND[day_idx]) * 2 + conv
    # one hour-CDF per (device, segment, weekend, converted) group; inverse-CDF sampling in one pass
    cdfs = np.empty((len(DEVICES) * len(segs) * 4, 24))
    for i, dev in enumerate(DEVICES):
        for j, seg in enumerate(segs):
            for we in (0, 1):
                p = hour_weights(dev, seg, bool(we))
                q = p * conversion_propensity(dev, bool(we))
                cdfs[((i * len(segs) + j) * 2 + we) * 2] = np.cumsum(p) / p.sum()
                cdfs[((i * len(segs) + j) * 2 + we) * 2 + 1] = np.cumsum(q) / q.sum()
    flat = (cdfs[:, :23] + 2.0 * np.arange(len(cdfs))[:, None]).ravel()  # groups kept apart by 2
    u = rng.random(len(day_idx))
    hours = np.searchsorted(flat, u + 2.0 * group, side="right") - 23 * group
    return hours * 3600 + rng.integers(0, 3600, size=len(day_idx))
