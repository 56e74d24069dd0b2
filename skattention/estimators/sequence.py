"""N→1 estimators: one label (or number) per sequence."""

from __future__ import annotations

import numpy as np
import torch
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.utils.multiclass import check_classification_targets

from .._sequences import NUMERIC, Sequences
from .._target_checks import check_sequence_targets
from ..callbacks import NaiveBayesInit
from ..modules import SequenceModel
from ..modules.embeddings import FRONT_ENDS
from ..modules.models import POOLINGS
from ._base import BaseSequenceEstimator
from ._docs import estimator_doc
from ._params import _is_int
from ._targets import ClassifierTargets, RegressorTargets

_POOLING_DOC = """    pooling : {"attention", "mean", "max", "sum", "cls", "combined"}, default="attention"
        How element representations become one vector: a learned attention
        query (scored with ``attention``; its weights come back from
        ``attention_weights``), the mean, max or sum over real elements, a
        learned summary position read after the encoder, or ``"combined"``:
        attention, mean, max and sum side by side. A mean or an attention
        average cannot count; ``"sum"`` and ``"combined"`` can, for extensive
        targets (a count of events, a molecule's size-dependent properties).
        Sums are divided by the mean training length, so a sequence of typical
        length gives a sum on a mean's scale.
    patch_size : "auto" or int, default="auto"
        Numeric sequences only: embed each run of ``patch_size`` consecutive
        elements as one position (PatchTST's patches), so a long series
        becomes a short sequence of local shapes. ``"auto"`` picks
        ``round(mean training length / 64)`` (at least 1): series of up to
        about 96 steps keep one position per step, a series of 1,460 steps
        becomes 64 patches of 23. Token input always uses 1.
        ``attention_weights`` still returns one weight per element (a
        patch's weight shared by its elements).
    front_end : {"conv", "linear"}, default="conv"
        Numeric sequences only: how steps become the positions the encoder
        reads. ``"conv"``: ``d_model`` filters of ``2 * patch_size + 1``
        steps slide over the series, each keeps its largest response within
        a patch, and a linear layer mixes them (local shapes, wherever they
        fall in the patch). ``"linear"``: one linear map of each patch's
        values (PatchTST). Token and graph input ignore it. See the user
        guide, "Long numeric series: patches and filters".
    ngrams : "auto" or int, default="auto"
        Token input only: add to the network's output the scores of a linear
        model over the sequence's bag of 1- to ``ngrams``-grams (unigrams by
        vocabulary id, longer n-grams hashed, as in fastText), trained with
        the network as a product of experts: the evidence a TF-IDF + logistic
        regression baseline uses, from the first step; the classifier's
        rows start from multinomial naive Bayes on the training split (the
        callback ``"ngram_init"``, :class:`~skattention.callbacks.NaiveBayesInit`;
        ``callbacks__ngram_init=None`` starts them at zero). ``0`` turns it off;
        ``"auto"`` is 2 for the classifier and 0 for the regressor (where it
        did not help on ESOL's training folds).
        Numeric input ignores it. See the user guide, "N-gram scores".
"""

#: ``patch_size="auto"`` makes a numeric series of the mean training length about this many positions
PATCH_TARGET_POSITIONS = 64


