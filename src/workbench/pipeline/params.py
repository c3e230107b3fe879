"""Parameters: the notebook's `parameters` cell is the single source of truth.

The cell holds annotated assignments (``start_date: str = "2025-01-01"``). We read it with
`ast` (no kernel, no pandas) into `Param` records, then check a params YAML against them
before any kernel starts: unknown keys (with a did-you-mean), wrong types, missing required
values, input paths that do not exist, dates that are not ISO, reversed date ranges.
"""

from __future__ import annotations

import ast
import datetime as _dt
import difflib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.delivery.options import DELIVERY_KEYS, option_problems
from workbench.engine_url import is_engine_source, parse_source
from workbench.errors import ParamsError, WorkbenchError

#: Keys of a params file that configure the pipeline rather than the notebook.
PIPELINE_KEYS = {
    "_timeout": "execution timeout in seconds (number)",
    "_baseline": "version to compare the headline numbers with (default: the previous successful one)",
    "_renderer": "how the HTML is made: nbconvert (default) or quarto",
    **DELIVERY_KEYS,
}
RENDERER_NAMES = ("nbconvert", "quarto")


def check_option(key: str, value: Any) -> str | None:
    """None when a pipeline key's value is acceptable, else what was expected and found."""
    if key == "_timeout" and (isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0):
        return f"key '{key}': expected a positive number of seconds, found {value!r}"
    if key == "_renderer" and value not in RENDERER_NAMES:
        return f"key '{key}': expected one of {', '.join(RENDERER_NAMES)}, found {value!r}"
    if key == "_baseline":
        from workbench.pipeline.store import check_name

        try:
            check_name("baseline version", value)
        except ParamsError as exc:
            return f"key '{key}': {exc}"
    return None


_SIMPLE = {
    "str": str,
    "int": int,
    "float": float,
    "bool": bool,
    "list": list,
    "dict": dict,
    "List": list,
    "Dict": dict,
    "Any": object,
    "object": object,
}
_MISSING = object()


@dataclass(frozen=True)
class Param:
    """One declared parameter: its name, annotation (as written), base type and default."""

    name: str
    annotation: str
    kind: str  # str, int, float, bool, list, dict or any
    optional: bool = False  # None is allowed
    default: Any = None
    has_default: bool = True
    item_kind: str | None = None  # element type of list[...] (values of dict[..., ...])
    line: int = 0

    @property
    def required(self) -> bool:
        return not self.has_default

    @property
    def is_path(self) -> bool:
        return is_path_name(self.name)


@dataclass
class NotebookParams:
    """The parameters a notebook declares, in cell order."""

    notebook: Path
    params: dict[str, Param] = field(default_factory=dict)
    cell_index: int = 0
    inputs: dict[str, Any] = field(default_factory=dict)  # key -> pipeline.inputs.InputRole

    def defaults(self) -> dict[str, Any]:
        return {n: p.default for n, p in self.params.items() if p.has_default}


def is_path_name(name: str) -> bool:
    """`*_path` names an input file, `*_dir` an input folder (empty string = absent)."""
    return name.endswith("_path") or name.endswith("_dir")


def is_date_name(name: str) -> bool:
    return (
        name.endswith("date")
        or name.endswith("_start")
        or name.endswith("_end")
        or name in ("start", "end")
        or name.endswith("_from")
        or name.endswith("_until")
    )


