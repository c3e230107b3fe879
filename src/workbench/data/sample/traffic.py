"""Visits and what they lead to: sessions (one per order for converting visits, plus browsing by
customers, anonymous prospects and the campaign flight's ad clicks), touchpoints, e-mail sends
and daily ad statistics — all derived from the same session table so that they agree."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.data.sample import world as W
from workbench.data.sample.timing import (
    FLIGHT_MASK,
    N_DAYS,
    sample_days_after,
    sample_days_between,
    sample_seconds_of_day,
    segment_day_weights,
)

PROSPECT_MIX = {
    "google_ads": 0.12,
    "yandex_direct": 0.16,
    "meta_ads": 0.10,
    "vk_ads": 0.12,
    "organic_search": 0.28,
    "email": 0.0,
    "direct": 0.08,
    "referral": 0.06,
    "social": 0.08,
}
LANDING_PAGES = {
    "organic_search": [
        "/blog/how-to-choose-a-tent",
        "/blog/layering-guide",
        "/catalog/footwear",
        "/catalog/apparel",
        "/product/down-jacket-k2",
        "/blog/best-trails-near-moscow",
    ],
    "email": ["/sale", "/new-arrivals", "/catalog/apparel"],
    "direct": ["/"],
    "referral": ["/product/trekking-poles-alu", "/catalog/climbing"],
    "social": ["/new-arrivals", "/blog/layering-guide", "/lookbook"],
}
PAID_LANDING = ["/", "/catalog/apparel", "/catalog/camping", "/sale", "/autumn"]


def email_schedule(rng: np.random.Generator) -> pd.DataFrame:
    """Weekly newsletter on Thursdays and a monthly promo on the last Friday of the month."""
    days = W.DAYS
    thursday = np.flatnonzero(days.day_of_week == 3)
    last_fri = (
        pd.Series(np.flatnonzero(days.day_of_week == 4)).groupby(days[days.day_of_week == 4].to_period("M")).max()
    )
    rows = [(int(d), "newsletter", 10) for d in thursday] + [(int(d), "promo", 18) for d in last_fri.to_numpy()]
    sends = pd.DataFrame(rows, columns=["day_idx", "kind", "hour"]).sort_values(["day_idx", "hour"], kind="stable")
    sends = sends.reset_index(drop=True)
    label = np.where(
        sends["kind"] == "newsletter",
        "newsletter_" + days[sends["day_idx"]].strftime("%Y_w%V"),
        "promo_" + days[sends["day_idx"]].strftime("%Y_%m"),
    )
    sends["campaign"] = label
    return sends


def _mix(spec_channels: dict, allow_email: bool) -> dict:
    mix = dict(spec_channels)
    if not allow_email:
        mix["email"] = 0.0
    return mix


def _pick_channels(rng, segments: np.ndarray, allow_email: np.ndarray, prospects: bool = False) -> np.ndarray:
    out = np.empty(len(segments), dtype=object)
    for s in W.SEGMENT_NAMES:
        for ok in (False, True):
            m = (segments == s) & (allow_email == ok)
            if m.any():
                base = PROSPECT_MIX if prospects else W.SEGMENTS[s]["channels"]
                out[m] = W.pick(rng, _mix(base, ok), int(m.sum()))
    return out


def _devices(rng, segments: np.ndarray) -> np.ndarray:
    out = np.empty(len(segments), dtype=object)
    for s in W.SEGMENT_NAMES:
        m = segments == s
        if m.any():
            out[m] = W.pick(rng, W.SEGMENTS[s]["devices"], int(m.sum()))
    return out


def build_sessions(stream, customers: pd.DataFrame, orders: pd.DataFrame, sends: pd.DataFrame, scale: float) -> dict:
    """`stream(name)` gives an independent generator per part (converting visits, customers'
    browsing, prospects, the flight's clicks, visit attributes), so changing one part leaves the
    others' draws alone."""
    seg_of_cust = customers.attrs["segment"]
    signup = customers.attrs["signup_idx"]
    active_until = customers.attrs["active_until"]
    send_days = sends["day_idx"].to_numpy()
    near_send = np.zeros(N_DAYS, dtype=bool)
    for lag in (0, 1, 2):
        near_send[np.minimum(send_days + lag, N_DAYS - 1)] = True

    parts = []
    # 1) one converting visit per order
    rng = stream("sessions.converting")
    n_o = len(orders)
    o_seg = orders["segment"].to_numpy()
    o_day = orders["day_idx"].to_numpy()
    ch = _pick_channels(rng, o_seg, near_send[o_day])
    campaign = np.full(n_o, "", dtype=object)
    in_flight = FLIGHT_MASK[o_day] & (rng.random(n_o) < W.FLIGHT_ORDER_SHARE)
    plan_clicks = {c: W.FLIGHT_DAILY_BUDGET[c] / W.CPC[c] for c in W.AD_CHANNELS}
    ch[in_flight] = W.pick(rng, plan_clicks, int(in_flight.sum()))
    campaign[in_flight] = W.FLIGHT_CAMPAIGN
    parts.append(
        dict(
            day=o_day,
            seg=o_seg,
            channel=ch,
            campaign=campaign,
            cust=orders["cust_idx"].to_numpy(),
            visitor=np.full(n_o, -1),
            order=np.arange(n_o),
            converted=np.ones(n_o, bool),
        )
    )

    # 2) browsing visits by customers, while they are still interested (churned customers stop
    #    visiting about a month after their last order)
    rng = stream("sessions.browsing")
    n_c = len(customers)
    active_years = (active_until - signup + 1) / 365.25
    k = rng.poisson(W.BROWSE_PER_YEAR * active_years * rng.gamma(2.0, 0.5, n_c))
    cust = np.repeat(np.arange(n_c), k)
    seg = seg_of_cust[cust]
    day = np.zeros(len(cust), dtype=np.int64)
    for s in W.SEGMENT_NAMES:
        m = seg == s
        day[m] = sample_days_between(rng, segment_day_weights(s), signup[cust[m]], active_until[cust[m]])
    ch = _pick_channels(rng, seg, np.ones(len(cust), bool))
    # e-mail visits happen on a send day (or up to two days later) while the customer is interested
    em = np.flatnonzero(ch == "email")
    first = np.searchsorted(send_days, signup[cust[em]])
    last = np.searchsorted(send_days, active_until[cust[em]] - 2, side="right")  # visits lag sends ≤ 2 days
    has = first < last
    pick_send = first[has] + (rng.random(int(has.sum())) * (last[has] - first[has])).astype(np.int64)
    lag = rng.choice(3, size=len(pick_send), p=[0.7, 0.2, 0.1])
    day[em[has]] = np.minimum(send_days[pick_send] + lag, N_DAYS - 1)
    ch[em[~has]] = "direct"
    parts.append(
        dict(
            day=day,
            seg=seg,
            channel=ch,
            campaign=np.full(len(cust), "", dtype=object),
            cust=cust,
            visitor=np.full(len(cust), -1),
            order=np.full(len(cust), -1),
            converted=np.zeros(len(cust), bool),
        )
    )

    # 3) anonymous prospects: 1..n visits within a month of their first
    rng = stream("sessions.prospects")
    n_v = int(round(W.PROSPECTS * scale))
    shares = np.array([W.SEGMENTS[s]["share"] for s in W.SEGMENT_NAMES])
    v_seg = np.array(W.SEGMENT_NAMES)[rng.choice(len(shares), size=n_v, p=shares / shares.sum())]
    v_first = np.zeros(n_v, dtype=np.int64)
    for s in W.SEGMENT_NAMES:
        m = v_seg == s
        v_first[m] = sample_days_after(rng, segment_day_weights(s), np.zeros(int(m.sum()), dtype=np.int64))
    visits = rng.geometric(0.5, n_v)
    vis = np.repeat(np.arange(n_v), visits)
    offset = np.where(np.concatenate([[True], vis[1:] != vis[:-1]]), 0, rng.integers(0, 30, len(vis)))
    day = np.minimum(v_first[vis] + offset, N_DAYS - 1)
    seg = v_seg[vis]
    ch = _pick_channels(rng, seg, np.zeros(len(vis), bool), prospects=True)
    parts.append(
        dict(
            day=day,
            seg=seg,
            channel=ch,
            campaign=np.full(len(vis), "", dtype=object),
            cust=np.full(len(vis), -1),
            visitor=vis,
            order=np.full(len(vis), -1),
            converted=np.zeros(len(vis), bool),
        )
    )
    next_visitor = n_v

    # 4) the campaign flight's ad clicks (bought per plan × delivery), minus those already converting
    rng = stream("sessions.flight")
    flight_days = np.flatnonzero(FLIGHT_MASK)
    conv_flight = pd.DataFrame({"day": o_day[in_flight], "channel": parts[0]["channel"][in_flight]})
    conv_count = conv_flight.groupby(["day", "channel"]).size()
    day_parts: list[np.ndarray] = []
    ch_parts: list[np.ndarray] = []
    for c in W.AD_CHANNELS:
        lam = plan_clicks[c] * scale * W.FLIGHT_DELIVERY[c] * W.LANDING_RATE
        landed = rng.poisson(lam, len(flight_days))
        already = np.array([conv_count.get((d, c), 0) for d in flight_days])
        extra = np.maximum(landed - already, 0)
        day_parts.append(np.repeat(flight_days, extra))
        ch_parts.append(np.full(int(extra.sum()), c, dtype=object))
    f_day = np.concatenate(day_parts)
    f_ch = np.concatenate(ch_parts)
    n_f = len(f_day)
    f_seg = np.array(W.SEGMENT_NAMES)[rng.choice(len(shares), size=n_f, p=shares / shares.sum())]
    known = rng.random(n_f) < 0.3
    f_cust = np.full(n_f, -1)
    pick_u = rng.random(n_f)
    for d in np.unique(f_day):  # a known clicker is a customer who has signed up and not lapsed
        cand = np.flatnonzero((signup <= d) & (active_until >= d))
        m = known & (f_day == d)
        if len(cand):
            f_cust[m] = cand[(pick_u[m] * len(cand)).astype(np.int64)]
    known &= f_cust >= 0
    f_seg[known] = seg_of_cust[f_cust[known]]
    f_vis = np.where(known, -1, next_visitor + np.arange(n_f))
    parts.append(
        dict(
            day=f_day,
            seg=f_seg,
            channel=f_ch,
            campaign=np.full(n_f, W.FLIGHT_CAMPAIGN, dtype=object),
            cust=f_cust,
            visitor=f_vis,
            order=np.full(n_f, -1),
            converted=np.zeros(n_f, bool),
        )
    )

    rng = stream("sessions.attributes")
    sess = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    n = len(sess["day"])
    # devices: flight social clicks are mostly mobile
    device = _devices(rng, sess["seg"])
    social_paid = np.isin(sess["channel"], ["meta_ads", "vk_ads"]) & (sess["campaign"] == W.FLIGHT_CAMPAIGN)
    device[social_paid] = W.pick(rng, {"mobile": 0.82, "desktop": 0.13, "tablet": 0.05}, int(social_paid.sum()))
    secs = sample_seconds_of_day(rng, sess["day"], device, sess["seg"], sess["converted"])
    is_email = sess["channel"] == "email"
    # e-mail visits start after the send hour on the send day
    secs[is_email] = np.maximum(secs[is_email], 10 * 3600 + rng.integers(0, 7200, int(is_email.sum())))
    started = W.DAYS.to_numpy()[sess["day"]] + secs.astype("timedelta64[s]")
    # always-on campaigns for other paid visits; ad group and creative for every paid visit
    paid = np.isin(sess["channel"], W.AD_CHANNELS)
    for c, camps in W.ALWAYS_ON.items():
        m = (sess["channel"] == c) & (sess["campaign"] == "")
        sess["campaign"][m] = np.array(camps, dtype=object)[rng.integers(0, len(camps), int(m.sum()))]
    ad_group = np.where(paid, np.array(W.AD_GROUPS)[rng.integers(0, 2, n)], "")
    flight = sess["campaign"] == W.FLIGHT_CAMPAIGN
    creative = np.where(paid, np.where(rng.random(n) < np.where(flight, 0.6, 0.5), "creative_2", "creative_1"), "")

    conv = sess["converted"]
    pageviews = np.where(conv, 4 + rng.poisson(6, n), np.where(rng.random(n) < 0.42, 1, 1 + rng.geometric(0.3, n)))
    duration = np.round(
        pageviews * 38 * np.exp(rng.normal(0, 0.6, n)) + np.where(pageviews == 1, rng.integers(0, 20, n), 0)
    )
    revenue = np.zeros(n)
    revenue[conv] = orders["revenue"].to_numpy()[sess["order"][conv]]
    landing = np.empty(n, dtype=object)
    for c in W.CHANNELS:
        m = sess["channel"] == c
        pages = LANDING_PAGES.get(c, PAID_LANDING)
        landing[m] = np.array(pages, dtype=object)[rng.integers(0, len(pages), int(m.sum()))]

    order_ix = np.lexsort((np.arange(n), started))
    sessions = (
        pd.DataFrame(
            {
                "started_at": started,
                "device": device,
                "channel": sess["channel"],
                "campaign": sess["campaign"],
                "ad_group": ad_group,
                "creative": creative,
                "cust": sess["cust"],
                "visitor": sess["visitor"],
                "order": sess["order"],
                "converted": conv,
                "revenue": revenue,
                "pageviews": pageviews,
                "duration_s": duration.astype(np.int64),
                "landing_page": landing,
                "segment": sess["seg"],
                "day": sess["day"],
            }
        )
        .iloc[order_ix]
        .reset_index(drop=True)
    )
    sessions["session_id"] = np.char.add("S", np.char.zfill(np.arange(1, n + 1).astype(str), 8)).astype(object)
    return {"sessions": sessions}


def session_table(sessions: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    src = np.array([W.SOURCE_MEDIUM[c][0] for c in W.CHANNELS], dtype=object)
    med = np.array([W.SOURCE_MEDIUM[c][1] for c in W.CHANNELS], dtype=object)
    code = pd.Categorical(sessions["channel"], categories=list(W.CHANNELS)).codes
    source = src[code]
    organic = sessions["channel"].to_numpy() == "organic_search"
    source[organic & (sessions["device"].to_numpy() == "desktop") & (sessions["session_id"].str[-1] < "4")] = "google"
    cust_ids = customers["customer_id"].to_numpy()
    cid = np.where(sessions["cust"] >= 0, cust_ids[np.maximum(sessions["cust"], 0)], "")
    return pd.DataFrame(
        {
            "session_id": sessions["session_id"],
            "started_at": sessions["started_at"],
            "device": sessions["device"],
            "source": source,
            "medium": med[code],
            "customer_id": cid,
            "campaign": sessions["campaign"],
            "landing_page": sessions["landing_page"],
            "pageviews": sessions["pageviews"],
            "duration_s": sessions["duration_s"],
            "converted": sessions["converted"],
            "revenue": sessions["revenue"],
        }
    )


def touchpoint_table(sessions: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    cust_ids = customers["customer_id"].to_numpy()
    user = np.where(
        sessions["cust"] >= 0,
        cust_ids[np.maximum(sessions["cust"], 0)],
        np.char.add("V", np.char.zfill(np.asarray(sessions["visitor"]).astype(str), 7)).astype(object),
    )
    return pd.DataFrame(
        {
            "user_id": user,
            "touched_at": sessions["started_at"],
            "channel": sessions["channel"],
            "converted": sessions["converted"],
            "conversion_value": sessions["revenue"],
        }
    )


def email_table(
    rng: np.random.Generator, sends: pd.DataFrame, sessions: pd.DataFrame, customers: pd.DataFrame, scale: float
) -> pd.DataFrame:
    send_days = sends["day_idx"].to_numpy()
    em = sessions[sessions["channel"] == "email"]
    which = np.searchsorted(send_days, em["day"].to_numpy(), side="right") - 1
    # two sends on one day (newsletter + promo): the later one takes visits after its hour
    per = pd.DataFrame({"send": which, "conv": em["converted"].to_numpy(), "rev": em["revenue"].to_numpy()})
    agg = per.groupby("send").agg(visits=("conv", "size"), conversions=("conv", "sum"), revenue=("rev", "sum"))
    agg = agg.reindex(range(len(sends)), fill_value=0)
    signed = np.searchsorted(np.sort(customers.attrs["signup_idx"]), send_days, side="right")
    subscribers = np.round(250 * scale + 0.75 * signed).astype(np.int64)
    promo = (sends["kind"] == "promo").to_numpy()
    recipients = np.where(promo, np.round(subscribers * 0.96), subscribers).astype(np.int64)
    delivered = rng.binomial(recipients, 0.975)
    opens = rng.binomial(delivered, np.clip(np.where(promo, 0.19, 0.25) + rng.normal(0, 0.02, len(sends)), 0.05, 0.6))
    visits = agg["visits"].to_numpy()
    clicks = np.minimum(visits + rng.poisson(visits * 0.15), delivered)
    sent_at = W.DAYS.to_numpy()[send_days] + (sends["hour"].to_numpy() * 3600).astype("timedelta64[s]")
    return pd.DataFrame(
        {
            "campaign": sends["campaign"],
            "sent_at": sent_at,
            "recipients": recipients,
            "delivered": delivered,
            "opens": opens,
            "clicks": clicks,
            "unsubscribes": rng.binomial(delivered, np.where(promo, 0.004, 0.002)),
            "complaints": rng.binomial(delivered, 0.0003),
            "conversions": agg["conversions"].to_numpy().astype(np.int64),
            "revenue": agg["revenue"].to_numpy().round(2),
        }
    )


def ad_stats_table(rng: np.random.Generator, sessions: pd.DataFrame) -> pd.DataFrame:
    keys = []
    all_days = np.arange(N_DAYS)
    for c, camps in W.ALWAYS_ON.items():
        for camp in camps:
            keys.append((all_days, c, camp))
    flight_days = np.flatnonzero(FLIGHT_MASK)
    for c in W.AD_CHANNELS:
        keys.append((flight_days, c, W.FLIGHT_CAMPAIGN))
    frames = []
    for days, c, camp in keys:
        for g in W.AD_GROUPS:
            for cr in W.CREATIVES:
                frames.append(
                    pd.DataFrame({"day": days, "channel": c, "campaign": camp, "ad_group": g, "creative": cr})
                )
    grid = pd.concat(frames, ignore_index=True)
    paid = sessions[sessions["channel"].isin(W.AD_CHANNELS)]
    agg = (
        paid.groupby(["day", "channel", "campaign", "ad_group", "creative"], sort=False)
        .agg(visits=("converted", "size"), conversions=("converted", "sum"), revenue=("revenue", "sum"))
        .reset_index()
    )
    grid = grid.merge(agg, on=["day", "channel", "campaign", "ad_group", "creative"], how="left", sort=False)
    grid[["visits", "conversions", "revenue"]] = grid[["visits", "conversions", "revenue"]].fillna(0)
    v = grid["visits"].to_numpy().astype(np.int64)
    clicks = v + rng.poisson(v * (1 / W.LANDING_RATE - 1) + 0.2)
    ch = grid["channel"].to_numpy()
    ctr = np.array([W.CTR[c] for c in ch]) * np.where(grid["creative"] == "creative_2", 1.15, 1.0)
    ctr = ctr * np.exp(rng.normal(0, 0.15, len(grid)))
    impressions = np.maximum(np.round((clicks + rng.random(len(grid)) * 0.8 + 0.2) / ctr), clicks).astype(np.int64)
    cpc = np.array([W.CPC[c] for c in ch]) * np.where(grid["campaign"] == W.FLIGHT_CAMPAIGN, 1.0, 0.9)
    cost = np.round(clicks * cpc * np.exp(rng.normal(0, 0.08, len(grid))), 2)
    platform = (
        pd.Series(ch)
        .map({"google_ads": "google", "yandex_direct": "yandex", "meta_ads": "meta", "vk_ads": "vk"})
        .to_numpy()
    )
    out = pd.DataFrame(
        {
            "date": W.DAYS[grid["day"].to_numpy()].strftime("%Y-%m-%d"),
            "campaign": grid["campaign"],
            "channel": ch,
            "platform": platform,
            "ad_group": grid["ad_group"],
            "creative": grid["creative"],
            "impressions": impressions,
            "clicks": clicks.astype(np.int64),
            "cost": cost,
            "conversions": grid["conversions"].to_numpy().astype(np.int64),
            "revenue": grid["revenue"].to_numpy().round(2),
        }
    )
    return out.sort_values(["date", "channel", "campaign", "ad_group", "creative"], kind="stable").reset_index(
        drop=True
    )
