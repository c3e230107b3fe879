"""Headings, explanations, captions, labels and chart words of the marketing plan tracker, in the
current language.

The analysis (`plan.py`) keeps English codes for statuses and directions ("on track", "over",
"lower") because results.json holds them; this module turns each into the reader's words, and holds
what the notebook used to write in markdown cells and f-strings, so a Russian report is Russian
throughout. The executive-summary sentences are built in `plan_summary`.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from workbench.i18n import _, ngettext, pgettext
from workbench.report.format import date_pattern, day, localize, localize_formatted, pct

__all__ = [
    "better_word",
    "caption",
    "chart_words",
    "days_late",
    "formula_words",
    "initiative_status",
    "model_words",
    "section_markdown",
    "series_in",
    "status_word",
]


def section_markdown(section: str) -> str:
    """The heading and explanation of a plan-tracker section, as Markdown in the current language."""
    sections = {
        "intro": lambda: _(
            "# Marketing plan tracker\n\n"
            "This report checks the marketing plan against what has happened so far: progress on every goal, "
            "a forecast to the end of each goal's period, spend against budget by channel, and initiatives "
            "that are past their deadline. The last section compares plan and results year by year and "
            "proposes revised targets."
        ),
        "goals": lambda: _(
            "## Goals: progress and forecast to period end\n\n"
            "Each row is one goal of the plan. *Actual* is the value so far in the period (for a ratio such as "
            "CAC, the ratio of the period's totals so far), *elapsed* the share of the period's months with "
            "data, *forecast* the expected value at the end of the period with its interval, from a model of "
            'each monthly series fitted on the whole history (trend and yearly seasonality; see "Forecast '
            'models" below). Money is in RUB; shares are of sessions.\n\n'
            "**Status rule.** For goals where higher is better: *on track* if the forecast meets the "
            "target; *at risk* if the target is above the forecast but inside the interval; *off track* if the "
            'target is above the interval\'s upper bound. For "lower is better" goals (CAC, ad cost) the rule '
            "is mirrored. A period that is over is *achieved* or *missed* on its actual value."
        ),
        "forecasts": lambda: _(
            "### Forecasts of the main series\n\n"
            "The charts show the monthly history (solid) and the forecast to the end of the plan (dashed) "
            "with its interval (shaded blue). The orange band marks a one-off campaign flight: where it "
            'visibly lifted a series (tested per series, see "Forecast models"), the lift is estimated as the '
            "flight's own effect and the forecast continues from the business without it; the dotted grey "
            "line shows what the forecast would be if the flight were read as a new, permanent level. The "
            "forecast assumes no flight after the last day of the listed ones — add planned flights to the "
            "budget and re-run when that changes."
        ),
        "budget": lambda: _(
            "## Budget: spent vs planned by channel\n\n"
            "Spend comes from the ad statistics (cost by channel) up to the review date. *Planned to date* is "
            "the period's budget times the share of its days elapsed; *projected* extends the spend so far at "
            "the same daily rate to the end of the period. A channel is flagged *over* (or *under*) when the "
            "projection is more than the tolerance above (below) its budget; *unplanned* spend has no budget "
            "line."
        ),
        "initiatives": lambda: _(
            "## Initiatives\n\n"
            "Every initiative of the plan with its owner, deadline and status. An initiative is *overdue* "
            "when its deadline is before the review date and it is neither done nor cancelled."
        ),
        "review": lambda: _(
            "## Yearly review: plan vs what happened\n\n"
            "For each yearly goal: the target, the outcome (the actual value for a finished year, the "
            "forecast for the year in progress) and the gap between them. Below, proposed targets for the "
            "current and the next year: the central forecast is a 50/50 target; the stretch target is reached "
            "in about one outcome in four (the forecast's upper quartile, the lower quartile for \"lower is "
            "better\" metrics). Next year's proposals assume no campaign flight beyond those already run: add "
            "planned flights' effect by hand."
        ),
        "glossary": lambda: _(
            "## Metric glossary and forecast models\n\n"
            "How each plan metric is computed (formulas as in the KPI glossary), and which forecast model "
            "was fitted on each monthly series. With less than two years of history the model has no "
            "seasonal term, and the note says so. A campaign flight enters a series' model only where it "
            "improves the fit (small-sample AIC, as in X-13ARIMA-SEATS); its estimated lift is shown."
        ),
        "data_quality": lambda: _(
            "## Data quality\n\n"
            "Rows of an input file that break its data contract (a negative cost, a date that is not a date, an "
            "order of an unknown customer …) stop the report, unless the params file opts in with "
            "`drop_invalid_rows`; then they are left out and listed here, so every number above can be read "
            "with that in mind."
        ),
    }
    if section not in sections:
        raise ValueError(f"section must be one of {', '.join(sections)}; got {section!r}")
    return sections[section]()


def caption(name: str, as_of: Any = None, **values: Any) -> str:
    """Table captions of the plan tracker, by name; `as_of` is the review date, `values` fill the rest."""
    when = day(as_of) if as_of is not None else ""
    texts = {
        "goals": lambda: _("Goals at {date} (↓ = lower is better)").format(date=when),
        "budget": lambda: _("Budget by channel at {date}").format(date=when),
        "initiatives": lambda: ngettext(
            "Initiatives ({n} overdue), overdue first", "Initiatives ({n} overdue), overdue first", values["n"]
        ).format(n=values["n"]),
        "review": lambda: _("Plan vs actual by year (↓ = lower is better)"),
        "revised": lambda: _(
            "Proposed targets from the forecast (50/50 = central forecast; stretch = its favourable quartile)"
        ),
        "metrics": lambda: _("Plan metrics"),
        "models": lambda: _("Forecast models"),
    }
    if name not in texts:
        raise ValueError(f"caption must be one of {', '.join(texts)}; got {name!r}")
    return texts[name]()


def chart_words(base: str, plan_end: pd.Period) -> tuple[str, str]:
    """(title, y-axis label) of the forecast chart of a base series."""
    names = {
        "revenue": (_("Revenue: history and forecast to {month}"), _("RUB per month")),
        "new_customers": (_("New customers: history and forecast to {month}"), _("customers per month")),
        "sessions": (_("Sessions: history and forecast to {month}"), _("sessions per month")),
        "ad_cost": (_("Ad spend: history and forecast to {month}"), _("RUB per month")),
    }
    if base not in names:
        raise ValueError(f"base must be one of {', '.join(names)}; got {base!r}")
    title, axis = names[base]
    return title.format(month=date_pattern(plan_end.start_time, "LLL y")), axis


def budget_chart_title(period: str) -> str:
    return _("Budget {period}: planned, spent to date and projected at run-rate").format(period=period)


def status_word(status: str) -> str:
    """A goal's or a budget line's status code in the reader's words ('on track' -> 'по плану')."""
    words = {
        "on track": pgettext("plan status", "on track"),
        "at risk": pgettext("plan status", "at risk"),
        "off track": pgettext("plan status", "off track"),
        "achieved": pgettext("plan status", "achieved"),
        "missed": pgettext("plan status", "missed"),
        "no data": pgettext("plan status", "no data"),
        "over": pgettext("budget status", "over"),
        "under": pgettext("budget status", "under"),
        "on plan": pgettext("budget status", "on plan"),
        "not started": pgettext("budget status", "not started"),
        "unplanned": pgettext("budget status", "unplanned"),
    }
    return words.get(str(status), str(status))


