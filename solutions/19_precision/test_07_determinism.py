"""Determinism: seeds, torch.use_deterministic_algorithms, and the ops that refuse to run under it."""

import pytest
import torch

from kata import __


def test_deterministic_algorithms_are_off_by_default():
    """PyTorch favours speed: unless asked, it may pick nondeterministic algorithms, and
    torch.are_deterministic_algorithms_enabled() reports the current setting.

    Hint: nobody has switched it on in this koan.
    """
    assert torch.are_deterministic_algorithms_enabled() == False


def test_same_seed_gives_same_random_numbers():
    """torch.manual_seed resets the CPU generator, so the same seed followed by the same calls
    produces exactly the same tensors.

    Hint: torch.equal compares exactly.
    """
    torch.manual_seed(0)
    first = torch.randn(3)
    torch.manual_seed(0)
    second = torch.randn(3)
    assert torch.equal(first, second) == True


def test_generator_objects_have_their_own_state():
    """A torch.Generator carries its own seed and state, so drawing from it leaves the global
    generator untouched and two generators with one seed agree.

    Hint: both generators were seeded with 7 and asked for the same thing.
    """
    g1 = torch.Generator().manual_seed(7)
    g2 = torch.Generator().manual_seed(7)
    a = torch.randint(0, 1000, (4,), generator=g1)
    b = torch.randint(0, 1000, (4,), generator=g2)
    assert torch.equal(a, b) == True


def test_nondeterministic_op_raises_in_deterministic_mode():
    """With torch.use_deterministic_algorithms(True), an op that has only a nondeterministic
    implementation, such as put_ with accumulate=False, raises a RuntimeError saying that it
    does not have a deterministic implementation.

    Hint: a few words of that sentence are enough.
    """
    t = torch.zeros(4)
    torch.use_deterministic_algorithms(True)
    try:
        with pytest.raises(RuntimeError, match="does not have a deterministic implementation"):
            t.put_(torch.tensor([0, 1]), torch.tensor([1.0, 2.0]))
    finally:
        torch.use_deterministic_algorithms(False)


def test_warn_only_turns_the_error_into_a_warning():
    """use_deterministic_algorithms(True, warn_only=True) lets such ops run and only emits a
    UserWarning, so the result is computed.

    Hint: put_ writes the source values at the given flat indices.
    """
    t = torch.zeros(4)
    torch.use_deterministic_algorithms(True, warn_only=True)
    try:
        with pytest.warns(UserWarning):
            t.put_(torch.tensor([0, 1]), torch.tensor([1.0, 2.0]))
    finally:
        torch.use_deterministic_algorithms(False)
    assert t.tolist() == [1.0, 2.0, 0.0, 0.0]


def test_debug_mode_mirrors_the_setting():
    """torch.get_deterministic_debug_mode() reports the setting as a number: 0 for off, 1 for
    warn_only, 2 for errors.

    Hint: error mode is the strictest.
    """
    torch.use_deterministic_algorithms(True)
    try:
        mode = torch.get_deterministic_debug_mode()
    finally:
        torch.use_deterministic_algorithms(False)
    assert mode == 2


def test_index_put_accumulate_is_deterministic_on_cpu():
    """Some ops switch to a deterministic algorithm instead of raising: index_put_ with
    accumulate=True on a CPU tensor runs in deterministic mode and sums repeated indices.

    Hint: index 0 appears twice.
    """
    t = torch.zeros(3)
    torch.use_deterministic_algorithms(True)
    try:
        t.index_put_((torch.tensor([0, 0, 2]),), torch.tensor([1.0, 2.0, 5.0]), accumulate=True)
    finally:
        torch.use_deterministic_algorithms(False)
    assert t.tolist() == [3.0, 0.0, 5.0]
