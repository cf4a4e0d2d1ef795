"""torch.utils.checkpoint: trade compute for memory by running a block's forward again during backward."""

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


def test_checkpointed_forward_runs_once_in_the_forward_pass():
    """checkpoint(fn, x, use_reentrant=False) runs fn once in the forward pass and keeps only its inputs, not its intermediate activations.

    Hint: no backward has happened yet.
    """
    block = Counted()
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    checkpoint(block, x, use_reentrant=False)
    assert block.calls == 1


def test_backward_runs_the_forward_again():
    """During backward, a checkpointed block recomputes its forward to rebuild the activations it did not keep.

    Hint: one forward in the forward pass, one more during backward.
    """
    block = Counted()
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    checkpoint(block, x, use_reentrant=False).backward()
    assert block.calls == 2


def test_checkpoint_gives_the_usual_gradients():
    """Recomputation changes memory use, not results: the gradients equal those of the plain forward.

    Hint: the gradient of sum(x * x) is 2 * x.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    checkpoint(Counted(), x, use_reentrant=False).backward()
    assert x.grad.tolist() == [2.0, 4.0]


def test_checkpoint_under_no_grad_builds_no_graph():
    """Under torch.no_grad() there is no backward to prepare for, so the output does not require grad.

    Hint: is there anything to backpropagate?
    """
    block = Counted()
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        y = checkpoint(block, x, use_reentrant=False)
    assert y.requires_grad is False
