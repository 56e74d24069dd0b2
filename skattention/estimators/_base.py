"""The one shared base of the estimators: ``__init__``, the fitted state and
its properties, the target hooks the subclasses fill, ``fit``
and ``partial_fit`` (validate, encode, then train; ``max_length`` windows)
and ``attention_weights``. The jobs around it have a file each:
parameters (``_params``), model files (``_files``), training (``_training``), the streamed fit
(``_streamed``), prediction (``_predict``) and the skorch net (``_net``).
Estimator files only say what differs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError

from .._batching import (
    EncodedDataset,
)
from .._checkpoint import (
    checkpoint_folder,
    fingerprint,
    fit_lock,
    read_checkpoint,
)
from .._pretrained import as_vectors
from .._sequences import Sequences
from .._streaming import is_stream
from .._vocab import InputEncoder
from ._files import _ModelFiles
from ._params import _check_passthrough, _Parameters
from ._predict import _Prediction
from ._prepare import _Preparation
from ._streamed import _StreamedFit
from ._training import _Training


class BaseSequenceEstimator(_Parameters, _ModelFiles, _Preparation, _Training, _StreamedFit, _Prediction,
                            BaseEstimator):
    """Shared machinery of the skattention estimators.

    Subclasses set ``_token_level``, ``_regression``, ``_module`` and
    ``_criterion`` and implement the target hooks.
    """

    _token_level = True
    #: what ``fit`` sets (and model files and checkpoints hold), with the type of each; the target
    #: mixins and seq2seq add theirs
    _fitted_state = {"input_encoder_": "InputEncoder"}
    _windowed = True  # one output per element: max_length cuts sequences into windows, not truncates
    _regression = False
    _module = None
    _criterion = None

    def __init__(
        self,
        *,
        encoder: str = "hybrid",
        attention: str = "scaled_dot",
        d_model: int = 128,
        n_heads: int = 4,
        n_layers: int = 2,
        dropout: float = 0.1,
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
        self.encoder = encoder
        self.attention = attention
        self.d_model = d_model
        self.n_heads = n_heads
        self.n_layers = n_layers
        self.dropout = dropout
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.train_split = train_split
        self.patience = patience
        self.callbacks = callbacks
        self.warm_start = warm_start
        self.device = device
        self.precision = precision
        self.compile = compile
        self.accelerator = accelerator
        self.max_length = max_length
        self.checkpoint_dir = checkpoint_dir
        self.embeddings = embeddings
        self.freeze_embeddings = freeze_embeddings
        self.random_state = random_state
        self.verbose = verbose
        _check_passthrough(type(self), kwargs)
        vars(self).update(kwargs)

    # ------------------------------------------------------------ fitted state
    @classmethod
    def _fitted_names(cls) -> dict:
        """Every fitted attribute the class declares, with its type's name."""
        names: dict = {}
        for klass in reversed(cls.__mro__):
            names.update(vars(klass).get("_fitted_state", {}))
        return names

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "net_")

    def _check_fitted(self) -> None:
        if not hasattr(self, "net_"):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                "appropriate arguments before using this estimator."
            )

    @property
    def module_(self) -> torch.nn.Module:
        """The trained PyTorch module."""
        self._check_fitted()
        return self.net_.module_

    @property
    def history(self):
        """skorch's :class:`~skorch.history.History` of the training run."""
        self._check_fitted()
        return self.net_.history

    @property
    def history_(self) -> pd.DataFrame:
        """One row per epoch: losses, durations, which epoch was best."""
        self._check_fitted()
        rows = [{k: v for k, v in epoch.items() if k != "batches"} for epoch in self.net_.history]
        return pd.DataFrame(rows)

    @property
    def vocabulary_(self) -> dict:
        """Token → id (0 is padding, 1 the unknown token); token inputs only."""
        self._check_fitted()
        if not hasattr(self.input_encoder_, "vocab_"):
            raise AttributeError("vocabulary_ exists only for token inputs.")
        return self.input_encoder_.vocab_.stoi_

    # ----------------------------------------------------------- target hooks
    def _check_targets(self, y, X: Sequences):
        """Validate ``y`` against the validated ``X``."""
        raise NotImplementedError

    def _fit_targets(self, y, classes=None) -> None:
        """Learn classes / target scaling / target vocabulary (first fit only)."""
        state = self._start_targets()
        self._update_targets(state, y)
        self._finish_targets(state, classes)

    def _start_targets(self):
        """A fresh accumulator for :meth:`_update_targets`."""
        raise NotImplementedError

    def _update_targets(self, state, y) -> None:
        """Add one chunk of validated targets to ``state``."""
        raise NotImplementedError

    def _finish_targets(self, state, classes=None) -> None:
        """Set the fitted target attributes from ``state``."""
        raise NotImplementedError

    def _encode_targets(self, y):
        """Targets as arrays the criterion consumes (token-level: one per sequence)."""
        raise NotImplementedError

    def _n_outputs(self) -> int:
        raise NotImplementedError

    def _stratify(self, y):
        """Labels to stratify the validation split on, or None."""
        return None

    def _make_input_encoder(self) -> InputEncoder:
        return InputEncoder()

    def _fit_input_encoder(self, encoder: InputEncoder) -> None:
        """Finish ``encoder`` (updated with the training sequences) as ``input_encoder_``."""
        self.input_encoder_ = encoder.finish(self._vectors)

    # --------------------------------------------------------------- training
    def _module_kwargs(self) -> dict:
        return {
            "n_outputs": self._n_outputs(),
            "d_model": self.d_model,
            "n_heads": self.n_heads,
            "n_layers": self.n_layers,
            "dropout": self.dropout,
            "encoder": self.encoder,
            "attention": self.attention,
            **self.input_encoder_.module_kwargs(),
            **({"freeze_vectors": self.freeze_embeddings} if hasattr(self.input_encoder_, "vector_rows_") else {}),
        }

    def _fit(self, X, y, *, reset: bool, classes=None):
        self._validate_params()
        # the pretrained vectors in one form, checked once: the vocabulary and the module's table take
        # them during this fit (then the module holds them; the estimator keeps no second copy)
        self._vectors = as_vectors(self.embeddings) if reset else None
        try:
            if self.checkpoint_dir is None:
                return self._fit_checked(X, y, reset=reset, classes=classes, checkpoint=None)
            key = fingerprint(self, X, y, vectors=self._vectors)
            folder = checkpoint_folder(self.checkpoint_dir, self, key)
            with fit_lock(folder):
                return self._fit_checked(X, y, reset=reset, classes=classes, checkpoint=(folder, key))
        finally:
            del self._vectors

    def _fit_checked(self, X, y, *, reset: bool, classes, checkpoint):
        """``fit`` after the parameters are checked; ``checkpoint`` is this
        fit's ``(folder, fingerprint)`` under ``checkpoint_dir``, or None."""
        self._checkpoint = checkpoint
        resume = read_checkpoint(*checkpoint, cls=type(self)) if reset and checkpoint else None
        if resume is not None:  # an interrupted fit left this: take its vocabularies and classes
            for key, value in resume["fitted"].items():
                setattr(self, key, value)
        fitted = not reset or resume is not None
        if is_stream(X, y):
            return self._fit_stream(X, y, reset=reset, fitted=fitted, resume=resume, classes=classes)
        seqs, y, _, _ = self._validate(X, y, fitted=fitted)
        if not (seqs.lengths > 0).any():
            raise ValueError("Every sequence in X is empty; there is nothing to learn from.")
        if not fitted:
            self._fit_input_encoder(self._make_input_encoder().update(seqs))
            self._fit_targets(y, classes)
        items, lengths, targets, _ = self._encode(seqs, y)
        dataset = EncodedDataset(items, lengths, targets, target_pad=self._target_pad())
        return self._train(dataset, len(items), self._stratify(targets), reset=reset, resume=resume,
                           lengths=seqs.lengths)

    def fit(self, X, y=None):
        """Fit the model on sequences ``X`` and targets ``y``.

        With ``warm_start=True`` and an already fitted model, training continues
        from the current weights, vocabulary and classes.

        Data larger than memory can be streamed: pass a
        :class:`torch.utils.data.Dataset`, or any iterable that can be read
        more than once, yielding ``(sequence, target)`` pairs, with ``y=None``.
        A first pass learns the vocabularies and the classes or target
        scaling, then every epoch reads the data again in pools of
        ``batch_size * 50`` pairs, each sorted into length buckets; only one
        pool is in memory at a time. A ``float`` ``train_split`` holds out
        pairs by a seeded hash of their position (the same pairs every
        epoch). See the "Scaling out" page.

        Parameters
        ----------
        X : list of sequences, torch Dataset, or iterable of (sequence, target) pairs
            Token lists, or numeric arrays of shape ``(length, n_features)``;
            see the user guide for every accepted format.
        y : targets, or None when ``X`` yields pairs
            One label (or number) per element for token estimators, one per
            sequence for sequence estimators, one output token list per
            sequence for seq2seq.

        Returns
        -------
        self

        Examples
        --------
        >>> from skattention import AttentionSequenceClassifier
        >>> class Reviews:  # read from disk in real use; every iter() starts over
        ...     def __iter__(self):
        ...         for i in range(40):
        ...             yield (["good", "fun"] if i % 2 else ["bad", "dull"]), i % 2
        >>> clf = AttentionSequenceClassifier(d_model=16, n_heads=2, max_epochs=10, random_state=0)
        >>> clf.fit(Reviews()).predict([["good"], ["dull"]]).tolist()
        [1, 0]
        """
        return self._fit(X, y, reset=not (self.warm_start and hasattr(self, "net_")))

    def partial_fit(self, X, y=None, classes=None):
        """Train for ``max_epochs`` more epochs without re-initialising (skorch's
        semantics); the first call learns the vocabulary and the classes
        (pass ``classes`` to declare labels that this chunk lacks). Calling it
        on successive chunks with ``max_epochs=1`` trains over data that
        never sits in memory at once; words that first appear in later chunks
        map to the unknown token (their characters still count), so learning
        the vocabulary from a stream with :meth:`fit` is the better choice
        when that is possible.

        Parameters
        ----------
        X : list of sequences, torch Dataset, or iterable of (sequence, target) pairs
        y : targets, as for :meth:`fit`
        classes : array-like, optional
            Every label the model will ever see (classifiers, first call).

        Returns
        -------
        self
        """
        return self._fit(X, y, reset=not hasattr(self, "net_"), classes=classes)

    def attention_weights(self, X) -> list[np.ndarray]:
        """The attention the model actually used, one array per sequence.

        Token estimators give the last self-attention layer, ``(n_heads, L, L)``
        (rows are queries). Sequence estimators give the pooling weights
        ``(L,)`` with ``pooling='attention'``, the summary position's last-layer
        weights ``(n_heads, L)`` with ``pooling='cls'``, and the last
        self-attention layer ``(n_heads, L, L)`` with ``'mean'``/``'max'``.
        Rows over keys sum to 1, except with ``'cls'``: the summary position's
        weight on itself is left out, so its rows sum to at most 1. Ready for :mod:`skattention.plotting`.

        Parameters
        ----------
        X : list of sequences

        Returns
        -------
        list of ndarray
            One array per sequence of ``X``.

        Raises
        ------
        ValueError
            When the configuration uses no attention (``encoder='birnn'``
            without attention pooling).
        """
        return self._forward(X, attention=True)
