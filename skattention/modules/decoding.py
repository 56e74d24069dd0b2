"""Greedy and beam-search decoding over any decoder with the step interface
of :mod:`skattention.modules.seq2seq` (``step``, ``reorder``), with output
caps per sequence so that a sequence's output never depends on its batch."""

from __future__ import annotations

import torch
import torch.nn.functional as F

PAD_ID, UNK_ID, BOS_ID, EOS_ID = 0, 1, 2, 3


def _forbid_specials(logits: torch.Tensor) -> torch.Tensor:
    """Never generate padding, unknown or start tokens."""
    logits = logits.clone()
    logits[:, [PAD_ID, UNK_ID, BOS_ID]] = torch.finfo(logits.dtype).min
    return logits


def output_caps(max_length, batch_size: int) -> list[int]:
    """The longest output of each sequence: ``max_length`` for all, or one per sequence."""
    if isinstance(max_length, int):
        return [max_length] * batch_size
    caps = [int(c) for c in max_length]
    if len(caps) != batch_size or min(caps, default=1) < 1:
        raise ValueError(f"max_length must be an int >= 1 or {batch_size} of them, got {max_length!r}.")
    return caps


@torch.no_grad()
def greedy_search(decoder, state, batch_size: int, max_length):
    """Greedy decoding; ``max_length``: the longest output, for all sequences
    (an int) or per sequence, so that a sequence's output never depends on
    the others of its batch."""
    caps = output_caps(max_length, batch_size)
    device = state["memory"].device
    cap = torch.tensor(caps, device=device)
    prev = torch.full((batch_size,), BOS_ID, dtype=torch.long, device=device)
    done = torch.zeros(batch_size, dtype=torch.bool, device=device)
    tokens, weights = [], []
    for t in range(max(caps)):
        logits, state, w = decoder.step(prev, state)
        prev = _forbid_specials(logits).argmax(-1)
        prev = prev.masked_fill(done, EOS_ID)
        tokens.append(prev)
        weights.append(w)
        done |= (prev == EOS_ID) | (cap <= t + 1)
        if bool(done.all()):
            break
    ids = torch.stack(tokens, 1).cpu()
    align = None if weights[0] is None else torch.stack(weights, 1).float().cpu()
    out = []
    for b in range(batch_size):
        seq = ids[b, : caps[b]].tolist()
        n = seq.index(EOS_ID) if EOS_ID in seq else len(seq)
        out.append((seq[:n], None if align is None else align[b, :n].numpy()))
    return out


@torch.no_grad()
def beam_search(decoder, state, batch_size: int, beam_size: int, max_length, length_penalty: float,
                early_stopping: bool = True, return_finished: bool = False):
    """Beam search with length normalisation.

    Finished hypotheses are ranked by ``log p / length ** length_penalty``
    (0 disables the normalisation; ``length`` counts the end token). An end
    token finishes a hypothesis only when it ranks among the ``beam_size``
    best candidates. A sentence stops at its output cap (``max_length``, an
    int or one per sentence, as in :func:`greedy_search`), or earlier, with
    ``early_stopping``, once ``beam_size`` hypotheses have ended and no live
    one can still beat the best of them. That test is exact: log
    probabilities only fall as an output grows, so a live hypothesis of
    score ``s`` can at best end with ``s / cap ** length_penalty``, its score
    spread over the longest output allowed; early stopping never changes the
    result. A sentence in which nothing ended by its cap returns its best
    live hypothesis. ``return_finished`` also returns, per sentence, every
    hypothesis that ended, as ``(normalised score, token ids)``.
    """
    K = beam_size
    caps = output_caps(max_length, batch_size)
    device = state["memory"].device
    state = decoder.reorder(state, torch.arange(batch_size, device=device).repeat_interleave(K))
    scores = torch.full((batch_size, K), -float("inf"), device=device)
    scores[:, 0] = 0.0
    prev = torch.full((batch_size * K,), BOS_ID, dtype=torch.long, device=device)
    history = torch.zeros(batch_size * K, 0, dtype=torch.long, device=device)
    align = None
    finished: list[list] = [[] for _ in range(batch_size)]
    running = [True] * batch_size
    for t in range(max(caps)):
        logits, state, w = decoder.step(prev, state)
        logp = F.log_softmax(_forbid_specials(logits).float(), dim=-1)
        V = logp.shape[-1]
        cand = (scores.view(-1, 1) + logp).view(batch_size, K * V)
        top_scores, top_idx = cand.topk(min(2 * K, K * V), dim=1)
        beam_idx, token_idx = top_idx // V, top_idx % V
        new_scores = torch.full((batch_size, K), -float("inf"), device=device)
        new_beams = torch.arange(batch_size, device=device).repeat_interleave(K).view(batch_size, K) * K
        new_tokens = torch.full((batch_size, K), EOS_ID, dtype=torch.long, device=device)
        ts, bi, ti = top_scores.tolist(), beam_idx.tolist(), token_idx.tolist()
        capped = []  # sentences that reach their cap at this step with nothing ended
        for b in range(batch_size):
            if not running[b]:
                continue
            filled = 0
            for rank, (s, k, tok) in enumerate(zip(ts[b], bi[b], ti[b])):
                if s == -float("inf") or filled == K:
                    break
                src = b * K + k
                if tok == EOS_ID:
                    # only an end among the K best candidates finishes a hypothesis (as in
                    # fairseq): lower-ranked ends would stop the search with truncated outputs
                    if rank < K:
                        norm = s / ((t + 1) ** length_penalty)
                        finished[b].append((norm, history[src].tolist(), None if align is None else align[src]))
                else:
                    new_scores[b, filled] = s
                    new_beams[b, filled] = src
                    new_tokens[b, filled] = tok
                    filled += 1
            if t + 1 >= caps[b]:
                running[b] = False
                if not finished[b]:
                    capped.append(b)
            elif early_stopping and len(finished[b]) >= K:
                best_live = new_scores[b, 0].item() / (caps[b] ** length_penalty)
                if max(h[0] for h in finished[b]) >= best_live:
                    running[b] = False
        index = new_beams.view(-1)
        state = decoder.reorder(state, index)
        prev = new_tokens.view(-1)
        history = torch.cat([history.index_select(0, index), prev[:, None]], dim=1)
        if w is not None:
            step = w.float().index_select(0, index)[:, None]
            align = step if align is None else torch.cat([align.index_select(0, index), step], dim=1)
        for b in capped:  # the best live hypothesis, as long as the cap allows
            finished[b].append((new_scores[b, 0].item(), history[b * K].tolist(),
                                None if align is None else align[b * K]))
        scores = new_scores.masked_fill(~torch.tensor(running, device=device)[:, None], -float("inf"))
        if not any(running):
            break
    out = []
    for b in range(batch_size):
        _, seq, a = max(finished[b], key=lambda h: h[0])
        out.append((seq, None if a is None else a.float().cpu().numpy()))
    if return_finished:
        return out, [[(norm, seq) for norm, seq, _ in hypotheses] for hypotheses in finished]
    return out
