"""Forward-mode AD with dual numbers: torch.autograd.forward_ad's dual_level, make_dual and unpack_dual."""

import pytest
import torch
import torch.autograd.forward_ad as fwAD

from kata import __, raises


def test_make_dual_needs_a_dual_level():
    """Dual tensors live inside a `with fwAD.dual_level():` block, which enters a level on the way in and exits it on the way out; make_dual outside one raises a RuntimeError that names the function to call first.

    Hint: the context manager is a wrapper; the message names what it calls on entry.
    """
    with raises(RuntimeError, match=__):
        fwAD.make_dual(torch.tensor([1.0]), torch.tensor([1.0]))


def test_tangent_follows_the_chain_rule():
    """make_dual(primal, tangent) pairs a value with a direction; every op carries the tangent forward (its derivative times the incoming tangent), and unpack_dual(out).tangent reads the result.

    Hint: differentiate x * x * x, element by element.
    """
    with fwAD.dual_level():
        x = fwAD.make_dual(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 0.0, 2.0]))
        tangent = fwAD.unpack_dual(x * x * x).tangent
    assert tangent.tolist() == __


def test_a_reduction_gives_a_directional_derivative():
    """For a scalar output the tangent is the directional derivative: the gradient dotted with the input tangent.

    Hint: differentiate sum(x**3) by each element, then dot with the direction.
    """
    with fwAD.dual_level():
        x = fwAD.make_dual(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 0.0, 1.0]))
        tangent = fwAD.unpack_dual((x**3).sum()).tangent
    assert tangent.item() == __


def test_only_tensors_computed_from_a_dual_carry_a_tangent():
    """A tangent starts at make_dual and spreads only through ops that read a dual tensor; a tensor that never met one is a constant, with no tangent, even inside a dual level.

    Hint: a constant factor scales the tangent of the product.
    """
    with fwAD.dual_level():
        c = torch.ones(2) + 1
        x = fwAD.make_dual(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 3.0]))
        constant_tangent = fwAD.unpack_dual(c).tangent
        product_tangent = fwAD.unpack_dual(x * c).tangent
    assert constant_tangent is __
    assert product_tangent.tolist() == __


def test_tangents_belong_to_their_dual_level():
    """A tangent belongs to the dual level it was made in: exiting the level clears every tangent made inside it, and the tensors keep their primal values.

    Hint: unpack_dual is called after the with block.
    """
    with fwAD.dual_level():
        x = fwAD.make_dual(torch.tensor([1.0, 2.0]), torch.ones(2))
        y = x * x
    assert fwAD.unpack_dual(y).primal.tolist() == __
    assert fwAD.unpack_dual(y).tangent is __


def test_tangent_shape_must_match_the_primal():
    """A tangent pairs with its primal element by element, position by position, so make_dual compares their sizes, not their numbers of elements, and raises a RuntimeError saying what about them differs.

    Hint: both tensors here hold six elements.
    """
    with fwAD.dual_level():
        with raises(RuntimeError, match=__):
            fwAD.make_dual(torch.ones(2, 3), torch.ones(3, 2))
