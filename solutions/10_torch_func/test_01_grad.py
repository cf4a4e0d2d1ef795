"""torch.func.grad: a transform that turns a scalar function into its gradient function."""

import pytest
import torch
from torch.func import grad

from kata import __, raises


def sum_of_squares(x):
    return (x**2).sum()


def test_grad_returns_the_gradient_function():
    """grad(f) does not compute anything yet: it returns a new function that, called on x, returns the gradient of f at x.

    Hint: the derivative of x**2 is 2 * x, element by element.
    """
    df = grad(sum_of_squares)
    assert df(torch.tensor([1.0, 2.0, 3.0])).tolist() == [2.0, 4.0, 6.0]


def test_grad_needs_a_scalar_output():
    """grad only differentiates functions that return a 0-dimensional tensor; a vector output (even one of length 1) raises a RuntimeError that points to vjp or jacrev.

    Hint: the message calls a 0-dimensional tensor by its usual one-word name, then says how many dims it got.
    """
    with raises(RuntimeError, match="to return a scalar Tensor"):
        grad(lambda x: x**2)(torch.tensor([1.0, 2.0]))


def test_grad_refuses_a_python_number_output():
    """The output must stay a tensor: a function that returns a Python float (through .item()) has left the graph, and grad raises a RuntimeError.

    Hint: the message says which type f was expected to return, then names the type it got.
    """
    with raises(RuntimeError, match="to return a Tensor, got"):
        grad(lambda x: sum_of_squares(x).item())(torch.tensor([1.0, 2.0]))


def test_argnums_picks_the_argument_to_differentiate():
    """grad differentiates with respect to the first argument by default; argnums=1 makes it the second.

    Hint: the gradient of sum(x * y) with respect to y is x.
    """
    x = torch.tensor([1.0, 2.0])
    y = torch.tensor([10.0, 20.0])
    dy = grad(lambda a, b: (a * b).sum(), argnums=1)(x, y)
    assert dy.tolist() == [1.0, 2.0]


def test_argnums_tuple_returns_a_tuple_of_gradients():
    """With argnums=(0, 1) the gradient function returns a tuple holding one gradient per selected argument, in that order.

    Hint: sum(a**2 * b); differentiate by b in the second slot.
    """
    x = torch.tensor([1.0, 2.0])
    y = torch.tensor([10.0, 20.0])
    dx, dy = grad(lambda a, b: (a**2 * b).sum(), argnums=(0, 1))(x, y)
    assert dx.tolist() == [20.0, 80.0]
    assert dy.tolist() == [1.0, 4.0]


def test_has_aux_passes_a_second_output_through():
    """With has_aux=True the function returns (output, aux); grad differentiates the output only and returns (gradient, aux) with aux untouched.

    Hint: only sum(x**2) is differentiated; the mean rides along.
    """

    def loss_and_mean(x):
        return sum_of_squares(x), x.mean()

    g, aux = grad(loss_and_mean, has_aux=True)(torch.tensor([1.0, 2.0, 3.0]))
    assert aux.item() == 2.0
    assert g.tolist() == [2.0, 4.0, 6.0]


def test_grad_composes_for_higher_derivatives():
    """grad of a grad is the second derivative: transforms compose like functions.

    Hint: x**3, then 3 * x**2, then ... at x = 2.
    """
    d2 = grad(grad(lambda x: x**3))
    assert d2(torch.tensor(2.0)).item() == 12.0


def test_grad_leaves_dot_grad_alone():
    """grad returns gradients as values instead of accumulating them: even on a leaf that requires grad, .grad stays as it was.

    Hint: nothing ever called .backward().
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    g = grad(sum_of_squares)(x)
    assert g.tolist() == [2.0, 4.0]
    assert x.grad is None
