"""Parameter checks shared by analysis functions: one wording for "must lie between 0 and 1".

Messages name the parameter, the allowed range and the value found, as scikit-learn's parameter
validation does, so a wrong value in a params file reads the same whichever function caught it.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["check_fraction"]


def check_fraction(name: str, value: Any, *, inclusive: bool = False, example: str = "") -> float:
    """`value` as a float strictly between 0 and 1 (or within [0, 1] when `inclusive`); else ValueError."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    ok = (0 <= v <= 1) if inclusive else (0 < v < 1)
    if not ok:
        bounds = "between 0 and 1 (inclusive)" if inclusive else "between 0 and 1 (exclusive)"
        hint = f", e.g. {example}" if example else ""
        raise ValueError(f"{name} must be {bounds}{hint}; got {value!r}")
    return v
