"""The `workbench` command: run, build, list and validate reports; inspect data files and write
starter params from them; generate sample data.

Imports stay light at module level (no pandas, papermill or nbconvert), so `--help`,
validation and no-op builds answer fast; heavy modules load inside the commands that need them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

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


def index_option(p: argparse.ArgumentParser) -> None:
    """--index-language of `run`, `build` and `index`."""
    p.add_argument(
        "--index-language",
        choices=("en", "ru"),
        help="language of reports/index.html's own words (default: $WORKBENCH_INDEX_LANGUAGE, else en); "
        "each entry keeps its report's title and headline",
    )


def pipeline_options(p: argparse.ArgumentParser) -> None:
    """--index-language, --baseline, --renderer and --profile of `run` and `build`."""
    index_option(p)
    p.add_argument(
        "--baseline",
        metavar="VERSION",
        help="compare the headline numbers with this version (default: _baseline, else the previous good one)",
    )
    p.add_argument(
        "--renderer",
        choices=("nbconvert", "quarto"),
        help="how the HTML is made (default: _renderer, else nbconvert); quarto needs Quarto on PATH",
    )
    p.add_argument(
        "--profile",
        action="store_true",
        help="print per report where the time went: kernel start, imports, each cell, render, pdf, publish",
    )


def add_version_commands(sub: Any) -> None:
    """`diff` and `reproduce`: comparing and re-running published versions."""
    p = sub.add_parser(
        "diff",
        help="what differs between two versions: results.json, params, inputs, libraries",
        description="Compare two published versions (VERSION_B may be a bare version of the same report/name).",
    )
    p.add_argument("version_a", metavar="REPORT/NAME/VERSION_A")
    p.add_argument("version_b", metavar="VERSION_B")
    p = sub.add_parser(
        "reproduce",
        help="re-execute a published version from its manifest and compare results.json",
        description="Re-run a version in a temporary folder (recorded notebook, params and inputs, verified by "
        "sha256) and print 'identical' or every drifted value. Exit 1 when something drifted.",
    )
    p.add_argument("version", metavar="REPORT/NAME/VERSION")
    p.add_argument("--timeout", type=_positive(float), metavar="S", help="seconds the re-run may take")


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
        pipeline_options(p)

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
    index_option(p)
    add_version_commands(sub)

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
    s.add_argument(
        "--warehouse", action="store_true", help="also write warehouse.duckdb and parquet/ (the engine path's sample)"
    )
    add_delivery_commands(sub)
    return parser


def _job_options(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "show_code": args.show_code,
        "timeout": args.timeout,
        "baseline": args.baseline,
        "renderer": args.renderer,
    }


def cmd_run(args: argparse.Namespace) -> int:
    from workbench.pipeline.build import run_one

    run_one(args.notebook, args.params, force=args.force, quiet=args.quiet, profile=args.profile, **_job_options(args))
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from workbench.pipeline.build import build

    build(
        args.patterns or None,
        n_jobs=args.jobs,
        force=args.force,
        quiet=args.quiet,
        profile=args.profile,
        **_job_options(args),
    )
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from workbench.config import reports_dir
    from workbench.pipeline.diff import diff_versions, format_diff, resolve_version

    root = reports_dir()
    a = resolve_version(args.version_a, root)
    b = resolve_version(args.version_b, root, like=a)
    print(format_diff(a, b, diff_versions(a, b)))
    return EXIT_OK


def cmd_reproduce(args: argparse.Namespace) -> int:
    from workbench.config import project_root, reports_dir
    from workbench.pipeline.diff import resolve_version
    from workbench.pipeline.reproduce import reproduce

    version = resolve_version(args.version, reports_dir())
    outcome = reproduce(version, project_root(), timeout=args.timeout)
    print(outcome.report())
    return EXIT_OK if outcome.identical else EXIT_FAILED


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
    if getattr(args, "warehouse", False):
        from workbench.data.engines.warehouse import write_warehouse

        write_warehouse(out)
    print(f"sample data written to {out}", file=sys.stderr)
    return EXIT_OK


# --------------------------------------------------------------------------- delivery, schedule, prune (issue 18)
def add_delivery_commands(sub: argparse._SubParsersAction) -> None:
    """`deliver`, `schedule` and `prune`: reports reach their readers on schedule, old versions go."""
    p = sub.add_parser(
        "deliver",
        help="e-mail a published version to the readers in its params file's _delivery block",
        description="Send the latest good version of REPORT/NAME (or VERSION) to _delivery.to; a failed newest "
        "run sends its error summary to _delivery.failure_to only. SMTP comes from $WORKBENCH_SMTP_URL.",
    )
    p.add_argument("target", nargs="?", metavar="REPORT/NAME", help="e.g. monthly_report/last_month")
    p.add_argument("version", nargs="?", metavar="VERSION", help="a version id (default: the latest)")
    p.add_argument("--dry-run", action="store_true", help="write .eml files to the outbox instead of sending")
    p.add_argument("--force", action="store_true", help="send even to addresses that already got this version")
    p.add_argument("--outbox", metavar="DIR", help="outbox folder (default: reports/.outbox)")
    p.add_argument("--retry", action="store_true", help="send again what the outbox kept after a failure")
    p.add_argument("-q", "--quiet", action="store_true", help="print only failures")

    p = sub.add_parser(
        "schedule",
        help="print (or --install) the crontab lines that build and deliver each scheduled report",
        description="Every params file with _schedule (cron syntax) becomes one crontab line: run, then deliver.",
    )
    p.add_argument("--install", action="store_true", help="write the lines into the crontab (our block only)")
    p.add_argument("--crontab-file", metavar="FILE", help="read and write this file instead of `crontab -l/-`")
    p.add_argument("--env-file", metavar="FILE", help="shell file each line sources first (WORKBENCH_SMTP_URL=...)")

    p = sub.add_parser(
        "prune",
        help="delete old versions: keep the last N per params file, every delivered one and the latest good",
        description="Apply _retention from the params files (or --keep-last); reports without either stay.",
    )
    p.add_argument("target", nargs="?", metavar="REPORT[/NAME]", help="only this report or params name")
    p.add_argument("--keep-last", type=_positive(int), metavar="N", help="keep the newest N (overrides _retention)")
    p.add_argument("--dry-run", action="store_true", help="show what would be deleted, delete nothing")


def cmd_deliver(args: argparse.Namespace) -> int:
    from workbench.config import reports_dir
    from workbench.delivery.deliver import deliver, retry
    from workbench.delivery.outbox import default_outbox

    outbox = Path(args.outbox).resolve() if args.outbox else None
    if args.retry:
        results = retry(outbox)
        if not results and not args.quiet:
            print(f"nothing to retry in {outbox or default_outbox(reports_dir())}")
    elif not args.target:
        raise WorkbenchError("deliver needs REPORT/NAME (or --retry)")
    else:
        results = deliver(args.target, args.version, dry_run=args.dry_run, force=args.force, outbox_dir=outbox)
    for r in results:
        if not args.quiet or r.result in ("failed", "partial"):
            print(r.line(), file=sys.stderr if r.result in ("failed", "partial") else sys.stdout)
    return EXIT_FAILED if any(r.result in ("failed", "partial") for r in results) else EXIT_OK


def cmd_schedule(args: argparse.Namespace) -> int:
    from workbench.config import project_root
    from workbench.pipeline import schedule

    root = project_root()
    entries = schedule.scheduled_reports(root)
    file = Path(args.crontab_file).resolve() if args.crontab_file else None
    env_file = str(Path(args.env_file).resolve()) if args.env_file else None
    for e in entries:
        nxt = schedule.next_runs(e.cron)[0].strftime("%Y-%m-%d %H:%M")
        print(f"# {e.report}/{e.name}: {e.cron} (next {nxt}){'' if e.delivers else ', no _delivery: build only'}")
    block = schedule.crontab_block(entries, root, schedule.workbench_command(), env_file)
    if not args.install:
        print(block, end="")
        return EXIT_OK
    schedule.install(entries, root, file=file, env_file=env_file)
    print(f"installed {len(entries)} scheduled report(s) into {file or 'the crontab'}", file=sys.stderr)
    return EXIT_OK


def cmd_prune(args: argparse.Namespace) -> int:
    from workbench.config import project_root, reports_dir
    from workbench.pipeline.prune import apply_prune, plan_prune

    reports_root = reports_dir()
    plans = plan_prune(reports_root, project_root(), keep_last=args.keep_last, only=args.target)
    if not plans:
        print("nothing to prune: no report has _retention in its params file (or use --keep-last N)")
        return EXIT_OK
    verb = "would delete" if args.dry_run else "delete"
    for plan in plans:
        print(
            f"{plan.report}/{plan.name}: keep {len(plan.keep)}, {verb} {len(plan.delete)} (keep_last {plan.keep_last})"
        )
        for version, size in plan.delete.items():
            print(f"  {verb} {version}  {size / 1e6:.1f} MB")
    total = sum(p.freed for p in plans)
    if args.dry_run:
        print(f"dry run: {total / 1e6:.1f} MB would be freed; nothing deleted")
    else:
        print(f"freed {apply_prune(reports_root, plans) / 1e6:.1f} MB")
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
    "deliver": cmd_deliver,
    "schedule": cmd_schedule,
    "prune": cmd_prune,
    "diff": cmd_diff,
    "reproduce": cmd_reproduce,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "index_language", None):  # every index rewrite of this run (workers included) reads it
        import os

        from workbench.config import INDEX_LANGUAGE_ENV

        os.environ[INDEX_LANGUAGE_ENV] = args.index_language
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
