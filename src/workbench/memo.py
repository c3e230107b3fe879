"""Within one build, a heavy computation that several reports make from the same inputs is made once.

Each sample report has an English and a Russian version: the same media-mix fit with its bootstrap
(10 s), the same forecasts (4 s), the same publication-slot shrinkage (4 s), computed twice, differing
only in the words around the numbers. A function decorated with `@memoized` stores its result in the
build's shared cache folder (the one `workbench.data.frame_cache` uses, set only by `workbench build`)
under a key made of the function's name and the pickle of its arguments; a later call with the same
arguments, in any report of the same build, unpickles the stored result instead. Outside a build
(`workbench run`, reproduce, JupyterLab, tests) nothing is cached.

Why a hit equals a fresh computation:

* the key is the sha256 of the pickled arguments, and pickling round-trips: equal keys mean equal
  arguments (unequal pickles of equal arguments only cost a recomputation);
* a memoized function must be deterministic in its arguments (seeds are arguments) and must not
  depend on the report's language: while it runs, translating a message raises (see
  `workbench.i18n.untranslated`), so a function that would put words into its result fails in every
  test that calls it instead of handing English words to a Russian report;
* the stored value is the pickle of the result as returned, before the caller can modify it, and
  every hit gets its own copy.

Workers computing the same key at the same time: the first takes a lock on the key, the others wait
for its result (a killed worker releases the lock; its partial file is never renamed into place).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def _folder() -> Path | None:
    from workbench.data.frame_cache import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    memo = folder / "memo"
    try:
        memo.mkdir(exist_ok=True)
    except OSError:
        return None
    return memo


def call_key(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> str | None:
    """The cache key of one call, or None if an argument cannot be pickled (then it is not cached)."""
    try:
        payload = pickle.dumps((fn.__module__, fn.__qualname__, args, sorted(kwargs.items())), protocol=5)
    except Exception:
        return None
    return hashlib.sha256(payload).hexdigest()


def _load(path: Path) -> tuple[bool, Any]:
    try:
        with open(path, "rb") as fh:
            return True, pickle.load(fh)
    except Exception:  # absent, or unreadable: computed again
        return False, None


def _store(path: Path, value: Any) -> None:
    """Best effort: a value that cannot be pickled, or a full disk, only costs a recomputation."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".memo-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except Exception:
        Path(tmp).unlink(missing_ok=True)


def memoized(fn: F) -> F:
    """Cache `fn`'s results across the reports of one build (see the module docstring)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from workbench.i18n import untranslated

        folder = _folder()
        key = call_key(fn, args, kwargs) if folder is not None else None
        if folder is None or key is None:
            with untranslated(fn.__qualname__):
                return fn(*args, **kwargs)
        import fcntl

        path = folder / f"{key}.pkl"
        with open(folder / f"{key}.lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one computes, the others wait for its result
            found, value = _load(path)
            if found:
                return value
            with untranslated(fn.__qualname__):
                value = fn(*args, **kwargs)
            _store(path, value)
            return value

    return wrapper  # type: ignore[return-value]
