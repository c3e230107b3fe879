"""Runs inside a report's kernel before the notebook (IPython `exec_lines`), never in the pipeline.

Two jobs, both invisible to the notebook's namespace:

* **Where a dying kernel was.** A kernel killed by the OOM killer or a crash in compiled code leaves
  no traceback, so the pipeline could only name the cell. Each top-level statement of a cell (and of
  the blocks of its loops, ifs and withs; not inside functions) first writes its line number into a
  small file the pipeline reads after the death: one `pwrite` per statement, no tracing.
* **Warm imports.** Modules every report imports (pandas, numpy, matplotlib…) are imported while
  the pre-started kernel waits for its notebook, so their cost overlaps with other work.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import os
from typing import Any

#: The pipeline passes the path of the line file in this environment variable.
LINE_FILE_ENV = "WORKBENCH_LINE_FILE"
#: Modules to pre-import, comma-separated (the build sets it to what its notebooks import; unset = none).
PRELOAD_ENV = "WORKBENCH_PRELOAD"
RECORDER = "__workbench_line__"
WIDTH = 10  # bytes of the line number in the file


def encode_line(line: int) -> bytes:
    return str(line).rjust(WIDTH).encode("ascii")


def read_line(path: str) -> int | None:
    """The line the kernel last started (None when nothing was recorded)."""
    try:
        with open(path, "rb") as fh:
            value = int(fh.read(WIDTH).strip() or b"0")
    except (OSError, ValueError):
        return None
    return value or None


def reset_line(path: str) -> None:
    """Called before each cell starts, so a stale number from the previous cell is never reported."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    except OSError:
        return
    try:
        os.pwrite(fd, encode_line(0), 0)
    finally:
        os.close(fd)


class LineMarker(ast.NodeTransformer):
    """Put `__workbench_line__(n)` before each statement outside function and class bodies."""

    def _mark(self, body: list[ast.stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for stmt in body:
            call = ast.Expr(ast.Call(ast.Name(RECORDER, ast.Load()), [ast.Constant(stmt.lineno)], []))
            out.append(ast.copy_location(call, stmt))
            out.append(self.visit(stmt))
        return out

    def generic_visit(self, node: ast.AST) -> ast.AST:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            return node
        for name in ("body", "orelse", "finalbody"):
            block = getattr(node, name, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                setattr(node, name, self._mark(block))
        for handler in getattr(node, "handlers", []) or []:
            handler.body = self._mark(handler.body)
        return node

    def visit_Module(self, node: ast.Module) -> ast.Module:
        node.body = self._mark(node.body)
        return ast.fix_missing_locations(node)


def install_line_marker(shell: Any, path: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)

    def record(line: int, _fd: int = fd) -> None:
        os.pwrite(_fd, encode_line(line), 0)

    setattr(builtins, RECORDER, record)
    shell.ast_transformers.append(LineMarker())


def preload(names: tuple[str, ...]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # a missing optional module must not break the kernel
            pass


def setup() -> None:
    """Entry point of the kernel's exec_lines."""
    from IPython import get_ipython

    shell = get_ipython()
    path = os.environ.get(LINE_FILE_ENV)
    if shell is not None and path:
        install_line_marker(shell, path)
    names = os.environ.get(PRELOAD_ENV) or ""
    preload(tuple(n.strip() for n in names.split(",") if n.strip()))


def notebook_imports(nb: dict[str, Any]) -> list[str]:
    """Modules a notebook imports at the top level of its code cells (absolute imports only), in order.
    The pipeline pre-imports them in the next run's kernel while that kernel waits for its notebook."""
    found: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        try:
            tree = ast.parse("".join(source) if isinstance(source, list) else source)
        except SyntaxError:  # magics and shell lines: nothing to learn from this cell
            continue
        for node in tree.body:
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            found += [n for n in names if n not in found]
    return found
