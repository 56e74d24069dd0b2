"""estimators/_accelerate.py: training through Hugging Face Accelerate (the
``accelerator`` parameter), in one process and data parallel over two."""

import numpy as np
import pytest
import torch
from conftest import TINY_SPLIT, make_problem


@pytest.fixture
def fresh_accelerate():
    """Accelerate keeps one process-wide state (its mixed precision among it)."""
    state = pytest.importorskip("accelerate.state")
    state.AcceleratorState._reset_state(True)
    yield pytest.importorskip("accelerate").Accelerator
    state.AcceleratorState._reset_state(True)


def test_accelerator_in_one_process_trains_as_without_it(fresh_accelerate):
    cls, X, y = make_problem("token_classifier")
    plain = cls(**TINY_SPLIT).fit(X, y)
    accelerated = cls(**TINY_SPLIT, accelerator=fresh_accelerate(cpu=True)).fit(X, y)
    assert type(accelerated.net_).__name__ == "AcceleratedNet"
    np.testing.assert_allclose(accelerated.history_["train_loss"], plain.history_["train_loss"], rtol=1e-6)
    np.testing.assert_allclose(np.concatenate(accelerated.predict_proba(X)), np.concatenate(plain.predict_proba(X)),
                               atol=1e-6)
    # unwrapped after training: it pickles, and training continues through the accelerator
    import pickle

    again = pickle.loads(pickle.dumps(accelerated))
    assert again.score(X, y) == accelerated.score(X, y)
    accelerated.set_params(warm_start=True).fit(X, y)
    assert len(accelerated.history_) == 4


def test_accelerator_mixed_precision_is_the_accelerators(fresh_accelerate):
    cls, X, y = make_problem("sequence_regressor")
    with pytest.raises(ValueError, match="mixed precision is the accelerator's"):
        cls(**TINY_SPLIT, accelerator=fresh_accelerate(cpu=True), precision="bf16").fit(X, y)
    with pytest.raises(ValueError, match="accelerator.*must be None or an accelerate.Accelerator"):
        cls(**TINY_SPLIT, accelerator="bf16").fit(X, y)
    from accelerate.state import AcceleratorState

    AcceleratorState._reset_state(True)  # the fp32 accelerator above fixed the process-wide precision
    est = cls(**{**TINY_SPLIT, "train_split": None}, accelerator=fresh_accelerate(cpu=True, mixed_precision="bf16"))
    est.fit(X[:20], y[:20])
    dtypes = set()
    linear = [m for m in est.module_.modules() if isinstance(m, torch.nn.Linear)][-1]
    hook = linear.register_forward_hook(lambda module, args, out: dtypes.add(out.dtype))
    est.set_params(warm_start=True).fit(X, y)
    hook.remove()
    assert dtypes == {torch.bfloat16}  # every training step ran under the accelerator's autocast
    assert np.isfinite(est.predict(X)).all()


DDP_SCRIPT = """
import hashlib, json, sys
import numpy as np
from accelerate import Accelerator
from skattention import AttentionTokenClassifier
sys.path.insert(0, {tests!r})
from conftest import TINY_SPLIT, make_problem
cls, X, y = make_problem("token_classifier")
acc = Accelerator(cpu=True)
est = cls(**TINY_SPLIT, accelerator=acc).fit(X, y)
weights = b"".join(p.detach().numpy().tobytes() for p in est.module_.parameters())
result = {{"rank": acc.process_index, "world": acc.num_processes, "weights": hashlib.sha256(weights).hexdigest(),
          "batches": [epoch["train_batch_count"] for epoch in est.history]}}
with open({out!r} + f"/rank{{acc.process_index}}.json", "w") as f:
    json.dump(result, f)
"""


def test_accelerator_data_parallel_over_two_processes(tmp_path):
    """``torchrun`` (what ``accelerate launch`` runs) with two CPU processes:
    each trains on half of every epoch's batches, and the gradients are
    averaged, so both end with the same weights."""
    pytest.importorskip("accelerate")
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = tmp_path / "ddp.py"
    script.write_text(DDP_SCRIPT.format(tests=str(Path(__file__).parent), out=str(tmp_path)))
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    run = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
                          str(script)], capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    results = [json.loads(path.read_text()) for path in sorted(tmp_path.glob("rank*.json"))]
    assert {r["rank"] for r in results} == {0, 1} and {r["world"] for r in results} == {2}
    assert results[0]["weights"] == results[1]["weights"]
    cls, X, y = make_problem("token_classifier")
    single = cls(**TINY_SPLIT).fit(X, y).history[-1]["train_batch_count"]
    assert all(b <= (single + 1) // 2 + 1 for r in results for b in r["batches"])
