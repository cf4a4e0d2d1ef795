"""Distributed checkpoints: every rank saves its own shards, and a different world loads them back (resharding).

``torch.distributed.checkpoint`` (dcp) saves a state dict collectively: each
rank writes the pieces it holds to its own file, and the coordinator (rank 0)
writes a ``.metadata`` file saying which piece of which tensor is where.
Loading reads that map and gives each rank what its own state dict asks for,
whatever the world and placements were at save time.  The checkpoint folder
comes from the test's tmp_path through an environment variable.

The heavy torch.distributed modules are imported inside the functions that use
them: the ranks need them, the test process does not, and importing them at the
top would cost every run seconds before its first verdict.
"""

import os

import pytest
import torch

from kata import __

pytestmark = pytest.mark.multiprocess


def on_rank_save(rank, world_size):
    import torch.distributed.checkpoint as dcp
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.tensor import Shard, distribute_tensor

    mesh = init_device_mesh("cpu", (world_size,))
    weight = distribute_tensor(torch.arange(8.0), mesh, [Shard(0)])
    dcp.save({"weight": weight, "step": 3}, checkpoint_id=os.environ["CKPT"])
    return None


def test_each_rank_writes_its_own_file(ranks, tmp_path):
    """dcp.save writes one data file per rank (named after the rank, ending in .distcp) and one metadata file.

    Hint: how many ranks saved?
    """
    ranks(on_rank_save, world_size=4, env={"CKPT": str(tmp_path)})
    data_files = [name for name in os.listdir(tmp_path) if name.endswith(".distcp")]
    assert (len(data_files), ".metadata" in os.listdir(tmp_path)) == (4, True)


def on_rank_load_sharded(rank, world_size):
    import torch.distributed.checkpoint as dcp
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.tensor import Shard, distribute_tensor

    mesh = init_device_mesh("cpu", (world_size,))
    state = {"weight": distribute_tensor(torch.zeros(8), mesh, [Shard(0)]), "step": 0}
    dcp.load(state, checkpoint_id=os.environ["CKPT"])
    return state["weight"].to_local().tolist(), state["step"]


def test_a_smaller_world_loads_the_checkpoint_resharded(ranks, tmp_path):
    """dcp.load fills the state dict it is given in place: a Shard(0) DTensor on a 2-rank mesh asks for half of the tensor, and dcp reads it from the files the 4 ranks wrote; plain Python values come back too.

    Hint: rank 1 of two returns (its half of the saved weight, the step).
    """
    ranks(on_rank_save, world_size=4, env={"CKPT": str(tmp_path)})
    results = ranks(on_rank_load_sharded, world_size=2, env={"CKPT": str(tmp_path)})
    assert results[1] == ([4.0, 5.0, 6.0, 7.0], 3)


def on_rank_load_plain(rank, world_size):
    import torch.distributed.checkpoint as dcp

    state = {"weight": torch.zeros(8)}
    dcp.load(state, checkpoint_id=os.environ["CKPT"])
    return state["weight"].tolist()


def test_a_plain_tensor_asks_for_the_whole_of_it(ranks, tmp_path):
    """A plain tensor in the state dict to load stands for the whole tensor: each rank gets all of it, assembled from every saver's piece; keys absent from the dict to load are not read.

    Hint: what was saved under "weight", in full?
    """
    ranks(on_rank_save, world_size=4, env={"CKPT": str(tmp_path)})
    results = ranks(on_rank_load_plain, world_size=2, env={"CKPT": str(tmp_path)})
    assert results[0] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]


def on_rank_save_nested(rank, world_size):
    import torch.distributed.checkpoint as dcp
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.tensor import Shard, distribute_tensor

    mesh = init_device_mesh("cpu", (world_size,))
    state = {"model": {"weight": distribute_tensor(torch.arange(4.0), mesh, [Shard(0)])},
             "optim": {"lr": 0.1}}
    dcp.save(state, checkpoint_id=os.environ["CKPT"])


def test_the_metadata_names_each_value_by_its_flattened_path(ranks, tmp_path):
    """dcp flattens a nested state dict before saving: each value is stored under the keys of its path joined with dots, and the metadata maps those names to where the pieces are.

    Hint: the sorted names of the two values saved.
    """
    import torch.distributed.checkpoint as dcp

    ranks(on_rank_save_nested, world_size=4, env={"CKPT": str(tmp_path)})
    metadata = dcp.FileSystemReader(str(tmp_path)).read_metadata()
    assert sorted(metadata.state_dict_metadata) == ["model.weight", "optim.lr"]


def on_rank_load_nested(rank, world_size):
    import torch.distributed.checkpoint as dcp

    state = {"model": {"weight": torch.zeros(4)}}
    dcp.load(state, checkpoint_id=os.environ["CKPT"])
    return state["model"]["weight"].tolist()


def test_a_nested_state_dict_loads_by_the_same_paths(ranks, tmp_path):
    """Loading flattens the dict it is given the same way and reads only the names it asks for, so a part of a checkpoint (the model without the optimizer) loads on its own, into another world size.

    Hint: a plain tensor asks for the whole saved weight.
    """
    ranks(on_rank_save_nested, world_size=4, env={"CKPT": str(tmp_path)})
    results = ranks(on_rank_load_nested, world_size=2, env={"CKPT": str(tmp_path)})
    assert results[1] == [0.0, 1.0, 2.0, 3.0]

