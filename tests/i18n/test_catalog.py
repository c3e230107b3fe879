"""The message catalogue: language switching, Russian plural forms, and a complete, consistent translation."""

from __future__ import annotations

import io
import re
import string

import pytest

from workbench import i18n
from workbench.i18n import _, ngettext, pgettext, set_language

PO_WITH_CUSTOMERS = r"""
msgid ""
msgstr ""
"Language: ru\n"
"Content-Type: text/plain; charset=utf-8\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"

msgid "{n} customer"
msgid_plural "{n} customers"
msgstr[0] "{n} клиент"
msgstr[1] "{n} клиента"
msgstr[2] "{n} клиентов"
"""


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")


def test_set_language_rejects_unknown_codes_naming_the_allowed_ones():
    with pytest.raises(ValueError, match=r"language must be 'en' or 'ru'; got 'de'"):
        set_language("de")
    assert i18n.get_language() == "en"


def test_english_is_the_message_id_and_russian_comes_from_the_catalogue():
    assert _("Key findings") == "Key findings"
    set_language("ru")
    assert _("Key findings") == "Главные выводы"
    assert pgettext("outcome", "revenue") == "выручка" and pgettext("outcome, genitive", "revenue") == "выручки"
    assert _("a sentence nobody translated") == "a sentence nobody translated"  # falls back to English
    assert _("") == ""  # not the catalogue header


@pytest.mark.parametrize(
    ("n", "expected"), [(1, "1 клиент"), (2, "2 клиента"), (5, "5 клиентов"), (21, "21 клиент"), (11, "11 клиентов")]
)
def test_russian_plural_forms_follow_the_catalogue_plural_forms_header(n, expected):
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(PO_WITH_CUSTOMERS.encode("utf-8")), locale="ru")
    tr = i18n.translations_from_catalog(catalog)
    assert tr.ngettext("{n} customer", "{n} customers", n).format(n=n) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "1 запуск"), (2, "2 запуска"), (4, "4 запуска"), (5, "5 запусков"), (11, "11 запусков"), (21, "21 запуск"),
     (22, "22 запуска"), (112, "112 запусков")],
)  # fmt: skip
def test_the_shipped_catalogue_has_three_russian_plural_forms(n, expected):
    set_language("ru")
    assert ngettext("{n} run", "{n} runs", n).format(n=n) == expected


def test_english_plurals():
    assert ngettext("{n} run", "{n} runs", 1).format(n=1) == "1 run"
    assert ngettext("{n} run", "{n} runs", 0).format(n=0) == "0 runs"


def test_language_context_manager_restores_the_language():
    with i18n.language("ru"):
        assert _("Key findings") == "Главные выводы"
    assert i18n.get_language() == "en"


def test_no_message_the_code_uses_lacks_a_russian_translation(project_root):
    from workbench.i18n.catalog import missing_in_catalog

    missing = missing_in_catalog(project_root, "ru")
    assert not missing, "messages without a Russian translation (run `python -m workbench.i18n update`):\n" + "\n".join(
        missing
    )


def test_the_catalogue_has_no_empty_fuzzy_or_unused_entries(project_root):
    from workbench.i18n.catalog import extract

    assert i18n.missing_translations("ru") == []
    used = {(ctx, msgid if isinstance(msgid, str) else msgid[0]) for _loc, msgid, ctx in extract(project_root)}
    catalog = i18n.read_catalog("ru")
    stored = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}
    assert stored - used == set(), "catalogue entries no code uses: run `python -m workbench.i18n update`"


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_every_translation_keeps_the_placeholders_of_its_message():
    for m in i18n.read_catalog("ru"):
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        for s in strings:
            assert _fields(s) == _fields(ids[-1]), (m.id, s)


def test_markdown_messages_keep_their_headings_and_code_spans():
    for m in i18n.read_catalog("ru"):
        if isinstance(m.id, str) and m.id.startswith("#"):
            assert m.string.split(" ", 1)[0] == m.id.split(" ", 1)[0]  # same heading level
            assert re.findall(r"`[^`]+`", m.string) == re.findall(r"`[^`]+`", m.id)


def test_extraction_rejects_messages_that_are_not_literals(tmp_path):
    from babel.messages.extract import extract

    from workbench.i18n.catalog import KEYWORDS

    found = list(extract("python", io.BytesIO(b"_(f'x {y}')\n_('ok')\n"), KEYWORDS))
    assert [m[1] for m in found] == ["ok"]  # an f-string is never a message id: it would never be translated


def test_the_catalogue_is_in_step_with_the_code(project_root, tmp_path):
    # `python -m workbench.i18n update` on a copy changes nothing: no id to add, none to drop
    from workbench.i18n.catalog import update

    original = i18n.po_path("ru").read_bytes()
    copy = tmp_path / "workbench.po"
    copy.write_bytes(original)
    assert update(project_root, {"ru": copy}) == {"ru": 0}
    assert copy.read_bytes() == original


def test_update_adds_new_ids_untranslated_and_drops_unused_ones(project_root, tmp_path):
    from workbench.i18n.catalog import update

    stale = tmp_path / "workbench.po"
    stale.write_text(PO_WITH_CUSTOMERS.replace("{n} customer", "{n} unused customer"), encoding="utf-8")
    counts = update(project_root, {"ru": stale})
    text = stale.read_text(encoding="utf-8")
    assert "unused customer" not in text and 'msgid "Key findings"\nmsgstr ""' in text
    assert counts["ru"] == len(i18n.read_catalog("ru"))  # every message of the code, none translated yet


def test_command_line_check(capsys):
    from workbench.i18n.__main__ import main

    assert main(["check"]) == 0
    assert "0 message(s) without a Russian translation" in capsys.readouterr().out
    assert main(["nope"]) == 2
