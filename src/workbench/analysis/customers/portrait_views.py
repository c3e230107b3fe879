"""What the audience portrait shows, derived from its tables: label, headline, tiles and reader views.
Sections whose inputs are absent stay out of the headline and the tiles. Numbers become text through
`workbench.report.format`."""

from __future__ import annotations

import pandas as pd

from workbench.analysis.customers.affinity import value_label
from workbench.analysis.customers.audience import Audience
from workbench.analysis.customers.portrait import Portrait
from workbench.analysis.customers.portrait_wide import WidePortrait
from workbench.analysis.customers.text import direction_name, fmt, weekday_name
from workbench.analysis.customers.wide import WIDE_MEANINGS
from workbench.i18n import _, ngettext, pgettext
from workbench.report.format import EMPTY, compact, currency_symbol, money, p_value, pct, slot_label

__all__ = [
    "FUNNEL_FORMATS",
    "WIDE_FORMATS",
    "audience_label",
    "best_slot",
    "best_times_caption",
    "funnel_view",
    "portrait_headline",
    "portrait_tiles",
    "wide_headline",
    "wide_sections",
    "wide_view",
]


def audience_label(audience: Audience, audience_name: str = "") -> str:
    """The params' name for the audience, else its description with a capital letter."""
    return audience_name or audience.description[:1].upper() + audience.description[1:]


def best_slot(portrait: Portrait) -> pd.Series | None:
    """The first recommended weekday × hour slot (None without linked visits or a qualifying slot)."""
    act = portrait.activity
    return act.best.iloc[0] if act is not None and len(act.best) else None


def _purchases(portrait: Portrait) -> pd.DataFrame | None:
    return portrait.purchases.set_index("metric") if portrait.purchases is not None else None


def _slot(best: pd.Series) -> str:
    return slot_label(weekday_name(best["weekday_name"]), best["hour"])


def portrait_headline(audience: Audience, portrait: Portrait) -> dict:
    """The index's headline: audience size and, where their inputs exist, top device, purchases per
    year, repeat buyers and the best time (labels and values in the current language)."""
    out = {
        _("Audience"): _("{size} ({share} of base)").format(
            size=fmt("{:,}", audience.size), share=pct(audience.share_of_base)
        )
    }
    if portrait.devices is not None and len(portrait.devices):
        dev = portrait.devices.iloc[0]
        out[_("Top device")] = _("{value} {share} (index {index})").format(
            value=value_label("main_device", dev["value"]),
            share=pct(dev["audience_share"]),
            index=fmt("{:.0f}", dev["index"]),
        )
    buy = _purchases(portrait)
    if buy is not None:
        ppy, rep = buy.loc["purchases per year"], buy.loc["share of repeat buyers"]
        out[_("Purchases per year")] = _("{audience} vs {base} base").format(
            audience=fmt("{:.1f}", ppy["audience_mean"]), base=fmt("{:.1f}", ppy["base_mean"])
        )
        out[_("Repeat buyers")] = _("{audience} vs {base}").format(audience=pct(rep["audience"]), base=pct(rep["base"]))
    best = best_slot(portrait)
    if best is not None:
        out[_("Best time")] = _slot(best)
    return out


def _best_time_tile(best: pd.Series | None) -> dict:
    label = _("Best time to publish")
    if best is None:
        return {"label": label, "value": EMPTY, "note": _("no slot with enough visits")}
    visits = int(best["n"])
    if "expected" in best:
        note = ngettext(
            "{visits} audience visit in that hour, {rate} of them converting",
            "{visits} audience visits in that hour, {rate} of them converting",
            visits,
        ).format(visits=fmt("{:,}", visits), rate=pct(best["rate"]))
    else:
        note = ngettext("{visits} audience visit in that hour", "{visits} audience visits in that hour", visits).format(
            visits=fmt("{:,}", visits)
        )
    return {"label": label, "value": _slot(best), "note": note}


def portrait_tiles(audience: Audience, portrait: Portrait) -> list[dict]:
    """KPI tiles: audience size and, where their inputs exist, purchases, repeat buyers, best time."""
    tiles = [
        {
            "label": _("Audience"),
            "value": fmt("{:,}", audience.size),
            "note": ngettext("{share} of {base} customer", "{share} of {base} customers", audience.base_size).format(
                share=pct(audience.share_of_base), base=fmt("{:,}", audience.base_size)
            ),
        }
    ]
    buy = _purchases(portrait)
    if buy is not None:
        ppy, rep = buy.loc["purchases per year"], buy.loc["share of repeat buyers"]
        tiles.append(
            {
                "label": _("Purchases per year (mean)"),
                "value": fmt("{:.2f}", ppy["audience_mean"]),
                "note": _("base {value}").format(value=fmt("{:.2f}", ppy["base_mean"])),
            }
        )
        tiles.append(
            {
                "label": _("Repeat buyers"),
                "value": pct(rep["audience"]),
                "note": _("base {value}").format(value=pct(rep["base"])),
            }
        )
    if portrait.activity is not None and portrait.activity.audience_sessions:
        tiles.append(_best_time_tile(best_slot(portrait)))
    return tiles


#: formats for report.table(funnel_view(...))
FUNNEL_FORMATS = {
    "audience reached": "{:.0%}",
    "base reached": "{:.0%}",
    "audience conversion": "{:.0%}",
    "base conversion": "{:.0%}",
    "index": "{:.0f}",
    "p (BH)": "{:.3g}",
}


