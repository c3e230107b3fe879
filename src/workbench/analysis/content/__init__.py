"""Content, search-demand trends and keyword research: the analysis behind notebooks/content_trends.ipynb."""
