"""backward(): filling .grad, non-scalar outputs, accumulation and the freed graph."""

import pytest
import torch

from kata import __, raises


def test_backward_fills_the_grad_of_leaves():
    """backward() on a scalar computes its derivative with respect to every leaf that requires grad and stores it in the leaf's .grad.

    Hint: differentiate the sum element by element, by hand.
    """
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x * x * 3).sum().backward()
    assert x.grad.tolist() == __


def test_backward_on_a_non_scalar_needs_a_gradient():
    """backward() without arguments works only on a single-element output: autograd starts from a gradient of 1, which it can invent only for one element; for a larger output you must pass the starting gradient yourself.

    Hint: the message says for which outputs the gradient can be created implicitly.
    """
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x * x)[:1].backward()
    assert x.grad.tolist() == [2.0, 0.0, 0.0]
    with raises(RuntimeError, match=__):
        (x * x).backward()


def test_gradient_argument_weights_each_output():
    """y.backward(gradient=v) computes the vector-Jacobian product: each output's derivative is scaled by the matching entry of v.

    Hint: y_i depends only on x_i; multiply each derivative by its weight.
    """
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * x
    y.backward(gradient=torch.tensor([1.0, 0.0, 10.0]))
    assert x.grad.tolist() == __


def test_gradients_accumulate_across_backward_calls():
    """Each backward() adds its result to whatever .grad already holds instead of overwriting it.

    Hint: two different losses, one .grad.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    (x * x).sum().backward()
    assert x.grad.tolist() == __


def test_uses_of_one_tensor_add_their_gradients():
    """When a tensor feeds several operations, the gradients arriving along each path are summed.

    Hint: one contribution per use of x, evaluated at x = 2.
    """
    x = torch.tensor(2.0, requires_grad=True)
    (x * x + x).backward()
    assert x.grad.item() == __


def test_accumulation_is_in_place_until_grad_is_reset():
    """Accumulation adds into the existing .grad tensor in place; after .grad is set to None the next backward() stores a newly allocated tensor instead, and an old reference keeps what it held.

    Hint: g is the first gradient tensor; follow what each of the three passes does to it.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    g = x.grad
    (x * 3).sum().backward()
    x.grad = None
    (x * 3).sum().backward()
    assert [g.tolist(), x.grad.tolist()] == __


def test_backward_frees_what_the_graph_saved():
    """backward() frees the tensors the graph saved for the backward pass, so a second backward through a graph that saved something raises, and the message names the flag that would have kept them; a graph whose nodes saved nothing can be traversed again.

    Hint: the message ends with the fix.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    z = (x + 1).sum()
    z.backward()
    z.backward()
    assert x.grad.tolist() == [2.0, 2.0]
    squares = (x * x).sum()
    squares.backward()
    with raises(RuntimeError, match=__):
        squares.backward()


def test_retain_graph_keeps_the_graph_for_another_backward():
    """backward(retain_graph=True) keeps the saved tensors alive, so the same graph can be traversed again.

    Hint: two passes through the same graph, and gradients accumulate.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    z = (x * x).sum()
    z.backward(retain_graph=True)
    z.backward()
    assert x.grad.tolist() == __


def test_backward_inputs_restricts_which_grads_are_filled():
    """backward(inputs=[...]) computes and accumulates gradients only into the tensors listed; every other leaf's .grad is left alone, and a listed non-leaf gets its .grad filled.

    Hint: which of the tensors were listed?
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    w = torch.tensor([3.0, 4.0], requires_grad=True)
    y = x * w
    (y * y).sum().backward(inputs=[w, y])
    assert x.grad is __
    assert [w.grad.tolist(), y.grad.tolist()] == __


def test_retain_grad_keeps_a_non_leaf_grad():
    """backward() stores gradients only in leaves (reading .grad of a non-leaf gives None and warns), unless retain_grad() was called on the non-leaf before backward().

    Hint: the gradient with respect to y, not x, evaluated at y's values.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    (y * y).sum().backward()
    assert y.grad.tolist() == __
