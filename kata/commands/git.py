"""``kata branch`` and ``kata reset``: the two commands that use git.

``kata branch`` builds a commit with git plumbing only (a temporary index file,
``read-tree``, ``update-index``, ``write-tree``, ``commit-tree``,
``update-ref``): HEAD's tree with ``koans/`` replaced by the files of
``solutions/`` as they are on disk.  Branch ``solutions`` points at it, so that
``git diff solutions -- koans/02_strides`` shows your answers against the
solutions.  Your branch, your index and your working tree are never touched.

``kata reset KOAN|FILE`` rewrites one koan's lines (or one lesson file) with
its shipped state, and nothing else.  The shipped state is the newest
committed version of the file, walking back from HEAD, in which that koan
(for a file: every koan) still holds a blank: HEAD's version when you never
committed your answers, an older one when you did.  Without such a version
(every version was filled in) it takes the file's first committed version.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from typing import TextIO

from kata import layout
from kata.layout import KOANS, SOLUTIONS, UsageError
from kata.lessons import koan_regions, parse_source
from kata.lessons.index import index, resolve
from kata.state import cache

BRANCH = "solutions"
_FALLBACK_IDENT = {
    "GIT_AUTHOR_NAME": "kata",
    "GIT_AUTHOR_EMAIL": "kata@localhost",
    "GIT_COMMITTER_NAME": "kata",
    "GIT_COMMITTER_EMAIL": "kata@localhost",
}


class Git:
    def __init__(self, root: Path, command: str) -> None:
        self.root = root
        self.cwd = root
        try:
            top = self.run("rev-parse", "--show-toplevel", check=False)
        except FileNotFoundError:
            raise UsageError(f"kata {command} needs git, which is not installed") from None
        if top.returncode != 0:
            raise UsageError(
                f"kata {command} needs the kata's git checkout, and {root} is not in a git "
                "repository: there is no shipped version to go back to"
            )
        self.top = Path(top.stdout.strip()).resolve()
        self.cwd = self.top  # every path below is relative to the repository's top
        prefix = root.resolve().relative_to(self.top).as_posix()
        self.prefix = "" if prefix == "." else prefix + "/"
        head = self.run("rev-parse", "--verify", "-q", "HEAD^{commit}", check=False)
        if head.returncode != 0:
            raise UsageError(f"kata {command}: this git repository has no commit yet")
        self.head = head.stdout.strip()

    def run(
        self, *args: str, env: dict | None = None, input: str | None = None, check: bool = True
    ) -> subprocess.CompletedProcess:
        result = subprocess.run(
            ["git", *args], cwd=self.cwd, capture_output=True, text=True, env={**os.environ, **(env or {})}, input=input
        )
        if check and result.returncode != 0:
            raise UsageError(f"git {' '.join(args[:3])} failed: {result.stderr.strip()}")
        return result

    def path(self, rel: str) -> str:
        return self.prefix + rel

    def short(self, rev: str) -> str:
        return rev[:10]


# -- kata branch ----------------------------------------------------------------------------


def _ident_env(git: Git) -> dict:
    ok = (
        git.run("var", "GIT_COMMITTER_IDENT", check=False).returncode == 0
        and git.run("var", "GIT_AUTHOR_IDENT", check=False).returncode == 0
    )
    return {} if ok else dict(_FALLBACK_IDENT)


def solution_files(root: Path) -> list[str]:
    """Files of solutions/ to put under koans/: every file of each chapter, no bytecode."""
    out = []
    base = root / SOLUTIONS
    for chapter in layout.chapters(base):
        for p in sorted(chapter.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"):
                out.append(p.relative_to(base).as_posix())
    return out


def branch(root: Path, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    git = Git(root, "branch")
    on = git.run("symbolic-ref", "-q", "--short", "HEAD", check=False).stdout.strip()
    if on == BRANCH:
        raise UsageError(
            f"you are on branch {BRANCH!r}: switch back to your own branch (git switch -) before refreshing it"
        )
    files = solution_files(root)
    if not files:
        raise UsageError("solutions/ holds no chapters: nothing to build the branch from")
    with tempfile.TemporaryDirectory(prefix="kata-branch-") as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        git.run("read-tree", git.head, env=env)
        old = git.run("ls-files", "-z", "--", git.path(KOANS), env=env).stdout
        if old:
            git.run("update-index", "-z", "--force-remove", "--stdin", env=env, input=old)
        blobs = git.run(
            "hash-object", "-w", "--stdin-paths", input="".join(git.path(f"{SOLUTIONS}/{f}") + "\n" for f in files)
        ).stdout.split()
        entries = []
        for f, blob in zip(files, blobs, strict=True):
            mode = "100755" if os.access(root / SOLUTIONS / f, os.X_OK) else "100644"
            entries.append(f"{mode} {blob}\t{git.path(KOANS + '/' + f)}\0")
        git.run("update-index", "-z", "--add", "--index-info", env=env, input="".join(entries))
        tree = git.run("write-tree", env=env).stdout.strip()
    ref = f"refs/heads/{BRANCH}"
    before = git.run("rev-parse", "--verify", "-q", ref + "^{commit}", check=False).stdout.strip()
    if before:
        same_tree = git.run("rev-parse", before + "^{tree}").stdout.strip() == tree
        same_parent = git.run("rev-parse", "--verify", "-q", before + "^1", check=False).stdout.strip() == git.head
        if same_tree and same_parent:
            print(
                f"kata branch: {BRANCH} ({git.short(before)}) is up to date with HEAD ({git.short(git.head)})", file=out
            )
            return 0
    message = (
        f"kata branch: koans/ holds the solutions\n\nHEAD {git.head} with koans/ replaced by "
        f"the {len(files)} files of solutions/.\nMade by `kata branch`; "
        f"compare with `git diff {BRANCH} -- koans/NN_topic`.\n"
    )
    commit = git.run("commit-tree", tree, "-p", git.head, env=_ident_env(git), input=message).stdout.strip()
    git.run("update-ref", "-m", "kata branch", ref, commit, *([before] if before else []))
    print(
        f"kata branch: {'refreshed' if before else 'created'} branch {BRANCH} ({git.short(commit)}): "
        f"HEAD ({git.short(git.head)}) with koans/ replaced by solutions/ ({len(files)} files).\n"
        f"Your branch, index and working tree are untouched.  Compare a chapter with:\n"
        f"  git diff {BRANCH} -- koans/{files[0].split('/')[0]}",
        file=out,
    )
    return 0


# -- kata reset -----------------------------------------------------------------------------


def _has_blanks(source: str, names: list[str] | None) -> bool:
    """Whether the named koans (every koan, for None) of a version of a file still hold a blank."""
    try:
        lesson = parse_source(Path("<shipped>"), source)
    except (SyntaxError, ValueError):
        return False
    koans = lesson.koans if names is None else [k for k in lesson.koans if k.name in names]
    if not koans or (names is not None and len(koans) != len(names)):
        return False
    return all(k.blanks for k in koans)


def shipped_version(git: Git, rel: str, names: list[str] | None) -> tuple[str, str, bool]:
    """(source, commit, found with blanks) of a file's shipped state; see the module docstring."""
    log = git.run("log", "--format=%H", git.head, "--", git.path(rel), check=False).stdout.split()
    versions = []
    for commit in log:
        shown = git.run("show", f"{commit}:{git.path(rel)}", check=False)
        if shown.returncode != 0:
            continue  # the commit that deleted it
        if _has_blanks(shown.stdout, names):
            return shown.stdout, commit, True
        versions.append((shown.stdout, commit))
    if not versions:
        raise UsageError(f"{rel} was never committed to git: there is no shipped version to go back to")
    source, commit = versions[-1]
    return source, commit, False


