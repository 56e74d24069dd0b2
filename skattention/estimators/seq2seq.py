"""N→N′: sequence to sequence with attention (G2P, transliteration, translation)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import torch

from .._sequences import TOKENS, Sequences, check_sequences
from .._vocab import Vocabulary
from ..attention import SCORES
from ..metrics import exact_match_score
from ..modules import TokenCrossEntropyLoss
from ..modules.seq2seq import BOS_ID, DECODERS, EOS_ID, UNK_ID, Seq2SeqModel
from ._base import BaseSequenceEstimator
from ._params import _is_float_in, _is_int

TARGET_SPECIALS = ("<pad>", "<unk>", "<s>", "</s>")


class AttentionSeq2Seq(BaseSequenceEstimator):
    """Encoder-decoder with attention: the model decides the output length.

    ``X`` is a list of source sequences (token lists, or numeric arrays such as
    speech frames), ``y`` a list of target token sequences. ``predict`` returns
    a list of token lists.

    Parameters
    ----------
    encoder : {"birnn", "transformer", "hybrid"}, default="birnn"
        Source encoder.
    decoder : {"luong", "rnn", "transformer"}, default="luong"
        ``"luong"``: attention after an LSTM (Luong et al., 2015; any score,
        Bahdanau's additive one included), so teacher-forced training runs
        the whole target at once (about twice the training tokens per second
        of ``"rnn"`` on CPU, see the benchmarks page). ``"rnn"``: the founding
        model, a GRU fed with the previous token and the attention context of
        the same step (Bahdanau et al., 2014), trained by a loop over the
        target steps. ``"transformer"``: causal self-attention plus
        cross-attention layers.
    attention : {"additive", "multiplicative", "dot", "scaled_dot"} or None, default="additive"
        The decoder's alignment score: ``"additive"`` is Bahdanau's,
        ``"multiplicative"`` Luong's general score. None is the plain
        encoder-decoder baseline (``"rnn"`` or ``"luong"`` decoder): one
        fixed-size summary of the source serves every step (Cho et al.,
        2014), which is what attention must beat on long inputs.
    d_model, n_heads, n_layers, dropout
        Model size; ``n_layers`` counts encoder layers (and transformer
        decoder layers).
    beam_size : int, default=1
        1 decodes greedily; more runs beam search.
    max_output_length : int or None, default=None
        Longest output; None allows ``2 * source length + 10``, for each
        sequence on its own (so a sequence's output does not depend on the
        others it is predicted with).
    length_penalty : float, default=1.0
        Beam hypotheses are ranked by ``log p / length ** length_penalty``;
        the search stops early only when no live hypothesis can still win
        under that ranking, so stopping never changes the output.
    max_epochs, batch_size, lr, optimizer, train_split, patience, callbacks, warm_start, device, precision, compile, accelerator, max_length, checkpoint_dir, random_state, verbose, **kwargs
        As for :class:`~skattention.AttentionTokenClassifier`; early stopping
        watches the teacher-forced validation token accuracy.

    Attributes
    ----------
    target_vocabulary_ : dict
        Target token → id; ids 0-3 are ``<pad>``, ``<unk>``, ``<s>``, ``</s>``.
    net_, input_encoder_, vocabulary_, history_
        As for the other estimators.

    Examples
    --------
    >>> from skattention import AttentionSeq2Seq
    >>> X = [list(w) for w in ["abc", "bca", "cab", "aab", "bbc", "cca"]] * 20
    >>> y = [s[::-1] for s in X]  # learn to reverse
    >>> model = AttentionSeq2Seq(d_model=32, max_epochs=40, random_state=0).fit(X, y)
    >>> model.predict([list("abc")])
    [['c', 'b', 'a']]
    >>> model.attention_weights([list("abc")])[0].shape  # (output length, source length)
    (3, 3)
    """

    _token_level = True
    _windowed = False  # max_length truncates the sources
    _module = Seq2SeqModel
    _criterion = TokenCrossEntropyLoss

    def __init__(
        self,
        *,
        encoder: str = "birnn",
        decoder: str = "luong",
        attention: str | None = "additive",
        d_model: int = 128,
        n_heads: int = 4,
        n_layers: int = 1,
        dropout: float = 0.1,
        beam_size: int = 1,
        max_output_length: int | None = None,
        length_penalty: float = 1.0,
        max_epochs: int | None = None,
        batch_size: int = 32,
        lr: float = 2e-3,
        optimizer=torch.optim.AdamW,
        train_split="auto",
        patience: int | None = 5,
        callbacks=None,
        warm_start: bool = False,
        device="auto",
        precision: str = "32",
        compile: bool = False,
        accelerator=None,
        max_length: int | None = None,
        checkpoint_dir=None,
        embeddings=None,
        freeze_embeddings: bool = False,
        random_state=None,
        verbose: int = 0,
        **kwargs,
    ):
        self.decoder = decoder
        self.beam_size = beam_size
        self.max_output_length = max_output_length
        self.length_penalty = length_penalty
        super().__init__(
            encoder=encoder, attention=attention, d_model=d_model, n_heads=n_heads,
            n_layers=n_layers, dropout=dropout, max_epochs=max_epochs, batch_size=batch_size,
            lr=lr, optimizer=optimizer, train_split=train_split, patience=patience,
            callbacks=callbacks, warm_start=warm_start, device=device,
            precision=precision, compile=compile, accelerator=accelerator, max_length=max_length, checkpoint_dir=checkpoint_dir,
            embeddings=embeddings, freeze_embeddings=freeze_embeddings, random_state=random_state, verbose=verbose, **kwargs,
        )

    def _param_checks(self) -> dict:
        checks = super()._param_checks()
        checks["attention"] = (lambda v: v is None or v in SCORES, f"None or one of {SCORES}")
        checks["decoder"] = (lambda v: isinstance(v, str) and v in DECODERS, f"one of {tuple(DECODERS)}")
        checks["beam_size"] = (lambda v: _is_int(v, 1), "an int >= 1")
        checks["max_output_length"] = (lambda v: v is None or _is_int(v, 1), "None or an int >= 1")
        checks["length_penalty"] = (lambda v: _is_float_in(v, 0, np.inf), "a float >= 0")
        return checks

    _DECODING = ("beam_size", "max_output_length", "length_penalty")
    _fitted_state = {"target_vocab_": "Vocabulary"}

    def _check_decoding(self) -> None:
        """The decoding parameters may change after fit (``set_params``), so
        predict checks them again."""
        checks = self._param_checks()
        for param in self._DECODING:
            ok, expected = checks[param]
            value = getattr(self, param)
            if not ok(value):
                raise ValueError(f"The {param!r} parameter of {type(self).__name__} must be {expected}; "
                                 f"got {value!r}.")

    def _validate_params(self) -> None:
        super()._validate_params()
        if DECODERS[self.decoder].needs_attention and self.attention is None:
            raise ValueError(f"decoder={self.decoder!r} needs attention; attention=None is the baseline of "
                             "the RNN decoders ('rnn', 'luong').")
        if DECODERS[self.decoder].uses_heads and self.d_model % self.n_heads:
            raise ValueError(f"d_model={self.d_model} must be divisible by n_heads={self.n_heads}.")

    # ------------------------------------------------------------- targets
    def _check_X(self, X, *, fitted: bool) -> Sequences:
        seqs = super()._check_X(X, fitted=fitted)
        if seqs.edges is not None:
            raise TypeError("X holds graphs; AttentionSeq2Seq reads sequences (graphs go to the token and "
                            "sequence estimators).")
        return seqs

    def _check_targets(self, y, X: Sequences):
        if y is None:
            raise ValueError("This estimator requires y to be passed, but the target y is None; pass "
                             "one target token sequence per source sequence.")
        ys = list(y)
        if len(ys) != len(X):
            raise ValueError(f"X has {len(X)} sequences but y has {len(ys)} entries.")
        for i, target in enumerate(ys):
            if not isinstance(target, (str, bytes)) and hasattr(target, "__len__") and len(target) == 0:
                raise ValueError(f"y[{i}] is empty; every target needs at least one token.")
        # integer arrays (a label column through from_long_format, say) are token ids, not numbers
        ys = [t.tolist() if isinstance(t, np.ndarray) and t.dtype.kind in "iub" else t for t in ys]
        return check_sequences(ys, kind=TOKENS, name="y").data

    def _start_targets(self) -> Counter:
        return Counter()

    def _update_targets(self, state: Counter, y) -> None:
        state.update(token for target in y for token in target)

    def _finish_targets(self, state: Counter, classes=None) -> None:
        for token in classes if classes is not None else ():  # declared in partial_fit: kept even if unseen
            state[token] = max(state[token], 1)
        self.target_vocab_ = Vocabulary(specials=TARGET_SPECIALS).fit_counts(state)

    def partial_fit(self, X, y=None, classes=None):
        """Train for ``max_epochs`` more epochs without re-initialising; the
        first call learns the vocabularies.

        Parameters
        ----------
        X : list of sequences, torch Dataset or iterable of pairs
        y : list of target token sequences
        classes : iterable of tokens, optional
            Every target token the model will ever have to produce (first
            call): later chunks may then use tokens this one lacks.

        Returns
        -------
        self
        """
        return super().partial_fit(X, y, classes=classes)

    @property
    def target_vocabulary_(self) -> dict:
        self._check_fitted()
        return self.target_vocab_.stoi_

    def _encode_targets(self, y):
        out = []
        for i, target in enumerate(y):
            ids = self.target_vocab_.encode(target)
            if (ids == UNK_ID).any():
                token = target[int(np.flatnonzero(ids == UNK_ID)[0])]
                raise ValueError(f"y[{i}] has token {token!r}, which the model's target vocabulary "
                                 "(learnt in the first fit) does not contain.")
            out.append(np.append(ids, EOS_ID))
        return out

    def _input_items(self, seqs, targets=None):
        items = super()._input_items(seqs)
        if targets is not None:
            for item, target in zip(items, targets):
                item["target_in"] = np.concatenate([[BOS_ID], target[:-1]])
        return items

    def _n_outputs(self) -> int:
        return len(self.target_vocab_)

    def _module_kwargs(self) -> dict:
        kwargs = super()._module_kwargs()
        kwargs["n_targets"] = kwargs.pop("n_outputs")
        kwargs["decoder"] = self.decoder
        if self.input_encoder_.kind_ == TOKENS:
            # Replacing source tokens by <unk> (the taggers' word dropout) hurts when every
            # source token matters, as letters do in G2P: training WER 0.19 -> 0.13 on a
            # 3k-pair CMUdict check. Turn it back on with module__word_dropout.
            kwargs["word_dropout"] = 0.0
        return kwargs

    # ------------------------------------------------------------ decoding
    def _generate(self, X):
        self._check_fitted()
        self._check_decoding()
        n, batches, _ = self._predict_batches(X)
        results = [([], np.zeros((0, 0), np.float32))] * n
        with self._inference():
            for positions, lengths, Xb in batches:
                # the cap of each sequence is its own: an output never depends on the others of its batch
                max_len = self.max_output_length or [2 * int(n) + 10 for n in lengths]
                with self.net_.autocast():
                    try:
                        decoded = self.net_.module_.generate(Xb.to(self.net_.compute_device),
                                                             max_length=max_len, beam_size=self.beam_size,
                                                             length_penalty=self.length_penalty)
                    except FloatingPointError:
                        raise self._non_finite_error() from None
                for i, length, (ids, align) in zip(positions, lengths, decoded):
                    # the alignment drops the batch's source padding
                    tokens = self.target_vocab_.decode(ids)
                    # an empty output has an empty alignment (beam search gives None for it)
                    results[i] = (tokens, np.zeros((len(tokens), length), np.float32) if align is None
                                  else align[:, :length])
        return results

    def predict(self, X) -> list[list]:
        """The output token sequence for every source sequence."""
        return [tokens for tokens, _ in self._generate(X)]

    def attention_weights(self, X) -> list[np.ndarray]:
        """The decoder's alignment for each predicted output: ``(len(output),
        len(source))``, rows sum to 1 (for a transformer decoder, the last
        layer's cross-attention averaged over heads).

        Raises
        ------
        ValueError
            With ``attention=None``, which has no alignment.
        """
        if self.attention is None:
            raise ValueError("attention=None (the plain encoder-decoder) has no alignment to show.")
        return [align for _, align in self._generate(X)]

    def score(self, X, y) -> float:
        """Exact match: the share of sequences predicted entirely right (a
        reference given as a list of alternatives counts if any matches). See
        :mod:`skattention.metrics` for token error rates and BLEU."""
        return exact_match_score(y, self.predict(X))
