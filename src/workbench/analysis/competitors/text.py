"""Every word of the competitor audit in the current language: headings, sentences, labels.

Why here: the analysis modules compute, this module words. Each sentence is one whole message of the
catalogue (`workbench.i18n`), counts go through `ngettext`, numbers through `workbench.report.format`,
so a Russian report reads as Russian and shows the English report's digits. Nothing here imports the
analysis modules (they import this one), so it takes plain numbers and names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from workbench.i18n import _, ngettext, pgettext
from workbench.report.format import grouped, is_missing, localize, pct, ratio

__all__ = [
    "channel_name",
    "check_label",
    "competition_reason",
    "missing",
    "page_issue",
    "price_position",
    "rival_class",
    "section_markdown",
    "top_issue",
]


def channel_name(channel: str) -> str:
    """A scorecard channel as readers name it (nominative): 'paid_search' -> 'paid search' / 'поисковая реклама'."""
    names = {
        "site": pgettext("audit channel", "site"),
        "seo": pgettext("audit channel", "SEO"),
        "social": pgettext("audit channel", "social"),
        "paid_search": pgettext("audit channel", "paid search"),
        "paid_social": pgettext("audit channel", "paid social"),
        "email": pgettext("audit channel", "e-mail"),
        "overall": pgettext("audit channel", "overall"),
    }
    if channel not in names:
        raise ValueError(f"channel must be one of {', '.join(names)}; got {channel!r}")
    return names[channel]


def rival_class(cls: str) -> str:
    """The class of a rival as a table and legend show it ('direct' -> 'прямой')."""
    names = {
        "direct": pgettext("rival class", "direct"),
        "indirect": pgettext("rival class", "indirect"),
        "not a rival": pgettext("rival class", "not a rival"),
        "unknown": pgettext("rival class", "unknown"),
    }
    return names.get(cls, cls)


def price_position(position: Any) -> Any:
    """'premium' / 'budget' / 'mid-market' in the current language; missing stays missing."""
    names = {
        "premium": pgettext("price position", "premium"),
        "budget": pgettext("price position", "budget"),
        "mid-market": pgettext("price position", "mid-market"),
    }
    return names.get(position, position) if isinstance(position, str) else position


def _share(value: Any) -> str:
    return pct(value, empty=_("n/a"))


def overlap_note(part: str, note: Mapping[str, Any]) -> str:
    """One overlap of a rival with us, in words (part: keywords, channels or audience)."""
    share = _share(note["share"])
    if part == "keywords":
        return ngettext(
            "ranks top 20 for {share} of our search demand ({shared} of our {ours} keywords)",
            "ranks top 20 for {share} of our search demand ({shared} of our {ours} keywords)",
            int(note["ours"]),
        ).format(share=share, shared=note["shared"], ours=note["ours"])
    present, ours = note["present"], note["ours"]
    args = {"share": share, "present": present, "ours": ours}
    if part == "channels":
        if not note["sized"]:
            msg = ngettext(
                "is present in {present} of our {ours} paid channels ({share})",
                "is present in {present} of our {ours} paid channels ({share})",
                int(ours),
            )
        elif present == ours:
            msg = ngettext(
                "matches {share} of our paid spend on the same platforms (on all {ours} of our paid channels)",
                "matches {share} of our paid spend on the same platforms (on all {ours} of our paid channels)",
                int(ours),
            )
        else:
            msg = ngettext(
                "matches {share} of our paid spend on the same platforms (present in {present} of our {ours} "
                "paid channels)",
                "matches {share} of our paid spend on the same platforms (present in {present} of our {ours} "
                "paid channels)",
                int(ours),
            )
        return msg.format(**args)
    if not note["sized"]:
        msg = ngettext(
            "is present in {present} of our {ours} social networks ({share})",
            "is present in {present} of our {ours} social networks ({share})",
            int(ours),
        )
    elif present == ours:
        msg = ngettext(
            "matches {share} of our social following on the same platforms (on all {ours} of our social networks)",
            "matches {share} of our social following on the same platforms (on all {ours} of our social networks)",
            int(ours),
        )
    else:
        msg = ngettext(
            "matches {share} of our social following on the same platforms (present in {present} of our {ours} "
            "social networks)",
            "matches {share} of our social following on the same platforms (present in {present} of our {ours} "
            "social networks)",
            int(ours),
        )
    return msg.format(**args)


def competition_reason(cls: str, score: float, notes: Mapping[str, Mapping[str, Any]]) -> str:
    """Why a rival is classified so: its class, its score and each overlap in words."""
    if cls == "unknown" or is_missing(score):
        return _("no keyword, paid-channel or social data to compare")
    details = "; ".join(overlap_note(k, notes[k]) for k in ("keywords", "channels", "audience") if k in notes)
    msg = {
        "direct": _("Direct rival (score {score}): {details}."),
        "indirect": _("Indirect rival (score {score}): {details}."),
        "not a rival": _("Not a rival (score {score}): {details}."),
    }[cls]
    return msg.format(score=ratio(score, 2), details=details)


def versus(channel: str, theirs: float, ours: float) -> str:
    """'site (80 vs our 50)': one channel where a rival and we differ."""
    return _("{channel} ({theirs} vs our {ours})").format(
        channel=channel_name(channel), theirs=grouped(theirs), ours=grouped(ours)
    )


def strengths_sentence(items: Sequence[str], margin: float) -> str:
    """Where a rival beats us, from `versus` items (best first), or that it nowhere leads by `margin`."""
    if items:
        return _("Stronger than us in {channels}.").format(channels=", ".join(items))
    return _("No channel where they lead us by {margin}+ points.").format(margin=grouped(margin))


def weaknesses_sentence(items: Sequence[str], margin: float) -> str:
    """Where a rival trails us, from `versus` items (widest gap first), or that it nowhere trails by `margin`."""
    if items:
        return _("Weaker than us in {channels}.").format(channels=", ".join(items))
    return _("No channel where they trail us by {margin}+ points.").format(margin=grouped(margin))


def check_label(check: str, limits: Mapping[str, int]) -> str:
    """The readable name of an on-page check; `limits` holds the guideline numbers (title_min …)."""
    labels = {
        "title_present": lambda: _("title present"),
        "title_length": lambda: _("title {low}–{high} characters").format(
            low=limits["title_min"], high=limits["title_max"]
        ),
        "description_present": lambda: _("meta description present"),
        "description_length": lambda: _("meta description {low}–{high} characters").format(
            low=limits["description_min"], high=limits["description_max"]
        ),
        "single_h1": lambda: _("exactly one h1"),
        "canonical": lambda: _("canonical link"),
        "lang": lambda: _("lang attribute"),
        "viewport": lambda: _("viewport (mobile)"),
        "structured_data": lambda: _("valid JSON-LD"),
        "image_alt": lambda: _("image alt coverage"),
        "content_length": lambda: _("≥ {words} visible words").format(words=limits["thin_words"]),
        "https": lambda: pgettext("on-page check", "https"),
        "page_weight": lambda: _("HTML ≤ {kib} KiB").format(kib=limits["heavy_kib"]),
    }
    if check not in labels:
        raise ValueError(f"check must be one of {', '.join(labels)}; got {check!r}")
    return labels[check]()


def top_issue(check: Any, fail_share: Any) -> str:
    """The issue that costs a site most: 'title length fails on 40% of pages', or 'none'."""
    if not isinstance(check, str) or not check:
        return pgettext("top issue", "none")
    names = {
        "title_present": _("title present"),
        "title_length": _("title length"),
        "description_present": _("meta description present"),
        "description_length": _("description length"),
        "single_h1": _("single h1"),
        "canonical": _("canonical link"),
        "lang": pgettext("on-page check", "lang"),
        "viewport": pgettext("on-page check", "viewport"),
        "structured_data": _("structured data"),
        "image_alt": _("image alt"),
        "content_length": _("content length"),
        "https": pgettext("on-page check", "https"),
        "page_weight": _("page weight"),
    }
    return _("{check} fails on {share} of pages").format(check=names.get(check, check), share=pct(fail_share))


def page_issue(kind: str, **values: Any) -> str:
    """One finding of the on-page audit of a page, in words (`values` are the measured numbers)."""
    n = int(values.get("n", 0))
    texts = {
        "charset": lambda: _("bytes do not match the declared charset {encoding}").format(**values),
        "not_html": lambda: _("page is empty or not HTML"),
        "no_title": lambda: _("no <title>"),
        "title_length": lambda: ngettext(
            "title is {n} character (guideline {low}–{high})", "title is {n} characters (guideline {low}–{high})", n
        ).format(**values),
        "titles": lambda: ngettext("{n} <title> element", "{n} <title> elements", n).format(**values),
        "no_description": lambda: _("no meta description"),
        "description_length": lambda: ngettext(
            "meta description is {n} character (guideline {low}–{high})",
            "meta description is {n} characters (guideline {low}–{high})",
            n,
        ).format(**values),
        "h1": lambda: ngettext(
            "{n} <h1> element (expected exactly one)", "{n} <h1> elements (expected exactly one)", n
        ).format(**values),
        "no_canonical": lambda: _("no canonical link"),
        "no_lang": lambda: _("no lang attribute on <html>"),
        "no_viewport": lambda: _("no viewport meta tag (not mobile-ready)"),
        "no_jsonld": lambda: _("no JSON-LD structured data"),
        "invalid_jsonld": lambda: ngettext(
            "{invalid} of {n} JSON-LD block is not valid JSON", "{invalid} of {n} JSON-LD blocks are not valid JSON", n
        ).format(**values),
        "alt": lambda: ngettext(
            "{missing} of {n} image lacks alt text", "{missing} of {n} images lack alt text", n
        ).format(**values),
        "thin": lambda: ngettext(
            "thin content: {n} visible word (< {minimum})", "thin content: {n} visible words (< {minimum})", n
        ).format(**values),
        "http": lambda: _("served over plain http"),
        "heavy": lambda: _("heavy HTML: {kib} KiB").format(kib=grouped(values["kib"])),
    }
    if kind not in texts:
        raise ValueError(f"issue must be one of {', '.join(texts)}; got {kind!r}")
    return texts[kind]()


def section_markdown(section: str) -> str:
    """The heading and explanation of a section of the audit, as Markdown in the current language."""
    sections = {
        "intro": _(
            "# Competitor audit\n\n"
            "Who our real rivals are, what strategy each follows, where they beat us and where we beat them "
            "— site, search, social, paid and e-mail — where we should develop, and how to show our "
            "advantage."
        ),
        "summary": _("## Executive summary\n\nThe main findings, each taken from the numbers in the sections below."),
        "rivals": _(
            "## 1. Who is a real rival\n\n"
            "The competition score combines three overlaps with us, each read from our side — how much of "
            "*ours* the competitor contests: the share of our ranking keywords' search volume for which it "
            "ranks in Google's top 20; the share of our estimated paid spend it matches on the same ad "
            "platforms (its spend on each platform counted up to ours); and the share of our social "
            "following it matches on the same networks (its followers counted up to ours per network, a "
            "proxy for a shared audience). A score of 1 would mean it ranks for all our keywords and matches "
            "our spend and following everywhere. Longer bars are closer rivals; the colour gives the class "
            "and the dashed lines the cut-offs. The table below the chart gives the reason for each class in "
            "words."
        ),
        "strategy": _(
            "## 2. What strategy they follow\n\n"
            "**Share of voice** — each brand's share of the estimated organic search clicks (search volume × "
            "click-through rate at its position), of the estimated paid spend and of the social followers of "
            "all listed brands. A brand far above the others in one bar has chosen that channel as its main "
            "route to customers."
        ),
        "channel_mix": _(
            "**Channel mix and cadence** — how each brand splits its estimated paid spend across channels, "
            "how often it posts on social networks and sends e-mails (per 30 days), the share of promotional "
            "e-mails and its price position (premium above 1.1 × the median price index of the set, budget "
            "below 0.9 ×)."
        ),
        "scorecard": _(
            "## 3. Where they are better and worse than us\n\n"
            "Each channel is scored 0–100 against the best brand in this set (100 = best; formulas in "
            "`docs/competitor-audit.md`): **site** from the on-page audit, speed, engagement, "
            "mobile-friendliness and https; **SEO** from organic visibility, top-10 keywords, referring "
            "domains and authority; **social** from followers, posting cadence, engagement and growth; "
            "**paid search** (Google Ads, Yandex Direct) and **paid social** (VK Ads, Meta Ads and other "
            "social platforms) each from estimated spend, active ads and keywords bid on those platforms; "
            "**e-mail** from cadence and personalisation. Grey cells have no data. *Overall* is the weighted "
            "mean of the channels a brand has."
        ),
        "keyword_gap": _(
            "## 4. Where we should develop\n\n"
            "**Keyword gap** — keywords where at least one competitor ranks in the top 10 while we are "
            "absent or below position 20. Priority = monthly search volume × click-through rate at the "
            "competitor's best position × (1 − keyword difficulty); the upside is the extra monthly clicks "
            "we would get by matching that position. Work down the list from the top."
        ),
        "channel_gaps": _(
            "**Channel gaps** — paid channels and social networks where competitors are present and we are "
            "not, or where the leading competitor has at least twice our spend (followers). *Shortfall* is "
            "what matching the leader would take: extra monthly spend, or extra followers. For search ads "
            "the traffic upside is that extra spend divided by the average cost per click of our own "
            "keywords (from the rankings data) — an upper estimate, since clicks get dearer as a budget "
            "grows; social ads and followers have no cost-per-click basis, so no click estimate is given for "
            "them."
        ),
        "positioning": _(
            "## 5. How to show our advantage\n\n"
            "The positioning map places each brand by price index and perceived quality (or, without prices, "
            "by the first two principal components of all perception scores; the axis titles name the "
            "attributes that drive them). Brands close together are seen as alike; empty areas are open "
            "positions. The table lists the perceived attributes where we lead the best rival."
        ),
        "site_audit": _(
            "## 6. Site audit\n\n"
            "An on-page audit of the saved pages of each site: title (present, 30–60 characters), meta "
            "description (present, 70–160), exactly one h1, canonical link, language, viewport, valid "
            "JSON-LD structured data, image alt text, at least 300 visible words, https and HTML weight. "
            "Each page gets a 0–100 score (weights in `docs/competitor-audit.md`); a site's score is the mean "
            "over its pages. The first table names the issue that costs each site most; the second shows, "
            "check by check, the share of each site's pages that pass and what a typical page looks like — "
            "words, internal and external links, HTML size."
        ),
        "method": _(
            "## Method notes\n\n"
            "Estimated clicks use a click-through-rate curve by Google position (default: SISTRIX's 2020 CTR "
            "study for positions 1–4 and 10 — 28.5 %, 15.7 %, 11.0 %, 8.0 %, 2.5 % —, with positions 5–9 "
            "**interpolated, not taken from a study**; 0.063 % per position 11–20 from Backlinko's \"0.63 % "
            'click on page two"; nothing beyond 20), set in the parameters. Competitor figures from '
            "third-party tools (rankings, traffic, ad spend) are estimates: compare brands with each other "
            "rather than reading them as exact numbers. Formulas and weights: `docs/competitor-audit.md`."
        ),
        "data_quality": _(
            "## Data quality\n\n"
            "Rows of an input file that break its data contract (a negative cost, a date that is not a date, "
            "an order of an unknown customer …) stop the report, unless the params file opts in with "
            "`drop_invalid_rows`; then they are left out and listed here, so every number above can be read "
            "with that in mind."
        ),
    }
    if section not in sections:
        raise ValueError(f"section must be one of {', '.join(sections)}; got {section!r}")
    return sections[section]


def missing(name: str) -> tuple[str, str]:
    """(section, reason) for `workbench.report.no_data` when a section's inputs were not given."""
    absent = _("keyword rankings, ads intelligence and social data are all absent")
    texts = {
        "summary": (
            _("the executive summary"),
            _("only the competitor list was given, so there is nothing to compare"),
        ),
        "competition": (_("the competition score"), absent),
        "share_of_voice": (pgettext("section", "share of voice"), absent),
        "channel_mix": (_("the paid channel mix"), _("no ads intelligence file was given")),
        "social_cadence": (_("social posting cadence"), _("no social file was given")),
        "email_cadence": (_("e-mail cadence and promo share"), _("no e-mail intelligence file was given")),
        "cadence": (_("cadence and pricing"), _("social, ads, e-mail and price data are all absent")),
        "scorecard": (_("the scorecard"), _("no channel data (rankings, site, social, ads or e-mail) was given")),
        "keyword_gap": (_("the keyword gap"), _("no keyword rankings file was given")),
        "channel_gaps": (pgettext("section", "channel gaps"), _("neither ads intelligence nor social data was given")),
        "positioning": (_("the positioning map"), _("no brand attributes file was given")),
        "site_audit": (_("the site audit"), _("no folder of saved pages was given")),
        # one scorecard channel without any score
        "site": (_("the site score"), _("neither saved pages nor site metrics were given")),
        "seo": (_("the SEO score"), _("neither keyword rankings nor site metrics were given")),
        "social": (_("the social score"), _("no social file was given")),
        "paid_search": (
            _("the paid search score"),
            _("no search-ad platform in the ads intelligence (or no file)"),
        ),
        "paid_social": (
            _("the paid social score"),
            _("no social-ad platform in the ads intelligence (or no file)"),
        ),
        "email": (_("the e-mail score"), _("no e-mail intelligence file was given")),
    }
    if name not in texts:
        raise ValueError(f"missing section must be one of {', '.join(texts)}; got {name!r}")
    return texts[name]


