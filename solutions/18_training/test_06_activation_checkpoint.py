"""torch.utils.checkpoint: trade compute for memory by running a block's forward again during backward, and the two implementations (reentrant and non-reentrant)."""

import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint

from kata import __, raises


class Counted(nn.Module):
    """A block that counts how often its forward runs."""

    def __init__(self):
        super().__init__()
        self.calls = 0

    def forward(self, x):
        self.calls += 1
        return (x * x).sum()


def test_each_backward_runs_the_block_again():
    """checkpoint(fn, x) runs fn once in the forward pass and keeps only its inputs, not its intermediate activations; every backward through it runs fn again to rebuild them, and the gradients are those of the plain forward.

    Hint: count one forward, then one per backward; the two backwards add into x.grad.
    """
    block = Counted()
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = checkpoint(block, x, use_reentrant=False)
    calls = [block.calls]
    y.backward(retain_graph=True)
    calls.append(block.calls)
    y.backward()
    calls.append(block.calls)
    assert calls == [1, 2, 3]
    assert x.grad.tolist() == [4.0, 8.0]


def test_reentrant_checkpoint_needs_an_input_that_requires_grad():
    """The reentrant implementation (use_reentrant=True) is a custom autograd Function of its tensor inputs: if none of them requires grad, its output does not either, and the block's own parameters get no gradient. The non-reentrant one hooks the saved tensors instead and sees the parameters.

    Hint: the input here is data, not a parameter; the weight is 2 and the input 3.
    """
    def grad_of_weight(use_reentrant):
        lin = nn.Linear(1, 1, bias=False)
        nn.init.constant_(lin.weight, 2.0)
        out = checkpoint(lin, torch.tensor([[3.0]]), use_reentrant=use_reentrant)
        if out.requires_grad:
            out.sum().backward()
        return lin.weight.grad

    assert grad_of_weight(use_reentrant=True) is None
    assert grad_of_weight(use_reentrant=False).item() == 3.0


def test_reentrant_checkpoint_only_supports_backward():
    """The reentrant implementation runs its own backward inside the outer one, so it only works with .backward() and no `inputs`; the non-reentrant one also works with torch.autograd.grad.

    Hint: which call asked for gradients in a way the reentrant one cannot serve?
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (grad,) = torch.autograd.grad(checkpoint(Counted(), x, use_reentrant=False), x)
    assert grad.tolist() == [2.0, 4.0]
    with raises(RuntimeError, match=r"\.grad\(\)"):
        torch.autograd.grad(checkpoint(Counted(), x, use_reentrant=True), x)
