"""pytest-randomly's extension point: torch's generator joins its per-test reseeding.

Registered in pyproject.toml under ``pytest_randomly.random_seeder``.  No koan's
answer depends on the seed; this only makes a shuffled run repeatable.
"""


def seed_torch(seed: int) -> None:
    import torch

    torch.manual_seed(seed)