def leader_part(channel: str, brand: str, score: float, is_us: bool, subject: bool = False) -> str:
    """'SEO — Taiga Sport (87)': the best brand of one channel ('we' / 'us' when it is our brand)."""
    if is_us:
        msg = _("{channel} — we ({score})") if subject else _("{channel} — us ({score})")
        return msg.format(channel=channel_name(channel), score=grouped(score))
    return _("{channel} — {brand} ({score})").format(channel=channel_name(channel), brand=brand, score=grouped(score))


def rivals_finding(direct: int, total: int, brand: str, score: float, overlap: Any) -> str:
    """The first finding: how many rivals are direct and which is closest."""
    if direct:
        return ngettext(
            "{direct} of {total} listed competitors are direct rivals; the closest is {brand} (competition "
            "score {score}, keyword overlap {overlap}).",
            "{direct} of {total} listed competitors are direct rivals; the closest is {brand} (competition "
            "score {score}, keyword overlap {overlap}).",
            direct,
        ).format(direct=direct, total=total, brand=brand, score=ratio(score, 2), overlap=_share(overlap))
    return _("No listed competitor is a direct rival; the closest is {brand} (competition score {score}).").format(
        brand=brand, score=ratio(score, 2)
    )


def leaders_finding(parts: Sequence[str]) -> str:
    """'Channel leaders (scorecard, 100 = best in the set): site — we (100); SEO — … .'"""
    return _("Channel leaders (scorecard, 100 = best in the set): {leaders}.").format(leaders="; ".join(parts))


