"""Sample content, content statistics and search demand for Kedr, with planted facts the content
report's tests must find (recorded in `_truth/content.json`):

* topics: titles (Russian and English) written about four topics — tents, layering, trails, ski;
* decay: `/blog/black-friday-2025` loses half its daily views every 2 days; `/blog/layering-guide`
  keeps a flat audience for years (evergreen);
* timing: VK posts published on Tuesdays at 19:00 and Telegram posts on Thursdays at 09:00 are
  engaged with about twice as often as the platform's other slots;
* search demand: "трекинговые палки" / "trekking poles" rise ~40 % a year, "термобелье" falls
  ~25 % a year, tents peak in June, ski jackets in December;
* keywords: five near-duplicate phrasings of "купить палатку" belong in one ad group,
  "бесплатно" / "free" phrasings are irrelevant (negative keywords), except "бесплатно доставка"
  (free delivery), which is a buyer's query.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from workbench.data.sample import world as W

__all__ = ["TRUTH", "make_content_data"]

# Titles: a frame filled with three words of the item's topic (nominative, so the Russian reads right).
WORDS = {
    "tents": (
        ["палатка", "кемпинг", "тент", "спальник", "коврик", "стоянка"],
        ["tent", "camping", "sleeping bag", "campsite"],
    ),
    "layering": (
        ["термобелье", "флис", "пуховик", "мембрана", "куртка", "одежда"],
        ["base layer", "fleece", "jacket", "layering"],
    ),
    "trails": (
        ["маршрут", "тропа", "треккинг", "поход", "перевал", "карта"],
        ["trail", "hiking", "trek", "route"],
    ),
    "ski": (
        ["лыжи", "горнолыжный курорт", "склон", "сноуборд", "трасса", "лыжный сезон"],
        ["ski", "slope", "snowboard", "ski resort"],
    ),
}
FRAMES = (
    ["{A}, {b} и {c}", "{A}, {b} и {c}: советы", "{A}, {b} и {c}: обзор", "{A}, {b} и {c} — что взять"],
    ["{A}, {b} and {c}", "{A}, {b} and {c}: tips"],
)
TITLES = {  # the planted blog posts
    "tents": "Как выбрать палатку: гид для начинающих",
    "layering": "Многослойная одежда: термобелье, флис и мембрана",
    "trails": "Лучшие маршруты выходного дня под Москвой",
}


def _title(rng: np.random.Generator, topic: str) -> str:
    lang = int(rng.random() < 0.25)
    a, b, c = rng.choice(WORDS[topic][lang], size=3, replace=False)
    frame = FRAMES[lang][int(rng.integers(len(FRAMES[lang])))]
    return frame.format(A=a[0].upper() + a[1:], b=b, c=c)


FAST_POST = "/blog/black-friday-2025"
EVERGREEN_POST = "/blog/layering-guide"
BEST_SLOTS = {"vk": (1, 19), "telegram": (3, 9)}  # platform -> (weekday 0=Mon, hour)
# Candidate publication slots per platform (weekday, hour); the best slot is one of them.
_SLOTS = {
    "vk": [(0, 12), (1, 19), (2, 12), (2, 19), (3, 19), (4, 17), (5, 11), (6, 20), (0, 19), (3, 12)],
    "telegram": [(0, 9), (1, 9), (3, 9), (4, 9), (2, 13), (3, 18), (1, 18), (5, 10), (6, 11), (0, 18)],
}

# Search demand: group -> (keywords with their share, base monthly searches, growth per year, peak month, amplitude)
DEMAND = {
    "палатка": (
        {
            "купить палатку": 0.30,
            "палатка купить": 0.12,
            "купить палатки": 0.08,
            "палатки купить": 0.05,
            "палатка цена": 0.10,
            "как выбрать палатку": 0.15,
            "палатка бесплатно": 0.02,
            "выкройка палатки скачать бесплатно": 0.02,
            "палатка kedr": 0.04,
        },
        42000,
        0.0,
        6,
        0.6,
    ),
    "tent": ({"buy tent": 0.5, "tent price": 0.3, "free tent pattern": 0.2}, 6000, 0.0, 6, 0.6),
    "горнолыжный": (
        {"горнолыжная куртка купить": 0.5, "горнолыжная куртка": 0.35, "как выбрать горнолыжную куртку": 0.15},
        18000,
        0.0,
        12,
        0.7,
    ),
    "палка": (
        {"трекинговые палки": 0.5, "купить трекинговые палки": 0.35, "трекинговые палки бесплатно доставка": 0.15},
        7000,
        0.40,
        7,
        0.15,
    ),
    "pole": ({"trekking poles": 0.7, "buy trekking poles": 0.3}, 2500, 0.40, 7, 0.15),
    "термобелье": ({"термобелье": 0.6, "купить термобелье": 0.3, "термобелье отзывы": 0.1}, 15000, -0.25, 1, 0.3),
    "кедр": ({"кедр официальный сайт": 0.6, "kedr магазин": 0.4}, 5000, 0.05, 11, 0.1),
}
DUPLICATES = ["купить палатку", "палатка купить", "купить палатки", "палатки купить", "палатка цена"]

TRUTH = {
    "fast_post": FAST_POST,
    "fast_half_life_days": 2.0,
    "evergreen_post": EVERGREEN_POST,
    "best_slots": {k: {"weekday": v[0], "hour": v[1]} for k, v in BEST_SLOTS.items()},
    "rising_group": "трекинговый",  # the head lemma of "трекинговые палки" (demand_groups)
    "falling_group": "термобелье",
    "seasonal_peaks": {"палатка": 6, "горнолыжный": 12},
    "duplicate_keywords": DUPLICATES,
    "negative_words": ["бесплатно", "free"],
    "free_delivery_keyword": "трекинговые палки бесплатно доставка",  # "free delivery": a buyer, not negative
    "topics": sorted(WORDS),
}


def _items(rng: np.random.Generator) -> pd.DataFrame:
    """One row per item: blog posts, VK and Telegram posts, videos and e-mails with a planted topic."""
    rows = []
    topics = sorted(WORDS)
    span = (pd.Timestamp("2026-09-30") - W.START).days

    def add(cid, ctype, platform, when, topic, cost):
        title = _title(rng, topic)
        rows.append((cid, ctype, platform, when, title, topic, cost))

    for i in range(56):
        day = W.START + pd.Timedelta(days=int(rng.integers(30, span)))
        add(f"/blog/post-{i + 1:03d}", "blog_post", "blog", day + pd.Timedelta(hours=10), topics[i % 4], 6000.0)
    for platform, slots in _SLOTS.items():
        weights = np.array([2.0 if s == BEST_SLOTS[platform] else 1.0 for s in slots])
        for i in range(230):
            wd, hour = slots[int(rng.choice(len(slots), p=weights / weights.sum()))]
            week = W.START + pd.Timedelta(weeks=int(rng.integers(0, span // 7)))
            when = week + pd.Timedelta(days=(wd - week.day_of_week) % 7, hours=hour, minutes=int(rng.integers(0, 50)))
            add(f"{platform}-{i + 1:04d}", "social_post", platform, when, topics[int(rng.integers(4))], 500.0)
    for i in range(30):
        day = W.START + pd.Timedelta(days=int(rng.integers(0, span)), hours=15)
        add(f"yt-{i + 1:03d}", "video", "youtube", day, topics[int(rng.integers(4))], 25000.0)
    frame = pd.DataFrame(rows, columns=["content_id", "type", "platform", "published_at", "title", "topic", "cost"])
    planted = pd.DataFrame(
        [
            (EVERGREEN_POST, "blog_post", "blog", pd.Timestamp("2024-02-01 10:00"), TITLES["layering"], "layering"),
            (
                "/blog/how-to-choose-a-tent",
                "blog_post",
                "blog",
                pd.Timestamp("2024-03-05 10:00"),
                TITLES["tents"],
                "tents",
            ),  # fmt: skip
            (
                "/blog/best-trails-near-moscow",
                "blog_post",
                "blog",
                pd.Timestamp("2024-04-10 10:00"),
                TITLES["trails"],
                "trails",
            ),  # fmt: skip
            (
                FAST_POST,
                "blog_post",
                "blog",
                pd.Timestamp("2025-11-20 10:00"),
                "Чёрная пятница: скидки на палатки",
                "tents",
            ),  # fmt: skip
        ],
        columns=["content_id", "type", "platform", "published_at", "title", "topic"],
    ).assign(cost=6000.0)
    return pd.concat([planted, frame], ignore_index=True)


def _half_lives(rng: np.random.Generator, items: pd.DataFrame) -> np.ndarray:
    """Daily views halve every h days (inf = evergreen)."""
    h = np.where(items["platform"].isin(["vk", "telegram"]), rng.uniform(0.8, 1.5, len(items)), 0.0)
    h = np.where(items["platform"] == "youtube", rng.uniform(15, 40, len(items)), h)
    h = np.where(items["platform"] == "blog", rng.uniform(8, 60, len(items)), h)
    h[items["content_id"].to_numpy() == FAST_POST] = TRUTH["fast_half_life_days"]
    h[items["content_id"].isin([EVERGREEN_POST, "/blog/how-to-choose-a-tent", "/blog/best-trails-near-moscow"])] = (
        np.inf
    )
    return h


def _stats(rng: np.random.Generator, items: pd.DataFrame) -> pd.DataFrame:
    """Item × day rows: views decaying from publication, reach, engagement actions, clicks."""
    platform = items["platform"].to_numpy()
    h = _half_lives(rng, items)
    days = np.select([platform == "blog", platform == "youtube"], [365, 120], 21)
    days = np.where(np.isinf(h), 1200, days)
    start = items["published_at"].dt.normalize()
    days = np.minimum(days, (W.END - start).dt.days.to_numpy() + 1)
    idx = np.repeat(np.arange(len(items)), days)
    age = np.arange(len(idx)) - np.repeat(np.cumsum(days) - days, days)
    v0 = np.select([platform == "blog", platform == "youtube"], [400.0, 900.0], 3000.0) * rng.lognormal(
        0, 0.3, len(items)
    )
    v0[items["content_id"].to_numpy() == FAST_POST] = 5000.0
    v0[np.isinf(h)] = 150.0
    mean = v0[idx] * np.where(np.isinf(h[idx]), 1.0, 0.5 ** (age / np.where(np.isinf(h), 1.0, h)[idx]))
    views = rng.poisson(mean)
    reach = rng.binomial(views, 0.8)
    # Engagement: platform base rate × slot effect × post-level variation.
    weekday = items["published_at"].dt.day_of_week.to_numpy()
    hour = items["published_at"].dt.hour.to_numpy()
    best = np.array([BEST_SLOTS.get(p) == (d, hr) for p, d, hr in zip(platform, weekday, hour, strict=True)])
    rate = np.select([platform == "vk", platform == "telegram", platform == "youtube"], [0.035, 0.025, 0.04], 0.01)
    rate = rate * np.where(best, 2.0, 1.0) * rng.lognormal(0, 0.15, len(items))
    engaged = rng.binomial(reach, np.clip(rate[idx], 0, 0.5))
    split = rng.multinomial(1, [0.7, 0.1, 0.1, 0.1], size=(len(idx))).argmax(axis=1)  # cheap split by day
    likes = np.where(split == 0, engaged, (engaged * 0.7).astype(int))
    rest = engaged - likes
    comments = rng.binomial(rest, 0.35)
    shares = rng.binomial(rest - comments, 0.5)
    saves = rest - comments - shares
    clicks = rng.binomial(views, np.where(platform[idx] == "blog", 0.06, 0.01))
    return pd.DataFrame(
        {
            "content_id": items["content_id"].to_numpy()[idx],
            "date": (start.to_numpy()[idx] + age.astype("timedelta64[D]")),
            "views": views,
            "reach": reach,
            "likes": likes,
            "comments": comments,
            "shares": shares,
            "saves": saves,
            "clicks": clicks,
            "conversions": rng.binomial(clicks, 0.02),
        }
    )


def _demand(rng: np.random.Generator) -> pd.DataFrame:
    """Keyword × month searches from each group's level, yearly growth and seasonal peak."""
    months = pd.period_range("2023-01", "2026-10", freq="M")
    t = np.arange(len(months)) / 12.0
    frames = []
    for _group, (keywords, base, growth, peak, amp) in DEMAND.items():
        season = 1 + amp * np.cos(2 * np.pi * (months.month.to_numpy() - peak) / 12)
        level = base * np.exp(np.log1p(growth) * t) * season
        for kw, share in keywords.items():
            cyr = any("а" <= ch <= "я" for ch in kw)
            frames.append(
                pd.DataFrame(
                    {
                        "keyword": kw,
                        "month": months.to_timestamp(),
                        "demand": np.round(level * share * rng.lognormal(0, 0.06, len(months))),
                        "source": "wordstat" if cyr else "keyword_planner",
                        "cpc": round(float(rng.uniform(8, 40)), 2),
                        "competition": float(rng.integers(10, 95)),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def make_content_data(stream: Callable[[str], np.random.Generator]) -> tuple[dict[str, pd.DataFrame], dict]:
    """The three content datasets ({name: frame}) and the planted truth."""
    items = _items(stream("content"))
    stats = _stats(stream("content_stats"), items)
    demand = _demand(stream("search_demand"))
    content = items.drop(columns=["topic"]).sort_values(["published_at", "content_id"]).reset_index(drop=True)
    truth = dict(TRUTH, item_topics=dict(zip(items["content_id"], items["topic"], strict=True)))
    return {"content": content, "content_stats": stats, "search_demand": demand}, truth
