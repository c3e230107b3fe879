"""Topics found from titles: lemmas, TF-IDF, k-means with k chosen by silhouette and its stability shown.

Titles are short and in Russian and English, so each is reduced to lemmas first
(`workbench.analysis.content.text`), weighted by TF-IDF (words every title uses count little) and
L2-normalised, so k-means on them groups titles by cosine similarity. k is the value in
`k_range` with the highest mean silhouette (cosine); a topic split that k-means finds only by
chance would not come back on other samples, so the chosen k is refitted on `n_boot` random 80%
subsamples and each refit is compared with the full fit by the adjusted Rand index (1 = the same
topics, 0 = chance agreement). Each topic is named by its three heaviest lemmas.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from workbench.analysis.content.text import lemmas
from workbench.memo import memoized

__all__ = ["TopicModel", "find_topics"]


@dataclass
class TopicModel:
    """labels: topic number per title (input order); names: topic -> 'lemma, lemma, lemma';
    silhouettes: k -> mean silhouette; k: chosen k; stability: mean ARI of the refits (and
    stability_runs: each run's ARI)."""

    labels: np.ndarray
    names: dict[int, str]
    silhouettes: dict[int, float]
    k: int
    stability: float
    stability_runs: list[float] = field(default_factory=list)


def _analyzer(text: str) -> list[str]:
    return [w for w in lemmas(text) if len(w) > 1 and not w.isdigit()]


@memoized
def find_topics(titles, k_range=range(2, 9), n_boot: int = 10, seed: int = 0) -> TopicModel:
    """Cluster `titles` into topics (see the module docstring)."""
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import adjusted_rand_score, silhouette_score
    from threadpoolctl import threadpool_limits

    texts = [str(t) for t in titles]
    if len(texts) < 4:
        raise ValueError(f"finding topics needs at least 4 titles; got {len(texts)}")
    ks = [int(k) for k in k_range if 2 <= int(k) < len(set(texts))]
    if not ks:
        raise ValueError(f"k_range must hold values from 2 to the number of distinct titles - 1; got {list(k_range)}")
    x = TfidfVectorizer(analyzer=_analyzer, sublinear_tf=True).fit(texts)
    matrix = x.transform(texts)
    fits, sil = {}, {}
    runs: list[float] = []
    with threadpool_limits(1):  # small fits: threads cost more than they save on a shared machine
        for k in ks:
            fits[k] = KMeans(n_clusters=k, n_init=5, random_state=seed).fit(matrix)
            sil[k] = float(silhouette_score(matrix, fits[k].labels_, metric="cosine", random_state=seed))
        k = max(ks, key=lambda v: (round(sil[v], 6), -v))
        labels = fits[k].labels_
        rng = np.random.default_rng(seed)
        for b in range(int(n_boot)):
            idx = rng.choice(len(texts), size=max(k + 1, int(0.8 * len(texts))), replace=False)
            refit = KMeans(n_clusters=k, n_init=5, random_state=seed + b + 1).fit(matrix[idx])
            runs.append(float(adjusted_rand_score(labels[idx], refit.labels_)))
    vocab = np.array(x.get_feature_names_out())
    centres = fits[k].cluster_centers_
    names = {int(c): ", ".join(vocab[np.argsort(-centres[c])[:3]]) for c in range(k)}
    return TopicModel(labels, names, sil, k, float(np.mean(runs)) if runs else float("nan"), runs)
