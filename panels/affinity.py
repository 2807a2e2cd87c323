"""Affinity between experts and applications: how well an expert's stated expertise matches
what an application is about. Pure (numpy only); the task passes plain strings.

The measure, per committee:

1. Text of an application: product name (Korean and English), product description and the
   titles (Korean and English) of its linked R&D projects. Text of an expert: their
   expertise keywords.
2. Tokens: lower-cased Latin/digit words of two or more characters, and Hangul character
   bigrams (a one-syllable Hangul word is kept whole). Bigrams make Korean compounds and
   particles match without a morphological analyser: "영상분석" and "영상 분석을" share
   "영상" and "분석".
3. Weights: TF-IDF over the committee's applications (smoothed idf = ln((1+N)/(1+df)) + 1),
   so a token every application uses (e.g. "시스템") counts little. Expert vectors use the
   same idf with binary term presence: listing a keyword twice does not count twice.
4. Affinity = cosine similarity of the two L2-normalised vectors: in [0, 1] because all
   weights are non-negative; 0 when they share nothing (or a text is empty).

All of it is vectorised: one sparse-free dense matrix product per committee (experts ×
vocabulary times vocabulary × applications); no Python loop over pairs.
"""

import math
import re

import numpy as np

_LATIN = re.compile(r"[0-9a-z]{2,}")
_HANGUL = re.compile(r"[\uac00-\ud7a3]+")


def tokens(text: str) -> list[str]:
    """Latin words and Hangul bigrams of `text` (lower-cased)."""
    text = (text or "").lower()
    out = _LATIN.findall(text)
    for word in _HANGUL.findall(text):
        if len(word) == 1:
            out.append(word)
        else:
            out.extend(word[i : i + 2] for i in range(len(word) - 1))
    return out


def _counts(docs: list[list[str]], vocab: dict[str, int], *, grow: bool) -> np.ndarray:
    rows: list[int] = []
    cols: list[int] = []
    for i, doc in enumerate(docs):
        for tok in doc:
            j = vocab.get(tok)
            if j is None:
                if not grow:
                    continue
                j = vocab[tok] = len(vocab)
            rows.append(i)
            cols.append(j)
    matrix = np.zeros((len(docs), max(len(vocab), 1)), dtype=np.float64)
    if rows:
        np.add.at(matrix, (np.asarray(rows), np.asarray(cols)), 1.0)
    return matrix


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def affinity_matrix(expert_texts: list[str], application_texts: list[str]) -> np.ndarray:
    """Experts × applications matrix of affinities in [0, 1]."""
    n_e, n_a = len(expert_texts), len(application_texts)
    if n_e == 0 or n_a == 0:
        return np.zeros((n_e, n_a), dtype=np.float64)
    vocab: dict[str, int] = {}
    app_tf = _counts([tokens(t) for t in application_texts], vocab, grow=True)
    # Tokens only experts use cannot match any application: they are dropped (grow=False)
    # but still count in the expert's norm, so a narrow expert scores higher than a broad one.
    exp_docs = [tokens(t) for t in expert_texts]
    exp_tf = _counts(exp_docs, vocab, grow=False)
    unmatched = np.array(
        [len({t for t in doc if t not in vocab}) for doc in exp_docs], dtype=np.float64
    )
    df = (app_tf > 0).sum(axis=0)
    idf = np.log((1.0 + n_a) / (1.0 + df)) + 1.0
    app_vec = _normalise(app_tf * idf)
    exp_w = (exp_tf > 0) * idf
    # An unmatched token weighs like the rarest token (idf of df=0).
    exp_norm = np.sqrt((exp_w**2).sum(axis=1) + unmatched * (math.log(1.0 + n_a) + 1.0) ** 2)
    exp_norm[exp_norm == 0] = 1.0
    exp_vec = exp_w / exp_norm[:, None]
    result = exp_vec @ app_vec.T
    return np.clip(result, 0.0, 1.0)
