"""torch.autograd.grad: gradients returned rather than accumulated, and gradients of gradients."""

import math

import pytest
import torch

from kata import __, raises


def test_autograd_grad_returns_instead_of_accumulating():
    """torch.autograd.grad(outputs, inputs) returns the gradients as a tuple with one entry per input and, unlike backward(), does not touch the inputs' .grad.

    Hint: keep track of which call wrote into x.grad.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    grads = torch.autograd.grad((x * x).sum(), x)
    assert [type(grads).__name__, grads[0].tolist(), x.grad.tolist()] == __


def test_autograd_grad_can_target_a_non_leaf():
    """torch.autograd.grad can differentiate with respect to any tensor in the graph, including a non-leaf, without retain_grad().

    Hint: treat y as the variable; evaluate at y's values.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x + 1
    z = (y * y).sum()
    (gy,) = torch.autograd.grad(z, y)
    assert gy.tolist() == __


def test_unused_input_is_an_error():
    """By default torch.autograd.grad raises if one of the requested inputs does not take part in computing the output.

    Hint: what does the message say b appears to be, from the graph's point of view?
    """
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    with raises(RuntimeError, match=__):
        torch.autograd.grad(a * 5, [a, b])


def test_allow_unused_and_materialize_grads():
    """With allow_unused=True an input the output does not depend on gets no tensor at all in its slot, Python's value for nothing; adding materialize_grads=True puts zeros there instead.

    Hint: the output depends on a only.
    """
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    _, gb = torch.autograd.grad(a * 5, [a, b], allow_unused=True)
    _, gb_zero = torch.autograd.grad(a * 5, [a, b], allow_unused=True, materialize_grads=True)
    assert gb is __
    assert gb_zero.item() == __


def test_create_graph_allows_second_derivatives():
    """create_graph=True records the backward computation itself, so the returned gradient requires grad and can be differentiated again; without it the gradient is a constant.

    Hint: differentiate z ** 3 twice by hand, at z = 3.
    """
    z = torch.tensor(3.0, requires_grad=True)
    (plain,) = torch.autograd.grad(z**3, z)
    (dz,) = torch.autograd.grad(z**3, z, create_graph=True)
    (d2z,) = torch.autograd.grad(dz, z)
    assert [plain.requires_grad, dz.requires_grad] == __
    assert [dz.item(), d2z.item()] == __


def test_gradients_at_non_differentiable_points_follow_a_convention():
    """Where a function has no derivative, autograd uses the formula's value there, a fixed convention: relu and abs give 0 at 0, sqrt's formula gives an infinite slope at 0, and max() over tied maxima splits the gradient evenly among them, while max(dim) sends it all to the index it returned (the first).

    Hint: the formulas: relu uses x > 0, abs uses sign(x), sqrt uses 1 / (2 * sqrt(x)).
    """
    grads = []
    for f in (torch.relu, torch.abs, torch.sqrt):
        x = torch.tensor([0.0], requires_grad=True)
        f(x).sum().backward()
        grads.append(x.grad.item())
    assert grads == __
    m = torch.tensor([1.0, 1.0, 0.0], requires_grad=True)
    m.max().backward()
    n = torch.tensor([1.0, 1.0, 0.0], requires_grad=True)
    n.max(dim=0).values.backward()
    assert [m.grad.tolist(), n.grad.tolist()] == __
