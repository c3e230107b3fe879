"""Customers (with their planted segment) and their orders."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.data.sample.timing import N_DAYS, base_day_weights, sample_days_after, segment_rhythm
from workbench.data.sample.world import (
    CATEGORIES,
    DAYS,
    DROPOUT_CONCENTRATION,
    RATE_SHAPE,
    SEGMENT_NAMES,
    SEGMENTS,
    pick,
)

REGION_OF_CITY = {
    "Moscow": "Central",
    "Saint Petersburg": "Northwestern",
    "Yekaterinburg": "Ural",
    "Kazan": "Volga",
    "Nizhny Novgorod": "Volga",
    "Almaty": "Almaty Region",
    "Krasnoyarsk": "Siberian",
    "Sochi": "Southern",
    "Krasnodar": "Southern",
    "Irkutsk": "Siberian",
    "Novosibirsk": "Siberian",
    "Samara": "Volga",
    "Rostov-on-Don": "Southern",
    "Voronezh": "Central",
    "Minsk": "Minsk Region",
    "Karaganda": "Karaganda Region",
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
    cols = {
        k: np.empty(n, dtype=object)
        for k in ("city", "gender", "income_band", "occupation", "lifestyle", "acquisition_channel", "interests")
    }
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
        lists = [
            ";".join(
                list(chosen[i, : n_int[i]])
                + ([extra[i]] if use_extra[i] and extra[i] not in chosen[i, : n_int[i]] else [])
            )
            for i in range(k)
        ]
        cols["interests"][m] = np.array(lists, dtype=object)
    for key in ("income_band", "occupation", "lifestyle"):
        cols[key] = _noisy_pick(rng, cols[key], np.unique(cols[key]))
    age = np.clip(np.round(age), 18, 80).astype(int)
    city = cols["city"]
    country = np.array([COUNTRY_OF_CITY.get(c, "RU") for c in city], dtype=object)
    region = np.array([REGION_OF_CITY[c] for c in city], dtype=object)
    df = pd.DataFrame(
        {
            "customer_id": [f"C{i:06d}" for i in range(1, n + 1)],
            "signup_date": DAYS[signup_idx].strftime("%Y-%m-%d"),
            "country": country,
            "region": region,
            "city": city,
            "age": age,
            "gender": cols["gender"],
            "income_band": cols["income_band"],
            "occupation": cols["occupation"],
            "interests": cols["interests"],
            "lifestyle": cols["lifestyle"],
            "acquisition_channel": cols["acquisition_channel"],
        }
    )
    df.attrs["segment"] = seg
    df.attrs["signup_idx"] = signup_idx
    return df


def make_orders(rng: np.random.Generator, customers: pd.DataFrame) -> pd.DataFrame:
    """Order days per customer, the BG/NBD story: 82% of customers buy soon after signup; while
    active a customer buys at the segment's rate × a gamma factor, on the segment's seasonal calendar
    (purchase gaps are exponential in "calendar-weighted" time); right after every purchase they drop
    out for good with their own probability (Beta around the segment's `dropout`).

    Returns one row per order (day index, segment, value...); also sets on `customers.attrs`:
    purchase_rate (per year while active), dropout_p, churned (dropped out before the end) and
    active_until (last day the customer is still interested: end of data, or ~a month after their
    last purchase when they dropped out; non-buyers lose interest a few months after signup)."""
    seg = customers.attrs["segment"]
    signup = customers.attrs["signup_idx"]
    n = len(customers)
    code = pd.Categorical(seg, categories=list(SEGMENT_NAMES)).codes.astype(np.int64)
    rate = np.array([SEGMENTS[s]["orders_per_year"] for s in SEGMENT_NAMES])[code] * rng.gamma(
        RATE_SHAPE, 1.0 / RATE_SHAPE, n
    )
    mean_p = np.array([SEGMENTS[s]["dropout"] for s in SEGMENT_NAMES])[code]
    p_drop = rng.beta(mean_p * DROPOUT_CONCENTRATION, (1 - mean_p) * DROPOUT_CONCENTRATION)
    buyer = rng.random(n) < 0.82
    first_day = np.minimum(signup + rng.geometric(0.25, n) - 1, N_DAYS - 1)

    # Calendar-weighted time: one segment's rhythm (mean 1) integrated over days; a gap of g such
    # "days" is short in its peak season and long off-season. All segments in one sorted array.
    off = 10.0 * N_DAYS
    cums = [np.concatenate([[0.0], np.cumsum(segment_rhythm(s))]) for s in SEGMENT_NAMES]
    flat = np.concatenate([c + k * off for k, c in enumerate(cums)])
    t_end = np.array([c[-1] for c in cums])

    def to_day(t, who):
        return np.searchsorted(flat, t + code[who] * off, side="right") - 1 - code[who] * (N_DAYS + 1)

    who = np.flatnonzero(buyer)
    t = np.array([cums[k][d] for k, d in zip(code[who], first_day[who], strict=False)]) if len(who) else np.zeros(0)
    t = t + rng.random(len(who)) * 0.5
    parts_c, parts_d = [who], [first_day[who]]
    last_day = np.where(buyer, first_day, -1)
    churned = np.zeros(n, dtype=bool)
    while len(who):
        drop = rng.random(len(who)) < p_drop[who]
        churned[who[drop]] = True
        who, t = who[~drop], t[~drop]
        t = t + rng.exponential(365.25 / rate[who])
        inside = t < t_end[code[who]]
        who, t = who[inside], t[inside]
        day = np.clip(to_day(t, who), 0, N_DAYS - 1)
        parts_c.append(who)
        parts_d.append(day)
        last_day[who] = day
    cust_idx = np.concatenate(parts_c)
    days = np.concatenate(parts_d).astype(np.int64)
    fade = rng.geometric(1 / 30, n)
    active_until = np.where(churned, last_day + fade, N_DAYS - 1)
    active_until = np.where(buyer, active_until, signup + rng.geometric(1 / 120, n))
    customers.attrs["purchase_rate"] = rate
    customers.attrs["dropout_p"] = p_drop
    customers.attrs["churned"] = churned
    customers.attrs["last_order_idx"] = last_day
    customers.attrs["active_until"] = np.minimum(active_until, N_DAYS - 1)
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
    return pd.DataFrame(
        {
            "cust_idx": cust_idx,
            "day_idx": days,
            "segment": segs,
            "revenue": revenue.round(2),
            "items": items,
            "price_tier": tier,
            "brand": pick(rng, PRODUCT_BRANDS, len(cust_idx)),
            "category": pick(rng, CATEGORIES, len(cust_idx)),
        }
    )