def standing_finding(
    weakest: str, mine_w: float, leader: str, best_w: float, strongest: str, mine_s: float, best_s: float, behind: bool
) -> str:
    """Our weakest channel against the best rival there, and our strongest (or that even it trails)."""
    text = ""
    if behind:
        text = (
            _(
                "Our weakest channel against the field is {channel}: we score {ours} of 100 while {leader} "
                "scores {theirs}."
            ).format(channel=channel_name(weakest), ours=grouped(mine_w), leader=leader, theirs=grouped(best_w))
            + " "
        )
    if mine_s >= best_s:
        text += _("We lead every listed competitor in {channel} ({ours} vs the best rival's {theirs}).").format(
            channel=channel_name(strongest), ours=grouped(mine_s), theirs=grouped(best_s)
        )
    else:
        text += _(
            "Even our strongest channel, {channel} ({ours}), is {points} points behind the best rival there."
        ).format(channel=channel_name(strongest), ours=grouped(mine_s), points=grouped(best_s - mine_s))
    return text.strip()


def organic_finding(leader: str, leader_share: Any, ours: Any, we_lead: bool) -> str:
    """Who takes the largest organic share of voice, and ours."""
    if we_lead:
        return _("We hold the largest organic share of voice ({share} of the set's estimated organic clicks).").format(
            share=_share(ours)
        )
    return _("{leader} takes {share} of the set's estimated organic clicks, we {ours}.").format(
        leader=leader, share=_share(leader_share), ours=_share(ours)
    )


