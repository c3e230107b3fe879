"""docs/campaign-postmortem.md lists every section the notebook can skip, with the params keys it needs."""

from __future__ import annotations

import ast
import json
from pathlib import Path


def _requires_calls(notebook: Path) -> dict[str, list[str]]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    found = {}
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "requires":
                section = node.args[0]  # requires(N_("A/B tests"), ...): the English id inside N_()
                section = section.args[0] if isinstance(section, ast.Call) else section
                found[section.value] = [k.arg for k in node.keywords if k.arg != "any_of"]
    return found


def test_doc_table_matches_the_notebook(project_root):
    sections = _requires_calls(project_root / "notebooks" / "campaign_postmortem.ipynb")
    assert len(sections) >= 9
    doc = (project_root / "docs" / "campaign-postmortem.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in doc.splitlines() if line.startswith("| ") and "`" in line}
    for section, keys in sections.items():
        assert section in rows, f"docs/campaign-postmortem.md has no row for section {section!r}"
        for key in keys:
            assert f"`{key}`" in rows[section], f"{section}: the doc does not name {key}"
