"""Sample data: every dataset for one fictional company (Kedr, kedr.example) and five competitors,
internally consistent and with planted structure recorded in `<out_dir>/_truth/`.

    from workbench.data.sample import generate_sample
    generate_sample("data/sample", scale=1.0, seed=42)

Deterministic for a seed (byte-identical files); the default scale runs in a few seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.config import resolve
from workbench.data.aggregate import paths_from_touchpoints_frame
from workbench.data.sample import content, market, media_mix, pages, people, traffic
from workbench.data.sample import world as W
from workbench.data.sample.truth import churn_table, facts_and_readme

__all__ = ["generate_sample", "main", "FILES"]

FILES = (
    "customers",
    "orders",
    "sessions",
    "survey",
    "ad_stats",
    "touchpoints",
    "paths",
    "experiment",
    "email_sends",
    "competitors",
    "keyword_rankings",
    "site_metrics",
    "social",
    "ads_intel",
    "email_intel",
    "brand_attributes",
    "content",
    "content_stats",
    "search_demand",
)


_BOOL_TEXT = np.array(["false", "true"], dtype=object)


def _fmt_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Lower-case booleans (object arrays: no conversion to Arrow strings); the rest as is."""
    bools = [c for c in df.columns if pd.api.types.is_bool_dtype(df[c].dtype)]
    if not bools:
        return df
    return df.assign(
        **{c: pd.Series(_BOOL_TEXT[df[c].to_numpy().astype(np.int64)], index=df.index, dtype=object) for c in bools}
    )


def _write(df: pd.DataFrame, path: Path) -> None:
    """Fixed text formats: ISO date-times to the second, lower-case booleans, numbers as pandas writes them."""
    _fmt_frame(df).to_csv(path, index=False, lineterminator="\n", date_format="%Y-%m-%d %H:%M:%S")


def generate_sample(out_dir: str | os.PathLike[str], scale: float = 1.0, seed: int = 42) -> dict[str, Path]:
    """Write every sample dataset into `out_dir` (atomically: a temp folder beside it is renamed),
    then `out_dir/.complete`. Returns {dataset: path} plus "site_pages" and "_truth" folders."""
    if not (isinstance(scale, (int, float)) and scale > 0):
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    out = resolve(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        _generate_into(tmp, float(scale), int(seed))
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        if out.exists():
            out.rename(old)
        tmp.rename(out)
        if old.exists():
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    (out / ".complete").write_text(f"seed={seed} scale={scale:g}\n", encoding="utf-8")
    result = {name: out / f"{name}.csv" for name in FILES}
    result["site_pages"] = out / "site_pages"
    result["_truth"] = out / "_truth"
    return result


def _stream_factory(seed: int):
    """Independent random streams by name: SeedSequence(seed, spawn_key=crc32(name)). A dataset's
    draws depend only on the seed and its own name, so adding draws to (or reordering) one dataset
    never shifts another's."""

    def stream(name: str) -> np.random.Generator:
        return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(zlib.crc32(name.encode()),)))

    return stream


