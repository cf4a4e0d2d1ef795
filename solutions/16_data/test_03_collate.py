"""Collation: how DataLoader turns a list of samples into a batch, and a collate_fn that pads."""

import pytest
import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader, default_collate

from kata import __, raises


def test_default_collate_transposes_tuples():
    """default_collate turns a list of (x, y) samples into [batch of x, batch of y]: a list of samples becomes a sample of batches.

    Hint: the first elements are 1 and 3.
    """
    xs, ys = default_collate([(1, 10), (3, 30)])
    assert xs.tolist() == [1, 3]


def test_python_floats_collate_to_float64():
    """default_collate keeps the precision of Python numbers: floats get the 64-bit float dtype a Python float really is (asked for explicitly, not the default float32), ints get torch.tensor's usual integer dtype.

    Hint: not the usual default dtype.
    """
    assert default_collate([1.5, 2.5]).dtype == torch.float64
    assert default_collate([1, 2]).dtype == torch.int64


def test_dicts_collate_key_by_key():
    """A list of dicts collates into one dict whose values are the batched values of each key.

    Hint: the two "x" tensors are stacked into a new first dimension.
    """
    batch = default_collate([{"x": torch.tensor([1, 2]), "n": 0}, {"x": torch.tensor([3, 4]), "n": 1}])
    assert batch["x"].shape == (2, 2)
    assert batch["n"].tolist() == [0, 1]


def test_strings_stay_a_list():
    """Strings cannot become a tensor, so default_collate keeps them as a plain list.

    Hint: a list of the two strings.
    """
    assert default_collate(["cat", "dog"]) == ["cat", "dog"]


def test_unequal_tensors_cannot_be_stacked():
    """default_collate stacks tensors with torch.stack, which refuses tensors of different sizes.

    Hint: the message starts "stack expects each tensor to be ...".
    """
    with raises(RuntimeError, match="equal size"):
        default_collate([torch.tensor([1, 2]), torch.tensor([3])])


def test_pad_sequence_pads_to_the_longest():
    """pad_sequence(batch_first=True) stacks variable-length sequences into (batch, longest), filling the gaps with padding_value (default 0).

    Hint: the second sequence has a single element.
    """
    padded = pad_sequence([torch.tensor([1, 2, 3]), torch.tensor([4])], batch_first=True)
    assert padded.tolist() == [[1, 2, 3], [4, 0, 0]]


def test_pad_sequence_is_time_first_by_default():
    """Without batch_first, pad_sequence returns (longest, batch): time first, the RNN convention.

    Hint: 2 sequences, the longest of length 3.
    """
    padded = pad_sequence([torch.tensor([1, 2, 3]), torch.tensor([4])])
    assert padded.shape == (3, 2)


def pad_collate(samples):
    seqs = [torch.tensor(s) for s in samples]
    lengths = torch.tensor([len(s) for s in seqs])
    return pad_sequence(seqs, batch_first=True, padding_value=-1), lengths


def test_collate_fn_pads_each_batch_to_its_own_longest():
    """A collate_fn receives the list of samples of one batch, so a padding collate pads each batch only to that batch's longest sequence.

    Hint: the second batch holds [6] and [7, 8].
    """
    data = [[1, 2, 3], [4], [6], [7, 8]]
    loader = DataLoader(data, batch_size=2, collate_fn=pad_collate)
    shapes = [padded.shape for padded, _ in loader]
    assert shapes == [(2, 3), (2, 2)]


def test_padding_collate_also_returns_lengths():
    """Returning the true lengths next to the padded batch lets the model mask or pack the padding later.

    Hint: the lengths of [1, 2, 3] and [4].
    """
    padded, lengths = pad_collate([[1, 2, 3], [4]])
    assert lengths.tolist() == [3, 1]
    assert padded[1].tolist() == [4, -1, -1]
