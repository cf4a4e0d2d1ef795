"""Whole-module operations: train/eval, apply, freezing, dtype conversion, lazy modules."""

import torch
import torch.nn.functional as F
from torch import nn

from kata import __


class Counter(nn.Module):
    """A Linear plus one integer and one floating buffer."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 2)
        self.register_buffer("steps", torch.zeros(3, dtype=torch.long))
        self.register_buffer("scale", torch.ones(3))


def test_eval_propagates_to_every_descendant():
    """eval() sets training=False on the module and recursively on all its submodules; it is the same as train(False).

    Hint: the Dropout is a child of the Sequential.
    """
    net = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))
    net.eval()
    assert net[1].training == False


def test_train_on_a_child_does_not_touch_the_parent():
    """train() and eval() propagate downwards only: switching one child back to training leaves its parent's flag as it was.

    Hint: the flag flows from parent to children, never upwards.
    """
    net = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))
    net.eval()
    net[1].train()
    assert (net.training, net[1].training) == (False, True)


def test_apply_visits_every_module():
    """apply(fn) calls fn on every submodule (children first) and then on the module itself, which makes it the usual way to run custom initialisation.

    Hint: fn fills only the Linear layers; count the weights of both.
    """
    net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))

    def init(module):
        if isinstance(module, nn.Linear):
            nn.init.constant_(module.weight, 1.0)

    net.apply(init)
    assert sum(p.sum().item() for name, p in net.named_parameters() if name.endswith("weight")) == 9.0


def test_requires_grad_false_freezes_every_parameter():
    """module.requires_grad_(False) turns off requires_grad on all its parameters in place; with a frozen layer and an input that needs no grad, the output is outside autograd entirely.

    Hint: nothing in the computation requires grad any more.
    """
    linear = nn.Linear(2, 2)
    linear.requires_grad_(False)
    out = linear(torch.ones(1, 2))
    assert out.requires_grad == False


def test_frozen_layer_still_passes_gradients_through():
    """Freezing a layer stops gradients for its own parameters only: if the input requires grad, the output still does, so earlier layers keep training.

    Hint: the input x requires grad.
    """
    linear = nn.Linear(2, 2)
    linear.requires_grad_(False)
    x = torch.ones(1, 2, requires_grad=True)
    out = linear(x)
    out.sum().backward()
    assert out.requires_grad == True
    assert linear.weight.grad is None


def test_half_converts_parameters_and_floating_buffers_only():
    """Module.half() (like double() and to(dtype)) casts floating-point parameters and buffers but leaves integer buffers, such as counters, alone.

    Hint: 'steps' holds integers, 'scale' holds floats.
    """
    m = Counter().half()
    assert m.linear.weight.dtype == torch.float16
    assert m.steps.dtype == torch.int64
    assert m.scale.dtype == torch.float16


def test_module_to_is_in_place_unlike_tensor_to():
    """Module.to() converts the module in place and returns the same module, whereas Tensor.to() returns a new tensor when it has to convert.

    Hint: compare object identities.
    """
    linear = nn.Linear(2, 2)
    t = torch.ones(2)
    assert (linear.to(torch.float64) is linear) == True
    assert (t.to(torch.float64) is t) == False


def test_lazy_linear_infers_in_features_on_first_call():
    """A LazyLinear leaves in_features unknown (0) until its first forward, when it reads it from the input's last dimension and turns itself into a plain Linear.

    Hint: the weight of a Linear has shape (out_features, in_features).
    """
    lazy = nn.LazyLinear(4)
    assert lazy.in_features == 0
    lazy(torch.zeros(3, 5))
    assert lazy.weight.shape == (4, 5)
    assert type(lazy) is nn.Linear


def test_functional_form_takes_the_weights_as_arguments():
    """torch.nn.functional holds the stateless forms of the layers: F.linear(x, weight, bias) computes what an nn.Linear with those parameters computes.

    Hint: x @ weight.T + bias, with an all-ones weight.
    """
    x = torch.tensor([[1.0, 2.0]])
    weight = torch.ones(3, 2)
    bias = torch.tensor([0.0, 1.0, 2.0])
    assert F.linear(x, weight, bias).tolist() == [[3.0, 4.0, 5.0]]
