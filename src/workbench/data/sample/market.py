"""The market around us: competitor intelligence files (keyword rankings, site metrics, social,
ads, e-mail, brand attributes) derived from one strength matrix, plus the survey and the A/B test."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.data.sample import world as W

PRODUCTS = [
    "hiking boots",
    "trekking poles",
    "down jacket",
    "rain jacket",
    "tent",
    "sleeping bag",
    "backpack",
    "climbing shoes",
    "ski jacket",
    "thermal underwear",
    "fleece jacket",
    "running shoes",
    "trail running shoes",
    "camping stove",
    "headlamp",
    "water bottle",
    "softshell pants",
    "membrane jacket",
    "insulated gloves",
    "merino socks",
    "hammock",
    "camping chair",
    "cooler box",
    "bike helmet",
    "cycling jersey",
    "yoga mat",
    "fitness tracker",
    "ski goggles",
    "snowboard pants",
    "carabiner",
    "climbing harness",
    "chalk bag",
    "dry bag",
    "sport sunglasses",
    "hiking pants",
    "windbreaker",
    "parka",
    "trekking sandals",
    "base layer",
    "sports bra",
]
TOPIC = {
    p: (
        "climbing"
        if any(w in p for w in ("climb", "carabiner", "chalk", "harness", "ski", "snowboard"))
        else "camping"
        if any(w in p for w in ("tent", "sleeping", "stove", "hammock", "chair", "cooler", "headlamp", "dry bag"))
        else "running"
        if any(w in p for w in ("running", "fitness", "yoga", "sports bra", "cycling", "bike"))
        else "apparel"
    )
    for p in PRODUCTS
}
PREFIXES = ["", "buy ", "best ", "cheap ", "women's ", "men's ", "kids ", "waterproof ", "lightweight ", "winter "]
SUFFIXES = [
    "",
    " sale",
    " price",
    " review",
    " moscow",
    " online",
    " 2026",
    " size chart",
    " how to choose",
    " discount",
    " delivery",
    " rating",
]
# How much each brand's site is about each topic (SEO relevance).
TOPIC_AFFINITY = {
    "Kedr": {"apparel": 0.3, "camping": 0.2, "climbing": 0.1, "running": 0.2},
    "Taiga Sport": {"apparel": 0.2, "camping": 0.3, "climbing": 0.1, "running": 0.3},
    "Vershina": {"apparel": 0.1, "camping": 0.0, "climbing": 0.5, "running": -0.2},
    "Alpina Market": {"apparel": 0.2, "camping": 0.2, "climbing": 0.0, "running": 0.2},
    "Severstyle": {"apparel": 0.4, "camping": -0.2, "climbing": -0.3, "running": 0.2},
    "Trekline": {"apparel": 0.0, "camping": 0.4, "climbing": 0.2, "running": -0.1},
}
NETWORKS = {"vk": 1.0, "telegram": 0.6, "youtube": 0.35, "dzen": 0.25, "ok": 0.2}
MESSAGES = {
    "Kedr": "Gear for every trail — free delivery from 3,000 RUB",
    "Taiga Sport": "Expert guides and kit for your next hike",
    "Vershina": "Summit-proven premium mountain gear",
    "Alpina Market": "Up to 50% off outdoor brands this week",
    "Severstyle": "Outdoor style for the city",
    "Trekline": "Built for long trails, guaranteed for 5 years",
}
# Perceived attribute scores (1-5) that the brand_attributes file and the survey agree on.
ATTR_SCORES = {
    "Kedr": {
        "price": 3.4,
        "quality": 3.8,
        "durability": 3.7,
        "design": 3.6,
        "eco_friendly": 3.2,
        "fast_delivery": 4.3,
        "wide_range": 3.6,
        "warranty": 3.4,
    },
    "Taiga Sport": {
        "price": 3.6,
        "quality": 3.5,
        "durability": 3.4,
        "design": 3.1,
        "eco_friendly": 3.0,
        "fast_delivery": 3.5,
        "wide_range": 4.4,
        "warranty": 3.2,
    },
    "Vershina": {
        "price": 2.3,
        "quality": 4.6,
        "durability": 4.5,
        "design": 3.9,
        "eco_friendly": 3.6,
        "fast_delivery": 3.2,
        "wide_range": 3.0,
        "warranty": 4.2,
    },
    "Alpina Market": {
        "price": 4.6,
        "quality": 2.8,
        "durability": 2.7,
        "design": 2.6,
        "eco_friendly": 2.4,
        "fast_delivery": 3.9,
        "wide_range": 4.1,
        "warranty": 2.9,
    },
    "Severstyle": {
        "price": 3.0,
        "quality": 3.4,
        "durability": 3.0,
        "design": 4.7,
        "eco_friendly": 3.9,
        "fast_delivery": 3.3,
        "wide_range": 2.9,
        "warranty": 3.0,
    },
    "Trekline": {
        "price": 2.8,
        "quality": 4.1,
        "durability": 4.6,
        "design": 3.0,
        "eco_friendly": 4.1,
        "fast_delivery": 2.9,
        "wide_range": 2.5,
        "warranty": 4.7,
    },
}


def competitors() -> pd.DataFrame:
    return W.BRANDS.copy()


def keywords(rng: np.random.Generator, n: int) -> pd.DataFrame:
    combos = [(pre + p + suf, p) for p in PRODUCTS for pre in PREFIXES for suf in SUFFIXES]
    idx = np.sort(rng.choice(len(combos), size=min(n, len(combos)), replace=False))
    kw = [combos[i] for i in idx]
    brand_kw = [(f"{b.lower()} {p}", p) for b in W.BRANDS["brand"] for p in PRODUCTS[:8]]
    kw = brand_kw + kw
    m = len(kw)
    rank = rng.permutation(m) + 1
    volume = np.maximum(10, np.round(60_000 * rank**-1.05 * np.exp(rng.normal(0, 0.5, m)))).astype(np.int64)
    words = np.array([len(k.split()) for k, _ in kw])
    volume = np.maximum(10, (volume / np.maximum(1, words - 1)).astype(np.int64))
    difficulty = np.clip(np.round(12 * np.log10(volume) + rng.normal(10, 12, m), 0), 0, 100)
    cpc = np.round(np.exp(rng.normal(3.0, 0.6, m)) * (0.6 + difficulty / 100), 2)
    return pd.DataFrame(
        {
            "keyword": [k for k, _ in kw],
            "product": [p for _, p in kw],
            "search_volume": volume,
            "difficulty": difficulty,
            "cpc": cpc,
        }
    )


def keyword_rankings(rng: np.random.Generator, kws: pd.DataFrame) -> pd.DataFrame:
    rows = []
    topic = kws["product"].map(TOPIC).to_numpy()
    for _, b in W.BRANDS.iterrows():
        brand, domain = b["brand"], b["domain"]
        seo = W.STRENGTH.loc[brand, "seo"]
        aff = np.array([TOPIC_AFFINITY[brand][t] for t in topic])
        own = kws["keyword"].str.startswith(brand.lower() + " ").to_numpy()
        other_brand = (
            kws["keyword"].str.split(" ").str[0].isin([x.lower().split()[0] for x in W.BRANDS["brand"]]).to_numpy()
            & ~own
        )
        score = 2.2 * seo + aff - kws["difficulty"].to_numpy() / 100 + rng.normal(0, 0.55, len(kws))
        ranking = (score > 0.75) & ~other_brand | own
        pos = np.clip(np.round(np.exp(4.4 - 1.6 * score + rng.normal(0, 0.45, len(kws)))), 1, 100)
        pos[own] = np.where(rng.random(int(own.sum())) < 0.9, 1, 2)
        position = np.where(ranking, pos, np.nan)
        slug = kws["product"].str.replace(" ", "-").str.replace("'", "")
        url = np.where(ranking, "https://" + domain + "/catalog/" + slug, None)
        rows.append(
            pd.DataFrame(
                {
                    "keyword": kws["keyword"],
                    "domain": domain,
                    "position": position,
                    "search_volume": kws["search_volume"],
                    "cpc": kws["cpc"],
                    "difficulty": kws["difficulty"].astype(np.int64),
                    "url": url,
                    "date": "2026-10-31",
                }
            )
        )
    out = pd.concat(rows, ignore_index=True)
    out["position"] = out["position"].astype("Int64")
    return out


def site_metrics(rng: np.random.Generator, us_monthly_visits: int) -> pd.DataFrame:
    s = W.STRENGTH
    reach = 0.5 * s["seo"] + 0.3 * s["paid_search"] + 0.2 * s["paid_social"]
    visits = np.round(
        us_monthly_visits * (reach / reach["Kedr"]).to_numpy() * np.exp(rng.normal(0, 0.1, len(s)))
    ).astype(np.int64)
    visits[0] = us_monthly_visits
    return pd.DataFrame(
        {
            "domain": W.BRANDS["domain"].to_numpy(),
            "monthly_visits": visits,
            "bounce_rate": np.round(0.62 - 0.25 * s["seo"].to_numpy() + rng.normal(0, 0.03, len(s)), 3),
            "pages_per_visit": np.round(2.2 + 3 * s["seo"].to_numpy() + rng.normal(0, 0.3, len(s)), 2),
            "visit_duration_s": np.round(90 + 240 * s["seo"].to_numpy() + rng.normal(0, 20, len(s))).astype(np.int64),
            "load_time_s": [2.1, 1.6, 2.8, 3.9, 2.4, 5.2],
            "mobile_friendly": [True, True, True, True, True, False],
            "https": [True, True, True, True, True, False],
            "indexed_pages": np.round(
                np.array([4200, 15800, 3100, 22600, 1900, 2400]) * np.exp(rng.normal(0, 0.05, len(s)))
            ).astype(np.int64),
            "referring_domains": np.round(2000 * s["seo"].to_numpy() ** 2 * np.exp(rng.normal(0, 0.2, len(s)))).astype(
                np.int64
            ),
            "authority": np.round(15 + 65 * s["seo"].to_numpy() + rng.normal(0, 3, len(s)))
            .clip(0, 100)
            .astype(np.int64),
        }
    )


def social(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for brand in W.BRANDS["brand"]:
        st = W.STRENGTH.loc[brand, "social"]
        for net, weight in NETWORKS.items():
            followers = int(round(250_000 * weight * st**2 * np.exp(rng.normal(0, 0.25))))
            rows.append(
                (
                    brand,
                    net,
                    followers,
                    int(rng.poisson(6 + 40 * st * weight)),
                    round(float(np.clip(0.004 + 0.05 * st * np.exp(rng.normal(0, 0.2)), 0, 1)), 4),
                    round(float(0.08 * (st - 0.45) + rng.normal(0, 0.01)), 4),
                )
            )
    return pd.DataFrame(
        rows, columns=["brand", "network", "followers", "posts_30d", "engagement_rate", "follower_growth_30d"]
    )


def ads_intel(rng: np.random.Generator, us_spend: dict) -> pd.DataFrame:
    rows = []
    for brand in W.BRANDS["brand"]:
        for c in W.AD_CHANNELS:
            kind = "paid_search" if c in ("google_ads", "yandex_direct") else "paid_social"
            st = W.STRENGTH.loc[brand, kind]
            if brand == W.US:
                spend = us_spend[c] * float(np.exp(rng.normal(0, 0.08)))  # a third-party estimate of our own spend
            else:
                spend = us_spend[c] * (st / W.STRENGTH.loc[W.US, kind]) ** 2 * float(np.exp(rng.normal(0, 0.1)))
            rows.append(
                (
                    brand,
                    c,
                    round(spend, -2),
                    int(round(10 + 120 * st**2 * np.exp(rng.normal(0, 0.2)))),
                    int(round(3000 * st**2)) if kind == "paid_search" else None,
                    MESSAGES[brand],
                )
            )
    out = pd.DataFrame(
        rows, columns=["brand", "channel", "est_monthly_spend", "active_ads", "keywords_bid", "top_message"]
    )
    out["keywords_bid"] = out["keywords_bid"].astype("Int64")
    return out


def email_intel(rng: np.random.Generator) -> pd.DataFrame:
    st = W.STRENGTH["email"]
    return pd.DataFrame(
        {
            "brand": W.BRANDS["brand"].to_numpy(),
            "emails_30d": np.round(2 + 22 * st.to_numpy()).astype(np.int64),
            "promo_share": [0.45, 0.30, 0.20, 0.85, 0.50, 0.25],
            "personalization": np.round(np.clip(st.to_numpy() * 0.7 + rng.normal(0, 0.05, len(st)), 0, 1), 3),
            "avg_discount": [0.10, 0.08, 0.05, 0.32, 0.15, 0.07],
        }
    )


def brand_attributes() -> pd.DataFrame:
    rows = [(b, a, s) for b, scores in ATTR_SCORES.items() for a, s in scores.items()]
    return pd.DataFrame(rows, columns=["brand", "attribute", "score"])


def survey(rng: np.random.Generator, customers: pd.DataFrame, n_orders: np.ndarray, n: int) -> pd.DataFrame:
    seg = customers.attrs["segment"]
    n_cust = min(int(round(n * 0.6)), len(customers))
    n_pros = n - n_cust
    ci = np.sort(rng.choice(len(customers), size=n_cust, replace=False))
    fam_c = np.where(n_orders[ci] >= 3, "regular", np.where(n_orders[ci] >= 1, "tried", "considered"))
    fam_p = W.pick(rng, {"unaware": 0.35, "aware": 0.40, "considered": 0.25}, n_pros)
    familiarity = np.concatenate([fam_c, fam_p])
    shares = np.array([W.SEGMENTS[s]["share"] for s in W.SEGMENT_NAMES])
    seg_all = np.concatenate([seg[ci], np.array(W.SEGMENT_NAMES)[rng.choice(5, size=n_pros, p=shares / shares.sum())]])
    others = [b for b in W.BRANDS["brand"] if b != W.US]
    use_p = np.array([0.55 * W.STRENGTH.loc[b, ["seo", "social", "paid_search"]].mean() + 0.1 for b in others])
    uses = rng.random((n, len(others))) < use_p
    stage = pd.Series(familiarity).map({f: i for i, f in enumerate(W.FAMILIARITY)}).to_numpy()
    brands_used = [
        ";".join(([W.US] if stage[i] >= 3 else []) + [b for b, u in zip(others, uses[i], strict=False) if u])
        for i in range(n)
    ]
    attrs, place = [], []
    for i in range(n):
        pref = list(W.SEGMENTS[seg_all[i]]["attributes"])
        k = 2 + int(rng.integers(0, 2))
        chosen = [pref[j] for j in rng.permutation(3)[:k]]
        if rng.random() < 0.25:
            extra = W.ATTRIBUTES[int(rng.integers(0, len(W.ATTRIBUTES)))]
            if extra not in chosen:
                chosen.append(extra)
        attrs.append(";".join(chosen))
        place.append(
            W.SEGMENTS[seg_all[i]]["purchase_place"]
            if rng.random() < 0.6
            else W.PURCHASE_PLACES[int(rng.integers(0, 4))]
        )
    lift = stage * 0.35

    def likert(base):
        return np.clip(np.round(base + lift + rng.normal(0, 0.9, n)), 1, 5).astype(np.int64)

    nps = np.clip(np.round(5 + stage * 0.9 + rng.normal(0, 1.8, n)), 0, 10).astype(np.int64)
    cust_id = np.concatenate([customers["customer_id"].to_numpy()[ci], np.full(n_pros, "", dtype=object)])
    age = np.concatenate(
        [customers["age"].to_numpy()[ci], np.clip(np.round(rng.normal(36, 12, n_pros)), 18, 75).astype(int)]
    )
    city = np.concatenate(
        [
            customers["city"].to_numpy()[ci],
            W.pick(
                rng,
                {
                    "Moscow": 0.3,
                    "Saint Petersburg": 0.15,
                    "Novosibirsk": 0.1,
                    "Kazan": 0.1,
                    "Yekaterinburg": 0.1,
                    "Krasnodar": 0.1,
                    "Samara": 0.15,
                },
                n_pros,
            ),
        ]
    )
    order = rng.permutation(n)
    df = (
        pd.DataFrame(
            {
                "customer_id": cust_id,
                "age": age,
                "city": city,
                "familiarity": familiarity,
                "brands_used": brands_used,
                "preferred_attributes": attrs,
                "purchase_place": place,
                "likert_quality": likert(2.6),
                "likert_price": likert(2.4),
                "likert_service": likert(2.7),
                "likert_trust": likert(2.5),
                "nps_score": nps,
            }
        )
        .iloc[order]
        .reset_index(drop=True)
    )
    df.insert(0, "respondent_id", [f"R{i:05d}" for i in range(1, n + 1)])
    return df


def experiment(rng: np.random.Generator, n: int) -> tuple[pd.DataFrame, dict]:
    variant = np.array(W.AB_VARIANTS)[rng.integers(0, 3, n)]
    returning = rng.random(n) < 0.4
    mult = np.where(returning, 1.3, 0.8)  # 0.6*0.8 + 0.4*1.3 = 1.0, so variant averages are the true rates
    rate = pd.Series(variant).map(W.AB_TRUE_RATES).to_numpy() * mult
    converted = rng.random(n) < rate
    revenue = np.where(converted, np.round(W.AB_REVENUE_MEDIAN * np.exp(rng.normal(0, 0.6, n)), 2), 0.0)
    span = int((W.AB_END - W.AB_START).total_seconds()) + 86_399
    exposed = np.sort(W.AB_START.to_datetime64() + rng.integers(0, span, n).astype("timedelta64[s]"))
    df = pd.DataFrame(
        {
            "unit_id": [f"U{i:06d}" for i in range(1, n + 1)],
            "variant": variant,
            "converted": converted,
            "revenue": revenue,
            "exposed_at": exposed,
            "segment": np.where(returning, "returning", "new"),
        }
    )
    realised = df.groupby("variant").agg(units=("converted", "size"), conversions=("converted", "sum"))
    facts = {
        v: {"units": int(realised.loc[v, "units"]), "conversions": int(realised.loc[v, "conversions"])}
        for v in W.AB_VARIANTS
    }
    return df, facts
