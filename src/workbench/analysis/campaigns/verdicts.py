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

from workbench.i18n import _, get_language, language, ngettext, pgettext
from workbench.report.format import confidence, grouped, localize, localize_formatted, p_clause, pct, signed_pct

__all__ = ["explain_experiment", "metric_label", "read_verdicts", "round_users", "srm_sentence", "verdict_paragraph"]

_CORRECTION_NAMES = {"holm": "Holm", "fdr_bh": "Benjamini–Hochberg", "bonferroni": "Bonferroni", "none": "no"}


def _correction_name(correction: str) -> str:
    names = {
        "holm": pgettext("correction", "Holm"),
        "fdr_bh": pgettext("correction", "Benjamini–Hochberg"),
        "bonferroni": pgettext("correction", "Bonferroni"),
    }
    return names.get(correction, _CORRECTION_NAMES.get(correction, correction))


def round_users(n: float) -> int:
    """Up to two significant digits above 1,000 (a sample size is a plan, not a measurement)."""
    if not math.isfinite(n):
        return 0
    n = int(math.ceil(n))
    if n < 1000:
        return n
    digits = len(str(n)) - 2
    return int(math.ceil(n / 10**digits) * 10**digits)


def metric_label(result: Any, metric: str) -> str:
    """The words for a metric in the current language: the default labels are translated, a label the
    params gave (experiment_metrics) is the user's own and stays as written."""
    label = result.labels.get(metric, metric)
    defaults = {
        "conversion_rate": ("conversion rate", pgettext("experiment metric", "conversion rate")),
        "revenue_per_user": ("revenue per user", pgettext("experiment metric", "revenue per user")),
    }
    if metric in defaults and label == defaults[metric][0]:
        return defaults[metric][1]
    return label


def _level(result: Any) -> str:
    return localize_formatted(confidence(result.alpha))


def _lift_range(row: Any) -> str:
    return _("{low} to {high}").format(low=signed_pct(row["lift_low"]), high=signed_pct(row["lift_high"]))


def _row_kind(row: Any, result: Any) -> str:
    """Which reading a treatment gets on one 0/1 metric (the decision; the words come from `_row_text`)."""
    me = result.min_effect
    if row["significant"] and row["difference"] > 0:
        return "ship"
    if row["significant"] and row["difference"] < 0:
        return "keep"
    inside = pd.notna(row["lift_low"]) and me is not None and -me < row["lift_low"] and row["lift_high"] < me
    return "no_effect" if inside else "inconclusive"


def _row_text(kind: str, v: str, row: Any, result: Any, metric: str) -> str:
    ctrl, me = result.control, result.min_effect
    label = metric_label(result, metric)
    if kind == "ship":
        return _("ship {variant}").format(variant=v)
    if kind == "keep":
        if result.labels.get(metric, metric) == "conversion rate":
            return _("keep {control}: {variant} converts worse").format(control=ctrl, variant=v)
        return _("keep {control}: {variant} has a lower {metric}").format(control=ctrl, variant=v, metric=label)
    if kind == "no_effect":
        return _(
            "no effect of {min_effect} or more: {variant}'s lift on {metric} lies within ±{min_effect} "
            "({range}, {level} interval)"
        ).format(min_effect=pct(me), variant=v, metric=label, range=_lift_range(row), level=_level(result))
    if me is None:
        return _(
            "inconclusive: lift {range} ({level} interval); state min_effect to know whether it rules out what matters"
        ).format(range=_lift_range(row), level=_level(result))
    if row["power_min_effect"] >= result.power:
        return _(
            "inconclusive: the interval ({range}) still includes lifts of ±{min_effect}, although this test had "
            "{power} power for them"
        ).format(range=_lift_range(row), min_effect=pct(me), power=pct(row["power_min_effect"]))
    total = round_users(row["needed_t"] + row["needed_c"])
    return _(
        "inconclusive: this test had {power} power for a ±{min_effect} lift; a new test at this split needs about "
        "{total} users ({n_variant} in {variant}, {n_control} in {control}) — plan it at that size rather than "
        "extending this one"
    ).format(
        power=pct(row["power_min_effect"]),
        min_effect=pct(me),
        total=grouped(total),
        n_variant=grouped(round_users(row["needed_t"])),
        variant=v,
        n_control=grouped(round_users(row["needed_c"])),
        control=ctrl,
    )


