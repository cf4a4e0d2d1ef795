"""``kata branch`` and ``kata reset``: the two commands that use git.

``kata branch`` builds a commit with git plumbing only (a temporary index file,
``read-tree``, ``update-index``, ``write-tree``, ``commit-tree``,
``update-ref``): HEAD's tree with ``koans/`` replaced by the files of
``solutions/`` as they are on disk.  Branch ``kata-solutions`` points at it, so
that ``git diff kata-solutions -- koans/02_strides`` shows your answers against
the solutions; the name is no path of the checkout, so ``git diff kata-solutions``
and ``git log kata-solutions`` cannot mean the folder.  Your branch, your index and
your working tree are never touched.  It moves only a branch it made: the commit
it last put there is kept under ``refs/kata/branches/NAME``, and a branch whose tip
is anything else (yours, or kata's with your commits on top) is refused.  The
branch ``solutions`` that kata made before 0.3 is renamed to the new name.

``kata reset KOAN|FILE`` rewrites one koan's lines (or one lesson file) with
its shipped state, and nothing else.  The shipped state is the newest
committed version of the file, walking back from HEAD, in which that koan
(for a file: every koan) still holds a blank: HEAD's version when you never
committed your answers, an older one when you did.  Without such a version
(every version was filled in) it takes the file's first committed version.
A koan's lines are its function and the module-level helpers whose blanks are
its alone (a rank function); a deleted koan is put back at its shipped place.
The file keeps its line endings (CRLF stays CRLF).
"""

from __future__ import annotations

import ast
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

BRANCH = "kata-solutions"
# What kata branch made before 0.3: a name that `git diff solutions` confuses with the folder.
OLD_BRANCH = "solutions"
_OLD_SUBJECT = "kata branch: koans/ holds the solutions"
# refs/kata/branches/NAME: the commit kata last put on branch NAME, the proof that kata made it.
MADE_REFS = "refs/kata/branches/"
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
        self, *args: str, env: dict[str, str] | None = None, input: str | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
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


def _ident_env(git: Git) -> dict[str, str]:
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


def _tip(git: Git, ref: str) -> str:
    return git.run("rev-parse", "--verify", "-q", ref + "^{commit}", check=False).stdout.strip()


def _made_by_kata(git: Git, name: str, tip: str) -> bool:
    """Whether the tip of branch ``name`` is the commit kata last put there (nobody moved it since)."""
    return _tip(git, MADE_REFS + name) == tip


def _is_old_kata_commit(git: Git, commit: str) -> bool:
    message = git.run("log", "-1", "--format=%B", commit, check=False).stdout
    return message.startswith(_OLD_SUBJECT) and "Made by `kata branch`" in message


def _free_name(git: Git, root: Path, name: str) -> str:
    n = 2
    while _tip(git, f"refs/heads/{name}-{n}") or (root / f"{name}-{n}").exists():
        n += 1
    return f"{name}-{n}"


def _check_name(git: Git, root: Path, name: str) -> None:
    if git.run("check-ref-format", "--branch", name, check=False).returncode != 0:
        raise UsageError(f"{name!r} is not a valid git branch name")
    if (root / name).exists() or (git.top / name).exists():
        raise UsageError(
            f"{name!r} is also a file or folder of the checkout, so `git diff {name}` would be ambiguous: "
            f"choose a name that is no path (the default is {BRANCH})"
        )


