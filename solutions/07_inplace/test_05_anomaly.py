"""Anomaly detection: finding the forward op behind a backward error."""

import pytest
import torch

from kata import __


def test_detect_anomaly_names_the_backward_node():
    """With anomaly mode on (torch.autograd.set_detect_anomaly(True) or detect_anomaly()), a failing backward first warns "Error detected in" followed by the name of the backward node, with the forward traceback.

    Hint: the tensor modified in place was the output of exp.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning, match="Error detected in ExpBackward0"):
        with torch.autograd.set_detect_anomaly(True):
            y = x.exp()
            y.add_(1)
            with pytest.raises(RuntimeError, match="modified by an inplace operation"):
                y.sum().backward()


def test_detect_anomaly_checks_for_nan_gradients():
    """Anomaly mode also checks every backward node's results for NaN and raises, naming the node, if one appears.

    Hint: 0 / 0 is NaN, and so is its derivative with respect to the denominator; quote the node's name as the message does.
    """
    x = torch.tensor([0.0], requires_grad=True)
    with pytest.warns(UserWarning):
        with torch.autograd.set_detect_anomaly(True):
            y = x / x
            with pytest.raises(RuntimeError, match="'DivBackward0' returned nan values"):
                y.sum().backward()


def test_set_detect_anomaly_can_skip_the_nan_check():
    """torch.autograd.set_detect_anomaly(True, check_nan=False) enables anomaly mode without the NaN check, so a NaN gradient passes silently.

    Hint: nothing raised; look at what ended up in x.grad.
    """
    x = torch.tensor([0.0], requires_grad=True)
    with torch.autograd.set_detect_anomaly(True, check_nan=False):
        (x / x).sum().backward()
    assert x.grad.isnan().tolist() == [True]


def test_anomaly_mode_is_restored_on_exit():
    """set_detect_anomaly used as a context manager turns anomaly mode on inside the block and restores the previous mode when it ends.

    Hint: anomaly mode is off by default.
    """
    with torch.autograd.set_detect_anomaly(True):
        inside = torch.is_anomaly_enabled()
    after = torch.is_anomaly_enabled()
    assert [inside, after] == [True, False]
