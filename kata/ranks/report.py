"""The failure report: what the learner reads when a rank raised, died or did not finish.

The root cause comes first (the learner's screen shows the first lines only):
ranks that died (exit code or signal), then ranks still computing at the
timeout, then ranks whose error is their own, then errors that only say a
partner was lost (a connection reset, a timeout), then ranks left waiting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kata.ranks.worker import ErrorInfo, Frame, is_harness_file

HANG_ADVICE = (
    "A rank that never finishes is usually waiting for a partner that never comes: "
    "a collective called on only some ranks (inside an `if rank == ...`), a send "
    "without its recv (or a recv without its send), or a wrong src/dst."
)


class RankFailure(Exception):
    """Raised in the test when a rank raised, died or did not finish.

    ``ranks``: the ranks that failed.  ``kata_frames``: (filename, lineno) for
    every traceback frame of every failing rank (where a stuck rank was waiting,
    for a hang).  ``kata_blank``: whether some rank's exception was, or was
    caused by, an unfilled blank.
    """

    def __init__(
        self,
        message: str,
        ranks: Iterable[int] = (),
        kata_frames: Iterable[tuple[str, int]] | None = None,
        kata_blank: bool = False,
    ) -> None:
        super().__init__(message)
        self.ranks = list(ranks)
        self.kata_frames = list(kata_frames or [])
        self.kata_blank = bool(kata_blank)


# Errors a healthy rank raises because a partner failed: the partner's error is the cause.
_PEER_ERRORS = (
    "connection reset by peer",
    "connection closed by peer",
    "broken pipe",
    "socket timeout",
    "timed out",
    "timeout",
    "read error",
    "write error",
    "connection refused",
    "end of file",
)


def _is_consequence(info: ErrorInfo) -> bool:
    text = info["message"].lower()
    return any(p in text for p in _PEER_ERRORS)


def _exit_text(code: int | None) -> str:
    if isinstance(code, int) and code < 0:
        import signal

        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def rank_list(ranks: Iterable[int]) -> str:
    ordered = sorted(ranks)
    return ("rank " if len(ordered) == 1 else "ranks ") + ", ".join(map(str, ordered))


def format_frames(frames: Sequence[Frame]) -> str:
    lines = []
    for filename, lineno, name, line in frames:
        lines.append(f'  File "{filename}", line {lineno}, in {name}')
        if line:
            lines.append(f"    {line.strip()}")
    return "\n".join(lines)


def _koan_frames(stack: Sequence[Frame], path: str) -> list[Frame]:
    return [f for f in stack if f[0] == path] or [
        f for f in stack if not is_harness_file(f[0]) and not f[0].startswith("<frozen")
    ][-3:]


def _located(frames: Iterable[Frame]) -> list[tuple[str, int]]:
    return [(f[0], f[1]) for f in frames if f[1] is not None]


def failure(
    path: str,
    world_size: int,
    timeout: float,
    errors: dict[int, ErrorInfo],
    died: dict[int, int | None],
    stuck: Sequence[int],
    busy: set[int],
    stacks: dict[int, list[Frame]],
) -> RankFailure:
    """The failure report, its root cause first.

    Order: ranks that died; ranks still computing at the timeout; ranks whose
    own error is not a lost partner; then what the others saw because of them
    (a partner's connection reset, a timeout); then ranks left waiting.  The
    learner's screen shows the first lines only.
    """
    parts = []
    part_frames: list[list[tuple[str, int]]] = []
    stuck_busy = sorted(r for r in stuck if r in busy)
    stuck_idle = sorted(r for r in stuck if r not in busy)
    for rank, code in sorted(died.items()):
        parts.append(
            f"rank {rank} died ({_exit_text(code)}): its worker process ended "
            "in the middle of the call (os._exit, a crash or a kill)"
        )
        part_frames.append([])
    for rank in stuck_busy:
        lines = [
            f"rank {rank} did not finish within {timeout:g} s and was still using the CPU: "
            "it is computing, not waiting for another rank (a loop that never ends?)"
        ]
        koan = _koan_frames(stacks.get(rank) or [], path)
        if koan:
            lines.append(f"rank {rank} was running:\n{format_frames(koan)}")
        parts.append("\n".join(lines))
        part_frames.append(_located(koan))
    # Ranks that raised, grouped when they raised the same thing at the same place;
    # a group whose error is its own comes before one that lost a partner.
    groups: dict[tuple[str, str, tuple[Frame, ...]], list[int]] = {}
    for rank, info in sorted(errors.items()):
        key = (info["type"], info["message"], tuple(info["frames"]))
        groups.setdefault(key, []).append(rank)
    cause_known = bool(died or stuck_busy)
    ordered = sorted(groups.values(), key=lambda rs: (cause_known or _is_consequence(errors[rs[0]]), rs[0]))
    for group_ranks in ordered:
        info = errors[group_ranks[0]]
        head = f"{rank_list(group_ranks)} raised {info['type']}: {info['message']}"
        body = []
        if info["koan_frames"]:
            body.append(format_frames(info["koan_frames"]))
        if len(info["frames"]) > len(info["koan_frames"]) or not info["koan_frames"]:
            body.append(f"{rank_list(group_ranks)}, full traceback:\n{info['text'].rstrip()}")
        parts.append(head + "\n" + "\n".join(body))
        part_frames.append([f for rank in group_ranks for f in _located(errors[rank]["frames"])])
    if stuck_idle:
        failed = sorted(set(errors) | set(died) | set(stuck_busy))
        if failed:
            head = (
                f"{rank_list(stuck_idle)} did not finish after {rank_list(failed)} "
                f"failed: they were probably waiting for it in a collective or a recv."
            )
        else:
            head = f"{rank_list(stuck_idle)} of {world_size} did not finish within {timeout:g} s. {HANG_ADVICE}"
        lines = [head]
        waiting: list[tuple[str, int]] = []
        for rank in stuck_idle:
            koan = _koan_frames(stacks.get(rank) or [], path)
            if koan:
                lines.append(f"rank {rank} was waiting at:\n{format_frames(koan)}")
                waiting.extend(_located(koan))
        parts.append("\n".join(lines))
        part_frames.append(waiting)
    failing = sorted(set(errors) | set(died) | set(stuck))
    message = "\n\n".join(parts)
    # The plugin places a failure at the last frame in the koan's file: the
    # root cause's frames go last.
    frames = [f for fs in reversed(part_frames) for f in fs]
    blank = any(info["blank"] for info in errors.values())
    return RankFailure(message, ranks=failing, kata_frames=frames, kata_blank=blank)


def unloadable(rank: int, exc: Exception) -> RankFailure:
    return RankFailure(
        f"rank {rank} returned a value the test cannot load ({type(exc).__name__}: {exc}); "
        "return plain values or tensors, not instances of classes defined in the koan file",
        ranks=[rank],
    )


__all__ = ["HANG_ADVICE", "RankFailure", "failure", "format_frames", "rank_list", "unloadable"]
