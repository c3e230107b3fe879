"""Customers: features, segmentation, RFM, customer value, sizing, audience portraits and personas."""

from workbench.analysis.customers.affinity import AFFINITY_FORMATS, affinity_record, affinity_view, labelled
from workbench.analysis.customers.audience import choose_audience
from workbench.analysis.customers.features import build_customer_features, feature_summary, groups_used, select_features
from workbench.analysis.customers.persona import affinity_finding, persona_for
from workbench.analysis.customers.portrait import best_times_view, build_portrait, purchases_view, usage_view
from workbench.analysis.customers.rfm import rfm_group_rules, rfm_group_summary, score_rfm
from workbench.analysis.customers.segmentation import segment_customers
from workbench.analysis.customers.segmentation_summary import (
    feature_groups_sentence,
    holdout_note,
    segmentation_findings,
)

__all__ = [
    "AFFINITY_FORMATS",
    "affinity_finding",
    "affinity_record",
    "affinity_view",
    "best_times_view",
    "build_customer_features",
    "build_portrait",
    "choose_audience",
    "feature_groups_sentence",
    "feature_summary",
    "groups_used",
    "holdout_note",
    "labelled",
    "persona_for",
    "purchases_view",
    "rfm_group_rules",
    "rfm_group_summary",
    "score_rfm",
    "segment_customers",
    "segmentation_findings",
    "select_features",
    "usage_view",
]
