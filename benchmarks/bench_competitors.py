"""Competitor audit benchmark: keyword gap over 1,000,000 ranking rows and the on-page audit of
1,000 saved pages, each against a named naive baseline measured in the same run.

    .venv/bin/python benchmarks/bench_competitors.py [--rows 1000000] [--pages 1000]

Baselines: the keyword gap as a row-wise Python loop over dicts; the on-page audit's parse step
with BeautifulSoup's html.parser when bs4 is installed, else the standard library's html.parser
(token counting only — it does less work than our audit, so the ratio flatters the baseline).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import time
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.analysis.competitors.onpage import audit_pages
from workbench.analysis.competitors.seo import DEFAULT_CTR, keyword_gap

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "html"


def rankings(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    domains = np.array(["us.example"] + [f"rival{i}.example" for i in range(9)])
    n_kw = n // 5
    kw = rng.integers(0, n_kw, n)
    frame = pd.DataFrame(
        {
            "keyword": pd.Categorical.from_codes(kw, [f"keyword {i}" for i in range(n_kw)]).astype(str),
            "domain": domains[rng.integers(0, len(domains), n)],
            "position": rng.integers(1, 101, n),
            "search_volume": (kw % 5000) + 10,
            "difficulty": (kw % 101).astype(float),
        }
    )
    return frame


def naive_gap(frame: pd.DataFrame, us: str) -> list[tuple[str, float]]:
    """Row-wise loop: the way a spreadsheet macro would do it."""
    best: dict[str, int] = {}
    ours: dict[str, int] = {}
    vol: dict[str, float] = {}
    diff: dict[str, float] = {}
    for kw, dom, pos, v, d in zip(
        frame["keyword"], frame["domain"], frame["position"], frame["search_volume"], frame["difficulty"], strict=False
    ):
        vol[kw] = max(vol.get(kw, 0), v)
        diff[kw] = max(diff.get(kw, 0), d)
        if dom == us:
            ours[kw] = min(ours.get(kw, 999), pos)
        elif pos <= 10:
            best[kw] = min(best.get(kw, 999), pos)
    out = []
    for kw, p in best.items():
        o = ours.get(kw)
        if o is None or o > 20:
            out.append((kw, vol[kw] * DEFAULT_CTR[p] * (1 - diff[kw] / 100)))
    out.sort(key=lambda t: -t[1])
    return out


def _child(conn, fn, args):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t, c = time.perf_counter(), time.process_time()
    result = fn(*args)
    elapsed, cpu = time.perf_counter() - t, time.process_time() - c
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    conn.send((len(result), elapsed, peak / 1024, (peak - before) / 1024, cpu))
    conn.close()


def timed(fn, *args):
    """Run fn(*args) in a forked child: result size, wall time, the child's peak RSS (MiB), its growth
    during the call, and the child's CPU time (user + system; on a loaded machine wall time is
    inflated by waiting for a core, CPU time much less so)."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_child, args=(child, fn, args))
    proc.start()
    out = parent.recv()
    proc.join()
    return out


class _Tokens(HTMLParser):
    def handle_starttag(self, tag, attrs):
        pass


def stdlib_parse(pages):
    for _, _, raw in pages:
        p = _Tokens()
        p.feed(raw.decode("utf-8", errors="replace"))
        p.close()
    return pages


def bs4_parse(pages):
    from bs4 import BeautifulSoup

    for _, _, raw in pages:
        soup = BeautifulSoup(raw, "html.parser")
        soup.find_all("h1"), soup.find_all("img"), soup.find_all("a"), soup.get_text()
    return pages


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--pages", type=int, default=1000)
    args = ap.parse_args()

    frame = rankings(args.rows)
    print(f"keyword gap: {len(frame):,} ranking rows, {frame['keyword'].nunique():,} keywords, 10 domains")
    n_gap, t_fast, m_fast, d_fast, c_fast = timed(keyword_gap, frame, "us.example")
    n_base, t_naive, m_naive, d_naive, c_naive = timed(naive_gap, frame, "us.example")
    assert n_gap == n_base, (n_gap, n_base)
    print(
        f"  workbench keyword_gap      {t_fast:7.2f} s   peak RSS {m_fast:7.1f} MiB (+{d_fast:.0f})   "
        f"cpu {c_fast:.2f} s   ({n_gap:,} gap keywords)"
    )
    print(
        f"  baseline row-wise loop     {t_naive:7.2f} s   peak RSS {m_naive:7.1f} MiB (+{d_naive:.0f})   "
        f"cpu {c_naive:.2f} s   ratio {t_naive / t_fast:.1f}x"
    )

    sources = sorted(p for p in FIXTURES.glob("*.html") if p.stat().st_size > 0)
    blobs = [p.read_bytes() for p in sources]
    pages = [(f"site{i % 10}.example", f"page{i}.html", blobs[i % len(blobs)]) for i in range(args.pages)]
    size = sum(len(b) for _, _, b in pages)
    print(f"on-page audit: {len(pages):,} pages, {size / 2**20:.1f} MiB of HTML (real and crafted fixture pages)")
    n_audit, t_audit, m_audit, d_audit, c_audit = timed(audit_pages, pages)
    print(
        f"  workbench audit_pages (lxml) {t_audit:5.2f} s   peak RSS {m_audit:7.1f} MiB (+{d_audit:.0f})   "
        f"cpu {c_audit:.2f} s   ({n_audit:,} rows)"
    )
    try:
        import bs4  # noqa: F401

        name, fn = "BeautifulSoup html.parser (parse + 4 queries)", bs4_parse
    except ImportError:
        name, fn = "stdlib html.parser (tokenize only)", stdlib_parse
    _, t_base, m_base, d_base, c_base = timed(fn, pages)
    print(
        f"  baseline {name}  {t_base:5.2f} s   peak RSS {m_base:7.1f} MiB (+{d_base:.0f})   "
        f"cpu {c_base:.2f} s   ratio {t_base / t_audit:.1f}x"
    )
    print("targets: each workbench step < 10 s on 2 cores")


if __name__ == "__main__":
    main()
