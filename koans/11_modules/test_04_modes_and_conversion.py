"""Whole-module operations: train/eval, apply, freezing, dtype conversion, lazy modules."""

import torch
import torch.nn.functional as F
from torch import nn

from kata import __, raises


class Counter(nn.Module):
    """A Linear plus one integer and one floating buffer."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 2)
        self.register_buffer("steps", torch.zeros(3, dtype=torch.long))
        self.register_buffer("scale", torch.ones(3))


def test_eval_propagates_to_every_descendant():
    """eval() sets training to False on the module and recursively on all its submodules. Dropout reads its own flag on every call: while training it zeros each element with probability p and scales the others by 1 / (1 - p); in eval mode it returns its input.

    Hint: the Dropout sits two levels down; with p=1.0 nothing survives training mode.
    """
    net = nn.Sequential(nn.Identity(), nn.Sequential(nn.Dropout(p=1.0)))
    x = torch.ones(3)
    in_training = net(x)
    net.eval()
    in_eval = net(x)
    assert in_training.tolist() == __
    assert in_eval.tolist() == __


def test_train_on_a_child_does_not_touch_the_parent():
    """train() and eval() set the flag of the module they are called on and of all its descendants, and of nothing above it.

    Hint: apply the three calls in order, each to its own subtree.
    """
    net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Dropout(0.5), nn.Dropout(0.5)))
    net.eval()
    net[1].train()
    net[1][0].eval()
    assert [m.training for m in net.modules()] == __


def test_apply_visits_every_module():
    """apply(fn) calls fn on every submodule, depth first and children before their parent, and last on the module itself, which makes it the usual way to run custom initialisation.

    Hint: fn fills only the Linear layers' weights; count their elements.
    """
    net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    visited = []

    def init(module):
        visited.append(type(module).__name__)
        if isinstance(module, nn.Linear):
            nn.init.constant_(module.weight, 1.0)

    net.apply(init)
    assert visited == __
    assert sum(p.sum().item() for name, p in net.named_parameters() if name.endswith("weight")) == __


def test_freezing_stops_gradients_at_the_frozen_parameters_only():
    """module.requires_grad_(flag) sets requires_grad on all its parameters; frozen ones (flag off) get no .grad. A frozen layer still passes gradients through to whatever computed its input, if that needs grad.

    Hint: for each case, ask which tensors the graph reaches from the loss.
    """
    x = torch.ones(1, 2)
    first_frozen = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2))
    first_frozen[0].requires_grad_(False)
    assert first_frozen[0](x).requires_grad is __
    first_frozen(x).sum().backward()
    assert [p.grad is None for p in first_frozen.parameters()] == __

    last_frozen = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2))
    last_frozen[1].requires_grad_(False)
    last_frozen(x).sum().backward()
    assert [p.grad is None for p in last_frozen.parameters()] == __


def test_double_converts_parameters_and_floating_buffers_only():
    """Module.double() (like half() and to(dtype)) casts floating-point parameters and buffers, but leaves integer buffers, such as counters, as they are.

    Hint: look at how Counter creates each buffer.
    """
    m = Counter().double()
    assert m.linear.weight.dtype == __
    assert m.steps.dtype == __
    assert m.scale.dtype == __


def test_module_to_is_in_place_unlike_tensor_to():
    """Module.to() converts the module's own tensors in place and returns the module itself; Tensor.to() leaves its tensor alone, returning a new tensor when something must change and the tensor itself when nothing does.

    Hint: ask for each object what it holds after the calls.
    """
    linear = nn.Linear(2, 2)
    t = torch.ones(2)
    linear.to(torch.float64)
    t.to(torch.float64)
    assert linear.weight.dtype == __
    assert t.dtype == __
    assert (t.to(torch.float32) is t) == __


def test_lazy_linear_infers_in_features_on_first_call():
    """A LazyLinear leaves in_features unknown until its first forward, when it reads it from the input's last dimension, creates its weight and turns itself into a plain Linear for good. A later input must then fit that weight: Linear computes input @ weight.T, and a mismatch names both matrices' shapes.

    Hint: the error writes each shape as rows x columns, the input first.
    """
    lazy = nn.LazyLinear(4)
    assert lazy.in_features == 0
    lazy(torch.zeros(3, 5))
    assert lazy.weight.shape == __
    assert type(lazy) is nn.Linear
    with raises(RuntimeError, match=__):
        lazy(torch.zeros(3, 6))


def test_functional_form_takes_the_weights_as_arguments():
    """torch.nn.functional holds the stateless forms of the layers: F.linear(x, weight, bias) computes what an nn.Linear with those parameters computes.

    Hint: each output is the dot product of x with one row of weight, plus that output's bias.
    """
    x = torch.tensor([[1.0, 2.0]])
    weight = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    bias = torch.tensor([0.0, 1.0, 2.0])
    assert F.linear(x, weight, bias).tolist() == __