def _revenue_override(kind: str, text: str, v: str, rev: pd.DataFrame) -> tuple[str, str, str | None]:
    if v not in rev.index or not bool(rev.loc[v, "significant"]):
        return kind, text, None
    better = rev.loc[v, "difference"] > 0
    if kind == "ship" and not better:
        return (
            "inconclusive",
            _("inconclusive: {variant} converts better but earns less per user").format(variant=v),
            None,
        )
    if better and kind not in ("ship", "keep"):
        note = _("{variant}: conversion rate not significantly different, revenue per user significantly higher")
        return "ship", _("ship {variant}").format(variant=v), note.format(variant=v)
    return kind, text, None


def _read(result: Any) -> tuple[dict, dict, list, str]:
    """Every reading in the current language: row texts, per-treatment verdicts, notes, the overall verdict."""
    comp = result.comparisons
    srm = result.srm
    texts: dict[Any, str] = {}
    kinds: dict[Any, str] = {}
    for i, row in comp.iterrows():
        if row["metric"] == "revenue_per_user":
            texts[i] = ""
        elif srm["mismatch"]:
            kinds[i] = "stop"
            texts[i] = _("stop: SRM detected ({p})").format(p=p_clause(srm["p_value"]))
        else:
            kinds[i] = _row_kind(row, result)
            texts[i] = _row_text(kinds[i], row["variant"], row, result, row["metric"])
    decision = result.metrics[0]
    rev = comp[comp["metric"] == "revenue_per_user"].set_index("variant")
    verdicts, by_kind, notes = {}, {}, []
    for i, row in comp[comp["metric"] == decision].iterrows():
        kind, text = kinds[i], texts[i]
        if not srm["mismatch"] and decision == "conversion_rate":
            kind, text, note = _revenue_override(kind, text, row["variant"], rev)
            notes += [note] if note else []
        texts[i] = verdicts[row["variant"]] = text
        by_kind[row["variant"]] = kind
    overall = _overall(verdicts, by_kind, comp[comp["metric"] == decision], result)
    return texts, verdicts, notes, overall


def read_verdicts(result: Any) -> Any:
    """Fill `verdict`, `verdicts`, `notes` and the comparisons' `verdict` column of an ExperimentResult.

    Those stay English in every language (results.json and the logic read them); the same readings in the
    report's language go to `verdict_shown`, `verdicts_shown`, `notes_shown` and `row_verdicts_shown`."""
    with language("en"):
        texts, verdicts, notes, overall = _read(result)
    result.comparisons["verdict"] = pd.Series(texts)
    result.verdicts, result.notes, result.verdict = verdicts, notes, overall
    if get_language() == "en":
        shown = (texts, verdicts, notes, overall)
    else:
        shown = _read(result)
    result.row_verdicts_shown, result.verdicts_shown, result.notes_shown, result.verdict_shown = shown
    return result


def _overall(verdicts: dict, kinds: dict, decision_rows: pd.DataFrame, result: Any) -> str:
    srm, ctrl = result.srm, result.control
    if srm["mismatch"]:
        return _("stop: SRM detected ({p}); fix assignment before reading results").format(p=p_clause(srm["p_value"]))
    ships = [v for v, kind in kinds.items() if kind == "ship"]
    if ships:
        best = max(ships, key=lambda v: decision_rows.set_index("variant").loc[v, "value"])
        return _("ship {variant}").format(variant=best)
    texts = list(verdicts.values())
    if texts and all(k in ("keep", "no_effect") for k in kinds.values()):
        if any(k == "keep" for k in kinds.values()):
            return _("keep {control}").format(control=ctrl)
        me = pct(result.min_effect)
        if len(texts) == 1:
            return _("no effect of {min_effect} or more").format(min_effect=me)
        return _("no effect of {min_effect} or more for any variant").format(min_effect=me)
    inconclusive = [t for t, k in zip(texts, kinds.values(), strict=True) if k == "inconclusive"]
    return inconclusive[0] if inconclusive else _("inconclusive")


