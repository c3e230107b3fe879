"""Words of the page chrome and the index, for the pipeline's templates."""

from __future__ import annotations

import pytest

from workbench.i18n import chrome, get_language
from workbench.i18n.chrome import CHROME, chrome_plural


def test_chrome_in_english_and_russian_by_stable_keys():
    en, ru = chrome("en"), chrome("ru")
    assert set(en) == set(ru) == set(CHROME)
    assert en["parameters"] == "Parameters" and ru["parameters"] == "Параметры"
    assert ru["version"] == "Версия" and ru["data_period"] == "Период данных"
    assert ru["report_failed"] == "Отчёт не построен" and ru["all_runs"] == "Все запуски"
    assert ru["what_changed"] == "Что изменилось с прошлой версии"
    assert ru["as_of"].format(label="Клиенты", date="2026-12-01") == "Клиенты на 2026-12-01"
    assert all(v and v != en[k] for k, v in ru.items() if k not in {"workbench"}), "untranslated chrome"
    assert get_language() == "en"  # asking for chrome does not switch the report's language


def test_chrome_plurals():
    assert chrome_plural("ru", "runs", 3) == "3 запуска"
    assert chrome_plural("ru", "versions", 25) == "25 версий"
    assert chrome_plural("en", "failed_runs", 1) == "1 failed run"
    with pytest.raises(ValueError, match="key must be one of"):
        chrome_plural("ru", "nope", 1)


def test_chrome_rejects_unknown_languages():
    with pytest.raises(ValueError, match="language must be 'en' or 'ru'; got 'fr'"):
        chrome("fr")
