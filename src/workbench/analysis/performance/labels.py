"""Data values of the sessions file as a reader sees them, in the current language.

Devices, traffic mediums and the visitor types of `traffic.new_vs_returning` are codes of a fixed
vocabulary: English shows them as they are written in the data (so English reports read as they always
have), other languages translate them. Sources, landing pages and campaign names are the user's own
names and stay as written, except the analytics placeholder "(direct)".
"""

from __future__ import annotations

from workbench.i18n import pgettext

__all__ = ["device_name", "medium_name", "source_medium_label", "source_name", "visitor_type_name"]


def device_name(code: object) -> str:
    """'desktop' -> 'desktop' / 'компьютер'; an unknown device stays as written."""
    names = {
        "desktop": pgettext("device", "desktop"),
        "mobile": pgettext("device", "mobile"),
        "tablet": pgettext("device", "tablet"),
    }
    return names.get(str(code), str(code))


def medium_name(code: object) -> str:
    """A traffic medium: 'organic' -> 'organic' / 'органика'; 'cpc' and unknown mediums stay as written."""
    names = {
        "organic": pgettext("medium", "organic"),
        "referral": pgettext("medium", "referral"),
        "social": pgettext("medium", "social"),
        "paid_social": pgettext("medium", "paid_social"),
        "email": pgettext("medium", "email"),
        "(none)": pgettext("medium", "(none)"),
    }
    return names.get(str(code), str(code))


def source_name(code: object) -> str:
    """A traffic source as written, except '(direct)' (direct visits) in the current language."""
    return pgettext("source", "(direct)") if str(code) == "(direct)" else str(code)


def source_medium_label(text: object) -> str:
    """'(direct) / (none)' -> '(прямые заходы) / (нет)'; 'yandex / cpc' stays as it is."""
    parts = str(text).split(" / ")
    if len(parts) != 2:
        return str(text)
    return f"{source_name(parts[0])} / {medium_name(parts[1])}"


def visitor_type_name(code: object) -> str:
    """'new' -> 'New' / 'Новые', 'returning', 'not identified' (traffic.new_vs_returning)."""
    names = {
        "new": pgettext("visitors", "New"),
        "returning": pgettext("visitors", "Returning"),
        "not identified": pgettext("visitors", "Not identified"),
    }
    return names.get(str(code), str(code).capitalize())
