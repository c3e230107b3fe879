"""Charts: one theme, data in, matplotlib Figure out. Charts never read files."""

from workbench.viz.theme import PALETTE, THEM_COLOR, US_COLOR, apply_theme

__all__ = ["PALETTE", "THEM_COLOR", "US_COLOR", "apply_theme"]
