"""Worker processes: what num_workers > 0 copies, how work is dealt out, and how to split an iterable stream between workers."""

import multiprocessing

import pytest
import torch
from torch.utils.data import DataLoader, Dataset, IterableDataset, Sampler, get_worker_info

from kata import __, raises

# The datasets below live in this koan file, which a worker process can only reach
# if it is forked from pytest; "spawn" and "forkserver" workers cannot import it.
START_METHOD = multiprocessing.get_start_method(allow_none=True) or multiprocessing.get_all_start_methods()[0]
needs_fork = pytest.mark.skipif(START_METHOD != "fork", reason="DataLoader workers are not forked on this platform")


class Count(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))


class ShardedCount(IterableDataset):
    """Each worker keeps every num_workers-th item, starting at its own id."""

    def __init__(self, n):
        self.n = n

    def __iter__(self):
        info = get_worker_info()
        if info is None:
            return iter(range(self.n))
        return iter(range(info.id, self.n, info.num_workers))


class WhoServes(Dataset):
    """Each item is the id of the worker that fetched it, or -1 outside a worker."""

    def __len__(self):
        return 8

    def __getitem__(self, i):
        info = get_worker_info()
        return -1 if info is None else info.id


class Tagged(Dataset):
    """Returns the tag of the copy of the dataset that served the item."""

    def __init__(self):
        self.tag = 0

    def __len__(self):
        return 4

    def __getitem__(self, i):
        return self.tag


class Served(Dataset):
    """Each item is how many items this copy of the dataset has served so far."""

    def __init__(self):
        self.served = 0

    def __len__(self):
        return 4

    def __getitem__(self, i):
        self.served += 1
        return self.served


class Recording(Sampler):
    """A sequential sampler that records every index it hands out."""

    def __init__(self, n):
        self.n = n
        self.drawn = []

    def __len__(self):
        return self.n

    def __iter__(self):
        for i in range(self.n):
            self.drawn.append(i)
            yield i


def tag_by_worker(worker_id):
    get_worker_info().dataset.tag = 100 * (worker_id + 1)


@needs_fork
def test_each_batch_is_fetched_by_one_worker_in_turn():
    """get_worker_info() is None in the main process and describes the worker inside one. The loader hands whole batches to the workers in turn (round robin) and returns the results in the order it handed them out.

    Hint: which worker gets batch 0, batch 1, batch 2...? And who fetches when there are no workers?
    """
    with_workers = [b.tolist() for b in DataLoader(WhoServes(), batch_size=2, num_workers=2)]
    without = [b.tolist() for b in DataLoader(WhoServes(), batch_size=2)]
    assert with_workers == __
    assert without == __


@needs_fork
def test_each_worker_iterates_its_own_copy_of_an_iterable_dataset():
    """Every worker gets its own copy of an IterableDataset and runs its __iter__ in full; the loader still takes one result from each worker in turn.

    Hint: write out what each worker yields, then interleave.
    """
    items = list(DataLoader(Count(4), batch_size=None, num_workers=2))
    assert items == __


@needs_fork
def test_a_sharded_stream_is_batched_inside_each_worker():
    """Inside a worker, get_worker_info() gives its id and num_workers, so a stream can keep its own share of the items. Batching happens in the worker, on its own share: a batch never mixes workers, and each worker's last batch may be short.

    Hint: find each worker's shard, batch it, then take the batches in turn.
    """
    batches = [b.tolist() for b in DataLoader(ShardedCount(6), batch_size=2, num_workers=2)]
    assert batches == __


@needs_fork
def test_worker_init_fn_changes_only_the_workers_copy():
    """A worker is a separate process holding its own copy of the dataset; worker_init_fn(worker_id) runs in each worker after it starts, and what it changes on get_worker_info().dataset is that copy.

    Hint: tag_by_worker runs once in each of the two workers; what happens in a child process stays there.
    """
    ds = Tagged()
    items = list(DataLoader(ds, batch_size=None, num_workers=2, worker_init_fn=tag_by_worker))
    assert items == __
    assert ds.tag == __


@needs_fork
def test_persistent_workers_keep_their_dataset_copies_between_epochs():
    """Without persistent_workers every epoch starts fresh worker processes, each with a fresh copy of the dataset; persistent_workers=True keeps the processes, and the state of their copies, alive from one epoch to the next.

    Hint: each worker serves two items an epoch; does its count start again?
    """
    fresh = DataLoader(Served(), batch_size=None, num_workers=2)
    fresh_epochs = [list(fresh), list(fresh)]
    kept = DataLoader(Served(), batch_size=None, num_workers=2, persistent_workers=True)
    kept_epochs = [list(kept), list(kept)]
    assert fresh_epochs[1] == __
    assert kept_epochs[1] == __


def test_persistent_workers_need_workers():
    """persistent_workers only makes sense with worker processes; with num_workers=0 the DataLoader raises a ValueError.

    Hint: the message names the option that persistent_workers needs.
    """
    with raises(ValueError, match=__):
        DataLoader(Served(), num_workers=0, persistent_workers=True)


@needs_fork
def test_the_main_process_samples_ahead_by_prefetch_factor_batches_per_worker():
    """The sampler runs in the main process, which sends index batches to the workers: when iteration starts it sends prefetch_factor batches to each worker at once, and after each batch it returns it sends one more.

    Hint: count indices, not batches; each batch holds batch_size of them.
    """
    sampler = Recording(40)
    loader = DataLoader(range(40), sampler=sampler, batch_size=2, num_workers=2, prefetch_factor=3)
    it = iter(loader)
    assert len(sampler.drawn) == __
    next(it)
    assert len(sampler.drawn) == __
    del it
