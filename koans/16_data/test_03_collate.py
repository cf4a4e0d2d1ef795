"""Collation: how DataLoader turns a list of samples into a batch, and a collate_fn that pads."""

import pytest
import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader, default_collate

from kata import __, raises


def test_default_collate_transposes_samples_into_batches():
    """default_collate turns a list of (x, y) samples into one batch per field: a list of samples becomes a sample of batches. Plain tuples come back as a list, for backward compatibility; other sequences keep their type.

    Hint: gather the first fields together, then the second.
    """
    batch = default_collate([(1, 10), (3, 30)])
    assert type(batch) is __
    assert [field.tolist() for field in batch] == __


def test_the_first_sample_decides_how_numbers_collate():
    """default_collate picks its conversion from the type of the first sample alone: a Python float is a C double, so a float first keeps that full precision; an int first hands the whole list to torch.tensor, which infers its usual dtypes.

    Hint: what dtype does torch.tensor infer for a list that mixes ints and floats?
    """
    assert default_collate([1.5, 2.5]).dtype == __
    assert default_collate([1, 2.5]).dtype == __
    assert default_collate([2.5, 1]).dtype == __


def test_dicts_collate_key_by_key():
    """A list of dicts collates into one dict whose values are the collated values of each key: tensors are stacked along a new first dimension, numbers become a tensor, and strings, which cannot become a tensor, stay a plain list.

    Hint: collate each key on its own.
    """
    samples = [{"x": torch.tensor([1, 2]), "n": 0, "name": "cat"}, {"x": torch.tensor([3, 4]), "n": 1, "name": "dog"}]
    batch = default_collate(samples)
    assert batch["x"].shape == __
    assert batch["n"].tolist() == __
    assert batch["name"] == __


def test_unequal_tensors_cannot_be_stacked():
    """default_collate stacks tensors with torch.stack, which compares every tensor's size with the first one's and names the first entry that differs, by its position in the batch.

    Hint: the message reads "... but got [2] at entry 0 and [1] at entry N"; which N?
    """
    with raises(RuntimeError, match=__):
        default_collate([torch.tensor([1, 2]), torch.tensor([3, 4]), torch.tensor([5]), torch.tensor([6])])


def test_pad_sequence_is_time_first_by_default():
    """pad_sequence stacks variable-length sequences into (longest, batch) by default, time first, the RNN convention; each sequence is a column, filled up with padding_value (default 0) after its end.

    Hint: write the padded sequences as columns, then read the rows.
    """
    padded = pad_sequence([torch.tensor([1, 2, 3]), torch.tensor([4])])
    assert padded.tolist() == __


def test_pad_sequence_can_pad_on_the_left():
    """With batch_first=True each sequence is a row, and padding_side="left" puts the padding before the sequence instead of after it, so every sequence ends in the last column.

    Hint: the rows are as long as the longest sequence.
    """
    padded = pad_sequence([torch.tensor([1, 2, 3]), torch.tensor([4])], batch_first=True, padding_side="left")
    assert padded.tolist() == __


def pad_collate(samples):
    seqs = [torch.tensor(s) for s in samples]
    lengths = torch.tensor([len(s) for s in seqs])
    return pad_sequence(seqs, batch_first=True, padding_value=-1), lengths


def test_collate_fn_pads_each_batch_to_its_own_longest():
    """A collate_fn receives the list of samples of one batch, so a padding collate pads each batch only to that batch's longest sequence.

    Hint: split the data into batches first.
    """
    data = [[1, 2, 3], [4], [6], [7, 8]]
    loader = DataLoader(data, batch_size=2, collate_fn=pad_collate)
    shapes = [padded.shape for padded, _ in loader]
    assert shapes == __


def test_padding_pollutes_statistics_unless_masked_by_length():
    """Padding values are data to every op that does not know about them: a plain mean over a padded row counts the padding. The true lengths returned next to the batch give a mask (position j is real when j < length) that leaves it out.

    Hint: pad_collate pads with -1.
    """
    padded, lengths = pad_collate([[1, 2, 3], [4]])
    real = torch.arange(padded.shape[1]) < lengths[:, None]
    naive = padded.float().mean(dim=1)
    masked = (padded * real).sum(dim=1) / lengths
    assert [round(v, 4) for v in naive.tolist()] == __
    assert masked.tolist() == __
