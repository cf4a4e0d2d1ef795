"""The command line: ``python -m kata COMMAND`` (also installed as ``kata``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kata import __version__
from kata.layout import UsageError, chapter_arg, locate_root

DESCRIPTION = """\
The PyTorch koans kata: learn PyTorch by filling in the blanks of failing tests.

The loop is pytest's:
  pytest koans/01_tensors          run a chapter; it stops at the first unsolved koan
                                   and shows its lesson and the blank's file:line
  (fill in the blank `__`, save, and run it again)
  pytest koans/01_tensors --hint   the same, with the koan's hint
  pytest                           the whole path, in order

The commands below add to that loop; they never replace pytest.  Every command
that takes a chapter accepts 02_strides, koans/02_strides, solutions/02_strides or
a path inside it."""

EPILOG = "Maintainers: `kata verify` is the test CI runs; CONTRIBUTING.md says how to write a koan."


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kata", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_companion(commands)
    _add_maintainer(commands)
    return parser


def _add_maintainer(commands: Any) -> None:
    """The maintainers' checks, last: a learner never needs them."""
    verify = commands.add_parser(
        "verify",
        help="for maintainers: prove the kata honest: solutions pass, koans fail at their blanks, files mirror",
        description="Prove the kata honest. Exits non-zero naming each koan that breaks a rule.",
    )
    verify.add_argument(
        "--static",
        action="store_true",
        help="only the file rules (mirrored files and koans, blanks, docstrings, hints): seconds",
    )
    verify.add_argument(
        "--chapter",
        action="append",
        metavar="CHAPTER",
        help="only this chapter (repeatable); skips the kit's own tests",
    )
    verify.add_argument(
        "-n", "--workers", default="auto", help="pytest-xdist workers (default auto; 0 runs in one process)"
    )
    verify.add_argument("--seed", type=int, default=None, help="pytest-randomly seed, to repeat an earlier run's order")
    verify.add_argument(
        "--no-mutants",
        dest="mutate",
        action="store_false",
        help="skip the wrong-answer check (each solution's literal answers nudged must fail)",
    )
    mutants = commands.add_parser(
        "mutants",
        help="for maintainers: check that a nudged answer (3->4, True->False, a dtype) fails each koan",
        description="Run every solution with one literal answer nudged; report the koans that still pass.",
    )
    mutants.add_argument("--chapter", action="append", metavar="CHAPTER", help="only this chapter (repeatable)")
    mutants.add_argument("-n", "--workers", default="auto", help="pytest-xdist workers (default auto)")


