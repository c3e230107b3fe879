"""Report helpers for notebooks: display headline numbers and record them for results.json.

They display and record; they never compute statistics (that is `workbench.analysis`).
"""

from workbench.report.display import HTMLBlock, callout, css, findings, kpi_tiles, no_data, table
from workbench.report.results import RESULTS_MIMETYPE, collect_results, data_period, record, recorded, to_jsonable

__all__ = [
    "HTMLBlock",
    "RESULTS_MIMETYPE",
    "callout",
    "collect_results",
    "css",
    "data_period",
    "findings",
    "kpi_tiles",
    "no_data",
    "record",
    "recorded",
    "table",
    "to_jsonable",
]
