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
