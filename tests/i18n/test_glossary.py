"""The Russian catalogue uses the glossary's words (docs/glossary.md)."""

from __future__ import annotations

import re

from workbench.i18n import read_catalog


def glossary(project_root) -> list[tuple[list[str], list[str]]]:
    """(English variants, Russian stems) per row of the glossary table."""
    rows = []
    for line in (project_root / "docs" / "glossary.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("English", "---"):
            continue
        english = [v.strip().lower() for v in cells[0].split(" / ")]
        russian = re.sub(r"\(.*?\)", "", cells[1]).lower().split()
        # a stem that survives Russian case endings: drop up to three letters of a long word
        stems = [w[: max(3, len(w) - 3)] if re.search("[а-яё]", w) else w for w in russian]
        rows.append((english, stems))
    return rows


def _plain(message: str) -> str:
    """A message without placeholders and code spans ('{channel}', '`holdout_weeks`' are not words)."""
    return re.sub(r"\{[^}]*\}|`[^`]*`", " ", message).lower()


def test_the_glossary_has_the_issue_terms(project_root):
    text = (project_root / "docs" / "glossary.md").read_text(encoding="utf-8")
    russian = {line.split("|")[2].strip() for line in text.splitlines() if line.count("|") == 4}
    for term in ("конверсия", "CTR", "CPC", "CPA", "ДРР", "ROMI", "воронка", "атрибуция", "когорта", "ЦА", "охват"):
        assert any(r.split(" (")[0] == term or r.startswith(term + " ") for r in russian), term
    assert {"ROAS", "маржинальный ROAS", "медиамикс"} <= russian


def test_translations_use_the_glossary_words(project_root):
    rows = glossary(project_root)
    problems = []
    for m in read_catalog("ru"):
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        source = _plain(ids[0])
        for english, stems in rows:
            if any(re.search(rf"\b{re.escape(e)}(s|es)?\b", source) for e in english):
                for s in strings:
                    missing = [stem for stem in stems if stem not in s.lower()]
                    if missing:
                        problems.append(f"{english[0]!r} -> {missing} not in {s[:80]!r}")
    assert not problems, "\n".join(problems)
