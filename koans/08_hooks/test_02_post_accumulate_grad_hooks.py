"""register_post_accumulate_grad_hook: running code once a leaf's .grad is up to date."""

import pytest
import torch

from kata import __, raises


def test_post_accumulate_hook_receives_the_tensor():
    """A post-accumulate-grad hook is called with the leaf tensor itself, not a gradient, after the new gradient has been added to its .grad.

    Hint: the hook reads .grad after each pass's gradient was added to it.
    """
    seen = []
    x = torch.tensor([1.0], requires_grad=True)
    x.register_post_accumulate_grad_hook(lambda p: seen.append((p is x, p.grad.item())))
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    assert seen == __


def test_tensor_hooks_run_before_accumulation_and_post_hooks_after():
    """For a leaf, the ordinary tensor hooks run on the incoming gradient first, whatever the registration order, then the result is accumulated into .grad, then the post-accumulate hooks run.

    Hint: each entry records what its hook could see at the moment it ran.
    """
    log = []

    def tensor_hook(g):
        log.append(("tensor", g.item()))
        return g * 10

    x = torch.tensor([1.0], requires_grad=True)
    x.register_post_accumulate_grad_hook(lambda p: log.append(("post", p.grad.item())))
    x.register_hook(tensor_hook)
    (x * 3).sum().backward()
    assert log == __


def test_post_accumulate_hooks_are_for_leaves_only():
    """Only leaves accumulate into .grad, so registering a post-accumulate-grad hook on a tensor computed from others raises.

    Hint: the message names the kind of tensor it refuses.
    """
    x = torch.tensor([1.0], requires_grad=True)
    y = x * 2
    with raises(RuntimeError, match=__):
        y.register_post_accumulate_grad_hook(lambda p: None)


def test_post_accumulate_hook_can_step_the_optimizer():
    """A post-accumulate-grad hook can update the parameter as soon as its gradient is ready and free the gradient, which is how "optimizer in backward" saves memory.

    Hint: the hook has already run when backward() returns; apply its step to x by hand.
    """

    def sgd_step(p):
        with torch.no_grad():
            p.add_(p.grad, alpha=-0.5)
        p.grad = None

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    x.register_post_accumulate_grad_hook(sgd_step)
    (x * 2).sum().backward()
    assert x.tolist() == __
    assert x.grad is __
