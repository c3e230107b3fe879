"""The `workbench` command: run, build, list and validate reports; inspect data files and write
starter params from them; generate sample data.

Imports stay light at module level (no pandas, papermill or nbconvert), so `--help`,
validation and no-op builds answer fast; heavy modules load inside the commands that need them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench import __version__
from workbench.errors import BuildError, ParamsError, WorkbenchError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _positive(kind: type):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a positive {kind.__name__}, got {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"expected a positive {kind.__name__}, got {text!r}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Run parameterised marketing notebooks into versioned, self-contained HTML reports.",
        epilog="params/<report>/<name>.yaml runs notebooks/<report>.ipynb; reports land in "
        "reports/<report>/<name>/<version>/ and reports/index.html.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--force", action="store_true", help="run even when the cached version is up to date")
        p.add_argument("--show-code", action="store_true", help="keep code cells in the HTML (hidden by default)")
        p.add_argument(
            "--timeout",
            type=_positive(float),
            metavar="S",
            help="seconds a whole run may take before it fails; overrides the params file's "
            "_timeout (default: _timeout, else 1800)",
        )
        p.add_argument("-q", "--quiet", action="store_true", help="no progress output")

    p = sub.add_parser(
        "run",
        help="run one notebook with one params file",
        description="Run one notebook with one params file and publish a new version.",
    )
    p.add_argument("notebook", metavar="NOTEBOOK_OR_REPORT", help="notebooks/<report>.ipynb path or report name")
    p.add_argument("params", metavar="PARAMS.yaml", help="params file (YAML mapping of parameter names to values)")
    common(p)

    p = sub.add_parser(
        "build",
        help="build every report under params/ (or those matching patterns)",
        description="Validate every params file, then run those whose inputs changed.",
    )
    p.add_argument(
        "patterns",
        nargs="*",
        metavar="PATTERN",
        help="glob on report, report/name or path (e.g. 'campaign*'); default: all params files",
    )
    p.add_argument("-j", "--jobs", type=_positive(int), metavar="N", help="parallel runs (default: number of cores)")
    common(p)

    p = sub.add_parser("list", help="list reports and their versions with status")
    p.add_argument("report", nargs="?", metavar="REPORT", help="only this report (glob allowed)")

    p = sub.add_parser("validate", help="check params files against their notebooks without running them")
    p.add_argument("params", nargs="*", metavar="PARAMS", help="params files (default: every file under params/)")

    p = sub.add_parser("index", help="rebuild reports/index.html from the published versions")

    p = sub.add_parser(
        "inspect",
        help="say what data files are: encoding, preset, contract, columns, rows, dates, reports they feed",
        description="Read files as a report would and print, per file: encoding, delimiter, lines skipped, "
        "the platform preset and data contract detected, the column mapping, rows, date range and which "
        "report inputs it can feed.",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--as", dest="dataset", metavar="DATASET", help="read as this dataset (shows rename hints)")

    p = sub.add_parser("params", help="params files")
    psub = p.add_subparsers(dest="params_command", metavar="ACTION")
    psub.required = True
    s = psub.add_parser(
        "new",
        help="write a starter params file from your data files",
        description="Write a starter params file for REPORT from data files (paths, presets, renames, "
        "date range, campaign), then validate it.",
    )
    s.add_argument("report", metavar="REPORT", help="report name, e.g. campaign_postmortem")
    s.add_argument("--data", nargs="+", required=True, metavar="FILE", help="your data files")
    s.add_argument("-o", "--output", metavar="PATH", help="params file to write (default: params/REPORT/<file>.yaml)")
    s.add_argument("--force", action="store_true", help="overwrite an existing params file")

    p = sub.add_parser("data", help="sample data")
    dsub = p.add_subparsers(dest="data_command", metavar="ACTION")
    dsub.required = True
    s = dsub.add_parser("sample", help="generate the built-in sample data")
    s.add_argument("--out", default=None, metavar="DIR", help="output folder (default: data/sample)")
    s.add_argument("--scale", type=_positive(float), default=1.0, metavar="N", help="size multiplier (default 1.0)")
    s.add_argument("--seed", type=int, default=42, metavar="S", help="random seed (default 42)")
    return parser


def cmd_run(args: argparse.Namespace) -> int:
    from workbench.pipeline.build import run_one

    run_one(
        args.notebook, args.params, force=args.force, show_code=args.show_code, timeout=args.timeout, quiet=args.quiet
    )
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from workbench.pipeline.build import build

    build(
        args.patterns or None,
        n_jobs=args.jobs,
        force=args.force,
        show_code=args.show_code,
        timeout=args.timeout,
        quiet=args.quiet,
    )
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    import fnmatch

    from workbench.config import reports_dir
    from workbench.pipeline.index import collect

    root = reports_dir()
    groups = [g for g in collect(root) if not args.report or fnmatch.fnmatch(g["report"], args.report)]
    if not groups:
        print(f"no reports under {root}" + (f" matching {args.report!r}" if args.report else ""))
        return EXIT_OK
    for g in groups:
        latest = g["latest"]["version"] if g["latest"] else "none"
        print(f"{g['report']}/{g['name']}  (latest: {latest})")
        for run in g["runs"]:
            fail = ""
            if run.get("status") != "ok" and run.get("failure"):
                fail = f"  {run['failure'].get('message', '')}"
            print(
                f"  {run['version']}  {run.get('status', '?'):6}  {str(run.get('started_at', ''))[:19]}  "
                f"{run.get('duration_s') or 0:6.1f}s{fail}"
            )
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from workbench.config import project_root
    from workbench.pipeline.build import discover
    from workbench.pipeline.params import validate_file

    root = project_root()
    files = [Path(p) for p in args.params] if args.params else discover(root)
    bad = 0
    for f in files:
        try:
            validate_file(f, root=root)
            print(f"ok       {f}")
        except ParamsError as exc:
            bad += 1
            print(f"INVALID  {exc}", file=sys.stderr)
    print(f"{len(files) - bad} valid, {bad} invalid", file=sys.stderr)
    return EXIT_BAD_INPUT if bad else EXIT_OK


def cmd_index(args: argparse.Namespace) -> int:
    from workbench.config import reports_dir
    from workbench.pipeline import store
    from workbench.pipeline.index import write_index

    root = reports_dir()
    with store.locked(root):
        path = write_index(root)
    print(path)
    return EXIT_OK


def _feeds() -> dict[str, list[str]]:
    """dataset -> ["report (`key`, required)", ...] from every notebook's declared inputs."""
    from workbench.config import notebooks_dir
    from workbench.pipeline.params import read_notebook_params

    out: dict[str, list[str]] = {}
    for nb in sorted(notebooks_dir().glob("*.ipynb")):
        try:
            declared = read_notebook_params(nb)
        except ParamsError:
            continue
        for key, role in declared.inputs.items():
            out.setdefault(role.dataset, []).append(f"{nb.stem} (`{key}`{', required' if role.required else ''})")
    return out


