"""torch.func.jvp and torch.func.vjp: one Jacobian-vector product without building the Jacobian."""

import pytest
import torch
from torch.func import jvp, vjp

from kata import __


def mix(x):
    return torch.stack([x[0] * x[1], x[1] + x[2]])


def test_jvp_returns_the_output_and_the_directional_derivative():
    """jvp(f, primals, tangents) takes tuples, as in f(*primals), and returns the pair (f(*primals), J @ tangent): the value and how it changes along the tangent.

    Hint: the Jacobian of an elementwise function is diagonal.
    """
    out, tangent = jvp(lambda x: x**2, (torch.tensor([1.0, 2.0, 3.0]),), (torch.tensor([1.0, 0.0, -1.0]),))
    assert out.tolist() == [1.0, 4.0, 9.0]
    assert tangent.tolist() == [2.0, 0.0, -6.0]


def test_jvp_with_a_basis_vector_gives_a_jacobian_column():
    """With the j-th basis vector as tangent, jvp returns column j of the Jacobian: the derivative of every output with respect to input j.

    Hint: which input does the tangent pick?
    """
    _, column = jvp(mix, (torch.tensor([2.0, 3.0, 4.0]),), (torch.tensor([0.0, 1.0, 0.0]),))
    assert column.tolist() == [2.0, 1.0]


def test_jvp_of_two_primals_adds_their_contributions():
    """With several primals, each gets a tangent, and the output's tangent is the sum of what each input's tangent contributes: the total derivative.

    Hint: the product rule, with a moving along ta and b along tb.
    """
    a, b = torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])
    ta, tb = torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])
    _, tangent = jvp(torch.mul, (a, b), (ta, tb))
    assert tangent.tolist() == [3.0, 2.0]


def test_vjp_returns_the_output_and_a_pullback():
    """vjp(f, *primals) returns f(*primals) and a pullback function; calling it with a cotangent v returns a tuple with one gradient per primal, v @ J for that primal.

    Hint: for an elementwise product the Jacobian with respect to one factor is diagonal, holding the other factor.
    """
    out, pullback = vjp(torch.mul, torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]))
    grads = pullback(torch.tensor([1.0, 10.0]))
    assert len(grads) == 2
    assert grads[1].tolist() == [1.0, 20.0]


def test_vjp_with_a_basis_vector_gives_a_jacobian_row():
    """The pullback computes v @ J; with the i-th basis vector as v it returns row i of the Jacobian, the gradient of output i.

    Hint: which output does v pick?
    """
    _, pullback = vjp(mix, torch.tensor([2.0, 3.0, 4.0]))
    (row,) = pullback(torch.tensor([1.0, 0.0]))
    assert row.tolist() == [3.0, 2.0, 0.0]