# --------------------------------------------------------------------------- parsing
def load_notebook_json(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise ParamsError(f"notebook {path} does not exist") from None
    except json.JSONDecodeError as exc:
        raise ParamsError(f"notebook {path} is not valid JSON: {exc}") from None


def cell_source(cell: Mapping[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def find_parameters_cell(nb: Mapping[str, Any]) -> int | None:
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") == "code" and "parameters" in (cell.get("metadata", {}).get("tags") or []):
            return i
    return None


def _annotation_kind(node: ast.expr, where: str) -> tuple[str, bool, str | None]:
    """(kind, optional, item_kind) of an annotation node."""
    if isinstance(node, ast.Constant) and node.value is None:
        return "none", True, None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):  # "str" as a string annotation
        return _annotation_kind(ast.parse(node.value, mode="eval").body, where)
    if isinstance(node, ast.Name) and node.id in _SIMPLE:
        kind = "any" if _SIMPLE[node.id] is object else _SIMPLE[node.id].__name__
        return kind, False, None
    if isinstance(node, ast.Attribute):  # typing.Any, typing.Optional...
        return _annotation_kind(ast.Name(id=node.attr), where)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):  # X | None
        left, right = _annotation_kind(node.left, where), _annotation_kind(node.right, where)
        if left[0] == "none":
            return right[0], True, right[2]
        if right[0] == "none":
            return left[0], True, left[2]
    if isinstance(node, ast.Subscript):
        base = node.value.attr if isinstance(node.value, ast.Attribute) else getattr(node.value, "id", "")
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if base == "Optional" and len(args) == 1:
            kind, _, item = _annotation_kind(args[0], where)
            return kind, True, item
        if base == "Union":
            kinds = [_annotation_kind(a, where) for a in args]
            real = [k for k in kinds if k[0] != "none"]
            if len(real) == 1:
                return real[0][0], len(kinds) > 1, real[0][2]
        if base in ("list", "List", "dict", "Dict"):
            item = _annotation_kind(args[-1], where)[0] if args else None
            return ("list" if base in ("list", "List") else "dict"), False, item
    raise ParamsError(
        f"{where}: unsupported type annotation {ast.unparse(node)!r}; use str, int, float, "
        f"bool, list, dict or Optional[...] of these"
    )


def parse_parameters_source(source: str, where: str = "parameters cell") -> dict[str, Param]:
    """Parse the parameters cell's code into `Param`s (annotated assignments with literal defaults)."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ParamsError(f"{where}: line {exc.lineno}: syntax error: {exc.msg}") from None
    params: dict[str, Param] = {}
    for stmt in tree.body:
        at = f"{where}, line {stmt.lineno}"
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name = stmt.target.id
            kind, optional, item = _annotation_kind(stmt.annotation, f"{at} ({name})")
            if stmt.value is None:
                default, has_default = None, False
            else:
                try:
                    default = ast.literal_eval(stmt.value)
                except ValueError:
                    raise ParamsError(
                        f"{at}: the default of {name!r} must be a literal value (found {ast.unparse(stmt.value)!r})"
                    ) from None
                has_default = True
            params[name] = Param(
                name, ast.unparse(stmt.annotation), kind, optional, default, has_default, item, stmt.lineno
            )
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
            continue  # a docstring-like comment
        else:
            code = ast.unparse(stmt).splitlines()[0]
            raise ParamsError(
                f"{at}: the parameters cell may only hold annotated assignments like "
                f'`name: str = "value"`; found `{code}`'
            )
    return params


def read_notebook_params(notebook: Path) -> NotebookParams:
    """The declared parameters of a notebook file (raises ParamsError when the cell is missing/bad)."""
    notebook = Path(notebook)
    nb = load_notebook_json(notebook)
    index = find_parameters_cell(nb)
    if index is None:
        raise ParamsError(f"notebook {notebook} has no code cell tagged 'parameters'")
    params = parse_parameters_source(cell_source(nb["cells"][index]), f"{notebook} parameters cell")
    from workbench.pipeline.inputs import input_roles

    result = NotebookParams(notebook, params, index, input_roles(nb, list(params)))
    for p in params.values():  # the defaults must satisfy their own annotations
        if p.has_default:
            err = _type_error(p, p.default)
            if err:
                raise ParamsError(f"{notebook} parameters cell, line {p.line}: default of {p.name!r}: {err}")
    return result


# --------------------------------------------------------------------------- validation
def _typename(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _coerce(p: Param, value: Any) -> Any:
    """YAML dates become ISO strings; ints become floats where a float is declared."""
    if isinstance(value, (_dt.date, _dt.datetime)) and p.kind in ("str", "any"):
        return value.isoformat()
    if p.kind == "float" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if p.kind == "list" and isinstance(value, list):
        if p.item_kind == "str":
            return [v.isoformat() if isinstance(v, (_dt.date, _dt.datetime)) else v for v in value]
        if p.item_kind == "float":
            return [float(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in value]
    if p.kind == "dict" and isinstance(value, dict) and p.item_kind == "float":
        return {k: float(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in value.items()}
    return value


def _is_kind(kind: str | None, value: Any) -> bool:
    if kind in (None, "any"):
        return True
    if kind == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, _SIMPLE[kind])


def _type_error(p: Param, value: Any) -> str | None:
    """None when `value` fits the declared type, else a description of the mismatch."""
    if value is None:
        return None if p.optional else f"expected {p.annotation}, found null"
    if not _is_kind(p.kind, value):
        return f"expected {p.annotation}, found {_typename(value)} {value!r}"
    items = value if isinstance(value, list) else value.values() if isinstance(value, dict) else ()
    for item in items:
        if not _is_kind(p.item_kind, item):
            return f"expected {p.annotation}, found an element {item!r} of type {_typename(item)}"
    return None


def _parse_date(value: str) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        try:
            return _dt.datetime.fromisoformat(value).date()
        except ValueError:
            return None


#: Bounds on a params file, checked before anything else reads it: a params file is a few lines of
#: settings, so anything near these limits is a mistake or an attack (a YAML "billion laughs" alias
#: bomb expands 1 KB of text into gigabytes; a 5 MB title would be copied into every page and the index).
MAX_PARAMS_BYTES = 256 * 1024
MAX_PARAMS_VALUES = 20_000  # values after expanding YAML aliases
MAX_STRING_CHARS = 10_000


def _expanded_size(node: Any, top_key: str, memo: dict[int, int], active: set[int], where: str) -> int:
    """How many values `node` stands for once every alias is expanded (shared nodes count each time)."""
    import yaml

    key = id(node)
    if key in memo:
        return memo[key]
    if key in active:
        raise ParamsError(f"{where}: key '{top_key}': a YAML alias refers to itself (a value cannot contain itself)")
    if isinstance(node, yaml.ScalarNode):
        if len(node.value) > MAX_STRING_CHARS:
            raise ParamsError(
                f"{where} line {node.start_mark.line + 1}: key '{top_key}': expected a value of at most "
                f"{MAX_STRING_CHARS:,} characters, found {len(node.value):,}"
            )
        memo[key] = 1
        return 1
    active.add(key)
    children = [c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode) else node.value
    total = 1
    for child in children:
        total += _expanded_size(child, top_key, memo, active, where)
        if total > MAX_PARAMS_VALUES:
            break
    active.discard(key)
    memo[key] = total
    return total


def _check_bounds(root_node: Any, where: str) -> None:
    """Reject alias bombs, self-references and huge strings before any Python object is built."""
    import yaml

    if not isinstance(root_node, yaml.MappingNode):
        return  # the caller reports the wrong type
    memo: dict[int, int] = {}
    total = 0
    for key_node, value_node in root_node.value:
        top_key = str(getattr(key_node, "value", "?"))[:80]
        total += _expanded_size(key_node, top_key, memo, set(), where)
        total += _expanded_size(value_node, top_key, memo, set(), where)
        if total > MAX_PARAMS_VALUES:
            raise ParamsError(
                f"{where} line {value_node.start_mark.line + 1}: key '{top_key}': expected at most "
                f"{MAX_PARAMS_VALUES:,} values in a params file, found more once YAML aliases (*name) are "
                f"expanded; write the values out instead of nesting aliases"
            )


def _read_params_text(path: Path) -> str:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ParamsError(f"params file {path} does not exist") from None
    if size > MAX_PARAMS_BYTES:
        raise ParamsError(
            f"params file {path}: expected at most {MAX_PARAMS_BYTES // 1024} KB of settings, found "
            f"{size:,} bytes (data belongs in an input file named by a *_path parameter)"
        )
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ParamsError(f"params file {path}: expected UTF-8 text, found byte {exc.start:,} undecodable") from None


def load_params_file(path: Path) -> dict[str, Any]:
    """Read a params YAML safely: size, alias expansion and string lengths bounded before construction."""
    import yaml

    path = Path(path)
    text = _read_params_text(path)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_bounds(node, str(path))
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        raise ParamsError(f"{path}:{line} is not valid YAML: {getattr(exc, 'problem', exc)}") from None
    finally:
        loader.dispose()
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParamsError(f"{path}: expected a mapping of parameter names to values, found {_typename(data)}")
    return {str(k): v for k, v in data.items()}


@dataclass
class ValidatedParams:
    """The outcome of validation: what to inject, every effective value, and pipeline options."""

    overrides: dict[str, Any]  # the params file's values, coerced (what papermill injects)
    values: dict[str, Any]  # defaults updated with overrides (shown in the report header)
    options: dict[str, Any]  # pipeline keys such as _timeout
    input_paths: dict[str, str]  # name -> value for non-empty *_path / *_dir parameters


def validate_params(
    declared: NotebookParams,
    raw: Mapping[str, Any],
    source: str | Path = "params",
    resolve_path: Callable[[str], Path] | None = None,
    check_paths: bool = True,
) -> ValidatedParams:
    """Check `raw` params against the declared ones; raise one ParamsError listing every problem."""
    if resolve_path is None:
        from workbench.config import resolve

        resolve_path = resolve
    overrides, options, problems = _check_keys(declared, raw)
    values = {**declared.defaults(), **overrides}
    problems += _check_dates(values)
    problems += _check_language(values)
    problems += _input_value_problems(declared, values)
    input_paths, path_problems = _check_input_paths(values, resolve_path, check_paths)
    problems += path_problems
    if problems:
        raise ParamsError(f"{source}: invalid parameters for {declared.notebook.name}:\n  - " + "\n  - ".join(problems))
    return ValidatedParams(overrides, values, options, input_paths)


def _check_keys(declared: NotebookParams, raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """(overrides, pipeline options, problems): unknown keys, wrong types, missing required values."""
    problems: list[str] = []
    params = declared.params
    overrides: dict[str, Any] = {}
    options: dict[str, Any] = {}
    for key, value in raw.items():
        if key in PIPELINE_KEYS:
            err = check_option(key, value)
            if err:
                problems.append(err)
            problems.extend(f"key '{key}': {p}" for p in option_problems(key, value))
            options[key] = value
            continue
        if key not in params:
            close = difflib.get_close_matches(key, list(params) + list(PIPELINE_KEYS), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            known = ", ".join(params) or "(none)"
            problems.append(f"unknown key '{key}'{hint} (the notebook declares: {known})")
            continue
        p = params[key]
        value = _coerce(p, value)
        err = _type_error(p, value)
        if err:
            problems.append(f"key '{key}': {err}")
            continue
        overrides[key] = value
    for name, p in params.items():
        if p.required and name not in overrides and name not in raw:
            problems.append(f"key '{name}': required ({p.annotation}, no default in the notebook) but missing")
    return overrides, options, problems


#: Report languages with a message catalogue (workbench.i18n); a `language` parameter must be one of them.
LANGUAGES = ("en", "ru")


def _check_language(values: dict[str, Any]) -> list[str]:
    """A report's `language` is one we have words for, caught before any kernel starts."""
    lang = values.get("language")
    if "language" in values and lang not in LANGUAGES:
        close = difflib.get_close_matches(str(lang), LANGUAGES, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return [f"key 'language': expected one of {', '.join(LANGUAGES)}, found {lang!r}{hint}"]
    return []


def _check_dates(values: dict[str, Any]) -> list[str]:
    """ISO dates in date-named keys, and start <= end for each pair of them."""
    problems: list[str] = []
    dates: dict[str, _dt.date] = {}
    for name, value in values.items():
        if is_date_name(name) and isinstance(value, str) and value:
            parsed = _parse_date(value)
            if parsed is None:
                problems.append(f"key '{name}': expected an ISO date like 2025-01-31, found {value!r}")
            else:
                dates[name] = parsed
    for name, start in dates.items():
        for a, b in (("start", "end"), ("_from", "_to"), ("_from", "_until")):
            if a in name:
                other = name.replace(a, b)
                if other in dates and dates[other] < start:
                    problems.append(
                        f"keys '{name}'/'{other}': reversed date range, expected {name} <= {other}, "
                        f"found {start.isoformat()} > {dates[other].isoformat()}"
                    )
    return problems


def _check_input_paths(
    values: dict[str, Any], resolve_path: Callable[[str], Path], check_paths: bool
) -> tuple[dict[str, str], list[str]]:
    """(input paths, problems): every non-empty *_path / *_dir value, and whether it exists."""
    problems: list[str] = []
    input_paths: dict[str, str] = {}
    for name, value in values.items():
        if not is_path_name(name) or not isinstance(value, str) or value.strip() == "":
            continue
        input_paths[name] = value
        if is_engine_source(value):  # a warehouse table: its URL is checked here, the table when it is read
            try:
                parse_source(value, f"key '{name}'")
            except WorkbenchError as exc:
                problems.append(str(exc))
            continue
        if not check_paths:
            continue
        resolved = resolve_path(value)
        if name.endswith("_dir") and not resolved.is_dir():
            what = "a file, not a folder" if resolved.exists() else "nothing there"
            problems.append(f"key '{name}': expected an existing folder, found {what} at {value!r} ({resolved})")
        elif name.endswith("_path") and not resolved.exists():
            problems.append(
                f"key '{name}': expected an existing input file, found nothing at {value!r} "
                f'({resolved}); use "" when this optional input is absent'
            )
    return input_paths, problems


def _input_value_problems(declared: NotebookParams, values: Mapping[str, Any]) -> list[str]:
    """Empty required inputs (with the datasets that can stand in) and `column_renames` naming
    unknown datasets or presets — caught here, before any kernel starts."""
    from workbench.pipeline.inputs import column_renames_problems, empty_input_problems

    problems = empty_input_problems(declared.inputs, values, declared.notebook.stem)
    if "column_renames" in declared.params:
        problems += column_renames_problems(values.get("column_renames"))
    return problems


def notebook_for_params(params_file: Path, root: Path) -> tuple[str, str, Path]:
    """(report, name, notebook) for params/<report>/<name>.yaml."""
    params_file = Path(params_file)
    report, name = params_file.parent.name, params_file.stem
    return report, name, root / "notebooks" / f"{report}.ipynb"


def validate_file(
    params_file: Path, notebook: Path | None = None, root: Path | None = None, **kwargs: Any
) -> tuple[NotebookParams, ValidatedParams]:
    """Read and validate one params file against its notebook (params/<report>/<name>.yaml).

    Names come first: they become folders under reports/, so `...ipynb` or `..yaml` must stop here."""
    from workbench.pipeline.store import check_name

    check_name("params name", Path(params_file).stem, f"params file {params_file}")
    if notebook is None:
        from workbench.config import project_root

        notebook = notebook_for_params(params_file, root or project_root())[2]
        check_name("report", notebook.stem, f"params file {params_file} (its folder names the report)")
        if not notebook.is_file():
            raise ParamsError(
                f"{params_file}: no notebook {notebook} for report '{Path(params_file).parent.name}' "
                f"(params/<report>/<name>.yaml runs notebooks/<report>.ipynb)"
            )
    check_name("report", Path(notebook).stem, f"notebook {notebook}")
    raw = load_params_file(params_file)  # bounded before the notebook is even read
    declared = read_notebook_params(notebook)
    return declared, validate_params(declared, raw, params_file, **kwargs)


def display_path(path: Path) -> str:
    """A path relative to the project root where possible (for messages)."""
    from workbench.config import project_root

    try:
        return os.path.relpath(path, project_root()) if Path(path).is_absolute() else str(path)
    except ValueError:
        return str(path)
