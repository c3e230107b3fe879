"""Build reports: validate every params file, skip what is cached, run the rest in parallel
worker processes (one kernel each, no port races), publish, update `latest` and the index,
and summarise failures.

Validation and cache checks happen in this process before any worker or kernel starts, and
import nothing heavy, so a no-op rebuild takes a fraction of a second.
"""

from __future__ import annotations

import datetime as _dt
import enum
import fnmatch
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from workbench.data.frame_cache import FRAME_CACHE_ENV
from workbench.errors import BuildError, ParamsError, WorkbenchError
from workbench.pipeline import cache, store
from workbench.pipeline.execute import kernel_threads, thread_env
from workbench.pipeline.kernel_init import PRELOAD_ENV, notebook_imports
from workbench.pipeline.params import display_path, validate_file

DEFAULT_TIMEOUT_S = 1800.0
KEY_LIBRARIES = (
    "python",
    "pandas",
    "numpy",
    "scikit-learn",
    "scipy",
    "statsmodels",
    "seaborn",
    "matplotlib",
    "papermill",
    "nbclient",
    "nbconvert",
)


@dataclass
class Job:
    """One params file to run, validated, with everything a worker needs (plain data, picklable)."""

    report: str
    name: str
    params_file: str  # relative to the project root where possible
    notebook: str
    root: str
    reports_root: str
    overrides: dict[str, Any]
    values: dict[str, Any]
    options: dict[str, Any]
    input_paths: dict[str, str]
    show_code: bool = False
    timeout: float = DEFAULT_TIMEOUT_S
    cache_key: str = ""
    notebook_sha256: str = ""
    notebook_fingerprint: str = ""
    params_sha256: str = ""
    inputs: list[dict[str, Any]] = field(default_factory=list)
    git_commit: str | None = None
    baseline: str | None = None  # version to compare with (--baseline, else _baseline, else the previous)
    renderer: str = "nbconvert"
    profile: bool = False
    threads: int = 1  # BLAS/OpenMP threads of the kernel (execute.kernel_threads(), recorded in the manifest)

    @property
    def label(self) -> str:
        return f"{self.report}/{self.name}"


class RunStatus(str, enum.Enum):
    """The state of one run: in a manifest ("running" until it is written complete) and in an outcome."""

    RUNNING = "running"
    OK = "ok"
    FAILED = "failed"
    CACHED = "cached"  # not run: the latest good version has the same cache key


@dataclass
class Outcome:
    label: str
    params_file: str
    status: RunStatus
    version: str | None = None
    duration_s: float = 0.0
    failure: dict[str, Any] | None = None
    timings: dict[str, Any] = field(default_factory=dict)  # kernel start, cells, render, pdf, publish (s)


# --------------------------------------------------------------------------- discovery and planning
def discover(root: Path, patterns: list[str] | None = None) -> list[Path]:
    """params/<report>/<name>.yaml files, all or those matching any glob pattern (on report,
    report/name, or the file path)."""
    files = sorted([*root.glob("params/*/*.yaml"), *root.glob("params/*/*.yml")])
    if not patterns:
        return files
    chosen = []
    for f in files:
        report, name = f.parent.name, f.stem
        rel = f.relative_to(root).as_posix()
        if any(
            fnmatch.fnmatch(report, p)
            or fnmatch.fnmatch(f"{report}/{name}", p)
            or fnmatch.fnmatch(rel, p)
            or fnmatch.fnmatch(name, p)
            for p in patterns
        ):
            chosen.append(f)
    if not chosen:
        raise WorkbenchError(f"no params file under {root / 'params'} matches {' '.join(patterns)}")
    return chosen


