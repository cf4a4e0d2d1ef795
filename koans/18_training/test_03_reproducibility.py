"""Reproducibility: seeds, RNG state and deterministic algorithms. Only equality of draws is checked, never their values."""

import torch
from torch.utils.data import DataLoader

from kata import __


def test_consecutive_draws_differ():
    """Each draw advances the generator, so two draws in a row after one seed differ.

    Hint: no reseed between them.
    """
    torch.manual_seed(123)
    a = torch.rand(3)
    b = torch.rand(3)
    assert torch.equal(a, b) is __


def test_initial_seed_reports_the_seed():
    """torch.initial_seed() returns the seed the global generator was last seeded with.

    Hint: the number passed to manual_seed.
    """
    torch.manual_seed(2024)
    assert torch.initial_seed() == __


def test_rng_state_can_be_saved_and_restored():
    """torch.get_rng_state() snapshots the generator; torch.set_rng_state() rewinds it so the next draw repeats.

    Hint: the draw after restoring is the one that followed the snapshot.
    """
    state = torch.get_rng_state()
    a = torch.rand(3)
    torch.set_rng_state(state)
    b = torch.rand(3)
    assert torch.equal(a, b) is __


def test_fork_rng_leaves_the_outer_stream_alone():
    """Draws inside torch.random.fork_rng() do not advance the generator outside it: the state is restored on exit.

    Hint: compare with a run that made no draws inside the block.
    """
    torch.manual_seed(7)
    with torch.random.fork_rng():
        torch.rand(100)
    a = torch.rand(3)
    torch.manual_seed(7)
    b = torch.rand(3)
    assert torch.equal(a, b) is __


def test_seeded_loader_ignores_the_global_seed():
    """A shuffling DataLoader given a generator draws its order from that generator, so a different global seed does not change it.

    Hint: the two loaders share the generator seed, not the global seed.
    """
    def order(global_seed):
        torch.manual_seed(global_seed)
        loader = DataLoader(list(range(8)), batch_size=4, shuffle=True, generator=torch.Generator().manual_seed(0))
        return [x for batch in loader for x in batch.tolist()]

    assert (order(1) == order(2)) is __


def test_deterministic_mode_fills_empty_tensors_with_nan():
    """In deterministic mode torch.empty fills new floating-point tensors with NaN (torch.utils.deterministic.fill_uninitialized_memory), so reading uninitialised memory is reproducible.

    Hint: is every element NaN?
    """
    before = torch.are_deterministic_algorithms_enabled()
    try:
        torch.use_deterministic_algorithms(True)
        t = torch.empty(4)
    finally:
        torch.use_deterministic_algorithms(before)
    assert torch.isnan(t).all().item() is __
