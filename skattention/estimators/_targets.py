"""Target handling shared by the token- and sequence-level estimators: label
encoding for the classifiers, standardised numbers for the regressors. The
only difference between the levels is one label per element or per sequence."""

from __future__ import annotations

from collections import Counter

import numpy as np
from sklearn.preprocessing import LabelEncoder

from .._batching import IGNORE_INDEX
from .._diagnostics import check_classes, check_constant
from .._vocab import RunningMoments, TargetScaler
from ..modules import MaskedMSELoss, class_probabilities


def _plain(label):
    """A numpy scalar as the Python value it holds."""
    return label.item() if isinstance(label, np.generic) else label


def _encode_labelled(encode, labels) -> np.ndarray:
    """One sequence's class indices; unlabelled elements (None) become the
    ignored index, as padding is."""
    labels = np.asarray(labels, dtype=object)
    out = np.full(len(labels), IGNORE_INDEX, dtype=np.int64)
    known = np.array([label is not None for label in labels], dtype=bool)
    if known.any():
        out[known] = encode(labels[known])
    return out


class ClassifierTargets:
    """``classes_``, label encoding and probabilities."""

    _fitted_state = {"classes_": "ndarray", "_label_encoder": "LabelEncoder"}

    def _start_targets(self) -> dict:
        return {"counts": Counter(), "types": set()}

    def _update_targets(self, state: dict, y) -> None:
        # unlabelled elements (None) are left out
        labels = [label for seq in y for label in seq if label is not None] if self._token_level else y.tolist()
        state["counts"].update(labels)
        state["types"].update(map(type, labels))
        state.setdefault("dtype", None if self._token_level else np.asarray(y).dtype)

    def _finish_targets(self, state: dict, classes=None) -> None:
        seen = list(state["counts"])
        if classes is not None:
            labels = np.asarray(list(classes), dtype=object) if self._token_level else np.asarray(classes)
        elif self._token_level or len(state["types"]) != 1 or state["dtype"].kind == "O":
            labels = np.asarray(seen, dtype=object)  # Python objects, like the labels given
        else:  # one label per sequence, all of one type: sklearn's usual native dtype
            labels = np.asarray(seen, dtype=state["dtype"] if state["dtype"].kind in "biuf" else None)
        try:
            self._label_encoder = LabelEncoder().fit(labels)
        except TypeError:
            raise TypeError("y mixes label types that cannot be ordered (e.g. str and int).") from None
        self.classes_ = self._label_encoder.classes_
        if self._token_level:
            native = np.asarray(self.classes_.tolist())
            if native.dtype.kind in "biuf":  # numbers come back as numbers, which sklearn's metrics accept
                self.classes_ = native
        if classes is None:
            regressor = type(self).__name__.replace("Classifier", "Regressor")
            # scikit-learn already warns about nearly-distinct labels, one per sequence
            check_classes(self.classes_, state["counts"].total(), type(self).__name__, regressor,
                          distinct=self._token_level)

    def _encode_targets(self, y):
        known = set(self.classes_.tolist())
        for i, labels in enumerate(y if self._token_level else [[label] for label in y]):
            # Python values in the message (7, not np.int64(7))
            unknown = [label for label in np.asarray(labels, dtype=object).tolist()
                       if label not in known and label is not None]
            if unknown:
                raise ValueError(
                    f"y[{i}] has label {_plain(unknown[0])!r}, which is not among classes_ "
                    f"{self.classes_.tolist()}."
                )
        encode = self._label_encoder.transform
        if not self._token_level:
            return encode(y).astype(np.int64)
        return [_encode_labelled(encode, s) for s in y]

    def _n_outputs(self) -> int:
        return len(self.classes_)

    def _output_transform(self, out):
        return class_probabilities(out)

    def _predicted_classes(self, X) -> list[np.ndarray]:
        """Class indices per sequence: the argmax runs on the logits, on the
        device, so no probabilities are computed or copied."""
        return self._forward(X, transform=lambda logits: logits.argmax(-1))


class RegressorTargets:
    """Targets standardised for training, predictions in the original units."""

    _fitted_state = {"target_scaler_": "TargetScaler", "_single_output": "bool"}

    _regression = True
    _criterion = MaskedMSELoss

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _start_targets(self) -> dict:
        return {"moments": RunningMoments(), "single": True}

    def _update_targets(self, state: dict, y) -> None:
        arrays = y if self._token_level else [y]
        state["single"] &= all(a.ndim == 1 for a in arrays)
        rows = [r[~np.isnan(r).all(axis=1)] for r in (a.reshape(len(a), -1) for a in arrays if len(a))]
        rows = [r for r in rows if len(r)]  # unlabelled elements (NaN rows) are left out
        if rows:
            state["moments"].update(np.concatenate(rows))

    def _finish_targets(self, state: dict, classes=None) -> None:
        moments = state["moments"]
        self._single_output = state["single"]
        check_constant(moments.n, moments.min, moments.max)
        self.target_scaler_ = TargetScaler().fit_moments(moments)
        if not np.isfinite(self.target_scaler_.scale_).all():
            raise ValueError("y's values are too large to standardise (their spread overflows float64); "
                             "rescale the targets, for example to other units.")

    def _encode_targets(self, y):
        if self._token_level:
            width = self._n_outputs()
            return [self.target_scaler_.transform(a.reshape(len(a), width)) for a in y]
        return self.target_scaler_.transform(y.reshape(len(y), -1))

    def _n_outputs(self) -> int:
        return len(np.atleast_1d(self.target_scaler_.mean_))

    def _to_original_units(self, outputs: np.ndarray) -> np.ndarray:
        pred = self.target_scaler_.inverse_transform(outputs)
        return pred[:, 0] if self._single_output else pred
