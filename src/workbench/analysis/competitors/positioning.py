"""Positioning map and our distinct strengths, from brand perception scores (brand × attribute × score).

Two maps: price index against perceived quality (when prices are known; quality is the named
quality attribute, else the mean of all attribute scores), or the first two principal components
of the standardised brand × attribute matrix (scikit-learn PCA) when prices are missing or asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.analysis.competitors import text


@dataclass
class PositioningMap:
    points: pd.DataFrame  # brand, x, y, is_us
    x_label: str
    y_label: str
    method: str  # "price_quality" or "pca"
    explained_variance: list[float] = field(default_factory=list)
    loadings: pd.DataFrame | None = None  # attribute × (PC1, PC2) for the PCA map


def attribute_matrix(brand_attributes: pd.DataFrame) -> pd.DataFrame:
    """brand × attribute mean scores (duplicates averaged)."""
    missing = {"brand", "attribute", "score"} - set(brand_attributes.columns)
    if missing:
        raise ValueError(f"brand_attributes is missing required columns: {', '.join(sorted(missing))}")
    frame = brand_attributes.assign(
        brand=brand_attributes["brand"].astype(str),
        attribute=brand_attributes["attribute"].astype(str),
        score=pd.to_numeric(brand_attributes["score"], errors="coerce"),
    )
    return frame.pivot_table(index="brand", columns="attribute", values="score", aggfunc="mean")


def positioning_map(
    brand_attributes: pd.DataFrame,
    us: str,
    price_index: pd.Series | None = None,
    method: str = "auto",
    quality_attribute: str = "quality",
) -> PositioningMap:
    """Build the map. method: "auto" (price × quality when ≥ 2 brands have both, else PCA),
    "price_quality" or "pca"."""
    if method not in ("auto", "price_quality", "pca"):
        raise ValueError(f"positioning_method must be one of auto, price_quality, pca; got {method!r}")
    matrix = attribute_matrix(brand_attributes)
    if method in ("auto", "price_quality"):
        price = pd.to_numeric(price_index, errors="coerce") if price_index is not None else None
        match = [c for c in matrix.columns if c.strip().lower() == quality_attribute.strip().lower()]
        quality = matrix[match[0]] if match else matrix.mean(axis=1)
        qlabel = text.quality_axis(match[0] if match else None)
        if price is not None:
            both = pd.DataFrame({"x": price, "y": quality}).dropna()
            if len(both) >= 2:
                pts = both.rename_axis("brand").reset_index()
                pts["is_us"] = pts["brand"] == us
                return PositioningMap(pts, text.price_axis(), qlabel, "price_quality")
        if method == "price_quality":
            raise ValueError(
                "positioning_method 'price_quality' needs price_index for at least two brands "
                "that also have brand_attributes scores"
            )
    complete = matrix.dropna(axis=1, how="any")
    if complete.shape[0] < 3 or complete.shape[1] < 2:
        raise ValueError(
            f"a PCA positioning map needs ≥ 3 brands and ≥ 2 attributes scored for every brand; "
            f"got {complete.shape[0]} brands × {complete.shape[1]} attributes"
        )
    from sklearn.decomposition import PCA

    std = complete.std(ddof=0).replace(0, np.nan)
    z = ((complete - complete.mean()) / std).dropna(axis=1)
    pca = PCA(n_components=2).fit(z.to_numpy())
    coords = pca.transform(z.to_numpy())
    pts = pd.DataFrame({"brand": z.index, "x": coords[:, 0], "y": coords[:, 1]})
    pts["is_us"] = pts["brand"] == us
    loadings = pd.DataFrame(pca.components_.T, index=z.columns, columns=["PC1", "PC2"])
    ev = [float(v) for v in pca.explained_variance_ratio_]

    def label(k: int) -> str:
        col = loadings.iloc[:, k]
        top = col.abs().sort_values(ascending=False).index[:2]
        drivers = ", ".join(f"{'+' if col[a] > 0 else '−'}{a}" for a in top)
        return text.component_axis(k + 1, ev[k], drivers)

    return PositioningMap(pts, label(0), label(1), "pca", ev, loadings)


def distinct_strengths(brand_attributes: pd.DataFrame, us: str, top: int = 3) -> pd.DataFrame:
    """Attributes where we stand out: our score minus the best rival's and minus the rivals' mean,
    sorted by the lead over the best rival (positive = no rival matches us)."""
    matrix = attribute_matrix(brand_attributes)
    if us not in matrix.index:
        raise ValueError(f"brand_attributes has no scores for our brand {us!r}")
    rivals = matrix.drop(index=us)
    out = pd.DataFrame(
        {
            "attribute": matrix.columns,
            "our_score": matrix.loc[us].to_numpy(),
            "best_rival": rivals.max().to_numpy(),
            "rivals_mean": rivals.mean().to_numpy(),
        }
    )
    out["best_rival_brand"] = rivals.idxmax().reindex(matrix.columns).to_numpy() if len(rivals) else None
    out["lead_over_best"] = out["our_score"] - out["best_rival"]
    out["lead_over_mean"] = out["our_score"] - out["rivals_mean"]
    out = out.dropna(subset=["our_score"]).sort_values(
        ["lead_over_best", "lead_over_mean"], ascending=False, ignore_index=True
    )
    return out.head(top) if top else out
