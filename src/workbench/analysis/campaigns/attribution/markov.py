"""Data-driven attribution with an absorbing Markov chain, solved exactly.

Each channel's credit is proportional to its removal effect: the share of conversions the chain
would lose if the channel disappeared (its incoming transitions going to "no conversion").
Removal effects are computed from the chain's fundamental matrix by solving linear systems, not
by simulating journeys, so they are exact and the same on every run. Order k > 1 makes the state
the last k channels (journeys shorter than k use their whole prefix).

Useful invariant: for a chain estimated from the paths themselves, the expected number of
conversions from the start equals the observed conversions (flow conservation), so the chain's
conversion probability equals the observed conversion rate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.linalg import spsolve

from workbench.analysis.campaigns.attribution.rules import PATH_SEPARATOR, validate_paths

__all__ = ["MarkovResult", "markov_attribution"]

_DENSE_LIMIT = 1500


@dataclass
class MarkovResult:
    """credit: one row per channel (removal_effect, removal_effect_value, conversions, value);
    transitions: from_state, to_state, probability; conversion_probability of the full chain."""

    credit: pd.DataFrame
    transitions: pd.DataFrame
    conversion_probability: float
    observed_conversion_rate: float
    order: int


def markov_attribution(paths: pd.DataFrame, order: int = 1, sep: str = PATH_SEPARATOR) -> MarkovResult:
    """Markov-chain attribution of conversions and value from aggregated paths.

    paths: contract path ("a > b > c"), conversions [, non_conversions, value]. Without
    non_conversions every journey converted, and removal effects then measure how often a channel
    sits on the way to conversion. Value credit uses value removal effects: each conversion is
    worth the average value of conversions ending in its last state.
    """
    if not isinstance(order, (int, np.integer)) or order < 1:
        raise ValueError(f"order must be a positive integer; got {order!r}")
    p = validate_paths(paths)
    conv, null, value = (p[c].to_numpy(float) for c in ("conversions", "non_conversions", "value"))
    steps = p["path"].str.split(sep, regex=False).explode().str.strip()
    steps = steps[steps.notna() & (steps != "")]
    jid = steps.index.to_numpy()
    has_steps = np.bincount(jid, minlength=len(p)) > 0
    total = conv + null
    keep = (total > 0) & has_steps
    mask = keep[jid]
    jid = jid[mask]
    if jid.size == 0:
        raise ValueError("paths hold no journeys with conversions or non-conversions")
    ch_codes, channels_arr = pd.factorize(steps.to_numpy()[mask], sort=True)
    channels = [str(c) for c in channels_arr]
    first = np.r_[True, jid[1:] != jid[:-1]]
    last = np.r_[jid[1:] != jid[:-1], True]
    # state key = the last `order` channel codes (−1 where the journey is shorter), packed in int64
    start_pos = np.flatnonzero(first)
    pos = np.arange(jid.size) - np.repeat(start_pos, np.diff(np.r_[start_pos, jid.size]))
    base = len(channels) + 1
    if order * np.log2(base) > 62:
        raise ValueError(f"order={order} is too high for {len(channels)} channels")
    key = np.zeros(jid.size, dtype=np.int64)
    for lag in range(order):
        lagged = np.where(pos >= lag, np.roll(ch_codes, lag), -1) + 1
        key = key * base + lagged
    state_of, uniq = pd.factorize(key)
    state_of = state_of + 1  # 0 is (start)
    m = len(uniq) + 1
    src = np.where(first, 0, np.roll(state_of, 1))
    w = total[jid]
    counts = sparse.coo_matrix((w, (src, state_of)), shape=(m, m)).tocsr()
    ends = state_of[last]
    end_j = jid[last]
    to_conv = np.bincount(ends, weights=conv[end_j], minlength=m)
    to_null = np.bincount(ends, weights=null[end_j], minlength=m)
    val_end = np.bincount(ends, weights=np.where(conv > 0, value, 0.0)[end_j], minlength=m)
    out_total = np.asarray(counts.sum(axis=1)).ravel() + to_conv + to_null
    out_total[out_total == 0] = 1.0
    Q = (sparse.diags(1.0 / out_total) @ counts).tocsr()
    r_conv = to_conv / out_total
    val_per_conv = np.divide(val_end, to_conv, out=np.zeros(m), where=to_conv > 0)
    # channels present in each state, for removal
    digits = np.empty((len(uniq), order), dtype=np.int64)
    rest = np.asarray(uniq, dtype=np.int64)
    for i in range(order - 1, -1, -1):
        digits[:, i] = rest % base - 1
        rest = rest // base
    state_names = ["(start)"] + [" > ".join(channels[c] for c in row[::-1] if c >= 0) for row in digits]

    def expected(removed: np.ndarray | None) -> tuple[float, float]:
        """Expected conversions and value per journey starting at (start), with some states removed."""
        if removed is None:
            keep_idx = np.arange(m)
        else:
            keep_idx = np.flatnonzero(~removed)
        Qk = Q[keep_idx][:, keep_idx]
        A = (sparse.identity(len(keep_idx), format="csr") - Qk).T.tocsc()
        b = np.zeros(len(keep_idx))
        b[0] = 1.0  # start state is always index 0 and never removed
        if len(keep_idx) <= _DENSE_LIMIT:
            visits = np.linalg.solve(A.toarray(), b)
        else:
            visits = spsolve(A, b)
        absorbed = visits * r_conv[keep_idx]
        return float(absorbed.sum()), float((absorbed * val_per_conv[keep_idx]).sum())

    base_conv, base_val = expected(None)
    rows = []
    for ch in channels:
        removed = np.r_[False, (digits == channels.index(ch)).any(axis=1)]
        c_rm, v_rm = expected(removed)
        rows.append(
            {
                "channel": ch,
                "removal_effect": 1 - c_rm / base_conv if base_conv > 0 else 0.0,
                "removal_effect_value": 1 - v_rm / base_val if base_val > 0 else 0.0,
            }
        )
    credit = pd.DataFrame(rows)
    total_conv, total_val = float(conv[keep].sum()), float(value[keep & (conv > 0)].sum())
    for col, tot, out in (("removal_effect", total_conv, "conversions"), ("removal_effect_value", total_val, "value")):
        s = credit[col].sum()
        credit[out] = credit[col] / s * tot if s > 0 else 0.0
    names = state_names
    coo = Q.tocoo()
    trans = pd.DataFrame(
        {"from_state": [names[i] for i in coo.row], "to_state": [names[j] for j in coo.col], "probability": coo.data}
    )
    extra = [
        pd.DataFrame({"from_state": names, "to_state": "(conversion)", "probability": r_conv}),
        pd.DataFrame({"from_state": names, "to_state": "(null)", "probability": to_null / out_total}),
    ]
    trans = pd.concat([trans, *extra], ignore_index=True)
    trans = trans[trans["probability"] > 0].sort_values(["from_state", "to_state"]).reset_index(drop=True)
    observed = total_conv / float(total[keep].sum())
    return MarkovResult(
        credit=credit,
        transitions=trans,
        conversion_probability=base_conv,
        observed_conversion_rate=observed,
        order=int(order),
    )
