"""Recurrent layers: output and hidden-state shapes, batch_first, cells and packed sequences."""

import pytest
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

from kata import __


def ragged():
    """Three sequences of one feature, of lengths 3, 1 and 2, padded into a (3, 3, 1) batch."""
    seqs = [torch.ones(3, 1), torch.full((1, 1), 2.0), torch.full((2, 1), 3.0)]
    return pad_sequence(seqs, batch_first=True), torch.tensor([3, 1, 2])


def test_rnn_is_sequence_first_by_default():
    """By default recurrent layers take input as (seq_len, batch, input_size) and return output as (seq_len, batch, hidden_size) and h_n as (num_layers, batch, hidden_size).

    Hint: output holds the top layer's state at every step, h_n every layer's state at the last step.
    """
    rnn = nn.RNN(input_size=4, hidden_size=5, num_layers=2)
    output, h_n = rnn(torch.zeros(7, 3, 4))
    assert output.shape == (7, 3, 5)
    assert h_n.shape == (2, 3, 5)


def test_batch_first_does_not_apply_to_the_hidden_state():
    """batch_first=True makes input and output (batch, seq_len, features), but h_n and c_n keep the layers first: (num_layers, batch, hidden_size).

    Hint: the input here is batch first.
    """
    lstm = nn.LSTM(4, 5, batch_first=True)
    output, (h_n, c_n) = lstm(torch.zeros(3, 7, 4))
    assert output.shape == (3, 7, 5)
    assert h_n.shape == (1, 3, 5)


def test_bidirectional_doubles_the_output_features():
    """A bidirectional layer concatenates both directions in the output's last dimension, and h_n stacks num_layers * 2 final states.

    Hint: the output's last dimension holds both directions side by side.
    """
    lstm = nn.LSTM(4, 5, num_layers=2, bidirectional=True)
    output, (h_n, c_n) = lstm(torch.zeros(7, 3, 4))
    assert output.shape == (7, 3, 10)
    assert h_n.shape == (4, 3, 5)


def test_each_direction_ends_at_its_own_end_of_the_sequence():
    """The output holds every step's hidden state, forward direction in the first half of the features and backward in the second; h_n holds each direction's final state, which is where that direction finished reading.

    Hint: the backward direction reads the sequence from its last step to its first; dimension 1 is time here.
    """
    gru = nn.GRU(4, 5, batch_first=True, bidirectional=True)
    output, h_n = gru(torch.randn(3, 7, 4))
    assert torch.equal(output[:, -1, :5], h_n[0])
    assert torch.equal(output[:, 0, 5:], h_n[1])


def test_lstm_stacks_four_gates_in_one_weight():
    """An LSTM stores its input, forget, cell and output gate weights stacked in one weight_ih_l0 of shape (4 * hidden_size, input_size); a GRU stacks 3 gates; weight_hh_l0 does the same for the hidden state.

    Hint: the hidden-to-hidden weight multiplies the previous hidden state.
    """
    assert nn.LSTM(4, 5).weight_ih_l0.shape == (20, 4)
    assert nn.GRU(4, 5).weight_ih_l0.shape == (15, 4)
    assert nn.LSTM(4, 5).weight_hh_l0.shape == (20, 5)


def test_an_lstm_layer_is_its_cell_run_step_by_step():
    """nn.LSTMCell computes one time step: (input, (h, c)) to the next (h, c). One LSTM layer is that cell looped over time, with the same parameters under the names ending in _l0; output[t] is h after step t.

    Hint: count the steps the loop runs, from 0.
    """
    lstm = nn.LSTM(4, 5)
    cell = nn.LSTMCell(4, 5)
    cell.load_state_dict({name.removesuffix("_l0"): value for name, value in lstm.state_dict().items()})
    x = torch.randn(7, 3, 4)
    output, _ = lstm(x)
    h = c = torch.zeros(3, 5)
    for t in range(3):
        h, c = cell(x[t], (h, c))
    assert torch.allclose(output[2], h, atol=1e-5)


def test_pack_padded_sequence_sorts_only_when_allowed():
    """pack_padded_sequence needs the sequences in decreasing order of length. By default (enforce_sorted=True) it refuses any other order; with enforce_sorted=False it sorts the batch itself and records in sorted_indices which original sequence went where.

    Hint: sorted_indices[k] is the original position of the k-th longest sequence.
    """
    padded, lengths = ragged()
    with pytest.raises(Exception) as info:
        pack_padded_sequence(padded, lengths, batch_first=True)
    assert info.type is RuntimeError
    packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
    assert packed.sorted_indices.tolist() == [0, 2, 1]


def test_packed_batch_sizes_count_sequences_per_step():
    """A PackedSequence stores its data time step by time step; batch_sizes[t] is how many sequences are still running at step t.

    Hint: read the lengths off ragged().
    """
    padded, lengths = ragged()
    packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
    assert packed.batch_sizes.tolist() == [3, 2, 1]


def test_pad_packed_sequence_restores_the_batch_and_lengths():
    """pad_packed_sequence undoes packing: it returns the padded batch in the original order and the lengths, filling with padding_value (0 by default).

    Hint: each sequence's real steps come first, then padding.
    """
    padded, lengths = ragged()
    packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
    out, out_lengths = pad_packed_sequence(packed, batch_first=True, padding_value=-1.0)
    assert out_lengths.tolist() == [3, 1, 2]
    assert out.squeeze(-1).tolist() == [[1.0, 1.0, 1.0], [2.0, -1.0, -1.0], [3.0, 3.0, -1.0]]


def test_packed_input_gives_each_sequence_its_own_last_state():
    """Run on a PackedSequence, a recurrent layer stops each sequence at its true length, so h_n holds each sequence's state at its last real step rather than after the padding.

    Hint: the real steps of sequence i are its first lengths[i] steps.
    """
    padded, lengths = ragged()
    packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
    rnn = nn.RNN(1, 2, batch_first=True)
    packed_out, h_n = rnn(packed)
    out, _ = pad_packed_sequence(packed_out, batch_first=True)
    assert torch.allclose(h_n[0, 2], out[2, 1])