def git_commit(root: Path) -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def make_job(
    params_file: Path,
    root: Path,
    reports_root: Path,
    notebook: Path | None = None,
    show_code: bool = False,
    timeout: float | None = None,
    baseline: str | None = None,
    renderer: str | None = None,
) -> Job:
    """Validate one params file against its notebook (raises ParamsError)."""
    from workbench.config import resolve

    params_file = Path(params_file)
    declared, validated = validate_file(params_file, notebook=notebook, root=root, resolve_path=resolve)
    nb_path = declared.notebook
    report = nb_path.stem if notebook is not None else params_file.parent.name
    effective_timeout = float(timeout or validated.options.get("_timeout") or DEFAULT_TIMEOUT_S)
    chosen_renderer = renderer or str(validated.options.get("_renderer") or "nbconvert")
    if chosen_renderer == "quarto":
        from workbench.pipeline.render import quarto_binary

        quarto_binary()  # stops before anything runs, naming what to install
    chosen = baseline or validated.options.get("_baseline")
    if chosen:
        _check_baseline(reports_root, report, params_file.stem, str(chosen), params_file, bool(baseline))
    return Job(
        report=report,
        name=params_file.stem,
        params_file=display_path(params_file.resolve()),
        notebook=display_path(nb_path.resolve()),
        root=str(root),
        reports_root=str(reports_root),
        overrides=validated.overrides,
        values=validated.values,
        options=validated.options,
        input_paths=validated.input_paths,
        show_code=show_code,
        timeout=effective_timeout,
        baseline=str(chosen) if chosen else None,
        renderer=chosen_renderer,
    )


def _check_baseline(reports_root: Path, report: str, name: str, version: str, source: Path, cli: bool) -> None:
    """A baseline must be a published successful version of the same report and params name."""
    from workbench.pipeline.compare import successful_versions

    where = "--baseline" if cli else f"{source}: key '_baseline'"
    store.check_name("baseline version", version, where)
    good = successful_versions(store.version_dir(reports_root, report, name))
    if version not in good:
        known = ", ".join(good[-5:]) or "none yet"
        raise ParamsError(
            f"{where}: expected a successful version of {report}/{name} to compare with, found no version "
            f"{version!r} (latest successful: {known})"
        )


def plan(params_files: list[Path], root: Path, reports_root: Path, **job_options: Any) -> list[Job]:
    """Validate every params file; one ParamsError lists the problems of all invalid files.
    `job_options` are make_job's: show_code, timeout, baseline, renderer."""
    jobs, problems = [], []
    for f in params_files:
        try:
            jobs.append(make_job(f, root, reports_root, **job_options))
        except ParamsError as exc:
            problems.append(str(exc))
    if problems:
        raise ParamsError("\n".join(problems))
    return jobs


def fingerprint(job: Job, hashes: cache.HashCache) -> None:
    """Fill the job's cache key and the hashes the manifest records."""
    from workbench.config import resolve
    from workbench.pipeline.params import load_notebook_json

    nb_path = resolve(job.notebook)
    nb = load_notebook_json(nb_path)
    job.notebook_sha256 = hashes.sha256(nb_path)
    job.notebook_fingerprint = cache.notebook_fingerprint(nb)
    job.params_sha256 = hashes.sha256(resolve(job.params_file))
    job.inputs = cache.describe_inputs(job.input_paths, resolve, hashes)
    options: dict[str, Any] = {"show_code": job.show_code, "baseline": job.baseline, "renderer": job.renderer}
    if job.threads != 1:  # another thread count may change the last digits: a different run
        options["kernel_threads"] = job.threads
    job.cache_key = cache.cache_key(job.notebook_fingerprint, job.values, job.inputs, options, hashes)


def is_cached(job: Job) -> str | None:
    """The version already built with this job's cache key, if it is the latest good one."""
    latest = store.read_latest(Path(job.reports_root), job.report, job.name)
    if latest and latest.get("cache_key") == job.cache_key:
        return str(latest["version"])
    return None


