"""Collectives on Python objects (pickled behind the scenes), and the barrier."""

import datetime

import pytest
import torch.distributed as dist

from kata import __

pytestmark = pytest.mark.multiprocess


def on_rank_all_gather_object(rank, world_size):
    gathered = [None] * world_size
    dist.all_gather_object(gathered, f"worker-{rank}")
    return gathered


def test_all_gather_object_gathers_any_picklable_value(ranks):
    """dist.all_gather_object(object_list, obj) fills object_list[i] with rank i's obj, on every rank.

    Hint: each rank contributes a string with its rank in it.
    """
    results = ranks(on_rank_all_gather_object, world_size=4)
    assert results[3] == __


def on_rank_broadcast_object_list(rank, world_size):
    objects = [rank, {"squared": rank * rank}]
    dist.broadcast_object_list(objects, src=3)
    return objects


def test_broadcast_object_list_replaces_the_list_items_in_place(ranks):
    """dist.broadcast_object_list(objects, src) overwrites each item of objects with the src rank's item.

    Hint: rank 3's list wins.
    """
    results = ranks(on_rank_broadcast_object_list, world_size=4)
    assert results[0] == __


def on_rank_gather_object(rank, world_size):
    gathered = [None] * world_size if rank == 1 else None
    dist.gather_object(rank + 100, gathered, dst=1)
    return gathered


def test_gather_object_collects_on_dst_only(ranks):
    """dist.gather_object(obj, object_gather_list, dst) puts every rank's obj into dst's list; the other ranks pass None.

    Hint: rank 1 is the destination.
    """
    results = ranks(on_rank_gather_object, world_size=4)
    assert results == __


def on_rank_scatter_object_list(rank, world_size):
    received = [None]
    letters = ["a", "b", "c", "d"] if rank == 0 else None
    dist.scatter_object_list(received, letters, src=0)
    return received[0]


def test_scatter_object_list_deals_objects_out(ranks):
    """dist.scatter_object_list(output_list, input_list, src) puts the src rank's input_list[i] into output_list[0] on rank i.

    Hint: one letter per rank.
    """
    results = ranks(on_rank_scatter_object_list, world_size=4)
    assert results == __


def on_rank_barrier_counts_arrivals(rank, world_size):
    # A key-value store shared by all ranks, served by rank 0 on a free port.
    port = [None]
    if rank == 0:
        store = dist.TCPStore("127.0.0.1", 0, is_master=True, wait_for_workers=False)
        port[0] = store.port
    dist.broadcast_object_list(port, src=0)
    if rank != 0:
        store = dist.TCPStore("127.0.0.1", port[0], is_master=False,
                              timeout=datetime.timedelta(seconds=10))
    store.add("arrived", 1)
    dist.barrier()
    seen = int(store.get("arrived"))
    dist.barrier()  # rank 0's store must outlive the others' last get
    return seen


def test_after_a_barrier_every_rank_has_arrived(ranks):
    """dist.barrier() returns on a rank only once every rank of the group has called it, so whatever each rank did before the barrier is done everywhere after it.

    Hint: every rank adds 1 to the counter before the barrier.
    """
    results = ranks(on_rank_barrier_counts_arrivals, world_size=4)
    assert results == __
