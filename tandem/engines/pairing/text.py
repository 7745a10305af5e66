"""Light text similarity for free-text goals and challenges (no model download).

Tokens
    Text is NFKD-normalised with accents dropped, case-folded and split into alphabetic runs
    and numbers.  Stop words (a short list for en/es/fr/pt/de) and tokens shorter than three
    characters are dropped, and a light suffix stripper conflates ``"trainings"``,
    ``"training"`` and ``"trained"`` to ``"train"``.

TF-IDF cosine
    For documents ``d`` over a vocabulary, ``tf(t, d) = 1 + log c(t, d)`` (sublinear counts),
    ``idf(t) = 1 + log((1 + N) / (1 + df(t)))`` (smoothed, ``N`` documents on both sides) and
    each row is L2-normalised; the similarity of two documents is the dot product of their rows,
    a cosine in ``[0, 1]``.  All pairs at once are one sparse matrix product.
"""

from __future__ import annotations

import copy
import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse

_WORD = re.compile(r"[^\W\d_]+|\d+")
_STOP_TEXT = """
    a about above after again all also am an and any are as at be because been before being
    between both but by can could did do does doing down during each few for from further had
    has have having he her here hers him his how i if in into is it its itself just me more
    most my no nor not now of off on once only or other our ours out over own same she should
    so some such than that the their theirs them then there these they this those through to
    too under until up very was we were what when where which while who whom why will with
    would you your yours want wants need needs like help better improve more our us get make
    el la los las un una unos unas de del y o en para por con sin que se su sus al lo como mas
    le les des du et ou dans pour par avec sans qui est sont au aux ce cette ces nous vous
    um uma os as do da dos das e em para por com sem que na nos nas ao
    der die das und oder mit fur von zu den dem ein eine ist sind auf im
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


@functools.lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """Very light suffix stripping (English-centred, harmless elsewhere; memoised: a cohort's
    texts repeat a few thousand words)."""
    if len(token) <= 4:
        return token
    if token.endswith("ies") and len(token) > 5:
        return token[:-3] + "y"
    for suffix in ("ations", "ation", "ings", "ing", "ed", "es", "s"):
        if token.endswith(suffix) and len(token) - len(suffix) >= 4 and not token.endswith("ss"):
            return token[: -len(suffix)]
    return token


def tokens(text: str) -> list[str]:
    """Normalised content tokens of ``text``."""
    folded = text.casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return [stem(t) for t in _WORD.findall(folded) if len(t) >= 3 and t not in STOP_WORDS]


def topic_tokens(topic: str) -> frozenset[str]:
    """Tokens of a topic slug such as ``"metadata-quality"`` (stop words kept out)."""
    return frozenset(tokens(topic.replace("-", " ").replace("_", " ")))


class TfidfModel:
    """TF-IDF rows for two lists of documents sharing one vocabulary."""

    def __init__(self, left: Sequence[Iterable[str]], right: Sequence[Iterable[str]]) -> None:
        counts = [Counter(tokens(" ".join(doc))) for doc in (*left, *right)]
        vocab: dict[str, int] = {}
        for c in counts:
            for t in sorted(c):
                vocab.setdefault(t, len(vocab))
        n_docs = len(counts)
        rows, cols, vals = [], [], []
        df = np.zeros(len(vocab))
        for r, c in enumerate(counts):
            for t, k in c.items():
                rows.append(r)
                cols.append(vocab[t])
                vals.append(1.0 + math.log(k))
                df[vocab[t]] += 1
        idf = 1.0 + np.log((1.0 + n_docs) / (1.0 + df))
        mat = sparse.csr_matrix(
            (np.asarray(vals, dtype=np.float64), (rows, cols)), shape=(n_docs, len(vocab))
        )
        mat = sparse.csr_matrix(mat.multiply(idf[None, :]))
        norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        mat = sparse.csr_matrix(mat.multiply(1.0 / norms[:, None]))
        self.vocab = vocab
        self.terms = sorted(vocab, key=vocab.__getitem__)
        self.left = mat[: len(left)]
        self.right = mat[len(left) :]

    def rows(self, left: np.ndarray, right: np.ndarray) -> TfidfModel:
        """The same vocabulary and weights, for the given left and right documents only."""
        out = copy.copy(self)
        out.left, out.right = self.left[left], self.right[right]
        return out

    def cosine(self) -> np.ndarray:
        """Dense ``len(left) x len(right)`` cosine similarities in ``[0, 1]``."""
        sim = (self.left @ self.right.T).toarray()
        return np.clip(sim, 0.0, 1.0)

    def shared_terms(self, i: int, j: int, limit: int = 3) -> list[str]:
        """Terms contributing most to the similarity of left ``i`` and right ``j``.

        Read straight from the two CSR rows (no sparse slicing: this runs once per explained
        pair)."""
        left, right = self.left, self.right
        lo, hi = left.indptr[i], left.indptr[i + 1]
        weights = dict(zip(left.indices[lo:hi].tolist(), left.data[lo:hi].tolist(), strict=True))
        lo, hi = right.indptr[j], right.indptr[j + 1]
        products = [
            (weights[c] * w, c)
            for c, w in zip(right.indices[lo:hi].tolist(), right.data[lo:hi].tolist(), strict=True)
            if c in weights and weights[c] * w != 0
        ]
        products.sort(key=lambda x: (-x[0], x[1]))
        return [self.terms[c] for _, c in products[:limit]]
