"""Anomaly detection: finding the forward op behind a backward error."""

import pytest
import torch

from kata import __, raises, warns


def test_detect_anomaly_names_the_backward_node():
    """With anomaly mode on (torch.autograd.set_detect_anomaly(True) or detect_anomaly()), a failing backward first warns "Error detected in" followed by the name of the backward node that failed, with the traceback of the forward call that made it.

    Hint: which node unpacks the tensor that add_ overwrote?
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with warns(UserWarning, match="Error detected in SinBackward0"):
        with torch.autograd.set_detect_anomaly(True):
            a = x * 1
            y = a.sin()
            z = y.exp()
            a.add_(1)
            with pytest.raises(RuntimeError):
                z.sum().backward()


def test_detect_anomaly_checks_for_nan_gradients():
    """Anomaly mode also checks every backward node's results for NaN and raises, naming the first node that returned one.

    Hint: d sqrt(x)/dx is infinite at 0, and an infinite factor times a zero gradient is NaN.
    """
    x = torch.tensor([0.0, 1.0, 4.0], requires_grad=True)
    with pytest.warns(UserWarning):
        with torch.autograd.set_detect_anomaly(True):
            y = x.sqrt() * 0
            with raises(RuntimeError, match="SqrtBackward0"):
                y.sum().backward()


def test_set_detect_anomaly_can_skip_the_nan_check():
    """torch.autograd.set_detect_anomaly(True, check_nan=False) enables anomaly mode without the NaN check, so a NaN gradient reaches .grad silently.

    Hint: the previous koan's graph; which elements meet the infinite factor?
    """
    x = torch.tensor([0.0, 1.0, 4.0], requires_grad=True)
    with torch.autograd.set_detect_anomaly(True, check_nan=False):
        (x.sqrt() * 0).sum().backward()
    assert x.grad.isnan().tolist() == [True, False, False]


def test_anomaly_mode_restores_the_previous_mode_on_exit():
    """set_detect_anomaly (like detect_anomaly), used as a context manager, sets anomaly mode inside the block and restore the mode that was in force before it when the block ends; it is off by default.

    Hint: record the mode at each of the three points from the outside in.
    """
    with torch.autograd.set_detect_anomaly(True):
        with torch.autograd.set_detect_anomaly(False):
            inner = torch.is_anomaly_enabled()
        middle = torch.is_anomaly_enabled()
    outer = torch.is_anomaly_enabled()
    assert [inner, middle, outer] == [False, True, False]