def _generate_into(d: Path, scale: float, seed: int) -> None:
    stream = _stream_factory(seed)
    n_customers = max(50, int(round(6000 * scale)))

    customers = people.make_customers(stream("customers"), n_customers)
    orders_raw = people.make_orders(stream("orders"), customers)
    sends = traffic.email_schedule(stream("email_schedule"))
    built = traffic.build_sessions(stream, customers, orders_raw, sends, scale)
    s = built["sessions"]

    # Orders take their time and device from their converting visit.
    conv = s[s["converted"]].sort_values("order")
    order_time = conv["started_at"].to_numpy() + conv["duration_s"].to_numpy().astype("timedelta64[s]")
    mobile = conv["device"].to_numpy() != "desktop"
    app = mobile & (stream("orders.place").random(len(conv)) < 0.55)
    o = orders_raw.assign(order_date=order_time, where=np.where(app, "mobile_app", "online_store"))
    o = o.iloc[np.lexsort((np.arange(len(o)), order_time))].reset_index(drop=True)
    cust_ids = customers["customer_id"].to_numpy()
    orders = pd.DataFrame(
        {
            "order_id": [f"O{i:07d}" for i in range(1, len(o) + 1)],
            "customer_id": cust_ids[o["cust_idx"]],
            "order_date": o["order_date"],
            "revenue": o["revenue"],
            "items": o["items"],
            "channel": o["where"],
            "brand": o["brand"],
            "category": o["category"],
            "price_tier": o["price_tier"],
        }
    )

    sessions = traffic.session_table(s, customers)
    touchpoints = traffic.touchpoint_table(s, customers)
    paths = paths_from_touchpoints_frame(touchpoints)
    email_sends = traffic.email_table(stream("email_sends"), sends, s, customers, scale)
    ad_stats = traffic.ad_stats_table(stream("ad_stats"), s)
    experiment, ab_realised = market.experiment(stream("experiment"), max(300, int(round(W.AB_UNITS * scale))))
    n_orders = np.bincount(orders_raw["cust_idx"].to_numpy(), minlength=n_customers)
    survey = market.survey(stream("survey"), customers, n_orders, max(100, int(round(1500 * min(scale, 20)))))
    kws = market.keywords(stream("keywords"), int(round(3000 * scale)))
    keyword_rankings = market.keyword_rankings(stream("keyword_rankings"), kws)
    last_month = sessions["started_at"] >= pd.Timestamp("2026-10-01")
    site_metrics = market.site_metrics(stream("site_metrics"), int(last_month.sum()))
    oct_spend = ad_stats[ad_stats["date"] >= "2026-10-01"].groupby("channel")["cost"].sum().to_dict()
    frames = {
        "customers": customers,
        "orders": orders,
        "sessions": sessions,
        "survey": survey,
        "ad_stats": ad_stats,
        "touchpoints": touchpoints,
        "paths": paths,
        "experiment": experiment,
        "email_sends": email_sends,
        "competitors": market.competitors(),
        "keyword_rankings": keyword_rankings,
        "site_metrics": site_metrics,
        "social": market.social(stream("social")),
        "ads_intel": market.ads_intel(stream("ads_intel"), oct_spend),
        "email_intel": market.email_intel(stream("email_intel")),
        "brand_attributes": market.brand_attributes(),
    }
    content_frames, content_truth = content.make_content_data(stream)
    frames.update(content_frames)
    for name in FILES:
        _write(frames[name], d / f"{name}.csv")
    page_truth = pages.write_pages(stream("site_pages"), d / "site_pages")

    truth = d / "_truth"
    truth.mkdir()
    _write(
        pd.DataFrame({"customer_id": customers["customer_id"], "true_segment": customers.attrs["segment"]}),
        truth / "segments.csv",
    )
    _write(page_truth, truth / "site_pages.csv")
    _write(churn_table(customers), truth / "churn.csv")
    facts, readme = facts_and_readme(frames, customers, ab_realised, scale=scale, seed=seed)
    (truth / "facts.json").write_text(
        json.dumps(facts, indent=2, sort_keys=False, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (truth / "README.md").write_text(readme, encoding="utf-8")
    # budget planning (media-mix model): media_ad_stats.csv, media_orders.csv, _truth/media_mix.json
    media_mix.write_media_mix(stream("media_mix"), d, seed=seed)
    (truth / "content.json").write_text(
        json.dumps(content_truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    """`python -m workbench.data.sample --out data/sample [--scale N] [--seed S]`."""
    ap = argparse.ArgumentParser(prog="workbench data sample", description="Generate the sample data.")
    ap.add_argument("--out", default="data/sample", help="output folder (relative to the project root)")
    ap.add_argument("--scale", type=float, default=1.0, help="1.0 ≈ 6,000 customers, 150k sessions")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args(argv)
    files = generate_sample(args.out, scale=args.scale, seed=args.seed)
    print(f"sample data written to {files['_truth'].parent}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
