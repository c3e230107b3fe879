"""On-page audit of saved HTML pages: the technical basics a search engine and a visitor see first.

Each page is checked from its bytes alone (no network): title, meta description, one h1,
canonical, lang, viewport, JSON-LD structured data, image alt text, amount of visible text,
internal/external links, page weight and https. Findings roll up to a 0–100 score per page and
per domain with documented weights (docs/competitor-audit.md), so sites can be compared.

lxml's HTML parser (libxml2) is used because it recovers from the broken markup real sites
serve (unclosed tags, missing <head>, stray elements) instead of failing.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import pandas as pd

from workbench.analysis.competitors import text as words
from workbench.analysis.competitors.weights import merge_weights

TITLE_MIN, TITLE_MAX = 30, 60  # Moz title-tag guidance: keep titles under ~60 characters
DESCRIPTION_MIN, DESCRIPTION_MAX = 70, 160  # common meta description guidance (Moz, Yoast)
THIN_CONTENT_WORDS = 300  # fewer visible words than this reads as "thin content"
HEAVY_PAGE_BYTES = 512 * 1024  # HTML alone above 512 KiB is heavy (HTTP Archive median ~30 KB)

#: Weight of each check in the page score (they add up to 100; a check that cannot be
#: judged, e.g. https with no evidence, is left out and the others are rescaled).
DEFAULT_CHECK_WEIGHTS: dict[str, float] = {
    "title_present": 10,
    "title_length": 5,
    "description_present": 10,
    "description_length": 5,
    "single_h1": 10,
    "canonical": 10,
    "lang": 5,
    "viewport": 10,
    "structured_data": 10,
    "image_alt": 5,
    "content_length": 5,
    "https": 10,
    "page_weight": 5,
}

_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_NON_LINK_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "ftp:")
_WORD_RE = re.compile(r"\S+")
_HAS_ALNUM = re.compile(r"\w")


def decode_html(raw: bytes) -> tuple[str, str, bool]:
    """Bytes → (text, encoding used, decoded cleanly?).

    Order follows the HTML spec's sniffing in spirit: a byte-order mark, then a <meta charset>
    in the first 4 KiB, then UTF-8, then windows-1252 (what browsers use for "iso-8859-1").
    A page whose bytes do not match its declared charset is decoded with replacement
    characters and reported as not clean (an audit finding), never rejected."""
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if raw.startswith(bom):
            text = raw[len(bom) :].decode(enc, errors="replace")
            return text, enc, "\ufffd" not in text
    declared = None
    match = _CHARSET_RE.search(raw[:4096])
    if match:
        name = match.group(1).decode("ascii", "ignore").lower()
        try:
            declared = codecs.lookup(
                "cp1252" if name in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii") else name
            ).name
        except LookupError:
            declared = None
    for enc in ([declared] if declared else []) + ["utf-8"]:
        try:
            return raw.decode(enc), enc, True
        except UnicodeDecodeError:
            continue
    if declared:  # declared charset is wrong for these bytes: keep the declared one, flag it
        return raw.decode(declared, errors="replace"), declared, False
    return raw.decode("cp1252", errors="replace"), "cp1252", True


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def normalise_domain(domain: str) -> str:
    """'https://www.Shop.com/' → 'shop.com' (how rankings, metrics and folders are matched)."""
    text = str(domain).strip().lower()
    if "//" not in text:
        text = "//" + text
    host = urlsplit(text).hostname or ""
    return host[4:] if host.startswith("www.") else host


def _is_internal(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


_VISIBLE_TEXT = lxml.etree.XPath(
    "descendant-or-self::text()[not(ancestor::script or ancestor::style or ancestor::noscript"
    " or ancestor::template or ancestor::title)]"
)


def _visible_words(root: Any) -> int:
    """Words of the text a visitor sees in <body>: whitespace-separated tokens holding at least
    one letter or digit (so a lone "|" or "—" is not a word); script/style/noscript excluded."""
    body = root.find("body")
    if body is None:
        return 0
    return sum(1 for chunk in _VISIBLE_TEXT(body) for w in _WORD_RE.findall(chunk) if _HAS_ALNUM.search(w))


def _in_skipped(node: Any) -> bool:
    for anc in node.iterancestors():
        if isinstance(anc.tag, str) and anc.tag.lower() in ("script", "style", "noscript", "template"):
            return True
    return False


def _attr_lower(node: Any, name: str) -> str:
    return (node.get(name) or "").strip().lower()


_MEASURES = (
    "title",
    "title_length",
    "description_length",
    "h1_count",
    "canonical",
    "lang",
    "jsonld_blocks",
    "jsonld_invalid",
    "images",
    "images_with_alt",
    "word_count",
    "internal_links",
    "external_links",
    "https",
)


def audit_page(domain: str, filename: str, html_bytes: bytes, site_https: bool | None = None) -> dict[str, Any]:
    """Audit one saved page. `site_https` (from site_metrics) is used only when the page itself
    shows no evidence of its scheme (no canonical, og:url or absolute internal link).

    Returns one flat row: measured values, pass/fail of every check (True/False/None when it
    cannot be judged) and `issues`, the findings in words. Measuring (`_measure`), judging
    (`_checks`) and wording (`_ISSUES`) are separate steps so each can be read and tested alone."""
    dom = normalise_domain(domain)
    row: dict[str, Any] = {"domain": dom, "page": str(filename), "bytes": len(html_bytes)}
    issues: list[str] = []
    text, encoding, clean = decode_html(html_bytes)
    row["encoding"] = encoding
    row["encoding_ok"] = clean
    if not clean:
        issues.append(words.page_issue("charset", encoding=encoding))
    try:
        root = lxml.html.document_fromstring(text) if text.strip() else None
    except (lxml.etree.ParserError, ValueError):
        root = None
    if root is None:
        row.update(dict.fromkeys(_MEASURES))
        checks: dict[str, bool | float | None] = dict.fromkeys(DEFAULT_CHECK_WEIGHTS, False)  # nothing to pass
        checks["https"] = None
        row.update({f"ok_{k}": v for k, v in checks.items()})
        row["issues"] = issues + [words.page_issue("not_html")]
        return row
    m = _measure(root, dom, site_https)
    m["bytes"] = len(html_bytes)
    row.update({k: m[k] for k in _MEASURES})
    checks = _checks(m)
    row.update({f"ok_{k}": v for k, v in checks.items()})
    row["issues"] = issues + [found for rule in _ISSUES if (found := rule(m, checks))]
    return row


def _measure(root: Any, dom: str, site_https: bool | None) -> dict[str, Any]:
    """Everything the checks judge, measured from the parsed page."""
    titles = [
        t
        for t in root.iter("title")
        if not _in_skipped(t) and not any(isinstance(a.tag, str) and a.tag.lower() == "svg" for a in t.iterancestors())
    ]
    title = _clean(titles[0].text_content()) if titles else ""
    metas = list(root.iter("meta"))
    desc = next((m for m in metas if _attr_lower(m, "name") == "description"), None)
    description = _clean(desc.get("content")) if desc is not None else ""
    links = list(root.iter("link"))
    canonical = next((ln.get("href", "").strip() for ln in links if "canonical" in _attr_lower(ln, "rel").split()), "")
    blocks = [s for s in root.iter("script") if _attr_lower(s, "type").split(";")[0].strip() == "application/ld+json"]
    images = [i for i in root.iter("img") if not _in_skipped(i)]
    internal, external, https_evidence = _count_links(root, dom)
    og_url = next((m.get("content", "").strip() for m in metas if _attr_lower(m, "property") == "og:url"), "")
    return {
        "title": title,
        "title_length": len(title),
        "title_count": len(titles),
        "description": description,
        "description_length": len(description),
        "h1_count": sum(1 for h in root.iter("h1") if not _in_skipped(h)),
        "canonical": canonical,
        "lang": (root.get("lang") or root.get("xml:lang") or "").strip(),
        "has_viewport": any(_attr_lower(m, "name") == "viewport" for m in metas),
        "jsonld_blocks": len(blocks),
        "jsonld_invalid": sum(1 for block in blocks if not _is_json(block.text or "")),
        "images": len(images),
        "images_with_alt": sum(1 for i in images if (i.get("alt") or "").strip()),
        "word_count": _visible_words(root),
        "internal_links": internal,
        "external_links": external,
        "https": _https(canonical, og_url, https_evidence, site_https),
    }


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _count_links(root: Any, dom: str) -> tuple[int, int, list[bool]]:
    """Internal and external web links, and for absolute internal links whether each is https."""
    internal = external = 0
    https_evidence: list[bool] = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#") or href.lower().startswith(_NON_LINK_SCHEMES):
            continue
        lowered = href.lower()
        if lowered.startswith(("http://", "https://", "//")):
            host = _host(href if not lowered.startswith("//") else "http:" + href)
            if _is_internal(host, dom):
                internal += 1
                if not lowered.startswith("//"):
                    https_evidence.append(lowered.startswith("https://"))
            else:
                external += 1
        elif re.match(r"^[a-z][a-z0-9+.\-]*:", lowered):
            continue  # some other scheme (whatsapp:, skype:...) is not a web link
        else:
            internal += 1
    return internal, external, https_evidence


def _https(canonical: str, og_url: str, evidence: list[bool], site_https: bool | None) -> bool | None:
    """The page's scheme: canonical or og:url first, then absolute internal links, then site_metrics."""
    for url in (canonical, og_url):
        if url.lower().startswith(("http://", "https://")):
            return url.lower().startswith("https://")
    if evidence:
        return all(evidence)
    return site_https


