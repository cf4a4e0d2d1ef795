"""Which ops save their inputs or outputs, and so which in-place follow-ups break backward."""

import pytest
import torch

from kata import __


def test_exp_saves_its_output():
    """The derivative of exp(x) is exp(x) itself, so ExpBackward0 saves the output, and changing that output in place breaks backward.

    Hint: the saved output no longer has the version it had when it was saved.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_exp_does_not_save_its_input():
    """Because exp's backward needs only the output, its input may be modified in place afterwards without harm.

    Hint: d(exp(a))/da at a = 0 is exp(0); a = x * 1 passes the gradient through unchanged.
    """
    x = torch.tensor([0.0, 0.0], requires_grad=True)
    a = x * 1
    y = a.exp()
    a.add_(1)
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]


def test_sin_saves_its_input_not_its_output():
    """The derivative of sin(a) is cos(a), which needs the input, so sin's output may be modified in place.

    Hint: y was doubled after sin, so dy/da = 2 * cos(a), at a = 0.
    """
    x = torch.tensor([0.0, 0.0], requires_grad=True)
    y = x.sin()
    y.mul_(2)
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_inplace_relu_after_sigmoid_breaks_backward():
    """sigmoid saves its output for backward, so an in-place activation such as relu(inplace=True) applied to it afterwards breaks the backward pass; the error says which output of which forward op the modified tensor is.

    Hint: outputs are counted from 0, and the op is named like its backward node without "Backward0".
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = torch.sigmoid(x)
    torch.nn.functional.relu(y, inplace=True)
    with pytest.raises(RuntimeError, match="output 0 of Sigmoid"):
        y.sum().backward()


def test_mul_saves_each_input_for_the_other_inputs_gradient():
    """a * c saves a only because c's gradient needs it (and c only for a's), so modifying a in place after the product breaks backward only when c requires grad.

    Hint: choose c's flag so that backward fails.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    c = torch.tensor([3.0, 4.0], requires_grad=True)
    a = x * 1
    y = a * c
    a.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_add_saves_nothing():
    """The derivative of a + 5 with respect to a is 1 whatever a is, so AddBackward0 saves no tensor and its input may be modified freely.

    Hint: the gradient of a sum does not depend on the values.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    a = x * 1
    y = a + 5
    a.add_(1)
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]
