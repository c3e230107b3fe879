"""Headings, explanations, captions and callout titles of the campaign post-mortem, in the current language.

The notebook used to write these in markdown cells and f-strings; a markdown cell cannot follow the
`language` parameter, so each section's heading and prose is one message here (one message per section
keeps them together for the translator), and every caption is a whole sentence with placeholders.
"""

from __future__ import annotations

from typing import Any

from workbench.i18n import _, ngettext, pgettext
from workbench.report.format import currency_symbol, grouped, localize, localize_formatted

__all__ = ["caption", "level_name", "section_markdown", "signed_share", "source_name", "timing_what"]


def section_markdown(section: str) -> str:
    """The heading and explanation of a post-mortem section, as Markdown in the current language."""
    sections = {
        "intro": lambda: _(
            "# Campaign post-mortem\n\n"
            "How the campaign did against its plan: KPIs and their targets, budget pacing per channel, the "
            "funnel, performance by channel, campaign, ad group and creative (with the uncertainty left in), "
            "the return of a response campaign, the A/B test read with honest statistics, which channels "
            "earned the conversions under each attribution model, when the audience responds best, and the "
            "e-mail sends. Each section runs on the inputs it needs; a section whose inputs were not given says "
            "so in one line and stays out of the lessons, the headline and results.json. The lessons at the top "
            "are derived from the numbers further down; every formula is in the KPI glossary at the end."
        ),
        "lessons": lambda: _(
            "## Lessons\n\nWins, losses and recommendations, each derived from a table further down (only from "
            "the sections in this report)."
        ),
        "kpis": lambda: _(
            "## KPIs against plan\n\n"
            "The tiles show the flight's headline numbers; the table sets every KPI against its target from the "
            "plan. *Variance* is actual minus target; *status* is **on plan** within ±1 % of target, **on track** "
            "when better than that (lower is better for costs), **at risk** when worse by less than 10 %, "
            "**off track** beyond. KPIs without a target are shown for reference."
        ),
        "pacing": lambda: _(
            "## Budget pacing\n\n"
            "Planned spend spreads each channel's budget evenly over the flight. The chart shows cumulative "
            "actual spend (solid) against that plan (dashed, same colour); the table gives spend against plan to "
            "date (*pacing* 100 % = exactly on plan) and the spend projected at the flight's end from the last "
            "week's run rate (dotted in the chart while the flight is still running). Channels projected more "
            "than 10 % over or under budget are flagged."
        ),
        "breakdown": lambda: _(
            "## Breakdown by channel, campaign, ad group and creative\n\n"
            "Spend, CTR and conversion rate per click with their Wilson 95 % intervals in brackets (the range "
            "the true rate plausibly lies in), CPA and ROAS. The *flag* marks a leader whose lead may be luck: "
            '"small sample" when it rests on fewer than 100 trials, "unclear" when its interval overlaps the '
            "runner-up's. Below each table with several groups, the leader by CTR is set against the runner-up "
            "with the relative lift and its interval at the report's `alpha`."
        ),
        "funnel": lambda: _(
            "## Funnel\n\n"
            "Impressions → clicks → sessions → engaged sessions (more than one page) → conversions, with the "
            "share kept at each step and the share lost (*drop-off*); the biggest drop-off is the step to work "
            "on. Below, the same counts by channel and by device."
        ),
        "roi": lambda: _(
            "## Response campaign ROI\n\n"
            "From a customer-level response file (one row per contacted customer, a 0/1 response): contacts, "
            "responses and the response rate with its Wilson interval, cost (cost per contact × contacts, or a "
            "cost column), revenue (revenue per response × responses, or a revenue column) and "
            "ROI = (revenue − cost) / cost."
        ),
        "ab": lambda: _(
            "## A/B and multivariate tests\n\n"
            "First the sample-ratio check: if the traffic split differs from the planned one (chi-square, p "
            "below `srm_alpha`), assignment or tracking is broken and the results are not read. Then every "
            "variant against control on each chosen 0/1 metric: the difference with a Newcombe interval, the "
            "relative lift with a delta-method interval (both at the level 1 − `alpha`), revenue per user with "
            "Welch's t-test and a bootstrap interval, p-values adjusted for the several comparisons (the family "
            "is a parameter, `correction_family`, and the sentence below the tables states which was used), the "
            "Bayesian probability to beat control with the *risk* of shipping (the expected loss in rate points "
            "if the variant is in fact worse), and the minimum detectable effect (*MDE*: the smallest lift this "
            "split detects 80 % of the time). The verdict says what the data support: a winner, no effect of "
            "`min_effect` or more (the interval lies inside ±`min_effect`), or inconclusive — and then the size "
            'of a new test, never "run this one longer" (the analysis is fixed-horizon: extending after looking '
            "inflates false winners)."
        ),
        "attribution": lambda: _(
            "## Attribution\n\n"
            "Conversions (and their value) over every channel (paid, organic, e-mail, direct), credited to each "
            "channel under each model (the caption says which journeys count): first touch, last touch, linear, "
            "time decay (a touch's weight halves every `attribution_half_life_days` days before the conversion; "
            "needs touch timestamps, so it is absent when only aggregated paths were given), position-based "
            "(40 % first, 40 % last, 20 % shared by the middle) and two data-driven families. **Markov**: a "
            "channel's credit is proportional to its *removal effect*, the share of conversions the chain loses "
            "without it (computed exactly); the chain's P(conversion) equals the observed conversion rate of the "
            'journeys. **Shapley (equal split per journey)**: with the coalition game "a set of channels earns '
            'the conversions of every journey it contains", the Shapley value is exactly an equal split of each '
            "journey's conversions among its distinct channels, and non-conversions play no part. **Shapley "
            "(conversion rates)**: the same game built on each channel set's conversion rate (non-conversions "
            'included), after Zhao, Mahboobi & Bagheri (2018), "Shapley value methods for attribution modeling '
            'in online advertising"; credits scaled to the total conversions. Where the models disagree, the '
            "channel's role differs: openers gain under first touch, closers under last touch."
        ),
        "timing": lambda: _(
            "## Timing\n\n"
            "Conversion rate of every session in the file (touches when sessions are absent) by weekday and "
            "hour, shrunk as described next (darker = higher; more history than the flight alone makes the slots "
            "steadier). The best times to publish are ranked by a *shrunk* conversion rate: each slot's rate is "
            "pulled towards the overall rate, strongly for slots with few visits and hardly for big ones (an "
            "empirical-Bayes beta-binomial estimate), so a slot that looks good on a handful of visits does not "
            "win; slots smaller than a quarter of the median slot are left out. The table keeps each slot's raw "
            "rate with its 95 % interval and *n*, the visits behind it. The next table ranks each device on its "
            "own. Below, the campaign's daily clicks, with days flagged as anomalies when their robust z-score "
            "(median and MAD) exceeds 3.5."
        ),
        "email": lambda: _(
            "## E-mail\n\n"
            "Per send during the flight (every send in the file when none fall in it): delivery rate (delivered "
            "/ recipients), open, click, unsubscribe and complaint rates (per delivered e-mail), click-to-open "
            "(clicks / opens) and revenue per delivered e-mail. The last row pools every send. Complaint rates "
            "above 0.1 % put deliverability at risk."
        ),
        "glossary": lambda: _(
            "## KPI glossary\n\nHow every KPI above is computed; *better when* sets the direction of the status."
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


def source_name(source: str) -> str:
    """Where conversions or revenue came from (compute_kpis' `sources`), as a caption names it."""
    names = {
        "ad_stats": pgettext("data source", "ad_stats"),
        "sessions": pgettext("data source", "sessions"),
        "orders": pgettext("data source", "orders"),
        "none": pgettext("data source", "none"),
    }
    return names.get(source, source)


def level_name(level: str, case: str = "nominative") -> str:
    """A breakdown level (channel, campaign, ad_group, creative) as a word, in the case a caption needs."""
    names = {
        "nominative": {
            "channel": pgettext("level", "channel"),
            "campaign": pgettext("level", "campaign"),
            "ad_group": pgettext("level", "ad group"),
            "creative": pgettext("level", "creative"),
        },
        "genitive": {
            "channel": pgettext("level, genitive", "channel"),
            "campaign": pgettext("level, genitive", "campaign"),
            "ad_group": pgettext("level, genitive", "ad group"),
            "creative": pgettext("level, genitive", "creative"),
        },
    }
    return names[case].get(level, level.replace("_", " "))


def timing_what(what: str, case: str = "genitive") -> str:
    """'sessions' or 'touches' (scope.timing_source), in the case a sentence needs."""
    names = {
        "genitive": {
            "sessions": pgettext("timing, genitive", "sessions"),
            "touches": pgettext("timing, genitive", "touches"),
        },
        "column": {
            "sessions": pgettext("timing, column", "Sessions"),
            "touches": pgettext("timing, column", "Touches"),
        },
    }
    return names[case].get(what, what)


def caption(name: str, **kw: Any) -> str:
    """Table captions, chart titles, axis labels and callout titles of the post-mortem, by name."""
    cur = currency_symbol(kw.get("currency", ""))
    texts = {
        "wins": lambda: _("Wins"),
        "losses": lambda: _("Losses"),
        "recommendations": lambda: _("Recommendations"),
        "no_wins": lambda: _("No result in this report counts as a win."),
        "no_losses": lambda: _("No result in this report counts as a loss."),
        "no_recommendations": lambda: _("No action stands out from the numbers."),
        "thin": lambda: _("Little data selected"),
        "paths_scope": lambda: _("every path in the paths file (aggregated paths carry no dates)"),
        "in_progress": lambda: _("Flight in progress"),
        "kpis": lambda: _("KPIs against plan (conversions from {conversions}, revenue from {revenue})").format(
            conversions=source_name(kw["sources"]["conversions"]), revenue=source_name(kw["sources"]["revenue"])
        ),
        "pacing": lambda: ngettext(
            "Pacing as of {as_of} ({days} day left; amounts in {currency})",
            "Pacing as of {as_of} ({days} days left; amounts in {currency})",
            kw["days"],
        ).format(as_of=kw["as_of"], days=grouped(kw["days"]), currency=cur),
        "by_level": lambda: _("By {level}").format(level=level_name(kw["level"])),
        "best_by_ctr": lambda: _("Best {level} by CTR").format(level=level_name(kw["level"])),
        "cpa": lambda: _("CPA per channel against plan (furthest above plan first)"),
        "ctr_chart": lambda: _("CTR by channel with 95% Wilson intervals"),
        "funnel": lambda: _("Campaign funnel"),
        "funnel_channel": lambda: _("Funnel by channel"),
        "funnel_device": lambda: _("Funnel by device (sessions onwards)"),
        "roi": lambda: _("ROI"),
        "srm": lambda: _("SRM"),
        "ab_headline": lambda: _("A/B test"),
        "markov_headline": lambda: _("P(conversion), Markov"),
        "variants": lambda: _("Variants (control: {control})").format(control=kw["control"]),
        "revenue": lambda: _("Revenue per user: each variant against {control}").format(control=kw["control"]),
        "verdict": lambda: _("Verdict"),
        "multiple": lambda: _("Multiple comparisons"),
        "attribution": lambda: ngettext(
            "Conversions credited per channel and model ({n} conversion; {scope})",
            "Conversions credited per channel and model ({n} conversions; {scope})",
            kw["n"],
        ).format(n=grouped(kw["n"]), scope=kw["scope"]),
        "attribution_value": lambda: _("Value credited per channel and model ({currency})").format(currency=cur),
        "heatmap_rate": lambda: _("Conversion rate (shrunk) of {what} by weekday and hour").format(
            what=timing_what(kw["what"])
        ),
        "heatmap_volume": lambda: _("Volume of {what} by weekday and hour").format(what=timing_what(kw["what"])),
        "best_by_rate": lambda: _("Best times to publish (by conversion rate)"),
        "best_by_volume": lambda: _("Best times to publish (by volume)"),
        "ranking": lambda: _("How the ranking is made"),
        "best_device": lambda: _("Best slot per device (each device ranked on its own sessions, same shrinkage)"),
        "daily_chart": lambda: _("Daily clicks of the campaign (dashed: median; red: anomalies)"),
        "daily_axis": lambda: _("clicks per day"),
        "no_anomaly": lambda: _("No day's clicks stand out from the rest of the flight (robust z within ±{z})."),
        "anomalies": lambda: _("Anomalous days (robust z beyond ±{z})"),
        "email": lambda: _("E-mail sends: {scope} (rates per delivered e-mail; click-to-open = clicks / opens)").format(
            scope=kw["scope"]
        ),
        "glossary": lambda: _("KPI glossary"),
        "dropped": lambda: _("Rows left out of this report"),
        "dropped_table": lambda: _("Rows left out, by file and problem"),
        "none_dropped": lambda: _("Every row of every input file met its data contract: none was left out."),
    }
    if name not in texts:
        raise ValueError(f"caption must be one of {', '.join(texts)}; got {name!r}")
    text = texts[name]()
    return text.format(z=localize("3.5")) if name in ("no_anomaly", "anomalies") else text


def signed_share(value: float, digits: int = 1) -> str:
    """A signed share with fixed decimals, as the headline shows ROI: '+12.5%' (ru '+12,5 %')."""
    return localize_formatted(f"{value:+.{digits}%}")
