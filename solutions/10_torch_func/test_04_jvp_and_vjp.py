"""torch.func.jvp and torch.func.vjp: one Jacobian-vector product without building the Jacobian."""

import pytest
import torch
from torch.func import jvp, vjp

from kata import __, raises


def mix(x):
    return torch.stack([x[0] * x[1], x[1] + x[2]])


def test_jvp_returns_the_output_and_the_directional_derivative():
    """jvp(f, primals, tangents) returns the pair (f(*primals), J @ tangent): the value and how it changes along the tangent.

    Hint: f squares each element; the tangent picks the first input only.
    """
    out, tangent = jvp(lambda x: x**2, (torch.tensor([1.0, 2.0, 3.0]),), (torch.tensor([1.0, 0.0, 0.0]),))
    assert out.tolist() == [1.0, 4.0, 9.0]
    assert tangent.tolist() == [2.0, 0.0, 0.0]


def test_jvp_with_a_basis_vector_gives_a_jacobian_column():
    """With the j-th basis vector as tangent, jvp returns column j of the Jacobian: the derivative of every output with respect to input j.

    Hint: outputs are x0 * x1 and x1 + x2 at x = [2, 3, 4]; differentiate both by x1.
    """
    _, column = jvp(mix, (torch.tensor([2.0, 3.0, 4.0]),), (torch.tensor([0.0, 1.0, 0.0]),))
    assert column.tolist() == [2.0, 1.0]


def test_jvp_wants_tuples():
    """primals and tangents are tuples of arguments, as in f(*primals); passing a bare tensor raises a RuntimeError.

    Hint: the message names the container type jvp expected primals to be.
    """
    x = torch.tensor([1.0, 2.0])
    with raises(RuntimeError, match="Expected primals to be a tuple"):
        jvp(torch.sin, x, torch.ones(2))


def test_vjp_returns_the_output_and_a_pullback():
    """vjp(f, *primals) returns f(*primals) and a function; calling that function with a cotangent returns a tuple with one gradient per primal.

    Hint: count the primals passed to vjp.
    """
    out, pullback = vjp(torch.mul, torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]))
    grads = pullback(torch.ones(2))
    assert len(grads) == 2


def test_vjp_with_a_basis_vector_gives_a_jacobian_row():
    """The pullback computes v @ J; with the i-th basis vector as v it returns row i of the Jacobian, the gradient of output i.

    Hint: output 0 is x0 * x1 at x = [2, 3, 4].
    """
    _, pullback = vjp(mix, torch.tensor([2.0, 3.0, 4.0]))
    (row,) = pullback(torch.tensor([1.0, 0.0]))
    assert row.tolist() == [3.0, 2.0, 0.0]
