"""Campaigns: KPIs against plan, breakdowns, pacing, funnels, experiments and their verdicts, e-mail,
response-campaign ROI, what each input contributes (scope), lessons, attribution."""

from workbench.analysis.campaigns.breakdown import breakdown, breakdown_view, compare_leader, rate_with_interval
from workbench.analysis.campaigns.email import email_metrics
from workbench.analysis.campaigns.experiments import CORRECTION_FAMILIES, analyse_experiment, explain_experiment
from workbench.analysis.campaigns.funnels import funnel_by, funnel_table
from workbench.analysis.campaigns.kpis import (
    channel_cpa_vs_plan,
    compute_kpis,
    format_kpi,
    glossary_frame,
    kpi_view,
    kpis_vs_plan,
)
from workbench.analysis.campaigns.lessons import derive_lessons
from workbench.analysis.campaigns.pacing import pacing_daily, pacing_summary
from workbench.analysis.campaigns.roi import response_roi, roi_sentence
from workbench.analysis.campaigns.verdicts import srm_sentence

__all__ = [
    "CORRECTION_FAMILIES",
    "analyse_experiment",
    "breakdown",
    "breakdown_view",
    "channel_cpa_vs_plan",
    "compare_leader",
    "compute_kpis",
    "derive_lessons",
    "email_metrics",
    "explain_experiment",
    "format_kpi",
    "funnel_by",
    "funnel_table",
    "glossary_frame",
    "kpi_view",
    "kpis_vs_plan",
    "pacing_daily",
    "pacing_summary",
    "rate_with_interval",
    "response_roi",
    "roi_sentence",
    "srm_sentence",
]
