"""A/B verdicts in words: what the intervals support, and nothing they do not.

Five readings per treatment and metric, in this order:
- **stop**: the split does not match the plan (sample-ratio mismatch); nothing else is read.
- **ship** / **keep control**: the adjusted p-value is below `alpha` (the interval excludes 0).
- **no effect of X or more**: not significant *and* the lift's (1 − alpha) interval lies inside
  ±`min_effect`; the data rule out every effect that matters, which is a result, not a failure.
- **inconclusive**: neither. With a stated `min_effect` the text gives the power this test had for
  it at its actual split and the size of a *new* test that would have enough; it never suggests
  running this one longer, because peeking and extending inflates false winners (the analysis is
  fixed-horizon, not sequential). Without `min_effect` nothing is sized (post-hoc power is a
  restatement of the p-value).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from workbench.report.format import confidence, p_clause, pct, signed_pct

__all__ = ["explain_experiment", "read_verdicts", "round_users", "srm_sentence"]

_CORRECTION_NAMES = {"holm": "Holm", "fdr_bh": "Benjamini–Hochberg", "bonferroni": "Bonferroni", "none": "no"}


def round_users(n: float) -> int:
    """Up to two significant digits above 1,000 (a sample size is a plan, not a measurement)."""
    if not math.isfinite(n):
        return 0
    n = int(math.ceil(n))
    if n < 1000:
        return n
    digits = len(str(n)) - 2
    return int(math.ceil(n / 10**digits) * 10**digits)


def _lift_range(row: Any) -> str:
    return f"{signed_pct(row['lift_low'])} to {signed_pct(row['lift_high'])}"


def _row_verdict(v: str, row: Any, result: Any, label: str) -> str:
    ctrl, me = result.control, result.min_effect
    if row["significant"] and row["difference"] > 0:
        return f"ship {v}"
    if row["significant"] and row["difference"] < 0:
        worse = "converts worse" if label == "conversion rate" else f"has a lower {label}"
        return f"keep {ctrl}: {v} {worse}"
    inside = pd.notna(row["lift_low"]) and me is not None and -me < row["lift_low"] and row["lift_high"] < me
    if inside:
        return (
            f"no effect of {pct(me)} or more: {v}'s lift on {label} lies within ±{pct(me)} "
            f"({_lift_range(row)}, {confidence(result.alpha)} interval)"
        )
    if me is None:
        return (
            f"inconclusive: lift {_lift_range(row)} ({confidence(result.alpha)} interval); "
            "state min_effect to know whether it rules out what matters"
        )
    if row["power_min_effect"] >= result.power:
        return (
            f"inconclusive: the interval ({_lift_range(row)}) still includes lifts of ±{pct(me)}, although this test "
            f"had {pct(row['power_min_effect'])} power for them"
        )
    total = round_users(row["needed_t"] + row["needed_c"])
    return (
        f"inconclusive: this test had {pct(row['power_min_effect'])} power for a ±{pct(me)} lift; a new test at this "
        f"split needs about {total:,} users ({round_users(row['needed_t']):,} in {v}, "
        f"{round_users(row['needed_c']):,} in {ctrl}) — plan it at that size rather than extending this one"
    )


def _revenue_override(verdict: str, v: str, rev: pd.DataFrame) -> tuple[str, str | None]:
    if v not in rev.index or not bool(rev.loc[v, "significant"]):
        return verdict, None
    better = rev.loc[v, "difference"] > 0
    if verdict == f"ship {v}" and not better:
        return f"inconclusive: {v} converts better but earns less per user", None
    if better and not verdict.startswith(("ship", "keep")):
        note = f"{v}: conversion rate not significantly different, revenue per user significantly higher"
        return f"ship {v}", note
    return verdict, None


def read_verdicts(result: Any) -> Any:
    """Fill `verdict`, `verdicts`, `notes` and the comparisons' `verdict` column of an ExperimentResult."""
    comp = result.comparisons
    srm = result.srm
    texts: dict[int, str] = {}
    for i, row in comp.iterrows():
        if row["metric"] == "revenue_per_user":
            texts[i] = ""
        elif srm["mismatch"]:
            texts[i] = f"stop: SRM detected ({p_clause(srm['p_value'])})"
        else:
            texts[i] = _row_verdict(row["variant"], row, result, result.labels.get(row["metric"], row["metric"]))
    decision = result.metrics[0]
    rev = comp[comp["metric"] == "revenue_per_user"].set_index("variant")
    verdicts, notes = {}, []
    for i, row in comp[comp["metric"] == decision].iterrows():
        text = texts[i]
        if not srm["mismatch"] and decision == "conversion_rate":
            text, note = _revenue_override(text, row["variant"], rev)
            notes += [note] if note else []
        texts[i] = verdicts[row["variant"]] = text
    comp["verdict"] = pd.Series(texts)
    result.verdicts, result.notes = verdicts, notes
    result.verdict = _overall(verdicts, comp[comp["metric"] == decision], srm, result.control)
    return result


