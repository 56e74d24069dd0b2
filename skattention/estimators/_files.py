"""Model files of the estimators: ``save`` and ``load`` (safetensors weights
and a JSON description, through :mod:`skattention._serialization`), and
skorch's ``save_params``/``load_params`` on the fitted net."""

from __future__ import annotations


class _ModelFiles:
    """Saving and loading (mixed into ``BaseSequenceEstimator``)."""

    def save(self, path) -> None:
        """Write the fitted model to the folder ``path``, in files that load
        without running code.

        The weights go to ``weights.safetensors``; the class, parameters,
        vocabularies, classes, target scaling and history to
        ``skattention.json``, with the SHA-256 of the weights. Read it back
        with :meth:`load`. Parameters that JSON cannot hold (callbacks,
        callables) are left out with a warning. Pickling keeps working too.

        Examples
        --------
        >>> import tempfile
        >>> from skattention import AttentionSequenceClassifier
        >>> X, y = [["good", "film"], ["bad", "film"]] * 5, [1, 0] * 5
        >>> clf = AttentionSequenceClassifier(max_epochs=1, d_model=8, n_heads=2, random_state=0).fit(X, y)
        >>> folder = tempfile.mkdtemp()
        >>> clf.save(folder)
        >>> same = AttentionSequenceClassifier.load(folder)
        >>> (same.predict(X) == clf.predict(X)).all()
        np.True_
        """
        from .._serialization import save

        save(self, path)

    @classmethod
    def load(cls, path, device=None):
        """Read a model written by :meth:`save`; never unpickles anything.

        Parameters
        ----------
        path : str or Path
            The folder that :meth:`save` wrote.
        device : str, optional
            Where to put the model; default the saved ``device`` parameter
            (``"auto"`` decides on this machine; a CUDA model loads on the
            CPU, with a warning, when there is no GPU).

        Returns
        -------
        estimator : fitted instance of the saved class

        Raises
        ------
        ValueError
            When the folder is not a skattention model, holds another
            estimator class, names classes outside the allowed data
            classes, or its weights differ from the recorded SHA-256.
        """
        from .._serialization import load

        return load(path, device=device, expected=cls)

    def save_params(self, **kwargs) -> None:
        """skorch's :meth:`~skorch.net.NeuralNet.save_params` on the fitted net."""
        self._check_fitted()
        self.net_.save_params(**kwargs)

    def load_params(self, **kwargs) -> None:
        """skorch's :meth:`~skorch.net.NeuralNet.load_params` into the fitted net
        (its vocabulary and classes must match the saved weights)."""
        self._check_fitted()
        self.net_.load_params(**kwargs)
