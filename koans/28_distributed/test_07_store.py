"""The key-value store that process groups rendezvous through: set, get, add, compare_set, wait.

Every store here has a timeout of a few seconds: a get or wait for a key that
nobody sets fails fast instead of blocking for the default five minutes.
"""

import datetime

import pytest
import torch.distributed as dist

from kata import __

pytestmark = pytest.mark.multiprocess

SHORT = datetime.timedelta(seconds=2)


def hash_store():
    """A store in this process's memory, with a short timeout."""
    store = dist.HashStore()
    store.set_timeout(SHORT)
    return store


def test_a_counter_is_stored_as_text():
    """store.add(key, n) keeps an integer counter (starting at 0) and returns the new value as an int; get returns what is stored, always as bytes, and a counter is stored as its decimal digits.

    Hint: what does get give back for any key, and what is stored after both adds?
    """
    store = hash_store()
    store.add("count", 5)
    store.add("count", 2)
    assert store.get("count") == __


def test_add_continues_from_a_number_set_as_text():
    """Because a counter is stored as text, add also works on a key that set wrote as a number in a string, and continues from it.

    Hint: add returns an int.
    """
    store = hash_store()
    store.set("count", "10")
    assert store.add("count", 3) == __


def test_compare_set_writes_only_over_the_expected_value():
    """store.compare_set(key, expected, desired) writes desired only when the key currently holds expected, and returns the value stored afterwards, as bytes, whichever way it went: ranks use it to elect one of themselves.

    Hint: the second call expects a value that is no longer there.
    """
    store = hash_store()
    store.set("leader", "none")
    store.compare_set("leader", "none", "rank 1")
    assert store.compare_set("leader", "none", "rank 2") == __


def test_get_of_a_missing_key_waits_then_raises():
    """get of a key nobody set waits for it, like wait, up to the store's timeout, then raises the error of a store that gave up; its class derives from torch.distributed.DistError.

    Hint: the class lives in torch.distributed and names the store.
    """
    store = hash_store()
    store.set_timeout(datetime.timedelta(milliseconds=10))
    with pytest.raises(Exception) as info:
        store.get("never")
    assert info.type is __


def test_prefix_stores_nest():
    """PrefixStore(prefix, store) keeps its user's key k under prefix + "/" + k in the store it wraps; a PrefixStore can wrap another PrefixStore, as init_process_group's stores do.

    Hint: the inner PrefixStore wraps base; the outer one wraps the inner one. Which prefix is added last?
    """
    base = hash_store()
    job = dist.PrefixStore("job1", base)
    dist.PrefixStore("step", job).set("loss", "0.5")
    assert base.get(__) == b"0.5"


def test_two_file_stores_on_one_file_share_one_counter(tmp_path):
    """A FileStore keeps its keys in a file, so every FileStore opened on the same path, in any process, sees the same keys; add on one is seen by the others.

    Hint: a and b add to the same counter.
    """
    path = str(tmp_path / "store")
    a = dist.FileStore(path, 2)
    b = dist.FileStore(path, 2)
    a.set_timeout(SHORT)
    b.set_timeout(SHORT)
    a.add("arrived", 1)
    b.add("arrived", 1)
    assert a.add("arrived", 0) == __


def on_rank_tcp_store(rank, world_size):
    port = [None]
    if rank == 0:
        store = dist.TCPStore("127.0.0.1", 0, is_master=True, wait_for_workers=False, timeout=SHORT)
        port[0] = store.port
    dist.broadcast_object_list(port, src=0)
    if rank != 0:
        store = dist.TCPStore("127.0.0.1", port[0], is_master=False, timeout=SHORT)
    if rank == 2:
        store.set("message", f"from rank {rank}")
    store.wait(["message"], SHORT)
    message = store.get("message")
    dist.barrier()  # rank 0 serves the store: it must outlive the others' gets
    return message


def test_a_tcp_store_is_served_by_one_rank_to_all(ranks):
    """A TCPStore with is_master=True serves the keys on a port; other processes connect to host and port, and store.wait lets them block until a key appears.

    Hint: one rank writes, every rank reads; remember the type get returns.
    """
    results = ranks(on_rank_tcp_store, world_size=4)
    assert results == __
