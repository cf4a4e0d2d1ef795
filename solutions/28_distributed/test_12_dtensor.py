"""DTensor on a DeviceMesh: placements say how a logical tensor lies on the ranks, and redistribute moves it.

A DTensor is one logical tensor, its ``shape``; each rank holds a local piece,
``to_local()``.  The placement of each mesh dimension is ``Shard(d)`` (the
tensor is cut along its dim d, one piece per rank, as torch.chunk cuts),
``Replicate()`` (every rank holds all of it) or ``Partial()`` (every rank holds
a full-sized addend; the logical tensor is their sum).

The heavy torch.distributed modules are imported inside the functions that use
them: the ranks need them, the test process does not, and importing them at the
top would cost every run seconds before its first verdict.
"""

import pytest
import torch

from kata import __

pytestmark = pytest.mark.multiprocess


def collectives(comm_mode):
    """The kinds of collective a CommDebugMode saw, without release-specific suffixes."""
    kinds = set()
    for op in comm_mode.get_comm_counts():
        name = str(op).split(".")[-1]
        for suffix in ("_into_tensor", "_single", "_tensor", "_base", "_coalesced"):
            name = name.removesuffix(suffix)
        kinds.add(name)
    return kinds


def on_rank_shard_rows(rank, world_size):
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.tensor import Shard, distribute_tensor

    mesh = init_device_mesh("cpu", (world_size,))
    d = distribute_tensor(torch.arange(8).reshape(4, 2), mesh, [Shard(0)])
    return d.to_local().tolist()


def test_shard_0_gives_each_rank_a_block_of_rows(ranks):
    """distribute_tensor(t, mesh, [Shard(0)]) cuts t along dim 0 into one piece per rank of the mesh, in rank order.

    Hint: the tensor has four rows and the mesh four ranks.
    """
    results = ranks(on_rank_shard_rows, world_size=4)
    assert results[1] == [[2, 3]]


def on_rank_shard_columns(rank, world_size):
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.tensor import Shard, distribute_tensor

    mesh = init_device_mesh("cpu", (world_size,))
    d = distribute_tensor(torch.arange(8).reshape(2, 4), mesh, [Shard(1)])
    return d.to_local().tolist(), tuple(d.shape)


def test_shard_1_cuts_columns_and_the_logical_shape_stays(ranks):
    """Shard(1) cuts along dim 1; the DTensor's shape is the logical (global) one, whatever piece a rank holds.

    Hint: rank 2 returns (its piece, the DTensor's shape).
    """
    results = ranks(on_rank_shard_columns, world_size=4)
    assert results[2] == ([[2], [6]], (2, 4))


def on_rank_uneven(rank, world_size):
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.tensor import Shard, distribute_tensor

    mesh = init_device_mesh("cpu", (world_size,))
    d = distribute_tensor(torch.arange(5.0), mesh, [Shard(0)])
    return d.to_local().numel()


def test_uneven_shards_follow_torch_chunk(ranks):
    """When the dimension does not divide evenly, Shard cuts as torch.chunk does: pieces of ceil(n / world_size) elements, the last ones smaller, and a rank may get an empty piece.

    Hint: five elements, four ranks.
    """
    assert ranks(on_rank_uneven, world_size=4) == [2, 2, 1, 0]


def on_rank_shard_to_replicate(rank, world_size):
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.tensor import Replicate, Shard, distribute_tensor
    from torch.distributed.tensor.debug import CommDebugMode

    mesh = init_device_mesh("cpu", (world_size,))
    d = distribute_tensor(torch.arange(4.0), mesh, [Shard(0)])
    comm = CommDebugMode()
    with comm:
        full = d.redistribute(mesh, [Replicate()])
    return collectives(comm), full.to_local().tolist()