def gap_finding(count: int, upside: float, keyword: str, volume: float) -> str:
    """How many gap keywords, the clicks matching the best competitor would add, and the top one."""
    return ngettext(
        "{count} keyword ranks in a competitor's top 10 where we are absent or below 20; matching the best "
        "competitor on it would add about {upside} organic clicks a month (top priority: \u201c{keyword}\u201d, "
        "{volume} searches/month).",
        "{count} keywords rank in a competitor's top 10 where we are absent or below 20; matching the best "
        "competitor on them would add about {upside} organic clicks a month (top priority: \u201c{keyword}\u201d, "
        "{volume} searches/month).",
        count,
    ).format(count=grouped(count), upside=grouped(upside), keyword=keyword, volume=grouped(volume))


def attribute_finding(attribute: str, ours: float, best: float, best_brand: str, lead: bool) -> str:
    """Our most distinct perceived strength, or the attribute where we come closest."""
    if lead:
        return _(
            "Our most distinct perceived strength is {attribute}: {ours} against at most {best} for any rival."
        ).format(attribute=attribute, ours=ratio(ours, 1), best=ratio(best, 1))
    return _(
        "No perceived attribute where we beat every rival; closest is {attribute} ({ours} vs {best} for {brand})."
    ).format(attribute=attribute, ours=ratio(ours, 1), best=ratio(best, 1), brand=best_brand)


