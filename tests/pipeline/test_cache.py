"""Cache keys: what changes a key, and what must not."""

from __future__ import annotations

import hashlib
import os

from workbench.pipeline import cache

NB = {
    "cells": [
        {
            "cell_type": "code",
            "source": "x = 1",
            "metadata": {"tags": ["parameters"]},
            "outputs": [],
            "execution_count": None,
        },
        {"cell_type": "code", "source": ["print(", "x)"], "metadata": {}, "outputs": [], "execution_count": None},
    ],
    "metadata": {"kernelspec": {"language": "python"}},
}


def test_notebook_fingerprint_ignores_outputs_and_counts():
    executed = {**NB, "cells": [dict(c) for c in NB["cells"]]}
    executed["cells"][1] = {
        **executed["cells"][1],
        "outputs": [{"output_type": "stream", "text": "1"}],
        "execution_count": 7,
    }
    assert cache.notebook_fingerprint(executed) == cache.notebook_fingerprint(NB)


def test_notebook_fingerprint_changes_with_source_and_tags():
    edited = {**NB, "cells": [NB["cells"][0], {**NB["cells"][1], "source": "print(x + 1)"}]}
    untagged = {**NB, "cells": [{**NB["cells"][0], "metadata": {}}, NB["cells"][1]]}
    base = cache.notebook_fingerprint(NB)
    assert cache.notebook_fingerprint(edited) != base
    assert cache.notebook_fingerprint(untagged) != base


def test_sha256_file_matches_hashlib(tmp_path):
    f = tmp_path / "a.bin"
    data = os.urandom(3 << 20)  # several read chunks
    f.write_bytes(data)
    assert cache.sha256_file(f) == hashlib.sha256(data).hexdigest()


def test_hash_cache_reuses_and_invalidates(tmp_path):
    f = tmp_path / "data.csv"
    f.write_text("a\n1\n")
    store = tmp_path / "cache" / "hashes.json"
    hc = cache.HashCache(store)
    first = hc.sha256(f)
    hc.save()
    reloaded = cache.HashCache(store)
    # A remembered entry is trusted while size and mtime are unchanged: plant a marker to prove it is used.
    key = str(f.resolve())
    reloaded.entries[key][2] = "remembered"
    assert reloaded.sha256(f) == "remembered"
    f.write_text("a\n2\n3\n")
    assert reloaded.sha256(f) == hashlib.sha256(b"a\n2\n3\n").hexdigest() != first


def test_describe_inputs_lists_files_under_dirs(tmp_path):
    (tmp_path / "pages" / "b.com").mkdir(parents=True)
    (tmp_path / "pages" / "b.com" / "index.html").write_text("<p>b</p>")
    (tmp_path / "pages" / "a.html").write_text("<p>a</p>")
    (tmp_path / "pages" / ".hidden").write_text("x")
    (tmp_path / "o.csv").write_text("x\n")
    inputs = cache.describe_inputs(
        {"pages_dir": "pages", "orders_path": "o.csv"}, lambda p: tmp_path / p, cache.HashCache(None)
    )
    assert [i["path"] for i in inputs] == ["o.csv", "pages/a.html", "pages/b.com/index.html"]
    assert inputs[1]["sha256"] == hashlib.sha256(b"<p>a</p>").hexdigest() and inputs[1]["size"] == 8


def test_cache_key_depends_on_each_part():
    inputs = [{"path": "o.csv", "sha256": "aa"}]
    base = cache.cache_key("nb", {"a": 1}, inputs, {"show_code": False})
    assert cache.cache_key("nb", {"a": 1}, inputs, {"show_code": False}) == base
    assert cache.cache_key("nb2", {"a": 1}, inputs, {"show_code": False}) != base
    assert cache.cache_key("nb", {"a": 2}, inputs, {"show_code": False}) != base
    assert cache.cache_key("nb", {"a": 1}, [{"path": "o.csv", "sha256": "bb"}], {"show_code": False}) != base
    assert cache.cache_key("nb", {"a": 1}, inputs, {"show_code": True}) != base


def test_cache_key_covers_package_source_and_dependencies(monkeypatch):
    base = cache.cache_key("nb", {}, [], {})
    monkeypatch.setattr(cache, "_source_hash", "other-source")
    assert cache.cache_key("nb", {}, [], {}) != base
    monkeypatch.setattr(cache, "_deps_versions", {"pandas": "0.1"})
    changed = cache.cache_key("nb", {}, [], {})
    monkeypatch.setattr(cache, "_deps_versions", {"pandas": "0.2"})
    assert cache.cache_key("nb", {}, [], {}) != changed


def test_dependency_versions_cover_declared_runtime_deps():
    versions = cache.dependency_versions()
    assert {"python", "pandas", "papermill", "nbconvert"} <= set(versions)
    assert "pytest" not in versions  # test extra is not part of a report's environment


def test_package_source_hash_follows_the_source_files(tmp_path, monkeypatch):
    """Editing any source file (code, template, style) changes the hash; bytecode caches do not."""
    pkg = tmp_path / "workbench"
    (pkg / "pipeline" / "templates").mkdir(parents=True)
    (pkg / "__init__.py").write_text("x = 1\n")
    (pkg / "pipeline" / "templates" / "page.j2").write_text("{{ a }}\n")
    monkeypatch.setattr(cache, "_PACKAGE_DIR", pkg)

    def fresh() -> str:
        monkeypatch.setattr(cache, "_source_hash", None)
        return cache.package_source_hash()

    base = fresh()
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "x.cpython-311.json").write_text("{}")
    assert fresh() == base
    (pkg / "__init__.py").write_text("x = 2\n")
    changed = fresh()
    assert changed != base
    (pkg / "pipeline" / "templates" / "page.j2").write_text("{{ b }}\n")
    assert fresh() != changed


def test_dependency_versions_are_read_from_the_installed_packages(monkeypatch):
    """Upgrading an installed dependency changes the cache key (nothing is hard-coded)."""
    from importlib import metadata

    real = metadata.version
    monkeypatch.setattr(cache, "_deps_versions", None)
    assert cache.dependency_versions()["pandas"] == real("pandas")
    base = cache.cache_key("nb", {}, [], {})
    monkeypatch.setattr(metadata, "version", lambda name: "999.0" if name == "pandas" else real(name))
    monkeypatch.setattr(cache, "_deps_versions", None)
    assert cache.dependency_versions()["pandas"] == "999.0"
    assert cache.cache_key("nb", {}, [], {}) != base
