"""Reproducibility: seeds, RNG state, an exact resume and deterministic algorithms. Only equality of draws is checked, never their values."""

import torch
from torch.utils.data import DataLoader

from kata import __


def first_equal(draws):
    """For each draw, the position of the first draw equal to it (its own position if it is new)."""
    return [next(i for i, d in enumerate(draws) if torch.equal(d, x)) for x in draws]


def test_which_draws_repeat():
    """A generator's state decides its next draw and each draw advances it: manual_seed and set_rng_state rewind the global generator, fork_rng restores it when its block ends, and a torch.Generator on the CPU seeded with the same number runs the same stream as the global one without touching it.

    Hint: follow the global generator's position draw by draw; first_equal names each draw by the first one equal to it.
    """
    torch.manual_seed(0)
    a = torch.rand(3)
    state = torch.get_rng_state()
    b = torch.rand(3)
    torch.manual_seed(0)
    c = torch.rand(3)
    torch.set_rng_state(state)
    d = torch.rand(3)
    with torch.random.fork_rng():
        e = torch.rand(3)
    f = torch.rand(3)
    g = torch.rand(3, generator=torch.Generator().manual_seed(0))
    h = torch.rand(3)
    assert first_equal([a, b, c, d, e, f, g, h]) == __


def test_a_resumed_run_repeats_its_dropout_masks():
    """Dropout draws its mask from the global generator, so a checkpoint that stores torch.get_rng_state() lets a resumed run draw the masks the original run drew; without it the resumed run draws from wherever the generator happens to be.

    Hint: the original run drew masks at steps 0, 1 and 2; which steps do the two resumed runs repeat?
    """
    drop = torch.nn.Dropout(0.5)
    ones = torch.ones(16)
    torch.manual_seed(0)
    masks = [drop(ones)]
    saved_state = torch.get_rng_state()
    masks += [drop(ones), drop(ones)]

    torch.set_rng_state(saved_state)
    with_state = drop(ones)
    torch.manual_seed(0)
    without_state = drop(ones)
    assert first_equal(masks + [with_state, without_state]) == __


def test_resuming_mid_epoch_replays_the_order_and_skips_what_was_seen():
    """A shuffling DataLoader given a generator draws each epoch's order from it when the epoch starts; to resume in the middle of an epoch, restore the generator state from the epoch's start and skip the batches already trained on.

    Hint: how many batches of 3 cover the 6 samples seen before the checkpoint?
    """
    data = list(range(12))
    gen = torch.Generator().manual_seed(1)
    epoch_start = gen.get_state()
    full = [b.tolist() for b in DataLoader(data, batch_size=3, shuffle=True, generator=gen)]

    restored = torch.Generator()
    restored.set_state(epoch_start)
    batches = iter(DataLoader(data, batch_size=3, shuffle=True, generator=restored))
    for _ in range(6 // 3):
        next(batches)
    assert [b.tolist() for b in batches] == full[__:]


def test_deterministic_mode_fills_new_memory_with_a_known_value():
    """In deterministic mode, torch.empty fills new memory (torch.utils.deterministic.fill_uninitialized_memory) so that reading it is reproducible: floating-point and complex tensors with NaN, integer tensors with the largest value their dtype can hold.

    Hint: how many value bits does each integer dtype have once its sign bit (if any) is set aside?
    """
    before = torch.are_deterministic_algorithms_enabled()
    try:
        torch.use_deterministic_algorithms(True)
        fills = [torch.empty(1, dtype=dt).item() for dt in (torch.uint8, torch.int8, torch.int16)]
    finally:
        torch.use_deterministic_algorithms(before)
    assert fills == __
