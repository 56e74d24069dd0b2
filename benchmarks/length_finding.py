"""Does attention hold up on long inputs where a plain encoder-decoder fails?

A reproduction of the central claim of Bahdanau et al. (2014, Fig. 2) on a
synthetic transduction with a wide length range: the source is a random string
of 4-60 symbols over a 20-letter alphabet, the target the same string with
every symbol replaced by a fixed partner (a monotonic "transliteration").
``AttentionSeq2Seq(attention=None)`` (one fixed-size context, Cho et al. 2014)
and ``attention="additive"`` (Bahdanau's score) get the same data, size and
epochs, with the default decoder (``"luong"``) or the one ``--decoder`` names
(``--decoder rnn``: Bahdanau's own decoder, the founding model). Scores are
reported per source-length bucket and plotted.

    python benchmarks/length_finding.py                 # full run, default decoder
    python benchmarks/length_finding.py --decoder rnn   # the founding model
    python benchmarks/length_finding.py --quick         # under 2 minutes
"""

from __future__ import annotations

import argparse
import string

import numpy as np
from _common import RESULTS, Timer, write_results

from skattention import AttentionSeq2Seq
from skattention.metrics import sequence_error_rate, token_error_rate

ALPHABET = list(string.ascii_lowercase[:20])
PARTNER = dict(zip(ALPHABET, [c.upper() for c in ALPHABET[7:] + ALPHABET[:7]]))


def make_pairs(n: int, low: int, high: int, seed: int):
    rng = np.random.RandomState(seed)
    X = [list(rng.choice(ALPHABET, size=rng.randint(low, high + 1))) for _ in range(n)]
    return [[str(c) for c in x] for x in X], [[PARTNER[str(c)] for c in x] for x in X]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--decoder", choices=("luong", "rnn"), default=AttentionSeq2Seq().decoder)
    args = parser.parse_args()
    low, high = 4, 30 if args.quick else 60
    n_train, n_test, epochs = (1500, 300, 3) if args.quick else (8000, 1200, 12)
    edges = list(range(low, high + 1, 10 if not args.quick else 9)) + [high + 1]
    X_train, y_train = make_pairs(n_train, low, high, seed=0)
    X_test, y_test = make_pairs(n_test, low, high, seed=1)
    lengths = np.array([len(x) for x in X_test])

    results = {}
    for name, attention in [(f"plain encoder-decoder (decoder={args.decoder!r}, attention=None)", None),
                            (f"attention (decoder={args.decoder!r}, attention='additive')", "additive")]:
        model = AttentionSeq2Seq(decoder=args.decoder, attention=attention, d_model=64 if args.quick else 128,
                                 max_epochs=epochs, batch_size=32, random_state=0)
        with Timer() as fit:
            model.fit(X_train, y_train)
        pred = model.predict(X_test)
        buckets = []
        for lo, hi in zip(edges[:-1], edges[1:]):
            idx = np.flatnonzero((lengths >= lo) & (lengths < hi))
            yt, yp = [y_test[i] for i in idx], [pred[i] for i in idx]
            buckets.append({"lengths": f"{lo}-{hi - 1}", "n": len(idx),
                            "token_accuracy": 1 - token_error_rate(yt, yp),
                            "exact_match": 1 - sequence_error_rate(yt, yp)})
        results[name] = {"fit_seconds": fit.seconds, "epochs": len(model.history_), "buckets": buckets,
                         "token_accuracy": 1 - token_error_rate(y_test, pred)}
        print(name, f"{fit.seconds:.0f} s", [round(b["token_accuracy"], 3) for b in buckets])

    names = list(results)
    table = ["| source length | n | " + " | ".join(f"{n}: token acc / exact" for n in names) + " |",
             "|---|---|" + "---|" * len(names)]
    for i, b in enumerate(results[names[0]]["buckets"]):
        cells = [f"{results[n]['buckets'][i]['token_accuracy']:.3f} / {results[n]['buckets'][i]['exact_match']:.3f}"
                 for n in names]
        table.append(f"| {b['lengths']} | {b['n']} | " + " | ".join(cells) + " |")
    table.append("| fit time | | " + " | ".join(f"{results[n]['fit_seconds']:.0f} s, {results[n]['epochs']} epochs"
                                                 for n in names) + " |")
    stem = "length_finding" if args.decoder == "luong" else f"length_finding_{args.decoder}"
    write_results(stem, {"n_train": n_train, "n_test": n_test, "max_epochs": epochs, "decoder": args.decoder,
                         "results": results}, "\n".join(table), quick=args.quick)
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for name in names:
        mids = [np.mean([int(v) for v in b["lengths"].split("-")]) for b in results[name]["buckets"]]
        for ax, key in zip(axes, ["token_accuracy", "exact_match"]):
            ax.plot(mids, [b[key] for b in results[name]["buckets"]], marker="o", label=name)
            ax.set_xlabel("source length")
            ax.set_ylabel(key.replace("_", " "))
            ax.set_ylim(0, 1.02)
            ax.grid(alpha=0.3)
    axes[0].legend(loc="lower left", fontsize=8)
    fig.suptitle("Same data, size and epochs: score by source length")
    fig.tight_layout()
    fig.savefig(RESULTS / f"{stem}{'_quick' if args.quick else ''}.png", dpi=120)


if __name__ == "__main__":
    main()
