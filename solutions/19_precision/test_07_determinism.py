"""Determinism: seeds, torch.use_deterministic_algorithms, and the ops that refuse to run under it."""

import pytest
import torch

from kata import __, raises


def test_nondeterministic_op_raises_in_deterministic_mode():
    """With torch.use_deterministic_algorithms(True), an op that has only a nondeterministic implementation, such as put_ with accumulate=False, raises a RuntimeError that names the op and the option that would let it run with only a warning.

    Hint: the option is a keyword argument of use_deterministic_algorithms; match its name.
    """
    t = torch.zeros(4)
    torch.use_deterministic_algorithms(True)
    try:
        with raises(RuntimeError, match="warn_only"):
            t.put_(torch.tensor([0, 1]), torch.tensor([1.0, 2.0]))
    finally:
        torch.use_deterministic_algorithms(False)


def test_debug_mode_mirrors_the_setting():
    """PyTorch favours speed: unless asked, it may pick nondeterministic algorithms. torch.are_deterministic_algorithms_enabled() reports whether deterministic mode is on (warn_only counts as on), and torch.get_deterministic_debug_mode() numbers the settings from the most lenient, off, upward.

    Hint: there are three settings: off, warn only, error.
    """
    states = [(torch.are_deterministic_algorithms_enabled(), torch.get_deterministic_debug_mode())]
    try:
        torch.use_deterministic_algorithms(True, warn_only=True)
        states.append((torch.are_deterministic_algorithms_enabled(), torch.get_deterministic_debug_mode()))
        torch.use_deterministic_algorithms(True)
        states.append((torch.are_deterministic_algorithms_enabled(), torch.get_deterministic_debug_mode()))
    finally:
        torch.use_deterministic_algorithms(False)
    assert states == [(False, 0), (True, 1), (True, 2)]


def test_seeds_reset_generators_and_generators_have_their_own_state():
    """torch.manual_seed resets the global CPU generator, so the same seed followed by the same calls gives the same numbers, while each further call continues the stream; a torch.Generator carries its own state, so drawing from it leaves the global generator untouched.

    Hint: which draws start from a freshly seeded state with nothing drawn before?
    """
    torch.manual_seed(0)
    first = torch.rand(2)
    second = torch.rand(2)
    torch.manual_seed(0)
    own = torch.rand(2, generator=torch.Generator().manual_seed(0))
    again = torch.rand(2)
    assert [torch.equal(first, t) for t in (second, own, again)] == [False, True, True]


def test_warn_only_turns_the_error_into_a_warning():
    """use_deterministic_algorithms(True, warn_only=True) lets such ops run and only emits a UserWarning, so the result is computed.

    Hint: put_ writes the source values at the given flat indices.
    """
    t = torch.zeros(4)
    torch.use_deterministic_algorithms(True, warn_only=True)
    try:
        with pytest.warns(UserWarning):
            t.put_(torch.tensor([0, 2]), torch.tensor([1.0, 2.0]))
    finally:
        torch.use_deterministic_algorithms(False)
    assert t.tolist() == [1.0, 0.0, 2.0, 0.0]


def test_index_put_accumulate_is_deterministic_on_cpu():
    """Some ops switch to a deterministic algorithm instead of raising: index_put_ with accumulate=True on a CPU tensor runs in deterministic mode and sums the values of repeated indices.

    Hint: look for an index that appears more than once.
    """
    t = torch.zeros(3)
    torch.use_deterministic_algorithms(True)
    try:
        t.index_put_((torch.tensor([0, 0, 2]),), torch.tensor([1.0, 2.0, 5.0]), accumulate=True)
    finally:
        torch.use_deterministic_algorithms(False)
    assert t.tolist() == [3.0, 0.0, 5.0]
