"""Grad modes: no_grad, enable_grad, set_grad_enabled and inference_mode."""

import pytest
import torch

from kata import __, raises


@torch.no_grad()
def doubled(t):
    return t * 2


def test_grad_modes_nest_and_the_innermost_wins():
    """no_grad (as a context manager or a decorator) and set_grad_enabled(False) stop recording; enable_grad switches it back on inside them; the innermost mode wins. They only control recording: a factory call with requires_grad=True still makes a leaf that requires grad.

    Hint: for each result, find the innermost mode in force when it was computed.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    training = False
    with torch.no_grad():
        a = x * 2
        with torch.enable_grad():
            b = x * 2
            c = doubled(x)
        w = torch.ones(2, requires_grad=True)
    with torch.set_grad_enabled(training):
        d = x * 2
    assert [t.requires_grad for t in (a, b, c, w, d)] == __


def test_no_grad_tensors_are_ordinary_but_inference_tensors_are_not():
    """A tensor made under no_grad is a normal tensor and may take part in a recorded computation later. A tensor made under inference_mode is an inference tensor, which skips autograd's bookkeeping: it may still be an input to a recorded op that saves nothing, but not one that must save it for backward.

    Hint: which of add and mul needs the other operand for x's gradient?
    """
    with torch.no_grad():
        n = torch.tensor([3.0, 4.0])
    with torch.inference_mode():
        t = torch.tensor([3.0, 4.0])
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * n + x + t).sum().backward()
    assert [n.is_inference(), t.is_inference()] == __
    assert x.grad.tolist() == __
    with raises(RuntimeError, match=__):
        x * t


def test_inference_tensors_cannot_be_updated_in_place_outside():
    """An inference tensor may be modified in place only while inference mode is on; afterwards it may be read but not written, and clone() gives a normal tensor instead.

    Hint: the message says where the in-place update happened.
    """
    with torch.inference_mode():
        t = torch.ones(2)
        t.add_(1)
    with raises(RuntimeError, match=__):
        t.add_(1)
