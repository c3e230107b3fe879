"""What counts as an English word left in a Russian report, and the two-language runs the end-to-end
Russian report tests compare (same params, `language: en` and `language: ru`)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

#: Words a Russian report may show in Latin letters: brand, channel and product names, metric
#: abbreviations, currency codes and the one term of art the glossary keeps in English (adstock).
ALLOWED = {
    # brands and channels
    "yandex", "direct", "vk", "ads", "telegram", "google", "meta", "mytarget", "tiktok", "youtube", "ok",
    "dzen", "instagram", "facebook", "linkedin", "kedr",
    # metrics and statistics
    "roas", "mape", "nrmse", "ctr", "cpc", "cpa", "cpm", "romi", "kpi", "ltv", "mmm", "seo", "cr",
    "roi",
    # units and currency codes
    "rub", "usd", "eur",
    # glossary terms of art
    "adstock",
    # HTML names an on-page audit checks, and the sources of its CTR curve (competitor audit)
    "html", "http", "https", "json", "ld", "alt", "title", "lang", "viewport", "sistrix", "backlinko",
    # forecast models and their tests (marketing plan): ARIMA notation, AIC, X-13ARIMA-SEATS; CAC as in the catalogue
    "arima", "sarima", "aic", "aicc", "seats", "cac",
    # content report: text-mining tools and methods, the ad editors' names, the import files' formats
    "stl", "tf", "idf", "pymorphy", "snowball", "commander", "editor", "tsv", "csv",
    # customer reports: RFM scores, model and data-set names, cited authors, an optimiser
    "crm", "rfm", "fm", "clv", "bg", "nbd", "gamma", "cdnow", "bfgs", "fader", "hardie", "lee", "colombo", "jiang",
}  # fmt: skip


def english_words(text: str) -> list[str]:
    """Latin-letter words of `text` outside the allowlist (single letters such as R in R² are symbols)."""
    return sorted({w for w in re.findall(r"[A-Za-z]{2,}", text) if w.lower() not in ALLOWED})


@pytest.fixture
def find_english() -> Callable[[str], list[str]]:
    return english_words


def russian_params(path: Path) -> dict[str, Any]:
    """A Russian params file, checked to be one: the two-language runs take every value from it."""
    params = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert params["language"] == "ru", f"{path}: language is {params.get('language')!r}, expected 'ru'"
    return params


def execute_report(project_root: Path, notebook: str, out: Path, params: dict[str, Any]) -> Any:
    """Run `notebooks/<notebook>.ipynb` in a real kernel with `params`, as the pipeline does; the executed notebook."""
    import nbformat
    import papermill as pm

    pm.execute_notebook(
        str(project_root / "notebooks" / f"{notebook}.ipynb"),
        str(out),
        parameters=params,
        kernel_name="python3",
        cwd=str(project_root),
        progress_bar=False,
        log_output=False,
    )
    return nbformat.read(out, as_version=4)


@pytest.fixture(scope="session")
def english_and_russian(project_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., dict[str, Any]]:
    """Factory: run one report twice with the same params, `language: en` then `language: ru`; the executed
    notebooks by language. Every Russian report test compares such a pair: language changes words, never numbers."""

    def run(notebook: str, params: dict[str, Any]) -> dict[str, Any]:
        tmp = tmp_path_factory.mktemp(f"{notebook}_i18n")
        return {
            lang: execute_report(project_root, notebook, tmp / f"{lang}.ipynb", params | {"language": lang})
            for lang in ("en", "ru")
        }

    return run


def visible_text(nb: Any) -> str:
    """The text a reader sees in the report body: nbconvert HTML without code, scripts, styles and code
    spans (parameter names and file paths are identifiers, not words)."""
    import lxml.html
    from nbconvert import HTMLExporter

    from workbench.pipeline.render import strip_results

    body, _ = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True).from_notebook_node(
        strip_results(nb)
    )
    doc = lxml.html.document_fromstring(body)
    for node in doc.xpath("//script|//style|//code|//title|//a[contains(@class, 'anchor-link')]"):
        node.drop_tree()
    return re.sub(r"[ \t\r\n]+", " ", " ".join(doc.body.itertext()))  # no-break spaces stay


def numeric_leaves(value: Any, path: str = "") -> dict[str, float]:
    """Every number in a results tree by its path (strings, such as formatted headline values, left out)."""
    if isinstance(value, bool):
        return {}
    if isinstance(value, (int, float)):
        return {path: float(value)}
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in numeric_leaves(item, f"{path}/{key}").items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value) for k, v in numeric_leaves(item, f"{path}[{i}]").items()}
    return {}


def numbers_outside_headline(results: Any) -> dict[str, float]:
    """The numeric leaves of results.json but the headline's: the index shows the headline in the report's
    language, so its keys are words; every other number keeps its key in both languages."""
    return {k: v for k, v in numeric_leaves(results).items() if not k.startswith("/headline/")}


def number_differences(en: dict[str, float], ru: dict[str, float]) -> dict[str, tuple[float | None, float | None]]:
    """Numbers the two runs disagree on, by path: missing from one run, or unequal beyond rounding noise
    (NaN equals NaN: an undefined figure is undefined in both languages)."""

    def same(a: float | None, b: float | None) -> bool:
        if a is None or b is None:
            return False
        return math.isclose(a, b, rel_tol=1e-9) or (math.isnan(a) and math.isnan(b))

    return {k: (en.get(k), ru.get(k)) for k in sorted(set(en) | set(ru)) if not same(en.get(k), ru.get(k))}
