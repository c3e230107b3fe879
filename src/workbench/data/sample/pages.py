"""Saved HTML pages per domain with on-page SEO flaws whose rates differ by domain; the exact
flaws of every page are returned as a truth table."""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.data.sample import world as W
from workbench.data.sample.market import PRODUCTS

PAGES_PER_DOMAIN = 30
# Probability of each flaw per page, by brand.
FLAWS = {
    #                missing_title long_title no_meta  zero_h1 multi_h1 alt_missing no_canonical no_viewport json_ld
    "Kedr": (0.03, 0.10, 0.20, 0.07, 0.10, 0.20, 0.30, 0.00, 0.50),
    "Taiga Sport": (0.00, 0.15, 0.05, 0.00, 0.03, 0.05, 0.05, 0.00, 0.90),
    "Vershina": (0.03, 0.10, 0.40, 0.05, 0.30, 0.40, 0.20, 0.00, 0.30),
    "Alpina Market": (0.00, 0.50, 0.25, 0.05, 0.10, 0.50, 0.60, 0.00, 0.20),
    "Severstyle": (0.15, 0.05, 0.35, 0.40, 0.05, 0.60, 0.40, 0.00, 0.10),
    "Trekline": (0.05, 0.10, 0.50, 0.10, 0.15, 0.30, 0.80, 0.50, 0.00),
}
FLAW_NAMES = (
    "missing_title",
    "long_title",
    "missing_meta_description",
    "zero_h1",
    "multiple_h1",
    "alt_missing_rate",
    "missing_canonical",
    "missing_viewport",
    "json_ld",
)
WORDS = (
    "trail comfort warm layer waterproof breathable light durable pack camp summit ridge forest river "
    "winter summer autumn spring guide choose size fit weight season rain wind snow sun city weekend"
).split()


def _text(rng, n: int) -> str:
    return " ".join(WORDS[i] for i in rng.integers(0, len(WORDS), n)).capitalize() + "."


def _page(
    rng, brand: str, domain: str, kind: str, slug: str, subject: str, flags: dict, n_img: int, alt_missing: int
) -> str:
    title = f"{subject.title()} | {brand}"
    if flags["long_title"]:
        title = (
            f"{subject.title()} buy online cheap best price delivery Moscow Russia sale discount "
            f"| {brand} official store"
        )
    head = ['<meta charset="utf-8">']
    if flags["viewport"]:
        head.append('<meta name="viewport" content="width=device-width, initial-scale=1">')
    if flags["title"]:
        head.append(f"<title>{html.escape(title)}</title>")
    if flags["meta"]:
        head.append(f'<meta name="description" content="{html.escape(_text(rng, 18))}">')
    if flags["canonical"]:
        head.append(f'<link rel="canonical" href="https://{domain}/{slug}">')
    if flags["json_ld"]:
        typ = "Product" if kind == "product" else "Article" if kind == "blog" else "Organization"
        head.append(
            f'<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "{typ}", '
            f'"name": "{html.escape(subject.title())}"}}</script>'
        )
    body = []
    for i in range(flags["h1"]):
        body.append(f"<h1>{html.escape(subject.title())}{'' if i == 0 else ' — ' + brand}</h1>")
    for _ in range(int(rng.integers(2, 5))):
        body.append(f"<h2>{html.escape(_text(rng, 3))}</h2><p>{html.escape(_text(rng, int(rng.integers(30, 90))))}</p>")
    for i in range(n_img):
        alt = "" if i < alt_missing else f' alt="{html.escape(subject)} photo {i + 1}"'
        body.append(f'<img src="/img/{slug.replace("/", "-")}-{i + 1}.jpg"{alt}>')
    body.append(f'<a href="https://{domain}/">Home</a> <a href="https://{domain}/catalog">Catalog</a>')
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n'
        + "\n".join(head)
        + "\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def write_pages(rng: np.random.Generator, out_dir: Path) -> pd.DataFrame:
    truth = []
    for _, b in W.BRANDS.iterrows():
        brand, domain = b["brand"], b["domain"]
        f = dict(zip(FLAW_NAMES, FLAWS[brand], strict=False))
        folder = out_dir / domain
        folder.mkdir(parents=True, exist_ok=True)
        products = [PRODUCTS[i] for i in rng.permutation(len(PRODUCTS))[:PAGES_PER_DOMAIN]]
        for j in range(PAGES_PER_DOMAIN):
            kind = "home" if j == 0 else "category" if j < 6 else "blog" if j < 12 else "product"
            subject = {
                "home": f"{brand} outdoor gear",
                "category": f"{products[j]} catalog",
                "blog": f"how to choose {products[j]}",
                "product": products[j],
            }[kind]
            slug = "" if kind == "home" else f"{kind}/{products[j].replace(' ', '-')}"
            u = rng.random(9)
            h1 = 0 if u[3] < f["zero_h1"] else 2 + int(u[4] * 2) if u[4] < f["multiple_h1"] else 1
            flags = {
                "title": u[0] >= f["missing_title"],
                "long_title": u[1] < f["long_title"],
                "meta": u[2] >= f["missing_meta_description"],
                "h1": h1,
                "canonical": u[6] >= f["missing_canonical"],
                "viewport": u[7] >= f["missing_viewport"],
                "json_ld": u[8] < f["json_ld"],
            }
            n_img = int(rng.integers(1, 7))
            alt_missing = int(rng.binomial(n_img, f["alt_missing_rate"]))
            name = "index.html" if kind == "home" else slug.replace("/", "_") + ".html"
            page = _page(rng, brand, domain, kind, slug, subject, flags, n_img, alt_missing)
            (folder / name).write_text(page, encoding="utf-8")
            title_len = (
                0
                if not flags["title"]
                else len(
                    f"{subject.title()} buy online cheap best price delivery Moscow Russia sale discount | {brand} "
                    "official store"
                    if flags["long_title"]
                    else f"{subject.title()} | {brand}"
                )
            )
            truth.append(
                {
                    "domain": domain,
                    "file": name,
                    "page_type": kind,
                    "has_title": flags["title"],
                    "title_length": title_len,
                    "has_meta_description": flags["meta"],
                    "h1_count": h1,
                    "images": n_img,
                    "images_missing_alt": alt_missing,
                    "has_canonical": flags["canonical"],
                    "has_viewport": flags["viewport"],
                    "has_json_ld": flags["json_ld"],
                }
            )
    return pd.DataFrame(truth)
