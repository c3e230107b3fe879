"""The planted facts, machine-readable (facts.json) and in words (README.md), computed from the
generated frames so that they always describe the files next to them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from workbench.data.sample import world as W
from workbench.data.sample.pages import FLAW_NAMES, FLAWS, PAGES_PER_DOMAIN


def _r(x: float, nd: int = 4) -> float:
    return float(round(float(x), nd))


def campaign_plan(scale: float) -> dict:
    days = int((W.FLIGHT_END - W.FLIGHT_START).days) + 1
    per_channel = {}
    for c in W.AD_CHANNELS:
        daily = W.FLIGHT_DAILY_BUDGET[c] * scale
        budget = daily * days
        clicks = budget / W.CPC[c]
        ctr = W.CTR[c] * 1.075  # creatives average (creative_2 has a 15% better CTR)
        conversions = clicks * W.FLIGHT_PLAN_CVR
        revenue = conversions * W.FLIGHT_PLAN_AOV
        per_channel[c] = {
            "daily_budget": _r(daily, 2),
            "budget": _r(budget, 2),
            "impressions": int(round(clicks / ctr)),
            "clicks": int(round(clicks)),
            "conversions": int(round(conversions)),
            "revenue": _r(revenue, 2),
            "cpa": _r(budget / conversions, 2),
            "roas": _r(revenue / budget),
        }
    tot = {
        k: sum(v[k] for v in per_channel.values())
        for k in ("budget", "impressions", "clicks", "conversions", "revenue")
    }
    tot["budget"] = _r(tot["budget"], 2)
    tot["revenue"] = _r(tot["revenue"], 2)
    tot["daily_budget"] = _r(sum(v["daily_budget"] for v in per_channel.values()), 2)
    tot["cpa"] = _r(tot["budget"] / tot["conversions"], 2)
    tot["roas"] = _r(tot["revenue"] / tot["budget"])
    return {"days": days, "per_channel": per_channel, "total": tot}


def churn_table(customers: pd.DataFrame) -> pd.DataFrame:
    """Per customer: the planted purchase process (rate while active, dropout probability after
    each purchase) and its outcome (churned before the end, last order, last interested day)."""
    a = customers.attrs
    last = a["last_order_idx"]
    return pd.DataFrame(
        {
            "customer_id": customers["customer_id"],
            "true_segment": a["segment"],
            "orders_per_year_while_active": np.round(a["purchase_rate"], 3),
            "dropout_p": np.round(a["dropout_p"], 4),
            "buyer": last >= 0,
            "churned": a["churned"],
            "last_order_date": np.where(last >= 0, W.DAYS[np.maximum(last, 0)].strftime("%Y-%m-%d"), ""),
            "active_until": W.DAYS[a["active_until"]].strftime("%Y-%m-%d"),
        }
    )


def churn_facts(churn: pd.DataFrame) -> dict:
    buyers = churn[churn["buyer"]]
    by = buyers.groupby("true_segment")
    return {
        "model": "BG/NBD story: while active a customer buys at orders_per_year_while_active (segment rate × "
        f"gamma(shape {W.RATE_SHAPE:g}, mean 1)) on the segment's seasonal calendar; right after each purchase "
        f"they become inactive for good with probability dropout_p ~ Beta(mean = segment dropout, "
        f"a + b = {W.DROPOUT_CONCENTRATION:g}). Non-buyers never order. Churned customers stop visiting "
        "about a month after their last order.",
        "file": "_truth/churn.csv",
        "buyers": int(len(buyers)),
        "churned_buyers": int(buyers["churned"].sum()),
        "churned_share_of_buyers": _r(buyers["churned"].mean()),
        "by_segment": {
            s: {
                "buyers": int(len(g)),
                "churned_share": _r(g["churned"].mean()),
                "mean_dropout_p": _r(g["dropout_p"].mean()),
                "mean_orders_per_year_while_active": _r(g["orders_per_year_while_active"].mean(), 2),
            }
            for s, g in by
        },
    }


def conversion_timing(sessions: pd.DataFrame) -> dict:
    """The planted conversion propensity by device × weekday/weekend × hour, with realised rates."""
    t = pd.to_datetime(sessions["started_at"])
    weekday = t.dt.day_of_week < 5
    hour = t.dt.hour
    bands = {
        "night 1-5": hour.between(1, 5),
        "morning 7-9": hour.between(7, 9),
        "lunch 12-14": hour.between(12, 14),
        "evening 19-22": hour.between(19, 22),
    }
    realised = {}
    for dev in W.DEVICES:
        for wd_name, wd in (("weekday", weekday), ("weekend", ~weekday)):
            for band, m in bands.items():
                sel = (sessions["device"] == dev) & wd & m
                realised[f"{dev} {wd_name} {band}"] = _r(sessions.loc[sel, "converted"].mean())
    return {
        "session_conversion_rate": _r(sessions["converted"].mean()),
        "planted": "converting visits are drawn from the visit-volume hour pattern × a conversion propensity "
        "(timing.conversion_propensity): weekday desktop evenings 19-22 h convert about twice as well as "
        "the rest of the day; weekday mobile lunchtime 12-14 h converts about half as well (the worst daytime "
        "slot) and the mobile morning commute around 8 h clearly worse; weekends are flatter; nights 1-5 h "
        "convert about half as well on every device",
        "best_time_to_publish": "weekdays (Monday-Friday) 19-22 h, desktop visits",
        "worst_slots": ["weekday 12-14 h on mobile", "1-5 h at night", "weekday around 8 h on mobile"],
        "realised_rate_by_device_day_band": realised,
    }


def facts_and_readme(
    frames: dict, customers: pd.DataFrame, ab_realised: dict, *, scale: float, seed: int
) -> tuple[dict, str]:
    seg = pd.Series(customers.attrs["segment"])
    ads = frames["ad_stats"]
    flight = ads[ads["campaign"] == W.FLIGHT_CAMPAIGN]
    plan = campaign_plan(scale)
    actual = flight.groupby("channel").agg(
        cost=("cost", "sum"),
        impressions=("impressions", "sum"),
        clicks=("clicks", "sum"),
        conversions=("conversions", "sum"),
        revenue=("revenue", "sum"),
    )
    actual_d = {
        c: {
            "cost": _r(actual.loc[c, "cost"], 2),
            "impressions": int(actual.loc[c, "impressions"]),
            "clicks": int(actual.loc[c, "clicks"]),
            "conversions": int(actual.loc[c, "conversions"]),
            "revenue": _r(actual.loc[c, "revenue"], 2),
            "spend_vs_plan": _r(actual.loc[c, "cost"] / plan["per_channel"][c]["budget"], 3),
        }
        for c in W.AD_CHANNELS
    }
    stronger = {}
    for b in W.BRANDS["brand"]:
        if b == W.US:
            continue
        diff = W.STRENGTH.loc[b] - W.STRENGTH.loc[W.US]
        stronger[b] = {
            "stronger_than_us": [c for c in W.STRENGTH_CHANNELS if diff[c] >= 0.15],
            "weaker_than_us": [c for c in W.STRENGTH_CHANNELS if diff[c] <= -0.15],
        }
    orders = frames["orders"]
    churn = churn_table(customers)
    timing = conversion_timing(frames["sessions"])
    ab_true = dict(W.AB_TRUE_RATES)
    facts: dict[str, Any] = {
        "generator": {"seed": seed, "scale": scale},
        "period": {"start": W.START.strftime("%Y-%m-%d"), "end": W.END.strftime("%Y-%m-%d"), "months": 34},
        "currency": W.CURRENCY,
        "us": {"brand": W.US, "domain": W.US_DOMAIN},
        "rows": {name: int(len(df)) for name, df in frames.items()},
        "segments": {
            "names": list(W.SEGMENT_NAMES),
            "sizes": {s: int((seg == s).sum()) for s in W.SEGMENT_NAMES},
            "profile": {
                s: {
                    "cities": list(v["cities"]),
                    "mean_age": v["age"][0],
                    "lifestyle": v["lifestyle"],
                    "interests": v["interests"],
                    "orders_per_year": v["orders_per_year"],
                    "dropout_per_purchase": v["dropout"],
                    "median_order_value": v["aov"][0],
                    "main_device": max(v["devices"], key=v["devices"].get),
                    "top_channel": max(v["channels"], key=v["channels"].get),
                    "hour_peaks": list(v["hour_peaks"]),
                    "season_peak_months": list(v["season_peak_months"]),
                    "preferred_attributes": v["attributes"],
                    "purchase_place": v["purchase_place"],
                }
                for s, v in W.SEGMENTS.items()
            },
        },
        "ab_test": {
            "file": "experiment.csv",
            "start": W.AB_START.strftime("%Y-%m-%d"),
            "end": W.AB_END.strftime("%Y-%m-%d"),
            "variants": list(W.AB_VARIANTS),
            "planned_split": {v: _r(1 / 3) for v in W.AB_VARIANTS},
            "true_rates": ab_true,
            "real_effect_variant": "treatment_a",
            "null_variant": "treatment_b",
            "true_relative_lift": {
                "treatment_a": _r(ab_true["treatment_a"] / ab_true["control"] - 1),
                "treatment_b": 0.0,
            },
            "segment_rate_multiplier": {"new": 0.8, "returning": 1.3},
            "returning_share": 0.4,
            "realised": ab_realised,
        },
        "campaign": {
            "name": W.FLIGHT_CAMPAIGN,
            "flight_start": W.FLIGHT_START.strftime("%Y-%m-%d"),
            "flight_end": W.FLIGHT_END.strftime("%Y-%m-%d"),
            "channels": list(W.AD_CHANNELS),
            "plan": plan,
            "planned_cpc": W.CPC,
            "planned_ctr": {c: _r(W.CTR[c] * 1.075, 5) for c in W.AD_CHANNELS},
            "planned_cvr": W.FLIGHT_PLAN_CVR,
            "planned_aov": W.FLIGHT_PLAN_AOV,
            "overspend_channel": W.OVERSPEND_CHANNEL,
            "delivery_vs_plan": W.FLIGHT_DELIVERY,
            "actual": actual_d,
            "better_creative": "creative_2",
            "always_on_campaigns": {c: list(v) for c, v in W.ALWAYS_ON.items()},
        },
        "competitors": {
            "brands": W.BRANDS["brand"].tolist(),
            "domains": W.BRANDS["domain"].tolist(),
            "strength_channels": list(W.STRENGTH_CHANNELS),
            "strength": {b: {c: float(W.STRENGTH.loc[b, c]) for c in W.STRENGTH_CHANNELS} for b in W.STRENGTH.index},
            "vs_us": stronger,
            "strongest_by_channel": {c: str(W.STRENGTH[c].idxmax()) for c in W.STRENGTH_CHANNELS},
            "keyword_difficulty_scale": "0-100",
            "keyword_rankings_date": "2026-10-31",
        },
        "site_pages": {
            "pages_per_domain": PAGES_PER_DOMAIN,
            "flaw_probabilities": {b: dict(zip(FLAW_NAMES, FLAWS[b], strict=False)) for b in FLAWS},
            "page_truth_file": "_truth/site_pages.csv",
        },
        "seasonality": {
            "black_friday_peak_day_of_year": 333,
            "new_year_peak_day_of_year": 352,
            "weekly": "Monday-Tuesday highest, Saturday lowest "
            "(families and mountain enthusiasts buy more at weekends)",
            "trend": "signups and anonymous traffic grow about 70% from 2024-01 to 2026-10; every customer signs up "
            "in the period, so orders ramp up through 2024 as the customer base builds (net of churn)",
        },
        "email": {
            "sends": int(len(frames["email_sends"])),
            "schedule": "newsletter every Thursday 10:00, promo last Friday of the month 18:00",
        },
        "totals": {
            "orders": int(len(orders)),
            "revenue": _r(orders["revenue"].sum(), 2),
            "customers_with_orders": int(orders["customer_id"].nunique()),
            "sessions": int(len(frames["sessions"])),
            "session_conversion_rate": _r(frames["sessions"]["converted"].mean()),
        },
        "churn": churn_facts(churn),
        "conversion_timing": timing,
        "random_streams": "one numpy SeedSequence(seed, spawn_key=crc32(name)) per dataset/part, so changing "
        "one dataset's generator does not shift the others' draws",
    }
    lines = [
        "# Sample data: planted facts",
        "",
        f"Generated by `workbench.data.sample.generate_sample(out_dir, scale={scale:g}, seed={seed})`. "
        "Machine-readable:",
        "`facts.json` (everything below), `segments.csv` (customer_id, true_segment), `churn.csv` (each customer's",
        "purchase rate, dropout probability and whether/when they lapsed), `site_pages.csv` (the exact on-page flaws",
        "of every saved HTML page). Numbers below are for this scale and seed.",
        "",
        f"- Company: **{W.US}** (`{W.US_DOMAIN}`, is_us=true), outdoor and sports gear, prices in {W.CURRENCY}. "
        f"Competitors: {', '.join(b for b in W.BRANDS['brand'] if b != W.US)}.",
        f"- Period: {facts['period']['start']} … {facts['period']['end']} (34 months). Signups and anonymous traffic "
        "grow ≈ +70% over the period; "
        "every customer signs up within it, so orders ramp up through 2024 as the base builds (net of churn); "
        "Black Friday (late November) and pre-New-Year peaks; segment-specific seasonal peaks.",
        f"- {len(customers)} customers in five planted segments "
        f"({', '.join(f'{s}: {n}' for s, n in facts['segments']['sizes'].items())}); "
        "each has its own cities, age, income, occupation, interests, lifestyle, devices, channels, hours, "
        "order frequency, dropout and order value. About 12% of income/occupation/lifestyle values are noise.",
        f"- {len(orders)} orders (revenue {facts['totals']['revenue']:,.0f}); every order has exactly one converting "
        "session "
        "(sessions.converted, same revenue) and one converting touchpoint (same value and time). "
        "touchpoints.csv holds every session with user_id = customer_id or an anonymous visitor id (V…); "
        "paths.csv is touchpoints_to_paths(touchpoints) without lookback.",
        "- **Churn (BG/NBD story).** While active a customer buys at their own rate (segment orders_per_year × a "
        "gamma factor with mean 1: "
        + ", ".join(f"{s} {v['orders_per_year']:g}/yr" for s, v in W.SEGMENTS.items())
        + "), "
        "on the segment's seasonal calendar. Right after every purchase they drop out for good with their own "
        "probability (Beta around the segment mean: "
        + ", ".join(f"{s} {v['dropout']:.2f}" for s, v in W.SEGMENTS.items())
        + f"). {facts['churn']['churned_buyers']} of {facts['churn']['buyers']} buyers "
        f"({facts['churn']['churned_share_of_buyers']:.0%}) have dropped out by {W.END:%Y-%m-%d} ("
        + ", ".join(f"{s} {v['churned_share']:.0%}" for s, v in facts["churn"]["by_segment"].items())
        + "), "
        "so a BG/NBD fit finds a real dropout (P(alive) well below 1 for lapsed customers) and the RFM groups "
        "At risk / Hibernating / Lost hold customers who really left. Churned customers stop browsing about a month "
        "after their last order. Per customer: `churn.csv` (rate, dropout_p, churned, last_order_date, active_until). "
        "Growth of the business comes from new customers (signups follow the +70% trend); one customer's purchase "
        "rate has seasons but no trend.",
        "- **Conversion by time of day.** Session conversion rate "
        f"{facts['conversion_timing']['session_conversion_rate']:.1%} "
        f"({facts['totals']['orders']} orders over {facts['totals']['sessions']} sessions: one converting visit per "
        "order, "
        "plus customers' browsing and anonymous prospects' visits, mostly one-page). Converting visits are drawn "
        "from the "
        "visit-volume hour pattern × a propensity, so the *rate* varies by slot: weekday desktop evenings 19-22 h "
        "convert "
        "about twice as well as the rest of the day (the true best time to publish: Monday-Friday 19-22 h), weekday "
        "mobile lunchtime 12-14 h about half as well (the mobile morning commute around 8 h clearly worse too), "
        "weekends are flatter, nights 1-5 h "
        "convert about half as well. Realised rates per device × weekday/weekend × band: facts.json "
        "`conversion_timing`. "
        "Why not lower: a 2-3% rate would need about a million sessions at scale 1 (sessions.csv ≈ 90 MB, generation "
        "over 10 s, and every report that reads sessions a few seconds slower); ~5% keeps the default sample fast.",
        f"- A/B test ({W.AB_START:%Y-%m-%d} … {W.AB_END:%Y-%m-%d}, experiment.csv): planned equal split; true "
        "conversion rates "
        f"control {ab_true['control']:.3f}, treatment_a {ab_true['treatment_a']:.3f} (real +15% relative), "
        f"treatment_b {ab_true['treatment_b']:.3f} (null). Segment new/returning multiplies the rate by 0.8/1.3.",
        f"- Campaign `{W.FLIGHT_CAMPAIGN}` {W.FLIGHT_START:%Y-%m-%d} … {W.FLIGHT_END:%Y-%m-%d} on "
        f"{', '.join(W.AD_CHANNELS)}; "
        "planned budget per day: "
        f"{', '.join(f'{c} ' + format(plan['per_channel'][c]['daily_budget'], ',.0f') for c in W.AD_CHANNELS)}. "
        f"**{W.OVERSPEND_CHANNEL} over-spends** (actual/plan {actual_d[W.OVERSPEND_CHANNEL]['spend_vs_plan']:.2f}) "
        "without "
        "extra conversions, so its CPA is furthest above plan; other channels within ±7% of plan spend. creative_2 "
        "has a 15% better CTR.",
        "- Always-on campaigns run the whole period: "
        + "; ".join(f"{c}: {', '.join(v)}" for c, v in W.ALWAYS_ON.items())
        + ".",
        "- ad_stats clicks ≈ paid sessions / 0.88 per day × campaign × ad group × creative; conversions and revenue "
        "are the "
        "paid converting sessions (last click).",
        "- E-mail: newsletter every Thursday, promo on the last Friday of each month; e-mail sessions fall on the "
        "send day "
        "or up to two days later; email_sends.conversions/revenue are those sessions' orders.",
        "- Competitor strengths (0–1) by channel: "
        + "; ".join(
            f"{b}: " + ", ".join(f"{c} {W.STRENGTH.loc[b, c]:.2f}" for c in W.STRENGTH_CHANNELS)
            for b in W.STRENGTH.index
        )
        + ". "
        "keyword_rankings, site_metrics, social, ads_intel and email_intel derive from it "
        "(keyword difficulty on a 0–100 scale; positions 1–100, empty = not in the top 100).",
        f"- site_pages/<domain>/: {PAGES_PER_DOMAIN} pages per domain; flaw rates differ by domain (Taiga Sport "
        "cleanest; "
        "Trekline has no viewport on half its pages and rarely a canonical; Alpina Market stuffs long titles; "
        "Severstyle often has no h1 and images without alt; Vershina often repeats h1).",
        "- Random streams: every dataset (and each part of the session table) draws from its own "
        "`SeedSequence(seed, spawn_key=crc32(name))`, so changing one dataset's generator leaves the others unchanged.",
        "- Survey: 60% respondents are customers (familiarity tried/regular by order count), 40% prospects "
        "(unaware/aware/considered); preferred_attributes follow the segment; Likert 1–5 and NPS rise with "
        "familiarity.",
        "",
    ]
    return facts, "\n".join(lines)
