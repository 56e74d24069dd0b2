"""Which device an estimator runs on: ``"auto"`` resolved, and any other
value checked against what this machine has, so a wrong one is a clear
``ValueError`` instead of an error from deep inside torch."""

from __future__ import annotations

from functools import cache

import torch


@cache
def _cuda_available() -> bool:
    return torch.cuda.is_available()


def resolve_device(device) -> str | torch.device:
    """``'auto'`` → ``'cuda'`` when CUDA is available, else ``'cpu'``."""
    if device == "auto":
        return "cuda" if _cuda_available() else "cpu"
    return device


def _available() -> str:
    found = ["'cpu'"]
    if _cuda_available():
        n = torch.cuda.device_count()
        found.append("'cuda'" + (f" ('cuda:0' to 'cuda:{n - 1}')" if n > 1 else ""))
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        found.append("'mps'")
    return ", ".join(found)


def check_device(device, owner: str) -> None:
    """Raise ``ValueError`` when ``device`` names nothing this machine has.

    Accepts ``"auto"``, a :class:`torch.device` or a string torch reads as
    one (``"cpu"``, ``"cuda"``, ``"cuda:1"``, ``"mps"``), provided that the
    device exists here.
    """
    if isinstance(device, str) and device == "auto":
        return
    if not isinstance(device, (str, torch.device)):
        raise ValueError(f"The 'device' parameter of {owner} must be 'auto', a device name such as 'cpu' or "
                         f"'cuda', or a torch.device; got {device!r}.")
    try:
        parsed = torch.device(device)
    except (RuntimeError, ValueError, TypeError):
        raise ValueError(f"The 'device' parameter of {owner} must be 'auto' or a device torch knows; got "
                         f"{device!r}. Available here: {_available()}.") from None
    missing = None
    if parsed.type == "cuda":
        if not _cuda_available():
            missing = "CUDA is not available on this machine"
        elif parsed.index is not None and parsed.index >= torch.cuda.device_count():
            missing = f"this machine has {torch.cuda.device_count()} CUDA device(s)"
    elif parsed.type == "mps" and not (getattr(torch.backends, "mps", None) is not None
                                       and torch.backends.mps.is_available()):
        missing = "MPS is not available on this machine"
    elif parsed.type not in ("cpu", "cuda", "mps"):
        missing = f"skattention runs on 'cpu', 'cuda' or 'mps', not {parsed.type!r}"
    if missing:
        raise ValueError(f"{owner} got device={device!r}, but {missing}. Available here: {_available()}; "
                         "device='auto' picks CUDA when there is one.")
