"""requires_grad, leaves and grad_fn: how autograd decides what to record."""

import pytest
import torch

from kata import __


def test_requires_grad_underscore_sets_the_flag_in_place():
    """Tensor.requires_grad_() switches gradient tracking on for the tensor itself and returns that same tensor.

    Hint: the trailing underscore marks methods that change their tensor rather than make a new one.
    """
    t = torch.zeros(3)
    out = t.requires_grad_()
    assert out is t
    assert t.requires_grad == True


def test_result_requires_grad_if_any_input_does():
    """The result of an operation requires grad as soon as at least one of its tensor inputs does.

    Hint: a and b differ in exactly one respect.
    """
    a = torch.ones(2, requires_grad=True)
    b = torch.ones(2)
    assert (a + b).requires_grad == True
    assert (b * 2).requires_grad == False


def test_integer_tensors_cannot_require_grad():
    """Gradients only make sense for continuous values, so autograd refuses to track tensors of integer dtype.

    Hint: the error names the kind of dtype that is allowed.
    """
    with pytest.raises(RuntimeError, match="floating point"):
        torch.arange(3, requires_grad=True)


def test_tensors_you_create_are_leaves():
    """A tensor created directly by the user, not computed from tensors that require grad, is a leaf of the graph.

    Hint: leaves are where the graph starts, and gradients are accumulated into them.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    assert x.is_leaf == True


def test_results_of_tracked_operations_are_not_leaves():
    """A tensor computed by a recorded operation has a grad_fn, which makes it an interior node rather than a leaf.

    Hint: y has a parent in the graph.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    assert y.is_leaf == False


def test_untracked_results_are_leaves_too():
    """Every tensor that does not require grad counts as a leaf, even one computed by an operation.

    Hint: nothing was recorded when c was made, so c has no grad_fn.
    """
    c = torch.ones(2) * 3
    assert c.is_leaf == True


def test_grad_fn_is_named_after_the_forward_op():
    """A non-leaf's grad_fn is the backward node of the op that made it, named after that op plus "Backward" and a version digit.

    Hint: the forward op here is a multiplication; the node class names start with a capital letter and end in 0.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    assert type(y.grad_fn).__name__ == "MulBackward0"


def test_next_functions_lead_back_to_an_accumulate_grad_node():
    """A node's next_functions holds (node, input_nr) pairs for its inputs; a leaf input is represented by an AccumulateGrad node whose .variable is the leaf.

    Hint: the only leaf that requires grad here is the one that y was computed from.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    node, _ = y.grad_fn.next_functions[0]
    assert type(node).__name__ == "AccumulateGrad"
    assert node.variable is x


def test_inputs_without_grad_have_no_node():
    """An input that does not require grad gets None in place of a node in next_functions, since no gradient flows to it.

    Hint: w is an ordinary tensor, the second input of the multiplication.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    w = torch.tensor([3.0, 4.0])
    y = x * w
    node, _ = y.grad_fn.next_functions[1]
    assert node is None