# --------------------------------------------------------------------------- running one job
def _manifest(job: Job, version: str, started: _dt.datetime, title: str) -> dict[str, Any]:
    import workbench

    deps = cache.dependency_versions()
    return {
        "report": job.report,
        "name": job.name,
        "title": title,
        "version": version,
        "status": RunStatus.RUNNING.value,
        "started_at": started.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "finished_at": None,
        "duration_s": None,
        "cache_key": job.cache_key,
        "notebook": {"path": job.notebook, "sha256": job.notebook_sha256, "fingerprint": job.notebook_fingerprint},
        "params": {
            "path": job.params_file,
            "sha256": job.params_sha256,
            "values": job.values,
            "overrides": job.overrides,
            "options": job.options,
        },
        "inputs": job.inputs,
        "workbench": {
            "version": workbench.__version__,
            "git_commit": job.git_commit,
            "source_sha256": cache.package_source_hash(),
        },
        "libraries": {k: deps[k] for k in KEY_LIBRARIES if k in deps},
        "environment": cache.installed_distributions(),
        "options": {
            "show_code": job.show_code,
            "timeout_s": job.timeout,
            "renderer": job.renderer,
            "baseline": job.baseline,
            "kernel_threads": job.threads,  # BLAS/OpenMP pools pinned to this (execute.THREAD_ENV)
        },
        "failure": None,
    }


def _compare(job: Job, version: str, results: dict[str, Any]) -> tuple[str | None, list[Any]]:
    """(baseline version, changes) of this run's headline numbers against the baseline."""
    from workbench.pipeline import compare

    report_dir = store.version_dir(Path(job.reports_root), job.report, job.name)
    baseline = job.baseline or compare.previous_version(report_dir, version)
    if baseline is None:
        return None, []
    previous = store.read_json(report_dir / baseline / "results.json")
    return baseline, compare.compare_results(previous if isinstance(previous, dict) else {}, results)


def _render(job: Job, nb: Any, manifest: dict[str, Any], results: dict[str, Any], ok: bool) -> str:
    from workbench.pipeline import render

    if not ok:
        return render.render_error_page(nb, manifest, results)
    baseline, changes = _compare(job, manifest["version"], results)
    manifest["compared_with"] = {"version": baseline} if baseline else None
    prefix = render.changes_html(changes, baseline, render.report_language(job.values))
    return render.render_report(
        nb, manifest, results, show_code=job.show_code, renderer=job.renderer, prefix_html=prefix
    )


