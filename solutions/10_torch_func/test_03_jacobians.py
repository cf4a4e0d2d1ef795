"""jacrev, jacfwd and hessian: whole derivative matrices from reverse and forward mode."""

import pytest
import torch
from torch.func import hessian, jacfwd, jacrev

from kata import __


def mix(x):
    return torch.stack([x[0] * x[1], x[1] + x[2]])


def test_jacobian_shape_is_output_shape_then_input_shape():
    """The Jacobian of f has shape f(x).shape + x.shape: one entry for each pair of output element and input element.

    Hint: x has shape (2, 3) and the row sums have shape (2,).
    """
    jac = jacrev(lambda x: x.sum(dim=1))(torch.ones(2, 3))
    assert jac.shape == (2, 2, 3)


def test_jacobian_rows_are_outputs_and_columns_are_inputs():
    """jac[i][j] is the derivative of output i with respect to input j.

    Hint: output 0 is x0 * x1 and output 1 is x1 + x2, at x = [2, 3, 4].
    """
    jac = jacrev(mix)(torch.tensor([2.0, 3.0, 4.0]))
    assert jac.tolist() == [[3.0, 2.0, 0.0], [0.0, 1.0, 1.0]]


def test_jacfwd_and_jacrev_agree():
    """jacrev builds the Jacobian from its rows (vector-Jacobian products, reverse mode), jacfwd from its columns (Jacobian-vector products, forward mode); the matrix is the same.

    Hint: the derivative of sum(x) * x: every entry gets x_i, the diagonal gets sum(x) on top.
    """
    f = lambda x: x.sum() * x
    x = torch.tensor([1.0, 2.0])
    assert torch.equal(jacfwd(f)(x), jacrev(f)(x))
    assert jacfwd(f)(x).tolist() == [[4.0, 1.0], [2.0, 5.0]]


def test_jacrev_argnums_picks_the_input():
    """Like grad, jacrev takes argnums; argnums=1 gives the Jacobian with respect to the second argument.

    Hint: the derivative of a * b with respect to b, elementwise, is a diagonal of a.
    """
    a = torch.tensor([1.0, 2.0])
    b = torch.tensor([5.0, 6.0])
    assert jacrev(torch.mul, argnums=1)(a, b).tolist() == [[1.0, 0.0], [0.0, 2.0]]


def test_hessian_of_a_quadratic_form():
    """hessian(f) is the Jacobian of the gradient; for f(x) = x @ A @ x it is the constant matrix A + A.T.

    Hint: A is [[1, 2], [0, 3]]; add its transpose.
    """
    A = torch.tensor([[1.0, 2.0], [0.0, 3.0]])
    h = hessian(lambda x: x @ A @ x)(torch.tensor([5.0, -7.0]))
    assert h.tolist() == [[2.0, 2.0], [2.0, 6.0]]
