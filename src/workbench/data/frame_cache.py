"""A build's shared cache of loaded inputs, so that reports reading the same file parse it once.

In the sample build ten of seventeen reports load the same 42 MB sessions file: 3 s of CPU each to
parse and validate, 0.1 s to unpickle the validated frame. Only kernels started by `workbench build`
use the cache (the build points WORKBENCH_FRAME_CACHE at a folder it creates and removes at its
end); everywhere else (`workbench run`, reproduce, JupyterLab, papermill) `load` reads the file.

A cached frame is the pickle of the frame `load` returned (values, dtypes and attrs exactly), keyed
by everything it depends on: dataset, resolved path, file size and modification time, and every
load option. Failed loads are never cached, so an error is raised by every report that meets it.
Concurrent workers writing the same key each write a private file and rename it into place.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the build imports FRAME_CACHE_ENV from here and must stay free of pandas
    import pandas as pd

#: The folder of the current build's cache (unset: no caching).
FRAME_CACHE_ENV = "WORKBENCH_FRAME_CACHE"


def cache_dir() -> Path | None:
    folder = os.environ.get(FRAME_CACHE_ENV, "").strip()
    return Path(folder) if folder and Path(folder).is_dir() else None


def frame_key(dataset: str, path: Path, options: dict[str, Any]) -> str:
    """The key of one load: a change of file content (size, mtime) or of any option is another key."""
    st = path.stat()
    payload = [dataset, str(path.resolve()), st.st_size, st.st_mtime_ns, options]
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=repr).encode("utf-8")).hexdigest()


def get(folder: Path, key: str) -> pd.DataFrame | None:
    """The cached frame, or None (absent, or unreadable: then the file is simply read again)."""
    import pandas as pd

    try:
        with open(folder / f"{key}.pkl", "rb") as fh:
            frame = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        return None
    return frame if isinstance(frame, pd.DataFrame) else None


def put(folder: Path, key: str, frame: pd.DataFrame) -> None:
    """Store a frame (best effort: a full disk only costs the next report a re-read)."""
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".frame-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(frame, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"{key}.pkl")
    except OSError:
        Path(tmp).unlink(missing_ok=True)
