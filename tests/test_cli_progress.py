"""`kata progress`: the path as a table, from the cache or from a run of every koan."""

from kata.commands import progress as progress_table
from kata.runs.record import Record
from kata.state import cache as progress

FOUR = "koans/01_arith/test_01_add.py::test_two_and_two_make_four"

HARDWARE = '''
    """Needs a GPU."""
    import pytest

    from kata import __

    pytestmark = pytest.mark.cuda


    def test_on_the_gpu():
        """A GPU.

        Hint: none.
        """
        assert 1 == __
'''


def row(out, chapter):
    return next(line.split()[:4] for line in out.splitlines() if line.startswith(chapter))


def test_progress_reads_the_cache_and_says_so(path, kata_cli):
    progress.write_solved(path.root, {"koans/01_arith/test_01_add.py::test_two_and_two_make_four"})
    code, out = kata_cli("progress")
    assert code == 0
    assert "from the results your latest pytest runs recorded" in out
    assert row(out, "01_arith") == ["01_arith", "1", "2", "0"]
    assert row(out, "02_more") == ["02_more", "0", "2", "0"]
    assert row(out, "the whole path") == ["the", "whole", "path", "1"]
    assert out.split("the whole path")[1].split()[:3] == ["1", "4", "0"]
    assert "next: koans/01_arith/test_01_add.py:14  test_three_times_three" in out


def test_progress_follows_a_real_pytest_run(path, pytester, capsys, kata_cli):
    path.pair("01_arith", "test_01_add.py", *[path.root.joinpath("solutions/01_arith/test_01_add.py").read_text()] * 2)
    pytester.runpytest_subprocess("koans/01_arith")
    capsys.readouterr()
    _code, out = kata_cli("progress")
    assert row(out, "01_arith") == ["01_arith", "2", "2", "0"]
    assert "next: koans/02_more/test_01_more.py:6  test_two_and_two_make_four" in out


def test_hardware_koans_are_skipped_never_done(path, kata_cli):
    path.pair("22_gpu", "test_01_gpu.py", HARDWARE, HARDWARE.replace("1 == __", "1 == 1"))
    progress.write_value(path.root, progress.HARDWARE_KEY, {"cuda": "needs a CUDA GPU"})
    progress.write_solved(
        path.root,
        {
            f"koans/{c}/{f}::{n}"
            for c, f in [("01_arith", "test_01_add.py"), ("02_more", "test_01_more.py")]
            for n in ("test_two_and_two_make_four", "test_three_times_three")
        },
    )
    _code, out = kata_cli("progress")
    assert row(out, "22_gpu") == ["22_gpu", "0", "1", "1"]
    assert "next: nothing left to solve here" in out
    assert "needs a CUDA GPU" in out


def test_progress_run_runs_every_koan_records_and_says_so(path, kata_cli):
    solution = path.root.joinpath("solutions/01_arith/test_01_add.py").read_text()
    path.lesson("koans", "01_arith", "test_01_add.py", solution)
    progress.write_solved(path.root, {"koans/02_more/test_01_more.py::test_three_times_three"})  # stale
    code, out = kata_cli("progress", "--run", "-n", "0")
    assert code == 0
    assert "from a run of every koan just now" in out
    assert row(out, "01_arith") == ["01_arith", "2", "2", "0"]
    assert row(out, "02_more") == ["02_more", "0", "2", "0"]  # the run corrects the cache
    assert progress.read_solved(path.root) == {
        "koans/01_arith/test_01_add.py::test_two_and_two_make_four",
        "koans/01_arith/test_01_add.py::test_three_times_three",
    }


def test_a_run_records_hardware_skips_as_skipped_never_done(path, kata_cli):
    path.pair("22_gpu", "test_01_gpu.py", HARDWARE, HARDWARE.replace("1 == __", "1 == 1"))
    gpu = "koans/22_gpu/test_01_gpu.py::test_on_the_gpu"
    progress.write_solved(path.root, {gpu})  # stale: it cannot have run here
    records = [
        Record(
            gpu,
            "setup",
            "skipped",
            place=("koans", "22_gpu"),
            hardware="cuda",
            skip_reason="needs a CUDA GPU: torch.cuda.is_available() is False",
        ),
        Record(FOUR, "call", "passed", place=("koans", "01_arith")),
    ]
    assert progress_table.record(path.root, records) == (2, 1)
    assert progress.read_solved(path.root) == {FOUR}
    _code, out = kata_cli("progress")
    assert row(out, "22_gpu") == ["22_gpu", "0", "1", "1"]
    assert "torch.cuda.is_available() is False" in out


def test_outside_the_checkout_or_without_koans_says_so(tmp_path, monkeypatch, kata_cli):
    monkeypatch.chdir(tmp_path)
    code, out = kata_cli("progress")
    assert code == 2 and "not inside the kata's checkout" in out
    (tmp_path / "kata").mkdir()
    (tmp_path / "solutions").mkdir()
    code, out = kata_cli("progress")
    assert code == 2 and "koans/ folder is missing" in out


def test_marks_recorded_before_the_renumbering_count_under_the_new_chapter_names():
    from kata.layout import migrate

    old = [
        "koans/03_autograd/test_01_graph.py::test_a",
        "koans/01_tensors/test_01_creation.py::test_b",
        "solutions/21_distributed/test_01_ranks.py::test_c",
        "not-a-koan-id",
    ]
    assert migrate(old) == {
        "koans/06_autograd/test_01_graph.py::test_a",
        "koans/01_tensors/test_01_creation.py::test_b",
        "solutions/28_distributed/test_01_ranks.py::test_c",
        "not-a-koan-id",
    }