def initiative_status(status: str) -> str:
    """An initiative's status code in the reader's words ('in_progress' -> 'in progress' / 'в работе')."""
    words = {
        "planned": pgettext("initiative status", "planned"),
        "in_progress": pgettext("initiative status", "in progress"),
        "done": pgettext("initiative status", "done"),
        "cancelled": pgettext("initiative status", "cancelled"),
    }
    return words.get(str(status), str(status).replace("_", " "))


def better_word(better: str) -> str:
    """'higher' / 'lower' (is better) as the glossary table says it."""
    return {"higher": pgettext("better", "higher"), "lower": pgettext("better", "lower")}.get(better, better)


def series_in(base: str) -> str:
    """A base series as it reads after "its lift in …" (Russian: prepositional case)."""
    words = {
        "revenue": lambda: pgettext("series, after 'lift in'", "revenue"),
        "orders": lambda: pgettext("series, after 'lift in'", "orders"),
        "new_customers": lambda: pgettext("series, after 'lift in'", "new customers"),
        "sessions": lambda: pgettext("series, after 'lift in'", "sessions"),
        "organic_sessions": lambda: pgettext("series, after 'lift in'", "organic sessions"),
        "conversions": lambda: pgettext("series, after 'lift in'", "conversions"),
        "ad_cost": lambda: pgettext("series, after 'lift in'", "ad spend"),
        "ad_revenue": lambda: pgettext("series, after 'lift in'", "ad-attributed revenue"),
    }
    return words[base]() if base in words else base.replace("_", " ")


def days_late(days: int) -> str:
    """'12 days' late, with the right plural form."""
    return ngettext("{n} day", "{n} days", int(days)).format(n=int(days))


def formula_words(metric: str, formula: str) -> str:
    """How a plan metric is computed, in the current language (the English formula of `plan.METRICS`
    for an unknown metric)."""
    words = {
        "revenue": lambda: _("sum of order revenue"),
        "orders": lambda: _("number of orders"),
        "new_customers": lambda: _("customers whose first order falls in the period"),
        "sessions": lambda: _("number of visits"),
        "organic_sessions": lambda: _("visits with medium 'organic'"),
        "conversions": lambda: _("converted sessions"),
        "ad_cost": lambda: _("sum of ad_stats cost (marketing spend)"),
        "organic_share": lambda: _("organic sessions / sessions"),
        "conversion_rate": lambda: _("conversions / sessions"),
        "aov": lambda: _("revenue / orders"),
        "cac": lambda: _("cost / new customers"),
        "roas": lambda: _("revenue / cost (ad-attributed revenue from ad_stats)"),
        "romi": lambda: _("(revenue × gross margin − cost) / cost (ad-attributed revenue; margin from params)"),
    }
    return words[metric]() if metric in words else formula


