"""torch.utils.checkpoint: trade compute for memory by running a block's forward again during backward, and the two implementations (reentrant and non-reentrant)."""

import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint

from kata import __


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
    assert calls == __
    assert x.grad.tolist() == __


def test_reentrant_checkpoint_needs_an_input_that_requires_grad():
    """The reentrant implementation (use_reentrant=True) is a custom autograd Function of its tensor inputs: if none of them requires grad, its output does not either, and the block's own parameters get no gradient. The non-reentrant one hooks the saved tensors instead and sees the parameters.

    Hint: list the tensor arguments the reentrant Function receives; the weight is not among them. For the other, d(w * x)/dw.
    """
    def grad_of_weight(use_reentrant):
        lin = nn.Linear(1, 1, bias=False)
        nn.init.constant_(lin.weight, 2.0)
        out = checkpoint(lin, torch.tensor([[3.0]]), use_reentrant=use_reentrant)
        if out.requires_grad:
            out.sum().backward()
        return lin.weight.grad

    assert grad_of_weight(use_reentrant=True) is __
    assert grad_of_weight(use_reentrant=False).item() == __


def test_reentrant_checkpoint_serves_only_a_backward_into_every_leaf():
    """The reentrant implementation runs a plain backward of its own inside the outer pass, which cannot know which tensors that pass was asked for: it works only under a .backward() that accumulates into every leaf it reaches, and raises RuntimeError under a pass that computes gradients for chosen tensors only. The non-reentrant one recomputes through saved-tensor hooks and serves any pass.

    Hint: for each call, ask who chose the tensors that get gradients: autograd, or the caller.
    """
    def failing(use_reentrant):
        asks = {
            "backward": lambda y, x: y.backward(),
            "autograd.grad": lambda y, x: torch.autograd.grad(y, x),
            "backward(inputs=...)": lambda y, x: y.backward(inputs=[x]),
        }
        failed = []
        for name, ask in asks.items():
            x = torch.tensor([1.0, 2.0], requires_grad=True)
            try:
                ask(checkpoint(Counted(), x, use_reentrant=use_reentrant), x)
            except RuntimeError:
                failed.append(name)
        return failed

    assert failing(use_reentrant=True) == __
    assert failing(use_reentrant=False) == __