def run_job(job: Job) -> Outcome:
    """Execute, render, print and publish one job; a failing notebook gives a published failed run."""
    import json

    import nbformat

    from workbench.config import resolve
    from workbench.pipeline import pdf, render
    from workbench.pipeline.execute import execute
    from workbench.pipeline.params import load_notebook_json
    from workbench.report import collect_results

    t0 = time.perf_counter()
    started = _dt.datetime.now(_dt.timezone.utc)
    reports_root = Path(job.reports_root)
    version = store.new_version_id(job.cache_key, started)
    title = render.notebook_title(load_notebook_json(resolve(job.notebook)), job.values, job.label)
    manifest = _manifest(job, version, started, title)
    staging = store.Staging(reports_root)
    published = False
    timings: dict[str, Any] = {}
    try:
        result = execute(resolve(job.notebook), job.overrides, Path(job.root), timeout=job.timeout, threads=job.threads)
        timings.update(result.profile())
        nb = result.notebook
        results = collect_results(nb)
        manifest["status"] = RunStatus.OK.value if result.ok else RunStatus.FAILED.value
        manifest["failure"] = result.failure.to_dict() if result.failure else None
        manifest["execution_s"] = round(result.duration_s, 3)
        manifest["duration_s"] = round(time.perf_counter() - t0, 3)
        t = time.perf_counter()
        page = _render(job, nb, manifest, results, result.ok)
        staging.write_text("report.html", page)
        staging.write_text("notebook.ipynb", nbformat.writes(nb))
        staging.write_text("results.json", json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
        timings["render_s"] = time.perf_counter() - t
        printed = pdf.print_pdf(staging.path / "report.html", staging.path / "report.pdf")
        manifest["pdf"] = printed.to_dict()
        timings["pdf_s"] = printed.duration_s
        manifest["duration_s"] = round(time.perf_counter() - t0, 3)
        manifest["finished_at"] = (
            _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
        )
        t = time.perf_counter()
        staging.write_json("manifest.json", manifest)  # written last: its presence marks a complete run
        with store.locked(reports_root):
            target, version = staging.publish(job.report, job.name, version)
            published = True
            if version != manifest["version"]:  # the id was taken: record the one we got
                manifest["version"] = version
                store.write_json_atomic(target / "manifest.json", manifest)
            store.update_latest(reports_root, manifest)
        timings["publish_s"] = time.perf_counter() - t
    finally:
        if not published:
            staging.discard()
    return Outcome(
        job.label,
        job.params_file,
        RunStatus(manifest["status"]),
        version,
        manifest["duration_s"],
        manifest["failure"],
        timings,
    )


def _worker_init(env: dict[str, str]) -> None:
    """Warm a worker: same project root, heavy imports and the exporter ready before the first job."""
    os.environ.update(env)
    import nbclient  # noqa: F401
    import papermill.parameterize  # noqa: F401

    from workbench.pipeline import execute as _ex  # noqa: F401
    from workbench.pipeline.render import get_renderer

    get_renderer()._exporter(False)
    import atexit
    from multiprocessing import util

    from workbench.pipeline.execute import prestart_kernel, shutdown_spare_kernels, use_forked_kernels

    _exit_with_parent(os.getppid())
    use_forked_kernels()
    prestart_kernel(Path(env["WORKBENCH_ROOT"]))
    atexit.register(shutdown_spare_kernels)
    # A pool worker leaves through os._exit, which skips atexit: multiprocessing's own finalizers
    # do run, so the worker's spare kernel is stopped before the worker (and the build) exits.
    util.Finalize(None, shutdown_spare_kernels, exitpriority=100)


def _exit_with_parent(parent: int, every_s: float = 0.5) -> None:
    """A worker whose build is gone (killed, even with -9) exits too; its kernels follow it (a forked
    kernel's zygote kills them when the worker's pipe closes; a started one polls its parent)."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every_s)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-build", daemon=True).start()


def _stop_workers_on_sigterm(pool: Any) -> Any:
    """`kill PID` of a build: kill its workers (their kernels follow them), then die of SIGTERM as
    before. Nothing is waited for, so nothing can hang; a run that was being staged is left in the
    staging folder, which the next build removes. Returns the handler it replaced."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None

    def on_sigterm(signum: int, _frame: Any) -> None:
        for process in list(getattr(pool, "_processes", {}).values()):
            try:
                process.kill()
            except Exception:
                pass
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    return signal.signal(signal.SIGTERM, on_sigterm)


def _run_job_safely(job: Job, prestart_next: bool = False) -> Outcome:
    try:
        return run_job(job)
    except Exception as exc:  # a bug or I/O error in the pipeline itself: report it like a failed run
        import traceback

        msg = f"{type(exc).__name__}: {exc}".strip().splitlines()[-1]
        return Outcome(
            job.label,
            job.params_file,
            RunStatus.FAILED,
            None,
            0.0,
            {
                "kind": "pipeline",
                "message": f"pipeline error: {msg}",
                "cell_index": None,
                "cell_line": "",
                "traceback": traceback.format_exc(),
            },
        )
    finally:
        if prestart_next:  # this worker's next run finds its kernel already booting
            try:
                from workbench.pipeline.execute import prestart_kernel

                prestart_kernel(Path(job.root))
            except Exception:
                pass


# --------------------------------------------------------------------------- progress and the build
class Progress:
    """Line-oriented progress on stderr: running / done / cached / failed with elapsed times."""

    def __init__(self, total: int, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.total, self.done, self.stream, self.quiet = total, 0, stream or sys.stderr, quiet
        self.t0 = time.perf_counter()
        self.running: dict[str, float] = {}

    def _emit(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)

    def start(self, label: str) -> None:
        self.running[label] = time.perf_counter()
        self._emit(f"[{self.done}/{self.total}] running {label}")

    def finish(self, outcome: Outcome) -> None:
        self.done += 1
        started = self.running.pop(outcome.label, None)
        elapsed = time.perf_counter() - started if started else outcome.duration_s
        word = {RunStatus.OK: "done   ", RunStatus.CACHED: "cached ", RunStatus.FAILED: "FAILED "}.get(
            outcome.status, str(outcome.status)
        )
        extra = f" -> {outcome.version}" if outcome.version else ""
        if outcome.status == RunStatus.FAILED and outcome.failure:
            extra += f"  ({_failure_line(outcome.failure)})"
        self._emit(f"[{self.done}/{self.total}] {word}{outcome.label} {elapsed:.1f}s{extra}")

    def heartbeat(self) -> None:
        now = time.perf_counter()
        items = ", ".join(f"{k} {now - v:.0f}s" for k, v in self.running.items())
        self._emit(f"[{self.done}/{self.total}] still running: {items} (total {now - self.t0:.0f}s)")


def _failure_line(f: dict[str, Any]) -> str:
    where = f"cell {f['cell_index']} `{f.get('cell_line', '')}`: " if f.get("cell_index") is not None else ""
    return where + str(f.get("message", ""))


def failure_summary(outcomes: list[Outcome]) -> str:
    failed = [o for o in outcomes if o.status == RunStatus.FAILED]
    lines = [f"{len(failed)} of {len(outcomes)} report(s) failed:"]
    for o in failed:
        lines.append(
            f"  - {o.label} (params {o.params_file}): {_failure_line(o.failure or {})}"
            + (f" [failed run kept as {o.version}]" if o.version else "")
        )
    return "\n".join(lines)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def run_jobs(
    jobs: list[Job],
    n_jobs: int | None = None,
    force: bool = False,
    progress: Progress | None = None,
    heartbeat_s: float = 20.0,
) -> list[Outcome]:
    """Run the jobs (cached ones skipped unless `force`), publishing as each finishes."""
    if not jobs:
        return []
    reports_root = Path(jobs[0].reports_root)
    root = Path(jobs[0].root)
    progress = progress or Progress(len(jobs))
    reports_root.mkdir(parents=True, exist_ok=True)
    store.clean_stale_staging(reports_root)  # every build, even one with nothing to run
    hashes = cache.HashCache(root / ".workbench-cache" / "file-hashes.json")
    commit = git_commit(root)
    threads = kernel_threads()  # a bad WORKBENCH_KERNEL_THREADS stops the build here
    outcomes: list[Outcome] = []
    todo: list[Job] = []
    for job in jobs:
        fingerprint(job, hashes)
        job.git_commit = commit
        job.threads = threads
        version = None if force else is_cached(job)
        if version:
            outcome = Outcome(job.label, job.params_file, RunStatus.CACHED, version)
            outcomes.append(outcome)
            progress.finish(outcome)
        else:
            todo.append(job)
    hashes.save()
    if not todo:
        return outcomes
    durations = read_durations(root)
    todo = longest_first(todo, durations)
    env = {"WORKBENCH_ROOT": str(root), "WORKBENCH_REPORTS_DIR": str(reports_root)}
    env[PRELOAD_ENV] = ",".join(_preload(todo))
    env.update(thread_env(threads))  # workers too: one BLAS thread each, reports side by side
    # Inputs several reports load (sessions.csv: ten sample reports) are parsed once per build: see
    # workbench.data.frame_cache. A staging folder: removed at the end, or by the next build if killed.
    frames = store.Staging(reports_root) if len(todo) > 1 else None
    if frames is not None:
        env[FRAME_CACHE_ENV] = str(frames.path)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # kernels inherit it, so notebooks resolve paths against the same root
    try:
        done = _run_todo(todo, outcomes, env, reports_root, n_jobs, progress, heartbeat_s)
        record_durations(root, durations, done)
        return done
    finally:
        if frames is not None:
            frames.discard()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _durations_file(root: Path) -> Path:
    return root / ".workbench-cache" / "durations.json"


def read_durations(root: Path) -> dict[str, float]:
    """Seconds each report/name took when it last ran ({} when unknown or unreadable)."""
    data = store.read_json(_durations_file(root))
    if not isinstance(data, dict):
        return {}
    return {str(k): float(v) for k, v in data.items() if isinstance(v, (int, float))}


def record_durations(root: Path, durations: dict[str, float], outcomes: list[Outcome]) -> None:
    ran = {o.label: o.duration_s for o in outcomes if o.status != RunStatus.CACHED and o.duration_s > 0}
    if ran:
        try:
            store.write_json_atomic(_durations_file(root), {**durations, **ran})
        except OSError:  # only the next build's order depends on it
            pass


def _twin_key(job: Job) -> str:
    """Runs of the same report on the same inputs (another language, another segment) are likely to
    share computations (workbench.memo)."""
    import json

    return job.report + json.dumps(job.input_paths, sort_keys=True)


def longest_first(todo: list[Job], durations: dict[str, float]) -> list[Job]:
    """Runs never timed first (in their order), then the longest last time first: in alphabetical
    order the sample build ended with its longest report (segmentation) running alone on one core.
    Twins (the same report on the same inputs, e.g. in another language) wait until every first of
    its kind has been started: run side by side, the second would only wait for the first's memoized
    results (workbench.memo); run later, it finds them and is short."""
    ordered = sorted(todo, key=lambda job: (job.label in durations, -durations.get(job.label, 0.0)))
    seen: set[str] = set()
    firsts: list[Job] = []
    twins: list[Job] = []
    for job in ordered:
        key = _twin_key(job)
        (twins if key in seen else firsts).append(job)
        seen.add(key)
    return firsts + twins


def _preload(jobs: list[Job]) -> list[str]:
    """What the notebooks of this build import: pre-imported in every pre-started kernel, so the import
    cost overlaps with the previous run's rendering instead of adding to the next run's cells."""
    from workbench.config import resolve
    from workbench.pipeline.params import load_notebook_json

    modules: list[str] = []
    for notebook in dict.fromkeys(job.notebook for job in jobs):
        modules += [m for m in notebook_imports(load_notebook_json(resolve(notebook))) if m not in modules]
    return modules


def _run_todo(
    todo: list[Job],
    outcomes: list[Outcome],
    env: dict[str, str],
    reports_root: Path,
    n_jobs: int | None,
    progress: Progress,
    heartbeat_s: float,
) -> list[Outcome]:
    """Run in this process (one job at a time) or in spawned worker processes, one kernel each."""

    def finished(outcome: Outcome) -> None:
        outcomes.append(outcome)
        progress.finish(outcome)
        with store.locked(reports_root):
            from workbench.pipeline.index import write_index

            write_index(reports_root)

    n_jobs = max(1, min(n_jobs or default_jobs(), len(todo)))
    if n_jobs == 1:
        for job in todo:
            progress.start(job.label)
            finished(_run_job_safely(job))
        return outcomes

    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("spawn")
    pending = list(todo)
    with ProcessPoolExecutor(max_workers=n_jobs, mp_context=ctx, initializer=_worker_init, initargs=(env,)) as pool:
        previous = _stop_workers_on_sigterm(pool)
        try:
            _drive(pool, pending, n_jobs, progress, heartbeat_s, finished)
        finally:
            if previous is not None:
                import signal

                signal.signal(signal.SIGTERM, previous)
    return outcomes


def _drive(pool: Any, pending: list[Job], n_jobs: int, progress: Progress, heartbeat_s: float, finished: Any) -> None:
    """Keep `n_jobs` runs going in the pool until every job has an outcome."""
    from concurrent.futures import FIRST_COMPLETED, wait

    running: dict[Any, Job] = {}
    while pending or running:
        while pending and len(running) < n_jobs:
            job = pending.pop(0)
            progress.start(job.label)
            running[pool.submit(_run_job_safely, job, bool(pending))] = job
        done, _ = wait(running, timeout=heartbeat_s, return_when=FIRST_COMPLETED)
        if not done:
            progress.heartbeat()
        for fut in done:
            job = running.pop(fut)
            try:
                outcome = fut.result()
            except Exception as exc:  # the worker process itself died
                outcome = Outcome(
                    job.label,
                    job.params_file,
                    RunStatus.FAILED,
                    None,
                    0.0,
                    {
                        "kind": "worker",
                        "message": f"{type(exc).__name__}: {exc}",
                        "cell_index": None,
                        "cell_line": "",
                    },
                )
            finished(outcome)


def build(
    patterns: list[str] | None = None,
    n_jobs: int | None = None,
    force: bool = False,
    quiet: bool = False,
    profile: bool = False,
    **job_options: Any,
) -> list[Outcome]:
    """Build every params file (or those matching `patterns`); raise BuildError when any failed.
    `job_options`: show_code, timeout, baseline, renderer (see make_job)."""
    from workbench.config import project_root, reports_dir

    root, reports_root = project_root(), reports_dir()
    files = discover(root, patterns)
    if not files:
        if not quiet:
            print(
                f"no params files under {root / 'params'} (expected params/<report>/<name>.yaml); nothing to build",
                file=sys.stderr,
            )
        reports_root.mkdir(parents=True, exist_ok=True)
        store.clean_stale_staging(reports_root)
        with store.locked(reports_root):
            from workbench.pipeline.index import write_index

            write_index(reports_root)
        return []
    jobs = plan(files, root, reports_root, **job_options)
    return _finish(jobs, n_jobs, force, quiet, profile)


def run_one(
    notebook_or_report: str,
    params_file: str,
    force: bool = False,
    quiet: bool = False,
    profile: bool = False,
    **job_options: Any,
) -> list[Outcome]:
    """Run one notebook (a path, or a report name under notebooks/) with one params file."""
    from workbench.config import project_root, reports_dir, resolve

    root, reports_root = project_root(), reports_dir()
    candidate = Path(notebook_or_report)
    if candidate.suffix != ".ipynb":
        candidate = root / "notebooks" / f"{notebook_or_report}.ipynb"
    notebook = candidate if candidate.is_absolute() else resolve(candidate)
    if not notebook.is_file():
        raise WorkbenchError(f"notebook {notebook_or_report!r} not found (looked for {notebook})")
    pf = Path(params_file)
    pf = pf if pf.is_absolute() else (Path.cwd() / pf if (Path.cwd() / pf).exists() else resolve(pf))
    job = make_job(pf, root, reports_root, notebook=notebook, **job_options)
    return _finish([job], 1, force, quiet, profile)


def _finish(jobs: list[Job], n_jobs: int | None, force: bool, quiet: bool, profile: bool = False) -> list[Outcome]:
    progress = Progress(len(jobs), quiet=quiet)
    for job in jobs:
        job.profile = profile
    outcomes = run_jobs(jobs, n_jobs, force, progress)
    counts = {s.value: sum(1 for o in outcomes if o.status == s) for s in RunStatus if s != RunStatus.RUNNING}
    if not quiet:
        print(
            f"built {counts['ok']}, cached {counts['cached']}, failed {counts['failed']} "
            f"in {time.perf_counter() - progress.t0:.1f}s; index: {Path(jobs[0].reports_root) / 'index.html'}",
            file=sys.stderr,
        )
    if profile:
        from workbench.pipeline.profile import profile_table

        print(profile_table(outcomes), file=sys.stderr)
    if counts["failed"]:
        raise BuildError(failure_summary(outcomes))
    return outcomes


def outcomes_as_dicts(outcomes: list[Outcome]) -> list[dict[str, Any]]:
    return [asdict(o) for o in outcomes]
