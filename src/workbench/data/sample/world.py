"""The fictional market the sample data describes: one company (us), five competitors, five
customer segments, channels and the planted facts. Everything the generators share lives here."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

START = pd.Timestamp("2024-01-01")
END = pd.Timestamp("2026-10-31")
DAYS = pd.date_range(START, END, freq="D")
CURRENCY = "RUB"

# ----------------------------------------------------------------------------- brands
BRANDS = pd.DataFrame(
    [
        # brand, domain, is_us, price_index, notes
        ("Kedr", "kedr.example", True, 1.00, "us: outdoor and sports gear, online store"),
        ("Taiga Sport", "taigasport.example", False, 0.95, "content-heavy site, strong organic search"),
        ("Vershina", "vershina.example", False, 1.15, "premium mountain gear, big paid-search spender"),
        ("Alpina Market", "alpinamarket.example", False, 0.82, "discounter, frequent promo e-mails"),
        ("Severstyle", "severstyle.example", False, 1.05, "lifestyle brand, strong on social networks"),
        ("Trekline", "trekline.example", False, 1.10, "niche trekking specialist, small but loyal"),
    ],
    columns=["brand", "domain", "is_us", "price_index", "notes"],
)
US = "Kedr"
US_DOMAIN = "kedr.example"

# Strength 0..1 of each brand in each marketing channel; every competitor file derives from it.
STRENGTH_CHANNELS = ("seo", "paid_search", "paid_social", "social", "email")
STRENGTH = pd.DataFrame(
    {
        "seo": [0.55, 0.90, 0.50, 0.45, 0.25, 0.70],
        "paid_search": [0.50, 0.30, 0.90, 0.55, 0.35, 0.20],
        "paid_social": [0.55, 0.20, 0.40, 0.35, 0.85, 0.25],
        "social": [0.50, 0.35, 0.45, 0.25, 0.90, 0.55],
        "email": [0.60, 0.30, 0.25, 0.90, 0.40, 0.50],
    },
    index=BRANDS["brand"].tolist(),
)

# ----------------------------------------------------------------------------- channels
# Touch / session channels. Paid ones match ad_stats channels.
AD_CHANNELS = ("google_ads", "yandex_direct", "meta_ads", "vk_ads")
CHANNELS = AD_CHANNELS + ("organic_search", "email", "direct", "referral", "social")
SOURCE_MEDIUM = {
    "google_ads": ("google", "cpc"),
    "yandex_direct": ("yandex", "cpc"),
    "meta_ads": ("facebook", "paid_social"),
    "vk_ads": ("vk", "paid_social"),
    "organic_search": ("yandex", "organic"),
    "email": ("newsletter", "email"),
    "direct": ("(direct)", "(none)"),
    "referral": ("outdoor-forum.example", "referral"),
    "social": ("vk", "social"),
}
CPC = {"google_ads": 34.0, "yandex_direct": 27.0, "meta_ads": 19.0, "vk_ads": 14.0}  # RUB per click
CTR = {"google_ads": 0.045, "yandex_direct": 0.05, "meta_ads": 0.011, "vk_ads": 0.009}
LANDING_RATE = 0.88  # share of ad clicks that become a tracked session
BROWSE_PER_YEAR = 14.0  # non-buying visits per customer and year while interested (× gamma, mean 1)
PROSPECTS = 170_000  # anonymous visitors at scale 1 (1 + geometric visits each)

# ----------------------------------------------------------------------------- campaign flight
FLIGHT_START = pd.Timestamp("2026-09-01")
FLIGHT_END = pd.Timestamp("2026-10-31")
FLIGHT_CAMPAIGN = "autumn_launch_2026"
# Planned budget per channel and day at scale 1 (RUB).
FLIGHT_DAILY_BUDGET = {"google_ads": 3600.0, "yandex_direct": 3600.0, "meta_ads": 2400.0, "vk_ads": 2400.0}
OVERSPEND_CHANNEL = "vk_ads"
# Actual delivery against plan (clicks bought / clicks planned).
FLIGHT_DELIVERY = {"google_ads": 0.97, "yandex_direct": 1.02, "meta_ads": 0.94, "vk_ads": 1.45}
FLIGHT_PLAN_CVR = 0.02  # planned conversions per click
FLIGHT_PLAN_AOV = 4200.0  # planned revenue per conversion, RUB
FLIGHT_ORDER_SHARE = 0.22  # share of flight-period orders whose converting visit is a flight ad click
ALWAYS_ON: dict[str, Any] = {
    "google_ads": ("brand_search", "generic_search"),
    "yandex_direct": ("brand_search", "generic_search"),
    "meta_ads": ("prospecting",),
    "vk_ads": ("retargeting",),
}
AD_GROUPS = ("group_a", "group_b")
CREATIVES = ("creative_1", "creative_2")

# ----------------------------------------------------------------------------- A/B test
AB_START = pd.Timestamp("2026-06-01")
AB_END = pd.Timestamp("2026-06-28")
AB_VARIANTS = ("control", "treatment_a", "treatment_b")
AB_TRUE_RATES = {"control": 0.040, "treatment_a": 0.046, "treatment_b": 0.040}
AB_UNITS = 45_000
AB_REVENUE_MEDIAN = 3800.0

# ----------------------------------------------------------------------------- segments
# Each segment: geography, demography, psychographics and behaviour, so that clustering recovers it.
# Purchases follow the BG/NBD story: while active a customer buys at orders_per_year (× a gamma
# heterogeneity factor, mean 1, on the segment's seasonal calendar); right after each purchase they
# become inactive for good with a probability drawn from Beta(mean = dropout, DROPOUT_CONCENTRATION).
SEGMENTS: dict[str, dict[str, Any]] = {
    "urban_commuters": dict(
        share=0.26,
        country={"RU": 1.0},
        cities={"Moscow": 0.6, "Saint Petersburg": 0.4},
        age=(30, 4),
        gender={"m": 0.5, "f": 0.5},
        income={"high": 0.5, "upper_middle": 0.4, "middle": 0.1},
        occupation={"office": 0.7, "it": 0.3},
        interests=["cycling", "running", "gadgets", "coffee", "city_walks"],
        lifestyle="urban_active",
        orders_per_year=8.0,
        dropout=0.06,
        aov=(3500, 0.55),
        devices={"mobile": 0.7, "desktop": 0.25, "tablet": 0.05},
        channels={
            "vk_ads": 0.10,
            "meta_ads": 0.14,
            "google_ads": 0.10,
            "yandex_direct": 0.10,
            "organic_search": 0.14,
            "email": 0.06,
            "direct": 0.20,
            "referral": 0.02,
            "social": 0.14,
        },
        acquisition={"meta_ads": 0.4, "google_ads": 0.3, "organic_search": 0.3},
        hour_peaks=(8, 19),
        season_peak_months=(4, 5, 9),
        purchase_place="online_store",
        attributes=["design", "fast_delivery", "quality"],
    ),
    "family_campers": dict(
        share=0.22,
        country={"RU": 0.9, "KZ": 0.1},
        cities={"Yekaterinburg": 0.35, "Kazan": 0.3, "Nizhny Novgorod": 0.2, "Almaty": 0.15},
        age=(42, 5),
        gender={"m": 0.45, "f": 0.55},
        income={"upper_middle": 0.5, "middle": 0.5},
        occupation={"office": 0.4, "manager": 0.3, "self_employed": 0.3},
        interests=["camping", "fishing", "family_travel", "bbq", "gardening"],
        lifestyle="family_outdoor",
        orders_per_year=3.0,
        dropout=0.16,
        aov=(7200, 0.6),
        devices={"desktop": 0.55, "mobile": 0.35, "tablet": 0.10},
        channels={
            "vk_ads": 0.04,
            "meta_ads": 0.03,
            "google_ads": 0.08,
            "yandex_direct": 0.16,
            "organic_search": 0.25,
            "email": 0.18,
            "direct": 0.18,
            "referral": 0.05,
            "social": 0.03,
        },
        acquisition={"yandex_direct": 0.4, "organic_search": 0.4, "referral": 0.2},
        hour_peaks=(11, 21),
        season_peak_months=(5, 6, 7),
        purchase_place="offline_store",
        attributes=["durability", "price", "warranty"],
    ),
    "mountain_enthusiasts": dict(
        share=0.16,
        country={"RU": 1.0},
        cities={"Krasnoyarsk": 0.3, "Sochi": 0.3, "Krasnodar": 0.2, "Irkutsk": 0.2},
        age=(34, 6),
        gender={"m": 0.65, "f": 0.35},
        income={"high": 0.6, "upper_middle": 0.4},
        occupation={"it": 0.3, "engineer": 0.4, "self_employed": 0.3},
        interests=["climbing", "skiing", "trekking", "photography", "alpinism"],
        lifestyle="adventurer",
        orders_per_year=4.5,
        dropout=0.09,
        aov=(9500, 0.75),
        devices={"desktop": 0.6, "mobile": 0.35, "tablet": 0.05},
        channels={
            "vk_ads": 0.03,
            "meta_ads": 0.03,
            "google_ads": 0.12,
            "yandex_direct": 0.10,
            "organic_search": 0.35,
            "email": 0.07,
            "direct": 0.20,
            "referral": 0.08,
            "social": 0.02,
        },
        acquisition={"organic_search": 0.6, "referral": 0.3, "google_ads": 0.1},
        hour_peaks=(13, 22),
        season_peak_months=(1, 2, 6, 12),
        purchase_place="online_store",
        attributes=["quality", "durability", "eco_friendly"],
    ),
    "bargain_hunters": dict(
        share=0.22,
        country={"RU": 0.8, "BY": 0.1, "KZ": 0.1},
        cities={
            "Novosibirsk": 0.2,
            "Samara": 0.2,
            "Rostov-on-Don": 0.2,
            "Voronezh": 0.2,
            "Minsk": 0.1,
            "Karaganda": 0.1,
        },
        age=(46, 10),
        gender={"m": 0.35, "f": 0.65},
        income={"middle": 0.6, "lower_middle": 0.4},
        occupation={"retail": 0.3, "public_sector": 0.4, "retired": 0.3},
        interests=["deals", "home", "fitness", "dacha", "tv_series"],
        lifestyle="budget_conscious",
        orders_per_year=7.5,
        dropout=0.13,
        aov=(1600, 0.5),
        devices={"mobile": 0.6, "desktop": 0.35, "tablet": 0.05},
        channels={
            "vk_ads": 0.08,
            "meta_ads": 0.02,
            "google_ads": 0.04,
            "yandex_direct": 0.14,
            "organic_search": 0.12,
            "email": 0.32,
            "direct": 0.14,
            "referral": 0.04,
            "social": 0.10,
        },
        acquisition={"email": 0.2, "yandex_direct": 0.4, "vk_ads": 0.4},
        hour_peaks=(12, 20),
        season_peak_months=(11, 12),
        purchase_place="marketplace",
        attributes=["price", "wide_range", "fast_delivery"],
    ),
    "students": dict(
        share=0.14,
        country={"RU": 1.0},
        cities={"Tomsk": 0.3, "Novosibirsk": 0.2, "Saint Petersburg": 0.3, "Kazan": 0.2},
        age=(21, 2),
        gender={"m": 0.55, "f": 0.45},
        income={"low": 0.7, "lower_middle": 0.3},
        occupation={"student": 1.0},
        interests=["running", "gym", "gaming", "music", "hiking"],
        lifestyle="young_active",
        orders_per_year=4.0,
        dropout=0.24,
        aov=(1900, 0.5),
        devices={"mobile": 0.85, "desktop": 0.12, "tablet": 0.03},
        channels={
            "vk_ads": 0.22,
            "meta_ads": 0.06,
            "google_ads": 0.04,
            "yandex_direct": 0.06,
            "organic_search": 0.12,
            "email": 0.04,
            "direct": 0.14,
            "referral": 0.02,
            "social": 0.30,
        },
        acquisition={"vk_ads": 0.6, "social": 0.4},
        hour_peaks=(15, 23),
        season_peak_months=(3, 8, 9),
        purchase_place="marketplace",
        attributes=["price", "design", "eco_friendly"],
    ),
}
SEGMENT_NAMES = tuple(SEGMENTS)
DROPOUT_CONCENTRATION = 8.0  # Beta(a, b) with a + b = 8: customers of a segment differ in loyalty
RATE_SHAPE = 2.0  # gamma shape of the purchase-rate heterogeneity (mean 1)
DEVICES = ("desktop", "mobile", "tablet")
ATTRIBUTES = ("price", "quality", "durability", "design", "eco_friendly", "fast_delivery", "wide_range", "warranty")
FAMILIARITY = ("unaware", "aware", "considered", "tried", "regular")
PURCHASE_PLACES = ("online_store", "marketplace", "offline_store", "social_commerce")
CATEGORIES = {"apparel": 0.35, "footwear": 0.2, "camping": 0.15, "climbing": 0.1, "accessories": 0.2}


def pick(rng: np.random.Generator, mapping: dict, size: int) -> np.ndarray:
    """Draw `size` keys of `mapping` with its values as probabilities (normalised)."""
    keys = np.array(list(mapping))
    p = np.array(list(mapping.values()), dtype=float)
    return keys[rng.choice(len(keys), size=size, p=p / p.sum())]
