"""The watch's assertion-rewrite cache (kata/commands/watch/rewrite_cache.py), the one adapter over a private
pytest function, ``_pytest.assertion.rewrite._rewrite_test``.

These tests fail loudly when a pytest release changes what the adapter relies on: the function's name and
signature, a pair ending in the rewritten code, that pytest's import hook looks it up by module global at each
import (so the wrapper the adapter installs is what pytest calls), and that what the wrapper serves is what the
hook can use, with bytecode writing on and off.  The watch itself falls back to plain rewriting.
"""

from __future__ import annotations

import inspect
import json
import marshal
import os
import types

import pytest
from _pytest.assertion import rewrite

from kata.commands.watch import rewrite_cache

CHANGED = (
    f"pytest {pytest.__version__} changed _pytest.assertion.rewrite._rewrite_test; "
    "kata/commands/watch/rewrite_cache.py must follow it"
)


@pytest.fixture
def adapter(monkeypatch):
    """install() replaces pytest's function and fills a module-level memo: both restored afterwards."""
    monkeypatch.setattr(rewrite, "_rewrite_test", rewrite._rewrite_test)
    monkeypatch.setattr(rewrite_cache, "_rewritten", {})
    return rewrite_cache


def test_the_private_function_has_the_signature_the_adapter_wraps():
    assert callable(getattr(rewrite, "_rewrite_test", None)), CHANGED
    assert list(inspect.signature(rewrite._rewrite_test).parameters) == ["fn", "config"], CHANGED
    # The hook calls it by its module-global name; a hook that bound it otherwise would bypass the wrapper.
    assert "_rewrite_test(fn, self.config)" in inspect.getsource(rewrite.AssertionRewritingHook.exec_module), CHANGED


def test_it_returns_a_pair_ending_in_the_rewritten_code_of_a_file(tmp_path, pytestconfig):
    # The first element is for the hook's pyc writer: a stat up to pytest 9.0, a source hash from 9.2 on.
    lesson = tmp_path / "test_lesson.py"
    lesson.write_text("def test_it():\n    x = 1\n    assert x == 2\n")
    result = rewrite._rewrite_test(lesson, pytestconfig)
    assert isinstance(result, tuple), CHANGED
    assert len(result) == 2, CHANGED
    co = result[1]
    assert isinstance(co, types.CodeType), CHANGED
    namespace: dict[str, object] = {}
    exec(co, namespace)
    with pytest.raises(AssertionError) as info:
        namespace["test_it"]()  # type: ignore[operator]
    assert "assert 1 == 2" in str(info.value), "the code came back without pytest's assertion rewriting"


def test_install_records_fresh_rewrites_and_serves_remembered_ones(tmp_path, pytestconfig, adapter):
    lesson = tmp_path / "test_lesson.py"
    lesson.write_text("def test_it():\n    assert 1 == 1\n")
    fresh = adapter.install()
    co = rewrite._rewrite_test(lesson, pytestconfig)[1]
    st = os.stat(lesson)
    key = (str(lesson), st.st_mtime_ns, st.st_size)
    assert list(fresh) == [key]
    assert marshal.loads(fresh[key][1]) == co

    # The parent keeps the child's export; the next child is served the same code without rewriting.
    adapter.keep(adapter.export(fresh))
    again = adapter.install()
    assert rewrite._rewrite_test(lesson, pytestconfig)[1] == co
    assert again == {}


def test_keep_holds_only_the_newest_version_of_a_file(adapter):
    adapter.keep([["/k/test_a.py", 1, 10, None, "b2xk"], ["/k/test_b.py", 1, 10, "aA==", "Yg=="]])
    adapter.keep([["/k/test_a.py", 2, 11, None, "bmV3"]])
    assert adapter._rewritten == {("/k/test_a.py", 2, 11): (None, b"new"), ("/k/test_b.py", 1, 10): (b"h", b"b")}


def test_what_the_parent_keeps_is_what_the_child_exported(tmp_path, pytestconfig, adapter):
    # The first element survives the trip through JSON: a source hash as bytes, a stat as None (taken afresh).
    lesson = tmp_path / "test_lesson.py"
    lesson.write_text("def test_it():\n    assert 1 == 1\n")
    fresh = adapter.install()
    first, co = rewrite._rewrite_test(lesson, pytestconfig)
    adapter.keep(json.loads(json.dumps(adapter.export(fresh))))
    adapter.install()
    served_first, served_co = rewrite._rewrite_test(lesson, pytestconfig)
    assert served_co == co
    assert served_first == first


def test_install_fails_with_import_or_attribute_error_where_pytest_lacks_the_function(monkeypatch, adapter):
    # What the watch's child catches to fall back to pytest's own rewriting.
    monkeypatch.delattr(rewrite, "_rewrite_test")
    with pytest.raises(AttributeError):
        adapter.install()


PLUGIN = """
import marshal
import os
import pathlib

from _pytest.assertion import rewrite

from kata.commands.watch import rewrite_cache

FRESH = {}  # the dict install() fills as this run rewrites files


def pytest_configure(config):
    # What the parent remembered for test_served.py: code that is not what the file says.
    path = os.path.join(str(config.rootpath), "test_served.py")
    st = os.stat(path)
    code = compile("def test_from_the_memo():\\n    pass\\n", path, "exec")
    # The first element as this pytest makes it (a source hash, or a stat the adapter takes afresh).
    first = rewrite._rewrite_test(pathlib.Path(path), config)[0]
    source_hash = first if isinstance(first, bytes) else None
    rewrite_cache._rewritten[(path, st.st_mtime_ns, st.st_size)] = (source_hash, marshal.dumps(code))
    global FRESH
    FRESH = rewrite_cache.install()


def pytest_unconfigure(config):
    # Plugins' own modules (pytest-benchmark's, imported late) are rewritten too; the lessons are here.
    here = str(config.rootpath)
    print("fresh:", sorted(os.path.basename(k[0]) for k in FRESH if os.path.dirname(k[0]) == here))
"""


@pytest.mark.parametrize("bytecode", ["off", "on"])
def test_pytest_imports_lesson_files_through_the_installed_wrapper(pytester, monkeypatch, bytecode):
    # Off (the watch's fast path): pytest rewrites each test file at import.  On: pytest also writes each
    # rewritten file's pyc with what the wrapper returned, so a served pair must fit its pyc writer.
    if bytecode == "off":
        monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    else:
        monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    pytester.makepyfile(
        memo_plugin=PLUGIN,
        test_served="def test_on_disk():\n    assert False\n",
        test_fresh="def test_rewritten():\n    x = 1\n    assert x == 2\n",
    )
    result = pytester.runpytest_subprocess(
        "-p", "memo_plugin", "-p", "no:randomly", "-p", "no:cacheprovider", "-v", "-s"
    )
    out = result.stdout.str() + result.stderr.str()
    # A served pair the hook cannot use breaks the lesson's import (pytest 9.2 writes pycs from a source hash,
    # not a stat: "TypeError: a bytes-like object is required").
    assert result.parseoutcomes() == {"passed": 1, "failed": 1}, f"{CHANGED}:\n{out[-3000:]}"
    result.stdout.fnmatch_lines(
        [
            "*test_fresh.py::test_rewritten FAILED*",
            "*test_served.py::test_from_the_memo PASSED*",
            "E       assert 1 == 2",
            "fresh: ['test_fresh.py']",
        ]
    )
    assert "test_on_disk" not in out, CHANGED
