"""Repository hygiene the pipeline relies on: committed notebooks are clean and declare their
parameters; every params file validates against its notebook; pip and conda list the same packages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from workbench.pipeline.params import read_notebook_params, validate_file

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(FIXTURES.glob("*.ipynb"))
PARAMS = sorted([*(ROOT / "params").glob("*/*.yaml"), *(ROOT / "params").glob("*/*.yml")])


def _ids(paths):
    return [p.relative_to(ROOT).as_posix() for p in paths]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_committed_without_outputs(notebook):
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    dirty = [
        i
        for i, c in enumerate(nb["cells"])
        if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count") is not None)
    ]
    assert dirty == [], f"{notebook.name}: cells {dirty} carry outputs or execution counts; clear them"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_declares_parameters(notebook):
    declared = read_notebook_params(notebook)  # raises with file and line when the cell is missing or bad
    assert declared.params, f"{notebook.name}: the parameters cell declares nothing"
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    first_code = next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code")
    assert declared.cell_index == first_code, f"{notebook.name}: the parameters cell must be the first code cell"


@pytest.mark.parametrize(
    "notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=_ids(sorted((ROOT / "notebooks").glob("*.ipynb")))
)
def test_every_report_has_a_params_file(notebook):
    assert list((ROOT / "params" / notebook.stem).glob("*.y*ml")), (
        f"notebooks/{notebook.name} has no params/{notebook.stem}/<name>.yaml that runs on the sample data"
    )


@pytest.mark.parametrize("params_file", PARAMS, ids=_ids(PARAMS))
def test_params_file_validates_against_its_notebook(params_file, sample_data):
    """Keys, types and dates; input paths under data/sample/ are checked against freshly generated
    sample data (a fresh clone has none until `make reports`), other paths against the project."""

    def resolve(value: str) -> Path:
        if value.startswith("data/sample/"):
            return sample_data / value[len("data/sample/") :]
        return ROOT / value

    validate_file(params_file, root=ROOT, resolve_path=resolve)


def _names(lines):
    return {
        re.split(r"[<>=!~ \[]", line.strip().strip('"').strip("',"), maxsplit=1)[0].lower().replace("_", "-")
        for line in lines
        if line.strip()
    }


def test_environment_yml_and_pyproject_list_the_same_packages():
    import tomllib
    import yaml

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip = _names(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        pip |= _names(extra)
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = _names(d for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip")))
    conda_pip = [d for d in env["dependencies"] if isinstance(d, dict)]
    conda |= _names(x for d in conda_pip for x in d.get("pip", []) if not x.startswith("-"))
    assert pip - conda == set(), f"in pyproject.toml but not environment.yml: {sorted(pip - conda)}"
    assert conda - pip == set(), f"in environment.yml but not pyproject.toml: {sorted(conda - pip)}"
