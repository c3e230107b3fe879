"""Checks of the params keys that steer delivery, scheduling and retention (`_delivery`, `_schedule`,
`_retention`), called by params validation so a bad value stops a run before any kernel starts."""

from __future__ import annotations

from typing import Any

#: Params keys this package adds to the pipeline's keys, with what each holds.
DELIVERY_KEYS = {
    "_delivery": "e-mail delivery: to, failure_to, subject, attachments (docs/delivery.md)",
    "_schedule": "cron expression of scheduled runs, e.g. '0 7 2 * *' (docs/delivery.md)",
    "_retention": "versions to keep: {keep_last: N} (docs/delivery.md)",
}


def option_problems(key: str, value: Any) -> list[str]:
    """Problems of one delivery/scheduling/retention key (empty: valid; other keys: nothing to say)."""
    if key == "_delivery":
        from workbench.delivery.spec import delivery_problems

        return delivery_problems(value)
    if key == "_schedule":
        from workbench.pipeline.schedule import schedule_problems

        return schedule_problems(value)
    if key == "_retention":
        from workbench.pipeline.prune import retention_problems

        return retention_problems(value)
    return []
