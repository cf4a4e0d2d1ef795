"""requires_grad, leaves and grad_fn: how autograd decides what to record."""

import pytest
import torch

from kata import __, raises


def test_what_requires_grad_and_what_is_a_leaf():
    """A result requires grad as soon as one of its tensor inputs does, and then it has a grad_fn and is not a leaf. Every tensor without a grad_fn is a leaf: one you created (requires_grad_() switches the flag on in place), one computed from tensors that do not require grad, and one cut off by detach().

    Hint: for each tensor ask two questions: does any input require grad, and was the op recorded?
    """
    a = torch.ones(2, requires_grad=True)
    b = torch.ones(2)
    tensors = [a, a + b, b * 2, torch.zeros(2).requires_grad_(), (a * 3).detach()]
    assert [(t.requires_grad, t.is_leaf) for t in tensors] == __


def test_only_continuous_dtypes_can_require_grad():
    """Gradients only make sense for continuous values, so autograd refuses to track tensors of integer (or bool) dtype.

    Hint: the message names the kinds of dtype that are allowed; there are two.
    """
    with raises(RuntimeError, match=__):
        torch.arange(3, requires_grad=True)


def test_a_converted_parameter_is_no_longer_a_leaf():
    """A classic trap: torch.ones(2, requires_grad=True).to(torch.float64) (or `* 2`, or .to(device) on another device) keeps only the result of a recorded op, which is not a leaf, so it never gets a .grad; the leaf that does is the temporary nobody kept. Make the tensor first, then call requires_grad_() on it.

    Hint: name the backward node of the conversion; .to with a new dtype copies through the aten op _to_copy.
    """
    w = torch.ones(2, requires_grad=True).to(torch.float64)
    assert w.is_leaf is False
    assert w.grad_fn.name() == __
    fixed = torch.ones(2).to(torch.float64).requires_grad_()
    assert fixed.is_leaf


def test_grad_fn_chain_follows_the_forward_ops_backwards():
    """A non-leaf's grad_fn is the backward node of the op that made it, named after the op with "Backward" and a version digit; next_functions leads from each node to the nodes of its inputs, ending at the AccumulateGrad node of a leaf.

    Hint: write the forward ops innermost first, then read them from the outside in.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    node, chain = ((x - 1) ** 2).mean().grad_fn, []
    while node is not None:
        chain.append(type(node).__name__)
        node = node.next_functions[0][0] if node.next_functions else None
    assert chain == __


def test_next_functions_has_one_entry_per_input():
    """A node's next_functions holds one (node, input_nr) pair per input of its op, in argument order: the producing node for a computed input, an AccumulateGrad node (whose .variable is the leaf) for a leaf that requires grad, and None for an input that does not require grad.

    Hint: z = (x * c) + w; first the two inputs of the addition, then the two of the multiplication.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    c = torch.tensor([3.0, 4.0])
    w = torch.tensor([5.0, 6.0], requires_grad=True)
    z = x * c + w
    add_inputs = [type(n).__name__ for n, _ in z.grad_fn.next_functions]
    mul_inputs = [type(n).__name__ for n, _ in z.grad_fn.next_functions[0][0].next_functions]
    assert [add_inputs, mul_inputs] == __
    assert z.grad_fn.next_functions[1][0].variable is __
