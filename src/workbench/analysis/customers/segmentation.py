"""Customer segmentation: k-means on scaled and encoded mixed features, k chosen by silhouette.

Why k-means on a scaled + one-hot encoded matrix rather than k-prototypes: scikit-learn's k-means is
already a dependency, runs on a million customers in seconds (k-prototypes in the ``kmodes`` package
is a pure-Python loop, and a new runtime dependency), and the same matrix feeds silhouette and the
adjusted Rand index, so choosing k and checking stability use one distance. k-prototypes' extra knob
(the weight γ between numeric and categorical distance) is replaced by an explicit convention:
numeric columns are standardised (unit variance, the robust IQR scale, or left in their units with
``scaling="none"``), categorical columns become
0/1 indicators — so a different category counts like a difference of about one standard deviation.

Preprocessing (a scikit-learn ``ColumnTransformer``):
    numeric (more than two distinct values)  median imputation, then StandardScaler, RobustScaler or none
    binary 0/1 columns                       most-frequent imputation, kept as 0/1
    categorical (text / category)            missing becomes the category "missing", OneHotEncoder
    multi-valued text ("tech;travel")        one 0/1 indicator per value (``MultiValueIndicator``)
Missing values per feature are counted and returned (``SegmentationResult.missing``) so reports state them.

Choosing k: for each k in ``k_range`` k-means is fitted on a random sample of ``sample_size``
customers; the silhouette is computed on (a sub-sample of) that sample and the inertia is kept for
the elbow chart. The k with the highest silhouette wins unless ``k`` is fixed. The final model is
fitted on all customers starting from the sample's centres. Stability: k-means refitted on
bootstrap resamples of the sample; each fit labels the sample and is compared with the reference
labels by the adjusted Rand index (mean and 5th percentile reported; > 0.8 is usually read as
stable, < 0.6 as fragile). Segments are numbered 1…k from the largest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.cluster import KMeans
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.metrics import adjusted_rand_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, RobustScaler, StandardScaler
from threadpoolctl import threadpool_limits

from workbench.analysis.customers.profiles import (
    numeric_segment_names,
    profile_segments,
    segment_names,
    segment_trait_affinity,
)

__all__ = [
    "SCALINGS",
    "MultiValueIndicator",
    "SegmentationResult",
    "build_preprocessor",
    "fast_silhouette",
    "feature_kinds",
    "silhouettes",
    "segment_customers",
]


#: numeric scaling: unit variance, the robust IQR scale, or the data's own units (when they are
#: comparable, e.g. income in k$ beside a 1-100 score, and the user wants distances in them)
SCALINGS = ("standard", "robust", "none")


class MultiValueIndicator(TransformerMixin, BaseEstimator):
    """One 0/1 column per value of a ``sep``-separated text column ("tech;travel" → tech=1, travel=1)."""

    def __init__(self, sep: str = ";", min_count: int = 1) -> None:
        self.sep = sep
        self.min_count = min_count

    def _split(self, X) -> list[pd.Series]:
        frame = pd.DataFrame(X)
        return [frame.iloc[:, j].astype("string").fillna("").str.lower() for j in range(frame.shape[1])]

    def fit(self, X, y=None):
        self.columns_ = list(pd.DataFrame(X).columns)
        self.vocab_ = []
        for col in self._split(X):
            counts = col.str.split(self.sep).explode().str.strip()
            counts = counts[counts != ""].value_counts()
            self.vocab_.append(sorted(counts[counts >= self.min_count].index.tolist()))
        return self

    def transform(self, X):
        blocks = []
        for col, vocab in zip(self._split(X), self.vocab_, strict=False):
            padded = self.sep + col.str.replace(rf"\s*{self.sep}\s*", self.sep, regex=True).str.strip() + self.sep
            blocks.append(
                np.column_stack([padded.str.contains(self.sep + v + self.sep, regex=False).to_numpy() for v in vocab])
                if vocab
                else np.zeros((len(col), 0))
            )
        return np.hstack(blocks).astype(np.float32) if blocks else np.zeros((len(X), 0), np.float32)

    def get_feature_names_out(self, input_features=None):
        names = input_features if input_features is not None else self.columns_
        return np.array(
            [f"{c}__{v}" for c, vocab in zip(names, self.vocab_, strict=False) for v in vocab], dtype=object
        )


@dataclass
class SegmentationResult:
    """What `segment_customers` found. ``labels`` is indexed like the input frame (segments 1…k)."""

    labels: pd.Series
    k: int
    silhouette: float
    k_scores: pd.DataFrame  # k, silhouette, inertia (on the sample)
    stability: dict  # ari_mean, ari_low (5th percentile), n_boot
    profiles: pd.DataFrame  # one row per segment (see profiles.profile_segments)
    traits: pd.DataFrame  # long table: segment, trait, segment_share, base_share, affinity
    names: dict  # segment -> descriptive name
    missing: pd.DataFrame  # feature, kind, missing, share, imputed_with
    feature_kinds: dict  # feature -> numeric / binary / categorical / multi
    centers: pd.DataFrame  # per segment mean of each numeric/binary feature (original units)
    k_fixed: bool = False
    n_customers: int = 0
    n_sample: int = 0
    encoded_columns: list = field(default_factory=list)

    @property
    def n_missing(self) -> int:
        return int(self.missing["missing"].sum()) if len(self.missing) else 0


def feature_kinds(frame: pd.DataFrame, features: list[str], sep: str = ";") -> dict[str, str]:
    """Classify each feature: numeric, binary (0/1), categorical or multi (``sep``-separated values)."""
    kinds = {}
    for col in features:
        s = frame[col]
        if pd.api.types.is_bool_dtype(s):
            kinds[col] = "binary"
        elif pd.api.types.is_numeric_dtype(s):
            values = pd.unique(s.dropna())
            kinds[col] = "binary" if len(values) <= 2 and set(np.asarray(values, float)) <= {0.0, 1.0} else "numeric"
        else:
            text = s.dropna().astype("string")
            kinds[col] = "multi" if len(text) and text.str.contains(sep, regex=False).any() else "categorical"
    return kinds


def build_preprocessor(kinds: dict[str, str], scaling: str = "standard", sep: str = ";") -> ColumnTransformer:
    """The ColumnTransformer described in the module docstring, for the given feature kinds."""
    if scaling not in SCALINGS:
        raise ValueError(f"scaling must be one of {', '.join(SCALINGS)}; got {scaling!r}")
    scaler = {"standard": StandardScaler(), "robust": RobustScaler(), "none": "passthrough"}[scaling]
    groups = {
        kind: [c for c, kd in kinds.items() if kd == kind] for kind in ("numeric", "binary", "categorical", "multi")
    }
    transformers = []
    if groups["numeric"]:
        transformers.append(("numeric", make_pipeline(SimpleImputer(strategy="median"), scaler), groups["numeric"]))
    if groups["binary"]:
        transformers.append(("binary", SimpleImputer(strategy="most_frequent"), groups["binary"]))
    if groups["categorical"]:
        transformers.append(
            (
                "categorical",
                make_pipeline(
                    SimpleImputer(strategy="constant", fill_value="missing"),
                    OneHotEncoder(handle_unknown="ignore", sparse_output=False, dtype=np.float32),
                ),
                groups["categorical"],
            )
        )
    if groups["multi"]:
        transformers.append(("multi", MultiValueIndicator(sep=sep), groups["multi"]))
    return ColumnTransformer(transformers, sparse_threshold=0.0, verbose_feature_names_out=True)


def _missing_report(frame: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    imputed = {"numeric": "median", "binary": "most frequent", "categorical": 'category "missing"', "multi": "no value"}
    rows = [
        {
            "feature": c,
            "kind": k,
            "missing": int(frame[c].isna().sum()),
            "share": float(frame[c].isna().mean()) if len(frame) else 0.0,
            "imputed_with": imputed[k],
        }
        for c, k in kinds.items()
    ]
    return pd.DataFrame(rows, columns=["feature", "kind", "missing", "share", "imputed_with"])


def _prepare_input(frame: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    """Text columns as object with NaN for missing (SimpleImputer does not take pandas' string dtype)."""
    out = {}
    for col, kind in kinds.items():
        s = frame[col]
        if kind in ("categorical", "multi"):
            out[col] = s.astype(object).where(s.notna(), np.nan)
        elif kind == "binary":
            out[col] = s.astype(float)
        else:
            out[col] = pd.to_numeric(s, errors="coerce").astype(float)
    return pd.DataFrame(out, index=frame.index)


def _validate(frame, features, k, k_range, sample_size, n_boot) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    if not features:
        raise ValueError("features must name at least one column of frame")
    unknown = [f for f in features if f not in frame.columns]
    if unknown:
        raise ValueError(f"features {unknown} are not columns of frame; available: {list(frame.columns)}")
    if len(set(features)) != len(features):
        raise ValueError(f"features contains duplicates: {features}")
    lo, hi = k_range
    if not (isinstance(lo, (int, np.integer)) and isinstance(hi, (int, np.integer)) and 2 <= lo <= hi):
        raise ValueError(f"k_range must be (low, high) integers with 2 <= low <= high, got {k_range!r}")
    if k is not None and (not isinstance(k, (int, np.integer)) or k < 2):
        raise ValueError(f"k must be None (choose by silhouette) or an integer >= 2, got {k!r}")
    if sample_size < 100:
        raise ValueError(f"sample_size must be at least 100, got {sample_size}")
    if n_boot < 0:
        raise ValueError(f"n_boot must be >= 0, got {n_boot}")
    n = len(frame)
    need = (k or hi) + 1
    if n < max(need, 3):
        raise ValueError(f"frame has {n} rows; clustering with k up to {k or hi} needs at least {need}")


def fast_silhouette(X: np.ndarray, labels: np.ndarray, chunk: int = 2048) -> float:
    """Mean silhouette (Euclidean), as sklearn.metrics.silhouette_score."""
    return silhouettes(X, [labels], chunk=chunk)[0]


def silhouettes(X: np.ndarray, labelings: list[np.ndarray], chunk: int = 2048) -> list[float]:
    """Mean silhouette of several labelings of the same points, computing the distances once.

    Per chunk of rows the Euclidean distances to all points are formed once and every labeling's
    per-cluster distance sums are one matrix product — choosing k over 2–10 costs little more than
    one silhouette. Singleton clusters score 0, as in scikit-learn.
    """
    X = np.asarray(X, dtype=np.float64)
    n = len(X)
    prepared = []
    for labels in labelings:
        _, lab = np.unique(labels, return_inverse=True)
        k = lab.max() + 1
        if k < 2 or k >= n:
            raise ValueError(f"silhouette needs 2 <= number of clusters < number of points; got {k} for {n}")
        onehot = np.zeros((n, k))
        onehot[np.arange(n), lab] = 1.0
        prepared.append((lab, onehot, onehot.sum(axis=0)))
    totals = np.zeros(len(labelings))
    sq = np.einsum("ij,ij->i", X, X)
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        rows = np.arange(stop - start)
        d2 = sq[start:stop, None] + sq[None, :] - 2.0 * (X[start:stop] @ X.T)
        np.maximum(d2, 0, out=d2)
        d2[rows, np.arange(start, stop)] = 0.0
        dist = np.sqrt(d2, out=d2)
        for j, (lab, onehot, sizes) in enumerate(prepared):
            sums = dist @ onehot  # (chunk, k) distance sums per cluster
            own = lab[start:stop]
            own_size = sizes[own]
            a = sums[rows, own] / np.maximum(own_size - 1, 1)
            mean_other = sums / sizes
            mean_other[rows, own] = np.inf
            b = mean_other.min(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                sil = (b - a) / np.maximum(a, b)
            sil[own_size <= 1] = 0.0
            totals[j] += np.nan_to_num(sil).sum()
    return [float(t / n) for t in totals]


def _scan_k(X_s, sil_idx, candidates, k, n_init, random_state, n_threads=None):
    rows, fits, labelings = [], {}, []
    for kk in sorted(set(candidates) | ({k} if k else set())):
        with threadpool_limits(limits=1):
            km = KMeans(n_clusters=kk, n_init=n_init, random_state=random_state).fit(X_s)
        rows.append({"k": kk, "silhouette": float("nan"), "inertia": float(km.inertia_)})
        fits[kk] = km
        labelings.append(km.labels_[sil_idx])
    ok = [i for i, lab in enumerate(labelings) if len(np.unique(lab)) > 1]
    with threadpool_limits(limits=n_threads):  # large matrix products: BLAS threads pay off here
        sils = silhouettes(X_s[sil_idx], [labelings[i] for i in ok])
    for i, sil in zip(ok, sils, strict=False):
        rows[i]["silhouette"] = sil
    return pd.DataFrame(rows), fits


def segment_customers(
    frame: pd.DataFrame,
    features: list[str],
    *,
    k: int | None = None,
    k_range: tuple[int, int] = (2, 8),
    random_state: int = 42,
    sample_size: int = 20000,
    scaling: str = "standard",
    n_boot: int = 20,
    silhouette_size: int = 10000,
    n_init: int = 4,
    sep: str = ";",
    n_threads: int | None = None,
) -> SegmentationResult:
    """Cluster customers on ``features`` (columns of ``frame``) and profile the segments.

    ``k`` fixes the number of segments; otherwise it is the silhouette-best k in ``k_range``. Large
    frames are handled by choosing k on a random sample of ``sample_size`` rows (silhouette on at most
    ``silhouette_size`` of them). Profiles use the behaviour columns of ``frame`` when present
    (monetary, frequency, recency_days) and every categorical / indicator column for traits.

    Threads: the many small fits on the sample run single-threaded (OpenMP start-up and spin-waiting
    cost more than they save there, and are catastrophic on a busy machine); only the final fit on
    all customers uses ``n_threads`` (None = all cores).
    """
    features = list(features)
    _validate(frame, features, k, k_range, sample_size, n_boot)
    kinds = feature_kinds(frame, features, sep=sep)
    missing = _missing_report(frame, kinds)
    prepared = _prepare_input(frame, kinds)
    pre = build_preprocessor(kinds, scaling=scaling, sep=sep)
    rng = np.random.default_rng(random_state)
    n = len(frame)
    sample_idx = np.sort(rng.choice(n, size=sample_size, replace=False)) if n > sample_size else np.arange(n)
    pre.fit(prepared.iloc[sample_idx])
    X = np.ascontiguousarray(pre.transform(prepared), dtype=np.float32)
    del prepared
    X_s = X[sample_idx]
    sil_idx = (
        np.sort(rng.choice(len(X_s), size=silhouette_size, replace=False))
        if len(X_s) > silhouette_size
        else np.arange(len(X_s))
    )

    lo, hi = k_range
    candidates = [k] if k is not None else list(range(lo, min(hi, len(X_s) - 1) + 1))
    if k is not None and k not in range(lo, hi + 1):
        candidates = sorted(set(range(lo, min(hi, len(X_s) - 1) + 1)) | {k})
    k_scores, fits = _scan_k(X_s, sil_idx, candidates, k, n_init, random_state, n_threads)
    chosen = int(k) if k is not None else int(k_scores.loc[k_scores["silhouette"].idxmax(), "k"])
    ref = fits[chosen]

    if n > len(X_s):
        with threadpool_limits(limits=n_threads):
            final = KMeans(n_clusters=chosen, init=ref.cluster_centers_, n_init=1, random_state=random_state).fit(X)
        raw = final.labels_
        sample_labels = raw[sample_idx]
    else:
        raw = ref.labels_
        sample_labels = raw

    aris = []
    with threadpool_limits(limits=1):
        for b in range(n_boot):
            boot = rng.integers(0, len(X_s), size=len(X_s))
            km_b = KMeans(n_clusters=chosen, n_init=1, random_state=random_state + 1 + b).fit(X_s[boot])
            aris.append(adjusted_rand_score(sample_labels, km_b.predict(X_s)))
    stability = {
        "ari_mean": float(np.mean(aris)) if aris else float("nan"),
        "ari_low": float(np.percentile(aris, 5)) if aris else float("nan"),
        "n_boot": int(n_boot),
    }

    # Number segments 1..k from the largest (ties broken by raw label, so it is deterministic).
    sizes = np.bincount(raw, minlength=chosen)
    order = sorted(range(chosen), key=lambda c: (-sizes[c], c))
    remap = np.empty(chosen, dtype=np.int64)
    remap[order] = np.arange(1, chosen + 1)
    labels = pd.Series(remap[raw], index=frame.index, name="segment")

    numeric_like = [c for c, kd in kinds.items() if kd in ("numeric", "binary")]
    centers = (
        frame[numeric_like].apply(pd.to_numeric, errors="coerce").groupby(labels.to_numpy()).mean()
        if numeric_like
        else pd.DataFrame(index=range(1, chosen + 1))
    )
    centers.index.name = "segment"
    traits = segment_trait_affinity(frame, labels, sep=sep)
    profiles = profile_segments(frame, labels, traits=traits)
    numeric_only = all(kd in ("numeric", "binary") for kd in kinds.values())
    names = (
        numeric_segment_names(frame, labels, [c for c, kd in kinds.items() if kd == "numeric"])
        if numeric_only and any(kd == "numeric" for kd in kinds.values())
        else segment_names(frame, labels, traits=traits)
    )
    profiles.insert(1, "name", profiles["segment"].map(names))
    sil_chosen = float(k_scores.loc[k_scores["k"] == chosen, "silhouette"].iloc[0])
    return SegmentationResult(
        labels=labels,
        k=chosen,
        silhouette=sil_chosen,
        k_scores=k_scores,
        stability=stability,
        profiles=profiles,
        traits=traits,
        names=names,
        missing=missing,
        feature_kinds=kinds,
        centers=centers,
        k_fixed=k is not None,
        n_customers=n,
        n_sample=len(X_s),
        encoded_columns=[str(c) for c in pre.get_feature_names_out()],
    )
