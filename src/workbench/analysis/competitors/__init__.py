"""Competitors: who the rivals are, channel scorecard, SEO and on-page audit, positioning, the audit's summary.

`build_audit` computes every section once (``audit.py``); `views` turns it into tiles, a headline and
readable tables. The question-by-question modules (``rivals``, ``scorecard``, ``seo``, ``onpage``,
``positioning``, ``summary``) are imported by name: their function names read best qualified.
"""

from workbench.analysis.competitors import views
from workbench.analysis.competitors.audit import CompetitorAudit, build_audit

__all__ = ["CompetitorAudit", "build_audit", "views"]
