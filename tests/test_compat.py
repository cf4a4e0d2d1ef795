"""The verified torch releases: one list, named in the README, and one line for a learner on another release."""

from pathlib import Path

from kata.state import compat

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_a_verified_release_says_nothing_whatever_its_build():
    assert compat.release_note("2.13.0+cpu") is None
    assert compat.release_note("2.15.0+cu132") is None


def test_another_release_gets_one_line_naming_it_and_the_verified_ones():
    note = compat.release_note("2.12.1")
    assert note is not None and "\n" not in note
    assert "torch 2.12.1" in note and ", ".join(compat.VERIFIED_TORCH) in note


def test_the_readme_names_the_verified_releases():
    verified = compat.VERIFIED_TORCH
    assert f"**torch {', '.join(verified[:-1])} and {verified[-1]}**" in README


def test_a_learner_on_another_release_sees_the_line_once_at_the_start(path, pytester):
    # The learner's plugin reads torch's version from its metadata; pretend it is an old release.
    conftest = path.root / "conftest.py"
    conftest.write_text(
        conftest.read_text()
        + (
            "from importlib import metadata\n"
            "_real = metadata.version\n"
            "metadata.version = lambda name: '2.12.0' if name == 'torch' else _real(name)\n"
        )
    )
    out = pytester.runpytest_subprocess("koans/01_arith").stdout.str()
    assert out.count("torch 2.12.0 is not among the releases the answers are verified on") == 1


def test_a_learner_on_a_verified_release_sees_no_such_line(path, pytester):
    out = pytester.runpytest_subprocess("koans/01_arith").stdout.str()
    assert "is not among the releases" not in out
