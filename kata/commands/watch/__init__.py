"""``kata watch [CHAPTER]``: rerun the chapter on every save, with feedback in a fraction of a second.

Three parts: ``events`` notices a save, ``forkserver`` runs pytest in a warm
forked child, ``render`` shows the verdict; ``rewrite_cache`` is the adapter
to pytest's private assertion rewriter (the only one the kit uses).

Each part's module says how it works; the whole: the watch imports pytest and
torch once, and a save makes one run, in a forked child that starts warm, whose
verdict shows in a fraction of a second.  The distributed koans' rank processes
belong to the watch and serve every run (``kata.ranks.remote``).  A run that
goes on for seconds says so, and which koan it is on; one the time limit ends
says which koan it stopped; no child outlives the watch.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from pathlib import Path
from typing import TextIO

from kata.commands.watch import rewrite_cache
from kata.commands.watch.events import Snapshot, changed_files, file_events, snapshot, wait_for_change
from kata.commands.watch.forkserver import Result, import_more, prepare_ranks, run_in_child, warm_up
from kata.commands.watch.render import render, running
from kata.layout import KOANS, chapter_arg, lesson_rel
from kata.lessons.index import index, resolve
from kata.ranks import remote
from kata.state.progress import position

WAITING = "kata watch: waiting for a save (Ctrl-C to stop)"
# Where the output is not a terminal (a log, a test), a long run says so this often.
QUIET_PROGRESS_EVERY = 10.0


class Watch:
    def __init__(
        self,
        root: Path,
        chapter: str | None,
        out: TextIO | None = None,
        interval: float = 0.05,
        debounce: float = 0.03,
        clear: bool = False,
        events: bool = True,
    ) -> None:
        self.out: TextIO = out if out is not None else sys.stdout
        self.root, self.pinned = root, chapter
        self.interval, self.debounce, self.clear = interval, debounce, clear
        self.runs = 0
        self.events = file_events(root) if events else None
        self.ranks = remote.Server()
        self.progress_open = False  # a "still running" line waits to be overwritten (a terminal)
        self.progress_shown = 0.0  # when this run's last "still running" line was written (not a terminal)

    def chapter(self) -> str:
        if self.pinned:
            return self.pinned
        pos = position(self.root)
        here = pos.current or (pos.refs[-1] if pos.refs else None)
        return here.chapter if here is not None else ""

    def say(self, lines: list[str]) -> None:
        if self.clear:
            self.out.write("\x1b[2J\x1b[H")
        elif self.progress_open:
            self.out.write("\n")
        self.progress_open = False
        self.out.write("\n".join(lines) + "\n")
        self.out.flush()

    def progress(self, chapter: str, seconds: float, koan: str | None) -> None:
        """A run has gone on for a while: say so, on one line a terminal rewrites in place."""
        line = running(chapter, seconds, koan)
        if self.clear:
            self.out.write("\r\x1b[K" + line)
            self.progress_open = True
        elif seconds - self.progress_shown >= QUIET_PROGRESS_EVERY:  # a log, not a screen: fewer lines
            self.out.write(line + "\n")
            self.progress_shown = seconds
        self.out.flush()

    def run(self, trigger: str, since: Snapshot) -> Result:
        chapter = self.chapter()
        self.progress_shown = -QUIET_PROGRESS_EVERY
        target = lesson_rel(KOANS, chapter)
        prepare_ranks(self.root, target)
        result = run_in_child(
            self.root,
            target,
            cancel=lambda: snapshot(self.root) != since,
            progress=lambda seconds, koan: self.progress(chapter, seconds, koan),
            server=self.ranks,
        )
        if result.cancelled:  # saved again while it ran: the next run starts at once
            self.say([f"kata watch: koans/{chapter}: saved again while it ran; starting over"])
            return result
        self.runs += 1
        lines = render(self.root, result, chapter, trigger)
        if not self.pinned and result.code == 0 and not result.errors:
            after = self.chapter()
            if after != chapter:
                lines.append(f"next: koans/{after}, from your next save")
        self.say([*lines, "", WAITING])
        import_more(result.modules)
        rewrite_cache.keep(result.rewritten)
        gc.freeze()
        return result

    def loop(self, max_runs: int | None = None) -> int:
        since = snapshot(self.root)
        self.out.write("kata watch: ready; the first run starts\n")
        self.out.flush()
        self.run("first run", since)
        while max_runs is None or self.runs < max_runs:
            now = wait_for_change(self.root, since, self.interval, self.debounce, events=self.events)
            if now is None:  # no timeout given: only a change returns
                continue
            names = [Path(p).name for p in changed_files(since, now)]
            since = now
            self.run("saved " + ", ".join(names[:3]) + (" ..." if len(names) > 3 else ""), since)
        return 0


def main(
    root: Path,
    chapter: str | None,
    max_runs: int | None = None,
    interval: float = 0.05,
    debounce: float = 0.03,
    clear: bool | None = None,
    poll: bool = False,
    out: TextIO | None = None,
) -> int:
    out = out if out is not None else sys.stdout
    if not hasattr(os, "fork"):
        print("kata watch needs os.fork (Linux or macOS); run pytest on the chapter instead", file=out)
        return 2
    if chapter is not None:
        target = resolve(index(root), chapter_arg(chapter, root), root, kinds=("chapter",))
        chapter = target.chapter
    watch = Watch(root, chapter, out, interval, debounce, clear if clear is not None else out.isatty(), events=not poll)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # SIGTERM and a closed terminal end the watch as Ctrl-C does: the child is stopped first.
    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        how = "file events (inotify)" if watch.events else f"polling every {interval:g} s"
        print(
            f"kata watch: warming up (importing pytest and what the koans import, once); saves are noticed by {how}",
            file=out,
            flush=True,
        )
        warm_up(root, lesson_rel(KOANS, watch.chapter()))
        gc.collect()
        gc.freeze()
        return watch.loop(max_runs)
    except KeyboardInterrupt:
        print("\nkata watch: stopped", file=out)
        return 0
    finally:
        # A second Ctrl-C must not leave the rank workers half-stopped, nor print a traceback.
        ignored = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            watch.ranks.close()
        finally:
            for s, handler in ignored.items():
                signal.signal(s, handler)
        for s, handler in previous.items():
            signal.signal(s, handler)
        if watch.events is not None:
            watch.events.close()
