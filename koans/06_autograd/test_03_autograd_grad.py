"""torch.autograd.grad: gradients returned rather than accumulated, and gradients of gradients."""

import pytest
import torch

from kata import __


def test_autograd_grad_returns_a_tuple():
    """torch.autograd.grad(outputs, inputs) returns the gradients as a tuple with one entry per input, even for a single input.

    Hint: the container's type is one of Python's built-in sequences, the immutable one.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    grads = torch.autograd.grad((x * x).sum(), x)
    assert type(grads) == __
    assert grads[0].tolist() == __


def test_autograd_grad_leaves_dot_grad_untouched():
    """Unlike backward(), torch.autograd.grad hands the gradients back to the caller and does not write them into the leaves' .grad.

    Hint: nothing has ever been stored in x.grad.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    torch.autograd.grad((x * x).sum(), x)
    assert x.grad is __


def test_autograd_grad_can_target_a_non_leaf():
    """torch.autograd.grad can differentiate with respect to any tensor in the graph, including a non-leaf, without retain_grad().

    Hint: z = y * y summed, so dz/dy = 2 * y, and y = x + 1.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x + 1
    z = (y * y).sum()
    (gy,) = torch.autograd.grad(z, y)
    assert gy.tolist() == __


def test_unused_input_is_an_error():
    """By default torch.autograd.grad raises if one of the requested inputs does not take part in computing the output.

    Hint: the message says what b appears not to have been, as far as the graph is concerned.
    """
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    with pytest.raises(RuntimeError, match=__):
        torch.autograd.grad(a * 5, [a, b])


def test_allow_unused_gives_none_for_unused_inputs():
    """With allow_unused=True, an input the output does not depend on gets None instead of a gradient.

    Hint: the output depends on a only.
    """
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    ga, gb = torch.autograd.grad(a * 5, [a, b], allow_unused=True)
    assert ga.item() == __
    assert gb is __


def test_create_graph_allows_second_derivatives():
    """create_graph=True records the backward computation itself, so the returned gradient can be differentiated again.

    Hint: for z ** 3 the first derivative is 3 * z ** 2 and the second is 6 * z, at z = 3.
    """
    z = torch.tensor(3.0, requires_grad=True)
    (dz,) = torch.autograd.grad(z**3, z, create_graph=True)
    (d2z,) = torch.autograd.grad(dz, z)
    assert dz.item() == __
    assert d2z.item() == __


def test_gradient_without_create_graph_is_a_constant():
    """Without create_graph=True the gradient returned is not part of any graph, so it does not require grad.

    Hint: the backward pass itself was not recorded.
    """
    z = torch.tensor(3.0, requires_grad=True)
    (dz,) = torch.autograd.grad(z**3, z)
    assert dz.requires_grad == __
