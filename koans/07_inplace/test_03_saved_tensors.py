"""Which ops save their inputs or outputs, and so which in-place follow-ups break backward."""

import pytest
import torch

from kata import __, raises


def test_a_node_keeps_what_its_derivative_needs():
    """A backward node saves exactly what its derivative formula reads, and shows it as _saved_<name> attributes: _saved_self and _saved_other for inputs, _saved_result for the output, and non-tensor arguments such as an exponent under their own names.

    Hint: write down d tanh(x)/dx and d x**3/dx; which of input, output and exponent appear in each?
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)

    def saved(t):
        return sorted(name for name in dir(t.grad_fn) if name.startswith("_saved_"))

    assert saved(x.tanh()) == __
    assert saved(x.pow(3)) == __


def test_exp_does_not_save_its_input():
    """Because exp's backward needs only the output, its input may be modified in place afterwards without harm.

    Hint: exp's backward multiplies by its saved output, which the later write did not touch; a = x * 1 passes the gradient through unchanged.
    """
    x = torch.tensor([0.0, 0.0], requires_grad=True)
    a = x * 1
    y = a.exp()
    a.add_(1)
    y.sum().backward()
    assert x.grad.tolist() == __


def test_sin_saves_its_input_not_its_output():
    """The derivative of sin(a) is cos(a), which needs the input, so sin's output may be modified in place.

    Hint: mul_ is recorded as a node of its own after sin; chain the two derivatives at a = 0.
    """
    x = torch.tensor([0.0, 0.0], requires_grad=True)
    y = x.sin()
    y.mul_(2)
    y.sum().backward()
    assert x.grad.tolist() == __


def test_the_error_names_the_modified_tensor_by_its_current_node():
    """The error describes the modified tensor as "output N of Op". For a saved output, Op is the forward op that saved it; for a saved input it is the tensor's grad_fn when backward runs, the in-place op that overwrote it (a leaf names no op). Op is the node's name without "Backward0".

    Hint: cos saved a as an input; what was the last op that wrote into a?
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    a = x * 2
    y = a.cos()
    a.sub_(1)
    with raises(RuntimeError, match=__):
        y.sum().backward()


def test_mul_saves_each_input_only_for_the_other_inputs_gradient():
    """a * c saves a only because c's gradient needs it (and c only for a's), so when c does not require grad, a is not saved and may be modified in place after the product.

    Hint: d(a * c)/da is c; a = x * 1 passes it through.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    c = torch.tensor([3.0, 4.0])
    a = x * 1
    y = a * c
    a.add_(1)
    y.sum().backward()
    assert y.grad_fn._saved_self is None
    assert x.grad.tolist() == __


def test_allow_mutation_on_saved_tensors_clones_on_write():
    """Inside torch.autograd.graph.allow_mutation_on_saved_tensors(), writing in place into a saved tensor first clones the saved value, so backward (which must run inside the same context) sees the value from the forward pass instead of raising.

    Hint: which value of a does sin's backward read, the one before or after add_?
    """
    x = torch.tensor([0.0, 0.0], requires_grad=True)
    with torch.autograd.graph.allow_mutation_on_saved_tensors():
        a = x * 1
        y = a.sin()
        a.add_(torch.pi)
        y.sum().backward()
    assert x.grad.tolist() == __
