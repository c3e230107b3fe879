"""The persona card: the portrait in a few sentences, written from the numbers.

Every clause comes from a table of the portrait, so the card changes when the data does. A trait is
called over-represented only when its affinity row says so (BH-adjusted two-proportion test);
otherwise the card names the most common value and leaves the index beside it for the reader.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from workbench.analysis.customers.affinity import labelled
from workbench.report.format import money, pct, slot_label

if TYPE_CHECKING:  # portrait_wide imports portrait, which the card does not need at run time
    from workbench.analysis.customers.portrait_wide import WidePortrait

__all__ = [
    "affinity_finding",
    "persona_for",
    "persona_sentences",
    "standout",
    "top_value",
    "wide_persona_sentences",
]

_PRETTY = {
    "age_band": "age",
    "income_band": "income",
    "acquisition_channel": "acquisition channel",
    "price_tier": "price tier",
    "brands_used": "brands used",
    "preferred_attributes": "attributes (survey)",
    "channel": "channel",
    "purchase_place": "place named in the survey",
}


def _usable(table: pd.DataFrame | None) -> bool:
    return table is not None and len(table) > 0 and table["audience_total"].iloc[0] > 0


def top_value(table: pd.DataFrame | None) -> pd.Series | None:
    """The most common value of an affinity table for the audience (None when the table is empty)."""
    if not _usable(table):
        return None
    return table.sort_values(["audience_share", "value"], ascending=[False, True], kind="mergesort").iloc[0]


def standout(table: pd.DataFrame | None, min_share: float = 0.05) -> pd.Series | None:
    """The significantly over-represented value with the highest index (None when there is none).

    Values held by fewer than `min_share` of the audience are skipped: "index 300" on 1% is trivia."""
    if not _usable(table):
        return None
    over = table[(table["direction"] == "over") & (table["audience_share"] >= min_share)]
    if over.empty:
        return None
    return over.sort_values(["index", "value"], ascending=[False, True], kind="mergesort").iloc[0]


_pct = pct


def _idx(row: pd.Series) -> str:
    return "" if pd.isna(row["index"]) else f", index {row['index']:.0f}"


def _phrase(row: pd.Series) -> str:
    return f"{row['value']} ({_pct(row['audience_share'])}{_idx(row)})"


def _lead(row: pd.Series) -> str:
    share = row["audience_share"]
    return "mostly" if share >= 0.6 else "most often"


def _join(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _preferred(table: pd.DataFrame | None) -> pd.Series | None:
    return standout(table) if standout(table) is not None else top_value(table)


def _who_sentences(demographics: Mapping[str, pd.DataFrame]) -> list[str]:
    """Who they are (age, country; gender, city type, lifestyle when notable) and what stands out."""
    who, notable, said = [], [], set()
    for col, table in demographics.items():
        top = top_value(table)
        if top is None:
            continue
        notable_top = top["audience_share"] >= 0.6 or top["direction"] == "over"
        if col in ("age_band", "country") or (col in ("gender", "city_type", "lifestyle") and notable_top):
            what = {"age_band": "aged ", "country": "in "}.get(col, "") + str(top["value"])
            who.append(f"{_lead(top)} {what} ({_pct(top['audience_share'])}{_idx(top)})")
            said.add((col, top["value"]))
        so = standout(table)
        if so is not None and (col, so["value"]) not in said:
            notable.append((float(so["index"]), f"{_PRETTY.get(col, col)} {so['value']} (index {so['index']:.0f})"))
    out = []
    if who:
        sentence = _join(who)
        out.append(sentence[:1].upper() + sentence[1:] + ".")
    if notable:  # the strongest contrasts first; a trait already named above is not repeated
        notable.sort(key=lambda t: -t[0])
        out.append("Over-represented against the base: " + _join([t[1] for t in notable[:4]]) + ".")
    return out


def _visit_sentences(devices: pd.DataFrame | None, usage: pd.DataFrame | None) -> list[str]:
    out = []
    dev = top_value(devices)
    if dev is not None:
        out.append(f"They visit mainly from {dev['value']}: {_pct(dev['audience_share'])} of them{_idx(dev)}.")
    if usage is not None and len(usage):
        row = usage[usage["metric"] == "sessions per month"]
        if len(row) and pd.notna(row["audience_mean"].iloc[0]):
            r = row.iloc[0]
            out.append(f"They visit {r['audience_mean']:.1f} times a month on average (base {r['base_mean']:.1f}).")
    return out


def _buying_sentence(purchases: pd.DataFrame | None) -> list[str]:
    if purchases is None or not len(purchases):
        return []
    p = purchases.set_index("metric")
    bits = []
    if "purchases per year" in p.index and pd.notna(p.loc["purchases per year", "audience_mean"]):
        r = p.loc["purchases per year"]
        bits.append(f"buy {r['audience_mean']:.1f} times a year on average (base {r['base_mean']:.1f})")
    if "share of repeat buyers" in p.index and pd.notna(p.loc["share of repeat buyers", "audience"]):
        r = p.loc["share of repeat buyers"]
        bits.append(f"{_pct(r['audience'])} are repeat buyers (base {_pct(r['base'])})")
    if "median days between orders" in p.index and pd.notna(p.loc["median days between orders", "audience"]):
        bits.append(f"a median {p.loc['median days between orders', 'audience']:.0f} days pass between orders")
    return ["They " + _join(bits) + "."] if bits else []


def _preference_sentences(
    preferences: Mapping[str, pd.DataFrame], places: Mapping[str, pd.DataFrame], channels: Mapping[str, pd.DataFrame]
) -> dict[str, str]:
    """'prefer' (only what sets them apart: the most common value may be everyone's), 'via', 'brought'."""
    out = {}
    prefs = [f"{_PRETTY.get(c, c)} {_phrase(r)}" for c, t in preferences.items() if (r := standout(t)) is not None]
    if prefs:
        out["prefer"] = "They prefer " + _join(prefs) + "."
    where = [f"{_PRETTY.get(c, c)} {_phrase(r)}" for c, t in places.items() if (r := _preferred(t)) is not None]
    if where:
        out["via"] = "They buy via " + _join(where) + "."
    brought = [f"{_PRETTY.get(c, c)} {_phrase(r)}" for c, t in channels.items() if (r := _preferred(t)) is not None]
    if brought:
        out["brought"] = "Brought to us by " + _join(brought) + "."
    return out


def _time_sentences(active: Mapping | None, best_times: pd.DataFrame | None) -> list[str]:
    out = []
    if active and active.get("weekdays"):
        out.append(
            f"Most active on {_join(active['weekdays'])} ({_pct(active['days_share'])} of their visits) and "
            f"between {active['hour_from']:02d}:00 and {active['hour_to']:02d}:00 "
            f"({_pct(active['hours_share'])})."
        )
    if best_times is not None and len(best_times) and {"weekday_name", "hour"} <= set(best_times.columns):
        slots = [slot_label(d, h) for d, h in zip(best_times["weekday_name"], best_times["hour"], strict=False)]
        why = (
            "the hours their visits bring the most purchases"
            if "expected" in best_times.columns
            else "their busiest hours"
        )
        out.append(f"Best times to publish ({why}): {_join(slots)}.")
    return out


def persona_sentences(
    label: str,
    *,
    size: int,
    share_of_base: float,
    demographics: Mapping[str, pd.DataFrame] | None = None,
    devices: pd.DataFrame | None = None,
    purchases: pd.DataFrame | None = None,
    usage: pd.DataFrame | None = None,
    preferences: Mapping[str, pd.DataFrame] | None = None,
    places: Mapping[str, pd.DataFrame] | None = None,
    channels: Mapping[str, pd.DataFrame] | None = None,
    active: Mapping | None = None,
    best_times: pd.DataFrame | None = None,
) -> list[str]:
    """A few sentences describing the audience; sections that are None are skipped.

    demographics/preferences/places/channels: column name -> affinity table (from `affinity`);
    devices: affinity table of primary device; purchases: `purchase_summary` table; usage:
    `usage_summary` table; active: `active_window` dict; best_times: the report's best-times table
    (weekday_name, hour), named so the card and the table recommend the same hours.
    """
    if size < 0:
        raise ValueError(f"size must be non-negative; got {size!r}")
    # readers get labels ("male", "Meta ads"), not the data's codes ("m", "meta_ads")
    demographics, preferences, places, channels = (
        {k: labelled(v, k) for k, v in (m or {}).items()} for m in (demographics, preferences, places, channels)
    )
    out = [f"{label}: {size:,} customers ({_pct(share_of_base)} of the base)."]
    out += _who_sentences(demographics)
    out += _visit_sentences(labelled(devices, "main_device"), usage)
    out += _buying_sentence(purchases)
    prefs = _preference_sentences(preferences, places, channels)
    out += [prefs[k] for k in ("prefer", "via") if k in prefs]
    out += _time_sentences(active, best_times)
    out += [prefs["brought"]] if "brought" in prefs else []
    return [s for s in out if s and not s.endswith(": .")]


def wide_persona_sentences(wide: WidePortrait, currency: str = "") -> list[str]:
    """Sentences from a wide customer table (`portrait_wide.WidePortrait`): spend per customer and
    the categories that stand out, the main place they buy, and the campaigns they accepted more often."""
    out = []
    spend = wide.comparisons.get("spend_by_category")
    if spend is not None and len(spend):
        over = spend[spend["direction"] == "over"].sort_values("index", ascending=False)
        mean_a, mean_b = spend["audience_mean"].sum(), spend["base_mean"].sum()
        spent, base = money(mean_a, currency, millions=False), money(mean_b, currency, millions=False)
        text = f"They spend {spent} per customer (base {base})"
        if len(over):
            text += "; most above the base on " + _join(
                [f"{r['value']} (index {r['index']:.0f})" for _, r in over.head(3).iterrows()]
            )
        out.append(text + ".")
    place = wide.main_values.get("main_place")
    top, so = top_value(place), standout(place)
    if top is not None:
        text = f"Most of their purchases are {top['value']} for {_pct(top['audience_share'])} of them{_idx(top)}"
        if so is not None and so["value"] != top["value"]:
            text += f"; {so['value']} is over-represented ({_pct(so['audience_share'])}, index {so['index']:.0f})"
        out.append(text + ".")
    if wide.responses is not None:
        over = wide.responses[wide.responses["direction"] == "over"].sort_values("index", ascending=False)
        if len(over):
            out.append(
                "They accepted earlier campaigns more often than the base: "
                + _join(
                    [
                        f"{r['value']} ({_pct(r['audience_share'])}, index {r['index']:.0f})"
                        for _, r in over.head(3).iterrows()
                    ]
                )
                + "."
            )
    return out


def persona_for(portrait, label: str, base_size: int | None = None) -> list[str]:
    """Persona sentences from a `portrait.Portrait` (the notebook's one-line call)."""
    size = len(portrait.audience_ids)
    base = base_size or len(portrait.customer_ids)
    prefs = {k: v for k, v in portrait.attributes.items() if k in ("price_tier", "category", "preferred_attributes")}
    brand = next(iter(portrait.brands.items()), None)
    if brand is not None:
        prefs["brand"] = brand[1]
    return persona_sentences(
        label,
        size=size,
        share_of_base=size / base if base else float("nan"),
        demographics={
            k: v
            for k, v in portrait.demographics.items()
            if k in ("age_band", "gender", "country", "city", "city_type", "lifestyle", "income_band", "interests")
        },
        devices=portrait.devices,
        purchases=portrait.purchases,
        usage=portrait.usage,
        preferences=prefs,
        places={k: v for k, v in portrait.places.items() if k in ("channel", "purchase_place")},
        channels={k: v for k, v in portrait.channels.items() if k == "acquisition_channel"},
        active=portrait.active,
        best_times=portrait.activity.best if portrait.activity is not None else None,
    )


def affinity_finding(table: pd.DataFrame | None, trait: str, top: int = 3) -> str:
    """One sentence naming the significantly over- and under-represented values of a trait."""
    if not _usable(table):
        return f"No {trait} data for this audience."
    over = table[table["direction"] == "over"].sort_values("index", ascending=False).head(top)
    under = table[table["direction"] == "under"].sort_values("index").head(top)

    def fmt(r: pd.Series) -> str:
        return f"{r['value']} ({_pct(r['audience_share'])} vs {_pct(r['base_share'])}, index {r['index']:.0f})"

    parts = []
    if len(over):
        parts.append("over-represented: " + "; ".join(fmt(r) for _, r in over.iterrows()))
    if len(under):
        parts.append("under-represented: " + "; ".join(fmt(r) for _, r in under.iterrows()))
    n = int(table["audience_total"].iloc[0])
    if not parts:
        top_row = top_value(table)
        return (
            f"{trait.capitalize()}: no value differs significantly from the base (n = {n:,}); the most common "
            f"is {fmt(top_row)}."
        )
    return f"{trait.capitalize()} (n = {n:,}) — " + " — ".join(parts) + "."