# The fixed grammar of a forecast model's description (forecast.ModelSpec.label, fit_forecast's notes).
_LABEL = re.compile(
    r"^(?P<model>S?ARIMA\([\d,]+\)(?:\([\d,]+\)\d+)?)(?P<drift> with drift)?(?P<log> on log values)?"
    r"(?: \+ (?P<events>\d+) event regressors?)?(?: \((?P<note>.*)\))?$"
)
_SHORT = re.compile(r"^only (?P<n>\d+) months of history \(< (?P<need>\d+), two seasons\): no seasonal term$")
_NO_TREND = re.compile(r"^under (?P<n>\d+) months: no trend term, level only$")
_LIFT = re.compile(r"^one-off lift fitted \((?P<lifts>.*)\)$")
_LIFT_ONE = re.compile(r"^(?P<name>\S+): (?P<lift>[+-]\d+%) in its (?P<months>\d+) months$")
_LIFT_LEVEL = re.compile(r"^(?P<name>\S+): (?P<lift>[+-][\d,.e+-]+) per month over (?P<months>\d+) months$")
_NOT_SEEN = re.compile(r"^(?P<names>.+?): not distinguishable from no lift \(tested by AICc; (?P<sizes>.*)\)$")
_SIZE = re.compile(r"^(?P<name>\S+): a lift under (?P<size>[\d,.]+%?)(?P<month> a month)? could not have been seen$")
_SIZE_UNKNOWN = re.compile(r"^(?P<name>\S+): the data cannot tell how large a lift would have been seen$")


def _note_words(part: str) -> str:
    if m := _SHORT.match(part):
        return ngettext(
            "only {n} month of history (< {need}, two seasons): no seasonal term",
            "only {n} months of history (< {need}, two seasons): no seasonal term",
            int(m["n"]),
        ).format(n=m["n"], need=m["need"])
    if m := _NO_TREND.match(part):
        return _("under {n} months: no trend term, level only").format(n=m["n"])
    if part == "series has zero or negative values: fitted on the original scale, not log":
        return _("series has zero or negative values: fitted on the original scale, not log")
    if m := _LIFT.match(part):
        lifts = []
        for one in m["lifts"].split(", "):
            if k := _LIFT_ONE.match(one):
                text = ngettext("{name}: {lift} in its {n} month", "{name}: {lift} in its {n} months", int(k["months"]))
            elif k := _LIFT_LEVEL.match(one):
                text = ngettext(
                    "{name}: {lift} per month over {n} month",
                    "{name}: {lift} per month over {n} months",
                    int(k["months"]),
                )
            else:
                return part
            lifts.append(text.format(name=k["name"], lift=localize_formatted(k["lift"]), n=k["months"]))
        return _("one-off lift fitted ({lifts})").format(lifts="; ".join(lifts))
    if m := _NOT_SEEN.match(part):
        sizes = []
        for one in m["sizes"].split(", "):
            if k := _SIZE.match(one):
                text = _("{name}: a lift under {size} a month could not have been seen") if k["month"] else None
                text = text or _("{name}: a lift under {size} could not have been seen")
                size = pct(float(k["size"][:-1]) / 100) if k["size"].endswith("%") else localize(k["size"])
                sizes.append(text.format(name=k["name"], size=size))
            elif k := _SIZE_UNKNOWN.match(one):
                sizes.append(
                    _("{name}: the data cannot tell how large a lift would have been seen").format(name=k["name"])
                )
            else:
                return part
        return _("{names}: not distinguishable from no lift (tested by AICc; {sizes})").format(
            names=m["names"], sizes="; ".join(sizes)
        )
    return part


def _split_notes(note: str) -> list[str]:
    """Notes are joined with '; ', and one of them holds '; ' inside its parentheses."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(note):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and note.startswith("; ", i):
            parts.append(note[start:i])
            start = i + 2
    return [*parts, note[start:]]


def model_words(description: str) -> str:
    """A fitted model's description (as `plan.goals_progress` records it, in English) in the current
    language: 'SARIMA(0,1,1)(0,1,1)12 on log values' -> 'SARIMA(0,1,1)(0,1,1)12 по логарифмам'.
    A description outside the fixed grammar is returned unchanged."""
    m = _LABEL.match(description)
    if m is None:
        return description
    text = m["model"]
    if m["drift"] and m["log"]:
        text = _("{model} with drift on log values").format(model=text)
    elif m["drift"]:
        text = _("{model} with drift").format(model=text)
    elif m["log"]:
        text = _("{model} on log values").format(model=text)
    if m["events"]:
        n = int(m["events"])
        text = ngettext("{model} + {n} event regressor", "{model} + {n} event regressors", n).format(model=text, n=n)
    if m["note"]:
        text += " (" + "; ".join(_note_words(p) for p in _split_notes(m["note"])) + ")"
    return text