def _checks(m: Mapping[str, Any]) -> dict[str, bool | float | None]:
    """Pass/fail per check (image_alt is the share of images with alt text; None = cannot be judged)."""
    title, description = m["title"], m["description"]
    return {
        "title_present": bool(title),
        "title_length": bool(title) and TITLE_MIN <= len(title) <= TITLE_MAX,
        "description_present": bool(description),
        "description_length": bool(description) and DESCRIPTION_MIN <= len(description) <= DESCRIPTION_MAX,
        "single_h1": m["h1_count"] == 1,
        "canonical": bool(m["canonical"]),
        "lang": bool(m["lang"]),
        "viewport": m["has_viewport"],
        "structured_data": m["jsonld_blocks"] > 0 and m["jsonld_invalid"] == 0,
        "image_alt": (m["images_with_alt"] / m["images"]) if m["images"] else None,
        "content_length": m["word_count"] >= THIN_CONTENT_WORDS,
        "https": m["https"],
        "page_weight": m["bytes"] <= HEAVY_PAGE_BYTES,
    }


def _title_issue(m: Mapping[str, Any], c: Mapping[str, Any]) -> str:
    if not m["title"]:
        return words.page_issue("no_title")
    if c["title_length"]:
        return ""
    return words.page_issue("title_length", n=m["title_length"], low=TITLE_MIN, high=TITLE_MAX)


