"""The command line: ``python -m kata COMMAND`` (also installed as ``kata``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path




def find_root(start: Path | None = None) -> Path | None:
    """The kata's checkout: the nearest folder up from here holding koans/ and kata/."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "koans").is_dir() and (folder / "kata").is_dir():
            return folder
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kata", description="The PyTorch koans kata.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    verify = commands.add_parser(
        "verify", help="prove the kata honest: solutions pass, koans fail at their blanks, files mirror",
        description="Prove the kata honest. Exits non-zero naming each koan that breaks a rule.")
    verify.add_argument("--static", action="store_true",
                        help="only the file rules (mirrored files and koans, blanks, docstrings, hints): seconds")
    verify.add_argument("--chapter", action="append", metavar="NN_topic",
                        help="only this chapter (repeatable); skips the kit's own tests")
    verify.add_argument("-n", "--workers", default="auto",
                        help="pytest-xdist workers (default auto; 0 runs in one process)")
    verify.add_argument("--seed", type=int, default=None,
                        help="pytest-randomly seed, to repeat an earlier run's order")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    root = find_root()
    if root is None:
        print("kata: run this inside the kata's checkout (no koans/ folder found here or above)",
              file=sys.stderr)
        return 2
    if args.command == "verify":
        from kata import verify

        chapters = [c.strip("/").split("/")[-1] for c in args.chapter] if args.chapter else None
        return verify.run(root, chapters, static_only=args.static, workers=args.workers, seed=args.seed)
    return 2



