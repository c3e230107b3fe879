"""Words a reader sees, in Russian or English: one gettext message catalogue, one current language.

The English text in the code is the message id (the source of truth for English); translations live
in ``.po`` files of this package (``locale/<lang>/LC_MESSAGES/workbench.po``), read at run time with
Babel and compiled in memory, so a fresh machine needs no compile step. Plural forms come from the
catalogue's ``Plural-Forms`` header (three forms in Russian: 1 клиент, 2 клиента, 5 клиентов).

A report sets its language once, from its ``language`` parameter::

    from workbench.i18n import _, ngettext, set_language
    set_language(language)                      # "en" or "ru"
    _("Executive summary")
    ngettext("{n} week", "{n} weeks", n).format(n=n)

Never join translated fragments into a sentence: translate whole messages with ``{placeholders}``
and fill them with ``str.format`` after translation. ``N_()`` marks a message for extraction
without translating it (for ids stored in data and translated at display time).

This module imports nothing heavy: with English no catalogue is read at all, and Babel is imported
only when another language is first used.
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
import io
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "N_",
    "N_plural",
    "_",
    "chrome",
    "get_language",
    "gettext",
    "language",
    "missing_translations",
    "ngettext",
    "npgettext",
    "pgettext",
    "set_language",
    "translations",
]

#: Languages a report can be written in: code -> the language's own name.
LANGUAGES = {"en": "English", "ru": "Русский"}
DEFAULT_LANGUAGE = "en"
DOMAIN = "workbench"

_current = DEFAULT_LANGUAGE


def check_language(lang: Any, name: str = "language") -> str:
    """`lang` when it is a supported code, else a ValueError naming the parameter and the allowed values."""
    if lang not in LANGUAGES:
        allowed = " or ".join(repr(code) for code in LANGUAGES)
        raise ValueError(f"{name} must be {allowed}; got {lang!r}")
    return str(lang)


def set_language(lang: str) -> None:
    """Make `lang` ("en" or "ru") the language of every message and number from now on (once per report)."""
    global _current
    lang = check_language(lang)
    if lang != DEFAULT_LANGUAGE:
        translations(lang)  # read the catalogue now, so a broken one fails at the top of the report
    _current = lang


def get_language() -> str:
    """The current language code (asking for it inside a memoized computation raises: see `untranslated`)."""
    _check_untranslated()
    return _current


@contextlib.contextmanager
def language(lang: str) -> Iterator[str]:
    """Switch the language inside a `with` block (tests, or one English line in a Russian report)."""
    before = _current
    set_language(lang)
    try:
        yield lang
    finally:
        set_language(before)


def po_path(lang: str) -> Any:
    """The `.po` file of a language (a Traversable inside the package)."""
    return resources.files("workbench.i18n").joinpath("locale", lang, "LC_MESSAGES", f"{DOMAIN}.po")


def read_catalog(lang: str) -> Any:
    """The language's catalogue as a `babel.messages.Catalog` (fuzzy entries included, marked fuzzy)."""
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


def translations_from_catalog(catalog: Any) -> _gettext.GNUTranslations:
    """Compile a Babel catalogue in memory into stdlib gettext translations (fuzzy and empty entries are
    left out, so they fall back to English and count as missing)."""
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The gettext translations of a language; English is the message ids themselves."""
    check_language(lang)
    if lang == DEFAULT_LANGUAGE:
        return _gettext.NullTranslations()
    return translations_from_catalog(read_catalog(lang))


#: Names of the memoized computations running now (see `untranslated`).
_untranslated: list[str] = []


@contextlib.contextmanager
def untranslated(what: str) -> Iterator[None]:
    """A block that must not translate: a computation whose result is shared between the English and
    the Russian report of a build (workbench.memo). Translating inside it raises, naming it."""
    _untranslated.append(what)
    try:
        yield
    finally:
        _untranslated.pop()


def _check_untranslated() -> None:
    if _untranslated:
        raise RuntimeError(
            f"{_untranslated[-1]} used the report's language, but its result is shared by the reports of "
            "every language (workbench.memo): return data and translate where it is shown"
        )


def _translations() -> _gettext.NullTranslations:
    _check_untranslated()
    return translations(_current)


def gettext(message: str) -> str:
    """`message` in the current language (an empty message stays empty: it is not the catalogue header)."""
    return _translations().gettext(message) if message else message


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """The plural form for `n` in the current language: ``ngettext("{n} week", "{n} weeks", n).format(n=n)``."""
    return _translations().ngettext(singular, plural, int(n))


def pgettext(context: str, message: str) -> str:
    """`message` in the current language, told apart from the same English words by `context`
    ("channel", "outcome, genitive", ...)."""
    return _translations().pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """`ngettext` with a context."""
    return _translations().npgettext(context, singular, plural, int(n))


def N_(message: str) -> str:
    """Mark `message` for the catalogue without translating it now (it is translated where shown)."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a plural message for the catalogue without translating it; pass the pair to `ngettext` later."""
    return singular, plural


def missing_translations(lang: str = "ru") -> list[str]:
    """Message ids of the catalogue with no usable translation in `lang` (empty or fuzzy)."""
    catalog = read_catalog(check_language(lang))
    out = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy or not all(strings):
            key = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
            out.append(f"{message.context}|{key}" if message.context else key)
    return out


from workbench.i18n.chrome import chrome  # noqa: E402  (uses the functions above)
