"""Subgroups: new_group, ranks inside and outside a group, and device meshes.

The heavy torch.distributed modules are imported inside the functions that use
them: the ranks need them, the test process does not, and importing them at the
top would cost every run seconds before its first verdict.
"""

import pytest
import torch
import torch.distributed as dist

from kata import __

pytestmark = pytest.mark.multiprocess


def on_rank_group_rank(rank, world_size):
    group = dist.new_group([1, 3])
    return dist.get_rank(group)


def test_a_subgroup_numbers_its_members_from_zero(ranks):
    """dist.new_group(ranks) must be called by every rank; inside the group, members are renumbered from 0 in order of global rank, and get_rank(group) returns -1 on a rank that is not a member.

    Hint: global rank 1 is the group's first member.
    """
    results = ranks(on_rank_group_rank, world_size=4)
    assert results == __


def on_rank_group_size(rank, world_size):
    group = dist.new_group([0, 1, 2])
    return dist.get_world_size(group)


def test_a_subgroup_has_its_own_world_size(ranks):
    """get_world_size(group) is the number of members of the group; like get_rank, it returns -1 on a non-member.

    Hint: rank 3 is left out.
    """
    results = ranks(on_rank_group_size, world_size=4)
    assert results == __


def on_rank_group_all_reduce(rank, world_size):
    group = dist.new_group([0, 1])
    t = torch.tensor([rank + 1])
    if rank in (0, 1):
        dist.all_reduce(t, group=group)
    return t.item()


def test_a_collective_on_a_subgroup_involves_only_its_members(ranks):
    """A collective with group=g is called by the members of g only, and combines only their tensors; other ranks keep what they had.

    Hint: what do the members hold, and what do the others keep?
    """
    results = ranks(on_rank_group_all_reduce, world_size=4)
    assert results == __


def on_rank_global_rank(rank, world_size):
    group = dist.new_group([2, 3])
    return dist.get_global_rank(group, 1)


def test_get_global_rank_translates_a_group_rank(ranks):
    """dist.get_global_rank(group, group_rank) gives the global rank of the group's member number group_rank.

    Hint: the group's members are global ranks 2 and 3.
    """
    results = ranks(on_rank_global_rank, world_size=4)
    assert results[0] == __


def on_rank_new_subgroups(rank, world_size):
    mine, _ = dist.new_subgroups(group_size=2)
    t = torch.tensor([rank])
    dist.all_reduce(t, group=mine)
    return t.item()


def test_new_subgroups_splits_the_world_into_equal_groups(ranks):
    """dist.new_subgroups(group_size=2) cuts the ranks into consecutive groups of two and returns the caller's own group first.

    Hint: which ranks share a group with each rank?
    """
    results = ranks(on_rank_new_subgroups, world_size=4)
    assert results == __


def on_rank_mesh_groups(rank, world_size):
    from torch.distributed.device_mesh import init_device_mesh

    mesh = init_device_mesh("cpu", (2, 2), mesh_dim_names=("dp", "tp"))
    return (dist.get_process_group_ranks(mesh.get_group("dp")),
            dist.get_process_group_ranks(mesh.get_group("tp")))


def test_a_device_mesh_lays_ranks_out_in_a_grid(ranks):
    """init_device_mesh("cpu", (2, 2)) arranges ranks 0..3 row by row in a 2x2 grid, [[0, 1], [2, 3]]; each named dimension has one group per row or column (tp: along a row, dp: along a column).

    Hint: rank 1 shares its column with rank 3 and its row with rank 0.
    """
    results = ranks(on_rank_mesh_groups, world_size=4)
    assert results[1] == __


def on_rank_non_member(rank, world_size):
    group = dist.new_group([0, 1])
    return group is dist.GroupMember.NON_GROUP_MEMBER


def test_every_rank_calls_new_group_and_non_members_get_a_placeholder(ranks):
    """By default new_group must be called by every rank of the world, members or not, in the same order (the ranks agree on the group through the default group's store); a rank outside the group gets the placeholder dist.GroupMember.NON_GROUP_MEMBER instead of a group.

    Hint: which ranks are outside [0, 1]?
    """
    assert ranks(on_rank_non_member, world_size=4) == __


def on_rank_local_synchronization(rank, world_size):
    if rank in (1, 2):
        group = dist.new_group([1, 2], use_local_synchronization=True)
        t = torch.tensor([rank])
        dist.all_reduce(t, group=group)
        return t.item()
    return None


def test_local_synchronization_lets_only_the_members_call_new_group(ranks):
    """new_group(ranks, use_local_synchronization=True) synchronises only among the members, so the other ranks need not call it at all.

    Hint: what do the members compute, and what do the others return?
    """
    results = ranks(on_rank_local_synchronization, world_size=4, timeout=5)
    assert results == __


def on_rank_mesh_local_rank(rank, world_size):
    from torch.distributed.device_mesh import init_device_mesh

    mesh = init_device_mesh("cpu", (2, 2), mesh_dim_names=("dp", "tp"))
    return mesh.get_local_rank("dp"), mesh.get_local_rank("tp")


def test_a_mesh_rank_has_a_local_rank_along_each_dimension(ranks):
    """mesh.get_local_rank(name) is the rank's index within its group along that mesh dimension: its row index for the first dimension, its column index for the second.

    Hint: rank 2 sits in the grid [[0, 1], [2, 3]]; it returns (dp index, tp index).
    """
    results = ranks(on_rank_mesh_local_rank, world_size=4)
    assert results[2] == __


def on_rank_all_subgroups(rank, world_size):
    _, every_group = dist.new_subgroups(group_size=2)
    return [dist.get_process_group_ranks(group) for group in every_group]


def test_new_subgroups_also_returns_every_group(ranks):
    """new_subgroups returns (the caller's group, the list of all the groups it made), the same list on every rank.

    Hint: rank 3 lists the members of each group.
    """
    results = ranks(on_rank_all_subgroups, world_size=4)
    assert results[3] == __