class _SequenceEstimator(BaseSequenceEstimator):
    _token_level = False
    _windowed = False  # max_length keeps the first elements
    _module = SequenceModel

    def __init__(
        self,
        *,
        pooling: str = "attention",
        patch_size="auto",
        front_end: str = "conv",
        ngrams="auto",
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
        self.pooling = pooling
        self.patch_size = patch_size
        self.front_end = front_end
        self.ngrams = ngrams
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
        checks["pooling"] = (lambda v: v in POOLINGS, f"one of {POOLINGS}")
        checks["patch_size"] = (lambda v: v == "auto" or _is_int(v, 1), "'auto' or an int >= 1")
        checks["front_end"] = (lambda v: v in FRONT_ENDS, f"one of {tuple(FRONT_ENDS)}")
        checks["ngrams"] = (lambda v: v == "auto" or _is_int(v, 0), "'auto' or an int >= 0")
        return checks

    def _module_kwargs(self) -> dict:
        kwargs = {**super()._module_kwargs(), "pooling": self.pooling}
        if self.pooling in ("sum", "combined"):
            kwargs["length_scale"] = float(self.input_encoder_.mean_length_)
        patch = self._patch_size()
        if patch > 1:
            kwargs["patch_size"] = patch
        enc = self.input_encoder_
        if enc.kind_ == NUMERIC and not getattr(enc, "graph_", False) and self.front_end != "linear":
            kwargs["front_end"] = self.front_end
        ngrams = self._ngrams()
        if ngrams:
            kwargs["ngrams"] = ngrams
        return kwargs

    def _ngrams(self) -> int:
        """``ngrams`` as fitted: 0 for numeric input, ``"auto"`` resolved by the task."""
        if self.input_encoder_.kind_ == NUMERIC:
            return 0
        graph = getattr(self.input_encoder_, "graph_", False)
        if self.ngrams == "auto":  # a graph's nodes have no order, so no n-grams beyond single tokens
            return 0 if self._regression else 1 if graph else 2
        if graph and self.ngrams > 1:
            raise ValueError(f"ngrams={self.ngrams} reads runs of neighbouring tokens; a graph's nodes have no "
                             "order: use ngrams=1 (the bag of node tokens), 0 or 'auto'.")
        return int(self.ngrams)

    def _patch_size(self) -> int:
        """``patch_size`` as fitted: ``"auto"`` resolved from the mean training length."""
        enc = self.input_encoder_
        numeric = enc.kind_ == NUMERIC
        if self.patch_size != "auto":
            if self.patch_size > 1 and not numeric:
                raise ValueError(f"patch_size={self.patch_size} groups numeric elements; X holds tokens, "
                                 "which take patch_size=1 or 'auto'.")
            return int(self.patch_size)
        if getattr(enc, "graph_", False):  # nodes have no order: no patches
            return 1
        # files written before patching have no mean length: 1.0, one position per element
        return max(1, round(getattr(enc, "mean_length_", 1.0) / PATCH_TARGET_POSITIONS)) if numeric else 1

    def _check_targets(self, y, X: Sequences):
        return check_sequence_targets(y, len(X), numeric=self._regression)


class AttentionSequenceClassifier(ClassifierMixin, ClassifierTargets, _SequenceEstimator):
    __doc__ = estimator_doc(
        """Attention classifier: one class per sequence (sentiment, speaker ID).

    ``X`` is a list of sequences (token lists or ``(length, n_features)``
    arrays; a 2-D array is read as one univariate sequence per row), ``y`` one
    label per sequence.
""",
        """\
    >>> from skattention import AttentionSequenceClassifier
    >>> X = [["good", "fun", "film"], ["bad", "dull", "plot"], ["fun", "cast"], ["dull", "film"]] * 10
    >>> y = ["pos", "neg", "pos", "neg"] * 10
    >>> clf = AttentionSequenceClassifier(d_model=32, max_epochs=15, random_state=0).fit(X, y)
    >>> clf.predict([["good", "cast"], ["bad", "film"]]).tolist()
    ['pos', 'neg']
    >>> clf.attention_weights([["good", "cast"]])[0].round(2).sum()
    np.float32(1.0)
    """,
        params=_POOLING_DOC,
        classes=True,
    )

    _criterion = torch.nn.CrossEntropyLoss

    def _check_targets(self, y, X):
        y = super()._check_targets(y, X)
        check_classification_targets(y)
        return y

    def _stratify(self, y):
        return y

    def _init_callbacks(self) -> list:
        # the n-gram scores start from naive Bayes on the training split (user guide, "N-gram scores")
        return [("ngram_init", NaiveBayesInit())] if self._ngrams() else []

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, ``(n_sequences, n_classes)``."""
        return np.stack(self._forward(X))

    def predict(self, X) -> np.ndarray:
        """One label per sequence."""
        indices = np.asarray(self._predicted_classes(X), dtype=np.int64)
        return self.classes_[indices]


class AttentionSequenceRegressor(RegressorMixin, RegressorTargets, _SequenceEstimator):
    __doc__ = estimator_doc(
        """Attention regressor: one number (or vector) per sequence (molecule
    property from SMILES characters, say).

    ``y`` is 1-D, or 2-D ``(n_sequences, n_outputs)`` for multi-output
    regression. Targets are standardised internally.
""",
        """\
    >>> import numpy as np
    >>> from skattention import AttentionSequenceRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = [rng.randn(n, 3) for n in rng.randint(4, 12, size=60)]
    >>> y = np.array([x[:, 0].mean() for x in X])
    >>> reg = AttentionSequenceRegressor(d_model=32, max_epochs=10, random_state=0).fit(X, y)
    >>> reg.predict(X[:3]).shape
    (3,)
    """,
        params=_POOLING_DOC,
    )

    def predict(self, X) -> np.ndarray:
        """One value per sequence (``(n, n_outputs)`` for multi-output)."""
        return self._to_original_units(np.stack(self._forward(X)))
