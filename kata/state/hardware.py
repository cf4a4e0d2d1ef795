"""What this machine can run: for each hardware marker (``kata.layout.HARDWARE_MARKERS``),
why its koans cannot run here, or "" when they can.

Inside pytest, ``missing_hardware`` asks torch itself (it is imported by then).
The command line never imports torch: ``status`` takes what the latest pytest
run (the learner's, or ``kata progress --run``) recorded, or else guesses from
the installed build.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
from pathlib import Path

from kata.layout import HARDWARE_MARKERS
from kata.state.cache import HARDWARE_KEY, read_value


def missing_hardware(markers: list[str]) -> dict[str, str]:
    """For each hardware marker in use, why it cannot run here ("" when it can)."""
    reasons: dict[str, str] = {}
    if "cuda" in markers:
        import torch

        reasons["cuda"] = (
            ""
            if torch.cuda.is_available()
            else f"needs a CUDA GPU: torch.cuda.is_available() is False (torch {torch.__version__})"
        )
    if "multiprocess" in markers:
        import torch.distributed as dist

        if not dist.is_available():
            reasons["multiprocess"] = "needs torch.distributed, which this torch build lacks"
        elif not dist.is_gloo_available():
            reasons["multiprocess"] = "needs the gloo backend of torch.distributed, missing from this torch build"
        else:
            reasons["multiprocess"] = ""
    if "compiler" in markers:
        reasons["compiler"] = (
            "" if cxx_compiler() else "needs a C++ compiler (g++, clang++ or $CXX), which this machine lacks"
        )
    return reasons


def cxx_compiler() -> str | None:
    """The C++ compiler torch's cpp_extension and Inductor would call, if one is on PATH."""
    for name in (os.environ.get("CXX", ""), "g++", "c++", "clang++"):
        found = shutil.which(name) if name else None
        if found:
            return found
    return None


def status(root: Path) -> tuple[dict[str, str], str]:
    """({marker: why it cannot run here, "" when it can}, where that knowledge comes from).

    The answer a pytest run on this machine recorded wins; otherwise a cheap
    look at the installed torch build, without importing it.
    """
    recorded = read_value(root, HARDWARE_KEY)
    if isinstance(recorded, dict) and all(isinstance(v, str) for v in recorded.values()):
        return {m: recorded.get(m, "") for m in HARDWARE_MARKERS}, "as a pytest run on this machine found"
    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.origin:
        reason = "needs torch, which is not installed"
        return {m: reason for m in HARDWARE_MARKERS}, "torch is not installed"
    try:
        version = (Path(spec.origin).parent / "version.py").read_text(encoding="utf-8")
    except OSError:
        version = ""
    builds = [m[2] for m in re.finditer(r"^(cuda|hip)\s*(?::[^=]*)?=\s*(.+)$", version, re.MULTILINE)]
    has_gpu_build = any(b.strip() not in ("None", "") for b in builds)
    has_device = any(Path(p).exists() for p in ("/dev/nvidia0", "/dev/nvidiactl", "/dev/kfd"))
    cuda = (
        ""
        if has_gpu_build and has_device
        else "needs a CUDA GPU" + ("" if has_gpu_build else ": this torch build has no CUDA")
    )
    compiler = "" if any(shutil.which(c) for c in ("g++", "c++", "clang++")) else "needs a C++ compiler"
    guess = {"cuda": cuda, "multiprocess": "", "compiler": compiler}
    return guess, "guessed from the torch build (`kata progress --run` checks)"


def runs_here(marker: str | None, missing: dict[str, str]) -> bool:
    """Whether a koan with this hardware marker (None: none) can run on this machine."""
    return not (marker and missing.get(marker))
