"""Weights from params (scorecard, competition, on-page checks): one validation, one wording."""

from __future__ import annotations

from collections.abc import Mapping


def weight_value(name: str, key: str, value: object) -> float:
    """One weight as a float; booleans, NaN, negatives and non-numbers are errors naming the param."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value < 0:
        raise ValueError(f"{name}[{key!r}] must be a non-negative number, got {value!r}")
    return float(value)


def merge_weights(
    weights: Mapping[str, float] | None, defaults: Mapping[str, float], name: str, noun: str = "key"
) -> dict[str, float]:
    """User weights merged over `defaults`: unknown keys (listing the allowed ones), bad values and
    all-zero weights are errors that name the params key `name`."""
    merged = dict(defaults)
    if weights is None:
        return merged
    if not isinstance(weights, Mapping):
        raise ValueError(f"{name} must be a mapping of {noun} -> weight, got {type(weights).__name__}")
    for key, value in weights.items():
        if key not in defaults:
            raise ValueError(f"{name}: unknown {noun} {key!r}; allowed: {', '.join(defaults)}")
        merged[key] = weight_value(name, key, value)
    if sum(merged.values()) <= 0:
        raise ValueError(f"{name}: at least one weight must be positive")
    return merged
