"""Every sentence and label the budget-planning report states, built from the analysis results,
in the current language (`workbench.i18n`).

Whole sentences with placeholders (never joined fragments), numbers through `workbench.report.format`,
channel names through `channel_name`. The outcome ("revenue" or "orders") enters a sentence as a
word in the case the sentence needs: ``{outcome}`` (nominative) or ``{outcome_gen}`` (genitive; the
same word in English), so a Russian sentence reads "48,7 млн ₽ выручки".
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from workbench.analysis.campaigns.views import model_label
from workbench.i18n import _, ngettext, pgettext
from workbench.report.format import currency_symbol, interval, join_list, money, pct, ratio, signed_pct

__all__ = [
    "allocation_sentence",
    "attribution_caption",
    "attribution_caveat",
    "attribution_sentences",
    "attribution_verdict",
    "channel_name",
    "component_name",
    "contribution_sentence",
    "fit_sentence",
    "holdout_sentence",
    "identification_sentences",
    "marginal_sentences",
    "no_warning_sentence",
    "outcome_words",
    "parameter_name",
    "plan_sentence",
    "section_markdown",
    "stability_sentences",
    "warning_sentence",
]

#: Brand names, the same in every language.
_BRANDS = {
    "yandex_direct": "Yandex Direct",
    "vk_ads": "VK Ads",
    "telegram_ads": "Telegram Ads",
    "google_ads": "Google Ads",
    "meta_ads": "Meta Ads",
}


def channel_name(code: str) -> str:
    """'vk_ads' -> 'VK Ads', 'tv' -> 'TV' / 'ТВ'; unknown codes lose their underscores and take a capital."""
    code = str(code)
    generic = {
        "online_video": pgettext("channel", "Online video"),
        "tv": pgettext("channel", "TV"),
        "outdoor": pgettext("channel", "Outdoor"),
        # channels without spend that touchpoints carry (attribution comparison)
        "organic_search": pgettext("channel", "Organic search"),
        "direct": pgettext("channel", "Direct visits"),
        "referral": pgettext("channel", "Referral"),
        "social": pgettext("channel", "Social"),
        "email": pgettext("channel", "E-mail"),
    }
    return _BRANDS.get(code) or generic.get(code) or code.replace("_", " ").capitalize()


def component_name(code: str) -> str:
    """A row of the decomposition: the baseline parts by name, channels through `channel_name`."""
    groups = {
        "base": _("Base (level and trend)"),
        "seasonality": _("Seasonality"),
        "holidays": _("Public holidays"),
        "controls": _("Other controls"),
    }
    return groups.get(code) or channel_name(code)


def parameter_name(code: str) -> str:
    """A model parameter as a table header: 'half_saturation' -> 'half saturation' / 'точка насыщения'."""
    names = {
        "decay": pgettext("model parameter", "decay"),
        "weibull_shape": pgettext("model parameter", "weibull shape"),
        "weibull_scale": pgettext("model parameter", "weibull scale"),
        "hill_shape": pgettext("model parameter", "hill shape"),
        "half_saturation": pgettext("model parameter", "half saturation"),
        "max_effect": pgettext("model parameter", "max effect"),
    }
    return names.get(code) or code.replace("_", " ")


def outcome_words(outcome: str, currency: str) -> dict[str, str]:
    """Placeholders naming the outcome and the unit of money: outcome, outcome_gen, unit."""
    nominative = {"revenue": pgettext("outcome", "revenue"), "orders": pgettext("outcome", "orders")}
    genitive = {"revenue": pgettext("outcome, genitive", "revenue"), "orders": pgettext("outcome, genitive", "orders")}
    return {
        "outcome": nominative.get(outcome, outcome),
        "outcome_gen": genitive.get(outcome, outcome),
        "unit": currency_symbol(currency) if currency else pgettext("money", "unit"),
    }


def _amount_unit(outcome: str, currency: str) -> str:
    """The currency an amount of outcome is counted in: money for revenue, none for orders."""
    return currency if outcome == "revenue" else ""


def contribution_sentence(summary: pd.DataFrame, weeks: int, outcome: str, currency: str, level: float) -> str:
    """How much of the outcome media drove, and the channel with the highest ROAS."""
    ch = summary[summary["kind"] == "channel"]
    total = ch["contribution"].sum()
    share = total / (summary["contribution"].sum() or 1)
    best = ch.sort_values("roas", ascending=False).iloc[0]
    message = ngettext(
        "Over {weeks} week the channels drove {amount} of {outcome_gen} ({share} of the total); the highest "
        "return was {channel} with {roas} {outcome_gen} per {unit} spent ({level} interval {interval}).",
        "Over {weeks} weeks the channels drove {amount} of {outcome_gen} ({share} of the total); the highest "
        "return was {channel} with {roas} {outcome_gen} per {unit} spent ({level} interval {interval}).",
        weeks,
    )
    return message.format(
        weeks=weeks,
        amount=money(total, _amount_unit(outcome, currency)),
        share=pct(share),
        channel=channel_name(best["component"]),
        roas=ratio(best["roas"]),
        level=pct(level),
        interval=interval(ratio(best["roas_lower"]), ratio(best["roas_upper"])),
        **outcome_words(outcome, currency),
    )


def marginal_sentences(table: pd.DataFrame, outcome: str, currency: str) -> list[str]:
    """Channels whose next unit of money returns clearly less, or clearly more, than it costs
    (judged on the interval of the marginal ROAS, so an unclear channel gets no sentence)."""
    out = []
    for _i, r in table.iterrows():
        values = {
            "channel": channel_name(r["channel"]),
            "roas": ratio(r["marginal_roas"]),
            "interval": interval(ratio(r["marginal_lower"]), ratio(r["marginal_upper"])),
            **outcome_words(outcome, currency),
        }
        if r["marginal_upper"] < 1:
            out.append(
                _(
                    "{channel}: the next {unit} returns {roas} of {outcome_gen} (interval {interval}), less than it "
                    "costs: spend there is past the point of paying back."
                ).format(**values)
            )
        elif r["marginal_lower"] > 1:
            out.append(
                _(
                    "{channel}: the next {unit} returns {roas} of {outcome_gen} (interval {interval}): room to spend "
                    "more."
                ).format(**values)
            )
    return out


def holdout_sentence(summary: Mapping, outcome: str) -> str:
    """The out-of-time check in words, with the verdict on the interval coverage."""
    cov, level, weeks = summary["coverage"], summary["level"], int(summary["periods"])
    values = {
        "weeks": weeks,
        "mape": pct(summary["mape"], 1),
        "coverage": pct(cov),
        "level": pct(level),
        **outcome_words(outcome, ""),
    }
    if cov >= level - 0.15:
        message = ngettext(
            "On the last {weeks} week, which the model did not see, its forecast of {outcome_gen} was off by "
            "{mape} on average (MAPE); {coverage} of those weeks fell inside the {level} prediction interval, "
            "as intended.",
            "On the last {weeks} weeks, which the model did not see, its forecast of {outcome_gen} was off by "
            "{mape} on average (MAPE); {coverage} of those weeks fell inside the {level} prediction interval, "
            "as intended.",
            weeks,
        )
    else:
        message = ngettext(
            "On the last {weeks} week, which the model did not see, its forecast of {outcome_gen} was off by "
            "{mape} on average (MAPE); {coverage} of those weeks fell inside the {level} prediction interval, "
            "fewer than intended: read the intervals in this report as too narrow.",
            "On the last {weeks} weeks, which the model did not see, its forecast of {outcome_gen} was off by "
            "{mape} on average (MAPE); {coverage} of those weeks fell inside the {level} prediction interval, "
            "fewer than intended: read the intervals in this report as too narrow.",
            weeks,
        )
    return message.format(**values)


def warning_sentence(w: Mapping) -> str:
    """One data problem in plain words: collinear, flat or rare spend."""
    names = [channel_name(c) for c in w["channels"]]
    if w["kind"] == "collinear":
        return _(
            "Spend on {first} and {second} moves together (correlation {value}): the model cannot reliably tell "
            "their effects apart; vary one of them on its own for a few weeks to separate them."
        ).format(first=names[0], second=names[1], value=ratio(w["value"]))
    if w["kind"] == "flat":
        return _(
            "Spend on {channel} hardly varies (weeks differ by {value} on average): its response curve is an "
            "extrapolation beyond the little range the data shows."
        ).format(channel=names[0], value=pct(w["value"]))
    if w["kind"] == "rare":
        return _("{channel} had spend in only {value} of the weeks: too few to estimate its effect well.").format(
            channel=names[0], value=pct(w["value"])
        )
    raise ValueError(f"warning kind must be one of collinear, flat, rare; got {w['kind']!r}")


def stability_sentences(stability: pd.DataFrame, level: float) -> list[str]:
    """Channels whose carry-over or saturation moves a lot across refits."""
    labels = {
        "decay": _("carry-over (decay)"),
        "half_saturation": _("saturation point"),
        "max_effect": _("effect size"),
    }
    out = []
    # a saturation point the data cannot identify gets its own sentence (identification_sentences)
    shown = stability["unstable"] & stability["parameter"].isin(labels)
    if "identified" in stability:
        shown &= stability["identified"]
    for ch, rows in stability[shown].groupby("channel"):
        names = [labels[p] for p in rows["parameter"]]
        message = ngettext(
            "{channel}: the {parameters} changes a lot across refits on resampled data ({level} interval wider "
            "than the estimate itself): treat its response curve as a rough guide.",
            "{channel}: the {parameters} change a lot across refits on resampled data ({level} interval wider "
            "than the estimate itself): treat its response curve as a rough guide.",
            len(names),
        )
        out.append(message.format(channel=channel_name(ch), parameters=join_list(names), level=pct(level)))
    return out


def identification_sentences(stability: pd.DataFrame, level: float, currency: str) -> list[str]:
    """Channels whose half-saturation point the data cannot place, with the range consistent with it."""
    if "identified" not in stability:
        return []
    rows = stability[(stability["parameter"] == "half_saturation") & ~stability["identified"]]
    message = _(
        "{channel}: the saturation point is not identified: spend never varied enough to show where the response "
        "curve bends, so any half-saturation point from {lower} to {upper} per week is consistent with the data "
        "({level} range). Its response curve and marginal return away from the current spend are guesses; test a "
        "spend change before moving much budget on them."
    )
    return [
        message.format(
            channel=channel_name(r["channel"]),
            lower=money(r["lower"], currency),
            upper=money(r["upper"], currency),
            level=pct(level),
        )
        for _i, r in rows.iterrows()
    ]


def allocation_sentence(summary: Mapping, outcome: str, currency: str) -> str:
    """The recommended split against the current one for the same budget."""
    unit = _amount_unit(outcome, currency)
    lo, hi = summary["uplift_interval"]
    weeks = int(summary["periods"])
    message = ngettext(
        "Splitting the budget of {budget} over {weeks} week as recommended is expected to bring {optimal} of "
        "media-driven {outcome_gen} against {current} with the current split: {change} ({uplift}, {level} "
        "interval {interval}).",
        "Splitting the budget of {budget} over {weeks} weeks as recommended is expected to bring {optimal} of "
        "media-driven {outcome_gen} against {current} with the current split: {change} ({uplift}, {level} "
        "interval {interval}).",
        weeks,
    )
    text = message.format(
        budget=money(summary["budget"], currency),
        weeks=weeks,
        optimal=money(summary["outcome_optimal"], unit),
        current=money(summary["outcome_current"], unit),
        change=signed_pct(summary["uplift_share"]),
        uplift=money(summary["uplift"], unit),
        level=pct(summary["level"]),
        interval=interval(money(lo, unit), money(hi, unit)),
        **outcome_words(outcome, currency),
    )
    if lo > 0:
        return text
    # two whole sentences, each translated on its own
    return " ".join([text, _("The interval includes no gain, so the current split is not clearly worse.")])


def plan_sentence(year: str, summary: Mapping, outcome: str, currency: str) -> str:
    """One year of a multi-year plan."""
    unit = _amount_unit(outcome, currency)
    lo, hi = summary["outcome_optimal_interval"]
    return _(
        "{year}: a budget of {budget} split as recommended is expected to bring {optimal} of media-driven "
        "{outcome_gen} ({interval}), {change} against the current split of the same budget."
    ).format(
        year=year,
        budget=money(summary["budget"], currency),
        optimal=money(summary["outcome_optimal"], unit),
        interval=interval(money(lo, unit), money(hi, unit)),
        change=signed_pct(summary["uplift_share"]),
        **outcome_words(outcome, currency),
    )


def fit_sentence(r2: float, mape: float, nrmse: float, draws: int, block: int) -> str:
    """In-sample fit and how the intervals were made (two sentences, each a whole message)."""
    fit = _(
        "In the weeks it was fitted on, the model explains {r2} of the week-to-week variation (R²), with a mean "
        "absolute error of {mape} (NRMSE {nrmse})."
    ).format(r2=pct(r2), mape=pct(mape, 1), nrmse=pct(nrmse, 1))
    how = ngettext(
        "Intervals come from {draws} refit on data resampled in blocks of {block} weeks.",
        "Intervals come from {draws} refits on data resampled in blocks of {block} weeks.",
        draws,
    ).format(draws=draws, block=block)
    return " ".join([fit, how])


def no_warning_sentence() -> str:
    """What the report says when no data problem was found."""
    return _(
        "No channel pair moves together beyond the threshold, every channel's spend varies enough, and refits "
        "agree on every channel's carry-over, saturation point and effect size."
    )


def section_markdown(section: str, outcome: str = "revenue") -> str:
    """The heading and explanation of a report section, as Markdown in the current language.

    The notebook shows these through `workbench.report.markdown` instead of markdown cells, so that a
    Russian report has Russian headings too (a markdown cell cannot change with the `language` param)."""
    sections = {
        "intro": _(
            "# Budget planning: what each channel caused, and where the next budget should go\n\n"
            "A media-mix model explains the weekly outcome by a base level with its trend, yearly seasonality, "
            "public holidays and each channel's spend. A week's spend acts over the following weeks (*adstock*, "
            "carry-over) and with diminishing returns (*Hill saturation*). Intervals come from refitting the "
            "model on block-bootstrapped data; the method and its limits are in `docs/budget-planning.md`."
        ),
        "contributions": _(
            "## 1. What each channel contributed\n\n"
            "The outcome of every week split into its parts. *ROAS* is the channel's contribution over the whole "
            "period per unit of its spend; *marginal ROAS* is what the next unit of money returns at the current "
            "spend (the mean of the last weeks set by `current_weeks`) — below 1 the next unit does not pay for "
            "itself, even where the average ROAS is high."
        ),
        "model_quality": _(
            "## 2. How good the model is\n\n"
            "The model is refitted without the last weeks (`holdout_weeks`) and asked to forecast them from the "
            "actual spend; the error on weeks it never saw, and how many of them fall inside the prediction "
            "interval, say how far the numbers above can be trusted. The parameter table shows each channel's "
            "carry-over and saturation with their spread across refits (⚠ where the data cannot pin a parameter "
            "down)."
        ),
        "attribution": _(
            "### Attribution compared with the model\n\n"
            "Over the model's weeks, the share of {outcome_gen} each attribution model credits to a channel (from "
            "`touchpoints_path`) against the channel's share in the model with its interval. Outside the interval, "
            "attribution over- or under-credits the channel; inside it, the two agree."
        ),
        "allocation": _(
            "## 3. Where the next budget should go\n\n"
            "The budget is split to maximise the expected media-driven outcome on the fitted response curves, each "
            "channel kept within its bounds (multiples of its current share, `channel_bounds`, `default_bounds`); "
            "the current split of the same budget is the comparison. Intervals of the outcome and of the uplift "
            "come from the bootstrap refits."
        ),
        "data_quality": _(
            "## Data quality\n\n"
            "Rows of an input file that break its data contract stop the report, unless the params file opts in "
            "with `drop_invalid_rows`; then they are left out and listed here."
        ),
    }
    if section not in sections:
        raise ValueError(f"section must be one of {', '.join(sections)}; got {section!r}")
    return sections[section].replace("{outcome_gen}", outcome_words(outcome, "")["outcome_gen"])


def decomposition_title(outcome: str) -> str:
    """Title of the weekly decomposition chart."""
    return _("Weekly {outcome}: base, seasonality, holidays and channels").format(**outcome_words(outcome, ""))


def contributions_caption(weeks: int, level: float) -> str:
    """Caption of the contributions table."""
    return ngettext(
        "Contributions over {weeks} week with {level} intervals",
        "Contributions over {weeks} weeks with {level} intervals",
        weeks,
    ).format(weeks=weeks, level=pct(level))


def parameters_caption(level: float) -> str:
    """Caption of the model-parameters table."""
    return _("Model parameters ({level} intervals)").format(level=pct(level))


def holdout_title(weeks: int) -> str:
    """Title of the out-of-time check chart."""
    return ngettext("Out-of-time check: last {weeks} week", "Out-of-time check: last {weeks} weeks", weeks).format(
        weeks=weeks
    )


def allocation_caption(weeks: int) -> str:
    """Caption of the allocation table."""
    return ngettext("Budget over {weeks} week by channel", "Budget over {weeks} weeks by channel", weeks).format(
        weeks=weeks
    )


def headline(summary: pd.DataFrame, uplift: Mapping, holdout: Mapping | None, currency: str) -> dict[str, str]:
    """The KPI tiles (label -> formatted value), also recorded as the report's headline for the index."""
    media = summary[summary["kind"] == "channel"]
    best = media.sort_values("roas").iloc[-1]
    out = {
        _("Media-driven share"): pct(media["share"].sum()),
        _("Best ROAS"): f"{channel_name(best['component'])} {ratio(best['roas'])}",
        _("Expected uplift"): money(uplift["uplift"], currency),
    }
    if holdout:
        out[_("Holdout MAPE")] = pct(holdout["mape"], 1)
    return out