def test_shard_to_replicate_gathers_the_pieces_everywhere(ranks):
    """redistribute issues the collective that turns one placement into the other: going from pieces to a full copy on every rank gathers the pieces everywhere.

    Hint: the kind of collective as dist names it, without a suffix such as _single.
    """
    kinds, full = ranks(on_rank_shard_to_replicate, world_size=4)[0]
    assert kinds == {"all_gather"}
    assert full == [0.0, 1.0, 2.0, 3.0]


def on_rank_replicate_to_shard(rank, world_size):
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.tensor import Replicate, Shard, distribute_tensor
    from torch.distributed.tensor.debug import CommDebugMode

    mesh = init_device_mesh("cpu", (world_size,))
    d = distribute_tensor(torch.arange(4.0), mesh, [Replicate()])
    comm = CommDebugMode()
    with comm:
        piece = d.redistribute(mesh, [Shard(0)])
    return collectives(comm), piece.to_local().tolist()


def test_replicate_to_shard_needs_no_communication(ranks):
    """A rank that holds the whole tensor can cut out its own piece by itself: Replicate to Shard communicates nothing.

    Hint: rank 3 returns (the kinds of collective seen, its piece).
    """
    results = ranks(on_rank_replicate_to_shard, world_size=4)
    assert results[3] == (set(), [3.0])


def on_rank_partial_to_replicate(rank, world_size):
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.tensor import DTensor, Partial, Replicate
    from torch.distributed.tensor.debug import CommDebugMode

    mesh = init_device_mesh("cpu", (world_size,))
    d = DTensor.from_local(torch.tensor([float(rank), 1.0]), mesh, [Partial()])
    comm = CommDebugMode()
    with comm:
        total = d.redistribute(mesh, [Replicate()])
    return collectives(comm), total.to_local().tolist()


def test_partial_to_replicate_sums_the_addends_everywhere(ranks):
    """DTensor.from_local(t, mesh, [Partial()]) declares each rank's t an addend of the logical tensor; making it Replicate adds the addends up on every rank.

    Hint: (the kind of collective, rank 0's full copy).
    """
    results = ranks(on_rank_partial_to_replicate, world_size=4)
    assert results[0] == ({"all_reduce"}, [6.0, 4.0])


def on_rank_partial_to_shard(rank, world_size):
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.tensor import DTensor, Partial, Shard
    from torch.distributed.tensor.debug import CommDebugMode

    mesh = init_device_mesh("cpu", (world_size,))
    d = DTensor.from_local(torch.arange(4.0) + rank, mesh, [Partial()])
    comm = CommDebugMode()
    with comm:
        piece = d.redistribute(mesh, [Shard(0)])
    return collectives(comm), piece.to_local().tolist()


def test_partial_to_shard_sums_and_keeps_one_piece(ranks):
    """Partial to Shard needs each rank to end with the sum of one piece only: the collective that sums and splits in one go.

    Hint: (the kind of collective, rank 1's piece of the sum).
    """
    results = ranks(on_rank_partial_to_shard, world_size=4)
    assert results[1] == ({"reduce_scatter"}, [10.0])


def on_rank_local_sum(rank, world_size):
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.tensor import Partial, Shard, distribute_tensor

    mesh = init_device_mesh("cpu", (world_size,))
    d = distribute_tensor(torch.arange(8.0), mesh, [Shard(0)])
    s = d.sum()
    return s.placements == (Partial(),), s.to_local().item(), s.full_tensor().item()


def test_a_sum_over_the_sharded_dim_is_partial(ranks):
    """An operator on a DTensor runs on the local pieces and records what the results mean: summing a tensor sharded along the summed dimension leaves each rank a partial sum, and full_tensor() adds them up.

    Hint: rank 2 returns (is the result Partial?, its local sum, the full sum).
    """
    results = ranks(on_rank_local_sum, world_size=4)
    assert results[2] == (True, 9.0, 28.0)


def on_rank_2d_blocks(rank, world_size):
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.tensor import Shard, distribute_tensor

    mesh = init_device_mesh("cpu", (2, 2), mesh_dim_names=("dp", "tp"))
    d = distribute_tensor(torch.arange(16).reshape(4, 4), mesh, [Shard(0), Shard(1)])
    return tuple(mesh.get_coordinate()), d.to_local().tolist()


