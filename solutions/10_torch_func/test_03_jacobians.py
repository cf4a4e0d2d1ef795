"""jacrev, jacfwd and hessian: whole derivative matrices from reverse and forward mode."""

import pytest
import torch
from torch.func import hessian, jacfwd, jacrev

from kata import __


def mix(x):
    return torch.stack([x[0] * x[1], x[1] + x[2]])


def test_jacobian_shape_is_output_shape_then_input_shape():
    """The Jacobian of f has shape f(x).shape + x.shape: one entry for each pair of output element and input element.

    Hint: work out the shape of f(x) first.
    """
    jac = jacrev(lambda x: x.sum(dim=0))(torch.ones(2, 3))
    assert jac.shape == (3, 2, 3)


def test_jacobian_rows_are_outputs_and_columns_are_inputs():
    """jac[i][j] is the derivative of output i with respect to input j.

    Hint: read mix's two outputs off its code and differentiate each by x0, x1, x2.
    """
    jac = jacrev(mix)(torch.tensor([2.0, 3.0, 4.0]))
    assert jac.tolist() == [[3.0, 2.0, 0.0], [0.0, 1.0, 1.0]]


def test_jacfwd_and_jacrev_agree():
    """jacrev builds the Jacobian from its rows (vector-Jacobian products, reverse mode), jacfwd from its columns (Jacobian-vector products, forward mode); the matrix is the same.

    Hint: output i is sum(x) * x_i; use the product rule and differentiate it by each x_j.
    """
    f = lambda x: x.sum() * x
    x = torch.tensor([1.0, 2.0])
    assert torch.equal(jacfwd(f)(x), jacrev(f)(x))
    assert jacfwd(f)(x).tolist() == [[4.0, 1.0], [2.0, 5.0]]


def test_jacrev_argnums_picks_the_input():
    """Like grad, jacrev takes argnums and builds the Jacobian with respect to the argument at that position.

    Hint: each output element depends on one element of b only, so most entries are zero.
    """
    a = torch.tensor([1.0, 2.0])
    b = torch.tensor([5.0, 6.0])
    assert jacrev(lambda a, b: a * b**2, argnums=1)(a, b).tolist() == [[10.0, 0.0], [0.0, 24.0]]


def test_hessian_of_a_quadratic_form():
    """hessian(f) is the Jacobian of the gradient: entry (i, j) is the second derivative of f by x_i then x_j. For a quadratic form it does not depend on x.

    Hint: expand x @ A @ x into a polynomial in x0 and x1.
    """
    A = torch.tensor([[1.0, 2.0], [0.0, 3.0]])
    h = hessian(lambda x: x @ A @ x)(torch.tensor([5.0, -7.0]))
    assert h.tolist() == [[2.0, 2.0], [2.0, 6.0]]
