"""Parsing the `parameters` cell and validating params files against it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from workbench.errors import ParamsError
from workbench.pipeline.params import (
    NotebookParams,
    load_params_file,
    parse_parameters_source,
    read_notebook_params,
    validate_params,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"

SOURCE = """
title: str = "Report"
orders_path: str = "data/orders.csv"   # input
social_path: str = ""                  # optional input
pages_dir: str = "data/pages"
start_date: str = "2025-01-01"
end_date: str = "2025-01-31"
pre_start: str = "2024-12-01"
pre_end: str = "2024-12-31"
alpha: float = 0.05
k: int = 3
verbose: bool = False
channels: list[str] = ["seo", "email"]
weights: dict[str, float] = {"seo": 0.5, "email": 0.5}
note: Optional[str] = None
maybe: int | None = None
budget: float
"""


@pytest.fixture
def declared(tmp_path: Path) -> NotebookParams:
    (tmp_path / "data" / "pages").mkdir(parents=True)
    (tmp_path / "data" / "orders.csv").write_text("order_id\n1\n")
    return NotebookParams(Path("report.ipynb"), parse_parameters_source(SOURCE))


def check(declared: NotebookParams, raw: dict, root: Path):
    return validate_params(declared, raw, "params/x/y.yaml", resolve_path=lambda p: root / p)


def test_parse_annotations_and_defaults(declared):
    p = declared.params
    assert list(p)[:3] == ["title", "orders_path", "social_path"]
    assert (p["alpha"].kind, p["alpha"].default) == ("float", 0.05)
    assert (p["channels"].kind, p["channels"].item_kind, p["channels"].default) == ("list", "str", ["seo", "email"])
    assert (p["weights"].kind, p["weights"].item_kind) == ("dict", "float")
    assert p["note"].optional and p["note"].kind == "str"
    assert p["maybe"].optional and p["maybe"].kind == "int"
    assert p["budget"].required and not p["title"].required


@pytest.mark.parametrize(
    "source, fragment",
    [
        ("x = 1", "annotated assignments"),
        ("import os", "annotated assignments"),
        ("x: str = os.getcwd()", "must be a literal"),
        ("x: set = {1}", "unsupported type annotation"),
        ("x: str = ", "syntax error"),
    ],
)
def test_parse_rejects_what_the_pipeline_cannot_read(source, fragment):
    with pytest.raises(ParamsError, match=fragment):
        parse_parameters_source(source)


def test_read_fixture_notebook():
    declared = read_notebook_params(FIXTURES / "tiny.ipynb")
    assert declared.cell_index == 1
    assert declared.defaults()["numbers_path"] == "data/numbers.csv"


def test_default_must_fit_annotation(tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell('k: int = "three"', metadata={"tags": ["parameters"]})])
    nbformat.write(nb, tmp_path / "bad.ipynb")
    with pytest.raises(ParamsError, match=r"default of 'k': expected int, found str"):
        read_notebook_params(tmp_path / "bad.ipynb")


def test_valid_params_coerced(declared, tmp_path):
    v = check(
        declared,
        {
            "alpha": 1,
            "start_date": dt.date(2025, 1, 2),
            "budget": 100,
            "social_path": "",
            "weights": {"seo": 1, "email": 0},
        },
        tmp_path,
    )
    assert v.overrides["alpha"] == 1.0 and isinstance(v.overrides["alpha"], float)
    assert v.overrides["start_date"] == "2025-01-02"
    assert v.overrides["budget"] == 100.0
    assert v.values["title"] == "Report"  # defaults filled in for the header
    assert v.input_paths == {"orders_path": "data/orders.csv", "pages_dir": "data/pages"}  # "" = absent


def test_unknown_key_did_you_mean(declared, tmp_path):
    with pytest.raises(ParamsError) as exc:
        check(declared, {"budget": 1, "aplha": 0.1}, tmp_path)
    msg = str(exc.value)
    assert "params/x/y.yaml" in msg and "unknown key 'aplha'" in msg and "did you mean 'alpha'" in msg


@pytest.mark.parametrize(
    "raw, fragment",
    [
        ({"k": 2.5}, "key 'k': expected int, found float 2.5"),
        ({"k": True}, "key 'k': expected int, found bool True"),
        ({"alpha": "0.1"}, "key 'alpha': expected float, found str '0.1'"),
        ({"verbose": "yes"}, "key 'verbose': expected bool, found str"),
        ({"channels": "seo"}, "key 'channels': expected list[str], found str"),
        ({"channels": ["seo", 3]}, "an element 3 of type int"),
        ({"title": None}, "key 'title': expected str, found null"),
    ],
)
def test_wrong_types(declared, tmp_path, raw, fragment):
    with pytest.raises(ParamsError, match=None) as exc:
        check(declared, {"budget": 1, **raw}, tmp_path)
    assert fragment in str(exc.value)


def test_optional_accepts_null(declared, tmp_path):
    assert check(declared, {"budget": 1, "note": None, "maybe": None}, tmp_path).values["note"] is None


def test_missing_required(declared, tmp_path):
    with pytest.raises(ParamsError, match="key 'budget': required"):
        check(declared, {}, tmp_path)


def test_missing_input_path_and_dir(declared, tmp_path):
    with pytest.raises(ParamsError) as exc:
        check(declared, {"budget": 1, "orders_path": "data/nope.csv", "pages_dir": "data/orders.csv"}, tmp_path)
    msg = str(exc.value)
    assert "key 'orders_path': expected an existing input file, found nothing at 'data/nope.csv'" in msg
    assert "key 'pages_dir': expected an existing folder, found a file" in msg


def test_paths_can_be_left_unchecked(declared, tmp_path):
    """Validation without the data present (hygiene checks on a fresh clone)."""
    v = validate_params(declared, {"budget": 1, "orders_path": "x.csv"}, "p", check_paths=False)
    assert v.input_paths["orders_path"] == "x.csv"


@pytest.mark.parametrize(
    "raw, fragment",
    [
        ({"start_date": "2025-02-01", "end_date": "2025-01-01"}, "'start_date'/'end_date': reversed date range"),
        ({"pre_start": "2025-01-01"}, "'pre_start'/'pre_end': reversed date range"),
        ({"end_date": "31/01/2025"}, "key 'end_date': expected an ISO date like 2025-01-31, found '31/01/2025'"),
    ],
)
def test_dates(declared, tmp_path, raw, fragment):
    with pytest.raises(ParamsError) as exc:
        check(declared, {"budget": 1, **raw}, tmp_path)
    assert fragment in str(exc.value)


def test_equal_dates_and_datetimes_are_fine(declared, tmp_path):
    v = check(declared, {"budget": 1, "start_date": "2025-01-05", "end_date": "2025-01-05T10:00:00"}, tmp_path)
    assert v.values["end_date"] == "2025-01-05T10:00:00"


def test_pipeline_timeout_key(declared, tmp_path):
    assert check(declared, {"budget": 1, "_timeout": 30}, tmp_path).options == {"_timeout": 30}
    with pytest.raises(ParamsError, match="'_timeout': expected a positive number"):
        check(declared, {"budget": 1, "_timeout": "soon"}, tmp_path)


def test_every_problem_reported_at_once(declared, tmp_path):
    with pytest.raises(ParamsError) as exc:
        check(declared, {"k": "x", "zzz": 1}, tmp_path)
    assert str(exc.value).count("\n  - ") == 3  # wrong type, unknown key, missing budget


def test_load_params_file_errors(tmp_path):
    (tmp_path / "list.yaml").write_text("- a\n- b\n")
    (tmp_path / "broken.yaml").write_text("a: [1, 2\n")
    (tmp_path / "empty.yaml").write_text("")
    with pytest.raises(ParamsError, match="expected a mapping"):
        load_params_file(tmp_path / "list.yaml")
    with pytest.raises(ParamsError, match="broken.yaml: line"):
        load_params_file(tmp_path / "broken.yaml")
    assert load_params_file(tmp_path / "empty.yaml") == {}