def _overall(verdicts: dict, decision_rows: pd.DataFrame, srm: dict, ctrl: str) -> str:
    if srm["mismatch"]:
        return f"stop: SRM detected ({p_clause(srm['p_value'])}); fix assignment before reading results"
    ships = [v for v, text in verdicts.items() if text.startswith("ship ")]
    if ships:
        best = max(ships, key=lambda v: decision_rows.set_index("variant").loc[v, "value"])
        return f"ship {best}"
    texts = list(verdicts.values())
    if texts and all(t.startswith(("keep ", "no effect")) for t in texts):
        if any(t.startswith("keep ") for t in texts):
            return f"keep {ctrl}"
        return texts[0].split(":")[0] if len(texts) == 1 else f"{texts[0].split(':')[0]} for any variant"
    inconclusive = [t for t in texts if t.startswith("inconclusive")]
    return inconclusive[0] if inconclusive else "inconclusive"


def srm_sentence(srm: dict) -> str:
    """The sample-ratio check in one sentence, with the threshold used and why it is that strict."""
    head = f"Sample-ratio check: chi-square {srm['chi2']:.2f}, {p_clause(srm['p_value'])}"
    why = (
        f"Threshold: p < {srm['alpha']:g} (`srm_alpha`), strict because the check runs on every test and a false "
        "alarm throws a good test away, while a real assignment or logging fault is usually gross and gives far "
        "smaller p-values."
    )
    if srm["mismatch"]:
        return f"{head} — MISMATCH: the split differs from the plan, so the results are not read. {why}"
    return f"{head} — the split matches the plan. {why}"


def _family_sentence(result: Any) -> str:
    corr = _CORRECTION_NAMES.get(result.correction, result.correction)
    comp = result.comparisons
    n_metrics = comp["metric"].nunique()
    names = ", ".join(result.labels.get(m, m) for m in dict.fromkeys(comp["metric"]))
    n_treat = comp["variant"].nunique()
    if result.correction == "none":
        fam = "p-values are not adjusted for multiple comparisons"
    elif result.family == "metric":
        fam = (
            f"p-values are adjusted with the {corr} correction across the {n_treat} "
            f"{'variants' if n_treat != 1 else 'variant'} within each metric (family: each metric on its own; "
            f"{result.labels.get(result.metrics[0], result.metrics[0])} is the decision metric and is not diluted "
            "by the others)"
        )
    else:
        fam = (
            f"p-values are adjusted with the {corr} correction across all {len(comp)} "
            f"variant × metric comparisons ({n_metrics} metrics: {names})"
        )
    return f"Significance at {pct(result.alpha)} after adjustment: {fam}."


def explain_experiment(result: Any) -> list[str]:
    """The reading in sentences: the multiple-testing family first, then one per treatment and
    0/1 metric, so the verdict, the tables and the lessons say the same thing."""
    lines = [_family_sentence(result)]
    comp = result.comparisons
    for _, r in comp[comp["metric"] != "revenue_per_user"].iterrows():
        label = result.labels.get(r["metric"], r["metric"])
        lift = (
            f"{signed_pct(r['rel_lift'])} ({confidence(result.alpha)} CI {_lift_range(r)})"
            if pd.notna(r["lift_low"])
            else signed_pct(r["rel_lift"])
        )
        lines.append(
            f"{r['variant']}: {label} {pct(r['value'], 2)} against {pct(r['control_value'], 2)} for {result.control}, "
            f"{lift}, {p_clause(r['p_adjusted'], 'adjusted p')} → {r['verdict']}."
        )
    return lines
