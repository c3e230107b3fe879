"""Scheduled runs the conventional way: each params file may declare `_schedule` (cron syntax);
`workbench schedule` turns them into crontab lines that build the report and deliver it.

The lines live between two marker comments naming the project root, so installing again replaces
our block and leaves every other line of the crontab alone. Expressions are checked with croniter
and, beyond it, against what cron itself accepts (five fields or @daily-style names; croniter also
takes seconds and Quartz's `L`/`#`, which cron would reject at install time).
"""

from __future__ import annotations

import datetime as _dt
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.errors import ParamsError, WorkbenchError

NICKNAMES = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
FIELDS = ("minute", "hour", "day of month", "month", "day of week")
_NUMERIC = re.compile(r"^[0-9*,/-]+$")
_NAMED = re.compile(r"^(?:[0-9*,/-]|[A-Za-z]{3})+$")  # month and weekday names (jan, mon)
BEGIN, END = "# BEGIN marketing-workbench", "# END marketing-workbench"
LOG_FILE = "reports/schedule.log"


@dataclass(frozen=True)
class ScheduledReport:
    """One params file with a `_schedule`: what cron runs, and when."""

    report: str
    name: str
    params_file: str  # relative to the project root
    cron: str
    delivers: bool  # the params file has a `_delivery` block


def schedule_problems(value: Any) -> list[str]:
    """What is wrong with a `_schedule` value (empty list: cron and croniter both accept it)."""
    from croniter import croniter

    example = "e.g. '0 7 2 * *' (07:00 on the 2nd of every month) or '@monthly'"
    if not isinstance(value, str) or not value.strip():
        return [f"expected a cron expression, {example}; found {value!r}"]
    expr = value.strip()
    if "\n" in expr or "\r" in expr:
        return ["a cron expression is one line: remove the line break"]
    if expr.startswith("@"):
        return [] if expr in NICKNAMES else [f"expected one of {', '.join(NICKNAMES)}, found {expr!r}"]
    fields = expr.split()
    if len(fields) != 5:
        return [f"expected 5 fields ({', '.join(FIELDS)}), {example}; found {len(fields)} in {expr!r}"]
    for label, field, pattern in zip(FIELDS, fields, (_NUMERIC,) * 3 + (_NAMED,) * 2, strict=True):
        if not pattern.match(field):
            return [f"field {label} {field!r} uses syntax cron does not accept ({example})"]
    if not croniter.is_valid(expr):
        return [f"not a valid cron expression: {expr!r} (a value out of range?), {example}"]
    return []


def next_runs(cron: str, count: int = 1, now: _dt.datetime | None = None) -> list[_dt.datetime]:
    """The next `count` times the expression fires after `now` (local time, as cron reads it)."""
    from croniter import croniter

    it = croniter(cron, now or _dt.datetime.now())
    return [it.get_next(_dt.datetime) for _ in range(count)]


def scheduled_reports(root: Path) -> list[ScheduledReport]:
    """Every params file under params/ with a `_schedule`; one ParamsError lists every bad one."""
    from workbench.pipeline.build import discover
    from workbench.pipeline.params import load_params_file

    found, problems = [], []
    for f in discover(root):
        raw = load_params_file(f)
        if "_schedule" not in raw:
            continue
        rel = f.relative_to(root).as_posix()
        bad = schedule_problems(raw["_schedule"])
        if bad:
            problems.append(f"{rel}: key '_schedule': {bad[0]}")
            continue
        found.append(ScheduledReport(f.parent.name, f.stem, rel, raw["_schedule"].strip(), "_delivery" in raw))
    if problems:
        raise ParamsError("\n".join(problems))
    return found


def workbench_command() -> list[str]:
    """How cron should call this workbench: the `workbench` script beside this Python, else `python -m`."""
    script = Path(sys.executable).parent / "workbench"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "workbench.cli"]


def _cron_escape(command: str) -> str:
    """cron turns an unescaped % into a newline: escape it."""
    return command.replace("%", r"\%")


