"""Data-driven attribution with an absorbing Markov chain, solved exactly.

Each channel's credit is proportional to its removal effect: the share of conversions the chain
would lose if the channel disappeared (its incoming transitions going to "no conversion").
Removal effects are computed from the chain's fundamental matrix by solving linear systems, not
by simulating journeys, so they are exact and the same on every run. Order k > 1 makes the state
the last k channels (journeys shorter than k use their whole prefix).

The chain reads nothing of the paths but their transition counts (from state, to state, journeys,
and the value of conversions by last state): `transition_counts` builds them from paths, and an
engine builds the same table from billions of touches (`workbench.data.engines.expressions`), so
the kernel never needs one row per distinct path. At order k the counts are those of k-channel
states, which the same construction gives.

Useful invariant: for a chain estimated from the paths themselves, the expected number of
conversions from the start equals the observed conversions (flow conservation), so the chain's
conversion probability equals the observed conversion rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.linalg import spsolve

from workbench.analysis.campaigns.attribution.rules import PATH_SEPARATOR, validate_paths

__all__ = ["ABSORBING", "START", "MarkovResult", "markov_attribution", "markov_from_transitions", "transition_counts"]

_DENSE_LIMIT = 1500
START, CONVERSION, NULL = "(start)", "(conversion)", "(null)"
ABSORBING = (CONVERSION, NULL)
STATE_SEPARATOR = " > "


@dataclass
class MarkovResult:
    """credit: one row per channel (removal_effect, removal_effect_value, conversions, value);
    transitions: from_state, to_state, probability; conversion_probability of the full chain."""

    credit: pd.DataFrame
    transitions: pd.DataFrame
    conversion_probability: float
    observed_conversion_rate: float
    order: int


def _check_order(order: Any) -> None:
    if not isinstance(order, (int, np.integer)) or order < 1:
        raise ValueError(f"order must be a positive integer; got {order!r}")


def transition_counts(paths: pd.DataFrame, order: int = 1, sep: str = PATH_SEPARATOR) -> pd.DataFrame:
    """The chain's sufficient statistics from aggregated paths: from_state, to_state, journeys, value.

    A state is the last `order` channels joined with " > " ("(start)" before the first touch); every
    journey adds one transition per touch, then one to "(conversion)" (weight conversions, with the
    value of converting paths) or "(null)" (weight non_conversions) from its last state."""
    _check_order(order)
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
    counts = sparse.coo_matrix((total[jid], (src, state_of)), shape=(m, m)).tocsr().tocoo()
    ends, end_j = state_of[last], jid[last]
    to_conv = np.bincount(ends, weights=conv[end_j], minlength=m)
    to_null = np.bincount(ends, weights=null[end_j], minlength=m)
    val_end = np.bincount(ends, weights=np.where(conv > 0, value, 0.0)[end_j], minlength=m)
    digits = np.empty((len(uniq), order), dtype=np.int64)
    rest = np.asarray(uniq, dtype=np.int64)
    for i in range(order - 1, -1, -1):
        digits[:, i] = rest % base - 1
        rest = rest // base
    names = np.array([START] + [STATE_SEPARATOR.join(channels[c] for c in row[::-1] if c >= 0) for row in digits])
    frames = [
        pd.DataFrame({"from_state": names[counts.row], "to_state": names[counts.col], "journeys": counts.data}),
        pd.DataFrame({"from_state": names, "to_state": CONVERSION, "journeys": to_conv, "value": val_end}),
        pd.DataFrame({"from_state": names, "to_state": NULL, "journeys": to_null}),
    ]
    out = pd.concat(frames, ignore_index=True).fillna({"value": 0.0})
    out = out[out["journeys"] > 0].sort_values(["from_state", "to_state"], kind="stable")
    return out.reset_index(drop=True)


def _check_transitions(transitions: pd.DataFrame) -> pd.DataFrame:
    need = ["from_state", "to_state", "journeys", "value"]
    missing = [c for c in need if c not in transitions.columns]
    if missing:
        found = list(transitions.columns)
        raise ValueError(f"transitions: missing column(s) {missing}; expected {need}, found {found}")
    t = transitions[need].copy()
    t[["journeys", "value"]] = t[["journeys", "value"]].astype(float)
    t = t[t["journeys"] > 0]
    if t.empty or not (t["from_state"] == START).any():
        raise ValueError("paths hold no journeys with conversions or non-conversions")
    if (t["to_state"] == START).any() or t["from_state"].isin(ABSORBING).any():
        raise ValueError("transitions: (start) cannot be entered and (conversion)/(null) cannot be left")
    return t


def markov_from_transitions(transitions: pd.DataFrame, order: int = 1) -> MarkovResult:
    """Removal effects and credit from transition counts (`transition_counts`, or an engine's)."""
    _check_order(order)
    t = _check_transitions(transitions)
    states = sorted((set(t["from_state"]) | set(t["to_state"])) - {START, *ABSORBING})
    names = [START, *states]
    index = {s: i for i, s in enumerate(names)}
    m = len(names)
    inner = t[~t["to_state"].isin(ABSORBING)]
    src, dst = inner["from_state"].map(index).to_numpy(), inner["to_state"].map(index).to_numpy()
    counts = sparse.coo_matrix((inner["journeys"].to_numpy(), (src, dst)), shape=(m, m)).tocsr()
    ends = {}
    for to in ABSORBING:
        e = t[t["to_state"] == to]
        rows = e["from_state"].map(index).to_numpy()
        ends[to] = (np.bincount(rows, e["journeys"].to_numpy(), m), np.bincount(rows, e["value"].to_numpy(), m))
    to_conv, val_end = ends[CONVERSION]
    to_null = ends[NULL][0]
    out_total = np.asarray(counts.sum(axis=1)).ravel() + to_conv + to_null
    out_total[out_total == 0] = 1.0
    Q = (sparse.diags(1.0 / out_total) @ counts).tocsr()
    r_conv = to_conv / out_total
    val_per_conv = np.divide(val_end, to_conv, out=np.zeros(m), where=to_conv > 0)
    parts = [set(s.split(STATE_SEPARATOR)) for s in states]
    channels = sorted(set().union(*parts))

    def expected(removed: np.ndarray | None) -> tuple[float, float]:
        """Expected conversions and value per journey starting at (start), with some states removed."""
        keep_idx = np.arange(m) if removed is None else np.flatnonzero(~removed)
        Qk = Q[keep_idx][:, keep_idx]
        A = (sparse.identity(len(keep_idx), format="csr") - Qk).T.tocsc()
        b = np.zeros(len(keep_idx))
        b[0] = 1.0  # start state is always index 0 and never removed
        visits = np.linalg.solve(A.toarray(), b) if len(keep_idx) <= _DENSE_LIMIT else spsolve(A, b)
        absorbed = visits * r_conv[keep_idx]
        return float(absorbed.sum()), float((absorbed * val_per_conv[keep_idx]).sum())

    base_conv, base_val = expected(None)
    rows = []
    for ch in channels:
        c_rm, v_rm = expected(np.array([False] + [ch in p for p in parts]))
        rows.append(
            {
                "channel": ch,
                "removal_effect": 1 - c_rm / base_conv if base_conv > 0 else 0.0,
                "removal_effect_value": 1 - v_rm / base_val if base_val > 0 else 0.0,
            }
        )
    credit = pd.DataFrame(rows)
    total_conv, total_val = float(to_conv.sum()), float(val_end.sum())
    for col, tot, out in (("removal_effect", total_conv, "conversions"), ("removal_effect_value", total_val, "value")):
        s = credit[col].sum()
        credit[out] = credit[col] / s * tot if s > 0 else 0.0
    coo = Q.tocoo()
    trans = pd.DataFrame(
        {"from_state": [names[i] for i in coo.row], "to_state": [names[j] for j in coo.col], "probability": coo.data}
    )
    extra = [
        pd.DataFrame({"from_state": names, "to_state": CONVERSION, "probability": r_conv}),
        pd.DataFrame({"from_state": names, "to_state": NULL, "probability": to_null / out_total}),
    ]
    trans = pd.concat([trans, *extra], ignore_index=True)
    trans = trans[trans["probability"] > 0].sort_values(["from_state", "to_state"]).reset_index(drop=True)
    journeys = float(t.loc[t["from_state"] == START, "journeys"].sum())
    return MarkovResult(
        credit=credit,
        transitions=trans,
        conversion_probability=base_conv,
        observed_conversion_rate=total_conv / journeys,
        order=int(order),
    )


def markov_attribution(paths: Any, order: int = 1, sep: str = PATH_SEPARATOR) -> MarkovResult:
    """Markov-chain attribution of conversions and value from aggregated paths.

    paths: contract path ("a > b > c"), conversions [, non_conversions, value], or a `PathSummary`
    (transition counts computed on an engine). Without non_conversions every journey converted, and
    removal effects then measure how often a channel sits on the way to conversion. Value credit uses
    value removal effects: each conversion is worth the average value of conversions ending in its
    last state.
    """
    _check_order(order)
    if isinstance(paths, pd.DataFrame) or not hasattr(paths, "transitions"):
        return markov_from_transitions(transition_counts(paths, order, sep), order)
    if paths.order != order:
        raise ValueError(
            f"the path summary holds order-{paths.order} transition counts; order={order} needs them "
            f"computed at that order (flight_paths(..., markov_order={order}))"
        )
    return markov_from_transitions(paths.transitions, order)