def _description_issue(m: Mapping[str, Any], c: Mapping[str, Any]) -> str:
    if not m["description"]:
        return words.page_issue("no_description")
    if c["description_length"]:
        return ""
    return words.page_issue("description_length", n=m["description_length"], low=DESCRIPTION_MIN, high=DESCRIPTION_MAX)


def _jsonld_issue(m: Mapping[str, Any], c: Mapping[str, Any]) -> str:
    if not m["jsonld_blocks"]:
        return words.page_issue("no_jsonld")
    if not m["jsonld_invalid"]:
        return ""
    return words.page_issue("invalid_jsonld", invalid=m["jsonld_invalid"], n=m["jsonld_blocks"])


def _alt_issue(m: Mapping[str, Any], c: Mapping[str, Any]) -> str:
    missing = m["images"] - m["images_with_alt"]
    return words.page_issue("alt", missing=missing, n=m["images"]) if m["images"] and missing else ""


#: The findings in words, in the order a reader meets them; each rule returns "" when there is nothing to say.
_ISSUES: tuple[Any, ...] = (
    _title_issue,
    lambda m, c: words.page_issue("titles", n=m["title_count"]) if m["title_count"] > 1 else "",
    _description_issue,
    lambda m, c: "" if m["h1_count"] == 1 else words.page_issue("h1", n=m["h1_count"]),
    lambda m, c: "" if m["canonical"] else words.page_issue("no_canonical"),
    lambda m, c: "" if m["lang"] else words.page_issue("no_lang"),
    lambda m, c: "" if m["has_viewport"] else words.page_issue("no_viewport"),
    _jsonld_issue,
    _alt_issue,
    lambda m, c: "" if c["content_length"] else words.page_issue("thin", n=m["word_count"], minimum=THIN_CONTENT_WORDS),
    lambda m, c: words.page_issue("http") if m["https"] is False else "",
    lambda m, c: "" if c["page_weight"] else words.page_issue("heavy", kib=m["bytes"] / 1024),
)