def cron_line(entry: ScheduledReport, root: Path, command: list[str], env_file: str | None = None) -> str:
    """One crontab line: build the report, then (whatever the build's outcome) deliver it."""
    wb = " ".join(shlex.quote(c) for c in command)
    steps = [f"{wb} run {shlex.quote(entry.report)} {shlex.quote(entry.params_file)} --quiet"]
    if entry.delivers:  # after a failed build too: the failure notice goes out
        steps.append(f"{wb} deliver {shlex.quote(entry.report + '/' + entry.name)} --quiet")
    prefix = f"set -a; . {shlex.quote(env_file)}; set +a; " if env_file else ""
    body = f"cd {shlex.quote(str(root))} && mkdir -p reports && {{ {prefix}{'; '.join(steps)}; }} >> {LOG_FILE} 2>&1"
    return f"{entry.cron} {_cron_escape(body)}"


def crontab_block(entries: list[ScheduledReport], root: Path, command: list[str], env_file: str | None = None) -> str:
    """Our block of the crontab: markers naming the project root, one comment and one line per report."""
    lines = [f"{BEGIN} {root}", "# generated by `workbench schedule --install`; edit _schedule in params instead"]
    for e in entries:
        lines.append(f"# {e.report}/{e.name} ({e.params_file})")
        lines.append(cron_line(e, root, command, env_file))
    lines.append(f"{END} {root}")
    return "\n".join(lines) + "\n"


def merge_crontab(existing: str, block: str, root: Path) -> str:
    """`existing` with our block for this root replaced (or appended); other lines untouched."""
    begin, end = f"{BEGIN} {root}", f"{END} {root}"
    out, inside = [], False
    for line in existing.splitlines():
        if line.strip() == begin:
            inside = True
            continue
        if inside and line.strip() == end:
            inside = False
            continue
        if not inside:
            out.append(line)
    if inside:
        raise WorkbenchError(f"the crontab has '{begin}' without '{end}': fix it by hand before installing")
    text = "\n".join(out).rstrip("\n")
    return (text + "\n" if text else "") + block


def installed_block(crontab: str, root: Path) -> str | None:
    """Our block for this root as it stands in a crontab text (None when absent)."""
    lines, inside, block = crontab.splitlines(), False, []
    for line in lines:
        if line.strip() == f"{BEGIN} {root}":
            inside = True
        if inside:
            block.append(line)
            if line.strip() == f"{END} {root}":
                return "\n".join(block) + "\n"
    return None


def read_crontab(file: Path | None = None) -> str:
    """The current crontab: a file's text (tests, system crontabs), else `crontab -l` (empty if none)."""
    if file is not None:
        return Path(file).read_text(encoding="utf-8") if Path(file).exists() else ""
    try:
        out = subprocess.run(["crontab", "-l"], capture_output=True, text=True, timeout=30)
    except FileNotFoundError:
        raise WorkbenchError(
            "the crontab command is not installed (Debian: apt-get install cron); "
            "use --crontab-file FILE to write the lines to a file instead"
        ) from None
    if out.returncode != 0:  # "no crontab for user" is not an error: we start one
        if "no crontab" in out.stderr.lower():
            return ""
        raise WorkbenchError(f"crontab -l failed: {out.stderr.strip()}")
    return out.stdout


def write_crontab(text: str, file: Path | None = None) -> None:
    """Write a crontab: into a file, else install it with `crontab -` (cron checks it on the way in)."""
    if file is not None:
        from workbench.pipeline.store import write_text_atomic

        write_text_atomic(Path(file), text)
        return
    out = subprocess.run(["crontab", "-"], input=text, capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        raise WorkbenchError(f"crontab refused the new table: {out.stderr.strip()}")


def install(
    entries: list[ScheduledReport],
    root: Path,
    command: list[str] | None = None,
    file: Path | None = None,
    env_file: str | None = None,
) -> str:
    """Install our block into the crontab (or `file`) and return the whole new crontab."""
    block = crontab_block(entries, root, command or workbench_command(), env_file)
    text = merge_crontab(read_crontab(file), block, root)
    write_crontab(text, file)
    return text
