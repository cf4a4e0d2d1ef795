"""backward(): filling .grad, non-scalar outputs, accumulation and the freed graph."""

import pytest
import torch

from kata import __


def test_backward_fills_the_grad_of_leaves():
    """backward() on a scalar computes its derivative with respect to every leaf that requires grad and stores it in the leaf's .grad.

    Hint: the derivative of x * x is 2 * x, element by element.
    """
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x * x).sum().backward()
    assert x.grad.tolist() == [2.0, 4.0, 6.0]


def test_backward_on_a_non_scalar_needs_a_gradient():
    """backward() without arguments only works on a single-element output; for a larger one autograd cannot invent the starting gradient.

    Hint: the message says the gradient can only be created implicitly for outputs of one kind.
    """
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * x
    with pytest.raises(RuntimeError, match="only for scalar outputs"):
        y.backward()


def test_gradient_argument_weights_each_output():
    """y.backward(gradient=v) computes the vector-Jacobian product: each output's derivative is scaled by the matching entry of v.

    Hint: dy_i/dx_i is 2 * x_i, and the other derivatives are zero.
    """
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * x
    y.backward(gradient=torch.tensor([1.0, 0.0, 10.0]))
    assert x.grad.tolist() == [2.0, 0.0, 60.0]


def test_gradients_accumulate_across_backward_calls():
    """Each backward() adds its result to whatever .grad already holds instead of overwriting it.

    Hint: the derivative of the sum of 3 * x is 3 for each element, and backward runs twice.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    assert x.grad.tolist() == [6.0, 6.0]


def test_uses_of_one_tensor_add_their_gradients():
    """When a tensor feeds several operations, the gradients arriving along each path are summed.

    Hint: x is used twice here: d(x * x)/dx plus d(x)/dx, at x = 2.
    """
    x = torch.tensor(2.0, requires_grad=True)
    (x * x + x).backward()
    assert x.grad.item() == 5.0


def test_resetting_grad_to_none_starts_afresh():
    """Setting .grad to None makes the next backward() store a newly allocated gradient, while an existing .grad would be added to in place.

    Hint: compare the object kept in g with what x.grad holds after the reset.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    g = x.grad
    x.grad = None
    (x * 3).sum().backward()
    assert (x.grad is g) == False
    assert x.grad.tolist() == [3.0, 3.0]


def test_second_backward_through_a_freed_graph_fails():
    """backward() frees the tensors the graph saved for the backward pass, so a second backward through the same graph raises.

    Hint: the message tells you that you are trying to go through the graph again.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    z = (x * x).sum()
    z.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        z.backward()


def test_retain_graph_keeps_the_graph_for_another_backward():
    """backward(retain_graph=True) keeps the saved tensors alive, so the same graph can be traversed again.

    Hint: two passes through the same graph, and gradients accumulate; d(x * x)/dx = 2 * x.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    z = (x * x).sum()
    z.backward(retain_graph=True)
    z.backward()
    assert x.grad.tolist() == [4.0, 8.0]


def test_non_leaf_grad_is_not_kept():
    """backward() stores gradients only in leaves; reading .grad of a non-leaf gives nothing and emits a UserWarning saying so.

    Hint: y is computed from x, so it is not a leaf.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.sum().backward()
    with pytest.warns(UserWarning, match="not a leaf"):
        assert y.grad is None


def test_retain_grad_keeps_a_non_leaf_grad():
    """Calling retain_grad() on a non-leaf before backward() makes autograd store that tensor's gradient in its .grad too.

    Hint: the output is the sum of y * y, whose derivative with respect to y is 2 * y, and y = 2 * x.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    (y * y).sum().backward()
    assert y.grad.tolist() == [4.0, 8.0]