def branch(root: Path, out: TextIO | None = None, name: str | None = None) -> int:
    out = out if out is not None else sys.stdout
    git = Git(root, "branch")
    name = name or BRANCH
    _check_name(git, root, name)
    on = git.run("symbolic-ref", "-q", "--short", "HEAD", check=False).stdout.strip()
    if on == name:
        raise UsageError(
            f"you are on branch {name!r}: switch back to your own branch (git switch -) before refreshing it"
        )
    ref = f"refs/heads/{name}"
    before = _tip(git, ref)
    if before and not _made_by_kata(git, name, before):
        raise UsageError(
            f"branch {name!r} exists and its tip is not the commit kata made there (your branch, or your "
            "commits on kata's): kata branch never moves it.  Use another name:\n"
            f"  kata branch --name {_free_name(git, root, name)}\n"
            f"or rename yours first: git branch -m {name} <new-name>"
        )
    # The branch kata made under its old name, which git confused with the folder: moved to the new name.
    old = _tip(git, f"refs/heads/{OLD_BRANCH}") if name == BRANCH and not before and on != OLD_BRANCH else ""
    old = old if old and _is_old_kata_commit(git, old) else ""
    files = solution_files(root)
    if not files:
        raise UsageError("solutions/ holds no chapters: nothing to build the branch from")
    with tempfile.TemporaryDirectory(prefix="kata-branch-") as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        git.run("read-tree", git.head, env=env)
        koans = git.run("ls-files", "-z", "--", git.path(KOANS), env=env).stdout
        if koans:
            git.run("update-index", "-z", "--force-remove", "--stdin", env=env, input=koans)
        blobs = git.run(
            "hash-object", "-w", "--stdin-paths", input="".join(git.path(f"{SOLUTIONS}/{f}") + "\n" for f in files)
        ).stdout.split()
        entries = []
        for f, blob in zip(files, blobs, strict=True):
            mode = "100755" if os.access(root / SOLUTIONS / f, os.X_OK) else "100644"
            entries.append(f"{mode} {blob}\t{git.path(KOANS + '/' + f)}\0")
        git.run("update-index", "-z", "--add", "--index-info", env=env, input="".join(entries))
        tree = git.run("write-tree", env=env).stdout.strip()
    if before:
        same_tree = git.run("rev-parse", before + "^{tree}").stdout.strip() == tree
        same_parent = _tip(git, before + "^1") == git.head
        if same_tree and same_parent:
            print(
                f"kata branch: {name} ({git.short(before)}) is up to date with HEAD ({git.short(git.head)})", file=out
            )
            return 0
    message = (
        f"kata branch: koans/ holds the solutions ({name})\n\nHEAD {git.head} with koans/ replaced by "
        f"the {len(files)} files of solutions/.\nMade by `kata branch`; "
        f"compare with `git diff {name} -- koans/NN_topic`.\n"
    )
    commit = git.run("commit-tree", tree, "-p", git.head, env=_ident_env(git), input=message).stdout.strip()
    git.run("update-ref", "-m", "kata branch", ref, commit, before or "0" * 40)
    git.run("update-ref", "-m", "kata branch", MADE_REFS + name, commit)
    print(
        f"kata branch: {'refreshed' if before else 'created'} branch {name} ({git.short(commit)}): "
        f"HEAD ({git.short(git.head)}) with koans/ replaced by solutions/ ({len(files)} files).\n"
        f"Your branch, index and working tree are untouched.  Compare a chapter with:\n"
        f"  git diff {name} -- koans/{files[0].split('/')[0]}",
        file=out,
    )
    if old:
        git.run("update-ref", "-d", f"refs/heads/{OLD_BRANCH}", old)
        print(
            f"kata branch: the branch {OLD_BRANCH} that an older kata branch made is renamed {name} "
            f"(`git diff {OLD_BRANCH}` could mean the branch or the folder)",
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


def _functions(source: str) -> dict[str, tuple[int, int]] | None:
    """(first, last) 1-based line of each module-level function, decorators included; None if no parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    return {
        node.name: (min([node.lineno, *(d.lineno for d in node.decorator_list)]), node.end_lineno or node.lineno)
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return lines


def koan_functions(shipped: str, name: str) -> list[str] | None:
    """The functions that make up koan ``name`` in a shipped file: the koan, then each helper whose
    blanks are its alone (as ``lessons`` counts them).  None if the file lacks the koan or does not parse."""
    try:
        tree = ast.parse(shipped)
    except (SyntaxError, ValueError):
        return None
    regions = koan_regions(shipped, name)
    if regions is None:
        return None
    # A region starts at its function's `def` line.
    def_lines = {n.lineno: n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return [def_lines[start] for start, _ in regions if start in def_lines]


def _put_back(mine: str, shipped: str, names: list[str]) -> str | None:
    """``mine`` with each named function as ``shipped`` has it: replaced where it is, inserted at its
    shipped place (after the function before it, or before the one after it) where it was deleted.
    None if either file does not parse."""
    theirs = _functions(shipped)
    if theirs is None:
        return None
    order = list(theirs)
    shipped_lines = _lines(shipped)
    text = mine
    for name in names:
        here = _functions(text)
        if here is None:
            return None
        lines = _lines(text)
        first, last = theirs[name]
        block = shipped_lines[first - 1 : last]
        if name in here:
            a, b = here[name]
            lines[a - 1 : b] = block
        else:
            i = order.index(name)
            before = next((here[n] for n in reversed(order[:i]) if n in here), None)
            after = next((here[n] for n in order[i + 1 :] if n in here), None)
            if before is not None:
                lines[before[1] : before[1]] = ["\n", "\n", *block]
            elif after is not None:
                lines[after[0] - 1 : after[0] - 1] = [*block, "\n", "\n"]
            else:
                lines += ["\n", "\n", *block]
        text = "".join(lines)
    return text


def _replace_regions(mine: str, shipped: str, name: str) -> str | None:
    """A file that does not parse: the koan's lines found as text (``koan_regions``'s fallback)."""
    mine_regions = koan_regions(mine, name)
    shipped_regions = koan_regions(shipped, name)
    if mine_regions is None or shipped_regions is None:
        return None
    if len(mine_regions) != len(shipped_regions):
        mine_regions, shipped_regions = mine_regions[:1], shipped_regions[:1]
    lines, theirs = _lines(mine), _lines(shipped)
    for (a0, a1), (b0, b1) in sorted(zip(mine_regions, shipped_regions, strict=True), reverse=True):
        lines[a0 - 1 : a1] = theirs[b0 - 1 : b1]
    return "".join(lines)


def _read(path: Path) -> tuple[str, str]:
    """(text with LF line ends, the file's line end): a CRLF file is written back CRLF."""
    raw = path.read_bytes().decode("utf-8")
    return raw.replace("\r\n", "\n"), "\r\n" if "\r\n" in raw else "\n"


def _write(path: Path, text: str, eol: str) -> None:
    path.write_bytes(text.replace("\n", eol).encode("utf-8"))


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
    shipped = shipped.replace("\r\n", "\n")
    note = "" if with_blanks else " (no committed version still had its blanks: this is the first one)"
    if target.kind == "file":
        before, eol = _read(path) if path.is_file() else (None, "\n")
        if before != shipped:
            path.parent.mkdir(parents=True, exist_ok=True)
            _write(path, shipped, eol)
        what = f"{rel} is back to its shipped state from commit {git.short(commit)}{note}"
        if before == shipped:
            what = f"{rel} already is in its shipped state (commit {git.short(commit)})"
        cleared = {r.id for r in target.koans}
    else:
        ref = target.koans[0]
        mine, eol = _read(path)
        functions = koan_functions(shipped, ref.name)
        mine_functions = _functions(mine)
        if functions is not None and mine_functions is not None:
            new = _put_back(mine, shipped, functions)
        else:
            new = _replace_regions(mine, shipped, ref.name)
        if new is None:
            where = "your file" if koan_regions(mine, ref.name) is None else f"commit {git.short(commit)}"
            raise UsageError(
                f"{ref.name} is not in {where} and your file does not parse: fix its syntax, or reset the "
                f"whole file with `kata reset {rel}` (that discards every answer in it)"
            )
        helpers = [f for f in functions or [] if f != ref.name]
        with_helpers = f" with its helper{'s' if len(helpers) > 1 else ''} {', '.join(helpers)}" if helpers else ""
        if new != mine:
            _write(path, new, eol)
            restored = mine_functions is not None and ref.name not in mine_functions
            what = (
                f"{ref.id}{with_helpers} is {'restored' if restored else 'back to its shipped state'} "
                f"from commit {git.short(commit)}{note}; your other answers in the file are untouched"
            )
        else:
            what = f"{ref.id}{with_helpers} already is in its shipped state (commit {git.short(commit)})"
        cleared = {ref.id}
    solved = cache.read_solved(root)
    if solved & cleared:
        cache.write_solved(root, solved - cleared)
    print(f"kata reset: {what}", file=out)
    return 0