def attribution_verdict(verdict: str) -> str:
    """A verdict of `attribution_check.compare_with_mmm` as the table shows it."""
    names = {
        "over": pgettext("attribution verdict", "attribution over-credits"),
        "under": pgettext("attribution verdict", "attribution under-credits"),
        "agrees": pgettext("attribution verdict", "agrees"),
        "attribution_only": pgettext("attribution verdict", "in attribution only"),
        "mmm_only": pgettext("attribution verdict", "in the model only"),
    }
    if verdict not in names:
        raise ValueError(f"verdict must be one of {', '.join(names)}; got {verdict!r}")
    return names[verdict]


def attribution_sentences(comparison: pd.DataFrame, outcome: str, level: float) -> list[str]:
    """One sentence per channel and attribution model that over- or under-credits it, then the
    channels only one source knows."""
    out = []
    for _i, r in comparison[comparison["verdict"].isin(["over", "under"])].iterrows():
        values = {
            "channel": channel_name(r["channel"]),
            "model": model_label(r["model"]),
            "attribution": pct(r["attribution_share"], 1),
            "mmm": pct(r["mmm_share"], 1),
            "level": pct(level),
            "interval": interval(pct(r["mmm_lower"], 1), pct(r["mmm_upper"], 1)),
            **outcome_words(outcome, ""),
        }
        if r["verdict"] == "over":
            message = _(
                "{channel}: attribution ({model}) credits it with {attribution} of {outcome_gen}, more than the "
                "model's {mmm} ({level} interval {interval}): attribution over-credits it."
            )
        else:
            message = _(
                "{channel}: attribution ({model}) credits it with {attribution} of {outcome_gen}, less than the "
                "model's {mmm} ({level} interval {interval}): attribution under-credits it."
            )
        out.append(message.format(**values))
    only = comparison.drop_duplicates("channel")
    mmm_only = [channel_name(c) for c in only.loc[only["verdict"] == "mmm_only", "channel"]]
    attr_only = [channel_name(c) for c in only.loc[only["verdict"] == "attribution_only", "channel"]]
    if mmm_only:
        out.append(
            ngettext(
                "{channels} has spend in the model but no tracked touch in attribution, so attribution gives it "
                "nothing.",
                "{channels} have spend in the model but no tracked touch in attribution, so attribution gives them "
                "nothing.",
                len(mmm_only),
            ).format(channels=join_list(mmm_only))
        )
    if attr_only:
        out.append(
            ngettext(
                "{channels} is credited by attribution but has no spend in the model, where it is part of the base.",
                "{channels} are credited by attribution but have no spend in the model, where they are part of the "
                "base.",
                len(attr_only),
            ).format(channels=join_list(attr_only))
        )
    return out


def attribution_caveat() -> str:
    """Why the two disagree even when both are right."""
    return _(
        "Attribution sees only tracked clicks on the way to a tracked purchase; the model sees all sales, whatever "
        "led to them. Channels people watch rather than click (TV, outdoor, online video) are therefore expected "
        "to be under-credited by attribution, and channels that close purchases already decided elsewhere (search, "
        "retargeting) over-credited."
    )


def attribution_caption(level: float) -> str:
    """Caption of the attribution-versus-model table."""
    return _("Share of the outcome per channel: attribution against the model ({level} interval)").format(
        level=pct(level)
    )
