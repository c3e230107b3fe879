"""Customers (with their planted segment) and their orders."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.data.sample.timing import N_DAYS, base_day_weights, sample_days_after, segment_day_weights
from workbench.data.sample.world import CATEGORIES, DAYS, SEGMENT_NAMES, SEGMENTS, pick

REGION_OF_CITY = {
    "Moscow": "Central", "Saint Petersburg": "Northwestern", "Yekaterinburg": "Ural", "Kazan": "Volga",
    "Nizhny Novgorod": "Volga", "Almaty": "Almaty Region", "Krasnoyarsk": "Siberian", "Sochi": "Southern",
    "Krasnodar": "Southern", "Irkutsk": "Siberian", "Novosibirsk": "Siberian", "Samara": "Volga",
    "Rostov-on-Don": "Southern", "Voronezh": "Central", "Minsk": "Minsk Region", "Karaganda": "Karaganda Region",
    "Tomsk": "Siberian",
}
COUNTRY_OF_CITY = {"Almaty": "KZ", "Karaganda": "KZ", "Minsk": "BY"}
ALL_INTERESTS = sorted({i for s in SEGMENTS.values() for i in s["interests"]})
NOISE = 0.12  # share of categorical attributes drawn from the whole population instead of the segment
PRODUCT_BRANDS = {"Kedr": 0.45, "Polar Fox": 0.2, "Granit": 0.2, "Sever Trail": 0.15}


def _noisy_pick(rng, seg_values: np.ndarray, pool: np.ndarray) -> np.ndarray:
    swap = rng.random(len(seg_values)) < NOISE
    out = seg_values.copy()
    out[swap] = pool[rng.integers(0, len(pool), int(swap.sum()))]
    return out


def make_customers(rng: np.random.Generator, n: int) -> pd.DataFrame:
    shares = np.array([SEGMENTS[s]["share"] for s in SEGMENT_NAMES])
    seg = np.array(SEGMENT_NAMES)[rng.choice(len(SEGMENT_NAMES), size=n, p=shares / shares.sum())]
    w = base_day_weights()
    w = w / w.sum()
    signup_idx = sample_days_after(rng, w, np.zeros(n, dtype=np.int64))
    signup_idx = np.sort(signup_idx)  # ids in signup order
    cols = {k: np.empty(n, dtype=object) for k in ("city", "gender", "income_band", "occupation",
                                                   "lifestyle", "acquisition_channel", "interests")}
    age = np.zeros(n)
    for s in SEGMENT_NAMES:
        m = seg == s
        k = int(m.sum())
        spec = SEGMENTS[s]
        cols["city"][m] = pick(rng, spec["cities"], k)
        cols["gender"][m] = pick(rng, spec["gender"], k)
        cols["income_band"][m] = pick(rng, spec["income"], k)
        cols["occupation"][m] = pick(rng, spec["occupation"], k)
        cols["lifestyle"][m] = spec["lifestyle"]
        cols["acquisition_channel"][m] = pick(rng, spec["acquisition"], k)
        mu, sd = spec["age"]
        age[m] = rng.normal(mu, sd, k)
        # 2-4 interests from the segment, sometimes one from anywhere.
        pool = np.array(spec["interests"])
        n_int = rng.integers(2, 5, k)
        order = np.argsort(rng.random((k, len(pool))), axis=1)
        chosen = pool[order]
        extra = np.array(ALL_INTERESTS)[rng.integers(0, len(ALL_INTERESTS), k)]
        use_extra = rng.random(k) < 0.3
        lists = [";".join(list(chosen[i, : n_int[i]]) + ([extra[i]] if use_extra[i] and extra[i] not in chosen[i, : n_int[i]] else []))
                 for i in range(k)]
        cols["interests"][m] = np.array(lists, dtype=object)
    for key in ("income_band", "occupation", "lifestyle"):
        cols[key] = _noisy_pick(rng, cols[key], np.unique(cols[key]))
    age = np.clip(np.round(age), 18, 80).astype(int)
    city = cols["city"]
    country = np.array([COUNTRY_OF_CITY.get(c, "RU") for c in city], dtype=object)
    region = np.array([REGION_OF_CITY[c] for c in city], dtype=object)
    df = pd.DataFrame({
        "customer_id": [f"C{i:06d}" for i in range(1, n + 1)],
        "signup_date": DAYS[signup_idx].strftime("%Y-%m-%d"),
        "country": country, "region": region, "city": city, "age": age,
        "gender": cols["gender"], "income_band": cols["income_band"], "occupation": cols["occupation"],
        "interests": cols["interests"], "lifestyle": cols["lifestyle"],
        "acquisition_channel": cols["acquisition_channel"],
    })
    df.attrs["segment"] = seg
    df.attrs["signup_idx"] = signup_idx
    return df


def make_orders(rng: np.random.Generator, customers: pd.DataFrame) -> pd.DataFrame:
    """Order days per customer: first order soon after signup, then segment-rate Poisson repeats
    on the segment's seasonal calendar. Returns one row per order with day index and segment."""
    seg = customers.attrs["segment"]
    signup = customers.attrs["signup_idx"]
    n = len(customers)
    rate = np.array([SEGMENTS[s]["orders_per_year"] for s in seg])
    active_years = (N_DAYS - signup) / 365.25
    buyer = rng.random(n) < 0.82
    first_day = np.minimum(signup + rng.geometric(0.25, n) - 1, N_DAYS - 1)
    repeats = np.where(buyer, rng.poisson(rate * np.maximum(active_years - 0.05, 0) * rng.gamma(2.0, 0.5, n)), 0)
    cust_idx = np.concatenate([np.flatnonzero(buyer), np.repeat(np.arange(n), repeats)])
    days = np.empty(len(cust_idx), dtype=np.int64)
    nb = int(buyer.sum())
    days[:nb] = first_day[buyer]
    rep_cust = cust_idx[nb:]
    for s in SEGMENT_NAMES:
        m = seg[rep_cust] == s
        days[nb:][m] = sample_days_after(rng, segment_day_weights(s), first_day[rep_cust[m]])
    segs = seg[cust_idx]
    revenue = np.zeros(len(cust_idx))
    for s in SEGMENT_NAMES:
        m = segs == s
        median, sigma = SEGMENTS[s]["aov"]
        revenue[m] = median * np.exp(rng.normal(0, sigma, int(m.sum())))
    # A heavy tail: a few very large baskets (team/expedition orders).
    tail = rng.random(len(revenue)) < 0.01
    revenue[tail] *= rng.pareto(1.5, int(tail.sum())) + 3
    revenue = np.round(revenue / 10) * 10 - 1  # prices end in 9
    items = 1 + rng.poisson(np.clip(revenue / 4000, 0.2, 6))
    per_item = revenue / items
    tier = np.where(per_item < 1500, "budget", np.where(per_item < 5000, "mid", "premium"))
    return pd.DataFrame({
        "cust_idx": cust_idx, "day_idx": days, "segment": segs, "revenue": revenue.round(2),
        "items": items, "price_tier": tier,
        "brand": pick(rng, PRODUCT_BRANDS, len(cust_idx)),
        "category": pick(rng, CATEGORIES, len(cust_idx)),
    })
