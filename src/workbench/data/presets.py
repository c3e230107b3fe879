"""Platform export presets, defined once as data.

A preset says how one platform's download maps onto a data contract: the platform's column names
(in every language it exports), the title/summary lines around the table, its empty mark, number
and date formats, money in micros, value codes and the constant facts the file implies (a Google
Ads file is the google_ads channel). Adding a platform means adding one entry here and a fixture
under tests/fixtures/exports/ that follows the platform's documented format; the machinery that
applies a preset lives in `workbench.data.exports`, and docs/data-sources.md is generated from
this table (`sources_markdown`).

Column names are compared by `header_key` (lower case, punctuation dropped), so "Impr." matches
"impr" and "Расход (руб.)" matches "расход руб". A name may be a glob ("amount spent *").
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

_KEY_DROP = re.compile(r"[^\w:*]+")


def header_key(name: object) -> str:
    """A column name for matching: BOM/punctuation dropped, lower case, single spaces."""
    text = str(name).replace("\ufeff", "").lower().replace("ё", "е")
    return " ".join(_KEY_DROP.sub(" ", text).split())


def _ro(mapping: Mapping | None = None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Preset:
    """How one platform export becomes one contract (see the module docstring)."""

    name: str
    platform: str
    export: str  # which download of the platform
    dataset: str
    docs: str  # the documentation page the preset and its fixture follow
    columns: Mapping[str, tuple[str, ...]]  # contract column -> export names, first found wins
    detect: tuple[tuple[str, ...], ...]  # header keys that identify the export; any one set suffices
    constants: Mapping[str, str] = field(default_factory=_ro)  # facts the file implies
    summary_rows: tuple[str, ...] = ()  # regexes on the first cells' keys of rows to drop (totals)
    comment_prefix: str = ""  # lines starting with it are comments (GA4: "#")
    missing: tuple[str, ...] = ()  # empty marks besides "" (Google Ads: "--")
    number_style: str = "auto"  # auto | en (1,234.5) | ru (1 234,5)
    micros: tuple[str, ...] = ()  # contract columns given in millionths of the currency
    durations: tuple[str, ...] = ()  # contract columns written as [h:]mm:ss
    date_format: str = ""  # strptime format of date columns when not ISO/unambiguous
    codes: Mapping[str, Mapping[str, str]] = field(default_factory=_ro)  # column -> {code: value}
    coalesce: Mapping[str, tuple[str, ...]] = field(default_factory=_ro)  # column <- first non-empty
    fill: Mapping[str, str] = field(default_factory=_ro)  # value where a coalesced column stays empty
    host_of: Mapping[str, str] = field(default_factory=_ro)  # column <- host of a URL column
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", _ro(self.columns))
        for attr in ("constants", "codes", "coalesce", "fill", "host_of"):
            object.__setattr__(self, attr, _ro(getattr(self, attr)))
        if self.number_style not in ("auto", "en", "ru"):
            raise ValueError(f"preset {self.name}: number_style must be auto, en or ru")

    def find(self, keys: list[str], names: tuple[str, ...]) -> int | None:
        """Position of the first of `names` among header `keys` (globs allowed)."""
        for name in names:
            want = header_key(name)
            for i, key in enumerate(keys):
                if key == want or ("*" in want and fnmatch.fnmatchcase(key, want)):
                    return i
        return None

    def score(self, keys: list[str]) -> int:
        """0 when the header is not this export, else how many of its columns are present."""
        if not any(all(header_key(k) in keys for k in group) for group in self.detect):
            return 0
        return sum(self.find(keys, names) is not None for names in self.columns.values())


PRESETS: dict[str, Preset] = {}


def _add(preset: Preset) -> None:
    if preset.name in PRESETS:
        raise ValueError(f"duplicate preset {preset.name}")
    PRESETS[preset.name] = preset


_TOTAL_EN = (r"^total\b", r"^totals\b")
_TOTAL_RU = (r"^итого\b", r"^всего\b")

# ------------------------------------------------------------------ ad platforms -> ad_stats
_add(
    Preset(
        "google_ads_ui",
        "Google Ads",
        "report download from the web interface (CSV; English or Russian interface)",
        "ad_stats",
        "https://support.google.com/google-ads/answer/2375431 (download reports)",
        {
            "date": ("Day", "Date", "День", "Дата"),
            "campaign": ("Campaign", "Кампания"),
            "ad_group": ("Ad group", "Группа объявлений"),
            "impressions": ("Impr.", "Impressions", "Показы"),
            "clicks": ("Clicks", "Interactions", "Клики"),
            "cost": ("Cost", "Стоимость", "Расходы"),
            "conversions": ("Conversions", "Конверсии"),
            "revenue": ("Conv. value", "Conversion value", "Ценность конв", "Ценность конверсии"),
            "currency": ("Currency code", "Currency", "Код валюты", "Валюта"),
        },
        detect=(("campaign", "impr", "cost"), ("кампания", "показы", "стоимость")),
        constants={"channel": "google_ads", "platform": "google"},
        summary_rows=(r"^total:", r"^итого:", r"^всего:"),
        missing=("--", " --"),
        number_style="en",
        note="Title and date-range lines above the header and `Total: …` rows are skipped; `--` is empty. "
        "A Russian interface writes decimal commas inside quotes; choose English number format or "
        "force `number_style` by saving as CSV in English.",
    )
)

_add(
    Preset(
        "yandex_direct_api",
        "Yandex Direct",
        "Reports API (TSV; report title line and `Total rows:` line; money in micros)",
        "ad_stats",
        "https://yandex.com/dev/direct/doc/en/report-format (report content)",
        {
            "date": ("Date",),
            "campaign": ("CampaignName", "CampaignId"),
            "ad_group": ("AdGroupName",),
            "creative": ("AdId",),
            "impressions": ("Impressions",),
            "clicks": ("Clicks",),
            "cost": ("Cost",),
            "conversions": ("Conversions",),
            "revenue": ("Revenue",),
        },
        detect=(("campaignname", "impressions", "clicks", "cost"), ("campaignid", "impressions", "clicks", "cost")),
        constants={"channel": "yandex_direct", "platform": "yandex"},
        summary_rows=(r"^total rows\b",),
        missing=("--",),
        number_style="en",
        micros=("cost", "revenue"),
        note="The API returns money in micros unless the request sets `returnMoneyInMicros: false`; "
        "this preset divides Cost and Revenue by 1,000,000. A file downloaded with "
        "returnMoneyInMicros false needs `_preset: yandex_direct_wizard` or a rename instead.",
    )
)

_add(
    Preset(
        "yandex_direct_wizard",
        "Yandex Direct",
        "Report Wizard (Мастер отчётов) download (CSV/TSV, Russian headers, totals row)",
        "ad_stats",
        "https://yandex.ru/support/direct/ru/statistics/report-wizard (Мастер отчётов)",
        {
            "date": ("Дата", "День"),
            "campaign": ("Кампания", "Название кампании", "№ Кампании"),
            "ad_group": ("Группа", "Название группы"),
            "impressions": ("Показы",),
            "clicks": ("Клики",),
            "cost": ("Расход (руб.)", "Расход руб", "Расход", "Расход (руб.) с НДС"),
            "conversions": ("Конверсии",),
            "revenue": ("Доход (руб.)", "Доход"),
        },
        detect=(("кампания", "показы", "клики", "расход руб"), ("кампания", "показы", "клики", "расход")),
        constants={"channel": "yandex_direct", "platform": "yandex"},
        summary_rows=_TOTAL_RU,
        missing=("-", "--"),
        number_style="ru",
        date_format="%d.%m.%Y",
    )
)

_add(
    Preset(
        "meta_ads_manager",
        "Meta Ads Manager",
        "Ads Manager table export (CSV/XLSX, broken down by day)",
        "ad_stats",
        "https://www.facebook.com/business/help/1695754927158071 (export Ads Manager reports)",
        {
            "date": ("Day", "Reporting starts", "День", "Начало отчетности"),
            "campaign": ("Campaign name", "Название кампании"),
            "ad_group": ("Ad set name", "Название группы объявлений"),
            "creative": ("Ad name", "Название объявления"),
            "impressions": ("Impressions", "Показы"),
            "clicks": ("Link clicks", "Clicks (all)", "Клики по ссылке", "Клики (все)"),
            "cost": ("Amount spent *", "Потраченная сумма *"),
            "conversions": ("Purchases", "Покупки"),
            "revenue": ("Purchases conversion value", "Ценность конверсии покупок"),
            "currency": ("Currency", "Валюта"),
        },
        detect=(("campaign name", "impressions"), ("название кампании", "показы", "клики по ссылке")),
        constants={"channel": "meta_ads", "platform": "meta"},
        summary_rows=_TOTAL_EN + _TOTAL_RU,
        number_style="en",
        note="`Reporting ends` is kept as an extra column. Exports without a daily breakdown carry one "
        "row per campaign for the whole range (date = reporting start).",
    )
)

_add(
    Preset(
        "vk_ads",
        "VK Ads",
        "statistics download from the ads.vk.com cabinet (CSV/XLSX, Russian headers)",
        "ad_stats",
        "https://ads.vk.com/help/articles/statistics (статистика, выгрузка)",
        {
            "date": ("Дата",),
            "campaign": ("Кампания", "Название кампании"),
            "ad_group": ("Группа объявлений", "Группа"),
            "creative": ("Объявление",),
            "impressions": ("Показы",),
            "clicks": ("Клики",),
            "cost": ("Потрачено", "Потрачено, ₽", "Списания"),
            "conversions": ("Результат", "Конверсии"),
        },
        detect=(("кампания", "показы", "клики", "потрачено"), ("название кампании", "показы", "клики", "потрачено")),
        constants={"channel": "vk_ads", "platform": "vk"},
        summary_rows=_TOTAL_RU,
        number_style="ru",
        date_format="%d.%m.%Y",
    )
)

# ------------------------------------------------------------------ web analytics
_add(
    Preset(
        "ga4_conversion_paths",
        "Google Analytics 4",
        "Advertising › Conversion paths download (CSV with `#` comment lines)",
        "paths",
        "https://support.google.com/analytics/answer/10596866 (conversion paths)",
        {
            "path": ("Default channel group", "Session default channel group", "Основная группа каналов"),
            "conversions": ("Key events", "Conversions", "Ключевые события", "Конверсии"),
            "value": ("Purchase revenue", "Revenue", "Доход от покупок", "Доход"),
        },
        detect=(("default channel group", "key events"), ("default channel group", "conversions")),
        comment_prefix="#",
        summary_rows=(r"^grand total\b", r"^итого\b", r"^total\b"),
        number_style="en",
        note="GA4 paths hold converting journeys only: the file has no non-conversions, so Markov "
        "removal effects need them from elsewhere (the report says so).",
    )
)

_DEVICE = {"1": "desktop", "2": "mobile", "3": "tablet", "4": "tv"}
_TRAFFIC = {
    "ad": "cpc",
    "organic": "organic",
    "direct": "(none)",
    "link": "referral",
    "social": "social",
    "email": "email",
    "internal": "internal",
    "messenger": "messenger",
    "recommend": "recommendation",
    "saved": "saved",
    "qrcode": "qrcode",
    "offline": "offline",
    "undefined": "(not set)",
}
_add(
    Preset(
        "metrica_logs_visits",
        "Yandex Metrica",
        "Logs API, visits source (TSV with `ym:s:*` fields)",
        "sessions",
        "https://yandex.com/dev/metrika/en/logs/fields/visits (fields of visits)",
        {
            "session_id": ("ym:s:visitID",),
            "started_at": ("ym:s:dateTime", "ym:s:date"),
            "device": ("ym:s:deviceCategory",),
            "medium": ("ym:s:lastTrafficSource", "ym:s:lastsignTrafficSource"),
            "customer_id": ("ym:s:clientID",),
            "campaign": ("ym:s:lastUTMCampaign", "ym:s:lastsignUTMCampaign"),
            "landing_page": ("ym:s:startURL",),
            "pageviews": ("ym:s:pageViews",),
            "duration_s": ("ym:s:visitDuration",),
        },
        detect=(("ym:s:visitid", "ym:s:datetime"), ("ym:s:visitid", "ym:s:date")),
        codes={"device": _DEVICE, "medium": _TRAFFIC},
        coalesce={
            "source": (
                "ym:s:lastUTMSource",
                "ym:s:lastSearchEngineRoot",
                "ym:s:lastAdvEngine",
                "ym:s:lastSocialNetwork",
                "ym:s:lastReferalSource",
                "ym:s:lastsignUTMSource",
                "ym:s:lastsignSearchEngineRoot",
                "ym:s:lastsignAdvEngine",
                "ym:s:lastsignSocialNetwork",
                "ym:s:lastsignReferalSource",
            )
        },
        fill={"source": "(direct)"},
        note="deviceCategory codes 1–4 become desktop, mobile, tablet, tv; lastTrafficSource codes become "
        "the medium (ad → cpc, link → referral, direct → (none)); source is the first of UTM source, "
        "search engine, ad engine, social network, referring site, else (direct).",
    )
)

# ------------------------------------------------------------------ SEO tools
_add(
    Preset(
        "semrush_organic_positions",
        "Semrush",
        "Organic Research › Positions export (CSV)",
        "keyword_rankings",
        "https://www.semrush.com/kb/998-organic-research-positions (Positions report)",
        {
            "keyword": ("Keyword",),
            "position": ("Position",),
            "search_volume": ("Search Volume",),
            "cpc": ("CPC",),
            "difficulty": ("Keyword Difficulty",),
            "url": ("URL",),
            "date": ("Timestamp",),
        },
        detect=(("keyword", "position", "search volume", "keyword difficulty"),),
        host_of={"domain": "url"},
        number_style="en",
        note="The export has no domain column: the domain is the host of each ranking URL.",
    )
)

_add(
    Preset(
        "serpstat_organic_keywords",
        "Serpstat",
        "Domain analysis › SEO › Organic keywords export (CSV; English or Russian interface)",
        "keyword_rankings",
        "https://serpstat.com/api/117-domain-keywords-getdomainkeywords/ (domain keywords fields)",
        {
            "keyword": ("Keyword", "Ключевая фраза", "Ключевое слово"),
            "domain": ("Domain", "Домен"),
            "position": ("Position", "Позиция"),
            "search_volume": ("Search volume", "Volume", "Частотность"),
            "cpc": ("CPC", "Стоимость клика", "Цена за клик"),
            "difficulty": ("Keyword difficulty", "Сложность", "Сложность ключевой фразы"),
            "url": ("URL",),
        },
        detect=(("keyword", "domain", "position", "search volume"), ("ключевая фраза", "позиция", "частотность")),
        host_of={"domain": "url"},
        number_style="auto",
    )
)

_add(
    Preset(
        "ahrefs_organic_keywords",
        "Ahrefs",
        "Site Explorer › Organic keywords export (CSV; UTF-8 or UTF-16 tab-separated)",
        "keyword_rankings",
        "https://help.ahrefs.com/en/articles/2637318 (organic keywords report)",
        {
            "keyword": ("Keyword",),
            "position": ("Current position", "Position"),
            "search_volume": ("Volume",),
            "cpc": ("CPC",),
            "difficulty": ("KD", "Keyword Difficulty"),
            "url": ("Current URL", "URL"),
        },
        detect=(("keyword", "current position", "volume", "kd"), ("keyword", "position", "volume", "kd")),
        host_of={"domain": "url"},
        number_style="en",
    )
)

_add(
    Preset(
        "semrush_traffic_overview",
        "Semrush",
        "Traffic Analytics › Bulk Analysis export (CSV, one row per domain)",
        "site_metrics",
        "https://www.semrush.com/kb/1084-traffic-analytics-bulk-analysis (Bulk Analysis)",
        {
            "domain": ("Target", "Domain"),
            "monthly_visits": ("Visits",),
            "pages_per_visit": ("Pages / Visit", "Pages per Visit"),
            "visit_duration_s": ("Avg. Visit Duration", "Avg Visit Duration"),
            "bounce_rate": ("Bounce Rate",),
        },
        detect=(("target", "visits", "bounce rate"), ("domain", "visits", "pages visit", "bounce rate")),
        durations=("visit_duration_s",),
        number_style="en",
        note="Avg. Visit Duration (hh:mm:ss) becomes seconds; Bounce Rate may be a share or end with %.",
    )
)

# ------------------------------------------------------------------ e-mail services
_add(
    Preset(
        "mailchimp_campaigns",
        "Mailchimp",
        "Reports › Export campaign reports (CSV, one row per campaign)",
        "email_sends",
        "https://mailchimp.com/help/export-and-import-reports/ (export campaign reports)",
        {
            "campaign": ("Title", "Campaign Title"),
            "sent_at": ("Send Date",),
            "recipients": ("Total Recipients",),
            "delivered": ("Successful Deliveries",),
            "opens": ("Unique Opens",),
            "clicks": ("Unique Clicks",),
            "unsubscribes": ("Unsubscribes",),
            "complaints": ("Abuse Complaints",),
        },
        detect=(("title", "send date", "total recipients", "successful deliveries"),),
        number_style="en",
        date_format="%b %d, %Y %I:%M %p",
    )
)

_add(
    Preset(
        "unisender_campaigns",
        "Unisender",
        "Статистика рассылок, выгрузка (CSV/XLSX, Russian headers)",
        "email_sends",
        "https://www.unisender.com/ru/support/api/statistics/getcampaigncommonstats/ (campaign stats fields)",
        {
            "campaign": ("Название рассылки", "Рассылка", "Тема письма"),
            "sent_at": ("Дата отправки", "Дата"),
            "recipients": ("Отправлено", "Всего"),
            "delivered": ("Доставлено",),
            "opens": ("Прочитано", "Открыли", "Уникальные открытия"),
            "clicks": ("Переходы", "Кликнули", "Уникальные клики"),
            "unsubscribes": ("Отписались", "Отписки"),
            "complaints": ("Спам", "Жалобы на спам"),
        },
        detect=(("отправлено", "доставлено", "прочитано"), ("отправлено", "доставлено", "открыли")),
        summary_rows=_TOTAL_RU,
        number_style="ru",
        date_format="%d.%m.%Y %H:%M",
    )
)

_add(
    Preset(
        "sendsay_campaigns",
        "Sendsay",
        "Статистика выпусков, выгрузка (CSV, Russian headers)",
        "email_sends",
        "https://sendsay.ru/api/api.html#stat-uni (статистика выпусков)",
        {
            "campaign": ("Выпуск", "Название выпуска", "Тема"),
            "sent_at": ("Дата выпуска", "Дата отправки"),
            "recipients": ("Получатели", "Всего писем"),
            "delivered": ("Доставлено",),
            "opens": ("Уникальные открытия", "Открытия (уник.)"),
            "clicks": ("Уникальные переходы", "Переходы (уник.)"),
            "unsubscribes": ("Отписки",),
            "complaints": ("Жалобы",),
        },
        detect=(("получатели", "доставлено", "уникальные открытия"), ("выпуск", "доставлено", "отписки")),
        summary_rows=_TOTAL_RU,
        number_style="ru",
        date_format="%d.%m.%Y %H:%M",
    )
)

# ------------------------------------------------------------------ attribution
_add(
    Preset(
        "channelattribution_paths",
        "ChannelAttribution",
        "paths file (path; total_conversions; total_conversion_value; total_null)",
        "paths",
        "https://github.com/DavideAltomare/ChannelAttribution (python/src/cypack/data/Data.csv)",
        {
            "path": ("path",),
            "conversions": ("total_conversions",),
            "value": ("total_conversion_value",),
            "non_conversions": ("total_null",),
        },
        detect=(("path", "total_conversions", "total_null"), ("path", "total_conversions")),
        number_style="auto",
        note="total_null (journeys that did not convert) becomes non_conversions, so Markov "
        "P(conversion) and removal effects use it.",
    )
)


def get_preset(name: str) -> Preset:
    """The preset called `name`; a clear error with a did-you-mean otherwise."""
    import difflib

    try:
        return PRESETS[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(PRESETS), n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"unknown preset {name!r}{hint} (presets: {', '.join(PRESETS)})") from None


def detect_preset(keys: list[str], dataset: str | None = None) -> Preset | None:
    """The preset whose signature the header `keys` carry (most columns found wins)."""
    best: tuple[int, Preset | None] = (0, None)
    for preset in PRESETS.values():
        if dataset is not None and preset.dataset != dataset:
            continue
        score = preset.score(keys)
        if score > best[0]:
            best = (score, preset)
    return best[1]


def sources_markdown() -> str:
    """docs/data-sources.md, generated from PRESETS (a test checks the committed file equals this)."""
    out = [
        "# Data sources: platform exports read as downloaded",
        "",
        "Generated from `src/workbench/data/presets.py` by `workbench.data.presets.sources_markdown()`;",
        "do not edit by hand (a test checks this file equals the generated text).",
        "",
        "`workbench.data.load` (and so every report) recognises these exports from their header: title,",
        "date-range and `#` comment lines above the header and totals rows are skipped, the platform's",
        "column names (in each language listed) become contract columns, number formats, money in micros,",
        "durations, date formats and value codes are converted. `workbench inspect FILE` shows what was",
        "recognised. To force a preset, or to turn recognition off, put `_preset` in the dataset's",
        "rename map: `column_renames: {ad_stats: {_preset: yandex_direct_api}}` (`none` turns it off).",
        "Each preset has a fixture in `tests/fixtures/exports/` that follows the documentation page named.",
        "",
        "| preset | platform | export | dataset | documentation |",
        "|---|---|---|---|---|",
    ]
    out += [f"| `{p.name}` | {p.platform} | {p.export} | {p.dataset} | {p.docs} |" for p in PRESETS.values()]
    out.append("")
    for p in PRESETS.values():
        out += [f"## `{p.name}` — {p.platform}", "", f"{p.export}. Reads as **{p.dataset}**. Follows {p.docs}.", ""]
        out += ["| contract column | export column (first found wins) |", "|---|---|"]
        out += [f"| `{col}` | {', '.join(f'`{n}`' for n in names)} |" for col, names in p.columns.items()]
        facts = []
        if p.constants:
            facts.append("Set from the platform: " + ", ".join(f"`{k}` = `{v}`" for k, v in p.constants.items()) + ".")
        if p.coalesce:
            for k, names in p.coalesce.items():
                fill = f", else `{p.fill[k]}`" if k in p.fill else ""
                facts.append(f"`{k}`: the first non-empty of " + ", ".join(f"`{n}`" for n in names) + f"{fill}.")
        if p.host_of:
            facts.append("; ".join(f"`{k}`: the host of `{v}`" for k, v in p.host_of.items()) + ".")
        if p.summary_rows:
            facts.append("Rows dropped as totals (first cells): " + ", ".join(f"`{r}`" for r in p.summary_rows) + ".")
        if p.comment_prefix:
            facts.append(f"Lines starting with `{p.comment_prefix}` are comments.")
        if p.missing:
            facts.append("Empty marks: " + ", ".join(f"`{m.strip()}`" for m in p.missing) + ".")
        style = {"en": "1,234.5", "ru": "1 234,5", "auto": "either 1,234.5 or 1 234,5"}[p.number_style]
        facts.append(f"Numbers: {style}; currency signs dropped.")
        if p.micros:
            facts.append("In micros (÷ 1,000,000): " + ", ".join(f"`{m}`" for m in p.micros) + ".")
        if p.durations:
            facts.append("Durations hh:mm:ss → seconds: " + ", ".join(f"`{m}`" for m in p.durations) + ".")
        if p.date_format:
            facts.append(f"Dates written as `{p.date_format}`.")
        for col, codes in p.codes.items():
            facts.append(f"`{col}` codes: " + ", ".join(f"`{k}` → {v}" for k, v in codes.items()) + ".")
        if p.note:
            facts.append(p.note)
        out += ["", *[f"- {f}" for f in facts], ""]
    return "\n".join(out)
