"""Sequence-level metrics and the edit-distance metrics of sequence-to-sequence outputs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rapidfuzz.distance import Levenshtein

from ._checks import (
    SequenceCollection,
    _check_sequences,
    _references,
    _require,
    _tokens,
)

# ---------------------------------------------------------------------------
# Sequence-level and sequence-to-sequence metrics
# ---------------------------------------------------------------------------


def edit_distance(a: Sequence[Any], b: Sequence[Any]) -> int:
    """Levenshtein distance between two token sequences.

    The minimum number of token insertions, deletions and substitutions
    turning ``a`` into ``b``, each costing 1, computed by rapidfuzz
    (:func:`rapidfuzz.distance.Levenshtein.distance`, in C++; it works on
    sequences of any hashable tokens).

    Parameters
    ----------
    a, b : sequence
        Token sequences (lists, tuples, 1-D arrays); a ``str`` is a
        sequence of characters. Tokens are hashable and compared as equal
        when they are ``==`` (and hash alike, as equal Python values do).

    Returns
    -------
    int
        The edit distance.

    Examples
    --------
    >>> from skattention.metrics import edit_distance
    >>> edit_distance("kitten", "sitting")
    3
    >>> edit_distance(["HH", "AH", "L", "OW"], ["HH", "EH", "L", "OW"])
    1
    >>> edit_distance([], ["a", "b"])
    2
    """
    return int(Levenshtein.distance(_tokens(a), _tokens(b)))


def _best_reference(item: Any, prediction: list[Any]) -> tuple[int, int]:
    """``(distance, reference length)`` for the closest reference.

    Ties are broken by reference order (the first closest one wins).
    """
    best: tuple[int, int] | None = None
    for ref in _references(item):
        dist = edit_distance(ref, prediction)
        if best is None or dist < best[0]:
            best = (dist, len(ref))
            if dist == 0:
                break
    assert best is not None
    return best


def token_error_rate(y_true: SequenceCollection, y_pred: SequenceCollection) -> float:
    """Corpus token error rate: total edit distance / total reference tokens.

    This is the phoneme error rate (PER) when tokens are phonemes and the
    speech-recognition word error rate (WER) when tokens are words; it is
    also available as :data:`phoneme_error_rate` and
    :data:`word_error_rate`. Errors are summed over the corpus before
    dividing (not averaged per sequence), so the rate can exceed 1 when
    predictions are much longer than the references.

    Parameters
    ----------
    y_true : collection of token sequences
        Reference token sequences. An item may instead hold several
        acceptable references -- a list/tuple (or 1-D object array) whose
        first element is itself a list, tuple or array, e.g.
        ``[["T", "AH", "M", "EY", "T", "OW"], ["T", "AH", "M", "AA", "T",
        "OW"]]`` for a CMUdict word with two pronunciations. The prediction
        is then scored against the closest reference (minimum edit
        distance; the first one on ties), whose length enters the
        denominator.
    y_pred : collection of token sequences
        Predicted token sequences; lengths may differ from the references.

    Returns
    -------
    float
        The error rate. If all references are empty it is ``0.0`` when all
        predictions are empty too and ``inf`` otherwise.

    Raises
    ------
    ValueError
        If the numbers of sequences differ or there are none.

    See Also
    --------
    sequence_error_rate : share of sequences with any error (the "WER" of
        grapheme-to-phoneme papers).

    Examples
    --------
    >>> from skattention.metrics import token_error_rate
    >>> y_true = [["HH", "AH", "L", "OW"], ["W", "ER", "L", "D"]]
    >>> y_pred = [["HH", "EH", "L", "OW"], ["W", "ER", "L", "D"]]
    >>> token_error_rate(y_true, y_pred)
    0.125
    >>> multi = [[["T", "AH", "M", "EY", "T", "OW"],
    ...           ["T", "AH", "M", "AA", "T", "OW"]]]
    >>> token_error_rate(multi, [["T", "AH", "M", "AA", "T", "OW"]])
    0.0
    """
    true, pred = _check_sequences(y_true, y_pred)
    if not true:
        raise ValueError("y_true and y_pred contain no sequences")
    errors = 0
    n_ref = 0
    for t, p in zip(true, pred, strict=True):
        dist, length = _best_reference(t, _tokens(p))
        errors += dist
        n_ref += length
    if n_ref == 0:
        return 0.0 if errors == 0 else float("inf")
    return errors / n_ref


#: Alias of :func:`token_error_rate` for phoneme sequences (PER).
phoneme_error_rate = token_error_rate

#: Alias of :func:`token_error_rate` for word sequences: the speech
#: recognition / machine translation word error rate (total word edits /
#: total reference words). Not the grapheme-to-phoneme "WER", which is
#: :func:`sequence_error_rate`.
word_error_rate = token_error_rate


def sequence_error_rate(y_true: SequenceCollection, y_pred: SequenceCollection) -> float:
    """Share of sequences whose prediction has at least one error.

    Naming clash: in grapheme-to-phoneme (G2P) papers this quantity is
    called "word error rate" (WER), because each *sequence* is one word and
    a word is wrong if any of its phonemes is. In speech recognition "WER"
    instead means the token-level rate over words, which here is
    :func:`token_error_rate` (aliased :data:`word_error_rate`). So the G2P
    "WER" is ``sequence_error_rate`` and the G2P "PER" is
    :func:`token_error_rate` (aliased :data:`phoneme_error_rate`).

    Parameters
    ----------
    y_true : collection of token sequences
        References. As in :func:`token_error_rate`, an item may be a list of
        several acceptable references; the prediction is correct if it
        equals any of them.
    y_pred : collection of token sequences
        Predictions; lengths may differ from the references.

    Returns
    -------
    float
        Number of wrong sequences divided by the number of sequences.

    Raises
    ------
    ValueError
        If the numbers of sequences differ or there are none.

    Examples
    --------
    >>> from skattention.metrics import sequence_error_rate
    >>> y_true = [["K", "AE", "T"], ["D", "AO", "G"]]
    >>> y_pred = [["K", "AE", "T"], ["D", "AA", "G"]]
    >>> sequence_error_rate(y_true, y_pred)
    0.5
    >>> sequence_error_rate([[["AH"], ["EY"]]], [["EY"]])
    0.0
    """
    exact, n = _exact_matches(y_true, y_pred)
    return (n - exact) / n


def _exact_matches(y_true: SequenceCollection, y_pred: SequenceCollection) -> tuple[int, int]:
    """How many predictions equal (one of) their reference(s), and how many there are."""
    true, pred = _check_sequences(y_true, y_pred)
    if not true:
        raise ValueError("y_true and y_pred contain no sequences")
    exact = sum(any(ref == _tokens(p) for ref in _references(t)) for t, p in zip(true, pred, strict=True))
    return int(exact), len(true)


def exact_match_score(y_true: SequenceCollection, y_pred: SequenceCollection) -> float:
    """Share of sequences predicted entirely right (exact match).

    Each pair is compared as a list of tokens, so sequences of different
    lengths (seq2seq outputs) simply count as wrong, and numpy arrays,
    lists and tuples of the same tokens are equal. An item of ``y_true``
    may hold several acceptable references, as in
    :func:`token_error_rate`; the prediction is right if it equals any.
    ``1 - exact_match_score`` is :func:`sequence_error_rate`.
    :data:`sequence_accuracy_score` is the same function under the name
    of scikit-learn's ``accuracy_score`` family.

    Parameters
    ----------
    y_true : collection of token sequences (or of lists of references)
        References.
    y_pred : collection of token sequences
        Predictions.

    Returns
    -------
    float
        Number of sequences equal to (one of) their reference(s) divided
        by the number of sequences.

    Raises
    ------
    ValueError
        If the numbers of sequences differ or there are none.

    Examples
    --------
    >>> import numpy as np
    >>> from skattention.metrics import exact_match_score
    >>> exact_match_score([["a", "b"], ["c"]], [["a", "b"], ["d"]])
    0.5
    >>> y_true = [["B", "I"], ["O"], ["O", "B"]]
    >>> y_pred = [np.array(["B", "I"]), np.array(["O"]), np.array(["O", "O"])]
    >>> round(exact_match_score(y_true, y_pred), 4)
    0.6667
    """
    exact, n = _exact_matches(y_true, y_pred)
    return exact / n


#: The share of sequences predicted entirely right: :func:`exact_match_score`
#: under the name of scikit-learn's ``accuracy_score`` family.
sequence_accuracy_score = exact_match_score


def corpus_bleu_score(
    y_true: SequenceCollection,
    y_pred: SequenceCollection,
    tokenize: str = "none",
    **kwargs: Any,
) -> float:
    """Corpus BLEU of token sequences via :func:`sacrebleu.corpus_bleu`.

    Tokens are converted with ``str`` and joined with single spaces; with
    the default ``tokenize="none"`` sacrebleu splits them on whitespace
    again, so the n-grams are exactly the given tokens.

    Parameters
    ----------
    y_true : collection of token sequences
        References, used as a single reference stream. An item holding
        several references (see :func:`token_error_rate`) adds further
        reference streams (missing ones are left out for the other items).
    y_pred : collection of token sequences
        Hypotheses.
    tokenize : str, default="none"
        sacrebleu tokenizer applied to the joined strings.
    **kwargs
        Passed on to :func:`sacrebleu.corpus_bleu`, e.g. ``smooth_method``
        or ``lowercase``. Sacrebleu's BLEU uses n-grams up to 4 and is 0
        when no hypothesis has 4 tokens, even for perfect output; pass
        ``use_effective_order=True`` for corpora of short sequences.

    Returns
    -------
    float
        BLEU divided by 100, so that it lies in ``[0, 1]``.

    Raises
    ------
    ValueError
        If the numbers of sequences differ or there are none.

    Examples
    --------
    >>> from skattention.metrics import corpus_bleu_score
    >>> refs = [["the", "cat", "sat", "on", "the", "mat"]]
    >>> corpus_bleu_score(refs, refs)
    1.0
    >>> corpus_bleu_score(refs, [["the", "dog", "sat", "on", "a", "mat"]]) < 0.5
    True
    """
    sacrebleu = _require("sacrebleu", "corpus_bleu_score")
    true, pred = _check_sequences(y_true, y_pred)
    if not true:
        raise ValueError("y_true and y_pred contain no sequences")

    def join(tokens: list[Any]) -> str:
        return " ".join(str(tok) for tok in tokens)

    hypotheses = [join(_tokens(p)) for p in pred]
    references = [[join(ref) for ref in _references(t)] for t in true]
    n_streams = max(len(refs) for refs in references)
    streams: list[list[str | None]] = [
        [refs[k] if k < len(refs) else None for refs in references] for k in range(n_streams)
    ]
    bleu = sacrebleu.corpus_bleu(hypotheses, streams, tokenize=tokenize, **kwargs)
    return float(min(1.0, max(0.0, bleu.score / 100.0)))
