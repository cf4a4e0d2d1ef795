"""torch.func.grad: a transform that turns a scalar function into its gradient function."""

import pytest
import torch
from torch.func import grad

from kata import __, raises


def sum_of_squares(x):
    return (x**2).sum()


def test_grad_returns_the_gradient_function():
    """grad(f) does not compute anything yet: it returns a new function that, called on x, returns the gradient of f at x, one entry per element of x.

    Hint: f squares the sum; nudging any one element moves that sum by the same amount.
    """
    df = grad(lambda x: x.sum() ** 2)
    assert df(torch.tensor([1.0, 2.0, 3.0])).tolist() == [12.0, 12.0, 12.0]


def test_grad_needs_a_scalar_output():
    """grad only differentiates functions that return a 0-dimensional tensor. Anything else raises a RuntimeError that says how many dims it got and points to vjp or jacrev.

    Hint: work out the shape of the function's output; the message reads "got tensor with N dims".
    """
    with raises(RuntimeError, match="got tensor with 1 dims"):
        grad(lambda x: x.sum(dim=0))(torch.ones(2, 3))


def test_grad_refuses_a_python_number_output():
    """The output must stay a tensor: a function that leaves torch through .item() has left the graph, and grad raises a RuntimeError naming the type it got.

    Hint: the message ends with type(output) of whatever .item() returns for a float tensor.
    """
    with raises(RuntimeError, match="got <class 'float'>"):
        grad(lambda x: sum_of_squares(x).item())(torch.tensor([1.0, 2.0]))


def test_argnums_picks_the_argument_to_differentiate():
    """grad differentiates with respect to argument 0 by default; argnums picks another position, and the others are held constant.

    Hint: differentiate sum(a**2 * b) by the argument at that position.
    """
    x = torch.tensor([1.0, 2.0])
    y = torch.tensor([10.0, 20.0])
    dy = grad(lambda a, b: (a**2 * b).sum(), argnums=1)(x, y)
    assert dy.tolist() == [1.0, 4.0]


def test_argnums_tuple_returns_gradients_in_its_own_order():
    """With a tuple for argnums the gradient function returns a tuple holding one gradient per listed position, in the order argnums lists them, not the order of the arguments.

    Hint: the first slot belongs to argnums[0].
    """
    x = torch.tensor([1.0, 2.0])
    y = torch.tensor([10.0, 20.0])
    first, second = grad(lambda a, b: (a**2 * b).sum(), argnums=(1, 0))(x, y)
    assert first.tolist() == [1.0, 4.0]
    assert second.tolist() == [20.0, 80.0]


def test_has_aux_passes_a_second_output_through():
    """With has_aux=True the function returns (output, aux); grad differentiates the output only and returns (gradient, aux), aux as computed.

    Hint: the mean divides by the number of elements, and so does its gradient.
    """

    def mean_square_and_squares(x):
        squares = x**2
        return squares.mean(), squares

    g, aux = grad(mean_square_and_squares, has_aux=True)(torch.tensor([3.0, 6.0]))
    assert aux.tolist() == [9.0, 36.0]
    assert g.tolist() == [3.0, 6.0]


def test_grad_composes_for_higher_derivatives():
    """grad of a grad is the second derivative: transforms compose like functions.

    Hint: differentiate by hand twice, then put x in.
    """
    d2 = grad(grad(lambda x: x**3 - x**2))
    assert d2(torch.tensor(2.0)).item() == 10.0


def test_grad_does_not_accumulate_into_dot_grad():
    """grad returns gradients as values: it never writes a leaf's .grad. Only .backward() accumulates into .grad.

    Hint: count how many of the two calls below write into x.grad.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    grad(sum_of_squares)(x)
    sum_of_squares(x).backward()
    assert x.grad.tolist() == [2.0, 4.0]