def srm_sentence(srm: dict) -> str:
    """The sample-ratio check in one sentence, with the threshold used and why it is that strict."""
    values = {
        "chi2": localize(f"{srm['chi2']:.2f}"),
        "p": p_clause(srm["p_value"]),
        "alpha": localize(f"{srm['alpha']:g}"),
    }
    if srm["mismatch"]:
        text = _(
            "Sample-ratio check: chi-square {chi2}, {p} — MISMATCH: the split differs from the plan, so the results "
            "are not read. Threshold: p < {alpha} (`srm_alpha`), strict because the check runs on every test and a "
            "false alarm throws a good test away, while a real assignment or logging fault is usually gross and "
            "gives far smaller p-values."
        )
    else:
        text = _(
            "Sample-ratio check: chi-square {chi2}, {p} — the split matches the plan. Threshold: p < {alpha} "
            "(`srm_alpha`), strict because the check runs on every test and a false alarm throws a good test away, "
            "while a real assignment or logging fault is usually gross and gives far smaller p-values."
        )
    return text.format(**values)


def _family_sentence(result: Any) -> str:
    corr = _correction_name(result.correction)
    comp = result.comparisons
    n_metrics = comp["metric"].nunique()
    names = ", ".join(metric_label(result, m) for m in dict.fromkeys(comp["metric"]))
    n_treat = comp["variant"].nunique()
    alpha = pct(result.alpha)
    if result.correction == "none":
        text = _("Significance at {alpha} after adjustment: p-values are not adjusted for multiple comparisons.")
        return text.format(alpha=alpha)
    if result.family == "metric":
        text = ngettext(
            "Significance at {alpha} after adjustment: p-values are adjusted with the {correction} correction across "
            "the {n} variant within each metric (family: each metric on its own; {decision} is the decision metric "
            "and is not diluted by the others).",
            "Significance at {alpha} after adjustment: p-values are adjusted with the {correction} correction across "
            "the {n} variants within each metric (family: each metric on its own; {decision} is the decision metric "
            "and is not diluted by the others).",
            n_treat,
        )
        return text.format(alpha=alpha, correction=corr, n=n_treat, decision=metric_label(result, result.metrics[0]))
    text = ngettext(
        "Significance at {alpha} after adjustment: p-values are adjusted with the {correction} correction across "
        "all {n} variant × metric comparison ({metrics} metrics: {names}).",
        "Significance at {alpha} after adjustment: p-values are adjusted with the {correction} correction across "
        "all {n} variant × metric comparisons ({metrics} metrics: {names}).",
        len(comp),
    )
    return text.format(alpha=alpha, correction=corr, n=len(comp), metrics=n_metrics, names=names)


def explain_experiment(result: Any) -> list[str]:
    """The reading in sentences: the multiple-testing family first, then one per treatment and
    0/1 metric, so the verdict, the tables and the lessons say the same thing."""
    lines = [_family_sentence(result)]
    comp = result.comparisons
    shown = getattr(result, "row_verdicts_shown", None) or comp["verdict"].to_dict()
    for i, r in comp[comp["metric"] != "revenue_per_user"].iterrows():
        lift = (
            _("{lift} ({level} CI {range})").format(
                lift=signed_pct(r["rel_lift"]), level=_level(result), range=_lift_range(r)
            )
            if pd.notna(r["lift_low"])
            else signed_pct(r["rel_lift"])
        )
        lines.append(
            _("{variant}: {metric} {value} against {control_value} for {control}, {lift}, {p} → {verdict}.").format(
                variant=r["variant"],
                metric=metric_label(result, r["metric"]),
                value=pct(r["value"], 2),
                control_value=pct(r["control_value"], 2),
                control=result.control,
                lift=lift,
                p=p_clause(r["p_adjusted"], _("adjusted p")),
                verdict=shown[i],
            )
        )
    return lines


def verdict_paragraph(result: Any, explained: list[str]) -> str:
    """The verdict callout: the overall verdict, then the reading of every treatment and metric."""
    return _("Verdict: {verdict}.").format(verdict=result.verdict_shown) + " " + " ".join(explained[1:])
