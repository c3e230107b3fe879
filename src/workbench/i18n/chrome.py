"""The words of the report page around a notebook (header, parameters panel, footer, error page)
and of ``reports/index.html``, for the pipeline's templates to use.

``chrome("ru")["parameters"]`` -> ``"Параметры"``. Keys are stable identifiers; values are whole
messages, some with ``{placeholders}`` filled by the template (``chrome(lang)["as_of"]``
holds a number: counted phrases come from ``chrome_plural(lang, "runs", n)`` with the right plural form).
"""

from __future__ import annotations

from workbench import i18n

__all__ = ["CHROME", "chrome", "chrome_plural"]

N_ = i18n.N_
N_plural = i18n.N_plural

#: key -> English message (the message id). Placeholders are filled by the template.
CHROME: dict[str, str] = {
    "report": N_("Report"),
    "contents": N_("Contents"),
    "first_version": N_("This is the first successful version of these params: there is nothing to compare with yet."),
    "nothing_to_compare": N_("No headline numbers to compare with version {version}."),
    "beyond_summary": N_("{beyond} of {total} headline number(s) moved beyond normal variation."),
    "parameters": N_("Parameters"),
    "parameters_count": N_("Parameters ({count})"),
    "version": N_("Version"),
    "versions": N_("Versions"),
    "data_period": N_("Data period"),
    "as_of": N_("{label} as of {date}"),
    "generated": N_("Generated"),
    "status": N_("Status"),
    "status_ok": N_("ok"),
    "status_failed": N_("failed"),
    "duration": N_("Duration"),
    "seconds": N_("{seconds} s"),
    "provenance": N_("Provenance"),
    "notebook": N_("Notebook"),
    "params": N_("Params"),
    "workbench": N_("Workbench"),
    "libraries": N_("Libraries"),
    "inputs": N_("Inputs"),
    "run": N_("Run"),
    "report_failed": N_("Report failed"),
    "run_failed": N_("This run failed in {where} with params {params}:"),
    "failed_in_cell": N_("cell {index}"),
    "kernel_startup": N_("kernel start-up"),
    "partial_notebook": N_("The notebook below is the partial executed notebook, with code shown."),
    "partial_not_rendered": N_("The partial notebook could not be rendered: {error}"),
    "reports": N_("Reports"),
    "latest": N_("Latest"),
    "latest_good_version": N_("latest good version {version}"),
    "no_successful_run": N_("no successful run yet"),
    "all_runs": N_("All runs"),
    "what_changed": N_("What changed since the previous version"),
    "no_change": N_("No headline number changed since the previous version."),
    "previous": N_("Previous"),
    "current": N_("Current"),
    "change": N_("Change"),
    "language": N_("Language"),
    "show_code": N_("Show code"),
    "hide_code": N_("Hide code"),
    # reports/index.html
    "index_title": N_("Marketing Workbench reports"),
    "index_updated": N_("updated {when}"),
    "index_empty": N_("No reports yet: run {command}."),
    "index_report": N_("report {name}"),
    "index_params": N_("params {name}"),
    "index_last_run": N_("last run {when} UTC"),
    "index_last_failed": N_("The last run failed:"),
    "index_last_failed_in_cell": N_("The last run failed in cell {index}:"),
    "index_error_page": N_("error page of {version}"),
    "index_kept_latest": N_("the results below are from the latest good version {version}"),
    "index_no_good_run": N_("there is no successful run yet"),
    "index_beyond": N_("beyond normal variation"),
    "index_all_runs": N_("All runs ({runs}, {failed} failed)"),
    "index_col_version": N_("version"),
    "index_col_status": N_("status"),
    "index_col_date": N_("date (UTC)"),
    "index_col_duration": N_("duration"),
    "index_col_error": N_("error"),
    "index_col_delivered": N_("delivered"),
}

_PLURALS: dict[str, tuple[str, str]] = {
    "runs": N_plural("{n} run", "{n} runs"),
    "failed_runs": N_plural("{n} failed run", "{n} failed runs"),
    "versions": N_plural("{n} version", "{n} versions"),
    "parameters": N_plural("{n} parameter", "{n} parameters"),
    "reports": N_plural("{n} report", "{n} reports"),
}


def chrome(language: str) -> dict[str, str]:
    """Every chrome string translated into `language` ("en" or "ru"), by stable key."""
    with i18n.language(i18n.check_language(language)):
        return {key: i18n.gettext(message) for key, message in CHROME.items()}


def chrome_plural(language: str, key: str, n: int) -> str:
    """A counted chrome phrase with its plural form and the number filled in: ("ru", "runs", 5) -> "5 запусков"."""
    if key not in _PLURALS:
        raise ValueError(f"key must be one of {', '.join(sorted(_PLURALS))}; got {key!r}")
    with i18n.language(i18n.check_language(language)):
        return i18n.ngettext(*_PLURALS[key], n).format(n=n)