def test_on_a_2d_mesh_each_dimension_has_its_own_placement(ranks):
    """A 2-D mesh lays ranks out row by row ([[0, 1], [2, 3]] for (2, 2)); placements[i] says what happens along mesh dimension i: [Shard(0), Shard(1)] cuts rows by the mesh row and columns by the mesh column.

    Hint: rank 3 returns (its coordinate in the mesh, its block).
    """
    results = ranks(on_rank_2d_blocks, world_size=4)
    assert results[3] == ((1, 1), [[10, 11], [14, 15]])


def on_rank_2d_replicate_shard(rank, world_size):
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.tensor import Replicate, Shard, distribute_tensor

    mesh = init_device_mesh("cpu", (2, 2), mesh_dim_names=("dp", "tp"))
    d = distribute_tensor(torch.arange(8).reshape(4, 2), mesh, [Replicate(), Shard(0)])
    return d.to_local().tolist()


def test_replicate_along_one_mesh_dimension_shard_along_the_other(ranks):
    """[Replicate(), Shard(0)] keeps a copy along mesh dimension 0 (ranks in one mesh column hold the same thing) and cuts dim 0 of the tensor along mesh dimension 1.

    Hint: ranks 1 and 3 share a mesh column.
    """
    results = ranks(on_rank_2d_replicate_shard, world_size=4)
    assert results[3] == [[4, 5], [6, 7]]


def on_rank_from_local(rank, world_size):
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.tensor import DTensor, Shard

    mesh = init_device_mesh("cpu", (world_size,))
    d = DTensor.from_local(torch.full((2,), float(rank)), mesh, [Shard(0)])
    return tuple(d.shape), d.full_tensor().tolist()


def test_from_local_declares_the_pieces_and_the_shape_follows(ranks):
    """DTensor.from_local(t, mesh, [Shard(0)]) takes each rank's t as its piece without moving data; the logical shape is the pieces' sizes put together, and full_tensor() gathers them in rank order.

    Hint: rank 0 returns (the logical shape, the gathered tensor) on a world of three.
    """
    results = ranks(on_rank_from_local, world_size=3)
    assert results[0] == ((6,), [0.0, 0.0, 1.0, 1.0, 2.0, 2.0])


def on_rank_elementwise(rank, world_size):
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.tensor import Shard, distribute_tensor
    from torch.distributed.tensor.debug import CommDebugMode

    mesh = init_device_mesh("cpu", (world_size,))
    a = distribute_tensor(torch.arange(4.0), mesh, [Shard(0)])
    comm = CommDebugMode()
    with comm:
        b = a * 10 + a
    return collectives(comm), b.placements == (Shard(0),), b.to_local().tolist()


def test_an_elementwise_op_stays_local_and_keeps_the_placement(ranks):
    """An elementwise operator on DTensors with the same placement runs on the local pieces only: no communication, and the result keeps the placement.

    Hint: rank 3 returns (the collectives seen, still Shard(0)?, its piece of the result).
    """
    results = ranks(on_rank_elementwise, world_size=4)
    assert results[3] == (set(), True, [33.0])


def on_rank_src_data_rank(rank, world_size):
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.tensor import Shard, distribute_tensor

    mesh = init_device_mesh("cpu", (world_size,))
    d = distribute_tensor(torch.full((4,), float(rank)), mesh, [Shard(0)])
    return d.to_local().tolist()


def test_distribute_tensor_takes_the_data_of_one_rank(ranks):
    """distribute_tensor(t, mesh, placements) is collective: the tensor of one rank (src_data_rank, rank 0 by default) is cut up and sent out; what the other ranks passed is used only for its shape and dtype.

    Hint: every rank passed a tensor full of its own rank; whose values arrive?
    """
    assert ranks(on_rank_src_data_rank, world_size=4) == [[0.0]] * 4

