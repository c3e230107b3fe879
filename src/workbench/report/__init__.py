"""Report helpers for notebooks: display headline numbers and record them for results.json.

They display and record; they never compute statistics (that is `workbench.analysis`).
"""

from workbench.report.display import HTMLBlock, callout, css, findings, kpi_tiles, no_data, table
from workbench.report.results import (
    RESULTS_MIMETYPE,
    collect_results,
    data_period,
    headline_number,
    record,
    recorded,
    to_jsonable,
)
from workbench.report.sections import SectionNeeds, not_in_report, requires, skipped_sections

__all__ = [
    "HTMLBlock",
    "RESULTS_MIMETYPE",
    "SectionNeeds",
    "callout",
    "collect_results",
    "css",
    "data_period",
    "findings",
    "headline_number",
    "kpi_tiles",
    "no_data",
    "not_in_report",
    "record",
    "recorded",
    "requires",
    "skipped_sections",
    "table",
    "to_jsonable",
]
