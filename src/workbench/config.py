"""Where things live. Every path the workbench uses is derived here, once.

Relative paths in params files are relative to the project root, not to the notebook's
folder, so a notebook behaves the same under papermill and in JupyterLab.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    """The project root: $WORKBENCH_ROOT, else the nearest parent of the cwd with notebooks/ and
    params/, else the checkout this package was installed from (editable install)."""
    env = os.environ.get("WORKBENCH_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / "pyproject.toml").is_file() and (candidate / "notebooks").is_dir():
            return candidate
    return _PACKAGE_DIR.parents[1]


def resolve(path: str | os.PathLike[str]) -> Path:
    """Resolve a user-given path: absolute stays, relative is taken from the project root."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else project_root() / p


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def params_dir() -> Path:
    return project_root() / "params"


def reports_dir() -> Path:
    return Path(os.environ.get("WORKBENCH_REPORTS_DIR") or project_root() / "reports")


def data_dir() -> Path:
    return project_root() / "data"


def sample_data_dir() -> Path:
    return data_dir() / "sample"


#: Environment setting for the language of reports/index.html's own words ("en" or "ru").
INDEX_LANGUAGE_ENV = "WORKBENCH_INDEX_LANGUAGE"


def index_language(language: str | None = None) -> str:
    """The language of the index's own words: `language`, else $WORKBENCH_INDEX_LANGUAGE, else English.
    Each entry's title and headline stay as its report wrote them, so one index can list both."""
    from workbench.i18n import check_language

    if language is not None:
        return check_language(language, "index language")
    env = os.environ.get(INDEX_LANGUAGE_ENV, "").strip()
    return check_language(env, f"${INDEX_LANGUAGE_ENV}") if env else "en"
