"""Tensor.register_hook: watching and rewriting the gradient that flows into a tensor."""

import pytest
import torch

from kata import __, raises


def test_a_hook_can_replace_the_gradient():
    """A tensor hook is called with the gradient flowing into the tensor; if it returns a tensor, that tensor is used instead.

    Hint: what reaches x.grad is what the hook returns, not what it was given.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g * 2)
    (x * 3).sum().backward()
    assert x.grad.tolist() == [6.0, 6.0]


def test_a_hook_returning_none_only_observes():
    """A hook that returns None leaves the gradient unchanged, which makes it a way to look at gradients.

    Hint: list.append returns None; differentiate x * x * x by hand.
    """
    seen = []
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: seen.append(g.tolist()))
    (x * x * x).sum().backward()
    assert seen == [[3.0, 12.0]]


def test_hooks_run_in_registration_order_and_chain():
    """Several hooks on one tensor run in the order they were registered, each receiving the gradient returned by the one before.

    Hint: the order of the two operations matters here; the incoming gradient of a plain sum is all ones.
    """

    def add_one(g):
        return g + 1

    def times_ten(g):
        return g * 10

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(times_ten)
    x.register_hook(add_one)
    x.sum().backward()
    assert x.grad.tolist() == [11.0, 11.0]


def test_a_hook_on_a_non_leaf_changes_what_flows_further_back():
    """A hook on an intermediate tensor rewrites the gradient before it is propagated to the tensors that one was computed from.

    Hint: the chain rule multiplies by dy/dx after the hook has run.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.register_hook(lambda g: g * 10)
    y.sum().backward()
    assert x.grad.tolist() == [30.0, 30.0]


def test_a_hook_on_a_non_leaf_sees_the_gradient_with_respect_to_it():
    """A hook on a non-leaf receives the gradient of the output with respect to that tensor, even though its .grad is never filled.

    Hint: differentiate the output with respect to y, not x, and evaluate it at y's values.
    """
    seen = []
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.register_hook(lambda g: seen.append(g.tolist()))
    (y * y).sum().backward()
    assert seen == [[4.0, 8.0]]


def test_a_leaf_hook_sees_each_incoming_gradient_not_the_total():
    """The engine first sums every contribution to a tensor's gradient within one backward pass, then runs the tensor's hooks once on that sum; for a leaf this happens before the result is added to .grad, so a hook sees each pass's gradient, never the accumulated total.

    Hint: x is used twice in the first pass and once in the second.
    """
    seen = []
    x = torch.tensor([1.0], requires_grad=True)
    x.register_hook(lambda g: seen.append(g.item()))
    (x * 3 + x * 2).sum().backward()
    (x * 3).sum().backward()
    assert seen == [5.0, 3.0]
    assert x.grad.item() == 8.0


def test_remove_unregisters_a_hook():
    """register_hook returns a RemovableHandle; calling its remove() unregisters the hook, so later backward passes do not call it.

    Hint: .grad accumulates over both passes, but only one of them went through the hook.
    """
    x = torch.tensor([1.0], requires_grad=True)
    handle = x.register_hook(lambda g: g * 2)
    (x * 3).sum().backward()
    handle.remove()
    (x * 3).sum().backward()
    assert x.grad.item() == 9.0


def test_retain_grad_runs_after_the_other_hooks():
    """retain_grad() is itself a hook that stores the gradient in .grad, and autograd always runs it after the tensor's other hooks, whatever the order of registration, so .grad holds the gradient as the hooks left it.

    Hint: what does the y.grad store see: the incoming gradient or the hook's result?
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.retain_grad()
    y.register_hook(lambda g: g * 10)
    y.sum().backward()
    assert y.grad.tolist() == [10.0, 10.0]


def test_a_hook_can_clip_gradients():
    """Because the tensor a hook returns replaces the gradient, a hook can clip every element of the gradient into [-1, 1] before it reaches .grad.

    Hint: write the hook's body; Tensor.clamp takes a lower and an upper bound.
    """
    x = torch.tensor([-3.0, 0.25, 2.0], requires_grad=True)
    x.register_hook(lambda g: g.clamp(-1, 1))
    (x * x).sum().backward()
    assert x.grad.tolist() == [-1.0, 0.5, 1.0]


def test_hooks_need_a_tensor_that_requires_grad():
    """No gradient will ever flow into a tensor that does not require grad, so registering a hook on one raises.

    Hint: the message says what the tensor does not do.
    """
    t = torch.ones(2)
    with raises(RuntimeError, match="doesn't require gradient"):
        t.register_hook(lambda g: g)


def test_node_hooks_act_on_the_backward_node_itself():
    """Tensor hooks are built on node hooks: y.grad_fn.register_prehook(fn) sees and may replace the gradients arriving at the node (grad_outputs), and y.grad_fn.register_hook(fn) sees (grad_inputs, grad_outputs) after the node ran and may replace grad_inputs, one entry per input edge of the node.

    Hint: x * 3 has two inputs at the autograd level, the tensor x and the number 3, and only one of them needs a gradient.
    """
    seen = []
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.grad_fn.register_prehook(lambda gout: (gout[0] * 10,))
    y.grad_fn.register_hook(lambda gin, gout: seen.append([None if g is None else g.tolist() for g in gin]))
    y.sum().backward()
    assert seen == [[[30.0, 30.0], None]]