def _replace_regions(mine: str, shipped: str, name: str) -> str | None:
    mine_regions = koan_regions(mine, name)
    shipped_regions = koan_regions(shipped, name)
    if mine_regions is None or shipped_regions is None:
        return None
    if len(mine_regions) != len(shipped_regions):
        mine_regions, shipped_regions = mine_regions[:1], shipped_regions[:1]
    lines = mine.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    theirs = shipped.splitlines(keepends=True)
    if theirs and not theirs[-1].endswith("\n"):
        theirs[-1] += "\n"
    for (a0, a1), (b0, b1) in sorted(zip(mine_regions, shipped_regions), reverse=True):
        lines[a0 - 1 : a1] = theirs[b0 - 1 : b1]
    return "".join(lines)


def reset(root: Path, query: str, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    target = resolve(index(root), query, root, kinds=("koan", "file"))
    rel = layout.lesson_rel(KOANS, target.chapter, target.file)
    path = root / rel
    git = Git(root, "reset")
    names = [target.koans[0].name] if target.kind == "koan" else None
    if target.kind == "koan" and not path.is_file():
        raise UsageError(f"{rel} is gone: reset the whole file with `kata reset {rel}`")
    shipped, commit, with_blanks = shipped_version(git, rel, names)
    note = "" if with_blanks else " (no committed version still had its blanks: this is the first one)"
    if target.kind == "file":
        before = path.read_text(encoding="utf-8") if path.is_file() else None
        if before != shipped:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(shipped, encoding="utf-8")
        what = f"{rel} is back to its shipped state from commit {git.short(commit)}{note}"
        if before == shipped:
            what = f"{rel} already is in its shipped state (commit {git.short(commit)})"
        cleared = {r.id for r in target.koans}
    else:
        ref = target.koans[0]
        mine = path.read_text(encoding="utf-8")
        new = _replace_regions(mine, shipped, ref.name)
        if new is None:
            where = "your file" if koan_regions(mine, ref.name) is None else f"commit {git.short(commit)}"
            raise UsageError(f"{ref.name} is not in {where}; reset the whole file with `kata reset {rel}`")
        if new != mine:
            path.write_text(new, encoding="utf-8")
            what = (
                f"{ref.id} is back to its shipped state from commit {git.short(commit)}{note}; "
                "your other answers in the file are untouched"
            )
        else:
            what = f"{ref.id} already is in its shipped state (commit {git.short(commit)})"
        cleared = {ref.id}
    solved = cache.read_solved(root)
    if solved & cleared:
        cache.write_solved(root, solved - cleared)
    print(f"kata reset: {what}", file=out)
    return 0
