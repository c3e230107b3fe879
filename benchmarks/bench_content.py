"""Content report benchmark: 1M content-stat rows through the decay table and 100,000 keywords
grouped into ad groups, each against a named baseline measured in the same run.

    .venv/bin/python benchmarks/bench_content.py                 # 1M rows, 100k keywords
    .venv/bin/python benchmarks/bench_content.py --rows 2e5 --keywords 2e4   # quicker

Target: both steps together under 30 s on 2 cores.
Baselines:
* decay: the same half-life computed per item with pandas groupby().apply() (timed on a 5%
  sample of items and scaled up to all items, because the full run would take minutes);
* keywords: lemmatising every word occurrence with pymorphy3/Snowball without the per-word cache
  (timed on 5% of the keywords, scaled up).
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np
import pandas as pd


def stats_frame(rows: int, days: int = 100, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    items = rows // days
    ids = np.array([f"i{i:07d}" for i in range(items)], dtype=object)
    pub = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 300, items), unit="D")
    h = rng.uniform(1, 60, items)
    idx = np.repeat(np.arange(items), days)
    age = np.tile(np.arange(days), items)
    views = rng.poisson(500 * 0.5 ** (age / h[idx]))
    content = pd.DataFrame({"content_id": ids, "published_at": pub})
    stats = pd.DataFrame({"content_id": ids[idx], "date": pub[idx] + pd.to_timedelta(age, unit="D"), "views": views})
    return content, stats


def baseline_decay(content: pd.DataFrame, stats: pd.DataFrame, window: int = 90) -> pd.Series:
    pub = content.set_index("content_id")["published_at"]

    def one(g: pd.DataFrame) -> float:
        age = (g["date"] - pub[g.name]).dt.days
        v = g.loc[age < window, "views"].to_numpy(dtype=float)
        c = np.cumsum(v)
        if not c.size or c[-1] == 0:
            return np.nan
        d = int(np.searchsorted(c, c[-1] / 2))
        return d + (c[-1] / 2 - (c[d - 1] if d else 0)) / v[d]

    return stats.groupby("content_id").apply(one, include_groups=False)


WORDS_RU = (
    "палатка спальник коврик куртка пуховик термобелье лыжи ботинки рюкзак фонарь палки шлем маска перчатки".split()
)
MODS_RU = (
    "купить цена недорого отзывы как выбрать бесплатно скачать москва детский женский мужской зимний летний".split()
)
WORDS_EN = "tent sleeping bag jacket boots backpack lamp poles helmet gloves skis".split()
MODS_EN = "buy price cheap review how to choose free download best women men kids winter".split()


def keyword_frame(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    pool = [" ".join(p) for p in itertools.product(MODS_RU, WORDS_RU, MODS_RU)]
    pool += [" ".join(p) for p in itertools.product(MODS_EN, WORDS_EN, MODS_EN)]
    base = len(pool)
    pool += [f"{pool[j % base]} {j // base + 1}" for j in range(max(0, n - base))]  # model numbers, sizes …
    kws = list(dict.fromkeys(pool))[:n]
    return pd.DataFrame(
        {"keyword": kws, "month": pd.Timestamp("2026-01-01"), "demand": rng.integers(10, 5000, len(kws))}
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=float, default=1e6)
    ap.add_argument("--keywords", type=float, default=1e5)
    args = ap.parse_args()
    from workbench.analysis.content import text
    from workbench.analysis.content.decay import decay_table
    from workbench.analysis.content.keywords import ad_groups, keyword_table, negative_keywords

    content, stats = stats_frame(int(args.rows))
    t = time.perf_counter()
    table = decay_table(content, stats, window=90)
    t_decay = time.perf_counter() - t
    sample = content.sample(frac=0.05, random_state=0)
    t = time.perf_counter()
    base = baseline_decay(sample, stats[stats["content_id"].isin(sample["content_id"])])
    t_base_decay = (time.perf_counter() - t) / 0.05
    check = table.set_index("content_id").loc[base.index, "half_life_days"]
    assert np.allclose(check, base, equal_nan=True), "decay: baseline and vectorised results differ"

    demand = keyword_frame(int(args.keywords))
    text.lemma.cache_clear()
    t = time.perf_counter()
    kw = keyword_table(demand, brands=["Kedr"])
    groups, negatives = ad_groups(kw), negative_keywords(kw)
    t_kw = time.perf_counter() - t
    few = demand["keyword"].sample(frac=0.05, random_state=0)
    t = time.perf_counter()
    for k in few:
        [text.lemma.__wrapped__(w) for w in text.tokens(k)]
    t_base_kw = (time.perf_counter() - t) / 0.05

    total = t_decay + t_kw
    print(f"decay table, {len(stats):,} stat rows / {len(content):,} items: {t_decay:.2f} s "
          f"(baseline groupby-apply ≈ {t_base_decay:.1f} s, ×{t_base_decay / t_decay:.0f})")  # fmt: skip
    print(f"keywords, {len(demand):,} → {len(groups):,} ad groups, {len(negatives)} negative words: {t_kw:.2f} s "
          f"(lemmatising without the word cache alone ≈ {t_base_kw:.1f} s, ×{t_base_kw / t_kw:.1f})")  # fmt: skip
    print(f"total {total:.1f} s (target < 30 s): {'OK' if total < 30 else 'TOO SLOW'}")
    return 0 if total < 30 else 1


if __name__ == "__main__":
    raise SystemExit(main())
