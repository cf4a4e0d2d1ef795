"""register_post_accumulate_grad_hook: running code once a leaf's .grad is up to date."""

import pytest
import torch

from kata import __


def test_post_accumulate_hook_receives_the_tensor():
    """A post-accumulate-grad hook is called with the leaf tensor itself, not a gradient, after the new gradient has been added to its .grad.

    Hint: the second backward pass adds 3 more to what is already there.
    """
    seen = []
    x = torch.tensor([1.0], requires_grad=True)
    x.register_post_accumulate_grad_hook(lambda p: seen.append((p is x, p.grad.item())))
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    assert seen == [(True, 3.0), (True, 6.0)]


def test_tensor_hooks_run_before_accumulation_and_post_hooks_after():
    """For a leaf, the ordinary tensor hooks run on the incoming gradient first, then it is accumulated into .grad, then the post-accumulate hooks run.

    Hint: one backward pass, one entry from each hook.
    """
    log = []
    x = torch.tensor([1.0], requires_grad=True)
    x.register_post_accumulate_grad_hook(lambda p: log.append("post"))
    x.register_hook(lambda g: log.append("tensor"))
    (x * 3).sum().backward()
    assert log == ["tensor", "post"]


def test_post_accumulate_hooks_are_for_leaves_only():
    """Only leaves accumulate into .grad, so registering a post-accumulate-grad hook on a non-leaf raises.

    Hint: the message says such hooks cannot be registered on which kind of tensor?
    """
    x = torch.tensor([1.0], requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match="non-leaf"):
        y.register_post_accumulate_grad_hook(lambda p: None)


def test_post_accumulate_hook_can_step_the_optimizer():
    """A post-accumulate-grad hook can update the parameter as soon as its gradient is ready and free the gradient, which is how "optimizer in backward" saves memory.

    Hint: each gradient is 2, and the step subtracts half of it; then .grad is cleared.
    """

    def sgd_step(p):
        with torch.no_grad():
            p.add_(p.grad, alpha=-0.5)
        p.grad = None

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    x.register_post_accumulate_grad_hook(sgd_step)
    (x * 2).sum().backward()
    assert x.tolist() == [0.0, 1.0]
    assert x.grad is None
