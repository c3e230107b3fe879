"""The data contracts: one definition per dataset, used by the loaders, the validator, the sample
generator's tests and the generated docs (docs/data-contracts.md), so code and docs cannot drift.

A contract lists columns (kind, required, nullable, range, allowed values), unique keys,
row-level consistency rules and, separately, references between datasets.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

# Column kinds and what the loader turns them into.
KINDS = {
    "id": "identifier, kept as text (numbers from Excel like 12.0 become '12')",
    "str": "text",
    "list": "text holding a `;`-separated list, kept as one string",
    "category": "text from a fixed set of values",
    "date": "date or date-time (ISO or another unambiguous format, e.g. 31.12.2025) → datetime64",
    "int": "whole number (count) → int64 (Int64 when values are missing)",
    "float": "number → float64",
    "money": "amount in the dataset's currency → float64, never negative",
    "rate": "share 0–1 → float64; '45%' is read as 0.45",
    "bool": "true/false, 1/0, yes/no, t/f, y/n, да/нет → bool (boolean when values are missing)",
}


@dataclass(frozen=True)
class Column:
    name: str  # may be a glob pattern such as "likert_*" (matches extra columns)
    kind: str
    required: bool = False
    nullable: bool | None = None  # default: required columns are not nullable, optional ones are
    min: float | None = None
    max: float | None = None
    allowed: tuple[str, ...] | None = None
    doc: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Column {self.name!r}: kind must be one of {sorted(KINDS)}, got {self.kind!r}")

    @property
    def is_pattern(self) -> bool:
        return any(ch in self.name for ch in "*?[")

    @property
    def allows_missing(self) -> bool:
        return (not self.required) if self.nullable is None else self.nullable

    def bounds(self) -> tuple[float | None, float | None]:
        lo, hi = self.min, self.max
        if self.kind in ("int", "money") and lo is None:
            lo = 0
        if self.kind == "rate":
            lo = 0 if lo is None else lo
            hi = 1 if hi is None else hi
        return lo, hi


@dataclass(frozen=True)
class LessEqual:
    """Row rule: left ≤ right wherever both are present (e.g. clicks ≤ impressions)."""

    left: str
    right: str

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.left, self.right)

    def describe(self) -> str:
        return f"{self.left} ≤ {self.right}"


@dataclass(frozen=True)
class OnlyWhen:
    """Row rule: `column` may be positive only where the boolean `flag` is true
    (e.g. revenue only on converted sessions)."""

    column: str
    flag: str

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column, self.flag)

    def describe(self) -> str:
        return f"{self.column} > 0 only where {self.flag} is true"


@dataclass(frozen=True)
class ExactlyOneTrue:
    """Frame rule: exactly one row has `column` true (e.g. one brand is us)."""

    column: str

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def describe(self) -> str:
        return f"exactly one row has {self.column} = true"


Rule = LessEqual | OnlyWhen | ExactlyOneTrue


@dataclass(frozen=True)
class Contract:
    name: str
    one_row_per: str
    columns: tuple[Column, ...]
    unique: tuple[tuple[str, ...], ...] = ()  # keys over the columns present (optional parts skipped)
    rules: tuple[Rule, ...] = ()
    # Alternative required sets: at least one group must be fully present (experiment: unit-level or aggregated).
    required_groups: tuple[tuple[str, ...], ...] = ()
    doc: str = ""
    file_based: bool = True  # False for folders of files (site_pages)

    def column(self, name: str) -> Column | None:
        for col in self.columns:
            if not col.is_pattern and col.name == name:
                return col
        for col in self.columns:
            if col.is_pattern and fnmatch.fnmatchcase(name, col.name):
                return col
        return None

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def optional(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if not c.required)


@dataclass(frozen=True)
class Reference:
    """Every non-missing child.column value must exist in parent.parent_column."""

    child: str
    column: str
    parent: str
    parent_column: str


def _c(name: str, kind: str, **kw) -> Column:
    return Column(name, kind, **kw)


def _r(name: str, kind: str, **kw) -> Column:
    return Column(name, kind, required=True, **kw)


FAMILIARITY = ("unaware", "aware", "considered", "tried", "regular")

CONTRACTS: dict[str, Contract] = {}


def _add(contract: Contract) -> None:
    CONTRACTS[contract.name] = contract


_add(
    Contract(
        "customers",
        "customer",
        (
            _r("customer_id", "id"),
            _c("signup_date", "date", doc="absent: reports that need tenure say so; from orders: the first order"),
            _c("country", "str", doc="country name or ISO code"),
            _c("region", "str"),
            _c("city", "str"),
            _c("age", "int", min=10, max=110),
            _c("gender", "str"),
            _c("income_band", "str"),
            _c("occupation", "str"),
            _c("interests", "list", doc="`;`-separated, e.g. `running;travel`"),
            _c("lifestyle", "str"),
            _c("acquisition_channel", "str"),
        ),
        unique=(("customer_id",),),
    )
)

_add(
    Contract(
        "orders",
        "order",
        (
            _r("order_id", "id"),
            _r("customer_id", "id"),
            _r("order_date", "date"),
            _r("revenue", "money"),
            _c("items", "int", min=1),
            _c("channel", "str", doc="where bought (online, marketplace, store…)"),
            _c("brand", "str"),
            _c("category", "str"),
            _c("price_tier", "str"),
        ),
        unique=(("order_id",),),
    )
)

_add(
    Contract(
        "sessions",
        "visit",
        (
            _r("session_id", "id"),
            _r("started_at", "date"),
            _r("device", "str"),
            _r("source", "str"),
            _r("medium", "str"),
            _c("customer_id", "id"),
            _c("campaign", "str"),
            _c("landing_page", "str"),
            _c("pageviews", "int"),
            _c("duration_s", "float", min=0),
            _c("converted", "bool"),
            _c("revenue", "money"),
        ),
        unique=(("session_id",),),
        rules=(OnlyWhen("revenue", "converted"),),
    )
)

_add(
    Contract(
        "survey",
        "respondent",
        (
            _r("respondent_id", "id"),
            _c("customer_id", "id"),
            _c("familiarity", "category", allowed=FAMILIARITY, doc="ordered: " + " < ".join(FAMILIARITY)),
            _c("brands_used", "list"),
            _c("preferred_attributes", "list"),
            _c("purchase_place", "str"),
            _c("likert_*", "int", min=1, max=7, doc="any Likert item (1–5 or 1–7 scale)"),
            _c("nps_score", "int", min=0, max=10, doc="likelihood to recommend, 0–10"),
        ),
        unique=(("respondent_id",),),
        doc="Other columns are kept; numeric ones become numbers.",
    )
)

_add(
    Contract(
        "ad_stats",
        "day × campaign (× ad group/creative/keyword/device)",
        (
            _r("date", "date"),
            _r("campaign", "str"),
            _r("channel", "str"),
            _r("impressions", "int"),
            _r("clicks", "int"),
            _r("cost", "money"),
            _c("platform", "str"),
            _c("ad_group", "str"),
            _c("creative", "str"),
            _c("conversions", "int"),
            _c("revenue", "money"),
            _c("keyword", "str", doc="keyword-level exports; reports sum over keywords"),
            _c("device", "str", doc="device-level exports; reports sum over devices"),
        ),
        unique=(("date", "campaign", "channel", "platform", "ad_group", "creative", "keyword", "device"),),
        rules=(LessEqual("clicks", "impressions"),),
    )
)

_add(
    Contract(
        "touchpoints",
        "touch",
        (
            _r("user_id", "id"),
            _r("touched_at", "date"),
            _r("channel", "str"),
            _c("converted", "bool", doc="this touch is the conversion"),
            _c("conversion_value", "money"),
        ),
        rules=(OnlyWhen("conversion_value", "converted"),),
    )
)

_add(
    Contract(
        "paths",
        "path (usually distinct)",
        (
            _r("path", "str", doc="channels joined with ` > `"),
            _r("conversions", "int"),
            _c("non_conversions", "int"),
            _c("value", "money"),
        ),
        doc="A path may repeat (exports split by day, segment or campaign, e.g. ChannelAttribution's "
        "sample Data.csv): the rows of one path add up, so repeats are kept, not rejected.",
    )
)

_add(
    Contract(
        "experiment",
        "unit, or variant (aggregated)",
        (
            _c("unit_id", "id"),
            _c("variant", "str"),
            _c("converted", "bool"),
            _c("units", "int"),
            _c("conversions", "int"),
            _c("revenue", "money"),
            _c("exposed_at", "date"),
            _c("segment", "str"),
        ),
        unique=(("unit_id",),),
        rules=(LessEqual("conversions", "units"), OnlyWhen("revenue", "converted")),
        required_groups=(("unit_id", "variant", "converted"), ("variant", "units", "conversions")),
        doc="Either unit-level (unit_id, variant, converted) or aggregated (variant, units, conversions).",
    )
)

_add(
    Contract(
        "email_sends",
        "campaign send",
        (
            _r("campaign", "str"),
            _r("sent_at", "date"),
            _r("recipients", "int"),
            _r("delivered", "int"),
            _r("opens", "int", doc="unique opens"),
            _r("clicks", "int", doc="unique clickers"),
            _c("unsubscribes", "int"),
            _c("complaints", "int"),
            _c("conversions", "int"),
            _c("revenue", "money"),
        ),
        unique=(("campaign", "sent_at"),),
        rules=(
            LessEqual("delivered", "recipients"),
            LessEqual("opens", "delivered"),
            LessEqual("clicks", "delivered"),
            LessEqual("unsubscribes", "delivered"),
            LessEqual("complaints", "delivered"),
        ),
        doc="Opens and clicks are unique counts; clicks may exceed opens (images blocked), so that is not a rule.",
    )
)

_add(
    Contract(
        "competitors",
        "brand",
        (
            _r("brand", "str"),
            _r("domain", "str"),
            _r("is_us", "bool"),
            _c("price_index", "float", min=0, doc="price level, 1.0 = market average"),
            _c("notes", "str"),
        ),
        unique=(("brand",), ("domain",)),
        rules=(ExactlyOneTrue("is_us"),),
    )
)

_add(
    Contract(
        "keyword_rankings",
        "keyword × domain",
        (
            _r("keyword", "str"),
            _r("domain", "str"),
            _r("position", "int", nullable=True, min=1, max=100, doc="1–100; empty = not ranking in the top 100"),
            _r("search_volume", "int", doc="monthly searches"),
            _c("cpc", "money"),
            _c("difficulty", "float", min=0, max=100, doc="keyword difficulty on a 0–100 scale"),
            _c("url", "str"),
            _c("date", "date"),
        ),
        unique=(("keyword", "domain", "date"),),
    )
)

_add(
    Contract(
        "site_metrics",
        "domain",
        (
            _r("domain", "str"),
            _c("monthly_visits", "int"),
            _c("bounce_rate", "rate"),
            _c("pages_per_visit", "float", min=0),
            _c("visit_duration_s", "float", min=0),
            _c("load_time_s", "float", min=0),
            _c("mobile_friendly", "bool"),
            _c("https", "bool"),
            _c("indexed_pages", "int"),
            _c("referring_domains", "int"),
            _c("authority", "float", min=0, max=100, doc="0–100"),
        ),
        unique=(("domain",),),
    )
)

_add(
    Contract(
        "site_pages",
        "saved HTML page",
        (),
        doc="Files under a folder per domain: `<dir>/<domain>/*.html`.",
        file_based=False,
    )
)

_add(
    Contract(
        "social",
        "brand × network",
        (
            _r("brand", "str"),
            _r("network", "str"),
            _r("followers", "int"),
            _c("posts_30d", "int"),
            _c("engagement_rate", "rate"),
            _c("follower_growth_30d", "rate", min=-1, doc="share, may be negative"),
        ),
        unique=(("brand", "network"),),
    )
)

_add(
    Contract(
        "ads_intel",
        "brand × channel",
        (
            _r("brand", "str"),
            _r("channel", "str"),
            _c("est_monthly_spend", "money"),
            _c("active_ads", "int"),
            _c("keywords_bid", "int"),
            _c("top_message", "str"),
        ),
        unique=(("brand", "channel"),),
    )
)

_add(
    Contract(
        "email_intel",
        "brand",
        (
            _r("brand", "str"),
            _r("emails_30d", "int"),
            _c("promo_share", "rate"),
            _c("personalization", "rate", doc="share of e-mails personalised"),
            _c("avg_discount", "rate"),
        ),
        unique=(("brand",),),
    )
)

_add(
    Contract(
        "brand_attributes",
        "brand × attribute",
        (
            _r("brand", "str"),
            _r("attribute", "str"),
            _r("score", "float", min=0, doc="perception score, e.g. 1–5 mean"),
        ),
        unique=(("brand", "attribute"),),
    )
)

_add(
    Contract(
        "content",
        "content item (post, article, landing page, e-mail, video)",
        (
            _r("content_id", "id", doc="id or URL of the item"),
            _r("type", "str", doc="blog_post, landing_page, social_post, email, video …"),
            _r("platform", "str", doc="where it is published: blog, vk, telegram, youtube, email …"),
            _r("published_at", "date", doc="publication date-time (the hour matters for timing)"),
            _r("title", "str", doc="Russian or English text; topics are found from it"),
            _c("url", "str", doc="for web content: the landing page path as in sessions.landing_page"),
            _c("topic", "str"),
            _c("tags", "list", doc="`;`-separated"),
            _c("author", "str"),
            _c("cost", "money", doc="production and promotion cost in the dataset's currency"),
        ),
        unique=(("content_id",),),
    )
)

_add(
    Contract(
        "content_stats",
        "content item × day",
        (
            _r("content_id", "id"),
            _r("date", "date"),
            _r("views", "int", doc="views or impressions of the day"),
            _c("reach", "int", doc="unique people reached"),
            _c("likes", "int"),
            _c("comments", "int"),
            _c("shares", "int"),
            _c("saves", "int"),
            _c("clicks", "int"),
            _c("time_on_page_s", "float", min=0, doc="average seconds on the page"),
            _c("conversions", "int", doc="where the platform knows them"),
        ),
        unique=(("content_id", "date"),),
        rules=(LessEqual("reach", "views"),),
    )
)

_add(
    Contract(
        "search_demand",
        "keyword × month (× region)",
        (
            _r("keyword", "str"),
            _r("month", "date", doc="first day of the month (YYYY-MM is read as such)"),
            _r("demand", "float", min=0, doc="searches per month, or a relative index (Google Trends 0–100)"),
            _c("region", "str"),
            _c("source", "str", doc="wordstat, keyword_planner or google_trends"),
            _c("cpc", "money", doc="cost per click (e.g. Keyword Planner's top-of-page bid)"),
            _c("competition", "float", min=0, max=100, doc="competition index 0–100"),
        ),
        unique=(("keyword", "month", "region"),),
        doc="Read platform exports with `workbench.data.search_demand_exports.read_search_demand`.",
    )
)

REFERENCES: tuple[Reference, ...] = (
    Reference("orders", "customer_id", "customers", "customer_id"),
    Reference("sessions", "customer_id", "customers", "customer_id"),
    Reference("survey", "customer_id", "customers", "customer_id"),
    Reference("keyword_rankings", "domain", "competitors", "domain"),
    Reference("site_metrics", "domain", "competitors", "domain"),
    Reference("social", "brand", "competitors", "brand"),
    Reference("ads_intel", "brand", "competitors", "brand"),
    Reference("email_intel", "brand", "competitors", "brand"),
    Reference("brand_attributes", "brand", "competitors", "brand"),
    Reference("content_stats", "content_id", "content", "content_id"),
)

DATASETS: tuple[str, ...] = tuple(CONTRACTS)


def get_contract(dataset: str) -> Contract:
    """The contract for `dataset`; a clear ValueError listing the known names otherwise."""
    try:
        return CONTRACTS[dataset]
    except KeyError:
        raise ValueError(f"dataset must be one of {', '.join(DATASETS)}; got {dataset!r}") from None


#: Reserved key of a rename map that names the platform preset of the file ("auto", "none" or a name).
PRESET_KEY = "_preset"


def rename_for(dataset: str, rename: dict | None) -> dict | None:
    """A flat {export name: contract name} map, or the entry for `dataset` of a map keyed by dataset."""
    if not rename:
        return None
    if not isinstance(rename, dict):
        raise ValueError(
            f"rename must be a dict of column names (or of such dicts per dataset); got {type(rename).__name__}"
        )
    nested = [isinstance(v, dict) for v in rename.values()]
    if any(nested) and not all(nested):
        raise ValueError("rename must map column names to column names, or dataset names to such maps, not both")
    if not any(nested):
        return rename
    unknown = [k for k in rename if k not in CONTRACTS]
    if unknown:
        raise ValueError(unknown_datasets_message(unknown))
    return rename.get(dataset) or None


def unknown_datasets_message(unknown: list[str]) -> str:
    """'rename: unknown dataset 'add_stats' (did you mean 'ad_stats'?); datasets are …'."""
    import difflib

    parts = []
    for name in unknown:
        close = difflib.get_close_matches(str(name), list(CONTRACTS), n=1, cutoff=0.6)
        parts.append(repr(name) + (f" (did you mean {close[0]!r}?)" if close else ""))
    return (
        f"rename: unknown dataset{'s' if len(unknown) > 1 else ''} {', '.join(parts)}; "
        f"datasets are {', '.join(CONTRACTS)}"
    )


def _fmt_range(col: Column) -> str:
    parts = []
    if col.allowed:
        parts.append("one of " + ", ".join(f"`{a}`" for a in col.allowed))
    lo, hi = col.bounds()
    if lo is not None and hi is not None:
        parts.append(f"{lo:g}–{hi:g}")
    elif lo is not None:
        parts.append(f"≥ {lo:g}")
    elif hi is not None:
        parts.append(f"≤ {hi:g}")
    return "; ".join(parts)


def contracts_markdown() -> str:
    """docs/data-contracts.md, generated from CONTRACTS (a test checks the committed file equals this)."""
    out = [
        "# Data contracts",
        "",
        "Generated from `src/workbench/data/contracts.py` by `workbench.data.contracts.contracts_markdown()`;",
        "do not edit by hand (a test checks this file equals the generated text).",
        "",
        "Column names are normalised on load (BOM and spaces stripped, lower case, spaces/dots/dashes → `_`),",
        'then a params rename map is applied (`{"Impr.": "impressions"}`, or one map per dataset:',
        '`{"ad_stats": {"Impr.": "impressions"}}`). Loaders read CSV (`,` `;` or tab; UTF-8 with or without BOM,',
        "UTF-16 or cp1251; decimal comma when the delimiter is `;`), Parquet and XLSX (first sheet).",
        "Columns not listed are kept (numbers become numbers). Platform exports (Google Ads, Yandex Direct,",
        "Metrica, GA4, Semrush, Mailchimp…) are recognised and mapped first: see `docs/data-sources.md`.",
        "",
        "A file that breaks its contract raises `DataValidationError` naming the file, the column, the",
        "number of bad rows and up to five examples with their line in the file and the value found.",
        "Nothing is dropped or coerced silently: with `load(..., drop_invalid=True)` (and",
        "`check_references(..., drop_invalid=True)`) the bad rows are left out and listed in",
        '`df.attrs["dropped"]`; `workbench.data.dropped_table(df)` turns that into a table for',
        "`workbench.report.table`, and `dropped_text(df)` into a sentence, both in the report's language,",
        "so the report says how many rows were left out and why.",
        "",
        "## Column kinds",
        "",
        "| kind | meaning |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in KINDS.items()],
        "",
    ]
    for c in CONTRACTS.values():
        out += [f"## {c.name}", "", f"One row per {c.one_row_per}."]
        if c.doc:
            out += ["", c.doc]
        if c.columns:
            out += [
                "",
                "| column | kind | required | missing allowed | range / values | notes |",
                "|---|---|---|---|---|---|",
            ]
            for col in c.columns:
                out.append(
                    f"| `{col.name}` | {col.kind} | {'yes' if col.required else 'no'} | "
                    f"{'yes' if col.allows_missing else 'no'} | {_fmt_range(col)} | {col.doc} |"
                )
        if c.required_groups:
            out += ["", "Required: one of " + "; or ".join("(" + ", ".join(g) + ")" for g in c.required_groups) + "."]
        if c.unique:
            out += [
                "",
                "Unique keys: "
                + "; ".join("(" + ", ".join(k) + ")" for k in c.unique)
                + " — over the key columns present.",
            ]
        if c.rules:
            out += ["", "Consistency: " + "; ".join(r.describe() for r in c.rules) + "."]
        out.append("")
    out += [
        "## References between datasets",
        "",
        "Checked by `workbench.data.check_references(child, parent)`.",
        "",
        "| dataset | column | must exist in |",
        "|---|---|---|",
    ]
    out += [f"| {r.child} | `{r.column}` | {r.parent}.`{r.parent_column}` |" for r in REFERENCES]
    out.append("")
    return "\n".join(out)