def validate_check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Merge user weights over the defaults; unknown checks and negative weights are errors."""
    return merge_weights(weights, DEFAULT_CHECK_WEIGHTS, "onpage_weights", noun="check")


def audit_pages(
    pages: Iterable[tuple[str, str, bytes]],
    site_https: Mapping[str, bool] | None = None,
    weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Audit many pages given as (domain, filename, html bytes); one row per page with `score` 0–100.

    score = 100 × Σ weight × pass / Σ weight over the checks that could be judged on that page
    (image alt coverage counts as the share of images with alt text)."""
    w = validate_check_weights(weights)
    flags = {normalise_domain(k): (None if v is None or v != v else bool(v)) for k, v in (site_https or {}).items()}
    rows = [audit_page(d, f, b, flags.get(normalise_domain(d))) for d, f, b in pages]
    columns = [
        "domain",
        "page",
        "bytes",
        "encoding",
        "encoding_ok",
        *_MEASURES,
        *[f"ok_{k}" for k in DEFAULT_CHECK_WEIGHTS],
        "issues",
        "score",
    ]
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows)
    num = pd.Series(0.0, index=frame.index)
    den = pd.Series(0.0, index=frame.index)
    for check, weight in w.items():
        values = frame[f"ok_{check}"]
        known = values.notna()
        num += weight * pd.to_numeric(values.where(known, 0.0), errors="coerce").fillna(0.0).astype(float)
        den += weight * known.astype(float)
    frame["score"] = (100 * num / den.where(den > 0)).round(1)
    return frame[columns]


def domain_audit_scores(page_audit: pd.DataFrame) -> pd.DataFrame:
    """Roll page audits up to domains: mean page score and the share of pages failing each check."""
    checks = [c for c in page_audit.columns if c.startswith("ok_")]
    if page_audit.empty:
        columns = ["domain", "pages", "score", *[f"fail_{c[3:]}" for c in checks], "top_check", "top_issue"]
        return pd.DataFrame(columns=columns)
    out = []
    for domain, grp in page_audit.groupby("domain", sort=True):
        rec: dict[str, Any] = {"domain": domain, "pages": len(grp), "score": round(float(grp["score"].mean()), 1)}
        fails = {}
        for c in checks:
            known = grp[c].dropna()
            fails[c[3:]] = float((1 - known.astype(float)).mean()) if len(known) else None
            rec[f"fail_{c[3:]}"] = fails[c[3:]]
        worst = max(
            ((k, v) for k, v in fails.items() if v), key=lambda kv: kv[1] * DEFAULT_CHECK_WEIGHTS[kv[0]], default=None
        )
        # top_issue is recorded (results.json), so it stays English; top_check lets a view word it
        rec["top_check"] = worst[0] if worst else None
        rec["top_issue"] = f"{worst[0].replace('_', ' ')} fails on {worst[1]:.0%} of pages" if worst else "none"
        out.append(rec)
    return pd.DataFrame(out).sort_values("score", ascending=False, ignore_index=True)


#: The guideline numbers the check labels name.
CHECK_LIMITS = {
    "title_min": TITLE_MIN,
    "title_max": TITLE_MAX,
    "description_min": DESCRIPTION_MIN,
    "description_max": DESCRIPTION_MAX,
    "thin_words": THIN_CONTENT_WORDS,
    "heavy_kib": HEAVY_PAGE_BYTES // 1024,
}


def check_labels() -> dict[str, str]:
    """Readable names of the on-page checks, in the current language ('title_present' -> 'title present')."""
    return {check: words.check_label(check, CHECK_LIMITS) for check in DEFAULT_CHECK_WEIGHTS}


def site_audit_summary(page_audit: pd.DataFrame) -> pd.DataFrame:
    """Per domain, what the audit measured: the share of pages passing each check (image alt: mean
    coverage; checks that could not be judged on any page are NaN) and the typical page — median
    visible words, mean internal and external links, median HTML size in KiB."""
    checks = list(DEFAULT_CHECK_WEIGHTS)
    columns = [
        "domain",
        "pages",
        *[f"pass_{c}" for c in checks],
        "median_words",
        "mean_internal_links",
        "mean_external_links",
        "median_kib",
    ]
    if page_audit.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for domain, grp in page_audit.groupby("domain", sort=True):
        rec: dict[str, Any] = {"domain": domain, "pages": len(grp)}
        for c in checks:
            known = grp[f"ok_{c}"].dropna()
            rec[f"pass_{c}"] = float(known.astype(float).mean()) if len(known) else float("nan")
        rec["median_words"] = float(pd.to_numeric(grp["word_count"], errors="coerce").median())
        rec["mean_internal_links"] = float(pd.to_numeric(grp["internal_links"], errors="coerce").mean())
        rec["mean_external_links"] = float(pd.to_numeric(grp["external_links"], errors="coerce").mean())
        rec["median_kib"] = float(pd.to_numeric(grp["bytes"], errors="coerce").median()) / 1024
        rows.append(rec)
    return pd.DataFrame(rows, columns=columns)
