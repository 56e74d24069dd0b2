"""The estimators' shared docstring sections, and the one way they are put
together into a class docstring."""

from __future__ import annotations

PARAMS_DOC = """
    Parameters
    ----------
    encoder : {"hybrid", "transformer", "birnn"}, default="hybrid"
        ``"hybrid"``: a BiLSTM then one self-attention layer; ``"transformer"``:
        ``n_layers`` self-attention layers with sinusoidal positions;
        ``"birnn"``: a BiLSTM only (no attention; the baseline).
    attention : {"scaled_dot", "dot", "multiplicative", "additive"}, default="scaled_dot"
        Score function of the self-attention layers.
    d_model : int, default=128
        Width of the representations.
    n_heads : int, default=4
        Attention heads (``d_model`` must be divisible by it).
    n_layers : int, default=2
        Encoder depth (BiLSTM layers for ``"hybrid"``/``"birnn"``).
    dropout : float, default=0.1
    max_epochs : int or None, default=None
        Epochs to train. None: at least 30 epochs and at least 1,000
        optimiser steps (at most 1,000 epochs), so that small data sets,
        whose epochs are a few steps, still get a real training budget (the
        user guide's "Training budget"). Calls that continue training
        (``partial_fit`` after the first, ``warm_start``) train 30 epochs
        when it is None.
    batch_size : int, default=32
        Sequences per training batch; batches group sequences of similar
        length. Prediction batches hold up to ``batch_size * 64`` padded
        elements.
    lr : float, default=2e-3
        Learning rate of ``optimizer``.
    optimizer : torch optimizer class, default=torch.optim.AdamW
        Its own arguments go through ``optimizer__*`` parameters.
    train_split : "auto", float, callable or None, default="auto"
        ``"auto"`` holds out 10% of the training sequences for validation
        when there are at least 2,000 of them, and nothing below that: a
        split of a few dozen sequences is too noisy to stop on. A float
        holds out that fraction (seeded by ``random_state``); any skorch
        ``train_split`` callable works as in skorch; None trains on
        everything. With a validation split the learning rate halves when
        the validation score stalls for 2 epochs and ``patience`` applies;
        without one, training runs the whole budget under a one-cycle
        schedule (linear warm-up over the first 10% of the steps to ``lr``,
        then cosine decay to zero).
    patience : int or None, default=5
        Epochs without improvement before training stops early (only with a
        validation split): on the validation accuracy for the classifiers
        and seq2seq (token accuracy; for the sequence classifier only when
        at least 200 sequences are held out), on the validation loss
        otherwise. The best epoch's weights are restored at the end. None
        disables it.
    callbacks : list of skorch callbacks or (name, callback) tuples, optional
    warm_start : bool, default=False
        Whether ``fit`` continues from the previous fit.
    device : str or torch.device, default="auto"
        ``"auto"`` picks CUDA when it is available.
    precision : {"32", "bf16", "16"}, default="32"
        Training and prediction under :class:`torch.autocast` in bfloat16 or
        float16 (``"16"`` adds a gradient scaler); ``"32"`` is full precision.
    compile : bool, default=False
        Run the module through :func:`torch.compile` (``dynamic=True``; more
        options as ``compile__*``).
    accelerator : accelerate.Accelerator or None, default=None
        Train through Hugging Face Accelerate (skorch's
        :class:`~skorch.hf.AccelerateMixin`): data-parallel over the
        processes of ``accelerate launch``, mixed precision as the
        accelerator's ``mixed_precision`` (``precision`` must stay ``"32"``).
        See the "Scaling out" page.
    max_length : int or None, default=None
        Longest sequence the model sees. Token estimators cut longer
        sequences into consecutive windows of at most ``max_length`` elements
        (targets too) and join the windows' predictions back, so every
        element still gets an output; sequence estimators and seq2seq keep
        the first ``max_length`` elements. ``fit`` warns with the number of
        sequences affected. None keeps every sequence whole.
    checkpoint_dir : str, path or None, default=None
        Folder for a resumable checkpoint (safetensors weights, JSON state,
        optimizer state) written after every epoch. If ``fit`` finds an
        unfinished checkpoint there (the process was killed or interrupted),
        it resumes from it and trains the remaining epochs up to
        ``max_epochs``.
    embeddings : mapping, (tokens, matrix) pair, gensim KeyedVectors or None, default=None
        Pretrained word vectors for token input: ``{token: vector}``, a list
        of tokens with a matrix of one row per token, or a gensim
        ``KeyedVectors`` (``model.wv``). Every token with a vector joins the
        vocabulary, so words absent from the training data but covered by
        the vectors are known at predict time (pass a subset to bound the
        model's size); a token without a vector of its own takes its
        lower-cased form's. The vectors replace the learnt word embedding of
        those tokens (divided by one factor, their standard deviation); the
        others, and the character features, are learnt as without vectors.
        Model files store the vectors beside the weights. See the user
        guide, "Pretrained vectors".
    freeze_embeddings : bool, default=False
        Keep the pretrained vectors fixed in training (True) or fine-tune
        them with the rest of the model (False).
    random_state : int, RandomState or None, default=None
        Seeds initialisation, dropout, the validation split and batch order.
    verbose : int, default=0
        1 shows a progress bar and the epoch table.
    **kwargs
        skorch parameters with a prefix: ``module__*``, ``optimizer__*``,
        ``criterion__*``, ``iterator_train__*`` (e.g.
        ``iterator_train__pool_factor=1`` for random instead of
        length-bucketed batches), ``iterator_valid__*``, ``callbacks__*``,
        ``compile__*``.
"""

ATTRIBUTES_DOC = """
    net_ : skorch.NeuralNet
        The trained skorch net (``net_.module_`` is the torch model).
    input_encoder_ : InputEncoder
        The fitted vocabularies (token input) or feature scaling (numeric input).
    vocabulary_ : dict
        Token → id, with ``<pad>`` = 0 and ``<unk>`` = 1 (token input).
    history_ : pandas.DataFrame
        One row per epoch.
"""

CLASSES_DOC = """
    classes_ : ndarray
        The labels seen in ``fit``."""

_PARAMETERS_HEADER = "    Parameters\n    ----------\n"


def estimator_doc(intro: str, examples: str, *, params: str = "", classes: bool = False) -> str:
    """A class docstring: ``intro``, the shared parameters (``params``, the
    estimator's own, first), the attributes (``classes_`` for classifiers)
    and ``examples`` (the section's body)."""
    return (intro + PARAMS_DOC.replace(_PARAMETERS_HEADER, _PARAMETERS_HEADER + params)
            + "\n    Attributes\n    ----------" + (CLASSES_DOC if classes else "") + ATTRIBUTES_DOC
            + "\n    Examples\n    --------\n" + examples)
