"""pytest-randomly's extension point: torch's generator joins its per-test reseeding.

Registered in pyproject.toml under ``pytest_randomly.random_seeder``, so
pytest-randomly calls it in every project of the environment that uses it.
It never imports torch itself: where torch was not imported (another
project's tests, or a run before the koans imported it), there is no torch
generator to seed.  No koan's answer depends on the seed; this only makes a
shuffled run repeatable.
"""

from __future__ import annotations

import sys


def seed_torch(seed: int) -> None:
    torch = sys.modules.get("torch")
    if torch is not None and hasattr(torch, "manual_seed"):
        torch.manual_seed(seed)
