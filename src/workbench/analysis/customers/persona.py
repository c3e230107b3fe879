"""The persona card: the portrait in a few sentences, written from the numbers.

Every clause comes from a table of the portrait, so the card changes when the data does. A trait is
called over-represented only when its affinity row says so (BH-adjusted two-proportion test);
otherwise the card names the most common value and leaves the index beside it for the reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from workbench.analysis.customers.affinity import labelled
from workbench.analysis.customers.text import fmt, weekday_name
from workbench.i18n import _, ngettext, pgettext
from workbench.report.format import join_list, money, pct, slot_label

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


def _pretty(column: str) -> str:
    """A trait's name inside a persona sentence ('age_band' -> 'age'), in the current language."""
    names = {
        "age_band": pgettext("persona trait", "age"),
        "income_band": pgettext("persona trait", "income"),
        "acquisition_channel": pgettext("persona trait", "acquisition channel"),
        "price_tier": pgettext("persona trait", "price tier"),
        "brands_used": pgettext("persona trait", "brands used"),
        "preferred_attributes": pgettext("persona trait", "attributes (survey)"),
        "channel": pgettext("persona trait", "channel"),
        "purchase_place": pgettext("persona trait", "place named in the survey"),
        "gender": pgettext("persona trait", "gender"),
        "country": pgettext("persona trait", "country"),
        "city": pgettext("persona trait", "city"),
        "lifestyle": pgettext("persona trait", "lifestyle"),
        "interests": pgettext("persona trait", "interests"),
        "brand": pgettext("persona trait", "brand"),
        "category": pgettext("persona trait", "category"),
    }
    return names.get(column, column)


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


def _index(value: float) -> str:
    return "–" if pd.isna(value) else fmt("{:.0f}", value)


def _details(row: pd.Series) -> str:
    """'(12%, index 140)', or '(12%)' without an index."""
    if pd.isna(row["index"]):
        return _("({share})").format(share=_pct(row["audience_share"]))
    return _("({share}, index {index})").format(share=_pct(row["audience_share"]), index=_index(row["index"]))


def _phrase(row: pd.Series) -> str:
    return f"{row['value']} {_details(row)}"


def _who_phrase(column: str, row: pd.Series) -> str:
    """'mostly aged 25-34 (45%, index 130)': the audience's most common value of one trait."""
    mostly = row["audience_share"] >= 0.6
    values = {"value": row["value"], "details": _details(row)}
    if column == "age_band":
        text = _("mostly aged {value} {details}") if mostly else _("most often aged {value} {details}")
    elif column == "country":
        text = _("mostly in {value} {details}") if mostly else _("most often in {value} {details}")
    else:
        text = _("mostly {value} {details}") if mostly else _("most often {value} {details}")
    return text.format(**values)


def _who_sentences(demographics: Mapping[str, pd.DataFrame]) -> list[str]:
    """Who they are (age, country; gender, city type, lifestyle when notable) and what stands out."""
    who, notable, said = [], [], set()
    for col, table in demographics.items():
        top = top_value(table)
        if top is None:
            continue
        notable_top = top["audience_share"] >= 0.6 or top["direction"] == "over"
        if col in ("age_band", "country") or (col in ("gender", "city_type", "lifestyle") and notable_top):
            who.append(_who_phrase(col, top))
            said.add((col, top["value"]))
        so = standout(table)
        if so is not None and (col, so["value"]) not in said:
            trait = _("{trait} {value} (index {index})").format(
                trait=_pretty(col), value=so["value"], index=_index(so["index"])
            )
            notable.append((float(so["index"]), trait))
    out = []
    if who:
        sentence = join_list(who)
        out.append(sentence[:1].upper() + sentence[1:] + ".")
    if notable:  # the strongest contrasts first; a trait already named above is not repeated
        notable.sort(key=lambda t: -t[0])
        out.append(
            _("Over-represented against the base: {traits}.").format(traits=join_list([t[1] for t in notable[:4]]))
        )
    return out


def _visit_sentences(devices: pd.DataFrame | None, usage: pd.DataFrame | None) -> list[str]:
    out = []
    dev = top_value(devices)
    if dev is not None:
        values = {"device": dev["value"], "share": _pct(dev["audience_share"])}
        if pd.isna(dev["index"]):
            out.append(_("They visit mainly from {device}: {share} of them.").format(**values))
        else:
            text = _("They visit mainly from {device}: {share} of them, index {index}.")
            out.append(text.format(index=_index(dev["index"]), **values))
    if usage is not None and len(usage):
        row = usage[usage["metric"] == "sessions per month"]
        if len(row) and pd.notna(row["audience_mean"].iloc[0]):
            r = row.iloc[0]
            out.append(
                _("They visit {mean} times a month on average (base {base}).").format(
                    mean=fmt("{:.1f}", r["audience_mean"]), base=fmt("{:.1f}", r["base_mean"])
                )
            )
    return out


def _buying_sentence(purchases: pd.DataFrame | None) -> list[str]:
    if purchases is None or not len(purchases):
        return []
    p = purchases.set_index("metric")
    bits = []
    if "purchases per year" in p.index and pd.notna(p.loc["purchases per year", "audience_mean"]):
        r = p.loc["purchases per year"]
        bits.append(
            _("buy {mean} times a year on average (base {base})").format(
                mean=fmt("{:.1f}", r["audience_mean"]), base=fmt("{:.1f}", r["base_mean"])
            )
        )
    if "share of repeat buyers" in p.index and pd.notna(p.loc["share of repeat buyers", "audience"]):
        r = p.loc["share of repeat buyers"]
        bits.append(
            _("{share} are repeat buyers (base {base})").format(share=_pct(r["audience"]), base=_pct(r["base"]))
        )
    if "median days between orders" in p.index and pd.notna(p.loc["median days between orders", "audience"]):
        days = p.loc["median days between orders", "audience"]
        bits.append(_("a median {days} days pass between orders").format(days=fmt("{:.0f}", days)))
    return [_("They {facts}.").format(facts=join_list(bits))] if bits else []


