"""Grad modes: no_grad, enable_grad, set_grad_enabled and inference_mode."""

import pytest
import torch

from kata import __


def test_no_grad_results_are_not_tracked():
    """Inside torch.no_grad() operations are not recorded: their results do not require grad and have no grad_fn.

    Hint: x requires grad, but nothing is recorded in this block.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        y = x * 2
    assert y.requires_grad == __
    assert y.grad_fn is __


def test_factories_still_honour_requires_grad_under_no_grad():
    """no_grad stops recording operations but does not change a flag you set explicitly: a tensor created with requires_grad=True inside it still requires grad.

    Hint: creating a leaf records no operation.
    """
    with torch.no_grad():
        w = torch.ones(2, requires_grad=True)
    assert w.requires_grad == __


def test_set_grad_enabled_takes_a_flag():
    """torch.set_grad_enabled(mode) turns recording on or off according to its boolean argument, which makes it handy for code shared by training and evaluation.

    Hint: afterwards y must not be tracked.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.set_grad_enabled(__):
        y = x * 2
    assert not y.requires_grad


def test_enable_grad_overrides_an_enclosing_no_grad():
    """torch.enable_grad() switches recording back on inside a no_grad block.

    Hint: the innermost grad mode wins.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        with torch.enable_grad():
            y = x * 2
    assert y.requires_grad == __


def test_inference_mode_makes_inference_tensors():
    """Tensors created inside torch.inference_mode() are inference tensors, which skip autograd's bookkeeping (no version counter, no view tracking).

    Hint: ask the tensor whether it is one.
    """
    with torch.inference_mode():
        t = torch.ones(2)
    assert t.is_inference() == __


def test_inference_tensors_cannot_be_saved_for_backward():
    """An inference tensor cannot take part in a recorded computation that needs to save it for the backward pass.

    Hint: multiplication saves both its inputs; the message starts with the kind of tensor at fault.
    """
    with torch.inference_mode():
        t = torch.ones(2)
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=__):
        x * t


def test_inference_tensors_cannot_be_updated_in_place_outside():
    """Outside inference mode, an inference tensor may be read but not modified in place.

    Hint: the message names the kind of update and the kind of tensor it refuses; clone() gives a normal tensor instead.
    """
    with torch.inference_mode():
        t = torch.ones(2)
    with pytest.raises(RuntimeError, match=__):
        t.add_(1)


def test_no_grad_tensors_are_ordinary_tensors():
    """A tensor made under no_grad is a normal tensor, so unlike an inference tensor it can be used in a tracked computation later.

    Hint: d(x * t)/dx is t.
    """
    with torch.no_grad():
        t = torch.tensor([3.0, 4.0])
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * t).sum().backward()
    assert x.grad.tolist() == __
