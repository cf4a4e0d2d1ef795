"""Noticing a save: snapshots of the lesson files, and Linux's inotify as a wake-up call.

A save is a change of a lesson file's (mtime, size, inode) between two scans
(a scan of the path's ~100 files costs well under a millisecond).  On Linux,
inotify (through ctypes) wakes the watch the moment a chapter folder changes;
elsewhere, or with ``--poll``, or where inotify fails (some network and
container file systems), it scans every ``--interval`` seconds.  A change
counts only once the files have been still for ``--debounce`` seconds, so an
editor's several writes for one save make one run.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from kata import layout
from kata.layout import KOANS

Snapshot = dict[str, tuple[int, int, int]]


def snapshot(root: Path) -> Snapshot:
    """(mtime_ns, size, inode) of every lesson file under koans/; a deleted file drops out."""
    out: Snapshot = {}
    for chapter in layout.chapters(root / KOANS):
        try:
            entries = list(os.scandir(chapter))
        except OSError:
            continue
        for e in entries:
            if Path(e.name).match(layout.LESSON_GLOB):
                try:
                    st = e.stat()
                except OSError:
                    continue
                out[e.path] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return out


class _Inotify:
    """Linux file events through ctypes: wakes the watch the moment a lesson folder changes.

    Only a wake-up call: whether a lesson file really changed is still decided by
    comparing snapshots, so an event for a bytecode file or a swap file runs nothing.
    """

    _MASK = 0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200  # modify attrib close_write moved create delete

    def __init__(self, root: Path) -> None:
        import ctypes
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        self._add = libc.inotify_add_watch
        self._add.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        self.fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self.root = root
        self.watched: set[str] = set()
        self.rewatch()

    def rewatch(self) -> None:
        """Watch koans/ (for new chapters) and every chapter folder."""
        for folder in [self.root / KOANS, *layout.chapters(self.root / KOANS)]:
            key = str(folder)
            if key not in self.watched and self._add(self.fd, os.fsencode(key), self._MASK) >= 0:
                self.watched.add(key)

    def wait(self, timeout: float) -> None:
        import select

        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            try:
                while os.read(self.fd, 65536):
                    pass
            except BlockingIOError:
                pass
            self.rewatch()

    def close(self) -> None:
        os.close(self.fd)


def file_events(root: Path) -> _Inotify | None:
    """Linux's inotify where it works; None (the watch then polls) everywhere else."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return _Inotify(root)
    except (OSError, AttributeError):
        return None


def wait_for_change(
    root: Path,
    since: Snapshot,
    interval: float = 0.05,
    debounce: float = 0.03,
    timeout: float | None = None,
    events: _Inotify | None = None,
) -> Snapshot | None:
    """Block until a lesson file differs from ``since`` and then stays still for ``debounce``
    seconds; the settled snapshot, or None after ``timeout`` seconds without a change.

    With ``events`` it sleeps until the file system says something happened (and at
    least every half second, in case an event was missed); without, it polls every
    ``interval`` seconds.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        now = snapshot(root)
        if now != since:
            break
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            return None
        pause = 0.5 if events is not None else interval
        pause = pause if left is None else min(pause, left)
        if events is not None:
            events.wait(pause)
        else:
            time.sleep(pause)
    while True:  # settle: one save can be several writes (truncate, write, rename, chmod)
        time.sleep(debounce)
        later = snapshot(root)
        if later == now:
            return now
        now = later


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
