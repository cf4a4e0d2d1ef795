"""Recurrent layers: output and hidden-state shapes, batch_first, and packed sequences."""

import pytest
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

from kata import __, raises


def ragged():
    """Three sequences of one feature, of lengths 3, 1 and 2, padded into a (3, 3, 1) batch."""
    seqs = [torch.ones(3, 1), torch.full((1, 1), 2.0), torch.full((2, 1), 3.0)]
    return pad_sequence(seqs, batch_first=True), torch.tensor([3, 1, 2])


def test_rnn_is_sequence_first_by_default():
    """By default recurrent layers take input as (seq_len, batch, input_size) and return output as (seq_len, batch, hidden_size) and h_n as (num_layers, batch, hidden_size).

    Hint: 7 steps, a batch of 3, two stacked layers.
    """
    rnn = nn.RNN(input_size=4, hidden_size=5, num_layers=2)
    output, h_n = rnn(torch.zeros(7, 3, 4))
    assert output.shape == __
    assert h_n.shape == __


def test_batch_first_does_not_apply_to_the_hidden_state():
    """batch_first=True makes input and output (batch, seq_len, features), but h_n and c_n keep the layers first: (num_layers, batch, hidden_size).

    Hint: one layer, a batch of 3.
    """
    lstm = nn.LSTM(4, 5, batch_first=True)
    output, (h_n, c_n) = lstm(torch.zeros(3, 7, 4))
    assert output.shape == __
    assert h_n.shape == __


def test_bidirectional_doubles_the_output_features():
    """A bidirectional layer concatenates both directions in the output's last dimension, and h_n stacks num_layers * 2 final states.

    Hint: two layers, two directions.
    """
    lstm = nn.LSTM(4, 5, num_layers=2, bidirectional=True)
    output, (h_n, c_n) = lstm(torch.zeros(7, 3, 4))
    assert output.shape == __
    assert h_n.shape == __


def test_last_output_step_is_the_final_hidden_state():
    """For a one-layer unidirectional GRU the output holds the hidden state at every step, so its last step equals h_n.

    Hint: which time step comes last? Dimension 1 is time here.
    """
    gru = nn.GRU(4, 5, batch_first=True)
    output, h_n = gru(torch.randn(3, 7, 4))
    assert torch.equal(output[:, __], h_n[0])


def test_lstm_stacks_four_gates_in_one_weight():
    """An LSTM stores its input, forget, cell and output gate weights stacked in one weight_ih_l0 of shape (4 * hidden_size, input_size); a GRU stacks 3 gates.

    Hint: hidden_size 5, input_size 4.
    """
    assert nn.LSTM(4, 5).weight_ih_l0.shape == __
    assert nn.GRU(4, 5).weight_ih_l0.shape == __


def test_pack_padded_sequence_wants_sorted_lengths_by_default():
    """pack_padded_sequence expects lengths in decreasing order unless enforce_sorted=False, and raises a RuntimeError otherwise.

    Hint: the message names the flag that lifts the requirement.
    """
    padded, lengths = ragged()
    with raises(RuntimeError, match=__):
        pack_padded_sequence(padded, lengths, batch_first=True)


def test_packed_batch_sizes_count_sequences_per_step():
    """A PackedSequence stores its data time step by time step; batch_sizes[t] is how many sequences are still running at step t.

    Hint: the lengths are 3, 1 and 2.
    """
    padded, lengths = ragged()
    packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
    assert packed.batch_sizes.tolist() == __


def test_pad_packed_sequence_restores_the_batch_and_lengths():
    """pad_packed_sequence undoes packing: it returns the padded batch in the original order and the lengths, filling with padding_value (0 by default).

    Hint: the padding value is -1 here.
    """
    padded, lengths = ragged()
    packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
    out, out_lengths = pad_packed_sequence(packed, batch_first=True, padding_value=-1.0)
    assert out_lengths.tolist() == __
    assert out.squeeze(-1).tolist() == __


def test_packed_input_gives_each_sequence_its_own_last_state():
    """Run on a PackedSequence, a recurrent layer stops each sequence at its true length, so h_n holds each sequence's state at its last real step rather than after the padding.

    Hint: the second sequence has a single real step.
    """
    padded, lengths = ragged()
    packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
    rnn = nn.RNN(1, 2, batch_first=True)
    packed_out, h_n = rnn(packed)
    out, _ = pad_packed_sequence(packed_out, batch_first=True)
    assert torch.allclose(h_n[0, 1], out[1, __])
