"""Worker processes: what num_workers > 0 copies, and how to split an iterable stream between workers."""

import multiprocessing
import os

import pytest
import torch
from torch.utils.data import DataLoader, Dataset, IterableDataset, get_worker_info

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


class Tagged(Dataset):
    """Returns the tag of the copy of the dataset that served the item."""

    def __init__(self):
        self.tag = 0

    def __len__(self):
        return 4

    def __getitem__(self, i):
        return self.tag


class Pid(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        return os.getpid()


def tag_by_worker(worker_id):
    get_worker_info().dataset.tag = 100 * (worker_id + 1)


def test_get_worker_info_is_none_in_the_main_process():
    """get_worker_info() returns None outside a DataLoader worker process.

    Hint: this test runs in the main process.
    """
    assert get_worker_info() is None


@needs_fork
def test_each_worker_iterates_its_own_copy_of_an_iterable_dataset():
    """Every worker gets a copy of an IterableDataset and runs its __iter__ in full, so two workers yield every item twice.

    Hint: sort what the loader yields.
    """
    items = list(DataLoader(Count(4), batch_size=None, num_workers=2))
    assert sorted(items) == [0, 0, 1, 1, 2, 2, 3, 3]


@needs_fork
def test_sharding_by_worker_info_yields_each_item_once():
    """Inside a worker, get_worker_info() gives its id and num_workers; keeping every num_workers-th item from id splits the stream without duplicates.

    Hint: sort what the loader yields.
    """
    items = list(DataLoader(ShardedCount(6), batch_size=None, num_workers=2))
    assert sorted(items) == [0, 1, 2, 3, 4, 5]


@needs_fork
def test_worker_init_fn_changes_only_the_workers_copy():
    """worker_init_fn(worker_id) runs in each worker after it starts; what it changes on get_worker_info().dataset is the worker's copy, not the main process's dataset.

    Hint: worker 0 tags 100, worker 1 tags 200; look at both the items and ds.tag.
    """
    ds = Tagged()
    items = list(DataLoader(ds, batch_size=None, num_workers=2, worker_init_fn=tag_by_worker))
    assert sorted(set(items)) == [100, 200]
    assert ds.tag == 0


@needs_fork
def test_persistent_workers_survive_between_epochs():
    """persistent_workers=True keeps the worker processes alive after an epoch, so the next epoch is served by the very same processes.

    Hint: compare the worker process ids seen in the two epochs.
    """
    loader = DataLoader(Pid(), batch_size=None, num_workers=2, persistent_workers=True)
    first = set(loader)
    second = set(loader)
    assert (first == second) is True
    assert (os.getpid() in first) is False


def test_persistent_workers_need_workers():
    """persistent_workers only makes sense with worker processes; with num_workers=0 the DataLoader raises a ValueError.

    Hint: the message names the option that persistent_workers needs.
    """
    with raises(ValueError, match="needs num_workers"):
        DataLoader(Pid(), num_workers=0, persistent_workers=True)


def test_pin_memory_is_off_by_default():
    """DataLoader's pin_memory defaults to False; page-locked batches only pay off when copying to an accelerator.

    Hint: the attribute keeps the constructor's value.
    """
    assert DataLoader(Pid()).pin_memory is False
