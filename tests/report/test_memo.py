"""Within one build a heavy computation several reports make from the same inputs is made once
(workbench.memo): a hit returns what a fresh call would, nothing is cached outside a build, and a
memoized computation cannot use the report's language."""

from __future__ import annotations

import multiprocessing
import pickle

import numpy as np
import pandas as pd
import pytest

from workbench import memo
from workbench.data.frame_cache import FRAME_CACHE_ENV
from workbench.i18n import _, get_language, language

calls: list[tuple] = []


@memo.memoized
def noisy_mean(frame: pd.DataFrame, seed: int = 0) -> pd.Series:
    calls.append((len(frame), seed))
    rng = np.random.default_rng(seed)
    return frame.mean() + rng.normal(size=len(frame.columns))


@memo.memoized
def speaks(x: int) -> str:
    return _("Executive summary") + str(x)


@memo.memoized
def asks_language(x: int) -> str:
    return get_language() * x


@pytest.fixture
def build_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(FRAME_CACHE_ENV, str(tmp_path))
    calls.clear()
    return tmp_path


def _frame(scale: float = 1.0) -> pd.DataFrame:
    return pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [4.0, 5.0, 6.5]}) * scale


def test_outside_a_build_every_call_computes(monkeypatch):
    monkeypatch.delenv(FRAME_CACHE_ENV, raising=False)
    calls.clear()
    noisy_mean(_frame())
    noisy_mean(_frame())
    assert len(calls) == 2


def test_in_a_build_equal_arguments_compute_once_and_get_an_equal_copy(build_cache):
    first = noisy_mean(_frame(), seed=3)
    second = noisy_mean(_frame(), seed=3)
    assert len(calls) == 1
    pd.testing.assert_series_equal(first, second, check_exact=True)
    assert first is not second  # a caller changing its result cannot change another's
    second.iloc[0] = -1.0
    pd.testing.assert_series_equal(noisy_mean(_frame(), seed=3), first, check_exact=True)


def test_another_argument_is_another_computation(build_cache):
    base = noisy_mean(_frame(), seed=3)
    other_seed = noisy_mean(_frame(), seed=4)
    other_data = noisy_mean(_frame(1.0000001), seed=3)
    assert len(calls) == 3
    assert not base.equals(other_seed) and not base.equals(other_data)


def _in_another_process(folder: str, queue: multiprocessing.Queue) -> None:
    import os

    os.environ[FRAME_CACHE_ENV] = folder
    queue.put(pickle.dumps((noisy_mean(_frame(), seed=5), len(calls))))


def test_a_result_computed_by_one_worker_is_found_by_another(build_cache):
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    worker = ctx.Process(target=_in_another_process, args=(str(build_cache), queue))
    worker.start()
    theirs, their_calls = pickle.loads(queue.get(timeout=120))
    worker.join(timeout=60)
    assert their_calls == 1
    ours = noisy_mean(_frame(), seed=5)
    assert calls == []  # found, not computed
    pd.testing.assert_series_equal(ours, theirs, check_exact=True)


@pytest.mark.parametrize("with_cache", [True, False], ids=["in a build", "outside a build"])
def test_a_memoized_computation_cannot_use_the_language(tmp_path, monkeypatch, with_cache):
    if with_cache:
        monkeypatch.setenv(FRAME_CACHE_ENV, str(tmp_path))
    else:
        monkeypatch.delenv(FRAME_CACHE_ENV, raising=False)
    with language("ru"):
        with pytest.raises(RuntimeError, match="speaks used the report's language"):
            speaks(1)
        with pytest.raises(RuntimeError, match="asks_language used the report's language"):
            asks_language(2)
        assert _("Executive summary") != "Executive summary"  # translation works again afterwards


def test_unpicklable_arguments_are_computed_not_cached(build_cache):
    assert memo.call_key(noisy_mean, (lambda: 1,), {}) is None
