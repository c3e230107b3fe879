"""Numbers, money, percentages, dates and months in English and Russian.

English is pinned to the strings every report shows today (results.json files and pages carry them);
Russian is checked against hand-written CLDR strings and against Babel's own formatting."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_currency, format_decimal, format_percent

from workbench.i18n import language, set_language
from workbench.report import format as F

NB = "\xa0"  # CLDR's group separator and the space before '%', '₽' and 'млн' in Russian


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")


ENGLISH = [
    (F.pct, (0.125, 1), "12.5%"),
    (F.pct, (0.125,), "12%"),
    (F.pct, (1.5,), "150%"),
    (F.pct, (123.456, 1), "12345.6%"),
    (F.pct, (None,), "–"),
    (F.signed_pct, (0.042,), "+4.2%"),
    (F.signed_pct, (-0.35,), "-35%"),
    (F.signed_pct, (0.0,), "+0.0%"),
    (F.signed_pct, (float("nan"),), "–"),
    (F.compact, (1_234_567,), "1.2M"),
    (F.compact, (48_000,), "48.0k"),
    (F.compact, (2.5e9,), "2.5B"),
    (F.compact, (3.5,), "3.50"),
    (F.compact, (950,), "950"),
    (F.compact, (-12_345,), "-12.3k"),
    (F.money, (48_700_000, "RUB"), "48.7M RUB"),
    (F.money, (21_500, "RUB"), "21,500 RUB"),
    (F.money, (1_234_567.8, "RUB", "–", False), "1,234,568 RUB"),
    (F.money, (1_234_567.8,), "1.2M"),
    (F.money, (None, "RUB"), "–"),
    (F.ratio, (2.345,), "2.35"),
    (F.ratio, (12_345.678,), "12,345.68"),
    (F.p_value, (0.0004,), "< 0.001"),
    (F.p_value, (0.0423,), "0.042"),
    (F.slot_label, ("Tue", 19), "Tue 19:00"),
    (F.grouped, (1_234_567.8, 1), "1,234,567.8"),
    (F.currency_symbol, ("RUB",), "RUB"),
    (F.join_list, (["a", "b"],), "a and b"),
    (F.join_list, (["a", "b", "c"],), "a, b and c"),
    (F.join_list, (["a", "b"], True), "a or b"),
    (F.channel_label, ("ok",), "OK (Odnoklassniki)"),
    (F.channel_label, ("dzen",), "Dzen"),
    (F.channel_label, ("vk_ads",), "VK Ads"),
]


@pytest.mark.parametrize(("func", "args", "expected"), ENGLISH)
def test_english_reads_as_it_always_has(func, args, expected):
    assert func(*args) == expected


RUSSIAN = [
    (F.grouped, (1_234_567.8, 1), f"1{NB}234{NB}567,8"),
    (F.money, (1_234_567.8, "RUB", "–", False, 1), f"1{NB}234{NB}567,8{NB}₽"),
    (F.money, (48_700_000, "RUB"), f"48,7{NB}млн{NB}₽"),
    (F.money, (21_500, "RUB"), f"21{NB}500{NB}₽"),
    (F.money, (21_500, "USD"), f"21{NB}500{NB}$"),
    (F.money, (2_000_000,), f"2,0{NB}млн"),
    (F.pct, (0.125, 1), f"12,5{NB}%"),
    (F.pct, (0.125,), f"12{NB}%"),
    (F.signed_pct, (0.042,), f"+4,2{NB}%"),
    (F.signed_pct, (-0.35,), f"-35{NB}%"),
    (F.compact, (1_234_567,), f"1,2{NB}млн"),
    (F.compact, (48_000,), f"48,0{NB}тыс."),
    (F.compact, (2.5e9,), f"2,5{NB}млрд"),
    (F.compact, (3.5,), "3,50"),
    (F.compact, (12_000_000_000 / 1000,), f"12,0{NB}млн"),
    (F.ratio, (2.345,), "2,35"),
    (F.p_value, (0.0004,), "< 0,001"),
    (F.p_value, (0.0423,), "0,042"),
    (F.currency_symbol, ("RUB",), "₽"),
    (F.currency_symbol, ("EUR",), "€"),
    (F.join_list, (["ТВ", "VK Ads", "Онлайн-видео"],), "ТВ, VK Ads и Онлайн-видео"),
    (F.join_list, (["a", "b"], True), "a или b"),
    (F.channel_label, ("ok",), "Одноклассники"),
    (F.channel_label, ("dzen",), "Дзен"),
    (F.channel_label, ("yandex_direct",), "Yandex Direct"),
]


@pytest.mark.parametrize(("func", "args", "expected"), RUSSIAN)
def test_russian_hand_written_cases(func, args, expected):
    with language("ru"):
        assert func(*args) == expected


@pytest.mark.parametrize("value", [0.125, 0.5, 0.999, 0.0042, 1.5, 12.0])
def test_russian_percentages_match_babel(value):
    with language("ru"):
        # CLDR's Russian percent pattern puts a no-break space before the sign ('#,##0\xa0%')
        assert F.pct(value, 1) == format_percent(value, format=f"0.0{NB}%", locale="ru")


@pytest.mark.parametrize("value", [1_234_567.8, 21_500.25, 999.5, 0.75, 12_345_678_901.0])
def test_russian_numbers_and_money_match_babel(value):
    with language("ru"):
        assert F.grouped(value, 2) == format_decimal(value, format="#,##0.00", locale="ru")
        assert F.money(value, "RUB", millions=False, digits=2) == format_currency(value, "RUB", locale="ru")


@pytest.mark.parametrize("value", [1_234_567, 48_000, 2.5e9, 7_777])
def test_russian_compact_magnitudes_use_cldr_words(value):
    with language("ru"):
        ours = F.compact(value)
        babel = format_compact_decimal(value, locale="ru", fraction_digits=1)
        assert ours.split(NB)[1] == babel.split(NB)[1]  # 'тыс.', 'млн', 'млрд' from CLDR
        assert math.isclose(float(ours.split(NB)[0].replace(",", ".")), float(babel.split(NB)[0].replace(",", ".")))


def test_digits_are_the_same_in_both_languages():
    # Rounding is Python's in every language: a Russian report shows the English report's digits
    for value in (0.0125, 0.0135, 0.125, 2.675, 1_234_565.5):
        en = [F.pct(value, 1), F.ratio(value), F.money(value, millions=False, digits=1), F.compact(value)]
        with language("ru"):
            ru = [F.pct(value, 1), F.ratio(value), F.money(value, millions=False, digits=1), F.compact(value)]
        strip = str.maketrans("", "", f",.{NB} %тыскмлнMk")
        assert [e.translate(strip) for e in en] == [r.translate(strip) for r in ru]


def test_months_and_dates():
    d = dt.date(2026, 12, 1)
    assert F.month(d) == "December 2026" and F.day(d) == "December 1, 2026"
    with language("ru"):
        assert F.month(d) == "декабрь 2026"
        assert F.month("2026-03-15") == "март 2026"
        assert F.day(dt.datetime(2026, 12, 1, 10, 30)) == "1 декабря 2026\u202fг."  # CLDR: narrow no-break space
        assert F.day(d) == format_date(d, "long", locale="ru")
