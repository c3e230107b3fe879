"""One look for every chart: call `apply_theme()` once at the top of a notebook."""

from __future__ import annotations

PALETTE = ["#0969da", "#cf222e", "#1a7f37", "#bf8700", "#8250df", "#1b7c83", "#bc4c00", "#57606a"]
US_COLOR = "#0969da"
THEM_COLOR = "#8c959f"


def apply_theme() -> None:
    """Seaborn whitegrid theme, the workbench palette and PNG output at a readable size."""
    import matplotlib as mpl
    import seaborn as sns

    sns.set_theme(
        style="whitegrid",
        palette=PALETTE,
        rc={
            "figure.figsize": (9, 4.5),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.titleweight": "bold",
            "axes.titlesize": 13,
            "axes.spines.top": False,
            "axes.spines.right": False,
        },
    )
    mpl.rcParams["figure.constrained_layout.use"] = True
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    if shell is not None:
        shell.run_line_magic("config", "InlineBackend.figure_formats = ['png']")
        _show_each_figure_once(shell)


def _png_and_close(fig) -> bytes:
    """Render a displayed figure and close it in pyplot, so the inline backend does not show it
    a second time at the end of the cell (charts are returned *and* displayed in notebooks)."""
    import matplotlib.pyplot as plt
    from IPython.core.pylabtools import print_figure

    data = print_figure(fig, fmt="png", bbox_inches="tight")
    plt.close(fig)
    return data


def _show_each_figure_once(shell) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    # The inline backend registers its own PNG formatter when it loads, on the first figure:
    # load it now so that ours, registered after it, is the one that stays.
    plt.close(plt.figure())

    shell.display_formatter.formatters["image/png"].for_type(Figure, _png_and_close)
