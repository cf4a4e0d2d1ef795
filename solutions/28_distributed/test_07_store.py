"""The key-value store that process groups rendezvous through: set, get, add, check, wait."""

import datetime

import pytest
import torch.distributed as dist

from kata import __

pytestmark = pytest.mark.multiprocess


def test_store_get_returns_bytes():
    """Stores keep values as bytes: set accepts a str or bytes, get always returns bytes.

    Hint: a bytes literal starts with b.
    """
    store = dist.HashStore()
    store.set("answer", "42")
    assert store.get("answer") == b"42"


def test_store_add_returns_the_new_total():
    """store.add(key, n) adds n to an integer counter (created at 0) and returns the new value as an int.

    Hint: 5, then 2 more.
    """
    store = dist.HashStore()
    store.add("count", 5)
    assert store.add("count", 2) == 7


def test_store_check_does_not_wait():
    """store.check(keys) answers at once whether every key is already set.

    Hint: nobody set "ready".
    """
    store = dist.HashStore()
    store.set("other", "x")
    assert store.check(["ready"]) == False


def test_store_wait_gives_up_after_its_timeout():
    """store.wait(keys, timeout) blocks until the keys are set and raises DistStoreError ("Wait timeout") if they are not set in time.

    Hint: match a word of the message.
    """
    store = dist.HashStore()
    with pytest.raises(dist.DistStoreError, match="timeout"):
        store.wait(["never"], datetime.timedelta(milliseconds=10))


def test_a_prefix_store_namespaces_keys():
    """PrefixStore(prefix, store) stores key k of its users under "prefix/k" in the underlying store.

    Hint: look the key up in the base store.
    """
    base = dist.HashStore()
    dist.PrefixStore("job1", base).set("step", "3")
    assert base.get("job1/step") == b"3"


def test_two_file_stores_on_one_file_are_one_store(tmp_path):
    """A FileStore keeps its keys in a file, so every FileStore opened on the same path, in any process, sees the same keys.

    Hint: b reads what a wrote.
    """
    path = str(tmp_path / "store")
    a = dist.FileStore(path, 2)
    b = dist.FileStore(path, 2)
    a.set("greeting", "hello")
    assert b.get("greeting") == b"hello"


def on_rank_tcp_store(rank, world_size):
    port = [None]
    if rank == 0:
        store = dist.TCPStore("127.0.0.1", 0, is_master=True, wait_for_workers=False)
        port[0] = store.port
    dist.broadcast_object_list(port, src=0)
    if rank != 0:
        store = dist.TCPStore("127.0.0.1", port[0], is_master=False,
                              timeout=datetime.timedelta(seconds=10))
    if rank == 2:
        store.set("message", f"from rank {rank}")
    store.wait(["message"], datetime.timedelta(seconds=10))
    message = store.get("message")
    dist.barrier()  # rank 0 serves the store: it must outlive the others' gets
    return message


def test_a_tcp_store_is_served_by_one_rank_to_all(ranks):
    """A TCPStore with is_master=True serves the keys on a port; other processes connect to host and port, and store.wait lets them block until a key appears.

    Hint: rank 2 writes, everyone reads; remember the type get returns.
    """
    results = ranks(on_rank_tcp_store, world_size=4)
    assert results == [b"from rank 2"] * 4
