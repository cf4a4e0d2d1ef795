"""torch.func.functional_call: run a module with parameters you pass in, and differentiate with respect to them."""

import pytest
import torch
from torch.func import functional_call, grad, vmap

from kata import __


def make_linear():
    lin = torch.nn.Linear(2, 1)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor([[1.0, 2.0]]))
        lin.bias.fill_(0.5)
    return lin


def test_functional_call_uses_the_given_parameters():
    """functional_call(module, params, args) runs module(*args) with the tensors in params standing in for the parameters of the same names.

    Hint: Linear computes x @ weight.T + bias.
    """
    lin = make_linear()
    params = {"weight": torch.tensor([[10.0, 20.0]]), "bias": torch.tensor([0.0])}
    out = functional_call(lin, params, (torch.tensor([[1.0, 2.0]]),))
    assert out.tolist() == __


def test_functional_call_leaves_the_module_unchanged():
    """The substitution lasts only for the call: afterwards the module computes with its own parameters again.

    Hint: use the parameters make_linear set.
    """
    lin = make_linear()
    params = {"weight": torch.tensor([[10.0, 20.0]]), "bias": torch.tensor([0.0])}
    x = torch.tensor([[3.0, 4.0]])
    functional_call(lin, params, (x,))
    assert lin(x).item() == __


def test_missing_entries_fall_back_to_the_module():
    """params may name only some parameters; the others keep the module's own values for the call.

    Hint: the new weight meets the module's own bias.
    """
    lin = make_linear()
    out = functional_call(lin, {"weight": torch.tensor([[10.0, 20.0]])}, (torch.tensor([[1.0, 1.0]]),))
    assert out.item() == __


def test_backward_reaches_the_tensors_that_were_used():
    """Autograd records the tensors the call really computed with: the ones passed in, and the module's own for the names params left out.

    Hint: for out = x @ w.T + b summed, the gradient by w is x and by b is one per output; a parameter the call never read gets no .grad at all.
    """
    lin = make_linear()
    w = torch.tensor([[10.0, 20.0]], requires_grad=True)
    functional_call(lin, {"weight": w}, (torch.tensor([[3.0, 4.0]]),)).sum().backward()
    assert w.grad.tolist() == __
    assert lin.weight.grad is __
    assert lin.bias.grad.tolist() == __


def test_grad_with_respect_to_a_parameter_dict():
    """grad accepts a dict of tensors as the argument to differentiate and returns a dict with the same keys holding the gradients.

    Hint: compute the output first; then the chain rule through the square.
    """
    lin = make_linear()
    params = {name: p.detach() for name, p in lin.named_parameters()}
    x = torch.tensor([[3.0, 4.0]])
    grads = grad(lambda p: (functional_call(lin, p, (x,)) ** 2).sum())(params)
    assert grads.keys() == params.keys()
    assert grads["weight"].tolist() == __
    assert grads["bias"].tolist() == __


def test_per_sample_gradients_with_vmap_of_grad():
    """vmap(grad(loss), in_dims=(None, 0, 0)) shares the parameters but maps over examples, giving one gradient per example with a leading batch dimension.

    Hint: the bias gradient of (p - y)**2 is 2 * (p - y), one example at a time.
    """
    lin = make_linear()
    params = {name: p.detach() for name, p in lin.named_parameters()}

    def loss(p, x, y):
        prediction = functional_call(lin, p, (x.unsqueeze(0),))
        return ((prediction - y) ** 2).sum()

    xs = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    ys = torch.zeros(3)
    per_sample = vmap(grad(loss), in_dims=(None, 0, 0))(params, xs, ys)
    assert per_sample["weight"].shape == __
    assert per_sample["bias"].tolist() == __