def cmd_inspect(args: argparse.Namespace) -> int:
    from workbench.data.contracts import CONTRACTS
    from workbench.data.inspect import describe_text, inspect_file

    if args.dataset and args.dataset not in CONTRACTS:
        raise ParamsError(f"--as: unknown dataset {args.dataset!r}; datasets are {', '.join(CONTRACTS)}")
    feeds = _feeds()
    bad = 0
    for i, f in enumerate(args.files):
        ins = inspect_file(f, dataset=args.dataset)
        bad += bool(ins.problem)
        print(("\n" if i else "") + describe_text(ins, feeds.get(ins.dataset or "", [])))
    return EXIT_BAD_INPUT if bad else EXIT_OK


def cmd_params(args: argparse.Namespace) -> int:
    import re

    from workbench.config import notebooks_dir, params_dir, resolve
    from workbench.pipeline.params import validate_file
    from workbench.pipeline.starter import render_yaml, starter_params

    notebook = notebooks_dir() / f"{args.report}.ipynb"
    if not notebook.is_file():
        known = ", ".join(p.stem for p in sorted(notebooks_dir().glob("*.ipynb")))
        raise ParamsError(f"unknown report {args.report!r}; reports are {known}")
    stem = re.sub(r"[^a-z0-9]+", "_", Path(args.data[0]).stem.lower()).strip("_") or "my_data"
    out = resolve(args.output) if args.output else params_dir() / args.report / f"{stem}.yaml"
    if out.exists() and not args.force:
        raise ParamsError(f"{args.output or out} exists; use --force to overwrite it")
    starter = starter_params(args.report, list(args.data), notebook)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_yaml(args.report, list(args.data), starter), encoding="utf-8")
    validate_file(out, notebook=notebook)
    print(out)
    print(f"valid; run it with: workbench run {args.report} {args.output or out}", file=sys.stderr)
    return EXIT_OK


def cmd_data(args: argparse.Namespace) -> int:
    from workbench.config import resolve, sample_data_dir
    from workbench.data.sample import generate_sample

    out = resolve(args.out) if args.out else sample_data_dir()
    generate_sample(out, scale=args.scale, seed=args.seed)
    print(f"sample data written to {out}", file=sys.stderr)
    return EXIT_OK


COMMANDS = {
    "run": cmd_run,
    "build": cmd_build,
    "list": cmd_list,
    "validate": cmd_validate,
    "index": cmd_index,
    "data": cmd_data,
    "inspect": cmd_inspect,
    "params": cmd_params,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ParamsError as exc:
        print(f"workbench: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BuildError as exc:
        print(f"workbench: build failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except WorkbenchError as exc:
        print(f"workbench: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT if not isinstance(exc, BuildError) else EXIT_FAILED
    except KeyboardInterrupt:
        print("workbench: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `workbench list | head`: the reader left; no traceback
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
