"""One to all and all to all: broadcast, all_reduce with its reduce ops, and reduce."""

import pytest
import torch
import torch.distributed as dist

from kata import __, raises
from kata.ranks import RankFailure

pytestmark = pytest.mark.multiprocess


def on_rank_broadcast(rank, world_size):
    t = torch.tensor([rank * 10])
    dist.broadcast(t, src=2)
    return t.item()


def test_broadcast_copies_the_source_tensor_to_every_rank(ranks):
    """dist.broadcast(t, src) overwrites t on every rank with the src rank's t.

    Hint: whose tensor survives?
    """
    results = ranks(on_rank_broadcast, world_size=4)
    assert results == [20, 20, 20, 20]


def on_rank_all_reduce_sum(rank, world_size):
    t = torch.tensor([rank + 1])
    dist.all_reduce(t)
    return t.item()


def test_all_reduce_sums_by_default(ranks):
    """dist.all_reduce(t) combines t from every rank with ReduceOp.SUM unless told otherwise, and every rank ends with the result.

    Hint: what does each rank contribute, and what does every rank hold afterwards?
    """
    results = ranks(on_rank_all_reduce_sum, world_size=4)
    assert results == [10, 10, 10, 10]


def on_rank_all_reduce_elementwise(rank, world_size):
    t = torch.tensor([rank, 1, -rank])
    dist.all_reduce(t)
    return t.tolist()


def test_all_reduce_works_element_by_element(ranks):
    """A reduction combines the ranks' tensors position by position; the shape stays the same.

    Hint: add the ranks' tensors position by position.
    """
    results = ranks(on_rank_all_reduce_elementwise, world_size=4)
    assert results[0] == [6, 4, -6]


def on_rank_all_reduce_product(rank, world_size):
    t = torch.tensor([rank + 1])
    dist.all_reduce(t, op=dist.ReduceOp.PRODUCT)
    return t.item()


def test_all_reduce_can_multiply(ranks):
    """ReduceOp.PRODUCT multiplies the ranks' values.

    Hint: each rank contributes rank + 1.
    """
    results = ranks(on_rank_all_reduce_product, world_size=4)
    assert results[1] == 24


MIN_MAX_VALUES = [5, 2, 7, 3]


def on_rank_all_reduce_min(rank, world_size):
    t = torch.tensor([MIN_MAX_VALUES[rank]])
    dist.all_reduce(t, op=dist.ReduceOp.MIN)
    return t.item()


def test_all_reduce_can_take_the_minimum(ranks):
    """ReduceOp.MIN keeps the smallest value across ranks.

    Hint: rank r holds MIN_MAX_VALUES[r].
    """
    results = ranks(on_rank_all_reduce_min, world_size=4)
    assert results == [2, 2, 2, 2]


def on_rank_all_reduce_max(rank, world_size):
    t = torch.tensor([MIN_MAX_VALUES[rank]])
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return t.item()


def test_all_reduce_can_take_the_maximum(ranks):
    """ReduceOp.MAX keeps the largest value across ranks.

    Hint: rank r holds MIN_MAX_VALUES[r].
    """
    results = ranks(on_rank_all_reduce_max, world_size=4)
    assert results == [7, 7, 7, 7]


def on_rank_all_reduce_avg(rank, world_size):
    t = torch.tensor([rank + 1.0])
    dist.all_reduce(t, op=dist.ReduceOp.AVG)
    return t.item()


def test_all_reduce_can_average_floats(ranks):
    """ReduceOp.AVG sums and divides by the world size; gloo supports it for floating-point tensors (releases before about 2.6 refused AVG on gloo, so older code sums and divides itself).

    Hint: the mean of what the ranks contribute.
    """
    results = ranks(on_rank_all_reduce_avg, world_size=4)
    assert results[2] == 2.5


def on_rank_all_reduce_avg_int(rank, world_size):
    t = torch.tensor([rank])
    dist.all_reduce(t, op=dist.ReduceOp.AVG)
    return t.item()


def test_averaging_an_integer_tensor_fails(ranks):
    """On gloo, AVG is a sum followed by an in-place division by the world size, and the true division of integers gives floats, which cannot be written back into an int64 tensor in place.

    Hint: run it: match the words of the error that say what cannot be done to the result type.
    """
    with raises(RankFailure, match="can't be cast"):
        ranks(on_rank_all_reduce_avg_int, world_size=4)


def on_rank_all_reduce_keeps_dtype(rank, world_size):
    t = torch.tensor([100], dtype=torch.int8)
    dist.all_reduce(t)
    return t.item(), t.dtype


def test_all_reduce_keeps_the_dtype_even_when_the_sum_overflows(ranks):
    """all_reduce writes the result into the tensor it was given, so the dtype does not change: a sum that does not fit wraps around, as integer arithmetic of that width does.

    Hint: int8 holds -128 to 127; a sum past 127 comes back 256 lower.
    """
    results = ranks(on_rank_all_reduce_keeps_dtype, world_size=4)
    assert results[0] == (-112, torch.int8)


def on_rank_all_reduce_band(rank, world_size):
    t = torch.tensor([rank + 4])
    dist.all_reduce(t, op=dist.ReduceOp.BAND)
    return t.item()


def test_band_is_a_bitwise_and_across_ranks(ranks):
    """ReduceOp.BAND combines integer tensors with bitwise and.

    Hint: write each rank's value in binary: which bits do all of them share?
    """
    results = ranks(on_rank_all_reduce_band, world_size=4)
    assert results[3] == 4


def on_rank_all_reduce_returns(rank, world_size):
    t = torch.tensor([1.0])
    returned = dist.all_reduce(t)
    return returned, t.item()


def test_all_reduce_works_in_place_and_returns_none(ranks):
    """A blocking collective returns None: its result is in the tensor it was given.

    Hint: rank 0 returns (what all_reduce returned, the tensor's value).
    """
    results = ranks(on_rank_all_reduce_returns, world_size=4)
    assert results[0] == (None, 4.0)


def on_rank_all_reduce_async(rank, world_size):
    t = torch.tensor([float(rank)])
    work = dist.all_reduce(t, async_op=True)
    work.wait()
    return isinstance(work, dist.Work), work.is_completed(), t.item()


def test_async_op_returns_a_work_handle(ranks):
    """With async_op=True a collective returns a Work at once; wait() blocks until the result is in the tensor.

    Hint: rank 1 returns (a Work?, completed after wait?, the tensor's value).
    """
    results = ranks(on_rank_all_reduce_async, world_size=4)
    assert results[1] == (True, True, 6.0)


def on_rank_reduce(rank, world_size):
    t = torch.tensor([rank + 1.0])
    dist.reduce(t, dst=3)
    return t.item() if rank == 3 else None


def test_reduce_leaves_the_result_on_dst_only(ranks):
    """dist.reduce(t, dst) combines every rank's t into dst's t; on the other ranks t is used as scratch space and its value afterwards is unspecified.

    Hint: only the destination reports a value here.
    """
    results = ranks(on_rank_reduce, world_size=4)
    assert results == [None, None, None, 10.0]
