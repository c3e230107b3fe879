"""Headings, explanations, captions and chart words of the monthly report, in the current language.

The sentences of the executive summary are built in `performance.monthly`; this module holds what the
notebook used to write in markdown cells and f-strings, so a Russian report has Russian headings too.
"""

from __future__ import annotations

import pandas as pd

from workbench.i18n import _
from workbench.report.format import date_pattern, pct

__all__ = ["caption", "section_markdown"]


def section_markdown(section: str) -> str:
    """The heading and explanation of a monthly-report section, as Markdown in the current language."""
    sections = {
        "intro": _(
            "# Monthly performance report\n\n"
            "Traffic and results of one month: where visits came from, who they were, how many converted and "
            "what they brought, how the month compares with the one before and with the same month a year "
            "earlier, which sources moved most, when the audience is most responsive, and the campaigns that "
            "ran in the month."
        ),
        "traffic": _(
            "## Traffic by source and medium, device and landing page\n\n"
            "Sessions of the month by where they came from, with each group's share of all sessions, the "
            "orders its sessions converted into (conversion rate = converting sessions / sessions), the "
            "revenue of those orders in RUB, and the change in sessions against the previous month."
        ),
        "visitors": _(
            "## New vs returning visitors\n\n"
            "Visitors identified by a customer id: *new* when their first visit in the data falls in this "
            "month, *returning* when they had visited before. Visits without an id cannot be attributed to a "
            "person and are shown separately."
        ),
        "conversion": _(
            "## Conversion and revenue over time\n\n"
            "The monthly conversion rate (converting sessions / sessions) and revenue in RUB over the whole "
            "history, the report month highlighted. A campaign that buys many visits at once lowers the "
            "conversion rate even when it adds orders: read the two charts together."
        ),
        "changes": _(
            "## Changes against what the season and the trend led us to expect\n\n"
            "Every metric moves every month, and some months always move (a retail January is down on "
            "December), so a change is **flagged only when it is unusual for that metric and that month**. "
            "Each month is compared with its expectation: the same month a year earlier, grown by the "
            "metric's year-over-year change over the 11 months before. A metric is called *unusual* when "
            "its year-over-year change this month falls outside the prediction interval of those 11 "
            "(a t interval): when nothing changed, this happens in `change_alpha` (1 %) of months. A change "
            "inside the interval is *not distinguishable from normal variation*, which is not the same as no "
            "change: the table gives the smallest change the test catches four times out of five with this "
            "much history. The test needs 23 months of history; with less, a change is shown but not tested. "
            "The columns against the previous month "
            "and the same month a year ago describe the move; they are not the test."
        ),
        "movers": _(
            "## Top movers\n\n"
            "The source / medium pairs whose sessions rose or fell most against the previous month (groups "
            "with fewer than 30 sessions in both months are left out)."
        ),
        "best_times": _(
            "## Best time of day and weekday to publish\n\n"
            "Hour × weekday slots of the last months ranked by their conversion rate (converting sessions / "
            "sessions). A slot's raw rate on a few hundred visits is noisy, so slots are ranked by a *shrunk* "
            "rate: each slot's rate is pulled towards the overall rate, strongly when it has few visits and "
            "hardly at all when it has many (an empirical-Bayes estimate), so a slot cannot win by luck. The "
            "table keeps the raw rate with its 95% interval and the number of sessions behind it; slots with "
            "too few sessions are left out. The second table repeats the ranking within each device, with the "
            "device's own average: a publication aimed at desktop readers should follow the desktop rows. A "
            "device whose best slots all sit at 1.00× its average shows no difference between slots beyond "
            "chance. Times are in the data's time zone."
        ),
        "campaigns": _(
            "## Campaigns live in the month\n\n"
            "Ad campaigns with spend or impressions in the month and their KPIs for the month's days "
            "(formulas from the KPI glossary; conversions and revenue as attributed by the ad platforms), "
            "then the e-mail sends of the month."
        ),
        "data_quality": _(
            "## Data quality\n\n"
            "Rows of an input file that break its data contract (a negative cost, a date that is not a date, an "
            "order of an unknown customer …) stop the report, unless the params file opts in with "
            "`drop_invalid_rows`; then they are left out and listed here, so every number above can be read "
            "with that in mind."
        ),
    }
    if section not in sections:
        raise ValueError(f"section must be one of {', '.join(sections)}; got {section!r}")
    return sections[section]


def _period(start: pd.Timestamp, month: pd.Period) -> str:
    return f"{date_pattern(start, 'dd MMM')} – {date_pattern(month.end_time, 'dd MMM y')}"


def caption(name: str, month: pd.Period, window_start: pd.Timestamp | None = None, rate: float = 0.0) -> str:
    """Table captions, chart titles and axis labels of the monthly report, by name."""
    period = _period(window_start, month) if window_start is not None else ""
    month_name = date_pattern(month, "LLLL y")
    texts = {
        "by_source": lambda: _("Sessions by source / medium, {month}").format(month=month_name),
        "sessions_axis": lambda: _("sessions"),
        "source_medium": lambda: _("Source / medium"),
        "device": lambda: _("Device"),
        "landing_page": lambda: _("Landing page"),
        "by_device": lambda: _("Sessions by device"),
        "by_page": lambda: _("Sessions by landing page (top 15)"),
        "visitors": lambda: _("New vs returning visitors"),
        "conversion_chart": lambda: _("Conversion rate by month"),
        "conversion_axis": lambda: _("converting sessions / sessions"),
        "revenue_chart": lambda: _("Revenue by month"),
        "revenue_axis": lambda: _("RUB per month"),
        "changes": lambda: _("Changes in {month} against their expectation").format(month=month_name),
        "movers": lambda: _("Top movers by sessions"),
        "best": lambda: _("Best slots by conversion rate ({period}; all visits average {rate})").format(
            period=period, rate=pct(rate, 2)
        ),
        "best_by_device": lambda: _("Best slots within each device ({period})").format(period=period),
        "busiest": lambda: _("Busiest slots by sessions"),
        "campaigns": lambda: _("Ad campaigns live in {month} (platform-attributed conversions and revenue)").format(
            month=month_name
        ),
        "email": lambda: _("E-mail sends in {month}").format(month=month_name),
    }
    if name not in texts:
        raise ValueError(f"caption must be one of {', '.join(texts)}; got {name!r}")
    return texts[name]()
