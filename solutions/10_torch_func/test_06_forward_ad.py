"""Forward-mode AD with dual numbers: torch.autograd.forward_ad's dual_level, make_dual and unpack_dual."""

import pytest
import torch
import torch.autograd.forward_ad as fwAD

from kata import __, raises


def test_make_dual_needs_a_dual_level():
    """Dual tensors live inside a `with fwAD.dual_level():` block; calling make_dual outside one raises a RuntimeError.

    Hint: outside the block no dual level has been entered; the message says, in three words, that none exists.
    """
    with raises(RuntimeError, match="no level exists"):
        fwAD.make_dual(torch.tensor([1.0]), torch.tensor([1.0]))


def test_tangent_follows_the_chain_rule():
    """make_dual(primal, tangent) pairs a value with a direction; every op carries the tangent forward, and unpack_dual(out).tangent reads the result.

    Hint: the tangent of x * x is 2 * x * t, with t all ones here.
    """
    with fwAD.dual_level():
        x = fwAD.make_dual(torch.tensor([1.0, 2.0, 3.0]), torch.ones(3))
        tangent = fwAD.unpack_dual(x * x).tangent
    assert tangent.tolist() == [2.0, 4.0, 6.0]


def test_a_reduction_gives_a_directional_derivative():
    """For a scalar output the tangent is the directional derivative: the gradient dotted with the input tangent.

    Hint: the gradient of sum(x**3) is 3 * x**2; the direction is [1, 0, 1] at x = [1, 2, 3].
    """
    with fwAD.dual_level():
        x = fwAD.make_dual(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 0.0, 1.0]))
        tangent = fwAD.unpack_dual((x**3).sum()).tangent
    assert tangent.item() == 30.0


def test_plain_tensor_has_no_tangent():
    """A tensor that never met make_dual has no tangent, even inside a dual level: unpack_dual reports None for it.

    Hint: torch.ones is not a dual tensor.
    """
    with fwAD.dual_level():
        tangent = fwAD.unpack_dual(torch.ones(2) + 1).tangent
    assert tangent is None


def test_tangents_vanish_when_the_level_exits():
    """Leaving the dual_level block discards every tangent made inside it; the tensors keep only their primal values.

    Hint: unpack_dual is called after the with block.
    """
    with fwAD.dual_level():
        x = fwAD.make_dual(torch.tensor([1.0, 2.0]), torch.ones(2))
        y = x * x
    assert fwAD.unpack_dual(y).tangent is None


def test_tangent_shape_must_match_the_primal():
    """The tangent must have exactly the primal's size; make_dual raises a RuntimeError otherwise.

    Hint: the tangent has 2 elements and the primal 3; the message says what about them differs.
    """
    with fwAD.dual_level():
        with raises(RuntimeError, match="different size"):
            fwAD.make_dual(torch.tensor([1.0, 2.0, 3.0]), torch.ones(2))