def funnel_view(funnel: pd.DataFrame) -> pd.DataFrame:
    """The familiarity funnel's reader columns: respondents, shares reached, conversions, index, p."""
    cols = {
        "stage": "stage",
        "audience_n": "respondents",
        "audience_reached": "audience reached",
        "base_reached": "base reached",
        "audience_conversion": "audience conversion",
        "base_conversion": "base conversion",
        "conversion_index": "index",
        "p_adjusted": "p (BH)",
    }
    return funnel[list(cols)].rename(columns=cols)


def best_times_caption(n_best: int, ranked_by: str, audience_sessions: int, floor: int) -> str:
    """The caption of the best-times table: what the hours were ranked by and the evidence floor."""
    values = {"n": n_best, "visits": fmt("{:,}", audience_sessions), "floor": fmt("{:,}", floor)}
    if ranked_by == "expected":
        return ngettext(
            "Best times to publish: the {n} hour whose visits bring the most purchases (visits × shrunk conversion "
            "rate) (from {visits} audience visits; hours with at least {floor} visits)",
            "Best times to publish: the {n} hours whose visits bring the most purchases (visits × shrunk conversion "
            "rate) (from {visits} audience visits; hours with at least {floor} visits)",
            n_best,
        ).format(**values)
    return ngettext(
        "Best times to publish: the {n} busiest hour of the audience (from {visits} audience visits; hours with "
        "at least {floor} visits)",
        "Best times to publish: the {n} busiest hours of the audience (from {visits} audience visits; hours with "
        "at least {floor} visits)",
        n_best,
    ).format(**values)


#: formats for report.table(wide_view(...))
WIDE_FORMATS = {"index": "{:.0f}"}


def _meaning(meaning: str) -> str:
    """A column group's meaning ('spend by category') in the current language."""
    names = {
        "spend_by_category": pgettext("wide meaning", "spend by category"),
        "spend_by_brand": pgettext("wide meaning", "spend by brand"),
        "purchases_by_place": pgettext("wide meaning", "purchases by place"),
        "visits": pgettext("wide meaning", "visits"),
        "campaign_responses": pgettext("wide meaning", "campaign responses"),
    }
    return names.get(meaning, WIDE_MEANINGS.get(meaning, meaning))


def wide_view(table: pd.DataFrame, meaning: str, currency: str = "") -> tuple[pd.DataFrame, str]:
    """A wide comparison (`portrait_wide.numeric_comparison`) for readers, and its caption: means
    per customer, share of the row total for each side, index, n and adjusted p (in the current language)."""
    money_like = meaning.startswith("spend")
    unit = f" ({currency_symbol(currency)})" if money_like and currency else ""
    out = pd.DataFrame(
        {
            pgettext("portrait column", "value"): table["value"],
            pgettext("portrait column", "audience, mean") + unit: [compact(v) for v in table["audience_mean"]],
            pgettext("portrait column", "all customers, mean") + unit: [compact(v) for v in table["base_mean"]],
            pgettext("portrait column", "index"): table["index"],
        }
    )
    audience_share = base_share = ""
    if money_like:
        audience_share = pgettext("portrait column", "audience share of spend")
        base_share = pgettext("portrait column", "all customers' share of spend")
    elif meaning == "purchases_by_place":
        audience_share = pgettext("portrait column", "audience share of purchases")
        base_share = pgettext("portrait column", "all customers' share of purchases")
    if audience_share:
        out[audience_share] = [pct(v, 1) for v in table["audience_share_of_total"]]
        out[base_share] = [pct(v, 1) for v in table["base_share_of_total"]]
    n = [f"{fmt('{:,}', a)} / {fmt('{:,}', b)}" for a, b in zip(table["audience_n"], table["base_n"], strict=False)]
    out[pgettext("portrait column", "n (audience / all)")] = n
    out[pgettext("portrait column", "p (BH)")] = [p_value(p) for p in table["p_adjusted"]]
    out[pgettext("portrait column", "vs base")] = [direction_name(d) for d in table["direction"]]
    caption = _(
        "{meaning}: audience vs all customers, per customer (index = audience mean ÷ base mean × 100; "
        "Mann–Whitney test against the rest, BH-adjusted)"
    ).format(meaning=_meaning(meaning).capitalize())
    return out, caption


def wide_sections(wide: WidePortrait) -> list[str]:
    """Meanings with a comparison table, in the order a reader expects them."""
    return [m for m in WIDE_MEANINGS if m in wide.comparisons]


def wide_headline(wide: WidePortrait, currency: str = "") -> dict:
    """Headline entries from a wide customer table: spend per customer against the base, and the
    place most of the audience buys (empty without those column groups)."""
    out = {}
    spend = wide.comparisons.get("spend_by_category")
    if spend is not None and len(spend):
        a, b = spend["audience_mean"].sum(), spend["base_mean"].sum()
        out[_("Spend per customer")] = _("{audience} vs {base}").format(
            audience=money(a, currency, millions=False), base=money(b, currency, millions=False)
        )
    place = wide.main_values.get("main_place")
    if place is not None and len(place):
        top = place.sort_values("audience_share", ascending=False).iloc[0]
        out[_("Main place")] = _("{value} {share} (index {index})").format(
            value=top["value"], share=pct(top["audience_share"]), index=fmt("{:.0f}", top["index"])
        )
    return out