def _preference_sentences(
    preferences: Mapping[str, pd.DataFrame], places: Mapping[str, pd.DataFrame], channels: Mapping[str, pd.DataFrame]
) -> dict[str, str]:
    """'prefer' (only what sets them apart: the most common value may be everyone's), 'via', 'brought'."""
    out = {}
    prefs = [f"{_pretty(c)} {_phrase(r)}" for c, t in preferences.items() if (r := standout(t)) is not None]
    if prefs:
        out["prefer"] = _("They prefer {items}.").format(items=join_list(prefs))
    where = [f"{_pretty(c)} {_phrase(r)}" for c, t in places.items() if (r := _preferred(t)) is not None]
    if where:
        out["via"] = _("They buy via {items}.").format(items=join_list(where))
    brought = [f"{_pretty(c)} {_phrase(r)}" for c, t in channels.items() if (r := _preferred(t)) is not None]
    if brought:
        out["brought"] = _("Brought to us by {items}.").format(items=join_list(brought))
    return out


def _preferred(table: pd.DataFrame | None) -> pd.Series | None:
    return standout(table) if standout(table) is not None else top_value(table)


def _time_sentences(active: Mapping | None, best_times: pd.DataFrame | None) -> list[str]:
    out = []
    if active and active.get("weekdays"):
        out.append(
            _(
                "Most active on {days} ({days_share} of their visits) and between {start}:00 and {end}:00 "
                "({hours_share})."
            ).format(
                days=join_list([weekday_name(d) for d in active["weekdays"]]),
                days_share=_pct(active["days_share"]),
                start=f"{active['hour_from']:02d}",
                end=f"{active['hour_to']:02d}",
                hours_share=_pct(active["hours_share"]),
            )
        )
    if best_times is not None and len(best_times) and {"weekday_name", "hour"} <= set(best_times.columns):
        slots = [
            slot_label(weekday_name(d), h) for d, h in zip(best_times["weekday_name"], best_times["hour"], strict=False)
        ]
        if "expected" in best_times.columns:
            text = _("Best times to publish (the hours their visits bring the most purchases): {slots}.")
        else:
            text = _("Best times to publish (their busiest hours): {slots}.")
        out.append(text.format(slots=join_list(slots)))
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
    out = [
        ngettext(
            "{label}: {size} customer ({share} of the base).", "{label}: {size} customers ({share} of the base).", size
        ).format(label=label, size=fmt("{:,}", size), share=_pct(share_of_base))
    ]
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
        if len(over):
            categories = join_list(
                [
                    _("{value} (index {index})").format(value=r["value"], index=_index(r["index"]))
                    for _i, r in over.head(3).iterrows()
                ]
            )
            text = _("They spend {spent} per customer (base {base}); most above the base on {categories}.")
            out.append(text.format(spent=spent, base=base, categories=categories))
        else:
            out.append(_("They spend {spent} per customer (base {base}).").format(spent=spent, base=base))
    place = wide.main_values.get("main_place")
    top, so = top_value(place), standout(place)
    if top is not None:
        values = {"place": top["value"], "share": _pct(top["audience_share"]), "index": _index(top["index"])}
        if so is not None and so["value"] != top["value"]:
            text = _(
                "Most of their purchases are {place} for {share} of them, index {index}; {other} is over-represented "
                "({other_share}, index {other_index})."
            )
            values |= {
                "other": so["value"],
                "other_share": _pct(so["audience_share"]),
                "other_index": _index(so["index"]),
            }
        else:
            text = _("Most of their purchases are {place} for {share} of them, index {index}.")
        out.append(text.format(**values))
    if wide.responses is not None:
        over = wide.responses[wide.responses["direction"] == "over"].sort_values("index", ascending=False)
        if len(over):
            campaigns = join_list(
                [
                    _("{value} ({share}, index {index})").format(
                        value=r["value"], share=_pct(r["audience_share"]), index=_index(r["index"])
                    )
                    for _i, r in over.head(3).iterrows()
                ]
            )
            out.append(
                _("They accepted earlier campaigns more often than the base: {campaigns}.").format(campaigns=campaigns)
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
    """One sentence naming the significantly over- and under-represented values of a trait (`trait` is
    already in the current language)."""
    if not _usable(table):
        return _("No {trait} data for this audience.").format(trait=trait)
    over = table[table["direction"] == "over"].sort_values("index", ascending=False).head(top)
    under = table[table["direction"] == "under"].sort_values("index").head(top)

    def fmt_row(r: pd.Series) -> str:
        return _("{value} ({share} vs {base}, index {index})").format(
            value=r["value"], share=_pct(r["audience_share"]), base=_pct(r["base_share"]), index=_index(r["index"])
        )

    parts = []
    if len(over):
        parts.append(_("over-represented: {values}").format(values="; ".join(fmt_row(r) for _i, r in over.iterrows())))
    if len(under):
        parts.append(
            _("under-represented: {values}").format(values="; ".join(fmt_row(r) for _i, r in under.iterrows()))
        )
    n = int(table["audience_total"].iloc[0])
    title = trait.capitalize()
    if not parts:
        top_row = top_value(table)
        return _("{trait}: no value differs significantly from the base (n = {n}); the most common is {value}.").format(
            trait=title, n=fmt("{:,}", n), value=fmt_row(top_row)
        )
    return _("{trait} (n = {n}) — {parts}.").format(trait=title, n=fmt("{:,}", n), parts=" — ".join(parts))