def clicks_per_month(clicks: float, approx: bool = False) -> str:
    """'1,234 clicks/month' ('≈… clicks/month upside' with `approx`), the count's word in its plural form."""
    n = int(round(clicks))
    if approx:
        return ngettext("≈{clicks} click/month upside", "≈{clicks} clicks/month upside", n).format(clicks=grouped(n))
    return ngettext("{clicks} click/month", "{clicks} clicks/month", n).format(clicks=grouped(n))


def weights_sentence(weights: Mapping[str, float]) -> str:
    """'Weights used for the overall score: site 0.2, SEO 0.3, …'."""
    parts = ", ".join(
        _("{channel} {weight}").format(channel=channel_name(k), weight=_number(v)) for k, v in weights.items()
    )
    return _("Weights used for the overall score: {weights}.").format(weights=parts)


def _number(value: float) -> str:
    return localize(f"{value:g}")


def price_axis() -> str:
    """The x axis of a price × quality positioning map."""
    return _("Price index")


def quality_axis(attribute: str | None) -> str:
    """The y axis of a price × quality map: the attribute read as quality, or the mean of all."""
    if attribute is None:
        return _("Perceived quality (mean of all attributes)")
    return _("Perceived quality ({attribute})").format(attribute=attribute)


def component_axis(number: int, variance: float, drivers: str) -> str:
    """An axis of a PCA positioning map: 'PC1 (62% of variance): +quality, −price'."""
    return _("PC{number} ({share} of variance): {drivers}").format(number=number, share=pct(variance), drivers=drivers)
