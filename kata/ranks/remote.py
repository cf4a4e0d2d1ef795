"""One rank pool for many forked runs: the owner serves, each forked child calls.

``kata watch`` forks a pytest child for every save.  A pool made in the child
would die with it and every run would pay for new rank processes (seconds),
so the watch owns the pool and lends it to each child:

- before each fork the owner calls ``Server.open()`` for a fresh pipe;
- in the child, ``Server.child_side()`` makes the ``ranks`` fixture send each
  call over that pipe instead of starting a pool of its own (the copy of the
  owner's pool the fork made is dropped, never used: the workers belong to
  the owner);
- in the owner, ``Server.serve()`` runs the calls, one at a time, on its pool
  in a thread until the child closes the pipe.

Isolation is that of one pytest session: every call gets a fresh process group
and the same seeds, and every run (every child) is a new session, whose koan
files the workers load afresh, so module globals do not carry over from an
earlier run.  A call the child gives up on (the child was interrupted by a new
save, a time limit or Ctrl-C, or died) discards the workers, which may be in
the middle of anything; so does a rank that hung or died.  New workers are
forked at once, from the forkserver, while the learner edits.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from multiprocessing.connection import Connection
from typing import Any

from kata.ranks import pool
from kata.ranks.worker import Call

_sessions = itertools.count(1)


class Client:
    """In the forked child: sends calls to the owner's pool."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.seq = 0

    def execute(self, call: Call) -> pool.Outcome:
        self.seq += 1
        seq = self.seq
        try:
            self.conn.send(("call", seq, call))
            while True:
                answer: tuple[Any, ...] = self.conn.recv()
                if answer[0] != seq:
                    continue  # the answer to a call given up on earlier
                if answer[1] == "error":
                    raise RuntimeError(f"the rank pool failed: {answer[2]}")
                outcome: pool.Outcome = answer[2]
                return outcome
        except (EOFError, ConnectionError) as exc:  # the owner is gone (not OSError: a time limit may raise one)
            raise RuntimeError(f"the rank pool went away ({type(exc).__name__}); run again") from None
        except BaseException:  # a time limit or Ctrl-C while the ranks run: tell the owner
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(("abort", seq))
            raise


# In a forked child: where ranks() calls go (None: a pool of this process's own).
client: Client | None = None


class Server:
    """In the pool's owner: lends the pool to one forked child at a time."""

    def __init__(self) -> None:
        self.thread: threading.Thread | None = None
        self.ends: tuple[Connection, Connection] | None = None

    def open(self) -> None:
        """Before a fork: wait for the previous child's calls to end, and make a fresh pipe."""
        import multiprocessing

        self.join()
        self.ends = multiprocessing.Pipe(duplex=True)

    def child_side(self) -> None:
        """In the child, just after the fork: send this process's ranks() calls to the owner."""
        global client
        assert self.ends is not None, "open() comes before the fork"
        mine, theirs = self.ends[1], self.ends[0]
        theirs.close()
        pool.forget_inherited_pool()
        client = Client(mine)

    def serve(self) -> None:
        """In the owner, just after the fork: serve the child's calls in a thread until it ends."""
        assert self.ends is not None, "open() comes before the fork"
        mine, theirs = self.ends
        theirs.close()
        self.thread = threading.Thread(
            target=_serve, args=(mine, next(_sessions)), daemon=True, name="kata-ranks-serve"
        )
        self.thread.start()

    def join(self, timeout: float | None = None) -> None:
        if self.thread is not None:
            self.thread.join(timeout)
            if not self.thread.is_alive():
                self.thread = None
        self.ends = None

    def close(self) -> None:
        """The owner is done: wait briefly for the last child's calls, then stop the workers."""
        self.join(5.0)
        if self.thread is None:
            pool.close_pool()
        else:  # still inside a call: kill, do not wait
            pool.discard_pool()


def _serve(conn: Connection, session: int) -> None:
    discarded = False  # a hang, a death or an abort took the workers
    try:
        while True:
            try:
                msg = conn.recv()
            except (EOFError, OSError):
                return
            if msg[0] != "call":
                continue  # an abort that came after its call had ended
            _, seq, call = msg
            call.session = session
            try:
                outcome = pool.execute(call, abort=conn)
            except pool.Aborted:
                discarded = True
                continue  # the pool is discarded; the abort (or EOF) is read next
            except Exception as exc:  # noqa: BLE001 - the child reports it in the koan
                answer: tuple[Any, ...] = (seq, "error", f"{type(exc).__name__}: {exc}")
            else:
                answer = (seq, "ok", outcome)
                discarded = discarded or not pool.pool_pids()
            try:
                conn.send(answer)
            except OSError:
                return
    finally:
        conn.close()
        # Workers discarded by a hang, a death or an abort: fork new ones now, while
        # the learner edits, rather than at the next run's first call.
        if discarded and not pool.pool_pids():
            with contextlib.suppress(Exception):
                pool.ensure_pool()
