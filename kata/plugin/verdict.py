"""Why a koan failed: an unfilled blank, or a wrong answer.

A failure is the blank's doing when a ``BlankError`` is anywhere in the
exception chain, or when the run reached a line at or below an unfilled blank
in the koan (torch's own ``TypeError`` for ``dtype=__`` or pytest's for
``match=__`` count too).  Remote failures (the multiprocess harness) carry
their frames in ``kata_frames`` and their blank flag in ``kata_blank``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kata.blank import BlankError
from kata.lessons import Blank, Koan


@dataclass
class Verdict:
    kind: str  # "blank" or "wrong"
    reached: list[Blank] = field(default_factory=list)
    # (file, line) of the innermost frame in the koan's own file, if any.
    where: tuple[str, int] | None = None


def exception_chain(exc: BaseException | None) -> list[BaseException]:
    seen: list[BaseException] = []
    while exc is not None and not any(exc is s for s in seen):
        seen.append(exc)
        # `raise ... from None` hides the context, here as in a traceback.
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return seen


def frames_of(exc: BaseException) -> list[tuple[str, int]]:
    """(filename, line) of every frame, outermost first, remote frames last."""
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append((tb.tb_frame.f_code.co_filename, tb.tb_lineno))
        tb = tb.tb_next
    frames.extend((str(f), int(n)) for f, n in getattr(exc, "kata_frames", ()) or ())
    return frames


def judge(koan: Koan, exc: BaseException) -> Verdict:
    chain = exception_chain(exc)
    frames = [f for e in chain for f in frames_of(e)]
    here = str(koan.path)
    own = [f for f in frames if f[0] == here]
    where = own[-1] if own else None
    reached = koan.reached_blanks(frames)
    blank_raised = any(isinstance(e, BlankError) or getattr(e, "kata_blank", False) for e in chain)
    if blank_raised and not reached:
        # The blank was used somewhere we cannot place (C code, another file):
        # every unfilled blank of the koan is a suspect.
        reached = koan.blanks
    return Verdict("blank" if (reached or blank_raised) else "wrong", reached, where)
