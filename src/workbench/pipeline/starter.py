"""`workbench params new REPORT --data FILE…`: a starter params file from the user's files.

Each file is inspected (workbench.data.inspect), matched to the notebook parameter that takes its
dataset (workbench.pipeline.inputs), and the params file gets: those paths (the report's other
inputs set to "" where optional), the presets and suggested renames, the date range and campaign
found, and the sample-specific plan values emptied, so that it validates and runs as written.
The heavy data modules load inside the functions, keeping the pipeline import light.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import ParamsError
from workbench.pipeline.inputs import STAND_INS
from workbench.pipeline.params import NotebookParams, read_notebook_params

#: Parameters whose notebook defaults describe the sample shop's plan, not the user's: emptied.
PLAN_KEYS = ("targets", "budget_by_channel", "cpa_target_by_channel", "campaign_flights", "goals", "budget")
_RANGE_KEYS = (("start_date", "end_date"), ("date_from", "date_to"))


@dataclass
class Starter:
    values: dict[str, Any]
    notes: list[str] = field(default_factory=list)  # comment lines above the values


def _inspect(files: list[str]) -> list[Any]:
    from workbench.data.inspect import inspect_file

    out = []
    for f in files:
        ins = inspect_file(f)
        if ins.dataset is None or ins.problem:
            raise ParamsError(f"--data {f}: {ins.problem or 'no data contract matches its columns'}")
        out.append(ins)
    return out


def _assign_paths(declared: NotebookParams, found: list[Any], starter: Starter) -> None:
    from workbench.data.inspect import relative_path

    by_dataset: dict[str, Any] = {}
    for ins in found:
        if ins.dataset in by_dataset:
            raise ParamsError(f"--data: two {ins.dataset} files ({by_dataset[ins.dataset].path}, {ins.path}); give one")
        by_dataset[ins.dataset] = ins
    used = set()
    renames: dict[str, dict[str, str]] = {}
    for key, role in declared.inputs.items():
        ins = by_dataset.get(role.dataset)
        if ins is not None:
            starter.values[key] = relative_path(ins.path)
            used.add(role.dataset)
            if ins.column_renames:
                renames[role.dataset] = ins.column_renames
        elif role.required:
            stand = [d for d in STAND_INS.get(role.dataset, ()) if d in by_dataset]
            hint = f" ({', '.join(stand)} can stand in only where the report supports it)" if stand else ""
            raise ParamsError(f"the {declared.notebook.stem} report needs a {role.dataset} file (`{key}`){hint}")
        else:
            starter.values[key] = ""
    unused = [ins.path for ins in found if ins.dataset not in used]
    if unused:
        takes = ", ".join(sorted({r.dataset for r in declared.inputs.values()}))
        raise ParamsError(
            f"the {declared.notebook.stem} report takes no file like {', '.join(unused)} (it takes {takes})"
        )
    if renames and "column_renames" in declared.params:
        starter.values["column_renames"] = renames


def _dates_and_campaign(declared: NotebookParams, found: list[Any], starter: Starter) -> None:
    dated = [ins for ins in found if ins.date_range]
    prefer = next((ins for ins in dated if ins.dataset == "ad_stats"), dated[0] if dated else None)
    if prefer is not None:
        for start, end in _RANGE_KEYS:
            if start in declared.params and end in declared.params:
                starter.values[start], starter.values[end] = prefer.date_range
                starter.notes.append(f"{start}/{end}: the dates in {prefer.path}")
    currencies = sorted({c for ins in found for c in ins.currencies})
    if "currency" in declared.params and len(currencies) == 1:
        starter.values["currency"] = currencies[0]
    if "campaign" in declared.params:
        campaigns = sorted({c for ins in found if ins.dataset == "ad_stats" for c in ins.campaigns})
        starter.values["campaign"] = campaigns[0] if len(campaigns) == 1 else ""
        if len(campaigns) > 1:
            shown = ", ".join(campaigns[:20]) + (" …" if len(campaigns) > 20 else "")
            starter.notes.append(f'campaign: "" takes every campaign; the file holds {shown}')


def starter_params(report: str, files: list[str], notebook: Path) -> Starter:
    """The values of a starter params file for `report` from `files` (raises ParamsError when a
    required input is missing or a file fits none of the report's inputs)."""
    declared = read_notebook_params(notebook)
    found = _inspect(files)
    starter = Starter({"title": f"{declared.params['title'].default}: {Path(files[0]).stem}"})
    if "title" not in declared.params:
        starter.values.pop("title")
    _assign_paths(declared, found, starter)
    _dates_and_campaign(declared, found, starter)
    for key in PLAN_KEYS:
        if key in declared.params and declared.params[key].kind in ("dict", "list"):
            starter.values[key] = {} if declared.params[key].kind == "dict" else []
            starter.notes.append(f"{key}: left empty — fill in your own plan")
    return starter


def render_yaml(report: str, files: list[str], starter: Starter) -> str:
    import yaml

    head = [f"# Starter params for {report}, written by `workbench params new` from: {', '.join(files)}"]
    head += [f"# {n}" for n in starter.notes]
    body = yaml.safe_dump(starter.values, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return "\n".join(head) + "\n" + body
