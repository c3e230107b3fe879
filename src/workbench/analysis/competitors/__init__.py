"""Competitors: who the rivals are, channel scorecard, SEO and on-page audit, positioning, the audit's summary.

Notebooks import the modules themselves (``from workbench.analysis.competitors import rivals, scorecard``):
each answers one question of the audit and their function names read best qualified.
"""