def _add_companion(commands: Any) -> None:
    """The learner's companion commands (they add to pytest, never replace it)."""
    watch = commands.add_parser(
        "watch",
        help="rerun the chapter on every save, showing only the current koan's verdict",
        description="Run the chapter (default: the one you are on), then rerun it each time a koan file "
        "is saved, from a warm process that has imported torch and pytest once.",
    )
    watch.add_argument("chapter", nargs="?", metavar="CHAPTER", help="pin a chapter (default: follow your progress)")
    watch.add_argument(
        "--max-runs", type=int, default=None, metavar="N", help="stop after N runs (for scripts and tests)"
    )
    watch.add_argument("--interval", type=float, default=0.05, metavar="S", help="seconds between polls (default 0.05)")
    watch.add_argument(
        "--debounce",
        type=float,
        default=0.03,
        metavar="S",
        help="seconds the files must stay still before a run (default 0.03)",
    )
    watch.add_argument(
        "--poll",
        action="store_true",
        help="scan the files every --interval seconds instead of using file events (inotify)",
    )
    watch.add_argument(
        "--clear",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="clear the screen before each verdict (default: when on a terminal)",
    )

    progress = commands.add_parser(
        "progress",
        help="the whole path as a table, and the next koan to work on",
        description="The path, one row per chapter: koans done / total / skipped for missing hardware. "
        "Reads what your latest pytest runs recorded (pytest's cache) unless --run is given.",
    )
    progress.add_argument(
        "--run", action="store_true", help="run every koan first (in parallel, pytest-xdist) and record the results"
    )
    progress.add_argument(
        "-n", "--workers", default="auto", help="pytest-xdist workers for --run (default auto; 0 runs in one process)"
    )

    hint = commands.add_parser(
        "hint",
        help="the hint of the koan you are on (or of KOAN), never its answer",
        description="Show the hint of the first unsolved koan, or of the koan (FILE::NAME or NAME), "
        "lesson file or chapter you name.",
    )
    hint.add_argument("koan", nargs="?", metavar="KOAN", help="a koan name, FILE::NAME, a lesson file or a chapter")

    compare = commands.add_parser(
        "compare",
        help="a diff of your koans against their solutions (solved koans only, unless --spoil)",
        description="A unified diff of your koan(s) in koans/ against solutions/. Koans you have not "
        "solved yet (per your latest pytest runs) are withheld unless --spoil is given. "
        "Without an argument: the chapter you are on.",
    )
    compare.add_argument("target", nargs="?", metavar="KOAN|FILE|CHAPTER")
    compare.add_argument("--spoil", action="store_true", help="show koans you have not solved yet too")

    branch = commands.add_parser(
        "branch",
        help="create or refresh the git branch `kata-solutions`, whose koans/ holds the solutions",
        description="Build, with git plumbing, a commit = HEAD with koans/ replaced by solutions/, and "
        "point branch `kata-solutions` at it; then `git diff kata-solutions -- koans/02_strides` "
        "compares. Your branch, index and working tree are untouched, and a branch kata did not "
        "make is never moved.",
    )
    branch.add_argument(
        "--name", metavar="NAME", default=None, help="the branch's name (default kata-solutions; never a path)"
    )

    reset = commands.add_parser(
        "reset",
        help="put one koan (or one lesson file) back to its shipped state",
        description="Rewrite one koan's lines, or one lesson file, with its shipped version from git "
        "(the newest committed version in which it still has its blanks). Your other "
        "answers and files are untouched; the koan's solved mark is cleared.",
    )
    reset.add_argument("target", metavar="KOAN|FILE", help="a koan name, FILE::NAME, or a lesson file")


def _dispatch(root: Path, args: argparse.Namespace) -> int:
    # Each command's module is imported only when it runs: `kata hint` stays instant.
    if args.command == "verify":
        from kata.dev import verify

        chapters = [chapter_arg(c, root) for c in args.chapter] if args.chapter else None
        return verify.run(
            root, chapters, static_only=args.static, workers=args.workers, seed=args.seed, mutate=args.mutate
        )
    if args.command == "mutants":
        from kata.dev import mutants

        chapters = [chapter_arg(c, root) for c in args.chapter] if args.chapter else None
        return mutants.run(root, chapters, workers=args.workers)
    if args.command == "progress":
        from kata.commands import progress

        return progress.main(root, args.run, args.workers)
    if args.command == "hint":
        from kata.commands import hint

        return hint.main(root, args.koan)
    if args.command == "compare":
        from kata.commands import compare

        return compare.main(root, args.target, args.spoil)
    if args.command == "branch":
        from kata.commands import git

        return git.branch(root, name=args.name)
    if args.command == "reset":
        from kata.commands import git

        return git.reset(root, args.target)
    if args.command == "watch":
        from kata.commands import watch

        return watch.main(root, args.chapter, args.max_runs, args.interval, args.debounce, args.clear, args.poll)
    return 2


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return _dispatch(locate_root(), args)
    except UsageError as e:
        print(f"kata {args.command}: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # Ctrl-C: one line, no traceback; a child pytest run was ended with its workers (kata.runs.child).
        print(f"\nkata {args.command}: interrupted (Ctrl-C)", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `kata progress | head`: the reader left, nothing is wrong
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
