"""``python -m workbench.i18n check|update``: list untranslated messages, or sync the `.po` files."""

from __future__ import annotations

import sys

from workbench.config import project_root
from workbench.i18n.catalog import missing_in_catalog, update


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args not in (["check"], ["update"]):
        print("usage: python -m workbench.i18n check|update", file=sys.stderr)
        return 2
    root = project_root()
    if args == ["update"]:
        for lang, missing in update(root).items():
            print(f"{lang}: {missing} message(s) to translate")
        return 0
    missing = missing_in_catalog(root, "ru")
    for line in missing:
        print(line)
    print(f"{len(missing)} message(s) without a Russian translation")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
