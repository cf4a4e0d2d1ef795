"""Tensor.register_hook: watching and rewriting the gradient that flows into a tensor."""

import pytest
import torch

from kata import __


def test_a_hook_can_replace_the_gradient():
    """A tensor hook is called with the gradient flowing into the tensor; if it returns a tensor, that tensor is used instead.

    Hint: d(sum(3 * x))/dx is 3 for each element, and the hook changes it before it reaches x.grad.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g * 2)
    (x * 3).sum().backward()
    assert x.grad.tolist() == [6.0, 6.0]


def test_a_hook_returning_none_only_observes():
    """A hook that returns None leaves the gradient unchanged, which makes it a way to look at gradients.

    Hint: list.append returns None; d(x * x)/dx = 2 * x.
    """
    seen = []
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: seen.append(g.tolist()))
    (x * x).sum().backward()
    assert seen == [[2.0, 4.0]]
    assert x.grad.tolist() == [2.0, 4.0]


def test_hooks_run_in_registration_order_and_chain():
    """Several hooks on one tensor run in the order they were registered, each receiving the gradient returned by the one before.

    Hint: the incoming gradient is 1 for each element.
    """
    order = []

    def add_one(g):
        order.append("add_one")
        return g + 1

    def times_ten(g):
        order.append("times_ten")
        return g * 10

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(add_one)
    x.register_hook(times_ten)
    x.sum().backward()
    assert order == ["add_one", "times_ten"]
    assert x.grad.tolist() == [20.0, 20.0]


def test_a_hook_on_a_non_leaf_changes_what_flows_further_back():
    """A hook on an intermediate tensor rewrites the gradient before it is propagated to the tensors that one was computed from.

    Hint: dy/dx = 3, and the gradient arriving at y is multiplied by 10 on the way.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.register_hook(lambda g: g * 10)
    y.sum().backward()
    assert x.grad.tolist() == [30.0, 30.0]


def test_a_hook_on_a_non_leaf_sees_the_gradient_with_respect_to_it():
    """A hook on a non-leaf receives the gradient of the output with respect to that tensor, even though its .grad is never filled.

    Hint: the output is the sum of y * y, whose derivative with respect to y is 2 * y, and y = 2 * x.
    """
    seen = []
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.register_hook(lambda g: seen.append(g.tolist()))
    (y * y).sum().backward()
    assert seen == [[4.0, 8.0]]


def test_a_leaf_hook_sees_each_incoming_gradient_not_the_total():
    """A hook on a leaf runs on each new gradient before it is added to .grad, so it never sees the accumulated total.

    Hint: two backward passes each bring a gradient of 3.
    """
    seen = []
    x = torch.tensor([1.0], requires_grad=True)
    x.register_hook(lambda g: seen.append(g.item()))
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    assert seen == [3.0, 3.0]
    assert x.grad.item() == 6.0


def test_remove_unregisters_a_hook():
    """register_hook returns a RemovableHandle; calling its remove() unregisters the hook, so later backward passes do not call it.

    Hint: the hook was removed between the two backward passes.
    """
    calls = []
    x = torch.tensor([1.0], requires_grad=True)
    handle = x.register_hook(lambda g: calls.append("called"))
    (x * 3).sum().backward()
    handle.remove()
    (x * 3).sum().backward()
    assert len(calls) == 1


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

    Hint: the message describes the tensor by the flag it lacks, with the flag's last word spelt out in full.
    """
    t = torch.ones(2)
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        t.register_hook(lambda g: g)
