"""torch.nn.utils.prune: a mask buffer, the original parameter and a forward pre-hook that multiplies them."""

import torch
import torch.nn as nn
import torch.nn.utils.prune as prune

from kata import __, raises


def linear(rows):
    """A bias-free Linear whose weight is the given rows (out_features = len(rows))."""
    m = nn.Linear(len(rows[0]), len(rows), bias=False)
    with torch.no_grad():
        m.weight.copy_(torch.tensor(rows))
    return m


def test_pruning_renames_the_parameter_and_adds_a_mask():
    """Pruning a parameter moves it to '<name>_orig' (still the trained Parameter) and registers '<name>_mask' as a buffer; '<name>' itself becomes a plain attribute computed from the two.

    Hint: a Linear with a bias; only the weight is pruned.
    """
    m = nn.Linear(3, 2)
    prune.l1_unstructured(m, "weight", amount=2)
    assert sorted(name for name, _ in m.named_parameters()) == __
    assert [name for name, _ in m.named_buffers()] == __


def test_l1_unstructured_masks_the_smallest_magnitudes():
    """l1_unstructured zeroes the mask at the entries of smallest absolute value, whatever their sign; the weight is orig * mask.

    Hint: a float amount is a fraction of all six entries.
    """
    m = linear([[1.0, -4.0, 2.0], [-3.0, 0.5, 6.0]])
    prune.l1_unstructured(m, "weight", amount=0.5)
    assert m.weight_mask.tolist() == __


def test_an_int_amount_counts_entries_a_float_amount_is_a_fraction():
    """An int amount is the number of entries to prune, a float the fraction of the tensor's entries, rounded to the nearest whole count.

    Hint: count the ones left in each mask, out of eight entries.
    """
    a = linear([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]])
    b = linear([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]])
    prune.l1_unstructured(a, "weight", amount=3)
    prune.l1_unstructured(b, "weight", amount=0.3)
    assert int(a.weight_mask.sum()) == __
    assert int(b.weight_mask.sum()) == __


def test_weight_is_recomputed_by_a_forward_pre_hook():
    """The pruned 'weight' is orig * mask as computed by a forward pre-hook, so a change to weight_orig shows in weight only after the next forward call.

    Hint: the first read is the product computed when pruning; the forward call recomputes it.
    """
    m = linear([[1.0, -4.0], [-3.0, 0.5]])
    prune.l1_unstructured(m, "weight", amount=2)
    with torch.no_grad():
        m.weight_orig.mul_(10)
    assert m.weight.tolist() == __
    m(torch.ones(1, 2))
    assert m.weight.tolist() == __


def test_pruned_entries_get_no_gradient():
    """The gradient reaches weight_orig through weight = orig * mask, so it is multiplied by the mask: the optimizer never moves a pruned entry.

    Hint: without pruning, the gradient of out.sum() for each row of the weight is the input x.
    """
    m = linear([[1.0, -4.0, 2.0], [-3.0, 0.5, 6.0]])
    prune.l1_unstructured(m, "weight", amount=0.5)
    m(torch.tensor([[1.0, 2.0, 3.0]])).sum().backward()
    assert m.weight_orig.grad.tolist() == __


def test_pruning_again_prunes_a_fraction_of_what_is_left():
    """Pruning a pruned parameter again replaces the hook by a PruningContainer, which computes the new method's mask on the entries still unpruned only and multiplies the masks, so a float amount is a fraction of the remaining entries.

    Hint: half of eight, then half of what survived.
    """
    m = linear([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]])
    prune.l1_unstructured(m, "weight", amount=0.5)
    prune.l1_unstructured(m, "weight", amount=0.5)
    assert int(m.weight_mask.sum()) == __
    assert len(m._forward_pre_hooks) == __


def test_remove_makes_the_pruning_permanent():
    """prune.remove writes orig * mask into a plain Parameter under the original name and deletes weight_orig, weight_mask and the hook.

    Hint: afterwards the module looks like an unpruned one whose weight happens to contain zeros.
    """
    m = linear([[1.0, -4.0], [-3.0, 0.5]])
    prune.l1_unstructured(m, "weight", amount=2)
    prune.remove(m, "weight")
    assert (len(list(m.parameters())), len(list(m.buffers())), len(m._forward_pre_hooks)) == __
    assert m.weight.abs().tolist() == __


def test_remove_refuses_a_parameter_that_was_never_pruned():
    """prune.remove looks for the pruning hook of that parameter and raises a ValueError when there is none.

    Hint: the message states the precondition that remove checks.
    """
    m = nn.Linear(2, 2)
    with raises(ValueError, match=__):
        prune.remove(m, "weight")


def test_global_unstructured_ranks_all_tensors_together():
    """global_unstructured concatenates every listed tensor and prunes the smallest magnitudes of the whole lot, so one layer may lose many entries and another none.

    Hint: list all eight magnitudes and find the three smallest.
    """
    a = linear([[1.0, -4.0], [2.0, -8.0]])
    b = linear([[0.5, 3.0], [-6.0, 0.25]])
    prune.global_unstructured([(a, "weight"), (b, "weight")], pruning_method=prune.L1Unstructured, amount=3)
    zeros = [int((mod.weight == 0).sum()) for mod in (a, b)]
    assert zeros == __


def test_ln_structured_prunes_whole_rows_by_their_norm():
    """ln_structured(m, name, amount, n, dim) ranks the slices along dim by their L-n norm and zeroes whole slices; rows of a Linear weight are output units.

    Hint: compute each row's L1 norm (sum of magnitudes) and its L2 norm (root of the sum of squares).
    """
    rows = [[3.0, 4.0], [1.5, 1.5], [-2.5, 0.0]]
    l1, l2 = linear(rows), linear(rows)
    prune.ln_structured(l1, "weight", amount=1, n=1, dim=0)
    prune.ln_structured(l2, "weight", amount=1, n=2, dim=0)
    assert l1.weight_mask[:, 0].tolist() == __
    assert l2.weight_mask[:, 0].tolist() == __


def test_sparsity_is_the_fraction_of_zero_entries():
    """A model's sparsity is the count of zero entries over all its parameters' entries; pruning only the weight leaves the bias dense, which lowers the model's sparsity below the weight's.

    Hint: the weight has six entries, the bias two.
    """
    m = nn.Linear(3, 2)
    with torch.no_grad():
        m.weight.copy_(torch.tensor([[1.0, -4.0, 2.0], [-3.0, 0.5, 6.0]]))
        m.bias.fill_(1.0)
    prune.l1_unstructured(m, "weight", amount=0.5)
    prune.remove(m, "weight")
    zeros = sum(int((p == 0).sum()) for p in m.parameters())
    total = sum(p.numel() for p in m.parameters())
    assert zeros / total == __
