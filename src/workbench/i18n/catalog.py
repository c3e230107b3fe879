"""Keeping the catalogue in step with the code: extract message ids, list the missing, update `.po` files.

Sources are the package's Python modules and the code cells of ``notebooks/*.ipynb``; messages are
the literal first arguments of ``_``, ``gettext``, ``ngettext``, ``pgettext``, ``npgettext``,
``N_`` and ``N_plural`` (Babel's Python extractor). Run ``python -m workbench.i18n check`` to list ids without a
Russian translation, ``python -m workbench.i18n update`` to add new ids to every ``.po`` file
(empty, to be translated) and drop ids no code uses any more.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.i18n import DEFAULT_LANGUAGE, DOMAIN, LANGUAGES, po_path

__all__ = ["KEYWORDS", "extract", "missing_in_catalog", "template", "update"]

#: function name -> which arguments are the message (Babel's notation); `_` is gettext.
KEYWORDS: dict[str, Any] = {
    "_": None,
    "gettext": None,
    "N_": None,
    "N_plural": (1, 2),
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _sources(root: Path) -> Iterator[tuple[str, str]]:
    """(location, Python source) of every package module and every notebook code cell."""
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        yield str(path.relative_to(PACKAGE_DIR.parent)), path.read_text(encoding="utf-8")
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for i, cell in enumerate(cells):
            if cell["cell_type"] == "code":
                src = cell["source"]
                yield f"notebooks/{path.name}#cell{i}", "".join(src) if isinstance(src, list) else src


def extract(root: Path) -> list[tuple[str, str | tuple[str, str], str | None]]:
    """Every message the code uses: (location, id or (singular, plural), context), in source order."""
    from babel.messages.extract import extract as babel_extract

    out = []
    for location, source in _sources(root):
        found = babel_extract("python", io.BytesIO(source.encode("utf-8")), KEYWORDS, strip_comment_tags=True)
        for lineno, message, _comments, context in found:
            out.append((f"{location}:{lineno}", message, context))
    return out


def template(root: Path) -> Any:
    """A Babel catalogue of every extracted message (the `.pot` this project does not store)."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(domain=DOMAIN, project="Marketing Workbench", charset="utf-8")
    for location, msgid, context in extract(root):
        path, line = location.rsplit(":", 1)
        catalog.add(msgid, locations=[(path, int(line))], context=context, flags=("python-brace-format",))
    return catalog


def missing_in_catalog(root: Path, lang: str = "ru") -> list[str]:
    """Messages the code uses that `lang`'s catalogue does not translate (absent, empty or fuzzy)."""
    from workbench.i18n import read_catalog

    catalog = read_catalog(lang)
    out = []
    for location, msgid, context in extract(root):
        entry = catalog.get(msgid, context=context)
        strings = [] if entry is None else entry.string
        strings = strings if isinstance(strings, (list, tuple)) else [strings]
        if entry is None or entry.fuzzy or not strings or not all(strings):
            key = msgid[0] if isinstance(msgid, tuple) else msgid
            out.append(f"{location}: {context + ' | ' if context else ''}{key[:70]}")
    return out


def update(root: Path, files: dict[str, Path] | None = None) -> dict[str, int]:
    """Bring every `.po` file in step with the code: new ids added untranslated, unused ones dropped
    (`files` maps language -> `.po` path; default: the package's). A catalogue already in step is
    rewritten byte for byte. Returns language -> number of untranslated messages after the update."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    pot = template(root)
    counts = {}
    for lang in LANGUAGES:
        if lang == DEFAULT_LANGUAGE:
            continue
        path = Path(str(po_path(lang))) if files is None else files[lang]
        if path.exists():
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=lang, domain=DOMAIN)
            pot.creation_date = catalog.creation_date  # no header churn when no message changed
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=lang, domain=DOMAIN, project="Marketing Workbench")
        catalog.update(pot, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.fuzzy = False
        with path.open("wb") as fh:  # locations without line numbers: edits elsewhere in a file cause no churn
            write_po(fh, catalog, width=0, include_previous=False, include_lineno=False)
        counts[lang] = sum(1 for m in catalog if m.id and (not m.string or not all(_strings(m.string))))
    return counts


def _strings(value: Any) -> list[str]:
    return list(value) if isinstance(value, (list, tuple)) else [value]
